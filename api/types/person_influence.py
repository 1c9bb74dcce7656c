"""PersonInfluence: a person's influence over all their accounts, from the run that
scored it (docs/analytics.md, "Influence of persons")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.scalars import JSON

from srm.api.context import Info
from srm.api.types.influence import stored_explanation

if TYPE_CHECKING:
    from srm.api.types.run import AlgorithmRun

__all__ = ["PersonInfluence"]


@strawberry.type(
    description="Influence of a person: its accounts scored as one unit (summed PageRank, "
    "audience counted once per follower person), placed against the run's accounts."
)
class PersonInfluence:
    record: strawberry.Private[dict[str, Any]]
    value: float = strawberry.field(description="Score 0–1, on the accounts' scale.")
    percentile: float | None = strawberry.field(
        description="Share of the run's scored accounts with a lower score (0–100)."
    )
    run_id: str | None
    pagerank: float | None = strawberry.field(description="Sum of the accounts' PageRank.")
    audience: int | None = strawberry.field(
        description="Unduplicated audience: follower persons inside the graph, each counted "
        "once however many of its accounts follow (a follower account without a person "
        "counts as itself)."
    )
    audience_accounts: int | None = strawberry.field(
        description="Distinct follower accounts of the person's accounts."
    )
    followers: int | None = strawberry.field(
        description="Declared followers summed over the accounts (not deduplicable)."
    )
    mentions_received: int | None
    betweenness: float | None = strawberry.field(
        description="The best-placed account's betweenness (null when the run skipped it)."
    )
    account_count: int | None = strawberry.field(description="Accounts the run scored.")

    @classmethod
    def of(cls, record: dict[str, Any]) -> PersonInfluence | None:
        """From a person's properties; None when no run scored it."""
        if record.get("influence_score") is None:
            return None

        def whole(name: str) -> int | None:
            value = record.get(name)
            return None if value is None else round(value)

        return cls(
            record=record,
            value=float(record["influence_score"]),
            percentile=record.get("influence_percentile"),
            run_id=record.get("influence_run_id"),
            pagerank=record.get("influence_pagerank"),
            audience=whole("influence_in_degree"),
            audience_accounts=whole("influence_audience_accounts"),
            followers=whole("influence_followers"),
            mentions_received=whole("influence_mention_in_degree"),
            betweenness=record.get("influence_betweenness"),
            account_count=whole("influence_accounts"),
        )

    @strawberry.field(
        description="The run's explanation: per component its value, percentile, weight and "
        "contribution; the accounts with their share of the person's PageRank; the follower "
        "persons that passed it the most PageRank (kept for the run's best persons)."
    )
    async def contributions(self, info: Info) -> JSON | None:
        if "influence_explanation" not in self.record:
            # ranked lists leave the long text out; read the person once, batched per level
            found = await info.context.person.load(self.record["person_id"])
            self.record = {"influence_explanation": None, **(found or self.record)}
        return stored_explanation(self.record.get("influence_explanation"))

    @strawberry.field(description="The algorithm run that computed the score.")
    async def run(
        self, info: Info
    ) -> Annotated[AlgorithmRun, strawberry.lazy("srm.api.types.run")] | None:
        from srm.api.types.run import AlgorithmRun

        if not self.run_id:
            return None
        return AlgorithmRun.of(await info.context.run_by_id.load(self.run_id))
