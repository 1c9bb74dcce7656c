"""Read statements of the query API over the social network: paged neighbour lists
(followers, following, posts, mentions, amplifications), ego networks and shortest paths.

Paged statements take ``$rows`` of ``{key, offset, first}`` so a whole GraphQL level of
connections is one round trip; each row returns its ``total`` and the requested slice
(one extra item tells whether a next page exists).
"""

from __future__ import annotations

from srm.cypher.api_fields import profile_record

__all__ = [
    "AMPLIFICATIONS_PAGES",
    "EGO_NETWORK",
    "FOLLOWERS_PAGES",
    "FOLLOWERS_PAGES_NO_TEXT",
    "FOLLOWING_PAGES",
    "MENTIONS_PAGES",
    "POSTS_PAGES",
    "PROFILES_WITH_FOLLOWERS_PAGES",
    "PROFILES_WITH_FOLLOWERS_PAGES_NO_TEXT",
    "SHORTEST_PATH",
]


def _neighbour_pages(pattern: str, with_profile: bool = False) -> str:
    """Pages of the profiles ``other`` that ``pattern`` links to ``p``, by profile key; with
    ``with_profile`` each row also carries ``p``'s own record (as ``record``). The rows come
    collected in one list (``rows``; srm.store_async.read_collected), as from every ``*_PAGES``."""
    own = f"record: {profile_record('p')}, " if with_profile else ""
    return f"""
UNWIND $rows AS row
MATCH (p:Profile {{profile_key: row.key}})
CALL (p, row) {{
  MATCH {pattern}
  WITH other ORDER BY other.profile_key
  WITH collect(other) AS others
  RETURN size(others) AS total, others[row.offset..row.offset + row.first + 1] AS page
}}
RETURN collect({{key: row.key, offset: row.offset, first: row.first, {own}total: total,
       records: [n IN page | {profile_record("n")}]}}) AS rows
"""


def _follower_pages(with_profile: bool = False, text: bool = True) -> str:
    """Pages of ``p``'s followers, those on ``p``'s own platform first, then the others
    (follows rarely cross platforms), each part by profile key; each row as
    :func:`_neighbour_pages` gives it, read one of two ways, whichever reads fewer profiles:

    - *sorting*: every follower's key read, then sorted: ``total`` profiles;
    - *walking* the profile-key index over ``p``'s platform (keys ``platform:id``) in
      order, keeping the profiles that follow ``p``, until the page's end
      ``offset + first + 1``: about that many times ``profiles / total`` index entries
      (each kept one costs one expansion). A walk that ends before the page's end (the
      page reaches followers on other platforms) is followed by sorting.

    Walking wins for a profile followed by a good share of the graph (a brand's page, an
    influencer's), whose sorted list grows with the graph; sorting wins for everyone else.
    The walk stays within the platform: walking from the first key would first pass every
    profile of the platforms whose names sort before (millions, in a large graph).
    ``$limit`` is the largest page end among ``$rows`` (LIMIT cannot read a row). Without
    ``text`` the followers come without their free-text properties (``p``'s own record,
    with ``with_profile``, keeps them)."""
    own = f"record: {profile_record('p')}, " if with_profile else ""
    return f"""
CALL () {{ MATCH (n:Profile) RETURN count(n) AS profiles }}
UNWIND $rows AS row
MATCH (p:Profile {{profile_key: row.key}})
WITH p, row, profiles, COUNT {{ (p)<-[:FOLLOWS]-() }} AS total
WITH p, row, total, profiles, row.offset + row.first + 1 AS end, p.platform + ':' AS home
WITH p, row, total, end, home, end * profiles < total * total AS walk
// each subquery reads nothing unless its way is chosen, and returns one row either way
CALL (p, walk, home) {{
  // a null bound seeks nothing: the index is not walked unless chosen
  WITH p, CASE WHEN walk THEN home END AS after, p.platform + ';' AS before
  MATCH (other:Profile)
  USING INDEX other:Profile(profile_key)
  WHERE other.profile_key > after AND other.profile_key < before AND (other)-[:FOLLOWS]->(p)
  WITH other ORDER BY other.profile_key LIMIT $limit
  RETURN collect(other) AS walked
}}
WITH row, p, total, end, home, walk, walked, walk AND size(walked) >= end AS enough
CALL (p, enough, home) {{
  UNWIND CASE WHEN enough THEN [] ELSE [1] END AS chosen
  OPTIONAL MATCH (other:Profile)-[:FOLLOWS]->(p)
  WITH other ORDER BY NOT other.profile_key STARTS WITH home, other.profile_key
  RETURN collect(other) AS sorted
}}
WITH row, p, total,
     (CASE WHEN enough THEN walked ELSE sorted END)[row.offset..row.offset + row.first + 1]
       AS page
RETURN collect({{key: row.key, offset: row.offset, first: row.first, {own}total: total,
       records: [n IN page | {profile_record("n", text)}]}}) AS rows
"""


FOLLOWERS_PAGES = _follower_pages()
FOLLOWERS_PAGES_NO_TEXT = _follower_pages(text=False)
FOLLOWING_PAGES = _neighbour_pages("(p)-[:FOLLOWS]->(other:Profile)")
# A profile looked up by key together with a page of its followers (the same page as
# FOLLOWERS_PAGES): one round trip instead of PROFILES_BY_KEY, then FOLLOWERS_PAGES.
PROFILES_WITH_FOLLOWERS_PAGES = _follower_pages(with_profile=True)
PROFILES_WITH_FOLLOWERS_PAGES_NO_TEXT = _follower_pages(with_profile=True, text=False)

POSTS_PAGES = """
UNWIND $rows AS row
MATCH (p:Profile {profile_key: row.key})
CALL (p, row) {
  MATCH (p)-[:POSTED]->(post:Post)
  WITH post ORDER BY post.created_at DESC, post.post_key
  WITH collect(post) AS posts
  RETURN size(posts) AS total, posts[row.offset..row.offset + row.first + 1] AS page
}
RETURN collect({key: row.key, offset: row.offset, first: row.first, total: total,
       records: [n IN page | n {.*, author_key: p.profile_key}]}) AS rows
"""

# Posts that mention the profile, newest first.
MENTIONS_PAGES = """
UNWIND $rows AS row
MATCH (p:Profile {profile_key: row.key})
CALL (p, row) {
  MATCH (post:Post)-[:MENTIONS]->(p)
  OPTIONAL MATCH (author:Profile)-[:POSTED]->(post)
  WITH post, author ORDER BY post.created_at DESC, post.post_key
  WITH collect(post {.*, author_key: author.profile_key}) AS posts
  RETURN size(posts) AS total, posts[row.offset..row.offset + row.first + 1] AS page
}
RETURN collect({key: row.key, offset: row.offset, first: row.first, total: total,
       records: page}) AS rows
"""

# Replies, quotes and reposts of a post: who amplified it, oldest first.
AMPLIFICATIONS_PAGES = """
UNWIND $rows AS row
MATCH (post:Post {post_key: row.key})
CALL (post, row) {
  MATCH (other:Post)-[r:REPLY_TO|QUOTES|REPOSTS]->(post)
  OPTIONAL MATCH (author:Profile)-[:POSTED]->(other)
  WITH other, r, author ORDER BY other.created_at, other.post_key
  WITH collect(other {.*, author_key: author.profile_key, kind: type(r)}) AS posts
  RETURN size(posts) AS total, posts[row.offset..row.offset + row.first + 1] AS page
}
RETURN collect({key: row.key, offset: row.offset, first: row.first, total: total,
       records: page}) AS rows
"""

# One level of an ego network: the next profiles out from ``frontier`` (the level before,
# every one of them kept), the first by key, while ``members`` has room (at most $limit
# besides the centre). Read like a followers page (_follower_pages), whichever way reads
# fewer profiles: walking the profile-key index for profiles linked to the frontier (about
# ``need * profiles / total`` entries) or reading and sorting every neighbour (``total``,
# the frontier's degree). Around a hub the neighbourhood grows with the graph; the walk
# does not. As for followers, the walk stays within the centre's platform (its profiles
# first within a level, then the others, each by key) and sorting takes over when it
# ends early. The hop bound is a count of these levels (1..3).
_EGO_LEVEL = """
CALL (members, frontier, profiles, home) {
  CALL (frontier) {
    UNWIND frontier AS f
    RETURN sum(COUNT { (f)-[:FOLLOWS|MENTIONED]-() }) AS total
  }
  WITH members, frontier, home, profiles, total, $limit + 1 - size(members) AS need
  WITH members, frontier, home, need, need > 0 AND need * profiles < total * total AS walk
  CALL (members, frontier, walk, home) {
    // a null bound seeks nothing: the index is not walked unless chosen
    WITH members, frontier, CASE WHEN walk THEN home + ':' END AS after, home + ';' AS before
    MATCH (other:Profile)
    USING INDEX other:Profile(profile_key)
    WHERE other.profile_key > after AND other.profile_key < before
      // CASE: a member (the hub itself) is never expanded, whatever order the planner picks
      AND CASE WHEN other IN members THEN false
               ELSE EXISTS { (other)-[:FOLLOWS|MENTIONED]-(f) WHERE f IN frontier } END
    WITH other ORDER BY other.profile_key LIMIT $limit
    RETURN collect(other) AS walked
  }
  WITH members, frontier, home, need, walked, walk AND size(walked) >= need AS enough
  CALL (members, frontier, home, need, enough) {
    UNWIND CASE WHEN need > 0 AND NOT enough THEN frontier ELSE [] END AS f
    MATCH (f)-[:FOLLOWS|MENTIONED]-(other:Profile)
    WHERE NOT other IN members
    WITH DISTINCT other
    ORDER BY NOT other.profile_key STARTS WITH home + ':', other.profile_key LIMIT $limit
    RETURN collect(other) AS sorted
  }
  RETURN CASE WHEN need <= 0 THEN [] WHEN enough THEN walked[..need] ELSE sorted[..need] END
    AS level
}
WITH members + level AS members, level AS frontier, profiles, home
"""

# The relationships among the members: each member's outgoing ones, read from the member
# when it has fewer than there are members, else looked up member by member (each lookup
# reads the smaller side): a hub among them is never read whole.
_EGO_EDGES = """
CALL (members) {
  UNWIND members AS a
  CALL (a, members) {
    WITH a, members WHERE COUNT { (a)-[:FOLLOWS|MENTIONED]->() } <= size(members)
    MATCH (a)-[r:FOLLOWS|MENTIONED]->(b)
    WHERE b IN members
    RETURN r, b
    UNION ALL
    WITH a, members WHERE COUNT { (a)-[:FOLLOWS|MENTIONED]->() } > size(members)
    UNWIND members AS b
    MATCH (a)-[r:FOLLOWS|MENTIONED]->(b)
    RETURN r, b
  }
  RETURN collect({source: a.profile_key, target: b.profile_key, type: type(r)}) AS edges
}
"""


def _ego_network(depth: int) -> str:
    """The centre and at most ``$limit`` profiles within ``depth`` FOLLOWS/MENTIONED hops
    (either direction), nearest first and by key within a level, and their relationships."""
    return (
        """
CALL () { MATCH (n:Profile) RETURN count(n) AS profiles }
MATCH (centre:Profile {profile_key: $key})
WITH [centre] AS members, [centre] AS frontier, profiles, centre.platform AS home
"""
        + _EGO_LEVEL * depth
        + _EGO_EDGES
        + f"RETURN [n IN members | {profile_record('n')}] AS records, edges\n"
    )


EGO_NETWORK = {depth: _ego_network(depth) for depth in (1, 2, 3)}

SHORTEST_PATH = """
MATCH (a:Profile {profile_key: $a}), (b:Profile {profile_key: $b})
MATCH path = shortestPath((a)-[:FOLLOWS|MENTIONED*..8]-(b))
RETURN [n IN nodes(path) | n {.*}] AS records,
       [r IN relationships(path) | {source: startNode(r).profile_key,
                                    target: endNode(r).profile_key, type: type(r)}] AS edges
"""
