"""The canonical bundle reader and writer on a real Neo4j: what lands in the graph."""

from __future__ import annotations

from pathlib import Path

from neo4j import Driver

from srm import db
from srm.ingest.pipeline import ingest_paths
from srm.store import read
from tests import statements as q
from tests.ingest_helpers import write_bundle, write_files


def test_bundle_loads_nodes_relationships_and_aggregates(driver: Driver, tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "bundle")
    summary = ingest_paths(driver, [bundle], batch_size=2)
    assert summary.formats == {str(bundle): "bundle"}
    assert summary.quarantined == 0
    counts = db.counts(driver)
    assert counts[":Customer"] == 3
    assert counts[":Profile"] == 5
    assert counts[":Post"] == 3
    assert counts[":Brand"] == 2
    assert counts["[FOLLOWS]"] == 4
    assert counts["[POSTED]"] == 3
    assert counts["[MENTIONS]"] == 4
    assert counts["[OFFICIAL_OF]"] == 2
    customer = read(driver, q.CUSTOMER_BY_ID, id="C1")[0]["c"]
    assert customer["last_name"] == "Muñoz Pérez"
    assert customer["x_segment"] == "gold"
    assert customer["twitter_handle"] == "begomunoz"
    claims = read(driver, q.CLAIMED_KEYS)
    assert {(row["customer"], row["profile"]) for row in claims} == {
        ("C1", "x:1"),
        ("C2", "x:2"),
    }
    mentioned = {(r["a"], r["b"]): r for r in read(driver, q.MENTIONED_EDGES)}
    assert set(mentioned) == {("x:1", "x:3"), ("x:1", "x:2"), ("x:2", "x:1")}
    acme = mentioned[("x:1", "x:3")]
    assert acme["count"] == 2
    assert acme["first_at"].year == 2024 and acme["first_at"].month == 1
    assert acme["last_at"].month == 2
    brands = {r["brand"]: r for r in read(driver, q.BRAND_OFFICIALS)}
    assert brands["Acme"]["is_own"] is True and brands["Acme"]["profiles"] == ["x:3"]
    assert brands["Rival"]["is_own"] is False and brands["Rival"]["profiles"] == ["x:5"]
    mastodon = read(driver, q.PROFILE_BY_KEY, key="mastodon:4")[0]["p"]
    assert mastodon["handle"] == "bob@social.test"
    assert mastodon["is_stub"] is False


def test_single_platform_bundle_takes_platform_option(driver: Driver, tmp_path: Path) -> None:
    from srm.ingest.formats import ReadOptions

    bundle = write_files(
        tmp_path / "b",
        profiles="profile_id,handle\n10,uno\n11,dos\n",
        follows="follower_profile_id,followed_profile_id\n10,11\n11,12\n",
    )
    summary = ingest_paths(driver, [bundle], options=ReadOptions(platform="bluesky"))
    assert summary.stubs == 1
    stub = read(driver, q.PROFILE_BY_KEY, key="bluesky:12")[0]["p"]
    assert stub["is_stub"] is True and stub["platform"] == "bluesky"
    assert db.counts(driver)["[FOLLOWS]"] == 2


def test_cascades_and_stub_posts(driver: Driver, tmp_path: Path) -> None:
    posts = (
        "post_id,profile_id,created_at,text,mentioned_profile_ids,reply_to_post_id,"
        "quote_of_post_id,repost_of_post_id\n"
        "p1,1,2024-01-01T00:00:00Z,root,,,,\n"
        "p2,2,2024-01-02T00:00:00Z,reply,,p1,,\n"
        "p3,2,2024-01-03T00:00:00Z,,,,,p1\n"
        "p4,1,2024-01-04T00:00:00Z,quote,,,p9,\n"
    )
    bundle = write_bundle(tmp_path / "b", posts=posts)
    ingest_paths(driver, [bundle])
    counts = db.counts(driver)
    assert counts["[REPLY_TO]"] == 1
    assert counts["[REPOSTS]"] == 1
    assert counts["[QUOTES]"] == 1
    assert read(driver, q.POST_BY_KEY, key="x:p9")[0]["p"]["is_stub"] is True
    assert read(driver, q.POST_BY_KEY, key="x:p1")[0]["p"]["is_stub"] is False


def test_stub_profile_is_completed_by_a_later_row(driver: Driver, tmp_path: Path) -> None:
    first = write_files(
        tmp_path / "a",
        profiles="profile_id,platform,handle\n1,x,uno\n",
        follows="follower_profile_id,followed_profile_id,followed_platform\n1,2,x\n",
    )
    ingest_paths(driver, [first])
    assert read(driver, q.PROFILE_BY_KEY, key="x:2")[0]["p"]["is_stub"] is True
    later = write_files(
        tmp_path / "b", profiles="profile_id,platform,handle,display_name\n2,x,dos,Dos\n"
    )
    ingest_paths(driver, [later])
    profile = read(driver, q.PROFILE_BY_KEY, key="x:2")[0]["p"]
    assert profile["is_stub"] is False and profile["display_name"] == "Dos"
