"""The follow + mention graph as arrays: read from Neo4j in bulk, handed to igraph (the
fast path) or networkx (the reference path).

A :class:`Projection` is an edge frame over vertices ``0..n-1``: for every ordered pair of
profiles one edge, with its follow flag, its mention count and its weight
``follow_weight * follows + mention_weight * mentions``. Parallel edges are merged and
self-loops dropped (a profile following or mentioning itself says nothing about its
influence on others), so both paths see the same simple weighted digraph.

:func:`load_projection` reads the nodes in pages from one query, then each relationship
type by a scan of that type, in slices that are each one record of integer lists — never
one query per node, and no per-node expansion (measured on 200k profiles / 1M follows:
0.24 s for the follows against 1.5 s expanding each source profile). With ``persons``,
the PART_OF links are read the same way, beside the follows, and give each vertex its
person (:class:`PartOf`): the person layer needs no read of its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
from neo4j import Driver, Query

from srm.cypher import analytics as statements
from srm.store import translate_errors

__all__ = [
    "PartOf",
    "Projection",
    "build_projection",
    "load_projection",
    "part_of_vertices",
    "to_igraph",
    "to_networkx",
]

PAGE_SIZE = 50_000
SLICE_SIZE = 1_000_000  # relationships per answer: bounds the server's memory per read
WORKERS = 2  # readers/writers side by side: the machines have 2 cores (measured 1.5×)


@dataclass(frozen=True)
class PartOf:
    """The persons of a projection's accounts: ``of_vertex[v]`` is the index of vertex
    ``v``'s person in ``person_ids`` (sorted) and ``node_ids`` (the persons' keys: Neo4j
    internal ids when read from the store), -1 when it belongs to no person. Only persons
    with an account in the projection are listed. ``read_s``: how long the read took."""

    person_ids: list[str]
    node_ids: np.ndarray
    of_vertex: np.ndarray
    read_s: float = 0.0

    @property
    def person_count(self) -> int:
        return len(self.person_ids)


def part_of_vertices(
    vertex_count: int,
    vertices: np.ndarray,
    persons: np.ndarray,
    person_ids: Sequence[str],
    read_s: float = 0.0,
) -> PartOf:
    """:class:`PartOf` from links given as arrays: ``vertices[i]`` (-1: an account
    outside the projection, dropped) belongs to the person keyed ``persons[i]`` (an
    integer, e.g. its node id) and named ``person_ids[i]``. An account linked twice stays
    with its first person. Persons are sorted by id; all in numpy but that sort (24k
    persons of 60k links: a few milliseconds)."""
    vertices = np.asarray(vertices, dtype=np.int64)
    persons = np.asarray(persons, dtype=np.int64)
    inside = np.flatnonzero(vertices >= 0)
    first = np.unique(vertices[inside], return_index=True)[1]
    links = inside[first]
    keys, first_link, code = np.unique(persons[links], return_index=True, return_inverse=True)
    names = [person_ids[i] for i in links[first_link].tolist()]
    order = sorted(range(len(names)), key=names.__getitem__)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    of_vertex = np.full(vertex_count, -1, dtype=np.int64)
    of_vertex[vertices[links]] = rank[code]
    return PartOf(
        person_ids=[names[i] for i in order],
        node_ids=keys[np.asarray(order, dtype=np.int64)],
        of_vertex=of_vertex,
        read_s=read_s,
    )


@dataclass(frozen=True)
class Projection:
    """A simple weighted digraph over profiles.

    ``keys[i]`` is vertex ``i``'s ``profile_key``; ``node_ids[i]`` its Neo4j internal id
    (``-1`` when built in memory); ``followers[i]`` its declared ``followers_count``.
    Edge ``j`` goes ``sources[j] → targets[j]``; ``follows[j]`` is 1 when it carries a
    FOLLOWS relationship, ``mentions[j]`` the number of mentions, ``weights[j]`` the
    combined weight. ``parameters`` records how it was built; ``part_of`` holds the
    accounts' persons when it was read with them (None otherwise).
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
    part_of: PartOf | None = None

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
    slice_size: int = SLICE_SIZE,
    readers: int = WORKERS,
    persons: bool = False,
) -> Projection:
    """Read the follow + mention graph from Neo4j into a :class:`Projection`.

    Filters: ``platforms`` keeps profiles of those platforms; ``brand`` keeps the brand's
    official profiles and the profiles that follow or mention them; ``since``/``until``
    count only mentions in posts created in ``[since, until)`` (follows carry no time and
    are always kept). Edges whose ends are not both kept are dropped.

    Nodes come in pages of ``page_size`` from one query; edges come from scans of their
    relationship type in slices of about ``slice_size`` relationships, ``readers``
    slices side by side (each slice is one record of integer lists). ``persons`` also
    reads which person each account belongs to (:attr:`Projection.part_of`), by a scan of
    PART_OF beside the follows' read.
    """
    platform_list = [p.lower() for p in platforms] if platforms else None
    # post times are stored in UTC; a naive bound would compare as null against them
    since = since.replace(tzinfo=UTC) if since and since.tzinfo is None else since
    until = until.replace(tzinfo=UTC) if until and until.tzinfo is None else until
    ids: list[int] = []
    keys: list[str] = []
    followers: list[float] = []
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
    node_ids = np.asarray(ids, dtype=np.int64)
    to_vertex = _vertex_lookup(node_ids)

    def read(count_query: str, query: str, **parameters: Any) -> Any:
        return _read_slices(driver, database, count_query, query, slice_size, readers, parameters)

    with ThreadPoolExecutor(max_workers=1) as beside:
        # the links are few (a person has a handful of accounts) and need no slices: they
        # come in one answer, read while the follows' slices are
        links = beside.submit(_read_part_of, driver, database) if persons else None
        follow_sources, follow_targets, _ = read(
            statements.PROJECTION_FOLLOW_COUNT, statements.PROJECTION_FOLLOWS
        )
        follow = np.column_stack([to_vertex(follow_sources), to_vertex(follow_targets)])
        if not include_mentions:
            mention = np.zeros((0, 3))
        else:
            if since is not None or until is not None:
                mention_sources, mention_targets, counts = read(
                    statements.PROJECTION_POST_MENTION_COUNT,
                    statements.PROJECTION_MENTIONS_IN_WINDOW,
                    since=since,
                    until=until,
                )
            else:
                mention_sources, mention_targets, counts = read(
                    statements.PROJECTION_MENTION_COUNT, statements.PROJECTION_MENTIONS
                )
            if counts is None:  # counted from posts: one per mentioning post
                counts = np.ones(len(mention_sources))
            mention = np.column_stack(
                [to_vertex(mention_sources), to_vertex(mention_targets), counts]
            )
        part_of = None
        if links is not None:
            accounts, person_nodes, person_ids, seconds = links.result()
            part_of = part_of_vertices(
                len(keys), to_vertex(accounts), person_nodes, person_ids, read_s=seconds
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
    return replace(projection, part_of=part_of) if part_of is not None else projection


def _read_part_of(
    driver: Driver, database: str | None
) -> tuple[np.ndarray, np.ndarray, list[str], float]:
    """Every PART_OF link as ``(account node ids, person node ids, person ids)`` and the
    read's wall time."""
    started = time.perf_counter()
    with (
        translate_errors(),
        driver.session(database=database, notifications_min_severity="OFF") as session,
    ):
        record = session.run(Query(statements.PROJECTION_PART_OF)).single(strict=True)
    return (
        np.asarray(record["accounts"], dtype=np.int64),
        np.asarray(record["persons"], dtype=np.int64),
        record["person_ids"],
        time.perf_counter() - started,
    )


def _read_slices(
    driver: Driver,
    database: str | None,
    count_query: str,
    query: str,
    slice_size: int,
    readers: int,
    parameters: dict[str, Any],
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """One relationship type's ``(source ids, target ids, counts)``, read in slices of
    about ``slice_size`` (relationship id modulo the slice count), ``readers`` slices side
    by side; ``counts`` is None when ``query`` returns no third column."""

    def run(statement: str, **values: Any) -> Any:
        with (
            translate_errors(),
            driver.session(database=database, notifications_min_severity="OFF") as session,
        ):
            return session.run(Query(statement), values).single(strict=True)

    total = int(run(count_query)[0])
    parts = max(1, -(-total // max(slice_size, 1)))
    with ThreadPoolExecutor(max_workers=max(1, min(readers, parts))) as pool:
        records = list(
            pool.map(lambda part: run(query, parts=parts, part=part, **parameters), range(parts))
        )

    def column(at: int, dtype: type) -> np.ndarray:
        return np.concatenate([np.asarray(record[at], dtype=dtype) for record in records])

    counts = column(2, np.float64) if len(records[0]) > 2 else None
    return column(0, np.int64), column(1, np.int64), counts


def _vertex_lookup(node_ids: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """A vectorised ``internal id → vertex`` map; unknown ids (filtered out) map to -1.

    Internal ids are dense in a store, so the map is a table indexed by id when the
    largest id is within a small multiple of the vertex count (2M random lookups into
    200k ids: 0.08 s against 0.31 s for a binary search);
    otherwise a binary search over the sorted ids."""
    if len(node_ids) == 0:
        return lambda internal: np.full(len(internal), -1, dtype=np.int64)
    largest = int(node_ids.max())
    if largest < 16 * len(node_ids) + (1 << 20):
        table = np.full(largest + 1, -1, dtype=np.int64)
        table[node_ids] = np.arange(len(node_ids))

        def from_table(internal: np.ndarray) -> np.ndarray:
            inside = (internal >= 0) & (internal <= largest)
            return np.where(inside, table[np.where(inside, internal, 0)], -1)

        return from_table
    order = np.argsort(node_ids, kind="stable")
    sorted_ids = node_ids[order]

    def by_search(internal: np.ndarray) -> np.ndarray:
        slot = np.minimum(np.searchsorted(sorted_ids, internal), len(sorted_ids) - 1)
        return np.where(sorted_ids[slot] == internal, order[slot], -1)

    return by_search


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
