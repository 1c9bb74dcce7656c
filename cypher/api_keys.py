"""Statements of API keys stored in Neo4j (only their SHA-256 hashes, never the keys)."""

from __future__ import annotations

__all__ = ["API_KEY_BY_HASH", "CREATE_API_KEY", "REVOKE_API_KEY"]

API_KEY_BY_HASH = """
MATCH (k:ApiKey {key_hash: $key_hash})
RETURN k.role AS role, k.key_id AS key_id, coalesce(k.revoked, false) AS revoked
"""

CREATE_API_KEY = """
CREATE (k:ApiKey {key_hash: $key_hash, key_id: $key_id, role: $role, name: $name,
                  created_at: datetime(), revoked: false})
RETURN k.key_id AS key_id
"""

REVOKE_API_KEY = """
MATCH (k:ApiKey {key_id: $key_id})
SET k.revoked = true, k.revoked_at = datetime()
RETURN k.key_id AS key_id
"""
