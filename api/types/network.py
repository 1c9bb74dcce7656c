"""Shapes of neighbourhood queries: ego networks, paths, reach and search hits."""

from __future__ import annotations

import strawberry

from srm.api.types.records import Customer, Person, Profile

__all__ = ["Edge", "Network", "Reach", "SearchHit"]


@strawberry.type(description="A relationship between two profiles.")
class Edge:
    source: strawberry.ID
    target: strawberry.ID
    type: str


@strawberry.type(description="Profiles and the relationships among them.")
class Network:
    nodes: list[Profile]
    edges: list[Edge]


@strawberry.type(description="How many profiles a profile's posts can reach through follows.")
class Reach:
    profile_id: strawberry.ID
    direct: int = strawberry.field(description="Followers.")
    second_degree: int = strawberry.field(
        description="Followers of followers who do not follow the profile directly."
    )
    total: int
    direct_persons: int = strawberry.field(
        description="Followers counted in persons: a person following from several "
        "accounts once, an account without a person as itself, the profile's own person "
        "never."
    )
    second_degree_persons: int = strawberry.field(
        description="Persons reached only through followers (not already direct)."
    )
    total_persons: int
    estimated: float | None = strawberry.field(
        description="The reach stored by the latest reach analysis, when one ran."
    )
    run_id: str | None


@strawberry.type(description="A full-text search hit: exactly one of its records is set.")
class SearchHit:
    score: float
    kind: str = strawberry.field(description="Customer, Profile or Person.")
    customer: Customer | None = None
    profile: Profile | None = None
    person: Person | None = None
