"""Person-layer benchmark: what scoring persons adds to an influence run.

    python -m bench.persons [--profiles 200000] [--follows 1000000] [--grouped 0.3]
                            [--rounds 5]

Starts its own Neo4j (temporary store), writes the seeded synthetic follow graph of
``bench.analytics`` into it, groups a share of the profiles (``--grouped``, default 30 %)
into persons of 2 or 3 accounts with PART_OF, then runs the influence job (PageRank only:
the cheapest run, so the person layer's share is the largest it gets) once to warm up,
then ``--rounds`` pairs of re-runs: the same run without the person layer
(``run_influence(with_persons=False)``: no PART_OF read, no person step) and with it,
which of the two goes first alternating from pair to pair.
``added_to_run`` is the median over the pairs of (run with the layer / run without it −
1): the wall time the layer adds to a whole re-run — the PART_OF scan beside the follows'
read, the person step (units, scores, digests, the persons' write and the explanations of
the 100 best) and the report's person ranking — contention included
(``added_to_run_each`` per pair; ``added_by_medians``: the median run with the layer over
the median run without it, − 1). The target is ≤ 0.20. Also printed: the person step
over the rest of the same run (``person_step_ratios``: persons_s / (read + compute +
write)), and the medians of each step with and without the layer. Every run keeps 100
runs' stamps, so none rewrites all profiles by ageing out another's. JSON on the last line.
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
from bench.timing import timed_call
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
        for round_ in range(arguments.rounds):
            # the same re-run without the person layer and with it, the first of the pair
            # alternating (a drift of the machine's load favours neither)
            if round_ % 2 == 0:
                alone, without = timed_call(partial(job, with_persons=False))
                took, report = timed_call(job)
            else:
                took, report = timed_call(job)
                alone, without = timed_call(partial(job, with_persons=False))
            runs.append({**report.timings, "part_of_read": report.part_of_read_s,
                         "run_s": took, "run_without_s": alone,
                         "without": without.timings})  # fmt: skip
            console.print({key: value for key, value in runs[-1].items() if key != "without"})

    def accounts_s(timings: dict[str, float]) -> float:
        return timings["read"] + timings["compute"] + timings["write"]

    def median(values: list[float]) -> float:
        return round(float(np.median(values)), 3)

    added = [t["run_s"] / t["run_without_s"] - 1 for t in runs]
    figures.update(
        {
            "added_to_run": median(added),
            "added_to_run_each": [round(value, 3) for value in added],
            # the same from the medians of each kind of run (pairs not kept together)
            "added_by_medians": round(
                float(np.median([t["run_s"] for t in runs]))
                / float(np.median([t["run_without_s"] for t in runs]))
                - 1,
                3,
            ),
            "run_with_s": [round(t["run_s"], 3) for t in runs],
            "run_without_s": [round(t["run_without_s"], 3) for t in runs],
            "person_step_ratios": [round(t["persons"] / accounts_s(t), 3) for t in runs],
            "persons_s": median([t["persons"] for t in runs]),
            "part_of_read_s": median([t["part_of_read"] for t in runs]),
            **{
                f"{step}_s": {
                    "with": median([t[step] for t in runs]),
                    "without": median([t["without"][step] for t in runs]),
                }
                for step in ("read", "compute", "write")
            },
        }
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
