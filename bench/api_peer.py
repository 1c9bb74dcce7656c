"""SRM's GraphQL API against the Neo4j GraphQL Library (the peer) on the same graph.

    python -m bench.api --peer [--quick]

Builds one store the way a user would (``srm generate --people 10000 --seed 3``, ingest,
``srm identities resolve``, ``srm analyze all``; 2,000 people with ``--quick``), then serves
it with ``srm serve`` (default workers) and with the peer (``@neo4j/graphql`` under Apollo
Server on Node, installed by ``npm ci`` into ``bench/peer/`` when missing), both running, one
loaded at a time. For three queries it checks that both return the same items, then times
sequential requests (p50/p95/p99) and 20 concurrent clients (req/s) in blocks ordered SRM,
peer, peer, SRM (:data:`ORDER`), and reads the CPU seconds each server's processes spent
per request (psutil). The JSON last line holds the
``srm`` and ``peer`` blocks, ``worst_p50_ratio_vs_peer`` (max over queries of SRM p50 / peer
p50) and ``worst_throughput_ratio_vs_peer`` (min of SRM req/s / peer req/s).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console

from bench.load import cpu_seconds, percentile, serving
from srm import local_neo4j
from srm.settings import Settings

__all__ = ["QUERIES", "run"]

console = Console(stderr=True)
PEER_DIR = Path(__file__).parent / "peer"

# Each query as SRM and the peer spell it, and how to read its items from either answer.
# Nested lists select their sort key (id) on both sides: the peer ignores a nested sort on
# an aliased field that is not selected. SRM ranks by ACCOUNT, as the peer does (its default
# unit, PERSON, lists a person's accounts once and so returns other items).
SRM_Q1 = """{ influencers(first: 100, unit: ACCOUNT) {
  edges { node { handle platform influence { value } } } } }"""
PEER_Q1 = """{ profiles(where: {influenceScore: {gte: 0}}, limit: 100,
  sort: [{influenceScore: DESC}, {id: ASC}]) { handle platform influenceScore } }"""
SRM_Q2 = """query One($id: ID!) { profile(id: $id) { handle
  followers(first: 20) { edges { node { id handle influence { value } } } } } }"""
PEER_Q2 = """query One($id: ID!) { profiles(where: {id: {eq: $id}}) { handle
  followers(limit: 20, sort: [{id: ASC}]) { id handle influenceScore } } }"""
SRM_Q3 = """{ influencers(first: 10, unit: ACCOUNT) { edges { node { id handle influence { value }
  followers(first: 10) { edges { node { id handle influence { value }
    followers(first: 5) { edges { node { id handle influence { value } } } } } } } } } } }"""
PEER_Q3 = """{ profiles(where: {influenceScore: {gte: 0}}, limit: 10,
  sort: [{influenceScore: DESC}, {id: ASC}]) { id handle influenceScore
  followers(limit: 10, sort: [{id: ASC}]) { id handle influenceScore
    followers(limit: 5, sort: [{id: ASC}]) { id handle influenceScore } } } }"""


def _srm_item(node: dict[str, Any]) -> tuple[Any, ...]:
    score = node["influence"]["value"] if node.get("influence") else None
    nested = node.get("followers")
    children = tuple(_srm_item(edge["node"]) for edge in nested["edges"]) if nested else ()
    return (node.get("id"), node["handle"], node.get("platform"), score, children)


def _peer_item(node: dict[str, Any]) -> tuple[Any, ...]:
    nested = node.get("followers")
    children = tuple(_peer_item(child) for child in nested) if nested else ()
    return (
        node.get("id"),
        node["handle"],
        node.get("platform"),
        node.get("influenceScore"),
        children,
    )


def _srm_items(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    if "profile" in data:
        return [_srm_item(data["profile"])]
    return [_srm_item(edge["node"]) for edge in data["influencers"]["edges"]]


def _peer_items(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [_peer_item(node) for node in data["profiles"]]


QUERIES: dict[str, tuple[str, str]] = {
    "q1_top100": (SRM_Q1, PEER_Q1),
    "q2_profile_followers": (SRM_Q2, PEER_Q2),
    "q3_nested_followers": (SRM_Q3, PEER_Q3),
}


def _srm_command() -> list[str]:
    return [str(Path(sys.executable).parent / "srm")]


def build_store(uri: str, people: int, folder: Path) -> None:
    """The store as a user builds it: generate, ingest, resolve identities, analyse."""
    env = {**os.environ, "NEO4J_URI": uri}
    bundle = folder / "bundle"
    steps = [
        ["generate", "--out", str(bundle), "--people", str(people), "--seed", "3"],
        ["ingest", str(bundle)],
        ["identities", "resolve"],
        ["analyze", "all"],
    ]
    for step in steps:
        started = time.perf_counter()
        subprocess.run(_srm_command() + step, env=env, check=True, capture_output=True)
        console.print(f"srm {step[0]} {step[1]}: {time.perf_counter() - started:.1f} s")


def _post(client: httpx.Client, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    response.raise_for_status()
    body = response.json()
    if body.get("errors"):
        raise RuntimeError(f"GraphQL errors: {body['errors']}")
    return body["data"]  # type: ignore[no-any-return]


def _throughput(
    base: str, send: Callable[[httpx.Client], Any], seconds: float
) -> tuple[float, int]:
    """20 client threads sending for ``seconds``: (req/s, errors). Clients are built first:
    building 20 under load takes seconds that must not count."""
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()
    clients = [httpx.Client(base_url=base, timeout=60) for _ in range(20)]
    start = threading.Barrier(len(clients) + 1)
    stop_at = [0.0]

    def worker(client: httpx.Client) -> None:
        start.wait()
        while time.perf_counter() < stop_at[0]:
            try:
                send(client)
                outcome = "ok"
            except (httpx.HTTPError, RuntimeError):
                outcome = "errors"
            with lock:
                counts[outcome] += 1

    threads = [threading.Thread(target=worker, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    stop_at[0] = started + seconds
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    for client in clients:
        client.close()
    return counts["ok"] / elapsed, counts["errors"]


# Each measurement runs in blocks ordered A B B A (SRM, peer, peer, SRM): the machine's speed
# drifts by tens of percent within a run, and whichever side went second would be measured
# on a warmer database and a different machine. Both servers run side by side, idle while
# the other is measured.
ORDER = (0, 1, 1, 0)
# Requests per side and query before any is timed: both servers' first requests after
# start-up plan and compile their statements (Neo4j's and the Python or Node process's).
WARM_UP = 50


def _sequential(client: httpx.Client, query: str, arguments: dict[str, Any], n: int) -> list[float]:
    timings = []
    for _ in range(n):
        started = time.perf_counter()
        _post(client, query, arguments)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def measure(
    servers: list[tuple[str, int]], variables: dict[str, Any], repeat: int, seconds: float
) -> tuple[list[dict[str, Any]], list[dict[str, list[tuple[Any, ...]]]]]:
    """Timings and items of the three queries on both servers (``servers``: base URL and
    pid of SRM, then of the peer), in :data:`ORDER`: per side ``repeat`` sequential requests
    and ``seconds`` of 20 clients per query, split over its two blocks."""
    readers = (_srm_items, _peer_items)
    blocks: list[dict[str, Any]] = [{}, {}]
    items: list[dict[str, list[tuple[Any, ...]]]] = [{}, {}]
    clients = [httpx.Client(base_url=base, timeout=120) for base, _ in servers]
    try:
        for name, queries in QUERIES.items():
            arguments = [variables if "$id" in query else {} for query in queries]
            for side, client in enumerate(clients):
                _sequential(client, queries[side], arguments[side], WARM_UP)
                items[side][name] = readers[side](_post(client, queries[side], arguments[side]))
            timings: list[list[float]] = [[], []]
            cpu = [0.0, 0.0]
            for side in ORDER:
                before = cpu_seconds(servers[side][1])
                timings[side] += _sequential(
                    clients[side], queries[side], arguments[side], repeat // 2
                )
                cpu[side] += cpu_seconds(servers[side][1]) - before
            done, errors, loaded = [0.0, 0.0], [0, 0], [0.0, 0.0]
            for side in ORDER:
                before = cpu_seconds(servers[side][1])
                rps, failed = _throughput(
                    servers[side][0],
                    partial(_post, query=queries[side], variables=arguments[side]),
                    seconds / 2,
                )
                loaded[side] += cpu_seconds(servers[side][1]) - before
                done[side] += rps * seconds / 2
                errors[side] += failed
            for side in (0, 1):
                blocks[side][name] = {
                    "p50_ms": round(percentile(timings[side], 0.5), 2),
                    "p95_ms": round(percentile(timings[side], 0.95), 2),
                    "p99_ms": round(percentile(timings[side], 0.99), 2),
                    "rps_20_clients": round(done[side] / seconds, 1),
                    "errors_20_clients": errors[side],
                    "cpu_ms_per_request_sequential": round(
                        cpu[side] * 1000 / len(timings[side]), 2
                    ),
                    "cpu_ms_per_request_20_clients": round(
                        loaded[side] * 1000 / max(1.0, done[side]), 2
                    ),
                }
                console.print(f"  {('SRM', 'peer')[side]} {name}: {blocks[side][name]}")
    finally:
        for client in clients:
            client.close()
    return blocks, items


def _peer_ready() -> None:
    if not (PEER_DIR / "node_modules").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PEER_DIR, check=True)


def run(quick: bool) -> dict[str, Any]:
    """Build the store, measure SRM then the peer; the result dictionary (JSON line)."""
    people, repeat, seconds = (2_000, 60, 4.0) if quick else (10_000, 400, 10.0)
    _peer_ready()
    home = Settings().home
    folder = Path(tempfile.mkdtemp(prefix="srm-bench-peer-"))
    try:
        with local_neo4j.running_server(
            home, folder / "neo4j", heap_mb=1024, pagecache_mb=256
        ) as server:
            build_store(server.uri, people, folder)
            env = {**os.environ, "NEO4J_URI": server.uri, "SRM_API_KEYS": "", "SRM_PRODUCTION": "0"}
            ports = [local_neo4j.free_port() for _ in range(2)]
            while ports[1] == ports[0]:
                ports[1] = local_neo4j.free_port()
            bases = [f"http://127.0.0.1:{port}" for port in ports]
            serve = [*_srm_command(), "serve", "--port", str(ports[0])]
            node = ["node", str(PEER_DIR / "server.mjs"), str(ports[1]), server.uri, "neo4j"]
            with (
                serving(serve, env, bases[0], folder) as srm_pid,
                serving(node, env, bases[1], PEER_DIR) as peer_pid,
            ):
                with httpx.Client(base_url=bases[0], timeout=60) as client:
                    top = _post(client, "{ influencers(first: 1) { edges { node { id } } } }", {})
                variables = {"id": top["influencers"]["edges"][0]["node"]["id"]}
                console.print(f"SRM ({os.cpu_count()} workers) and the Neo4j GraphQL Library:")
                (srm, peer), (srm_items, peer_items) = measure(
                    [(bases[0], srm_pid), (bases[1], peer_pid)], variables, repeat, seconds
                )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    same = {name: srm_items[name] == peer_items[name] for name in QUERIES}
    for name, equal in same.items():
        if not equal:
            console.print(f"[red]{name}: SRM and the peer return different items[/red]")
    return {
        "profiles_people": people,
        "same_items": same,
        "srm": srm,
        "peer": peer,
        "worst_p50_ratio_vs_peer": round(
            max(srm[name]["p50_ms"] / peer[name]["p50_ms"] for name in QUERIES), 3
        ),
        "worst_throughput_ratio_vs_peer": round(
            min(srm[name]["rps_20_clients"] / peer[name]["rps_20_clients"] for name in QUERIES), 3
        ),
    }
