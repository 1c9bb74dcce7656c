"""Read statements of the query API: records (customers, profiles, persons, posts, brands)
and the links between them, each batched over ``$ids`` so a GraphQL level is one round trip.

Every batched statement returns one row per input id that exists, keyed by ``key``.
"""

from __future__ import annotations

from srm.cypher.api_fields import profile_record

__all__ = [
    "BRANDS",
    "BRANDS_BY_NAME",
    "CUSTOMERS_BY_EMAIL",
    "CUSTOMERS_BY_ID",
    "OFFICIAL_PROFILES_OF_BRANDS",
    "PERSONS_BY_ID",
    "POSTS_BY_KEY",
    "PROFILES_BY_HANDLE",
    "PROFILES_BY_KEY",
    "PROFILE_CREATED_AT",
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

PROFILES_BY_KEY = (
    """
UNWIND $ids AS key
MATCH (p:Profile {profile_key: key})
RETURN key, """
    + profile_record("p")
    + """ AS record
"""
)

PROFILE_CREATED_AT = """
UNWIND $ids AS key
MATCH (p:Profile {profile_key: key})
RETURN key, p.created_at AS record
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

# Full-text search over names, handles and bios (index `search_text`, cypher/schema.py).
SEARCH = """
CALL db.index.fulltext.queryNodes('search_text', $text) YIELD node, score
WITH node, score
ORDER BY score DESC
LIMIT $limit
RETURN labels(node) AS labels, node {.*} AS record, score
"""
