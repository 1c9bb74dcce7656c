"""Statements of the places an erasure scrubs beyond the records themselves: posts whose
texts name an erased handle (with what they mention), the keys of the erased posts, and
derived data that copies identifiers — influence explanations, algorithm runs, community
summaries, review decisions — read whole and written back scrubbed.

Nodes are written back by ``elementId`` read in the same transaction.
"""

from __future__ import annotations

from srm.cypher.influence import Influence

__all__ = [
    "AUTHORED_POST_KEYS",
    "COMMUNITY_PROPERTIES",
    "DECISION_NODES",
    "EXPLAINED_PROFILES",
    "PERSONS_OF_ERASED",
    "POSTS_NAMING",
    "REPLACE_NODE_PROPERTIES",
    "RUN_PROPERTIES",
]

AUTHORED_POST_KEYS = """
MATCH (author:Profile)-[:POSTED]->(post:Post)
WHERE author.profile_key IN $profile_keys
RETURN DISTINCT post.post_key AS key
"""

# Other people's posts whose text holds a needle (lower case), with the profiles they
# mention: a Mastodon short mention (@user) is resolved against them.
POSTS_NAMING = """
UNWIND $needles AS needle
MATCH (post:Post)
WHERE post.text IS NOT NULL AND toLower(post.text) CONTAINS needle
  AND NOT EXISTS { MATCH (author:Profile)-[:POSTED]->(post) WHERE author.profile_key IN $profile_keys }
WITH DISTINCT post
RETURN post.post_key AS post_key, post.text AS text,
       [(post)-[:MENTIONS]->(m:Profile) | {key: m.profile_key, handle: m.handle}] AS mentioned
"""

# Profiles and persons (a person's explanation lists its accounts and top followers).
EXPLAINED_PROFILES = f"""
MATCH (p) WHERE p:Profile OR p:Person
WITH p
WHERE p.{Influence.EXPLANATION} IS NOT NULL AND NOT coalesce(p.profile_key, '') IN $profile_keys
  AND any(needle IN $needles WHERE p.{Influence.EXPLANATION} CONTAINS needle)
RETURN elementId(p) AS id, {{{Influence.EXPLANATION}: p.{Influence.EXPLANATION}}} AS properties
"""

RUN_PROPERTIES = (
    "MATCH (run:AlgorithmRun) RETURN elementId(run) AS id, properties(run) AS properties"
)

COMMUNITY_PROPERTIES = """
MATCH (c:Community)
RETURN elementId(c) AS id,
       {label: c.label, top_words: c.top_words, top_hashtags: c.top_hashtags} AS properties
"""

# Identity review decisions: any node labelled as one, or carrying a record or merge id
# property, whatever its label (decision records may be added under other labels).
DECISION_NODES = """
MATCH (n)
WHERE NOT n:Customer AND NOT n:Profile AND NOT n:Post
  AND ('ReviewDecision' IN labels(n) OR n.record_id IS NOT NULL OR n.record_ids IS NOT NULL
       OR n.merge_id IS NOT NULL OR n.pair_id IS NOT NULL OR n.record_a IS NOT NULL
       OR n.record_b IS NOT NULL OR n.a IS NOT NULL OR n.b IS NOT NULL)
RETURN elementId(n) AS id, properties(n) AS properties
"""

REPLACE_NODE_PROPERTIES = """
UNWIND $rows AS row
MATCH (n) WHERE elementId(n) = row.id
SET n += row.properties
"""

# The persons the records are PART_OF, and whether the erasure leaves them empty.
PERSONS_OF_ERASED = """
MATCH (record)-[:PART_OF]->(person:Person)
WHERE record.customer_id IN $customer_ids OR record.profile_key IN $profile_keys
WITH DISTINCT person
RETURN person.person_id AS person_id,
       NOT EXISTS {
         MATCH (other)-[:PART_OF]->(person)
         WHERE NOT (coalesce(other.customer_id, '') IN $customer_ids
                    OR coalesce(other.profile_key, '') IN $profile_keys)
       } AS emptied
"""
