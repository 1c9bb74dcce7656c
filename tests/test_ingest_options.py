"""`srm ingest` options and load-order rules: --owner, --map with auto-detection, claims of
non-X profiles in either load order, the bad-row ratio of unparseable records, progress.

Fixtures are the invented people of tests/fixtures; small CSVs are written per test.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from srm.cli import app
from srm.commands import ingest as ingest_command
from srm.cypher.ingest import CLAIM_PROPERTIES
from srm.errors import IngestError
from srm.ingest.batches import must_wait
from srm.ingest.formats import ReadOptions
from srm.ingest.pipeline import IngestSummary, ingest_paths
from srm.ingest.readers import bundle as bundle_reader
from srm.ingest.rows import PLATFORMS, FollowBlock
from srm.ingest.spool import Spool
from srm.store import read
from tests import statements
from tests.fixture_files import (
    BLUESKY_FOLLOWERS,
    FIXTURES,
    GENERIC,
    LINKEDIN,
    MASTODON_ACCOUNTS,
    X_FOLLOWERS,
)
from tests.ingest_helpers import write_bundle

GENERIC_MAP = ["customer_id=Código", "first_name=Nombre", "last_name=Apellidos"]
GENERIC_OPTIONS = [
    *(arg for pair in GENERIC_MAP for arg in ("--map", pair)),
    "--max-bad-ratio",
    "0.5",
]

CLAIMING_CRM = """Id,Nombre,Mastodon,Bluesky,LinkedIn
K1,Begoña,,begona.bsky.social,
K2,Pepe,@pepe@tkz.one,,
K3,Eugenia,,,https://www.linkedin.com/in/eugenia-saenz/
"""
CLAIM_MAP = {
    "customer_id": "Id",
    "first_name": "Nombre",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "linkedin": "LinkedIn",
}
EXPECTED_CLAIMS = {
    ("K1", "bluesky:did:plc:a7k2mq3vxz4u5lrnb6o4te2c"),
    ("K2", "mastodon:pepe@tkz.one"),
    ("K3", "linkedin:eugenia-saenz"),
}


@pytest.fixture()
def cli(cli_store: Driver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def _follows(driver: Driver) -> set[tuple[str, str]]:
    return {(row["a"], row["b"]) for row in read(driver, statements.FOLLOW_PAIRS)}


def _claims(driver: Driver) -> set[tuple[str, str]]:
    return {(row["customer"], row["profile"]) for row in read(driver, statements.CLAIMED_KEYS)}


def test_owner_option_gives_lists_their_subject(cli: CliRunner, driver: Driver) -> None:
    linked = cli.invoke(
        app, ["ingest", str(LINKEDIN), "--owner", "ana-gil", "--max-bad-ratio", "0.5"]
    )
    assert linked.exit_code == 0, linked.output
    follows = _follows(driver)
    assert ("linkedin:ana-gil", "linkedin:eugenia-saenz") in follows
    assert ("linkedin:eugenia-saenz", "linkedin:ana-gil") in follows

    # A lone following_accounts.csv has no actor.json beside it: --owner names its owner.
    lone = Path.cwd() / "following_accounts.csv"
    shutil.copy(FIXTURES / "mastodon" / "export" / "following_accounts.csv", lone)
    refused = cli.invoke(app, ["ingest", str(lone), "--max-bad-ratio", "0.5"])
    assert refused.exit_code != 0 and "owner" in refused.output
    masto = cli.invoke(
        app, ["ingest", str(lone), "--owner", "@pepe@tkz.one", "--max-bad-ratio", "0.5"]
    )
    assert masto.exit_code == 0, masto.output
    assert ("mastodon:pepe@tkz.one", "mastodon:cafesnandu@masto.es") in _follows(driver)

    # An X follower list whose file name does not say whose it is.
    unnamed = Path.cwd() / "followers.json"
    shutil.copy(X_FOLLOWERS, unnamed)
    before = _follows(driver)
    plain = cli.invoke(app, ["ingest", str(unnamed), "--max-bad-ratio", "0.5"])
    assert plain.exit_code == 0, plain.output
    assert _follows(driver) == before
    owned = cli.invoke(app, ["ingest", str(unnamed), "--owner", "77", "--max-bad-ratio", "0.5"])
    assert owned.exit_code == 0, owned.output
    assert ("x:1500000000000000001", "x:77") in _follows(driver)
    handle = cli.invoke(app, ["ingest", str(unnamed), "--owner", "cafes", "--max-bad-ratio", "0.5"])
    assert handle.exit_code != 0 and "numeric id" in handle.output


def test_map_with_auto_format_reads_a_generic_csv(cli: CliRunner, driver: Driver) -> None:
    unmapped = cli.invoke(app, ["ingest", str(GENERIC)])
    assert unmapped.exit_code != 0 and "cannot tell its format" in unmapped.output
    mapped_args = [arg for pair in GENERIC_MAP for arg in ("--map", pair)]
    loaded = cli.invoke(app, ["ingest", str(GENERIC), *mapped_args, "--max-bad-ratio", "0.5"])
    assert loaded.exit_code == 0, loaded.output
    pilar = read(driver, statements.CUSTOMER_BY_ID, id="C-001")[0]["c"]
    assert pilar["last_name"] == "Domínguez Rincón"


def test_ingest_command_takes_its_batch_size_from_settings(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []

    def recording(*args: Any, **kwargs: Any) -> IngestSummary:
        seen.append(kwargs["batch_size"])
        return ingest_paths(*args, **kwargs)

    monkeypatch.setattr(ingest_command, "ingest_paths", recording)
    monkeypatch.setenv("SRM_BATCH_SIZE", "7")
    from_settings = cli.invoke(app, ["ingest", str(GENERIC), *GENERIC_OPTIONS])
    assert from_settings.exit_code == 0, from_settings.output
    given = cli.invoke(app, ["ingest", str(GENERIC), *GENERIC_OPTIONS, "--batch-size", "3"])
    assert given.exit_code == 0, given.output
    assert seen == [7, 3]


def test_claim_properties_cover_every_platform() -> None:
    assert set(CLAIM_PROPERTIES) == PLATFORMS
    assert CLAIM_PROPERTIES["x"] == "twitter_handle"


@pytest.mark.parametrize("customers_first", [True, False])
def test_non_x_claims_link_in_either_load_order(
    driver: Driver, tmp_path: Path, customers_first: bool
) -> None:
    crm = tmp_path / "crm.csv"
    crm.write_text(CLAIMING_CRM, encoding="utf-8")
    options = ReadOptions(column_map=CLAIM_MAP)
    jobs = [
        lambda: ingest_paths(driver, [crm], format_name="csv", options=options),
        lambda: ingest_paths(
            driver, [LINKEDIN, MASTODON_ACCOUNTS, BLUESKY_FOLLOWERS], max_bad_ratio=0.5
        ),
    ]
    for job in jobs if customers_first else reversed(jobs):
        job()
    assert _claims(driver) == EXPECTED_CLAIMS
    # Again, both jobs: the same edges, none doubled.
    for job in jobs:
        job()
    assert _claims(driver) == EXPECTED_CLAIMS
    assert read(driver, statements.CLAIMS_EDGE_COUNT)[0]["n"] == len(EXPECTED_CLAIMS)


def _users_line(number: int) -> str:
    user = {"id": str(9000 + number), "username": f"cuenta{number}", "name": f"Cuenta {number}"}
    return json.dumps({"data": [user], "meta": {"result_count": 1}})


@pytest.mark.parametrize(("good", "broken", "aborts"), [(40, 1, False), (10, 2, True)])
def test_unparseable_lines_count_against_every_good_row(
    driver: Driver, tmp_path: Path, good: int, broken: int, aborts: bool
) -> None:
    lines = [_users_line(number) for number in range(good)]
    lines[1:1] = ["{not json"] * broken
    path = tmp_path / "users.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if aborts:
        with pytest.raises(IngestError, match=rf"{broken} of {good + broken} record rows"):
            ingest_paths(driver, [path], format_name="x-api")
        return
    summary = ingest_paths(driver, [path], format_name="x-api")
    assert summary.quarantined == broken
    labels = {row["label"]: row["count"] for row in read(driver, statements.READER_LABEL_COUNTS)}
    assert labels == {"Profile": good}


def test_progress_bars_count_the_records_they_checked(driver: Driver, tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b")
    heard: dict[str, tuple[int, int | None]] = {}

    def on_progress(stage: str, done: int, total: int | None) -> None:
        heard[stage] = (done, total)

    ingest_paths(driver, [bundle], on_progress=on_progress)
    assert heard["checking b"] == (17, 17)
    written, total = heard["writing"]
    assert written == total


def test_spool_replays_equal_rows_in_order(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b")
    rows = [item for item in bundle_reader.read(bundle, ReadOptions())]
    assert len({type(row) for row in rows}) == 5
    with Spool(chunk_rows=4) as spool:
        for row in rows:
            spool.add(row)
        replayed = list(spool)
        assert replayed == rows
        assert list(spool) == rows  # replayable
    for before, after in zip(rows, replayed, strict=True):
        if not isinstance(before, FollowBlock):  # rows rebuilt as whole pydantic models
            assert type(after) is type(before) and after.__dict__ == before.__dict__
            assert after.model_fields_set == set(type(before).model_fields)
            assert after.model_dump() == before.model_dump()
            after.model_copy(update={})  # and usable as any other model
    follows = sum(len(row.pairs) for row in rows if isinstance(row, FollowBlock))
    assert follows == 4  # the bundle's follows arrive as one block of pairs
    assert spool.rows == len(rows) - 1 + follows


def test_bad_follows_are_quarantined_one_by_one_and_good_ones_kept_in_order(
    tmp_path: Path,
) -> None:
    long_id = "9" * 600
    follows = (
        "follower_profile_id,followed_profile_id,follower_platform,followed_platform\n"
        "1,2,x,x\n"
        ",2,x,x\n"
        "1,,x,x\n"
        f"1,{long_id},x,x\n"
        "1,3,x,nowhere\n"
        "1,2,x,x,extra\n"
        "\n"
        "2, 3 ,x,\n"
    )
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "follows.csv").write_text(follows, encoding="utf-8")
    items = list(bundle_reader.read(folder / "follows.csv", ReadOptions(platform="x")))
    pairs = [pair for item in items if isinstance(item, FollowBlock) for pair in item.pairs]
    assert pairs == [("x:1", "x:2"), ("x:2", "x:3")]
    rejected = {
        item.line: (item.field, item.reason) for item in items if not isinstance(item, FollowBlock)
    }
    assert rejected[3] == ("follower_profile_id", "missing")
    assert rejected[4] == ("followed_profile_id", "missing")
    assert rejected[5] == ("followed_profile_id", "id too long")
    assert rejected[6][0] == "followed_profile_id" and "unknown platform" in rejected[6][1]
    assert rejected[7][0] is None and "more cells" in rejected[7][1]
    assert len(rejected) == 5


def test_only_same_kind_node_batches_with_distinct_keys_run_side_by_side() -> None:
    a, b = frozenset({"x:1", "x:2"}), frozenset({"x:3"})
    assert not must_wait("profiles", b, "profiles", a)
    assert must_wait("profiles", a | b, "profiles", a)  # a key again: the later row wins
    assert must_wait("profiles", b, "customers", frozenset({"C1"}))  # another kind
    assert must_wait(None, frozenset(), "profiles", a)  # relationships wait for nodes
    assert must_wait("profiles", b, None, frozenset())  # nodes wait for earlier links
