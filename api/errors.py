"""SRM's errors as HTTP statuses: one table for every route (JSON answers, map pages)."""

from __future__ import annotations

from srm.errors import NotFoundError, SRMError, StoreUnavailable, ValidationError

__all__ = ["BUSY_RETRY_AFTER_SECONDS", "HTTP_STATUS", "http_status", "keyed_route_responses"]

# What a 503 for a busy store (srm.errors.StoreBusy) tells clients to wait, in seconds.
BUSY_RETRY_AFTER_SECONDS = 1

HTTP_STATUS: dict[type[SRMError], int] = {
    NotFoundError: 404,
    ValidationError: 400,
    StoreUnavailable: 503,
}


def http_status(error: SRMError) -> int:
    """The status of ``error`` (its nearest class in :data:`HTTP_STATUS`), else 500."""
    for kind in type(error).__mro__:
        if kind in HTTP_STATUS:
            return HTTP_STATUS[kind]
    return 500


def keyed_route_responses(specific: dict[int, str]) -> dict[int | str, dict[str, str]]:
    """OpenAPI ``responses`` of a route behind an API key: the statuses every such route
    can answer (401, 429, 503) plus the route's own (``specific`` may reword them)."""
    descriptions = {
        401: "Missing or unknown API key.",
        429: "Rate limit exceeded; see Retry-After.",
        503: "Neo4j is not reachable, or busy (then see Retry-After).",
        **specific,
    }
    return {status: {"description": descriptions[status]} for status in sorted(descriptions)}
