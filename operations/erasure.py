"""Erasure (GDPR art. 17): delete a person's records and everything derived from them.

:func:`erase` finds the records — a customer, a profile, or every record ``PART_OF`` a
person — and walks :data:`srm.operations.registry.REGISTRY`, the list of every place a
record's identifiers can be copied to:

1. the profiles' ``FOLLOWS`` first, 1,000 a transaction (a hub's millions of followers fit
   no single transaction; a failure after this step leaves the records without follows,
   and running the erasure again finishes it);
2. in one managed transaction (all or nothing), the graph places: what others said about
   them becomes anonymous counts (mentions, replies/quotes/reposts of their posts,
   ``@handle`` in others' texts → ``@[erased]``); their posts and the records go with every
   relationship; person clusters are deleted or scrubbed (re-clustering the remaining
   records is the identity resolution's next run — see :data:`RECLUSTER_NOTE`); derived
   data (influence explanations, algorithm-run parameters, community summaries, review
   decisions) loses their ids; a :mod:`~srm.operations.suppression` hash per key (records, posts,
   persons) and an ``ErasureAudit {at, by, kind}`` are added;
3. after commit, a person that kept other records is rescored from its remaining accounts
   (:func:`srm.graph.person_writeback.rescore_persons`);
4. after commit, the file places (maps, exports, quarantine files) and the suppression
   ledger on disk, which a restore of an older backup replays.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from neo4j import Driver, ManagedTransaction

from srm.cypher import erasure_places as places
from srm.cypher import privacy
from srm.errors import NotFoundError, ValidationError
from srm.graph.person_writeback import rescore_persons
from srm.operations import ledger
from srm.operations.erased import ErasedIds
from srm.operations.registry import FILE_PLACES, GRAPH_PLACES
from srm.operations.suppression import customer_keys, key_hash, profile_keys, suppression_salt
from srm.settings import Settings
from srm.store import read, translate_errors, write_in_transactions

__all__ = ["RECLUSTER_NOTE", "ErasureResult", "erase", "erase_keys"]

Kind = Literal["customer", "profile", "person"]
RECLUSTER_NOTE = (
    "records that stay in a person cluster keep their PART_OF; run identity resolution "
    "again to re-cluster them without the erased record"
)
# Registry places whose counts are reported together as derived data scrubbed.
DERIVED = ("influence explanations", "algorithm runs", "community summaries", "review decisions")


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
    derived: int = 0
    files: int = 0

    def summary(self) -> str:
        return (
            f"Erased {self.customers} customer(s), {self.profiles} profile(s), "
            f"{self.posts} post(s), {self.persons_deleted} person cluster(s); "
            f"{self.anonymised_mentions} mention(s) made anonymous, {self.redacted_texts} "
            f"text(s) redacted, {self.derived} derived record(s) and {self.files} file(s) "
            f"scrubbed, {self.suppression_keys} key(s) suppressed."
        )


_FIND = {
    "customer": privacy.FIND_CUSTOMER,
    "profile": privacy.FIND_PROFILE,
    "person": privacy.FIND_PERSON_MEMBERS,
}


def _records(tx: ManagedTransaction, kind: Kind, identifier: str) -> list[dict[str, Any]]:
    return [record.data() for record in tx.run(_FIND[kind], id=identifier)]


def _delete_follows(driver: Driver, records: list[dict[str, Any]], database: str | None) -> None:
    """Step 1 of the module doc: the profiles' follows, in bounded transactions."""
    profile_keys = [r["key"] for r in records if r["label"] == "Profile" and r["key"]]
    if profile_keys:
        write_in_transactions(
            driver, privacy.DELETE_FOLLOWS_OF_PROFILES, database=database, profile_keys=profile_keys
        )


def _suppression_hashes(salt: str, records: list[dict[str, Any]], erased: ErasedIds) -> set[str]:
    """Hashes of every key a later ingest or restore must recognise: the records' keys,
    the erased posts (references to them then resolve to nothing), the erased persons, and
    a Mastodon user name (so ``@user``, the short form of ``@user@instance``, is redacted)."""
    keys: list[tuple[str, str]] = []
    for record in records:
        extract = customer_keys if record["label"] == "Customer" else profile_keys
        keys += extract(record["properties"])
    keys += [("post", key) for key in erased.post_keys]
    keys += [("person", person_id) for person_id in erased.person_ids]
    keys += [
        ("mastodon_user", handle.partition("@")[0].lower())
        for platform, handle in erased.handles
        if platform == "mastodon" and "@" in handle
    ]
    return {digest for kind, value in keys if (digest := key_hash(salt, kind, value))}


def _erase_in(
    tx: ManagedTransaction,
    salt: str,
    kind: str,
    records: list[dict[str, Any]],
    person_ids: list[str],
    by: str,
) -> tuple[ErasureResult, ErasedIds, set[str]]:
    """Walk the graph places of the registry for ``records`` and the persons ``person_ids``."""
    customer_ids = [r["key"] for r in records if r["label"] == "Customer"]
    profile_key_list = [r["key"] for r in records if r["label"] == "Profile"]
    keys = {"customer_ids": customer_ids, "profile_keys": profile_key_list}
    clusters = []
    for row in tx.run(places.PERSONS_OF_ERASED, keys):
        clusters.append(row["person_id"])
        if row["emptied"]:
            person_ids = [*person_ids, row["person_id"]]
    posts = [row["key"] for row in tx.run(places.AUTHORED_POST_KEYS, keys)]
    erased = ErasedIds.of(records, person_ids, posts, clusters)
    done = {place.name: place.scrub(tx, erased) for place in GRAPH_PLACES if place.scrub}
    hashes = _suppression_hashes(salt, records, erased)
    tx.run(privacy.MERGE_SUPPRESSIONS, rows=[{"key_hash": h} for h in sorted(hashes)]).consume()
    tx.run(privacy.CREATE_AUDIT, by=by, kind=kind, records=len(records)).consume()
    result = ErasureResult(
        kind=kind,
        customers=len(customer_ids),
        profiles=len(profile_key_list),
        posts=done["authored posts"],
        persons_deleted=done["person clusters"],
        persons_kept=len(erased.clusters) - done["person clusters"],
        anonymised_mentions=done["mentions"],
        redacted_texts=done["handles in others' texts"],
        suppression_keys=len(hashes),
        derived=sum(done[name] for name in DERIVED),
    )
    return result, erased, hashes


def _after_commit(
    settings: Settings, result: ErasureResult, erased: ErasedIds, hashes: set[str]
) -> ErasureResult:
    """The file places of the registry, and the suppression ledger a restore replays."""
    ledger.append(settings, hashes)
    files = sum(place.scrub_files(settings, erased) for place in FILE_PLACES if place.scrub_files)
    return replace(result, files=files)


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
    found = read(driver, _FIND[kind], database=database, id=identifier)
    if not found:
        raise NotFoundError(
            f"No {kind} with that id. Check the id ({kind} ids are "
            f"{'platform:native_id' if kind == 'profile' else 'the record keys'}) and retry."
        )
    _delete_follows(driver, found, database)

    def work(tx: ManagedTransaction) -> tuple[ErasureResult, ErasedIds, set[str]]:
        found = _records(tx, kind, identifier)
        if not found:
            raise NotFoundError(f"The {kind} was erased or changed meanwhile; nothing more to do.")
        records = [record for record in found if record["key"]]
        return _erase_in(tx, salt, kind, records, [identifier] if kind == "person" else [], by)

    with translate_errors(), driver.session(database=database) as session:
        outcome = session.execute_write(work)
    rescore_persons(driver, outcome[1].clusters, database=database)
    return _after_commit(settings, *outcome)


def erase_keys(
    driver: Driver,
    settings: Settings,
    *,
    customer_ids: list[str],
    profile_keys: list[str],
    person_ids: list[str],
    by: str,
    database: str | None = None,
) -> ErasureResult | None:
    """Erase the records with these keys, and these persons with their records, as
    :func:`erase` does; None when none of them is in the graph. A restore replays the
    suppression list with it."""
    salt = suppression_salt(settings)
    keys = {"customer_ids": customer_ids, "profile_keys": profile_keys, "person_ids": person_ids}
    _delete_follows(driver, read(driver, privacy.FIND_RECORDS, database=database, **keys), database)

    def work(tx: ManagedTransaction) -> tuple[ErasureResult, ErasedIds, set[str]] | None:
        found = tx.run(privacy.FIND_RECORDS, keys)
        records = [record.data() for record in found]
        persons = [r["person_id"] for r in tx.run(privacy.FIND_PERSONS, person_ids=person_ids)]
        if not records and not persons:
            return None
        return _erase_in(tx, salt, "replay", records, persons, by)

    with translate_errors(), driver.session(database=database) as session:
        outcome = session.execute_write(work)
    if outcome is None:
        return None
    rescore_persons(driver, outcome[1].clusters, database=database)
    return _after_commit(settings, *outcome)
