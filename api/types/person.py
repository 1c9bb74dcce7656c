"""Person: an identity that several records (customers, profiles) resolve to."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from srm.api.context import Info

if TYPE_CHECKING:
    from srm.api.types.customer import Customer
    from srm.api.types.profile import Profile

__all__ = ["Person"]


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
