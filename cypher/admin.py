"""Housekeeping statements: counts, wiping, health."""

from __future__ import annotations

__all__ = [
    "COUNT_BY_LABEL",
    "COUNT_RELATIONSHIPS_BY_TYPE",
    "GRAPH_NODES",
    "GRAPH_RELATIONSHIPS",
    "PING",
    "WAIT_FOR_INDEXES",
    "WIPE_NODES",
    "WIPE_RELATIONSHIPS",
    "readable_properties",
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


def readable_properties(element: str) -> str:
    """A Cypher expression for the properties of ``element`` as ``[key, value]`` pairs in
    which a zoned datetime with a UTC offset (the kind SRM writes) is a map of its local
    fields and offset (see :func:`srm.store.properties_from_pairs`).

    The driver turns each datetime into a Python object at about 60 µs apiece, most of a
    whole-graph read's time; these eight integers are read at the cost of any other
    value. Maps are no property type, so the map cannot be taken for a stored value.
    Datetimes in named zones, outside years 1–9999 or in lists stay as they are.
    """
    value = f"{element}[key]"
    return (
        f"[key IN keys({element}) | [key, CASE WHEN {value} IS :: ZONED DATETIME THEN "
        f"CASE WHEN ({value}.timezone = 'Z' OR {value}.timezone STARTS WITH '+' "
        f"OR {value}.timezone STARTS WITH '-') AND {value}.year >= 1 AND {value}.year <= 9999 "
        f"THEN {{local: [{value}.year, {value}.month, {value}.day, {value}.hour, "
        f"{value}.minute, {value}.second, {value}.nanosecond, {value}.offsetSeconds]}} "
        f"ELSE {value} END ELSE {value} END]]"
    )


# Whole-graph content, streamed for srm.db.graph_fingerprint and srm backup (element ids
# only join the two). Relationships come grouped by their start node: a record per node
# instead of one per relationship halves the driver's work per relationship.
GRAPH_NODES = f"""
MATCH (n)
RETURN elementId(n) AS id, labels(n) AS labels, {readable_properties("n")} AS properties
"""

GRAPH_RELATIONSHIPS = f"""
MATCH (a)
WITH a, [(a)-[r]->(b) | [type(r), {readable_properties("r")}, elementId(b)]] AS out
WHERE size(out) > 0
RETURN elementId(a) AS start, out
"""
