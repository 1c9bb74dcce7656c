"""Community: a group found by community detection, stamped with its run."""

from __future__ import annotations

from typing import Any

import strawberry

from srm.api.context import Info
from srm.api.limits import check_first
from srm.api.types.profile import Profile

__all__ = ["Community"]


@strawberry.type(description="A community of profiles from a community-detection run.")
class Community:
    record: strawberry.Private[dict[str, Any]]

    @classmethod
    def of(cls, record: dict[str, Any] | None) -> Community | None:
        return cls(record=record) if record is not None else None

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.record["community_id"]))

    @strawberry.field
    def run_id(self) -> str:
        return str(self.record["run_id"])

    @strawberry.field(description="A label from the members' most frequent words.")
    def label(self) -> str | None:
        return self.record.get("label") or self.record.get("name")

    @strawberry.field
    def top_words(self) -> list[str] | None:
        return self.record.get("top_words")

    @strawberry.field
    def top_hashtags(self) -> list[str] | None:
        return self.record.get("top_hashtags")

    @strawberry.field(description="Share of members linked to a CRM customer (0–1).")
    def customer_share(self) -> float | None:
        return self.record.get("customer_share")

    @strawberry.field
    def algorithm(self) -> str | None:
        return self.record.get("algorithm")

    @strawberry.field(description="Number of member profiles.")
    def size(self) -> int | None:
        return self.record.get("size")

    @strawberry.field(
        description="Persons among the members: a person's accounts once, an account "
        "without a person as itself (null for runs before persons were counted)."
    )
    def person_count(self) -> int | None:
        return self.record.get("person_count")

    @strawberry.field(description="Most influential members first.")
    async def top_members(self, info: Info, first: int = 10) -> list[Profile]:
        check_first(first)
        found = await info.context.community_members.load(
            (self.record["community_id"], self.record["run_id"], first)
        )
        return [Profile.from_record(record) for record in found]
