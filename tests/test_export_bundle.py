"""`srm export --format bundle` on a real Neo4j: the graph streamed in keyset pages to the
canonical bundle, which `srm ingest` reads back into the same graph; parts chosen with
--parts; persons.csv as `srm identities export` writes it. (Bounded memory under a
transaction cap: tests/test_housekeeping_bounded.py.)"""

from __future__ import annotations

from pathlib import Path

from neo4j import Driver
from typer.testing import CliRunner

from srm import db
from srm.cli import app
from srm.graph.identity.pipeline import export_clusters
from srm.ingest.pipeline import ingest_paths
from srm.store import write
from srm.synthetic.generate import generate_bundle
from tests.ingest_helpers import read_csv
from tests.privacy_statements import CREATE_PRIVACY_GRAPH


def test_bundle_export_round_trips_through_ingest(cli_store: Driver, tmp_path: Path) -> None:
    generate_bundle(tmp_path / "generated", people=60, seed=3)
    ingest_paths(cli_store, [tmp_path / "generated"], batch_size=500)
    original = db.graph_fingerprint(cli_store)
    counts = db.counts(cli_store)

    # pages of 7 records: every file spans many pages, and a page boundary falls inside
    # the follows of consecutive followers
    result = CliRunner().invoke(
        app, ["export", "--format", "bundle", "--out", str(tmp_path / "out"), "--page-size", "7"]
    )
    assert result.exit_code == 0, result.output
    assert len(read_csv(tmp_path / "out" / "follows.csv")) == counts["[FOLLOWS]"]
    assert len(read_csv(tmp_path / "out" / "profiles.csv")) == counts[":Profile"]
    db.wipe(cli_store)
    ingest_paths(cli_store, [tmp_path / "out"], format_name="bundle", batch_size=500)

    assert db.graph_fingerprint(cli_store) == original


def test_bundle_export_writes_only_the_parts_asked(cli_store: Driver, tmp_path: Path) -> None:
    write(cli_store, CREATE_PRIVACY_GRAPH, email="a@example.org", phone="+1 555 0100", handle="a")
    out = tmp_path / "out"
    runner = CliRunner()

    result = runner.invoke(
        app, ["export", "-f", "bundle", "-o", str(out), "--parts", "follows, persons"]
    )

    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in out.iterdir()) == ["follows.csv", "persons.csv"]
    follows = {(row["follower_profile_id"], row["followed_profile_id"]) for row in read_csv(
        out / "follows.csv"
    )}  # fmt: skip
    assert follows == {("300", "100"), ("100", "200")}
    export_clusters(cli_store, tmp_path / "clusters.csv")
    clustered = {
        (row["record_id"], row["person_id"])
        for row in read_csv(tmp_path / "clusters.csv")
        if row["person_id"]
    }
    persons = {(row["record_id"], row["person_id"]) for row in read_csv(out / "persons.csv")}
    assert persons == clustered and len(persons) == 4

    unknown = runner.invoke(app, ["export", "-f", "bundle", "-o", str(out), "--parts", "pets"])
    assert unknown.exit_code == 1 and "pets" in unknown.output
    mixed = runner.invoke(
        app, ["export", "-f", "bundle", "-o", str(out), "--subgraph", "community=1"]
    )
    assert mixed.exit_code == 2 and "--parts" in mixed.output
