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

from srm.graph.identity.cluster import ConflictRule, cluster_pairs
from srm.graph.identity.comparisons import (
    Comparison,
    comparison_levels,
    rarest_shared_token_share,
)
from srm.graph.identity.competition import Rivals, platform_rivals
from srm.graph.identity.model import Model, match_weights, probability, probability_of_weight

__all__ = [
    "ScoredPairs",
    "TermFrequencies",
    "score_pairs",
    "scored_persons",
    "term_u",
    "with_rivals",
]


@dataclass
class ScoredPairs:
    """Pairs (indices into the frame), their levels γ, weights and probabilities.

    ``rivals`` (when set: :mod:`srm.graph.identity.competition`) holds the penalty each
    pair took for look-alike rivals on one platform; ``probability`` includes it and
    ``scored_probability`` is the probability before it."""

    left: np.ndarray
    right: np.ndarray
    gamma: np.ndarray
    weights: np.ndarray
    probability: np.ndarray
    rivals: Rivals | None = None
    unpenalised: np.ndarray | None = None

    def rivals_of(self, k: int) -> tuple[int, int]:
        """Pair ``k``'s look-alike counts (1, 1 when it has none or none were counted)."""
        if self.rivals is None:
            return (1, 1)
        return (int(self.rivals.left_rivals[k]), int(self.rivals.right_rivals[k]))

    @property
    def scored_probability(self) -> np.ndarray:
        return self.probability if self.unpenalised is None else self.unpenalised

    def __len__(self) -> int:
        return len(self.left)


@dataclass
class TermFrequencies:
    """Per pair, how common its shared value is: ``exact`` the share of records holding
    the left record's value (used at level 1); ``partial`` the same for the value or
    rarest token shared at level 2, with ``reference`` its mean over random pairs that
    agree (so the level's average Bayes factor stays the model's)."""

    exact: np.ndarray
    partial: np.ndarray | None = None
    reference: float = 0.0


def _reference(shares: np.ndarray) -> float:
    """Mean share of the value two random records agree on: Σ s³ / Σ s² (a value of
    share s is what a random agreeing pair shares with probability ∝ s²)."""
    squares = float(np.square(shares).sum())
    return float(np.power(shares, 3).sum()) / squares if squares else 0.0


def term_u(
    comparisons: Sequence[Comparison],
    frame: pd.DataFrame,
    left: np.ndarray,
    right: np.ndarray | None = None,
    gamma: np.ndarray | None = None,
) -> dict[str, TermFrequencies]:
    """For comparisons with a term-frequency column, per pair (see
    :class:`TermFrequencies`; level 2 needs ``right`` and ``gamma``)."""
    out: dict[str, TermFrequencies] = {}
    for column_index, comparison in enumerate(comparisons):
        column = comparison.tf_column
        if column is None:
            continue
        values = frame[column]
        present = values[values != ""]
        total = max(len(present), 1)
        frequency = present.value_counts()
        counts = values.map(frequency).fillna(0).to_numpy(float)
        found = TermFrequencies(counts[left] / total)
        if comparison.tf_partial and right is not None and gamma is not None:
            partial = np.zeros(len(left))
            rows = np.flatnonzero(gamma[:, column_index] == 2)
            if comparison.tf_partial == "value":
                shares = frequency.to_numpy(float) / total
                partial[rows] = found.exact[rows]
            else:
                tokens = present.str.split().explode().value_counts()
                shares = tokens.to_numpy(float) / total
                share = dict(zip(tokens.index, shares, strict=True))
                array = values.to_numpy(dtype=object)
                partial[rows] = rarest_shared_token_share(
                    array[left[rows]], array[right[rows]], share
                )
            found.partial, found.reference = partial, _reference(shares)
        out[comparison.name] = found
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
    frequencies = term_u(comparisons, frame, left, right, gamma)
    weights = match_weights(model, comparisons, gamma, frequencies)
    return ScoredPairs(left, right, gamma, weights, probability(model, weights))


def with_rivals(scored: ScoredPairs, model: Model, platform: np.ndarray) -> ScoredPairs:
    """``scored`` with each pair's penalty for rivals on one platform applied to its
    probability (:mod:`srm.graph.identity.competition`); ``platform`` is a small integer
    per record, negative for records without one."""
    total = model.prior_weight + scored.weights.sum(axis=1)
    rivals = platform_rivals(scored.left, scored.right, total, scored.probability, platform)
    return ScoredPairs(
        scored.left,
        scored.right,
        scored.gamma,
        scored.weights,
        probability_of_weight(total + rivals.penalty),
        rivals,
        scored.probability,
    )


def scored_persons(
    model: Model,
    comparisons: Sequence[Comparison],
    frame: pd.DataFrame,
    left: np.ndarray,
    right: np.ndarray,
    gamma: np.ndarray,
    platform: np.ndarray,
    conflicts: Sequence[ConflictRule],
    threshold: float,
    veto: float,
    accepted: Sequence[tuple[int, int]] = (),
    rejected: Sequence[tuple[int, int]] = (),
) -> tuple[ScoredPairs, np.ndarray]:
    """The pairs scored with rivals (:func:`with_rivals`) and clustered into persons
    (:func:`srm.graph.identity.cluster.cluster_pairs`, vetoes read before the rivals'
    penalty): the scored pairs and a person label per record."""
    scored = with_rivals(
        score_pairs(model, comparisons, frame, left, right, gamma=gamma), model, platform
    )
    labels = cluster_pairs(
        len(frame),
        left,
        right,
        scored.probability,
        threshold,
        conflicts=conflicts,
        accepted=accepted,
        rejected=rejected,
        veto=veto,
        veto_probability=scored.scored_probability,
    )
    return scored, labels
