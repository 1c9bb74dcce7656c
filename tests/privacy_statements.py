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
LINK_PERSON = """
MERGE (person:Person {person_id: $person_id})
SET person.name = 'Begoña Muñoz Pérez'
WITH person
MATCH (c:Customer {customer_id: $customer_id}), (p:Profile {profile_key: $profile_key})
MERGE (c)-[:PART_OF]->(person)
MERGE (p)-[:PART_OF]->(person)
"""
POST_TEXT = "MATCH (p:Post {post_key: $key}) RETURN p.text AS text"

# The erasure-everywhere test: a person with a CRM record and an active profile that is
# one of another profile's top influence contributors.
PICK_PERSON = """
MATCH (:Customer)-[:PART_OF]->(person:Person)<-[:PART_OF]-(p:Profile)
WHERE EXISTS { (p)-[:POSTED]->() } AND EXISTS { (p)<-[:FOLLOWS]-() }
  AND EXISTS {
    MATCH (other:Profile)
    WHERE other.influence_explanation CONTAINS '"' + p.profile_key + '"'
  }
WITH person, count(DISTINCT p) AS profiles
RETURN person.person_id AS person_id ORDER BY profiles DESC, person_id LIMIT 1
"""
PERSON_RECORDS = """
MATCH (r)-[:PART_OF]->(:Person {person_id: $person_id})
RETURN CASE WHEN r:Customer THEN 'customer:' + r.customer_id ELSE 'profile:' + r.profile_key END
         AS record_id, properties(r) AS properties,
       [(r)-[:POSTED]->(post:Post) | post.post_key] AS posts
"""
PERSON_PROFILE_KEYS = """
MATCH (p:Profile)-[:PART_OF]->(:Person {person_id: $person_id}) RETURN p.profile_key AS key
ORDER BY key
"""
CREATE_REVIEW_DECISION = """
CREATE (:ReviewDecision {record_a: $a, record_b: $b, decision: 'accepted', by: 'dpo',
                         at: datetime()})
"""
OTHER_RECORDS_NAMED = """
MATCH (r)
WHERE (r:Customer OR r:Profile)
  AND NOT EXISTS { (r)-[:PART_OF]->(:Person {person_id: $person_id}) }
  AND (toLower(trim(coalesce(r.first_name, '') + ' ' + coalesce(r.last_name, ''))) = toLower($name)
       OR toLower(r.display_name) = toLower($name))
RETURN count(r) AS count
"""
SET_SCORES = """
MATCH (p:Profile {profile_key: $key})
SET p.influence_score = 0.42, p.influence_percentile = 99.0, p.reach = 12
"""
# Datetimes at the edges of the whole-graph reads' text form: nanoseconds, offsets east and
# west with minutes, before 1970, years 1 and 9999, a named zone, lists and other temporals.
CREATE_DATETIME_EDGES = """
UNWIND $texts AS text
CREATE (a:Probe {at: datetime(text), also: [datetime(text)], day: date(datetime(text))})
CREATE (a)-[:SEEN {at: datetime(text), local: localdatetime(datetime(text))}]->(:Probe)
"""
ALL_PROPERTIES = """
MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS properties
"""
ALL_RELATIONSHIP_PROPERTIES = """
MATCH (a)-[r]->(b)
RETURN elementId(a) AS start, type(r) AS type, properties(r) AS properties, elementId(b) AS end
"""
# Cypher's own text of every datetime and its zone: tells an offset from a named zone.
# (A named zone is kept as its offset at that instant: the backup's text has no zone.)
DATETIMES_AS_TEXT = """
MATCH (n:Probe)-[r:SEEN]->()
RETURN toString(n.at) AS at, n.at.timezone AS zone, toString(r.at) AS seen,
       [t IN n.also | toString(t)] AS also
ORDER BY n.at
"""
