"""The review curve: F1 as a simulated reviewer labels the suggested pairs.

    python -m bench.review [--people N] [--seed S] [--steps 0,25,50,100,200]

For any bundle folder and its truth (:func:`review_curve`): resolve, take the pairs
:func:`srm.graph.identity.active.resolution_suggestions` suggests, answer each from the
truth (same person → accepted, else rejected), resolve again with every label so far, and
record pairwise F1 after each step (cumulative label counts). Run on a generated bundle with
and without graph evidence (the latter a harder start), each also with the labels only
forced on their own pairs (``*_forced_only``, no refit): the baseline in the same run. JSON
on the last line.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from srm.graph.identity.active import resolution_suggestions
from srm.graph.identity.bundle import BundleInputs, read_bundle
from srm.graph.identity.evaluate import evaluate_clusters, read_clusters
from srm.graph.identity.social import resolve_records
from srm.synthetic.generate import generate_bundle

__all__ = ["STEPS", "generated_curves", "review_curve"]

STEPS = (0, 25, 50, 100, 200)


def review_curve(
    inputs: BundleInputs,
    truth: dict[str, str],
    steps: Sequence[int] = STEPS,
    *,
    with_graph: bool = True,
    learn: bool = True,
) -> list[dict[str, Any]]:
    """``[{labels, f1, precision, recall, threshold, seconds}]``, one per cumulative label
    count in ``steps`` (increasing), the reviewer answering from ``truth`` (record id →
    person id); records missing from the truth count as persons of their own.
    ``learn=False`` only forces the labelled pairs (the baseline the refit must beat)."""
    accepted: list[tuple[str, str]] = []
    rejected: list[tuple[str, str]] = []
    curve: list[dict[str, Any]] = []
    for step in steps:
        started = time.perf_counter()
        result = resolve_records(
            inputs.records, follows=inputs.follows, mentions=inputs.mentions,
            with_graph=with_graph, threshold=None, accepted=accepted, rejected=rejected,
            learn=learn,
        )  # fmt: skip
        ids = result.frame["record_id"]
        scores = evaluate_clusters(dict(zip(ids, map(str, result.labels), strict=True)), truth)
        pairwise = scores["pairwise"]
        curve.append({
            "labels": len(accepted) + len(rejected), "f1": pairwise["f1"],
            "precision": pairwise["precision"], "recall": pairwise["recall"],
            "threshold": result.threshold, "seconds": round(time.perf_counter() - started, 1),
        })  # fmt: skip
        wanted = [s for s in steps if s > step]
        if not wanted:
            break
        more = wanted[0] - len(accepted) - len(rejected)
        for suggestion in resolution_suggestions(result, more, accepted + rejected):
            a, b = suggestion.record_a, suggestion.record_b
            same = truth.get(a, a) == truth.get(b, b)
            (accepted if same else rejected).append((a, b))
    return curve


def generated_curves(people: int, seed: int, steps: Sequence[int] = STEPS) -> dict[str, Any]:
    """Review curves on a generated bundle, with and without graph evidence."""
    with tempfile.TemporaryDirectory() as folder:
        generate_bundle(Path(folder), people=people, seed=seed)
        inputs = read_bundle(Path(folder))
        truth = read_clusters(Path(folder) / "truth.csv")
    out: dict[str, Any] = {"dataset": f"generated-{people}", "seed": seed}
    out["review_curve"] = [
        {"labels": p["labels"], "f1": p["f1"]} for p in review_curve(inputs, truth, steps)
    ]
    out["review_curve_forced_only"] = [
        {"labels": p["labels"], "f1": p["f1"]}
        for p in review_curve(inputs, truth, steps, learn=False)
    ]
    for name, learn in (("without_graph", True), ("without_graph_forced_only", False)):
        out[f"review_curve_{name}"] = [
            {"labels": p["labels"], "f1": p["f1"]}
            for p in review_curve(inputs, truth, steps, with_graph=False, learn=learn)
        ]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--steps", default=",".join(map(str, STEPS)))
    args = parser.parse_args()
    steps = [int(s) for s in args.steps.split(",")]
    result = generated_curves(args.people, args.seed, steps)
    for key in [k for k in result if k.startswith("review_curve")]:
        print(key, " ".join(f"{p['labels']}:{p['f1']:.4f}" for p in result[key]))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
