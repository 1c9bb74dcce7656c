"""GraphQL type of an audit event (admin only): identifiers and classes, never values."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

__all__ = ["AuditEvent"]


@strawberry.type(description="An API request or an identity decision from the audit trail.")
class AuditEvent:
    time: datetime
    kind: str = strawberry.field(description="'request' or 'decision'.")
    request_id: str | None = None
    key_id: str | None = strawberry.field(default=None, description="Never the key itself.")
    role: str | None = None
    operation: str | None = strawberry.field(
        default=None, description="GraphQL operation and root fields, or method and route."
    )
    pii: list[str] = strawberry.field(
        default_factory=list, description="Classes of personal data touched (email, phone, …)."
    )
    status: int | None = None
    latency_ms: float | None = None
    decision: str | None = strawberry.field(
        default=None, description="accept, reject, unmerge or undo."
    )
    by: str | None = None
    records: list[str] = strawberry.field(default_factory=list)
    before: list[str] = strawberry.field(
        default_factory=list, description="Persons of the records before the decision."
    )
    after: list[str] = strawberry.field(default_factory=list)
    probability: float | None = None

    @classmethod
    def of(cls, event: dict[str, Any]) -> AuditEvent:
        return cls(
            time=datetime.fromisoformat(event["time"]),
            kind=event.get("kind", ""),
            request_id=event.get("request_id"),
            key_id=event.get("key_id"),
            role=event.get("role"),
            operation=event.get("operation"),
            pii=list(event.get("pii") or []),
            status=event.get("status"),
            latency_ms=event.get("latency_ms"),
            decision=event.get("decision"),
            by=event.get("by"),
            records=list(event.get("records") or []),
            before=list(event.get("before") or []),
            after=list(event.get("after") or []),
            probability=event.get("probability"),
        )
