"""`link-file`: deduplicate one CSV or link two, from a declarative settings file.

The settings JSON maps columns to comparison types; everything else (normalisation,
blocking rules, comparisons, model, clusters) follows from it::

    {
      "id_column": "rec_id",
      "columns": {"given_name": "first_name", "surname": "surname",
                  "date_of_birth": "date", "postcode": "postcode",
                  "address_1": "address", "soc_sec_id": "exact_id"},
      "blocking": [["surname"], ["date_of_birth"], ["given_name", "postcode"]],
      "threshold": 0.99,
      "region": "ES",
      "link_type": "link_only"
    }

Types: ``name``, ``first_name``, ``surname``, ``date``, ``postcode``, ``phone``, ``email``,
``address``, ``text``, ``exact_id``. ``blocking`` is optional: by default every column
except free text is a rule on its own, plus a few combinations (see :func:`_rules`).
``threshold`` is a probability among the *blocked* pairs, where matches are common (the
fitted prior is 0.1–0.5), hence the high default. ``link_type`` ``link_only`` (two files,
each without duplicates) lets two records of one file share a cluster only when they
match each other directly; ``link_and_dedupe`` drops that guard.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from srm.errors import ValidationError
from srm.graph.identity import normalise as norm
from srm.graph.identity.blocking import BlockingResult, BlockingRule, block, on_columns
from srm.graph.identity.cluster import ConflictRule, cluster_pairs
from srm.graph.identity.comparisons import (
    Comparison,
    comparison_levels,
    date_comparison,
    email_comparison,
    exact_comparison,
    given_name_comparison,
    string_comparison,
    text_comparison,
)
from srm.graph.identity.model import Model, estimate_u, fit
from srm.graph.identity.predict import ScoredPairs, score_pairs

_RULE_BUDGET = 0.001

__all__ = ["COLUMN_TYPES", "LinkResult", "LinkSettings", "link_frames", "read_settings"]

COLUMN_TYPES = (
    "name", "first_name", "surname", "date", "postcode", "phone", "email", "address", "text",
    "exact_id",
)  # fmt: skip


@dataclass(frozen=True)
class LinkSettings:
    """Parsed settings (see module doc)."""

    id_column: str
    columns: dict[str, str]
    blocking: list[list[str]] | None = None
    threshold: float = 0.99
    region: str = "ES"
    link_type: str = "link_only"


def read_settings(path: Path) -> LinkSettings:
    """Read and check a settings JSON file; errors name the field and the fix."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ValidationError(f"{path}: not a readable JSON settings file ({error}).") from error
    if not isinstance(data, dict) or "id_column" not in data or "columns" not in data:
        raise ValidationError(f"{path}: settings need the fields 'id_column' and 'columns'.")
    for column, kind in data["columns"].items():
        if kind not in COLUMN_TYPES:
            raise ValidationError(
                f"{path}: columns.{column} has type {kind!r}; use one of {', '.join(COLUMN_TYPES)}."
            )
    return LinkSettings(
        id_column=str(data["id_column"]),
        columns={str(k): str(v) for k, v in data["columns"].items()},
        blocking=data.get("blocking"),
        threshold=float(data.get("threshold", 0.99)),
        region=str(data.get("region", "ES")),
        link_type=str(data.get("link_type", "link_only")),
    )


def _prepare(frame: pd.DataFrame, settings: LinkSettings) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    for column, kind in settings.columns.items():
        raw = frame[column].fillna("").astype(str)
        if kind == "first_name":
            parsed = [norm.parse_name(first=v) for v in raw]
            out[column] = [p.given for p in parsed]
            out[f"{column}__raw"] = [p.raw_given for p in parsed]
            out[f"{column}__initial"] = [p.initial for p in parsed]
        elif kind in ("date", "postcode"):
            out[column] = [norm.digits_only(v) if kind == "date" else norm.fold(v) for v in raw]
        elif kind == "phone":
            out[column] = [norm.phone_e164(v, settings.region) for v in raw]
        elif kind == "email":
            parts = [norm.parse_email(v) for v in raw]
            out[column] = [p.email for p in parts]
            out[f"{column}__local"] = [p.local for p in parts]
        else:
            out[column] = [" ".join(norm.words(v)) for v in raw]
    return out


def _comparisons(settings: LinkSettings) -> list[Comparison]:
    made: list[Comparison] = []
    for column, kind in settings.columns.items():
        if kind == "first_name":
            made.append(
                given_name_comparison(column, column, f"{column}__raw", f"{column}__initial")
            )
        elif kind in ("name", "surname"):
            made.append(string_comparison(column, column, (0.92, 0.8)))
        elif kind == "date":
            made.append(date_comparison(column, column))
        elif kind in ("postcode", "phone", "exact_id"):
            made.append(exact_comparison(column, column, edits=1))
        elif kind == "email":
            made.append(email_comparison(column, column, f"{column}__local"))
        else:
            made.append(text_comparison(column, column))
    return made


def _pair_share(keys: pd.Series) -> float:
    counts = keys[keys != ""].value_counts().to_numpy(dtype=np.float64)
    n = max(len(keys), 2)
    return float((counts * (counts - 1)).sum() / (n * (n - 1)))


def _rules(settings: LinkSettings, prepared: pd.DataFrame) -> list[BlockingRule]:
    """The configured rules, or defaults: every non-text column and a few combinations
    (surname + first-name prefix, first name + date, postcode + surname prefix), keeping
    only rules that would each compare at most ``_RULE_BUDGET`` of all pairs — a key as
    coarse as a state or a street number is no blocking at all."""
    if settings.blocking:
        for rule in settings.blocking:
            unknown = [c for c in rule if c not in settings.columns]
            if unknown:
                raise ValidationError(
                    f"settings blocking rule {rule}: {', '.join(unknown)} not in 'columns'."
                )
        return [on_columns(*rule) for rule in settings.blocking]
    kinds = settings.columns
    candidates = [on_columns(column) for column, kind in kinds.items() if kind != "text"]
    firsts = [c for c, k in kinds.items() if k == "first_name"]
    lasts = [c for c, k in kinds.items() if k in ("surname", "name")]
    dates = [c for c, k in kinds.items() if k == "date"]
    places = [c for c, k in kinds.items() if k == "postcode"]
    if firsts and lasts:
        candidates.append(on_columns(lasts[0], firsts[0], prefix=2))
    if firsts and dates:
        candidates.append(on_columns(firsts[0], dates[0]))
    if places and lasts:
        candidates.append(on_columns(places[0], lasts[0], prefix=3))
    if places and firsts:
        candidates.append(on_columns(places[0], firsts[0], prefix=3))
    return [rule for rule in candidates if _pair_share(rule.keys(prepared)) <= _RULE_BUDGET]


@dataclass
class LinkResult:
    """What :func:`link_frames` produced: the input rows with ``dataset``, ``record_id``
    and ``cluster_id``, the blocked and scored pairs, the model and seconds taken."""

    records: pd.DataFrame
    blocked: BlockingResult
    scored: ScoredPairs
    model: Model
    comparisons: list[Comparison]
    seconds: float


def link_frames(
    frames: Sequence[pd.DataFrame],
    settings: LinkSettings,
    *,
    model: Model | None = None,
    threshold: float | None = None,
) -> LinkResult:
    """Deduplicate one frame or link several (pairs only across frames)."""
    started = time.perf_counter()
    for number, frame in enumerate(frames, start=1):
        missing = [c for c in [settings.id_column, *settings.columns] if c not in frame.columns]
        if missing:
            raise ValidationError(
                f"input {number}: column(s) {', '.join(missing)} named in the settings are "
                "not in the file's header; fix the header or the settings."
            )
    records = pd.concat([f.assign(dataset=str(i)) for i, f in enumerate(frames)], ignore_index=True)
    records["record_id"] = records[settings.id_column].astype(str)
    prepared = _prepare(records, settings)
    prepared["dataset"] = records["dataset"]
    comparisons = _comparisons(settings)
    linking = len(frames) > 1
    blocked = block(prepared, _rules(settings, prepared), dataset="dataset" if linking else None)
    gamma = comparison_levels(comparisons, prepared, blocked.left, blocked.right)
    if model is None:
        groups = prepared["dataset"].to_numpy() if linking else None
        u = estimate_u(comparisons, prepared, groups=groups)
        model = fit(comparisons, gamma, u, prior=0.1)
    scored = score_pairs(model, comparisons, prepared, blocked.left, blocked.right, gamma=gamma)
    labels = cluster_pairs(
        len(records),
        blocked.left,
        blocked.right,
        scored.probability,
        settings.threshold if threshold is None else threshold,
        conflicts=[ConflictRule("same file", list(prepared["dataset"]), "equal")]
        if linking and settings.link_type == "link_only"
        else [],
    )
    records["cluster_id"] = [f"c{label}" for label in labels]
    return LinkResult(records, blocked, scored, model, comparisons, time.perf_counter() - started)
