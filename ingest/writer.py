"""Write validated rows to Neo4j: batched ``UNWIND $rows … MERGE``, nodes before relationships.

:class:`GraphWriter` buffers rows by kind and writes a full buffer in one managed
transaction. Before a relationship batch is written every node buffer is flushed, and the
batch's transaction first MERGEs stub nodes for ends that are not loaded (marked
``is_stub``; a later row for them clears the flag), so relationship statements can MATCH
both ends by unique key. Every statement is an idempotent MERGE and the ``MENTIONED``
aggregate is recomputed from the posts rather than incremented, so a re-run, or a killed
job run again, ends in the same graph.

Statements live in :mod:`srm.cypher.ingest`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from neo4j import Driver, ManagedTransaction, Query
from srm.cypher import ingest as statements
from srm.ingest.bundle import normalise_handle
from srm.ingest.rows import BrandRow, CustomerRow, FollowRow, PostRow, ProfileRow

from srm.store import translate_errors

__all__ = ["GraphWriter", "WriteStats"]

Batch = list[tuple[str, list[dict[str, Any]]]]
CUSTOMER_FIELDS = ("first_name", "last_name", "email", "phone", "city", "company")
PROFILE_FIELDS = (
    "platform",
    "native_id",
    "display_name",
    "bio",
    "location",
    "url",
    "followers_count",
    "following_count",
    "posts_count",
)
CASCADES = (("reply_to_key", "REPLY_TO"), ("quote_of_key", "QUOTES"), ("repost_of_key", "REPOSTS"))


@dataclass
class WriteStats:
    """What a job wrote. ``loaded``: rows that created their node or relationship;
    ``updated``: rows that met an existing one (same input again → all updated)."""

    rows: int = 0
    loaded: int = 0
    updated: int = 0
    stubs: int = 0
    unfollowed: int = 0


def _utc(value: datetime | None) -> datetime | None:
    # Naive times are read as UTC so every timestamp in the graph compares with the others.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _stub(key: str) -> dict[str, Any]:
    platform, _, native_id = key.partition(":")
    return {"key": key, "platform": platform, "id": native_id}


class GraphWriter:
    """Buffer rows by kind and write them in batches (see the module docstring).

    ``snapshot``: follows are authoritative for their followers: after :meth:`close`,
    a follower's FOLLOWS edges not in this job are deleted. ``on_rows`` gets the number of
    input rows each written batch held (for progress bars).
    """

    def __init__(
        self,
        driver: Driver,
        *,
        batch_size: int = 10_000,
        database: str | None = None,
        snapshot: bool = False,
        on_rows: Callable[[int], None] | None = None,
    ) -> None:
        self.driver = driver
        self.batch_size = batch_size
        self.database = database
        self.snapshot_job = uuid.uuid4().hex if snapshot else None
        self.on_rows = on_rows
        self.stats = WriteStats()
        self._customers: list[CustomerRow] = []
        self._profiles: list[ProfileRow] = []
        self._brands: list[BrandRow] = []
        self._posts: list[PostRow] = []
        self._follows: list[FollowRow] = []

    def add(self, row: Any) -> None:
        """Queue one validated row; writes a batch when its buffer is full."""
        if isinstance(row, FollowRow):
            self._follows.append(row)
            if len(self._follows) >= self.batch_size:
                self._flush_nodes()
                self._flush_follows()
        elif isinstance(row, ProfileRow):
            self._profiles.append(row)
            if len(self._profiles) >= self.batch_size:
                self._flush_profiles()
        elif isinstance(row, PostRow):
            self._posts.append(row)
            if len(self._posts) >= self.batch_size:
                self._flush_nodes()
                self._flush_posts()
        elif isinstance(row, CustomerRow):
            self._customers.append(row)
            if len(self._customers) >= self.batch_size:
                self._flush_customers()
        elif isinstance(row, BrandRow):
            self._brands.append(row)
        else:
            raise TypeError(f"not a row the writer knows: {type(row).__name__}")

    def add_all(self, rows: Iterable[Any]) -> None:
        for row in rows:
            self.add(row)

    def close(self) -> WriteStats:
        """Write what is buffered, then (``--snapshot``) remove follows absent from it."""
        self._flush_nodes()
        self._flush_brands()
        self._flush_posts()
        self._flush_follows()
        if self.snapshot_job is not None:
            with translate_errors(), self.driver.session(database=self.database) as session:
                summary = session.run(
                    Query(statements.SWEEP_SNAPSHOT), {"job": self.snapshot_job}
                ).consume()
                self.stats.unfollowed += summary.counters.relationships_deleted
                session.run(Query(statements.CLEAR_SNAPSHOT_MARKS)).consume()
        return self.stats

    # -- batches -------------------------------------------------------------------------

    def _run(self, batch: Batch, input_rows: int, counted: int = 0) -> None:
        """Run ``batch`` (statement, rows) in one transaction; the ``counted``-th statement's
        creations are loaded rows, stub statements' creations are stubs."""

        def work(tx: ManagedTransaction) -> list[tuple[int, int]]:
            found = []
            for query, rows in batch:
                if rows:
                    counters = tx.run(query, {"rows": rows, "job": self.snapshot_job}).consume()
                    created = counters.counters
                    found.append((created.nodes_created, created.relationships_created))
                else:
                    found.append((0, 0))
            return found

        with translate_errors(), self.driver.session(database=self.database) as session:
            results = session.execute_write(work)
        for index, ((query, _rows), (nodes, relationships)) in enumerate(
            zip(batch, results, strict=True)
        ):
            if query in (statements.MERGE_STUB_PROFILES, statements.MERGE_STUB_POSTS):
                self.stats.stubs += nodes
            elif index == counted:
                created = nodes + relationships
                self.stats.loaded += created
                self.stats.updated += input_rows - created
        self.stats.rows += input_rows
        if self.on_rows:
            self.on_rows(input_rows)

    def _flush_nodes(self) -> None:
        self._flush_customers()
        self._flush_profiles()

    def _flush_customers(self) -> None:
        rows, self._customers = self._customers, []
        if not rows:
            return
        customers, claims = [], []
        for row in rows:
            props: dict[str, Any] = {name: getattr(row, name) for name in CUSTOMER_FIELDS}
            props["twitter_handle"] = normalise_handle(row.twitter_handle)
            props.update(row.extra)
            customers.append(
                {"id": row.customer_id, "props": {k: v for k, v in props.items() if v is not None}}
            )
            handles = dict(row.claimed_handles)
            if props["twitter_handle"]:
                handles["x"] = props["twitter_handle"]
            for platform, handle in handles.items():
                normalised = normalise_handle(handle)
                if normalised:
                    claims.append(
                        {"id": row.customer_id, "platform": platform, "handle": normalised}
                    )
        self._run(
            [(statements.MERGE_CUSTOMERS, customers), (statements.LINK_CLAIMS_BY_HANDLE, claims)],
            len(rows),
        )

    def _flush_profiles(self) -> None:
        rows, self._profiles = self._profiles, []
        if not rows:
            return
        profiles, claims = [], []
        for row in rows:
            key = row.profile_key
            props: dict[str, Any] = {name: getattr(row, name) for name in PROFILE_FIELDS}
            props["handle"] = normalise_handle(row.handle)
            props["created_at"] = _utc(row.created_at)
            profiles.append(
                {
                    "key": key,
                    "props": {k: v for k, v in props.items() if v is not None},
                    "truncated": row.truncated_fields or None,
                }
            )
            if row.platform == "x" and props["handle"]:
                claims.append({"key": key, "handle": props["handle"]})
        self._run(
            [(statements.MERGE_PROFILES, profiles), (statements.LINK_CLAIMS_FROM_PROFILES, claims)],
            len(profiles),
        )

    def _flush_brands(self) -> None:
        rows, self._brands = self._brands, []
        if not rows:
            return
        brands, official, by_handle = [], [], []
        for row in rows:
            brands.append({"name": row.name, "is_own": row.is_own})
            official += [{"brand": row.name, "key": key} for key in row.official_keys]
            for reference in row.official_handles:
                platform, _, handle = reference.partition(":")
                by_handle.append(
                    {"brand": row.name, "platform": platform, "handle": normalise_handle(handle)}
                )
        stubs = [_stub(item["key"]) for item in official]
        self._run(
            [
                (statements.MERGE_BRANDS, brands),
                (statements.MERGE_STUB_PROFILES, stubs),
                (statements.LINK_OFFICIAL, official),
                (statements.LINK_OFFICIAL_BY_HANDLE, by_handle),
            ],
            len(rows),
        )

    def _flush_follows(self) -> None:
        rows, self._follows = self._follows, []
        if not rows:
            return
        keys = {row.follower_key for row in rows} | {row.followed_key for row in rows}
        follows = [{"a": row.follower_key, "b": row.followed_key} for row in rows]
        link = statements.LINK_FOLLOWS_SNAPSHOT if self.snapshot_job else statements.LINK_FOLLOWS
        stubs = [_stub(key) for key in sorted(keys)]
        self._run([(statements.MERGE_STUB_PROFILES, stubs), (link, follows)], len(follows), 1)

    def _flush_posts(self) -> None:
        rows, self._posts = self._posts, []
        if not rows:
            return
        posts, posted, mentions, targets = [], [], [], set()
        cascades: dict[str, list[dict[str, str]]] = {kind: [] for _, kind in CASCADES}
        pairs: set[tuple[str, str]] = set()
        for row in rows:
            key = row.post_key
            props = {
                "platform": row.platform,
                "native_id": row.native_id,
                "created_at": _utc(row.created_at),
                "text": row.text,
            }
            posts.append(
                {
                    "key": key,
                    "props": {k: v for k, v in props.items() if v is not None},
                    "truncated": row.truncated_fields or None,
                }
            )
            posted.append({"author": row.author_key, "key": key})
            for mentioned in dict.fromkeys(row.mentioned_keys):
                mentions.append({"post": key, "profile": mentioned})
                pairs.add((row.author_key, mentioned))
            for field, kind in CASCADES:
                target = getattr(row, field)
                if target:
                    cascades[kind].append({"post": key, "target": target})
                    targets.add(target)
        profile_stubs = {row["author"] for row in posted} | {row["profile"] for row in mentions}
        batch: Batch = [
            (statements.MERGE_POSTS, posts),
            (statements.MERGE_STUB_PROFILES, [_stub(key) for key in sorted(profile_stubs)]),
            (statements.MERGE_STUB_POSTS, [_stub(key) for key in sorted(targets)]),
            (statements.LINK_POSTED, posted),
            (statements.LINK_MENTIONS, mentions),
            *[(statements.CASCADE_STATEMENTS[kind], cascades[kind]) for _, kind in CASCADES],
            (statements.RECOMPUTE_MENTIONED, [{"a": a, "b": b} for a, b in sorted(pairs)]),
        ]
        self._run(batch, len(posts))
