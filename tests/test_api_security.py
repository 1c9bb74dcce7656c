"""API keys, roles, field-level personal data, rate limits, demo and production modes."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from srm.api.app import DEMO_MODE_WARNING
from srm.api.security import create_api_key, hash_key, parse_configured_keys, revoke_api_key
from srm.errors import ConfigurationError
from srm.settings import Settings
from tests.api_support import KEYS, client_for, gql, keyed_settings, load_graph

PII = ("alice@example.com", "+15550001", "dan@example.com", "+15550002")


@pytest.fixture()
def client(driver: Driver, settings: Settings) -> TestClient:
    load_graph(driver)
    return client_for(keyed_settings(settings), driver)


def test_missing_and_unknown_keys_get_401_with_the_fix(client: TestClient) -> None:
    response = client.post("/graphql", json={"query": "{ brands { name } }"})
    assert response.status_code == 401
    assert "X-API-Key" in response.json()["detail"]
    response = client.post(
        "/graphql", json={"query": "{ brands { name } }"}, headers={"X-API-Key": "guess"}
    )
    assert response.status_code == 401
    assert "unknown or revoked" in response.json()["detail"]
    response = client.post(
        "/graphql",
        json={"query": "{ brands { name } }"},
        headers={"Authorization": f"Bearer {KEYS['marketer']}"},
    )
    assert response.status_code == 200


def test_roles_are_enforced_per_endpoint(client: TestClient) -> None:
    status, body = gql(client, "{ brands { name } }", role="crm")
    assert status == 403 and "crm" in body["detail"]
    response = client.post(
        "/api/v1/enrich",
        json={"keys": [{"customer_id": "C1"}]},
        headers={"X-API-Key": KEYS["marketer"]},
    )
    assert response.status_code == 403
    assert "marketer" in response.json()["detail"]
    status, body = gql(client, "{ mergeCandidates { edges { cursor } } }", role="marketer")
    assert "needs: analyst, admin" in body["errors"][0]["message"]
    status, body = gql(client, "{ mergeCandidates { edges { cursor } } }", role="analyst")
    assert status == 200 and "errors" not in body


def test_marketer_never_receives_email_or_phone(client: TestClient) -> None:
    query = """{ customer(id: "C1") { id email phone }
                 profile(id: "x:1") { customers { email phone }
                                      person { customers { email phone } } }
                 search(text: "Smith") { customer { email phone } }
                 person(id: "P1") { customers { email phone } } }"""
    response = client.post(
        "/graphql", json={"query": query}, headers={"X-API-Key": KEYS["marketer"]}
    )
    text = response.text
    assert not any(value in text for value in PII), "personal data reached a marketer"
    body = response.json()
    assert body["data"]["customer"] == {"id": "C1", "email": None, "phone": None}
    assert all("personal data" in error["message"] for error in body["errors"])
    _, body = gql(client, '{ customer(email: "alice@example.com") { id } }', role="marketer")
    assert body["data"]["customer"] is None and "marketer" in body["errors"][0]["message"]
    _, body = gql(client, '{ customer(id: "C1") { email phone } }', role="analyst")
    assert body["data"]["customer"] == {"email": "alice@example.com", "phone": "+15550001"}


def test_keys_stored_in_neo4j_work_until_revoked(driver: Driver, settings: Settings) -> None:
    load_graph(driver)
    client = client_for(keyed_settings(settings, api_key_cache_seconds=0), driver)
    key = create_api_key(driver, "marketer", name="test")
    headers = {"X-API-Key": key}
    assert (
        client.post("/graphql", json={"query": "{ brands { name } }"}, headers=headers).status_code
        == 200
    )
    assert revoke_api_key(driver, hash_key(key)[:12])
    response = client.post("/graphql", json={"query": "{ brands { name } }"}, headers=headers)
    assert response.status_code == 401
    assert not revoke_api_key(driver, "no-such-key")


def test_rate_limit_answers_429_with_retry_after(driver: Driver, settings: Settings) -> None:
    client = client_for(keyed_settings(settings, api_rate_limit_per_minute=2), driver)
    statuses = [gql(client, "{ brands { name } }", role="analyst")[0] for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = client.post(
        "/graphql", json={"query": "{ brands { name } }"}, headers={"X-API-Key": KEYS["analyst"]}
    )
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    # Limits are per key: another key is not throttled.
    assert gql(client, "{ brands { name } }", role="marketer")[0] == 200


def test_demo_mode_says_so_and_production_without_keys_refuses(
    driver: Driver, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    demo = settings.model_copy(update={"api_keys": "", "production": False})
    with caplog.at_level(logging.WARNING, logger="srm.api"), client_for(demo, driver) as client:
        assert gql(client, "{ brands { name } }", role=None)[0] == 200
    assert DEMO_MODE_WARNING in caplog.text
    production = settings.model_copy(update={"api_keys": "", "production": True})
    with pytest.raises(ConfigurationError, match="SRM_API_KEYS"):
        client_for(production, driver)
    with client_for(keyed_settings(settings, production=True), driver) as client:
        assert gql(client, "{ brands { name } }", role=None)[0] == 401


def test_configured_keys_are_validated() -> None:
    digest = hash_key("k")
    assert parse_configured_keys(f"analyst:{digest}, admin:{digest.upper()}") == {digest: "admin"}
    with pytest.raises(ConfigurationError, match="entry 1"):
        parse_configured_keys("boss:" + digest)
    with pytest.raises(ConfigurationError, match="64-character"):
        parse_configured_keys("admin:abc")
