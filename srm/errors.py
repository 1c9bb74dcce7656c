"""SRM's one exception hierarchy.

Every error a user can see is an :class:`SRMError`; its message says what went wrong and
what to do, and never carries personal data (emails, phones, names of people).
"""

from __future__ import annotations

__all__ = [
    "ConfigurationError",
    "IngestError",
    "NotFoundError",
    "SRMError",
    "StoreBusy",
    "StoreUnavailable",
    "UniquenessViolation",
    "ValidationError",
]


class SRMError(Exception):
    """Base class of every error SRM raises on purpose."""


class ConfigurationError(SRMError):
    """A setting, a path or a tool SRM needs is missing or wrong."""


class StoreUnavailable(SRMError):
    """Neo4j cannot be reached, or the local server cannot be started."""


class StoreBusy(StoreUnavailable):
    """Neo4j answered, but a statement kept failing with a transient error (a lock, a
    memory pool, a concurrent write) for the whole retry budget: try again shortly.
    ``attempts`` is None where the driver counted them (a managed transaction)."""

    def __init__(self, message: str, *, attempts: int | None, code: str | None) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.code = code

    @classmethod
    def persisted(cls, code: str | None, over: str, attempts: int | None = None) -> StoreBusy:
        """Neo4j's transient error ``code`` lasted ``over`` (how it was retried)."""
        return cls(
            f"Neo4j is busy: {code or 'a transient error'} persisted {over}. Try again shortly.",
            attempts=attempts,
            code=code,
        )


class UniquenessViolation(SRMError):
    """A write would create a second node with a key that must be unique."""


class ValidationError(SRMError):
    """Input does not have the shape SRM needs (a file, a row, a field)."""


class IngestError(SRMError):
    """An ingest job cannot go on (unknown format, too many bad rows, empty file, …)."""


class NotFoundError(SRMError):
    """A record asked for by key does not exist."""
