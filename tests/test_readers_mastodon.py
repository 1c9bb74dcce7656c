"""Mastodon reader: REST API JSON (accounts, statuses) and the account export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from neo4j import Driver

from srm.errors import IngestError
from srm.ingest.formats import ReadOptions, detect_format
from srm.ingest.pipeline import ingest_paths
from srm.ingest.quarantine import Rejected
from srm.ingest.readers import mastodon
from srm.ingest.rows import FollowRow, PostRow, ProfileRow
from srm.store import read
from tests import statements

FIXTURES = Path(__file__).parent / "fixtures" / "mastodon"
EXPORT = FIXTURES / "export"
ANA, PEPE, CAFES = (
    "mastodon:anagil@mastodon.social",
    "mastodon:pepe@tkz.one",
    "mastodon:cafesnandu@masto.es",
)
ANA_FIRST = "mastodon:https://mastodon.social/users/anagil/statuses/111900000000000001"
CAFES_POST = "mastodon:https://masto.es/users/cafesnandu/statuses/111900000000000555"


def test_account_address_from_acct_or_url() -> None:
    assert mastodon.account_address("anagil", "https://mastodon.social/@anagil") == (
        "anagil@mastodon.social"
    )
    assert mastodon.account_address("Pepe@TKZ.one") == "pepe@tkz.one"
    assert mastodon.account_address(None, "https://masto.es/users/cafesnandu") == (
        "cafesnandu@masto.es"
    )
    assert mastodon.account_address("@lucia@mastodon.gal") == "lucia@mastodon.gal"
    assert mastodon.account_address("no-es-una-cuenta") is None


def test_accounts_keyed_by_address_with_plain_text_bios() -> None:
    items = list(mastodon.read(FIXTURES / "accounts.json", ReadOptions()))
    profiles = [item for item in items if isinstance(item, ProfileRow)]
    assert [row.profile_key for row in profiles] == [ANA, PEPE, CAFES]
    assert profiles[0].bio == "Periodista en Valladolid. Café y #software libre."
    assert profiles[1].display_name == "José «Pepe» Ordóñez"
    assert profiles[0].followers_count == 340
    (rejected,) = [item for item in items if isinstance(item, Rejected)]
    assert (rejected.field, rejected.reason.startswith("at /3:")) == ("native_id", True)


def test_statuses_mentions_replies_and_boosts() -> None:
    items = list(mastodon.read(FIXTURES / "statuses.json", ReadOptions()))
    posts = {row.post_key: row for row in items if isinstance(row, PostRow)}
    first = posts[ANA_FIRST]
    assert first.author_key == ANA
    assert first.mentioned_keys == [CAFES, PEPE]
    assert first.text == "Probando el nuevo tueste de @cafesnandu con @pepe & amigos"
    reply = posts["mastodon:https://tkz.one/users/pepe/statuses/111900000000000777"]
    # in_reply_to_id is a local id: resolved through the parent status in the same file.
    assert reply.reply_to_key == ANA_FIRST
    boost = posts["mastodon:https://masto.es/users/cafesnandu/statuses/111900000000000003/activity"]
    assert (boost.author_key, boost.repost_of_key) == (CAFES, ANA_FIRST)
    orphan = posts["mastodon:https://mastodon.social/users/anagil/statuses/111900000000000004"]
    assert orphan.reply_to_key is None
    assert sorted(item.field for item in items if isinstance(item, Rejected)) == [
        "author_key",
        "created_at",
    ]


def test_export_folder_actor_outbox_and_following() -> None:
    items = list(mastodon.read(EXPORT, ReadOptions()))
    (owner,) = [item for item in items if isinstance(item, ProfileRow)]
    assert (owner.profile_key, owner.display_name) == (ANA, "Ana Gil Ruíz")
    by_key = {row.post_key: row for row in items if isinstance(row, PostRow)}
    assert len(by_key) == 4
    assert by_key[ANA_FIRST].mentioned_keys == [CAFES, PEPE]
    announce = by_key[
        "mastodon:https://mastodon.social/users/anagil/statuses/111900000000000009/activity"
    ]
    assert announce.repost_of_key == CAFES_POST
    quote = by_key["mastodon:https://mastodon.social/users/anagil/statuses/111900000000000010"]
    assert quote.quote_of_key == CAFES_POST
    follows = {(row.follower_key, row.followed_key) for row in items if isinstance(row, FollowRow)}
    assert follows == {(ANA, PEPE), (ANA, CAFES), (ANA, "mastodon:lucia@mastodon.gal")}
    rejected = [item for item in items if isinstance(item, Rejected)]
    assert sorted((item.kind, item.field) for item in rejected) == [
        ("follow", "Account address"),
        ("post", "created_at"),
        ("post", "native_id"),
    ]


def test_following_csv_alone_needs_an_owner(tmp_path: Path) -> None:
    lone = tmp_path / "following_accounts.csv"
    lone.write_bytes((EXPORT / "following_accounts.csv").read_bytes())
    assert detect_format(lone).name == "mastodon"
    with pytest.raises(IngestError, match=r"actor\.json"):
        list(mastodon.read(lone, ReadOptions()))
    items = list(mastodon.read(lone, ReadOptions(extra={"owner": "@pepe@tkz.one"})))
    assert FollowRow(follower_key=PEPE, followed_key=CAFES) in items


def test_mastodon_loads_into_neo4j(driver: Driver) -> None:
    ingest_paths(driver, [FIXTURES / "statuses.json", EXPORT], max_bad_ratio=0.5)
    cascades = {
        (row["a"], row["type"], row["b"]) for row in read(driver, statements.READER_CASCADES)
    }
    assert (
        "mastodon:https://tkz.one/users/pepe/statuses/111900000000000777",
        "REPLY_TO",
        ANA_FIRST,
    ) in cascades
    assert (
        "mastodon:https://mastodon.social/users/anagil/statuses/111900000000000008",
        "REPLY_TO",
        "mastodon:https://tkz.one/users/pepe/statuses/111900000000000777",
    ) in cascades
    assert len([edge for edge in cascades if edge[1] == "REPOSTS"]) == 2
    mentioned = {
        (row["a"], row["b"]): row["count"] for row in read(driver, statements.MENTIONED_EDGES)
    }
    # The same status from the API and from the outbox is one post: counted once.
    assert mentioned[(ANA, PEPE)] == 2 and mentioned[(ANA, CAFES)] == 1
    follows = {(row["a"], row["b"]) for row in read(driver, statements.FOLLOW_PAIRS)}
    assert (ANA, PEPE) in follows and len(follows) == 3
    ana = read(driver, statements.PROFILE_BY_KEY, key=ANA)[0]["p"]
    assert ana["handle"] == "anagil@mastodon.social" and ana["followers_count"] == 340


def test_api_follower_list_takes_its_subject_from_the_file_name(tmp_path: Path) -> None:
    accounts = json.loads((FIXTURES / "accounts.json").read_text(encoding="utf-8"))
    path = tmp_path / "followers_anagil@mastodon.social.json"
    path.write_text(json.dumps(accounts[1:3]), encoding="utf-8")
    items = list(mastodon.read(path, ReadOptions()))
    edges = {(row.follower_key, row.followed_key) for row in items if isinstance(row, FollowRow)}
    assert edges == {(PEPE, ANA), (CAFES, ANA)}
    assert len([item for item in items if isinstance(item, ProfileRow)]) == 2
