"""Anti-chaining rules of the social resolution: which records may share a person only
with more than a strong score (:class:`~srm.graph.identity.cluster.ConflictRule`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from srm.graph.identity.cluster import ConflictRule, PairSet
from srm.graph.identity.comparisons import Comparison
from srm.graph.identity.evidence import customer_contact_conflict
from srm.graph.identity.levels import Levels

__all__ = ["keyed_pairs", "social_conflicts"]


def social_conflicts(frame: pd.DataFrame, keyed: PairSet | None = None) -> list[ConflictRule]:
    """Anti-chaining: two customers with different e-mails share a person only when they
    match each other directly; two profiles on one platform only when they match directly
    *and* share a key (``keyed``: :func:`keyed_pairs`; a second account of one platform is
    rare, and a look-alike name and place are no proof of it); two customers sharing no
    contact detail never do, unless a reviewer accepted them."""
    return [
        ConflictRule("customers with different e-mails", list(frame["customer_email"]), "differ"),
        ConflictRule(
            "profiles on one platform", list(frame["profile_platform"]), "equal", keyed=keyed
        ),
        customer_contact_conflict(frame),
    ]


# Levels that mean the two records share a key, not only a look-alike name or place.
_KEY_LEVELS = {
    "e-mail": (1,),
    "phone": (1,),
    "claimed handle": (1,),
    "account link": (1, 2, 3),
    "personal URL": (1,),
}


def keyed_pairs(
    comparisons: list[Comparison],
    gamma: Levels,
    left: np.ndarray,
    right: np.ndarray,
    records: int,
) -> PairSet:
    """The compared pairs that share a key (:data:`_KEY_LEVELS`), among ``records``."""
    hit = np.zeros(len(left), dtype=bool)
    for column, comparison in enumerate(comparisons):
        levels = _KEY_LEVELS.get(comparison.name)
        if levels:
            hit |= np.isin(gamma[:, column], levels)
    return PairSet(records, left[hit], right[hit])
