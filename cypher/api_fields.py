"""Static projections of the query API: what a profile record carries when it is read for
GraphQL (never the long ``influence_explanation`` text), and the short form of its score.

A GraphQL ``Profile`` shows the properties in :data:`PROFILE_RECORD` and ``created_at``,
which is read apart (``api_records.PROFILE_CREATED_AT``) and only when selected: turning
Neo4j datetimes into Python objects was the largest cost of a page of profiles. The score's
``value``/``percentile``/``runId`` come with every record as ``short_score`` so a query that asks
for nothing more of the influence needs no second statement. The full influence (inputs and
stored explanation) is ``srm.cypher.api_links.INFLUENCE_OF``, read only when selected.
"""

from __future__ import annotations

__all__ = ["PROFILE_RECORD", "SCORE_OF"]

# ``{node}`` names the variable; the doubled braces are literal map braces.
SCORE_OF = """CASE WHEN {node}.influence_score IS NULL THEN null ELSE {{
    value: {node}.influence_score,
    percentile: {node}.influence_percentile,
    run_id: {node}.influence_run_id,
    profile_key: {node}.profile_key
  }} END"""

PROFILE_RECORD = (
    "{node} {{.profile_key, .platform, .handle, .display_name, .bio, .location, .url, "
    ".followers_count, short_score: " + SCORE_OF + "}}"
)
