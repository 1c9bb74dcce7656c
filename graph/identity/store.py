"""Identity resolution ↔ Neo4j: read records and decisions, write SAME_AS and PART_OF.

Thin: statements live in :mod:`srm.cypher.identity`; this module turns record ids
(``customer:<id>``, ``profile:<platform>:<id>``) into the kind/key rows they take.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from neo4j import Driver

from srm.cypher import identity as q
from srm.errors import NotFoundError, ValidationError
from srm.graph.identity.records import RecordPairs
from srm.store import batched, read, read_pages, write, write_batches, write_in_transactions

# Records per page when reading customers, profiles and each profile's follows and mentions
# (see load_graph_inputs).
PAGE_PROFILES = 10_000

# Rows taken from a stream at once, in batches, to be grouped by the kinds of their ends:
# millions of SAME_AS or PART_OF rows (a dict and an evidence text each) are never all held.
WINDOW_BATCHES = 20

__all__ = [
    "load_decisions",
    "load_graph_inputs",
    "load_persons",
    "pair_row",
    "read_pair",
    "record_key",
    "set_decisions",
    "write_part_of",
    "write_same_as",
]


def record_key(record_id: str) -> tuple[str, str]:
    """``customer:C1`` → (customer, C1); ``profile:x:42`` → (profile, x:42)."""
    kind, _, key = record_id.partition(":")
    if kind not in ("customer", "profile") or not key:
        raise ValidationError(
            f"record id {record_id!r} is not 'customer:<customer_id>' or "
            "'profile:<platform>:<profile_id>'."
        )
    return kind, key


def pair_row(a: str, b: str, **extra: Any) -> dict[str, Any]:
    """The row of a pair, its ends in canonical order (smaller record id first), so a
    link between two records always has one direction."""
    a, b = sorted((a, b))
    a_kind, a_key = record_key(a)
    b_kind, b_key = record_key(b)
    return {"a_kind": a_kind, "a_key": a_key, "b_kind": b_kind, "b_key": b_key, **extra}


def _by_kinds(rows: Iterable[dict[str, Any]], *fields: str) -> dict[Any, list[dict[str, Any]]]:
    groups: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        kinds = tuple(row[f] for f in fields)
        groups.setdefault(kinds if len(kinds) > 1 else kinds[0], []).append(row)
    return groups


def _write_by_kinds(
    driver: Driver,
    statements: dict[Any, str],
    rows: Iterable[dict[str, Any]],
    fields: tuple[str, ...],
    *,
    batch_size: int,
    database: str | None,
) -> int:
    """Write a stream of ``rows``, each with the statement of its kinds (``fields``), a
    window of :data:`WINDOW_BATCHES` batches at a time."""
    written = 0
    for window in batched(rows, batch_size * WINDOW_BATCHES):
        for kinds, group in _by_kinds(window, *fields).items():
            written += write_batches(
                driver, statements[kinds], group, batch_size=batch_size, database=database
            )
    return written


def read_pair(driver: Driver, a: str, b: str, database: str | None = None) -> dict[str, Any] | None:
    """The SAME_AS link between records ``a`` and ``b`` (its properties), or None."""
    row = pair_row(a, b)
    statement = q.READ_SAME_AS[(row["a_kind"], row["b_kind"])]
    found = read(driver, statement, database=database, rows=[row])
    return found[0] if found else None


def load_graph_inputs(driver: Driver, database: str | None = None) -> dict[str, Any]:
    """Customers and profiles (streams of property dicts, read a page at a time in key
    order as they are consumed), follow and mention record-id pairs
    (:class:`~srm.graph.identity.records.RecordPairs`)."""

    def pairs(statement: str) -> RecordPairs:
        found = RecordPairs()
        for row in read_pages(driver, statement, page_size=PAGE_PROFILES, database=database):
            source = f"profile:{row['key']}"
            for target in row["targets"]:
                found.add(source, f"profile:{target}")
        return found

    return {
        "customers": read_pages(
            driver, q.LOAD_CUSTOMERS, page_size=PAGE_PROFILES, database=database
        ),
        "profiles": read_pages(driver, q.LOAD_PROFILES, page_size=PAGE_PROFILES, database=database),
        "follows": pairs(q.LOAD_FOLLOWS_PAGES),
        "mentions": pairs(q.LOAD_MENTIONS_PAGES),
    }


def load_decisions(driver: Driver, database: str | None = None) -> dict[str, list[tuple[str, str]]]:
    """Reviewed pairs: ``{"accepted": [...], "rejected": [...]}``."""
    found: dict[str, list[tuple[str, str]]] = {"accepted": [], "rejected": []}
    for row in read(driver, q.LOAD_DECISIONS, database=database):
        found[row["status"]].append((row["a"], row["b"]))
    return found


def load_persons(driver: Driver, database: str | None = None) -> dict[str, str]:
    """record id → person id of the last run."""
    rows = read(driver, q.LOAD_PERSONS, database=database)
    return {row["record_id"]: row["person_id"] for row in rows}


def write_same_as(
    driver: Driver, rows: Iterable[dict[str, Any]], *, batch_size: int, database: str | None = None
) -> int:
    """Replace the candidate SAME_AS links (reviewed ones keep their status). ``rows`` may
    be a stream: it is read a window at a time."""
    write_in_transactions(driver, q.DELETE_CANDIDATES, database=database)
    return _write_by_kinds(
        driver, q.WRITE_SAME_AS, rows, ("a_kind", "b_kind"), batch_size=batch_size,
        database=database,
    )  # fmt: skip


def write_part_of(
    driver: Driver, rows: Iterable[dict[str, Any]], *, batch_size: int, database: str | None = None
) -> int:
    """PART_OF from each record to its Person (``rows`` may be a stream); persons left
    empty are deleted."""
    written = _write_by_kinds(
        driver, q.WRITE_PART_OF, rows, ("kind",), batch_size=batch_size, database=database
    )
    write_in_transactions(driver, q.DELETE_EMPTY_PERSONS, database=database)
    return written


def set_decisions(
    driver: Driver,
    pairs: Iterable[tuple[str, str]],
    status: str,
    reviewer: str,
    database: str | None = None,
) -> int:
    """Mark pairs ``accepted`` or ``rejected`` by ``reviewer`` (now)."""
    rows = [pair_row(a, b, status=status, reviewed_by=reviewer) for a, b in pairs]
    if not rows:
        return 0
    updated = 0
    for kinds, group in _by_kinds(rows, "a_kind", "b_kind").items():
        result = write(driver, q.SET_DECISION[kinds], database=database, rows=group)
        updated += sum(int(row["updated"]) for row in result)
    if updated < len(rows):
        raise NotFoundError(
            "A record of the pair does not exist; check both record ids "
            "(customer:<customer_id> or profile:<platform>:<profile_id>)."
        )
    return updated
