"""Backup and restore of the whole graph.

``srm backup --out DIR`` writes:

- the canonical bundle (``customers.csv``, ``profiles.csv``, ``follows.csv``, ``posts.csv``,
  ``brands.csv``; see :mod:`srm.ingest.readers.bundle`) — portable, readable, re-ingestable by any
  SRM with ``srm ingest DIR``;
- ``graph.jsonl``: every node and relationship with its labels/type and typed properties
  (datetimes, durations, points tagged), which holds what a CSV cannot: review decisions
  on ``SAME_AS``, persons and ``PART_OF``, algorithm runs and scores, communities,
  suppressions, audits, and the exact type of every value ("123" stays a string);
- ``manifest.json``: counts and the content fingerprint (:func:`srm.db.graph_fingerprint`).

``srm restore --from DIR`` loads ``graph.jsonl`` into an *empty* Neo4j (it refuses another),
checks that the restored graph has the manifest's fingerprint, then replays the suppression
list (the graph's and the ledger in ``$SRM_HOME``): people erased after the backup was
taken are erased again (:mod:`srm.operations.replay`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from neo4j import Driver, Query
from neo4j.spatial import CartesianPoint, Point, WGS84Point
from neo4j.time import Date, DateTime, Duration, Time

from srm import db
from srm.cypher import admin
from srm.cypher import backup as statements
from srm.errors import SRMError, ValidationError
from srm.operations.backup_bundle import write_bundle
from srm.operations.replay import replay_suppressions
from srm.operations.suppression import key_hash, suppression_salt
from srm.progress import OnProgress, counted, quiet
from srm.settings import Settings
from srm.store import ZonedDateTimeText, read, translate_errors, write_batches

__all__ = ["BackupError", "BackupResult", "backup", "decode_value", "encode_value", "restore"]

GRAPH_FILE = "graph.jsonl"
MANIFEST_FILE = "manifest.json"
FORMAT_VERSION = 1
_CARTESIAN_SRIDS = {7203, 9157}


class BackupError(SRMError):
    """A backup cannot be written or restored."""


@dataclass(frozen=True)
class BackupResult:
    """What a backup wrote or a restore loaded (counts, fingerprint; no data)."""

    folder: Path
    nodes: int
    relationships: int
    fingerprint: str
    erased_again: int = 0  # records erased after the backup, erased again by the restore

    def summary(self, verb: str) -> str:
        text = (
            f"{verb} {self.nodes:,} nodes and {self.relationships:,} relationships "
            f"({self.folder}); fingerprint {self.fingerprint[:16]}…"
        )
        if self.erased_again:
            text += f"; {self.erased_again:,} erased record(s) erased again"
        return text


def encode_value(value: Any) -> Any:
    """A Neo4j property value as JSON; non-JSON types become ``{"$": type, "v": …}``."""
    if isinstance(value, list):
        return [encode_value(item) for item in value]
    if isinstance(value, ZonedDateTimeText):
        return {"$": "DateTime", "v": str(value)}
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$": "float", "v": repr(value)}
    if isinstance(value, DateTime | Date | Time):
        return {"$": type(value).__name__, "v": value.iso_format()}
    if isinstance(value, Duration):
        return {"$": "Duration", "v": [value.months, value.days, value.seconds, value.nanoseconds]}
    if isinstance(value, Point):
        return {"$": "Point", "srid": value.srid, "v": list(value)}
    if isinstance(value, bytes | bytearray):
        return {"$": "bytes", "v": bytes(value).hex()}
    raise BackupError(f"A property of type {type(value).__name__} cannot be backed up yet.")


def decode_value(value: Any) -> Any:
    """The inverse of :func:`encode_value`."""
    if isinstance(value, list):
        return [decode_value(item) for item in value]
    if not isinstance(value, dict):
        return value
    kind: Any = value.get("$")
    payload: Any = value.get("v")
    if kind == "float":
        return float(payload)
    if kind in {"DateTime", "Date", "Time"}:
        temporal: dict[str, Any] = {"DateTime": DateTime, "Date": Date, "Time": Time}
        return temporal[kind].from_iso_format(payload)
    if kind == "Duration":
        months, days, seconds, nanoseconds = payload
        return Duration(months=months, days=days, seconds=seconds, nanoseconds=nanoseconds)
    if kind == "Point":
        point_type = CartesianPoint if value["srid"] in _CARTESIAN_SRIDS else WGS84Point
        return point_type(payload)
    if kind == "bytes":
        return bytes.fromhex(payload)
    raise ValidationError(f"{GRAPH_FILE}: unknown value tag {kind!r}; was it written by SRM?")


def _line(element: dict[str, Any]) -> bytes:
    element["properties"] = {
        name: encode_value(value) for name, value in element["properties"].items()
    }
    return orjson.dumps(element, option=orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)


def _dump(
    driver: Driver, path: Path, database: str | None, on_progress: OnProgress = quiet
) -> tuple[int, int, str]:
    """Write ``graph.jsonl``; return its node and relationship counts and the fingerprint of
    what was written (hashed from the same records, so the graph is read once)."""
    nodes = relationships = 0
    fingerprint = db.Fingerprint()
    with (
        translate_errors(),
        driver.session(database=database) as session,
        path.open("wb") as out,
    ):
        for element_id, labels, properties in counted(
            db.graph_nodes(session), f"{GRAPH_FILE}: nodes", on_progress
        ):
            fingerprint.add_node(element_id, labels, properties)
            line = {"node": element_id, "labels": sorted(labels), "properties": properties}
            out.write(_line(line))
            nodes += 1
        for start, kind, properties, end in counted(
            db.graph_relationships(session), f"{GRAPH_FILE}: relationships", on_progress
        ):
            fingerprint.add_relationship(start, kind, properties, end)
            line = {"start": start, "type": kind, "end": end, "properties": properties}
            out.write(_line(line))
            relationships += 1
    return nodes, relationships, fingerprint.hexdigest()


def _salt_check(settings: Settings) -> str:
    return key_hash(suppression_salt(settings), "check", "srm-backup") or ""


def backup(
    driver: Driver,
    settings: Settings,
    out: Path,
    *,
    database: str | None = None,
    on_progress: OnProgress = quiet,
) -> BackupResult:
    """Write the bundle, ``graph.jsonl`` and ``manifest.json`` of the whole graph to ``out``;
    ``on_progress`` is told each file's rows so far.

    Raises :class:`BackupError` when the graph changed while it was read (stop ingests and
    retry) or ``out`` already holds a backup.
    """
    out.mkdir(parents=True, exist_ok=True)
    if (out / MANIFEST_FILE).exists():
        raise BackupError(f"{out} already holds a backup; choose an empty folder.")
    # The graph is read twice (bundle, graph.jsonl); a commit in between would make the two
    # disagree, so the last commit's marker must be the same before and after.
    before = db.last_commit(driver, database=database)
    write_bundle(driver, out, database=database, on_progress=on_progress)
    nodes, relationships, fingerprint = _dump(driver, out / GRAPH_FILE, database, on_progress)
    if db.last_commit(driver, database=database) != before:
        raise BackupError(
            "The graph changed while it was backed up (an ingest or an erasure ran). "
            "Stop writers and run the backup again into an empty folder."
        )
    manifest = {
        "format": "srm-backup",
        "version": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "nodes": nodes,
        "relationships": relationships,
        "fingerprint": fingerprint,
        "salt_check": _salt_check(settings),
    }
    (out / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return BackupResult(out, nodes, relationships, fingerprint)


def _zoned(value: Any) -> bool:
    """True for an encoded datetime with a UTC offset (``…+01:00``); a local one has none."""
    if type(value) is not dict or value.get("$") != "DateTime":
        return False
    text = value["v"]
    return len(text) > 6 and text[-6] in "+-" and text[-3] == ":"


def _lines(path: Path, want: str) -> Iterator[dict[str, Any]]:
    """The lines that hold ``want``, their properties decoded; zoned datetimes (and lists of
    them) apart, as ``[name, text or texts]`` pairs the restore statements parse. The
    driver's datetime objects cost it about as much to send as to read, most of a
    restore's client time, and it sends an offset of zero as the named zone UTC."""
    with path.open("rb") as source:
        for number, text in enumerate(source, 1):
            try:
                line = orjson.loads(text)
            except orjson.JSONDecodeError as error:
                raise ValidationError(
                    f"{path}:{number}: not valid JSON ({error.msg}); the backup is damaged."
                ) from None
            if want not in line:
                continue
            properties, datetimes = {}, []
            for name, value in line["properties"].items():
                if _zoned(value):
                    datetimes.append([name, value["v"]])
                elif type(value) is list and value and all(map(_zoned, value)):
                    datetimes.append([name, [item["v"] for item in value]])
                else:
                    properties[name] = decode_value(value)
            line["properties"], line["datetimes"] = properties, datetimes
            yield line


def _counter(on_progress: OnProgress, stage: str, total: int | None) -> Callable[[int], None]:
    done = 0

    def count(rows: int) -> None:
        nonlocal done
        done += rows
        on_progress(stage, done, total)

    return count


def restore(
    driver: Driver,
    settings: Settings,
    source: Path,
    *,
    batch_size: int = 5_000,
    database: str | None = None,
    on_progress: OnProgress = quiet,
) -> tuple[BackupResult, list[str]]:
    """Load the backup in ``source`` into the empty graph; return it and warnings.
    ``on_progress`` is told the nodes and relationships written so far, of the manifest's.

    Raises :class:`BackupError` for a non-empty graph, a folder without a backup, or a
    restored graph whose fingerprint differs from the manifest's.
    """
    manifest_path, graph_path = source / MANIFEST_FILE, source / GRAPH_FILE
    if not manifest_path.exists() or not graph_path.exists():
        raise BackupError(
            f"{source} is not an SRM backup (needs {MANIFEST_FILE} and {GRAPH_FILE}); "
            "write one with 'srm backup --out DIR'."
        )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if read(driver, statements.ANY_NODE, database=database)[0]["found"]:
        raise BackupError(
            "The target Neo4j already holds data; restore only into an empty graph. "
            "Point NEO4J_URI at a new database, or wipe this one first (srm db wipe --yes)."
        )
    warnings = []
    if manifest.get("salt_check") and manifest["salt_check"] != _salt_check(settings):
        warnings.append(
            "The suppression salt differs from the backup's: erased people would not be "
            "recognised by later ingests. Set SRM_SUPPRESSION_SALT to the original salt."
        )
    db.init_schema(driver, database=database)
    with translate_errors(), driver.session(database=database) as session:
        session.run(Query(statements.CREATE_RESTORE_INDEX)).consume()
        session.run(Query(admin.WAIT_FOR_INDEXES), timeout_s=300).consume()
    nodes = write_batches(
        driver,
        statements.RESTORE_NODES,
        (
            {key: n[key] for key in ("labels", "properties", "datetimes")} | {"id": n["node"]}
            for n in _lines(graph_path, "node")
        ),
        batch_size=batch_size,
        database=database,
        on_batch=_counter(on_progress, "nodes", manifest.get("nodes")),
    )
    relationships = write_batches(
        driver,
        statements.RESTORE_RELATIONSHIPS,
        _lines(graph_path, "type"),
        batch_size=batch_size,
        database=database,
        on_batch=_counter(on_progress, "relationships", manifest.get("relationships")),
    )
    with translate_errors(), driver.session(database=database) as session:
        session.run(Query(statements.RESTORE_CLEANUP)).consume()
        session.run(Query(statements.DROP_RESTORE_INDEX)).consume()
    fingerprint = db.graph_fingerprint(driver, database=database)
    if fingerprint != manifest["fingerprint"]:
        raise BackupError(
            f"The restored graph differs from the backup (fingerprint {fingerprint[:16]}… "
            f"instead of {manifest['fingerprint'][:16]}…). Wipe it and restore again."
        )
    replayed = replay_suppressions(driver, settings, database=database)
    erased_again = replayed.customers + replayed.profiles if replayed else 0
    return BackupResult(source, nodes, relationships, fingerprint, erased_again), warnings
