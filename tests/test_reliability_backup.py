"""Backup and restore on a real Neo4j: restoring into an empty graph gives the same graph
(content fingerprint), every value keeps its type, a non-empty target is refused, and the
bundle half of a backup re-ingests into the same records."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver
from neo4j.time import DateTime

from srm import db
from srm.errors import ValidationError
from srm.ingest.pipeline import ingest_paths
from srm.operations import backup as backup_module
from srm.operations.backup import BackupError, backup, restore
from srm.operations.erasure import erase
from srm.settings import Settings
from srm.store import ZonedDateTimeText, read, write
from tests.ingest_helpers import write_bundle
from tests.privacy_statements import (
    ALL_PROPERTIES,
    ALL_RELATIONSHIP_PROPERTIES,
    CREATE_DATETIME_EDGES,
    CREATE_PRIVACY_GRAPH,
    CREATE_PROBE_VALUE,
    CREATE_TYPED_VALUES,
    DATETIMES_AS_TEXT,
    HAS_RESTORE_LEFTOVERS,
    NODE_BY_KEY,
)
from tests.test_privacy_erasure import residue

ERASED_LATER = ["later@example.org", "+1 555 0199", "C-1", "x:100", "P-1", "Jane E"]


def _rich_graph(driver: Driver, settings: Settings) -> None:
    """Persons, SAME_AS decisions, scores, communities, runs, odd names, every value type."""
    write(
        driver,
        CREATE_PRIVACY_GRAPH,
        email="someone@example.org",
        phone="+1 555 0100",
        handle="someone",
    )
    write(driver, CREATE_TYPED_VALUES, started="2026-01-02T03:04:05.123456789+01:00", blob=b"\0\1")
    erase(driver, settings, "customer", "C-2", by="admin")  # a Suppression and an audit


def test_restore_into_empty_graph_is_identical(
    driver: Driver, settings: Settings, tmp_path: Path
) -> None:
    _rich_graph(driver, settings)
    original = db.graph_fingerprint(driver)
    original_counts = db.counts(driver)
    assert original_counts[":Suppression"] >= 1 and original_counts[":ErasureAudit"] == 1

    written = backup(driver, settings, tmp_path / "backup")
    assert written.fingerprint == original
    assert {p.name for p in (tmp_path / "backup").iterdir()} >= {
        "customers.csv",
        "profiles.csv",
        "follows.csv",
        "posts.csv",
        "brands.csv",
        "graph.jsonl",
        "manifest.json",
    }
    with pytest.raises(BackupError, match="already holds data"):
        restore(driver, settings, tmp_path / "backup")

    db.wipe(driver)
    loaded, warnings = restore(driver, settings, tmp_path / "backup", batch_size=7)

    assert warnings == []
    assert db.graph_fingerprint(driver) == original
    assert db.counts(driver) == original_counts
    assert (loaded.nodes, loaded.relationships) == (written.nodes, written.relationships)
    assert read(driver, HAS_RESTORE_LEFTOVERS)[0]["count"] == 0


def test_a_write_during_the_backup_refuses_it(
    driver: Driver, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundle and graph.jsonl are two reads; a commit between them is caught."""
    _rich_graph(driver, settings)
    real_write_bundle = backup_module.write_bundle

    def bundle_then_a_writer(*args: object, **kwargs: object) -> None:
        real_write_bundle(*args, **kwargs)  # type: ignore[arg-type]
        write(driver, CREATE_PROBE_VALUE, n="written meanwhile")

    monkeypatch.setattr(backup_module, "write_bundle", bundle_then_a_writer)
    with pytest.raises(BackupError, match="changed while it was backed up"):
        backup(driver, settings, tmp_path / "backup")
    monkeypatch.undo()
    # Without a writer the same graph backs up, and reads alone do not count as changes.
    read(driver, HAS_RESTORE_LEFTOVERS)
    assert backup(driver, settings, tmp_path / "again").fingerprint == db.graph_fingerprint(driver)


def test_changed_value_type_changes_the_fingerprint(driver: Driver, settings: Settings) -> None:
    """The fingerprint the restore test relies on tells '123' from 123."""
    write(driver, CREATE_PROBE_VALUE, n="123")
    as_text = db.graph_fingerprint(driver)
    db.wipe(driver)
    write(driver, CREATE_PROBE_VALUE, n=123)
    assert db.graph_fingerprint(driver) != as_text


def _first_fingerprint(nodes: dict[str, Any], relationships: list[dict[str, Any]]) -> str:
    """The fingerprint as its first version computed it (the driver's objects, one json
    text per element), which the manifests of earlier backups hold."""

    def digest(value: object) -> bytes:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).digest()

    node_digest = {key: digest([sorted(n["labels"]), n["properties"]]) for key, n in nodes.items()}
    total = sum(int.from_bytes(value) for value in node_digest.values())
    for r in relationships:
        ends = node_digest[r["start"]].hex(), node_digest[r["end"]].hex()
        total += int.from_bytes(digest([ends[0], r["type"], r["properties"], ends[1]]))
    return f"{total % (1 << 256):064x}"


DATETIME_EDGES = [
    "2026-01-02T03:04:05.123456789+01:00",
    "2024-03-21T18:01:00Z",
    "1969-12-31T23:59:59.5Z",
    "1900-06-30T23:00:00.000000001-03:30",
    "2000-02-29T12:00:00+05:45",
    "2000-02-29T12:00:00-00:30",
    "0001-01-01T00:00:00Z",
    "0999-12-31T23:59:59.999999999+14:00",
    "9999-12-31T11:59:59.999999999-12:00",
    "2026-07-01T12:00:00[Europe/Paris]",
]


def test_whole_graph_reads_give_what_the_driver_gives(
    driver: Driver, settings: Settings, tmp_path: Path
) -> None:
    """The fingerprint and graph.jsonl read datetimes as text, not as the driver's objects:
    the text must be the driver's own, so a fingerprint (and a backup written before) does
    not change."""
    write(driver, CREATE_DATETIME_EDGES, texts=DATETIME_EDGES)
    _rich_graph(driver, settings)
    by_driver = {record["id"]: record for record in read(driver, ALL_PROPERTIES)}
    texts = 0
    with driver.session() as session:
        for element_id, labels, properties in db.graph_nodes(session):
            assert labels == by_driver[element_id]["labels"]
            expected = by_driver[element_id]["properties"]
            assert properties.keys() == expected.keys()
            for key, value in properties.items():
                if isinstance(value, ZonedDateTimeText):
                    assert value == str(expected[key]), key
                    texts += 1
                else:  # repr: NaN equals itself
                    assert repr(value) == repr(expected[key]), key
    assert texts >= len(DATETIME_EDGES) - 1  # all but the named zone (and the rich graph's)

    reference = _first_fingerprint(by_driver, read(driver, ALL_RELATIONSHIP_PROPERTIES))
    assert db.graph_fingerprint(driver) == reference

    written = backup(driver, settings, tmp_path / "backup")
    lines = (tmp_path / "backup" / "graph.jsonl").read_text(encoding="utf-8").splitlines()
    written_nodes = {e["node"]: e["properties"] for e in map(json.loads, lines) if "node" in e}
    for element_id, record in by_driver.items():
        for key, value in record["properties"].items():
            if isinstance(value, DateTime):  # as the driver's object was encoded before
                assert written_nodes[element_id][key] == backup_module.encode_value(value)
    times_before = read(driver, DATETIMES_AS_TEXT)
    db.wipe(driver)
    restore(driver, settings, tmp_path / "backup")
    assert db.graph_fingerprint(driver) == written.fingerprint == reference
    times_after = read(driver, DATETIMES_AS_TEXT)
    named = [i for i, row in enumerate(times_before) if "/" in row["zone"]]
    assert len(named) == 1 and times_after[named[0]]["zone"] == "+02:00"  # kept as its offset
    del times_before[named[0]], times_after[named[0]]
    assert times_after == times_before  # offsets stay offsets (the driver's objects made Z "UTC")


def test_bundle_half_reingests_into_the_same_records(
    driver: Driver, settings: Settings, tmp_path: Path
) -> None:
    ingest_paths(driver, [write_bundle(tmp_path / "bundle")], batch_size=100)
    original = db.graph_fingerprint(driver)
    backup(driver, settings, tmp_path / "backup")
    db.wipe(driver)

    ingest_paths(driver, [tmp_path / "backup"], format_name="bundle", batch_size=100)

    assert db.graph_fingerprint(driver) == original


def test_restore_names_the_damaged_line_of_a_backup(
    driver: Driver, settings: Settings, tmp_path: Path
) -> None:
    write(driver, CREATE_PROBE_VALUE, n="kept")
    backup(driver, settings, tmp_path / "backup")
    graph = tmp_path / "backup" / "graph.jsonl"
    graph.write_text(graph.read_text(encoding="utf-8") + '{"node": "x", "labels": [\n')
    db.wipe(driver)
    with pytest.raises(ValidationError, match=r"graph\.jsonl:2: not valid JSON .*damaged"):
        restore(driver, settings, tmp_path / "backup")


def test_backup_and_restore_report_their_progress(
    driver: Driver, settings: Settings, tmp_path: Path
) -> None:
    _rich_graph(driver, settings)
    told: list[tuple[str, int, int | None]] = []
    written = backup(
        driver, settings, tmp_path / "backup", on_progress=lambda *report: told.append(report)
    )
    assert ("graph.jsonl: nodes", written.nodes, written.nodes) in told
    assert ("graph.jsonl: relationships", written.relationships, written.relationships) in told
    assert {stage for stage, _, _ in told} >= {"customers.csv", "profiles.csv", "brands.csv"}
    db.wipe(driver)
    told.clear()
    restore(driver, settings, tmp_path / "backup", on_progress=lambda *report: told.append(report))
    assert told[-1] == ("relationships", written.relationships, written.relationships)
    assert ("nodes", written.nodes, written.nodes) in told


def test_restore_refuses_a_folder_without_backup(
    driver: Driver, settings: Settings, tmp_path: Path
) -> None:
    with pytest.raises(BackupError, match="not an SRM backup"):
        restore(driver, settings, tmp_path)


def test_restore_of_an_older_backup_erases_again_who_was_erased_since(
    driver: Driver, settings: Settings, tmp_path: Path
) -> None:
    home = settings.model_copy(update={"home": tmp_path / "home"})
    write(
        driver, CREATE_PRIVACY_GRAPH, email="later@example.org", phone="+1 555 0199", handle="later"
    )
    backup(driver, home, tmp_path / "before")
    erase(driver, home, "person", "P-1", by="dpo")
    after_erasure = residue(driver, ERASED_LATER)
    assert after_erasure == []

    db.wipe(driver)
    restored, _ = restore(driver, home, tmp_path / "before")

    assert residue(driver, ERASED_LATER) == []
    assert restored.erased_again == 2  # customer C-1 and profile x:100
    assert read(driver, NODE_BY_KEY, key="P-1") == []
    assert read(driver, NODE_BY_KEY, key="C-2")  # the others are back
    again = erase(driver, home, "customer", "C-2", by="dpo")
    assert again.customers == 1
