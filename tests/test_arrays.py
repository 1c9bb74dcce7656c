"""The array helpers the identity stages count on, against plain Python sets."""

from __future__ import annotations

import random

import numpy as np

from srm.arrays import Rows, distinct, held_in, pair_codes, shared_weight


def _random_sets(pick: random.Random, n: int, width: int) -> list[set[int]]:
    # mostly small sets, a few large ones (hubs), some empty
    return [
        set(pick.sample(range(width), pick.choice([0, 1, 3, 8, 40, width // 2]))) for _ in range(n)
    ]


def test_rows_hold_each_sets_members_sorted() -> None:
    pick = random.Random(7)
    sets = _random_sets(pick, 200, 300)
    rows = np.array([i for i, found in enumerate(sets) for _ in found] * 2)
    members = np.array([z for found in sets for z in found] * 2)  # every entry twice
    held = Rows.from_pairs(rows, members, len(sets))
    assert held.sizes().tolist() == [len(found) for found in sets]
    for i, found in enumerate(sets):
        assert held.of(np.array([i])).tolist() == sorted(found)
    assert held.of(np.array([3, 1])).tolist() == sorted(sets[3]) + sorted(sets[1])


def test_shared_weight_sums_the_weights_of_common_members() -> None:
    pick = random.Random(8)
    sets = _random_sets(pick, 300, 500)
    weight = np.array([pick.random() for _ in range(500)])
    rows = np.array([i for i, found in enumerate(sets) for _ in found])
    held = Rows.from_pairs(rows, np.array([z for found in sets for z in found]), len(sets))
    left = np.array([pick.randrange(300) for _ in range(5_000)])
    right = np.array([pick.randrange(300) for _ in range(5_000)])
    expected = [sum(weight[z] for z in sets[a] & sets[b]) for a, b in zip(left, right, strict=True)]
    # a small chunk makes many steps, one pair at least each
    for chunk in (1, 97, 4_000_000):
        found = shared_weight(held, weight, left, right, chunk=chunk)
        assert np.allclose(found, expected)
    empty = Rows.from_pairs(np.zeros(0), np.zeros(0), 3)
    assert shared_weight(empty, np.ones(1), np.array([0, 1]), np.array([2, 2])).tolist() == [0, 0]


def test_distinct_and_pair_codes_match_sets() -> None:
    values = np.array([5, 3, 5, 1, 3, 9])
    assert distinct(values).tolist() == [1, 3, 5, 9]
    codes = pair_codes(np.array([2, 1, 0, 1]), np.array([1, 2, 3, 1]), 4)
    assert codes.tolist() == sorted({1 * 4 + 2, 0 * 4 + 3, 1 * 4 + 1})


def test_held_in_matches_isin() -> None:
    rng = np.random.default_rng(3)
    ordered = np.unique(rng.integers(0, 1_000, 300))
    values = rng.integers(-5, 1_005, 2_000)
    assert np.array_equal(held_in(ordered, values), np.isin(values, ordered))
    assert held_in(ordered[:0], values).tolist() == [False] * len(values)
    assert held_in(ordered, values[:0]).tolist() == []
