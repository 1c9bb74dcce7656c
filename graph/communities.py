"""Communities of profiles: Leiden and Louvain on the undirected weighted graph,
modularity, ids that stay stable across re-runs, and a summary per community.

- Leiden: Traag, Waltman & van Eck 2019 — igraph's C implementation by default, or the
  ``leidenalg`` reference package (RB configuration model, which at resolution 1 is
  Newman–Girvan modularity).
- Louvain: Blondel et al. 2008, igraph's ``community_multilevel``.
- Modularity: Newman & Girvan 2004, weighted (Newman 2004), resolution γ
  (Reichardt & Bornholdt 2006).

Direction is dropped for communities: ``u→v`` and ``v→u`` become one edge whose weight is
their sum. Isolated profiles form singleton communities; summaries and write-back skip
communities smaller than ``min_size``.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import igraph as ig
import leidenalg
import networkx as nx
import numpy as np

from srm.graph.projection import Projection

__all__ = [
    "CommunitySummary",
    "StableIds",
    "leiden",
    "louvain",
    "modularity",
    "modularity_networkx",
    "stable_ids",
    "summarize",
    "to_undirected",
    "to_undirected_networkx",
    "top_terms",
]


def _undirected_edges(projection: Projection) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = max(projection.node_count, 1)
    low = np.minimum(projection.sources, projection.targets)
    high = np.maximum(projection.sources, projection.targets)
    pairs, inverse = np.unique(low * n + high, return_inverse=True)
    weights = np.bincount(inverse, weights=projection.weights, minlength=len(pairs))
    return pairs // n, pairs % n, weights


def to_undirected(projection: Projection) -> ig.Graph:
    """Undirected igraph graph, reciprocal edges merged with summed ``weight``."""
    low, high, weights = _undirected_edges(projection)
    graph = ig.Graph(
        n=projection.node_count,
        edges=list(zip(low.tolist(), high.tolist(), strict=True)),
        directed=False,
    )
    graph.es["weight"] = weights.tolist()
    return graph


def to_undirected_networkx(projection: Projection) -> nx.Graph:
    """The same undirected weighted graph in networkx (reference path)."""
    low, high, weights = _undirected_edges(projection)
    graph = nx.Graph()
    graph.add_nodes_from(range(projection.node_count))
    graph.add_weighted_edges_from(zip(low.tolist(), high.tolist(), weights.tolist(), strict=True))
    return graph


def _weights(graph: ig.Graph) -> str | None:
    return "weight" if "weight" in graph.es.attributes() else None


def leiden(
    graph: ig.Graph,
    *,
    resolution: float = 1.0,
    seed: int = 0,
    iterations: int = 2,
    implementation: str = "igraph",
) -> np.ndarray:
    """Leiden membership (community label per vertex) maximising modularity at
    ``resolution``; ``iterations=-1`` runs until no vertex moves.

    ``implementation="igraph"`` is igraph's C Leiden (fast, the default);
    ``"leidenalg"`` is Traag's reference package (RB configuration partition, the same
    quality function) — both are seeded.
    """
    if graph.vcount() == 0:
        return np.zeros(0, dtype=np.int64)
    if implementation == "leidenalg":
        partition = leidenalg.find_partition(
            graph,
            leidenalg.RBConfigurationVertexPartition,
            weights=_weights(graph),
            resolution_parameter=resolution,
            n_iterations=iterations,
            seed=seed,
        )
        return np.asarray(partition.membership, dtype=np.int64)
    if implementation != "igraph":
        raise ValueError(f"unknown Leiden implementation '{implementation}'; igraph or leidenalg")
    with _seeded(seed):
        clustering = graph.community_leiden(
            objective_function="modularity",
            weights=_weights(graph),
            resolution=resolution,
            n_iterations=iterations,
        )
    return np.asarray(clustering.membership, dtype=np.int64)


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """igraph draws from Python's ``random`` by default; a seeded generator instead."""
    ig.set_random_number_generator(random.Random(seed))  # noqa: S311 - reproducibility
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


def louvain(graph: ig.Graph, *, resolution: float = 1.0, seed: int = 0) -> np.ndarray:
    """Louvain membership; igraph draws the vertex order from a generator seeded here."""
    if graph.vcount() == 0:
        return np.zeros(0, dtype=np.int64)
    with _seeded(seed):
        clustering = graph.community_multilevel(weights=_weights(graph), resolution=resolution)
    return np.asarray(clustering.membership, dtype=np.int64)


def modularity(graph: ig.Graph, membership: Sequence[int], *, resolution: float = 1.0) -> float:
    """Weighted modularity of ``membership``; 0.0 for a graph without edges."""
    if graph.ecount() == 0:
        return 0.0
    return float(graph.modularity(list(membership), weights=_weights(graph), resolution=resolution))


def modularity_networkx(graph: nx.Graph, membership: Sequence[int]) -> float:
    """Reference modularity (networkx) of the same membership."""
    if graph.number_of_edges() == 0:
        return 0.0
    groups: dict[int, set[int]] = {}
    for vertex, label in enumerate(membership):
        groups.setdefault(int(label), set()).add(vertex)
    return float(nx.community.modularity(graph, groups.values(), weight="weight"))


@dataclass(frozen=True)
class StableIds:
    """Stable community id per vertex, and per new id the overlap (Jaccard) with the
    previous community it continues (0.0 for a new community)."""

    membership: np.ndarray
    overlap: dict[int, float]


def stable_ids(
    keys: Sequence[str],
    membership: Sequence[int],
    previous: Mapping[str, int] | None = None,
    *,
    min_jaccard: float = 0.1,
) -> StableIds:
    """Relabel ``membership`` so that communities keep the ids of the previous run.

    Pairs (new, previous) are matched greedily by member overlap, largest first (ties by
    Jaccard, then ids), each side used once, keeping pairs with Jaccard ≥ ``min_jaccard``.
    Unmatched communities get fresh ids above every previous id, largest community first,
    so a first run numbers communities 0, 1, 2… by size.
    """
    labels = np.asarray(membership, dtype=np.int64)
    previous = previous or {}
    new_groups: dict[int, set[str]] = {}
    for key, label in zip(keys, labels.tolist(), strict=True):
        new_groups.setdefault(label, set()).add(key)
    old_groups: dict[int, set[str]] = {}
    for key, community_id in previous.items():
        old_groups.setdefault(int(community_id), set()).add(key)
    overlap_counts: Counter[tuple[int, int]] = Counter()
    for key, label in zip(keys, labels.tolist(), strict=True):
        if key in previous:
            overlap_counts[(label, int(previous[key]))] += 1
    candidates = []
    for (label, old), shared in overlap_counts.items():
        union = len(new_groups[label]) + len(old_groups[old]) - shared
        candidates.append((-shared, -shared / union, label, old))
    candidates.sort()
    mapping: dict[int, int] = {}
    overlap: dict[int, float] = {}
    used: set[int] = set()
    for _, negative_jaccard, label, old in candidates:
        if label in mapping or old in used or -negative_jaccard < min_jaccard:
            continue
        mapping[label] = old
        overlap[old] = -negative_jaccard
        used.add(old)
    next_id = max(old_groups, default=-1) + 1
    fresh = sorted(
        (label for label in new_groups if label not in mapping),
        key=lambda label: (-len(new_groups[label]), min(new_groups[label])),
    )
    for label in fresh:
        mapping[label] = next_id
        overlap[next_id] = 0.0
        next_id += 1
    relabelled = np.asarray([mapping[label] for label in labels.tolist()], dtype=np.int64)
    return StableIds(membership=relabelled, overlap=overlap)


_WORD = re.compile(r"#?\w[\w'’-]*", re.UNICODE)
_NOISE = re.compile(r"https?://\S+|@[\w.@-]+")
_STOPWORDS_TEXT = """a an and are as at be but by for from has have i in is it its me my of
    on or our so
    that the this to was we were what with you your just not no yes all new día de del el
    en es la las lo los me mi muy más para por que qué se su un una y con al le les et"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


def top_terms(texts: Iterable[str], *, top: int = 5) -> tuple[list[str], list[str]]:
    """Most frequent hashtags and words (lower-cased; mentions, links, stop words, numbers
    and words shorter than 3 letters left out). Ties by term, so the result is stable."""
    hashtags: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for text in texts:
        for token in _WORD.findall(_NOISE.sub(" ", text or "").lower()):
            if token.startswith("#"):
                if len(token) > 1:
                    hashtags[token] += 1
            elif len(token) >= 3 and token not in STOPWORDS and not token.isdigit():
                words[token] += 1

    def ranked(counter: Counter[str]) -> list[str]:
        return [term for term, _ in sorted(counter.items(), key=lambda x: (-x[1], x[0]))[:top]]

    return ranked(hashtags), ranked(words)


@dataclass(frozen=True)
class CommunitySummary:
    """What a community is: its id, size, most influential members, what its members
    post about, and the share of members who are customers."""

    community_id: int
    size: int
    top_members: list[str]
    top_hashtags: list[str]
    top_words: list[str]
    customer_share: float
    previous_overlap: float

    @property
    def label(self) -> str:
        """A short human name: the top hashtag or word, else the top member."""
        for term in (*self.top_hashtags, *self.top_words, *self.top_members):
            return f"{term} ({self.size})"
        return f"community {self.community_id}"


def summarize(
    keys: Sequence[str],
    stable: StableIds,
    *,
    scores: Sequence[float] | np.ndarray | None = None,
    customers: Collection[str] = (),
    texts: Mapping[str, Sequence[str]] | None = None,
    min_size: int = 2,
    top_members: int = 5,
    top: int = 5,
) -> list[CommunitySummary]:
    """Summaries of communities with at least ``min_size`` members, largest first.

    Members are ranked by ``scores`` (e.g. influence) when given, else listed by key;
    ``texts`` maps a profile key to its post texts; ``customers`` holds the keys of
    profiles linked to a CRM customer.
    """
    groups: dict[int, list[int]] = {}
    for vertex, community_id in enumerate(stable.membership.tolist()):
        groups.setdefault(community_id, []).append(vertex)
    customer_set = set(customers)
    summaries = []
    for community_id, vertices in groups.items():
        if len(vertices) < min_size:
            continue
        if scores is not None:
            ranked = sorted(vertices, key=lambda v: (-float(scores[v]), keys[v]))
        else:
            ranked = sorted(vertices, key=lambda v: keys[v])
        member_keys = [keys[v] for v in vertices]
        hashtags, words = top_terms(
            (text for key in member_keys for text in (texts or {}).get(key, ())), top=top
        )
        summaries.append(
            CommunitySummary(
                community_id=community_id,
                size=len(vertices),
                top_members=[keys[v] for v in ranked[:top_members]],
                top_hashtags=hashtags,
                top_words=words,
                customer_share=sum(key in customer_set for key in member_keys) / len(vertices),
                previous_overlap=stable.overlap.get(community_id, 0.0),
            )
        )
    return sorted(summaries, key=lambda s: (-s.size, s.community_id))
