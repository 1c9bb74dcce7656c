"""InfluenceScore: a profile's score, the run that computed it, and the score's inputs."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.scalars import JSON

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
    value: float
    percentile: float | None = strawberry.field(
        description="Share of scored profiles with a lower score (0–100)."
    )
    algorithm: str | None
    run_id: str | None
    pagerank: float | None
    betweenness: float | None = strawberry.field(description="Sampled betweenness centrality.")
    explanation: InfluenceExplanation
    contributions: JSON | None = strawberry.field(
        description="The run's own explanation: per component its value, percentile, weight "
        "and contribution to the score, and the in-neighbours that contributed most."
    )

    @classmethod
    def of(cls, record: dict[str, Any] | None) -> InfluenceScore | None:
        if record is None:
            return None
        percentile = record.get("percentile")
        return cls(
            value=float(record["value"]),
            percentile=float(percentile) if percentile is not None else None,
            algorithm=record.get("algorithm"),
            run_id=record.get("run_id"),
            pagerank=record.get("pagerank"),
            betweenness=record.get("betweenness"),
            contributions=_parsed(record.get("stored_explanation")),
            explanation=InfluenceExplanation(
                followers=record["followers"],
                mentions_received=record["mentions_received"],
                amplifications=record["amplifications"],
                posts=record["posts"],
            ),
        )

    @strawberry.field(description="The algorithm run that computed the score.")
    async def run(
        self, info: Info
    ) -> Annotated[AlgorithmRun, strawberry.lazy("srm.api.types.run")] | None:
        from srm.api.types.run import AlgorithmRun

        if not self.run_id:
            return None
        return AlgorithmRun.of(await info.context.run_by_id.load(self.run_id))


def _parsed(stored: Any) -> JSON | None:
    """The stored explanation (JSON text written by graph/influence.py), as data."""
    if stored is None:
        return None
    if isinstance(stored, str):
        try:
            return JSON(json.loads(stored))
        except ValueError:
            return JSON({"text": stored})
    return JSON(stored)
