"""The per-request GraphQL context: the injected drivers and settings, the caller, and one
DataLoader per child lookup so each level of a query is one Cypher round trip (no N+1)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, TypeVar

from anyio import to_thread
from neo4j import AsyncDriver, Driver
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext
from strawberry.types import Info as StrawberryInfo

from srm.api.jobs import AnalysisJobs
from srm.api.security import Principal
from srm.api.services import analytics, records
from srm.cypher import api_analytics, api_network, api_persons, api_records
from srm.errors import StoreUnavailable
from srm.settings import Settings

__all__ = ["Context", "Info", "Reads"]

T = TypeVar("T")
PageKey = tuple[str, int, int]


class Context(BaseContext):
    """What every resolver gets as ``info.context``."""

    def __init__(
        self,
        driver: Driver,
        reader: AsyncDriver,
        settings: Settings,
        principal: Principal,
        jobs: AnalysisJobs,
    ) -> None:
        super().__init__()
        self.jobs = jobs
        # Blocking work (writes, identity review) runs on ``driver`` in worker threads
        # (:meth:`call`); reads await the asyncio driver ``reader`` on the loop (:meth:`read`).
        self.driver = driver
        self.settings = settings
        self.principal = principal
        self.database = settings.neo4j_database
        self.reads = reads = Reads(reader, self.database)
        # srm.api.selection's per-request answers, by field node and path.
        self.selection_cache: dict[tuple[int, str, tuple[str, ...]], bool] = {}

        def keyed(query: str) -> DataLoader[str, dict[str, Any] | None]:
            return DataLoader(load_fn=partial(reads.batch, records.keyed_records, query))

        def lists(query: str) -> DataLoader[str, list[dict[str, Any]]]:
            return DataLoader(load_fn=partial(reads.batch, records.keyed_lists, query))

        def paged(query: str) -> DataLoader[PageKey, records.Page]:
            return DataLoader(load_fn=partial(reads.batch, records.pages, query))

        self.customer = keyed(api_records.CUSTOMERS_BY_ID)
        self.profile = keyed(api_records.PROFILES_BY_KEY)
        self.profile_created_at = keyed(api_records.PROFILE_CREATED_AT)
        self.person = keyed(api_records.PERSONS_BY_ID)
        self.post = keyed(api_records.POSTS_BY_KEY)
        self.brand = keyed(api_records.BRANDS_BY_NAME)
        self.run_by_id = keyed(api_analytics.RUNS_BY_ID)
        self.official_profiles = lists(api_records.OFFICIAL_PROFILES_OF_BRANDS)
        self.person_communities = lists(api_persons.PERSON_COMMUNITIES)
        # Followers pages by whether the query selects the followers' free-text properties
        # (srm.api.selection.selects_profile_text): a page read without them has a loader
        # of its own, so it never answers a selection of the same page that asks for them.
        self.followers = {
            True: paged(api_network.FOLLOWERS_PAGES),
            False: paged(api_network.FOLLOWERS_PAGES_NO_TEXT),
        }
        # A profile by key with its first page of followers, when a query selects both
        # (Query.profile primes self.profile and the followers loader with the answer).
        self.profile_followers: dict[
            bool, DataLoader[PageKey, tuple[dict[str, Any] | None, records.Page]]
        ] = {
            text: DataLoader(load_fn=partial(reads.batch, records.records_with_pages, statement))
            for text, statement in (
                (True, api_network.PROFILES_WITH_FOLLOWERS_PAGES),
                (False, api_network.PROFILES_WITH_FOLLOWERS_PAGES_NO_TEXT),
            )
        }
        self.following = paged(api_network.FOLLOWING_PAGES)
        self.posts = paged(api_network.POSTS_PAGES)
        self.mentions = paged(api_network.MENTIONS_PAGES)
        self.amplifications = paged(api_network.AMPLIFICATIONS_PAGES)
        self.links: DataLoader[tuple[str, str, str], Any] = DataLoader(
            load_fn=partial(reads.batch, records.links)
        )
        self.community_members: DataLoader[tuple[str, str, int], list[dict[str, Any]]] = DataLoader(
            load_fn=partial(reads.batch, analytics.community_members)
        )

    async def link(self, label: str, key: str, part: str) -> Any:
        """A record's ``part`` (person, customers, profiles, community, influence); all links
        asked for at one level of a query share one statement (srm.cypher.api_links)."""
        return await self.links.load((label, key, part))

    async def read(self, function: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        """Await a read service (``function(reader, database, …)``, srm.api.services); see
        :meth:`Reads.read`."""
        return await self.reads.read(function, *args, **kwargs)

    async def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a blocking function (``function(driver, database, …)``) in a worker thread,
        failing at once as :meth:`Reads.read` does once the store was found unavailable."""
        reads = self.reads
        if reads.store_unavailable is not None:
            raise reads.store_unavailable
        try:
            return await to_thread.run_sync(
                partial(function, self.driver, self.database, *args, **kwargs)
            )
        except StoreUnavailable as error:
            reads.store_unavailable = error
            raise


class Reads:
    """One request's reads: the asyncio driver, the database, and whether the store was found
    unavailable. The DataLoaders' batch functions hold this, not the Context: functions
    that held their Context (which holds the loaders) made each request's objects a
    reference cycle, freed only by the garbage collector, whose collections then took a
    fifth of the API's CPU under load."""

    __slots__ = ("database", "reader", "store_unavailable")

    def __init__(self, reader: AsyncDriver, database: str) -> None:
        self.reader = reader
        self.database = database
        self.store_unavailable: StoreUnavailable | None = None

    async def read(self, function: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        """``await function(reader, database, …)``.

        Once a read of this request found the store unavailable, later reads and calls of
        the same request fail at once with that error instead of waiting out the timeouts
        again (a query that graphql-core executes again after the compiled walk failed,
        srm.api.compiled, would otherwise wait twice)."""
        if self.store_unavailable is not None:
            raise self.store_unavailable
        try:
            return await function(self.reader, self.database, *args, **kwargs)
        except StoreUnavailable as error:
            self.store_unavailable = error
            raise

    async def batch(self, function: Callable[..., Awaitable[T]], *args: Any) -> T:
        """A DataLoader's batch function: ``function`` read with ``args``, whose last one
        (the batch's keys) passed as a list."""
        *fixed, keys = args
        return await self.read(function, *fixed, list(keys))


Info = StrawberryInfo[Context, None]
