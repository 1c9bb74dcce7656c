"""Values as the API answers them, shared by the GraphQL types and the REST routes."""

from __future__ import annotations

from typing import Any

__all__ = ["iso"]


def iso(value: Any) -> str | None:
    """Neo4j temporal values and strings as ISO-8601 text."""
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
