"""The comparison levels of millions of pairs, held as one pattern number per pair.

Fellegi & Sunter's γ is a row of small levels per pair (one per comparison). Blocked pairs
hold few distinct rows — thousands of *patterns* among millions of pairs — so
:class:`PatternLevels` keeps the table of distinct rows and, per pair, the number of its
row (an int32): four bytes a pair instead of one per comparison. It reads like the
pairs × comparisons int8 array it stands for (``levels[rows]``, ``levels[k]``,
``levels[:, column]``, ``np.asarray(levels)``), so scoring and explanations take either, and
the EM's pattern counts come from the pattern numbers directly (:meth:`pattern_counts`).

The rows are built :data:`~srm.graph.identity.comparisons.CHUNK_PAIRS` pairs at a time
(:func:`pattern_levels`), so the full int8 array never exists; :meth:`PatternLevels.extended`
adds columns (the graph comparisons, computed after a first pass) the same way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from srm.graph.identity.comparisons import CHUNK_PAIRS, Comparison

__all__ = ["Levels", "PatternLevels", "pattern_levels"]


def _distinct_rows(rows: np.ndarray, radix: Sequence[int]) -> tuple[list[Any], Any, Any]:
    """The distinct rows of ``rows`` in sorted (lexicographic) order as hashable keys, the
    position of each one's first row, and each row's place among them. Rows are packed into
    one integer each (mixed radix, first column most significant: codes sort as the rows
    do) when ``radix`` allows it, else compared as rows."""
    if math.prod(radix) < 2**62:
        code = np.zeros(len(rows), dtype=np.int64)
        for column, size in enumerate(radix):
            code *= size
            code += rows[:, column]
        codes, first, inverse = np.unique(code, return_index=True, return_inverse=True)
        return codes.tolist(), first, inverse.reshape(-1)
    found, first, inverse = np.unique(rows, axis=0, return_index=True, return_inverse=True)
    return [row.tobytes() for row in found], first, inverse.reshape(-1)


class _Numbering:
    """Numbers distinct rows in the order they are first seen, chunk after chunk."""

    def __init__(self, radix: Sequence[int]) -> None:
        self.radix = list(radix)
        self.number: dict[Any, int] = {}
        self.rows: list[np.ndarray] = []

    def add(self, rows: np.ndarray) -> np.ndarray:
        """The numbers of ``rows`` (int32), new rows numbered next."""
        keys, first, inverse = _distinct_rows(rows, self.radix)
        numbers = np.empty(len(keys), dtype=np.int32)
        for position, key in enumerate(keys):
            found = self.number.get(key)
            if found is None:
                found = self.number[key] = len(self.number)
                # a copy: a view of one row would keep the whole chunk alive (at 20M
                # pairs' chunks, 6 GB held until the levels were done)
                self.rows.append(rows[first[position]].copy())
            numbers[position] = found
        return numbers[inverse]

    def table(self, columns: int) -> np.ndarray:
        if not self.rows:
            return np.zeros((0, columns), dtype=np.int8)
        return np.vstack(self.rows).astype(np.int8)


def _radix_of(levels: np.ndarray) -> list[int]:
    """A radix per column above every level it holds."""
    return [int(r) for r in levels.max(axis=0, initial=0).astype(np.int64) + 1]


def _radix(comparisons: Sequence[Comparison]) -> list[int]:
    return [len(comparison.levels) + 1 for comparison in comparisons]


class PatternLevels:
    """Pairs × comparisons levels as a table of distinct rows (``patterns``, int8) and a
    row number per pair (``index``, int32); see the module doc."""

    def __init__(self, patterns: np.ndarray, index: np.ndarray) -> None:
        self.patterns = patterns
        self.index = index

    @classmethod
    def of(cls, levels: np.ndarray) -> PatternLevels:
        """The patterns of a pairs × comparisons int8 array, numbered chunk by chunk."""
        numbering = _Numbering(_radix_of(levels))
        index = np.empty(len(levels), dtype=np.int32)
        for start in range(0, len(levels), CHUNK_PAIRS):
            rows = slice(start, start + CHUNK_PAIRS)
            index[rows] = numbering.add(levels[rows])
        return cls(numbering.table(levels.shape[1]), index)

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.index), self.patterns.shape[1])

    @property
    def dtype(self) -> np.dtype[Any]:
        return self.patterns.dtype

    def __len__(self) -> int:
        return len(self.index)

    def __getitem__(self, key: Any) -> np.ndarray:
        if isinstance(key, tuple):
            rows, columns = key
            return self.patterns[:, columns][self.index[rows]]
        return self.patterns[self.index[key]]

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        out = self.patterns[self.index]
        return out if dtype is None else out.astype(dtype)

    def pattern_counts(self, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The distinct rows (sorted, as ``np.unique(axis=0)``) and how many pairs hold
        each; with ``rows`` (a boolean mask), of those pairs only."""
        numbers = self.index if rows is None else self.index[rows]
        held = np.bincount(numbers, minlength=len(self.patterns))
        present = np.flatnonzero(held)
        if not len(present):
            return self.patterns[:0], np.zeros(0)
        keys, first, inverse = _distinct_rows(self.patterns[present], _radix_of(self.patterns))
        counts = np.bincount(inverse, weights=held[present].astype(float), minlength=len(keys))
        return self.patterns[present[first]], counts

    def extended(
        self,
        comparisons: Sequence[Comparison],
        frame: pd.DataFrame,
        left: np.ndarray,
        right: np.ndarray,
        context: Mapping[str, Any] | None = None,
    ) -> PatternLevels:
        """These levels with one more column per comparison of ``comparisons`` (their
        levels for the same pairs ``left``, ``right``)."""
        before = self.patterns.shape[1]
        numbering = _Numbering(_radix_of(self.patterns) + _radix(comparisons))
        index = np.empty(len(self.index), dtype=np.int32)
        for start in range(0, len(left), CHUNK_PAIRS):
            rows = slice(start, start + CHUNK_PAIRS)
            chunk = np.empty((len(index[rows]), before + len(comparisons)), dtype=np.int8)
            chunk[:, :before] = self[rows]
            for column, comparison in enumerate(comparisons):
                chunk[:, before + column] = comparison(frame, left[rows], right[rows], context)
            index[rows] = numbering.add(chunk)
        return PatternLevels(numbering.table(before + len(comparisons)), index)


# Levels of pairs as either form: the int8 array (a few pairs: labels, tests, a file's
# linkage) or its patterns (every blocked pair).
Levels = np.ndarray | PatternLevels


def pattern_levels(
    comparisons: Sequence[Comparison],
    frame: pd.DataFrame,
    left: np.ndarray,
    right: np.ndarray,
    context: Mapping[str, Any] | None = None,
) -> PatternLevels:
    """The levels of every pair (``left[k]``, ``right[k]``) under ``comparisons``, as
    :func:`~srm.graph.identity.comparisons.comparison_levels` computes them, held as
    patterns."""
    # no columns yet: every pair is the one empty row (a read-only view, no 4 bytes a pair)
    nothing = np.broadcast_to(np.zeros(1, dtype=np.int32), (len(left),))
    empty = PatternLevels(np.zeros((1, 0), dtype=np.int8), nothing)
    return empty.extended(comparisons, frame, left, right, context)
