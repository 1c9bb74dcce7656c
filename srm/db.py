"""Schema and housekeeping operations on the graph (thin: statements live in srm.cypher)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from neo4j import Driver, Query

from srm.cypher import admin, schema
from srm.store import read, translate_errors

__all__ = ["counts", "graph_fingerprint", "init_schema", "ping", "wipe"]


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
    """Delete every node and relationship (schema stays), in bounded transactions.

    Relationships go first, 5,000 a transaction, then the nodes, so no transaction grows
    with the graph or with a node's degree (``CALL … IN TRANSACTIONS`` needs the auto-commit
    transactions of ``session.run``).
    """
    with translate_errors(), driver.session(database=database) as session:
        session.run(Query(admin.WIPE_RELATIONSHIPS)).consume()
        session.run(Query(admin.WIPE_NODES)).consume()


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


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def graph_fingerprint(driver: Driver, *, database: str | None = None) -> str:
    """A content hash of the whole graph: every node (labels, properties) and relationship
    (type, properties, both ends' content), independent of internal ids and order.

    Two graphs with the same content give the same hex string, so tests can compare a
    re-run, a resumed job or a restored backup with a clean one. Each element is hashed
    (SHA-256) and the hashes are added modulo 2^256 — a multiset hash, so the nodes are
    streamed, never sorted; memory holds one short digest per node to hash relationships.
    """
    modulus = 1 << 256
    total = 0
    node_digest: dict[str, bytes] = {}
    with translate_errors(), driver.session(database=database) as session:
        for record in session.run(Query(admin.FINGERPRINT_NODES)):
            content = _canonical([sorted(record["labels"]), record["properties"]])
            digest = hashlib.sha256(content.encode()).digest()
            node_digest[record["id"]] = digest
            total = (total + int.from_bytes(digest)) % modulus
        for record in session.run(Query(admin.FINGERPRINT_RELATIONSHIPS)):
            content = _canonical(
                [
                    node_digest[record["start"]].hex(),
                    record["type"],
                    record["properties"],
                    node_digest[record["end"]].hex(),
                ]
            )
            total = (total + int.from_bytes(hashlib.sha256(content.encode()).digest())) % modulus
    return f"{total:064x}"
