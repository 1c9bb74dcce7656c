"""Statements of backup (export the graph) and restore (load it into an empty Neo4j).

The typed dump reads every node and relationship with :mod:`srm.cypher.admin`'s whole-graph
reads (those of the content fingerprint); restore recreates them with
dynamic labels and types (``$(…)``, Neo4j 5.26) taken from parameters, never from text, and
matches relationship ends on a temporary ``SrmRestore.srm_restore_id`` it removes at the end.
"""

from __future__ import annotations

from srm.cypher.admin import readable_properties

__all__ = [
    "ANY_NODE",
    "CREATE_RESTORE_INDEX",
    "DROP_RESTORE_INDEX",
    "EXPORT_BRANDS",
    "EXPORT_CUSTOMERS",
    "EXPORT_CUSTOMER_EXTRA_KEYS",
    "EXPORT_FOLLOWS",
    "EXPORT_PERSONS",
    "EXPORT_POSTS",
    "EXPORT_PROFILES",
    "RESTORE_CLEANUP",
    "RESTORE_NODES",
    "RESTORE_RELATIONSHIPS",
]

ANY_NODE = "MATCH (n) RETURN count(n) > 0 AS found LIMIT 1"

# The exports read pages in key order (srm.store.read_pages: ``$after``, ``$limit``, a
# ``key`` column): the uniqueness constraint's index seeks past ``$after`` and hands the
# rows over ordered, so no page sorts a label and each is its own short transaction.
EXPORT_CUSTOMER_EXTRA_KEYS = """
MATCH (c:Customer)
UNWIND keys(c) AS key
WITH DISTINCT key WHERE key STARTS WITH 'x_'
RETURN key ORDER BY key
"""

EXPORT_CUSTOMERS = f"""
MATCH (c:Customer) WHERE c.customer_id > $after
WITH c ORDER BY c.customer_id LIMIT $limit
RETURN c.customer_id AS key, {readable_properties("c")} AS properties,
       [(c)-[:CLAIMS]->(claimed:Profile {{platform: 'x'}}) | claimed.handle] AS twitter_handles
"""

EXPORT_PROFILES = f"""
MATCH (p:Profile) WHERE p.profile_key > $after
WITH p ORDER BY p.profile_key LIMIT $limit
RETURN p.profile_key AS key, {readable_properties("p")} AS properties
"""

# A page of followers, each with everything it follows (a page holds $limit profiles'
# out-degrees; the writer sorts each list by the followed key).
EXPORT_FOLLOWS = """
MATCH (a:Profile) WHERE a.profile_key > $after
WITH a ORDER BY a.profile_key LIMIT $limit
RETURN a.profile_key AS key, a.native_id AS follower, a.platform AS follower_platform,
       [(a)-[:FOLLOWS]->(b:Profile) | [b.profile_key, b.native_id, b.platform]] AS followed
"""

EXPORT_POSTS = f"""
MATCH (post:Post) WHERE post.post_key > $after
WITH post ORDER BY post.post_key LIMIT $limit
OPTIONAL MATCH (author:Profile)-[:POSTED]->(post)
RETURN post.post_key AS key, {readable_properties("post")} AS properties, author.native_id AS author,
       author.platform AS platform,
       [(post)-[:MENTIONS]->(m:Profile) | m.native_id] AS mentioned,
       [(post)-[:REPLY_TO]->(t:Post) | t.native_id][0] AS reply_to,
       [(post)-[:QUOTES]->(t:Post) | t.native_id][0] AS quote_of,
       [(post)-[:REPOSTS]->(t:Post) | t.native_id][0] AS repost_of
"""

# Persons and the record ids (customer:<id>, profile:<platform:id>) PART_OF each.
EXPORT_PERSONS = """
MATCH (person:Person) WHERE person.person_id > $after
WITH person ORDER BY person.person_id LIMIT $limit
RETURN person.person_id AS key,
       [(record)-[:PART_OF]->(person) WHERE record:Customer OR record:Profile |
        CASE WHEN record:Customer THEN 'customer:' + record.customer_id
             ELSE 'profile:' + record.profile_key END] AS records
"""

EXPORT_BRANDS = """
MATCH (b:Brand)
RETURN b.name AS name, coalesce(b.is_own, false) AS is_own,
       [(p:Profile)-[:OFFICIAL_OF]->(b) | p.profile_key] AS official
ORDER BY b.name
"""

CREATE_RESTORE_INDEX = (
    "CREATE INDEX srm_restore_id IF NOT EXISTS FOR (n:SrmRestore) ON (n.srm_restore_id)"
)
DROP_RESTORE_INDEX = "DROP INDEX srm_restore_id IF EXISTS"


def _set_datetimes(element: str) -> str:
    """Set the zoned datetimes (or lists of them) a restore row carries as text
    (``row.datetimes``: ``[name, text or texts]``; see srm.operations.backup._lines)."""
    return (
        f"FOREACH (pair IN row.datetimes |\n"
        f"  SET {element}[pair[0]] = CASE WHEN pair[1] IS :: LIST<ANY> "
        f"THEN [text IN pair[1] | datetime(text)] ELSE datetime(pair[1]) END)"
    )


RESTORE_NODES = f"""
UNWIND $rows AS row
CREATE (n:SrmRestore {{srm_restore_id: row.id}})
SET n += row.properties
SET n:$(row.labels)
{_set_datetimes("n")}
"""

RESTORE_RELATIONSHIPS = f"""
UNWIND $rows AS row
MATCH (a:SrmRestore {{srm_restore_id: row.start}})
MATCH (b:SrmRestore {{srm_restore_id: row.end}})
CREATE (a)-[r:$(row.type)]->(b)
SET r = row.properties
{_set_datetimes("r")}
"""

RESTORE_CLEANUP = """
MATCH (n:SrmRestore)
CALL (n) { REMOVE n:SrmRestore REMOVE n.srm_restore_id } IN TRANSACTIONS OF 1000 ROWS
"""
