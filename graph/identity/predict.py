"""Scoring: blocked pairs → comparison vectors → match weights and probabilities.

The stage between the model and clustering: :func:`score_pairs` returns a
:class:`ScoredPairs` that keeps every pair's levels and per-comparison weights, so each
probability can be explained later without recomputing anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from srm.graph.identity.comparisons import Comparison, comparison_levels
from srm.graph.identity.model import Model, match_weights, probability

__all__ = ["ScoredPairs", "score_pairs", "term_u"]


@dataclass
class ScoredPairs:
    """Pairs (indices into the frame), their levels γ, weights and probabilities."""

    left: np.ndarray
    right: np.ndarray
    gamma: np.ndarray
    weights: np.ndarray
    probability: np.ndarray

    def __len__(self) -> int:
        return len(self.left)


def term_u(
    comparisons: Sequence[Comparison], frame: pd.DataFrame, left: np.ndarray
) -> dict[str, np.ndarray]:
    """For comparisons with a term-frequency column: the share of records holding the
    left record's value (the chance a random record shares it), per pair."""
    out: dict[str, np.ndarray] = {}
    for comparison in comparisons:
        column = comparison.tf_column
        if column is None:
            continue
        values = frame[column]
        counts = values.map(values[values != ""].value_counts()).fillna(0).to_numpy(float)
        total = max(int((values != "").sum()), 1)
        out[comparison.name] = counts[left] / total
    return out


def score_pairs(
    model: Model,
    comparisons: Sequence[Comparison],
    frame: pd.DataFrame,
    left: np.ndarray,
    right: np.ndarray,
    context: dict[str, Any] | None = None,
    gamma: np.ndarray | None = None,
) -> ScoredPairs:
    """Score pairs with a fitted model (γ computed unless given)."""
    if gamma is None:
        gamma = comparison_levels(list(comparisons), frame, left, right, context)
    weights = match_weights(model, comparisons, gamma, term_u(comparisons, frame, left))
    return ScoredPairs(left, right, gamma, weights, probability(model, weights))
