"""InfluenceScore: a profile's score, the run that computed it, and the score's inputs."""

from __future__ import annotations

import json
from typing import Any

import strawberry
from strawberry.scalars import JSON

from srm.api.context import Info
from srm.api.types.run import AlgorithmRun
from srm.cypher.influence import Influence

__all__ = ["InfluenceExplanation", "InfluenceScore", "stored_explanation"]

# The columns read for every score of a page, named once (an enum property is a call each).
_SCORE = Influence.SCORE.column
_PERCENTILE = Influence.PERCENTILE.column


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
    # The statement's record, stored properties under their Influence column names: the
    # full influence (srm.cypher.api_links.influence_of), or the short score (score,
    # percentile, run id, profile key; srm.cypher.api_fields.score_of) when the query
    # selected nothing more; the rest is then read once, batched per level, by the
    # resolvers below.
    record: strawberry.Private[dict[str, Any]]
    value: float
    percentile: float | None = strawberry.field(
        description="Share of scored profiles with a lower score (0–100)."
    )

    @strawberry.field
    def algorithm(self, info: Info) -> str | None:
        return self._full(info, "algorithm")

    @strawberry.field
    def run_id(self) -> str | None:
        return self.record.get(Influence.RUN_ID.column)

    @strawberry.field
    def pagerank(self, info: Info) -> float | None:
        return self._full(info, Influence.PAGERANK.column)

    @strawberry.field(description="Sampled betweenness centrality.")
    def betweenness(self, info: Info) -> float | None:
        return self._full(info, Influence.BETWEENNESS.column)

    @strawberry.field
    def explanation(self, info: Info) -> InfluenceExplanation:
        return self._full(info, "inputs")

    @strawberry.field(
        description="The run's own explanation: per component its value, percentile, weight "
        "and contribution to the score, and the in-neighbours that contributed most."
    )
    def contributions(self, info: Info) -> JSON | None:
        return self._full(info, "contributions")

    @classmethod
    def of(cls, record: dict[str, Any] | None) -> InfluenceScore | None:
        if record is None:
            return None
        percentile = record.get(_PERCENTILE)
        return cls(
            record=record,
            value=float(record[_SCORE]),
            percentile=float(percentile) if percentile is not None else None,
        )

    def _full(self, info: Info, part: str) -> Any:
        """``part`` of the full influence: directly when the record has it, else awaitable
        (one batched links statement for the level)."""
        if "followers" in self.record:
            return _part(self.record, part)
        return self._load_full(info, part)

    async def _load_full(self, info: Info, part: str) -> Any:
        found = await info.context.link("Profile", self.record["profile_key"], "influence")
        if found is not None:
            self.record = found
        return _part(self.record, part)

    @strawberry.field(description="The algorithm run that computed the score.")
    async def run(self, info: Info) -> AlgorithmRun | None:
        run_id = self.record.get(Influence.RUN_ID.column)
        if not run_id:
            return None
        return AlgorithmRun.of(await info.context.run_by_id.load(run_id))


def _part(record: dict[str, Any], part: str) -> Any:
    """A column of the record, or the GraphQL object built from several: ``inputs`` (the
    counts, GraphQL's ``explanation``) and ``contributions`` (the stored explanation)."""
    if part == "inputs":
        return InfluenceExplanation(
            followers=record["followers"],
            mentions_received=record["mentions_received"],
            amplifications=record["amplifications"],
            posts=record["posts"],
        )
    if part == "contributions":
        return stored_explanation(record.get(Influence.EXPLANATION.column))
    return record.get(part)


def stored_explanation(stored: Any) -> JSON | None:
    """The stored explanation (JSON text written by graph/influence.py), as data."""
    if stored is None:
        return None
    if isinstance(stored, str):
        try:
            return JSON(json.loads(stored))
        except ValueError:
            return JSON({"text": stored})
    return JSON(stored)
