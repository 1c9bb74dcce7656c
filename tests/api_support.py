"""Shared set-up of the API tests: the test graph, an app on the test Neo4j, key helpers."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi.testclient import TestClient
from neo4j import AsyncDriver, Driver

from bench.instrument import CountingDriver
from srm.api.app import create_app
from srm.settings import Settings
from srm.store import write
from srm.store_async import open_async_driver
from tests import statements

T = TypeVar("T")

KEYS = {role: f"test-key-{role}" for role in ("marketer", "analyst", "crm", "admin")}
CONFIGURED_KEYS = ",".join(
    f"{role}:{hashlib.sha256(key.encode()).hexdigest()}" for role, key in KEYS.items()
)


def load_graph(driver: Driver) -> None:
    write(driver, statements.API_TEST_GRAPH)


def keyed_settings(settings: Settings, **changes: Any) -> Settings:
    """The test settings with the four role keys configured (not demo mode)."""
    return settings.model_copy(update={"api_keys": CONFIGURED_KEYS, **changes})


class StartedClient(TestClient):
    """A TestClient whose app was started when it was made (client_for); ``with client``
    only stops it at the end of the block, else it stops when the test ends."""

    def start(self) -> StartedClient:
        TestClient.__enter__(self)
        _STARTED.append(self)
        return self

    def __enter__(self) -> StartedClient:
        return self

    def __exit__(self, *exc: Any) -> None:
        if self in _STARTED:
            _STARTED.remove(self)
            TestClient.__exit__(self, *exc)


# Clients of the running test, started by client_for and stopped after it (close_clients).
_STARTED: list[StartedClient] = []


def client_for(
    settings: Settings, driver: Driver | CountingDriver, **options: Any
) -> StartedClient:
    """A started client (the app's lifespan ran: its asyncio driver is open) of an app on
    ``driver``; a CountingDriver also counts the app's reads. ``options`` go to
    TestClient."""
    open_reader = {"open_reader": driver.open_reader} if isinstance(driver, CountingDriver) else {}
    app = create_app(settings, driver, **open_reader)  # type: ignore[arg-type]
    return StartedClient(app, **options).start()


def close_clients() -> None:
    """Stop every client client_for started and the test left running."""
    while _STARTED:
        _STARTED[-1].__exit__(None, None, None)


def gql(
    client: TestClient, query: str, role: str | None = "admin", **variables: Any
) -> tuple[int, dict[str, Any]]:
    headers = {"X-API-Key": KEYS[role]} if role else {}
    response = client.post(
        "/graphql", json={"query": query, "variables": variables or None}, headers=headers
    )
    try:
        body = response.json()
    except ValueError:
        body = {"text": response.text}
    return response.status_code, body


def run_reads(settings: Settings, work: Callable[[AsyncDriver], Awaitable[T]]) -> T:
    """``work(reader)`` on an asyncio driver to the test Neo4j (the API's read services take
    one), opened before and closed after it on one event loop."""

    async def main() -> T:
        reader = open_async_driver(settings)
        try:
            return await work(reader)
        finally:
            await reader.close()

    return asyncio.run(main())
