"""`srm erase`, `srm backup` and `srm restore` as a user runs them, on a real Neo4j."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from srm import db
from srm.cli import app
from srm.store import read, write
from tests.privacy_statements import CREATE_PRIVACY_GRAPH, PERSON_OF, PERSONS_WITHOUT_RECORDS
from tests.test_privacy_erasure import residue

EMAIL = "cli.person@example.org"


@pytest.fixture()
def cli_env(cli_store: Driver) -> Driver:
    write(cli_store, CREATE_PRIVACY_GRAPH, email=EMAIL, phone="+1 555 0199", handle="cliperson")
    return cli_store


def test_erase_needs_one_target_and_confirmation(cli_env: Driver) -> None:
    runner = CliRunner()
    both = runner.invoke(app, ["erase", "--customer", "C-1", "--person", "P-1", "--yes"])
    assert both.exit_code == 2 and "exactly one" in both.output
    unconfirmed = runner.invoke(app, ["erase", "--customer", "C-1"])
    assert unconfirmed.exit_code == 2 and "--yes" in unconfirmed.output
    assert residue(cli_env, [EMAIL])


def test_erase_backup_restore_round_trip(cli_env: Driver, tmp_path: Path) -> None:
    runner = CliRunner()
    erased = runner.invoke(app, ["erase", "--person", "P-1", "--by", "dpo", "--yes"])
    assert erased.exit_code == 0, erased.output
    assert "Erased 1 customer(s), 1 profile(s)" in erased.output
    assert residue(cli_env, [EMAIL, "cliperson"]) == []
    missing = runner.invoke(app, ["erase", "--customer", "C-404", "--yes"])
    assert missing.exit_code == 1 and "No customer" in missing.output

    before = db.graph_fingerprint(cli_env)
    saved = runner.invoke(app, ["backup", "--out", str(tmp_path / "b")])
    assert saved.exit_code == 0, saved.output
    refused = runner.invoke(app, ["restore", "--from", str(tmp_path / "b")])
    assert refused.exit_code == 1 and "already holds data" in refused.output
    db.wipe(cli_env)
    restored = runner.invoke(app, ["restore", "--from", str(tmp_path / "b")])
    assert restored.exit_code == 0, restored.output
    assert db.graph_fingerprint(cli_env) == before


def test_erase_with_recluster_reruns_identity_resolution(cli_env: Driver) -> None:
    result = CliRunner().invoke(app, ["erase", "--customer", "C-1", "--yes", "--recluster"])

    assert result.exit_code == 0, result.output
    assert "Resolved" in result.output
    assert read(cli_env, PERSONS_WITHOUT_RECORDS)[0]["count"] == 0
    # Stable person ids: the profile that stays keeps the person it was part of.
    assert read(cli_env, PERSON_OF, key="x:100") == [{"person_id": "P-1"}]
    assert residue(cli_env, [EMAIL, "C-1"]) == []
