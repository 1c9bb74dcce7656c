"""How much work a statement does in Neo4j: its profiled plan's database hits."""

from __future__ import annotations

from typing import Any

from neo4j import Driver, Query

__all__ = ["db_hits"]


def db_hits(driver: Driver, statement: str, **parameters: Any) -> int:
    """Run ``statement`` under ``PROFILE`` on the real server and sum the database hits of
    every operator of its plan."""
    with driver.session() as session:
        summary = session.run(Query("PROFILE " + statement), parameters).consume()
    return _hits(summary.profile or {})


def _hits(plan: dict[str, Any]) -> int:
    return int(plan.get("dbHits", 0)) + sum(_hits(child) for child in plan.get("children", []))
