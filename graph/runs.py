"""AlgorithmRun nodes: one per analysis run, with its algorithm, parameters, graph size,
timings, status and start/finish times; and the clean-up that keeps the last N runs.

Results written by a run carry its ``run_id`` (``influence_run_id`` on profiles and persons,
``run_id`` on communities and segments), so cleaning a run removes exactly its results.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from neo4j import Driver, Query

from srm.cypher import analytics as statements
from srm.cypher import persons as person_statements
from srm.graph.writeback import read
from srm.store import translate_errors, write

__all__ = ["Run", "clean_old_runs", "new_run_id", "recorded_run"]

DEFAULT_KEEP = 3


def new_run_id(algorithm: str) -> str:
    """``algorithm-YYYYmmddTHHMMSS-xxxxxx``: sortable by time, unique by the suffix."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return f"{algorithm}-{stamp}-{uuid.uuid4().hex[:6]}"


@dataclass
class Run:
    """A run in progress: add timings (``timed``) and graph size before it finishes."""

    run_id: str
    algorithm: str
    parameters: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)
    graph_size: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @contextmanager
    def timed(self, step: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[step] = round(time.perf_counter() - started, 4)


def _scalar_properties(values: Mapping[str, Any]) -> dict[str, Any]:
    """Neo4j properties cannot be maps: nested values become JSON text."""
    return {
        key: json.dumps(value, sort_keys=True, default=str)
        if isinstance(value, dict | list | tuple)
        else value
        for key, value in values.items()
    }


@contextmanager
def recorded_run(
    driver: Driver,
    algorithm: str,
    parameters: Mapping[str, Any],
    *,
    database: str | None = None,
    keep: int = DEFAULT_KEEP,
) -> Iterator[Run]:
    """Create an AlgorithmRun (status ``running``), yield it, and mark it ``finished``
    with graph size, timings (``<step>_s``) and extra figures — or ``failed`` if the block
    raises. After success, runs of the same algorithm beyond the newest ``keep`` are
    cleaned up."""
    run = Run(run_id=new_run_id(algorithm), algorithm=algorithm, parameters=dict(parameters))
    write(
        driver,
        statements.START_RUN,
        database=database,
        run_id=run.run_id,
        properties={"algorithm": algorithm, "parameters": json.dumps(run.parameters, default=str)},
    )
    status = "failed"
    try:
        yield run
        status = "finished"
    finally:
        properties = {
            **_scalar_properties(run.graph_size),
            **{f"{step}_s": seconds for step, seconds in run.timings.items()},
            **_scalar_properties(run.extra),
        }
        write(
            driver,
            statements.FINISH_RUN,
            database=database,
            run_id=run.run_id,
            status=status,
            properties=properties,
        )
    clean_old_runs(driver, algorithm, keep=keep, database=database)


def clean_old_runs(
    driver: Driver, algorithm: str, *, keep: int = DEFAULT_KEEP, database: str | None = None
) -> list[str]:
    """Delete the runs of ``algorithm`` beyond the newest ``keep`` and everything they
    wrote (influence properties, communities and their IN links). Returns their ids."""
    rows = read(
        driver, statements.RUNS_BEYOND_KEEP, database=database, algorithm=algorithm, keep=keep
    )
    old = list(rows[0]["old"]) if rows else []
    if not old:
        return []
    with translate_errors(), driver.session(database=database) as session:
        # CALL … IN TRANSACTIONS needs an auto-commit transaction
        session.run(Query(statements.CLEAR_INFLUENCE_OF_RUN), ids=old).consume()
        session.run(Query(statements.CLEAR_COMMUNITIES_OF_RUN), ids=old).consume()
        session.run(Query(person_statements.CLEAR_PERSON_INFLUENCE_OF_RUN), ids=old).consume()
    write(driver, statements.DELETE_RUNS, database=database, ids=old)
    return old
