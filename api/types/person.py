"""Person: an identity that several records (customers, profiles) resolve to."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from srm.api.context import Info
from srm.api.types.paging import PageInfo, encode_cursor, page_info
from srm.api.types.person_influence import PersonInfluence

if TYPE_CHECKING:
    from srm.api.types.community import Community
    from srm.api.types.customer import Customer
    from srm.api.types.profile import Profile

__all__ = ["Person", "PersonCommunity", "PersonConnection", "PersonEdge", "person_connection"]


@strawberry.type(description="A community holding some of a person's accounts.")
class PersonCommunity:
    record: strawberry.Private[dict[str, Any]]
    accounts: int = strawberry.field(description="The person's accounts in it.")
    share: float = strawberry.field(
        description="Their share of the person's accounts in the run's communities (0–1)."
    )

    @strawberry.field
    def community(self) -> Annotated[Community, strawberry.lazy("srm.api.types.community")]:
        from srm.api.types.community import Community

        return Community(record=self.record)


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
                record=place["community"], accounts=place["accounts"], share=place["share"]
            )
            for place in found
        ]

    @strawberry.field(description="True when the person's accounts fall in several communities.")
    async def bridge(self, info: Info) -> bool:
        return len(await info.context.person_communities.load(self.record["person_id"])) > 1

    @strawberry.field(description="All social accounts of this person.")
    async def accounts(
        self, info: Info
    ) -> list[Annotated[Profile, strawberry.lazy("srm.api.types.profile")]]:
        from srm.api.types.profile import Profile

        found = await info.context.link("Person", self.record["person_id"], "profiles")
        return [Profile.from_record(record) for record in found]

    @strawberry.field(description="All CRM records of this person.")
    async def customers(
        self, info: Info
    ) -> list[Annotated[Customer, strawberry.lazy("srm.api.types.customer")]]:
        from srm.api.types.customer import Customer

        found = await info.context.link("Person", self.record["person_id"], "customers")
        return [Customer.from_record(record) for record in found]


@strawberry.type(description="A person in a ranked list.")
class PersonEdge:
    cursor: str
    node: Person


@strawberry.type(description="A page of persons (Relay connection).")
class PersonConnection:
    edges: list[PersonEdge]
    page_info: PageInfo


def person_connection(records: list[dict[str, Any]], offset: int, first: int) -> PersonConnection:
    """The page of ``first`` persons at ``offset`` from ``records`` (one more than asked
    for tells whether a next page exists)."""
    kept = records[:first]
    return PersonConnection(
        edges=[
            PersonEdge(cursor=encode_cursor(offset + index), node=Person.from_record(record))
            for index, record in enumerate(kept)
        ],
        page_info=page_info(offset, len(kept), len(records) > first),
    )
