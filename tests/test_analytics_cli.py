"""`srm analyze …` as a user runs it, on the committed sample loaded into a real Neo4j."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver
from rich.console import Console
from typer.testing import CliRunner

from srm.cli import app
from srm.commands.analyze import show_analysis
from srm.ingest.pipeline import ingest_paths
from srm.store import read
from tests import statements

SAMPLE = Path(__file__).resolve().parents[1] / "srm" / "data" / "sample"


@pytest.fixture()
def sample(cli_store: Driver, tmp_path: Path) -> Driver:
    ingest_paths(cli_store, [SAMPLE], quarantine_path=tmp_path / "quarantine.jsonl")
    return cli_store


def test_analyze_commands_on_the_sample(sample: Driver) -> None:
    runner = CliRunner()
    done = runner.invoke(app, ["analyze", "all", "--top", "5"])
    assert done.exit_code == 0, done.output
    for heading in ("Top influencers", "Communities by leiden", "Segments of Sabor Ibérico"):
        assert heading in done.output
    runs = {row["run"]["algorithm"] for row in read(sample, statements.ANALYTICS_RUNS)}
    assert runs == {"influence", "leiden", "segments"}

    louvain = runner.invoke(app, ["analyze", "communities", "--algorithm", "louvain"])
    assert louvain.exit_code == 0 and "modularity" in louvain.output
    wrong = runner.invoke(app, ["analyze", "communities", "--algorithm", "kmeans"])
    assert wrong.exit_code == 1 and "leiden or louvain" in wrong.output

    reach = runner.invoke(app, ["analyze", "reach", "--profile", "x:2000000000"])
    assert reach.exit_code == 0 and "within two hops" in reach.output
    (stamped,) = read(sample, statements.ANALYTICS_REACH, key="x:2000000000")
    assert stamped["reach"] > 0
    nothing = runner.invoke(app, ["analyze", "reach"])
    assert nothing.exit_code == 1 and "--profile" in nothing.output
    unknown = runner.invoke(app, ["analyze", "segments", "--brand", "Nobody"])
    assert unknown.exit_code == 1 and "Known brands" in unknown.output


def test_show_analysis_prints_influencers_and_communities(sample: Driver) -> None:
    out = Console(record=True, width=200)
    show_analysis(sample, out, top=3)
    text = out.export_text()
    assert "Top influencers" in text and "communities, modularity" in text
    best = max(read(sample, statements.ANALYTICS_INFLUENCE), key=lambda row: row["score"])
    (profile,) = read(sample, statements.PROFILE_BY_KEY, key=best["key"])
    assert f"@{profile['p']['handle']}" in text
