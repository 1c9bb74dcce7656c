"""Erasures replayed after a restore: a backup taken before an erasure still holds the
person, so :func:`replay_suppressions` erases again every record whose key hashes to an
entry of the suppression list — the restored graph's ``Suppression`` nodes and the
suppression ledger on disk (:mod:`srm.operations.ledger`), which outlives the graph.
"""

from __future__ import annotations

from typing import Any

from neo4j import Driver

from srm.cypher import privacy
from srm.operations import ledger
from srm.operations.erasure import ErasureResult, erase_keys
from srm.operations.suppression import customer_keys, key_hash, profile_keys, suppression_salt
from srm.settings import Settings
from srm.store import read, write

__all__ = ["replay_suppressions"]


def _suppressed(salt: str, hashes: set[str], keys: list[tuple[str, str]]) -> bool:
    return any(key_hash(salt, kind, value) in hashes for kind, value in keys)


def replay_suppressions(
    driver: Driver, settings: Settings, *, database: str | None = None
) -> ErasureResult | None:
    """Erase what the suppression list (graph and ledger) names; None when nothing does.

    The ledger's hashes are added to the graph first, so later ingests skip those people
    too. The replay is audited as ``ErasureAudit {by: 'restore', kind: 'replay'}``.
    """
    on_disk = ledger.hashes(settings)
    in_graph = {
        row["key_hash"] for row in read(driver, privacy.LIST_SUPPRESSIONS, database=database)
    }
    missing = sorted(on_disk - in_graph)
    if missing:
        write(
            driver,
            privacy.MERGE_SUPPRESSIONS,
            database=database,
            rows=[{"key_hash": digest} for digest in missing],
        )
    hashes = on_disk | in_graph
    if not hashes:
        return None
    salt = suppression_salt(settings)
    customer_ids: list[str] = []
    profile_key_list: list[str] = []
    for row in read(driver, privacy.ALL_RECORD_KEYS, database=database):
        properties: dict[str, Any] = row["properties"]
        if row["label"] == "Customer" and _suppressed(salt, hashes, customer_keys(properties)):
            customer_ids.append(row["key"])
        elif row["label"] == "Profile" and _suppressed(salt, hashes, profile_keys(properties)):
            profile_key_list.append(row["key"])
    person_ids = [
        row["person_id"]
        for row in read(driver, privacy.ALL_PERSON_IDS, database=database)
        if _suppressed(salt, hashes, [("person", str(row["person_id"]))])
    ]
    if not (customer_ids or profile_key_list or person_ids):
        return None
    return erase_keys(
        driver,
        settings,
        customer_ids=customer_ids,
        profile_keys=profile_key_list,
        person_ids=person_ids,
        by="restore",
        database=database,
    )
