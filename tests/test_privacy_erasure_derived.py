"""Erasure reaches what was derived from or said about a person, and a re-ingest of the
same source brings none of it back: influence explanations and run parameters seen through
the API, posts of the erased person re-linked by others' replies, quotes and reposts, and
Mastodon mentions in their short form."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from neo4j import Driver

from srm.graph.analysis import run_influence, run_reach
from srm.ingest.pipeline import ingest_paths
from srm.operations.erasure import erase
from srm.operations.suppression import SuppressionList
from srm.settings import Settings
from srm.store import read, write
from tests.api_support import client_for, gql, keyed_settings
from tests.ingest_helpers import POSTS, PROFILES, write_bundle
from tests.privacy_statements import LINK_PERSON, NODE_BY_KEY, POST_TEXT

PERSON = "P-bego"
ERASED_IDS = ["x:1", PERSON, "begomunoz", "C1"]
CONTRIBUTIONS = '{ profile(id: "x:3") { influence { contributions } } }'
RUNS = "{ algorithmRuns(first: 20) { algorithm details } }"

# Others reply to, quote and repost the posts of x:1 (p1, p2).
REFERENCING_POSTS = (
    POSTS
    + """p4,2,2024-04-01T09:00:00Z,me too,,p1,,
p5,3,2024-04-02T09:00:00Z,look at this,,,p2,
p6,5,2024-04-03T09:00:00Z,,,,,p1
"""
).replace(
    "post_id,profile_id,created_at,text,mentioned_profile_ids",
    "post_id,profile_id,created_at,text,mentioned_profile_ids,"
    "reply_to_post_id,quote_of_post_id,repost_of_post_id",
)
# Mastodon: carol (6) writes to bob@social.test (4) in the short form and the long one,
# and to another bob, on another instance (7), in the short form.
MASTODON_PROFILES = (
    PROFILES
    + "6,mastodon,carol@social.test,Carol,,,,5,\n"
    + ("7,mastodon,bob@other.test,Other Bob,,,,5,\n")
)
MASTODON_POSTS = """post_id,profile_id,platform,created_at,text,mentioned_profile_ids
m1,6,mastodon,2024-05-01T09:00:00Z,hola @bob y @bob@social.test,4
m2,6,mastodon,2024-05-02T09:00:00Z,hi @bob from the other place,7
m3,6,mastodon,2024-05-03T09:00:00Z,"@bob, see you",
"""


def _bundle(tmp_path: Path, **overrides: str) -> Path:
    return write_bundle(tmp_path / "bundle", **overrides)


def _holding(payload: Any, needles: list[str]) -> list[str]:
    text = json.dumps(payload, ensure_ascii=False).lower()
    return [needle for needle in needles if needle.lower() in text]


def test_erasure_clears_explanations_and_run_parameters_seen_by_a_marketer(
    driver: Driver, settings: Settings, tmp_path: Path
) -> None:
    bundle = _bundle(tmp_path)
    ingest_paths(driver, [bundle], batch_size=100)
    write(driver, LINK_PERSON, person_id=PERSON, customer_id="C1", profile_key="x:1")
    run_influence(driver, explain_top=100)
    run_reach(driver, profile_key="x:1")
    run_reach(driver, person_id=PERSON)
    erasing = keyed_settings(settings, home=tmp_path / "home", suppression_salt=None)
    client = client_for(erasing, driver)

    def seen() -> list[str]:
        status, contributions = gql(client, CONTRIBUTIONS, role="marketer")
        assert status == 200, contributions
        status, runs = gql(client, RUNS, role="marketer")
        assert status == 200, runs
        return _holding(contributions["data"], ERASED_IDS) + _holding(runs["data"], ERASED_IDS)

    # x:1 follows x:3, so it is one of x:3's top in-neighbours; the reach runs name it.
    assert {"x:1", PERSON} <= set(seen())

    erase(driver, erasing, "person", PERSON, by="test")
    assert seen() == []

    suppression = SuppressionList.load(driver, erasing)
    ingest_paths(driver, [bundle], batch_size=100, suppression=suppression)
    assert seen() == []


def test_reingest_after_erasure_leaves_the_erased_posts_gone(
    driver: Driver, settings: Settings, tmp_path: Path
) -> None:
    bundle = _bundle(tmp_path, posts=REFERENCING_POSTS)
    ingest_paths(driver, [bundle], batch_size=100)
    assert read(driver, NODE_BY_KEY, key="x:p1")

    home = settings.model_copy(update={"home": tmp_path / "home"})
    erase(driver, home, "profile", "x:1")
    assert read(driver, NODE_BY_KEY, key="x:p1") == []

    suppression = SuppressionList.load(driver, home)
    again = ingest_paths(driver, [bundle], batch_size=100, suppression=suppression)

    for erased_post in ("x:p1", "x:p2"):
        assert read(driver, NODE_BY_KEY, key=erased_post) == [], erased_post
    # the reply p4, the quote p5 and the repost p6 each pointed at an erased post
    assert again.erased_references == 3
    assert "3 references to erased posts" in again.line()
    kept = {row["key"] for row in read(driver, "MATCH (p:Post) RETURN p.post_key AS key")}
    assert {"x:p3", "x:p4", "x:p5", "x:p6"} <= kept


def test_mastodon_short_mentions_are_redacted_and_stay_so(
    driver: Driver, settings: Settings, tmp_path: Path
) -> None:
    bundle = _bundle(tmp_path, profiles=MASTODON_PROFILES, posts=MASTODON_POSTS)
    ingest_paths(driver, [bundle], batch_size=100)
    home = settings.model_copy(update={"home": tmp_path / "home"})

    erase(driver, home, "profile", "mastodon:4")

    def texts() -> dict[str, str]:
        keys = ("m1", "m2", "m3")
        return {key: read(driver, POST_TEXT, key=f"mastodon:{key}")[0]["text"] for key in keys}

    expected = {
        "m1": "hola @[erased] y @[erased]",
        # another bob, named with his own mention: not the erased one
        "m2": "hi @bob from the other place",
        # no mention link says which bob: taken as the erased one
        "m3": "@[erased], see you",
    }
    assert texts() == expected
    suppression = SuppressionList.load(driver, home)
    ingest_paths(driver, [bundle], batch_size=100, suppression=suppression)
    assert texts() == expected
