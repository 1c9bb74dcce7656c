"""The linked records of the graph as GraphQL types: profiles, CRM customers, persons,
communities and posts.

They sit in one module because they reference each other both ways — a profile's person
lists the person's profiles and customers, a community its member profiles and a profile its
community, a post its author and a profile its posts — so in separate modules they imported
each other in a cycle. Types that only point at these (brands, networks, merge candidates)
import them from here; the influence and run types they point at sit below.

``Customer.email`` and ``Customer.phone`` are personal data: role-gated per field.
"""

from __future__ import annotations

from typing import Any

import strawberry

from srm.api.context import Info
from srm.api.executor import UNANSWERED, answers_from_source
from srm.api.limits import check_first
from srm.api.selection import selects_profile_text
from srm.api.services.records import Page
from srm.api.types.influence import InfluenceScore
from srm.api.types.paging import PageInfo, edges_of, window
from srm.api.types.person_influence import PersonInfluence
from srm.api.values import iso

__all__ = [
    "UNKNOWN",
    "Community",
    "Customer",
    "Person",
    "PersonCommunity",
    "Post",
    "PostConnection",
    "PostEdge",
    "Profile",
    "ProfileConnection",
    "ProfileEdge",
    "post_connection",
    "profile_connection",
    "require_contact_access",
]


def require_contact_access(info: Info, field: str) -> None:
    """Marketers never receive email or phone: a 403 error on the field, value withheld."""
    info.context.principal.require("analyst", "admin", action=f"read personal data ({field})")


@strawberry.type(description="A CRM customer record.")
class Customer:
    record: strawberry.Private[dict[str, Any]]
    id: strawberry.ID = strawberry.field(description="The CRM's customer id.")
    first_name: str | None
    last_name: str | None
    city: str | None
    company: str | None

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Customer:
        return cls(
            record=record,
            id=strawberry.ID(record["customer_id"]),
            first_name=record.get("first_name"),
            last_name=record.get("last_name"),
            city=record.get("city"),
            company=record.get("company"),
        )

    @classmethod
    def of(cls, record: dict[str, Any] | None) -> Customer | None:
        return cls.from_record(record) if record is not None else None

    @strawberry.field(description="Personal data: analyst and admin roles only.")
    def email(self, info: Info) -> str | None:
        require_contact_access(info, "Customer.email")
        return self.record.get("email")

    @strawberry.field(description="Personal data: analyst and admin roles only.")
    def phone(self, info: Info) -> str | None:
        require_contact_access(info, "Customer.phone")
        return self.record.get("phone")

    @strawberry.field(description="Profiles the CRM row claims, and those of the same person.")
    async def profiles(self, info: Info) -> list[Profile]:
        found = await info.context.link("Customer", self.record["customer_id"], "profiles")
        return [Profile.from_record(record) for record in found]

    @strawberry.field(description="The person this record resolves to.")
    async def person(self, info: Info) -> Person | None:
        return Person.of(await info.context.link("Customer", self.record["customer_id"], "person"))


@strawberry.type(description="A person: what several CRM records and accounts resolve to.")
class Person:
    record: strawberry.Private[dict[str, Any]]
    id: strawberry.ID = strawberry.field(description="Stable person id.")
    name: str | None

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Person:
        return cls(
            record=record,
            id=strawberry.ID(record["person_id"]),
            name=record.get("name") or record.get("display_name"),
        )

    @classmethod
    def of(cls, record: dict[str, Any] | None) -> Person | None:
        return cls.from_record(record) if record is not None else None

    @strawberry.field(
        description="Influence over all the person's accounts from the latest influence run "
        "(null when no run scored it)."
    )
    def influence(self) -> PersonInfluence | None:
        return PersonInfluence.of(self.record)

    @strawberry.field(
        description="Communities of the latest community run holding the person's accounts, "
        "most accounts first; two or more make the person a bridge."
    )
    async def communities(self, info: Info) -> list[PersonCommunity]:
        found = await info.context.person_communities.load(self.record["person_id"])
        return [
            PersonCommunity(
                community=Community(record=place["community"]),
                accounts=place["accounts"],
                share=place["share"],
            )
            for place in found
        ]

    @strawberry.field(description="True when the person's accounts fall in several communities.")
    async def bridge(self, info: Info) -> bool:
        return len(await info.context.person_communities.load(self.record["person_id"])) > 1

    @strawberry.field(description="All social accounts of this person.")
    async def accounts(self, info: Info) -> list[Profile]:
        found = await info.context.link("Person", self.record["person_id"], "profiles")
        return [Profile.from_record(record) for record in found]

    @strawberry.field(description="All CRM records of this person.")
    async def customers(self, info: Info) -> list[Customer]:
        found = await info.context.link("Person", self.record["person_id"], "customers")
        return [Customer.from_record(record) for record in found]


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
    async def person(self, info: Info) -> Person | None:
        return Person.of(await info.context.link("Profile", self.record["profile_key"], "person"))

    @strawberry.field(description="CRM customers that claim this account or share its person.")
    async def customers(self, info: Info) -> list[Customer]:
        found = await info.context.link("Profile", self.record["profile_key"], "customers")
        return [Customer.from_record(record) for record in found]

    def _known_influence(self) -> Any:
        """The influence the statement that found the profile fetched, else UNANSWERED."""
        if self.influence_known:
            return InfluenceScore.of(self.known_influence)
        if "short_score" in self.record:
            # The statement read the short score (srm.cypher.api_fields); InfluenceScore
            # reads the rest, batched, only if the query selects it.
            return InfluenceScore.of(self.record["short_score"])
        return UNANSWERED

    @strawberry.field(description="Influence score of the latest run, with its inputs.")
    @answers_from_source(_known_influence)
    def influence(self, info: Info) -> InfluenceScore | None:
        known = self._known_influence()
        if known is not UNANSWERED:
            return known
        # Not async on purpose: a prefetched score (a ranked page of 100) is returned without
        # a coroutine per profile; otherwise GraphQL awaits the batched DataLoader lookup.
        return self._load_influence(info)

    async def _load_influence(self, info: Info) -> Any:
        found = await info.context.link("Profile", self.record["profile_key"], "influence")
        return InfluenceScore.of(found)

    @strawberry.field(description="Community of the latest community-detection run.")
    async def community(self, info: Info) -> Community | None:
        found = await info.context.link("Profile", self.record["profile_key"], "community")
        return Community.of(found)

    @strawberry.field(description="Profiles that follow this one, by profile key.")
    async def followers(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> ProfileConnection:
        offset, first = window(first, after)
        loader = info.context.followers[selects_profile_text(info, "edges", "node")]
        page = await loader.load((self.record["profile_key"], offset, first))
        return profile_connection(page, offset, first)

    @strawberry.field(description="Profiles this one follows, by profile key.")
    async def following(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> ProfileConnection:
        offset, first = window(first, after)
        page = await info.context.following.load((self.record["profile_key"], offset, first))
        return profile_connection(page, offset, first)

    @strawberry.field(description="Posts by this profile, newest first.")
    async def posts(self, info: Info, first: int = 20, after: str | None = None) -> PostConnection:
        offset, first = window(first, after)
        page = await info.context.posts.load((self.record["profile_key"], offset, first))
        return post_connection(page, offset, first)

    @strawberry.field(description="Posts that mention this profile, newest first.")
    async def mentions(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> PostConnection:
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
    edges, info = edges_of(
        page.records,
        offset,
        first,
        lambda cursor, record: ProfileEdge(cursor=cursor, node=Profile.from_record(record)),
    )
    return ProfileConnection(edges=edges, page_info=info, total_count=page.total)


@strawberry.type(description="A community of profiles from a community-detection run.")
class Community:
    record: strawberry.Private[dict[str, Any]]

    @classmethod
    def of(cls, record: dict[str, Any] | None) -> Community | None:
        return cls(record=record) if record is not None else None

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.record["community_id"]))

    @strawberry.field
    def run_id(self) -> str:
        return str(self.record["run_id"])

    @strawberry.field(description="A label from the members' most frequent words.")
    def label(self) -> str | None:
        return self.record.get("label") or self.record.get("name")

    @strawberry.field
    def top_words(self) -> list[str] | None:
        return self.record.get("top_words")

    @strawberry.field
    def top_hashtags(self) -> list[str] | None:
        return self.record.get("top_hashtags")

    @strawberry.field(description="Share of members linked to a CRM customer (0–1).")
    def customer_share(self) -> float | None:
        return self.record.get("customer_share")

    @strawberry.field
    def algorithm(self) -> str | None:
        return self.record.get("algorithm")

    @strawberry.field(description="Number of member profiles.")
    def size(self) -> int | None:
        return self.record.get("size")

    @strawberry.field(
        description="Persons among the members: a person's accounts once, an account "
        "without a person as itself (null for runs before persons were counted)."
    )
    def person_count(self) -> int | None:
        return self.record.get("person_count")

    @strawberry.field(description="Most influential members first.")
    async def top_members(self, info: Info, first: int = 10) -> list[Profile]:
        check_first(first)
        found = await info.context.community_members.load(
            (self.record["community_id"], self.record["run_id"], first)
        )
        return [Profile.from_record(record) for record in found]


@strawberry.type(description="A community holding some of a person's accounts.")
class PersonCommunity:
    community: Community
    accounts: int = strawberry.field(description="The person's accounts in it.")
    share: float = strawberry.field(
        description="Their share of the person's accounts in the run's communities (0–1)."
    )


@strawberry.type(description="A post (key: platform:native_id).")
class Post:
    record: strawberry.Private[dict[str, Any]]
    id: strawberry.ID = strawberry.field(description="The post key, 'platform:native_id'.")
    created_at: str | None
    text: str | None
    kind: str | None = strawberry.field(
        description="How this post relates to the one it was listed under: REPLY_TO, QUOTES "
        "or REPOSTS (only in amplifications)."
    )

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Post:
        return cls(
            record=record,
            id=strawberry.ID(record["post_key"]),
            created_at=iso(record.get("created_at")),
            text=record.get("text"),
            kind=record.get("kind"),
        )

    @classmethod
    def of(cls, record: dict[str, Any] | None) -> Post | None:
        return cls.from_record(record) if record is not None else None

    @strawberry.field
    async def author(self, info: Info) -> Profile | None:
        key = self.record.get("author_key")
        return Profile.of(await info.context.profile.load(key)) if key else None

    @strawberry.field(description="Replies, quotes and reposts of this post: who amplified it.")
    async def amplifications(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> PostConnection:
        offset, first = window(first, after)
        page = await info.context.amplifications.load((self.record["post_key"], offset, first))
        return post_connection(page, offset, first)


@strawberry.type
class PostEdge:
    cursor: str
    node: Post


@strawberry.type(description="A page of posts (Relay connection).")
class PostConnection:
    edges: list[PostEdge]
    page_info: PageInfo
    total_count: int


def post_connection(page: Page, offset: int, first: int) -> PostConnection:
    edges, info = edges_of(
        page.records,
        offset,
        first,
        lambda cursor, record: PostEdge(cursor=cursor, node=Post.from_record(record)),
    )
    return PostConnection(edges=edges, page_info=info, total_count=page.total)
