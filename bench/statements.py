"""Statements that build the API benchmark's synthetic graph (bench/api.py only)."""

from __future__ import annotations

__all__ = ["BENCH_CUSTOMERS", "BENCH_FOLLOWS", "BENCH_PROFILES"]

BENCH_PROFILES = """
UNWIND $rows AS row
MERGE (p:Profile {profile_key: row.key})
SET p.platform = 'x', p.handle = row.handle, p.display_name = row.handle,
    p.followers_count = row.followers, p.influence_score = row.score,
    p.influence_percentile = row.percentile, p.influence_run_id = 'bench'
"""

BENCH_FOLLOWS = """
UNWIND $rows AS row
MATCH (a:Profile {profile_key: row.source}), (b:Profile {profile_key: row.target})
MERGE (a)-[:FOLLOWS]->(b)
"""

BENCH_CUSTOMERS = """
UNWIND $rows AS row
MATCH (p:Profile {profile_key: row.key})
MERGE (c:Customer {customer_id: row.customer_id})
SET c.first_name = row.first_name
MERGE (person:Person {person_id: row.person_id})
MERGE (c)-[:CLAIMS]->(p)
MERGE (c)-[:PART_OF]->(person)
MERGE (p)-[:PART_OF]->(person)
"""
