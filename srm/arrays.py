"""Array helpers shared by the layers that crunch numbers (ingest, graph, benches)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "Rows",
    "distinct",
    "held_in",
    "pair_codes",
    "ranges",
    "run_starts",
    "shared_weight",
    "unordered_codes",
]


def distinct(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The sorted distinct values of a 1-d array, as ``np.unique(values)``.

    By sorting: NumPy 2's ``np.unique`` without ``return_*`` arguments hashes, which on
    millions of int64 codes spread over a wide range (pairs as ``low * n + high``) takes
    about 60× as long (12 s against 0.2 s for 12 million)."""
    ordered = np.sort(values, kind="stable" if values.dtype == object else None)
    return ordered[run_starts(ordered)]


def held_in(ordered: np.ndarray[Any, Any], values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Whether each of ``values`` is in ``ordered`` (sorted): ``np.isin(values, ordered)``
    by binary search, so the work and memory follow ``values``, not ``ordered`` (``isin``
    sorts both together: tens of millions of codes again for every chunk of pairs)."""
    if not len(ordered):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(ordered, values), len(ordered) - 1)
    return np.asarray(ordered[at] == values)


def run_starts(ordered: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Where each run of equal values of a sorted 1-d array starts (a boolean mask)."""
    starts = np.ones(len(ordered), dtype=bool)
    if len(ordered) > 1:
        np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    return starts


def unordered_codes(
    a: np.ndarray[Any, Any], b: np.ndarray[Any, Any], n: int
) -> np.ndarray[Any, Any]:
    """Each unordered pair ``(a[i], b[i])`` of indices below ``n`` as one integer
    ``low * n + high`` (in the given order, repeats kept)."""
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    return np.minimum(a, b) * max(n, 1) + np.maximum(a, b)


def pair_codes(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any], n: int) -> np.ndarray[Any, Any]:
    """The distinct unordered pairs ``(a[i], b[i])`` of indices below ``n``, each as one
    integer ``low * n + high``, sorted."""
    return distinct(unordered_codes(a, b, n))


def ranges(starts: np.ndarray[Any, Any], counts: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The indices ``starts[k], …, starts[k] + counts[k] - 1`` for every ``k``, in order."""
    counts = np.asarray(counts, dtype=np.int64)
    offset = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(np.asarray(starts, dtype=np.int64), counts) + offset


@dataclass(frozen=True)
class Rows:
    """Sets of small integers, one per row, stored flat: row ``i`` holds
    ``members[start[i]:start[i + 1]]``, sorted and distinct; ``codes`` is each entry as
    ``row * width + member`` (sorted as a whole, for lookups), ``width`` above every member."""

    start: np.ndarray[Any, Any]
    members: np.ndarray[Any, Any]
    codes: np.ndarray[Any, Any]
    width: int

    @classmethod
    def from_pairs(
        cls,
        rows: np.ndarray[Any, Any],
        members: np.ndarray[Any, Any],
        n: int,
        width: int | None = None,
    ) -> Rows:
        """The sets of ``n`` rows holding ``members[k]`` in row ``rows[k]`` (repeats
        dropped); ``width`` (above every member) makes sets of one numbering comparable
        (:func:`shared_weight`'s ``other``)."""
        members = np.asarray(members, dtype=np.int64)
        if width is None:
            width = int(members.max()) + 1 if len(members) else 1
        codes = distinct(np.asarray(rows, dtype=np.int64) * width + members)
        counts = np.bincount(codes // width, minlength=n)
        start = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=start[1:])
        return cls(start, codes % width, codes, width)

    def sizes(self) -> np.ndarray[Any, Any]:
        return np.diff(self.start)

    def of(self, rows: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """The members of ``rows``, one row after another."""
        return self.members[ranges(self.start[rows], self.sizes()[rows])]


def shared_weight(
    rows: Rows,
    weight: np.ndarray[Any, Any],
    left: np.ndarray[Any, Any],
    right: np.ndarray[Any, Any],
    chunk: int = 4_000_000,
    other: Rows | None = None,
) -> np.ndarray[Any, Any]:
    """Per pair ``(left[k], right[k])``, the summed ``weight`` of the members both rows
    hold; with ``other`` (of the same width), ``right[k]``'s row is read from ``other``
    (one column's sets against another's). Each member of the smaller row is looked up in
    the other (a binary search in its ``codes``): the work is the smaller rows' sizes, a
    few million entries at a time."""
    left, right = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
    second = rows if other is None else other
    if second.width != rows.width:
        raise ValueError("shared_weight: both sets need one width (one numbering)")
    swap = second.sizes()[right] < rows.sizes()[left]
    out = np.zeros(len(left), dtype=np.float64)
    if not len(rows.codes) or not len(second.codes):
        return out
    kept = np.flatnonzero(~swap)
    out[kept] = _lookups(rows, second, weight, left[kept], right[kept], chunk)
    swapped = np.flatnonzero(swap)
    out[swapped] = _lookups(second, rows, weight, right[swapped], left[swapped], chunk)
    return out


def _lookups(
    source: Rows,
    target: Rows,
    weight: np.ndarray[Any, Any],
    small: np.ndarray[Any, Any],
    big: np.ndarray[Any, Any],
    chunk: int,
) -> np.ndarray[Any, Any]:
    """Per pair, the summed ``weight`` of ``source``'s row ``small[k]`` members that
    ``target``'s row ``big[k]`` holds."""
    sizes = source.sizes()
    out = np.zeros(len(small), dtype=np.float64)
    reads = np.cumsum(sizes[small])
    begin = 0
    while begin < len(small):
        # as many pairs as keep this step's lookups near ``chunk`` (one pair at least)
        done = reads[begin - 1] if begin else 0
        end = max(begin + 1, int(np.searchsorted(reads, done + chunk, side="right")))
        count = sizes[small[begin:end]]
        pair = np.repeat(np.arange(begin, end), count)
        member = source.members[ranges(source.start[small[begin:end]], count)]
        hit = held_in(target.codes, big[pair] * target.width + member)
        out[begin:end] = np.bincount(
            pair[hit] - begin, weights=weight[member[hit]], minlength=end - begin
        )
        begin = end
    return out
