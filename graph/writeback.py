"""Thin reads and writes around the analytics: results written back with their run id,
and the small inputs (customers, brands, cascades, followers, texts) read for them.

Writes use large ``UNWIND $rows`` batches of plain lists (no maps), matched by the Neo4j
internal ids the projection read in the same run, so a write-back of 100k profiles is a
handful of transactions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from neo4j import Driver, ManagedTransaction

from srm.cypher import analytics as statements
from srm.cypher.influence import INFLUENCE_COLUMNS, Influence
from srm.graph.communities import CommunitySummary, StableIds
from srm.graph.influence import InfluenceResult, explain
from srm.graph.projection import WORKERS, Projection
from srm.graph.reach import Audience, CascadePost
from srm.graph.segments import DESCRIPTIONS, BrandSegments
from srm.store import batched, translate_errors, write

__all__ = [
    "WRITE_BATCH",
    "StoredDigests",
    "brands",
    "cascade_posts",
    "customer_profiles",
    "engaged_by_brand",
    "followers_of",
    "handles",
    "influence_of",
    "person_profiles",
    "post_texts",
    "previous_communities",
    "read",
    "read_lists",
    "read_stored",
    "row_digests",
    "surviving_runs",
    "unchanged",
    "write_communities",
    "write_influence",
    "write_reach",
    "write_rows",
    "write_segments",
]

WRITE_BATCH = 5_000  # measured: small transactions commit faster than 50k ones
READ_BATCH = 5_000


def read(
    driver: Driver, query: str, database: str | None = None, **parameters: Any
) -> list[dict[str, Any]]:
    """A read like :func:`srm.store.read`, without the server's notifications: analytics
    ask for relationship types (PART_OF, IN, …) a fresh graph may not have yet, which is
    an empty answer, not something to warn about."""

    def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
        return [record.data() for record in tx.run(query, parameters)]

    with (
        translate_errors(),
        driver.session(database=database, notifications_min_severity="OFF") as session,
    ):
        return session.execute_read(work)


def read_lists(
    driver: Driver, query: str, database: str | None = None, **parameters: Any
) -> list[dict[str, Any]]:
    """:func:`read` for statements that return numbers, strings and lists of them (never
    nodes): the values as the driver decoded them, without ``Record.data()``'s walk over
    every list item (measured: most of the client's time on a 200k-item list)."""

    def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
        return [
            dict(zip(record.keys(), record, strict=True)) for record in tx.run(query, parameters)
        ]

    with (
        translate_errors(),
        driver.session(database=database, notifications_min_severity="OFF") as session,
    ):
        return session.execute_read(work)


def write_rows(
    driver: Driver,
    query: str,
    rows: Iterable[Any],
    *,
    batch_size: int = WRITE_BATCH,
    database: str | None = None,
    writers: int = 1,
    **parameters: Any,
) -> int:
    """:func:`srm.store.write_batches` without notifications: write-back matches nodes by
    internal id (``id()``, deprecated in Cypher 25 but the fastest seek in 5.x) inside the
    run that read them. One managed transaction per batch; returns the rows written.

    ``writers`` > 1 writes batches side by side, each in its own session: only for
    statements whose batches touch disjoint nodes (properties of the rows' own nodes), so
    that no two transactions wait for each other's locks."""

    def work(tx: ManagedTransaction, chunk: list[Any]) -> None:
        tx.run(query, {**parameters, "rows": chunk}).consume()

    def write_chunk(chunk: list[Any]) -> int:
        with (
            translate_errors(),
            driver.session(database=database, notifications_min_severity="OFF") as session,
        ):
            session.execute_write(work, chunk)
        return len(chunk)

    if writers <= 1:
        return sum(write_chunk(chunk) for chunk in batched(rows, batch_size))
    with ThreadPoolExecutor(max_workers=writers) as pool:
        return sum(pool.map(write_chunk, batched(rows, batch_size)))


def row_digests(values: np.ndarray) -> np.ndarray:
    """A 64-bit digest of each row of float ``values`` (NaN for null): the rows' IEEE bits
    mixed with odd multipliers, so a change of any value in a row changes its digest
    (barring a 2^-64 coincidence)."""
    bits = np.ascontiguousarray(values, dtype=np.float64).view(np.uint64)
    multipliers = 0x9E3779B97F4A7C15 + 2 * np.arange(bits.shape[1], dtype=np.uint64)
    with np.errstate(over="ignore"):
        mixed = (bits ^ (bits >> np.uint64(29))) * multipliers
        digest = np.bitwise_xor.reduce(mixed + np.arange(bits.shape[1], dtype=np.uint64), axis=1)
    return digest.view(np.int64)


def surviving_runs(driver: Driver, keep: int, database: str | None) -> set[str]:
    """The influence runs the clean-up after this one keeps (this one included)."""
    newest = read(
        driver, statements.NEWEST_RUNS, database=database, algorithm="influence", keep=keep
    )
    return set(newest[0]["ids"]) if newest else set()


@dataclass(frozen=True)
class StoredDigests:
    """The digests the store holds (:func:`read_stored`): node ``ids[i]`` holds
    ``digests[i]`` and, when the statement says, ``explained[i]`` (it has an explanation)."""

    ids: np.ndarray
    digests: np.ndarray
    explained: np.ndarray

    def match(self, node_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per node of ``node_ids``: whether a digest is stored, the digest, and whether
        it holds an explanation; matched in numpy (a sort and a binary search)."""
        stamped = np.zeros(len(node_ids), dtype=bool)
        digests = np.zeros(len(node_ids), dtype=np.int64)
        explained = np.zeros(len(node_ids), dtype=bool)
        if len(node_ids) == 0 or len(self.ids) == 0:
            return stamped, digests, explained
        order = np.argsort(node_ids, kind="stable")
        sorted_ids = node_ids[order]
        slot = np.minimum(np.searchsorted(sorted_ids, self.ids), len(sorted_ids) - 1)
        found = sorted_ids[slot] == self.ids
        at = order[slot[found]]
        stamped[at] = True
        digests[at] = self.digests[found]
        explained[at] = self.explained[found]
        return stamped, digests, explained


def read_stored(
    driver: Driver,
    survivors: set[str],
    database: str | None,
    stored_statement: str = statements.STORED_INFLUENCE,
) -> StoredDigests:
    """The digests of the nodes stamped by one of the ``survivors`` runs (see
    :func:`srm.cypher.influence.stored_digests`; profiles by default, whose statement
    does not look at explanations: ``explained`` is then all false)."""
    ids: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    digests: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    explained: list[np.ndarray] = [np.zeros(0, dtype=bool)]
    if survivors:
        for record in read_lists(
            driver,
            stored_statement,
            database=database,
            page=READ_BATCH,
            survivors=sorted(survivors),
        ):
            ids.append(np.asarray(record["ids"], dtype=np.int64))
            digests.append(np.asarray(record["digests"], dtype=np.int64))
            explained.append(np.asarray(record["explained"], dtype=bool))
    return StoredDigests(np.concatenate(ids), np.concatenate(digests), np.concatenate(explained))


def unchanged(
    driver: Driver,
    node_ids: list[int] | np.ndarray,
    digests: np.ndarray,
    survivors: set[str],
    database: str | None,
    stored_statement: str = statements.STORED_INFLUENCE,
) -> np.ndarray:
    """Which rows already hold their values (same digest), stamped by one of the
    ``survivors`` runs (:func:`read_stored`; profiles by default)."""
    stored = read_stored(driver, survivors, database, stored_statement)
    stamped, held, _ = stored.match(np.asarray(node_ids, dtype=np.int64))
    return stamped & (held == digests)


def write_influence(
    driver: Driver,
    result: InfluenceResult,
    run_id: str,
    *,
    explain_top: int = 100,
    keep: int | None = None,
    batch_size: int = WRITE_BATCH,
    database: str | None = None,
) -> int:
    """Stamp every profile of the projection with its score, percentile, components and
    ``run_id``; the ``explain_top`` best also get ``influence_explanation`` (JSON), and no
    other profile keeps one. Returns the profiles written.

    With ``keep`` (the runs of the algorithm a clean-up keeps, this one included), only
    what changed since the last run is written: a profile whose stored digest
    (:func:`row_digests`) equals its new row's, stamped by a run the clean-up after this one
    keeps, is left as it is (its run id names the run that computed these values). Each
    property set costs 0.35–0.5 s on 200k profiles; the digest lets a re-run read two
    properties instead of seven. A profile whose stamp is about to be cleaned up is written
    again, so one run in ``keep`` rewrites an unchanged graph.

    Betweenness, the one component only computed when it has a weight, is written only
    then; otherwise it is removed, so a profile never shows a 0 nobody computed (or an
    older run's value) as this run's betweenness."""
    projection = result.projection
    computed = result.weights.get("betweenness", 0) > 0
    found = {
        Influence.SCORE: result.score,
        Influence.PERCENTILE: result.percentile,
        **{name: result.components[name.column] for name in INFLUENCE_COLUMNS[2:]},
    }
    if not computed:  # NaN here, sent as null
        found[Influence.BETWEENNESS] = np.full(projection.node_count, np.nan)
    # Rows follow INFLUENCE_COLUMNS (statements.SET_INFLUENCE is built from it); betweenness
    # is last there.
    values = np.column_stack([found[name] for name in INFLUENCE_COLUMNS]).astype(float)
    digests = row_digests(values)
    node_ids = projection.node_ids.tolist()
    changed: Iterable[int] = range(projection.node_count)
    if keep is not None:
        survivors = surviving_runs(driver, keep, database)
        changed = np.flatnonzero(
            ~unchanged(driver, node_ids, digests, survivors, database)
        ).tolist()
    columns, digest_list = values.tolist(), digests.tolist()
    rows = (
        [node_ids[v], digest_list[v], *columns[v]]
        if computed
        else [node_ids[v], digest_list[v], *columns[v][:-1], None]
        for v in changed
    )
    written = write_rows(
        driver,
        statements.SET_INFLUENCE,
        rows,
        batch_size=batch_size,
        database=database,
        writers=WORKERS,  # each row sets its own profile's properties: no shared locks
        run_id=run_id,
    )
    explanations = [
        [node_ids[v], json.dumps(explain(result, v), ensure_ascii=False)]
        for v in result.ranking(explain_top)
    ]
    write_rows(
        driver,
        statements.SET_INFLUENCE_EXPLANATION,
        explanations,
        batch_size=batch_size,
        database=database,
    )
    kept = [row[0] for row in explanations]
    write(driver, statements.CLEAR_INFLUENCE_EXPLANATIONS, database=database, kept=kept)
    return written


def write_communities(
    driver: Driver,
    projection: Projection,
    stable: StableIds,
    summaries: Sequence[CommunitySummary],
    run_id: str,
    algorithm: str,
    *,
    person_counts: Mapping[int, int] | None = None,
    batch_size: int = WRITE_BATCH,
    database: str | None = None,
) -> int:
    """Create the summarised communities of ``run_id`` (with ``person_count``, the persons
    among the members, when given) and link their members with IN. Members of communities
    without a summary (too small) get no link."""
    rows = [
        {
            "community_id": summary.community_id,
            "size": summary.size,
            "label": summary.label,
            "top_words": summary.top_words,
            "top_hashtags": summary.top_hashtags,
            "customer_share": summary.customer_share,
            "previous_overlap": summary.previous_overlap,
            "person_count": (person_counts or {}).get(summary.community_id),
        }
        for summary in summaries
    ]
    write_rows(
        driver,
        statements.CREATE_COMMUNITIES,
        rows,
        batch_size=batch_size,
        database=database,
        run_id=run_id,
        algorithm=algorithm,
    )
    kept = {summary.community_id for summary in summaries}
    node_ids = projection.node_ids.tolist()
    members = (
        [node_ids[v], community]
        for v, community in enumerate(stable.membership.tolist())
        if community in kept
    )
    return write_rows(
        driver,
        statements.LINK_COMMUNITY_MEMBERS,
        members,
        batch_size=batch_size,
        database=database,
        run_id=run_id,
    )


def previous_communities(
    driver: Driver, algorithm: str, *, database: str | None = None
) -> tuple[str | None, dict[str, int]]:
    """The latest finished run of ``algorithm`` and its ``profile_key → community_id``."""
    rows = read(driver, statements.LATEST_COMMUNITY_MEMBERS, database=database, algorithm=algorithm)
    if not rows:
        return None, {}
    return rows[0]["run_id"], {row["key"]: int(row["community_id"]) for row in rows}


def write_reach(
    driver: Driver, found: Iterable[Audience], run_id: str, *, database: str | None = None
) -> None:
    """``reach`` (within two hops) and ``reach_first_hop`` on each seed profile, and the
    same counted in persons (``reach_persons``, ``reach_first_hop_persons``)."""
    rows = [
        {
            "key": seed,
            "reach": audience.within_two_hops,
            "first_hop": audience.first_hop,
            "persons": audience.within_two_hops_persons,
            "first_hop_persons": audience.first_hop_persons,
        }
        for audience in found
        for seed in audience.seeds
    ]
    write_rows(
        driver, statements.SET_REACH, rows, batch_size=WRITE_BATCH, database=database, run_id=run_id
    )


def write_segments(
    driver: Driver, segments: BrandSegments, run_id: str, *, database: str | None = None
) -> int:
    """Segment nodes ``{segment_id: brand:name}`` with IN_SEGMENT links from their
    members; the brand's previous memberships are replaced."""
    rows = [
        {
            "segment_id": f"{segments.brand}:{name}",
            "brand": segments.brand,
            "name": name,
            "description": DESCRIPTIONS[name],
            "size": len(keys),
            "persons": len(segments.person_members.get(name, ())),
        }
        for name, keys in segments.members.items()
    ]
    write_rows(
        driver,
        statements.MERGE_SEGMENTS,
        rows,
        batch_size=WRITE_BATCH,
        database=database,
        run_id=run_id,
    )
    write(driver, statements.CLEAR_SEGMENT_MEMBERS, database=database, brand=segments.brand)
    links = (
        {"key": key, "segment_id": f"{segments.brand}:{name}"}
        for name, keys in segments.members.items()
        for key in sorted(keys)
    )
    return write_rows(
        driver, statements.LINK_SEGMENT_MEMBERS, links, batch_size=WRITE_BATCH, database=database
    )


def handles(driver: Driver, keys: Iterable[str], *, database: str | None = None) -> dict[str, str]:
    """``profile_key → handle`` (the key itself when the profile has no handle)."""
    found = _by_key(driver, statements.PROFILE_HANDLES, keys, "handle", database)
    return {key: handle or key for key, handle in found.items()}


def customer_profiles(driver: Driver, *, database: str | None = None) -> set[str]:
    return {row["key"] for row in read(driver, statements.CUSTOMER_PROFILES, database=database)}


def brands(driver: Driver, *, database: str | None = None) -> list[dict[str, Any]]:
    """Every brand: ``name``, ``is_own``, ``officials`` (profile keys)."""
    return read(driver, statements.BRANDS, database=database)


def engaged_by_brand(driver: Driver, *, database: str | None = None) -> dict[str, set[str]]:
    rows = read(driver, statements.BRAND_ENGAGED, database=database)
    return {row["brand"]: set(row["keys"]) for row in rows}


def person_profiles(driver: Driver, person_id: str, *, database: str | None = None) -> list[str]:
    rows = read(driver, statements.PERSON_PROFILES, database=database, person_id=person_id)
    return [row["key"] for row in rows]


def _by_key(
    driver: Driver, query: str, keys: Iterable[str], column: str, database: str | None
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for chunk in batched(sorted(set(keys)), READ_BATCH):
        for row in read(driver, query, database=database, ids=chunk):
            found[row["key"]] = row[column]
    return found


def followers_of(
    driver: Driver, keys: Iterable[str], *, database: str | None = None
) -> dict[str, list[str]]:
    """``profile_key → follower keys`` for ``keys`` (batched, one query per 5,000)."""
    return _by_key(driver, statements.FOLLOWERS_OF, keys, "followers", database)


def post_texts(
    driver: Driver, keys: Iterable[str], *, database: str | None = None
) -> dict[str, list[str]]:
    return _by_key(driver, statements.POST_TEXTS_OF_AUTHORS, keys, "texts", database)


def influence_of(
    driver: Driver, keys: Iterable[str], *, database: str | None = None
) -> dict[str, float]:
    found = _by_key(driver, statements.INFLUENCE_OF_KEYS, keys, Influence.SCORE.column, database)
    return {key: float(score) for key, score in found.items() if score is not None}


def _native(value: Any) -> datetime | None:
    """Neo4j temporal values as Python datetimes (ISO text from older loads too)."""
    if value is None:
        return None
    if hasattr(value, "to_native"):
        return value.to_native()
    return datetime.fromisoformat(str(value))


def cascade_posts(
    driver: Driver, post_key: str, *, database: str | None = None
) -> list[CascadePost]:
    """The root post and every post replying to, quoting or reposting it (transitively)."""
    rows = read(driver, statements.CASCADE_POSTS, database=database, key=post_key)
    return [
        CascadePost(
            key=row["key"],
            author=row["author"],
            created_at=_native(row["created_at"]),
            parent=row["parent"],
            kind=row["kind"],
        )
        for row in rows
    ]
