"""The person as the unit for the API: influencers ranked by unit and persons ranked by
influence or audience (reads only; graph/ computes the scores)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neo4j import AsyncDriver

from srm.api.services.analytics import InfluencerFilter
from srm.cypher import api_persons
from srm.store_async import read_values

__all__ = ["PersonFilter", "influencer_units", "persons"]

Record = dict[str, Any]

# Accounts read at first for the units without a score of their own (at least
# UNIT_WINDOW_PER_UNIT per unit up to the page's end), how fast the window widens, and
# past which size it reads them all.
UNIT_WINDOW_FIRST = 400
UNIT_WINDOW_PER_UNIT = 4
UNIT_WINDOW_GROWTH = 8
UNIT_WINDOW_LAST = 1_000_000


@dataclass(frozen=True)
class PersonFilter(InfluencerFilter):
    """The influencers' filter, and the fewest accounts a person must hold."""

    min_accounts: int | None = None


async def influencer_units(
    driver: AsyncDriver,
    database: str,
    where: InfluencerFilter,
    offset: int,
    limit: int,
    full_influence: bool = True,
) -> list[tuple[Record, Record | None, Record | None, float]]:
    """Units matching ``where`` (a person once, with its best matching account; a lone
    account as itself), highest score first: ``(account record, its influence, person
    record or None, unit score)``.

    Accounts whose unit has no score of its own are read best first in a window that
    widens (:data:`UNIT_WINDOW_GROWTH`) while it may have cut a unit of the page off: one
    read for almost every page."""
    statement = api_persons.INFLUENCER_UNITS_PAGE
    if not full_influence:
        statement = api_persons.INFLUENCER_UNITS_PAGE_SHORT
    window: int | None = max(UNIT_WINDOW_FIRST, UNIT_WINDOW_PER_UNIT * (offset + limit))
    while True:
        rows = await read_values(
            driver, statement, database, **where.parameters(), offset=offset, limit=limit,
            window=window,
        )  # fmt: skip
        if window is None or (rows and not rows[0]["unsure"]):
            break
        # an empty page may be past the end or cut off by the window: only a read of every
        # account can tell; a full window widens
        window = window * UNIT_WINDOW_GROWTH if rows and window < UNIT_WINDOW_LAST else None
    return [
        (
            row["record"],
            row["influence"] if full_influence else row["record"]["short_score"],
            row["person"],
            float(row["score"]),
        )
        for row in rows
    ]


async def persons(
    driver: AsyncDriver, database: str, where: PersonFilter, order: str, offset: int, limit: int
) -> list[Record]:
    """Scored persons matching ``where``, by ``order`` ('influence' or 'audience')."""
    rows = await read_values(
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
