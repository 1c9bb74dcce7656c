"""Run write batches: one managed transaction per batch, in order, on a background thread.

A batch is a list of :class:`Step` (a statement from :mod:`srm.cypher.ingest` and its
``$rows``). Relationship statements MATCH both ends and return how many rows they linked;
when that is fewer than the rows sent, some end is not in the graph yet, so the step looks
up which keys are missing, MERGEs stub nodes for them and runs again — in the same
transaction. The common case (every end loaded) costs nothing extra.

The thread lets Python read and validate the next batch while Neo4j writes this one; a
single thread keeps batches in submission order, which is what puts nodes before the
relationships that need them.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from neo4j import Driver, ManagedTransaction

from srm.cypher import ingest as statements
from srm.store import translate_errors

__all__ = ["BatchRunner", "Step", "stub_row"]

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
    missing (stubbed on demand; the statement must return ``linked``). ``counted``: its
    creations are the batch's loaded rows. ``links``: how many ``linked`` mean every end
    was found, when rows group several relationships (default: one per row; an end field
    may then hold a list of keys).
    """

    statement: str
    rows: list[Any]
    ends: tuple[tuple[str | int, str], ...] = ()
    counted: bool = False
    links: int | None = None

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
        result = tx.run(step.statement, {**parameters, "rows": step.rows})
        record = result.single() if step.ends else None
        counters = result.consume().counters
        created = counters.nodes_created + counters.relationships_created
        if record is not None and record["linked"] < step.expected_links:
            outcome.stubs += _stub_missing(tx, step)
            again = tx.run(step.statement, {**parameters, "rows": step.rows}).consume().counters
            created += again.nodes_created + again.relationships_created
        if step.counted:
            outcome.created += created
    return outcome


class BatchRunner:
    """Execute submitted batches in order on one background thread.

    ``on_done(outcome, input_rows)`` runs on that thread after each commit. An error stops
    the writing; it is raised by the next :meth:`submit` or by :meth:`close`.
    """

    def __init__(
        self,
        driver: Driver,
        *,
        database: str | None,
        parameters: dict[str, Any],
        on_done: Callable[[Outcome, int], None],
        depth: int = 1,
    ) -> None:
        self.driver, self.database, self.parameters = driver, database, parameters
        self.on_done = on_done
        self._jobs: queue.Queue[tuple[list[Step], int] | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._drain, name="srm-ingest-writer", daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        try:
            with translate_errors(), self.driver.session(database=self.database) as session:
                while (job := self._jobs.get()) is not None:
                    steps, input_rows = job
                    outcome = session.execute_write(_run_steps, steps, self.parameters)
                    self.on_done(outcome, input_rows)
        except BaseException as error:  # handed to the submitting thread
            self._error = error
            # Keep taking jobs so a submitter blocked on a full queue is released.
            while self._jobs.get() is not None:
                pass

    def submit(self, steps: list[Step], input_rows: int) -> None:
        if self._error is not None:
            raise self._error
        self._jobs.put((steps, input_rows))

    def close(self) -> None:
        """Wait until every submitted batch is written; raise the first error, if any."""
        self._jobs.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
