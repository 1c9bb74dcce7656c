"""Erasure (GDPR art. 17): delete a person's records and everything derived from them.

:func:`erase` runs in one managed transaction (all or nothing):

1. find the records — a customer, a profile, or every record ``PART_OF`` a person;
2. reduce what others said about them to anonymous counts: mentions
   (``erased_mention_count`` on the mentioning post and on ``MENTIONED`` sources), replies,
   quotes and reposts of their posts (``erased_reference_count``), and ``@handle`` in other
   posts' texts replaced by ``@[erased]``;
3. delete their posts and the records with every relationship (``SAME_AS`` evidence,
   ``CLAIMS``, ``FOLLOWS``, ``PART_OF``, community membership ``IN``); scores are
   properties of the records and go with them;
4. person clusters: a person left without records is deleted; one that keeps records is
   scrubbed of property values holding an erased key (re-clustering the remaining records
   is the identity resolution's next run — see :data:`RECLUSTER_NOTE`);
5. add a :class:`~srm.operations.suppression` hash per key and an ``ErasureAudit {at, by, kind}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from neo4j import Driver, ManagedTransaction

from srm.cypher import privacy
from srm.errors import NotFoundError, ValidationError
from srm.operations.suppression import (
    ERASED_MARK,
    customer_keys,
    key_hash,
    profile_keys,
    suppression_salt,
)
from srm.settings import Settings
from srm.store import translate_errors

__all__ = ["RECLUSTER_NOTE", "ErasureResult", "erase", "erased_values"]

Kind = Literal["customer", "profile", "person"]
RECLUSTER_NOTE = (
    "records that stay in a person cluster keep their PART_OF; run identity resolution "
    "again to re-cluster them without the erased record"
)


@dataclass(frozen=True)
class ErasureResult:
    """What one erasure removed (counts only: no personal data)."""

    kind: str
    customers: int
    profiles: int
    posts: int
    persons_deleted: int
    persons_kept: int
    anonymised_mentions: int
    redacted_texts: int
    suppression_keys: int

    def summary(self) -> str:
        return (
            f"Erased {self.customers} customer(s), {self.profiles} profile(s), "
            f"{self.posts} post(s), {self.persons_deleted} person cluster(s); "
            f"{self.anonymised_mentions} mention(s) made anonymous, {self.redacted_texts} "
            f"text(s) redacted, {self.suppression_keys} key(s) suppressed."
        )


def _records(tx: ManagedTransaction, kind: Kind, identifier: str) -> list[dict[str, Any]]:
    statement = {
        "customer": privacy.FIND_CUSTOMER,
        "profile": privacy.FIND_PROFILE,
        "person": privacy.FIND_PERSON_MEMBERS,
    }[kind]
    return [record.data() for record in tx.run(statement, id=identifier)]


def erased_values(records: list[dict[str, Any]]) -> list[str]:
    """The identifying strings of ``records`` that must vanish from the graph."""
    values: set[str] = set()
    for record in records:
        properties = record["properties"] or {}
        names = ("customer_id", "email", "phone", "profile_key", "native_id", "handle")
        values.update(str(properties[name]) for name in names if properties.get(name))
    return sorted(value for value in values if len(value) >= 3)


def _holds(value: Any, needles: list[str]) -> bool:
    if isinstance(value, str):
        lowered = value.lower()
        return any(needle.lower() in lowered for needle in needles)
    if isinstance(value, list):
        return any(_holds(item, needles) for item in value)
    return False


def _redact_handles(tx: ManagedTransaction, handles: list[str]) -> int:
    needles = sorted({"@" + handle.lower().lstrip("@") for handle in handles})
    if not needles:
        return 0
    pattern = re.compile(
        "|".join(re.escape(needle) + r"(?![\w])" for needle in needles), re.IGNORECASE
    )
    rows = []
    for record in tx.run(privacy.POSTS_CONTAINING, needles=needles):
        redacted = pattern.sub("@" + ERASED_MARK, record["text"])
        if redacted != record["text"]:
            rows.append({"post_key": record["post_key"], "text": redacted})
    if rows:
        tx.run(privacy.SET_POST_TEXTS, rows=rows).consume()
    return len(rows)


def _scrub_persons(tx: ManagedTransaction, person_ids: list[str], needles: list[str]) -> None:
    rows = []
    for record in tx.run(privacy.PERSON_PROPERTIES, person_ids=person_ids):
        properties = record["properties"]
        kept = {name: value for name, value in properties.items() if not _holds(value, needles)}
        if kept != properties:
            rows.append({"person_id": record["person_id"], "properties": kept})
    if rows:
        tx.run(privacy.REPLACE_PERSON_PROPERTIES, rows=rows).consume()


def _single(tx: ManagedTransaction, statement: str, **parameters: Any) -> int:
    record = tx.run(statement, parameters).single()
    return int(next(iter(record.values()))) if record else 0


def erase(
    driver: Driver,
    settings: Settings,
    kind: Kind,
    identifier: str,
    *,
    by: str = "cli",
    database: str | None = None,
) -> ErasureResult:
    """Erase the customer, profile (``platform:id``) or person ``identifier``.

    Raises :class:`NotFoundError` when nothing has that key (nothing is changed then) and
    :class:`ValidationError` for an unknown ``kind``. ``by`` names who asked (a role or an
    operator), kept in the audit node with the time and the kind, never the key.
    """
    if kind not in ("customer", "profile", "person"):
        raise ValidationError(f"Unknown erasure kind '{kind}'; use customer, profile or person.")
    salt = suppression_salt(settings)

    def work(tx: ManagedTransaction) -> ErasureResult:
        found = _records(tx, kind, identifier)
        if not found:
            raise NotFoundError(
                f"No {kind} with that id. Check the id ({kind} ids are "
                f"{'platform:native_id' if kind == 'profile' else 'the record keys'}) and retry."
            )
        records = [record for record in found if record["key"]]
        customer_ids = [r["key"] for r in records if r["label"] == "Customer"]
        profile_key_list = [r["key"] for r in records if r["label"] == "Profile"]
        keys = {"customer_ids": customer_ids, "profile_keys": profile_key_list}
        person_ids = [record["person_id"] for record in tx.run(privacy.PERSONS_OF_RECORDS, keys)]
        if kind == "person":
            person_ids = sorted({*person_ids, identifier})
        mentions = _single(tx, privacy.ANONYMISE_MENTIONS, **keys)
        mentions += _single(tx, privacy.ANONYMISE_MENTIONED, **keys)
        _single(tx, privacy.ANONYMISE_POST_REFERENCES, **keys)
        handles = [
            str(r["properties"]["handle"])
            for r in records
            if r["label"] == "Profile" and r["properties"].get("handle")
        ]
        redacted = _redact_handles(tx, handles)
        posts = _single(tx, privacy.DELETE_AUTHORED_POSTS, **keys)
        customers = _single(tx, privacy.DELETE_CUSTOMERS, **keys)
        profiles = _single(tx, privacy.DELETE_PROFILES, **keys)
        record_ids = [f"customer:{c}" for c in customer_ids]
        record_ids += [f"profile:{p}" for p in profile_key_list]
        tx.run(privacy.DELETE_REVIEW_DECISIONS, record_ids=record_ids).consume()
        if kind == "person":
            persons_deleted = _single(tx, privacy.DELETE_PERSONS, person_ids=person_ids)
        else:
            persons_deleted = _single(tx, privacy.DELETE_EMPTY_PERSONS, person_ids=person_ids)
            _scrub_persons(tx, person_ids, erased_values(records))
        hashes = set()
        for record in records:
            extract = customer_keys if record["label"] == "Customer" else profile_keys
            for key_kind, value in extract(record["properties"]):
                digest = key_hash(salt, key_kind, value)
                if digest:
                    hashes.add(digest)
        tx.run(privacy.MERGE_SUPPRESSIONS, rows=[{"key_hash": h} for h in sorted(hashes)]).consume()
        tx.run(privacy.CREATE_AUDIT, by=by, kind=kind, records=len(records)).consume()
        return ErasureResult(
            kind=kind,
            customers=customers,
            profiles=profiles,
            posts=posts,
            persons_deleted=persons_deleted,
            persons_kept=len(person_ids) - persons_deleted,
            anonymised_mentions=mentions,
            redacted_texts=redacted,
            suppression_keys=len(hashes),
        )

    with translate_errors(), driver.session(database=database) as session:
        return session.execute_write(work)
