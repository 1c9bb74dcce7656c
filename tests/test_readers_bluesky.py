"""Bluesky reader: repo records (listRecords) and profile views (getFollowers)."""

from __future__ import annotations

import json
from pathlib import Path

from neo4j import Driver

from srm.ingest.formats import ReadOptions, detect_format
from srm.ingest.pipeline import ingest_paths
from srm.ingest.quarantine import Rejected
from srm.ingest.readers import bluesky
from srm.ingest.rows import FollowRow, PostRow, ProfileRow
from srm.store import read
from tests import statements

FIXTURES = Path(__file__).parent / "fixtures" / "bluesky"
BEGONA = "bluesky:did:plc:a7k2mq3vxz4u5lrnb6o4te2c"
PACO = "bluesky:did:plc:r3gkq7i2hwm5xbtf4l3nz6dy"
ELENA = "bluesky:did:plc:w5p6cnu2ey7hqxj3k4mdb2fs"
CAFES = "bluesky:did:web:cafes-nandu.example"
FIRST_POST = "bluesky:at://did:plc:a7k2mq3vxz4u5lrnb6o4te2c/app.bsky.feed.post/3kpost1"


def test_post_records_facets_replies_and_quotes() -> None:
    items = list(bluesky.read(FIXTURES / "post_records.json", ReadOptions()))
    posts = {row.post_key: row for row in items if isinstance(row, PostRow)}
    first = posts[FIRST_POST]
    assert first.author_key == BEGONA
    # Mention facets only (the link facet is not a mention), in text order.
    assert first.mentioned_keys == [CAFES, PACO]
    second = posts[FIRST_POST.replace("3kpost1", "3kpost2")]
    # The parent, not the thread root, is what a reply answers.
    assert second.reply_to_key == (
        "bluesky:at://did:plc:r3gkq7i2hwm5xbtf4l3nz6dy/app.bsky.feed.post/3kpacoreply"
    )
    assert posts[FIRST_POST.replace("3kpost1", "3kpost3")].quote_of_key == (
        "bluesky:at://did:plc:w5p6cnu2ey7hqxj3k4mdb2fs/app.bsky.feed.post/3kelena1"
    )
    # recordWithMedia nests the quoted record one level deeper.
    assert posts[FIRST_POST.replace("3kpost1", "3kpost4")].quote_of_key == (
        "bluesky:at://did:web:cafes-nandu.example/app.bsky.feed.post/3kcafe1"
    )
    rejected = [item for item in items if isinstance(item, Rejected)]
    assert [(item.field, item.reason.split(":")[0]) for item in rejected] == [
        ("created_at", "at /records/4"),
        ("uri", "at /records/5"),
    ]


def test_follow_and_profile_records() -> None:
    items = list(bluesky.read(FIXTURES / "follow_records.json", ReadOptions()))
    follows = [item for item in items if isinstance(item, FollowRow)]
    assert [(row.follower_key, row.followed_key) for row in follows] == [
        (BEGONA, PACO),
        (BEGONA, CAFES),
    ]
    assert [item.field for item in items if isinstance(item, Rejected)] == ["subject"]
    (profile,) = bluesky.read(FIXTURES / "profile_records.json", ReadOptions())
    assert isinstance(profile, ProfileRow)
    assert (profile.profile_key, profile.display_name) == (BEGONA, "Begoña Muñoz")


def test_followers_view_gives_handles_counts_and_edges() -> None:
    items = list(bluesky.read(FIXTURES / "followers.json", ReadOptions()))
    profiles = {row.profile_key: row for row in items if isinstance(row, ProfileRow)}
    assert profiles[BEGONA].handle == "begona.bsky.social"
    assert profiles[ELENA].followers_count == 530
    edges = {(row.follower_key, row.followed_key) for row in items if isinstance(row, FollowRow)}
    assert edges == {(PACO, BEGONA), (ELENA, BEGONA)}
    assert [item.field for item in items if isinstance(item, Rejected)] == ["native_id"]


def test_handle_authority_and_repost_records(tmp_path: Path) -> None:
    records = [
        {
            "uri": "at://paco.bsky.social/app.bsky.feed.post/3kx",
            "value": {"$type": "app.bsky.feed.post", "text": "hola", "createdAt": "2024-01-01"},
        },
        {
            "uri": "at://did:plc:r3gkq7i2hwm5xbtf4l3nz6dy/app.bsky.feed.repost/3kr",
            "value": {
                "$type": "app.bsky.feed.repost",
                "subject": {"uri": FIRST_POST.removeprefix("bluesky:"), "cid": "bafy"},
                "createdAt": "2024-02-20T12:00:00Z",
            },
        },
        {"uri": "at://did:plc:x/app.bsky.feed.like/3kl", "value": {"$type": "app.bsky.feed.like"}},
    ]
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(record) for record in records), encoding="utf-8")
    assert detect_format(path).name == "bluesky"
    items = list(bluesky.read(path, ReadOptions()))
    assert len(items) == 2
    assert isinstance(items[0], Rejected) and items[0].field == "uri"
    assert isinstance(items[1], PostRow)
    assert (items[1].author_key, items[1].repost_of_key) == (PACO, FIRST_POST)


def test_bluesky_folder_loads_into_neo4j(driver: Driver) -> None:
    assert detect_format(FIXTURES).name == "bluesky"
    ingest_paths(driver, [FIXTURES], max_bad_ratio=0.5)
    begona = read(driver, statements.PROFILE_BY_KEY, key=BEGONA)[0]["p"]
    assert begona["handle"] == "begona.bsky.social"
    assert begona["display_name"] == "Begoña Muñoz" and begona["is_stub"] is False
    follows = {(row["a"], row["b"]) for row in read(driver, statements.FOLLOW_PAIRS)}
    assert follows == {(BEGONA, PACO), (BEGONA, CAFES), (PACO, BEGONA), (ELENA, BEGONA)}
    mentions = {
        (row["post"], row["profile"]) for row in read(driver, statements.READER_POST_MENTIONS)
    }
    assert mentions == {(FIRST_POST, CAFES), (FIRST_POST, PACO)}
    cascades = {row["type"] for row in read(driver, statements.READER_CASCADES)}
    assert cascades == {"REPLY_TO", "QUOTES"}
    cafes = read(driver, statements.PROFILE_BY_KEY, key=CAFES)[0]["p"]
    assert cafes["is_stub"] is True
