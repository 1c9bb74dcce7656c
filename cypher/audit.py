"""Statements of the audit trail: the state an identity decision is recorded with."""

from __future__ import annotations

__all__ = ["RECORD_PERSONS"]

# One row per record ({id, kind, key}): the person it is part of (null when none).
RECORD_PERSONS = """
UNWIND $rows AS row
OPTIONAL CALL (row) {
  MATCH (n:Customer {customer_id: row.key}) WHERE row.kind = 'customer' RETURN n
  UNION
  MATCH (n:Profile {profile_key: row.key}) WHERE row.kind = 'profile' RETURN n
}
OPTIONAL MATCH (n)-[:PART_OF]->(person:Person)
RETURN row.id AS record_id, person.person_id AS person_id
"""
