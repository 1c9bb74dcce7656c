"""InfluenceScore: a profile's score, the run that computed it, and the score's inputs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from srm.api.context import Info

if TYPE_CHECKING:
    from srm.api.types.run import AlgorithmRun

__all__ = ["InfluenceExplanation", "InfluenceScore"]


@strawberry.type(description="The inputs the influence score was computed from.")
class InfluenceExplanation:
    followers: int = strawberry.field(description="Profiles that follow this one.")
    mentions_received: int = strawberry.field(description="Posts that mention this profile.")
    amplifications: int = strawberry.field(
        description="Replies, quotes and reposts of this profile's posts."
    )
    posts: int = strawberry.field(description="Posts by this profile.")


@strawberry.type(description="Influence of a profile (value with its explanation).")
class InfluenceScore:
    record: strawberry.Private[dict[str, Any]]

    @classmethod
    def of(cls, record: dict[str, Any] | None) -> InfluenceScore | None:
        return cls(record=record) if record is not None else None

    @strawberry.field
    def value(self) -> float:
        return float(self.record["value"])

    @strawberry.field(description="Share of scored profiles with a lower score (0–100).")
    def percentile(self) -> float | None:
        value = self.record.get("percentile")
        return float(value) if value is not None else None

    @strawberry.field
    def algorithm(self) -> str | None:
        return self.record.get("algorithm")

    @strawberry.field
    def run_id(self) -> str | None:
        return self.record.get("run_id")

    @strawberry.field
    def explanation(self) -> InfluenceExplanation:
        return InfluenceExplanation(
            followers=self.record["followers"],
            mentions_received=self.record["mentions_received"],
            amplifications=self.record["amplifications"],
            posts=self.record["posts"],
        )

    @strawberry.field(description="The algorithm run that computed the score.")
    async def run(
        self, info: Info
    ) -> Annotated[AlgorithmRun, strawberry.lazy("srm.api.types.run")] | None:
        from srm.api.types.run import AlgorithmRun

        run_id = self.record.get("run_id")
        return AlgorithmRun.of(await info.context.run_by_id.load(run_id)) if run_id else None
