"""Housekeeping statements: counts, wiping, health."""

from __future__ import annotations

__all__ = [
    "COUNT_BY_LABEL",
    "COUNT_RELATIONSHIPS_BY_TYPE",
    "FINGERPRINT_NODES",
    "FINGERPRINT_RELATIONSHIPS",
    "PING",
    "WAIT_FOR_INDEXES",
    "WIPE_ALL",
]

PING = "RETURN 1 AS ok"

# Batches keep the transaction state small on large graphs.
WIPE_ALL = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"

COUNT_BY_LABEL = """
MATCH (n)
UNWIND labels(n) AS label
RETURN label, count(*) AS count
ORDER BY label
"""

COUNT_RELATIONSHIPS_BY_TYPE = """
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS count
ORDER BY type
"""

WAIT_FOR_INDEXES = "CALL db.awaitIndexes($timeout_s)"

# Whole-graph content, streamed for srm.db.graph_fingerprint (element ids only join the two).
FINGERPRINT_NODES = (
    "MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS properties"
)

FINGERPRINT_RELATIONSHIPS = """
MATCH (a)-[r]->(b)
RETURN elementId(a) AS start, type(r) AS type, properties(r) AS properties, elementId(b) AS end
"""
