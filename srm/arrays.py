"""Array helpers shared by the layers that crunch numbers (ingest, graph, benches)."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["distinct", "pair_codes"]


def distinct(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The sorted distinct values of a 1-d array, as ``np.unique(values)``.

    By sorting: NumPy 2's ``np.unique`` without ``return_*`` arguments hashes, which on
    millions of int64 codes spread over a wide range (pairs as ``low * n + high``) takes
    about 60× as long (12 s against 0.2 s for 12 million)."""
    ordered = np.sort(values, kind="stable" if values.dtype == object else None)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def pair_codes(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any], n: int) -> np.ndarray[Any, Any]:
    """The distinct unordered pairs ``(a[i], b[i])`` of indices below ``n``, each as one
    integer ``low * n + high``, sorted."""
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    return distinct(np.minimum(a, b) * max(n, 1) + np.maximum(a, b))
