"""Analysis results for the API: influencers, communities, reach, segments, audience
overlap, merge candidates and algorithm runs (reads only; graph/ computes them)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncDriver

from srm.cypher import api_analytics
from srm.store_async import read_collected, read_values

__all__ = [
    "InfluencerFilter",
    "Overlap",
    "communities",
    "influencers",
    "merge_candidates",
    "overlap",
    "reach",
    "recent_runs",
    "segments",
]

Record = dict[str, Any]


@dataclass(frozen=True)
class InfluencerFilter:
    platform: str | None = None
    community: str | None = None
    customers_only: bool = False
    brand: str | None = None

    def parameters(self) -> dict[str, Any]:
        """The influencer statements' filter parameters."""
        return {
            "platform": self.platform.lower() if self.platform else None,
            "community": self.community,
            "customers_only": self.customers_only,
            "brand": self.brand,
        }


@dataclass(frozen=True)
class Overlap:
    size_a: int
    size_b: int
    overlap: int
    sample_keys: list[str]
    size_a_persons: int = 0
    size_b_persons: int = 0
    overlap_persons: int = 0

    @property
    def jaccard(self) -> float:
        union = self.size_a + self.size_b - self.overlap
        return self.overlap / union if union else 0.0


async def influencers(
    driver: AsyncDriver,
    database: str,
    where: InfluencerFilter,
    offset: int,
    limit: int,
    full_influence: bool = True,
    text: bool = True,
) -> list[tuple[Record, Record | None]]:
    """Scored profiles matching ``where``, highest influence first, each with its influence
    (score and explanation) fetched in the same statement, or with its short score only
    (the influence is then None) when ``full_influence`` is false; with the short score
    and without ``text``, the profiles come without their free-text properties."""
    if full_influence:
        statement = api_analytics.INFLUENCERS_PAGE
    elif text:
        statement = api_analytics.INFLUENCERS_PAGE_SHORT
    else:
        statement = api_analytics.INFLUENCERS_PAGE_SHORT_NO_TEXT
    rows = await read_collected(
        driver,
        statement,
        database,
        **where.parameters(),
        offset=offset,
        limit=limit,
    )
    if full_influence:
        return [(row["record"], row["influence"]) for row in rows]
    return [(row["record"], row["record"]["short_score"]) for row in rows]


async def communities(driver: AsyncDriver, database: str, limit: int) -> list[Record]:
    """Communities of the latest community run, largest first."""
    rows = await read_values(driver, api_analytics.COMMUNITIES_LATEST, database, limit=limit)
    return [row["record"] for row in rows]


async def community_members(
    driver: AsyncDriver, database: str, requests: list[tuple[Any, Any, int]]
) -> list[list[Record]]:
    """Most influential members per ``(community_id, run_id, first)``."""
    rows_in = [
        {"community_id": community, "run_id": run, "first": first}
        for community, run, first in set(requests)
    ]
    rows = await read_values(driver, api_analytics.COMMUNITY_TOP_MEMBERS, database, rows=rows_in)
    found = {row["key"]: row["records"] for row in rows}
    return [found.get(f"{community}@{run}", []) for community, run, _ in requests]


async def reach(driver: AsyncDriver, database: str, key: str) -> Record | None:
    rows = await read_values(driver, api_analytics.REACH, database, key=key)
    return rows[0] if rows else None


async def segments(driver: AsyncDriver, database: str, brand: str | None) -> list[Record]:
    return [
        row["record"]
        for row in await read_values(driver, api_analytics.SEGMENTS, database, brand=brand)
    ]


async def overlap(
    driver: AsyncDriver, database: str, brand_a: str, brand_b: str | None, sample: int
) -> Overlap | None:
    """Audience overlap of two brands, or of a brand and the CRM when ``brand_b`` is None."""
    if brand_b is None:
        rows = await read_values(
            driver, api_analytics.AUDIENCE_OVERLAP_CRM, database, brand_a=brand_a, sample=sample
        )
    else:
        rows = await read_values(
            driver,
            api_analytics.AUDIENCE_OVERLAP_BRANDS,
            database,
            brand_a=brand_a,
            brand_b=brand_b,
            sample=sample,
        )
    return Overlap(**rows[0]) if rows else None


async def merge_candidates(
    driver: AsyncDriver,
    database: str,
    status: str | None,
    min_probability: float,
    offset: int,
    limit: int,
) -> list[Record]:
    """SAME_AS pairs, most probable first; ``evidence`` parsed when stored as JSON text."""
    rows = await read_values(
        driver,
        api_analytics.MERGE_CANDIDATES_PAGE,
        database,
        status=status,
        min_probability=min_probability,
        offset=offset,
        limit=limit,
    )
    for row in rows:
        evidence = row["candidate"].get("evidence")
        if isinstance(evidence, str):
            try:
                row["candidate"]["evidence"] = json.loads(evidence)
            except ValueError:
                row["candidate"]["evidence"] = {"text": evidence}
    return rows


async def recent_runs(driver: AsyncDriver, database: str, limit: int) -> list[Record]:
    return [
        row["record"]
        for row in await read_values(driver, api_analytics.RECENT_RUNS, database, limit=limit)
    ]
