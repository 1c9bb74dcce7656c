"""Schema and housekeeping operations on the graph (thin: statements live in srm.cypher)."""

from __future__ import annotations

from neo4j import Driver, Query

from srm.cypher import admin, schema
from srm.store import read, translate_errors

__all__ = ["counts", "init_schema", "ping", "wipe"]


def init_schema(driver: Driver, *, database: str | None = None, timeout_s: int = 300) -> int:
    """Create every constraint and index (idempotent) and wait until they are online.

    Returns the number of schema statements applied.
    """
    with translate_errors(), driver.session(database=database) as session:
        for statement in schema.SCHEMA_STATEMENTS:
            session.run(Query(statement)).consume()
        session.run(Query(admin.WAIT_FOR_INDEXES), timeout_s=timeout_s).consume()
    return len(schema.SCHEMA_STATEMENTS)


def wipe(driver: Driver, *, database: str | None = None) -> None:
    """Delete every node and relationship (schema stays). Runs in batches."""
    with translate_errors(), driver.session(database=database) as session:
        session.run(Query(admin.WIPE_ALL)).consume()


def counts(driver: Driver, *, database: str | None = None) -> dict[str, int]:
    """Node counts per label and relationship counts per type (keys ``:Label``, ``[TYPE]``)."""
    nodes = read(driver, admin.COUNT_BY_LABEL, database=database)
    relationships = read(driver, admin.COUNT_RELATIONSHIPS_BY_TYPE, database=database)
    result = {f":{row['label']}": int(row["count"]) for row in nodes}
    result.update({f"[{row['type']}]": int(row["count"]) for row in relationships})
    return result


def ping(driver: Driver, *, database: str | None = None) -> bool:
    """True when Neo4j answers a real query."""
    return bool(read(driver, admin.PING, database=database)[0]["ok"] == 1)
