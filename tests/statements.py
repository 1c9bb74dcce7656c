"""Statements used only by the tests to set up and probe the graph."""

CREATE_PROBE = "UNWIND $rows AS row CREATE (:Probe {n: row.n, square: row.n * row.n})"
READ_PROBE = "MATCH (p:Probe {n: $n}) RETURN p.n AS n, p.square AS square"
COUNT_PROBES = "MATCH (p:Probe) RETURN count(p) AS count"
CREATE_CUSTOMER = "CREATE (:Customer {customer_id: $customer_id})"

# ingest tests
CUSTOMER_BY_ID = "MATCH (c:Customer {customer_id: $id}) RETURN properties(c) AS c"
PROFILE_BY_KEY = "MATCH (p:Profile {profile_key: $key}) RETURN properties(p) AS p"
POST_BY_KEY = "MATCH (p:Post {post_key: $key}) RETURN properties(p) AS p"
CLAIMED_KEYS = (
    "MATCH (c:Customer)-[:CLAIMS]->(p:Profile) "
    "RETURN c.customer_id AS customer, p.profile_key AS profile"
)
MENTIONED_EDGES = (
    "MATCH (a:Profile)-[m:MENTIONED]->(b:Profile) RETURN a.profile_key AS a, "
    "b.profile_key AS b, m.count AS count, m.first_at AS first_at, m.last_at AS last_at"
)
BRAND_OFFICIALS = (
    "MATCH (b:Brand) OPTIONAL MATCH (p:Profile)-[:OFFICIAL_OF]->(b) "
    "WITH b, p ORDER BY p.profile_key "
    "RETURN b.name AS brand, b.is_own AS is_own, collect(p.profile_key) AS profiles"
)
FOLLOW_PAIRS = (
    "MATCH (a:Profile)-[:FOLLOWS]->(b:Profile) RETURN a.profile_key AS a, b.profile_key AS b"
)

# The query API's test graph (tests/test_api_*.py): six profiles on platform x, two
# customers, one person, two brands, two communities of run r1, influence of run r0.
API_TEST_GRAPH = """
CREATE (alice:Profile {profile_key: 'x:1', platform: 'x', handle: 'alice', display_name: 'Alice A',
        bio: 'coffee roaster', followers_count: 4, influence_score: 0.9, influence_percentile: 100.0,
        influence_run_id: 'r0', influence_pagerank: 0.4,
        influence_explanation: '{"components": {"pagerank": {"weight": 0.5}}}'})
CREATE (bob:Profile {profile_key: 'x:2', platform: 'x', handle: 'bob', display_name: 'Bob B',
        influence_score: 0.5, influence_percentile: 80.0, influence_run_id: 'r0'})
CREATE (carol:Profile {profile_key: 'x:3', platform: 'x', handle: 'carol', display_name: 'Carol C',
        influence_score: 0.3, influence_percentile: 60.0, influence_run_id: 'r0'})
CREATE (dave:Profile {profile_key: 'x:4', platform: 'x', handle: 'dave', display_name: 'Dave D',
        influence_score: 0.2, influence_percentile: 40.0, influence_run_id: 'r0'})
CREATE (erin:Profile {profile_key: 'x:5', platform: 'x', handle: 'erin', display_name: 'Erin E',
        influence_score: 0.1, influence_percentile: 20.0, influence_run_id: 'r0'})
CREATE (acme_x:Profile {profile_key: 'x:6', platform: 'x', handle: 'acme', display_name: 'Acme'})
CREATE (bob)-[:FOLLOWS]->(alice), (carol)-[:FOLLOWS]->(alice), (dave)-[:FOLLOWS]->(alice),
       (erin)-[:FOLLOWS]->(alice), (alice)-[:FOLLOWS]->(bob), (carol)-[:FOLLOWS]->(bob),
       (erin)-[:FOLLOWS]->(dave)
CREATE (p1:Post {post_key: 'x:p1', text: 'new roast out', created_at: datetime('2026-01-01T10:00:00Z')})
CREATE (p2:Post {post_key: 'x:p2', text: 'RT new roast out', created_at: datetime('2026-01-02T10:00:00Z')})
CREATE (p3:Post {post_key: 'x:p3', text: 'love it', created_at: datetime('2026-01-03T10:00:00Z')})
CREATE (alice)-[:POSTED]->(p1), (bob)-[:POSTED]->(p2), (carol)-[:POSTED]->(p3),
       (p1)-[:MENTIONS]->(bob), (p2)-[:REPOSTS]->(p1), (p3)-[:REPLY_TO]->(p1),
       (alice)-[:MENTIONED {count: 1}]->(bob)
CREATE (c1:Customer {customer_id: 'C1', first_name: 'Alice', last_name: 'Smith',
        email: 'alice@example.com', phone: '+15550001', city: 'Lyon', company: 'Roasters'})
CREATE (c2:Customer {customer_id: 'C2', first_name: 'Dan', last_name: 'Doe',
        email: 'dan@example.com', phone: '+15550002'})
CREATE (c1)-[:CLAIMS]->(alice)
CREATE (person:Person {person_id: 'P1', name: 'Alice Smith'})
CREATE (c1)-[:PART_OF]->(person), (alice)-[:PART_OF]->(person)
CREATE (c2)-[:SAME_AS {probability: 0.93, status: 'candidate', model_version: 'm1',
        evidence: '[{"comparison": "name", "weight": 2.1}]'}]->(dave)
CREATE (acme:Brand {name: 'Acme'}), (rival:Brand {name: 'Rival', competitor: true})
CREATE (acme_x)-[:OFFICIAL_OF]->(acme), (erin)-[:OFFICIAL_OF]->(rival)
CREATE (bob)-[:FOLLOWS]->(acme_x), (carol)-[:FOLLOWS]->(acme_x), (carol)-[:FOLLOWS]->(erin)
CREATE (r0:AlgorithmRun {run_id: 'r0', algorithm: 'pagerank', started_at: datetime('2026-01-05T00:00:00Z'),
        finished_at: datetime('2026-01-05T00:00:01Z'), node_count: 6})
CREATE (r1:AlgorithmRun {run_id: 'r1', algorithm: 'leiden', started_at: datetime('2026-01-05T00:00:02Z'),
        finished_at: datetime('2026-01-05T00:00:03Z')})
CREATE (k1:Community {community_id: 'k1', run_id: 'r1'}), (k2:Community {community_id: 'k2', run_id: 'r1'})
CREATE (alice)-[:IN]->(k1), (bob)-[:IN]->(k1), (carol)-[:IN]->(k1), (dave)-[:IN]->(k2), (erin)-[:IN]->(k2)
CREATE (segment:Segment {segment_id: 's1', name: 'loyal fans', brand: 'Acme', run_id: 'r1'})
CREATE (alice)-[:IN_SEGMENT]->(segment)
"""

# reader tests (tests/test_readers_*.py)
READER_CASCADES = (
    "MATCH (a:Post)-[r:REPLY_TO|QUOTES|REPOSTS]->(b:Post) "
    "RETURN a.post_key AS a, type(r) AS type, b.post_key AS b"
)
READER_POSTED = (
    "MATCH (p:Profile)-[:POSTED]->(q:Post) RETURN p.profile_key AS profile, q.post_key AS post"
)
READER_POST_MENTIONS = (
    "MATCH (q:Post)-[:MENTIONS]->(p:Profile) RETURN q.post_key AS post, p.profile_key AS profile"
)
READER_LABEL_COUNTS = "MATCH (n) RETURN labels(n)[0] AS label, count(*) AS count"

# map tests (tests/test_viz_*.py): what analytics and identity resolution would stamp on
# an ingested graph — influence scores, one community run, persons and SAME_AS links.
VIZ_SET_INFLUENCE = """
UNWIND $rows AS row
MATCH (p:Profile {profile_key: row.key})
SET p.influence_score = row.score, p.influence_percentile = row.percentile,
    p.influence_run_id = 'viz-influence'
"""
VIZ_COMMUNITY_RUN = """
CREATE (:AlgorithmRun {run_id: 'viz-communities', algorithm: 'leiden',
        started_at: datetime('2026-02-01T00:00:00Z'), finished_at: datetime('2026-02-01T00:00:01Z')})
WITH 1 AS one
UNWIND $rows AS row
MATCH (p:Profile {profile_key: row.key})
MERGE (c:Community {community_id: row.community, run_id: 'viz-communities'})
MERGE (p)-[:IN]->(c)
"""
VIZ_PART_OF = """
UNWIND $rows AS row
MERGE (person:Person {person_id: row.person})
WITH person, row
OPTIONAL MATCH (c:Customer {customer_id: row.customer})
OPTIONAL MATCH (p:Profile {profile_key: row.profile})
WITH person, coalesce(c, p) AS record
MERGE (record)-[:PART_OF]->(person)
"""
VIZ_SAME_AS = """
UNWIND $rows AS row
MATCH (a) WHERE (a:Customer AND a.customer_id = row.a) OR (a:Profile AND a.profile_key = row.a)
MATCH (b) WHERE (b:Customer AND b.customer_id = row.b) OR (b:Profile AND b.profile_key = row.b)
MERGE (a)-[s:SAME_AS]->(b)
SET s.probability = row.probability, s.status = row.status
"""
VIZ_GRAPH_SIZES = """
RETURN COUNT { (:Profile) } AS profiles, COUNT { ()-[:FOLLOWS]->() } AS follows,
       COUNT { ()-[:MENTIONED]->() } AS mentioned
"""
SNAPSHOT_MARKS = (
    "MATCH (a:Profile) OPTIONAL MATCH (a)-[r:FOLLOWS]->() "
    "RETURN count(a.snapshot_job) + count(r.snapshot_job) AS marks"
)
COUNT_FOLLOWS = "MATCH ()-[r:FOLLOWS]->() RETURN count(r) AS count"

# analytics tests (tests/test_analytics_*.py)
ANALYTICS_INFLUENCE = """
MATCH (p:Profile)
RETURN p.profile_key AS key, p.influence_score AS score, p.influence_percentile AS percentile,
       p.influence_run_id AS run_id, p.influence_pagerank AS pagerank,
       p.influence_betweenness AS betweenness, p.influence_explanation AS explanation
ORDER BY key
"""
ANALYTICS_RUNS = "MATCH (r:AlgorithmRun) RETURN r {.*} AS run ORDER BY r.started_at, r.run_id"
ANALYTICS_MEMBERSHIP = """
MATCH (p:Profile)-[:IN]->(c:Community {run_id: $run_id})
RETURN p.profile_key AS key, c.community_id AS community_id ORDER BY key
"""
ANALYTICS_COMMUNITY_RUNS = "MATCH (c:Community) RETURN DISTINCT c.run_id AS run_id ORDER BY run_id"
ANALYTICS_SEGMENT_MEMBERS = """
MATCH (p:Profile)-[:IN_SEGMENT]->(s:Segment {brand: $brand})
RETURN s.name AS name, s.run_id AS run_id, collect(p.profile_key) AS keys
"""
ANALYTICS_REACH = (
    "MATCH (p:Profile {profile_key: $key}) RETURN p.reach AS reach, p.reach_run_id AS run_id"
)

# ingest options tests (tests/test_ingest_options.py)
CLAIMS_EDGE_COUNT = "MATCH (:Customer)-[r:CLAIMS]->(:Profile) RETURN count(r) AS n"

PROFILE_CREATED = "MATCH (p:Profile) RETURN p.profile_key AS key, p.created_at AS at"
POST_CREATED = "MATCH (p:Post) RETURN p.post_key AS key, p.created_at AS at"

# bounded housekeeping (tests/test_housekeeping_bounded.py): profiles, then follows of hubs
CREATE_PLAIN_PROFILES = """
UNWIND $rows AS row
CREATE (:Profile {profile_key: 'x:' + row.id, platform: 'x', native_id: row.id,
                  handle: 'user' + row.id, bio: row.bio})
"""
CREATE_PLATFORM_PROFILES = """
UNWIND $rows AS row
CREATE (:Profile {profile_key: row.platform + ':' + row.id, platform: row.platform,
                  native_id: row.id, handle: 'user' + row.id})
"""
CREATE_HUB_FOLLOWS = """
UNWIND $rows AS row
MATCH (a:Profile {profile_key: row.a}), (b:Profile {profile_key: row.b})
CREATE (a)-[:FOLLOWS {since: row.since}]->(b)
"""
CREATE_PLAIN_MENTIONS = """
UNWIND $rows AS row
MATCH (a:Profile {profile_key: row.a}), (b:Profile {profile_key: row.b})
CREATE (a)-[:MENTIONED {count: 1}]->(b)
"""

# person layer tests (tests/test_analytics_persons.py)
PERSON_INFLUENCE = """
MATCH (p:Person)
RETURN p.person_id AS person_id, properties(p) AS properties
ORDER BY person_id
"""
PERSONS_UNLINK = """
MATCH (p:Profile)-[r:PART_OF]->(:Person) WHERE p.profile_key IN $keys
DELETE r
"""
PERSONS_CUSTOMER_OF_S = """
MATCH (person:Person {person_id: 'S'})
CREATE (:Customer {customer_id: 'K-S', email: $email, phone: $phone})-[:PART_OF]->(person)
"""
PERSON_OF_A_CUSTOMER_ONLY = """
CREATE (:Customer {customer_id: $customer_id})-[:PART_OF]->(:Person {person_id: $person_id})
"""
PERSON_NODE_IDS = "MATCH (p:Person) RETURN p.person_id AS person_id, id(p) AS node_id"
ANALYTICS_SEGMENT_COUNTS = """
MATCH (s:Segment {brand: $brand})
RETURN s.name AS name, s.member_count AS size, s.person_count AS persons
"""
# A person whose records are the given profiles (the bounded-housekeeping tests).
CREATE_PERSON_OF_PROFILES = """
UNWIND $rows AS row
MATCH (p:Profile {profile_key: row.key})
MERGE (person:Person {person_id: row.person_id})
CREATE (p)-[:PART_OF]->(person)
"""
CREATE_CANDIDATE_LINKS = """
UNWIND $rows AS row
MATCH (a:Profile {profile_key: row.a}), (b:Profile {profile_key: row.b})
CREATE (a)-[:SAME_AS {status: 'candidate', probability: 0.6, evidence: row.evidence}]->(b)
"""
CREATE_EMPTY_PERSONS = "UNWIND $rows AS row CREATE (:Person {person_id: row.id, name: row.name})"
COUNT_CANDIDATES_OF = """
MATCH ()-[s:SAME_AS {status: 'candidate'}]->() WHERE s.evidence STARTS WITH $prefix
RETURN count(s) AS count
"""
