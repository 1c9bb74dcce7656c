"""Neighbourhoods for the API: ego networks and shortest paths between profiles."""

from __future__ import annotations

from typing import Any

from neo4j import AsyncDriver

from srm.cypher import api_network
from srm.store_async import read_values

__all__ = ["ego_network", "shortest_path"]

Record = dict[str, Any]


async def ego_network(
    driver: AsyncDriver, database: str, key: str, depth: int, limit: int
) -> tuple[list[Record], list[Record]] | None:
    """Profiles within ``depth`` (1..3) hops of ``key`` (at most ``limit``) and their edges."""
    rows = await read_values(driver, api_network.EGO_NETWORK[depth], database, key=key, limit=limit)
    if not rows:
        return None
    return rows[0]["records"], rows[0]["edges"]


async def shortest_path(
    driver: AsyncDriver, database: str, a: str, b: str
) -> tuple[list[Record], list[Record]] | None:
    """The profiles and edges of one shortest FOLLOWS/MENTIONED path (either direction)."""
    rows = await read_values(driver, api_network.SHORTEST_PATH, database, a=a, b=b)
    if not rows:
        return None
    return rows[0]["records"], rows[0]["edges"]
