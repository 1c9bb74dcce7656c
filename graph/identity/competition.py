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

Only pairs that could matter are looked at (the *live* ones, probability at or above
:data:`FLOOR`): a pair far below the threshold stays as scored, and a pair's penalty never
turns it into a cannot-link (the clustering's veto reads the score before the penalty).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pandas as pd

__all__ = ["Rivals", "platform_codes", "platform_rivals"]

MARGIN_BITS = 1.0
FLOOR = 0.05
_SPAN = 4096.0  # wider than any weight in bits, so (group, weight) sorts as one float key


@dataclass
class Rivals:
    """The pairs that could matter (``live``: probability at or above the floor) and, for
    each of them, how many candidates of the right record's platform the left record has
    within the margin (``live_left``, counting this pair), the same the other way round
    (``live_right``), and the penalty in bits (≤ 0) they add up to (``live_penalty``,
    computed when asked). Every other pair has no rivals (1, 1) and no penalty: only the
    live pairs are held, a small share of millions of blocked pairs (tens of millions at
    3.5M records, so the counts are four bytes each)."""

    pairs: int
    live: np.ndarray
    live_left: np.ndarray
    live_right: np.ndarray

    @property
    def live_penalty(self) -> np.ndarray:
        """The live pairs' penalties in bits: −(log2 left count + log2 right count)."""
        return -(np.log2(self.live_left) + np.log2(self.live_right))

    def _spread(self, values: np.ndarray, default: float) -> np.ndarray:
        out = np.full(self.pairs, default, dtype=values.dtype)
        out[self.live] = values
        return out

    @property
    def left_rivals(self) -> np.ndarray:
        """Every pair's left count (a full array: for small sets and tests)."""
        return self._spread(self.live_left, 1)

    @property
    def right_rivals(self) -> np.ndarray:
        return self._spread(self.live_right, 1)

    @property
    def penalty(self) -> np.ndarray:
        return self._spread(self.live_penalty, 0.0)

    def of(self, k: int) -> tuple[int, int]:
        """Pair ``k``'s counts (1, 1 when it is not live)."""
        at = int(np.searchsorted(self.live, k))
        if at < len(self.live) and int(self.live[at]) == k:
            return int(self.live_left[at]), int(self.live_right[at])
        return (1, 1)


def _rivals_per_end(
    owner: np.ndarray,
    other_platform: np.ndarray,
    weight: np.ndarray,
    margin: float,
    platforms: int,
) -> np.ndarray:
    """For each directed candidate (``owner`` → a record of ``other_platform``, one of
    ``platforms``), how many candidates of the same owner on that platform weigh at least
    its weight − margin."""
    groups = owner.astype(np.int64) * platforms + other_platform
    order = np.lexsort((-weight, groups))
    keys = groups[order].astype(np.float64) * _SPAN - np.clip(weight[order], -1000, 1000)
    starts = np.searchsorted(keys, groups[order].astype(np.float64) * _SPAN - 1000.5, "left")
    ends = np.searchsorted(keys, keys + margin, "right")
    counts = np.empty(len(owner), dtype=np.int32)
    counts[order] = ends - starts
    return counts


# Directed candidates counted at once, about: a record's rivals are among its own
# candidates, so ranges of owners are counted apart and the sort's temporaries stay bounded
# (tens of millions of live pairs at 3.5M records).
_CANDIDATES_AT_ONCE = 1 << 22


def _rivals_per_owner_range(
    owner: np.ndarray,
    other_platform: np.ndarray,
    weight: np.ndarray,
    margin: float,
    platforms: int,
) -> np.ndarray:
    """:func:`_rivals_per_end` over ranges of owners, each holding about
    :data:`_CANDIDATES_AT_ONCE` candidates (the same counts)."""
    parts = -(-len(owner) // _CANDIDATES_AT_ONCE)
    if parts <= 1:
        return _rivals_per_end(owner, other_platform, weight, margin, platforms)
    bounds = np.linspace(0, int(owner.max()) + 1, parts + 1).astype(np.int64)
    counts = np.empty(len(owner), dtype=np.int32)
    for low, high in pairwise(bounds):
        chosen = np.flatnonzero((owner >= low) & (owner < high))
        counts[chosen] = _rivals_per_end(
            owner[chosen], other_platform[chosen], weight[chosen], margin, platforms
        )
    return counts


def platform_rivals(
    left: np.ndarray,
    right: np.ndarray,
    live: np.ndarray,
    live_weight: np.ndarray,
    platform: np.ndarray,
    *,
    margin: float = MARGIN_BITS,
) -> Rivals:
    """The rivals of each live pair (see module doc): ``live`` are the pairs' positions
    (probability at or above :data:`FLOOR`), ``live_weight`` their total match weights
    in bits; ``platform`` a small integer per record, negative for records that have no
    platform (CRM rows: they are kept apart by their own rules)."""
    left_rivals = np.ones(len(live), dtype=np.int32)
    right_rivals = np.ones(len(live), dtype=np.int32)
    if len(live):
        # every array here is one per live pair or two: a platform takes a byte where it
        # fits one, and the ends keep their own dtype
        platforms = max(int(platform.max()) + 1, 1)
        platform = platform.astype(np.int8 if platforms <= 127 else np.int32)
        a, b, w = left[live], right[live], live_weight
        # left record's candidates on the right record's platform, and the other way round
        toward_b = platform[b] >= 0
        toward_a = platform[a] >= 0
        owners = np.concatenate([a[toward_b], b[toward_a]])
        targets = np.concatenate([platform[b][toward_b], platform[a][toward_a]])
        weights = np.concatenate([w[toward_b], w[toward_a]])
        del a, b
        counts = _rivals_per_owner_range(owners, targets, weights, margin, platforms)
        towards = int(toward_b.sum())
        left_rivals[toward_b] = counts[:towards]
        right_rivals[toward_a] = counts[towards:]
    return Rivals(len(left), live, left_rivals, right_rivals)


def platform_codes(frame: pd.DataFrame) -> np.ndarray:
    """A small integer per profile's platform, -1 for CRM rows (rivals on one platform:
    :mod:`srm.graph.identity.competition`)."""
    codes, _ = pd.factorize(frame["profile_platform"].replace("", None))
    return codes.astype(np.int64)
