"""Load test on loopback: concurrent clients mixing GraphQL reads and enrichment batches
while an ingest runs, for a bounded time.

    python -m bench.load [--clients 50] [--seconds 300] [--warm-up 60] [--people 2000]
                         [--workers N]

Starts its own Neo4j (temporary store) and the API with ``srm serve --workers N`` on
127.0.0.1 (a free port; N defaults to the machine's cores, as ``srm serve`` does), in its
own processes so the clients' threads do not share the server's interpreter, ingests a
generated bundle, then runs ``--clients`` threads for ``--warm-up`` seconds untimed
(Neo4j's JVM compiles its hot code in the first minutes of load; a server that has run for
a while no longer pays for it) and for ``--seconds`` timed: two in three requests are
GraphQL reads (influencers, a profile with its person, search, brands), one in three an
enrichment batch of 20 keys; meanwhile one thread ingests further generated bundles in a
loop. Counts every non-2xx answer or failed request as an error. Prints one JSON line
last: ``{"clients", "seconds", "requests", "errors", "rps", "p50_ms", "p99_ms",
"graphql_p50_ms", "graphql_p99_ms", "enrich_p50_ms", "enrich_p99_ms", "ingests",
"error_samples", "server_errors", "server_error_samples", "cpu_s", "cpu_ms_per_request",
"neo4j_jit_cpu_s"}``: ``server_errors`` counts the error lines of the API's own log (type
and frames of each unexpected exception, the cause behind a 500). ``cpu_s`` splits the CPU
seconds of the timed window between this process (the clients and the ingest loop), the
API's processes and Neo4j: all run on the same machine, so what the clients use is not
there for the server; ``neo4j_jit_cpu_s`` is the part of Neo4j's that its JVM's compiler
threads used.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psutil
import uvicorn
from fastapi import FastAPI
from rich.console import Console

from srm import db, local_neo4j
from srm.ingest.pipeline import ingest_paths
from srm.settings import Settings
from srm.store import open_driver
from srm.synthetic.generate import generate_bundle

__all__ = [
    "GRAPHQL_READS",
    "ClientLoad",
    "cpu_seconds",
    "percentile",
    "running_api",
    "serving",
]

GRAPHQL_READS = (
    "{ influencers(first: 20) { edges { node { id handle followersCount } } } }",
    '{ profile(id: "x:1") { handle person { id accounts { handle } } } }',
    '{ search(text: "maria", first: 10) { __typename } }',
    "{ brands { name } }",
)


@contextmanager
def serving(
    command: list[str], env: dict[str, str], base: str, cwd: Path, log: Path | None = None
) -> Iterator[int]:
    """Start a server process, wait until it answers GraphQL; yield its pid.

    Its output goes to a file, not a pipe: SRM logs a line per request, and a pipe nobody
    reads fills up and blocks the workers mid-request. That file is ``log`` when given (read
    it after the run: :func:`server_errors`), else a temporary one."""
    with open(log, "w+b") if log else tempfile.TemporaryFile() as output:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=output, stderr=output)
        try:
            deadline = time.monotonic() + 120
            while True:
                if process.poll() is not None:
                    output.seek(0)
                    raise RuntimeError(f"{command[0]} exited: {output.read().decode()[-2000:]}")
                try:
                    httpx.post(f"{base}/graphql", json={"query": "{ __typename }"}, timeout=2)
                    break
                except httpx.HTTPError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            yield process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def server_errors(log: Path, limit: int = 5) -> tuple[int, list[str]]:
    """How many error lines SRM's JSON log holds, and the first ``limit`` of them as
    ``message: error_type at origin`` (type and frames only, as SRM logs them; lines that
    are not JSON, such as a dying worker's traceback, are kept as their first 200 chars)."""
    count, samples = 0, list[str]()
    for line in log.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            entry = {"level": "error", "message": line[:200]} if "Traceback" in line else {}
        if not isinstance(entry, dict) or entry.get("level") not in ("error", "critical"):
            continue
        count += 1
        if len(samples) < limit:
            where = " < ".join(reversed(entry.get("error_origin") or []))
            samples.append(
                f"server {entry.get('message')}: {entry.get('error_type')} "
                f"{entry.get('error_code') or ''} at {where}"
            )
    return count, samples


@contextmanager
def running_api(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free loopback port in a thread; yield its base URL."""
    port = local_neo4j.free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


class ClientLoad:
    """``count`` client threads of one server, each calling ``send(client)`` in a loop, kept
    between blocks of load (with their open connections): building them and their
    connections under load takes time that must not count, and a block may be short.
    ``send`` raises httpx.HTTPError or RuntimeError for a failed request."""

    def __init__(self, base: str, send: Callable[[httpx.Client], Any], count: int = 20) -> None:
        self.send = send
        self.clients = [httpx.Client(base_url=base, timeout=60) for _ in range(count)]

    def block(self, seconds: float) -> tuple[int, float, int]:
        """All clients sending for ``seconds``: (answered, elapsed seconds, errors)."""
        counts = {"ok": 0, "errors": 0}
        lock = threading.Lock()
        start = threading.Barrier(len(self.clients) + 1)
        stop_at = [0.0]

        def worker(client: httpx.Client) -> None:
            start.wait()
            while time.perf_counter() < stop_at[0]:
                try:
                    self.send(client)
                    outcome = "ok"
                except (httpx.HTTPError, RuntimeError):
                    outcome = "errors"
                with lock:
                    counts[outcome] += 1

        threads = [threading.Thread(target=worker, args=(client,)) for client in self.clients]
        for thread in threads:
            thread.start()
        started = time.perf_counter()
        stop_at[0] = started + seconds
        start.wait()
        for thread in threads:
            thread.join()
        return counts["ok"], time.perf_counter() - started, counts["errors"]

    def close(self) -> None:
        for client in self.clients:
            client.close()


def percentile(values: list[float], share: float) -> float:
    """The ``share`` (0–1) percentile of ``values`` by nearest rank; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def cpu_seconds(pid: int, *, children: bool = True) -> float:
    """User and system CPU seconds of a process and its children (uvicorn's workers), or of
    the process alone; 0 for a process that is gone."""
    total = 0.0
    try:
        process = psutil.Process(pid)
        family = [process, *process.children(recursive=True)] if children else [process]
    except psutil.Error:
        return total
    for member in family:
        try:
            times = member.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def jit_cpu_seconds(pid: int) -> float:
    """CPU seconds of a JVM's just-in-time compiler threads (Linux thread names ``C1
    CompilerThre…``/``C2 CompilerThre…``); 0 where threads cannot be read."""
    total = 0
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return 0.0
    for task in tasks:
        try:
            if " Compiler" not in (task / "comm").read_text():
                continue
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def _enrich_keys(bundle: Path, count: int = 200) -> list[dict[str, str]]:
    keys: list[dict[str, str]] = []
    with (bundle / "customers.csv").open(encoding="utf-8") as source:
        for row in csv.DictReader(source):
            keys.append({"customer_id": row["customer_id"]})
            if row.get("email"):
                keys.append({"email": row["email"]})
            if len(keys) >= count:
                break
    return keys


def _client_loop(
    base: str,
    keys: list[dict[str, str]],
    timed: threading.Event,
    stop: threading.Event,
    seed: int,
    out: dict[str, Any],
) -> None:
    """Requests until ``stop``; those started while ``timed`` is set are counted."""
    chooser = random.Random(seed)
    with httpx.Client(base_url=base, timeout=60) as client:
        while not stop.is_set():
            counted = timed.is_set()
            kind = "enrich" if chooser.random() < 1 / 3 else "graphql"
            started = time.perf_counter()
            try:
                if kind == "enrich":
                    response = client.post(
                        "/api/v1/enrich", json={"keys": chooser.sample(keys, 20)}
                    )
                else:
                    query = chooser.choice(GRAPHQL_READS)
                    response = client.post("/graphql", json={"query": query})
                failed = response.status_code >= 300 or (
                    kind == "graphql" and bool(response.json().get("errors"))
                )
                if failed:
                    out["samples"].append(f"{kind} {response.status_code}: {response.text[:300]}")
            except httpx.HTTPError as error:
                failed = True
                out["samples"].append(f"{kind}: {type(error).__name__}")
            elapsed_ms = (time.perf_counter() - started) * 1000
            if not counted:
                continue
            out[kind].append(elapsed_ms)
            if failed:
                out["errors"] += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=300, help="timed window")
    parser.add_argument(
        "--warm-up",
        type=float,
        default=60,
        help="seconds of the same load before the timed window (not counted)",
    )
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="API worker processes (srm serve --workers; default: the machine's cores)",
    )
    arguments = parser.parse_args()
    console = Console(stderr=True)
    settings_home = Settings().home
    work = Path(tempfile.mkdtemp(prefix="srm-load-"))
    try:
        data_dir = work / "neo4j"
        server = local_neo4j.start(
            settings_home, data_dir, local_neo4j.free_port(), parent_pid=os.getpid()
        )
        settings = Settings(
            NEO4J_URI=server.uri, SRM_API_RATE_LIMIT=10_000_000, NEO4J_MAX_POOL_SIZE=100
        )
        driver = open_driver(settings)
        try:
            db.init_schema(driver)
            bundle = work / "bundle"
            generate_bundle(bundle, people=arguments.people, seed=1)
            ingest_paths(driver, [bundle], batch_size=2000)
            console.print(f"graph ready: {db.counts(driver)}")
            keys = _enrich_keys(bundle)
            results: list[dict[str, Any]] = [
                {"graphql": [], "enrich": [], "errors": 0, "samples": []}
                for _ in range(arguments.clients)
            ]
            stop, timed = threading.Event(), threading.Event()
            ingests = {"done": 0, "errors": 0}
            ingest_failures: list[str] = []

            def ingest_loop() -> None:
                seed = 100
                while not stop.is_set():
                    seed += 1
                    extra = work / f"extra-{seed}"
                    generate_bundle(extra, people=max(50, arguments.people // 10), seed=seed)
                    try:
                        ingest_paths(driver, [extra], batch_size=500)
                        ingests["done"] += 1
                    except Exception as error:
                        ingests["errors"] += 1
                        ingest_failures.append(f"ingest: {type(error).__name__}: {error}"[:300])
                    shutil.rmtree(extra, ignore_errors=True)

            port = local_neo4j.free_port()
            base = f"http://127.0.0.1:{port}"
            serve = [str(Path(sys.executable).parent / "srm"), "serve", "--port", str(port)]
            serve += ["--workers", str(arguments.workers)]
            env = {
                **os.environ,
                "NEO4J_URI": server.uri,
                "SRM_API_KEYS": "",
                "SRM_PRODUCTION": "0",
                "SRM_API_RATE_LIMIT": str(settings.api_rate_limit_per_minute),
                "NEO4J_MAX_POOL_SIZE": "100",
            }
            server_log = work / "server.log"
            with serving(serve, env, base, work, log=server_log) as api_pid:
                threads = [threading.Thread(target=ingest_loop, daemon=True)] + [
                    threading.Thread(
                        target=_client_loop,
                        args=(base, keys, timed, stop, i, results[i]),
                        daemon=True,
                    )
                    for i in range(arguments.clients)
                ]
                # This process alone (its children are the API and Neo4j), the API with its
                # worker processes (they exist now), and Neo4j.
                groups = {
                    "clients_and_ingest": (os.getpid(), False),
                    "api": (api_pid, True),
                    "neo4j": (server.pid, True),
                }
                for thread in threads:
                    thread.start()
                if arguments.warm_up > 0:
                    console.print(f"warming up for {arguments.warm_up:g} s (not counted)")
                    time.sleep(arguments.warm_up)
                cpu_before = {
                    name: cpu_seconds(pid, children=kids) for name, (pid, kids) in groups.items()
                }
                jit_before, ingests_before = jit_cpu_seconds(server.pid), ingests["done"]
                started = time.perf_counter()
                timed.set()
                time.sleep(arguments.seconds)
                cpu_after = {
                    name: cpu_seconds(pid, children=kids) for name, (pid, kids) in groups.items()
                }
                jit = jit_cpu_seconds(server.pid) - jit_before
                timed.clear()
                ingested = ingests["done"] - ingests_before
                elapsed = time.perf_counter() - started
                stop.set()
                for thread in threads:
                    thread.join(timeout=120)
            logged_errors, logged_samples = server_errors(server_log)
        finally:
            driver.close()
            local_neo4j.stop(data_dir)
        graphql = [ms for result in results for ms in result["graphql"]]
        enrich = [ms for result in results for ms in result["enrich"]]
        every = graphql + enrich
        summary = {
            "clients": arguments.clients,
            "seconds": round(elapsed, 1),
            "requests": len(every),
            "errors": sum(result["errors"] for result in results) + ingests["errors"],
            "rps": round(len(every) / elapsed, 1),
            "p50_ms": round(statistics.median(every), 1) if every else 0.0,
            "p99_ms": round(percentile(every, 0.99), 1),
            "graphql_p50_ms": round(percentile(graphql, 0.5), 1),
            "graphql_p99_ms": round(percentile(graphql, 0.99), 1),
            "enrich_p50_ms": round(percentile(enrich, 0.5), 1),
            "enrich_p99_ms": round(percentile(enrich, 0.99), 1),
            "ingests": ingested,
            "error_samples": (
                ingest_failures + [text for result in results for text in result["samples"]]
            )[:5],
            "server_errors": logged_errors,
            "server_error_samples": logged_samples,
            "cpu_s": {name: round(cpu_after[name] - cpu_before[name], 1) for name in cpu_before},
            "cpu_ms_per_request": {
                name: round(1000 * (cpu_after[name] - cpu_before[name]) / max(len(every), 1), 2)
                for name in cpu_before
            },
            "neo4j_jit_cpu_s": round(jit, 1),
        }
        print(json.dumps(summary))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
