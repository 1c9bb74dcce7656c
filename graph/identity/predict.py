"""Scoring: blocked pairs → comparison vectors → match weights and probabilities.

The stage between the model and clustering: :func:`score_pairs` returns a
:class:`ScoredPairs` that keeps every pair's levels and total weight, and computes the
per-comparison weights again for the pairs that are explained (the stored candidates).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from srm.graph.identity.cluster import ConflictRule, cluster_pairs
from srm.graph.identity.comparisons import (
    Comparison,
    comparison_levels,
    rarest_shared_token_share,
)
from srm.graph.identity.competition import FLOOR, Rivals, platform_rivals
from srm.graph.identity.levels import Levels
from srm.graph.identity.model import Model, match_weights, probability_of_weight

__all__ = [
    "SCORE_CHUNK_PAIRS",
    "ScoredPairs",
    "TermFrequencies",
    "TermTables",
    "score_pairs",
    "scored_persons",
    "term_u",
    "with_rivals",
]


# Pairs scored at once: per-comparison weights and term frequencies are float64 arrays per
# pair (a few hundred bytes a pair), so a chunk bounds them; only each pair's total stays.
SCORE_CHUNK_PAIRS = 1 << 20


@dataclass
class ScoredPairs:
    """Pairs (indices into the frame), their levels γ and probabilities.

    A pair's total weight is its log2 odds: the prior plus one Bayes factor per
    comparison. It is held only for the *live* pairs (``live``, probability at or above
    :data:`srm.graph.identity.competition.FLOOR`: ``live_total``), the only ones whose
    rivals are counted; the per-comparison weights are not kept at all (at millions of
    pairs they would outweigh everything else): :meth:`weights_of` computes them again
    for the pairs asked — the same numbers, from the same levels and term frequencies.
    ``rivals`` (when set: :mod:`srm.graph.identity.competition`) holds the penalty the
    live pairs took for look-alike rivals on one platform; ``probability`` includes it,
    and :meth:`vetoed` reads the probability before it."""

    left: np.ndarray
    right: np.ndarray
    gamma: Levels
    probability: np.ndarray
    weigh: Callable[[np.ndarray | slice], np.ndarray] = field(repr=False)
    live: np.ndarray
    live_total: np.ndarray
    prior: float
    rivals: Rivals | None = None

    def weights_of(self, rows: np.ndarray | slice) -> np.ndarray:
        """Per-comparison weights (log2 Bayes factors) of the pairs ``rows``."""
        return self.weigh(rows)

    @property
    def weights(self) -> np.ndarray:
        """Every pair's per-comparison weights at once: for small sets (labels, tests)."""
        return self.weigh(slice(None))

    @property
    def total(self) -> np.ndarray:
        """Every pair's total weight before the rivals' penalty, computed again: for small
        sets (tests)."""
        return self.prior + self.weigh(slice(None)).sum(axis=1)

    def rivals_of(self, k: int) -> tuple[int, int]:
        """Pair ``k``'s look-alike counts (1, 1 when it has none or none were counted)."""
        return (1, 1) if self.rivals is None else self.rivals.of(k)

    def vetoed(self, veto: float) -> np.ndarray:
        """Per pair, whether its probability before the rivals' penalty is below ``veto``
        (a cannot-link: :func:`srm.graph.identity.cluster.cluster_pairs`). One byte a
        pair: only the live pairs' unpenalised probabilities are computed again."""
        below = self.probability < veto
        if self.rivals is not None and len(self.live):
            below[self.live] = probability_of_weight(self.live_total) < veto
        return below

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


@dataclass
class _TermTable:
    """One comparison's value frequencies over the frame, counted once for all pairs."""

    column_index: int
    share: np.ndarray  # per record: the share of records holding its value
    partial: str | None
    reference: float = 0.0
    values: np.ndarray | None = None  # the column, for shared tokens
    token_share: dict[str, float] = field(default_factory=dict)


class TermTables:
    """The frequency tables of every term-frequency comparison over ``frame``:
    :meth:`for_pairs` gives any set of pairs their :class:`TermFrequencies` without
    counting the frame again."""

    def __init__(self, comparisons: Sequence[Comparison], frame: pd.DataFrame) -> None:
        self.tables: dict[str, _TermTable] = {}
        for column_index, comparison in enumerate(comparisons):
            column = comparison.tf_column
            if column is None:
                continue
            values = frame[column]
            present = values[values != ""]
            total = max(len(present), 1)
            frequency = present.value_counts()
            table = _TermTable(
                column_index,
                values.map(frequency).fillna(0).to_numpy(float) / total,
                comparison.tf_partial,
            )
            if comparison.tf_partial == "value":
                table.reference = _reference(frequency.to_numpy(float) / total)
            elif comparison.tf_partial:
                tokens = present.str.split().explode().value_counts()
                shares = tokens.to_numpy(float) / total
                table.reference = _reference(shares)
                table.token_share = dict(zip(tokens.index, shares, strict=True))
                table.values = values.to_numpy(dtype=object)
            self.tables[comparison.name] = table

    def for_pairs(
        self, left: np.ndarray, right: np.ndarray | None = None, gamma: np.ndarray | None = None
    ) -> dict[str, TermFrequencies]:
        """Per comparison, the pairs' term frequencies (level 2 needs ``right`` and
        ``gamma``, the pairs' levels)."""
        out: dict[str, TermFrequencies] = {}
        for name, table in self.tables.items():
            found = TermFrequencies(table.share[left])
            if table.partial and right is not None and gamma is not None:
                partial = np.zeros(len(left))
                rows = np.flatnonzero(gamma[:, table.column_index] == 2)
                if table.values is None:
                    partial[rows] = found.exact[rows]
                else:
                    partial[rows] = rarest_shared_token_share(
                        table.values[left[rows]], table.values[right[rows]], table.token_share
                    )
                found.partial, found.reference = partial, table.reference
            out[name] = found
        return out


def term_u(
    comparisons: Sequence[Comparison],
    frame: pd.DataFrame,
    left: np.ndarray,
    right: np.ndarray | None = None,
    gamma: np.ndarray | None = None,
) -> dict[str, TermFrequencies]:
    """For comparisons with a term-frequency column, per pair (see
    :class:`TermFrequencies`; level 2 needs ``right`` and ``gamma``)."""
    return TermTables(comparisons, frame).for_pairs(left, right, gamma)


def score_pairs(
    model: Model,
    comparisons: Sequence[Comparison],
    frame: pd.DataFrame,
    left: np.ndarray,
    right: np.ndarray,
    context: dict[str, Any] | None = None,
    gamma: Levels | None = None,
) -> ScoredPairs:
    """Score pairs with a fitted model (γ computed unless given), :data:`SCORE_CHUNK_PAIRS` at a
    time: memory grows by a probability per pair, whatever the number of comparisons
    (and a total weight per live pair)."""
    if gamma is None:
        gamma = comparison_levels(list(comparisons), frame, left, right, context)
    tables = TermTables(comparisons, frame)
    levels = gamma

    def weigh(rows: np.ndarray | slice) -> np.ndarray:
        chosen = levels[rows]
        frequencies = tables.for_pairs(left[rows], right[rows], chosen)
        return match_weights(model, comparisons, chosen, frequencies)

    probability = np.empty(len(left), dtype=np.float64)
    live, live_total = [], []
    for start in range(0, len(left), SCORE_CHUNK_PAIRS):
        rows = slice(start, start + SCORE_CHUNK_PAIRS)
        total = model.prior_weight + weigh(rows).sum(axis=1)
        probability[rows] = probability_of_weight(total)
        found = np.flatnonzero(probability[rows] >= FLOOR)
        live.append(start + found)
        live_total.append(total[found])
    return ScoredPairs(left, right, gamma, probability, weigh, _joined(live, np.int64),
                       _joined(live_total), model.prior_weight)  # fmt: skip


def _joined(parts: list[np.ndarray], dtype: type = np.float64) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype)


def with_rivals(scored: ScoredPairs, model: Model, platform: np.ndarray) -> ScoredPairs:
    """``scored`` with each pair's penalty for rivals on one platform applied to its
    probability (:mod:`srm.graph.identity.competition`); ``platform`` is a small integer
    per record, negative for records without one. ``scored`` is taken over: its
    probability array becomes the penalised one (a second copy would cost eight bytes a
    pair), and only the live pairs change."""
    rivals = platform_rivals(scored.left, scored.right, scored.live, scored.live_total, platform)
    probability = scored.probability
    probability[scored.live] = probability_of_weight(scored.live_total + rivals.live_penalty)
    return dataclasses.replace(scored, probability=probability, rivals=rivals)


def scored_persons(
    model: Model,
    comparisons: Sequence[Comparison],
    frame: pd.DataFrame,
    left: np.ndarray,
    right: np.ndarray,
    gamma: Levels,
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
        vetoed=scored.vetoed(veto),
    )
    return scored, labels
