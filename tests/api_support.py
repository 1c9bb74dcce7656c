"""Shared set-up of the API tests: the test graph, an app on the test Neo4j, key helpers."""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi.testclient import TestClient
from neo4j import Driver

from bench.instrument import CountingDriver
from srm.api.app import create_app
from srm.settings import Settings
from srm.store import write
from tests import statements

KEYS = {role: f"test-key-{role}" for role in ("marketer", "analyst", "crm", "admin")}
CONFIGURED_KEYS = ",".join(
    f"{role}:{hashlib.sha256(key.encode()).hexdigest()}" for role, key in KEYS.items()
)


def load_graph(driver: Driver) -> None:
    write(driver, statements.API_TEST_GRAPH)


def keyed_settings(settings: Settings, **changes: Any) -> Settings:
    """The test settings with the four role keys configured (not demo mode)."""
    return settings.model_copy(update={"api_keys": CONFIGURED_KEYS, **changes})


def client_for(settings: Settings, driver: Driver | CountingDriver) -> TestClient:
    return TestClient(create_app(settings, driver))  # type: ignore[arg-type]


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
