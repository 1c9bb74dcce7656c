"""`srm audit`: read the audit trail (API requests and identity decisions)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from srm.commands.common import console, fail, settings
from srm.operations.audit import KINDS, parse_since, read_events

__all__ = ["audit"]

_COLUMNS = {
    "request": ("time", "key_id", "role", "operation", "pii", "status", "latency_ms"),
    "decision": ("time", "decision", "by", "records", "before", "after", "probability"),
}


def audit(
    since: Annotated[
        str, typer.Option(help="From when: an ISO date/time (UTC) or an age: 7d, 24h, 30m.")
    ] = "24h",
    until: Annotated[str | None, typer.Option(help="Up to when (exclusive); default now.")] = None,
    kind: Annotated[str | None, typer.Option(help="Only 'request' or 'decision' events.")] = None,
    output: Annotated[
        str, typer.Option("--format", help="'table' (default) or 'json' (one event a line).")
    ] = "table",
    limit: Annotated[int, typer.Option(help="At most this many events (oldest first).")] = 1000,
) -> None:
    """Show audit events: every API request (key id, role, operation, classes of personal
    data touched, status, latency — never keys or values) and every identity decision
    (accept, reject, unmerge, undo: who, records, persons before/after, probability).
    Read from SRM_AUDIT_DIR ($SRM_HOME/audit); kept SRM_AUDIT_RETENTION_DAYS days."""
    if kind is not None and kind not in KINDS:
        raise fail(f"--kind must be one of {', '.join(KINDS)}.")
    if output not in ("table", "json"):
        raise fail("--format must be 'table' or 'json'.")
    try:
        start = parse_since(since)
        end = parse_since(until) if until else None
    except ValueError as error:
        raise fail(str(error)) from error
    events = list(read_events(settings().audit_path, start, end, kind, limit))
    if output == "json":
        for event in events:
            typer.echo(json.dumps(event, separators=(",", ":")))
        return
    for shown in (kind,) if kind else KINDS:
        rows = [event for event in events if event.get("kind") == shown]
        if not rows:
            continue
        table = Table(title=f"{shown} events", show_lines=False)
        for column in _COLUMNS[shown]:
            table.add_column(column)
        for event in rows:
            table.add_row(*(_cell(event.get(column)) for column in _COLUMNS[shown]))
        console.print(table)
    console.print(f"{len(events):,} events since {start.isoformat(timespec='seconds')}.")


def _cell(value: object) -> str:
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return "" if value is None else str(value)
