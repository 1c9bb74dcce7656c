"""GraphQL mutations (role-gated): start analyses. They call graph/'s entry points; nothing
here computes."""

from __future__ import annotations

import strawberry
from srm.api.context import Info
from srm.api.types.job import AnalysisJob, AnalysisKind

__all__ = ["Mutation"]


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Start an analysis in the background (analyst, admin); returns a job to "
        "poll with analysisJob(id) — its runId names the AlgorithmRun once finished."
    )
    def run_analysis(self, info: Info, kind: AnalysisKind) -> AnalysisJob:
        principal = info.context.principal
        principal.require("analyst", "admin", action="run analyses")
        job = info.context.jobs.start(kind.value, requested_by=principal.key_id)
        return AnalysisJob(job=job)
