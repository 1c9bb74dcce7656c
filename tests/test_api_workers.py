"""``srm serve --workers 2``: the worker processes share one rate limit (real Neo4j), and
the shared limiter keeps one bucket per key across processes."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from srm import local_neo4j
from srm.api.ratelimit import SharedRateLimiter
from srm.api.security import AccessDenied
from srm.api.workers import YOUNG_COLLECTION_THRESHOLD, settle_heap
from tests.api_support import CONFIGURED_KEYS, KEYS

LIMIT = 20


def test_two_limiters_on_one_state_file_share_the_bucket(tmp_path: Path) -> None:
    state = tmp_path / "rate.sqlite"
    first, second = SharedRateLimiter(6, state), SharedRateLimiter(6, state)
    for limiter in (first, second, first, second, first, second):
        limiter.check("key")
    with pytest.raises(AccessDenied) as refused:
        second.check("key")
    assert refused.value.status == 429 and refused.value.retry_after
    first.check("other key")


def _wait_until_serving(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        try:
            httpx.get(f"{base}/healthz", timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise AssertionError("srm serve --workers 2 did not answer within 90 s")


def test_two_workers_admit_the_configured_limit_in_total(neo4j_uri: str, tmp_path: Path) -> None:
    port = local_neo4j.free_port()
    env = {
        **os.environ,
        "NEO4J_URI": neo4j_uri,
        "SRM_API_KEYS": CONFIGURED_KEYS,
        "SRM_API_RATE_LIMIT": str(LIMIT),
    }
    command = [str(Path(sys.executable).parent / "srm"), "serve", "--workers", "2"]
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    statuses: list[int] = []
    lock = threading.Lock()
    try:
        _wait_until_serving(base, process)

        def client() -> None:
            for _ in range(6):
                # A new connection per request, so both workers take requests.
                response = httpx.post(
                    f"{base}/graphql",
                    json={"query": "{ __typename }"},
                    headers={"X-API-Key": KEYS["marketer"]},
                    timeout=30,
                )
                with lock:
                    statuses.append(response.status_code)

        started = time.monotonic()
        threads = [threading.Thread(target=client) for _ in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert set(statuses) <= {200, 429}, statuses
    admitted = statuses.count(200)
    # The bucket refills at LIMIT per minute while the requests run.
    assert LIMIT <= admitted <= LIMIT + 1 + int(elapsed * LIMIT / 60), (admitted, elapsed)
    assert statuses.count(429) == len(statuses) - admitted > 0


def test_a_server_process_takes_its_start_up_heap_out_of_collection() -> None:
    leftover = [object()]
    leftover.append(leftover)  # a cycle: collected before the freeze, not frozen with it
    del leftover
    thresholds = gc.get_threshold()
    try:
        settle_heap()
        assert gc.get_freeze_count() > 0
        assert gc.collect() == 0
        assert gc.get_threshold() == (YOUNG_COLLECTION_THRESHOLD, *thresholds[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
