"""Statements of subject access (GDPR art. 15): everything held about one person, read by
``$person_id`` — the person, their records with what links to them (claimed accounts,
communities, segments, brands), their posts, and the identity decisions on their records.
"""

from __future__ import annotations

__all__ = ["SUBJECT_DECISIONS", "SUBJECT_PERSON", "SUBJECT_POSTS", "SUBJECT_RECORDS"]

SUBJECT_PERSON = "MATCH (p:Person {person_id: $person_id}) RETURN properties(p) AS properties"

SUBJECT_RECORDS = """
MATCH (r)-[:PART_OF]->(:Person {person_id: $person_id})
WHERE r:Customer OR r:Profile
RETURN CASE WHEN r:Customer THEN 'Customer' ELSE 'Profile' END AS label,
       coalesce(r.customer_id, r.profile_key) AS key,
       properties(r) AS properties,
       [(r)-[:CLAIMS]->(claimed:Profile) | claimed.profile_key] AS claims,
       [(r)-[:IN]->(c:Community) |
        {run_id: c.run_id, community_id: c.community_id, label: c.label, size: c.size}]
         AS communities,
       [(r)-[:IN_SEGMENT]->(s:Segment) |
        {segment_id: s.segment_id, brand: s.brand, name: s.name, description: s.description}]
         AS segments,
       [(r)-[:OFFICIAL_OF]->(b:Brand) | b.name] AS official_of,
       COUNT { (r)-[:FOLLOWS]->() } AS follows,
       COUNT { (r)<-[:FOLLOWS]-() } AS followers
ORDER BY label, key
"""

SUBJECT_POSTS = """
MATCH (r:Profile)-[:PART_OF]->(:Person {person_id: $person_id})
MATCH (r)-[:POSTED]->(post:Post)
RETURN r.profile_key AS author, properties(post) AS properties,
       [(post)-[:MENTIONS]->(m:Profile) | m.profile_key] AS mentions
ORDER BY post.post_key
"""

SUBJECT_DECISIONS = """
MATCH (r)-[:PART_OF]->(:Person {person_id: $person_id})
WHERE r:Customer OR r:Profile
MATCH (r)-[s:SAME_AS]-()
WITH DISTINCT s
WITH s, startNode(s) AS a, endNode(s) AS b
RETURN CASE WHEN a:Customer THEN 'customer:' + a.customer_id ELSE 'profile:' + a.profile_key END AS a,
       CASE WHEN b:Customer THEN 'customer:' + b.customer_id ELSE 'profile:' + b.profile_key END AS b,
       properties(s) AS properties
ORDER BY a, b
"""
