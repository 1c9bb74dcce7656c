"""Statements of the benchmarks: the API benchmark's synthetic graph (bench/api.py), the
curve's choice of a profile to erase (bench/curve.py)."""

from __future__ import annotations

__all__ = ["BENCH_CUSTOMERS", "BENCH_FOLLOWS", "BENCH_PROFILES", "MOST_FOLLOWED"]

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

# The hub: its erasure deletes the most follows (degrees are read from the store).
MOST_FOLLOWED = """
MATCH (p:Profile)
RETURN p.profile_key AS key
ORDER BY COUNT { (p)<-[:FOLLOWS]-() } DESC, key
LIMIT 1
"""
