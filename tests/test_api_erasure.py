"""Erasure through the API (GraphQL ``erase`` and ``POST /api/v1/erase``) on a real Neo4j:
admin only, audited with the API key, the records gone and suppressed, nothing echoed."""

from __future__ import annotations

import logging
import socket
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from srm.api.security import hash_key
from srm.operations.erasure import RECLUSTER_NOTE
from srm.settings import Settings
from srm.store import open_driver, read, write
from tests.api_support import KEYS, client_for, gql, keyed_settings
from tests.privacy_statements import (
    ALL_NODE_PROPERTIES,
    COUNT_LABEL,
    CREATE_PRIVACY_GRAPH,
    PERSONS_WITHOUT_RECORDS,
)
from tests.test_privacy_erasure import residue

EMAIL = "api.erase@example.org"
PHONE = "+44 20 7946 0123"
HANDLE = "apieraseme"
UNKNOWN_ID = "C-ghost-7731"
ERASE = """mutation($kind: ErasureKind!, $id: String!, $recluster: Boolean!) {
  erase(kind: $kind, id: $id, recluster: $recluster) {
    kind customers profiles posts personsDeleted personsKept suppressionKeys reclustered note
  }
}"""


@pytest.fixture()
def client(driver: Driver, settings: Settings, tmp_path: Path) -> TestClient:
    write(driver, CREATE_PRIVACY_GRAPH, email=EMAIL, phone=PHONE, handle=HANDLE)
    erasing = keyed_settings(settings, home=tmp_path / "home", suppression_salt=None)
    return client_for(erasing, driver)


def audits(driver: Driver) -> list[dict[str, Any]]:
    rows = read(driver, ALL_NODE_PROPERTIES)
    return [row["properties"] for row in rows if row["labels"] == ["ErasureAudit"]]


def suppressions(driver: Driver) -> int:
    return int(read(driver, COUNT_LABEL, label="Suppression")[0]["count"])


def admin_identity() -> str:
    return f"api-key:{hash_key(KEYS['admin'])[:12]} (admin)"


def rest_erase(client: TestClient, role: str | None, **body: Any) -> Any:
    headers = {"X-API-Key": KEYS[role]} if role else {}
    return client.post("/api/v1/erase", json=body, headers=headers)


def test_graphql_erase_is_admin_only_audited_and_reclusters(
    client: TestClient, driver: Driver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    variables = {"kind": "PROFILE", "id": "x:100", "recluster": True}
    for role in ("marketer", "analyst", "crm"):
        status, body = gql(client, ERASE, role=role, **variables)
        assert status == 403, (role, body)
        # crm may not use GraphQL at all (403 at the router); the others may not erase.
        message = body["detail"] if role == "crm" else body["errors"][0]["message"]
        assert role in message, (role, body)
    assert residue(driver, [HANDLE]) and audits(driver) == []

    status, body = gql(client, ERASE, role="admin", **variables)

    assert status == 200 and "errors" not in body, body
    erased = body["data"]["erase"]
    assert erased["kind"] == "PROFILE" and (erased["profiles"], erased["posts"]) == (1, 1)
    assert erased["personsKept"] == 1 and erased["reclustered"] is True and erased["note"] is None
    assert residue(driver, [HANDLE, "x:100", "Jane E"]) == []
    assert read(driver, PERSONS_WITHOUT_RECORDS)[0]["count"] == 0
    assert audits(driver) == [
        {"at": audits(driver)[0]["at"], "by": admin_identity(), "kind": "profile", "records": 1}
    ]
    assert suppressions(driver) == erased["suppressionKeys"] > 0

    status, body = gql(client, ERASE, kind="CUSTOMER", id=UNKNOWN_ID, recluster=False)
    assert status == 400 and body["data"] is None
    assert "No customer" in body["errors"][0]["message"]
    assert UNKNOWN_ID not in str(body) and len(audits(driver)) == 1
    for value in (HANDLE, "x:100", UNKNOWN_ID):
        assert value not in caplog.text, value


def test_rest_erase_is_admin_only_and_removes_the_person(
    client: TestClient, driver: Driver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    assert rest_erase(client, None, kind="person", id="P-1").status_code == 401
    for role in ("marketer", "analyst", "crm"):
        denied = rest_erase(client, role, kind="person", id="P-1")
        assert denied.status_code == 403 and role in denied.json()["detail"], role
    assert residue(driver, [EMAIL]) and audits(driver) == []

    response = rest_erase(client, "admin", kind="person", id="P-1")

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["customers"], body["profiles"], body["persons_deleted"]) == (1, 1, 1)
    assert body["reclustered"] is False and body["note"] is None
    for value in (EMAIL, PHONE, HANDLE, "C-1", "x:100", "P-1"):
        assert value not in response.text and value not in caplog.text, value
    assert residue(driver, [EMAIL, PHONE, HANDLE, "C-1", "x:100"]) == []
    [audit] = audits(driver)
    assert (audit["by"], audit["kind"], audit["records"]) == (admin_identity(), "person", 2)
    assert suppressions(driver) == body["suppression_keys"] > 0

    missing = rest_erase(client, "admin", kind="customer", id=UNKNOWN_ID)
    assert missing.status_code == 404 and "No customer" in missing.json()["detail"]
    assert UNKNOWN_ID not in missing.text
    bad = rest_erase(client, "admin", kind="email", id=EMAIL)
    assert bad.status_code == 422 and "kind" in bad.text and EMAIL not in bad.text
    assert rest_erase(client, "admin", kind="customer", id="").status_code == 422
    assert len(audits(driver)) == 1


def test_rest_erase_of_a_customer_notes_the_person_left_to_recluster(
    client: TestClient, driver: Driver
) -> None:
    response = rest_erase(client, "admin", kind="customer", id="C-1")

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["customers"], body["persons_kept"]) == (1, 1)
    assert body["reclustered"] is False and body["note"] == RECLUSTER_NOTE
    assert residue(driver, [EMAIL, PHONE, "C-1"]) == []
    assert read(driver, PERSONS_WITHOUT_RECORDS)[0]["count"] == 0


def test_openapi_documents_erasure_and_its_statuses(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/api/v1/erase"]["post"]
    assert {"401", "403", "404", "422", "503"} <= set(operation["responses"])
    assert "ErasureRequest" in spec["components"]["schemas"]
    request_kinds = spec["components"]["schemas"]["ErasureRequest"]["properties"]["kind"]
    assert request_kinds["enum"] == ["customer", "profile", "person"]


def test_erase_answers_503_when_neo4j_is_down(settings: Settings, tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    down = keyed_settings(
        settings,
        home=tmp_path / "home",
        neo4j_uri=f"bolt://127.0.0.1:{free_port}",
        neo4j_connection_timeout_s=1.0,
        neo4j_acquisition_timeout_s=1.0,
        neo4j_max_retry_time_s=0.0,
    )
    dead_driver = open_driver(down)
    try:
        dead = client_for(down, dead_driver)
        response = rest_erase(dead, "admin", kind="customer", id="C-1")
        assert response.status_code == 503 and "C-1" not in response.text
        status, body = gql(dead, ERASE, kind="CUSTOMER", id="C-1", recluster=False)
        assert status == 503 and "not reachable" in body["errors"][0]["message"]
    finally:
        dead_driver.close()
