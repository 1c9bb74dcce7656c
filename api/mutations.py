"""GraphQL mutations (role-gated): review merges, start analyses and erase a person (admin).
They call :mod:`srm.api.services.jobs` (graph/'s entry points) and
:func:`srm.api.services.erasure.erase_as`; nothing here computes."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypeVar

import strawberry
from anyio import to_thread
from neo4j import Driver

from srm.api.context import Info
from srm.api.limits import ClientError
from srm.api.services import jobs
from srm.api.services.erasure import erase_as
from srm.api.types.erasure import ErasureKind, ErasureResult
from srm.api.types.job import AnalysisJob, AnalysisKind
from srm.api.types.records import Person
from srm.operations.decisions import audited_decision

__all__ = ["MergeDecision", "Mutation"]

T = TypeVar("T")


@strawberry.type(description="The outcome of a merge review.")
class MergeDecision:
    candidate_id: strawberry.ID
    status: str = strawberry.field(description="accepted or rejected.")
    changed: int = strawberry.field(description="SAME_AS links updated.")


def _pair(candidate_id: str) -> tuple[str, str]:
    left, separator, right = candidate_id.partition("|")
    if not separator or not left or not right:
        raise ClientError(
            "'id' must be a merge candidate id 'left_record|right_record' as returned by "
            "mergeCandidates (e.g. 'customer:C1|profile:x:42')."
        )
    return left, right


def _reviewer(info: Info) -> str:
    """The caller as recorded on review decisions; only analysts and admins may review."""
    principal = info.context.principal
    principal.require("analyst", "admin", action="review merges")
    return f"api-key:{principal.key_id}"


def _audited(info: Info, decision: str, records: list[str], change: Callable[[], T]) -> T:
    """Run a review decision and append its audit event (who, records, persons before/after)."""
    context = info.context
    return audited_decision(
        context.driver, context.settings, decision, _reviewer(info), records, change
    )


async def _review(
    info: Info, decide: Callable[[Driver, str, str, str, str], int], candidate_id: str
) -> int:
    """Record a merge decision off the event loop, as the caller, audited."""
    left, right = _pair(candidate_id)
    context, reviewer = info.context, _reviewer(info)
    name = "accept" if decide is jobs.accept_merge else "reject"
    change = partial(decide, context.driver, left, right, reviewer, context.database)
    return await to_thread.run_sync(partial(_audited, info, name, [left, right], change))


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Accept a merge candidate: both records are one person.")
    async def accept_merge(self, info: Info, id: strawberry.ID) -> MergeDecision:
        changed = await _review(info, jobs.accept_merge, str(id))
        return MergeDecision(candidate_id=id, status="accepted", changed=changed)

    @strawberry.mutation(description="Reject a merge candidate: the records stay apart.")
    async def reject_merge(self, info: Info, id: strawberry.ID) -> MergeDecision:
        changed = await _review(info, jobs.reject_merge, str(id))
        return MergeDecision(candidate_id=id, status="rejected", changed=changed)

    @strawberry.mutation(
        description="Take a record ('customer:<id>' or 'profile:<key>') out of a person; "
        "returns the record's new person. Later runs keep it apart."
    )
    async def unmerge(
        self, info: Info, person_id: strawberry.ID, record_id: strawberry.ID
    ) -> Person | None:
        context, reviewer = info.context, _reviewer(info)
        change = partial(
            jobs.unmerge, context.driver, str(person_id), str(record_id), reviewer, context.database
        )
        new_id = await to_thread.run_sync(
            partial(_audited, info, "unmerge", [str(record_id)], change)
        )
        return Person.of(await info.context.person.load(new_id))

    @strawberry.mutation(
        description="Start an analysis in the background (analyst, admin); returns a job to "
        "poll with analysisJob(id) — its runId names the AlgorithmRun once finished."
    )
    def run_analysis(self, info: Info, kind: AnalysisKind) -> AnalysisJob:
        principal = info.context.principal
        principal.require("analyst", "admin", action="run analyses")
        job = info.context.jobs.start(kind.value, requested_by=principal.key_id)
        return AnalysisJob(job=job)

    @strawberry.mutation(
        description="Erase a customer, profile ('platform:id') or person and everything derived "
        "from them (admin only; cannot be undone). Audited with the API key, never the data; "
        "recluster: true re-runs identity resolution afterwards (whole graph; slow)."
    )
    async def erase(
        self, info: Info, kind: ErasureKind, id: str, recluster: bool = False
    ) -> ErasureResult:
        context = info.context
        outcome = await erase_as(
            context.principal,
            context.driver,
            context.settings,
            kind.value,
            id,
            recluster=recluster,
        )
        return ErasureResult.of(outcome)
