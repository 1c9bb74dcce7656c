"""Statements used only by the privacy and reliability tests."""

# Privacy tests: a small graph around one person (C-1 + x:100 in Person P-1) and others.
CREATE_PRIVACY_GRAPH = """
CREATE (c1:Customer {customer_id: 'C-1', first_name: 'Jane', email: $email, phone: $phone})
CREATE (c2:Customer {customer_id: 'C-2', first_name: 'Omar', email: 'omar@example.net'})
CREATE (p100:Profile {profile_key: 'x:100', platform: 'x', native_id: '100',
                      handle: $handle, display_name: 'Jane E', pagerank: 0.5, pagerank_run: 'r1'})
CREATE (p200:Profile {profile_key: 'x:200', platform: 'x', native_id: '200', handle: 'omar'})
CREATE (p300:Profile {profile_key: 'x:300', platform: 'x', native_id: '300', handle: 'zed'})
CREATE (post1:Post {post_key: 'x:p1', text: 'my own words'})
CREATE (post2:Post {post_key: 'x:p2', text: 'hi @' + $handle + ' and @omar'})
CREATE (post3:Post {post_key: 'x:p3', text: 'a reply'})
CREATE (p100)-[:POSTED]->(post1)
CREATE (p200)-[:POSTED]->(post2)
CREATE (p200)-[:POSTED]->(post3)
CREATE (post2)-[:MENTIONS]->(p100)
CREATE (post2)-[:MENTIONS]->(p200)
CREATE (post3)-[:REPLY_TO]->(post1)
CREATE (p200)-[:MENTIONED {count: 2}]->(p100)
CREATE (p300)-[:FOLLOWS]->(p100)
CREATE (p100)-[:FOLLOWS]->(p200)
CREATE (c1)-[:CLAIMS]->(p100)
CREATE (c1)-[:SAME_AS {probability: 0.97, status: 'accepted', evidence: 'email+handle',
                       reviewed_by: 'admin'}]->(p100)
CREATE (person1:Person {person_id: 'P-1', name: 'Jane', emails: [$email]})
CREATE (person2:Person {person_id: 'P-2', name: 'Omar'})
CREATE (c1)-[:PART_OF]->(person1)
CREATE (p100)-[:PART_OF]->(person1)
CREATE (c2)-[:PART_OF]->(person2)
CREATE (p200)-[:PART_OF]->(person2)
CREATE (run:AlgorithmRun {run_id: 'r1', algorithm: 'pagerank'})
CREATE (k:Community {community_id: 1, run_id: 'r1'})
CREATE (p100)-[:IN]->(k)
CREATE (p200)-[:IN]->(k)
"""
ALL_NODE_PROPERTIES = "MATCH (n) RETURN labels(n) AS labels, properties(n) AS properties"
ALL_RELATIONSHIP_PROPERTIES = "MATCH ()-[r]->() RETURN type(r) AS type, properties(r) AS properties"
COUNT_LABEL = "MATCH (n) WHERE $label IN labels(n) RETURN count(n) AS count"
NODE_BY_KEY = (
    "MATCH (n) WHERE n.customer_id = $key OR n.profile_key = $key OR n.post_key = $key "
    "OR n.person_id = $key RETURN properties(n) AS properties"
)

# Values of every property type Neo4j stores, to prove a backup keeps types exactly.
CREATE_TYPED_VALUES = """
CREATE (run:AlgorithmRun {run_id: 'r9', algorithm: 'leiden', started_at: datetime($started),
        day: date('2026-01-02'), took: duration('PT1.5S'), parameters: ['a', 'b'],
        resolution: 0.25, code: '123', count: 123, where: point({x: 1.5, y: -2.0}),
        place: point({longitude: 2.35, latitude: 48.85}), flags: [true, false],
        blob: $blob, not_a_number: 0.0 / 0.0, local: localdatetime('2026-01-02T03:04:05')})
CREATE (k:Community {community_id: 7, run_id: 'r9', size: 2})
CREATE (odd:`We:ird Label` {`we ird {prop}`: 'x`y'})
CREATE (odd)-[:`ODD TYPE` {w: 1}]->(k)
CREATE (k)-[:FROM_RUN]->(run)
"""
HAS_RESTORE_LEFTOVERS = (
    "MATCH (n) WHERE n:SrmRestore OR n.srm_restore_id IS NOT NULL RETURN count(n) AS count"
)
CREATE_PROBE_VALUE = "CREATE (:Probe {n: $n})"
DUPLICATE_RELATIONSHIPS = """
MATCH (a)-[r]->(b)
WITH a, b, type(r) AS type, count(*) AS copies
WHERE copies > 1
RETURN count(*) AS count
"""
PERSONS_WITHOUT_RECORDS = (
    "MATCH (p:Person) WHERE NOT EXISTS { MATCH ()-[:PART_OF]->(p) } RETURN count(p) AS count"
)
PERSON_OF = "MATCH ({profile_key: $key})-[:PART_OF]->(p:Person) RETURN p.person_id AS person_id"
