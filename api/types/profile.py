"""Profile: one social media account, its links and its neighbourhood as connections."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from srm.api.context import Info
from srm.api.services.records import Page
from srm.api.types.paging import PageInfo, encode_cursor, page_info, window
from srm.api.values import iso

if TYPE_CHECKING:
    from srm.api.types.community import Community
    from srm.api.types.customer import Customer
    from srm.api.types.influence import InfluenceScore
    from srm.api.types.person import Person
    from srm.api.types.post import PostConnection

__all__ = ["UNKNOWN", "Profile", "ProfileConnection", "ProfileEdge", "profile_connection"]


class _Unknown:
    """Marks a link that the statement which found the record did not fetch."""


UNKNOWN = _Unknown()


@strawberry.type(description="A social media account (key: platform:native_id).")
class Profile:
    record: strawberry.Private[dict[str, Any]]
    id: strawberry.ID = strawberry.field(description="The profile key, 'platform:native_id'.")
    platform: str | None
    handle: str | None
    display_name: str | None
    bio: str | None
    location: str | None
    url: str | None
    followers_count: int | None = strawberry.field(
        description="Followers as reported by the platform."
    )
    # The influence when the statement that found the profile already fetched it.
    known_influence: strawberry.Private[dict[str, Any] | None] = None
    influence_known: strawberry.Private[bool] = False

    @classmethod
    def from_record(
        cls, record: dict[str, Any], influence: dict[str, Any] | _Unknown | None = UNKNOWN
    ) -> Profile:
        # Plain attributes, not resolvers: a page of 100 profiles stays cheap to serialise.
        return cls(
            record=record,
            known_influence=None if isinstance(influence, _Unknown) else influence,
            influence_known=not isinstance(influence, _Unknown),
            id=strawberry.ID(record["profile_key"]),
            platform=record.get("platform"),
            handle=record.get("handle"),
            display_name=record.get("display_name"),
            bio=record.get("bio"),
            location=record.get("location"),
            url=record.get("url"),
            followers_count=record.get("followers_count"),
        )

    @classmethod
    def of(cls, record: dict[str, Any] | None) -> Profile | None:
        return cls.from_record(record) if record is not None else None

    @strawberry.field
    def created_at(self, info: Info) -> str | None:
        if "created_at" in self.record or "short_score" not in self.record:
            return iso(self.record.get("created_at"))
        # Read apart, batched per level, only when selected (srm.cypher.api_fields).
        return self._load_created_at(info)  # type: ignore[return-value]

    async def _load_created_at(self, info: Info) -> Any:
        return iso(await info.context.profile_created_at.load(self.record["profile_key"]))

    @strawberry.field(description="The person this account resolves to (identity resolution).")
    async def person(
        self, info: Info
    ) -> Annotated[Person, strawberry.lazy("srm.api.types.person")] | None:
        from srm.api.types.person import Person

        return Person.of(await info.context.link("Profile", self.record["profile_key"], "person"))

    @strawberry.field(description="CRM customers that claim this account or share its person.")
    async def customers(
        self, info: Info
    ) -> list[Annotated[Customer, strawberry.lazy("srm.api.types.customer")]]:
        from srm.api.types.customer import Customer

        found = await info.context.link("Profile", self.record["profile_key"], "customers")
        return [Customer.from_record(record) for record in found]

    @strawberry.field(description="Influence score of the latest run, with its inputs.")
    def influence(
        self, info: Info
    ) -> Annotated[InfluenceScore, strawberry.lazy("srm.api.types.influence")] | None:
        from srm.api.types.influence import InfluenceScore

        if self.influence_known:
            return InfluenceScore.of(self.known_influence)
        if "short_score" in self.record:
            # The statement read the short score (srm.cypher.api_fields); InfluenceScore
            # reads the rest, batched, only if the query selects it.
            return InfluenceScore.of(self.record["short_score"])
        # Not async on purpose: a prefetched score (a ranked page of 100) is returned without
        # a coroutine per profile; otherwise GraphQL awaits the batched DataLoader lookup.
        return self._load_influence(info)

    async def _load_influence(self, info: Info) -> Any:
        from srm.api.types.influence import InfluenceScore

        found = await info.context.link("Profile", self.record["profile_key"], "influence")
        return InfluenceScore.of(found)

    @strawberry.field(description="Community of the latest community-detection run.")
    async def community(
        self, info: Info
    ) -> Annotated[Community, strawberry.lazy("srm.api.types.community")] | None:
        from srm.api.types.community import Community

        found = await info.context.link("Profile", self.record["profile_key"], "community")
        return Community.of(found)

    @strawberry.field(description="Profiles that follow this one, by profile key.")
    async def followers(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> ProfileConnection:
        offset, first = window(first, after)
        page = await info.context.followers.load((self.record["profile_key"], offset, first))
        return profile_connection(page, offset, first)

    @strawberry.field(description="Profiles this one follows, by profile key.")
    async def following(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> ProfileConnection:
        offset, first = window(first, after)
        page = await info.context.following.load((self.record["profile_key"], offset, first))
        return profile_connection(page, offset, first)

    @strawberry.field(description="Posts by this profile, newest first.")
    async def posts(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Annotated[PostConnection, strawberry.lazy("srm.api.types.post")]:
        from srm.api.types.post import post_connection

        offset, first = window(first, after)
        page = await info.context.posts.load((self.record["profile_key"], offset, first))
        return post_connection(page, offset, first)

    @strawberry.field(description="Posts that mention this profile, newest first.")
    async def mentions(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Annotated[PostConnection, strawberry.lazy("srm.api.types.post")]:
        from srm.api.types.post import post_connection

        offset, first = window(first, after)
        page = await info.context.mentions.load((self.record["profile_key"], offset, first))
        return post_connection(page, offset, first)


@strawberry.type
class ProfileEdge:
    cursor: str
    node: Profile


@strawberry.type(description="A page of profiles (Relay connection).")
class ProfileConnection:
    edges: list[ProfileEdge]
    page_info: PageInfo
    total_count: int | None = strawberry.field(
        description="All items of the list (null for ranked lists that are not counted)."
    )


def profile_connection(page: Page, offset: int, first: int) -> ProfileConnection:
    records = page.records[:first]
    return ProfileConnection(
        edges=[
            ProfileEdge(cursor=encode_cursor(offset + index), node=Profile.from_record(record))
            for index, record in enumerate(records)
        ],
        page_info=page_info(offset, len(records), len(page.records) > first),
        total_count=page.total,
    )
