"""Rate limiting shared by the worker processes of one server (``srm serve --workers N``).

Each worker is its own process, so the in-memory :class:`~srm.api.security.RateLimiter`
would let every worker admit the full limit. With ``SRM_API_RATE_STATE`` set (``srm serve``
sets it to a fresh file when it starts more than one worker) the buckets live in one SQLite
file instead: each check is one short ``BEGIN IMMEDIATE`` transaction, so the workers
together admit ``SRM_API_RATE_LIMIT`` requests a minute per key, as one process would.
Per-worker shares of the limit were not chosen: the kernel does not spread one client's
connections evenly over workers, so a client would be refused below its limit.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from srm.api.security import AccessDenied, RateLimiter
from srm.settings import Settings

__all__ = ["SharedRateLimiter", "rate_limiter"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS buckets (
  key_id TEXT PRIMARY KEY,
  tokens REAL NOT NULL,
  updated REAL NOT NULL
)
"""


class SharedRateLimiter(RateLimiter):
    """The token bucket of :class:`RateLimiter`, kept in a SQLite file all workers share."""

    def __init__(self, per_minute: int, path: Path) -> None:
        super().__init__(per_minute)
        self._path = path
        self._local = threading.local()
        self._connection().execute(_SCHEMA)

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            # Autocommit mode: transactions are opened explicitly below.
            connection = sqlite3.connect(self._path, timeout=10, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=OFF")
            self._local.connection = connection
        return connection

    def check(self, key_id: str) -> None:
        """Take one token for ``key_id``; :class:`AccessDenied` (429) when none is left."""
        connection = self._connection()
        now = time.time()  # wall clock: monotonic clocks are not comparable across processes
        connection.execute("BEGIN IMMEDIATE")
        try:
            row = connection.execute(
                "SELECT tokens, updated FROM buckets WHERE key_id = ?", (key_id,)
            ).fetchone()
            tokens, updated = row if row is not None else (self._capacity, now)
            tokens = min(self._capacity, tokens + max(0.0, now - updated) * self._rate)
            allowed = tokens >= 1.0
            connection.execute(
                "INSERT OR REPLACE INTO buckets (key_id, tokens, updated) VALUES (?, ?, ?)",
                (key_id, tokens - 1.0 if allowed else tokens, now),
            )
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        if not allowed:
            retry_after = max(1, int((1.0 - tokens) / self._rate + 0.999))
            raise AccessDenied(
                429,
                f"Rate limit exceeded for this API key; retry in {retry_after} s.",
                retry_after=retry_after,
            )


def rate_limiter(settings: Settings) -> RateLimiter:
    """The limiter for one server process: shared through ``SRM_API_RATE_STATE`` when set."""
    if settings.api_rate_state is None:
        return RateLimiter(settings.api_rate_limit_per_minute)
    return SharedRateLimiter(settings.api_rate_limit_per_minute, settings.api_rate_state)
