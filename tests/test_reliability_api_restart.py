"""Neo4j restarts under API load: while the store is down the API answers 503 with a clear
message (never 500, never a hang), and it recovers by itself when Neo4j is back — the app
is not restarted. Runs its own local Neo4j on a temporary store (not the session one)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from bench.load import running_api
from srm import local_neo4j
from srm.api.app import create_app
from srm.ingest.pipeline import ingest_paths
from srm.settings import Settings
from srm.store import open_driver
from tests.ingest_helpers import write_bundle

REQUESTS = (
    ("POST", "/graphql", {"query": "{ brands { name } }"}),
    ("POST", "/api/v1/enrich", {"keys": [{"customer_id": "C1"}]}),
    ("GET", "/healthz", None),
)


def _wait_for(condition: Callable[[], bool], timeout_s: float = 90) -> None:
    """Poll ``condition`` (a bound, not a timing assertion: the machine may be slow)."""
    deadline = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)


@pytest.fixture()
def own_server(srm_home: Path, tmp_path: Path) -> Iterator[local_neo4j.LocalServer]:
    with local_neo4j.running_server(
        srm_home, tmp_path / "store", heap_mb=512, pagecache_mb=64
    ) as server:
        yield server


def test_api_answers_503_while_neo4j_is_down_and_recovers(
    own_server: local_neo4j.LocalServer, srm_home: Path, tmp_path: Path
) -> None:
    settings = Settings(
        NEO4J_URI=own_server.uri,
        NEO4J_CONNECTION_TIMEOUT=1,
        NEO4J_ACQUISITION_TIMEOUT=2,
        NEO4J_MAX_RETRY_TIME=1,
        SRM_API_RATE_LIMIT=1_000_000,
    )
    driver = open_driver(settings)
    ingest_paths(driver, [write_bundle(tmp_path / "bundle")])
    log: list[tuple[str, int, str, float]] = []  # phase, status, body, seconds
    phase = {"name": "up"}
    stop = threading.Event()

    def client(offset: int) -> None:
        with httpx.Client(timeout=30) as http:
            turn = offset
            while not stop.is_set():
                method, path, body = REQUESTS[turn % len(REQUESTS)]
                turn += 1
                started = time.perf_counter()
                try:
                    response = http.request(method, base + path, json=body)
                    entry = (phase["name"], response.status_code, response.text)
                except httpx.TimeoutException:
                    entry = (phase["name"], 0, "timeout")
                log.append((*entry, time.perf_counter() - started))
                time.sleep(0.02)

    try:
        with running_api(create_app(settings, driver)) as base:
            threads = [threading.Thread(target=client, args=(i,)) for i in range(4)]
            for thread in threads:
                thread.start()
            _wait_for(lambda: sum(entry[0] == "up" for entry in log) >= 6)
            phase["name"] = "down"
            local_neo4j.kill(own_server.data_dir)
            _wait_for(lambda: sum(entry[0] == "down" for entry in log) >= 6)
            phase["name"] = "restarting"
            local_neo4j.start(
                srm_home,
                own_server.data_dir,
                own_server.port,
                heap_mb=512,
                pagecache_mb=64,
                parent_pid=os.getpid(),
            )
            phase["name"] = "back"
            _wait_for(lambda: [e[1] for e in log if e[0] == "back"][-6:] == [200] * 6)
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
    finally:
        stop.set()
        driver.close()

    statuses = {
        phase_name: {entry[1] for entry in log if entry[0] == phase_name}
        for phase_name in ("up", "down", "back")
    }
    assert statuses["up"] == {200}
    assert 503 in statuses["down"]
    assert statuses["down"] <= {200, 503}, "only 503 (or a request finished just before)"
    assert not any(entry[1] in (0, 500) for entry in log), "no 500 and no hang"
    unavailable = [entry[2] for entry in log if entry[1] == 503]
    odd = {body for body in unavailable if "not reachable" not in body or "Traceback" in body}
    assert odd == set(), "every 503 says Neo4j is unavailable, without internals"
    back = [entry[1] for entry in log if entry[0] == "back"]
    assert back[-6:] == [200] * 6, "the API recovered without a restart"
