"""`srm identities …` as a user runs it, on a generated bundle loaded into a real Neo4j:
resolve, review a band, explain, export and evaluate against the bundle's truth."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from srm.cli import app
from srm.ingest.pipeline import ingest_paths
from srm.synthetic.generate import generate_bundle


@pytest.fixture()
def bundle(cli_store: Driver, tmp_path: Path) -> Path:
    folder = tmp_path / "bundle"
    generate_bundle(folder, people=120, seed=5)
    ingest_paths(cli_store, [folder], quarantine_path=tmp_path / "quarantine.jsonl")
    return folder


def test_resolve_review_explain_export_evaluate(bundle: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    resolved = runner.invoke(app, ["identities", "resolve"])
    assert resolved.exit_code == 0, resolved.output
    assert "persons" in resolved.output

    review = runner.invoke(app, ["identities", "review", "--band", "0.0-1.0", "--limit", "5"])
    assert review.exit_code == 0, review.output
    pairs = [line.split() for line in review.output.splitlines() if line[:1].isdigit()]
    pairs = [p for p in pairs if len(p) == 3]
    assert 0 < len(pairs) <= 5
    assert all(0.0 <= float(p[0]) <= 1.0 for p in pairs)
    _, a, b = pairs[0]
    explained = runner.invoke(app, ["identities", "explain", a, b])
    assert explained.exit_code == 0, explained.output
    assert "start:" in explained.output and "probability" in explained.output

    out = tmp_path / "clusters.csv"
    exported = runner.invoke(app, ["identities", "export", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["record_id", "person_id"] and len(rows) > 100

    evaluated = runner.invoke(
        app, ["identities", "evaluate", "--truth", str(bundle / "truth.csv"), "--pred", str(out)]
    )
    assert evaluated.exit_code == 0, evaluated.output
    scores = json.loads(evaluated.output)
    assert scores["pairwise"]["f1"] > 0.7
    assert {"crm_profile", "profile_profile", "bcubed"} <= set(scores)
    # without --pred it scores the graph's persons, the same as their export, and leaves
    # no file behind
    before = sorted(bundle.iterdir())
    from_graph = runner.invoke(
        app, ["identities", "evaluate", "--truth", str(bundle / "truth.csv")]
    )
    assert from_graph.exit_code == 0, from_graph.output
    assert json.loads(from_graph.output) == scores
    assert sorted(bundle.iterdir()) == before


def test_bad_arguments_get_one_line_errors(bundle: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for wrong in ("high-low", "0.9-0.5", "0.2-1.5"):
        band = runner.invoke(app, ["identities", "review", "--band", wrong])
        assert band.exit_code != 0 and "LOW-HIGH probabilities" in band.output
    missing = runner.invoke(
        app, ["identities", "evaluate", "--truth", str(tmp_path / "nope.csv"), "--pred", "x.csv"]
    )
    assert missing.exit_code != 0 and "Traceback" not in missing.output
    from_graph = runner.invoke(app, ["identities", "evaluate", "--truth", str(tmp_path / "no.csv")])
    assert from_graph.exit_code != 0 and "cannot read the file" in from_graph.output
    unknown = runner.invoke(app, ["identities", "explain", "customer:nobody", "profile:x:0"])
    assert unknown.exit_code != 0 and "Traceback" not in unknown.output
