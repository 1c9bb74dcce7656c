"""Abusive GraphQL requests are rejected with a 4xx and a clear message; errors are masked."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from srm.settings import Settings
from tests.api_support import KEYS, client_for, gql, keyed_settings, load_graph


@pytest.fixture()
def client(driver: Driver, settings: Settings) -> TestClient:
    return client_for(keyed_settings(settings), driver)


def nested_followers(levels: int) -> str:
    inner = "handle"
    for _ in range(levels):
        inner = f"followers(first: 2) {{ edges {{ node {{ {inner} }} }} }}"
    return f'{{ profile(id: "x:1") {{ {inner} }} }}'


def test_deep_nesting_is_rejected(client: TestClient) -> None:
    status, body = gql(client, nested_followers(4))
    assert status == 400 and "exceeds maximum operation depth" in body["errors"][0]["message"]
    assert gql(client, nested_followers(2))[0] == 200


def test_alias_flood_is_rejected(client: TestClient) -> None:
    aliases = " ".join(f"a{i}: brands {{ name }}" for i in range(16))
    status, body = gql(client, f"{{ {aliases} }}")
    assert status == 400 and "aliases" in body["errors"][0]["message"]


def test_huge_first_and_cost_are_rejected(client: TestClient) -> None:
    status, body = gql(client, "{ influencers(first: 1000) { edges { cursor } } }")
    assert status == 400 and "at most 100" in body["errors"][0]["message"]
    wide = """{ influencers(first: 100) { edges { node {
        followers(first: 100) { edges { node { following(first: 100) { totalCount } } } } } } } }"""
    status, body = gql(client, wide)
    assert status == 400 and "too expensive" in body["errors"][0]["message"]


def test_token_flood_is_rejected(client: TestClient) -> None:
    fields = " ".join("__typename" for _ in range(2_100))
    status, body = gql(client, f"{{ {fields} }}")
    assert status == 400 and "token" in body["errors"][0]["message"].lower()


def test_cyclic_fragments_are_rejected(client: TestClient) -> None:
    query = """query { profile(id: "x:1") { ...A } }
      fragment A on Profile { person { accounts { ...B } } }
      fragment B on Profile { person { accounts { ...A } } }"""
    status, body = gql(client, query)
    assert status == 400 and "Cannot spread fragment" in body["errors"][0]["message"]


def test_batched_requests_are_off(client: TestClient) -> None:
    response = client.post(
        "/graphql",
        json=[{"query": "{ brands { name } }"}, {"query": "{ brands { name } }"}],
        headers={"X-API-Key": KEYS["admin"]},
    )
    assert response.status_code == 400 and "Batching is not enabled" in response.text


def test_introspection_and_graphiql_only_outside_production(
    driver: Driver, settings: Settings
) -> None:
    query = "{ __schema { queryType { name } } }"
    development = client_for(keyed_settings(settings), driver)
    assert gql(development, query)[1]["data"]["__schema"]["queryType"]["name"] == "Query"
    assert development.get("/graphql", headers={"Accept": "text/html"}).status_code == 200
    production = client_for(keyed_settings(settings, production=True), driver)
    status, body = gql(production, query)
    assert status == 400 and "introspection" in body["errors"][0]["message"].lower()
    assert production.get("/graphql", headers={"Accept": "text/html"}).status_code in (401, 404)
    status, body = gql(production, "{ brandz { name } }")
    assert status == 400 and "Did you mean" not in body["errors"][0]["message"]


def test_database_errors_are_masked_and_logged_with_a_reference(
    driver: Driver, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    load_graph(driver)
    broken = keyed_settings(settings, neo4j_database="nosuchdatabase")
    client = client_for(broken, driver)
    with caplog.at_level(logging.ERROR, logger="srm.api"):
        response = client.post(
            "/graphql",
            json={"query": '{ customer(id: "C1") { id } }'},
            headers={"X-API-Key": KEYS["admin"]},
        )
    message = response.json()["errors"][0]["message"]
    assert message.startswith("Internal error (reference ")
    reference = message.removeprefix("Internal error (reference ").removesuffix(").")
    assert reference in caplog.text
    for leak in ("nosuchdatabase", "Neo4j", "MATCH", "customer_id", "C1"):
        assert leak not in response.text.replace('"customer"', "")
