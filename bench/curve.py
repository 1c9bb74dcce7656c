"""Cost curves: how every step's cost grows with the graph, from 1M to 20M follows.

    python -m bench.curve [--max-follows N] [--sizes 1000000,5000000,20000000]
                          [--steps load_initial,pagerank,...] [--bundles DIR]
                          [--previous FILE]

For each size (follows; profiles, customers and posts in proportion, as ``srm generate``
makes them: about 11 follows per generated person) it generates a bundle, starts its own
Neo4j on a temporary store (heap and page cache by SRM's sizing rule for the expected
store), and times:

- ``load_bolt_s``: ``srm ingest`` of the whole bundle (the Bolt path);
- ``wipe_s``: ``srm db wipe`` of that graph (bounded transactions);
- ``load_initial_s``: ``srm ingest --initial`` of the same bundle into the emptied store
  (Neo4j's offline importer, server stop and start, schema);
- ``pagerank_end_to_end_s``: the influence job with PageRank only (read the projection,
  compute, write every profile back), as ``bench.analytics`` times it;
- ``leiden_s``: the community job (Leiden, summaries, IN links);
- ``identity_s``: identity resolution of the bundle's customers and profiles (local
  engine, SAME_AS and PART_OF written);
- ``graphql_{top,followers,ego}_p50_ms`` / ``_p99_ms``: three GraphQL queries through the
  HTTP app (top 100 influencers; a page of 50 followers of the top profile; its ego network
  of 50), ``REQUESTS`` requests each after a warm-up;
- ``backup_s`` and ``export_s`` (``srm export --format bundle``, every part);
- ``erase_s``: ``srm erase profile`` of the most-followed profile (its follows deleted in
  bounded batches, suppression and audit written);
- ``restore_s``: ``srm restore`` of that backup into the wiped store (load, fingerprint
  check, the erasure replayed from the suppression list); needs ``backup`` and ``wipe``.

It also records memory: per timed step, ``<step>_peak_mb`` and ``<step>_neo4j_peak_mb``
(the highest resident memory of this process and of the server while the step ran,
sampled twice a second), ``python_peak_rss_mb`` (this process's peak so far),
``neo4j_rss_mb`` (the server's resident memory after the last step) and the
``neo4j_heap_mb`` / ``neo4j_pagecache_mb`` the sizing rule gave (``SRM_NEO4J_HEAP_MB`` and
``SRM_NEO4J_PAGECACHE_MB`` override them, as for ``srm neo4j start``, and the initial
load's restart keeps them).

``--steps`` runs a subset (names in :data:`STEPS`; the graph is loaded by ``load_initial``
when it is chosen, else by ``load_bolt``; ``wipe`` runs between the two loads when both
run, else after the other steps, on the loaded graph, and ``restore`` after it), so a
large size can be measured for its cheaper steps alone. ``--bundles DIR`` keeps each
generated bundle in ``DIR/<follows>`` and reuses it. ``--previous FILE`` reads the JSON
last line of an earlier run and merges its sizes into the series before the exponents are
fitted (a value measured again here replaces the earlier one; the others stay).

It prints each series as it goes and, last, one JSON line: ``sizes`` (follows actually
generated), ``series`` (name → values per size, null where a step was not run) and
``exponents`` (name → the least-squares slope of log(value) over log(follows): 1.0 is
linear). At least two sizes are needed for exponents. The machine is shared: read absolute
numbers as orders of magnitude.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import psutil
from rich.console import Console

from bench.load import running_api
from bench.statements import MOST_FOLLOWED
from bench.timing import PeakMemory, seconds
from srm import db, local_neo4j
from srm.api.app import create_app
from srm.graph.analysis import run_communities, run_influence
from srm.graph.identity.pipeline import resolve_graph
from srm.ingest.pipeline import ingest_paths
from srm.initial_load import initial_load
from srm.neo4j_memory import available_memory_mb, plan_memory
from srm.operations.backup import backup, restore
from srm.operations.backup_bundle import EXPORT_PARTS, write_bundle
from srm.operations.erasure import erase
from srm.settings import Settings
from srm.store import open_driver, read
from srm.synthetic.generate import generate_bundle

__all__ = ["STEPS", "growth_exponent", "main", "merge_runs"]

console = Console(stderr=True)
logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)

DEFAULT_SIZES = (1_000_000, 5_000_000, 20_000_000)
FOLLOWS_PER_PERSON = 11.4  # what srm generate's defaults give (measured: 2k and 5k people)
STORE_BYTES_PER_FOLLOW = 400  # store per follow with its share of nodes (about 330 measured at 5M)
# p99 of 300 requests is their 297th; of 60 it was the slowest one, a single pause.
REQUESTS = 300
STEPS = (
    "load_bolt",
    "wipe",
    "load_initial",
    "pagerank",
    "leiden",
    "identity",
    "graphql",
    "backup",
    "export",
    "erase",
    "restore",
)

TOP = """{ influencers(first: 100) { edges { node {
  id handle displayName followersCount influence { value percentile } } } } }"""
FOLLOWERS = """query($id: ID!) { profile(id: $id) { followers(first: 50) {
  edges { node { id handle followersCount } } pageInfo { endCursor hasNextPage } } } }"""
EGO = """query($id: ID!) { egoNetwork(id: $id, depth: 1, limit: 50) {
  nodes { id handle } edges { source target type } } }"""


def growth_exponent(sizes: list[int], values: list[float | None]) -> float | None:
    """The least-squares slope of log(value) over log(size): how a cost grows (1.0 is
    linear, 2.0 quadratic). Missing values are left out; None with fewer than two
    positive points."""
    points = [
        (math.log(s), math.log(v))
        for s, v in zip(sizes, values, strict=True)
        if v is not None and v > 0
    ]
    if len(points) < 2:
        return None
    xs, ys = zip(*points, strict=True)
    return round(float(np.polyfit(xs, ys, 1)[0]), 3)


def _lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle) - 1


@contextmanager
def _http_app(settings: Settings) -> Iterator[httpx.Client]:
    """SRM's API on a free port (its own driver), and a client to it."""
    with (
        running_api(create_app(settings)) as base,
        httpx.Client(base_url=base, timeout=120) as client,
    ):
        yield client


def _latencies(client: httpx.Client, query: str, variables: dict[str, Any]) -> dict[str, float]:
    def ask() -> dict[str, Any]:
        response = client.post("/graphql", json={"query": query, "variables": variables})
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        if body.get("errors"):
            raise RuntimeError(f"GraphQL errors: {body['errors']}")
        return body

    for _ in range(20):
        ask()
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        ask()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "p50_ms": statistics.median(times),
        "p99_ms": times[min(len(times) - 1, math.ceil(0.99 * len(times)) - 1)],
    }


def _graphql(settings: Settings) -> dict[str, float]:
    found: dict[str, float] = {}
    with _http_app(settings) as client:
        top = client.post("/graphql", json={"query": TOP}).json()
        top_id = top["data"]["influencers"]["edges"][0]["node"]["id"]
        for name, query, variables in (
            ("top", TOP, {}),
            ("followers", FOLLOWERS, {"id": top_id}),
            ("ego", EGO, {"id": top_id}),
        ):
            for stat, value in _latencies(client, query, variables).items():
                found[f"graphql_{name}_{stat}"] = value
    return found


def _bundle(follows: int, work: Path, bundles: Path | None) -> Path:
    """The generated bundle for ``follows`` (kept in and reused from ``bundles`` if given)."""
    people = max(100, round(follows / FOLLOWS_PER_PERSON))
    bundle = (bundles / str(follows)) if bundles else work / "bundle"
    done = bundle / ".complete"
    if done.exists():
        console.print(f"[bold]{follows:,} follows[/]: reusing {bundle}")
        return bundle
    console.print(f"[bold]{follows:,} follows[/]: generating {people:,} people…")
    shutil.rmtree(bundle, ignore_errors=True)
    generate_bundle(bundle, people=people, seed=1)
    done.write_text(f"{people}\n")
    return bundle


def measure(
    follows: int, work: Path, steps: tuple[str, ...] = STEPS, bundles: Path | None = None
) -> dict[str, float]:
    """The value of each series of ``steps`` for a graph of about ``follows`` follows (see
    module doc)."""
    bundle = _bundle(follows, work, bundles)
    found: dict[str, float] = {"follows": _lines(bundle / "follows.csv")}
    found["profiles"] = _lines(bundle / "profiles.csv")
    records = found["profiles"] + _lines(bundle / "customers.csv")
    chosen = Settings()
    home = chosen.home
    plan = plan_memory(
        follows * STORE_BYTES_PER_FOLLOW // 2**20,
        available_memory_mb(),
        heap_override_mb=chosen.local_heap_mb,
        pagecache_override_mb=chosen.local_pagecache_mb,
    )
    found["neo4j_heap_mb"] = plan.heap_mb
    found["neo4j_pagecache_mb"] = plan.pagecache_mb
    data_dir = work / "neo4j"
    with local_neo4j.running_server(
        home, data_dir, heap_mb=plan.heap_mb, pagecache_mb=plan.pagecache_mb
    ) as server:
        settings = Settings(NEO4J_URI=server.uri).model_copy(
            update={"home": work / "home", "api_keys": ""}
        )
        driver = open_driver(settings)

        processes = {"bench": os.getpid, "neo4j": lambda: local_neo4j.running_pid(data_dir)}

        def timed(name: str, action: Callable[[], Any]) -> None:
            with PeakMemory(processes) as memory:
                found[name] = seconds(action)
            step = name.removesuffix("_s")
            for process, series in (("bench", "peak_mb"), ("neo4j", "neo4j_peak_mb")):
                if (peak := memory.peaks[process]) is not None:
                    found[f"{step}_{series}"] = peak
            console.print(
                f"  {name} {found[name]:.1f}  (peak MiB: bench {memory.peaks['bench']}, "
                f"Neo4j {memory.peaks['neo4j']})"
            )

        try:
            db.init_schema(driver)
            if "load_bolt" in steps or "load_initial" not in steps:
                timed("load_bolt_s", lambda: ingest_paths(driver, [bundle]))
                if "load_initial" in steps:  # the initial load needs an empty store
                    timed("wipe_s", lambda: db.wipe(driver))
            if "load_initial" in steps:
                driver.close()
                timed("load_initial_s", lambda: initial_load(settings, data_dir, [bundle]))
                driver = open_driver(settings)
            if "pagerank" in steps:
                timed(
                    "pagerank_end_to_end_s",
                    lambda: run_influence(driver, weights={"pagerank": 1.0}, explain_top=10),
                )
            if "leiden" in steps:
                timed("leiden_s", lambda: run_communities(driver, algorithm="leiden"))
            if "identity" in steps:
                timed("identity_s", lambda: resolve_graph(driver, batch_size=settings.batch_size))
                found["identity_records"] = records
            if "graphql" in steps:
                found.update(_graphql(settings))
            if "backup" in steps:
                timed("backup_s", lambda: backup(driver, settings, work / "backup"))
            if "export" in steps:
                timed(
                    "export_s",
                    lambda: write_bundle(driver, work / "export", parts=EXPORT_PARTS),
                )
            # The server's process now (the initial load restarts it).
            pid = local_neo4j.running_pid(data_dir) or server.pid
            found["neo4j_rss_mb"] = round(psutil.Process(pid).memory_info().rss / 2**20)
            if "erase" in steps:
                hub = read(driver, MOST_FOLLOWED)[0]["key"]
                timed("erase_s", lambda: erase(driver, settings, "profile", hub, by="bench"))
            if "wipe" in steps and "wipe_s" not in found:
                timed("wipe_s", lambda: db.wipe(driver))
            if "restore" in steps:
                timed("restore_s", lambda: restore(driver, settings, work / "backup"))
        finally:
            driver.close()
    found["python_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return found


_NOT_SERIES = ("follows", "profiles")


def merge_runs(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One result from per-size results and earlier JSON lines: ``sizes``, ``profiles``,
    ``series`` (null where a size lacks a step) and ``exponents``. Runs of the same size
    combine: a value measured again replaces the earlier one, the others stay."""
    by_size: dict[int, dict[str, Any]] = {}
    for run in runs:
        by_size.setdefault(int(run["follows"]), {}).update(run)
    sizes = sorted(by_size)
    names: list[str] = []
    for size in sizes:
        names += [name for name in by_size[size] if name not in _NOT_SERIES and name not in names]
    series = {
        name: [
            None if by_size[size].get(name) is None else round(float(by_size[size][name]), 3)
            for size in sizes
        ]
        for name in names
    }
    return {
        "sizes": sizes,
        "profiles": [int(by_size[size]["profiles"]) for size in sizes],
        "series": series,
        "exponents": {
            name: growth_exponent(sizes, values)
            for name, values in series.items()
            if name.endswith(("_s", "_ms"))
        },
    }


def _previous_runs(path: Path) -> list[dict[str, Any]]:
    """The per-size results of an earlier run's JSON last line."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    earlier = json.loads(lines[-1])
    runs = []
    for index, size in enumerate(earlier["sizes"]):
        run: dict[str, Any] = {"follows": size, "profiles": earlier["profiles"][index]}
        for name, values in earlier["series"].items():
            if values[index] is not None:
                run[name] = values[index]
        runs.append(run)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(size) for size in DEFAULT_SIZES),
        help="follows per graph, comma-separated (default 1M, 5M, 20M)",
    )
    parser.add_argument("--max-follows", type=int, help="skip sizes above this many follows")
    parser.add_argument(
        "--steps",
        default=",".join(STEPS),
        help=f"steps to time, comma-separated (default all: {','.join(STEPS)})",
    )
    parser.add_argument(
        "--bundles", type=Path, help="keep generated bundles in this folder and reuse them"
    )
    parser.add_argument(
        "--previous",
        type=Path,
        help="a file whose last line is an earlier run's JSON: its sizes join the series",
    )
    options = parser.parse_args()
    steps = tuple(step.strip() for step in options.steps.split(",") if step.strip())
    unknown = sorted(set(steps) - set(STEPS))
    if unknown:
        parser.error(f"unknown steps {', '.join(unknown)}; choose from {', '.join(STEPS)}")
    if "graphql" in steps and "pagerank" not in steps:
        parser.error("the graphql step asks for influencers: add pagerank to --steps")
    if "restore" in steps and not {"backup", "wipe"} <= set(steps):
        parser.error("the restore step loads the backup into the wiped store: add backup,wipe")
    sizes = sorted(int(size) for size in options.sizes.split(","))
    if options.max_follows:
        sizes = [size for size in sizes if size <= options.max_follows]
    runs = _previous_runs(options.previous) if options.previous else []
    if options.bundles:
        options.bundles.mkdir(parents=True, exist_ok=True)
    for size in sizes:
        work = Path(tempfile.mkdtemp(prefix="srm-bench-curve-"))
        try:
            runs.append(measure(size, work, steps, options.bundles))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    merged = merge_runs(runs)
    for name, values in merged["series"].items():
        console.print(f"{name:28} {values}  exponent {merged['exponents'].get(name)}")
    print(json.dumps(merged))


if __name__ == "__main__":
    main()
