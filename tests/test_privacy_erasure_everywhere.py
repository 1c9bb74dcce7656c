"""Erasure by construction: after every analysis, an identity run, review decisions, maps
and exports have copied a person's identifiers around, ``srm erase --person`` leaves none of
them in any property of any node or relationship, nor in any file under ``$SRM_HOME`` (or
remembered outside it), and re-ingesting the source brings none back."""

from __future__ import annotations

import os
import re
from pathlib import Path

from neo4j import Driver
from typer.testing import CliRunner

from srm.cli import app
from srm.operations.registry import REGISTRY
from srm.store import read, write
from tests.graph_texts import property_texts
from tests.privacy_statements import (
    CREATE_REVIEW_DECISION,
    OTHER_RECORDS_NAMED,
    PERSON_PROFILE_KEYS,
    PERSON_RECORDS,
    PICK_PERSON,
)

SAMPLE = Path(__file__).resolve().parents[1] / "srm" / "data" / "sample"


def _run(*arguments: str) -> str:
    done = CliRunner().invoke(app, list(arguments))
    assert done.exit_code == 0, (arguments, done.output)
    return done.output


def _identifiers(driver: Driver, person_id: str) -> list[str]:
    """The person's ids, keys, handles, e-mail, phone, and names no one else has."""
    values = {person_id}
    for row in read(driver, PERSON_RECORDS, person_id=person_id):
        properties = row["properties"]
        values.add(row["record_id"])
        values.update(row["posts"])
        for name in ("customer_id", "email", "phone", "profile_key", "native_id", "handle"):
            if properties.get(name):
                values.add(str(properties[name]).lstrip("@"))
        full = f"{properties.get('first_name') or ''} {properties.get('last_name') or ''}".strip()
        for name in (full, str(properties.get("display_name") or "")):
            shared = read(driver, OTHER_RECORDS_NAMED, person_id=person_id, name=name)
            if " " in name and shared[0]["count"] == 0:
                values.add(name)
    return sorted(values)


def _pattern(needle: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w]){re.escape(needle)}(?![\w])", re.IGNORECASE)


def graph_residue(driver: Driver, needles: list[str]) -> list[str]:
    """``label.property: needle`` for every property (name or value) holding a needle."""
    patterns = {needle: _pattern(needle) for needle in needles}
    found = {
        f"{where}.{name}: {needle}"
        for where, name, text in property_texts(driver)
        for needle, pattern in patterns.items()
        if pattern.search(text)
    }
    return sorted(found)


def file_residue(folders: list[Path], needles: list[str]) -> list[str]:
    patterns = {needle: _pattern(needle) for needle in needles}
    found = []
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            text = path.read_bytes().decode("utf-8", errors="ignore")
            found += [f"{path}: {n}" for n, p in patterns.items() if p.search(text)]
    return found


def test_registry_names_every_place_with_an_action() -> None:
    names = [place.name for place in REGISTRY]
    assert len(names) == len(set(names))
    for place in REGISTRY:
        assert place.holds and place.action
        assert (place.scrub is not None) == (place.scope == "graph"), place.name
        assert (place.scrub_files is not None) == (place.scope == "files"), place.name
    for expected in (
        "influence explanations",
        "algorithm runs",
        "review decisions",
        "maps, exports, quarantine files",
        "backups",
        "caches",
        "ingest spool",
    ):
        assert expected in names


def test_erasure_after_every_analysis_leaves_nothing_anywhere(
    cli_store: Driver, tmp_path: Path
) -> None:
    home = Path(os.environ["SRM_HOME"])
    exports = tmp_path / "exports"
    _run("ingest", str(SAMPLE), "--quarantine", str(home / "quarantine.jsonl"))
    _run("analyze", "all")
    _run("analyze", "communities", "--algorithm", "louvain")
    _run("identities", "resolve")
    person_id = read(cli_store, PICK_PERSON)[0]["person_id"]
    profile_key = read(cli_store, PERSON_PROFILE_KEYS, person_id=person_id)[0]["key"]
    _run("analyze", "reach", "--person", person_id)
    _run("analyze", "reach", "--profile", profile_key)
    records = [row["record_id"] for row in read(cli_store, PERSON_RECORDS, person_id=person_id)]
    write(cli_store, CREATE_REVIEW_DECISION, a=records[0], b=records[-1])
    _run("map", "identity", "--person", person_id, "--out", str(home / "maps" / "one.html"))
    _run("map", "communities", "--personal-data", "--out", str(home / "maps" / "all.html"))
    _run("export", "--format", "csv", "--out", str(exports / "network"))
    _run("export", "--format", "gexf", "--out", str(exports / "network.gexf"))
    _run("identities", "export", "--out", str(exports / "clusters.csv"))
    needles = _identifiers(cli_store, person_id)
    before = graph_residue(cli_store, needles)
    # the person is everywhere: records, explanations, runs, decisions, maps and exports
    assert any("influence_explanation" in hit for hit in before)
    assert any(hit.startswith("['AlgorithmRun'].parameters") for hit in before)
    assert any(hit.startswith("['ReviewDecision']") for hit in before)
    assert len(file_residue([home, exports], needles)) >= 4

    output = _run("erase", "--person", person_id, "--yes")

    assert "file(s) scrubbed" in output
    assert graph_residue(cli_store, needles) == []
    assert file_residue([home, exports], needles) == []
    # a CSV export loses the person's lines and keeps the others'
    assert len((exports / "network" / "nodes.csv").read_text().splitlines()) > 100

    _run("ingest", str(SAMPLE))
    assert graph_residue(cli_store, needles) == []
