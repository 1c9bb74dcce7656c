"""Static projections of the query API: what a profile record carries when it is read for
GraphQL (never the long influence explanation text), and the short form of its score.

A GraphQL ``Profile`` shows the properties in :func:`profile_record` and ``created_at``,
which is read apart (``api_records.PROFILE_CREATED_AT``) and only when selected: turning
Neo4j datetimes into Python objects was the largest cost of a page of profiles. The score's
``score``/``percentile``/``run_id`` come with every record as ``short_score`` so a query that
asks for nothing more of the influence needs no second statement. The full influence (inputs
and stored explanation) is ``srm.cypher.api_links.influence_of``, read only when selected.
"""

from __future__ import annotations

from srm.cypher.influence import Influence, as_entries

__all__ = ["profile_record", "score_of"]


def score_of(node: str) -> str:
    """The short score of the profile bound to ``node``, or null when it was not scored."""
    entries = as_entries(node, Influence.SCORE, Influence.PERCENTILE, Influence.RUN_ID)
    return (
        f"CASE WHEN {node}.{Influence.SCORE} IS NULL THEN null ELSE {{\n"
        f"    {entries},\n"
        f"    profile_key: {node}.profile_key\n"
        "  } END"
    )


def profile_record(node: str, text: bool = True) -> str:
    """The GraphQL record of the profile bound to ``node``, with its short score; without
    ``text``, without its free-text properties (display name, bio, location, URL): for
    pages whose query selects none of them (a bio is most of a profile's bytes)."""
    texts = ".display_name, .bio, .location, .url, " if text else ""
    return (
        f"{node} {{.profile_key, .platform, .handle, {texts}"
        f".followers_count, short_score: {score_of(node)}}}"
    )
