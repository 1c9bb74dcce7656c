"""Statements of graph analytics: the bulk projection read, the small reads of reach,
cascades and segments, and the write-back of results stamped with a run id.

Projection reads stream integer pairs (Neo4j internal ids) so a million edges travel as
plain integers; write-back matches the same internal ids (a node-by-id seek, no index
lookup) inside the run that read them. Parameters are always ``$rows`` / ``$ids`` or
named scalars; nothing here is built from user input.
"""

from __future__ import annotations

from srm.cypher.influence import INFLUENCE_COLUMNS, Influence, as_columns, stored_digests

__all__ = [
    "BENCH_CREATE_FOLLOWS",
    "BENCH_CREATE_PROFILES",
    "BENCH_DELETE_ALL",
    "BRANDS",
    "BRAND_ENGAGED",
    "CASCADE_POSTS",
    "CLEAR_COMMUNITIES_OF_RUN",
    "CLEAR_INFLUENCE_EXPLANATIONS",
    "CLEAR_INFLUENCE_OF_RUN",
    "CLEAR_SEGMENT_MEMBERS",
    "CREATE_COMMUNITIES",
    "CUSTOMER_PROFILES",
    "DELETE_RUNS",
    "FINISH_RUN",
    "FOLLOWERS_OF",
    "INFLUENCE_OF_KEYS",
    "LATEST_COMMUNITY_MEMBERS",
    "LINK_COMMUNITY_MEMBERS",
    "LINK_SEGMENT_MEMBERS",
    "MERGE_SEGMENTS",
    "NEWEST_RUNS",
    "PERSON_PROFILES",
    "POST_TEXTS_OF_AUTHORS",
    "PROFILE_HANDLES",
    "PROJECTION_FOLLOWS",
    "PROJECTION_FOLLOW_COUNT",
    "PROJECTION_MENTIONS",
    "PROJECTION_MENTIONS_IN_WINDOW",
    "PROJECTION_MENTION_COUNT",
    "PROJECTION_NODES",
    "PROJECTION_PART_OF",
    "PROJECTION_POST_MENTION_COUNT",
    "RUNS_BEYOND_KEEP",
    "SET_INFLUENCE",
    "SET_INFLUENCE_EXPLANATION",
    "SET_REACH",
    "START_RUN",
    "STORED_INFLUENCE",
]

# --- projection (bulk, streamed) -------------------------------------------------------

# Brand audience: the brand's official profiles and every profile that follows or
# mentions one of them. Rows are gathered into pages of $page so a 200k-profile graph
# travels as a few records of long lists (per-record cost dominates otherwise).
PROJECTION_NODES = """
MATCH (p:Profile)
WHERE ($platforms IS NULL OR p.platform IN $platforms)
  AND ($brand IS NULL
       OR EXISTS { (p)-[:OFFICIAL_OF]->(:Brand {name: $brand}) }
       OR EXISTS { (p)-[:FOLLOWS|MENTIONED]->(:Profile)-[:OFFICIAL_OF]->(:Brand {name: $brand}) })
WITH collect([id(p), p.profile_key, coalesce(p.followers_count, 0)]) AS rows
UNWIND range(0, size(rows) - 1, $page) AS start
WITH rows[start..start + $page] AS page
RETURN [row IN page | row[0]] AS ids, [row IN page | row[1]] AS keys,
       [row IN page | row[2]] AS followers
"""

# Edges come from scans of the relationship type (the store's own order, no per-node
# expansion, no label check on either end: FOLLOWS and MENTIONED only join profiles, and
# ends outside the projection are dropped by the reader). A graph is read in $parts
# slices (relationship id modulo $parts) so no single answer holds more than about a
# million pairs; each slice is one record of integer lists (sources, targets and, for
# MENTIONED, counts).
PROJECTION_FOLLOW_COUNT = "MATCH ()-[r:FOLLOWS]->() RETURN count(r) AS n"

PROJECTION_FOLLOWS = """
MATCH (a)-[r:FOLLOWS]->(b)
WHERE id(r) % $parts = $part
RETURN collect(id(a)) AS sources, collect(id(b)) AS targets
"""

PROJECTION_MENTION_COUNT = "MATCH ()-[r:MENTIONED]->() RETURN count(r) AS n"

PROJECTION_MENTIONS = """
MATCH (a)-[r:MENTIONED]->(b)
WHERE id(r) % $parts = $part
RETURN collect(id(a)) AS sources, collect(id(b)) AS targets,
       collect(coalesce(r.count, 1)) AS counts
"""

# Which person each account belongs to, for the person layer: a scan of PART_OF (60k
# links in about 0.04 s on the bench store, against 1.8 s for an expansion of each
# profile in PROJECTION_NODES), read beside the follows. Customers' links come too and
# are dropped by the reader, as edges whose ends are outside the projection are.
PROJECTION_PART_OF = """
MATCH (account)-[:PART_OF]->(person:Person)
RETURN collect(id(account)) AS accounts, collect(id(person)) AS persons,
       collect(person.person_id) AS person_ids
"""

# Mentions counted from the posts created in [$since, $until): one per mentioning post.
PROJECTION_POST_MENTION_COUNT = "MATCH ()-[r:MENTIONS]->() RETURN count(r) AS n"

PROJECTION_MENTIONS_IN_WINDOW = """
MATCH (a)-[:POSTED]->(post:Post)-[r:MENTIONS]->(b)
WHERE id(r) % $parts = $part
  AND ($since IS NULL OR post.created_at >= $since)
  AND ($until IS NULL OR post.created_at < $until)
RETURN collect(id(a)) AS sources, collect(id(b)) AS targets
"""

# --- small reads ----------------------------------------------------------------------

FOLLOWERS_OF = """
UNWIND $ids AS key
MATCH (f:Profile)-[:FOLLOWS]->(:Profile {profile_key: key})
RETURN key, collect(f.profile_key) AS followers
"""

PERSON_PROFILES = """
MATCH (p:Profile)-[:PART_OF]->(:Person {person_id: $person_id})
RETURN p.profile_key AS key ORDER BY key
"""

PROFILE_HANDLES = """
UNWIND $ids AS key
MATCH (p:Profile {profile_key: key})
RETURN key, p.platform AS platform, p.handle AS handle, p.display_name AS display_name
"""

# The root post, every post that replies to, quotes or reposts it (transitively) and, for
# each, its author and the post it points at.
CASCADE_POSTS = """
MATCH (root:Post {post_key: $key})
CALL (root) {
  MATCH (p:Post)-[:REPLY_TO|QUOTES|REPOSTS*1..64]->(root)
  RETURN collect(DISTINCT p) AS descendants
}
UNWIND [root] + descendants AS post
OPTIONAL MATCH (post)-[link:REPLY_TO|QUOTES|REPOSTS]->(parent:Post)
OPTIONAL MATCH (author:Profile)-[:POSTED]->(post)
RETURN post.post_key AS key, author.profile_key AS author, post.created_at AS created_at,
       CASE WHEN post = root THEN null ELSE parent.post_key END AS parent,
       CASE WHEN post = root THEN null ELSE type(link) END AS kind
"""

# Profiles linked to a CRM customer: claimed by one, or part of a person a customer is too.
CUSTOMER_PROFILES = """
MATCH (p:Profile)
WHERE EXISTS { (:Customer)-[:CLAIMS]->(p) }
   OR EXISTS { (p)-[:PART_OF]->(:Person)<-[:PART_OF]-(:Customer) }
RETURN p.profile_key AS key
"""

BRANDS = """
MATCH (b:Brand)
RETURN b.name AS name, coalesce(b.is_own, false) AS is_own,
       [(o:Profile)-[:OFFICIAL_OF]->(b) | o.profile_key] AS officials
ORDER BY name
"""

# Engaged with a brand: follows or mentions one of its official profiles (officials of
# any brand are left out: brands engaging brands are not an audience).
BRAND_ENGAGED = """
MATCH (b:Brand)<-[:OFFICIAL_OF]-(o:Profile)<-[:FOLLOWS|MENTIONED]-(p:Profile)
WHERE NOT EXISTS { (p)-[:OFFICIAL_OF]->(:Brand) }
RETURN b.name AS brand, collect(DISTINCT p.profile_key) AS keys
"""

INFLUENCE_OF_KEYS = f"""
UNWIND $ids AS key
MATCH (p:Profile {{profile_key: key}})
RETURN key, {as_columns("p", Influence.SCORE, Influence.PERCENTILE)}
"""

POST_TEXTS_OF_AUTHORS = """
UNWIND $ids AS key
MATCH (:Profile {profile_key: key})-[:POSTED]->(post:Post)
WHERE post.text IS NOT NULL
RETURN key, collect(post.text) AS texts
"""

LATEST_COMMUNITY_MEMBERS = """
CALL () {
  MATCH (run:AlgorithmRun {algorithm: $algorithm})
  WHERE run.finished_at IS NOT NULL AND EXISTS { (:Community {run_id: run.run_id}) }
  RETURN run.run_id AS run_id ORDER BY run.finished_at DESC, run.run_id DESC LIMIT 1
}
MATCH (p:Profile)-[:IN]->(c:Community {run_id: run_id})
RETURN run_id, p.profile_key AS key, c.community_id AS community_id
"""

# --- runs -----------------------------------------------------------------------------

START_RUN = """
CREATE (run:AlgorithmRun {run_id: $run_id})
SET run += $properties, run.status = 'running', run.started_at = datetime()
"""

FINISH_RUN = """
MATCH (run:AlgorithmRun {run_id: $run_id})
SET run += $properties, run.status = $status, run.finished_at = datetime()
"""

# Runs of one algorithm beyond the newest $keep.
RUNS_BEYOND_KEEP = """
MATCH (run:AlgorithmRun {algorithm: $algorithm})
WITH run ORDER BY run.started_at DESC, run.run_id DESC
WITH collect(run.run_id) AS ids
RETURN ids[$keep..] AS old
"""

CLEAR_INFLUENCE_OF_RUN = f"""
MATCH (p:Profile) WHERE p.{Influence.RUN_ID} IN $ids
CALL (p) {{
  REMOVE {", ".join(f"p.{name}" for name in Influence)}
}} IN TRANSACTIONS OF 10000 ROWS
"""

CLEAR_COMMUNITIES_OF_RUN = """
MATCH (c:Community) WHERE c.run_id IN $ids
CALL (c) { DETACH DELETE c } IN TRANSACTIONS OF 1000 ROWS
"""

DELETE_RUNS = """
MATCH (run:AlgorithmRun) WHERE run.run_id IN $ids
DETACH DELETE run
"""

# The newest $keep runs of an algorithm (the running one included): those a clean-up after
# this run keeps, so values stamped with one of them stay.
NEWEST_RUNS = """
MATCH (run:AlgorithmRun {algorithm: $algorithm})
WITH run ORDER BY run.started_at DESC, run.run_id DESC
RETURN collect(run.run_id)[..$keep] AS ids
"""

# --- write-back -----------------------------------------------------------------------

# What earlier runs stored on each profile, in pages like PROJECTION_NODES: [node id, run
# id, digest of the values] (two properties read, not seven: the write-back sends only rows
# whose digest changed).
STORED_INFLUENCE = stored_digests("Profile")

# row: [node id, digest, *values in INFLUENCE_COLUMNS order (srm.cypher.influence)]
SET_INFLUENCE = f"""
UNWIND $rows AS row
MATCH (p:Profile) WHERE id(p) = row[0]
SET p.{Influence.RUN_ID} = $run_id, p.{Influence.DIGEST} = row[1],
    {", ".join(f"p.{name} = row[{index}]" for index, name in enumerate(INFLUENCE_COLUMNS, 2))}
"""

# row: [node id, explanation JSON]
SET_INFLUENCE_EXPLANATION = f"""
UNWIND $rows AS row
MATCH (p:Profile) WHERE id(p) = row[0]
SET p.{Influence.EXPLANATION} = row[1]
"""

# Only a run's explained best keep an explanation ($kept: their node ids); others would
# keep an older run's, naming its neighbours, as long as their values did not change.
CLEAR_INFLUENCE_EXPLANATIONS = f"""
MATCH (p:Profile) WHERE p.{Influence.EXPLANATION} IS NOT NULL AND NOT id(p) IN $kept
REMOVE p.{Influence.EXPLANATION}
"""

CREATE_COMMUNITIES = """
UNWIND $rows AS row
CREATE (c:Community {community_id: row.community_id, run_id: $run_id})
SET c.size = row.size, c.algorithm = $algorithm, c.label = row.label,
    c.top_words = row.top_words, c.top_hashtags = row.top_hashtags,
    c.customer_share = row.customer_share, c.previous_overlap = row.previous_overlap,
    c.person_count = row.person_count
"""

# row: [node_id, community_id]
LINK_COMMUNITY_MEMBERS = """
UNWIND $rows AS row
MATCH (p:Profile) WHERE id(p) = row[0]
MATCH (c:Community {community_id: row[1], run_id: $run_id})
CREATE (p)-[:IN]->(c)
"""

SET_REACH = """
UNWIND $rows AS row
MATCH (p:Profile {profile_key: row.key})
SET p.reach = row.reach, p.reach_first_hop = row.first_hop, p.reach_run_id = $run_id,
    p.reach_persons = row.persons, p.reach_first_hop_persons = row.first_hop_persons
"""

MERGE_SEGMENTS = """
UNWIND $rows AS row
MERGE (s:Segment {segment_id: row.segment_id})
SET s.brand = row.brand, s.name = row.name, s.description = row.description,
    s.run_id = $run_id, s.member_count = row.size, s.person_count = row.persons
"""

CLEAR_SEGMENT_MEMBERS = """
MATCH (:Profile)-[r:IN_SEGMENT]->(:Segment {brand: $brand})
DELETE r
"""

LINK_SEGMENT_MEMBERS = """
UNWIND $rows AS row
MATCH (p:Profile {profile_key: row.key})
MATCH (s:Segment {segment_id: row.segment_id})
MERGE (p)-[:IN_SEGMENT]->(s)
"""

# --- bench only: a synthetic graph written fast ------------------------------------------

BENCH_CREATE_PROFILES = """
UNWIND $rows AS row
CREATE (p:Profile {profile_key: row[0], platform: 'bench', followers_count: row[1]})
RETURN id(p) AS node_id
"""

# row: [follower node id, followed node id]
BENCH_CREATE_FOLLOWS = """
UNWIND $rows AS row
MATCH (a:Profile) WHERE id(a) = row[0]
MATCH (b:Profile) WHERE id(b) = row[1]
CREATE (a)-[:FOLLOWS]->(b)
"""

BENCH_DELETE_ALL = """
MATCH (n)
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
"""

# --- bench only: floors of the end-to-end job on the same store --------------------------
# What no read-compute-write job can go under: the server touching every follow (nothing
# sent back), and the write-back's own mechanics on every profile — the id seek alone,
# then the same with one float set (row: [node id, value]).

BENCH_FLOOR_FOLLOW_SCAN = """
MATCH (a)-[r:FOLLOWS]->(b)
RETURN sum(id(a)) + sum(id(b)) AS total
"""

BENCH_FLOOR_SEEK = """
UNWIND $rows AS row
MATCH (p:Profile) WHERE id(p) = row[0]
FINISH
"""

BENCH_FLOOR_SET_ONE = """
UNWIND $rows AS row
MATCH (p:Profile) WHERE id(p) = row[0]
SET p.bench_floor = row[1]
"""
