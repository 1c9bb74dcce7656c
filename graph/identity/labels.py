"""Learning from reviewed pairs: refit ``m``/``u`` and choose the threshold from labels.

Expectation–maximisation (:mod:`srm.graph.identity.model`) fits the model on millions of
unlabelled pairs, so a few hundred reviewed pairs, each one pair among them, would change
nothing. Here the labels get a say of their own, generic over whatever comparisons the
model has:

* ``m`` and ``u`` of every comparison are re-estimated as a maximum a posteriori fit: the
  Bernoulli likelihood of the labels under the Fellegi–Sunter score, with a Gaussian prior
  on the log-probabilities centred on the EM fit (semi-supervised: EM is the prior, the
  labels the evidence; cf. Nigam et al. 2000, Enamorado et al. 2019). Each label counts
  once against a prior of :data:`STRENGTH` per parameter, so a few dozen labels on one
  pattern move its Bayes factors and, through the shared levels, every unlabelled pair with
  that pattern — rejecting some namesakes lowers the weight of a shared name for all;
* the threshold maximises F1 on the labelled pairs (scored by the refitted model) once
  there are :data:`MIN_LABELS` of them with both answers; the default stays otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from srm.graph.identity.comparisons import Comparison
from srm.graph.identity.levels import Levels
from srm.graph.identity.model import Model, content_version, fit
from srm.graph.identity.predict import score_pairs

__all__ = [
    "MIN_LABELS",
    "STRENGTH",
    "LabelledPairs",
    "choose_threshold",
    "labels_to_teach",
    "learn_from_labels",
    "refit_with_labels",
]

# Prior precision per log-probability (natural units): one unit ≈ the pull of one label
# that the model gets wholly wrong. Reviewed pairs are the hardest ones (suggestions start
# where the persons and the scores disagree), not a sample of all pairs, so a weak prior
# lets a few dozen of them bend every Bayes factor: review curves on development seeds 7,
# 8 and 9 (2k people), F1 after 200 labels 0.9697 on average at 1, 0.9741 at 4, 0.9728 at
# 12, against 0.9723 with the labels only forced; at 0.25 the curve fell below its start.
STRENGTH = 4.0
MIN_LABELS = 30
# A label the model's persons already honour, on a pair the model scores this many bits
# (log2 odds) beyond the threshold the other way, was decided by a rule (a rival, a conflict,
# a veto), not by m/u: refitting on it would bend the Bayes factors of every pair alike.
RULED_BITS = 4.0
MIN_EACH = 5
# F1 on the labels a threshold must gain over the default's to replace it
THRESHOLD_TOLERANCE = 0.05
# Searched thresholds: pairs below 0.3 are not kept as candidates, so none can be suggested
# for review; above 0.9 a merge needs near-certainty.
THRESHOLDS = np.round(np.arange(0.30, 0.901, 0.01), 2)
_FLOOR = 1e-9


@dataclass
class LabelledPairs:
    """Reviewed pairs: their levels ``gamma`` (pairs × comparisons), ``labels`` (1 same
    person, 0 different) and what the model's term-frequency adjustments make of them, held
    fixed while refitting: ``offsets`` (log2, added to a level's Bayes factor) and
    ``m_only``, where a shared value's frequency stands in for ``u`` (the factor is
    ``m`` over that frequency, so only ``m`` moves it)."""

    gamma: np.ndarray
    labels: np.ndarray
    offsets: np.ndarray
    m_only: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)


def _split(vector: np.ndarray, sizes: list[int]) -> list[np.ndarray]:
    return np.split(vector, np.cumsum(sizes)[:-1]) if sizes else []


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max()
    return shifted - np.log(np.exp(shifted).sum())


def refit_with_labels(
    model: Model,
    comparisons: Sequence[Comparison],
    pairs: LabelledPairs,
    *,
    strength: float = STRENGTH,
) -> Model:
    """``model`` with ``m`` and ``u`` refitted on the labelled ``pairs`` (module doc); the
    prior is kept. Returns a new model whose notes say how many labels it used."""
    names = [c.name for c in comparisons]
    sizes = [len(c.levels) for c in comparisons]
    start_m = [np.log(np.maximum(np.asarray(model.m[n]), _FLOOR)) for n in names]
    start_u = [np.log(np.maximum(np.asarray(model.u[n]), _FLOOR)) for n in names]
    start = np.concatenate(start_m + start_u)
    half = sum(sizes)
    y = pairs.labels.astype(float)
    base = np.log(2.0) * (model.prior_weight + (pairs.offsets * (pairs.gamma > 0)).sum(axis=1))
    present = [pairs.gamma[:, column] > 0 for column in range(len(names))]
    with_u = [present[column] & ~pairs.m_only[:, column] for column in range(len(names))]
    index = [
        np.maximum(pairs.gamma[:, column].astype(np.int64) - 1, 0) for column in range(len(names))
    ]

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        log_m = [_log_softmax(t) for t in _split(theta[:half], sizes)]
        log_u = [_log_softmax(t) for t in _split(theta[half:], sizes)]
        score = base.copy()
        for column in range(len(names)):
            score[present[column]] += log_m[column][index[column][present[column]]]
            score[with_u[column]] -= log_u[column][index[column][with_u[column]]]
        # logistic loss, stable: log(1 + e^z) − y·z
        value = float(np.logaddexp(0.0, score).sum() - (y * score).sum())
        residual = 1.0 / (1.0 + np.exp(-np.clip(score, -60, 60))) - y
        grad_m, grad_u = [], []
        for column, size in enumerate(sizes):
            rows, urows = present[column], with_u[column]
            hits = np.bincount(index[column][rows], weights=residual[rows], minlength=size)
            grad_m.append(hits - hits.sum() * np.exp(log_m[column]))
            hits = np.bincount(index[column][urows], weights=residual[urows], minlength=size)
            grad_u.append(-(hits - hits.sum() * np.exp(log_u[column])))
        gradient = np.concatenate(grad_m + grad_u)
        # the Gaussian prior, centred on the EM fit
        difference = theta - start
        value += 0.5 * strength * float(difference @ difference)
        gradient = gradient + strength * difference
        return value, gradient

    found = minimize(loss, start, jac=True, method="L-BFGS-B", options={"maxiter": 500})
    theta = found.x
    log_m = [_log_softmax(t) for t in _split(theta[:half], sizes)]
    log_u = [_log_softmax(t) for t in _split(theta[half:], sizes)]
    refitted = Model(
        names=list(names),
        levels={n: list(model.levels[n]) for n in names},
        m={n: [float(x) for x in np.exp(v)] for n, v in zip(names, log_m, strict=True)},
        u={n: [float(x) for x in np.exp(v)] for n, v in zip(names, log_u, strict=True)},
        prior=model.prior,
        fitted_at=model.fitted_at,
        notes=dict(model.notes) | {"labels": len(pairs), "em_version": model.version},
    )
    refitted.version = content_version(refitted)
    return refitted


def choose_threshold(
    probabilities: np.ndarray, labels: np.ndarray, default: float
) -> tuple[float, str]:
    """The threshold with the best F1 on labelled pairs (``probabilities`` from the model,
    ``labels`` 1/0), and ``"labels"``; ``(default, "default")`` with fewer than
    :data:`MIN_LABELS` labels or :data:`MIN_EACH` of either answer. Among thresholds within
    :data:`THRESHOLD_TOLERANCE` of the best F1 the one nearest ``default`` wins: the labelled
    pairs are the hard ones, not a sample, so a small edge on them moves nothing."""
    y = labels.astype(bool)
    if len(y) < MIN_LABELS or y.sum() < MIN_EACH or (~y).sum() < MIN_EACH:
        return default, "default"
    merged = probabilities[None, :] >= THRESHOLDS[:, None]
    true_positive = (merged & y[None, :]).sum(axis=1)
    f1 = 2.0 * true_positive / (merged.sum(axis=1) + y.sum())
    good = np.flatnonzero(f1 >= f1.max() - THRESHOLD_TOLERANCE)
    best = good[np.argmin(np.abs(THRESHOLDS[good] - default))]
    return float(THRESHOLDS[best]), "labels"


def labels_to_teach(
    probability: np.ndarray, labels: np.ndarray, together: np.ndarray, threshold: float
) -> np.ndarray:
    """Which labelled pairs the refit learns from (a boolean mask): all but those whose
    answer the model's own persons already give (``together``: the pair is in one person
    without any label) while its ``probability`` says the opposite by more than
    :data:`RULED_BITS` — a rule outside m/u decided them, and every label still forces its
    pair in the clustering."""
    p = np.clip(probability, 1e-12, 1 - 1e-12)
    odds = np.log2(p / (1 - p)) - np.log2(threshold / (1 - threshold))
    sure_otherwise = np.where(labels == 1, odds < -RULED_BITS, odds > RULED_BITS)
    return ~((together == (labels == 1)) & sure_otherwise)


def learn_from_labels(
    model: Model,
    comparisons: Sequence[Comparison],
    frame: pd.DataFrame,
    labelled: tuple[np.ndarray, np.ndarray, np.ndarray],
    labels: np.ndarray,
    *,
    gamma: Levels,
    total_pairs: int,
    default_threshold: float,
    teach: np.ndarray | None = None,
) -> tuple[Model, float]:
    """The EM ``model`` refitted on reviewed pairs and its threshold: ``labelled`` holds
    the pairs' left and right row numbers in ``frame`` and their levels; ``m``/``u`` are
    refitted (:func:`refit_with_labels`), the prior is then re-estimated by EM on the
    blocked pairs' levels ``gamma`` with them fixed (over ``total_pairs``), and the
    threshold chosen on the labels (:func:`choose_threshold`). The model's notes record the
    label count and where the threshold came from."""
    left, right, labelled_gamma = labelled
    before = score_pairs(model, comparisons, frame, left, right, gamma=labelled_gamma)
    plain = np.zeros(labelled_gamma.shape)
    log_m = np.zeros(labelled_gamma.shape)
    for column, comparison in enumerate(comparisons):
        levels = labelled_gamma[:, column]
        plain[:, column] = model.bayes_factors(comparison.name)[levels]
        m = np.log2(np.maximum(np.asarray(model.m[comparison.name]), _FLOOR))
        log_m[:, column] = np.concatenate([[0.0], m])[levels]
    adjusted = ~np.isclose(before.weights, plain)
    m_only = adjusted & (labelled_gamma == 1)
    offsets = np.where(
        m_only, before.weights - log_m, np.where(adjusted, before.weights - plain, 0.0)
    )
    kept = np.ones(len(labels), dtype=bool) if teach is None else teach
    pairs = LabelledPairs(labelled_gamma[kept], labels[kept], offsets[kept], m_only[kept])
    refitted = refit_with_labels(model, comparisons, pairs)
    with_prior = fit(
        comparisons, gamma, refitted.u, prior=refitted.prior, fit_m=False, start=refitted,
        total_pairs=total_pairs, labelled_gamma=labelled_gamma[kept], labels=labels[kept],
    )  # fmt: skip
    with_prior.notes = refitted.notes | {"pairs": with_prior.notes.get("pairs", 0)}
    after = score_pairs(with_prior, comparisons, frame, left, right, gamma=labelled_gamma)
    threshold, source = choose_threshold(after.probability[kept], labels[kept], default_threshold)
    with_prior.notes |= {"threshold": threshold, "threshold_from": source}
    return with_prior, threshold
