"""Logs and quarantine files never hold emails or phone numbers: run an ingest with bad
rows (CLI, debug logging), an erasure and an enrichment, then grep everything written."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver
from typer.testing import CliRunner

from srm.api.app import create_app
from srm.cli import app
from srm.operations.erasure import erase
from srm.operations.logs import JsonFormatter
from srm.settings import Settings, get_settings
from tests.api_support import KEYS, keyed_settings, load_graph
from tests.ingest_helpers import write_bundle

EMAILS = ["bego@example.test", "paco@example.test", "bad@@example..test", "eve@example.test"]
PHONES = ["+34 600 000 001", "+34 600 000 002", "+44 7700 900123"]
BAD_CUSTOMERS = (
    "customer_id,first_name,last_name,email,phone,city,company,twitter_handle\n"
    "C1,Begoña,Muñoz,bego@example.test,+34 600 000 001,Bilbao,Acme,@BegoMunoz\n"
    "C2,Francisco,García,paco@example.test,+34 600 000 002,León,,pacog\n"
    "C3,Robert,Smith,bad@@example..test,+44 7700 900123,Leeds,Initech,,extra,cells\n"
    ",Eve,Nokey,eve@example.test,+44 7700 900123,York,,\n"
    f"C5,{'x' * 600},Long,eve@example.test,+44 7700 900123,York,,\n"
)


def _leaks(text: str) -> list[str]:
    return [value for value in EMAILS + PHONES if value in text]


def test_no_email_or_phone_in_logs_quarantine_or_output(
    driver: Driver,
    settings: Settings,
    neo4j_uri: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    monkeypatch.setenv("SRM_HOME", str(tmp_path / "home"))
    get_settings.cache_clear()
    caplog.set_level(logging.DEBUG)
    bundle = write_bundle(tmp_path / "bundle", customers=BAD_CUSTOMERS)
    quarantine = tmp_path / "quarantine.jsonl"
    try:
        result = CliRunner().invoke(
            app,
            [
                "ingest",
                str(bundle),
                "--quarantine",
                str(quarantine),
                "--max-bad-ratio",
                "1",
                "--verbose",
            ],
        )
        assert result.exit_code == 0, result.output
        erase(driver, get_settings(), "customer", "C1", by="test")
        with TestClient(create_app(settings, driver)) as client:
            answer = client.post(
                "/api/v1/enrich",
                json={"keys": [{"email": "eve@example.test"}, {"phone": "+44 7700 900123"}]},
            )
            assert answer.status_code == 200
            invalid = client.post("/api/v1/enrich", json={"keys": EMAILS[0]})
            assert invalid.status_code == 422
            assert _leaks(invalid.text) == []
    finally:
        get_settings.cache_clear()

    records = quarantine.read_text(encoding="utf-8")
    assert records.count("\n") >= 2, "the bad rows were quarantined"
    assert _leaks(records) == []
    assert _leaks(result.output) == []
    assert "DEBUG" in {record.levelname for record in caplog.records}
    assert _leaks(caplog.text) == []
    for record in caplog.records:  # arguments of lazy log calls are data too
        assert _leaks(repr(record.args)) == []


def test_api_log_is_one_json_line_per_request_without_query_texts(
    driver: Driver, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """Denied, invalid and failing requests carrying e-mails and phones: the log holds
    request ids, operation names and statuses — no query text, no value, no traceback."""
    load_graph(driver)
    app = create_app(keyed_settings(settings, production=True), driver)
    email, phone = EMAILS[0], PHONES[0]
    requests: list[tuple[str, dict[str, Any], str]] = [
        ("marketer", {"query": f'query Lookup {{ customer(email: "{email}") {{ id }} }}'}, "403"),
        ("admin", {"query": f'{{ customer(email: "{email}") {{ emial }} }}'}, "400"),
        ("admin", {"query": f'{{ search(text: "{phone} {email}") {{ kind }} }}'}, "200"),
        (
            "analyst",
            {
                "query": "query($e: String) { customer(email: $e) { id } }",
                "variables": {"e": email},
            },
            "200",
        ),
        ("admin", {"query": f'{{ search(text: "{email} {"x" * 300}") {{ kind }} }}'}, "400"),
    ]
    caplog.set_level(logging.DEBUG)
    with TestClient(app, raise_server_exceptions=False) as client:
        ids = []
        for role, body, expected in requests:
            response = client.post("/graphql", json=body, headers={"X-API-Key": KEYS[role]})
            assert str(response.status_code) == expected, response.text
            ids.append(response.headers["X-Request-ID"])
        crm = {"X-API-Key": KEYS["crm"]}
        client.post("/api/v1/enrich", json={"keys": [{"email": email}, {"phone": phone}]},
                    headers=crm)  # fmt: skip
        client.post("/api/v1/enrich", json={"keys": [{"email": email}]},
                    headers={"X-API-Key": "wrong-" + email})  # fmt: skip
    lines = [JsonFormatter().format(record) for record in caplog.records]
    text = "\n".join(lines) + caplog.text
    assert _leaks(text) == []
    assert "Traceback" not in text and "customer(" not in text
    access = [json.loads(line) for line in lines if '"srm.api.access"' in line]
    assert [entry["request_id"] for entry in access][: len(ids)] == ids
    assert access[0]["operation"] == "graphql query Lookup [customer]"
    assert access[0]["status"] == 403 and access[0]["key_id"] and access[0]["role"] == "marketer"
    # One line per request; nothing else at warning or above for client errors.
    assert len(access) == len(requests) + 2
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_each_operation_of_a_cached_document_is_logged_under_its_own_name(
    driver: Driver, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    load_graph(driver)
    app = create_app(keyed_settings(settings), driver)
    document = 'query Brands { brands { name } } query People { customer(id: "C1") { email } }'
    caplog.set_level(logging.INFO)
    with TestClient(app) as client:
        for name in ("Brands", "People", "Brands"):
            body = {"query": document, "operationName": name}
            response = client.post("/graphql", json=body, headers={"X-API-Key": KEYS["admin"]})
            assert response.status_code == 200, response.text
    lines = [json.loads(JsonFormatter().format(record)) for record in caplog.records]
    access = [line for line in lines if line.get("logger") == "srm.api.access"]
    assert [entry["operation"] for entry in access] == [
        "graphql query Brands [brands]",
        "graphql query People [customer]",
        "graphql query Brands [brands]",
    ]
