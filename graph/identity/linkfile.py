"""`link-file`: deduplicate one CSV or link two, from a declarative settings file.

The settings JSON maps columns to comparison types; everything else (normalisation,
blocking rules, comparisons, model, clusters) follows from it::

    {
      "id_column": "rec_id",
      "columns": {"given_name": "first_name", "surname": "surname",
                  "date_of_birth": "date", "postcode": "postcode",
                  "address_1": "address", "soc_sec_id": "exact_id"},
      "blocking": [["surname"], ["date_of_birth"], ["given_name", "postcode"]],
      "threshold": 0.5,
      "region": "ES",
      "link_type": "link_only"
    }

Types: ``name``, ``first_name``, ``surname``, ``date``, ``postcode``, ``phone``, ``email``,
``address``, ``text``, ``exact_id``. ``blocking`` is optional: by default every column
except free text is a rule on its own, plus a few combinations (see :func:`_rules`).
``threshold`` (default 0.5, even odds) is a probability over all pairs: the model is
fitted as splink does — ``u`` from random pairs, ``m`` by EM in one training session per
blocking rule (its pairs, with the comparisons of its key columns left out, as they agree
there by construction) and the prior as a share of all pairs, so a file whose blocked
pairs are mostly namesakes does not teach the EM that agreeing names make a match. An
e-mail's local part is compared on what it says beyond the record's own names
(``ana.gil84`` → ``84``): namesakes hold addresses made of the same names elsewhere.
``link_type`` ``link_only`` (two files, each without duplicates) lets two records of one
file share a cluster only when they match each other directly; ``link_and_dedupe`` drops
that guard. Each file needs rows and a unique, non-empty id on each.
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
from srm.graph.identity.model import Model, estimate_u, fit_sessions
from srm.graph.identity.predict import ScoredPairs, score_pairs

_RULE_BUDGET = 0.001
# a rule within this many pairs is kept whatever its share: a file of up to about a
# hundred rows is compared whole
_RULE_FLOOR = 5_000

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
    threshold: float = 0.5
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
        threshold=float(data.get("threshold", 0.5)),
        region=str(data.get("region", "ES")),
        link_type=str(data.get("link_type", "link_only")),
    )


_NAME_TYPES = ("first_name", "surname", "name")


def _prepare(frame: pd.DataFrame, settings: LinkSettings) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    named = [c for c, kind in settings.columns.items() if kind in _NAME_TYPES]
    names = frame[named].fillna("").astype(str).to_numpy().tolist() if named else None
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
            # the local part compared on what it says beyond the record's own names
            out[f"{column}__local"] = [
                norm.email_local_rest(p.local, names[k]) if names else p.local
                for k, p in enumerate(parts)
            ]
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


def _rules(
    settings: LinkSettings, prepared: pd.DataFrame
) -> list[tuple[BlockingRule, tuple[str, ...]]]:
    """The configured rules, or defaults: every non-text column and a few combinations
    (surname + first-name prefix, first name + date, postcode + surname prefix), keeping
    only rules that would each compare at most ``_RULE_BUDGET`` of all pairs (or
    ``_RULE_FLOOR`` pairs, for small files) — a key as coarse as a state or a street
    number is no blocking at all."""
    if settings.blocking:
        for rule in settings.blocking:
            unknown = [c for c in rule if c not in settings.columns]
            if unknown:
                raise ValidationError(
                    f"settings blocking rule {rule}: {', '.join(unknown)} not in 'columns'."
                )
        return [(on_columns(*rule), tuple(rule)) for rule in settings.blocking]
    kinds = settings.columns
    candidates: list[tuple[str, ...]] = [(c,) for c, kind in kinds.items() if kind != "text"]
    prefixed: dict[tuple[str, ...], int] = {}
    firsts = [c for c, k in kinds.items() if k == "first_name"]
    lasts = [c for c, k in kinds.items() if k in ("surname", "name")]
    dates = [c for c, k in kinds.items() if k == "date"]
    places = [c for c, k in kinds.items() if k == "postcode"]
    if firsts and lasts:
        candidates.append((lasts[0], firsts[0]))
        prefixed[candidates[-1]] = 2
    if firsts and dates:
        candidates.append((firsts[0], dates[0]))
    if places and lasts:
        candidates.append((places[0], lasts[0]))
        prefixed[candidates[-1]] = 3
    if places and firsts:
        candidates.append((places[0], firsts[0]))
        prefixed[candidates[-1]] = 3
    rules = [
        (on_columns(*columns, prefix=prefixed.get(columns)), columns) for columns in candidates
    ]
    n = len(prepared)
    budget = max(_RULE_BUDGET, 2 * _RULE_FLOOR / max(n * (n - 1), 1))
    return [(rule, columns) for rule, columns in rules
            if _pair_share(rule.keys(prepared)) <= budget]  # fmt: skip


def _check_ids(source: str, ids: pd.Series, column: str) -> None:
    """Each input needs rows, and an id on each that no other row of it has: clusters are
    written per id. Errors give the file's line numbers (the header is line 1)."""
    if ids.empty:
        raise ValidationError(f"{source}: no rows under the header; nothing to link.")
    text = ids.fillna("").astype(str).str.strip()
    blank = text.index[text == ""]
    if len(blank):
        lines = ", ".join(str(k + 2) for k in blank[:5])
        raise ValidationError(f"{source}: field {column!r} is empty on line(s) {lines}.")
    repeated = text[text.duplicated(keep=False)]
    if len(repeated):
        value = repeated.iloc[0]
        lines = ", ".join(str(k + 2) for k in repeated.index[repeated == value][:5])
        raise ValidationError(
            f"{source}: field {column!r} repeats the id {value!r} on lines {lines} "
            f"({repeated.nunique():,} ids repeat); ids must be unique within a file."
        )


def _sessions(
    rules: Sequence[tuple[BlockingRule, tuple[str, ...]]], blocked: BlockingResult
) -> list[tuple[np.ndarray, frozenset[str]]]:
    """EM training sessions, one per blocking rule: its pairs, with the comparisons of its
    key columns left out (they agree by construction there). A comparison that every rule
    keys on is fitted on all pairs, in a last session that leaves out the others."""
    sessions = [(blocked.found_by([k]), frozenset(columns)) for k, (_, columns) in enumerate(rules)]
    keyed_everywhere = (
        frozenset.intersection(*(ignored for _, ignored in sessions)) if sessions else frozenset()
    )
    if keyed_everywhere:
        every = frozenset(c for _, columns in rules for c in columns) - keyed_everywhere
        sessions.append((np.ones(len(blocked.left), dtype=bool), every))
    return sessions


def _all_pairs(records: pd.DataFrame) -> int:
    """Pairs a full comparison would make: within the one file, or across the files."""
    sizes = records["dataset"].value_counts().to_numpy(dtype=np.int64)
    if len(sizes) == 1:
        return int(sizes[0] * (sizes[0] - 1) // 2)
    return int((sizes.sum() ** 2 - (sizes**2).sum()) // 2)


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
    sources: Sequence[str] | None = None,
) -> LinkResult:
    """Deduplicate one frame or link several (pairs only across frames); ``sources``
    names the frames in errors (default "input 1", "input 2", …)."""
    started = time.perf_counter()
    for number, frame in enumerate(frames, start=1):
        source = sources[number - 1] if sources else f"input {number}"
        missing = [c for c in [settings.id_column, *settings.columns] if c not in frame.columns]
        if missing:
            raise ValidationError(
                f"{source}: column(s) {', '.join(missing)} named in the settings are "
                "not in the file's header; fix the header or the settings."
            )
        _check_ids(source, frame[settings.id_column], settings.id_column)
    records = pd.concat([f.assign(dataset=str(i)) for i, f in enumerate(frames)], ignore_index=True)
    records["record_id"] = records[settings.id_column].astype(str)
    prepared = _prepare(records, settings)
    prepared["dataset"] = records["dataset"]
    comparisons = _comparisons(settings)
    linking = len(frames) > 1
    rules = _rules(settings, prepared)
    blocked = block(prepared, [rule for rule, _ in rules], dataset="dataset" if linking else None)
    gamma = comparison_levels(comparisons, prepared, blocked.left, blocked.right)
    if model is None:
        groups = prepared["dataset"].to_numpy() if linking else None
        u = estimate_u(comparisons, prepared, groups=groups)
        model = fit_sessions(
            comparisons, gamma, u, _sessions(rules, blocked), total_pairs=_all_pairs(records)
        )
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
