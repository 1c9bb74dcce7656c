"""Gephi/CSV exports re-read with networkx, and the `srm map` / `srm export` commands."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest
from neo4j import Driver
from typer.testing import CliRunner

from srm.cli import app
from srm.errors import NotFoundError, ValidationError
from srm.settings import get_settings
from srm.store import read
from srm.viz import data, export
from tests import statements
from tests.viz_graph import COMMUNITIES, EVIL_KEY, graph_fixture  # noqa: F401 - `graph`


def _sizes(graph: Driver) -> dict[str, int]:
    return read(graph, statements.VIZ_GRAPH_SIZES)[0]


@pytest.mark.parametrize("format_name", ["gexf", "graphml"])
def test_whole_graph_export_reads_back_with_counts_and_attributes(
    graph: Driver, tmp_path: Path, format_name: str
) -> None:
    path = tmp_path / f"srm.{format_name}"
    export.write_export(data.load_export(graph), format_name, path)
    reread = nx.read_gexf(path) if format_name == "gexf" else nx.read_graphml(path)
    sizes = _sizes(graph)
    assert reread.number_of_nodes() == sizes["profiles"]
    assert reread.number_of_edges() == sizes["follows"] + sizes["mentioned"]
    evil = reread.nodes[f"profile:{EVIL_KEY}"]
    assert float(evil["influence_score"]) == pytest.approx(0.13)
    assert str(evil["community"]) == "2"
    assert evil["person_id"] == "P-evil"
    assert "influence_score" not in reread.nodes["profile:x:20"]  # unscored stays absent
    weights = [
        attributes["weight"]
        for _, target, attributes in reread.edges("profile:x:1", data=True)
        if target == "profile:x:2" and attributes["relationship"] == "MENTIONED"
    ]
    assert [int(weight) for weight in weights] == [2]


def test_csv_export_of_one_community(graph: Driver, tmp_path: Path) -> None:
    written = export.write_export(data.load_export(graph, community="1"), "csv", tmp_path / "c1")
    with written[0].open(encoding="utf-8") as handle:
        nodes = list(csv.DictReader(handle))
    with written[1].open(encoding="utf-8") as handle:
        edges = list(csv.DictReader(handle))
    assert {row["id"] for row in nodes} == {f"profile:x:{n}" for n in COMMUNITIES[1]}
    assert {row["community"] for row in nodes} == {"1"}
    members = {row["id"] for row in nodes}
    assert edges and all(row["source"] in members and row["target"] in members for row in edges)
    with pytest.raises(NotFoundError):
        data.load_export(graph, community="99")
    with pytest.raises(ValidationError):
        export.write_export(data.load_export(graph, community="1"), "pdf", tmp_path / "x")


def test_ego_export_matches_the_ego_map(graph: Driver, tmp_path: Path) -> None:
    path = export.write_export(
        data.load_export(graph, ego="x:1"), "graphml", tmp_path / "e.graphml"
    )
    reread = nx.read_graphml(path[0])
    assert set(reread.nodes) == {f"profile:x:{n}" for n in (1, 2, 3, 4, 12, 13, 20)}


def test_map_and_export_commands(
    graph: Driver, neo4j_uri: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        page = tmp_path / "communities.html"
        result = runner.invoke(app, ["map", "communities", "--out", str(page)])
        assert result.exit_code == 0, result.output
        assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
        result = runner.invoke(
            app,
            [
                "map",
                "identity",
                "--person",
                "P-alice",
                "--collapsed",
                "--out",
                str(tmp_path / "identity.html"),
            ],
        )
        assert result.exit_code == 0, result.output
        assert "P-alice" in (tmp_path / "identity.html").read_text(encoding="utf-8")
        result = runner.invoke(
            app, ["map", "ego", "--profile", "x:404", "--out", str(tmp_path / "missing.html")]
        )
        assert result.exit_code == 1 and not (tmp_path / "missing.html").exists()
        target = tmp_path / "c0.gexf"
        result = runner.invoke(
            app, ["export", "--format", "gexf", "--out", str(target), "--subgraph", "community=0"]
        )
        assert result.exit_code == 0, result.output
        assert set(nx.read_gexf(target).nodes) == {f"profile:x:{n}" for n in COMMUNITIES[0]}
        result = runner.invoke(
            app,
            ["export", "--format", "csv", "--out", str(tmp_path / "x"), "--subgraph", "everything"],
        )
        assert result.exit_code == 1
    finally:
        get_settings.cache_clear()
