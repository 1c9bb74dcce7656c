"""Read statements of the query API: records (customers, profiles, persons, posts, brands)
and the links between them, each batched over ``$ids`` so a GraphQL level is one round trip.

Every batched statement returns one row per input id that exists, keyed by ``key``.
"""

from __future__ import annotations

__all__ = [
    "BRANDS",
    "BRANDS_BY_NAME",
    "CUSTOMERS_BY_EMAIL",
    "CUSTOMERS_BY_ID",
    "CUSTOMERS_OF_PERSONS",
    "CUSTOMERS_OF_PROFILES",
    "OFFICIAL_PROFILES_OF_BRANDS",
    "PERSONS_BY_ID",
    "PERSON_OF_CUSTOMERS",
    "PERSON_OF_PROFILES",
    "POSTS_BY_KEY",
    "PROFILES_BY_HANDLE",
    "PROFILES_BY_KEY",
    "PROFILES_OF_CUSTOMERS",
    "PROFILES_OF_PERSONS",
    "SEARCH",
]

CUSTOMERS_BY_ID = """
UNWIND $ids AS key
MATCH (c:Customer {customer_id: key})
RETURN key, c {.*} AS record
"""

CUSTOMERS_BY_EMAIL = """
MATCH (c:Customer) WHERE c.email = $email
RETURN c {.*} AS record
ORDER BY c.customer_id
LIMIT 1
"""

PROFILES_BY_KEY = """
UNWIND $ids AS key
MATCH (p:Profile {profile_key: key})
RETURN key, p {.*} AS record
"""

PROFILES_BY_HANDLE = """
MATCH (p:Profile {platform: $platform}) WHERE toLower(p.handle) = toLower($handle)
RETURN p {.*} AS record
ORDER BY p.profile_key
LIMIT 1
"""

PERSONS_BY_ID = """
UNWIND $ids AS key
MATCH (n:Person {person_id: key})
RETURN key, n {.*} AS record
"""

POSTS_BY_KEY = """
UNWIND $ids AS key
MATCH (post:Post {post_key: key})
OPTIONAL MATCH (author:Profile)-[:POSTED]->(post)
RETURN key, post {.*, author_key: author.profile_key} AS record
"""

BRANDS = """
MATCH (b:Brand)
RETURN b {.*} AS record
ORDER BY b.name
"""

BRANDS_BY_NAME = """
UNWIND $ids AS key
MATCH (b:Brand {name: key})
RETURN key, b {.*} AS record
"""

OFFICIAL_PROFILES_OF_BRANDS = """
UNWIND $ids AS key
MATCH (p:Profile)-[:OFFICIAL_OF]->(:Brand {name: key})
WITH key, p ORDER BY p.profile_key
RETURN key, collect(p {.*}) AS records
"""

PERSON_OF_PROFILES = """
UNWIND $ids AS key
MATCH (:Profile {profile_key: key})-[:PART_OF]->(n:Person)
RETURN key, n {.*} AS record
"""

PERSON_OF_CUSTOMERS = """
UNWIND $ids AS key
MATCH (:Customer {customer_id: key})-[:PART_OF]->(n:Person)
RETURN key, n {.*} AS record
"""

PROFILES_OF_PERSONS = """
UNWIND $ids AS key
MATCH (:Person {person_id: key})<-[:PART_OF]-(p:Profile)
WITH key, p ORDER BY p.profile_key
RETURN key, collect(p {.*}) AS records
"""

CUSTOMERS_OF_PERSONS = """
UNWIND $ids AS key
MATCH (:Person {person_id: key})<-[:PART_OF]-(c:Customer)
WITH key, c ORDER BY c.customer_id
RETURN key, collect(c {.*}) AS records
"""

# A customer's profiles: the ones its CRM row claims, and the ones resolved to the same person.
PROFILES_OF_CUSTOMERS = """
UNWIND $ids AS key
MATCH (c:Customer {customer_id: key})
CALL (c) {
  MATCH (c)-[:CLAIMS]->(p:Profile) RETURN p
  UNION
  MATCH (c)-[:PART_OF]->(:Person)<-[:PART_OF]-(p:Profile) RETURN p
}
WITH key, p ORDER BY p.profile_key
RETURN key, collect(p {.*}) AS records
"""

CUSTOMERS_OF_PROFILES = """
UNWIND $ids AS key
MATCH (p:Profile {profile_key: key})
CALL (p) {
  MATCH (c:Customer)-[:CLAIMS]->(p) RETURN c
  UNION
  MATCH (p)-[:PART_OF]->(:Person)<-[:PART_OF]-(c:Customer) RETURN c
}
WITH key, c ORDER BY c.customer_id
RETURN key, collect(c {.*}) AS records
"""

# Full-text search over names, handles and bios (index `search_text`, cypher/schema.py).
SEARCH = """
CALL db.index.fulltext.queryNodes('search_text', $text) YIELD node, score
WITH node, score
ORDER BY score DESC
LIMIT $limit
RETURN labels(node) AS labels, node {.*} AS record, score
"""
