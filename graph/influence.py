"""Influence of profiles, with an explanation (persons: :mod:`srm.graph.persons`).

Components, each computed on a :class:`~srm.graph.projection.Projection`:

- ``pagerank``: weighted PageRank (Brin & Page 1998) on the follow + mention digraph,
  damping 0.85, dangling vertices' mass spread uniformly (networkx's semantics): a sparse
  power iteration stopped when a step changes the vector by less than 1e-10 in L1.
- ``in_degree``: profiles in the graph that follow this one.
- ``followers``: the platform's declared ``followers_count``.
- ``mention_in_degree``: mentions received (sum of MENTIONED counts).
- ``betweenness``: shortest-path betweenness (Freeman 1977; Brandes 2001) estimated from
  ``k`` seeded random sources (Brandes & Pich 2007), scaled by ``n/k`` and normalised by
  ``(n-1)(n-2)``; unweighted hops, since edge weights here are strengths, not distances.

The combined score is ``Σ weight_c · percentile_c / 100`` (0–1): percentiles make
heavy-tailed components comparable and every part of the score explainable ("top 3 % by
PageRank"). The percentile of a value is the share of scored profiles with a strictly
lower value (0–100), so ties share a percentile.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import igraph as ig
import networkx as nx
import numpy as np
from scipy import sparse

from srm.graph.projection import Projection, to_igraph

__all__ = [
    "DEFAULT_WEIGHTS",
    "InfluenceResult",
    "explain",
    "influence_scores",
    "pagerank",
    "pagerank_networkx",
    "percentiles",
    "sampled_betweenness",
    "top_contributors",
]

DEFAULT_WEIGHTS: dict[str, float] = {
    "pagerank": 0.4,
    "in_degree": 0.2,
    "followers": 0.15,
    "mention_in_degree": 0.15,
    "betweenness": 0.1,
}
COMPONENTS = tuple(DEFAULT_WEIGHTS)


def percentiles(values: np.ndarray, ordered: np.ndarray | None = None) -> np.ndarray:
    """Share (0–100) of entries strictly lower than each entry; empty in, empty out.
    ``ordered``: ``values`` sorted, when the caller has them."""
    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return np.zeros(0)
    lower = np.searchsorted(np.sort(values) if ordered is None else ordered, values, side="left")
    return 100.0 * lower / len(values)


def pagerank(
    projection: Projection,
    *,
    damping: float = 0.85,
    tol: float = 1e-10,
) -> np.ndarray:
    """Weighted PageRank (Brin & Page 1998) of ``projection`` by power iteration on a
    sparse matrix, with networkx's semantics: edge ``u → v`` passes ``w(u, v) /
    out_strength(u)`` of ``u``'s rank, dangling vertices (no out-edges) spread theirs
    uniformly, and the teleport is uniform.

    Iterates ``x ← damping · (Pᵀx + dangling mass / n) + (1 − damping) / n`` from the
    uniform vector until the L1 change of one step is below ``tol``. The step is a contraction by
    ``damping`` in L1, so the result is within ``tol · damping / (1 − damping)`` of the
    exact vector (≈ 6e-10 at the defaults) and at most ``log(tol / 2) / log(damping)``
    steps run (≈ 140). ``damping`` must be in ``[0, 1)``; an empty graph gives an empty
    array.

    >>> from srm.graph.projection import build_projection
    >>> pagerank(build_projection(["a", "b"], [(0, 1)])).round(4).tolist()
    [0.3509, 0.6491]
    """
    if not 0.0 <= damping < 1.0:
        raise ValueError(f"damping must be in [0, 1), got {damping}")
    n = projection.node_count
    if n == 0:
        return np.zeros(0)
    matrix, dangling = _transition_transposed(projection, damping)
    rank = np.full(n, 1.0 / n)
    teleport = (1.0 - damping) / n
    steps = 1 if damping == 0 else int(np.ceil(np.log(tol / 2) / np.log(damping))) + 1
    for _ in range(steps):
        following = matrix @ rank
        following += damping * rank[dangling].sum() / n + teleport
        change = np.abs(following - rank).sum()
        rank = following
        if change < tol:
            break
    return rank


def _transition_transposed(
    projection: Projection, damping: float
) -> tuple[sparse.csc_array, np.ndarray]:
    """``damping · w(u, v) / out_strength(u)`` at row v, column u, and the indices of the
    dangling vertices. Built in O(edges) without sorting when the edges are sorted by
    source (as :func:`~srm.graph.projection.build_projection` leaves them): that is the
    CSR of the forward matrix, whose transpose is a free CSC view."""
    n = projection.node_count
    sources, targets, weights = projection.sources, projection.targets, projection.weights
    out_strength = np.bincount(sources, weights=weights, minlength=n)
    dangling = out_strength == 0
    scale = np.divide(damping, out_strength, out=np.zeros(n), where=~dangling)
    values = weights * scale[sources]
    if len(sources) and bool((np.diff(sources) < 0).any()):
        order = np.argsort(sources, kind="stable")
        sources, targets, values = sources[order], targets[order], values[order]
    index_type = np.int32 if n < 2**31 and len(sources) < 2**31 else np.int64
    row_starts = np.zeros(n + 1, dtype=index_type)
    np.cumsum(np.bincount(sources, minlength=n), out=row_starts[1:])
    forward = sparse.csr_array((values, targets.astype(index_type), row_starts), shape=(n, n))
    return forward.T, np.flatnonzero(dangling)


def pagerank_networkx(
    graph: nx.DiGraph, *, damping: float = 0.85, tol: float = 1e-13
) -> np.ndarray:
    """Reference PageRank (networkx power iteration, tight tolerance), by node order
    ``0..n-1``."""
    if graph.number_of_nodes() == 0:
        return np.zeros(0)
    ranks = nx.pagerank(graph, alpha=damping, weight="weight", tol=tol, max_iter=10_000)
    return np.asarray([ranks[node] for node in range(graph.number_of_nodes())])


def sampled_betweenness(graph: ig.Graph, *, samples: int | None = 256, seed: int = 0) -> np.ndarray:
    """Normalised directed betweenness from ``samples`` random sources (all when ``None``
    or ≥ n), scaled by ``n / samples`` so it estimates the exact value."""
    n = graph.vcount()
    if n < 3:
        return np.zeros(n)
    if samples is None or samples >= n:
        raw = np.asarray(graph.betweenness(directed=True))
    else:
        sources = np.random.default_rng(seed).choice(n, size=samples, replace=False)
        raw = np.asarray(graph.betweenness(directed=True, sources=sources.tolist()))
        raw *= n / samples
    return raw / ((n - 1) * (n - 2))


@dataclass(frozen=True)
class InfluenceResult:
    """Scores by vertex of ``projection``: raw ``components``, their ``component_percentiles``,
    the ``weights`` used, ``score`` (0–1) and ``percentile`` (0–100). ``ordered`` keeps
    each component's values and the scores (``"score"``) sorted, as the percentiles were
    taken: persons are placed in them (:mod:`srm.graph.persons`) without sorting again."""

    projection: Projection
    components: dict[str, np.ndarray]
    component_percentiles: dict[str, np.ndarray]
    weights: dict[str, float]
    score: np.ndarray
    percentile: np.ndarray
    damping: float
    ordered: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def sorted_values(self, name: str) -> np.ndarray:
        """Component ``name``'s values (or, for ``"score"``, the scores), sorted."""
        if name not in self.ordered:
            self.ordered[name] = np.sort(self.score if name == "score" else self.components[name])
        return self.ordered[name]

    @cached_property
    def out_strength(self) -> np.ndarray:
        """Sum of out-edge weights per vertex (what PageRank divides a vertex's rank by)."""
        projection = self.projection
        return np.bincount(
            projection.sources, weights=projection.weights, minlength=projection.node_count
        )

    def ranking(self, top: int | None = None) -> list[int]:
        """Vertices by score, highest first (ties by key, so the order is stable)."""
        keys = self.projection.keys
        candidates: Iterable[int] = range(len(keys))
        if top is not None and 0 < top < len(keys):
            # only vertices scoring at least the top-th score can rank; ties resolved by key
            threshold = np.partition(self.score, len(keys) - top)[len(keys) - top]
            candidates = np.flatnonzero(self.score >= threshold).tolist()
        order = sorted(candidates, key=lambda v: (-self.score[v], keys[v]))
        return order if top is None else order[:top]


def influence_scores(
    projection: Projection,
    graph: ig.Graph | None = None,
    *,
    weights: Mapping[str, float] | None = None,
    damping: float = 0.85,
    betweenness_samples: int | None = 256,
    seed: int = 0,
) -> InfluenceResult:
    """Every component and the combined score for each profile of ``projection``.

    ``weights`` must name only known components (missing ones weigh 0) and are normalised
    to sum to 1; a component weighed 0 is not computed (betweenness is the costly one).
    ``graph`` may be passed when the igraph graph already exists (only betweenness needs
    one).
    """
    chosen = dict(DEFAULT_WEIGHTS if weights is None else weights)
    unknown = set(chosen) - set(COMPONENTS)
    if unknown:
        raise ValueError(f"unknown influence components {sorted(unknown)}; use {COMPONENTS}")
    total = sum(chosen.values())
    if total <= 0 or any(value < 0 for value in chosen.values()):
        raise ValueError("influence weights must be ≥ 0 and not all 0")
    normalised = {name: chosen.get(name, 0.0) / total for name in COMPONENTS}
    n = projection.node_count
    follows = projection.follows.astype(bool)
    needs_graph = normalised["betweenness"] > 0
    if needs_graph and graph is None:
        graph = to_igraph(projection)
    components = {
        "pagerank": pagerank(projection, damping=damping),
        "in_degree": np.bincount(projection.targets[follows], minlength=n).astype(float),
        "followers": projection.followers.astype(float),
        "mention_in_degree": np.bincount(
            projection.targets, weights=projection.mentions, minlength=n
        ),
        "betweenness": (
            sampled_betweenness(graph, samples=betweenness_samples, seed=seed)
            if graph is not None and needs_graph
            else np.zeros(n)
        ),
    }
    ordered = {name: np.sort(values) for name, values in components.items()}
    component_percentiles = {
        name: percentiles(values, ordered[name]) for name, values in components.items()
    }
    score = np.zeros(n)
    for name, weight in normalised.items():
        score += weight * component_percentiles[name] / 100.0
    ordered["score"] = np.sort(score)
    return InfluenceResult(
        projection=projection,
        components=components,
        component_percentiles=component_percentiles,
        weights=normalised,
        score=score,
        percentile=percentiles(score, ordered["score"]),
        damping=damping,
        ordered=ordered,
    )


def top_contributors(result: InfluenceResult, vertex: int, *, top: int = 5) -> list[dict]:
    """The in-neighbours that gave ``vertex`` the most PageRank: each passes on
    ``damping · PR(u) · w(u, v) / out_strength(u)``; shares are of that inflow."""
    projection = result.projection
    rank = result.components["pagerank"]
    out_strength = result.out_strength
    incoming = np.flatnonzero(projection.targets == vertex)
    if len(incoming) == 0:
        return []
    senders = projection.sources[incoming]
    given = result.damping * rank[senders] * projection.weights[incoming] / out_strength[senders]
    inflow = given.sum()
    order = np.argsort(-given, kind="stable")[:top]
    return [
        {
            "key": projection.keys[int(senders[i])],
            "pagerank_given": float(given[i]),
            "share": float(given[i] / inflow) if inflow else 0.0,
            "follows": bool(projection.follows[incoming[i]]),
            "mentions": float(projection.mentions[incoming[i]]),
        }
        for i in order
    ]


def explain(result: InfluenceResult, vertex: int, *, top: int = 5) -> dict:
    """Why ``vertex`` has its score: per component its value, percentile, weight and
    contribution to the score, plus the in-neighbours that contributed most. Betweenness
    not computed (weight 0) has value and percentile ``None``."""
    parts: dict[str, dict[str, float | None]] = {
        name: {
            "value": float(result.components[name][vertex]),
            "percentile": float(result.component_percentiles[name][vertex]),
            "weight": result.weights[name],
            "contribution": result.weights[name]
            * float(result.component_percentiles[name][vertex])
            / 100.0,
        }
        for name in COMPONENTS
    }
    if result.weights["betweenness"] == 0:
        parts["betweenness"].update(value=None, percentile=None, contribution=0.0)
    return {
        "key": result.projection.keys[vertex],
        "score": float(result.score[vertex]),
        "percentile": float(result.percentile[vertex]),
        "components": parts,
        "top_in_neighbours": top_contributors(result, vertex, top=top),
    }
