"""How one person's name is written on different records: nicknames, titles and job
suffixes, initials, married surnames, dropped accents, partial compound surnames, CRM
typos, and handles built from names or pseudonyms.

Every function takes the random generator first and returns the written form with the
tags (failure classes) it exhibits, so the pair labeller can say why two records are hard.
"""

from __future__ import annotations

import random
import unicodedata

__all__ = [
    "NICKNAMES",
    "PSEUDONYM_WORDS",
    "handle_from_name",
    "nickname_of",
    "pseudonym",
    "strip_accents",
    "typo",
]

# Hypocorisms as people use them (Spanish, English, Portuguese, German, French, Italian).
NICKNAMES: dict[str, tuple[str, ...]] = {
    "José": ("Pepe", "Pepito", "Chema"),
    "Francisco": ("Paco", "Fran", "Curro", "Pancho"),
    "Guadalupe": ("Lupe", "Lupita"),
    "Manuel": ("Manolo", "Manu"),
    "Dolores": ("Lola",),
    "Concepción": ("Concha", "Conchi"),
    "Ignacio": ("Nacho",),
    "Jesús": ("Chus", "Chucho"),
    "Enrique": ("Quique",),
    "Rosario": ("Charo",),
    "Antonio": ("Toni", "Toño", "Tonino"),
    "Alejandro": ("Álex", "Alex"),
    "Roberto": ("Beto", "Robert", "Bob"),
    "Alberto": ("Beto", "Albert"),
    "Fernando": ("Nando", "Fer"),
    "Eduardo": ("Edu", "Lalo"),
    "Javier": ("Javi",),
    "Cristina": ("Cris", "Tina"),
    "Pilar": ("Pili",),
    "Mercedes": ("Merche", "Meche"),
    "Isabel": ("Isa", "Chabela"),
    "Luis": ("Lucho",),
    "Ramón": ("Moncho",),
    "Guillermo": ("Memo", "Guille"),
    "Santiago": ("Santi", "Chago"),
    "Rafael": ("Rafa",),
    "Gabriel": ("Gabi",),
    "Patricia": ("Patri", "Pati", "Pat", "Patty"),
    "Margarita": ("Marga",),
    "Beatriz": ("Bea",),
    "Victoria": ("Vicky",),
    "Daniel": ("Dani", "Dan"),
    "Sebastián": ("Sebas",),
    "Ángeles": ("Geles",),
    "Francisca": ("Paca", "Paqui"),
    "Josefa": ("Pepa",),
    "Consuelo": ("Chelo",),
    "Ricardo": ("Richi",),
    "Federico": ("Fede",),
    "Gonzalo": ("Gonza",),
    "William": ("Bill", "Will", "Billy"),
    "Robert": ("Bob", "Rob", "Bobby"),
    "Richard": ("Rick", "Rich", "Dick"),
    "James": ("Jim", "Jimmy", "Jamie"),
    "Elizabeth": ("Liz", "Beth", "Betty", "Lizzie"),
    "Margaret": ("Maggie", "Peggy", "Meg"),
    "Katherine": ("Kate", "Kathy", "Katie"),
    "Michael": ("Mike", "Mick"),
    "Jennifer": ("Jen", "Jenny"),
    "Christopher": ("Chris", "Topher"),
    "Thomas": ("Tom", "Tommy"),
    "Joseph": ("Joe", "Joey"),
    "Anthony": ("Tony",),
    "Edward": ("Ed", "Ted", "Eddie"),
    "Susan": ("Sue", "Susie"),
    "Deborah": ("Debbie", "Deb"),
    "Rebecca": ("Becky", "Becca"),
    "Alexander": ("Alex", "Sasha"),
    "Nicholas": ("Nick",),
    "Matthew": ("Matt",),
    "Andrew": ("Andy", "Drew"),
    "Benjamin": ("Ben", "Benji"),
    "Samuel": ("Sam",),
    "Jonathan": ("Jon",),
    "Timothy": ("Tim",),
    "Stephen": ("Steve",),
    "Steven": ("Steve",),
    "Catherine": ("Cathy", "Kate"),
    "Jessica": ("Jess",),
    "Victoria ": ("Tori",),
    "Antônio": ("Toninho", "Tonho"),
    "João": ("Joãozinho",),
    "Fernanda": ("Nanda", "Fê"),
    "Gabriela": ("Gabi",),
    "Rafaela": ("Rafa",),
    "Luiz": ("Lula",),
    "Eduarda": ("Duda",),
    "Maria Eduarda": ("Duda",),
    "Ana Luiza": ("Analu",),
    "Johannes": ("Hannes", "Jo"),
    "Wolfgang": ("Wolf",),
    "Katharina": ("Kathi", "Kati"),
    "Elisabeth": ("Lisa", "Sissi"),
    "Friedrich": ("Fritz",),
    "Matthias": ("Matze", "Hias"),
    "Stefanie": ("Steffi",),
    "Alexandra": ("Alex", "Sandra"),
    "Christian": ("Chris",),
    "Sebastian": ("Basti",),
    "Frédéric": ("Fred",),
    "Dominique": ("Dom",),
    "Nathalie": ("Nath",),
    "Christophe": ("Chris",),
    "Guillaume": ("Guigui", "Will"),
    "Giuseppe": ("Beppe", "Pino"),
    "Francesco": ("Franco", "Checco"),
    "Alessandro": ("Sandro", "Ale"),
    "Giovanni": ("Gianni", "Nanni"),
    "Salvatore": ("Totò", "Salvo"),
    "Alessandra": ("Ale", "Sandra"),
    "Federica": ("Fede",),
    "Vincenzo": ("Enzo",),
}
TITLES = {
    "es_ES": ("Dr.", "Dra.", "Prof.", "Arq."),
    "es_MX": ("Ing.", "Lic.", "Dr.", "Mtro.", "Arq."),
    "en_US": ("Dr.", "Prof.", "Rev."),
    "en_GB": ("Dr", "Prof", "Sir"),
    "pt_BR": ("Dr.", "Prof.", "Eng."),
    "pt_PT": ("Dr.", "Eng.", "Prof."),
    "de_DE": ("Dr.", "Prof. Dr.", "Dipl.-Ing."),
    "fr_FR": ("Dr", "Pr", "Me"),
    "it_IT": ("Dott.", "Ing.", "Avv.", "Prof."),
}
SUFFIXES = (
    ", MBA",
    ", PhD",
    " | Arquitecta",
    " | Abogado",
    " — Founder",
    " · CEO",
    " | Data Scientist",
    " (she/her)",
    " (he/him)",
    " 🇪🇸",
    " ✨",
    " 🏳️‍🌈",
    ", CFA",
    " | UX",
    " - Fotógrafo",
    " | Nutricionista",
    ", MD",
)
PSEUDONYM_WORDS = (
    "luna",
    "shadow",
    "pixel",
    "wolf",
    "gato",
    "neko",
    "rayo",
    "tinta",
    "nube",
    "sol",
    "mar",
    "viento",
    "fuego",
    "storm",
    "coffee",
    "cafe",
    "bici",
    "runner",
    "dreamer",
    "nomad",
    "geek",
    "chica",
    "chico",
    "lobo",
    "cielo",
    "estrella",
    "mango",
    "kiwi",
    "retro",
    "synth",
    "vinyl",
    "ghost",
    "ninja",
    "panda",
    "otter",
    "fox",
    "raven",
    "salty",
    "spicy",
    "lazy",
    "midnight",
    "urban",
    "wild",
    "tiny",
    "big",
    "el",
    "la",
    "mister",
    "lady",
    "capitan",
    "doctor",
)
_KEYBOARD = {
    "a": "sq",
    "e": "wr",
    "i": "uo",
    "o": "ip",
    "n": "bm",
    "r": "et",
    "s": "ad",
    "l": "k",
    "t": "ry",
    "m": "n",
    "c": "xv",
    "u": "yi",
    "d": "sf",
    "g": "fh",
}


def strip_accents(text: str) -> str:
    """``José Núñez`` → ``Jose Nunez`` (as many CRM imports and handles write it)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def typo(rng: random.Random, text: str, edits: int = 1) -> str:
    """``edits`` keyboard slips: substitution by a neighbouring key, deletion, doubling,
    or a swap of two letters (Damerau 1964's four error kinds)."""
    chars = list(text)
    for _ in range(edits):
        if len(chars) < 3:
            break
        at = rng.randrange(1, len(chars) - 1)
        kind = rng.random()
        if kind < 0.35:
            near = _KEYBOARD.get(chars[at].lower())
            chars[at] = rng.choice(near) if near else chars[at]
        elif kind < 0.6:
            del chars[at]
        elif kind < 0.8:
            chars.insert(at, chars[at])
        else:
            chars[at - 1], chars[at] = chars[at], chars[at - 1]
    return "".join(chars)


def nickname_of(rng: random.Random, first: str) -> str | None:
    """A hypocorism of the first given name, or None when the name has none known."""
    options = NICKNAMES.get(first) or NICKNAMES.get(first.split()[0])
    return rng.choice(options) if options else None


def title_for(rng: random.Random, locale: str) -> str:
    return rng.choice(TITLES.get(locale, ("Dr.",)))


def suffix(rng: random.Random) -> str:
    return rng.choice(SUFFIXES)


def pseudonym(rng: random.Random) -> tuple[str, str]:
    """A display name and handle that say nothing of the person's name."""
    first, second = rng.sample(PSEUDONYM_WORDS, 2)
    display = rng.choice(
        [
            f"{first} {second}",
            f"{first.title()}{second.title()}",
            f"{first}_{second}",
            f"{first.title()} {second.title()} ✨",
        ]
    )
    handle = rng.choice(
        [
            f"{first}{second}",
            f"{first}_{second}",
            f"{first}{second}{rng.randint(1, 999)}",
            f"the{first}{second}",
        ]
    )
    return display, handle


def _slug(text: str) -> str:
    return "".join(ch for ch in strip_accents(text).lower() if ch.isalnum())


def handle_from_name(rng: random.Random, first: str, surnames: list[str], birth_year: int) -> str:
    """A handle as people build them from their own names (``anagarcia``, ``a_garcia84``,
    ``garcia.ana``, ``anagl`` …)."""
    given = _slug(first.split()[0])
    family = _slug(surnames[0]) if surnames else ""
    second = _slug(surnames[1]) if len(surnames) > 1 else ""
    year = str(birth_year)[-2:]
    forms = [
        f"{given}{family}",
        f"{given}_{family}",
        f"{given}.{family}",
        f"{given[:1]}{family}",
        f"{given}{family}{year}",
        f"{family}{given}",
        f"{given}{family[:1]}{second[:1]}",
        f"{given}_{family}_{second}" if second else f"{given}{family}{birth_year}",
        f"{given}{year}",
        f"{family}_{given[:1]}",
    ]
    return rng.choice(forms)
