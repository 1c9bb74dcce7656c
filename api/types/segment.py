"""Segment: a marketing segment computed by graph/segments.py."""

from __future__ import annotations

from typing import Any

import strawberry

__all__ = ["Segment"]


@strawberry.type(description="A marketing segment for a brand.")
class Segment:
    record: strawberry.Private[dict[str, Any]]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.record.get("segment_id") or self.record.get("name")))

    @strawberry.field
    def name(self) -> str | None:
        return self.record.get("name")

    @strawberry.field
    def brand(self) -> str | None:
        return self.record.get("brand")

    @strawberry.field
    def description(self) -> str | None:
        return self.record.get("description")

    @strawberry.field(description="Number of members.")
    def size(self) -> int | None:
        return self.record.get("size")

    @strawberry.field(
        description="Members counted in persons: a person's accounts once (a customer "
        "following from two platforms is one customer); null before a segments run counted "
        "them."
    )
    def person_count(self) -> int | None:
        return self.record.get("person_count")

    @strawberry.field
    def run_id(self) -> str | None:
        return self.record.get("run_id")
