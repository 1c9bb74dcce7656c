"""Enrichment for CRM systems: what the graph knows about a batch of customer keys."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from neo4j import Driver

from srm.cypher import api_enrich
from srm.store import read_values

__all__ = ["KeyRow", "enrich"]

KeyRow = dict[str, Any]


def enrich(driver: Driver, database: str, keys: Sequence[KeyRow]) -> dict[int, dict[str, Any]]:
    """Enrichment per input position for keys ``{index, kind, value, platform}``.

    Positions with no match are absent from the result (the caller reports them as unknown).
    When a key matches several records (two customers sharing an email), the first wins.
    """
    rows = read_values(driver, api_enrich.ENRICH, database, rows=list(keys))
    found: dict[int, dict[str, Any]] = {}
    for row in rows:
        found.setdefault(row["index"], row)
    return found
