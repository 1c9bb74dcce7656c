"""The audit trail: every API request and identity decision, no keys or values, readable by
admins (CLI, GraphQL), pruned after the retention period, safe with several writers."""

from __future__ import annotations

import json
import multiprocessing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from srm.cli import app
from srm.operations.audit import AuditTrail, parse_since, prune, read_events
from srm.settings import Settings, get_settings
from tests.api_support import KEYS, client_for, gql, keyed_settings, load_graph

SINCE = datetime(2000, 1, 1, tzinfo=UTC)


def _write_many(directory: str, writer: int) -> None:
    trail = AuditTrail(Path(directory), retention_days=30)
    for batch in range(40):
        for item in range(50):
            trail.record_request(
                request_id=f"{writer}-{batch}-{item}",
                key_id="k" * 12,
                role="admin",
                operation="graphql query X [" + "y" * 200 + "]",
                pii=["email"],
                status=200,
                latency_ms=1.0,
            )
        trail.flush()


def test_several_processes_append_whole_lines(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_write_many, args=(str(tmp_path), n)) for n in range(4)]
    for process in writers:
        process.start()
    for process in writers:
        process.join(120)
        assert process.exitcode == 0
    lines = [line for path in tmp_path.iterdir() for line in path.read_text().splitlines() if line]
    assert len(lines) == 4 * 40 * 50
    assert len({json.loads(line)["request_id"] for line in lines}) == len(lines)


def test_retention_prunes_whole_days_and_reading_filters(tmp_path: Path) -> None:
    for day in ("2026-01-01", "2026-01-09", "2026-01-10"):
        (tmp_path / f"audit-{day}.jsonl").write_text(
            json.dumps({"time": f"{day}T12:00:00+00:00", "kind": "request"}) + "\n"
        )
    (tmp_path / "notes.txt").write_text("kept")
    assert prune(tmp_path, retention_days=2, today=date(2026, 1, 10)) == 1
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "audit-2026-01-09.jsonl",
        "audit-2026-01-10.jsonl",
        "notes.txt",
    ]
    since = datetime(2026, 1, 9, 13, tzinfo=UTC)
    assert [event["time"][:10] for event in read_events(tmp_path, since)] == ["2026-01-10"]
    assert list(read_events(tmp_path, SINCE, kind="decision")) == []
    now = datetime(2026, 1, 10, tzinfo=UTC)
    assert parse_since("24h", now) == now - timedelta(hours=24)
    with pytest.raises(ValueError, match="age"):
        parse_since("yesterday")


def test_requests_and_decisions_are_audited_without_keys_or_values(
    driver: Driver, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_graph(driver)
    audit = tmp_path / "audit"
    current = keyed_settings(settings, audit_dir=audit)
    with client_for(current, driver) as client:
        gql(client, '{ customer(email: "alice@example.com") { firstName phone } }', "analyst")
        gql(client, '{ customer(email: "alice@example.com") { firstName } }', "marketer")
        accept = 'mutation { acceptMerge(id: "customer:C2|profile:x:4") { status } }'
        assert gql(client, accept, role="analyst")[0] == 200
        client.post(
            "/api/v1/enrich",
            json={"keys": [{"phone": "+15550001"}]},
            headers={"X-API-Key": KEYS["crm"]},
        )
    text = "".join(path.read_text() for path in audit.iterdir())
    for secret in [*KEYS.values(), "alice@example.com", "+15550001"]:
        assert secret not in text
    requests = list(read_events(audit, SINCE, kind="request"))
    lookups = [event for event in requests if "customer" in event["operation"]]
    assert [(event["role"], event["status"]) for event in lookups] == [
        ("analyst", 200),
        ("marketer", 403),
    ]
    assert lookups[0]["pii"] == ["email", "name", "phone"]
    assert all(len(event["key_id"]) == 12 for event in lookups)
    enrich = [event for event in requests if event["operation"] == "POST /api/v1/enrich"]
    assert enrich[0]["pii"] == ["handle", "phone"] and enrich[0]["role"] == "crm"
    (decision,) = read_events(audit, SINCE, kind="decision")
    assert decision["decision"] == "accept" and decision["by"].startswith("api-key:")
    assert decision["records"] == ["customer:C2", "profile:x:4"]
    assert decision["probability"] == pytest.approx(0.93)

    # Admins read it with GraphQL; other roles may not.
    client = client_for(current, driver)
    query = 'query { auditEvents(since: "2000-01-01T00:00:00Z", first: 50) { kind operation } }'
    status, body = gql(client, query, role="analyst")
    assert status == 403
    status, body = gql(client, query, role="admin")
    kinds = {event["kind"] for event in body["data"]["auditEvents"]}
    assert status == 200 and kinds == {"request", "decision"}

    # And with the CLI.
    monkeypatch.setenv("SRM_AUDIT_DIR", str(audit))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(
            app, ["audit", "--since", "1h", "--kind", "decision", "--format", "json"]
        )
        table = CliRunner().invoke(app, ["audit", "--since", "2000-01-01"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.splitlines()[0])["decision"] == "accept"
    assert table.exit_code == 0 and "decision events" in table.output
