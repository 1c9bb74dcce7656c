"""Identity resolution: load records, write SAME_AS and PART_OF, review decisions, export.

Records are addressed by kind and key in ``$rows``: ``kind`` is ``customer`` (key =
``customer_id``) or ``profile`` (key = ``profile_key``). Statements that touch one pair or
one record come in a dict keyed by the record kinds (:data:`PAIR_KINDS`), so each starts
from unique-key lookups with known labels.
"""

from __future__ import annotations

__all__ = [
    "DELETE_CANDIDATES",
    "DELETE_EMPTY_PERSONS",
    "DEMO_MEMBERS",
    "DEMO_PAIR",
    "EXPORT_RECORDS",
    "LOAD_CUSTOMERS",
    "LOAD_DECISIONS",
    "LOAD_FOLLOWS_PAGES",
    "LOAD_MENTIONS_PAGES",
    "LOAD_PERSONS",
    "LOAD_PROFILES",
    "PAIR_KINDS",
    "PERSON_MEMBERS",
    "READ_SAME_AS",
    "REVIEW_QUEUE",
    "SET_DECISION",
    "WRITE_PART_OF",
    "WRITE_SAME_AS",
]

# Record kinds (an allow-list): label and unique key of each.
_KINDS = {"customer": ("Customer", "customer_id"), "profile": ("Profile", "profile_key")}
# A pair's ends in canonical order (smaller record id first, so a customer precedes a
# profile): every SAME_AS link points from the smaller to the larger record id, and one
# directed MERGE between two unique-key lookups finds it.
PAIR_KINDS = (("customer", "customer"), ("customer", "profile"), ("profile", "profile"))


def _ends(a_kind: str, b_kind: str) -> str:
    (a_label, a_key), (b_label, b_key) = _KINDS[a_kind], _KINDS[b_kind]
    return f"""
MATCH (a:{a_label} {{{a_key}: row.a_key}})
MATCH (b:{b_label} {{{b_key}: row.b_key}})"""


# Pages of customers and profiles (srm.store.read_pages, in key order by their unique
# keys' indexes): records are normalised as they stream in, never all held as rows.
LOAD_CUSTOMERS = """
MATCH (c:Customer) WHERE c.customer_id > $after
WITH c ORDER BY c.customer_id LIMIT $limit
RETURN c.customer_id AS key, c.customer_id AS customer_id, c.first_name AS first_name,
       c.last_name AS last_name, c.email AS email, c.phone AS phone, c.city AS city,
       c.company AS company, c.twitter_handle AS twitter_handle
"""
LOAD_PROFILES = """
MATCH (p:Profile) WHERE p.profile_key > $after
WITH p ORDER BY p.profile_key LIMIT $limit
RETURN p.profile_key AS key, p.profile_key AS profile_key, p.platform AS platform,
       p.handle AS handle, p.display_name AS display_name, p.bio AS bio,
       p.location AS location, p.url AS url
"""
# A page of profiles (srm.store.read_pages), each with the keys of the profiles it follows
# (mentions) as one list: a record per profile, not per relationship, as the driver's cost
# is per record (a quarter of the time for a million follows).
_OUTGOING_PAGES = """
MATCH (a:Profile) WHERE a.profile_key > $after
WITH a ORDER BY a.profile_key LIMIT $limit
RETURN a.profile_key AS key, [(a)-[:{type}]->(b:Profile) | b.profile_key] AS targets
"""
LOAD_FOLLOWS_PAGES = _OUTGOING_PAGES.format(type="FOLLOWS")
LOAD_MENTIONS_PAGES = _OUTGOING_PAGES.format(type="MENTIONED")

_RECORD_ID = "CASE WHEN {n}:Customer THEN 'customer:' + {n}.customer_id ELSE 'profile:' + {n}.profile_key END"
LOAD_DECISIONS = f"""
MATCH (a)-[s:SAME_AS]->(b) WHERE s.status IN ['accepted', 'rejected']
RETURN {_RECORD_ID.format(n="a")} AS a, {_RECORD_ID.format(n="b")} AS b, s.status AS status
"""
LOAD_PERSONS = f"""
MATCH (r)-[:PART_OF]->(p:Person) WHERE r:Customer OR r:Profile
RETURN {_RECORD_ID.format(n="r")} AS record_id, p.person_id AS person_id
"""
# Whole-graph deletions run 1,000 a transaction (srm.store.write_in_transactions): a re-run
# replaces every candidate link, and one transaction would grow with the graph.
DELETE_CANDIDATES = """
MATCH ()-[s:SAME_AS {status: 'candidate'}]->()
CALL (s) { DELETE s } IN TRANSACTIONS OF 1000 ROWS
"""

WRITE_SAME_AS = {
    kinds: "UNWIND $rows AS row"
    + _ends(*kinds)
    + """
MERGE (a)-[s:SAME_AS]->(b)
ON CREATE SET s.status = 'candidate'
SET s.probability = row.probability, s.evidence = row.evidence,
    s.model_version = row.model_version
"""
    for kinds in PAIR_KINDS
}
WRITE_PART_OF = {
    kind: f"""
UNWIND $rows AS row
MATCH (record:{label} {{{key}: row.key}})
MERGE (person:Person {{person_id: row.person_id}})
SET person.name = row.name, person.model_version = row.model_version
WITH record, person
OPTIONAL MATCH (record)-[old:PART_OF]->(other:Person) WHERE other <> person
DELETE old
MERGE (record)-[:PART_OF]->(person)
"""
    for kind, (label, key) in _KINDS.items()
}
DELETE_EMPTY_PERSONS = """
MATCH (p:Person) WHERE NOT ()-[:PART_OF]->(p)
CALL (p) { DETACH DELETE p } IN TRANSACTIONS OF 1000 ROWS
"""

SET_DECISION = {
    kinds: "UNWIND $rows AS row"
    + _ends(*kinds)
    + """
MERGE (a)-[s:SAME_AS]->(b)
SET s.status = row.status, s.reviewed_by = row.reviewed_by, s.reviewed_at = datetime()
RETURN count(s) AS updated
"""
    for kinds in PAIR_KINDS
}
READ_SAME_AS = {
    kinds: "UNWIND $rows AS row"
    + _ends(*kinds)
    + """
MATCH (a)-[s:SAME_AS]->(b)
RETURN s.probability AS probability, s.status AS status, s.evidence AS evidence,
       s.model_version AS model_version, s.reviewed_by AS reviewed_by
"""
    for kinds in PAIR_KINDS
}
REVIEW_QUEUE = f"""
MATCH (a)-[s:SAME_AS {{status: 'candidate'}}]->(b)
WHERE s.probability >= $low AND s.probability <= $high
RETURN {_RECORD_ID.format(n="a")} AS a, {_RECORD_ID.format(n="b")} AS b,
       s.probability AS probability, s.evidence AS evidence
ORDER BY s.probability DESC LIMIT $limit
"""
PERSON_MEMBERS = f"""
MATCH (r)-[:PART_OF]->(p:Person {{person_id: $person_id}})
RETURN {_RECORD_ID.format(n="r")} AS record_id
"""
EXPORT_RECORDS = f"""
MATCH (r) WHERE r:Customer OR r:Profile
OPTIONAL MATCH (r)-[:PART_OF]->(p:Person)
RETURN {_RECORD_ID.format(n="r")} AS record_id, p.person_id AS person_id
ORDER BY record_id
"""
DEMO_PAIR = f"""
MATCH (a)-[s:SAME_AS]->(b), (a)-[:PART_OF]->(p:Person)<-[:PART_OF]-(b)
WHERE s.status <> 'rejected' AND (a:Customer OR a:Profile) AND b:Profile
WITH p, s, CASE WHEN a:Customer THEN 0 ELSE 1 END AS kind,
     COUNT {{ (p)<-[:PART_OF]-() }} AS size,
     {_RECORD_ID.format(n="a")} AS a_id, {_RECORD_ID.format(n="b")} AS b_id
RETURN p.person_id AS person_id, a_id AS a, b_id AS b
ORDER BY kind, size DESC, s.probability DESC, a_id, b_id
LIMIT 1
"""
DEMO_MEMBERS = f"""
MATCH (r)-[:PART_OF]->(:Person {{person_id: $person_id}})
RETURN {_RECORD_ID.format(n="r")} AS record_id,
       coalesce(r.display_name, trim(coalesce(r.first_name, '') + ' ' + coalesce(r.last_name, '')))
         AS name,
       coalesce(r.handle, r.twitter_handle) AS handle, coalesce(r.city, r.location) AS place
ORDER BY record_id
"""
