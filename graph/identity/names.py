"""Display names as people write them, and names of organisations.

* :func:`clean_display_name` keeps the person's name out of a display name: honorifics and
  titles (``Ing.``, ``Lic.``, ``Prof.``, ``Dra.``; ``nameparser``'s title list plus the
  Spanish ones), post-nominals (``, MBA``, ``PhD``; ``nameparser``'s suffixes) and a job
  after a separator (``| Arquitecta``, ``— Founder``, ``· CEO at Acme``).
* :func:`organisation_name` recognises accounts and rows of organisations — a legal form
  (``S.A.U.``, ``GmbH``, ``Inc.``; ``cleanco``'s terms) or an institution/brand word
  (hospital, ayuntamiento, council, official, team…) — and returns their name without the
  legal form, folded; ``""`` for a person. Organisations are compared by that whole name,
  never by shared words, so two hospitals or two shops of one chain stay apart.
* :func:`spelled_as_in_email`: a CRM row's name word one typo away from a part of the
  row's own e-mail user name is written as the e-mail writes it (``Gsry Washington``,
  ``washington.gary@…`` → ``gary``): an address is typed by its owner and proven by the
  mail it receives, a name column by whoever keyed the row in.
* :func:`related_given_names`: English nickname relations from the ``nicknames`` package
  (Carlton Northern's curated table), beside the Spanish table in ``normalise``.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd
from cleanco import basename, prepare_default_terms
from nameparser.config import CONSTANTS
from nicknames import NickNamer
from rapidfuzz.distance import Levenshtein

from srm.graph.identity.normalise import NICKNAMES, fold, words

__all__ = [
    "clean_display_name",
    "known_given_names",
    "organisation_name",
    "personal_name_marks",
    "related_given_names",
    "spelled_as_in_email",
]

# titles written without a dot as often as with one (Spanish, English, French, German,
# Italian), none of them a given name on its own
_BARE_TITLES = frozenset({
    "ing", "lic", "licda", "licdo", "prof", "profa", "dr", "dra", "sr", "sra", "srta",
    "don", "dona", "arq", "abog", "mtro", "mtra", "mr", "mrs", "ms", "mx", "miss", "sir",
    "dame", "rev", "ingeniero", "ingeniera", "licenciado", "licenciada", "doctor", "doctora",
    "pr", "mme", "mlle", "dott", "dssa", "dipl", "herr", "frau",
})  # fmt: skip
_POST_NOMINALS = frozenset({"mba", "phd", "msc", "md", "jr", "sr", "cpa", "pmp", "bsc", "ma",
                            "ba", "dds", "esq", "ii", "iii", "llm", "rn"})  # fmt: skip
_JOB_SEPARATOR = re.compile(r"\s+[|·—–]\s*|\s+-\s+|\s*,\s+(?=[A-Za-z]{2,}\b)|\s+\(")
_ORGANISATION_WORDS = frozenset({
    "official", "oficial", "team", "equipo", "hospital", "hospitales", "clinica", "clinic",
    "ayuntamiento", "concello", "ajuntament", "council", "municipality", "university",
    "universidad", "universitat", "college", "school", "colegio", "instituto", "institute",
    "museum", "museo", "shop", "tienda", "store", "restaurant", "restaurante", "hotel",
    "club", "fc", "cf", "news", "noticias", "magazine", "revista", "foundation",
    "fundacion", "association", "asociacion", "ministry", "ministerio", "gobierno",
    "government", "bank", "banco", "company", "empresa", "group", "grupo", "studio",
    "estudio", "agency", "agencia", "library", "biblioteca", "festival", "podcast", "radio",
    "tv", "press", "records", "brewery", "cerveceria", "bakery", "panaderia", "academy",
    "academia", "church", "iglesia", "parish", "parroquia", "society", "sociedad",
    "federation", "federacion", "ong", "ngo", "labs", "hq", "support", "centre",
    "center", "centro", "diputacion", "generalitat", "junta", "policia", "police",
})  # fmt: skip

# legal forms cleanco misses in dotted Spanish/Latin spelling ("S.A.U.", "S.L.")
_LEGAL_FORMS = frozenset({
    "sa", "sau", "sl", "slu", "sll", "srl", "sas", "sac", "spa", "ltd", "llc", "inc", "gmbh",
    "ag", "bv", "nv", "plc", "corp", "lda",
})  # fmt: skip
# words that mark an organisation's account but are not part of its name
_ACCOUNT_MARKERS = frozenset({"official", "oficial", "team", "equipo", "hq", "the", "support"})


@lru_cache(maxsize=1)
def _legal_term_endings() -> frozenset[str]:
    """Last words of cleanco's legal terms: a name ending otherwise needs no basename()."""
    return frozenset(tokens[-1] for _, tokens in prepare_default_terms() if tokens)


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    return frozenset(fold(t) for t in CONSTANTS.titles) | _BARE_TITLES


@lru_cache(maxsize=1)
def _suffixes() -> frozenset[str]:
    found = set(CONSTANTS.suffix_acronyms) | set(CONSTANTS.suffix_not_acronyms)
    return frozenset(fold(s).replace(".", "") for s in found) | _POST_NOMINALS


def clean_display_name(text: object, *, part: bool = False) -> str:
    """The name part of a display name (see module doc); the text itself when cleaning
    would leave nothing. ``part``: the text is one column of a name (a CRM row's first
    name, ``Dr. Joshua``), so a title goes even when one word is left; a whole display name
    keeps two words (``Miss Saigon`` is not a person with a title)."""
    raw = str(text or "").strip()
    head = _JOB_SEPARATOR.split(raw, maxsplit=1)[0] if raw else ""
    tokens = head.replace(".", ". ").split()
    titles, suffixes = _titles(), _suffixes()

    def is_title(token: str) -> bool:
        # nameparser's long list (Dean, Major…) holds given names: only with a dot
        word = fold(token).strip(".,")
        return word in _BARE_TITLES or (token.endswith(".") and len(word) > 1 and word in titles)

    while len(tokens) > (1 if part else 2) and is_title(tokens[0]):
        tokens = tokens[1:]
    while tokens and fold(tokens[-1]).strip(".,").replace(".", "") in suffixes and len(tokens) > 1:
        tokens = tokens[:-1]
    cleaned = " ".join(tokens).strip(" ,.")
    return cleaned or raw


@lru_cache(maxsize=200_000)
def organisation_name(text: object) -> str:
    """The folded name of an organisation without its legal form, or ``""`` when ``text``
    reads as a person's name (see module doc)."""
    raw = str(text or "").strip()
    if not raw:
        return ""
    tokens = words(raw.replace(".", ""))
    legal = bool(tokens) and tokens[-1] in _LEGAL_FORMS
    stripped = tokens[:-1] if legal and len(tokens) > 1 else tokens
    ending = raw.lower().replace(".", "").split()[-1:]
    cleaned = words(basename(raw)) if set(ending) & _legal_term_endings() else []
    # cleanco removed a legal form only when words are left and fewer than before
    cleanco_form = bool(cleaned) and len(cleaned) < len(words(raw))
    if legal or cleanco_form or set(tokens) & _ORGANISATION_WORDS:
        base = words(basename(" ".join(stripped))) if cleaned or legal else stripped
        named = [t for t in base if t not in _ACCOUNT_MARKERS]
        return " ".join(named or stripped)
    return ""


@lru_cache(maxsize=1)
def _namer() -> NickNamer:
    return NickNamer()


@lru_cache(maxsize=1)
def known_given_names() -> frozenset[str]:
    """Given names the nickname tables know (English ``nicknames``, the Spanish table)."""
    namer = _namer()
    return frozenset(
        set(namer.nickname_lookup) | set(namer.canonical_lookup) | set(NICKNAMES)
        | set(NICKNAMES.values())
    )  # fmt: skip


def personal_name_marks(frame: pd.DataFrame, is_customer: pd.Series) -> list[str]:
    """Per record, ``"1"`` when its name reads as a person's name, ``""`` when it does
    not (a pseudonym such as "Nomad Vinyl", or no name). A CRM row's name columns are
    names; a profile's name is one when a token of its given name is a given name the
    CRM rows or the nickname tables use, or a token of its surnames is a CRM surname. The
    CRM is the gazetteer: it holds the names this customer's people actually have."""
    crm = frame[is_customer]
    givens = set(known_given_names())
    for column in ("given", "raw_given"):
        givens.update(token for value in crm[column] for token in str(value).split())
    surnames = {token for value in crm["surnames"] for token in str(value).split()}
    marks = []
    for customer, given, raw, family in zip(
        is_customer, frame["given"], frame["raw_given"], frame["surnames"], strict=True
    ):
        tokens = set(f"{given} {raw}".split())
        named = customer or bool(tokens & givens) or bool(set(str(family).split()) & surnames)
        marks.append("1" if named and (given or raw or family) else "")
    return marks


@lru_cache(maxsize=200_000)
def related_given_names(a: str, b: str) -> bool:
    """Whether two folded given names are forms of one name: one a nickname of the other
    or both of one formal name (English table of ``nicknames``; the Spanish one of
    ``normalise``)."""
    if not a or not b or a == b:
        return bool(a) and a == b
    if NICKNAMES.get(a, a) == NICKNAMES.get(b, b):
        return True
    namer = _namer()
    forms_a = namer.nicknames_of(a) | namer.canonicals_of(a) | {a}
    forms_b = namer.nicknames_of(b) | namer.canonicals_of(b) | {b}
    return b in forms_a or a in forms_b or bool(namer.canonicals_of(a) & namer.canonicals_of(b))


# shorter words are initials or fragments; a typo in them is as likely a different name
_MIN_CORRECTED = 4
_LETTERS = re.compile(r"[^a-z]")


def _differ_at_end(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ only in their last letter (Mario/Maria) or by one
    added at the end (Daniel/Daniela): another name as often as a typo."""
    shorter = min(len(a), len(b))
    return a[: shorter - 1] == b[: shorter - 1]


def spelled_as_in_email(text: str, email_local: str) -> str:
    """``text`` (a name column) with each word that is one edit from a run of letters of
    ``email_local`` replaced by that run (see module doc). Known given names stay as they
    are, as do words the address already contains and words it writes with another end
    (``Mario`` with ``maria.lopez@…``: the row may give someone else's address); the
    result is folded."""
    letters = _LETTERS.sub("", fold(email_local))
    tokens = words(text)
    if len(letters) < _MIN_CORRECTED or not tokens:
        return text
    known = known_given_names()
    out = []
    for token in tokens:
        if len(token) < _MIN_CORRECTED or token in letters or token in known:
            out.append(token)
            continue
        # one edit away, the same length first (a letter typed for another)
        for size in (len(token), len(token) - 1, len(token) + 1):
            runs = {letters[start : start + size] for start in range(len(letters) - size + 1)}
            found = [
                r
                for r in runs
                if not _differ_at_end(token, r)
                and Levenshtein.distance(token, r, score_cutoff=1) <= 1
            ]
            if found:
                break
        out.append(found[0] if len(found) == 1 else token)
    return " ".join(out)
