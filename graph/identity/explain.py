"""Explanations: a waterfall of log Bayes factors, in words a marketer can read.

A pair's match weight is the prior's log2 odds plus one log2 Bayes factor per comparison
(Fellegi & Sunter 1969); the waterfall lists them in order with the running total and
turns the total into a probability, as splink's waterfall chart does.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np

from srm.graph.identity.comparisons import Comparison
from srm.graph.identity.model import Model

__all__ = ["evidence", "evidence_json", "waterfall_text"]


def evidence(
    model: Model,
    comparisons: Sequence[Comparison],
    gamma: np.ndarray,
    weights: np.ndarray,
    rivals: tuple[int, int] = (1, 1),
) -> list[dict[str, Any]]:
    """The steps of one pair: the prior, then each comparison that had a value on both
    sides (level, phrase, log2 Bayes factor ``weight``), then, when either record matched
    several look-alike accounts of the other's platform (``rivals``, each side's count
    including this pair: :mod:`srm.graph.identity.competition`), the share it lost."""
    steps: list[dict[str, Any]] = [
        {"comparison": "prior", "level": "", "phrase": "how often two records match at all",
         "weight": round(model.prior_weight, 3)}
    ]  # fmt: skip
    for column, comparison in enumerate(comparisons):
        level = int(gamma[column])
        if level == 0:
            continue
        steps.append(
            {
                "comparison": comparison.name,
                "level": comparison.levels[level - 1],
                "phrase": comparison.phrases[level - 1],
                "weight": round(float(weights[column]), 3),
            }
        )
    if max(rivals) > 1:
        steps.append(
            {
                "comparison": "rivals on one platform",
                "level": f"{rivals[0]} and {rivals[1]} look-alikes",
                "phrase": "several accounts of one platform match about as well; at most one "
                "is likely the same person",
                "weight": round(-float(np.log2(rivals[0]) + np.log2(rivals[1])), 3),
            }
        )
    return steps


def evidence_json(
    model: Model,
    comparisons: Sequence[Comparison],
    gamma: np.ndarray,
    weights: np.ndarray,
    rivals: tuple[int, int] = (1, 1),
) -> str:
    return json.dumps(evidence(model, comparisons, gamma, weights, rivals), ensure_ascii=False)


def _strength(weight: float) -> str:
    size = abs(weight)
    word = "slightly" if size < 1 else "clearly" if size < 4 else "strongly"
    return f"{word} {'for' if weight >= 0 else 'against'}"


def waterfall_text(steps: Sequence[dict[str, Any]], probability: float | None = None) -> str:
    """The steps as lines: what was seen, how much it moved the score, the running total,
    and the final probability."""
    total = 0.0
    lines = []
    for step in steps:
        total += float(step["weight"])
        if step["comparison"] == "prior":
            lines.append(f"start: {step['phrase']} ({step['weight']:+.1f}) → total {total:+.1f}")
            continue
        lines.append(
            f"{step['phrase']}: {_strength(float(step['weight']))} a match "
            f"({float(step['weight']):+.1f}) → total {total:+.1f}"
        )
    final = probability if probability is not None else 1.0 / (1.0 + 2.0 ** (-total))
    lines.append(f"match weight {total:+.1f} (log2 odds) → probability {final:.1%}")
    return "\n".join(lines)
