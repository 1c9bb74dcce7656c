"""Housekeeping statements: counts, wiping, health."""

from __future__ import annotations

__all__ = ["COUNT_BY_LABEL", "COUNT_RELATIONSHIPS_BY_TYPE", "PING", "WAIT_FOR_INDEXES", "WIPE_ALL"]

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
