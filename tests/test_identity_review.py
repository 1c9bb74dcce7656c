"""Reviewing and learning from labels: suggestions, refit on labels, history and undo —
the pure stages on small inputs, the whole loop on a real Neo4j."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from neo4j import Driver
from typer.testing import CliRunner

from srm.cli import app
from srm.errors import NotFoundError, ValidationError
from srm.graph.identity import decisions, pipeline
from srm.graph.identity.active import JOINED, KEPT_APART, NEAR, suggest_pairs
from srm.graph.identity.comparisons import exact_comparison
from srm.graph.identity.evaluate import read_clusters
from srm.graph.identity.labels import LabelledPairs, choose_threshold, refit_with_labels
from srm.graph.identity.model import Model, load_model
from srm.ingest.pipeline import ingest_paths
from srm.operations.audit import read_events
from srm.operations.erasure import erase
from srm.settings import Settings
from srm.synthetic.generate import generate_bundle
from tests.api_support import client_for, gql, keyed_settings, load_graph


def test_suggestions_are_near_the_threshold_and_varied() -> None:
    same = [(f"customer:A{k}", f"profile:x:{k}", 0.5 + k / 1000, "names") for k in range(10)]
    other = [(f"customer:B{k}", f"profile:x:9{k}", 0.6 + k / 1000, "handle") for k in range(3)]
    sure = [("customer:C1", "profile:x:77", 0.9999, "e-mail")]
    found = suggest_pairs(same + other + sure, threshold=0.5, count=4)
    # a second copy of 'names', though nearer 0.5, loses to the first 'handle' pair
    assert [s.record_a for s in found] == ["customer:A0", "customer:B0", "customer:A1",
                                           "customer:B1"]  # fmt: skip
    assert all(s.record_a != "customer:C1" for s in suggest_pairs(sure, threshold=0.5, count=1))
    excluded = suggest_pairs(same, threshold=0.5, count=3, exclude=[("profile:x:0", "customer:A0")])
    assert "customer:A0" not in {s.record_a for s in excluded}
    for wrong in (0, -3):
        with pytest.raises(ValidationError, match="between 1 and"):
            suggest_pairs(same, threshold=0.5, count=wrong)


def test_suggestions_start_where_persons_and_scores_disagree() -> None:
    persons = {"customer:A": "P1", "profile:x:1": "P2", "profile:x:2": "P2",
               "customer:B": "P3", "profile:x:3": "P3", "customer:C": "P4"}  # fmt: skip
    pairs = [
        ("customer:A", "profile:x:1", 0.97, "names"),  # kept apart at 0.97 (a rule did it)
        ("customer:A", "profile:x:2", 0.99, "names"),  # same two persons: only the highest
        ("customer:B", "profile:x:3", 0.05, "chain"),  # one person, scored apart
        ("customer:C", "profile:x:9", 0.48, "names"),  # near the threshold
    ]
    persons["profile:x:9"] = "P9"
    found = suggest_pairs(pairs[:4], threshold=0.5, count=4, persons=persons)
    assert [(s.record_a, s.record_b, s.reason) for s in found] == [
        ("customer:A", "profile:x:2", KEPT_APART),
        ("customer:B", "profile:x:3", JOINED),
        ("customer:C", "profile:x:9", NEAR),
    ]
    # without persons only the threshold speaks, as before
    assert [s.record_b for s in suggest_pairs(pairs[:4], threshold=0.5, count=4)] == ["profile:x:9"]
    # reviewed pairs are never suggested again, whatever their kind
    again = suggest_pairs(pairs[:4], threshold=0.5, count=4, persons=persons,
                          exclude=[("profile:x:2", "customer:A")])  # fmt: skip
    assert [s.record_b for s in again][:1] == ["profile:x:1"]


def test_threshold_from_labels_only_when_there_are_enough() -> None:
    probabilities = np.linspace(0.31, 0.89, 40)
    labels = (probabilities >= 0.7).astype(float)
    assert choose_threshold(probabilities[:20], labels[:20], 0.5) == (0.5, "default")
    threshold, source = choose_threshold(probabilities, labels, 0.5)
    assert source == "labels" and 0.66 <= threshold <= 0.71
    assert choose_threshold(probabilities, np.ones(40), 0.5) == (0.5, "default")


def test_rejected_pattern_lowers_its_factors_for_every_pair() -> None:
    comparisons = [exact_comparison("name", "name"), exact_comparison("city", "city")]
    model = Model(
        names=["name", "city"],
        levels={c.name: list(c.levels) for c in comparisons},
        m={"name": [0.9, 0.1], "city": [0.8, 0.2]},
        u={"name": [0.01, 0.99], "city": [0.05, 0.95]},
        prior=0.01,
    )
    # 40 reviewed pairs with the same name and city, all different people
    gamma = np.ones((40, 2), dtype=np.int8)
    pairs = LabelledPairs(gamma, np.zeros(40), np.zeros((40, 2)), np.zeros((40, 2), dtype=bool))
    refitted = refit_with_labels(model, comparisons, pairs)
    before = model.bayes_factors("name")[1] + model.bayes_factors("city")[1]
    after = refitted.bayes_factors("name")[1] + refitted.bayes_factors("city")[1]
    assert after < before - 2
    assert refitted.notes["labels"] == 40 and refitted.version != model.version
    # a few labels move it less than many: the EM fit is the prior
    few = refit_with_labels(model, comparisons, LabelledPairs(
        gamma[:3], np.zeros(3), np.zeros((3, 2)), np.zeros((3, 2), dtype=bool)))  # fmt: skip
    assert after < few.bayes_factors("name")[1] + few.bayes_factors("city")[1] < before


NAMESAKES = 20


def _bundle_with_namesakes(folder: Path) -> list[tuple[str, str]]:
    """A generated bundle plus pairs of X and Mastodon accounts of *different* people who
    share a rare name and a city and nothing else; returns those pairs' record ids."""
    generate_bundle(folder, people=80, seed=11)
    surnames = ["Arrizabalaga", "Txurruka", "Olaizola", "Goikoetxea", "Zubizarreta",
                "Etxeberria", "Urrutikoetxea", "Aranburu", "Elizondo", "Igartua",
                "Lasarte", "Murgoitio", "Agirrezabala", "Berasategi", "Errazkin",
                "Garmendia", "Intxausti", "Larrañaga", "Oiartzabal", "Sarasola"]  # fmt: skip
    pairs = []
    with (
        (folder / "profiles.csv").open("a", encoding="utf-8", newline="") as profiles,
        (folder / "truth.csv").open("a", encoding="utf-8", newline="") as truth,
    ):
        write, truth_write = (
            csv.writer(profiles, lineterminator="\n").writerow,
            csv.writer(truth, lineterminator="\n").writerow,
        )
        for k, surname in enumerate(surnames[:NAMESAKES]):
            x_id, m_id = f"99000{k:02d}", f"99100{k:02d}"
            name = f"Eustaquio {surname}"
            created = "2020-01-01T00:00:00+00:00"
            write([x_id, "x", f"eus_{k}_one", name, "", "Soria", "", 10, created])
            write([m_id, "mastodon", f"otro{k}zz", name, "", "Soria", "", 10, created])
            truth_write([f"profile:x:{x_id}", f"NX-{k}"])
            truth_write([f"profile:mastodon:{m_id}", f"NM-{k}"])
            pairs.append((f"profile:mastodon:{m_id}", f"profile:x:{x_id}"))
    return pairs


def _persons(driver: Driver, tmp_path: Path) -> dict[str, str]:
    out = tmp_path / "export.csv"
    pipeline.export_clusters(driver, out)
    return read_clusters(out)


def test_labels_refit_the_model_and_generalise(driver: Driver, tmp_path: Path) -> None:
    folder = tmp_path / "bundle"
    namesakes = _bundle_with_namesakes(folder)
    ingest_paths(driver, [folder], quarantine_path=tmp_path / "quarantine.jsonl")
    plain = pipeline.resolve_graph(driver, save_model_path=tmp_path / "plain.json")
    assert plain.labels == 0 and plain.threshold == 0.5
    first = _persons(driver, tmp_path)
    wrongly_merged = [(a, b) for a, b in namesakes if first[a] == first[b]]
    assert len(wrongly_merged) >= 16, "the namesakes should start merged"

    # suggestions exclude nothing reviewed yet and are record ids as export has them
    suggested = decisions.merge_suggestions(driver, 20)
    assert 0 < len(suggested) <= 20
    assert all(s.record_a in first and s.record_b in first for s in suggested)

    # the prior holds against a handful of labels (labels.STRENGTH): teach a dozen or more
    taught, held_out = wrongly_merged[:-4], wrongly_merged[-4:]
    for a, b in taught:
        pipeline.reject(driver, a, b, reviewer="tester")
    truth = read_clusters(folder / "truth.csv")
    accepted = [(s.record_a, s.record_b) for s in suggested
                if truth[s.record_a] == truth[s.record_b]][:5]  # fmt: skip
    for a, b in accepted:
        pipeline.accept(driver, a, b, reviewer="tester")
    reviewed = {frozenset(p) for p in taught + accepted}
    after = decisions.merge_suggestions(driver, 50)
    assert not reviewed & {frozenset((s.record_a, s.record_b)) for s in after}

    learned = pipeline.resolve_graph(driver, save_model_path=tmp_path / "learned.json")
    assert learned.labels == len(taught) + len(accepted)
    assert learned.to_json()["labels"] == learned.labels
    before_model, after_model = (
        load_model(tmp_path / "plain.json"),
        load_model(tmp_path / "learned.json"),
    )
    assert after_model.notes["labels"] == learned.labels
    assert before_model.m != after_model.m and before_model.u != after_model.u
    second = _persons(driver, tmp_path)
    # the labelled pairs are split, and so are the similar pairs nobody labelled
    assert all(second[a] != second[b] for a, b in taught)
    assert all(second[a] != second[b] for a, b in held_out)
    assert all(second[a] == second[b] for a, b in accepted)


def test_history_and_undo(driver: Driver, settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "bundle"
    generate_bundle(folder, people=40, seed=3)
    ingest_paths(driver, [folder], quarantine_path=tmp_path / "quarantine.jsonl")
    pipeline.resolve_graph(driver)
    persons = _persons(driver, tmp_path)
    by_person: dict[str, list[str]] = {}
    for record, person in sorted(persons.items()):
        by_person.setdefault(person, []).append(record)
    merged = next(m for m in by_person.values() if len(m) >= 2)
    singles = [m[0] for m in by_person.values() if len(m) == 1]
    a, b = merged[:2]
    c, d = singles[:2]

    pipeline.reject(driver, a, b, reviewer="ana")
    split = _persons(driver, tmp_path)
    assert split[a] != split[b] and split[a] == persons[a]
    pipeline.accept(driver, c, d, reviewer="luis")
    joined = _persons(driver, tmp_path)
    assert joined[c] == joined[d]

    history = decisions.decision_history(driver)
    assert [h["decision"] for h in history] == ["accept", "reject"]
    accept_row, reject_row = history
    assert accept_row["reviewer"] == "luis" and accept_row["at"]
    assert reject_row["persons_before"] == [persons[a], persons[b]]
    assert reject_row["persons_after"] == [split[a], split[b]]
    only = decisions.decision_history(driver, b, a)
    assert [h["decision_id"] for h in only] == [reject_row["decision_id"]]

    undone = decisions.undo(driver, "ana")  # the last: the accept
    assert undone["decision_id"] == accept_row["decision_id"]
    back = _persons(driver, tmp_path)
    assert back[c] != back[d] and back[c] == persons[c] and back[d] == persons[d]
    decisions.undo(driver, "ana", reject_row["decision_id"])
    assert _persons(driver, tmp_path) == persons
    statuses = {link["status"] for link in (pipeline.store.read_pair(driver, a, b),)}
    assert statuses <= {"candidate"}
    assert decisions.decision_history(driver)[0]["undone_at"]
    with pytest.raises(ValidationError, match="already undone"):
        decisions.undo(driver, "ana", reject_row["decision_id"])
    with pytest.raises(NotFoundError):
        decisions.undo(driver, "ana")

    # unmerge is a decision like the others, and undone the same way
    new_id = pipeline.unmerge(driver, persons[a], b, reviewer="ana")
    assert _persons(driver, tmp_path)[b] == new_id
    assert decisions.decision_history(driver)[0]["decision"] == "unmerge"
    decisions.undo(driver, "ana")
    assert _persons(driver, tmp_path) == persons

    # erasing a record erases the decisions that name it
    pipeline.reject(driver, c, d, reviewer="ana")
    kind, key = c.split(":", 1)
    erase(driver, settings, kind, key)  # type: ignore[arg-type]
    left = decisions.decision_history(driver)
    named = {i for h in left for pair in h["pairs"] for i in pair.split("|")}
    assert left and c not in named | {h["record_a"] for h in left}


def test_cli_suggest_history_undo_and_bad_input(cli_store: Driver, tmp_path: Path) -> None:
    folder = tmp_path / "bundle"
    generate_bundle(folder, people=60, seed=5)
    ingest_paths(cli_store, [folder], quarantine_path=tmp_path / "quarantine.jsonl")
    runner = CliRunner()
    resolved = runner.invoke(app, ["identities", "resolve", "--json"])
    assert resolved.exit_code == 0, resolved.output
    assert json.loads(resolved.output.splitlines()[-1])["labels"] == 0

    listed = runner.invoke(app, ["identities", "review", "--suggest", "5", "--format", "csv"])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.strip().splitlines()
    assert lines[0] == "record_a,record_b,probability"
    rows = list(csv.reader(lines[1:]))
    assert 0 < len(rows) <= 5
    for a, b, probability in rows:
        assert a.startswith(("customer:", "profile:")) and b.startswith(("customer:", "profile:"))
        assert 0.0 < float(probability) < 1.0
    a, b, _ = rows[0]
    table = runner.invoke(app, ["identities", "review", "--suggest", "3"])
    assert table.exit_code == 0 and "pairs suggested" in table.output

    assert runner.invoke(app, ["identities", "reject", a, b, "--by", "eva"]).exit_code == 0
    history = runner.invoke(app, ["identities", "history", a, b])
    assert history.exit_code == 0 and "eva" in history.output and "reject" in history.output
    again = runner.invoke(app, ["identities", "review", "--suggest", "50", "--format", "csv"])
    assert f"{a},{b}," not in again.output
    relearned = runner.invoke(app, ["identities", "resolve"])
    assert "1 reviewed labels used" in relearned.output
    undone = runner.invoke(app, ["identities", "undo"])
    assert undone.exit_code == 0 and "Undid D1" in undone.output
    # both the decision and its undo are in the audit trail, with the pair's records
    audited = list(
        read_events(tmp_path / "home" / "audit", datetime(2000, 1, 1, tzinfo=UTC), kind="decision")
    )
    assert [event["decision"] for event in audited] == ["reject", "undo"]
    assert audited[1]["records"] == [a, b]

    for arguments, message in (
        (["review", "--suggest", "0"], "between 1 and"),
        (["review", "--suggest", "-2"], "between 1 and"),
        (["accept", "customer:NOPE", b], "No record customer:NOPE"),
        (["reject", a, a], "two different records"),
        (["accept", "nonsense", b], "is not 'customer"),
        (["undo", "D999"], "No review decision"),
        (["history", a], "both records"),
        (["resolve", "--threshold", "1.5"], "between 0 and 1"),
    ):
        result = runner.invoke(app, ["identities", *arguments])
        assert result.exit_code != 0, arguments
        assert message in result.output and "Traceback" not in result.output, result.output


def test_graphql_merge_suggestions_and_decisions(driver: Driver, settings: Settings) -> None:
    load_graph(driver)
    client = client_for(keyed_settings(settings), driver)
    query = "{ mergeSuggestions(first: 5) { id recordA recordB probability } }"
    status, body = gql(client, query, role="marketer")
    assert status == 403 and "marketer" in body["errors"][0]["message"]
    _, body = gql(client, query, role="analyst")
    found = body["data"]["mergeSuggestions"]
    assert found[0]["recordA"] == "customer:C2" and found[0]["probability"] == 0.93
    assert found[0]["id"] == f"customer:C2|{found[0]['recordB']}"
    for first in (0, -1, 500):
        status, body = gql(client, f"{{ mergeSuggestions(first: {first}) {{ id }} }}")
        assert status == 400 and "'first'" in body["errors"][0]["message"]

    _, body = gql(client, f'mutation {{ rejectMerge(id: "{found[0]["id"]}") {{ status }} }}')
    _, body = gql(client, query, role="analyst")
    assert body["data"]["mergeSuggestions"] == []
    decisions_query = "{ identityDecisions(first: 5) { id decision recordA reviewer probability } }"
    status, body = gql(client, decisions_query, role="analyst")
    assert status == 403
    _, body = gql(client, decisions_query, role="admin")
    [decision] = body["data"]["identityDecisions"]
    assert decision["decision"] == "reject" and decision["probability"] == 0.93
    assert decision["reviewer"].startswith("api-key:")
