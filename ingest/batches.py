"""Run write batches: one managed transaction per batch, on background threads.

A batch is a list of :class:`Step` (a statement from :mod:`srm.cypher.ingest` and its
``$rows``). Relationship statements MATCH both ends and return how many rows they linked;
when that is fewer than the rows sent, some end is not in the graph yet, so the step looks
up which keys are missing, MERGEs stub nodes for them and runs again — in the same
transaction. The common case (every end loaded) costs nothing extra.

The threads let Python read and validate the next batch while Neo4j writes this one;
batches keep submission order except consecutive node batches of one kind with distinct
keys, which two threads write side by side (see :class:`BatchRunner`).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from neo4j import Driver, ManagedTransaction

from srm.cypher import ingest as statements
from srm.store import translate_errors

__all__ = ["BatchRunner", "Step", "must_wait", "stub_row"]

_STUBS = {
    "profile": (statements.MISSING_PROFILE_KEYS, statements.MERGE_STUB_PROFILES),
    "post": (statements.MISSING_POST_KEYS, statements.MERGE_STUB_POSTS),
}


def stub_row(key: str) -> dict[str, str]:
    """The ``$rows`` entry of a stub for graph key ``platform:native_id``."""
    platform, _, native_id = key.partition(":")
    return {"key": key, "platform": platform, "id": native_id}


@dataclass(frozen=True)
class Step:
    """One statement of a batch.

    ``ends``: (row field or list index, ``"profile"`` | ``"post"``) of relationship ends that may be
    missing (stubbed on demand; the statement must return ``linked``); a field that names
    one of ``parameters`` means that parameter's list of keys. ``counted``: its
    creations are the batch's loaded rows. ``links``: how many ``linked`` mean every end
    was found, when rows group several relationships (default: one per row; an end field
    may then hold a list of keys). ``parameters``: sent beside ``$rows``.
    """

    statement: str
    rows: list[Any]
    ends: tuple[tuple[str | int, str], ...] = ()
    counted: bool = False
    links: int | None = None
    parameters: dict[str, Any] = dataclass_field(default_factory=dict)

    @property
    def expected_links(self) -> int:
        return len(self.rows) if self.links is None else self.links


@dataclass
class Outcome:
    """What a batch did: records created by its counted step, stub nodes created."""

    created: int = 0
    stubs: int = 0


def _stub_missing(tx: ManagedTransaction, step: Step) -> int:
    created = 0
    for field, kind in step.ends:
        find, merge = _STUBS[kind]
        found: set[str] = set()
        if isinstance(field, str) and field in step.parameters:
            found.update(step.parameters[field])
        else:
            for row in step.rows:
                value = row[field]
                if isinstance(value, list):
                    found.update(value)
                else:
                    found.add(value)
        keys = sorted(found)
        missing = tx.run(find, {"rows": keys}).single(strict=True)["missing"]
        if missing:
            rows = [stub_row(key) for key in sorted(missing)]
            created += tx.run(merge, {"rows": rows}).consume().counters.nodes_created
    return created


def _run_steps(tx: ManagedTransaction, steps: list[Step], parameters: dict[str, Any]) -> Outcome:
    outcome = Outcome()
    for step in steps:
        if not step.rows:
            continue
        sent = {**parameters, **step.parameters, "rows": step.rows}
        result = tx.run(step.statement, sent)
        record = result.single() if step.ends else None
        counters = result.consume().counters
        created = counters.nodes_created + counters.relationships_created
        if record is not None and record["linked"] < step.expected_links:
            outcome.stubs += _stub_missing(tx, step)
            again = tx.run(step.statement, sent).consume().counters
            created += again.nodes_created + again.relationships_created
        if step.counted:
            outcome.created += created
    return outcome


def must_wait(
    group: str | None, keys: frozenset[str], earlier_group: str | None, earlier_keys: frozenset[str]
) -> bool:
    """Whether a batch must wait for an earlier, unfinished one (see :class:`BatchRunner`)."""
    return group is None or earlier_group != group or not keys.isdisjoint(earlier_keys)


@dataclass
class _Job:
    steps: list[Step]
    input_rows: int
    waits_for: list[_Job]
    group: str | None = None
    keys: frozenset[str] = frozenset()
    done: threading.Event = dataclass_field(default_factory=threading.Event)


class BatchRunner:
    """Execute submitted batches on ``workers`` background threads, in dependency order.

    A batch waits for every batch submitted before it and not yet committed, except those
    of its own ``group`` whose ``keys`` are disjoint from its own: consecutive batches of
    new profiles (or customers) are written side by side (Neo4j uses both cores: about
    25 % faster), while anything else — relationships, posts, another kind of node, or the
    same key again (the later row must win) — keeps submission order. That is what puts
    nodes before the relationships that need them.

    ``on_done(outcome, input_rows)`` runs on a worker thread, one batch at a time (under a
    lock), after each commit. An error stops the writing; it is raised by the next
    :meth:`submit` or by :meth:`close`.
    """

    def __init__(
        self,
        driver: Driver,
        *,
        database: str | None,
        parameters: dict[str, Any],
        on_done: Callable[[Outcome, int], None],
        workers: int = 2,
        depth: int = 1,
    ) -> None:
        self.driver, self.database, self.parameters = driver, database, parameters
        self.on_done = on_done
        self._jobs: queue.Queue[_Job | None] = queue.Queue(maxsize=depth)
        self._lock = threading.Lock()
        self._unfinished: list[_Job] = []  # submitted and not yet done, in submission order
        self._error: BaseException | None = None
        self._threads = [
            threading.Thread(target=self._drain, name=f"srm-ingest-writer-{n}", daemon=True)
            for n in range(workers)
        ]
        for thread in self._threads:
            thread.start()

    def _drain(self) -> None:
        with self.driver.session(database=self.database) as session:
            while (job := self._jobs.get()) is not None:
                try:
                    for earlier in job.waits_for:
                        earlier.done.wait()
                    job.waits_for = []  # else each batch keeps every earlier one alive
                    if self._error is None:
                        with translate_errors():
                            outcome = session.execute_write(_run_steps, job.steps, self.parameters)
                        with self._lock:
                            self.on_done(outcome, job.input_rows)
                except BaseException as error:  # handed to the submitting thread
                    self._error = self._error or error
                finally:
                    with self._lock:
                        self._unfinished.remove(job)
                    job.steps, job.waits_for = [], []  # later batches may still hold the job
                    job.done.set()

    def submit(
        self,
        steps: list[Step],
        input_rows: int,
        *,
        group: str | None = None,
        keys: frozenset[str] = frozenset(),
    ) -> None:
        """Queue a batch (blocks while the queue is full). ``group`` and ``keys``: see the
        class docstring; without a group the batch runs after everything before it."""
        if self._error is not None:
            raise self._error
        with self._lock:
            waits_for = [
                earlier
                for earlier in self._unfinished
                if must_wait(group, keys, earlier.group, earlier.keys)
            ]
            job = _Job(steps, input_rows, waits_for, group, keys)
            self._unfinished.append(job)
        self._jobs.put(job)

    def close(self) -> None:
        """Wait until every submitted batch is written; raise the first error, if any."""
        for _ in self._threads:
            self._jobs.put(None)
        for thread in self._threads:
            thread.join()
        if self._error is not None:
            raise self._error
