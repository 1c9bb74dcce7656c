"""REST enrichment for CRM systems, OpenAPI, and the health check (also with Neo4j down)."""

from __future__ import annotations

import socket

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from srm.settings import Settings
from srm.store import open_driver
from tests.api_support import KEYS, client_for, keyed_settings, load_graph


@pytest.fixture()
def client(driver: Driver, settings: Settings) -> TestClient:
    load_graph(driver)
    return client_for(keyed_settings(settings), driver)


def enrich(client: TestClient, keys: list[dict], role: str = "crm"):
    return client.post("/api/v1/enrich", json={"keys": keys}, headers={"X-API-Key": KEYS[role]})


def test_enrich_each_kind_of_key_and_report_unknown_ones(client: TestClient) -> None:
    response = enrich(
        client,
        [
            {"customer_id": "C1"},
            {"email": "Dan@Example.com"},
            {"phone": "+15550001"},
            {"platform": "X", "handle": "@bob"},
            {"customer_id": "missing"},
            {"email": "nobody@example.com"},
        ],
    )
    assert response.status_code == 200, response.text
    body = response.json()
    by_index = {result["index"]: result for result in body["results"]}
    assert set(by_index) == {0, 1, 2, 3}
    alice = by_index[0]
    assert alice["person_id"] == "P1"
    assert [p["profile_id"] for p in alice["profiles"]] == ["x:1"]
    assert alice["influence_score"] == 0.9 and alice["influence_percentile"] == 100.0
    assert alice["community_id"] == "k1"
    assert alice["segments"] == ["loyal fans"]
    assert alice["last_activity"].startswith("2026-01-01T10:00:00")
    assert by_index[1]["customer_id"] == "C2" and by_index[1]["profiles"] == []
    assert by_index[2]["customer_id"] == "C1"
    assert by_index[3]["customer_id"] is None and by_index[3]["profiles"][0]["handle"] == "bob"
    assert body["unknown"] == [{"index": 4, "kind": "customer_id"}, {"index": 5, "kind": "email"}]
    assert "nobody@example.com" not in response.text


def test_enrich_rejects_bad_batches_without_echoing_values(client: TestClient) -> None:
    response = enrich(client, [{"email": "secret@example.com", "phone": "+1999"}])
    assert response.status_code == 422
    assert "exactly one" in response.text and "secret@example.com" not in response.text
    response = enrich(client, [{"handle": "bob"}])
    assert response.status_code == 422 and "platform" in response.text
    response = enrich(client, [{"customer_id": str(i)} for i in range(1_001)])
    assert response.status_code == 422 and "keys" in response.text
    assert enrich(client, [{"customer_id": "C1"}], role="admin").status_code == 200


def test_openapi_documents_the_enrichment_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/v1/enrich" in spec["paths"]
    assert "Enrichment" in spec["components"]["schemas"]
    assert client.get("/docs").status_code == 200


def test_healthz_ok_and_503_when_neo4j_is_down(client: TestClient, settings: Settings) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "neo4j": "ok"}
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    down = settings.model_copy(
        update={
            "neo4j_uri": f"bolt://127.0.0.1:{free_port}",
            "neo4j_connection_timeout_s": 1.0,
            "neo4j_acquisition_timeout_s": 1.0,
            "neo4j_max_retry_time_s": 0.0,
        }
    )
    dead_driver = open_driver(down)
    try:
        dead = client_for(down, dead_driver)
        response = dead.get("/healthz")
        assert response.status_code == 503
        assert "not reachable" in response.json()["neo4j"]
        status = dead.post("/graphql", json={"query": "{ brands { name } }"}).status_code
        assert status == 503
    finally:
        dead_driver.close()
