"""Stage 4: the Fellegi–Sunter model (Fellegi & Sunter 1969), fitted without labels.

For comparison *c* at level *k*, ``m[c][k]`` is P(level | same person) and ``u[c][k]``
P(level | different people). A pair's match weight is log2 of the prior odds plus the sum of
log2 Bayes factors ``m/u`` of its levels (level 0, missing, adds nothing); its probability
is the logistic of that weight in base 2.

* ``u`` comes from random pairs (almost all non-matches), as in splink;
* ``m`` and the prior are fitted by expectation–maximisation on the blocked pairs with
  ``u`` held fixed (Winkler 1988; Jaro 1989), on distinct comparison vectors weighted by
  their counts, so a million pairs cost as much as a few thousand patterns;
* reviewed decisions, when given, enter the EM as pairs with a fixed posterior (1 for
  accepted, 0 for rejected): semi-supervised training;
* a comparison with a term-frequency column uses, at its exact level, the frequency of the
  shared value as ``u`` (a shared rare surname says more than a shared "García").

The fitted model is saved as a versioned JSON file and loaded to score without refitting.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from srm.errors import ValidationError
from srm.graph.identity.comparisons import Comparison, comparison_levels
from srm.graph.identity.levels import Levels, PatternLevels

__all__ = [
    "FORMAT",
    "Model",
    "content_version",
    "estimate_u",
    "fit",
    "fit_sessions",
    "load_model",
    "match_weights",
    "probability",
    "probability_of_weight",
    "save_model",
]

FORMAT = "srm-identity-model/1"
_FLOOR = 1e-6


@dataclass
class Model:
    """Fitted parameters: per comparison its level labels, ``m`` and ``u`` (levels 1..K)."""

    names: list[str]
    levels: dict[str, list[str]]
    m: dict[str, list[float]]
    u: dict[str, list[float]]
    prior: float
    version: str = ""
    fitted_at: str = ""
    notes: dict[str, Any] = field(default_factory=dict)

    def bayes_factors(self, name: str) -> np.ndarray:
        """log2(m/u) per level, index 0 (missing) = 0."""
        m = np.maximum(np.asarray(self.m[name]), _FLOOR)
        u = np.maximum(np.asarray(self.u[name]), _FLOOR)
        return np.concatenate([[0.0], np.log2(m / u)])

    @property
    def prior_weight(self) -> float:
        return float(np.log2(self.prior / (1.0 - self.prior)))

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": self.version,
            "fitted_at": self.fitted_at,
            "prior": self.prior,
            "comparisons": [
                {"name": n, "levels": self.levels[n], "m": self.m[n], "u": self.u[n]}
                for n in self.names
            ],
            "notes": self.notes,
        }


def _version(model: Model) -> str:
    payload = json.dumps([model.prior, model.m, model.u], sort_keys=True).encode()
    return "fs-" + hashlib.sha256(payload).hexdigest()[:12]


def content_version(model: Model) -> str:
    """The version tag of a model's parameters (a hash of prior, ``m`` and ``u``)."""
    return _version(model)


def save_model(model: Model, path: Path) -> Path:
    """Write the model as JSON (``format`` tag, ``version`` = content hash)."""
    path.write_text(json.dumps(model.to_json(), indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def load_model(path: Path, comparisons: Sequence[Comparison] | None = None) -> Model:
    """Read a model file; with ``comparisons``, check it has the same comparisons and levels."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ValidationError(f"{path}: not a readable model file ({error}).") from error
    if data.get("format") != FORMAT:
        raise ValidationError(
            f"{path}: field 'format' is {data.get('format')!r}, expected {FORMAT!r}. "
            "Fit a new model with 'srm identities resolve --save-model FILE'."
        )
    items = data["comparisons"]
    model = Model(
        names=[c["name"] for c in items],
        levels={c["name"]: list(c["levels"]) for c in items},
        m={c["name"]: [float(x) for x in c["m"]] for c in items},
        u={c["name"]: [float(x) for x in c["u"]] for c in items},
        prior=float(data["prior"]),
        version=str(data.get("version", "")),
        fitted_at=str(data.get("fitted_at", "")),
        notes=dict(data.get("notes", {})),
    )
    if comparisons is not None:
        expected = {c.name: list(c.levels) for c in comparisons}
        if expected != model.levels:
            raise ValidationError(
                f"{path}: its comparisons ({', '.join(model.names)}) differ from this "
                "pipeline's; refit the model instead of loading it."
            )
    return model


def _random_pairs(
    n: int, count: int, rng: np.random.Generator, groups: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    left = rng.integers(0, n, size=count * 2)
    right = rng.integers(0, n, size=count * 2)
    keep = left != right
    if groups is not None:
        keep &= groups[left] != groups[right]
    return left[keep][:count], right[keep][:count]


def estimate_u(
    comparisons: Sequence[Comparison],
    frame: pd.DataFrame,
    *,
    samples: int = 200_000,
    seed: int = 0,
    groups: np.ndarray | None = None,
    context: dict[str, Any] | None = None,
) -> dict[str, list[float]]:
    """u-probabilities: level frequencies over ``samples`` random pairs (across
    ``groups`` when linking; every pair when there are fewer), with one pseudo-count per
    level (``Comparison.u_pseudo``) so none is zero."""
    n = len(frame)
    if n * (n - 1) // 2 <= samples:
        # small data: every pair, exact frequencies and fewer comparisons than a sample
        left, right = np.triu_indices(n, 1)
        if groups is not None:
            keep = groups[left] != groups[right]
            left, right = left[keep], right[keep]
    else:
        left, right = _random_pairs(n, samples, np.random.default_rng(seed), groups)
    gamma = comparison_levels(list(comparisons), frame, left, right, context)
    u: dict[str, list[float]] = {}
    for column, comparison in enumerate(comparisons):
        seen = np.bincount(gamma[:, column], minlength=len(comparison.levels) + 1)[1:]
        smoothed = seen.astype(float) + comparison.u_pseudo
        u[comparison.name] = list(smoothed / smoothed.sum())
    return u


def _patterns(gamma: Levels, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of ``gamma`` (sorted, as ``np.unique(axis=0)``) and their counts;
    with ``rows`` (a boolean mask), of those rows only, without copying them. An int8
    array is numbered as patterns first (:meth:`PatternLevels.of`, chunk by chunk): the
    EM then works on a few thousand patterns however many pairs there are."""
    levels = gamma if isinstance(gamma, PatternLevels) else PatternLevels.of(gamma)
    return levels.pattern_counts(rows)


def _non_match_mass(counts: np.ndarray, posterior: np.ndarray, fixed: np.ndarray) -> np.ndarray:
    return np.concatenate([(1.0 - posterior) * counts, 1.0 - fixed])


def _initial_m(levels: int) -> np.ndarray:
    start = np.array([0.5**k for k in range(levels)]) * 0.9
    start[-1] = 0.05
    return start / start.sum()


def _level_weights(m: list[np.ndarray], u: list[np.ndarray]) -> list[np.ndarray]:
    return [
        np.concatenate([[0.0], np.log2(np.maximum(mi, _FLOOR) / np.maximum(ui, _FLOOR))])
        for mi, ui in zip(m, u, strict=False)
    ]


def fit(
    comparisons: Sequence[Comparison],
    gamma: Levels,
    u: dict[str, list[float]],
    *,
    prior: float = 0.01,
    iterations: int = 50,
    labelled_gamma: np.ndarray | None = None,
    labels: np.ndarray | None = None,
    fit_u: bool = False,
    ignore: frozenset[str] = frozenset(),
    fit_m: bool = True,
    start: Model | None = None,
    total_pairs: int | None = None,
    rows: np.ndarray | None = None,
) -> Model:
    """Fit ``m`` and the prior by EM on comparison vectors ``gamma`` (only the ``rows``
    of a boolean mask, when given) with ``u`` fixed.

    ``labelled_gamma``/``labels`` (1 accepted, 0 rejected) are reviewed pairs whose
    posterior is not estimated but fixed to the label. ``fit_u`` also re-estimates ``u``
    on the blocked pairs (starting from the random-pair ``u``): needed when blocking keys
    are themselves compared, since blocked non-matches then agree far more often than
    random pairs do, and a fixed ``u`` would make EM call every blocked pair a match.
    ``total_pairs`` makes the prior a share of *all* pairs (the pairs blocking left out
    being non-matches), the prior that matches a ``u`` measured on random pairs.
    """
    names = [c.name for c in comparisons]
    patterns, counts = _patterns(gamma, rows)
    fixed_patterns = labelled_gamma if labelled_gamma is not None else patterns[:0]
    fixed = np.asarray(labels, dtype=float) if labels is not None else np.zeros(0)
    u_arrays = [np.asarray(u[n], dtype=float) for n in names]
    # Start from "matches agree": most mass on the exact level, little on disagreement;
    # a flat start lets EM drift to the degenerate solution where every pair matches.
    m_arrays = [_initial_m(len(c.levels)) for c in comparisons]
    if not fit_m and start is not None:
        m_arrays = [np.asarray(start.m[n], dtype=float) for n in names]
    lam = prior
    for _ in range(iterations):
        weights = _level_weights(m_arrays, u_arrays)
        score = np.full(len(patterns), np.log2(lam / (1 - lam)))
        for column, w in enumerate(weights):
            if names[column] not in ignore:
                score += w[patterns[:, column]]
        posterior = 1.0 / (1.0 + np.power(2.0, -np.clip(score, -60, 60)))
        mass = posterior * counts
        new_lam = float(mass.sum() / max(total_pairs or counts.sum(), 1.0))
        all_patterns = np.vstack([patterns, fixed_patterns]) if len(fixed) else patterns
        all_mass = np.concatenate([mass, fixed]) if len(fixed) else mass
        changed = abs(new_lam - lam)
        for column, comparison in enumerate(comparisons if fit_m else ()):
            size = len(comparison.levels) + 1
            level_mass = np.bincount(all_patterns[:, column], weights=all_mass, minlength=size)
            present = level_mass[1:] + (
                np.asarray(comparison.m_prior) if comparison.m_prior else 1e-3
            )
            new_m = present / present.sum()
            changed = max(changed, float(np.abs(new_m - m_arrays[column]).max()))
            m_arrays[column] = new_m
            if fit_u:
                non_match = np.bincount(
                    all_patterns[:, column],
                    weights=_non_match_mass(counts, posterior, fixed),
                    minlength=size,
                )
                absent = non_match[1:] + 1e-3
                u_arrays[column] = absent / absent.sum()
        lam = min(max(new_lam, 1e-6), 1 - 1e-6)
        if changed < 1e-5:
            break
    model = Model(
        names=names,
        levels={c.name: list(c.levels) for c in comparisons},
        m={n: [float(x) for x in a] for n, a in zip(names, m_arrays, strict=False)},
        u={n: [float(x) for x in a] for n, a in zip(names, u_arrays, strict=False)},
        prior=lam,
        fitted_at=datetime.now(UTC).isoformat(timespec="seconds"),
        notes={"pairs": int(counts.sum()), "reviewed_pairs": len(fixed)},
    )
    model.version = _version(model)
    return model


def fit_sessions(
    comparisons: Sequence[Comparison],
    gamma: Levels,
    u: dict[str, list[float]],
    sessions: Sequence[tuple[np.ndarray, frozenset[str]]],
    *,
    prior: float = 0.05,
    labelled_gamma: np.ndarray | None = None,
    labels: np.ndarray | None = None,
    total_pairs: int | None = None,
) -> Model:
    """EM in training sessions, as splink does: each session fits ``m`` on the pairs of
    some blocking rules (``sessions``: a row mask into ``gamma`` and the comparisons those
    rules' keys decide, which that session ignores because they agree by construction);
    each comparison's ``m`` is the mean over the sessions that did not ignore it. The prior
    is then fitted on all of ``gamma`` with ``m`` and ``u`` fixed (over ``total_pairs``)."""
    names = [c.name for c in comparisons]
    collected: dict[str, list[np.ndarray]] = {n: [] for n in names}
    for mask, ignored in sessions:
        if not mask.any():
            continue
        session = fit(comparisons, gamma, u, prior=prior, ignore=ignored, rows=mask,
                      labelled_gamma=labelled_gamma, labels=labels)  # fmt: skip
        for name in names:
            if name not in ignored:
                collected[name].append(np.asarray(session.m[name]))
    merged = Model(
        names=names,
        levels={c.name: list(c.levels) for c in comparisons},
        m={
            c.name: [float(x) for x in np.mean(collected[c.name], axis=0)]
            if collected[c.name]
            else list(_initial_m(len(c.levels)))
            for c in comparisons
        },
        u={n: list(u[n]) for n in names},
        prior=prior,
    )
    model = fit(
        comparisons, gamma, u, prior=prior, fit_m=False, start=merged, total_pairs=total_pairs
    )
    model.notes["sessions"] = len(sessions)
    return model


def match_weights(
    model: Model,
    comparisons: Sequence[Comparison],
    gamma: np.ndarray,
    term_u: Mapping[str, Any] | None = None,
) -> np.ndarray:
    """Per pair and comparison, the log2 Bayes factor (a pairs × comparisons matrix).

    ``term_u[name]`` (optional, a :class:`~srm.graph.identity.predict.TermFrequencies`)
    adjusts for how common the shared value is: at the exact level ``u`` becomes the
    value's share of records (splink's term-frequency adjustment); at level 2 the model's
    ``u`` is scaled by the shared value's share over its mean among agreeing random pairs
    (a nickname of "José" says less than a nickname of "Begoña"). A comparison's
    ``ordered`` leading levels keep their order of strength."""
    out = np.zeros(gamma.shape, dtype=np.float64)
    for column, comparison in enumerate(comparisons):
        weights = model.bayes_factors(comparison.name)
        for level in range(comparison.ordered - 1, 0, -1):
            weights[level] = max(weights[level], weights[level + 1])
        out[:, column] = weights[gamma[:, column]]
        found = term_u.get(comparison.name) if term_u else None
        if found is None:
            continue
        exact = gamma[:, column] == 1
        m_exact = max(model.m[comparison.name][0], _FLOOR)
        adjusted = np.log2(m_exact / np.maximum(found.exact[exact], _FLOOR))
        # A common value never counts against a pair: the adjustment only sharpens.
        out[exact, column] = np.maximum(adjusted, 0.0)
        if found.partial is not None and found.reference > 0:
            rows = (gamma[:, column] == 2) & (found.partial > 0)
            scale = np.log2(found.reference / found.partial[rows])
            out[rows, column] = np.maximum(weights[2] + scale, 0.0)
    return out


def probability(model: Model, weights: np.ndarray) -> np.ndarray:
    """Match probability from the per-comparison weights (rows = pairs)."""
    return probability_of_weight(model.prior_weight + weights.sum(axis=1))


def probability_of_weight(total: np.ndarray) -> np.ndarray:
    """Match probability of a total match weight (log2 odds)."""
    return 1.0 / (1.0 + np.power(2.0, -np.clip(total, -60, 60)))
