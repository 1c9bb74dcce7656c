"""SRM's errors as HTTP statuses: one table for every route (JSON answers, map pages)."""

from __future__ import annotations

from srm.errors import NotFoundError, SRMError, StoreUnavailable, ValidationError

__all__ = ["HTTP_STATUS", "http_status"]

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
