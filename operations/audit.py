"""The audit trail: an append-only record of every API request and every identity decision.

Storage is JSON lines, one file per UTC day (``audit-YYYY-MM-DD.jsonl``) in
``Settings.audit_path``. Why files and not ``Audit`` nodes in Neo4j:

- a request's record costs no database round trip and cannot fail the request: requests are
  queued in memory and a background thread appends them about once a second;
- several server processes may append to the same file: each flush is one ``write`` of whole
  lines on a descriptor opened with ``O_APPEND``, which a local file system applies at the
  end of the file without interleaving it with another process's write;
- rotation needs no renaming (a new day is a new file) and retention deletes whole days;
- the trail survives a wiped or restored graph, and it is not part of the graph's backups.

Records never hold an API key, a query text or a value: the key id (first 12 hex of the key's
SHA-256), the role, the operation or route, the classes of personal data touched (``email``,
``phone``, ``name``, …), the status and the latency. Decisions name the records and persons
involved by id and the pair's probability.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

__all__ = [
    "DECISIONS",
    "KINDS",
    "AuditTrail",
    "parse_since",
    "prune",
    "read_events",
    "record_decision",
]

KINDS = ("request", "decision")
DECISIONS = ("accept", "reject", "unmerge", "undo")
_PREFIX = "audit-"
_SUFFIX = ".jsonl"
_FLUSH_SECONDS = 1.0
_MAX_QUEUED = 10_000


def _file_for(directory: Path, day: date) -> Path:
    return directory / f"{_PREFIX}{day.isoformat()}{_SUFFIX}"


def _day_of(path: Path) -> date | None:
    name = path.name
    if not (name.startswith(_PREFIX) and name.endswith(_SUFFIX)):
        return None
    try:
        return date.fromisoformat(name[len(_PREFIX) : -len(_SUFFIX)])
    except ValueError:
        return None


def _append(directory: Path, events: list[dict[str, Any]]) -> None:
    """Append ``events`` to their days' files, one ``write`` per file (see the module doc)."""
    directory.mkdir(parents=True, exist_ok=True)
    by_day: dict[date, list[str]] = {}
    for event in events:
        day = datetime.fromisoformat(event["time"]).date()
        by_day.setdefault(day, []).append(json.dumps(event, separators=(",", ":")) + "\n")
    for day, lines in by_day.items():
        descriptor = os.open(
            _file_for(directory, day), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600
        )
        try:
            os.write(descriptor, "".join(lines).encode("utf-8"))
        finally:
            os.close(descriptor)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def record_decision(
    directory: Path,
    decision: str,
    by: str,
    records: list[str],
    before: list[str] | None = None,
    after: list[str] | None = None,
    probability: float | None = None,
) -> dict[str, Any]:
    """Append one identity decision at once (decisions are rare; a CLI run may end next).

    ``decision``: accept, reject, unmerge or undo; ``by``: who (a reviewer name or
    ``api-key:<key id>``); ``records``: the record ids decided on; ``before``/``after``: the
    person ids of those records before and after; ``probability``: the pair's match
    probability when it was scored. Returns the event written.
    """
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}")
    event = {
        "time": _now(),
        "kind": "decision",
        "decision": decision,
        "by": by,
        "records": records,
        "before": before or [],
        "after": after or [],
        "probability": probability,
    }
    _append(directory, [event])
    return event


@dataclass
class AuditTrail:
    """Buffers request events and appends them from a background thread.

    :meth:`record_request` only queues (no I/O on the request path); :meth:`flush` writes
    what is queued; :meth:`close` stops the thread after a last flush. Old days are pruned
    at start and once a day.
    """

    directory: Path
    retention_days: int
    _queue: list[dict[str, Any]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _wake: threading.Event = field(default_factory=threading.Event)
    _stopped: bool = False
    _thread: threading.Thread | None = None
    _pruned_on: date | None = None
    dropped: int = 0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="srm-audit", daemon=True)
        self._thread.start()

    def record_request(
        self,
        *,
        request_id: str,
        key_id: str | None,
        role: str | None,
        operation: str,
        pii: list[str],
        status: int,
        latency_ms: float,
    ) -> None:
        event = {
            "time": _now(),
            "kind": "request",
            "request_id": request_id,
            "key_id": key_id,
            "role": role,
            "operation": operation,
            "pii": sorted(set(pii)),
            "status": status,
            "latency_ms": round(latency_ms, 1),
        }
        with self._lock:
            if len(self._queue) >= _MAX_QUEUED:
                self.dropped += 1
                return
            self._queue.append(event)

    def flush(self) -> None:
        with self._lock:
            events, self._queue = self._queue, []
        if events:
            _append(self.directory, events)
        today = datetime.now(UTC).date()
        if self._pruned_on != today:
            self._pruned_on = today
            prune(self.directory, self.retention_days)

    def close(self) -> None:
        self._stopped = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.flush()

    def _run(self) -> None:
        while not self._stopped:
            self._wake.wait(_FLUSH_SECONDS)
            try:
                self.flush()
            except OSError:
                # A full disk must not stop the server; the events stay lost, counted.
                self.dropped += 1


def prune(directory: Path, retention_days: int, today: date | None = None) -> int:
    """Delete the day files older than ``retention_days``; returns how many went."""
    oldest = (today or datetime.now(UTC).date()) - timedelta(days=retention_days - 1)
    removed = 0
    if not directory.is_dir():
        return 0
    for path in directory.iterdir():
        day = _day_of(path)
        if day is not None and day < oldest:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def read_events(
    directory: Path,
    since: datetime,
    until: datetime | None = None,
    kind: str | None = None,
    limit: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Events with ``since <= time < until`` (and of ``kind``), oldest first."""
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    if until is not None and until.tzinfo is None:
        until = until.replace(tzinfo=UTC)
    if not directory.is_dir():
        return
    days = sorted(
        (day, path)
        for path in directory.iterdir()
        if (day := _day_of(path)) is not None
        and day >= since.date()
        and (until is None or day <= until.date())
    )
    yielded = 0
    for _, path in days:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    event = json.loads(line)
                    at = datetime.fromisoformat(event["time"])
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut by a crash mid-write
                if at < since or (until is not None and at >= until):
                    continue
                if kind is not None and event.get("kind") != kind:
                    continue
                yield event
                yielded += 1
                if limit is not None and yielded >= limit:
                    return


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """``7d``, ``24h``, ``30m`` (ago) or an ISO date/datetime (UTC when no zone is given)."""
    value = text.strip()
    units = {"d": "days", "h": "hours", "m": "minutes"}
    if value[:-1].isdigit() and value[-1:] in units:
        delta = timedelta(**{units[value[-1]]: int(value[:-1])})
        return (now or datetime.now(UTC)) - delta
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise ValueError(
            f"{text!r} is neither an ISO date/time (2026-12-01, 2026-12-01T08:00) nor an age "
            "such as 7d, 24h or 30m."
        ) from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
