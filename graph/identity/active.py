"""Active learning: which unreviewed pairs a reviewer should label next.

Uncertainty sampling (Lewis & Gale 1994), as record-linkage tools such as dedupe and
Zingg use it: the pairs whose match probability is nearest the threshold are those whose
label changes the model most. Taken alone they are often copies of one comparison pattern
(fifty namesakes in one city), and labelling the fiftieth teaches little once the first
few are known; so the choice is diversified (Brinker 2003): a pair's closeness to the
threshold is discounted by :data:`REPEAT_DISCOUNT` for every pair of the same pattern
already chosen, and the pairs are picked greedily by that discounted score.

Before those, when the persons are known, come the pairs where the persons disagree with
the scores: two records the model scores as one person that a rule (a rival on the same
platform, a conflict, a veto) keeps in two persons — one pair per pair of persons, the
highest-scored first — and two records of one person that the model scores below the
threshold (joined through others), the lowest first, taken in turns. The threshold cannot
reach them, so uncertainty sampling never asks about them, and one answer there settles a
whole merge or split: with them the F1 after 200 reviews went from 0.957 to 0.973 on the
development corpus and from 0.959 to 0.969 on its held-out seed (``docs/benchmarks.md``).

Pure functions over pairs (record ids, probability, a hashable pattern); the graph reads
are in :func:`srm.graph.identity.decisions.merge_suggestions`.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from srm.errors import ValidationError
from srm.graph.identity.social import Resolution

__all__ = [
    "JOINED",
    "KEPT_APART",
    "MAX_SUGGESTIONS",
    "NEAR",
    "REPEAT_DISCOUNT",
    "Suggestion",
    "check_count",
    "resolution_suggestions",
    "suggest_pairs",
]

# A pattern's k-th pair counts REPEAT_DISCOUNT**k of its closeness: the fourth namesake pair
# is worth an eighth of the first.
REPEAT_DISCOUNT = 0.5
NEAR = "near the threshold"
KEPT_APART = "scored as one person, kept apart by a rule"
JOINED = "one person through others, scored apart"
# Pairs further than this from the threshold, in log2 odds, are left out (p < 0.06 or
# p > 0.94 at threshold 0.5): the model is sure of them.
MAX_DISTANCE = 4.0
MAX_SUGGESTIONS = 10_000


_Item = tuple[float, str, str, Hashable]


@dataclass(frozen=True)
class Suggestion:
    """A pair to review: its record ids (smaller first), probability, pattern and why it is
    asked (:data:`NEAR`, :data:`KEPT_APART` or :data:`JOINED`)."""

    record_a: str
    record_b: str
    probability: float
    pattern: Hashable
    reason: str = NEAR


def _log_odds(p: float) -> float:
    p = min(max(p, 1e-12), 1 - 1e-12)
    return math.log2(p / (1 - p))


def check_count(count: int) -> int:
    """``count`` within 1..:data:`MAX_SUGGESTIONS`, else a :class:`ValidationError`."""
    if not 1 <= count <= MAX_SUGGESTIONS:
        raise ValidationError(
            f"the number of suggestions must be between 1 and {MAX_SUGGESTIONS:,} (got {count})."
        )
    return count


def suggest_pairs(
    pairs: Iterable[tuple[str, str, float, Hashable]],
    *,
    threshold: float,
    count: int,
    exclude: Iterable[tuple[str, str]] = (),
    persons: Mapping[str, str] | None = None,
) -> list[Suggestion]:
    """The ``count`` pairs (``record_a, record_b, probability, pattern``) most worth
    labelling (module doc), in the order picked; pairs in ``exclude`` (either order) and
    pairs without a probability are skipped. ``persons`` (record id → person id; a record
    missing is a person of its own) puts the pairs where persons and scores disagree
    first."""
    check_count(count)
    skip = {frozenset(pair) for pair in exclude}
    centre = _log_odds(threshold)
    by_pattern: dict[Hashable, list[tuple[float, str, str, float]]] = {}
    apart: dict[frozenset[str], tuple[float, str, str, Hashable]] = {}
    together: list[tuple[float, str, str, Hashable]] = []
    for a, b, probability, pattern in pairs:
        if probability is None or a == b or frozenset((a, b)) in skip:
            continue
        if persons is not None:
            person_a, person_b = persons.get(a, a), persons.get(b, b)
            first, second = sorted((a, b))
            if person_a != person_b and probability >= threshold:
                key = frozenset((person_a, person_b))
                if key not in apart or probability > apart[key][0]:
                    apart[key] = (float(probability), first, second, pattern)
                continue
            if person_a == person_b and probability < threshold:
                together.append((float(probability), first, second, pattern))
                continue
        distance = abs(_log_odds(float(probability)) - centre)
        if distance <= MAX_DISTANCE:
            first, second = sorted((a, b))
            by_pattern.setdefault(pattern, []).append((distance, first, second, probability))
    # one heap entry per pattern: its next pair, keyed by the discounted closeness
    heap: list[tuple[float, float, str, str, int, Hashable]] = []
    queues: dict[Hashable, list[tuple[float, str, str, float]]] = {}
    for number, (pattern, found) in enumerate(by_pattern.items()):
        found.sort()
        queues[pattern] = found
        distance, a, b, _ = found[0]
        heapq.heappush(heap, (-math.pow(2.0, -distance), distance, a, b, number, pattern))
    taken: dict[Hashable, int] = {}
    split = sorted(apart.values(), key=lambda item: -item[0]), sorted(together)
    chosen = [
        Suggestion(a, b, p, pattern, KEPT_APART if p >= threshold else JOINED)
        for p, a, b, pattern in _in_turns(*split)
    ][:count]
    while heap and len(chosen) < count:
        _, _, _, _, number, pattern = heapq.heappop(heap)
        used = taken.get(pattern, 0)
        distance, a, b, probability = queues[pattern][used]
        chosen.append(Suggestion(a, b, float(probability), pattern))
        taken[pattern] = used + 1
        if used + 1 < len(queues[pattern]):
            following, next_a, next_b, _ = queues[pattern][used + 1]
            score = math.pow(2.0, -following) * REPEAT_DISCOUNT ** (used + 1)
            heapq.heappush(heap, (-score, following, next_a, next_b, number, pattern))
    return chosen


def _in_turns(*queues: list[_Item]) -> Iterable[_Item]:
    for position in range(max(map(len, queues), default=0)):
        for queue in queues:
            if position < len(queue):
                yield queue[position]


def resolution_suggestions(
    resolution: Resolution, count: int, exclude: Sequence[tuple[str, str]] = ()
) -> list[Suggestion]:
    """:func:`suggest_pairs` over every blocked pair of an in-memory resolution and its
    persons, the pattern being the pair's comparison levels."""
    ids = resolution.frame["record_id"].to_numpy(dtype=object)
    scored, labels, threshold = resolution.scored, resolution.labels, resolution.threshold
    probability = scored.probability
    odds = np.log2(np.clip(probability, 1e-12, 1 - 1e-12)) - np.log2(
        np.clip(1 - probability, 1e-12, 1)
    )
    one_person = labels[scored.left] == labels[scored.right]
    wanted = (np.abs(odds - _log_odds(threshold)) <= MAX_DISTANCE) | (
        one_person != (probability >= threshold)
    )
    pairs = (
        (ids[scored.left[k]], ids[scored.right[k]], float(probability[k]),
         scored.gamma[k].tobytes())
        for k in np.flatnonzero(wanted)
    )  # fmt: skip
    persons = dict(zip(ids, map(str, labels), strict=True))
    return suggest_pairs(pairs, threshold=threshold, count=count, exclude=exclude, persons=persons)
