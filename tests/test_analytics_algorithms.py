"""Analytics algorithms against published graphs and the networkx reference path
(pure functions: no database)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from scipy.stats import spearmanr

from srm.graph import communities, influence, reach
from srm.graph.projection import _vertex_lookup, build_projection, to_igraph, to_networkx


def _projection_of(graph: nx.Graph, *, weighted: bool = True):
    """Both directions of every undirected edge: follows (degree) and mentions (weight)."""
    keys = [str(node) for node in graph.nodes]
    position = {node: i for i, node in enumerate(graph.nodes)}
    follow = []
    mention = []
    for u, v, data in graph.edges(data=True):
        for a, b in ((u, v), (v, u)):
            follow.append((position[a], position[b]))
            mention.append((position[a], position[b], data.get("weight", 1) if weighted else 0))
    return build_projection(keys, follow, mention, follow_weight=0.0 if weighted else 1.0)


def _random_digraph(seed: int, n: int = 400, m: int = 2400):
    rng = np.random.default_rng(seed)
    keys = [f"p{i}" for i in range(n)]
    # planted groups so communities exist; some vertices left without out-edges (dangling)
    group = rng.integers(0, 6, n)
    follow = []
    while len(follow) < m:
        u = int(rng.integers(0, n - 40))
        same = np.flatnonzero(group == group[u])
        v = int(rng.choice(same)) if rng.random() < 0.8 else int(rng.integers(0, n))
        follow.append((u, v))
    mention = [
        (int(rng.integers(0, n)), int(rng.integers(0, n)), int(rng.integers(1, 6)))
        for _ in range(m // 4)
    ]
    return build_projection(keys, follow, mention, mention_weight=0.5)


@pytest.mark.parametrize("name", ["karate", "les_miserables"])
def test_pagerank_and_degree_equal_networkx_on_published_graphs(name: str) -> None:
    graph = nx.karate_club_graph() if name == "karate" else nx.les_miserables_graph()
    projection = _projection_of(graph)
    ours = influence.pagerank(projection)
    expected = nx.pagerank(graph, weight="weight", tol=1e-13, max_iter=10_000)
    assert np.abs(ours - np.array([expected[node] for node in graph.nodes])).max() < 1e-9
    result = influence.influence_scores(_projection_of(graph, weighted=False))
    degrees = dict(graph.degree())
    assert result.components["in_degree"].tolist() == [degrees[node] for node in graph.nodes]


def test_karate_communities_reach_known_modularity() -> None:
    projection = _projection_of(nx.karate_club_graph(), weighted=False)
    graph = communities.to_undirected(projection)
    # 2 per pair: both directions merged; modularity is scale-free in the weights
    for membership in (
        communities.leiden(graph, seed=1, iterations=-1),
        communities.leiden(graph, seed=1, iterations=-1, implementation="leidenalg"),
        communities.louvain(graph, seed=1),
    ):
        value = communities.modularity(graph, membership)
        assert 0.40 <= value <= 0.42, value
        assert len(set(membership.tolist())) >= 3


@pytest.mark.parametrize("seed", [3, 11])
def test_igraph_path_matches_networkx_on_random_graphs(seed: int) -> None:
    projection = _random_digraph(seed)
    ours = influence.pagerank(projection)
    reference = influence.pagerank_networkx(to_networkx(projection))
    assert spearmanr(ours, reference).statistic >= 0.999
    assert np.abs(ours - reference).max() <= 1e-6
    assert ours.sum() == pytest.approx(1.0)
    undirected = communities.to_undirected(projection)
    membership = communities.leiden(undirected, seed=seed)
    ig_value = communities.modularity(undirected, membership)
    nx_value = communities.modularity_networkx(
        communities.to_undirected_networkx(projection), membership
    )
    assert ig_value > 0.3
    assert abs(ig_value - nx_value) <= 0.01 * abs(nx_value)
    louvain_value = communities.modularity(undirected, communities.louvain(undirected, seed=seed))
    assert ig_value >= louvain_value - 0.02
    reference = communities.leiden(undirected, seed=seed, implementation="leidenalg")
    assert abs(communities.modularity(undirected, reference) - ig_value) <= 0.02
    assert np.array_equal(membership, communities.leiden(undirected, seed=seed))


def test_betweenness_exact_and_sampled_against_networkx() -> None:
    projection = _random_digraph(5, n=120, m=500)
    graph = to_igraph(projection)
    exact = influence.sampled_betweenness(graph, samples=None)
    reference = nx.betweenness_centrality(nx.DiGraph(to_networkx(projection)), normalized=True)
    assert np.abs(exact - np.array([reference[i] for i in range(120)])).max() < 1e-9
    sampled = influence.sampled_betweenness(graph, samples=60, seed=2)
    assert np.array_equal(sampled, influence.sampled_betweenness(graph, samples=60, seed=2))
    assert spearmanr(sampled, exact).statistic > 0.8


def test_edge_cases_empty_isolated_self_loops_dangling_disconnected() -> None:
    empty = build_projection([])
    result = influence.influence_scores(empty)
    assert result.score.size == 0 and result.ranking() == []
    assert communities.leiden(communities.to_undirected(empty)).size == 0
    assert communities.modularity(communities.to_undirected(empty), []) == 0.0

    # 0→1 twice and a self-loop 2→2: merged and dropped; 3 isolated; {4,5} another component
    projection = build_projection(
        ["a", "b", "c", "d", "e", "f"], [(0, 1), (0, 1), (2, 2), (4, 5), (5, 4)], [(2, 2, 7)]
    )
    assert projection.edge_count == 3
    assert sorted(zip(projection.sources.tolist(), projection.targets.tolist(), strict=True)) == [
        (0, 1),
        (4, 5),
        (5, 4),
    ]
    ranks = influence.pagerank(projection)
    reference = influence.pagerank_networkx(to_networkx(projection))
    assert np.abs(ranks - reference).max() < 1e-9
    # dangling b, c, d spread rank uniformly: the isolated ones rank equal
    assert ranks[2] == pytest.approx(ranks[3])
    assert ranks[1] > ranks[0]
    membership = communities.leiden(communities.to_undirected(projection), seed=0)
    assert membership[4] == membership[5] and membership[0] == membership[1]
    assert len({membership[2], membership[3], membership[0], membership[4]}) == 4
    stable = communities.stable_ids(projection.keys, membership)
    summary = communities.summarize(projection.keys, stable, min_size=2)
    assert [s.size for s in summary] == [2, 2]


def test_percentiles_and_weights() -> None:
    assert influence.percentiles(np.array([5.0, 1.0, 5.0, 3.0])).tolist() == [50, 0, 50, 25]
    projection = _random_digraph(7, n=60, m=300)
    only_pagerank = influence.influence_scores(projection, weights={"pagerank": 2.0})
    assert only_pagerank.weights["pagerank"] == 1.0
    assert np.allclose(only_pagerank.score * 100, only_pagerank.component_percentiles["pagerank"])
    with pytest.raises(ValueError, match="unknown influence components"):
        influence.influence_scores(projection, weights={"charisma": 1.0})


def test_explanation_adds_up_and_names_top_in_neighbours() -> None:
    # hub 0 is followed by everyone; 1 is followed by 0 only, so 0 gives 1 all its inflow
    keys = [f"p{i}" for i in range(8)]
    follows = [(i, 0) for i in range(1, 8)] + [(0, 1)]
    result = influence.influence_scores(build_projection(keys, follows), betweenness_samples=None)
    assert result.ranking(1) == [0]
    explanation = influence.explain(result, 1)
    total = sum(part["contribution"] for part in explanation["components"].values())
    assert total == pytest.approx(explanation["score"])
    assert [c["key"] for c in explanation["top_in_neighbours"]] == ["p0"]
    assert explanation["top_in_neighbours"][0]["share"] == pytest.approx(1.0)
    hub = influence.explain(result, 0, top=3)["top_in_neighbours"]
    assert hub[0]["key"] == "p1" and len(hub) == 3


def test_stable_ids_follow_the_previous_run() -> None:
    keys = [f"k{i}" for i in range(10)]
    first = communities.stable_ids(keys, [5, 5, 5, 5, 9, 9, 9, 7, 7, 3])
    assert first.membership.tolist() == [0, 0, 0, 0, 1, 1, 1, 2, 2, 3]
    previous = dict(zip(keys, first.membership.tolist(), strict=True))
    # labels permuted, k6 moved, k9 joins a brand-new group with a new member
    second = communities.stable_ids([*keys, "k10"], [1, 1, 1, 1, 0, 0, 2, 2, 2, 4, 4], previous)
    assert second.membership.tolist() == [0, 0, 0, 0, 1, 1, 2, 2, 2, 3, 3]
    assert second.overlap[0] == 1.0 and 0 < second.overlap[2] < 1


def test_top_terms_skip_mentions_links_and_stop_words() -> None:
    hashtags, words = communities.top_terms(
        ["Love the #Jamón at @shop https://x.example/a", "#jamón and wine", "wine wine #vino"]
    )
    assert hashtags == ["#jamón", "#vino"]
    assert words[0] == "wine" and "shop" not in words and "the" not in words


def test_cascade_without_times_and_with_stray_posts() -> None:
    posts = [
        reach.CascadePost("r", "alice", None),
        reach.CascadePost("c1", "bob", None, parent="r", kind="REPOSTS"),
        reach.CascadePost("c2", "carol", None, parent="r", kind="REPOSTS"),
        reach.CascadePost("stray", "dave", None, parent="elsewhere", kind="REPLY_TO"),
    ]
    found = reach.cascade("r", posts, {"alice": {"bob"}, "carol": {"erin", "bob"}})
    assert (found.size, found.depth, found.breadth) == (2, 1, 2)
    assert found.seconds_to_half is None
    assert [(a.key, a.new_audience) for a in found.amplifiers] == [("carol", 2), ("bob", 0)]
    assert reach.cascade("lonely", [], {}).size == 0


def test_audience_from_a_projection() -> None:
    projection = build_projection(["a", "b", "c", "d"], [(1, 0), (2, 1), (3, 2), (0, 1)])
    followers = reach.followers_map(projection)
    assert followers == {"a": {"b"}, "b": {"c", "a"}, "c": {"d"}}
    found = reach.audience(followers, ["a"])
    assert (found.first_hop, found.within_two_hops, found.second_hop_only) == (1, 2, 1)
    assert reach.audience(followers, ["a", "b"]).first_hop == 1


def test_pagerank_against_igraph_and_arguments() -> None:
    projection = _random_digraph(7, n=300, m=1500)
    ours = influence.pagerank(projection)
    exact = np.asarray(to_igraph(projection).pagerank(weights="weight", implementation="prpack"))
    assert np.abs(ours - exact).max() < 1e-9
    with pytest.raises(ValueError, match="damping"):
        influence.pagerank(projection, damping=1.0)
    # damping 0: only the teleport, every profile equal
    assert np.allclose(influence.pagerank(projection, damping=0.0), 1 / projection.node_count)


@pytest.mark.parametrize("node_ids", [[7, 3, 12, 0], [7, 3, 10**12, 0]])
def test_internal_ids_map_to_vertices_dense_or_sparse(node_ids: list[int]) -> None:
    # a store's ids are dense (table lookup); far-apart ids take the binary search
    to_vertex = _vertex_lookup(np.asarray(node_ids, dtype=np.int64))
    asked = np.asarray([3, 0, 5, -1, node_ids[2], 10**13, 7], dtype=np.int64)
    assert to_vertex(asked).tolist() == [1, 3, -1, -1, 2, -1, 0]
    assert _vertex_lookup(np.zeros(0, dtype=np.int64))(asked).tolist() == [-1] * 7
