"""SRM's GraphQL API against the Neo4j GraphQL Library (the peer) on the same graph.

    python -m bench.api --peer [--quick]

Builds one store the way a user would (``srm generate --people 10000 --seed 3``, ingest,
``srm identities resolve``, ``srm analyze all``; 2,000 people with ``--quick``), then serves
it with ``srm serve`` (default workers) and with the peer (``@neo4j/graphql`` under Apollo
Server on Node, installed by ``npm ci`` into ``bench/peer/`` when missing), both running, one
loaded at a time. For three queries it checks that both return the same items, then times
sequential requests (p50/p95/p99), the two sides' requests alternating one by one, and 20
concurrent clients (req/s) in short blocks alternating between the sides
(:data:`THROUGHPUT_BLOCKS`), and reads the CPU seconds each server's processes spent per
request (psutil). The JSON last line holds the
``srm`` and ``peer`` blocks, ``worst_p50_ratio_vs_peer`` (max over queries of SRM p50 / peer
p50) and ``worst_throughput_ratio_vs_peer`` (min of SRM req/s / peer req/s).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console

from bench.load import ClientLoad, cpu_seconds, percentile, serving
from srm import local_neo4j
from srm.settings import Settings

__all__ = ["QUERIES", "post_query", "run"]

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


def post_query(client: httpx.Client, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """The data of one GraphQL request; HTTPError or RuntimeError when it fails."""
    response = client.post("/graphql", json={"query": query, "variables": variables})
    response.raise_for_status()
    body = response.json()
    if body.get("errors"):
        raise RuntimeError(f"GraphQL errors: {body['errors']}")
    return body["data"]  # type: ignore[no-any-return]


# The machine's speed drifts by tens of percent within seconds (one server's Q2 p50 went
# 2.8, 4.0, 4.7, 3.1 ms over consecutive blocks of 200 requests), so the two sides are
# measured interleaved as finely as each measure allows: sequential requests alternate one
# by one (the order of each pair alternating too), and the 20-client load alternates in
# THROUGHPUT_BLOCKS short blocks per side (ordered A B B A, repeated). Until 2026-12-08 each
# side had two blocks of each kind (A B B A), and whichever side met a slow spell of the
# machine lost: the same build gave Q2 p50 ratios from 0.77 to 1.19 in three runs.
THROUGHPUT_BLOCKS = 8
# Requests per side and query before any is timed: both servers' first requests after
# start-up plan and compile their statements (Neo4j's and the Python or Node process's).
WARM_UP = 50


def _sequential(client: httpx.Client, query: str, arguments: dict[str, Any], n: int) -> list[float]:
    timings = []
    for _ in range(n):
        started = time.perf_counter()
        post_query(client, query, arguments)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _paired(
    servers: list[tuple[httpx.Client, int]],
    queries: tuple[str, str],
    arguments: list[dict[str, Any]],
    n: int,
) -> tuple[list[list[float]], list[float]]:
    """``n`` sequential requests per side, alternating one by one (A B, then B A, …): each
    side's latencies in ms and the CPU seconds its server's processes spent meanwhile (read
    every 50 pairs)."""
    timings: list[list[float]] = [[], []]
    cpu = [0.0, 0.0]
    for chunk in range(0, n, 50):
        before = [cpu_seconds(pid) for _, pid in servers]
        for index in range(chunk, min(n, chunk + 50)):
            for side in (index % 2, 1 - index % 2):
                timings[side] += _sequential(servers[side][0], queries[side], arguments[side], 1)
        for side, (_, pid) in enumerate(servers):
            cpu[side] += cpu_seconds(pid) - before[side]
    return timings, cpu


def measure(
    servers: list[tuple[str, int]], variables: dict[str, Any], repeat: int, seconds: float
) -> tuple[list[dict[str, Any]], list[dict[str, list[tuple[Any, ...]]]]]:
    """Timings and items of the three queries on both servers (``servers``: base URL and
    pid of SRM, then of the peer): per side ``repeat`` sequential requests, alternating
    with the other side's, and ``seconds`` of 20 clients per query, in
    :data:`THROUGHPUT_BLOCKS` blocks ordered A B B A."""
    readers = (_srm_items, _peer_items)
    blocks: list[dict[str, Any]] = [{}, {}]
    items: list[dict[str, list[tuple[Any, ...]]]] = [{}, {}]
    clients = [httpx.Client(base_url=base, timeout=120) for base, _ in servers]
    pids = [pid for _, pid in servers]
    try:
        for name, queries in QUERIES.items():
            arguments = [variables if "$id" in query else {} for query in queries]
            for side, client in enumerate(clients):
                _sequential(client, queries[side], arguments[side], WARM_UP)
                items[side][name] = readers[side](
                    post_query(client, queries[side], arguments[side])
                )
            timings, cpu = _paired(
                list(zip(clients, pids, strict=True)), queries, arguments, repeat
            )
            loads = [
                ClientLoad(
                    base, partial(post_query, query=queries[side], variables=arguments[side])
                )
                for side, (base, _) in enumerate(servers)
            ]
            done, errors, loaded, elapsed = [0, 0], [0, 0], [0.0, 0.0], [0.0, 0.0]
            try:
                for block in range(THROUGHPUT_BLOCKS):
                    for side in (0, 1) if block % 4 in (0, 3) else (1, 0):
                        before = cpu_seconds(pids[side])
                        answered, took, failed = loads[side].block(seconds / THROUGHPUT_BLOCKS)
                        loaded[side] += cpu_seconds(pids[side]) - before
                        done[side] += answered
                        elapsed[side] += took
                        errors[side] += failed
            finally:
                for load in loads:
                    load.close()
            for side in (0, 1):
                blocks[side][name] = {
                    "p50_ms": round(percentile(timings[side], 0.5), 2),
                    "p95_ms": round(percentile(timings[side], 0.95), 2),
                    "p99_ms": round(percentile(timings[side], 0.99), 2),
                    "rps_20_clients": round(done[side] / elapsed[side], 1),
                    "errors_20_clients": errors[side],
                    "cpu_ms_per_request_sequential": round(
                        cpu[side] * 1000 / len(timings[side]), 2
                    ),
                    "cpu_ms_per_request_20_clients": round(
                        loaded[side] * 1000 / max(1, done[side]), 2
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
                    top = post_query(
                        client, "{ influencers(first: 1) { edges { node { id } } } }", {}
                    )
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
