"""Housekeeping statements: counts, wiping, health."""

from __future__ import annotations

__all__ = [
    "COUNT_BY_LABEL",
    "COUNT_RELATIONSHIPS_BY_TYPE",
    "FINGERPRINT_NODES",
    "FINGERPRINT_RELATIONSHIPS",
    "PING",
    "WAIT_FOR_INDEXES",
    "WIPE_NODES",
    "WIPE_RELATIONSHIPS",
]

PING = "RETURN 1 AS ok"

# Relationships first, then the (by then unconnected) nodes: every transaction holds at most
# 5,000 deletions. Deleting nodes with DETACH alone puts all relationships of a batch's nodes
# into one transaction — unbounded on a hub with a million followers.
WIPE_RELATIONSHIPS = "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 5000 ROWS"
WIPE_NODES = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS"

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
