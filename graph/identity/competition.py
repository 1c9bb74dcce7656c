"""Stage 4b: rivals on one platform — a record's candidates on a platform compete.

A person holds about one account per platform. When a record matches *k* accounts of one
platform about equally well (within ``margin`` bits of this pair's weight), at most one
of them is likely its own: the evidence points at the group, not at the pair, so each
pair's weight loses log2 *k* (for each side that has rivals). It is the one-to-one rule of
record linkage (Jaro 1989), softened into a Bayes factor so that a clear best match keeps
its weight and a tie between look-alikes does not turn into a merge.

This is what keeps template accounts apart — spam and bot farms that share a display
name, a bio and a link across dozens of accounts — and what makes namesakes on one
platform weigh less than a single candidate, without a list of spam words.

Only pairs that could matter are looked at (probability at or above ``floor``): a pair
far below the threshold stays as scored, and a pair's penalty never turns it into a
cannot-link (the clustering's veto reads the score before the penalty).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Rivals", "platform_rivals"]

MARGIN_BITS = 1.0
FLOOR = 0.05
_SPAN = 4096.0  # wider than any weight in bits, so (group, weight) sorts as one float key


@dataclass
class Rivals:
    """Per pair: how many candidates of the right record's platform the left record has
    within the margin (``left_rivals``, counting this pair), the same the other way round,
    and the penalty in bits (≤ 0) they add up to."""

    left_rivals: np.ndarray
    right_rivals: np.ndarray
    penalty: np.ndarray


def _rivals_per_end(
    owner: np.ndarray, other_platform: np.ndarray, weight: np.ndarray, margin: float
) -> np.ndarray:
    """For each directed candidate (``owner`` → a record of ``other_platform``), how many
    candidates of the same owner on that platform weigh at least its weight − margin."""
    groups = owner.astype(np.int64) * 64 + other_platform
    order = np.lexsort((-weight, groups))
    keys = groups[order].astype(np.float64) * _SPAN - np.clip(weight[order], -1000, 1000)
    starts = np.searchsorted(keys, groups[order].astype(np.float64) * _SPAN - 1000.5, "left")
    ends = np.searchsorted(keys, keys + margin, "right")
    counts = np.empty(len(owner), dtype=np.int64)
    counts[order] = ends - starts
    return counts


def platform_rivals(
    left: np.ndarray,
    right: np.ndarray,
    weight: np.ndarray,
    probability: np.ndarray,
    platform: np.ndarray,
    *,
    margin: float = MARGIN_BITS,
    floor: float = FLOOR,
) -> Rivals:
    """The rivals of each pair (see module doc). ``weight`` is each pair's total match
    weight in bits; ``platform`` a small integer per record, negative for records that
    have no platform (CRM rows: they are kept apart by their own rules)."""
    n = len(left)
    left_rivals = np.ones(n, dtype=np.int64)
    right_rivals = np.ones(n, dtype=np.int64)
    live = np.flatnonzero(probability >= floor)
    if len(live):
        a, b, w = left[live], right[live], weight[live]
        # left record's candidates on the right record's platform, and the other way round
        toward_b = platform[b] >= 0
        toward_a = platform[a] >= 0
        owners = np.concatenate([a[toward_b], b[toward_a]])
        targets = np.concatenate([platform[b][toward_b], platform[a][toward_a]])
        weights = np.concatenate([w[toward_b], w[toward_a]])
        counts = _rivals_per_end(owners, targets, weights, margin)
        left_rivals[live[toward_b]] = counts[: int(toward_b.sum())]
        right_rivals[live[toward_a]] = counts[int(toward_b.sum()) :]
    penalty = -(np.log2(left_rivals) + np.log2(right_rivals))
    return Rivals(left_rivals, right_rivals, penalty)
