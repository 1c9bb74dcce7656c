"""Analyses started from the API: run in a background thread, one at a time, polled by id.

The analysis itself is graph/'s (``srm.graph.analysis``, called through
:mod:`srm.api.services.jobs`): it records an ``AlgorithmRun``
(status running → finished | failed) stamped on its results; a job links the request to
that run id once the analysis has finished.
"""

from __future__ import annotations

import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

from neo4j import Driver

from srm.api.services.jobs import ANALYSES
from srm.errors import SRMError

__all__ = ["ANALYSES", "AnalysisJobs", "Job"]

log = logging.getLogger("srm.api")


@dataclass
class Job:
    """One requested analysis and what became of it."""

    job_id: str
    kind: str
    requested_by: str
    status: str = "queued"
    run_id: str | None = None
    error: str | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))


class AnalysisJobs:
    """The app's job list: a single worker thread so analyses never compete for the CPU."""

    def __init__(self, driver: Driver, database: str, keep: int = 100) -> None:
        self._driver = driver
        self._database = database
        self._keep = keep
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="srm-analysis")

    def start(self, kind: str, requested_by: str) -> Job:
        """Queue the analysis ``kind`` (one of :data:`ANALYSES`) and return its job."""
        job = Job(job_id=uuid.uuid4().hex[:16], kind=kind, requested_by=requested_by)
        with self._lock:
            self._jobs[job.job_id] = job
            for old in list(self._jobs)[: max(0, len(self._jobs) - self._keep)]:
                del self._jobs[old]
        self._executor.submit(self._run, job)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def wait(self, timeout_s: float) -> None:
        """Wait until every queued job has ended (tests and shutdown)."""
        self._executor.submit(lambda: None).result(timeout=timeout_s)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _run(self, job: Job) -> None:
        job.status = "running"
        try:
            job.run_id = ANALYSES[job.kind](self._driver, self._database)
            job.status = "finished"
        except SRMError as error:
            job.status, job.error = "failed", str(error)
        except Exception as error:  # a failed job must say so, whatever the cause
            reference = uuid.uuid4().hex[:12]
            log.error(
                "Analysis job %s failed (reference %s)", job.job_id, reference, exc_info=error
            )
            job.status, job.error = "failed", f"Internal error (reference {reference})."
