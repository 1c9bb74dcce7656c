"""Subject access (GDPR art. 15) on a real Neo4j: ``srm privacy export`` and
``POST /api/v1/subject-access`` return everything held about a person — e-mail and phone
included — to admins only; other roles get 403 and an unknown person 404."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver
from typer.testing import CliRunner

from srm.cli import app
from srm.store import write
from tests.api_support import KEYS, client_for, keyed_settings
from tests.privacy_statements import CREATE_PRIVACY_GRAPH, SET_SCORES

EMAIL = "subject.access@example.org"
PHONE = "+44 20 7946 0555"
HANDLE = "subjectaccess"
UNKNOWN = "P-ghost-4411"


@pytest.fixture()
def graph(driver: Driver) -> Driver:
    write(driver, CREATE_PRIVACY_GRAPH, email=EMAIL, phone=PHONE, handle=HANDLE)
    write(driver, SET_SCORES, key="x:100")
    return driver


def _export(client: TestClient, role: str | None, **body: Any) -> Any:
    headers = {"X-API-Key": KEYS[role]} if role else {}
    return client.post("/api/v1/subject-access", json=body, headers=headers)


def _check_document(document: dict[str, Any]) -> None:
    assert document["format"] == "srm-subject-access/1"
    assert document["person"]["id"] == "P-1"
    records = {record["id"]: record for record in document["records"]}
    assert set(records) == {"C-1", "x:100"}
    customer, profile = records["C-1"], records["x:100"]
    assert customer["data"]["email"] == EMAIL and customer["data"]["phone"] == PHONE
    assert customer["linked_accounts"] == ["x:100"]
    assert profile["data"]["handle"] == HANDLE
    assert profile["scores"]["influence_score"] == 0.42
    assert [c["community_id"] for c in profile["communities"]] == [1]
    assert profile["followers"] == 1 and profile["follows"] == 1
    assert [post["post_key"] for post in document["posts"]] == ["x:p1"]
    (decision,) = document["identity_decisions"]
    assert (decision["a"], decision["b"]) == ("customer:C-1", "profile:x:100")
    assert decision["status"] == "accepted" and decision["evidence"] == "email+handle"


def test_rest_subject_access_is_admin_only_and_complete(
    graph: Driver, settings: Any, tmp_path: Path
) -> None:
    client = client_for(keyed_settings(settings, home=tmp_path / "home"), graph)

    answer = _export(client, "admin", person_id="P-1")

    assert answer.status_code == 200, answer.text
    _check_document(answer.json())
    for role in ("marketer", "analyst", "crm"):
        denied = _export(client, role, person_id="P-1")
        assert denied.status_code == 403, role
        assert EMAIL not in denied.text
    assert _export(client, None, person_id="P-1").status_code == 401
    unknown = _export(client, "admin", person_id=UNKNOWN)
    assert unknown.status_code == 404
    assert "No person with that id" in unknown.json()["detail"]
    assert UNKNOWN not in unknown.text
    assert _export(client, "admin", person_id="").status_code == 422
    assert _export(client, "admin").status_code == 422


def test_cli_export_prints_or_writes_a_private_file_that_erasure_removes(
    cli_store: Driver, tmp_path: Path
) -> None:
    write(cli_store, CREATE_PRIVACY_GRAPH, email=EMAIL, phone=PHONE, handle=HANDLE)
    write(cli_store, SET_SCORES, key="x:100")
    runner = CliRunner()

    shown = runner.invoke(app, ["privacy", "export", "--person", "P-1"])
    assert shown.exit_code == 0, shown.output
    _check_document(json.loads(shown.output))

    target = tmp_path / "p1.json"
    written = runner.invoke(app, ["privacy", "export", "--person", "P-1", "--out", str(target)])
    assert written.exit_code == 0, written.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    _check_document(json.loads(target.read_text(encoding="utf-8")))

    missing = runner.invoke(app, ["privacy", "export", "--person", UNKNOWN])
    assert missing.exit_code == 1 and "No person with that id" in missing.output

    erased = runner.invoke(app, ["erase", "--person", "P-1", "--yes"])
    assert erased.exit_code == 0, erased.output
    assert not target.exists()
