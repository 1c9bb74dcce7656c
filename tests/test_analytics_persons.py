"""The person layer on a real Neo4j: influence per person written with the run id, the
audience counted once per follower person, rankings by person and by account, and a
person rescored after one of its accounts is erased. Hand-built graphs, answers by hand."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from neo4j import Driver

from srm.graph import analysis, influence, persons
from srm.graph.projection import build_projection, load_projection
from srm.operations.erasure import erase
from srm.settings import Settings
from srm.store import read, write
from tests import statements
from tests.analytics_graphs import FOLLOWS, PART_OF, load_persons


def _persons(driver: Driver) -> dict[str, dict]:
    return {
        row["person_id"]: row["properties"] for row in read(driver, statements.PERSON_INFLUENCE)
    }


def test_units_and_unduplicated_audience_in_memory() -> None:
    keys = sorted({f"x:{key}" for pair in FOLLOWS for key in pair})
    index = {key: i for i, key in enumerate(keys)}
    projection = build_projection(keys, [(index[f"x:{a}"], index[f"x:{b}"]) for a, b in FOLLOWS])
    result = influence.influence_scores(projection, betweenness_samples=None)
    found = persons.person_influence(result, PART_OF)
    unit = {key: i for i, key in enumerate(found.units.ids)}
    # S: follower persons F and g (F once for its 4 follows); accounts x:f1, x:f2, x:g
    assert found.components["in_degree"][unit["S"]] == 2
    assert found.audience_accounts[unit["S"]] == 3
    assert found.components["pagerank"][unit["S"]] == pytest.approx(
        result.components["pagerank"][[index["x:s1"], index["x:s2"]]].sum()
    )
    assert found.components["in_degree"][unit["T"]] == 6
    # a lone account is its own unit and keeps its account score
    assert found.score[unit["x:n0"]] == result.score[index["x:n0"]]
    explained = persons.explain_person(found, unit["S"])
    assert [f["unit"] for f in explained["top_followers"]][:1] == ["F"]
    assert explained["top_followers"][0]["accounts"] == ["x:f1", "x:f2"]
    assert {a["key"] for a in explained["accounts"]} == {"x:s1", "x:s2"}
    total = sum(part["contribution"] for part in explained["components"].values())
    assert total == pytest.approx(explained["score"])
    # edges into the explained units found in one pass explain them the same
    again = persons.person_influence(result, PART_OF)
    again.prepare_incoming([unit["S"], unit["T"], unit["x:n0"]])
    for name in ("S", "T", "x:n0"):
        assert persons.explain_person(again, unit[name]) == persons.explain_person(
            found, unit[name]
        )


def test_the_projection_reads_each_accounts_person(driver: Driver, tmp_path: Path) -> None:
    """The person layer's only read: PART_OF scanned with the projection. Customers' links
    and persons without an account in the graph are left out."""
    load_persons(driver, tmp_path / "graph")
    write(driver, statements.PERSONS_CUSTOMER_OF_S, email="s@example.org", phone=None)
    write(driver, statements.PERSON_OF_A_CUSTOMER_ONLY, customer_id="K-C", person_id="C")
    assert load_projection(driver).part_of is None  # read only when asked
    projection = load_projection(driver, persons=True)
    part_of = projection.part_of
    assert part_of is not None and part_of.person_ids == ["F", "S", "T"]
    found = {
        key: part_of.person_ids[person]
        for key, person in zip(projection.keys, part_of.of_vertex.tolist(), strict=True)
        if person >= 0
    }
    assert found == dict(PART_OF)
    rows = read(driver, statements.PERSON_NODE_IDS)
    node_ids = {row["person_id"]: row["node_id"] for row in rows}
    assert part_of.node_ids.tolist() == [node_ids[p] for p in part_of.person_ids]
    empty = load_projection(driver, platforms=["mastodon"], persons=True).part_of
    assert empty is not None and empty.person_count == 0


def test_lone_accounts_keep_their_account_percentiles_but_for_their_audience() -> None:
    """Only persons are placed against the accounts; a lone account takes its account's
    percentiles, which is what placing it gives, except for an audience counted in
    follower persons (a person following it from several accounts)."""
    rng = np.random.default_rng(9)
    n = 300
    pairs = sorted({(int(a), int(b)) for a, b in rng.integers(0, n, size=(3000, 2)) if a != b})
    keys = [f"x:{v}" for v in range(n)]
    projection = build_projection(keys, pairs, followers=rng.integers(0, 500, n))
    result = influence.influence_scores(projection, betweenness_samples=None)
    units = persons.units_of(keys, [(f"x:{v}", f"P{v // 3}") for v in range(120)])
    found = persons.person_influence(result, units)
    placed, score, percentile = persons.score_against(result, found.components)
    lone_vertices = np.flatnonzero(~units.is_person[units.of_vertex])
    lone = units.of_vertex[lone_vertices]
    score[lone], percentile[lone] = result.score[lone_vertices], result.percentile[lone_vertices]
    for name in placed:
        assert found.component_percentiles[name].tolist() == placed[name].tolist(), name
    assert found.score.tolist() == score.tolist()
    assert found.percentile.tolist() == percentile.tolist()
    fewer = found.components["in_degree"][lone] < result.components["in_degree"][lone_vertices]
    assert fewer.any()  # the exception is exercised


def test_influence_run_writes_persons_and_ranks_each_once(driver: Driver, tmp_path: Path) -> None:
    load_persons(driver, tmp_path / "graph")
    report = analysis.run_influence(driver, top=10, betweenness_samples=None)
    stored = _persons(driver)
    assert set(stored) == {"S", "F", "T"}
    star = stored["S"]
    assert star["influence_run_id"] == report.run_id
    assert star["influence_in_degree"] == 2  # F counted once, g once
    assert star["influence_audience_accounts"] == 3
    assert star["influence_accounts"] == 2
    accounts = {row["key"]: row for row in read(driver, statements.ANALYTICS_INFLUENCE)}
    assert star["influence_pagerank"] == pytest.approx(
        accounts["x:s1"]["pagerank"] + accounts["x:s2"]["pagerank"]
    )
    explanation = json.loads(star["influence_explanation"])
    assert explanation["top_followers"][0]["unit"] == "F"
    assert {a["key"] for a in explanation["accounts"]} == {"x:s1", "x:s2"}

    by_account = [entry["key"] for entry in report.top]
    assert sum(key in {"x:t1", "x:t2", "x:t3"} for key in by_account) == 3
    by_person = [entry["unit"] for entry in report.top_persons]
    assert by_person.count("T") == 1
    assert not {"x:t1", "x:t2", "x:t3"} & set(by_person)
    assert len(by_person) == len(set(by_person))
    assert report.timings["persons"] >= 0


def test_a_run_without_the_person_layer_scores_accounts_only(
    driver: Driver, tmp_path: Path
) -> None:
    """What bench.persons times as the baseline: the same run, persons left as they were."""
    load_persons(driver, tmp_path / "graph")
    report = analysis.run_influence(driver, top=10, betweenness_samples=None, with_persons=False)
    assert report.by_person is None and report.top_persons == [] and report.top
    assert "persons" not in report.timings
    assert all(row.get("influence_run_id") is None for row in _persons(driver).values())
    accounts = {row["key"] for row in read(driver, statements.ANALYTICS_INFLUENCE)}
    assert {"x:s1", "x:s2", "x:t1"} <= accounts


def test_erased_account_leaves_the_person_rescored(
    driver: Driver, settings: Settings, tmp_path: Path
) -> None:
    load_persons(driver, tmp_path / "graph")
    analysis.run_influence(driver, betweenness_samples=None)
    before = _persons(driver)["S"]
    remaining = {row["key"]: row for row in read(driver, statements.ANALYTICS_INFLUENCE)}

    erase(driver, settings.model_copy(update={"home": tmp_path / "home"}), "profile", "x:s2")

    after = _persons(driver)["S"]
    assert before["influence_accounts"] == 2 and after["influence_accounts"] == 1
    # g followed only the erased account: the audience is F alone, through 2 accounts
    assert (before["influence_in_degree"], after["influence_in_degree"]) == (2, 1)
    assert after["influence_audience_accounts"] == 2
    assert after["influence_pagerank"] == pytest.approx(remaining["x:s1"]["pagerank"])
    assert after["influence_score"] < before["influence_score"]
    explanation = after["influence_explanation"]
    assert "x:s2" not in explanation and json.loads(explanation)["accounts"] == ["x:s1"]


def test_old_runs_take_their_person_scores_along(driver: Driver, tmp_path: Path) -> None:
    load_persons(driver, tmp_path / "graph")
    first = analysis.run_influence(driver, betweenness_samples=None, keep=1)
    assert _persons(driver)["S"]["influence_run_id"] == first.run_id
    write(driver, statements.PERSONS_UNLINK, keys=["x:s1", "x:s2"])
    second = analysis.run_influence(driver, betweenness_samples=None, keep=1)
    stored = _persons(driver)
    assert stored["T"]["influence_run_id"] == second.run_id
    # S no longer has accounts: its first-run scores went with that run
    assert "influence_score" not in stored["S"]
    assert not np.isnan(stored["T"]["influence_score"])


def _persons_written(driver: Driver, run_id: str) -> int:
    (run,) = [row["run"] for row in read(driver, statements.ANALYTICS_RUNS)
              if row["run"]["run_id"] == run_id]  # fmt: skip
    return int(run["persons_written"])


def test_person_reruns_write_only_what_changed(driver: Driver, tmp_path: Path) -> None:
    load_persons(driver, tmp_path / "graph")
    runs, written = [], []
    for _ in range(3):  # read each run's count before a later clean-up removes the run
        runs.append(analysis.run_influence(driver, betweenness_samples=None, keep=2,
                                           explain_top=0))  # fmt: skip
        written.append(_persons_written(driver, runs[-1].run_id))
    # the same graph gives the same persons: the second run writes none and the first run's
    # stamp stays; the third run's clean-up drops the first run, so all three are rewritten
    assert written == [3, 0, 3]
    assert {p["influence_run_id"] for p in _persons(driver).values()} == {runs[2].run_id}
    # the explained best are always written (their explanation is this run's)
    explained = analysis.run_influence(driver, betweenness_samples=None, keep=2, explain_top=1)
    assert _persons_written(driver, explained.run_id) == 1


def test_a_person_out_of_the_explained_best_loses_its_explanation(
    driver: Driver, tmp_path: Path
) -> None:
    load_persons(driver, tmp_path / "graph")

    def explained(top: int) -> tuple[int, set[str]]:
        run = analysis.run_influence(driver, betweenness_samples=None, keep=10, explain_top=top)
        holding = {p for p, props in _persons(driver).items() if "influence_explanation" in props}
        return _persons_written(driver, run.run_id), holding

    written, holding = explained(2)
    assert written == 3 and len(holding) == 2
    # same graph, one explanation: the best is written, and so is the unchanged second,
    # whose explanation goes; the third (never explained, unchanged) is skipped
    written, holding_now = explained(1)
    assert written == 2 and len(holding_now) == 1 and holding_now < holding
    written, holding_after = explained(1)
    assert written == 1 and holding_after == holding_now


def test_an_account_out_of_the_explained_best_loses_its_explanation(
    driver: Driver, tmp_path: Path
) -> None:
    """Accounts as persons: only this run's explained best hold an explanation, whether or
    not their values changed (an old one would name an older run's neighbours)."""
    load_persons(driver, tmp_path / "graph")

    def explained(top: int, keep: int) -> set[str]:
        analysis.run_influence(driver, betweenness_samples=None, keep=keep, explain_top=top)
        rows = read(driver, statements.ANALYTICS_INFLUENCE)
        return {row["key"] for row in rows if row["explanation"] is not None}

    for keep in (10, 1):  # re-runs that skip the unchanged; keep=1 rewrites every profile
        assert len(explained(3, keep)) == 3
        best = explained(1, keep)
        assert len(best) == 1
        assert explained(1, keep) == best


def test_audience_matches_counting_sets_on_a_random_graph() -> None:
    rng = np.random.default_rng(5)
    n = 300
    pairs = {(int(a), int(b)) for a, b in rng.integers(0, n, size=(3000, 2)) if a != b}
    keys = [f"x:{v}" for v in range(n)]
    projection = build_projection(keys, sorted(pairs))
    part_of = [(f"x:{v}", f"P{v // 3}") for v in range(0, 120)]  # 40 persons of 3 accounts
    units = persons.units_of(keys, part_of)
    found_persons, found_accounts = persons.audience(projection.sources, projection.targets, units)
    follower_units: list[set[int]] = [set() for _ in range(units.count)]
    follower_accounts: list[set[int]] = [set() for _ in range(units.count)]
    for a, b in pairs:
        source, target = units.of_vertex[a], units.of_vertex[b]
        if source != target:
            follower_units[target].add(source)
            follower_accounts[target].add(a)
    assert found_persons.tolist() == [len(found) for found in follower_units]
    assert found_accounts.tolist() == [len(found) for found in follower_accounts]
