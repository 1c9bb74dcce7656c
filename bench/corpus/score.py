"""Scores of a clustering on the corpus's labelled pairs, per failure class.

For a class of true pairs, ``recall`` is the share put in one person; for a class of hard
negatives, ``kept_apart`` is the share left in different persons (its complement is the
false-merge rate). A record missing from the clustering is a person of its own.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

__all__ = ["class_scores", "read_pair_classes"]


def read_pair_classes(path: Path) -> list[tuple[str, str, bool, str]]:
    """``pair_classes.csv`` as (record_a, record_b, same, failure_class) tuples."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            (row["record_a"], row["record_b"], row["same"] == "1", row["failure_class"])
            for row in csv.DictReader(handle)
        ]


def class_scores(
    predicted: Mapping[str, str], pairs: list[tuple[str, str, bool, str]]
) -> dict[str, dict[str, float | int]]:
    """Per failure class: its number of pairs and ``recall`` (true pairs) or ``kept_apart``
    (hard negatives), rounded to 4 places."""
    counts: dict[tuple[str, bool], list[int]] = {}
    for a, b, same, label in pairs:
        together = predicted.get(a, "\x00" + a) == predicted.get(b, "\x00" + b)
        tally = counts.setdefault((label, same), [0, 0])
        tally[0] += 1
        tally[1] += together if same else not together
    scores: dict[str, dict[str, float | int]] = {}
    for (label, same), (total, good) in sorted(counts.items()):
        key = label if (label, not same) not in counts else f"{label}_{'true' if same else 'false'}"
        scores[key] = {"pairs": total, "recall" if same else "kept_apart": round(good / total, 4)}
    return scores
