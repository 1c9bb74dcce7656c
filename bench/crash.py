"""Crash soak: SIGKILL the local Neo4j during an ingest, restart it on the same store, run
the same ingest again, and compare the graph with a clean run (content fingerprint).

    python -m bench.crash --runs 20 [--people 3000] [--seed 1]

Each run starts a server on a fresh data directory, starts the ingest of one generated
bundle, kills the server (SIGKILL, no clean shutdown) once the graph holds a seeded random
10–90 % of the clean run's nodes (mid-write), restarts it on the same directory (Neo4j recovers
from its transaction log), re-runs the ingest to completion and compares fingerprints.
Batches are managed transactions, all-or-nothing, and the writes are idempotent MERGEs, so
the re-run must converge. Prints one JSON line last:
``{"runs", "converged", "killed_mid_ingest", "people", "nodes", "clean_ingest_s", …}``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from neo4j import Driver
from rich.console import Console

from srm import db, local_neo4j
from srm.ingest.pipeline import ingest_paths
from srm.settings import Settings
from srm.store import open_driver
from srm.synthetic.generate import generate_bundle

BATCH_SIZE = 500


@dataclass
class CrashOutcome:
    """One run: did the re-run converge, and was the server killed while writing."""

    converged: bool
    killed_mid_ingest: bool
    first_error: str | None
    seconds: float


def _settings(uri: str) -> Settings:
    return Settings(
        NEO4J_URI=uri,
        NEO4J_MAX_RETRY_TIME=2,
        NEO4J_CONNECTION_TIMEOUT=2,
        NEO4J_ACQUISITION_TIMEOUT=3,
    )


SERVER_MEMORY = {"heap_mb": 512, "pagecache_mb": 128}


def _start(home: Path, data_dir: Path) -> local_neo4j.LocalServer:
    """A server this bench kills and starts again (so not in a ``with`` block)."""
    return local_neo4j.start(
        home, data_dir, local_neo4j.free_port(), parent_pid=os.getpid(), **SERVER_MEMORY
    )


def ingest_fingerprint(uri: str, bundle: Path) -> tuple[str, float, int]:
    """Ingest ``bundle`` into the (empty) graph at ``uri``: fingerprint, seconds, nodes."""
    driver = open_driver(_settings(uri))
    try:
        db.init_schema(driver)
        started = time.perf_counter()
        ingest_paths(driver, [bundle], batch_size=BATCH_SIZE)
        seconds = time.perf_counter() - started
        nodes = sum(v for k, v in db.counts(driver).items() if k.startswith(":"))
        return db.graph_fingerprint(driver), seconds, nodes
    finally:
        driver.close()


def _wait_for_nodes(driver: Driver, nodes: int, job: threading.Thread) -> None:
    while job.is_alive():
        found = sum(v for k, v in db.counts(driver).items() if k.startswith(":"))
        if found >= nodes:
            return
        time.sleep(0.05)


def crash_once(
    home: Path, bundle: Path, data_dir: Path, kill_at_nodes: int, clean: str
) -> CrashOutcome:
    """Kill the server once the ingest has written ``kill_at_nodes`` nodes, restart it,
    re-run the ingest, and compare the fingerprint with ``clean``."""
    started = time.perf_counter()
    server = _start(home, data_dir)
    driver = open_driver(_settings(server.uri))
    errors: list[str] = []

    def run() -> None:
        try:
            ingest_paths(driver, [bundle], batch_size=BATCH_SIZE)
        except Exception as error:
            errors.append(type(error).__name__)

    try:
        db.init_schema(driver)
        job = threading.Thread(target=run, daemon=True)
        job.start()
        _wait_for_nodes(driver, kill_at_nodes, job)
        killed_mid_ingest = job.is_alive()
        local_neo4j.kill(data_dir)
        job.join(timeout=120)
    finally:
        driver.close()
    with local_neo4j.running_server(home, data_dir, **SERVER_MEMORY) as server:
        fingerprint, _, _ = ingest_fingerprint(server.uri, bundle)
    return CrashOutcome(
        converged=fingerprint == clean,
        killed_mid_ingest=killed_mid_ingest,
        first_error=errors[0] if errors else None,
        seconds=time.perf_counter() - started,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    console = Console(stderr=True)
    home = Settings().home
    work = Path(tempfile.mkdtemp(prefix="srm-crash-"))
    try:
        bundle = work / "bundle"
        generate_bundle(bundle, people=arguments.people, seed=arguments.seed)
        clean_dir = work / "clean"
        with local_neo4j.running_server(home, clean_dir, **SERVER_MEMORY) as server:
            clean, clean_s, nodes = ingest_fingerprint(server.uri, bundle)
        console.print(f"clean ingest: {nodes:,} nodes in {clean_s:.1f} s")
        chooser = random.Random(arguments.seed)
        outcomes = []
        for run in range(arguments.runs):
            kill_at = int(nodes * chooser.uniform(0.1, 0.9))
            data_dir = work / f"run-{run}"
            outcome = crash_once(home, bundle, data_dir, kill_at, clean)
            shutil.rmtree(data_dir, ignore_errors=True)
            outcomes.append(outcome)
            console.print(
                f"run {run + 1}/{arguments.runs}: kill at {kill_at:,} nodes, "
                f"mid-ingest={outcome.killed_mid_ingest}, error={outcome.first_error}, "
                f"converged={outcome.converged} ({outcome.seconds:.0f} s)"
            )
        print(
            json.dumps(
                {
                    "runs": arguments.runs,
                    "converged": sum(o.converged for o in outcomes),
                    "killed_mid_ingest": sum(o.killed_mid_ingest for o in outcomes),
                    "people": arguments.people,
                    "nodes": nodes,
                    "clean_ingest_s": round(clean_s, 2),
                    "run_s_mean": round(sum(o.seconds for o in outcomes) / len(outcomes), 1),
                }
            )
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
