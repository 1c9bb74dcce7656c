"""`srm identities …` on the graph: resolve, explain, review, unmerge, export.

:func:`resolve_graph` runs every stage on the records in Neo4j — load, normalise, block,
compare (graph evidence included), fit or load the model and refit it on the reviewed
pairs, score, cluster with reviewed decisions (rejected pairs never merged, accepted pairs
always merged), keep person ids stable by overlap — and writes ``SAME_AS`` candidates,
``PART_OF`` and the model's threshold and label count back. ``accept``, ``reject`` and
``unmerge`` are :mod:`srm.graph.identity.decisions`' (kept as history, undoable).
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from neo4j import Driver

from srm.cypher import identity as q
from srm.errors import NotFoundError
from srm.graph.identity import store
from srm.graph.identity.cluster import assign_person_ids
from srm.graph.identity.decisions import accept, reject, unmerge, write_model_info
from srm.graph.identity.explain import evidence_json, waterfall_text
from srm.graph.identity.model import load_model, save_model
from srm.graph.identity.records import social_records
from srm.graph.identity.social import (
    DEFAULT_THRESHOLD,
    Resolution,
    resolve_records,
    social_comparisons,
)
from srm.progress import Step, silent
from srm.store import read

__all__ = [
    "ResolveSummary",
    "accept",
    "demo_person",
    "explain_pair",
    "export_clusters",
    "reject",
    "resolve_graph",
    "review_queue",
    "unmerge",
]

CANDIDATE_FLOOR = 0.3


@dataclass
class ResolveSummary:
    records: int
    pairs_compared: int
    persons: int
    merges: int
    candidates_written: int
    model_version: str
    seconds: float
    resolution: Resolution
    labels: int = 0
    threshold: float = DEFAULT_THRESHOLD

    def line(self) -> str:
        return (
            f"Resolved {self.records:,} records: {self.pairs_compared:,} pairs compared, "
            f"{self.persons:,} persons, {self.merges:,} records merged into others, "
            f"model {self.model_version} ({self.seconds:.1f} s); {self.labels:,} reviewed "
            f"labels used, threshold {self.threshold:.2f}"
        )

    def to_json(self) -> dict[str, Any]:
        """The summary's figures (no records), for ``--json``."""
        return {
            "records": self.records, "pairs_compared": self.pairs_compared,
            "persons": self.persons, "merges": self.merges,
            "candidates_written": self.candidates_written, "model_version": self.model_version,
            "labels": self.labels, "threshold": self.threshold,
            "threshold_from": self.resolution.model.notes.get("threshold_from", "default"),
            "seconds": round(self.seconds, 2),
        }  # fmt: skip


def resolve_graph(
    driver: Driver,
    *,
    model_path: Path | None = None,
    save_model_path: Path | None = None,
    threshold: float | None = None,
    region: str = "ES",
    with_graph: bool = True,
    batch_size: int = 10_000,
    database: str | None = None,
    on_step: Step = silent,
) -> ResolveSummary:
    """Resolve every Customer and Profile in the graph into Persons (see module doc).

    Every reviewed pair is a label the model is refitted on; ``threshold`` None lets the
    labels choose it (:mod:`srm.graph.identity.labels`). ``on_step`` is told each stage
    as it starts, in words."""
    started = time.perf_counter()
    on_step("reading customers, profiles, follows and mentions")
    inputs = store.load_graph_inputs(driver, database)
    decisions = store.load_decisions(driver, database)
    previous = store.load_persons(driver, database)
    records = social_records(inputs["customers"], inputs["profiles"], region=region)
    model = (
        load_model(model_path, social_comparisons(with_graph=with_graph)) if model_path else None
    )
    resolution = resolve_records(
        records, follows=inputs["follows"], mentions=inputs["mentions"], model=model,
        threshold=threshold, with_graph=with_graph, accepted=decisions["accepted"],
        rejected=decisions["rejected"], on_step=on_step,
    )  # fmt: skip
    if save_model_path:
        save_model(resolution.model, save_model_path)
    frame, scored = resolution.frame, resolution.scored
    ids = frame["record_id"].tolist()
    candidates = np.flatnonzero(scored.probability >= CANDIDATE_FLOOR)
    on_step(f"writing {len(candidates):,} SAME_AS candidates")
    written = store.write_same_as(
        driver, _candidate_rows(resolution, candidates, ids), batch_size=batch_size,
        database=database,
    )  # fmt: skip
    person_ids = assign_person_ids(ids, resolution.labels, previous)
    names = frame["display"].tolist()
    version = resolution.model.version
    part_of = (
        {"kind": kind, "key": key, "person_id": person_id, "name": name, "model_version": version}
        for (kind, key), person_id, name in zip(
            map(store.record_key, ids), person_ids, names, strict=True
        )
    )
    on_step(f"writing the persons of {len(ids):,} records")
    store.write_part_of(driver, part_of, batch_size=batch_size, database=database)
    persons = len(set(person_ids))
    labels = int(resolution.model.notes.get("labels", 0)) if model is None else 0
    write_model_info(
        driver, resolution.model.version, resolution.threshold, labels,
        str(resolution.model.notes.get("threshold_from", "default")), database,
    )  # fmt: skip
    return ResolveSummary(
        len(ids), len(scored), persons, len(ids) - persons, written, resolution.model.version,
        time.perf_counter() - started, resolution, labels, resolution.threshold,
    )  # fmt: skip


# Candidates whose per-comparison weights are computed at once for their evidence.
_EVIDENCE_CHUNK = 20_000


def _candidate_rows(
    resolution: Resolution, candidates: np.ndarray, ids: list[str]
) -> Iterator[dict[str, Any]]:
    """The SAME_AS row of each pair of ``candidates`` (positions among the scored pairs),
    with its evidence, as a stream: per-comparison weights are computed a chunk of
    candidates at a time (all pairs' would not fit, and millions of rows with their evidence
    text need not be held)."""
    scored, model = resolution.scored, resolution.model
    for start in range(0, len(candidates), _EVIDENCE_CHUNK):
        chunk = candidates[start : start + _EVIDENCE_CHUNK]
        for k, weights in zip(chunk, scored.weights_of(chunk), strict=True):
            yield store.pair_row(
                ids[scored.left[k]], ids[scored.right[k]],
                probability=float(scored.probability[k]),
                evidence=evidence_json(model, resolution.comparisons, scored.gamma[k], weights,
                                       scored.rivals_of(k)),
                model_version=model.version,
            )  # fmt: skip


def explain_pair(driver: Driver, a: str, b: str, database: str | None = None) -> str:
    """The stored waterfall of the SAME_AS link between records ``a`` and ``b``, in words."""
    link = store.read_pair(driver, a, b, database)
    if link is None:
        raise NotFoundError(
            "These two records were not scored as a pair (no SAME_AS link). Run "
            "'srm identities resolve' first, or check the record ids."
        )
    steps = json.loads(link["evidence"]) if link.get("evidence") else []
    header = f"{a} ~ {b}: status {link['status']}, model {link.get('model_version')}"
    return header + "\n" + waterfall_text(steps, link.get("probability"))


def review_queue(
    driver: Driver, low: float = 0.5, high: float = 0.9, limit: int = 50,
    database: str | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    """Candidate pairs with a probability in [low, high], most likely first."""
    return read(driver, q.REVIEW_QUEUE, database=database, low=low, high=high, limit=limit)


def export_clusters(driver: Driver, out: Path, database: str | None = None) -> int:
    """Write ``record_id,person_id`` for every Customer and Profile; returns rows written."""
    rows = read(driver, q.EXPORT_RECORDS, database=database)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["record_id", "person_id"])
        for row in rows:
            writer.writerow([row["record_id"], row["person_id"] or ""])
    return len(rows)


def demo_person(driver: Driver, database: str | None = None) -> str:
    """For the demo, after :func:`resolve_graph`: a person whose records include two joined
    by a direct SAME_AS link (a CRM record and a profile when there is one, else the
    largest person), its records, and the waterfall of that link in words."""
    found = read(driver, q.DEMO_PAIR, database=database)
    if not found:
        raise NotFoundError(
            "No person has two records joined by a SAME_AS link; load customers and "
            "profiles, then run 'srm identities resolve'."
        )
    pair = found[0]
    members = read(driver, q.DEMO_MEMBERS, database=database, person_id=pair["person_id"])
    lines = [f"Person {pair['person_id']} — {len(members)} records:"]
    for row in members:
        details = ", ".join(str(row[k]) for k in ("handle", "place") if row.get(k))
        lines.append(
            f"  {row['record_id']}: {row['name'] or '?'}" + (f" ({details})" if details else "")
        )
    lines.append("Why " + pair["a"] + " and " + pair["b"] + " are one person:")
    lines.append(explain_pair(driver, pair["a"], pair["b"], database))
    return "\n".join(lines)
