"""PersonInfluence: a person's influence over all their accounts, from the run that
scored it (docs/analytics.md, "Influence of persons")."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from srm.api.context import Info
from srm.api.types.influence import stored_explanation
from srm.api.types.run import AlgorithmRun
from srm.cypher.influence import Influence

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
        if record.get(Influence.SCORE) is None:
            return None

        def whole(name: Influence) -> int | None:
            value = record.get(name)
            return None if value is None else round(value)

        return cls(
            record=record,
            value=float(record[Influence.SCORE]),
            percentile=record.get(Influence.PERCENTILE),
            run_id=record.get(Influence.RUN_ID),
            pagerank=record.get(Influence.PAGERANK),
            audience=whole(Influence.IN_DEGREE),
            audience_accounts=whole(Influence.AUDIENCE_ACCOUNTS),
            followers=whole(Influence.FOLLOWERS),
            mentions_received=whole(Influence.MENTION_IN_DEGREE),
            betweenness=record.get(Influence.BETWEENNESS),
            account_count=whole(Influence.ACCOUNTS),
        )

    @strawberry.field(
        description="The run's explanation: per component its value, percentile, weight and "
        "contribution; the accounts with their share of the person's PageRank; the follower "
        "persons that passed it the most PageRank (kept for the run's best persons)."
    )
    async def contributions(self, info: Info) -> JSON | None:
        if Influence.EXPLANATION not in self.record:
            # ranked lists leave the long text out; read the person once, batched per level
            found = await info.context.person.load(self.record["person_id"])
            self.record = {Influence.EXPLANATION.value: None, **(found or self.record)}
        return stored_explanation(self.record.get(Influence.EXPLANATION))

    @strawberry.field(description="The algorithm run that computed the score.")
    async def run(self, info: Info) -> AlgorithmRun | None:
        if not self.run_id:
            return None
        return AlgorithmRun.of(await info.context.run_by_id.load(self.run_id))
