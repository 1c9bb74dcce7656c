"""API benchmark: GraphQL against a plain FastAPI route running the same Cypher, round
trips of a nested query, and throughput with 20 concurrent clients on loopback.

    python -m bench.api [--quick]
    python -m bench.api --peer [--quick]   (against the Neo4j GraphQL Library: bench.api_peer)

Starts its own Neo4j (temporary store) and the app under uvicorn on a free port, builds a
seeded synthetic graph, and prints a JSON last line with graphql_top100_p50_ms,
rest_same_cypher_p50_ms, ratio_graphql_vs_rest, round_trips_nested_query, rps_20_clients.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import statistics
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI, Request
from graphql import FieldNode, OperationDefinitionNode, SelectionSetNode, parse
from rich.console import Console

from bench import api_peer, statements
from bench.instrument import CountingDriver
from bench.load import ClientLoad, running_api
from srm import db, local_neo4j
from srm.api.app import create_app
from srm.api.services import analytics
from srm.cypher.influence import Influence
from srm.settings import Settings
from srm.store import open_driver, write_batches

console = Console(stderr=True)
# Neo4j's planner notes (unknown labels on a fresh graph) are noise here.
logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)

TOP100 = """{ influencers(first: 100, unit: ACCOUNT) { edges { node {
  id handle displayName followersCount influence { value percentile } } } } }"""

NESTED = """{ influencers(first: 20) { edges { node { handle
  customers { id profiles { handle } }
  person { accounts { handle influence { value } } }
  followers(first: 5) { edges { node { handle influence { value } } } } } } } }"""


def nesting_depth(query: str) -> int:
    """Deepest chain of selection sets in the query (the bound for its round trips)."""

    def depth(selections: SelectionSetNode | None) -> int:
        if selections is None:
            return 0
        fields = [s for s in selections.selections if isinstance(s, FieldNode)]
        return 1 + max((depth(field.selection_set) for field in fields), default=0)

    operation = parse(query).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return depth(operation.selection_set)


def build_graph(driver: Any, profiles: int, follows_per_profile: int, seed: int = 7) -> None:
    """Profiles with seeded scores, preferential-attachment follows, 10 % linked to customers."""
    rng = random.Random(seed)
    scores = sorted((rng.random() for _ in range(profiles)), reverse=True)
    rows = [
        {
            "key": f"x:{i}",
            "handle": f"user{i}",
            "followers": 0,
            "score": scores[i],
            "percentile": 100.0 * (profiles - i) / profiles,
        }
        for i in range(profiles)
    ]
    write_batches(driver, statements.BENCH_PROFILES, rows, batch_size=5_000)
    targets: list[int] = list(range(min(10, profiles)))
    follows = set()
    for source in range(profiles):
        for _ in range(follows_per_profile):
            target = rng.choice(targets) if rng.random() < 0.7 else rng.randrange(profiles)
            if target != source:
                follows.add((source, target))
                targets.append(target)
    write_batches(
        driver,
        statements.BENCH_FOLLOWS,
        ({"source": f"x:{a}", "target": f"x:{b}"} for a, b in sorted(follows)),
        batch_size=10_000,
    )
    customers = [
        {"key": f"x:{i}", "customer_id": f"C{i}", "first_name": f"N{i}", "person_id": f"P{i}"}
        for i in range(0, profiles, 10)
    ]
    write_batches(driver, statements.BENCH_CUSTOMERS, customers, batch_size=5_000)


def add_plain_route(app: FastAPI, settings: Settings) -> None:
    """The comparison: the same statement as the GraphQL top-100 query, without GraphQL, read
    through the same asyncio driver."""

    @app.get("/bench/top100")
    async def plain_top100(request: Request) -> dict[str, Any]:
        found = await analytics.influencers(
            request.app.state.reader,
            settings.neo4j_database,
            analytics.InfluencerFilter(),
            0,
            100,
            full_influence=False,
        )
        return {
            "influencers": [
                {
                    "id": record["profile_key"],
                    "handle": record.get("handle"),
                    "displayName": record.get("display_name"),
                    "followersCount": record.get("followers_count"),
                    "influence": {
                        "value": score[Influence.SCORE.column],
                        "percentile": score[Influence.PERCENTILE.column],
                    }
                    if score
                    else None,
                }
                for record, score in found
            ]
        }


def interleaved_p50_ms(
    client: httpx.Client, sends: dict[str, Any], repeat: int
) -> dict[str, float]:
    """Median latency per request kind; kinds alternate so both see the same machine load."""
    timings: dict[str, list[float]] = {name: [] for name in sends}
    for _ in range(repeat):
        for name, send in sends.items():
            started = time.perf_counter()
            response = send(client)
            timings[name].append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
    return {name: statistics.median(values) for name, values in timings.items()}


def load_test(base: str, clients: int, seconds: float) -> tuple[float, int, int]:
    """``clients`` threads posting the top-100 query for ``seconds``: (rps, ok, errors)."""
    load = ClientLoad(base, partial(api_peer.post_query, query=TOP100, variables={}), clients)
    try:
        ok, elapsed, errors = load.block(seconds)
    finally:
        load.close()
    return ok / elapsed, ok, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small graph, short runs")
    parser.add_argument(
        "--peer", action="store_true", help="compare with the Neo4j GraphQL Library instead"
    )
    options = parser.parse_args()
    if options.peer:
        print(json.dumps(api_peer.run(options.quick)))
        return
    profiles, follows, repeat, seconds = (
        (2_000, 5, 30, 5.0) if options.quick else (20_000, 10, 100, 15.0)
    )
    home = Settings().home
    with (
        tempfile.TemporaryDirectory(prefix="srm-bench-api-") as folder,
        local_neo4j.running_server(home, Path(folder), heap_mb=1024, pagecache_mb=256) as server,
    ):
        settings = Settings(NEO4J_URI=server.uri, SRM_API_KEYS="", SRM_PRODUCTION=False)
        driver = open_driver(settings)
        try:
            db.init_schema(driver)
            started = time.perf_counter()
            with console.status(f"Building {profiles:,} profiles…"):
                build_graph(driver, profiles, follows)
            console.print(f"graph ready in {time.perf_counter() - started:.1f} s")
            counting = CountingDriver(driver)
            app = create_app(settings, counting, counting.open_reader)  # type: ignore[arg-type]
            add_plain_route(app, settings)
            with running_api(app) as base:
                with httpx.Client(base_url=base, timeout=120) as client:
                    # Warm Neo4j's plan cache and the JVM on every path first: a cold plan of
                    # the links statement takes seconds on a loaded machine.
                    client.post("/graphql", json={"query": NESTED}).raise_for_status()
                    for _ in range(5):
                        client.post("/graphql", json={"query": TOP100}).raise_for_status()
                        client.get("/bench/top100").raise_for_status()
                    medians = interleaved_p50_ms(
                        client,
                        {
                            "graphql": lambda c: c.post("/graphql", json={"query": TOP100}),
                            "plain": lambda c: c.get("/bench/top100"),
                        },
                        repeat,
                    )
                    graphql, plain = medians["graphql"], medians["plain"]
                    counting.reset()
                    nested = client.post("/graphql", json={"query": NESTED})
                    nested.raise_for_status()
                    assert "errors" not in nested.json(), nested.text
                    round_trips = counting.count
                with console.status(f"20 clients for {seconds:.0f} s…"):
                    rps, ok, errors = load_test(base, 20, seconds)
        finally:
            driver.close()
    result = {
        "profiles": profiles,
        "graphql_top100_p50_ms": round(graphql, 2),
        "rest_same_cypher_p50_ms": round(plain, 2),
        "ratio_graphql_vs_rest": round(graphql / plain, 3),
        "round_trips_nested_query": round_trips,
        "nested_query_depth": nesting_depth(NESTED),
        "rps_20_clients": round(rps, 1),
        "load_requests": ok + errors,
        "load_errors": errors,
    }
    console.print(
        f"GraphQL top-100 p50 {graphql:.1f} ms vs plain route {plain:.1f} ms "
        f"(×{graphql / plain:.2f}); nested query {round_trips} round trips; "
        f"{rps:.0f} req/s with 20 clients, {errors} errors"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
