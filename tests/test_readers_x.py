"""X readers: API v2 JSON responses and the account archive (``window.YTD…`` files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from neo4j import Driver

from srm.errors import IngestError
from srm.ingest.formats import ReadOptions, detect_format
from srm.ingest.pipeline import ingest_paths
from srm.ingest.quarantine import Rejected
from srm.ingest.readers import x
from srm.ingest.rows import FollowRow, PostRow, ProfileRow
from srm.store import read
from tests import statements

API = Path(__file__).parent / "fixtures" / "x-api"
ARCHIVE = Path(__file__).parent / "fixtures" / "x-archive"
BEGONA, PACO, CAFES, ELENA = (f"x:150000000000000000{n}" for n in (1, 2, 3, 4))


def by_type(items: list[object]) -> dict[type, list[object]]:
    grouped: dict[type, list[object]] = {}
    for item in items:
        grouped.setdefault(type(item), []).append(item)
    return grouped


def test_users_response_with_public_metrics() -> None:
    items = by_type(list(x.read_api(API / "users.json", ReadOptions())))
    profiles = {row.profile_key: row for row in items[ProfileRow]}
    assert list(profiles) == [BEGONA, PACO, CAFES]
    assert profiles[BEGONA].handle == "begonamunoz"
    assert profiles[BEGONA].display_name == "Begoña Muñoz"
    assert (profiles[CAFES].followers_count, profiles[CAFES].posts_count) == (15400, 9800)
    assert profiles[BEGONA].created_at is not None and profiles[BEGONA].created_at.year == 2014
    rejected = items[Rejected]
    assert [(item.field, item.reason.split(":")[0]) for item in rejected] == [
        ("native_id", "at /data/3"),
        ("followers_count", "at /data/4"),
    ]


def test_tweets_mentions_references_and_includes() -> None:
    items = by_type(list(x.read_api(API / "tweets.json", ReadOptions())))
    posts = {row.native_id: row for row in items[PostRow]}
    first = posts["1760000000000000001"]
    assert first.author_key == BEGONA
    assert first.mentioned_keys == [CAFES, PACO]
    reply = posts["1760000000000000002"]
    # The mention carries no id: resolved by username through includes.users.
    assert reply.mentioned_keys == [BEGONA]
    assert reply.reply_to_key == "x:1760000000000000001"
    assert posts["1760000000000000003"].repost_of_key == "x:1760000000000000001"
    assert posts["1760000000000000004"].quote_of_key == "x:1759999999999999999"
    # The quoted tweet itself comes from includes.tweets, its author from includes.users.
    assert posts["1759999999999999999"].author_key == ELENA
    assert ELENA in {row.profile_key for row in items[ProfileRow]}
    assert sorted(item.field for item in items[Rejected]) == ["author_key", "created_at"]


def test_follower_and_following_lists_take_their_subject_from_the_file() -> None:
    followers = list(x.read_api(API / "followers_1500000000000000003.json", ReadOptions()))
    edges = {
        (row.follower_key, row.followed_key) for row in followers if isinstance(row, FollowRow)
    }
    assert edges == {(BEGONA, CAFES), (PACO, CAFES), (ELENA, CAFES)}
    following = list(x.read_api(API / "following_1500000000000000001.json", ReadOptions()))
    edges = {
        (row.follower_key, row.followed_key) for row in following if isinstance(row, FollowRow)
    }
    assert edges == {(BEGONA, CAFES), (BEGONA, ELENA)}


def test_twarc_json_lines_name_the_subject_and_survive_a_bad_line(tmp_path: Path) -> None:
    response = {
        "data": [{"id": "42", "username": "nuria", "name": "Nuria Llorente"}],
        "meta": {"result_count": 1},
        "__twarc": {"url": "https://api.example/2/users/7/following?max_results=1000"},
    }
    path = tmp_path / "collected.jsonl"
    path.write_text(json.dumps(response) + "\n{broken\n", encoding="utf-8")
    items = list(x.read_api(path, ReadOptions()))
    assert FollowRow(follower_key="x:7", followed_key="x:42") in items
    assert [item.line for item in items if isinstance(item, Rejected)] == [2]


def test_not_json_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "tweets.json"
    path.write_text('{"data": [', encoding="utf-8")
    with pytest.raises(IngestError, match="not valid JSON"):
        list(x.read_api(path, ReadOptions()))


def test_archive_owner_follows_and_tweets() -> None:
    items = by_type(list(x.read_archive(ARCHIVE, ReadOptions())))
    (owner,) = items[ProfileRow]
    assert (owner.profile_key, owner.handle) == (BEGONA, "begonamunoz")
    assert owner.location == "Logroño, La Rioja"
    edges = {(row.follower_key, row.followed_key) for row in items[FollowRow]}
    assert edges == {
        (PACO, BEGONA),
        (ELENA, BEGONA),
        (BEGONA, CAFES),
        (BEGONA, "x:1500000000000000006"),
    }
    posts = {row.native_id: row for row in items[PostRow]}
    assert posts["1760000000000000001"].created_at.isoformat() == "2024-02-20T09:00:00+00:00"
    assert posts["1760000000000000010"].reply_to_key == "x:1760000000000000002"
    assert posts["1760000000000000011"].quote_of_key == "x:1759999999999999999"
    assert all(row.author_key == BEGONA for row in posts.values())
    assert len(items[Rejected]) == 3
    assert "example.com" not in str(items)


def test_archive_detection_by_content(tmp_path: Path) -> None:
    assert detect_format(ARCHIVE).name == "x-archive"
    assert detect_format(ARCHIVE / "data" / "tweets.js").name == "x-archive"
    assert detect_format(API / "users.json").name == "x-api"
    renamed = tmp_path / "download.json"
    renamed.write_bytes((API / "tweets.json").read_bytes())
    assert detect_format(renamed).name == "x-api"
    lone = tmp_path / "tweets.js"
    lone.write_bytes((ARCHIVE / "data" / "tweets.js").read_bytes())
    with pytest.raises(IngestError, match=r"account\.js"):
        list(x.read_archive(lone, ReadOptions()))


def test_x_api_loads_into_neo4j(driver: Driver, tmp_path: Path) -> None:
    folder = tmp_path / "x-responses"
    folder.mkdir()
    for name in ("tweets.json", "followers_1500000000000000003.json"):
        (folder / name).write_bytes((API / name).read_bytes())
    (folder / "notes.txt").write_text("not an X response", encoding="utf-8")
    assert detect_format(folder).name == "x-api"
    summary = ingest_paths(driver, [folder], max_bad_ratio=0.5)
    assert summary.quarantined == 3
    cascades = {
        (row["a"], row["type"], row["b"]) for row in read(driver, statements.READER_CASCADES)
    }
    assert cascades == {
        ("x:1760000000000000002", "REPLY_TO", "x:1760000000000000001"),
        ("x:1760000000000000003", "REPOSTS", "x:1760000000000000001"),
        ("x:1760000000000000004", "QUOTES", "x:1759999999999999999"),
    }
    mentioned = {
        (row["a"], row["b"]): row["count"] for row in read(driver, statements.MENTIONED_EDGES)
    }
    assert mentioned == {(BEGONA, CAFES): 1, (BEGONA, PACO): 1, (PACO, BEGONA): 1}
    follows = {(row["a"], row["b"]) for row in read(driver, statements.FOLLOW_PAIRS)}
    assert follows == {(BEGONA, CAFES), (PACO, CAFES), (ELENA, CAFES)}
    cafes = read(driver, statements.PROFILE_BY_KEY, key=CAFES)[0]["p"]
    assert cafes["display_name"] == "Cafés Ñandú" and cafes["followers_count"] == 15400


def test_x_archive_loads_into_neo4j(driver: Driver) -> None:
    ingest_paths(driver, [ARCHIVE], max_bad_ratio=0.5)
    posted = {(row["profile"], row["post"]) for row in read(driver, statements.READER_POSTED)}
    assert len(posted) == 4 and {profile for profile, _ in posted} == {BEGONA}
    stub = read(driver, statements.PROFILE_BY_KEY, key="x:1500000000000000006")[0]["p"]
    assert stub["is_stub"] is True
    owner = read(driver, statements.PROFILE_BY_KEY, key=BEGONA)[0]["p"]
    assert owner["is_stub"] is False and owner["bio"].startswith("Compras en")


def test_huge_bio_is_truncated_and_flagged_not_dropped(tmp_path: Path) -> None:
    user = {"id": "99", "username": "novelista", "name": "Novelista", "description": "ñ" * 25_000}
    path = tmp_path / "users.json"
    path.write_text(json.dumps({"data": [user]}, ensure_ascii=False), encoding="utf-8")
    (row,) = x.read_api(path, ReadOptions(max_text_chars=1_000))
    assert isinstance(row, ProfileRow)
    assert row.bio == "ñ" * 1_000 and row.truncated_fields == ["bio"]
