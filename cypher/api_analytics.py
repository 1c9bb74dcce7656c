"""Read statements of the query API over analysis results: influence scores and their
explanations, communities, reach, segments, audience overlap, merge candidates, runs.

Score properties are the ones graph/ stamps on profiles with their run id
(:class:`srm.cypher.influence.Influence`), communities are
``(Profile)-[:IN]->(Community)``, merge candidates are ``SAME_AS`` relationships.
"""

from __future__ import annotations

from srm.cypher.api_fields import profile_record
from srm.cypher.api_links import influence_of
from srm.cypher.influence import Influence

__all__ = [
    "AUDIENCE_OVERLAP_BRANDS",
    "AUDIENCE_OVERLAP_CRM",
    "COMMUNITIES_LATEST",
    "COMMUNITY_TOP_MEMBERS",
    "INFLUENCERS_PAGE",
    "INFLUENCERS_PAGE_SHORT",
    "INFLUENCERS_PAGE_SHORT_NO_TEXT",
    "INFLUENCER_MATCHES",
    "MERGE_CANDIDATES_PAGE",
    "REACH",
    "RECENT_RUNS",
    "RUNS_BY_ID",
    "SEGMENTS",
]

# The id of a record on either side of SAME_AS: label-prefixed so customers and profiles
# never collide. Kept in one fragment so the list and the mutations agree.
_RECORD_ID = "CASE WHEN {n}:Customer THEN 'customer:' + {n}.customer_id ELSE 'profile:' + {n}.profile_key END"

# The influencer list's filters on the profile ``p`` (by account, and by person's lead
# accounts in :mod:`srm.cypher.api_persons`).
INFLUENCER_MATCHES = f"""p.{Influence.SCORE} IS NOT NULL
  AND ($platform IS NULL OR p.platform = $platform)
  AND ($community IS NULL
       OR EXISTS {{ (p)-[:IN]->(c:Community) WHERE toString(c.community_id) = $community }})
  AND (NOT $customers_only
       OR EXISTS {{ (p)<-[:CLAIMS]-(:Customer) }}
       OR EXISTS {{ (p)-[:PART_OF]->(:Person)<-[:PART_OF]-(:Customer) }})
  AND ($brand IS NULL
       OR EXISTS {{ (p)-[:FOLLOWS]->(:Profile)-[:OFFICIAL_OF]->(:Brand {{name: $brand}}) }})"""

_INFLUENCERS = f"""
MATCH (p:Profile)
WHERE {INFLUENCER_MATCHES}
WITH p ORDER BY p.{Influence.SCORE} DESC, p.profile_key
SKIP $offset
LIMIT $limit
"""
# The page's rows collected in one list (srm.store_async.read_collected: one Bolt message for the
# page); collect keeps the order of the rows it gets.
_COLLECTED = "RETURN collect({record: " + profile_record("p") + ", influence: influence}) AS rows\n"
_COLLECTED_NO_TEXT = (
    "RETURN collect({record: " + profile_record("p", text=False) + ", influence: null}) AS rows\n"
)
# The page with each profile's full influence (inputs, stored explanation) for queries that
# select more of it than value/percentile/runId, the page with the short score only, and
# that page without the profiles' free-text properties (none of them selected).
INFLUENCERS_PAGE = _INFLUENCERS + "WITH p, " + influence_of("p") + " AS influence\n" + _COLLECTED
INFLUENCERS_PAGE_SHORT = _INFLUENCERS + "WITH p, null AS influence\n" + _COLLECTED
INFLUENCERS_PAGE_SHORT_NO_TEXT = _INFLUENCERS + _COLLECTED_NO_TEXT

COMMUNITIES_LATEST = """
CALL () {
  MATCH (c:Community)
  WITH DISTINCT c.run_id AS run_id
  OPTIONAL MATCH (run:AlgorithmRun {run_id: run_id})
  RETURN run_id ORDER BY coalesce(run.finished_at, run.started_at) DESC, run_id DESC LIMIT 1
}
MATCH (c:Community {run_id: run_id})
WITH c, COUNT { (:Profile)-[:IN]->(c) } AS size
ORDER BY size DESC, c.community_id
LIMIT $limit
RETURN c {.*, size: size} AS record
"""

COMMUNITY_TOP_MEMBERS = f"""
UNWIND $rows AS row
MATCH (p:Profile)-[:IN]->(:Community {{community_id: row.community_id, run_id: row.run_id}})
WITH row, p ORDER BY coalesce(p.{Influence.SCORE}, 0.0) DESC, p.profile_key
WITH row, collect(p {{.*}})[..row.first] AS records
RETURN row.community_id + '@' + row.run_id AS key, records
"""

# Audience = profiles that follow one of a brand's official profiles.
# Counted in accounts and in persons: a follower's unit is its person (or itself without
# one); the profile's own person is never its audience.
REACH = """
MATCH (p:Profile {profile_key: $key})
OPTIONAL MATCH (p)-[:PART_OF]->(own:Person)
CALL (p, own) {
  OPTIONAL MATCH (f:Profile)-[:FOLLOWS]->(p)
  OPTIONAL MATCH (f)-[:PART_OF]->(fp:Person)
  RETURN count(DISTINCT f) AS direct,
         collect(DISTINCT CASE WHEN own IS NOT NULL AND fp = own THEN null
                          ELSE coalesce(fp.person_id, f.profile_key) END) AS direct_units
}
CALL (p, own) {
  OPTIONAL MATCH (f2:Profile)-[:FOLLOWS]->(:Profile)-[:FOLLOWS]->(p)
  WHERE f2 <> p AND NOT (f2)-[:FOLLOWS]->(p)
  OPTIONAL MATCH (f2)-[:PART_OF]->(fp2:Person)
  RETURN count(DISTINCT f2) AS second_degree,
         collect(DISTINCT CASE WHEN own IS NOT NULL AND fp2 = own THEN null
                          ELSE coalesce(fp2.person_id, f2.profile_key) END) AS second_units
}
CALL (direct_units, second_units) {
  UNWIND direct_units + second_units AS unit
  RETURN count(DISTINCT unit) AS all_units
}
RETURN p.profile_key AS key, direct, second_degree,
       size(direct_units) AS direct_persons, all_units - size(direct_units) AS second_degree_persons,
       p.reach AS estimated, p.reach_run_id AS run_id
"""

SEGMENTS = """
MATCH (s:Segment)
WHERE $brand IS NULL OR s.brand = $brand
RETURN s {.*, size: COUNT { (s)<-[:IN_SEGMENT]-() }} AS record
ORDER BY s.brand, s.name
"""

# Both audiences as persons (units): a person once however many of its accounts are in.
_IN_PERSONS = """
CALL (audience_a) {
  UNWIND audience_a AS f
  OPTIONAL MATCH (f)-[:PART_OF]->(fp:Person)
  RETURN collect(DISTINCT coalesce(fp.person_id, f.profile_key)) AS units_a
}
CALL (audience_b) {
  UNWIND audience_b AS f
  OPTIONAL MATCH (f)-[:PART_OF]->(fp:Person)
  RETURN collect(DISTINCT coalesce(fp.person_id, f.profile_key)) AS units_b
}
WITH audience_a, audience_b, shared, units_a, units_b"""

# The two audiences' sizes and overlap, in accounts and in persons, and a sample of the
# shared accounts (after ``audience_a`` and ``audience_b`` are collected).
_OVERLAP_OF_AUDIENCES = (
    """
WITH audience_a, audience_b, [f IN audience_a WHERE f IN audience_b] AS shared
"""
    + _IN_PERSONS
    + """
RETURN size(audience_a) AS size_a, size(audience_b) AS size_b, size(shared) AS overlap,
       size(units_a) AS size_a_persons, size(units_b) AS size_b_persons,
       size([unit IN units_a WHERE unit IN units_b]) AS overlap_persons,
       [f IN shared | f.profile_key][..$sample] AS sample_keys
"""
)

AUDIENCE_OVERLAP_BRANDS = (
    """
MATCH (a:Brand {name: $brand_a}), (b:Brand {name: $brand_b})
CALL (a) {
  OPTIONAL MATCH (f:Profile)-[:FOLLOWS]->(:Profile)-[:OFFICIAL_OF]->(a)
  RETURN collect(DISTINCT f) AS audience_a
}
CALL (b) {
  OPTIONAL MATCH (f:Profile)-[:FOLLOWS]->(:Profile)-[:OFFICIAL_OF]->(b)
  RETURN collect(DISTINCT f) AS audience_b
}
"""
    + _OVERLAP_OF_AUDIENCES
)

# Brand audience against the CRM: profiles linked to a customer (claimed or same person).
AUDIENCE_OVERLAP_CRM = (
    """
MATCH (a:Brand {name: $brand_a})
CALL (a) {
  OPTIONAL MATCH (f:Profile)-[:FOLLOWS]->(:Profile)-[:OFFICIAL_OF]->(a)
  RETURN collect(DISTINCT f) AS audience_a
}
CALL () {
  OPTIONAL MATCH (p:Profile)
  WHERE EXISTS { (p)<-[:CLAIMS]-(:Customer) }
     OR EXISTS { (p)-[:PART_OF]->(:Person)<-[:PART_OF]-(:Customer) }
  RETURN collect(p) AS audience_b
}
"""
    + _OVERLAP_OF_AUDIENCES
)

MERGE_CANDIDATES_PAGE = f"""
MATCH (a)-[s:SAME_AS]->(b)
WHERE ($status IS NULL OR s.status = $status)
  AND coalesce(s.probability, 0.0) >= $min_probability
WITH a, s, b ORDER BY s.probability DESC, elementId(s)
SKIP $offset
LIMIT $limit
RETURN {_RECORD_ID.format(n="a")} AS left_id,
       {_RECORD_ID.format(n="b")} AS right_id,
       a:Customer AS left_is_customer, a {{.*}} AS left_record,
       b:Customer AS right_is_customer, b {{.*}} AS right_record,
       s {{.*}} AS candidate
"""

RUNS_BY_ID = """
UNWIND $ids AS key
MATCH (run:AlgorithmRun {run_id: key})
RETURN key, run {.*} AS record
"""

RECENT_RUNS = """
MATCH (run:AlgorithmRun)
RETURN run {.*} AS record
ORDER BY coalesce(run.started_at, run.finished_at) DESC, run.run_id DESC
LIMIT $limit
"""
