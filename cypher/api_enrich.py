"""Statements of the REST enrichment endpoint."""

from __future__ import annotations

from srm.cypher.influence import Influence, as_columns, as_entries

__all__ = ["ENRICH"]

# One row per input key ({index, kind, value, platform}, phones also as `digits`: see
# srm.operations.suppression.phone_digits; a phone matches as written or by its digits); rows with
# no match return nothing.
# The record is the customer or profile the key names; its profiles are the profile itself
# or the customer's claimed profiles, plus every profile resolved to the same person.
ENRICH = f"""
UNWIND $rows AS row
CALL (row) {{
  MATCH (n:Customer {{customer_id: row.value}}) WHERE row.kind = 'customer_id' RETURN n
  UNION
  MATCH (n:Customer) WHERE row.kind = 'email' AND n.email IN [row.value, toLower(row.value)]
  RETURN n
  UNION
  MATCH (n:Customer) WHERE row.kind = 'phone' AND n.phone = row.value RETURN n
  UNION
  MATCH (n:Customer) WHERE row.kind = 'phone' AND n.phone_digits = row.digits RETURN n
  UNION
  MATCH (n:Profile {{platform: row.platform}})
  WHERE row.kind = 'handle' AND n.handle IN [row.value, toLower(row.value)]
  RETURN n
}}
OPTIONAL MATCH (n)-[:PART_OF]->(person:Person)
WITH row, n, person, COLLECT {{
  CALL (n, person) {{
    MATCH (n:Profile) RETURN n AS p
    UNION
    MATCH (n)-[:CLAIMS]->(p:Profile) RETURN p
    UNION
    MATCH (person)<-[:PART_OF]-(p:Profile) RETURN p
  }}
  RETURN p ORDER BY coalesce(p.{Influence.SCORE}, -1.0) DESC, p.profile_key
}} AS profiles
WITH row, n, person, profiles, head(profiles) AS top
WITH row, n, person, profiles, top, head(COLLECT {{
  MATCH (top)-[:IN]->(c:Community)
  OPTIONAL MATCH (run:AlgorithmRun {{run_id: c.run_id}})
  RETURN c ORDER BY coalesce(run.finished_at, run.started_at) DESC, c.run_id DESC
}}) AS community
CALL (profiles) {{
  UNWIND profiles AS p
  OPTIONAL MATCH (p)-[:POSTED]->(post:Post)
  RETURN max(post.created_at) AS last_activity
}}
WITH row, n, person, profiles, top, community, last_activity, COLLECT {{
  UNWIND profiles AS p
  MATCH (p)-[:IN_SEGMENT]->(segment:Segment)
  RETURN DISTINCT segment.name AS name ORDER BY name
}} AS segments
// The unduplicated audience of all the profiles: follower accounts, and follower units (a
// follower person once however many of its accounts follow; an account without a person
// as itself); the record's own profiles are no audience.
CALL (profiles) {{
  UNWIND profiles AS p
  MATCH (f:Profile)-[:FOLLOWS]->(p)
  WHERE NOT f IN profiles
  OPTIONAL MATCH (f)-[:PART_OF]->(fp:Person)
  RETURN count(DISTINCT f) AS audience_accounts,
         count(DISTINCT coalesce(fp.person_id, f.profile_key)) AS audience_persons
}}
RETURN row.index AS index,
       CASE WHEN n:Customer THEN n.customer_id ELSE null END AS customer_id,
       person.person_id AS person_id,
       [p IN profiles | {{profile_key: p.profile_key, platform: p.platform, handle: p.handle,
                          {as_entries("p", Influence.SCORE, Influence.PERCENTILE)},
                          followers_in_graph: COUNT {{ ()-[:FOLLOWS]->(p) }}}}] AS profiles,
       {as_columns("top", Influence.SCORE, Influence.PERCENTILE)},
       person.{Influence.SCORE} AS person_score,
       person.{Influence.PERCENTILE} AS person_percentile,
       person.{Influence.RUN_ID} AS person_run_id,
       audience_accounts, audience_persons,
       community.community_id AS community_id,
       segments,
       last_activity
"""
