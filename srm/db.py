"""Schema and housekeeping operations on the graph (thin: statements live in srm.cypher)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from neo4j import Driver, Query, Session

from srm.cypher import admin, schema
from srm.store import properties_from_pairs, read, translate_errors

__all__ = [
    "Fingerprint",
    "counts",
    "graph_fingerprint",
    "graph_nodes",
    "graph_relationships",
    "init_schema",
    "last_commit",
    "ping",
    "wipe",
]


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


class Fingerprint:
    """A content hash of a graph, fed one element at a time (see :func:`graph_fingerprint`).

    Feed every node before any relationship: a relationship is hashed with both ends'
    digests. Memory holds one short digest per node.
    """

    _MODULUS = 1 << 256

    def __init__(self) -> None:
        self._total = 0
        self._node_digest: dict[str, bytes] = {}
        self._kind_text: dict[str, str] = {}

    def add_node(self, element_id: str, labels: list[str], properties: dict[str, Any]) -> None:
        digest = hashlib.sha256(_canonical([sorted(labels), properties]).encode()).digest()
        self._node_digest[element_id] = digest
        self._total = (self._total + int.from_bytes(digest)) % self._MODULUS

    def add_relationship(self, start: str, kind: str, properties: dict[str, Any], end: str) -> None:
        ends = self._node_digest[start].hex(), self._node_digest[end].hex()
        if properties:
            content = _canonical([ends[0], kind, properties, ends[1]])
        else:  # most relationships: the same text, without json's walk
            if kind not in self._kind_text:
                self._kind_text[kind] = _canonical(kind)
            content = f'["{ends[0]}", {self._kind_text[kind]}, {{}}, "{ends[1]}"]'
        digest = hashlib.sha256(content.encode()).digest()
        self._total = (self._total + int.from_bytes(digest)) % self._MODULUS

    def hexdigest(self) -> str:
        return f"{self._total:064x}"


def graph_fingerprint(driver: Driver, *, database: str | None = None) -> str:
    """A content hash of the whole graph: every node (labels, properties) and relationship
    (type, properties, both ends' content), independent of internal ids and order.

    Two graphs with the same content give the same hex string, so tests can compare a
    re-run, a resumed job or a restored backup with a clean one. Each element is hashed
    (SHA-256) and the hashes are added modulo 2^256 — a multiset hash, so the nodes are
    streamed, never sorted; memory holds one short digest per node to hash relationships.
    """
    fingerprint = Fingerprint()
    with translate_errors(), driver.session(database=database) as session:
        for node in graph_nodes(session):
            fingerprint.add_node(*node)
        for relationship in graph_relationships(session):
            fingerprint.add_relationship(*relationship)
    return fingerprint.hexdigest()


def graph_nodes(session: Session) -> Iterator[tuple[str, list[str], dict[str, Any]]]:
    """Every node as (element id, labels, properties), streamed; datetimes come as
    :class:`srm.store.ZonedDateTimeText`."""
    for element_id, labels, pairs in session.run(Query(admin.GRAPH_NODES)):
        yield element_id, labels, properties_from_pairs(pairs)


def graph_relationships(session: Session) -> Iterator[tuple[str, str, dict[str, Any], str]]:
    """Every relationship as (start id, type, properties, end id), streamed a start node's
    relationships at a time."""
    for start, out in session.run(Query(admin.GRAPH_RELATIONSHIPS)):
        for kind, pairs, end in out:
            yield start, kind, properties_from_pairs(pairs), end


def last_commit(driver: Driver, *, database: str | None = None) -> frozenset[str]:
    """A marker of the last transaction committed to the database: the bookmark of an empty
    read. It changes with every commit, so equal markers before and after a long read mean
    nothing was written in between (cheaper than hashing the graph twice)."""
    with translate_errors(), driver.session(database=database) as session:
        session.execute_read(lambda tx: tx.run(admin.PING).consume())
        return frozenset(session.last_bookmarks().raw_values)
