"""Transient errors on reads: the auto-commit reads (``read_values``, and the API's awaited
ones in srm.store_async) retry a
transient error with growing pauses for a bounded time, as managed transactions do, and
then report the store as busy (HTTP 503 with Retry-After), never as an internal error.

Under ``bench.load`` a read sometimes failed with a TransientError (Neo4j's transaction
memory pool full while ingest wrote): it was retried once, failed again, and the client got
a 500. Here the capped server (16 MiB per transaction) makes the same error happen for
real and on demand."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from neo4j import AsyncGraphDatabase, Driver, GraphDatabase
from neo4j.exceptions import TransientError

from srm import local_neo4j, store, store_async
from srm.api.errors import http_status
from srm.errors import StoreBusy
from srm.operations.logs import JsonFormatter
from srm.store import read_values, retry_transient

# Strings of a million numbers held at once: far above the capped server's 16 MiB.
OVER_THE_CAP = "UNWIND range(1, 1000000) AS x RETURN collect(toString(x)) AS xs"


def _real_transient_error(driver: Driver) -> TransientError:
    with driver.session() as session:
        try:
            session.run(OVER_THE_CAP).consume()
        except TransientError as error:
            return error
    raise AssertionError("the capped server answered a statement over its memory cap")


def test_a_transient_error_that_clears_is_retried_until_it_does(capped_driver: Driver) -> None:
    error = _real_transient_error(capped_driver)
    assert error.is_retryable()
    calls, pauses = [], []

    def flaky() -> str:
        calls.append(1)
        if len(calls) <= 3:
            raise error
        return "answer"

    assert retry_transient(flaky, 30.0, sleep=pauses.append) == "answer"
    assert len(calls) == 4
    assert pauses == sorted(pauses) and pauses[-1] > pauses[0]  # growing pauses


def test_a_read_that_stays_transient_ends_busy_not_internal(
    capped_driver: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "READ_RETRY_SECONDS", 1.0)
    with pytest.raises(StoreBusy) as raised:
        read_values(capped_driver, OVER_THE_CAP)
    busy = raised.value
    assert busy.attempts >= 3
    assert busy.code == "Neo.TransientError.General.MemoryPoolOutOfMemoryError"
    assert busy.code in str(busy) and "Try again" in str(busy)
    assert http_status(busy) == 503
    # the server still answers what fits
    assert read_values(capped_driver, "RETURN 1 AS one") == [{"one": 1}]


def test_an_awaited_read_that_stays_transient_ends_busy_as_the_blocking_one_does(
    capped_server: local_neo4j.LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_async, "READ_RETRY_SECONDS", 1.0)

    async def reads() -> tuple[StoreBusy, list[dict[str, int]]]:
        driver = AsyncGraphDatabase.driver(capped_server.uri, auth=None)
        try:
            with pytest.raises(StoreBusy) as raised:
                await store_async.read_values(driver, OVER_THE_CAP)
            return raised.value, await store_async.read_values(driver, "RETURN 1 AS one")
        finally:
            await driver.close()

    busy, fitting = asyncio.run(reads())
    assert busy.attempts >= 3
    assert busy.code == "Neo.TransientError.General.MemoryPoolOutOfMemoryError"
    assert http_status(busy) == 503
    assert fitting == [{"one": 1}]


def test_an_awaited_retry_pauses_as_the_blocking_one_does(capped_driver: Driver) -> None:
    error = _real_transient_error(capped_driver)
    calls, pauses = [], []

    async def flaky() -> str:
        calls.append(1)
        if len(calls) <= 3:
            raise error
        return "answer"

    async def recorded(seconds: float) -> None:
        pauses.append(seconds)

    assert asyncio.run(store_async.retry_transient(flaky, 30.0, sleep=recorded)) == "answer"
    assert len(calls) == 4
    assert pauses == sorted(pauses) and pauses[-1] > pauses[0]


def test_the_log_line_of_a_transient_error_names_its_code_not_its_message(
    capped_driver: Driver,
) -> None:
    error = _real_transient_error(capped_driver)
    try:
        raise StoreBusy("busy", attempts=1, code=None) from error
    except StoreBusy as busy:
        record = logging.LogRecord(
            "srm", logging.ERROR, __file__, 1, "failed", (), (type(busy), busy, busy.__traceback__)
        )
    line = json.loads(JsonFormatter().format(record))
    assert line["error_type"] == "StoreBusy"
    assert line["error_code"] == "Neo.TransientError.General.MemoryPoolOutOfMemoryError"
    assert error.message and error.message not in json.dumps(line)
    # this test's own frame is named, not only the library's
    assert any("test_reliability_busy.py" in frame for frame in line["error_origin"])


def test_a_managed_write_that_stays_transient_ends_busy_not_internal(
    capped_server: local_neo4j.LocalServer,
) -> None:
    # A managed transaction retries transient errors itself (max_transaction_retry_time)
    # and then raises the last one: that must reach clients as busy (503), not as 500.
    driver = GraphDatabase.driver(capped_server.uri, auth=None, max_transaction_retry_time=0.5)
    try:
        with pytest.raises(StoreBusy) as raised:
            store.write(driver, OVER_THE_CAP)
        busy = raised.value
        assert busy.code == "Neo.TransientError.General.MemoryPoolOutOfMemoryError"
        assert http_status(busy) == 503
    finally:
        driver.close()
