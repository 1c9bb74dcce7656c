"""The independent identity corpus (bench.corpus): same seed same bytes, a bundle that
loads into a real Neo4j with nothing quarantined, a truth that covers exactly the records
`srm identities export` names, every failure class labelled, and namesakes as dense as the
name and city laws make them."""

from __future__ import annotations

import hashlib
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from bench.corpus import CLASSES, generate_corpus
from bench.corpus.score import class_scores, read_pair_classes
from bench.identity import corpus
from srm.cli import app
from tests.ingest_helpers import read_csv


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20,000 persons: the size at which namesakes and every class show."""
    folder = tmp_path_factory.mktemp("corpus20k")
    generate_corpus(folder, people=20_000, seed=5)
    return folder


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "a", people=400, seed=3)
    generate_corpus(tmp_path / "b", people=400, seed=3)
    generate_corpus(tmp_path / "c", people=400, seed=4)
    first = _digest(tmp_path / "a")
    assert set(first) == {"customers.csv", "profiles.csv", "follows.csv", "posts.csv",
                          "truth.csv", "pair_classes.csv"}  # fmt: skip
    assert first == _digest(tmp_path / "b")
    assert all(first[name] != digest for name, digest in _digest(tmp_path / "c").items())


def test_bundle_loads_without_quarantine_and_truth_names_the_exported_records(
    cli_store: Driver, tmp_path: Path
) -> None:
    folder = tmp_path / "corpus"
    generate_corpus(folder, people=500, seed=9)
    runner = CliRunner()
    quarantine = tmp_path / "quarantine.jsonl"
    loaded = runner.invoke(app, ["ingest", str(folder), "--format", "bundle",
                                 "--quarantine", str(quarantine)])  # fmt: skip
    assert loaded.exit_code == 0, loaded.output
    assert " 0 quarantined" in loaded.output, loaded.output
    assert not quarantine.exists() or quarantine.read_text(encoding="utf-8") == ""
    resolved = runner.invoke(app, ["identities", "resolve"])
    assert resolved.exit_code == 0, resolved.output
    out = tmp_path / "clusters.csv"
    exported = runner.invoke(app, ["identities", "export", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    exported_ids = {row["record_id"] for row in read_csv(out)}
    truth = {row["record_id"] for row in read_csv(folder / "truth.csv")}
    assert exported_ids == truth
    evaluated = runner.invoke(app, ["identities", "evaluate", "--truth",
                                    str(folder / "truth.csv")])  # fmt: skip
    assert evaluated.exit_code == 0, evaluated.output


def test_truth_covers_every_record_and_pairs_agree_with_it(tmp_path: Path) -> None:
    generate_corpus(tmp_path, people=1500, seed=21)
    truth = {row["record_id"]: row["person_id"] for row in read_csv(tmp_path / "truth.csv")}
    customers = {f"customer:{r['customer_id']}" for r in read_csv(tmp_path / "customers.csv")}
    profiles = {f"profile:{r['platform']}:{r['profile_id']}"
                for r in read_csv(tmp_path / "profiles.csv")}  # fmt: skip
    assert set(truth) == customers | profiles
    assert len(profiles) == len(read_csv(tmp_path / "profiles.csv"))  # ids unique per platform
    for a, b, same, label in read_pair_classes(tmp_path / "pair_classes.csv"):
        assert a in truth and b in truth and a != b
        assert (truth[a] == truth[b]) == same, (a, b, label)
        assert label in CLASSES


@pytest.mark.slow
def test_every_failure_class_is_labelled(large: Path) -> None:
    counts: dict[tuple[str, bool], int] = defaultdict(int)
    for _, _, same, label in read_pair_classes(large / "pair_classes.csv"):
        counts[(label, same)] += 1
    labels = {label for label, _ in counts}
    assert labels == set(CLASSES)
    negatives = {"namesake", "crm_namesake", "org_shared_words", "xref_foreign_link",
                 "xref_stale_link", "xref_shared_host"}  # fmt: skip
    assert {label for label, same in counts if not same} == negatives
    assert all(counts[(label, True)] >= 20 for label in set(CLASSES) - negatives)
    assert all(counts[(label, False)] >= 20 for label in negatives)


@pytest.mark.slow
def test_an_email_or_phone_belongs_to_one_person(large: Path) -> None:
    truth = {row["record_id"]: row["person_id"] for row in read_csv(large / "truth.csv")}
    owners: dict[str, set[str]] = defaultdict(set)
    for row in read_csv(large / "customers.csv"):
        person = truth[f"customer:{row['customer_id']}"]
        digits = "".join(ch for ch in row["phone"] if ch.isdigit())[-9:]
        for key in (f"email:{row['email']}" if row["email"] else "", f"phone:{digits}"):
            if key and key != "phone:":
                owners[key].add(person)
    assert [key for key, people in owners.items() if len(people) > 1] == []


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


@pytest.mark.slow
def test_namesakes_are_as_dense_as_measured(large: Path) -> None:
    """Measured at 20,000 persons (seeds 5 and 7): 0.6–0.7 % of CRM rows share first given
    name, first surname and city with another person's row (0.16 % the whole written name
    and city), 8–8.5 % share first name and first surname anywhere; the biggest city
    (Madrid) holds 5–6 % of the rows."""
    truth = {row["record_id"]: row["person_id"] for row in read_csv(large / "truth.csv")}
    by_city: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    anywhere: dict[tuple[str, str], set[str]] = defaultdict(set)
    cities: dict[str, int] = defaultdict(int)
    rows = read_csv(large / "customers.csv")
    keys = []
    for row in rows:
        first = (_fold(row["first_name"]).split() or [""])[0]
        surname = (_fold(row["last_name"]).replace("-", " ").split() or [""])[0]
        person = truth[f"customer:{row['customer_id']}"]
        city = _fold(row["city"])
        keys.append(((first, surname, city), (first, surname)))
        if city:
            by_city[(first, surname, city)].add(person)
            cities[city] += 1
        anywhere[(first, surname)].add(person)
    in_city = sum(len(by_city.get(k, ())) > 1 for k, _ in keys) / len(rows)
    shared = sum(len(anywhere[k]) > 1 for _, k in keys) / len(rows)
    assert 0.003 < in_city < 0.05
    assert 0.04 < shared < 0.3
    assert max(cities.values()) / len(rows) > 0.03


def test_class_scores_count_recall_and_kept_apart() -> None:
    pairs = [("a", "b", True, "plain"), ("a", "c", True, "plain"), ("c", "d", False, "namesake"),
             ("a", "e", True, "name_typo"), ("b", "d", False, "name_typo")]  # fmt: skip
    predicted = {"a": "1", "b": "1", "c": "2", "d": "2"}  # e is missing: a person of its own
    scores = class_scores(predicted, pairs)
    assert scores["plain"] == {"pairs": 2, "recall": 0.5}
    assert scores["namesake"] == {"pairs": 1, "kept_apart": 0.0}
    assert scores["name_typo_true"] == {"pairs": 1, "recall": 0.0}
    assert scores["name_typo_false"] == {"pairs": 1, "kept_apart": 1.0}


def test_bench_scores_the_corpus_through_the_bundle_path() -> None:
    result = corpus(400, 7, "corpus_dev_400")
    assert result["dataset"] == "corpus_dev_400" and result["records"] > 400
    assert 0.0 < result["f1"] <= 1.0 and result["largest_person"] >= 2
    assert {"plain", "xref_crm_twitter", "place_variant"} <= set(result["classes"])
    scored = [v.get("recall", v.get("kept_apart")) for v in result["classes"].values()]
    assert all(0.0 <= value <= 1.0 for value in scored)
