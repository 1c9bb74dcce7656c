"""Synthetic people for the generator: Spanish and English names, nicknames, handles.

Every person is a pure function of ``(seed, index)`` (:func:`person`), drawn from a
counter-based hash (SplitMix64, Steele et al. 2014) instead of a sequential random stream,
so the generator can look up any other person's accounts and handles (to follow or mention
them) without keeping anyone in memory. All names, e-mails and phones are invented
(``example.*`` domains, numbers from fictional ranges).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["PLATFORMS", "Account", "Person", "ascii_fold", "mix", "person", "uniform"]

PLATFORMS = ("x", "mastodon", "bluesky")
_MASK = (1 << 64) - 1
T = TypeVar("T")

# (formal first name, nicknames). Nicknames are what people use on social networks.
SPANISH_FIRST = (
    ("Francisco", ("Paco", "Fran", "Curro")),
    ("José", ("Pepe", "Jose")),
    ("José María", ("Chema", "Josema")),
    ("Ignacio", ("Nacho",)),
    ("Dolores", ("Lola",)),
    ("Concepción", ("Concha", "Conchi")),
    ("Begoña", ("Bego",)),
    ("Mercedes", ("Merche",)),
    ("Enrique", ("Quique",)),
    ("Guillermo", ("Guille",)),
    ("María Jesús", ("Chus", "Marichu")),
    ("Rosario", ("Charo",)),
    ("Manuel", ("Manolo", "Manu")),
    ("Jesús", ("Chus", "Chuchi")),
    ("Alejandro", ("Álex", "Alex")),
    ("Ramón", ("Moncho",)),
    ("Íñigo", ("Iñi",)),
    ("Lucía", ("Lu",)),
    ("Andrés", ("Andy",)),
    ("Ángeles", ("Angie", "Geles")),
    ("Sofía", ("Sofi",)),
    ("Mónica", ("Moni",)),
    ("Antonio", ("Toni", "Toño")),
    ("Juan", ("Juanito",)),
    ("Juan José", ("Juanjo",)),
    ("Juan Manuel", ("Juanma",)),
    ("Pilar", ("Pili",)),
    ("Isabel", ("Isa", "Chabela")),
    ("María Teresa", ("Maite", "Mayte")),
    ("Teresa", ("Tere",)),
    ("Rafael", ("Rafa",)),
    ("Santiago", ("Santi", "Yago")),
    ("Fernando", ("Nando", "Fer")),
    ("Javier", ("Javi",)),
    ("Daniel", ("Dani",)),
    ("Eduardo", ("Edu",)),
    ("Inmaculada", ("Inma",)),
    ("Montserrat", ("Montse",)),
    ("Beatriz", ("Bea",)),
    ("Cristina", ("Cris",)),
    ("Patricia", ("Patri",)),
    ("Roberto", ("Rober", "Beto")),
    ("Alberto", ("Berto",)),
    ("Carmen", ("Mamen", "Menchu")),
    ("Pedro", ("Perico",)),
    ("Consuelo", ("Chelo",)),
    ("Guadalupe", ("Lupe",)),
    ("Carlos", ("Carlitos",)),
    ("Laura", ("Lau",)),
    ("Marta", ("Martita",)),
    ("Elena", ("Nena",)),
    ("Raquel", ("Raque",)),
)
ENGLISH_FIRST = (
    ("Robert", ("Bob", "Rob", "Bobby")),
    ("William", ("Bill", "Will", "Billy")),
    ("Elizabeth", ("Liz", "Beth", "Lizzie")),
    ("Margaret", ("Maggie", "Peggy")),
    ("Richard", ("Rick", "Dick", "Rich")),
    ("Katherine", ("Kate", "Katie", "Kathy")),
    ("James", ("Jim", "Jimmy")),
    ("Jennifer", ("Jen", "Jenny")),
    ("Edward", ("Ed", "Ted", "Eddie")),
    ("Alexander", ("Alex", "Sandy")),
    ("Charlotte", ("Charlie", "Lottie")),
    ("Anthony", ("Tony",)),
    ("Susan", ("Sue", "Suzy")),
    ("Michael", ("Mike", "Mick")),
    ("Rebecca", ("Becky", "Becca")),
    ("Thomas", ("Tom", "Tommy")),
    ("John", ("Jack", "Johnny")),
    ("David", ("Dave", "Davy")),
    ("Christopher", ("Chris", "Kit")),
    ("Matthew", ("Matt", "Matty")),
    ("Joseph", ("Joe", "Joey")),
    ("Samuel", ("Sam", "Sammy")),
    ("Benjamin", ("Ben", "Benny")),
    ("Nicholas", ("Nick", "Nicky")),
    ("Patrick", ("Pat", "Paddy")),
    ("Peter", ("Pete",)),
    ("Stephen", ("Steve",)),
    ("Timothy", ("Tim", "Timmy")),
    ("Victoria", ("Vicky", "Tori")),
    ("Jessica", ("Jess", "Jessie")),
    ("Abigail", ("Abby", "Gail")),
    ("Deborah", ("Debbie", "Deb")),
    ("Patricia", ("Patty", "Trish")),
    ("Joanne", ("Jo",)),
    ("Eleanor", ("Ellie", "Nell")),
    ("Sarah", ("Sally",)),
    ("Emily", ("Em", "Emmy")),
    ("Daniel", ("Dan", "Danny")),
    ("Andrew", ("Andy", "Drew")),
)
SPANISH_SURNAMES = (
    "García",
    "Fernández",
    "González",
    "Rodríguez",
    "López",
    "Martínez",
    "Sánchez",
    "Pérez",
    "Gómez",
    "Martín",
    "Jiménez",
    "Ruiz",
    "Hernández",
    "Díaz",
    "Moreno",
    "Muñoz",
    "Álvarez",
    "Romero",
    "Alonso",
    "Gutiérrez",
    "Navarro",
    "Torres",
    "Domínguez",
    "Vázquez",
    "Ramos",
    "Gil",
    "Ramírez",
    "Serrano",
    "Blanco",
    "Suárez",
    "Molina",
    "Ortiz",
    "Castillo",
    "Núñez",
    "Ibáñez",
    "Peña",
    "Echeverría",
    "Goikoetxea",
    "Quiñones",
    "Cañizares",
    "Castro",
    "Ortega",
    "Rubio",
    "Marín",
    "Sanz",
    "Iglesias",
    "Medina",
    "Garrido",
    "Cortés",
    "Santos",
    "Lozano",
    "Guerrero",
    "Cano",
    "Prieto",
    "Méndez",
    "Cruz",
    "Calvo",
    "Gallego",
    "Vidal",
    "León",
    "Márquez",
    "Herrera",
    "Flores",
    "Cabrera",
    "Campos",
    "Vega",
    "Fuentes",
    "Carrasco",
    "Díez",
    "Caballero",
    "Reyes",
    "Nieto",
    "Aguilar",
    "Pascual",
    "Santana",
    "Herrero",
    "Lorenzo",
    "Montero",
    "Hidalgo",
    "Giménez",
    "Ferrer",
    "Durán",
    "Santiago",
    "Benítez",
    "Mora",
    "Vicente",
    "Vargas",
    "Arias",
    "Carmona",
    "Crespo",
    "Román",
    "Pastor",
    "Soto",
    "Sáez",
    "Velasco",
    "Moya",
    "Soler",
    "Parra",
    "Esteban",
    "Bravo",
    "Gallardo",
    "Rojas",
    "Pardo",
    "Merino",
    "Franco",
    "Espinosa",
    "Izquierdo",
    "Lara",
    "Rivas",
    "Silva",
    "Rivera",
    "Casado",
    "Arroyo",
    "Redondo",
    "Camacho",
    "Rey",
    "Vera",
    "Otero",
    "Luque",
    "Galán",
    "Montes",
    "Ríos",
    "Sierra",
    "Segura",
    "Carrillo",
    "Marcos",
    "Soriano",
    "Mendoza",
    "Robles",
    "Bernal",
    "Vila",
    "Valero",
    "Aranda",
    "Urrutia",
    "Etxeberria",
    "Zubizarreta",
    "Aguirre",
    "Beltrán",
    "Quintero",
    "de la Fuente",
    "del Río",
    "de la Torre",
    "San Martín",
)
ENGLISH_SURNAMES = (
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "O'Brien",
    "McDonald",
    "Fitzgerald",
    "Hughes",
    "Harris",
    "Martin",
    "Lewis",
    "Clark",
    "Young",
    "King",
    "Turner",
    "Hill",
    "Cooper",
    "Ward",
    "Morris",
    "Moore",
    "Lee",
    "Harrison",
    "Baker",
    "Patel",
    "Khan",
    "Allen",
    "Scott",
    "Mitchell",
    "Carter",
    "Phillips",
    "Edwards",
    "Shaw",
    "Watson",
    "Cook",
    "Parker",
    "Bennett",
    "Griffiths",
    "Lloyd",
    "Kelly",
    "Murphy",
    "Morgan",
    "Bell",
    "Marshall",
    "Bailey",
    "Price",
    "Richards",
    "Cox",
    "Mason",
    "Russell",
    "Chapman",
    "Webb",
    "Rogers",
    "Gray",
    "Hunt",
    "Palmer",
    "Holmes",
    "Mills",
    "Barnes",
    "Knight",
    "Butler",
    "Stevens",
    "Fisher",
    "Dixon",
    "Jenkins",
    "Howard",
    "Saunders",
    "Fletcher",
    "Foster",
    "Reid",
    "Graham",
    "Murray",
    "Stewart",
    "Campbell",
    "Kennedy",
    "Ryan",
    "Byrne",
    "Gallagher",
    "Doyle",
    "Walsh",
    "MacLeod",
    "Sullivan",
    "Ellis",
    "Owen",
    "Powell",
    "Lawrence",
    "Pearson",
    "Atkinson",
    "Barker",
    "Booth",
    "Dawson",
    "Francis",
)
SPANISH_CITIES = (
    "Madrid",
    "Barcelona",
    "Sevilla",
    "Bilbao",
    "València",
    "Málaga",
    "León",
    "A Coruña",
    "Córdoba",
    "Zaragoza",
    "Valladolid",
    "Vigo",
    "Gijón",
    "Granada",
    "Alicante",
    "Murcia",
    "Palma",
    "Las Palmas",
    "San Sebastián",
    "Pamplona",
    "Santander",
    "Salamanca",
    "Oviedo",
    "Cádiz",
    "Toledo",
)
ENGLISH_CITIES = (
    "London",
    "Manchester",
    "Leeds",
    "Bristol",
    "Dublin",
    "Edinburgh",
    "York",
    "Birmingham",
    "Liverpool",
    "Glasgow",
    "Cardiff",
    "Belfast",
    "Newcastle",
    "Sheffield",
    "Nottingham",
    "Brighton",
    "Oxford",
    "Cambridge",
    "Cork",
    "Norwich",
)
COMPANIES = (
    "Acme Foods",
    "Iberia Digital",
    "Northwind",
    "Bodegas Peñalba",
    "Globex",
    "Initech",
    "Talleres Ñandú",
    "Umbrella Retail",
)
MAIL_DOMAINS = ("example.com", "example.org", "example.net", "correo.example")
MASTODON_INSTANCES = ("mastodon.example", "social.example", "tooting.example")


def mix(*values: int) -> int:
    """A 64-bit hash of integers (SplitMix64 finaliser applied per value)."""
    state = 0x9E3779B97F4A7C15
    for value in values:
        state = (state + (value & _MASK) + 0x9E3779B97F4A7C15) & _MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        state = z ^ (z >> 31)
    return state


def uniform(*values: int) -> float:
    """A float in [0, 1) from :func:`mix`."""
    return mix(*values) / 2.0**64


def ascii_fold(text: str) -> str:
    """``"Muñoz Ibáñez"`` → ``"Munoz Ibanez"``: what people type in handles and e-mails."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _pick(options: Sequence[T], h: int) -> T:
    return options[h % len(options)]


def _pick_common(options: Sequence[T], h: int, skew: float) -> T:
    """An option drawn with falling frequency down the list (lists start with the most
    common names): the first of 100 comes up about 5 % of the time at ``skew`` 1.5, as
    García or Smith do, while the tail stays rare."""
    u = (h & (2**53 - 1)) / 2.0**53
    return options[min(int(len(options) * u**skew), len(options) - 1)]


@dataclass(frozen=True)
class Account:
    """One social account of a person."""

    platform: str
    profile_id: str
    handle: str
    display_name: str


@dataclass(frozen=True)
class Person:
    index: int
    person_id: str
    spanish: bool
    first_name: str
    nickname: str
    surnames: tuple[str, ...]
    city: str
    accounts: tuple[Account, ...]

    @property
    def last_name(self) -> str:
        return " ".join(self.surnames)


def profile_id(platform: str, index: int) -> str:
    """The bundle profile id of person ``index``'s account on ``platform`` (unique)."""
    if platform == "x":
        return str(1_000_000_000 + index)
    if platform == "mastodon":
        return str(100_000_000 + index)
    return f"did:plc:{index:024x}"


# Handle numbers: below _NUMBERS a person's own number, the same on every platform where
# they reuse it (about half); from _NUMBERS up, one drawn per platform. Both are bijections
# of the person's index, so handles stay unique on a platform, as platforms require.
_NUMBERS = 10_000_000
_STRIDE = 7_919  # coprime to _NUMBERS


def _handle_number(seed: int, index: int, platform: str) -> int:
    if uniform(seed, index, 9) < 0.5:
        return (index * _STRIDE + mix(seed, 62)) % _NUMBERS
    return _NUMBERS + (index * _STRIDE + mix(seed, 63, len(platform))) % _NUMBERS


def _handle(
    seed: int, index: int, platform: str, first: str, nick: str, surnames: tuple[str, ...]
) -> str:
    base_first = ascii_fold(first.split()[0]).lower()
    base_nick = ascii_fold(nick).lower().replace(" ", "")
    last = ascii_fold(surnames[0]).lower().replace(" ", "").replace("'", "")
    variants = (
        f"{base_nick}{last}",
        f"{base_first}_{last}",
        f"{base_first[0]}{last}",
        f"{base_nick}_{ascii_fold(surnames[-1]).lower().replace(chr(39), '')}",
        f"{base_first}.{last}" if platform != "x" else f"{base_first}{last}",
        f"the_{base_nick}",
    )
    variant = variants[mix(seed, index, 7, len(platform)) % len(variants)]
    handle = f"{variant}_{_handle_number(seed, index, platform)}"
    if platform == "bluesky":
        return f"{handle.replace('_', '-')}.bsky.social"
    if platform == "mastodon":
        return f"{handle}@{_pick(MASTODON_INSTANCES, mix(seed, index, 8))}"
    return handle


def _display(seed: int, index: int, platform: str, person: Person) -> str:
    h = mix(seed, index, 9, len(platform))
    last = person.surnames[0]
    options = (
        f"{person.nickname} {last}",
        f"{person.first_name} {person.last_name}",
        f"{person.first_name[0]}. {last}",
        ascii_fold(f"{person.first_name} {last}"),
        person.nickname,
        f"{person.nickname} {last} 🌻",
    )
    return options[h % len(options)]


def _names(seed: int, index: int) -> tuple[bool, str, str, tuple[str, ...]]:
    # A few people are namesakes of their neighbour: same first name and surnames.
    if index > 0 and uniform(seed, index, 1) < 0.03:
        index -= 1
    spanish = uniform(seed, index, 2) < 0.6
    h = mix(seed, index, 3)
    first, nicknames = _pick_common(SPANISH_FIRST if spanish else ENGLISH_FIRST, h, 1.3)
    nick = nicknames[(h >> 60) % len(nicknames)]
    surnames: tuple[str, ...]
    if spanish:
        surnames = (
            _pick_common(SPANISH_SURNAMES, mix(seed, index, 4), 1.5),
            _pick_common(SPANISH_SURNAMES, mix(seed, index, 5), 1.5),
        )
    else:
        surnames = (_pick_common(ENGLISH_SURNAMES, mix(seed, index, 4), 1.5),)
    return spanish, first, nick, surnames


def account_platforms(seed: int, index: int) -> tuple[str, ...]:
    """Which platforms person ``index`` is on: 0–3 of them (cheap; no names computed)."""
    u = uniform(seed, index, 10)
    count = 0 if u < 0.2 else 1 if u < 0.6 else 2 if u < 0.85 else 3
    start = mix(seed, index, 11) % len(PLATFORMS)
    return tuple(PLATFORMS[(start + step) % len(PLATFORMS)] for step in range(count))


def person(seed: int, index: int) -> Person:
    """Person ``index`` of the synthetic population ``seed``."""
    spanish, first, nick, surnames = _names(seed, index)
    city = _pick_common(SPANISH_CITIES if spanish else ENGLISH_CITIES, mix(seed, index, 6), 1.5)
    draft = Person(index, f"P{index:07d}", spanish, first, nick, surnames, city, ())
    accounts = tuple(
        Account(
            platform,
            profile_id(platform, index),
            _handle(seed, index, platform, first, nick, surnames),
            _display(seed, index, platform, draft),
        )
        for platform in account_platforms(seed, index)
    )
    return Person(index, draft.person_id, spanish, first, nick, surnames, city, accounts)
