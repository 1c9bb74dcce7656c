"""Identity review for the API: suggested pairs to label and the decision history.

graph/ is imported when first called, as the mutations do: its numerical stack (pandas,
scipy) stays out of the API's start-up.
"""

from __future__ import annotations

from typing import Any

from neo4j import Driver

__all__ = ["decision_history", "merge_suggestions"]


def merge_suggestions(driver: Driver, database: str, first: int) -> list[dict[str, Any]]:
    """The ``first`` pairs most worth labelling: record ids and probability."""
    from srm.graph.identity.decisions import merge_suggestions as suggest

    return [
        {"record_a": s.record_a, "record_b": s.record_b, "probability": s.probability}
        for s in suggest(driver, first, database=database)
    ]


def decision_history(driver: Driver, database: str, first: int) -> list[dict[str, Any]]:
    """The ``first`` newest review decisions."""
    from srm.graph.identity.decisions import decision_history as history

    return history(driver, limit=first, database=database)
