"""AlgorithmRun: one execution of an analysis (parameters, graph size, timings, status)."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import strawberry
from strawberry.scalars import JSON

from srm.api.values import iso

__all__ = ["AlgorithmRun"]

_KNOWN = {"run_id", "algorithm", "status", "started_at", "finished_at", "parameters"}


@strawberry.type(description="One run of an analysis; scores and communities carry its id.")
class AlgorithmRun:
    record: strawberry.Private[dict[str, Any]]

    @classmethod
    def of(cls, record: dict[str, Any] | None) -> AlgorithmRun | None:
        return cls(record=record) if record is not None else None

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.record["run_id"])

    @strawberry.field
    def algorithm(self) -> str | None:
        return self.record.get("algorithm")

    @strawberry.field(description="running, finished or failed (finished when not recorded).")
    def status(self) -> str:
        status = self.record.get("status")
        if status:
            return str(status)
        return "finished" if self.record.get("finished_at") is not None else "running"

    @strawberry.field
    def started_at(self) -> str | None:
        return iso(self.record.get("started_at"))

    @strawberry.field
    def finished_at(self) -> str | None:
        return iso(self.record.get("finished_at"))

    @strawberry.field(description="Parameters and graph size as recorded by the run.")
    def details(self) -> JSON:
        details = {key: value for key, value in self.record.items() if key not in _KNOWN}
        parameters = self.record.get("parameters")
        if isinstance(parameters, str):
            # graph/runs.py stores nested values as JSON text (Neo4j has no map properties).
            with contextlib.suppress(ValueError):
                parameters = json.loads(parameters)
        if parameters is not None:
            details["parameters"] = parameters
        return JSON(
            {
                key: iso(value) if hasattr(value, "isoformat") else value
                for key, value in details.items()
            }
        )
