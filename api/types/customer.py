"""Customer: a CRM record. ``email`` and ``phone`` are personal data: role-gated per field."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from srm.api.context import Info

if TYPE_CHECKING:
    from srm.api.types.person import Person
    from srm.api.types.profile import Profile

__all__ = ["Customer", "require_contact_access"]


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
    async def profiles(
        self, info: Info
    ) -> list[Annotated[Profile, strawberry.lazy("srm.api.types.profile")]]:
        from srm.api.types.profile import Profile

        found = await info.context.link("Customer", self.record["customer_id"], "profiles")
        return [Profile.from_record(record) for record in found]

    @strawberry.field(description="The person this record resolves to.")
    async def person(
        self, info: Info
    ) -> Annotated[Person, strawberry.lazy("srm.api.types.person")] | None:
        from srm.api.types.person import Person

        return Person.of(await info.context.link("Customer", self.record["customer_id"], "person"))
