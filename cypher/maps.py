"""Read statements behind the network maps and the Gephi exports (srm.viz).

Selection statements return keys with the numbers to rank them by (influence score,
degree, followers), so srm.viz can trim a large selection to its top nodes and say how many
it left out; detail statements then fetch the chosen records and the links among them.
Scores are the ones graph/ stamps on profiles (:class:`srm.cypher.influence.Influence`,
read as ``score``); communities are ``(Profile)-[:IN]->(Community {run_id})`` of the
most recent community run.
"""

from __future__ import annotations

from srm.cypher.influence import Influence, as_columns

__all__ = [
    "BRANDS",
    "BRAND_AUDIENCE",
    "CASCADE",
    "COMMUNITY_MEMBERS",
    "EDGES_AMONG_PROFILES",
    "EGO_NEIGHBOURS",
    "EXPORT_ALL_EDGES",
    "IDENTITY_LINKS",
    "LARGEST_PERSON",
    "LATEST_COMMUNITY_RUN",
    "MOST_AMPLIFIED_POST",
    "PERSON_MEMBERS",
    "PERSON_PROFILE_KEYS",
    "PROFILES_BY_KEYS",
    "PROFILE_KEYS_ALL",
    "RECORD_PERSONS",
    "TOP_PROFILES",
]

# The id of a record on either side of SAME_AS, label-prefixed like the query API's ids.
_RECORD_ID = "CASE WHEN {n}:Customer THEN 'customer:' + {n}.customer_id ELSE 'profile:' + {n}.profile_key END"

# The ranking numbers every selection returns, for one profile bound to ``p``.
_RANKING = f"""p.profile_key AS key, {as_columns("p", Influence.SCORE)},
       coalesce(p.followers_count, COUNT {{ (:Profile)-[:FOLLOWS]->(p) }}) AS followers,
       COUNT {{ (p)-[:FOLLOWS|MENTIONED]-(:Profile) }} AS degree"""

LATEST_COMMUNITY_RUN = """
MATCH (c:Community)
WITH DISTINCT c.run_id AS run_id
OPTIONAL MATCH (run:AlgorithmRun {run_id: run_id})
RETURN run_id
ORDER BY coalesce(run.finished_at, run.started_at) DESC, run_id DESC
LIMIT 1
"""

# Profiles with what a map shows about them: community in $run_id (may be null), person,
# whether a CRM customer stands behind the profile, and the ranking numbers.
PROFILES_BY_KEYS = f"""
UNWIND $ids AS key
MATCH (p:Profile {{profile_key: key}})
OPTIONAL MATCH (p)-[:IN]->(c:Community {{run_id: $run_id}})
OPTIONAL MATCH (p)-[:PART_OF]->(person:Person)
WITH p, head(collect(DISTINCT c)) AS community,
     head(collect(DISTINCT person.person_id)) AS person_id
RETURN p {{.*}} AS record, community.community_id AS community_id,
       community.label AS community_label, person_id,
       EXISTS {{ (p)<-[:CLAIMS]-(:Customer) }}
         OR EXISTS {{ (p)-[:PART_OF]->(:Person)<-[:PART_OF]-(:Customer) }} AS is_customer,
       [(p)-[:OFFICIAL_OF]->(b:Brand) | b.name] AS official_of,
       {_RANKING}
"""

# FOLLOWS and MENTIONED {count} among a set of profiles: sources from $ids, targets from
# $members (the whole set; $ids may be one chunk of it).
EDGES_AMONG_PROFILES = """
UNWIND $ids AS key
MATCH (a:Profile {profile_key: key})-[r:FOLLOWS|MENTIONED]->(b:Profile)
WHERE b.profile_key IN $members AND a <> b
RETURN key AS source, b.profile_key AS target, type(r) AS type, coalesce(r.count, 1) AS count
"""

# Every FOLLOWS/MENTIONED link, for a whole-graph export (one scan, no membership test).
EXPORT_ALL_EDGES = """
MATCH (a:Profile)-[r:FOLLOWS|MENTIONED]->(b:Profile)
WHERE a <> b
RETURN a.profile_key AS source, b.profile_key AS target, type(r) AS type,
       coalesce(r.count, 1) AS count
"""

# Distinct profiles one FOLLOWS/MENTIONED hop (either direction) from any of $ids, minus
# $exclude; $types is an allow-list subset of ['FOLLOWS', 'MENTIONED'].
EGO_NEIGHBOURS = f"""
UNWIND $ids AS centre_key
MATCH (:Profile {{profile_key: centre_key}})-[r:FOLLOWS|MENTIONED]-(p:Profile)
WHERE type(r) IN $types AND NOT p.profile_key IN $exclude
WITH DISTINCT p
RETURN {_RANKING}
"""

PERSON_PROFILE_KEYS = """
MATCH (:Person {person_id: $person_id})<-[:PART_OF]-(p:Profile)
RETURN p.profile_key AS key
ORDER BY key
"""

COMMUNITY_MEMBERS = f"""
MATCH (c:Community {{run_id: $run_id}})<-[:IN]-(p:Profile)
RETURN c.community_id AS community_id, {_RANKING}
"""

# Candidates for the influencer map: scored profiles first, then by followers; brands'
# official accounts are the brands themselves, not influencers.
TOP_PROFILES = f"""
MATCH (p:Profile)
WHERE NOT EXISTS {{ (p)-[:OFFICIAL_OF]->(:Brand) }} AND NOT coalesce(p.is_stub, false)
WITH p, coalesce(p.{Influence.SCORE}, -1.0) AS rank_score,
     coalesce(p.followers_count, COUNT {{ (:Profile)-[:FOLLOWS]->(p) }}) AS rank_followers
ORDER BY rank_score DESC, rank_followers DESC, p.profile_key
LIMIT $limit
RETURN {_RANKING}
"""

PROFILE_KEYS_ALL = """
MATCH (p:Profile)
RETURN p.profile_key AS key
"""

BRANDS = """
MATCH (b:Brand)
OPTIONAL MATCH (official:Profile)-[:OFFICIAL_OF]->(b)
WITH b, collect(official.profile_key) AS official_keys
ORDER BY b.name
RETURN b {.*} AS record, official_keys
"""

# Who follows a brand's official profiles, and every profile a CRM customer stands behind.
BRAND_AUDIENCE = f"""
CALL () {{
  MATCH (p:Profile)-[:FOLLOWS]->(:Profile)-[:OFFICIAL_OF]->(:Brand)
  RETURN DISTINCT p
  UNION
  MATCH (p:Profile)<-[:CLAIMS]-(:Customer)
  RETURN DISTINCT p
  UNION
  MATCH (p:Profile)-[:PART_OF]->(:Person)<-[:PART_OF]-(:Customer)
  RETURN DISTINCT p
}}
WITH p WHERE NOT EXISTS {{ (p)-[:OFFICIAL_OF]->(:Brand) }}
RETURN [(p)-[:FOLLOWS]->(:Profile)-[:OFFICIAL_OF]->(b:Brand) | b.name] AS brands,
       {_RANKING}
"""

LARGEST_PERSON = """
MATCH (person:Person)
RETURN person.person_id AS person_id
ORDER BY COUNT { (person)<-[:PART_OF]-() } DESC, person_id
LIMIT 1
"""

# The person a record (customer:ID or profile:KEY) belongs to.
RECORD_PERSONS = f"""
UNWIND $ids AS record_id
MATCH (record)-[:PART_OF]->(person:Person)
WHERE (record:Customer OR record:Profile) AND {_RECORD_ID.format(n="record")} = record_id
RETURN record_id, person.person_id AS person_id
"""

PERSON_MEMBERS = f"""
MATCH (person:Person {{person_id: $person_id}})
OPTIONAL MATCH (record)-[:PART_OF]->(person)
WHERE record:Customer OR record:Profile
WITH person, record ORDER BY {_RECORD_ID.format(n="record")}
RETURN person {{.*}} AS person,
       [r IN collect(record) | {{id: {_RECORD_ID.format(n="r")}, is_customer: r:Customer,
                                 record: r {{.*}}}}] AS members
"""

# SAME_AS links touching the person's records, CLAIMS among records around them, and the
# person each far end belongs to.
IDENTITY_LINKS = f"""
MATCH (:Person {{person_id: $person_id}})<-[:PART_OF]-(member)
MATCH (member)-[link:SAME_AS|CLAIMS]-(other)
WHERE other:Customer OR other:Profile
WITH DISTINCT link, startNode(link) AS a, endNode(link) AS b
OPTIONAL MATCH (a)-[:PART_OF]->(person_a:Person)
OPTIONAL MATCH (b)-[:PART_OF]->(person_b:Person)
RETURN type(link) AS type, link.probability AS probability, link.status AS status,
       {_RECORD_ID.format(n="a")} AS source, a:Customer AS source_is_customer,
       a {{.*}} AS source_record, person_a.person_id AS source_person,
       {_RECORD_ID.format(n="b")} AS target, b:Customer AS target_is_customer,
       b {{.*}} AS target_record, person_b.person_id AS target_person
"""

# Only roots that were amplified at all are counted (the deep count is the costly part).
MOST_AMPLIFIED_POST = """
MATCH (post:Post)
WHERE EXISTS { (post)<-[:REPLY_TO|QUOTES|REPOSTS]-(:Post) }
  AND NOT EXISTS { (post)-[:REPLY_TO|QUOTES|REPOSTS]->(:Post) }
WITH post, COUNT { (post)<-[:REPLY_TO|QUOTES|REPOSTS*1..20]-(:Post) } AS spread
RETURN post.post_key AS key
ORDER BY spread DESC, key
LIMIT 1
"""

# A post, the posts that reply to, quote or repost it (transitively, up to 20 generations),
# their authors (with the person each belongs to, if any) and the direct links between
# them. Cascades are trees, so the variable-length match lists each post once per path
# and stays small.
CASCADE = """
MATCH (root:Post {post_key: $key})
OPTIONAL MATCH path = (child:Post)-[:REPLY_TO|QUOTES|REPOSTS*1..20]->(root)
WITH root, child, min(length(path)) AS depth
WITH root, [c IN collect({post: child, depth: depth}) WHERE c.post IS NOT NULL] AS spread
WITH [{post: root, depth: 0}] + spread AS posts
UNWIND posts AS entry
WITH entry.post AS post, entry.depth AS depth, [e IN posts | e.post] AS members
OPTIONAL MATCH (author:Profile)-[:POSTED]->(post)
OPTIONAL MATCH (author)-[:PART_OF]->(person:Person)
WITH post, depth, members, author, min(person.person_id) AS person_id
RETURN post {.*} AS record, depth, author {.*} AS author, person_id,
       [(post)-[r:REPLY_TO|QUOTES|REPOSTS]->(parent:Post) WHERE parent IN members
        | {target: parent.post_key, type: type(r)}] AS links
"""
