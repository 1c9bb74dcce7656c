"""Brand: the own brand or a competitor, with its official profiles."""

from __future__ import annotations

from typing import Any

import strawberry

from srm.api.context import Info
from srm.api.types.records import Profile

__all__ = ["AudienceOverlap", "Brand"]


@strawberry.type(description="A brand (own or competitor).")
class Brand:
    record: strawberry.Private[dict[str, Any]]

    @strawberry.field
    def name(self) -> str:
        return str(self.record["name"])

    @strawberry.field
    def competitor(self) -> bool | None:
        return self.record.get("competitor")

    @strawberry.field
    async def official_profiles(self, info: Info) -> list[Profile]:
        found = await info.context.official_profiles.load(self.record["name"])
        return [Profile.from_record(record) for record in found]


@strawberry.type(
    description="Overlap of two audiences: followers of brand A's official profiles and "
    "either brand B's followers or the profiles linked to CRM customers."
)
class AudienceOverlap:
    brand_a: str
    compared_with: str = strawberry.field(description="Brand B's name, or 'crm'.")
    size_a: int
    size_b: int
    overlap: int
    jaccard: float
    size_a_persons: int = strawberry.field(
        description="Audience A in persons: a person's accounts count once."
    )
    size_b_persons: int
    overlap_persons: int = strawberry.field(
        description="Persons in both (a person with one account in each counts)."
    )
    sample: list[Profile] = strawberry.field(description="Up to 10 profiles in both.")
