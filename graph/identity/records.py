"""CRM customers and social profiles as one frame of normalised features (stage 1 output).

Every record gets the same columns, whatever its source, so blocking and comparisons
treat a customer and a profile alike: ``record_id`` (``customer:<customer_id>`` or
``profile:<platform>:<profile_id>``), ``source``, ``platform``, the parsed name
(``given``, ``initial``, ``surnames``), handle features, e-mail, E.164 phone, city,
employer, web domains, what a bio names (``@handles`` and e-mails) and its words. Empty string means
missing. A profile whose display name lacks a given name or surname borrows them from its
handle's tokens (``pacogarcia_13`` → ``francisco``, ``garcia``).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np
import pandas as pd

from srm.graph.identity import normalise as norm
from srm.graph.identity.names import clean_display_name, organisation_name, spelled_as_in_email
from srm.graph.identity.places import Place, resolve_place
from srm.graph.identity.references import account_key, deobfuscate_emails, text_references

__all__ = [
    "RECORD_COLUMNS",
    "RecordPairs",
    "customer_record_id",
    "profile_record_id",
    "social_records",
]

RECORD_COLUMNS = (
    "record_id", "source", "platform", "given", "initial", "raw_given", "surnames",
    "surname1", "handle", "handle_tokens", "handle_numbers", "claimed", "email",
    "email_local", "email_domain", "email_corporate", "phone", "city", "company",
    "domains", "bio_handles", "bio_emails", "bio_words", "display", "account_self",
    "account_refs", "url_keys", "organisation", "place_country", "place_latitude",
    "place_longitude",
)  # fmt: skip

_KNOWN_GIVEN = frozenset(norm.NICKNAMES) | frozenset(norm.NICKNAMES.values())


class RecordPairs:
    """Pairs of record ids (a follow, a mention) held as numbers: each record id is kept
    once, in :attr:`ids`, and each pair as two int32 positions in it — eight bytes a pair,
    where a tuple of two id strings costs about two hundred. Millions of follows then take
    megabytes, not gigabytes. Iterating gives the ``(id, id)`` tuples."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self._number: dict[str, int] = {}
        self._ends = array("i")

    def add(self, a: str, b: str) -> None:
        for record_id in (a, b):
            found = self._number.get(record_id)
            if found is None:
                found = self._number[record_id] = len(self.ids)
                self.ids.append(record_id)
            self._ends.append(found)

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> RecordPairs:
        made = cls()
        for a, b in pairs:
            made.add(a, b)
        return made

    @property
    def pairs(self) -> np.ndarray:
        """The pairs as an (m, 2) array of positions in :attr:`ids` (a copy: more pairs can
        still be added)."""
        return np.frombuffer(self._ends, dtype=np.int32).reshape(-1, 2).copy()

    def __len__(self) -> int:
        return len(self._ends) // 2

    def __iter__(self) -> Iterator[tuple[str, str]]:
        ids = self.ids
        for a, b in self.pairs.tolist():
            yield ids[a], ids[b]


def customer_record_id(customer_id: object) -> str:
    return f"customer:{customer_id}"


def profile_record_id(platform: object, profile_id: object) -> str:
    return f"profile:{platform}:{profile_id}"


def _text(row: Mapping[str, Any], key: str) -> str:
    value = row.get(key)
    return "" if value is None else str(value)


def _customer(row: Mapping[str, Any], region: str) -> dict[str, Any]:
    full = f"{_text(row, 'first_name')} {_text(row, 'last_name')}".strip()
    organisation = organisation_name(full)
    email = norm.parse_email(row.get("email"))
    name = (
        norm.PersonName()
        if organisation
        else norm.parse_name(
            spelled_as_in_email(
                clean_display_name(_text(row, "first_name"), part=True), email.local
            ),
            spelled_as_in_email(
                clean_display_name(_text(row, "last_name"), part=True), email.local
            ),
        )
    )
    claimed = norm.handle_stem(row.get("twitter_handle"))
    return {
        "account_self": [],
        "account_refs": [account_key("x", claimed)] if claimed else [],
        "url_keys": [],
        "organisation": organisation,
        "place": resolve_place(row.get("city"), (region.upper(),)),
        "record_id": customer_record_id(row["customer_id"]),
        "source": "customer",
        "platform": "",
        "name": name,
        "handle": "",
        "claimed": claimed,
        "email": email,
        "phone": norm.phone_e164(row.get("phone"), region),
        "company": " ".join(norm.words(row.get("company"))),
        "domains": [] if email.free or not email.domain else [email.domain],
        "bio": "",
        "display": f"{_text(row, 'first_name')} {_text(row, 'last_name')}".strip(),
    }


def _profile(row: Mapping[str, Any], region: str) -> dict[str, Any]:
    platform = _text(row, "platform")
    native = _text(row, "profile_id") or _text(row, "native_id")
    if not native and row.get("profile_key"):
        platform, _, native = _text(row, "profile_key").partition(":")
    bio = deobfuscate_emails(_text(row, "bio"))
    bio_emails = norm.text_emails(bio)
    in_bio, in_url = text_references(bio), text_references(_text(row, "url"), url_field=True)
    credited = {key.partition(":")[2] for key in in_bio.credited}
    display = _text(row, "display_name")
    organisation = organisation_name(display)
    return {
        "account_self": [account_key(platform, row.get("handle"))],
        "account_refs": list(dict.fromkeys(in_url.own + in_bio.own)),
        "url_keys": list(dict.fromkeys(in_url.urls + in_bio.urls)),
        "organisation": organisation,
        "place": resolve_place(row.get("location"), (region.upper(),)),
        "bio_handles": [h for h in norm.text_handles(bio) if h not in credited],
        "record_id": profile_record_id(platform, native),
        "source": "profile",
        "platform": platform,
        "name": norm.PersonName()
        if organisation
        else norm.parse_name(full=clean_display_name(display)),
        "handle": norm.handle_stem(row.get("handle")),
        "claimed": "",
        "email": norm.parse_email(bio_emails[0]) if bio_emails else norm.EmailParts(),
        "phone": "",
        "company": "",
        "domains": norm.url_domains(row.get("url"), bio),
        "bio": bio,
        "display": _text(row, "display_name") or _text(row, "handle"),
    }


def _from_handle(
    handle: str, name: norm.PersonName, vocabulary: set[str], surnames: set[str]
) -> tuple[norm.PersonName, list[str]]:
    """The handle's tokens, and ``name`` with what it lacks borrowed from them."""
    tokens = norm.handle_tokens(handle, vocabulary) if handle else []
    given, initial, found = name.given, name.initial, list(name.surnames)
    if not given:
        known = [t for t in tokens if t in _KNOWN_GIVEN]
        if known:
            given = norm.canonical_given(known[0])
            initial = initial or given[:1]
    if not found:
        found = [t for t in tokens if t in surnames and t != given]
    if not initial and tokens and len(tokens[0]) == 1:
        initial = tokens[0]
    return norm.PersonName(given, initial, tuple(found), name.raw_given), tokens


# Columns whose values repeat across records (a few hundred cities, given names, platforms):
# each distinct value is held as one string object, not one per record.
_REPEATED = frozenset({
    "source", "platform", "given", "initial", "raw_given", "surname1", "email_domain",
    "email_corporate", "city", "company", "organisation", "place_country",
})  # fmt: skip


def _pending(entry: dict[str, Any]) -> tuple[Any, ...]:
    """An entry cut down to what its row needs (the parsed name and handle still open:
    they wait for every record's names, :func:`_from_handle`)."""
    email: norm.EmailParts = entry["email"]
    place: Place = entry["place"]
    return (
        entry["record_id"], entry["source"], entry["platform"], entry["name"],
        entry["handle"], entry["claimed"], email, entry["phone"], place, entry["company"],
        " ".join(entry["domains"]), " ".join(entry.get("bio_handles", ())),
        " ".join(norm.text_emails(entry["bio"])), " ".join(norm.words(entry["bio"])),
        entry["display"], " ".join(entry["account_self"]), " ".join(entry["account_refs"]),
        " ".join(entry["url_keys"]), entry["organisation"],
    )  # fmt: skip


def _row(pending: tuple[Any, ...], vocabulary: set[str], surnames: set[str]) -> tuple[Any, ...]:
    (record_id, source, platform, name, handle, claimed, email, phone, place, company,
     domains, bio_handles, bio_emails, bio_words, display, account_self, account_refs,
     url_keys, organisation) = pending  # fmt: skip
    name, tokens = _from_handle(handle, name, vocabulary, surnames)
    return (
        record_id, source, platform, name.given, name.initial, name.raw_given,
        " ".join(name.surnames), name.surnames[0] if name.surnames else "", handle,
        " ".join(tokens), " ".join(t for t in tokens if t.isdigit()), claimed, email.email,
        email.local, email.domain, "" if email.free or not email.domain else email.domain,
        phone, place.name, company, domains, bio_handles, bio_emails, bio_words, display,
        account_self, account_refs, url_keys, organisation, place.country, place.latitude,
        place.longitude,
    )  # fmt: skip


def social_records(
    customers: Iterable[Mapping[str, Any]],
    profiles: Iterable[Mapping[str, Any]],
    *,
    region: str = "ES",
) -> pd.DataFrame:
    """Normalise customers (canonical bundle / graph properties) and profiles into one
    frame with :data:`RECORD_COLUMNS` (see module doc); ``region`` is the phone default.

    The inputs may be streams: each row is cut down to its values as it is read (no
    entry per record is held), and each row replaces its cut-down form in one list, so
    memory stays near the frame's own (millions of records)."""
    rows = [_pending(_customer(row, region)) for row in customers]
    rows += [_pending(_profile(row, region)) for row in profiles]
    vocabulary = norm.name_vocabulary(pending[3] for pending in rows)
    surnames = {s for pending in rows for s in pending[3].surnames if len(s) > 2}
    for k, pending in enumerate(rows):
        rows[k] = _row(pending, vocabulary, surnames)
    columns = dict(zip(RECORD_COLUMNS, zip(*rows, strict=True), strict=True)) if rows else {}
    del rows
    return pd.DataFrame({name: _column(name, columns.pop(name, ())) for name in RECORD_COLUMNS})


def _column(name: str, values: tuple[Any, ...]) -> np.ndarray:
    if name.startswith("place_l"):
        return np.array(values, dtype=np.float64)
    if name in _REPEATED:
        one: dict[str, str] = {}
        values = tuple(one.setdefault(v, v) for v in values)
    column = np.empty(len(values), dtype=object)
    column[:] = values
    return column
