"""API keys, roles and rate limits.

A key is a random token; only its SHA-256 is stored, either in ``SRM_API_KEYS``
(``role:sha256hex,…``) or in Neo4j as ``(:ApiKey {key_hash, key_id, role, revoked})``, where
it can be revoked. Roles: ``marketer`` (read, never email/phone), ``analyst`` (read, run
analyses, review merges), ``crm`` (REST enrichment only), ``admin`` (everything).

With no configured keys and ``SRM_PRODUCTION`` off the API runs in local demo mode: requests
without a key act as ``admin`` and the server says so loudly at start-up.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass

from neo4j import Driver

from srm.api.services import keys
from srm.errors import ConfigurationError
from srm.settings import Settings

__all__ = [
    "ROLES",
    "AccessDenied",
    "Authenticator",
    "Principal",
    "RateLimiter",
    "create_api_key",
    "hash_key",
    "parse_configured_keys",
    "revoke_api_key",
]

ROLES = ("marketer", "analyst", "crm", "admin")
KEY_HEADER = "X-API-Key"
_MAX_CACHED_KEYS = 10_000


class AccessDenied(Exception):
    """A request without a valid key (401), with the wrong role (403) or too fast (429)."""

    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


@dataclass(frozen=True)
class Principal:
    """Who is calling: the role of the key (``key_id`` identifies it in logs and limits)."""

    role: str
    key_id: str
    demo: bool = False

    def may_read_contact_data(self) -> bool:
        """Email and phone are for analysts and admins; marketers never receive them."""
        return self.role in ("analyst", "admin")

    def require(self, *roles: str, action: str) -> None:
        """Raise :class:`AccessDenied` (403) unless the role is one of ``roles``."""
        if self.role not in roles:
            allowed = ", ".join(roles)
            raise AccessDenied(
                403, f"Your API key's role ({self.role}) may not {action}; it needs: {allowed}."
            )


def hash_key(key: str) -> str:
    """The SHA-256 hex digest under which a key is stored."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def parse_configured_keys(value: str) -> dict[str, str]:
    """``role:sha256hex,…`` (SRM_API_KEYS) → {hash: role}; a clear error on a bad entry."""
    keys: dict[str, str] = {}
    for position, entry in enumerate(filter(None, (part.strip() for part in value.split(",")))):
        role, _, digest = entry.partition(":")
        digest = digest.strip().lower()
        if role.strip() not in ROLES or len(digest) != 64:
            raise ConfigurationError(
                f"SRM_API_KEYS entry {position + 1} is not 'role:sha256hex' with a role among "
                f"{', '.join(ROLES)} and a 64-character SHA-256; fix or remove it. Make a hash "
                'with: python -c "import hashlib,sys;print(hashlib.sha256(sys.argv[1].encode())'
                '.hexdigest())" YOURKEY'
            )
        keys[digest] = role.strip()
    return keys


def create_api_key(driver: Driver, role: str, name: str, database: str | None = None) -> str:
    """Store a new key's hash in Neo4j and return the key (shown once, never stored)."""
    if role not in ROLES:
        raise ConfigurationError(f"Unknown role {role!r}; use one of {', '.join(ROLES)}.")
    key = "srm_" + secrets.token_urlsafe(32)
    keys.store_key(driver, hash_key(key), hash_key(key)[:12], role, name, database)
    return key


def revoke_api_key(driver: Driver, key_id: str, database: str | None = None) -> bool:
    """Mark the key revoked (kept for the audit trail); False when no such key exists."""
    return keys.revoke_key(driver, key_id, database)


class Authenticator:
    """Turns the presented key into a :class:`Principal` (configured keys, then Neo4j).

    Lookups in Neo4j are cached for ``settings.api_key_cache_seconds`` so a request does
    not cost a round trip; a revoked key stops working within that time.
    """

    def __init__(self, settings: Settings, driver: Driver) -> None:
        self._configured = parse_configured_keys(settings.api_keys)
        self._driver = driver
        self._database = settings.neo4j_database
        self._cache_seconds = settings.api_key_cache_seconds
        self._cache: dict[str, tuple[float, Principal | None]] = {}
        self._lock = threading.Lock()
        self.demo_mode = not self._configured and not settings.production

    def authenticate(self, key: str | None) -> Principal:
        """The caller's principal; :class:`AccessDenied` (401) for a missing or unknown key."""
        if not key:
            if self.demo_mode:
                return Principal(role="admin", key_id="demo", demo=True)
            raise AccessDenied(
                401,
                f"An API key is required: send it in the {KEY_HEADER} header "
                "(or 'Authorization: Bearer <key>'). Ask an admin for a key.",
            )
        digest = hash_key(key)
        role = self._configured.get(digest)
        if role is not None:
            return Principal(role=role, key_id=digest[:12])
        principal = self._stored(digest)
        if principal is None:
            raise AccessDenied(
                401, "This API key is unknown or revoked. Ask an admin for a valid key."
            )
        return principal

    def known(self, key: str | None) -> Principal | None:
        """The principal when no Neo4j lookup is needed (demo, configured or cached key)."""
        if not key:
            return self.authenticate(key)
        digest = hash_key(key)
        role = self._configured.get(digest)
        if role is not None:
            return Principal(role=role, key_id=digest[:12])
        with self._lock:
            cached = self._cache.get(digest)
        if cached and cached[0] > time.monotonic() and cached[1] is not None:
            return cached[1]
        return None

    def forget(self) -> None:
        """Drop cached lookups (after a revocation, so it takes effect at once)."""
        with self._lock:
            self._cache.clear()

    def _stored(self, digest: str) -> Principal | None:
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(digest)
        if cached and cached[0] > now:
            return cached[1]
        stored = keys.find_key(self._driver, digest, self._database)
        principal = None
        if stored and not stored["revoked"] and stored["role"] in ROLES:
            principal = Principal(role=stored["role"], key_id=stored["key_id"] or digest[:12])
        with self._lock:
            # Guessed keys must not grow the cache without bound.
            if len(self._cache) >= _MAX_CACHED_KEYS:
                self._cache.clear()
            self._cache[digest] = (now + self._cache_seconds, principal)
        return principal


class RateLimiter:
    """A token bucket per key: ``per_minute`` requests a minute, bursts up to the same.

    ``subject`` names what is limited in the 429 message ("this API key", "your address").
    """

    def __init__(self, per_minute: int, subject: str = "this API key") -> None:
        self._rate = per_minute / 60.0
        self._capacity = float(per_minute)
        self._subject = subject
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def check(self, key_id: str) -> None:
        """Take one token for ``key_id``; :class:`AccessDenied` (429) when none is left."""
        self._take(key_id, 1.0)

    def peek(self, key_id: str) -> None:
        """:class:`AccessDenied` (429) when ``key_id`` has no token left; takes none."""
        self._take(key_id, 0.0)

    def _take(self, key_id: str, cost: float) -> None:
        now = time.monotonic()
        with self._lock:
            tokens, updated = self._buckets.get(key_id, (self._capacity, now))
            tokens = min(self._capacity, tokens + (now - updated) * self._rate)
            if tokens < 1.0:
                self._buckets[key_id] = (tokens, now)
                retry_after = max(1, int((1.0 - tokens) / self._rate + 0.999))
                raise AccessDenied(
                    429,
                    f"Rate limit exceeded for {self._subject}; retry in {retry_after} s.",
                    retry_after=retry_after,
                )
            if len(self._buckets) >= _MAX_CACHED_KEYS and key_id not in self._buckets:
                # Many addresses must not grow the table without bound.
                self._buckets.clear()
            self._buckets[key_id] = (tokens - cost, now)
