"""The person as the unit for the API: influencers ranked by unit and persons ranked by
influence or audience (reads only; graph/ computes the scores)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neo4j import Driver

from srm.api.services.analytics import InfluencerFilter
from srm.cypher import api_persons
from srm.store import read_values

__all__ = ["PersonFilter", "influencer_units", "persons"]

Record = dict[str, Any]


@dataclass(frozen=True)
class PersonFilter(InfluencerFilter):
    """The influencers' filter, and the fewest accounts a person must hold."""

    min_accounts: int | None = None


def influencer_units(
    driver: Driver,
    database: str,
    where: InfluencerFilter,
    offset: int,
    limit: int,
    full_influence: bool = True,
) -> list[tuple[Record, Record | None, Record | None, float]]:
    """Units matching ``where`` (a person once, with its best matching account; a lone
    account as itself), highest score first: ``(account record, its influence, person
    record or None, unit score)``."""
    rows = read_values(
        driver,
        api_persons.INFLUENCER_UNITS_PAGE
        if full_influence
        else api_persons.INFLUENCER_UNITS_PAGE_SHORT,
        database,
        **where.parameters(),
        offset=offset,
        limit=limit,
    )
    return [
        (
            row["record"],
            row["influence"] if full_influence else row["record"]["short_score"],
            row["person"],
            float(row["score"]),
        )
        for row in rows
    ]


def persons(
    driver: Driver, database: str, where: PersonFilter, order: str, offset: int, limit: int
) -> list[Record]:
    """Scored persons matching ``where``, by ``order`` ('influence' or 'audience')."""
    rows = read_values(
        driver,
        api_persons.PERSONS_PAGE,
        database,
        **where.parameters(),
        min_accounts=where.min_accounts,
        order=order,
        offset=offset,
        limit=limit,
    )
    return [row["record"] for row in rows]
