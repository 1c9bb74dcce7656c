"""Ingest on a real Neo4j: idempotency, incremental deltas, --snapshot, no Eager plans."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from neo4j import Driver, Query

from srm import db
from srm.cypher import ingest as statements
from srm.ingest.pipeline import ingest_paths, sample_bundle
from srm.ingest.rows import BrandRow, FollowRow, ProfileRow
from srm.ingest.writer import GraphWriter
from srm.store import read
from tests import statements as q
from tests.ingest_helpers import write_bundle, write_files
from tests.plans import db_hits

SAMPLE = sample_bundle()


def test_sample_twice_leaves_the_graph_identical(driver: Driver) -> None:
    first = ingest_paths(driver, [SAMPLE], batch_size=100)
    counts, fingerprint = db.counts(driver), db.graph_fingerprint(driver)
    assert first.loaded > 0 and first.quarantined == 0
    assert counts[":Profile"] >= 150 and counts["[FOLLOWS]"] > 850
    assert counts["[MENTIONED]"] > 0 and counts["[REPOSTS]"] > 0 and counts["[CLAIMS]"] > 0
    second = ingest_paths(driver, [SAMPLE], batch_size=37)
    assert second.loaded == 0
    assert second.updated == second.rows == first.rows
    assert db.counts(driver) == counts
    assert db.graph_fingerprint(driver) == fingerprint


def test_fingerprint_sees_a_changed_property(driver: Driver, tmp_path: Path) -> None:
    ingest_paths(driver, [write_bundle(tmp_path / "b")])
    before = db.graph_fingerprint(driver)
    changed = "profile_id,platform,handle,display_name\n1,x,begomunoz,Begoña M.\n"
    ingest_paths(
        driver,
        [write_files(tmp_path / "d", profiles=changed)],
    )
    assert db.graph_fingerprint(driver) != before


def test_delta_updates_in_place_without_reloading(driver: Driver, tmp_path: Path) -> None:
    ingest_paths(driver, [write_bundle(tmp_path / "full")])
    before = db.counts(driver)
    bego = read(driver, q.PROFILE_BY_KEY, key="x:1")[0]["p"]
    delta = write_files(
        tmp_path / "delta",
        profiles="profile_id,platform,handle,display_name,followers_count\n"
        "1,x,begomunoz,Begoña Muñoz,130\n",
        follows="follower_profile_id,followed_profile_id\n3,1\n5,3\n1,3\n",
        posts="post_id,profile_id,created_at,text,mentioned_profile_ids\n"
        "p7,1,2024-05-01T09:00:00Z,Y otra @acme,3\n",
    )
    summary = ingest_paths(driver, [delta])
    after = db.counts(driver)
    assert after[":Profile"] == before[":Profile"]
    assert after[":Post"] == before[":Post"] + 1
    assert after["[FOLLOWS]"] == before["[FOLLOWS]"] + 2
    assert after["[MENTIONED]"] == before["[MENTIONED]"]
    assert summary.loaded == 2 + 1  # two new follows, one new post; the profile is updated
    updated = read(driver, q.PROFILE_BY_KEY, key="x:1")[0]["p"]
    assert updated["display_name"] == "Begoña Muñoz" and updated["followers_count"] == 130
    assert updated["bio"] == bego["bio"]  # columns absent from the delta are kept
    mentioned = {(r["a"], r["b"]): r for r in read(driver, q.MENTIONED_EDGES)}
    assert mentioned[("x:1", "x:3")]["count"] == 3
    assert mentioned[("x:1", "x:3")]["last_at"].month == 5


def test_snapshot_removes_absent_follows_of_its_followers_only(
    driver: Driver, tmp_path: Path
) -> None:
    ingest_paths(driver, [write_bundle(tmp_path / "full")])
    snapshot = write_files(
        tmp_path / "snap",
        follows="follower_profile_id,followed_profile_id,follower_platform,followed_platform\n"
        "1,3,x,x\n1,2,x,x\n",
    )
    plain = ingest_paths(driver, [snapshot / "follows.csv"])
    assert plain.unfollowed == 0
    assert ("x:1", "x:5") in {(r["a"], r["b"]) for r in read(driver, q.FOLLOW_PAIRS)}
    summary = ingest_paths(driver, [snapshot / "follows.csv"], snapshot=True)
    pairs = {(r["a"], r["b"]) for r in read(driver, q.FOLLOW_PAIRS)}
    assert summary.unfollowed == 1
    assert pairs == {("x:1", "x:3"), ("x:1", "x:2"), ("x:2", "x:3"), ("x:2", "x:1")}
    assert read(driver, q.SNAPSHOT_MARKS)[0]["marks"] == 0


def test_brand_option_links_official_handle(driver: Driver, tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b", brands=None)
    ingest_paths(driver, [bundle], brands=[BrandRow(name="Rival", official_handles=["x:@Rival"])])
    brands = {r["brand"]: r for r in read(driver, q.BRAND_OFFICIALS)}
    assert brands == {"Rival": {"brand": "Rival", "is_own": False, "profiles": ["x:5"]}}


def _operators(plan: dict) -> list[str]:
    names = [plan["operatorType"].split("@")[0]]
    for child in plan.get("children", []):
        names += _operators(child)
    return names


def test_write_statements_have_no_eager_operator(driver: Driver) -> None:
    with driver.session() as session:
        for name, statement in statements.WRITE_STATEMENTS.items():
            summary = session.run(
                Query("EXPLAIN " + statement), rows=[], targets=[], job="j"
            ).consume()
            operators = _operators(summary.plan)
            assert "Eager" not in operators, f"{name} plans an Eager: {operators}"
            writes = [op for op in operators if "Merge" in op or "Set" in op or "Create" in op]
            assert writes, f"{name} writes nothing: {operators}"


def test_timestamps_are_datetimes_and_an_update_without_one_keeps_it(
    driver: Driver, tmp_path: Path
) -> None:
    # Naive times are UTC, offsets are kept as the same instant, a date alone is midnight.
    profiles = (
        "profile_id,platform,handle,created_at\n"
        "1,x,a,2020-01-02T10:00:00\n2,x,b,2020-01-02T12:30:15.250+02:00\n3,x,c,2021-05-06\n"
    )
    ingest_paths(
        driver,
        [
            write_bundle(
                tmp_path / "b", profiles=profiles, customers=None, follows=None, brands=None
            )
        ],
    )
    stored = {row["key"]: row["at"] for row in read(driver, q.PROFILE_CREATED)}
    assert {key: at.to_native().isoformat() for key, at in stored.items() if at} == {
        "x:1": "2020-01-02T10:00:00+00:00",
        "x:2": "2020-01-02T12:30:15.250000+02:00",
        "x:3": "2021-05-06T00:00:00+00:00",
    }
    posts = {row["key"]: row["at"].to_native().isoformat() for row in read(driver, q.POST_CREATED)}
    assert posts["x:p1"] == "2024-01-01T09:00:00+00:00"
    update = "profile_id,platform,handle,display_name,created_at\n1,x,a,Ana,\n"
    ingest_paths(
        driver,
        [write_files(tmp_path / "d", profiles=update)],
    )
    kept = read(driver, q.PROFILE_BY_KEY, key="x:1")[0]["p"]
    assert kept["display_name"] == "Ana"
    assert kept["created_at"].to_native().isoformat() == "2020-01-02T10:00:00+00:00"


def test_side_by_side_profile_batches_still_let_the_last_row_of_a_key_win(
    driver: Driver,
) -> None:
    # Batches of one row each: consecutive profile batches with distinct keys are written
    # by two threads at once; a batch repeating a key waits for the earlier one.
    names = ["first", "other-1", "second", "other-2", "other-3", "third"]
    keys = ["1", "2", "1", "3", "4", "1"]
    writer = GraphWriter(driver, batch_size=1)
    for native_id, name in zip(keys, names, strict=True):
        writer.add(ProfileRow(platform="x", native_id=native_id, display_name=name))
    writer.add(FollowRow(follower_key="x:2", followed_key="x:1"))
    stats = writer.close()
    assert stats.rows == 7 and stats.stubs == 0
    assert read(driver, q.PROFILE_BY_KEY, key="x:1")[0]["p"]["display_name"] == "third"
    assert db.counts(driver)[":Profile"] == 4 and db.counts(driver)["[FOLLOWS]"] == 1


def test_every_profile_column_lands_in_its_own_property(driver: Driver) -> None:
    """Profile rows travel as lists in PROFILE_ROW order: each value must reach the
    property of its name, on create and on update, and a later row without a value keeps
    the stored one."""
    full = ProfileRow(
        platform="x",
        native_id="42",
        handle="@Ana_Mad",
        display_name="Ana",
        bio="hola",
        location="Madrid",
        url="https://ana.example",
        followers_count=11,
        following_count=22,
        posts_count=33,
        created_at=datetime(2020, 1, 2, tzinfo=UTC),
        truncated_fields=["bio"],
    )
    expected = {
        "profile_key": "x:42",
        "platform": "x",
        "native_id": "42",
        "handle": "ana_mad",
        "display_name": "Ana",
        "bio": "hola",
        "location": "Madrid",
        "url": "https://ana.example",
        "followers_count": 11,
        "following_count": 22,
        "posts_count": 33,
        "truncated_fields": ["bio"],
        "is_stub": False,
    }
    for _ in range(2):  # create, then the same row again (update path)
        writer = GraphWriter(driver)
        writer.add(full)
        writer.close()
        profile = read(driver, q.PROFILE_BY_KEY, key="x:42")[0]["p"]
        assert {name: profile.get(name) for name in expected} == expected
        assert profile["created_at"].to_native() == full.created_at
        assert set(statements.PROFILE_ROW) <= set(profile)
    writer = GraphWriter(driver)
    writer.add(ProfileRow(platform="x", native_id="42", posts_count=34))
    writer.close()
    profile = read(driver, q.PROFILE_BY_KEY, key="x:42")[0]["p"]
    assert {name: profile.get(name) for name in expected} == {
        **expected,
        "posts_count": 34,
        "truncated_fields": None,
    }
    assert profile["created_at"].to_native() == full.created_at


def test_follow_targets_missing_in_the_middle_of_a_batch_keep_every_edge_on_its_own_end(
    driver: Driver,
) -> None:
    """Followed keys travel once per batch as a list the rows index into: a missing key
    between loaded ones must become a stub without shifting the others, and a follower
    that is not loaded must become one too."""
    writer = GraphWriter(driver, batch_size=100)
    for native_id in ("1", "2", "3", "4"):
        writer.add(ProfileRow(platform="x", native_id=native_id))
    pairs = [("x:1", "x:2"), ("x:1", "x:99"), ("x:1", "x:3"), ("x:4", "x:99")]
    pairs += [("x:4", "x:3"), ("x:1", "x:4"), ("x:77", "x:2"), ("x:4", "x:2")]
    for follower, followed in pairs:
        writer.add(FollowRow(follower_key=follower, followed_key=followed))
    stats = writer.close()
    assert stats.stubs == 2
    edges = {(row["a"], row["b"]) for row in read(driver, q.FOLLOW_PAIRS)}
    assert edges == set(pairs)
    assert read(driver, q.PROFILE_BY_KEY, key="x:99")[0]["p"]["is_stub"] is True


def test_a_mention_count_walks_the_authors_posts_not_every_mention_of_the_target(
    driver: Driver, tmp_path: Path
) -> None:
    """Recounting an author's mentions of a profile once walked every mention of that
    profile (the planner started from it): a brand mentioned by thousands cost thousands
    of steps per author who mentions it, and the Bolt load of 5M follows took 11× the 1M
    one. The recount walks the author's own posts."""
    fans = 300
    profiles = "profile_id,platform,handle\n0,x,brand\n" + "".join(
        f"{i},x,fan{i}\n" for i in range(1, fans + 1)
    )
    posts = "post_id,profile_id,platform,created_at,text,mentioned_profile_ids\n" + "".join(
        f"{i},{i},x,2025-01-0{1 + i % 9}T00:00:00+00:00,hi,0\n" for i in range(1, fans + 1)
    )
    ingest_paths(driver, [write_files(tmp_path / "b", profiles=profiles, posts=posts)])
    counts = read(
        driver,
        "MATCH (:Profile)-[m:MENTIONED]->(:Profile {profile_key: 'x:0'}) "
        "RETURN count(m) AS links, sum(m.count) AS mentions",
    )
    assert counts == [{"links": fans, "mentions": fans}]
    rows = [{"a": "x:7", "mentioned": ["x:0"]}]
    hits = db_hits(driver, statements.RECOMPUTE_MENTIONED, rows=rows)
    assert 0 < hits < fans / 3
    link = read(
        driver,
        "MATCH (:Profile {profile_key: 'x:7'})-[m:MENTIONED]->(:Profile {profile_key: 'x:0'}) "
        "RETURN m.count AS count, toString(m.first_at) AS first_at",
    )
    assert link == [{"count": 1, "first_at": "2025-01-08T00:00:00Z"}]
