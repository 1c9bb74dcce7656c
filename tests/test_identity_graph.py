"""Identity resolution on real Neo4j: write-back, review decisions across re-runs, stable
person ids, explain and export."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from srm.graph.identity import pipeline
from srm.graph.identity import store as identity_store
from srm.graph.identity.evaluate import evaluate_clusters, read_clusters
from srm.ingest.pipeline import ingest_paths
from srm.store import read
from srm.synthetic.generate import generate_bundle


def _load(driver: Driver, tmp_path: Path, people: int = 80) -> Path:
    folder = tmp_path / "bundle"
    generate_bundle(folder, people=people, seed=11)
    ingest_paths(driver, [folder], quarantine_path=tmp_path / "quarantine.jsonl")
    return folder


def _persons(path: Path) -> dict[str, str]:
    return read_clusters(path)


def test_resolve_review_and_stable_ids(driver: Driver, tmp_path: Path) -> None:
    folder = _load(driver, tmp_path)
    summary = pipeline.resolve_graph(driver, threshold=0.5)
    assert summary.merges > 0
    export = tmp_path / "clusters.csv"
    count = pipeline.export_clusters(driver, export)
    with export.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["record_id", "person_id"]
    assert count == len(rows) - 1 == summary.records
    assert all(r[0].startswith(("customer:", "profile:")) and r[1] for r in rows[1:])
    first = _persons(export)
    scores = evaluate_clusters(first, read_clusters(folder / "truth.csv"))
    assert scores["pairwise"]["f1"] > 0.6

    # the demo's merged person: two records of one person, their link explained
    demo = pipeline.demo_person(driver)
    linked = [line.split(": ")[0].strip() for line in demo.splitlines() if line.startswith("  ")]
    assert len(linked) >= 2 and len({first[r] for r in linked}) == 1
    assert f"Person {first[linked[0]]}" in demo and "→ total" in demo

    # a merged pair, explained then rejected; an unmerged pair accepted
    by_person: dict[str, list[str]] = {}
    for record, person in first.items():
        by_person.setdefault(person, []).append(record)
    merged = sorted(members for members in by_person.values() if len(members) > 1)[0]
    a, b = sorted(merged)[:2]
    text = pipeline.explain_pair(driver, a, b) if _linked(driver, a, b) else ""
    singles = sorted(m[0] for m in by_person.values() if len(m) == 1)
    c, d = singles[0], singles[1]
    pipeline.reject(driver, a, b, reviewer="tester")
    pipeline.accept(driver, c, d, reviewer="tester")

    pipeline.resolve_graph(driver, threshold=0.5)
    pipeline.export_clusters(driver, export)
    second = _persons(export)
    assert second[a] != second[b]
    assert second[c] == second[d]
    if text:
        assert "probability" in text and "→ total" in text
    # records whose persons did not change keep their ids
    untouched = [r for r in first if r not in (a, b, c, d) and first[r] not in (first[a], first[b])]
    kept = sum(first[r] == second[r] for r in untouched)
    assert kept / len(untouched) > 0.95

    # unmerge takes a record out now and keeps it out on the next run
    person = second[c]
    new_id = pipeline.unmerge(driver, person, d, reviewer="tester")
    assert new_id != person
    pipeline.resolve_graph(driver, threshold=0.5)
    pipeline.export_clusters(driver, export)
    third = _persons(export)
    assert third[c] != third[d]


def _linked(driver: Driver, a: str, b: str) -> bool:
    try:
        pipeline.explain_pair(driver, a, b)
    except Exception:
        return False
    return True


def test_graph_inputs_hold_every_follow_and_mention_over_many_pages(
    driver: Driver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _load(driver, tmp_path)
    monkeypatch.setattr(identity_store, "PAGE_PROFILES", 7)
    found = identity_store.load_graph_inputs(driver)
    for kind, relationship in (("follows", "FOLLOWS"), ("mentions", "MENTIONED")):
        expected = read(
            driver,
            f"MATCH (a:Profile)-[:{relationship}]->(b:Profile) "
            "RETURN 'profile:' + a.profile_key AS a, 'profile:' + b.profile_key AS b",
        )
        assert expected, relationship
        assert sorted(found[kind]) == sorted((row["a"], row["b"]) for row in expected)
    # customers and profiles stream in key order, every one of them once
    for kind, label, key in (("customers", "Customer", "customer_id"),
                             ("profiles", "Profile", "profile_key")):  # fmt: skip
        keys = [row[key] for row in found[kind]]
        stored = [row["k"] for row in read(driver, f"MATCH (n:{label}) RETURN n.{key} AS k")]
        assert len(stored) > 7 and keys == sorted(stored), kind


def test_links_are_written_as_they_stream_not_gathered_first(
    driver: Driver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Millions of SAME_AS and PART_OF rows (an evidence text each) must not all be held:
    the writers send a window of rows before they ask the stream for the next ones."""
    _load(driver, tmp_path, people=30)
    monkeypatch.setattr(identity_store, "WINDOW_BATCHES", 1)
    keys = "MATCH (p:Profile) RETURN p.profile_key AS key ORDER BY key"
    records = [row["key"] for row in read(driver, keys)]
    assert len(records) >= 8
    seen: list[int] = []

    def stream(kind: str, count_links: str) -> Iterator[dict[str, Any]]:
        for index, key in enumerate(records[:8]):
            if index == 4:  # the first window (2 batches of 2) is in the graph by now
                seen.append(read(driver, count_links)[0]["n"])
            if kind == "same_as":
                yield identity_store.pair_row(
                    f"profile:{key}", f"profile:{records[8]}", probability=0.9,
                    evidence="{}", model_version="test",
                )  # fmt: skip
            else:
                yield {"kind": "profile", "key": key, "person_id": f"P{index}", "name": key,
                       "model_version": "test"}  # fmt: skip

    same_as = "MATCH ()-[s:SAME_AS]->() RETURN count(s) AS n"
    part_of = "MATCH ()-[s:PART_OF]->() RETURN count(s) AS n"
    assert identity_store.write_same_as(driver, stream("same_as", same_as), batch_size=2) == 8
    assert identity_store.write_part_of(driver, stream("part_of", part_of), batch_size=2) == 8
    assert seen == [4, 4]
    assert read(driver, same_as)[0]["n"] == 8 and read(driver, part_of)[0]["n"] == 8


def test_resolve_tells_each_stage_with_its_size(driver: Driver, tmp_path: Path) -> None:
    _load(driver, tmp_path, people=40)
    steps: list[str] = []
    summary = pipeline.resolve_graph(driver, threshold=0.5, on_step=steps.append)
    assert steps[0] == "reading customers, profiles, follows and mentions"
    assert steps[1] == f"blocking {summary.records:,} records"
    assert steps[2] == f"comparing {summary.pairs_compared:,} pairs"
    assert f"scoring and clustering {summary.pairs_compared:,} pairs" in steps
    assert f"writing {summary.candidates_written:,} SAME_AS candidates" in steps
    assert steps[-1] == f"writing the persons of {summary.records:,} records"
    assert steps.index("fitting the model") < steps.index(
        f"scoring and clustering {summary.pairs_compared:,} pairs"
    )
