"""API keys stored in Neo4j: store, revoke and look up a key by its hash.

Only hashes travel here; making keys and checking roles is :mod:`srm.api.security`'s.
"""

from __future__ import annotations

from typing import Any

from neo4j import Driver

from srm.cypher import api_keys
from srm.store import read_values, write

__all__ = ["find_key", "revoke_key", "store_key"]


def store_key(
    driver: Driver, key_hash: str, key_id: str, role: str, name: str, database: str | None
) -> None:
    """Store a new key's hash with its id, role and name."""
    write(
        driver,
        api_keys.CREATE_API_KEY,
        database=database,
        key_hash=key_hash,
        key_id=key_id,
        role=role,
        name=name,
    )


def revoke_key(driver: Driver, key_id: str, database: str | None = None) -> bool:
    """Mark the key revoked (kept for the audit trail); False when no such key exists."""
    return bool(write(driver, api_keys.REVOKE_API_KEY, database=database, key_id=key_id))


def find_key(driver: Driver, key_hash: str, database: str | None) -> dict[str, Any] | None:
    """The stored key with this hash (``role``, ``key_id``, ``revoked``), or None."""
    rows = read_values(driver, api_keys.API_KEY_BY_HASH, database, key_hash=key_hash)
    return rows[0] if rows else None
