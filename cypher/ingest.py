"""Ingest statements: batched ``UNWIND $rows AS row MERGE …``, nodes before relationships.

Relationship statements MATCH both ends by their unique key, MERGE the relationship and
return how many rows they linked (fewer than sent: an end is missing, so the writer stubs
it and runs the batch again, see :mod:`srm.ingest.batches`); none of them
reads what it writes, so no plan needs an Eager operator (checked by a test with EXPLAIN).
Properties are set in ``ON CREATE``/``ON MATCH`` (not a plain ``SET n += map`` after the
MERGE, which the planner protects with an Eager because the map might hold the key).
Nothing here stamps load times: ingesting the same input twice leaves the graph identical.
Timestamps travel as ISO-8601 text (``row.created_at``) and become DATETIME values on the
server: the driver's own datetime encoding costs about 40 µs per value on the client, more
than everything else a profile row needs.
"""

from __future__ import annotations

from srm.bundle_format import PLATFORMS, PROFILE_COLUMNS

__all__ = [
    "CASCADE_STATEMENTS",
    "CLAIMANT_PLATFORMS",
    "CLAIM_PROPERTIES",
    "CLEAR_SNAPSHOT_MARKS",
    "LINK_CLAIMS_BY_HANDLE",
    "LINK_CLAIMS_FROM_PROFILES",
    "LINK_FOLLOWS",
    "LINK_FOLLOWS_SNAPSHOT",
    "LINK_MENTIONS",
    "LINK_OFFICIAL",
    "LINK_OFFICIAL_BY_HANDLE",
    "LINK_POSTED",
    "LOAD_CSV_FOLLOWS",
    "LOAD_CSV_PROFILES",
    "MERGE_BRANDS",
    "MERGE_CUSTOMERS",
    "MERGE_POSTS",
    "MERGE_PROFILES",
    "MERGE_STUB_POSTS",
    "MERGE_STUB_PROFILES",
    "MISSING_POST_KEYS",
    "MISSING_PROFILE_KEYS",
    "PROFILE_ROW",
    "RECOMPUTE_MENTIONED",
    "SWEEP_SNAPSHOT",
    "WRITE_STATEMENTS",
]

MERGE_CUSTOMERS = """
UNWIND $rows AS row
MERGE (c:Customer {customer_id: row.id})
ON CREATE SET c += row.props
ON MATCH SET c += row.props
"""

# Profile rows are plain lists in PROFILE_ROW order (no maps: about 15 % less server
# time than ``p += row.props`` for new profiles): the key, the platform and native id, the
# bundle's profile columns (handle … posts_count), then truncated_fields and created_at,
# which the statement sets its own way. A column that is null leaves the stored value alone
# on a later load (a delta with fewer fields keeps the rest), except truncated_fields,
# which says what *this* load cut.
PROFILE_ROW = (
    "profile_key",
    "platform",
    "native_id",
    *(name for name in PROFILE_COLUMNS if name != "created_at"),
    "truncated_fields",
    "created_at",
)
_PROFILE_KEPT = PROFILE_ROW[1:-2]
_TRUNCATED, _CREATED = len(PROFILE_ROW) - 2, len(PROFILE_ROW) - 1

MERGE_PROFILES = f"""
UNWIND $rows AS row
MERGE (p:Profile {{profile_key: row[0]}})
ON CREATE SET {", ".join(f"p.{name} = row[{i}]" for i, name in enumerate(_PROFILE_KEPT, 1))},
  p.is_stub = false, p.truncated_fields = row[{_TRUNCATED}],
  p.created_at = datetime(row[{_CREATED}])
ON MATCH SET {
    ", ".join(f"p.{name} = coalesce(row[{i}], p.{name})" for i, name in enumerate(_PROFILE_KEPT, 1))
},
  p.is_stub = false, p.truncated_fields = row[{_TRUNCATED}],
  p.created_at = coalesce(datetime(row[{_CREATED}]), p.created_at)
"""

MERGE_POSTS = """
UNWIND $rows AS row
MERGE (p:Post {post_key: row.key})
ON CREATE SET p += row.props, p.is_stub = false, p.truncated_fields = row.truncated,
  p.created_at = datetime(row.created_at)
ON MATCH SET p += row.props, p.is_stub = false, p.truncated_fields = row.truncated,
  p.created_at = coalesce(datetime(row.created_at), p.created_at)
"""

MERGE_BRANDS = """
UNWIND $rows AS row
MERGE (b:Brand {name: row.name})
ON CREATE SET b.is_own = row.is_own
ON MATCH SET b.is_own = row.is_own
"""

# Which referenced keys are not in the graph (read only: no locks), to stub just those.
MISSING_PROFILE_KEYS = """
UNWIND $rows AS key
OPTIONAL MATCH (p:Profile {profile_key: key})
WITH key WHERE p IS NULL
RETURN collect(key) AS missing
"""

MISSING_POST_KEYS = """
UNWIND $rows AS key
OPTIONAL MATCH (p:Post {post_key: key})
WITH key WHERE p IS NULL
RETURN collect(key) AS missing
"""

# Referenced but maybe not (yet) loaded: created as stubs, completed when their row arrives.
MERGE_STUB_PROFILES = """
UNWIND $rows AS row
MERGE (p:Profile {profile_key: row.key})
ON CREATE SET p.platform = row.platform, p.native_id = row.id, p.is_stub = true
"""

MERGE_STUB_POSTS = """
UNWIND $rows AS row
MERGE (p:Post {post_key: row.key})
ON CREATE SET p.platform = row.platform, p.native_id = row.id, p.is_stub = true
"""

# Follows are the bulk of most inputs. Rows are compact: [follower key, [indexes into
# $targets]] (consecutive follows of one follower grouped), so each follower is looked up
# once, and $targets holds each followed key of the batch once: popular profiles are
# followed many times per batch (in generated data only a third of a 10k batch's follows
# have a distinct target), so each is looked up once, not once per follow (about 20 %
# less server time). ``collect([b])`` keeps a missing target as ``[null]`` so the indexes
# stay aligned (ORDER BY i makes that order explicit); its follows are skipped and
# counted short, which makes the writer stub it and run the batch again.
_FOLLOW_TARGETS = """
UNWIND range(0, size($targets) - 1) AS i
OPTIONAL MATCH (b:Profile {profile_key: $targets[i]})
WITH i, b ORDER BY i
WITH collect([b]) AS followed
UNWIND $rows AS row
MATCH (a:Profile {profile_key: row[0]})
UNWIND row[1] AS i
WITH a, followed[i][0] AS b
WHERE b IS NOT NULL
"""

LINK_FOLLOWS = (
    _FOLLOW_TARGETS
    + """MERGE (a)-[:FOLLOWS]->(b)
RETURN count(*) AS linked
"""
)

# --snapshot: mark what the snapshot holds; SWEEP_SNAPSHOT removes the rest afterwards.
LINK_FOLLOWS_SNAPSHOT = (
    _FOLLOW_TARGETS
    + """MERGE (a)-[r:FOLLOWS]->(b)
SET r.snapshot_job = $job, a.snapshot_job = $job
RETURN count(*) AS linked
"""
)

SWEEP_SNAPSHOT = """
MATCH (a:Profile {snapshot_job: $job})-[r:FOLLOWS]->()
WHERE r.snapshot_job IS NULL OR r.snapshot_job <> $job
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS
"""

CLEAR_SNAPSHOT_MARKS = """
MATCH (a:Profile) WHERE a.snapshot_job IS NOT NULL
CALL (a) {
  OPTIONAL MATCH (a)-[r:FOLLOWS]->()
  REMOVE r.snapshot_job
  WITH DISTINCT a
  REMOVE a.snapshot_job
} IN TRANSACTIONS OF 1000 ROWS
"""

LINK_POSTED = """
UNWIND $rows AS row
MATCH (a:Profile {profile_key: row.author})
MATCH (p:Post {post_key: row.key})
MERGE (a)-[:POSTED]->(p)
RETURN count(*) AS linked
"""

LINK_MENTIONS = """
UNWIND $rows AS row
MATCH (p:Post {post_key: row.post})
MATCH (m:Profile {profile_key: row.profile})
MERGE (p)-[:MENTIONS]->(m)
RETURN count(*) AS linked
"""

_CASCADE = """
UNWIND $rows AS row
MATCH (p:Post {{post_key: row.post}})
MATCH (t:Post {{post_key: row.target}})
MERGE (p)-[:{type}]->(t)
RETURN count(*) AS linked
"""

# Allow-list: the only relationship types a post can cascade through.
CASCADE_STATEMENTS = {
    kind: _CASCADE.format(type=kind) for kind in ("REPLY_TO", "QUOTES", "REPOSTS")
}

# Recomputed from the posts for the pairs a batch touched (never incremented), so loading
# the same posts again — or resuming a killed job — cannot double count. A row is an
# author and the profiles its posts of the batch mention: the author's posts are walked
# once for all of them, from the author (pattern comprehensions, which the planner cannot
# turn round). Matching both ends first let it walk every mention of the mentioned
# profile instead, for each pair: a brand mentioned by thousands cost thousands of steps
# per author who mentions it, and the load grew with its square.
RECOMPUTE_MENTIONED = """
UNWIND $rows AS row
MATCH (a:Profile {profile_key: row.a})
CALL (a, row) {
  UNWIND [(a)-[:POSTED]->(post:Post) | post] AS post
  UNWIND [(post)-[:MENTIONS]->(b:Profile) | b] AS b
  WITH post, b WHERE b.profile_key IN row.mentioned
  RETURN b, count(post) AS mentions, min(post.created_at) AS first_at,
         max(post.created_at) AS last_at
}
MERGE (a)-[m:MENTIONED]->(b)
SET m.count = mentions, m.first_at = first_at, m.last_at = last_at
"""

LINK_CLAIMS_BY_HANDLE = """
UNWIND $rows AS row
MATCH (c:Customer {customer_id: row.id})
MATCH (p:Profile {platform: row.platform, handle: row.handle})
MERGE (c)-[:CLAIMS]->(p)
"""

# Customer property holding the handle a CRM row claims on each platform (indexed in
# cypher/schema.py): X keeps the CRM's own column name, the others are <platform>_handle.
CLAIM_PROPERTIES: dict[str, str] = {
    platform: "twitter_handle" if platform == "x" else f"{platform}_handle"
    for platform in PLATFORMS
}

# Which platforms have customers claiming a handle there (read once per job): profiles of
# the other platforms need no claims lookup.
CLAIMANT_PLATFORMS = "RETURN " + ", ".join(
    f"EXISTS {{ MATCH (c:Customer) WHERE c.{prop} IS NOT NULL }} AS `{platform}`"
    for platform, prop in CLAIM_PROPERTIES.items()
)

# The other direction: profiles loaded after the CRM rows that claim their handle, one
# statement per platform (allow-list above) so each MATCH seeks its own index.
LINK_CLAIMS_FROM_PROFILES: dict[str, str] = {
    platform: f"""
UNWIND $rows AS row
MATCH (p:Profile {{profile_key: row.key}})
MATCH (c:Customer {{{prop}: row.handle}})
MERGE (c)-[:CLAIMS]->(p)
"""
    for platform, prop in CLAIM_PROPERTIES.items()
}

LINK_OFFICIAL = """
UNWIND $rows AS row
MATCH (b:Brand {name: row.brand})
MATCH (p:Profile {profile_key: row.key})
MERGE (p)-[:OFFICIAL_OF]->(b)
RETURN count(*) AS linked
"""

LINK_OFFICIAL_BY_HANDLE = """
UNWIND $rows AS row
MATCH (b:Brand {name: row.brand})
MATCH (p:Profile {platform: row.platform, handle: row.handle})
MERGE (p)-[:OFFICIAL_OF]->(b)
"""

# Every batched write statement (for the no-Eager test).
WRITE_STATEMENTS: dict[str, str] = {
    "MERGE_CUSTOMERS": MERGE_CUSTOMERS,
    "MERGE_PROFILES": MERGE_PROFILES,
    "MERGE_POSTS": MERGE_POSTS,
    "MERGE_BRANDS": MERGE_BRANDS,
    "MERGE_STUB_PROFILES": MERGE_STUB_PROFILES,
    "MERGE_STUB_POSTS": MERGE_STUB_POSTS,
    "LINK_FOLLOWS": LINK_FOLLOWS,
    "LINK_FOLLOWS_SNAPSHOT": LINK_FOLLOWS_SNAPSHOT,
    "LINK_POSTED": LINK_POSTED,
    "LINK_MENTIONS": LINK_MENTIONS,
    **{f"CASCADE_{kind}": statement for kind, statement in CASCADE_STATEMENTS.items()},
    "RECOMPUTE_MENTIONED": RECOMPUTE_MENTIONED,
    "LINK_CLAIMS_BY_HANDLE": LINK_CLAIMS_BY_HANDLE,
    **{
        f"LINK_CLAIMS_FROM_PROFILES_{platform}": statement
        for platform, statement in LINK_CLAIMS_FROM_PROFILES.items()
    },
    "LINK_OFFICIAL": LINK_OFFICIAL,
    "LINK_OFFICIAL_BY_HANDLE": LINK_OFFICIAL_BY_HANDLE,
}

# Baseline for bench/ingest.py: Neo4j's own server-side CSV load of the same profiles and
# follows (the generator's columns), into the same constraints, producing the same graph.
LOAD_CSV_PROFILES = """
LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {
  MERGE (p:Profile {profile_key: row.platform + ':' + row.profile_id})
  ON CREATE SET p.platform = row.platform, p.native_id = row.profile_id, p.handle = row.handle,
    p.display_name = row.display_name, p.bio = row.bio, p.location = row.location,
    p.followers_count = toInteger(row.followers_count), p.created_at = datetime(row.created_at),
    p.is_stub = false
  ON MATCH SET p.platform = row.platform, p.native_id = row.profile_id, p.handle = row.handle,
    p.display_name = row.display_name, p.bio = row.bio, p.location = row.location,
    p.followers_count = toInteger(row.followers_count), p.created_at = datetime(row.created_at),
    p.is_stub = false
} IN TRANSACTIONS OF 10000 ROWS
"""

LOAD_CSV_FOLLOWS = """
LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {
  MATCH (a:Profile {profile_key: row.follower_platform + ':' + row.follower_profile_id})
  MATCH (b:Profile {profile_key: row.followed_platform + ':' + row.followed_profile_id})
  MERGE (a)-[:FOLLOWS]->(b)
} IN TRANSACTIONS OF 10000 ROWS
"""
