"""Ingest speed and memory on generated bundles, against per-row MERGE and LOAD CSV.

    python -m bench.ingest [--quick] [--people N] [--rounds N]

Starts its own Neo4j (temporary store), generates two bundles (quick: 1,500 and 15,000
people; full: 10,000 and 100,000 people, the latter about 1M follows; ``--people N``: N
and a tenth of N, 435,000 ≈ 5M follows), then measures:

1. the whole pipeline (check pass + write) on each bundle, each in a child process, for
   ``rows_per_s`` and ``peak_rss_mb`` (memory must stay flat: 10× the rows, ≤ 1.2× RSS),
   with batches small enough that both sizes fill them (``rss_batch_size``);
2. profiles + follows of the large bundle through the pipeline, and the same two files
   through Neo4j's ``LOAD CSV … CALL {…} IN TRANSACTIONS`` (same constraints, same graph),
   alternating for ``ROUNDS`` rounds (every round in ``rounds_profiles_follows_s``), best
   round of each: ``ratio_vs_load_csv``; the follows part gives the follows load time;
3. follows written one transaction per row (per-row MERGE): ``ratio_vs_per_row``;
4. the same profiles + follows through ``srm ingest --initial`` (Neo4j's offline importer,
   including the server's stop and restart and the schema) into the emptied store:
   ``ratio_initial_vs_bolt`` and ``ratio_initial_vs_load_csv`` (their best rounds over
   the initial load's time), ``same_graph_initial`` (node and relationship counts), and
   ``initial_phases_s``, the time of each step (files, stop, import, start, schema).

The embedded server resolves ``file:///`` URLs as absolute paths, so the CSVs are copied
under ``<data_dir>/import`` and named by their full path. Prints one JSON line last. The
machine is shared: read absolute numbers as orders of magnitude, ratios as measured side
by side.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from neo4j import Driver
from rich.console import Console

from bench.timing import seconds
from srm import db, local_neo4j
from srm.cypher import ingest as statements
from srm.ingest.pipeline import ingest_paths
from srm.initial_load import initial_load
from srm.settings import Settings
from srm.store import open_driver
from srm.synthetic.generate import generate_bundle

__all__ = ["main"]

console = Console(stderr=True)
PER_ROW_SAMPLE = 2_000
ROUNDS = 3


def _child(bundle: Path, uri: str, batch_size: int) -> None:
    """Run in a child process: ingest ``bundle``, print rows, seconds and peak RSS."""
    driver = open_driver(Settings(NEO4J_URI=uri))
    try:
        summary = ingest_paths(driver, [bundle], batch_size=batch_size)
    finally:
        driver.close()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"rows": summary.rows, "seconds": summary.seconds, "rss_mb": peak_kb / 1024}))


def _pipeline_in_child(bundle: Path, uri: str, batch_size: int) -> dict[str, Any]:
    done = subprocess.run(
        [
            sys.executable,
            *("-m", "bench.ingest", "--child", str(bundle), "--uri", uri),
            *("--batch-size", str(batch_size)),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _load_csv(driver: Driver, statement: str, path: Path) -> None:
    with driver.session() as session:
        session.run(statement, url=path.resolve().as_uri()).consume()


def _per_row_follows(driver: Driver, follows: Path, sample: int) -> float:
    """Rows per second writing ``sample`` follows one transaction each."""
    rows = []
    with follows.open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            follower, followed, follower_platform, followed_platform = line.rstrip("\n").split(",")
            rows.append((f"{follower_platform}:{follower}", f"{followed_platform}:{followed}"))
            if len(rows) == sample:
                break
    started = time.perf_counter()
    with driver.session() as session:
        for row in rows:
            session.execute_write(
                lambda tx, row=row: tx.run(
                    statements.LINK_FOLLOWS, rows=[[row[0], [0]]], targets=[row[1]]
                ).consume()
            )
    return len(rows) / (time.perf_counter() - started)


def _lines(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum(1 for _ in handle) - 1


def run(quick: bool, people: int | None = None, round_count: int = ROUNDS) -> dict[str, Any]:
    small, large = (1_500, 15_000) if quick else (10_000, 100_000)
    if people:
        small, large = people // 10, people
    # Memory is bounded by the batches in flight, so both sizes must fill whole batches of
    # every kind for the comparison to say anything about growth with input size.
    rss_batch = 1_000 if quick else 5_000
    settings = Settings()
    work = Path(tempfile.mkdtemp(prefix="srm-bench-ingest-"))
    try:
        data_dir = work / "neo4j"
        with local_neo4j.running_server(
            settings.home, data_dir, heap_mb=2048, pagecache_mb=1024
        ) as server:
            driver = open_driver(Settings(NEO4J_URI=server.uri))
            db.init_schema(driver)
            bundles = {}
            for people in (small, large):
                bundles[people] = work / f"bundle-{people}"
                generate_bundle(bundles[people], people=people, seed=1)
            end_to_end = {}
            for people in (small, large):
                db.wipe(driver)
                console.print(f"pipeline on {people:,} people (child process)…")
                end_to_end[people] = _pipeline_in_child(bundles[people], server.uri, rss_batch)
            bundle = bundles[large]
            profiles_rows, follows_rows = (
                _lines(bundle / "profiles.csv"),
                _lines(bundle / "follows.csv"),
            )

            imported = data_dir / "import"
            imported.mkdir(exist_ok=True)
            for name in ("profiles.csv", "follows.csv"):
                shutil.copy(bundle / name, imported / name)

            def ours() -> tuple[float, float, dict[str, int]]:
                db.wipe(driver)
                profiles = seconds(lambda: ingest_paths(driver, [bundle / "profiles.csv"]))
                follows = seconds(lambda: ingest_paths(driver, [bundle / "follows.csv"]))
                return profiles, follows, db.counts(driver)

            def load_csv() -> tuple[float, float, dict[str, int]]:
                db.wipe(driver)
                profiles = seconds(
                    lambda: _load_csv(
                        driver, statements.LOAD_CSV_PROFILES, imported / "profiles.csv"
                    )
                )
                follows = seconds(
                    lambda: _load_csv(driver, statements.LOAD_CSV_FOLLOWS, imported / "follows.csv")
                )
                return profiles, follows, db.counts(driver)

            # The machine is shared: the two loads alternate (order swapped each round) and
            # each keeps its best round, so a burst of other work does not decide the ratio.
            runs: dict[str, list[tuple[float, float, dict[str, int]]]] = {"ours": [], "csv": []}
            for round_number in range(round_count):
                order = [("ours", ours), ("csv", load_csv)]
                for name, action in order if round_number % 2 == 0 else reversed(order):
                    console.print(f"round {round_number + 1}: profiles + follows, {name}…")
                    runs[name].append(action())
                    profiles_s, follows_s, _ = runs[name][-1]
                    console.print(f"  profiles {profiles_s:.1f} s, follows {follows_s:.1f} s")
            rounds = {
                name: [[round(r[0], 1), round(r[1], 1)] for r in done]
                for name, done in runs.items()
            }
            ours_profiles, ours_follows, ours_counts = min(runs["ours"], key=lambda r: r[0] + r[1])
            csv_profiles, csv_follows, csv_counts = min(runs["csv"], key=lambda r: r[0] + r[1])

            db.wipe(driver)
            console.print(f"per-row MERGE of {PER_ROW_SAMPLE:,} follows…")
            ingest_paths(driver, [bundle / "profiles.csv"])
            per_row = _per_row_follows(driver, bundle / "follows.csv", PER_ROW_SAMPLE)
            db.wipe(driver)
            driver.close()
            console.print("initial load through the offline importer…")
            initial_summary = initial_load(
                Settings(NEO4J_URI=server.uri),
                data_dir,
                [bundle / "profiles.csv", bundle / "follows.csv"],
            )
            initial = initial_summary.seconds
            with open_driver(Settings(NEO4J_URI=server.uri)) as reopened:
                initial_counts = db.counts(reopened)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    rows_both = profiles_rows + follows_rows
    ours_rate = rows_both / (ours_profiles + ours_follows)
    csv_rate = rows_both / (csv_profiles + csv_follows)
    follows_rate = follows_rows / ours_follows
    rss_small, rss_large = end_to_end[small]["rss_mb"], end_to_end[large]["rss_mb"]
    return {
        "quick": quick,
        "rows_per_s": round(end_to_end[large]["rows"] / end_to_end[large]["seconds"]),
        "rows_per_s_by_size": {
            str(end_to_end[n]["rows"]): round(end_to_end[n]["rows"] / end_to_end[n]["seconds"])
            for n in (small, large)
        },
        "per_row_merge_rows_per_s": round(per_row),
        "batched_follows_rows_per_s": round(follows_rate),
        "ratio_vs_per_row": round(follows_rate / per_row, 1),
        "pipeline_profiles_follows_rows_per_s": round(ours_rate),
        "load_csv_rows_per_s": round(csv_rate),
        "ratio_vs_load_csv": round(ours_rate / csv_rate, 2),
        "ratio_vs_load_csv_follows_only": round(csv_follows / ours_follows, 2),
        "same_graph_as_load_csv": ours_counts == csv_counts,
        "initial_profiles_follows_s": round(initial, 1),
        "initial_phases_s": initial_summary.phase_seconds,
        "ratio_initial_vs_bolt": round((ours_profiles + ours_follows) / initial, 2),
        "ratio_initial_vs_load_csv": round((csv_profiles + csv_follows) / initial, 2),
        "same_graph_initial": initial_counts == ours_counts,
        "rounds_profiles_follows_s": rounds,
        "peak_rss_mb": {
            str(end_to_end[small]["rows"]): round(rss_small, 1),
            str(end_to_end[large]["rows"]): round(rss_large, 1),
        },
        "rss_ratio_10x_rows": round(rss_large / rss_small, 2),
        "rss_batch_size": rss_batch,
        "follows_edges": follows_rows,
        "follows_seconds": round(ours_follows, 1),
        "follows_seconds_per_1m": round(ours_follows * 1_000_000 / follows_rows, 1),
    }


def follows_only(people: int) -> dict[str, Any]:
    """Just the follows load time of a ``people``-person bundle (95,000 ≈ 1M follows)."""
    settings = Settings()
    work = Path(tempfile.mkdtemp(prefix="srm-bench-follows-"))
    try:
        with local_neo4j.running_server(
            settings.home, work / "neo4j", heap_mb=2048, pagecache_mb=1024
        ) as server:
            driver = open_driver(Settings(NEO4J_URI=server.uri))
            db.init_schema(driver)
            bundle = work / "bundle"
            generate_bundle(bundle, people=people, seed=1)
            console.print("profiles…")
            profiles = seconds(lambda: ingest_paths(driver, [bundle / "profiles.csv"]))
            console.print("follows…")
            follows = seconds(lambda: ingest_paths(driver, [bundle / "follows.csv"]))
            edges = db.counts(driver)["[FOLLOWS]"]
            driver.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "people": people,
        "profiles_seconds": round(profiles, 1),
        "follows_edges": edges,
        "follows_seconds": round(follows, 1),
        "follows_rows_per_s": round(edges / follows),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1.5k and 15k people, not 10k/100k.")
    parser.add_argument(
        "--people",
        type=int,
        metavar="N",
        help="People of the timed (large) set, the small one a tenth (about 11.5 follows "
        "a person: 435000 ≈ 5M follows).",
    )
    parser.add_argument(
        "--follows-only",
        type=int,
        metavar="PEOPLE",
        help="Only time the follows load of a PEOPLE-person bundle (95000 ≈ 1M follows).",
    )
    parser.add_argument(
        "--rounds", type=int, default=ROUNDS, help=f"Rounds of each load (default {ROUNDS})."
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--uri", help=argparse.SUPPRESS)
    parser.add_argument("--batch-size", type=int, default=10_000, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.uri, args.batch_size)
        return
    if args.follows_only:
        print(json.dumps(follows_only(args.follows_only)))
        return
    print(json.dumps(run(args.quick, args.people, args.rounds)))


if __name__ == "__main__":
    main()
