"""Stage 1 of identity resolution: normalise names, handles, e-mails, phones, URLs, places.

Pure string functions (no I/O). Matching happens on folded text (lowercase, accents
removed, Unicode NFKD); the original text stays on the records for display. The name rules
follow the usual Spanish and English conventions:

* two surnames (``García Pérez``) and particles that are not surnames on their own
  (``de``, ``del``, ``de la``, ``y``: ``Fernández de la Vega`` → ``fernandez``, ``vega``);
* compound first names (``María José``, ``José Luis``) kept as one given name;
* nicknames folded to the formal name (``Paco`` → ``francisco``, ``Chema`` →
  ``jose maria``, ``Bob`` → ``robert``) with a table in both languages.

Handles are split into tokens (``jgarcia_mad`` → ``j``, ``garcia``, ``mad``) with a
dictionary segmentation of run-together names; phones become E.164 with the
``phonenumbers`` library (Google's libphonenumber port).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers

__all__ = [
    "COMPOUND_FIRST_NAMES",
    "FREE_MAIL_DOMAINS",
    "NICKNAMES",
    "PARTICLES",
    "EmailParts",
    "PersonName",
    "canonical_given",
    "city_key",
    "digits_only",
    "email_local_rest",
    "fold",
    "handle_stem",
    "handle_tokens",
    "parse_email",
    "parse_name",
    "phone_e164",
    "text_emails",
    "text_handles",
    "url_domains",
    "words",
]

PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "i", "da", "van", "von", "der"})

# Nickname → formal given name (folded). Spanish hypocoristics and English diminutives.
NICKNAMES: dict[str, str] = {
    # Spanish
    "paco": "francisco",
    "fran": "francisco",
    "curro": "francisco",
    "pancho": "francisco",
    "pepe": "jose",
    "jose": "jose",
    "pepito": "jose",
    "chema": "jose maria",
    "josema": "jose maria",
    "nacho": "ignacio",
    "lola": "dolores",
    "loli": "dolores",
    "concha": "concepcion",
    "conchi": "concepcion",
    "conchita": "concepcion",
    "bego": "begona",
    "merche": "mercedes",
    "quique": "enrique",
    "kike": "enrique",
    "guille": "guillermo",
    "chus": "jesus",
    "chuchi": "jesus",
    "marichu": "maria jesus",
    "charo": "rosario",
    "manolo": "manuel",
    "manu": "manuel",
    "alex": "alejandro",
    "alexander": "alejandro",
    "sandy": "alejandro",
    "moncho": "ramon",
    "ini": "inigo",
    "lu": "lucia",
    "andy": "andres",
    "andrew": "andres",
    "angie": "angeles",
    "geles": "angeles",
    "sofi": "sofia",
    "moni": "monica",
    "pili": "pilar",
    "maite": "maria teresa",
    "mayte": "maria teresa",
    "tere": "teresa",
    "toni": "antonio",
    "antonito": "antonio",
    "juanjo": "juan jose",
    "juanma": "juan manuel",
    "rafa": "rafael",
    "santi": "santiago",
    "nando": "fernando",
    "fer": "fernando",
    "lupe": "guadalupe",
    "chelo": "consuelo",
    "rocio": "rocio",
    "inma": "inmaculada",
    "isa": "isabel",
    "javi": "javier",
    "dani": "daniel",
    "pablo": "pablo",
    "edu": "eduardo",
    "tono": "antonio",
    "juanito": "juan",
    "chabela": "isabel",
    "yago": "santiago",
    "montse": "montserrat",
    "bea": "beatriz",
    "cris": "cristina",
    "patri": "patricia",
    "rober": "roberto",
    "beto": "roberto",
    "berto": "alberto",
    "mamen": "carmen",
    "menchu": "carmen",
    "perico": "pedro",
    "carlitos": "carlos",
    "lau": "laura",
    "martita": "marta",
    "nena": "elena",
    "raque": "raquel",
    # English
    "bob": "robert",
    "rob": "robert",
    "bobby": "robert",
    "robbie": "robert",
    "bill": "william",
    "will": "william",
    "billy": "william",
    "liam": "william",
    "liz": "elizabeth",
    "beth": "elizabeth",
    "lizzie": "elizabeth",
    "betty": "elizabeth",
    "eliza": "elizabeth",
    "maggie": "margaret",
    "peggy": "margaret",
    "meg": "margaret",
    "rick": "richard",
    "dick": "richard",
    "rich": "richard",
    "richie": "richard",
    "kate": "katherine",
    "katie": "katherine",
    "kathy": "katherine",
    "kat": "katherine",
    "catherine": "katherine",
    "jim": "james",
    "jimmy": "james",
    "jamie": "james",
    "jen": "jennifer",
    "jenny": "jennifer",
    "ed": "edward",
    "ted": "edward",
    "eddie": "edward",
    "ned": "edward",
    "charlie": "charlotte",
    "lottie": "charlotte",
    "tony": "anthony",
    "sue": "susan",
    "suzy": "susan",
    "susie": "susan",
    "mike": "michael",
    "mick": "michael",
    "mikey": "michael",
    "becky": "rebecca",
    "becca": "rebecca",
    "tom": "thomas",
    "tommy": "thomas",
    "dave": "david",
    "steve": "stephen",
    "chris": "christopher",
    "matt": "matthew",
    "nick": "nicholas",
    "sam": "samuel",
    "ben": "benjamin",
    "joe": "joseph",
    "dan": "daniel",
    "danny": "daniel",
    "jack": "john",
    "johnny": "john",
    "davy": "david",
    "kit": "christopher",
    "matty": "matthew",
    "joey": "joseph",
    "sammy": "samuel",
    "benny": "benjamin",
    "nicky": "nicholas",
    "pat": "patrick",
    "paddy": "patrick",
    "pete": "peter",
    "tim": "timothy",
    "timmy": "timothy",
    "vicky": "victoria",
    "tori": "victoria",
    "jess": "jessica",
    "jessie": "jessica",
    "abby": "abigail",
    "gail": "abigail",
    "debbie": "deborah",
    "deb": "deborah",
    "patty": "patricia",
    "trish": "patricia",
    "jo": "joanne",
    "ellie": "eleanor",
    "nell": "eleanor",
    "sally": "sarah",
    "em": "emily",
    "emmy": "emily",
    "drew": "andres",
}

# Two-word given names that are one name (folded).
COMPOUND_FIRST_NAMES = frozenset(
    {
        "maria jose",
        "jose luis",
        "jose maria",
        "maria jesus",
        "juan carlos",
        "juan jose",
        "juan manuel",
        "maria teresa",
        "maria carmen",
        "maria angeles",
        "jose antonio",
        "miguel angel",
        "francisco javier",
        "ana maria",
        "maria isabel",
        "luis miguel",
        "maria dolores",
        "jose manuel",
        "mary jane",
        "anne marie",
    }
)

FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.es",
        "outlook.com",
        "outlook.es",
        "live.com",
        "yahoo.com",
        "yahoo.es",
        "icloud.com",
        "me.com",
        "aol.com",
        "gmx.com",
        "protonmail.com",
        "proton.me",
        "telefonica.net",
        "example.com",
        "example.org",
        "example.net",
        "correo.example",
    }
)

_CITY_ALIASES = {
    "valencia": "valencia",
    "la coruna": "a coruna",
    "coruna": "a coruna",
    "bcn": "barcelona",
    "mad": "madrid",
    "sevilla": "sevilla",
    "seville": "sevilla",
    "nyc": "new york",
    "new york city": "new york",
    "ldn": "london",
    "bilbo": "bilbao",
    "zgz": "zaragoza",
    "malaga": "malaga",
    "cordoba": "cordoba",
    "leon": "leon",
    "saragossa": "zaragoza",
    "donostia": "san sebastian",
}

_EMOJI_AND_SYMBOLS = re.compile(r"[^\w\s'.@-]", re.UNICODE)
_WORD = re.compile(r"[a-z0-9]+")
_HANDLE_SPLIT = re.compile(r"[^a-z0-9]+|(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_][\w.-]*(?:@[\w-]+(?:\.[\w-]+)+)?)")
_URL = re.compile(r"(?:https?://)?(?:www\.)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?:/\S*)?", re.I)
_HANDLE_SUFFIXES = (".bsky.social",)


def fold(text: object) -> str:
    """Lowercase ASCII text: accents removed (NFKD), ``ñ`` → ``n``, spaces collapsed."""
    if text is None:
        return ""
    value = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return " ".join(value.lower().split())


def words(text: object) -> list[str]:
    """Folded alphanumeric words of ``text`` (symbols and emoji dropped)."""
    return _WORD.findall(fold(text).replace("'", ""))


def digits_only(text: object) -> str:
    """The digits of ``text`` (dates, postcodes, ids compared without separators)."""
    return "".join(ch for ch in str(text or "") if ch.isdigit())


def canonical_given(name: str) -> str:
    """The formal given name for a folded name or nickname: ``paco`` → ``francisco``."""
    return NICKNAMES.get(name, name)


@dataclass(frozen=True)
class PersonName:
    """A parsed name: canonical given name, initial and surname tokens (folded)."""

    given: str = ""
    initial: str = ""
    surnames: tuple[str, ...] = ()
    raw_given: str = ""


def _split_given(tokens: list[str]) -> tuple[str, list[str]]:
    if len(tokens) >= 2 and f"{tokens[0]} {tokens[1]}" in COMPOUND_FIRST_NAMES:
        return f"{tokens[0]} {tokens[1]}", tokens[2:]
    return (tokens[0], tokens[1:]) if tokens else ("", [])


def parse_name(first: object = "", last: object = "", full: object = "") -> PersonName:
    """Parse a name given as ``first`` + ``last`` or as one ``full`` display name.

    Particles are dropped from surnames (``de la Vega`` → ``vega``); a one-letter given
    name (``F. García``) is kept only as an initial; a display name of one word is a
    given name (``Paco``).
    """
    if full and not (first or last):
        tokens = [t for t in words(full) if t]
        given, rest = _split_given(tokens)
    else:
        given_tokens = words(first)
        given, extra = _split_given(given_tokens)
        rest = extra + words(last)
    surnames = tuple(t for t in rest if t not in PARTICLES and len(t) > 1)
    if len(given) == 1:
        return PersonName("", given, surnames, given)
    canonical = canonical_given(given)
    return PersonName(canonical, canonical[:1], surnames, given)


def handle_stem(handle: object) -> str:
    """A handle without platform decoration: ``@Paco_G@social.example`` → ``paco_g``."""
    value = fold(handle).lstrip("@")
    for suffix in _HANDLE_SUFFIXES:
        if value.endswith(suffix):
            value = value[: -len(suffix)]
    return value.split("@")[0]


def _segment(token: str, vocabulary: frozenset[str] | set[str]) -> list[str]:
    """Split a run-together token into known words (``pacogarcia`` → paco, garcia), or a
    leading initial + word (``jgarcia`` → j, garcia); the token itself when neither fits."""
    if token in vocabulary or len(token) < 4:
        return [token]
    for cut in range(len(token) - 2, 1, -1):
        head, tail = token[:cut], token[cut:]
        if head in vocabulary:
            rest = _segment(tail, vocabulary)
            if all(part in vocabulary for part in rest):
                return [head, *rest]
    if token[1:] in vocabulary:
        return [token[0], token[1:]]
    return [token]


def handle_tokens(handle: object, vocabulary: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Tokens of a handle: split at separators and letter/digit boundaries, then run-together
    names segmented against ``vocabulary`` (``jgarcia_mad`` → ``["j", "garcia", "mad"]``)."""
    tokens: list[str] = []
    for part in _HANDLE_SPLIT.split(handle_stem(handle)):
        if part:
            tokens.extend(_segment(part, vocabulary) if part.isalpha() else [part])
    return tokens


@dataclass(frozen=True)
class EmailParts:
    """A folded e-mail split into local part and domain; ``free`` for web-mail domains."""

    email: str = ""
    local: str = ""
    domain: str = ""
    free: bool = False


def parse_email(value: object) -> EmailParts:
    """Split an e-mail; ``+tags`` are dropped, and dots too for Gmail, whose users' mail
    arrives whatever dots they type."""
    text = fold(value)
    if "@" not in text:
        return EmailParts()
    local, _, domain = text.rpartition("@")
    local = local.split("+")[0]
    if domain in ("gmail.com", "googlemail.com"):
        local = local.replace(".", "")
    if not local or "." not in domain:
        return EmailParts()
    return EmailParts(f"{local}@{domain}", local, domain, domain in FREE_MAIL_DOMAINS)


def email_local_rest(local: str, names: Iterable[str]) -> str:
    """What an e-mail's local part says beyond the record's own names: ``ana.gil84`` of
    Ana Gil → ``84``; ``agil`` → ``""`` (an initial and the surname). Namesakes hold
    addresses made of the same names at other providers, so agreeing local parts made only
    of names repeat the name agreement instead of adding to it."""
    tokens = sorted({t for name in names for t in words(name) if len(t) > 1}, key=len, reverse=True)
    rest = local
    for token in tokens:
        rest = rest.replace(token, " ")
    rest = "".join(ch for ch in rest if ch.isalnum())
    initials = {t[0] for t in tokens}
    if len(rest) <= 2 and rest.isalpha() and set(rest) <= initials:
        return ""
    return rest


def phone_e164(value: object, region: str = "ES") -> str:
    """A phone number in E.164 (``+34612345678``), or ``""`` when it cannot be a number.

    ``region`` is the country assumed for numbers written without ``+`` or 00 prefix.
    """
    text = str(value or "").strip()
    if sum(ch.isdigit() for ch in text) < 6:
        return ""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def text_emails(text: object) -> list[str]:
    """E-mail addresses written in free text (a bio), folded."""
    return [parse_email(found).email for found in _EMAIL.findall(str(text or ""))]


def text_handles(text: object) -> list[str]:
    """``@handles`` written in free text (a bio), as handle stems."""
    return [handle_stem(found) for found in _MENTION.findall(str(text or ""))]


def url_domains(*texts: object) -> list[str]:
    """Registrable-looking domains in URLs and free text (``www.`` dropped), in order."""
    found: list[str] = []
    for text in texts:
        cleaned = _EMAIL.sub(" ", str(text or ""))
        for domain in _URL.findall(cleaned):
            domain = domain.lower()
            if domain not in found and not domain.endswith((".social", ".example")):
                found.append(domain)
    return found


def city_key(value: object) -> str:
    """A folded city name with common abbreviations and exonyms mapped to one form;
    the part before a comma (``Madrid, Spain`` → ``madrid``)."""
    text = fold(value).split(",")[0].strip()
    text = _EMOJI_AND_SYMBOLS.sub("", text).strip()
    return _CITY_ALIASES.get(text, text)


def name_vocabulary(names: Iterable[PersonName]) -> set[str]:
    """Every given name, nickname and surname token seen, for handle segmentation."""
    vocabulary = set(NICKNAMES) | set(NICKNAMES.values())
    for name in names:
        vocabulary.update(name.surnames)
        if name.raw_given:
            vocabulary.update(name.raw_given.split())
    return {word for word in vocabulary if len(word) > 1}
