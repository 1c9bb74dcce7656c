"""Identity decisions (accept, reject, unmerge, undo) with their audit event: who, when, the
records, their persons before and after, and the pair's probability."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from neo4j import Driver

from srm.cypher import audit as statements
from srm.graph.identity import store
from srm.operations.audit import record_decision
from srm.settings import Settings
from srm.store import read

__all__ = ["audited_decision", "audited_undo", "record_persons"]

T = TypeVar("T")


def record_persons(driver: Driver, records: list[str], database: str | None = None) -> list[str]:
    """The person id of each record ("" for a record in no person), in order."""
    rows = []
    for record_id in records:
        kind, key = store.record_key(record_id)
        rows.append({"id": record_id, "kind": kind, "key": key})
    found = {
        row["record_id"]: row["person_id"] or ""
        for row in read(driver, statements.RECORD_PERSONS, database=database, rows=rows)
    }
    return [found.get(record_id, "") for record_id in records]


def audited_decision(
    driver: Driver,
    settings: Settings,
    decision: str,
    by: str,
    records: list[str],
    change: Callable[[], T],
) -> T:
    """Run ``change`` (the decision itself) and append its audit event.

    ``records``: the pair (accept, reject) or the one record taken out (unmerge). The
    pair's probability is read from its SAME_AS link when there is one.
    """
    database = settings.neo4j_database
    before = record_persons(driver, records, database)
    probability = None
    if len(records) == 2:
        link = store.read_pair(driver, records[0], records[1], database)
        probability = link.get("probability") if link else None
    outcome = change()
    after = record_persons(driver, records, database)
    record_decision(settings.audit_path, decision, by, records, before, after, probability)
    return outcome


def audited_undo(
    driver: Driver, settings: Settings, by: str, undo: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """Run ``undo`` (reverting one review decision; it returns that decision) and append an
    ``undo`` audit event with the decision's records and their persons afterwards."""
    found = undo()
    records = [str(found[key]) for key in ("record_a", "record_b") if found.get(key)]
    after = record_persons(driver, records, settings.neo4j_database)
    record_decision(settings.audit_path, "undo", by, records, None, after, None)
    return found
