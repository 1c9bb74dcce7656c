"""Statements of erasure (GDPR) and suppression: find a person's records, anonymise what
others said about them, delete what they are and what was derived from them, remember a
salted hash of their keys, audit the act without the data.

Every statement takes key lists (``$customer_ids``, ``$profile_keys``, ``$person_ids``) so
one erasure runs them in one transaction.
"""

from __future__ import annotations

__all__ = [
    "ALL_PERSON_IDS",
    "ALL_RECORD_KEYS",
    "ANONYMISE_MENTIONED",
    "ANONYMISE_MENTIONS",
    "ANONYMISE_POST_REFERENCES",
    "CREATE_AUDIT",
    "DELETE_AUTHORED_POSTS",
    "DELETE_CUSTOMERS",
    "DELETE_EMPTY_PERSONS",
    "DELETE_FOLLOWS_OF_PROFILES",
    "DELETE_PERSONS",
    "DELETE_PROFILES",
    "DELETE_REVIEW_DECISIONS",
    "FIND_CUSTOMER",
    "FIND_PERSONS",
    "FIND_PERSON_MEMBERS",
    "FIND_PROFILE",
    "FIND_RECORDS",
    "LIST_SUPPRESSIONS",
    "MERGE_SUPPRESSIONS",
    "PERSON_PROPERTIES",
    "REPLACE_PERSON_PROPERTIES",
    "SET_POST_TEXTS",
    "SUPPRESSION_EXISTS",
]

FIND_CUSTOMER = """
MATCH (c:Customer {customer_id: $id})
RETURN 'Customer' AS label, c.customer_id AS key, properties(c) AS properties
"""

FIND_PROFILE = """
MATCH (p:Profile {profile_key: $id})
RETURN 'Profile' AS label, p.profile_key AS key, properties(p) AS properties
"""

FIND_PERSON_MEMBERS = """
MATCH (person:Person {person_id: $id})
OPTIONAL MATCH (record)-[:PART_OF]->(person)
WHERE record:Customer OR record:Profile
RETURN CASE WHEN record:Customer THEN 'Customer' ELSE 'Profile' END AS label,
       coalesce(record.customer_id, record.profile_key) AS key,
       properties(record) AS properties
"""

# Records by key, and every record of the persons named (a restore replaying erasures).
FIND_RECORDS = """
CALL () {
  MATCH (c:Customer) WHERE c.customer_id IN $customer_ids RETURN c AS record
  UNION
  MATCH (p:Profile) WHERE p.profile_key IN $profile_keys RETURN p AS record
  UNION
  MATCH (record)-[:PART_OF]->(person:Person)
  WHERE person.person_id IN $person_ids AND (record:Customer OR record:Profile)
  RETURN record
}
RETURN CASE WHEN record:Customer THEN 'Customer' ELSE 'Profile' END AS label,
       coalesce(record.customer_id, record.profile_key) AS key,
       properties(record) AS properties
"""

FIND_PERSONS = "MATCH (p:Person) WHERE p.person_id IN $person_ids RETURN p.person_id AS person_id"

# Mentions of an erased profile become a bare count on the mentioning post.
ANONYMISE_MENTIONS = """
MATCH (post:Post)-[:MENTIONS]->(target:Profile)
WHERE target.profile_key IN $profile_keys
  AND NOT EXISTS { MATCH (author:Profile)-[:POSTED]->(post) WHERE author.profile_key IN $profile_keys }
WITH post, count(*) AS mentions
SET post.erased_mention_count = coalesce(post.erased_mention_count, 0) + mentions
RETURN count(post) AS posts
"""

ANONYMISE_MENTIONED = """
MATCH (source:Profile)-[mentioned:MENTIONED]->(target:Profile)
WHERE target.profile_key IN $profile_keys AND NOT source.profile_key IN $profile_keys
WITH source, sum(coalesce(mentioned.count, 1)) AS mentions
SET source.erased_mention_count = coalesce(source.erased_mention_count, 0) + mentions
RETURN count(source) AS profiles
"""

# Replies, quotes and reposts of an erased post keep only the fact that one existed.
ANONYMISE_POST_REFERENCES = """
MATCH (author:Profile)-[:POSTED]->(erased:Post)<-[:REPLY_TO|QUOTES|REPOSTS]-(post:Post)
WHERE author.profile_key IN $profile_keys
  AND NOT EXISTS { MATCH (other:Profile)-[:POSTED]->(post) WHERE other.profile_key IN $profile_keys }
WITH post, count(*) AS references
SET post.erased_reference_count = coalesce(post.erased_reference_count, 0) + references
RETURN count(post) AS posts
"""

SET_POST_TEXTS = """
UNWIND $rows AS row
MATCH (post:Post {post_key: row.post_key})
SET post.text = row.text
"""

DELETE_AUTHORED_POSTS = """
MATCH (author:Profile)-[:POSTED]->(post:Post)
WHERE author.profile_key IN $profile_keys
DETACH DELETE post
RETURN count(*) AS deleted
"""

# Before the erasure's transaction, the erased profiles' follows go 1,000 a transaction
# (auto-commit, srm.store.write_in_transactions): the one relationship of a record whose
# count has no bound — a hub's millions of followers would not fit one transaction.
DELETE_FOLLOWS_OF_PROFILES = """
MATCH (p:Profile) WHERE p.profile_key IN $profile_keys
MATCH (p)-[follows:FOLLOWS]-()
CALL (follows) { DELETE follows } IN TRANSACTIONS OF 1000 ROWS
"""

DELETE_CUSTOMERS = """
MATCH (c:Customer) WHERE c.customer_id IN $customer_ids
DETACH DELETE c
RETURN count(*) AS deleted
"""

DELETE_PROFILES = """
MATCH (p:Profile) WHERE p.profile_key IN $profile_keys
DETACH DELETE p
RETURN count(*) AS deleted
"""

# Review decisions name the records they were about (in their pairs too): they go with them.
DELETE_REVIEW_DECISIONS = """
MATCH (d:ReviewDecision)
WHERE d.record_a IN $record_ids OR d.record_b IN $record_ids
   OR any(pair IN d.pairs WHERE any(id IN split(pair, '|') WHERE id IN $record_ids))
DETACH DELETE d
"""

DELETE_PERSONS = """
MATCH (person:Person) WHERE person.person_id IN $person_ids
DETACH DELETE person
RETURN count(*) AS deleted
"""

DELETE_EMPTY_PERSONS = """
MATCH (person:Person)
WHERE person.person_id IN $person_ids AND NOT EXISTS { MATCH ()-[:PART_OF]->(person) }
DETACH DELETE person
RETURN count(*) AS deleted
"""

PERSON_PROPERTIES = """
MATCH (person:Person) WHERE person.person_id IN $person_ids
RETURN person.person_id AS person_id, properties(person) AS properties
"""

REPLACE_PERSON_PROPERTIES = """
UNWIND $rows AS row
MATCH (person:Person {person_id: row.person_id})
SET person = row.properties
"""

MERGE_SUPPRESSIONS = """
UNWIND $rows AS row
MERGE (s:Suppression {key_hash: row.key_hash})
ON CREATE SET s.created_at = datetime()
"""

SUPPRESSION_EXISTS = """
UNWIND $rows AS row
MATCH (s:Suppression {key_hash: row.key_hash})
RETURN s.key_hash AS key_hash
"""

# The keys a suppression hash can name, of every record and person (restore replay).
ALL_RECORD_KEYS = """
MATCH (c:Customer)
RETURN 'Customer' AS label, c.customer_id AS key,
       {customer_id: c.customer_id, email: c.email, phone: c.phone} AS properties
UNION ALL
MATCH (p:Profile)
RETURN 'Profile' AS label, p.profile_key AS key,
       {profile_key: p.profile_key, platform: p.platform, handle: p.handle} AS properties
"""

ALL_PERSON_IDS = "MATCH (p:Person) RETURN p.person_id AS person_id"

LIST_SUPPRESSIONS = "MATCH (s:Suppression) RETURN s.key_hash AS key_hash"

CREATE_AUDIT = """
CREATE (:ErasureAudit {at: datetime(), by: $by, kind: $kind, records: $records})
"""
