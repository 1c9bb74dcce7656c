"""Write validated rows to Neo4j: batched ``UNWIND $rows … MERGE``, nodes before relationships.

:class:`GraphWriter` buffers rows by kind and hands each full buffer, as one transaction,
to a :class:`~srm.ingest.batches.BatchRunner` (background threads, so reading overlaps
writing and consecutive batches of profiles or customers are written side by side).
Before a relationship batch is queued every node buffer is flushed; ends that are not
loaded become stub nodes (``is_stub``; a later row for them clears the flag).
Every statement is an idempotent MERGE and the ``MENTIONED`` aggregate is recomputed from
the posts rather than incremented, so a re-run, or a killed job run again, ends in the
same graph.

Statements live in :mod:`srm.cypher.ingest`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from neo4j import Driver, Query

from srm.cypher import ingest as statements
from srm.ingest.batches import BatchRunner, Outcome, Step
from srm.ingest.readers.bundle import normalise_handle
from srm.ingest.rows import BrandRow, CustomerRow, FollowBlock, FollowRow, PostRow, ProfileRow
from srm.operations.suppression import phone_digits
from srm.store import translate_errors

__all__ = ["GraphWriter", "WriteStats"]

CUSTOMER_FIELDS = ("first_name", "last_name", "email", "phone", "city", "company")
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


def _iso(value: datetime | None) -> str | None:
    """``value`` as ISO-8601 text for Cypher's ``datetime()`` (see srm.cypher.ingest).

    Naive times are read as UTC so every timestamp in the graph compares with the others.
    """
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def customer_properties(row: CustomerRow) -> tuple[dict[str, Any], dict[str, str]]:
    """A customer row's node properties and its claimed handles (platform → normalised
    handle), as both the Bolt writer and the importer's files store them."""
    props: dict[str, Any] = {name: getattr(row, name) for name in CUSTOMER_FIELDS}
    props.update(row.extra)
    if row.phone:
        # Lookups by phone (REST enrichment) match on this, whatever the spacing.
        props["phone_digits"] = phone_digits(row.phone) or None
    handles = dict(row.claimed_handles)
    if row.twitter_handle:
        handles["x"] = row.twitter_handle
    # Claimed handles are kept on the customer (indexed per platform) so a profile loaded
    # later finds its claimant: CLAIMS links in either load order.
    claimed: dict[str, str] = {}
    for platform, handle in handles.items():
        normalised = normalise_handle(handle)
        if normalised and platform in statements.CLAIM_PROPERTIES:
            props[statements.CLAIM_PROPERTIES[platform]] = normalised
            claimed[platform] = normalised
    return props, claimed


def profile_values(row: ProfileRow, handle: str | None) -> list[Any]:
    """A profile row's columns in ``statements.PROFILE_ROW`` order, between its key and
    its creation time (each writer writes those two its own way)."""
    return [
        row.platform, row.native_id, handle, row.display_name, row.bio, row.location,
        row.url, row.followers_count, row.following_count, row.posts_count,
        row.truncated_fields or None,
    ]  # fmt: skip


def _by_author(pairs: set[tuple[str, str]]) -> list[dict[str, Any]]:
    """(author, mentioned) pairs as one row per author with the profiles it mentioned, in
    key order (statements.RECOMPUTE_MENTIONED)."""
    rows: dict[str, list[str]] = {}
    for author, mentioned in sorted(pairs):
        rows.setdefault(author, []).append(mentioned)
    return [{"a": author, "mentioned": mentioned} for author, mentioned in rows.items()]


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
        self._follows: list[tuple[str, str]] = []  # (follower key, followed key)
        # Platforms where some customer claims a handle: only their profiles look for a
        # claimant (customers of this job add theirs as they are queued, see _flush_customers).
        with translate_errors(), driver.session(database=database) as session:
            found = session.run(Query(statements.CLAIMANT_PLATFORMS)).single(strict=True)
        self._claimed_platforms = {platform for platform, claimed in found.items() if claimed}
        self._runner = BatchRunner(
            driver, database=database, parameters={"job": self.snapshot_job}, on_done=self._done
        )

    def add(self, row: Any) -> None:
        """Queue one validated row; writes a batch when its buffer is full."""
        if type(row) is FollowBlock or isinstance(row, FollowRow):
            if type(row) is FollowBlock:
                self._follows.extend(row.pairs)
            else:
                self._follows.append((row.follower_key, row.followed_key))
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
        self._runner.close()
        if self.snapshot_job is not None:
            with translate_errors(), self.driver.session(database=self.database) as session:
                summary = session.run(
                    Query(statements.SWEEP_SNAPSHOT), {"job": self.snapshot_job}
                ).consume()
                self.stats.unfollowed += summary.counters.relationships_deleted
                session.run(Query(statements.CLEAR_SNAPSHOT_MARKS)).consume()
        return self.stats

    # -- batches -------------------------------------------------------------------------

    def _done(self, outcome: Outcome, input_rows: int) -> None:
        # Runs on the writer thread, one batch at a time.
        self.stats.loaded += outcome.created
        self.stats.updated += max(0, input_rows - outcome.created)
        self.stats.stubs += outcome.stubs
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
            props, claimed = customer_properties(row)
            for platform, handle in claimed.items():
                self._claimed_platforms.add(platform)
                claims.append({"id": row.customer_id, "platform": platform, "handle": handle})
            customers.append(
                {"id": row.customer_id, "props": {k: v for k, v in props.items() if v is not None}}
            )
        self._runner.submit(
            [
                Step(statements.MERGE_CUSTOMERS, customers, counted=True),
                Step(statements.LINK_CLAIMS_BY_HANDLE, claims),
            ],
            len(rows),
            group="customers",
            keys=frozenset(customer["id"] for customer in customers),
        )

    def _flush_profiles(self) -> None:
        rows, self._profiles = self._profiles, []
        if not rows:
            return
        profiles: list[list[Any]] = []
        claims: dict[str, list[dict[str, str]]] = {}
        for row in rows:
            key = row.profile_key
            handle = normalise_handle(row.handle)
            # statements.PROFILE_ROW order (a test checks each column lands in its property)
            profiles.append([key, *profile_values(row, handle), _iso(row.created_at)])
            if handle and row.platform in self._claimed_platforms:
                claims.setdefault(row.platform, []).append({"key": key, "handle": handle})
        self._runner.submit(
            [
                Step(statements.MERGE_PROFILES, profiles, counted=True),
                *(
                    Step(statements.LINK_CLAIMS_FROM_PROFILES[platform], platform_claims)
                    for platform, platform_claims in sorted(claims.items())
                ),
            ],
            len(profiles),
            group="profiles",
            keys=frozenset(profile[0] for profile in profiles),
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
        self._runner.submit(
            [
                Step(statements.MERGE_BRANDS, brands, counted=True),
                Step(statements.LINK_OFFICIAL, official, ends=(("key", "profile"),)),
                Step(statements.LINK_OFFICIAL_BY_HANDLE, by_handle),
            ],
            len(rows),
        )

    def _flush_follows(self) -> None:
        rows, self._follows = self._follows, []
        if not rows:
            return
        # Inputs list a follower's follows together: consecutive rows of one follower are
        # sent as one [follower, [followed, …]] row, each followed key as its index in
        # the batch's list of distinct targets (statements.LINK_FOLLOWS).
        follows: list[list[Any]] = []
        targets: dict[str, int] = {}
        for follower, followed in rows:
            index = targets.setdefault(followed, len(targets))
            if follows and follows[-1][0] == follower:
                follows[-1][1].append(index)
            else:
                follows.append([follower, [index]])
        link = statements.LINK_FOLLOWS_SNAPSHOT if self.snapshot_job else statements.LINK_FOLLOWS
        step = Step(
            link,
            follows,
            ends=((0, "profile"), ("targets", "profile")),
            counted=True,
            links=len(rows),
            parameters={"targets": list(targets)},
        )
        self._runner.submit([step], len(rows))

    def _flush_posts(self) -> None:
        rows, self._posts = self._posts, []
        if not rows:
            return
        posts, posted, mentions = [], [], []
        cascades: dict[str, list[dict[str, str]]] = {kind: [] for _, kind in CASCADES}
        pairs: set[tuple[str, str]] = set()
        for row in rows:
            key = row.post_key
            props = {
                "platform": row.platform,
                "native_id": row.native_id,
                "text": row.text,
            }
            posts.append(
                {
                    "key": key,
                    "props": {k: v for k, v in props.items() if v is not None},
                    "truncated": row.truncated_fields or None,
                    "created_at": _iso(row.created_at),
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
        steps = [
            Step(statements.MERGE_POSTS, posts, counted=True),
            Step(statements.LINK_POSTED, posted, ends=(("author", "profile"),)),
            Step(statements.LINK_MENTIONS, mentions, ends=(("profile", "profile"),)),
            *[
                Step(
                    statements.CASCADE_STATEMENTS[kind], cascades[kind], ends=(("target", "post"),)
                )
                for _, kind in CASCADES
            ],
            Step(statements.RECOMPUTE_MENTIONED, _by_author(pairs)),
        ]
        self._runner.submit(steps, len(posts))
