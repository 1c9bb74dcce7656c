"""The graph jobs the API may start: analyses and merge reviews, each an explicit call of
graph/'s entry points (``srm.graph.analysis``, ``srm.graph.identity.pipeline``).

This is the API's only door into graph/: resolvers and the job queue call these functions
and never look one up by name. They block; callers run them off the event loop.
"""

from __future__ import annotations

from collections.abc import Callable

from neo4j import Driver

from srm.graph import analysis
from srm.graph.identity import pipeline

__all__ = [
    "ANALYSES",
    "accept_merge",
    "reject_merge",
    "resolve_identities",
    "run_communities",
    "run_influence",
    "unmerge",
]


def run_influence(driver: Driver, database: str) -> str:
    """Run the influence analysis; returns the id of its ``AlgorithmRun``."""
    return analysis.run_influence(driver, database=database).run_id


def run_communities(driver: Driver, database: str) -> str:
    """Run Leiden community detection; returns the id of its ``AlgorithmRun``."""
    return analysis.run_communities(driver, algorithm="leiden", database=database).run_id


# Allow-list: the kinds a client may start, each a function returning the run id.
ANALYSES: dict[str, Callable[[Driver, str], str]] = {
    "influence": run_influence,
    "communities": run_communities,
}


def accept_merge(driver: Driver, left: str, right: str, reviewer: str, database: str) -> int:
    """Record that ``left`` and ``right`` are one person; returns the SAME_AS links changed."""
    return pipeline.accept(driver, left, right, reviewer=reviewer, database=database)


def reject_merge(driver: Driver, left: str, right: str, reviewer: str, database: str) -> int:
    """Record that ``left`` and ``right`` are different people; returns the links changed."""
    return pipeline.reject(driver, left, right, reviewer=reviewer, database=database)


def unmerge(driver: Driver, person_id: str, record_id: str, reviewer: str, database: str) -> str:
    """Take ``record_id`` out of ``person_id``; returns the record's new person id."""
    return pipeline.unmerge(driver, person_id, record_id, reviewer=reviewer, database=database)


def resolve_identities(driver: Driver, database: str) -> None:
    """Re-run identity resolution on the whole graph (after an erasure; slow)."""
    pipeline.resolve_graph(driver, database=database)
