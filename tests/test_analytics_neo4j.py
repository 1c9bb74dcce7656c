"""Analytics on a real Neo4j: projection round trip, write-back with run ids, stable
community ids, run clean-up, reach, cascades and segments on handmade graphs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from neo4j import Driver

from srm.errors import NotFoundError
from srm.graph import analysis, runs, writeback
from srm.graph.projection import load_projection
from srm.store import read, write
from tests import statements
from tests.analytics_graphs import BRANDS, REACH, load, two_cliques


def _edges(projection) -> dict[tuple[str, str], tuple[int, float, float]]:
    keys = projection.keys
    return {
        (keys[s], keys[t]): (int(f), float(m), float(w))
        for s, t, f, m, w in zip(
            projection.sources,
            projection.targets,
            projection.follows,
            projection.mentions,
            projection.weights,
            strict=True,
        )
    }


def test_projection_round_trip_with_filters(driver: Driver, tmp_path: Path) -> None:
    load(driver, tmp_path / "brands", BRANDS)
    projection = load_projection(driver, mention_weight=2.0)
    assert sorted(projection.keys) == sorted(
        f"x:{k}" for k in ["o1", "o2", "c1", "c2", "u1", "u2", "u3"]
    )
    edges = _edges(projection)
    assert len(edges) == 11  # 10 follows + the mention u3→o1
    assert edges[("x:u3", "x:o1")] == (0, 1.0, 2.0)
    assert edges[("x:c1", "x:o1")] == (1, 0.0, 1.0)
    index = projection.index()
    assert projection.followers[index["x:o1"]] == 900
    assert projection.node_ids.min() >= 0

    audience = load_projection(driver, brand="Acme")
    assert sorted(audience.keys) == ["x:c1", "x:o1", "x:u1", "x:u2", "x:u3"]
    assert ("x:u2", "x:o2") not in _edges(audience)

    before = load_projection(driver, until=datetime(2024, 1, 1, tzinfo=UTC))
    assert ("x:u3", "x:o1") not in _edges(before)
    assert ("x:c1", "x:o1") in _edges(before)
    during = load_projection(driver, since=datetime(2024, 6, 1), until=datetime(2024, 6, 2))
    assert _edges(during)[("x:u3", "x:o1")] == (0, 1.0, 1.0)
    assert load_projection(driver, platforms=["mastodon"]).node_count == 0
    # pages of two profiles, slices of three relationships, three read side by side:
    # the same graph as one page and one slice
    paged = load_projection(driver, mention_weight=2.0, page_size=2, slice_size=3, readers=3)
    assert paged.keys == projection.keys and _edges(paged) == edges
    windowed = load_projection(driver, since=datetime(2024, 6, 1), slice_size=1, readers=2)
    assert _edges(windowed) == _edges(during)


def test_influence_write_back_and_algorithm_run(driver: Driver, tmp_path: Path) -> None:
    load(driver, tmp_path / "brands", BRANDS)
    report = analysis.run_influence(driver, betweenness_samples=None, explain_top=2)
    rows = read(driver, statements.ANALYTICS_INFLUENCE)
    assert {row["run_id"] for row in rows} == {report.run_id}
    result = report.result
    by_key = {row["key"]: row for row in rows}
    for vertex, key in enumerate(result.projection.keys):
        assert by_key[key]["score"] == pytest.approx(result.score[vertex])
        assert by_key[key]["pagerank"] == pytest.approx(result.components["pagerank"][vertex])
    explained = [row for row in rows if row["explanation"] is not None]
    assert len(explained) == 2
    best = max(rows, key=lambda row: row["score"])
    assert json.loads(best["explanation"])["key"] == best["key"] == report.top[0]["key"]
    between = result.components["betweenness"]
    assert between.max() > 0  # weighed by default, so computed and stored
    for vertex, key in enumerate(result.projection.keys):
        assert by_key[key]["betweenness"] == pytest.approx(between[vertex])
    (run,) = read(driver, statements.ANALYTICS_RUNS)
    run = run["run"]
    assert run["run_id"] == report.run_id and run["algorithm"] == "influence"
    assert run["status"] == "finished" and run["finished_at"] >= run["started_at"]
    assert run["nodes"] == 7 and run["edges"] == 11
    assert json.loads(run["parameters"])["betweenness_samples"] is None
    assert {"read_s", "compute_s", "write_s"} <= set(run)
    # a run that gives betweenness no weight does not compute it: the older run's values
    # are removed and the explanation claims none, rather than a 0 nobody computed
    unweighted = analysis.run_influence(driver, weights={"pagerank": 1, "in_degree": 1})
    rows = read(driver, statements.ANALYTICS_INFLUENCE)
    assert all(row["betweenness"] is None for row in rows)
    assert {row["run_id"] for row in rows} == {unweighted.run_id}
    assert unweighted.top[0]["components"]["betweenness"]["value"] is None


def test_stable_community_ids_and_run_cleanup(driver: Driver, tmp_path: Path) -> None:
    load(driver, tmp_path / "first", two_cliques())
    first = analysis.run_communities(driver, seed=1, keep=2)
    assert first.previous_run_id is None
    assert [s.size for s in first.summaries] == [5, 5]
    assert first.modularity > 0.3
    one = {
        r["key"]: r["community_id"]
        for r in read(driver, statements.ANALYTICS_MEMBERSHIP, run_id=first.run_id)
    }
    assert sorted(set(one.values())) == [0, 1]
    assert len({one[f"x:a{i}"] for i in range(5)}) == 1

    # three new followers join clique a (now the larger one), another seed
    load(driver, tmp_path / "second", two_cliques(extra=3))
    second = analysis.run_communities(driver, seed=7, keep=2)
    assert second.previous_run_id == first.run_id
    two = {
        r["key"]: r["community_id"]
        for r in read(driver, statements.ANALYTICS_MEMBERSHIP, run_id=second.run_id)
    }
    assert all(two[key] == community for key, community in one.items())
    assert {s.community_id: s.previous_overlap for s in second.summaries}[one["x:b0"]] == 1.0

    third = analysis.run_communities(driver, seed=3, keep=2)
    kept = [row["run_id"] for row in read(driver, statements.ANALYTICS_COMMUNITY_RUNS)]
    assert sorted(kept) == sorted([second.run_id, third.run_id])
    run_ids = [row["run"]["run_id"] for row in read(driver, statements.ANALYTICS_RUNS)]
    assert first.run_id not in run_ids and third.run_id in run_ids


def test_influence_cleanup_removes_properties_of_old_runs(driver: Driver, tmp_path: Path) -> None:
    load(driver, tmp_path / "brands", BRANDS)
    old = analysis.run_influence(driver, keep=5)
    # a later run restricted to Acme's audience leaves o2, c2 with the old run's scores
    analysis.run_influence(driver, where=analysis.ProjectionFilter(brand="Acme"), keep=5)
    assert old.run_id in {row["run_id"] for row in read(driver, statements.ANALYTICS_INFLUENCE)}
    removed = runs.clean_old_runs(driver, "influence", keep=1)
    assert removed == [old.run_id]
    rows = read(driver, statements.ANALYTICS_INFLUENCE)
    assert {row["key"] for row in rows if row["run_id"] is None} == {"x:o2", "x:c2"}
    assert all(row["score"] is None for row in rows if row["run_id"] is None)


def test_reach_of_profile_and_person_and_cascade(driver: Driver, tmp_path: Path) -> None:
    load(driver, tmp_path / "reach", REACH)
    found = analysis.run_reach(driver, profile_key="x:1")
    assert (found.first_hop, found.within_two_hops) == (3, 6)
    (stamped,) = read(driver, statements.ANALYTICS_REACH, key="x:1")
    assert stamped["reach"] == 6 and stamped["run_id"].startswith("reach-")

    write(
        driver,
        statements.VIZ_PART_OF,
        rows=[{"person": "P1", "profile": "x:1"}, {"person": "P1", "profile": "x:9"}],
    )
    person = analysis.run_reach(driver, person_id="P1", write=False)
    assert person.seeds == ["x:1", "x:9"]
    assert (person.first_hop, person.within_two_hops) == (4, 7)
    with pytest.raises(NotFoundError):
        analysis.run_reach(driver, person_id="nobody", write=False)

    cascade = analysis.run_cascade(driver, "x:r1")
    assert (cascade.size, cascade.depth, cascade.breadth) == (4, 3, 2)
    assert cascade.by_kind == {"REPOSTS": 2, "REPLY_TO": 1, "QUOTES": 1}
    assert cascade.seconds_to_half == 7200
    assert [(a.key, a.new_audience) for a in cascade.amplifiers] == [
        ("x:2", 2),
        ("x:3", 1),
        ("x:5", 0),
        ("x:7", 0),
    ]
    assert cascade.reached == 6
    leaf = analysis.run_cascade(driver, "x:a4")
    assert (leaf.size, leaf.depth, leaf.seconds_to_half) == (0, 0, None)


def test_segments_of_a_brand(driver: Driver, tmp_path: Path) -> None:
    load(driver, tmp_path / "brands", BRANDS)
    analysis.run_influence(driver, betweenness_samples=None)
    run_id, found = analysis.run_segments(driver, "Acme")
    members = {name: sorted(keys) for name, keys in found.members.items()}
    assert members["customers"] == ["x:c1", "x:c2"]
    assert members["audience"] == ["x:c1", "x:u1", "x:u2", "x:u3"]
    assert members["community"] == ["x:u1", "x:u2", "x:u3"]
    assert members["competitors_audience"] == ["x:c2", "x:u2", "x:u3"]
    assert members["customers_with_competitors"] == ["x:c2"]
    overlap = {(o.left, o.right): o for o in found.overlaps}
    assert overlap[("customers", "audience")].count == 1
    assert overlap[("customers", "audience")].jaccard == pytest.approx(0.2)
    assert overlap[("audience", "competitors_audience")].jaccard == pytest.approx(2 / 5)
    scores = {row["key"]: row["score"] for row in read(driver, statements.ANALYTICS_INFLUENCE)}
    assert [key for key, _ in found.customer_influencers] == sorted(
        ["x:c1", "x:c2"], key=lambda key: -scores[key]
    )
    assert np.isclose(found.customer_influencers[0][1], scores[found.customer_influencers[0][0]])
    stored = {
        row["name"]: sorted(row["keys"])
        for row in read(driver, statements.ANALYTICS_SEGMENT_MEMBERS, brand="Acme")
    }
    assert stored["community"] == members["community"]
    assert {
        row["run_id"] for row in read(driver, statements.ANALYTICS_SEGMENT_MEMBERS, brand="Acme")
    } == {run_id}
    with pytest.raises(NotFoundError, match="Known brands: Acme, Rival"):
        analysis.run_segments(driver, "Nope")


def test_projection_of_an_empty_store(driver: Driver) -> None:
    # no profiles and no relationships: one empty slice per type, an empty edge frame
    for projection in (
        load_projection(driver),
        load_projection(driver, since=datetime(2024, 1, 1), slice_size=1),
    ):
        assert projection.node_count == 0 and projection.edge_count == 0


def _written(driver: Driver, run_id: str) -> int:
    (run,) = [row["run"] for row in read(driver, statements.ANALYTICS_RUNS)
              if row["run"]["run_id"] == run_id]  # fmt: skip
    return int(run["profiles_written"])


def test_influence_reruns_write_only_what_changed(driver: Driver, tmp_path: Path) -> None:
    load(driver, tmp_path / "brands", BRANDS)
    first = analysis.run_influence(driver, betweenness_samples=None, keep=2)
    second = analysis.run_influence(driver, betweenness_samples=None, keep=2)
    # the same graph gives the same values: nothing is written, the first run's stamp stays
    assert (_written(driver, first.run_id), _written(driver, second.run_id)) == (7, 0)
    rows = read(driver, statements.ANALYTICS_INFLUENCE)
    assert {row["run_id"] for row in rows} == {first.run_id}
    for row, score in zip(rows, second.result.score[_order(second)], strict=True):
        assert row["score"] == score

    # the next clean-up drops the first run: its profiles are written again, none left bare
    third = analysis.run_influence(driver, betweenness_samples=None, keep=2)
    assert _written(driver, third.run_id) == 7
    rows = read(driver, statements.ANALYTICS_INFLUENCE)
    assert {row["run_id"] for row in rows} == {third.run_id}

    # a new follow changes some profiles' values: those are stamped by the new run
    delta = {
        "profiles.csv": "profile_id,platform,handle,followers_count\n"
        "u1,x,fan_one,5\nu3,x,fan_three,7\n",
        "follows.csv": "follower_profile_id,followed_profile_id\nu3,u1\n",
    }
    load(driver, tmp_path / "delta", delta)
    fourth = analysis.run_influence(driver, betweenness_samples=None, keep=2)
    rows = read(driver, statements.ANALYTICS_INFLUENCE)
    rewritten = {row["key"] for row in rows if row["run_id"] == fourth.run_id}
    assert 0 < len(rewritten) == _written(driver, fourth.run_id)
    assert {row["run_id"] for row in rows} <= {third.run_id, fourth.run_id}
    for row, score in zip(rows, fourth.result.score[_order(fourth)], strict=True):
        assert row["score"] == score


def _order(report: analysis.InfluenceReport) -> list[int]:
    """The report's vertices in the key order of statements.ANALYTICS_INFLUENCE."""
    keys = report.result.projection.keys
    return sorted(range(len(keys)), key=lambda vertex: keys[vertex])


def test_row_digest_changes_with_any_value() -> None:
    values = np.random.default_rng(3).random((50, 6))
    values[:, 5] = np.nan  # betweenness not computed
    digests = writeback.row_digests(values)
    assert len(set(digests.tolist())) == 50
    assert (writeback.row_digests(values.copy()) == digests).all()
    for column in range(5):
        changed = values.copy()
        changed[7, column] = np.nextafter(changed[7, column], 2.0)
        assert (writeback.row_digests(changed) != digests).tolist() == [r == 7 for r in range(50)]
