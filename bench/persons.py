"""Person-layer benchmark: what scoring persons adds to an influence run.

    python -m bench.persons [--profiles 200000] [--follows 1000000] [--grouped 0.3]

Starts its own Neo4j (temporary store), writes the seeded synthetic follow graph of
``bench.analytics`` into it, groups a share of the profiles (``--grouped``, default 30 %)
into persons of 2 or 3 accounts with PART_OF, then runs the influence job (PageRank only:
the cheapest run, so the person layer's share is the largest it gets) once to warm up and
three times more. Every run records its steps; the person layer (``persons``: matching
the persons' accounts, scoring units with the unduplicated audience, writing persons and
the explanations of the 100 best) is compared with the rest of the same run (read,
compute, write of the accounts). The JSON last line holds the sizes, the best run's figures and
``person_layer_ratio`` (below); the target is ≤ 0.20, re-runs included.
The person layer's reads (every person with its accounts and stored digest, one
statement) run beside the projection's read; their wall time (``person_reads_s``) is
counted in full, as if they ran alone: ``person_layer_ratio`` = (persons_s +
person_reads_s) / (read_s + compute_s + write_s), an upper bound of what the layer adds.
``after_accounts_ratios`` leave the overlapped reads out (persons_s alone), the lower one.
Each timed run is preceded by the same re-run without the person layer
(``run_influence(with_persons=False)``), ``--rounds`` pairs (5): ``added_to_run`` is the
median over the pairs of (run with the layer / run without it − 1) — the wall time the layer
adds to a whole re-run, overlap and contention included (``added_to_run_each`` per pair).
Every run keeps 100 runs' stamps, so none rewrites all profiles by ageing out another's.
"""

from __future__ import annotations

import argparse
import json
import logging
from functools import partial
from typing import Any

import numpy as np
from neo4j import Driver
from rich.console import Console

from bench.analytics import stored_graph, synthetic_follows
from bench.timing import seconds, timed_call
from srm.cypher import persons as statements
from srm.graph.analysis import run_influence
from srm.graph.writeback import write_rows

console = Console(stderr=True)
logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)


def write_persons(driver: Driver, node_ids: np.ndarray, share: float, seed: int = 11) -> int:
    """Group ``share`` of the profiles, drawn at random, into persons of 2 or 3 accounts."""
    rng = np.random.default_rng(seed)
    chosen = rng.permutation(len(node_ids))[: int(len(node_ids) * share)]
    rows: list[list[Any]] = []
    start = 0
    while start + 1 < len(chosen):
        size = int(rng.integers(2, 4))
        accounts = chosen[start : start + size]
        rows.append([f"bench-person-{len(rows)}", node_ids[accounts].tolist()])
        start += size
    write_rows(driver, statements.BENCH_CREATE_PERSONS, rows, batch_size=5_000)
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=200_000)
    parser.add_argument("--follows", type=int, default=1_000_000)
    parser.add_argument("--grouped", type=float, default=0.3, help="share of profiles in persons")
    parser.add_argument("--rounds", type=int, default=5, help="timed pairs of re-runs")
    arguments = parser.parse_args()
    profiles, follows = arguments.profiles, arguments.follows
    sources, targets = synthetic_follows(profiles, follows, groups=max(profiles // 1000, 1))
    figures: dict[str, Any] = {"profiles": profiles, "follows": len(sources)}
    runs = []
    with stored_graph(sources, targets, profiles) as (driver, node_ids):
        figures["persons"] = write_persons(driver, node_ids, arguments.grouped)
        # keep: no run ages out another's stamps here, so every timed run is a like re-run
        job = partial(run_influence, driver, weights={"pagerank": 1.0}, explain_top=100, keep=100)
        job()
        for _ in range(arguments.rounds):
            # the same re-run without the person layer, then with it, in turns
            alone = seconds(partial(job, with_persons=False))
            took, report = timed_call(job)
            runs.append({**report.timings, "person_reads": report.person_reads_s,
                         "run_s": took, "run_without_s": alone})  # fmt: skip
            console.print(runs[-1])

    def accounts_s(timings: dict[str, float]) -> float:
        return timings["read"] + timings["compute"] + timings["write"]

    def ratio(timings: dict[str, float]) -> float:
        return (timings["persons"] + timings["person_reads"]) / accounts_s(timings)

    best = min(runs, key=lambda t: accounts_s(t) + t["persons"] + t["person_reads"])
    figures.update(
        {
            "accounts_s": round(accounts_s(best), 3),
            "persons_s": round(best["persons"], 3),
            "person_reads_s": round(best["person_reads"], 3),
            "person_layer_ratio": round(ratio(best), 3),
            "person_layer_ratios": [round(ratio(t), 3) for t in runs],
            "after_accounts_ratios": [round(t["persons"] / accounts_s(t), 3) for t in runs],
            # the wall time the layer adds to a whole run: with it over without it, - 1
            "added_to_run": round(
                float(np.median([t["run_s"] / t["run_without_s"] - 1 for t in runs])), 3
            ),
            "added_to_run_each": [round(t["run_s"] / t["run_without_s"] - 1, 3) for t in runs],
        }
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
