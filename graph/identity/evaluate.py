"""Evaluation against ground truth: pairwise precision/recall/F1 and B-cubed F1.

Pairwise scores count record pairs in the same predicted cluster against pairs in the
same true cluster (transitive closure on both sides). B-cubed (Bagga & Baldwin 1998)
averages, per record, the share of its predicted cluster that is truly its own (precision)
and of its true cluster that was found (recall). Pair counts are also split by kind:
CRM↔profile, profile↔profile and CRM↔CRM (record ids ``customer:…`` / ``profile:…``).
All counts come from the contingency table of (predicted, true) cluster sizes, so a
million records cost one group-by.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from srm.errors import ValidationError

__all__ = ["Scores", "evaluate_clusters", "read_clusters"]


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _scores(correct: float, predicted: float, true: float) -> Scores:
    precision = correct / predicted if predicted else 1.0
    recall = correct / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(round(precision, 6), round(recall, 6), round(f1, 6), int(true), int(predicted),
                  int(correct))  # fmt: skip


def _pairs_by_kind(frame: pd.DataFrame, keys: list[str]) -> dict[str, float]:
    counts = frame.groupby([*keys, "is_customer"]).size().unstack(fill_value=0)
    customers = counts.get(True, pd.Series(0, index=counts.index)).to_numpy(np.int64)
    profiles = counts.get(False, pd.Series(0, index=counts.index)).to_numpy(np.int64)
    total = customers + profiles
    return {
        "all": float((total * (total - 1) // 2).sum()),
        "crm_profile": float((customers * profiles).sum()),
        "profile_profile": float((profiles * (profiles - 1) // 2).sum()),
        "crm_crm": float((customers * (customers - 1) // 2).sum()),
    }


def evaluate_clusters(predicted: Mapping[str, str], truth: Mapping[str, str]) -> dict[str, object]:
    """Scores of ``predicted`` (record id → cluster id) against ``truth``, on the records
    in ``truth``; a record missing from ``predicted`` counts as a cluster of its own."""
    records = list(truth)
    frame = pd.DataFrame(
        {
            "true": [truth[r] for r in records],
            "pred": [predicted.get(r, "\x00" + r) for r in records],
            "is_customer": [r.startswith("customer:") for r in records],
        }
    )
    true_pairs = _pairs_by_kind(frame, ["true"])
    predicted_pairs = _pairs_by_kind(frame, ["pred"])
    correct = _pairs_by_kind(frame, ["pred", "true"])
    cell = frame.groupby(["pred", "true"]).size().rename("cell")
    sizes = frame.join(cell, on=["pred", "true"])
    pred_size = frame.groupby("pred")["pred"].transform("size")
    true_size = frame.groupby("true")["true"].transform("size")
    b3_precision = float((sizes["cell"] / pred_size).mean()) if len(frame) else 1.0
    b3_recall = float((sizes["cell"] / true_size).mean()) if len(frame) else 1.0
    b3 = 2 * b3_precision * b3_recall / (b3_precision + b3_recall) if len(frame) else 1.0
    result: dict[str, object] = {
        "records": len(records),
        "pairwise": _scores(correct["all"], predicted_pairs["all"], true_pairs["all"]).as_dict(),
        "bcubed": {
            "precision": round(b3_precision, 6),
            "recall": round(b3_recall, 6),
            "f1": round(b3, 6),
        },
    }
    for kind in ("crm_profile", "profile_profile", "crm_crm"):
        result[kind] = _scores(correct[kind], predicted_pairs[kind], true_pairs[kind]).as_dict()
    return result


def read_clusters(path: Path) -> dict[str, str]:
    """A ``record_id,person_id`` CSV (truth or export) as a dict."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            fields = reader.fieldnames or []
            if "record_id" not in fields or "person_id" not in fields:
                raise ValidationError(
                    f"{path}, line 1: the header needs columns record_id and person_id "
                    f"(found: {', '.join(fields) or 'none'})."
                )
            return {row["record_id"]: row["person_id"] for row in reader}
    except OSError as error:
        raise ValidationError(f"{path}: cannot read the file ({error.strerror}).") from error
