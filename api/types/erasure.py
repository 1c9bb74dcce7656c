"""ErasureKind and ErasureResult: the GraphQL side of ``erase`` (counts only, no data)."""

from __future__ import annotations

from enum import Enum

import strawberry

from srm.api.services.erasure import ErasureOutcome

__all__ = ["ErasureKind", "ErasureResult"]


@strawberry.enum(description="What an erasure's id names.")
class ErasureKind(Enum):
    CUSTOMER = strawberry.enum_value("customer", description="A CRM customer_id.")
    PROFILE = strawberry.enum_value("profile", description="A social profile, 'platform:id'.")
    PERSON = strawberry.enum_value("person", description="A person and every record of it.")


@strawberry.type(
    description="What an erasure removed: counts only, never the erased values. The erasure "
    "is audited (ErasureAudit: when, which API key, what kind) and its keys suppressed."
)
class ErasureResult:
    kind: ErasureKind
    customers: int = strawberry.field(description="CRM customers deleted.")
    profiles: int = strawberry.field(description="Social profiles deleted.")
    posts: int = strawberry.field(description="Posts they authored, deleted.")
    persons_deleted: int = strawberry.field(description="Person clusters left empty, deleted.")
    persons_kept: int = strawberry.field(
        description="Person clusters that keep other records (see reclustered)."
    )
    anonymised_mentions: int = strawberry.field(description="Mentions made anonymous counts.")
    redacted_texts: int = strawberry.field(description="Others' post texts with @handle redacted.")
    suppression_keys: int = strawberry.field(
        description="Keys suppressed (salted hashes) so a later ingest skips them."
    )
    derived: int = strawberry.field(
        description="Derived copies cleared of their ids: explanations, run parameters, "
        "community summaries, review decisions."
    )
    files: int = strawberry.field(
        description="Files SRM wrote (maps, exports, quarantine) deleted or cleaned of them."
    )
    reclustered: bool = strawberry.field(
        description="Identity resolution ran again afterwards (recluster: true)."
    )
    note: str | None = strawberry.field(description="What is left to do, if anything.")

    @classmethod
    def of(cls, outcome: ErasureOutcome) -> ErasureResult:
        counts = outcome.counts()
        return cls(**{**counts, "kind": ErasureKind(counts["kind"])})
