"""`srm ingest --initial`: the first load of an empty local store through Neo4j's offline
importer gives the graph the Bolt ingest gives (content hash), quarantines the same rows,
and is refused for a store with data or a NEO4J_URI that names another server."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver, GraphDatabase
from typer.testing import CliRunner

from srm import db, local_neo4j
from srm.cli import app
from srm.ingest.pipeline import ingest_paths
from srm.settings import get_settings
from srm.synthetic.generate import generate_bundle


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated bundle (customers, profiles, follows, posts, brands) with bad rows."""
    folder = tmp_path_factory.mktemp("bundle")
    generate_bundle(folder, people=150, seed=11)
    with (folder / "profiles.csv").open(encoding="utf-8") as source:
        header = next(csv.reader(source))
    with (folder / "profiles.csv").open("a", encoding="utf-8", newline="") as out:
        # A value with line breaks and quotes: its file must be read as multi-line CSV.
        good = dict.fromkeys(header, "")
        good.update(profile_id="multi-1", platform="x", handle="two_lines")
        good.update(bio='first line\nsecond "quoted" line\r\nthird', followers_count="7")
        csv.DictWriter(out, fieldnames=header).writerow(good)
        bad = dict.fromkeys(header, "")
        bad.update(profile_id="bad-1", platform="x", followers_count="many")
        csv.DictWriter(out, fieldnames=header).writerow(bad)
        bad.update(profile_id="bad-2", platform="nowhere", followers_count="3")
        csv.DictWriter(out, fieldnames=header).writerow(bad)
    return folder


@pytest.fixture()
def local_home(srm_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """SRM's own local server in a temporary SRM_HOME (jars from the shared install), as
    `srm ingest` finds it: NEO4J_URI unset."""
    home = tmp_path / "home"
    home.mkdir()
    (home / srm_home.joinpath(f"neo4j-{local_neo4j.NEO4J_VERSION}").name).symlink_to(
        srm_home / f"neo4j-{local_neo4j.NEO4J_VERSION}"
    )
    monkeypatch.setenv("SRM_HOME", str(home))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    port = local_neo4j.free_port()
    monkeypatch.setenv("SRM_NEO4J_PORT", str(port))
    get_settings.cache_clear()
    local_neo4j.start(home, home / "data", port, heap_mb=512, pagecache_mb=128)
    try:
        yield home
    finally:
        local_neo4j.stop(home / "data")
        get_settings.cache_clear()


def _local_fingerprint(home: Path) -> str:
    state = local_neo4j.status(home / "data")
    assert state.answering, state.message
    with GraphDatabase.driver(f"bolt://127.0.0.1:{state.port}", auth=None) as driver:
        return db.graph_fingerprint(driver)


def test_initial_load_builds_the_bolt_graph_and_quarantines_alike(
    driver: Driver, bundle: Path, local_home: Path, tmp_path: Path
) -> None:
    bolt_quarantine, initial_quarantine = tmp_path / "bolt.jsonl", tmp_path / "initial.jsonl"
    ingest_paths(driver, [bundle], quarantine_path=bolt_quarantine)
    expected = db.graph_fingerprint(driver)
    assert db.counts(driver)[":Profile"] > 150

    loaded = CliRunner().invoke(
        app, ["ingest", str(bundle), "--initial", "--quarantine", str(initial_quarantine)]
    )
    assert loaded.exit_code == 0, loaded.output
    assert "2 quarantined" in " ".join(loaded.output.split())
    assert _local_fingerprint(local_home) == expected
    assert initial_quarantine.read_text() == bolt_quarantine.read_text()

    # The store now holds data: a second --initial is refused, a delta goes through Bolt.
    again = CliRunner().invoke(app, ["ingest", str(bundle), "--initial"])
    assert again.exit_code == 1 and "needs an empty store" in again.output
    delta = CliRunner().invoke(app, ["ingest", str(bundle / "follows.csv")])
    assert delta.exit_code == 0, delta.output
    assert _local_fingerprint(local_home) == expected


def test_initial_load_refused_for_another_server(cli_store: Driver, bundle: Path) -> None:
    refused = CliRunner().invoke(app, ["ingest", str(bundle), "--initial"])
    assert refused.exit_code == 1
    assert "NEO4J_URI points to another server" in " ".join(refused.output.split())
    assert db.counts(cli_store) == {}
