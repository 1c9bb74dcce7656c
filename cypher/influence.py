"""The influence properties a run stores on each profile and person, named once.

graph/ writes them (``srm.cypher.analytics.SET_INFLUENCE``, built from
:data:`INFLUENCE_COLUMNS`) and every read — the query API, the REST enrichment, the maps and
their exports, the erasure — is built from :class:`Influence`. A read returns a property as a
named column: the property name without its ``influence_`` prefix (:attr:`Influence.column`:
``score``, ``percentile``, ``run_id``, …), so Python code reads ``row[Influence.SCORE.column]``
and no statement or reader spells a property out.

The helpers build Cypher fragments when the statements are defined (module import), from
these names only, never from input.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "INFLUENCE_COLUMNS",
    "INFLUENCE_PREFIX",
    "PERSON_INFLUENCE_COLUMNS",
    "Influence",
    "as_columns",
    "as_entries",
    "stored_digests",
]

INFLUENCE_PREFIX = "influence_"


class Influence(StrEnum):
    """A property an influence run stores on a Profile or Person (the value is the
    property name)."""

    SCORE = "influence_score"
    PERCENTILE = "influence_percentile"
    PAGERANK = "influence_pagerank"
    IN_DEGREE = "influence_in_degree"
    MENTION_IN_DEGREE = "influence_mention_in_degree"
    BETWEENNESS = "influence_betweenness"
    RUN_ID = "influence_run_id"
    # A 64-bit digest of the row last written (graph.writeback): a re-run reads it, not the
    # seven values, to send only the profiles whose values changed.
    DIGEST = "influence_digest"
    # JSON text, only on the best-ranked profiles of a run (graph.influence.explain) and
    # persons (graph.persons.explain_person).
    EXPLANATION = "influence_explanation"
    # On persons only (graph.persons; there IN_DEGREE is the unduplicated audience, in
    # follower persons): distinct follower accounts, declared followers summed over the
    # accounts, and the accounts the run scored.
    AUDIENCE_ACCOUNTS = "influence_audience_accounts"
    FOLLOWERS = "influence_followers"
    ACCOUNTS = "influence_accounts"

    @property
    def column(self) -> str:
        """The name reads return the property under (for a score component, the component's
        name in ``graph.influence``: ``pagerank``, ``betweenness``, …)."""
        return self.value.removeprefix(INFLUENCE_PREFIX)


# What the write-back sends for each profile, in its row order ([node id, *values]: lists,
# not maps, measurably faster to send). Betweenness stays last: a run that does not compute
# it sends null there, which removes an older value.
INFLUENCE_COLUMNS = (
    Influence.SCORE,
    Influence.PERCENTILE,
    Influence.PAGERANK,
    Influence.IN_DEGREE,
    Influence.MENTION_IN_DEGREE,
    Influence.BETWEENNESS,
)


# What the write-back sends for each person, in its row order ([node id, *values,
# explanation]); betweenness is null when the run did not compute it.
PERSON_INFLUENCE_COLUMNS = (
    Influence.SCORE,
    Influence.PERCENTILE,
    Influence.PAGERANK,
    Influence.IN_DEGREE,
    Influence.AUDIENCE_ACCOUNTS,
    Influence.FOLLOWERS,
    Influence.MENTION_IN_DEGREE,
    Influence.BETWEENNESS,
    Influence.ACCOUNTS,
)


def as_columns(node: str, *properties: Influence) -> str:
    """``node.influence_score AS score, …``: return columns of a statement."""
    return ", ".join(f"{node}.{name} AS {name.column}" for name in properties)


def as_entries(node: str, *properties: Influence) -> str:
    """``score: node.influence_score, …``: entries of a Cypher map."""
    return ", ".join(f"{name.column}: {node}.{name}" for name in properties)


def stored_digests(label: str, *, explained: bool = False) -> str:
    """The statement paging the node ids and digests of the ``label`` nodes stamped by one
    of the ``$survivors`` runs, ``$page`` nodes a record, as parallel lists (re-runs skip
    the unchanged); with ``explained``, also whether each holds an explanation."""
    holds = f"n.{Influence.EXPLANATION} IS NOT NULL" if explained else "false"
    return f"""
MATCH (n:{label})
WHERE n.{Influence.RUN_ID} IN $survivors AND n.{Influence.DIGEST} IS NOT NULL
WITH collect(id(n)) AS ids, collect(n.{Influence.DIGEST}) AS digests,
     collect({holds}) AS explained
UNWIND range(0, size(ids) - 1, $page) AS start
RETURN ids[start..start + $page] AS ids, digests[start..start + $page] AS digests,
       explained[start..start + $page] AS explained
"""
