"""One statement for every link of a GraphQL level: a record's person, customers, profiles,
community and influence, for a batch of records of any label, computing only the parts asked
for (``$parts``). It keeps a query to one round trip per level however many link fields the
level selects.

Rows: ``$rows`` of ``{label: 'Profile'|'Customer'|'Person', key}``; ``$parts`` ⊆ person,
customers, profiles, community, influence.
"""

from __future__ import annotations

from srm.cypher.influence import Influence, as_entries

__all__ = ["LINKS", "PARTS", "influence_of"]


# A profile's influence score with its inputs (docs/analytics.md: every score is explained one
# query away), or null when the profile was not scored.
# Counts name no label on the far end so Neo4j answers them from the degree store (FOLLOWS,
# MENTIONS and POSTED only ever join profiles and posts).
def influence_of(node: str) -> str:
    """The full influence of the profile bound to ``node``: stored properties under their
    column names (:class:`srm.cypher.influence.Influence`), the run's algorithm and the
    counts the score was computed from."""
    stored = as_entries(
        node,
        Influence.SCORE,
        Influence.PERCENTILE,
        Influence.RUN_ID,
        Influence.PAGERANK,
        Influence.BETWEENNESS,
        Influence.EXPLANATION,
    )
    return f"""CASE WHEN {node}.{Influence.SCORE} IS NULL THEN null ELSE {{
    {stored},
    algorithm: head(COLLECT {{
      MATCH (run:AlgorithmRun {{run_id: {node}.{Influence.RUN_ID}}}) RETURN run.algorithm
    }}),
    followers: COUNT {{ ()-[:FOLLOWS]->({node}) }},
    mentions_received: COUNT {{ ()-[:MENTIONS]->({node}) }},
    amplifications: COUNT {{ ({node})-[:POSTED]->()<-[:REPLY_TO|QUOTES|REPOSTS]-() }},
    posts: COUNT {{ ({node})-[:POSTED]->() }}
  }} END"""


PARTS = ("person", "customers", "profiles", "community", "influence")

LINKS = (
    """
UNWIND $rows AS row
OPTIONAL MATCH (profile:Profile {profile_key: row.key}) WHERE row.label = 'Profile'
OPTIONAL MATCH (customer:Customer {customer_id: row.key}) WHERE row.label = 'Customer'
OPTIONAL MATCH (person:Person {person_id: row.key}) WHERE row.label = 'Person'
WITH row, coalesce(profile, customer, person) AS record
WHERE record IS NOT NULL
RETURN row.label AS label, row.key AS key,
  CASE WHEN 'person' IN $parts THEN
    head(COLLECT { MATCH (record)-[:PART_OF]->(n:Person) RETURN n {.*} })
  END AS person,
  CASE WHEN 'customers' IN $parts THEN COLLECT {
    MATCH (c:Customer)-[:CLAIMS]->(record) RETURN c {.*} AS c
    UNION
    MATCH (record)-[:PART_OF]->(:Person)<-[:PART_OF]-(c:Customer) WHERE c <> record
    RETURN c {.*} AS c
    UNION
    MATCH (record:Person)<-[:PART_OF]-(c:Customer) RETURN c {.*} AS c
  } END AS customers,
  CASE WHEN 'profiles' IN $parts THEN COLLECT {
    MATCH (record)-[:CLAIMS]->(p:Profile) RETURN p {.*} AS p
    UNION
    MATCH (record)-[:PART_OF]->(:Person)<-[:PART_OF]-(p:Profile) WHERE p <> record
    RETURN p {.*} AS p
    UNION
    MATCH (record:Person)<-[:PART_OF]-(p:Profile) RETURN p {.*} AS p
  } END AS profiles,
  CASE WHEN 'community' IN $parts THEN head(COLLECT {
    MATCH (record)-[:IN]->(c:Community)
    OPTIONAL MATCH (run:AlgorithmRun {run_id: c.run_id})
    RETURN c {.*, size: COUNT { (:Profile)-[:IN]->(c) }}
    ORDER BY coalesce(run.finished_at, run.started_at) DESC, c.run_id DESC
  }) END AS community,
  CASE WHEN 'influence' IN $parts THEN """
    + influence_of("record")
    + """
  END AS influence
"""
)
