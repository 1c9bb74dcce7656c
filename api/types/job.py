"""AnalysisJob: an analysis started with runAnalysis, polled with analysisJob(id)."""

from __future__ import annotations

from enum import Enum

import strawberry

from srm.api.context import Info
from srm.api.jobs import Job
from srm.api.types.run import AlgorithmRun

__all__ = ["AnalysisJob", "AnalysisKind"]


@strawberry.enum(description="Analyses that can be started from the API.")
class AnalysisKind(Enum):
    INFLUENCE = "influence"
    COMMUNITIES = "communities"


@strawberry.type(description="A started analysis; poll it until status is finished or failed.")
class AnalysisJob:
    job: strawberry.Private[Job]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.job.job_id)

    @strawberry.field
    def kind(self) -> str:
        return self.job.kind

    @strawberry.field(description="queued, running, finished or failed.")
    def status(self) -> str:
        return self.job.status

    @strawberry.field(description="The AlgorithmRun id, once the analysis has finished.")
    def run_id(self) -> str | None:
        return self.job.run_id

    @strawberry.field
    def error(self) -> str | None:
        return self.job.error

    @strawberry.field
    def created_at(self) -> str:
        return self.job.created_at.isoformat()

    @strawberry.field(description="The query that polls this job.")
    def poll_query(self) -> str:
        return f'query {{ analysisJob(id: "{self.job.job_id}") {{ status runId error }} }}'

    @strawberry.field(description="The run with its parameters, graph size and timings.")
    async def run(self, info: Info) -> AlgorithmRun | None:
        if self.job.run_id is None:
            return None
        return AlgorithmRun.of(await info.context.run_by_id.load(self.job.run_id))
