"""InfluencerConnection: the influencer ranking, by person (each person once) or by
account."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry

from srm.api.types.paging import PageInfo, edges_of
from srm.api.types.records import Person, Profile

__all__ = ["InfluencerConnection", "InfluencerEdge", "InfluencerUnit", "influencer_connection"]


@strawberry.enum(description="What one row of the influencer ranking is.")
class InfluencerUnit(Enum):
    PERSON = strawberry.enum_value(
        "person",
        description="A person once (its accounts scored together); an account without a "
        "person as itself.",
    )
    ACCOUNT = strawberry.enum_value("account", description="Every account on its own.")


@strawberry.type(description="One row of the influencer ranking.")
class InfluencerEdge:
    cursor: str
    node: Profile = strawberry.field(
        description="The account; by PERSON, the person's best-scored account that matches "
        "the filter."
    )
    person: Person | None = strawberry.field(
        description="By PERSON: the person the row stands for (its influence and all its "
        "accounts); null for an account without a person, and by ACCOUNT."
    )
    score: float = strawberry.field(
        description="The score the row is ranked by: the person's, or the account's."
    )


@strawberry.type(description="A page of the influencer ranking (Relay connection).")
class InfluencerConnection:
    edges: list[InfluencerEdge]
    page_info: PageInfo
    total_count: int | None = strawberry.field(
        description="All items of the list (null: ranked lists are not counted)."
    )


def influencer_connection(
    rows: list[tuple[dict[str, Any], dict[str, Any] | None, dict[str, Any] | None, float]],
    offset: int,
    first: int,
) -> InfluencerConnection:
    """A page from ``(account record, its influence, person record, score)`` rows, one
    more than ``first`` when a next page exists."""
    edges, page = edges_of(
        rows,
        offset,
        first,
        lambda cursor, row: InfluencerEdge(
            cursor=cursor,
            node=Profile.from_record(row[0], influence=row[1]),
            person=Person.of(row[2]),
            score=row[3],
        ),
    )
    return InfluencerConnection(edges=edges, page_info=page, total_count=None)
