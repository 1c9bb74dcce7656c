"""The follow + mention graph as arrays: read from Neo4j in bulk, handed to igraph (the
fast path) or networkx (the reference path).

A :class:`Projection` is an edge frame over vertices ``0..n-1``: for every ordered pair of
profiles one edge, with its follow flag, its mention count and its weight
``follow_weight * follows + mention_weight * mentions``. Parallel edges are merged and
self-loops dropped (a profile following or mentioning itself says nothing about its
influence on others), so both paths see the same simple weighted digraph.

:func:`load_projection` reads the nodes in pages from one query, then the edges one page
of source profiles at a time (looked up by internal id), each page one record of integer
lists — never one query per node.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
from neo4j import Driver, Query

from srm.cypher import analytics as statements
from srm.store import translate_errors

__all__ = [
    "Projection",
    "build_projection",
    "load_projection",
    "to_igraph",
    "to_networkx",
]

PAGE_SIZE = 50_000
WORKERS = 2  # readers/writers side by side: the machines have 2 cores (measured 1.5×)


@dataclass(frozen=True)
class Projection:
    """A simple weighted digraph over profiles.

    ``keys[i]`` is vertex ``i``'s ``profile_key``; ``node_ids[i]`` its Neo4j internal id
    (``-1`` when built in memory); ``followers[i]`` its declared ``followers_count``.
    Edge ``j`` goes ``sources[j] → targets[j]``; ``follows[j]`` is 1 when it carries a
    FOLLOWS relationship, ``mentions[j]`` the number of mentions, ``weights[j]`` the
    combined weight. ``parameters`` records how it was built.
    """

    keys: list[str]
    node_ids: np.ndarray
    followers: np.ndarray
    sources: np.ndarray
    targets: np.ndarray
    follows: np.ndarray
    mentions: np.ndarray
    weights: np.ndarray
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def node_count(self) -> int:
        return len(self.keys)

    @property
    def edge_count(self) -> int:
        return len(self.sources)

    def index(self) -> dict[str, int]:
        """``profile_key → vertex`` (built on demand: the arrays are what algorithms use)."""
        return {key: position for position, key in enumerate(self.keys)}

    def size(self) -> dict[str, int]:
        """Graph size as recorded on an AlgorithmRun."""
        return {
            "nodes": self.node_count,
            "edges": self.edge_count,
            "follow_edges": int(self.follows.sum()),
            "mention_edges": int((self.mentions > 0).sum()),
        }


def build_projection(
    keys: Sequence[str],
    follow_pairs: Iterable[tuple[int, int]] | np.ndarray = (),
    mention_triples: Iterable[tuple[int, int, float]] | np.ndarray = (),
    *,
    followers: Sequence[float] | np.ndarray | None = None,
    node_ids: Sequence[int] | np.ndarray | None = None,
    follow_weight: float = 1.0,
    mention_weight: float = 1.0,
) -> Projection:
    """Merge follow pairs ``(u, v)`` and mention triples ``(u, v, count)`` over vertices
    ``0..len(keys)-1`` into a :class:`Projection`.

    Duplicate follows count once; mention counts of the same pair add up; self-loops and
    pairs naming a vertex outside the range are dropped; edges left with weight 0 (e.g. a
    mention-only edge when ``mention_weight`` is 0) are dropped too.

    >>> p = build_projection(["a", "b"], [(0, 1), (0, 1)], [(0, 1, 3)], mention_weight=0.5)
    >>> p.weights.tolist()
    [2.5]
    """
    n = len(keys)
    follow = np.asarray(
        list(follow_pairs) if not isinstance(follow_pairs, np.ndarray) else follow_pairs,
        dtype=np.int64,
    ).reshape(-1, 2)
    mention = np.asarray(
        list(mention_triples) if not isinstance(mention_triples, np.ndarray) else mention_triples,
        dtype=np.float64,
    ).reshape(-1, 3)
    sources = np.concatenate([follow[:, 0], mention[:, 0].astype(np.int64)])
    targets = np.concatenate([follow[:, 1], mention[:, 1].astype(np.int64)])
    is_follow = np.concatenate([np.ones(len(follow)), np.zeros(len(mention))])
    counts = np.concatenate([np.zeros(len(follow)), mention[:, 2]])
    keep = (sources != targets) & (sources >= 0) & (targets >= 0) & (sources < n) & (targets < n)
    sources, targets, is_follow, counts = (
        sources[keep],
        targets[keep],
        is_follow[keep],
        counts[keep],
    )
    pair = sources * max(n, 1) + targets
    unique_pairs, inverse = np.unique(pair, return_inverse=True)
    follows = np.bincount(inverse, weights=is_follow, minlength=len(unique_pairs)) > 0
    mentions = np.bincount(inverse, weights=counts, minlength=len(unique_pairs))
    weights = follow_weight * follows + mention_weight * mentions
    nonzero = weights > 0
    unique_pairs = unique_pairs[nonzero]
    return Projection(
        keys=list(keys),
        node_ids=np.asarray(node_ids if node_ids is not None else np.full(n, -1), dtype=np.int64),
        followers=np.asarray(followers if followers is not None else np.zeros(n), dtype=float),
        sources=(unique_pairs // max(n, 1)).astype(np.int64),
        targets=(unique_pairs % max(n, 1)).astype(np.int64),
        follows=follows[nonzero].astype(np.int8),
        mentions=mentions[nonzero],
        weights=weights[nonzero].astype(float),
        parameters={"follow_weight": follow_weight, "mention_weight": mention_weight},
    )


def load_projection(
    driver: Driver,
    *,
    database: str | None = None,
    platforms: Sequence[str] | None = None,
    brand: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    follow_weight: float = 1.0,
    mention_weight: float = 1.0,
    include_mentions: bool = True,
    page_size: int = PAGE_SIZE,
    readers: int = WORKERS,
) -> Projection:
    """Read the follow + mention graph from Neo4j into a :class:`Projection`.

    Filters: ``platforms`` keeps profiles of those platforms; ``brand`` keeps the brand's
    official profiles and the profiles that follow or mention them; ``since``/``until``
    count only mentions in posts created in ``[since, until)`` (follows carry no time and
    are always kept). Edges whose ends are not both kept are dropped.

    Nodes come in pages of ``page_size`` from one query; edges come one page of
    ``page_size`` source profiles at a time, looked up by internal id, ``readers`` pages
    side by side.
    """
    platform_list = [p.lower() for p in platforms] if platforms else None
    # post times are stored in UTC; a naive bound would compare as null against them
    since = since.replace(tzinfo=UTC) if since and since.tzinfo is None else since
    until = until.replace(tzinfo=UTC) if until and until.tzinfo is None else until
    windowed = since is not None or until is not None
    ids: list[int] = []
    keys: list[str] = []
    followers: list[float] = []
    sources: list[int] = []
    fan_out: list[int] = []
    targets: list[int] = []
    mention_sources: list[int] = []
    mention_fan_out: list[int] = []
    mention_pairs: list[list[int]] = []
    with (
        translate_errors(),
        driver.session(database=database, notifications_min_severity="OFF") as session,
    ):
        for record in session.run(
            Query(statements.PROJECTION_NODES),
            platforms=platform_list,
            brand=brand,
            page=page_size,
        ):
            ids.extend(record[0])
            keys.extend(record[1])
            followers.extend(float(value or 0) for value in record[2])
    query = (
        statements.PROJECTION_EDGES_PAGE_IN_WINDOW if windowed else statements.PROJECTION_EDGES_PAGE
    )

    def page(start: int) -> Any:
        parameters = {
            "ids": ids[start : start + page_size],
            "mentions": include_mentions,
            "since": since,
            "until": until,
        }
        with (
            translate_errors(),
            driver.session(database=database, notifications_min_severity="OFF") as session,
        ):
            return session.run(Query(query), parameters).single(strict=True)

    # pages of source profiles are read side by side, each in its own session, and taken
    # in order, so the edge lists are the same as one reader's
    with ThreadPoolExecutor(max_workers=max(readers, 1)) as pool:
        for record in pool.map(page, range(0, len(ids), page_size)):
            for source, follows, mentions in zip(record[0], record[1], record[2], strict=True):
                sources.append(source)
                fan_out.append(len(follows))
                targets.extend(follows)
                if include_mentions and mentions:
                    mention_sources.append(source)
                    mention_fan_out.append(len(mentions))
                    mention_pairs.extend(mentions)
    node_ids = np.asarray(ids, dtype=np.int64)
    to_vertex = _vertex_lookup(node_ids)
    follow = np.column_stack(
        [
            to_vertex(np.repeat(np.asarray(sources, dtype=np.int64), fan_out)),
            to_vertex(np.asarray(targets, dtype=np.int64)),
        ]
    )
    pairs = np.asarray(mention_pairs, dtype=np.int64).reshape(-1, 2)
    mention = np.column_stack(
        [
            to_vertex(np.repeat(np.asarray(mention_sources, dtype=np.int64), mention_fan_out)),
            to_vertex(pairs[:, 0]),
            pairs[:, 1],
        ]
    )
    projection = build_projection(
        keys,
        follow,
        mention,
        followers=followers,
        node_ids=node_ids,
        follow_weight=follow_weight,
        mention_weight=mention_weight,
    )
    projection.parameters.update(
        {
            "platforms": platform_list,
            "brand": brand,
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None,
            "include_mentions": include_mentions,
        }
    )
    return projection


def _vertex_lookup(node_ids: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """A vectorised ``internal id → vertex`` map; unknown ids (filtered out) map to -1."""
    order = np.argsort(node_ids, kind="stable")
    sorted_ids = node_ids[order]

    def to_vertex(internal: np.ndarray) -> np.ndarray:
        if len(sorted_ids) == 0:
            return np.full(len(internal), -1, dtype=np.int64)
        slot = np.minimum(np.searchsorted(sorted_ids, internal), len(sorted_ids) - 1)
        return np.where(sorted_ids[slot] == internal, order[slot], -1)

    return to_vertex


def to_igraph(projection: Projection) -> ig.Graph:
    """The projection as a directed igraph graph with a ``weight`` edge attribute."""
    # a list of tuples is igraph's fastest edge input (3x a list of lists or an array)
    graph = ig.Graph(
        n=projection.node_count,
        edges=list(zip(projection.sources.tolist(), projection.targets.tolist(), strict=True)),
        directed=True,
    )
    graph.es["weight"] = projection.weights.tolist()
    return graph


def to_networkx(projection: Projection) -> nx.DiGraph:
    """The projection as a networkx DiGraph over ``0..n-1`` (``key`` node attribute,
    ``weight`` edge attribute): the reference path."""
    graph = nx.DiGraph()
    graph.add_nodes_from((i, {"key": key}) for i, key in enumerate(projection.keys))
    graph.add_weighted_edges_from(
        zip(
            projection.sources.tolist(),
            projection.targets.tolist(),
            projection.weights.tolist(),
            strict=True,
        )
    )
    return graph
