"""Erasure on a real Neo4j: nothing of the erased person is left anywhere, what others said
about them becomes anonymous counts, and their keys are suppressed (hashed, salted)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver
from pydantic import SecretStr

from srm.errors import NotFoundError
from srm.ingest.rows import CustomerRow, FollowRow, PostRow, ProfileRow
from srm.operations.erasure import erase
from srm.operations.suppression import SuppressionList, key_hash, suppression_salt
from srm.settings import Settings
from srm.store import read, write
from tests.graph_texts import property_texts
from tests.privacy_statements import (
    ALL_NODE_PROPERTIES,
    COUNT_LABEL,
    CREATE_PRIVACY_GRAPH,
    NODE_BY_KEY,
)

EMAIL = "Jane.Erase@Example.org"
PHONE = "+44 20 7946 0991"
HANDLE = "JaneErase"
ERASED_VALUES = [EMAIL, PHONE, HANDLE, "C-1", "x:100", "Jane E"]


@pytest.fixture()
def privacy_settings(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(update={"home": tmp_path / "home", "suppression_salt": None})


@pytest.fixture()
def graph(driver: Driver) -> Driver:
    write(driver, CREATE_PRIVACY_GRAPH, email=EMAIL, phone=PHONE, handle=HANDLE)
    return driver


def residue(driver: Driver, needles: list[str]) -> list[str]:
    """Every label/type, property name and value in the graph that holds a needle."""
    return [
        f"{where}.{name}"
        for where, name, text in property_texts(driver)
        for needle in needles
        if needle.lower() in text.lower()
    ]


def count(driver: Driver, label: str) -> int:
    return int(read(driver, COUNT_LABEL, label=label)[0]["count"])


def node(driver: Driver, key: str) -> dict[str, Any] | None:
    rows = read(driver, NODE_BY_KEY, key=key)
    return rows[0]["properties"] if rows else None


def test_residue_search_sees_the_values_before_erasure(graph: Driver) -> None:
    assert len(residue(graph, ERASED_VALUES)) >= len(ERASED_VALUES)


def test_erase_person_leaves_no_value_and_keeps_others(
    graph: Driver, privacy_settings: Settings
) -> None:
    result = erase(graph, privacy_settings, "person", "P-1", by="admin")

    assert residue(graph, ERASED_VALUES) == []
    assert (result.customers, result.profiles, result.posts) == (1, 1, 1)
    assert result.persons_deleted == 1
    assert node(graph, "P-1") is None and node(graph, "x:p1") is None
    for kept in ("C-2", "x:200", "x:300", "P-2", "x:p2", "x:p3"):
        assert node(graph, kept) is not None, kept
    mentioning = node(graph, "x:p2")
    assert mentioning is not None
    assert mentioning["erased_mention_count"] == 1
    assert mentioning["text"] == "hi @[erased] and @omar"
    assert node(graph, "x:200")["erased_mention_count"] == 2  # type: ignore[index]
    assert node(graph, "x:p3")["erased_reference_count"] == 1  # type: ignore[index]
    assert count(graph, "Community") == 1 and count(graph, "AlgorithmRun") == 1
    # customer id, email, phone, profile key, handle; the post x:p1; the person P-1
    assert count(graph, "Suppression") == result.suppression_keys == 7
    audits = read(graph, ALL_NODE_PROPERTIES)
    audit = [row["properties"] for row in audits if row["labels"] == ["ErasureAudit"]]
    assert len(audit) == 1
    assert set(audit[0]) == {"at", "by", "kind", "records"}
    assert (audit[0]["by"], audit[0]["kind"], audit[0]["records"]) == ("admin", "person", 2)


def test_erase_customer_keeps_the_profile_and_scrubs_the_person(
    graph: Driver, privacy_settings: Settings
) -> None:
    result = erase(graph, privacy_settings, "customer", "C-1")

    assert residue(graph, [EMAIL, PHONE, "C-1"]) == []
    assert (result.customers, result.profiles, result.persons_deleted) == (1, 0, 0)
    person = node(graph, "P-1")
    assert person is not None and "emails" not in person and person["name"] == "Jane"
    assert node(graph, "x:100") is not None
    assert count(graph, "Suppression") == 3


def test_erase_profile_deletes_its_posts_and_memberships(
    graph: Driver, privacy_settings: Settings
) -> None:
    result = erase(graph, privacy_settings, "profile", "x:100")

    assert residue(graph, [HANDLE, "x:100", "Jane E"]) == []
    assert result.posts == 1 and result.persons_kept == 1
    assert node(graph, "C-1") is not None


def test_erase_unknown_key_changes_nothing(graph: Driver, privacy_settings: Settings) -> None:
    before = read(graph, ALL_NODE_PROPERTIES)
    with pytest.raises(NotFoundError) as raised:
        erase(graph, privacy_settings, "customer", "C-404")
    assert "C-404" not in str(raised.value)
    assert read(graph, ALL_NODE_PROPERTIES) == before


def test_suppression_list_skips_the_erased_person_in_later_rows(
    graph: Driver, privacy_settings: Settings
) -> None:
    erase(graph, privacy_settings, "person", "P-1")
    suppression = SuppressionList.load(graph, privacy_settings)

    again = [
        CustomerRow(customer_id="C-77", email="  jane.erase@EXAMPLE.org"),
        CustomerRow(customer_id="C-1"),
        CustomerRow(customer_id="C-78", phone="0044 20 7946 0991"),
        ProfileRow(platform="twitter", native_id="555", handle="@janeerase"),
        ProfileRow(platform="x", native_id="100"),
        FollowRow(follower_key="x:300", followed_key="x:100"),
        PostRow(platform="x", native_id="p9", author_key="x:100"),
    ]
    others = [
        CustomerRow(customer_id="C-2", email="omar@example.net"),
        ProfileRow(platform="mastodon", native_id="100", handle="janeerase2"),
        FollowRow(follower_key="x:300", followed_key="x:200"),
    ]
    assert [suppression.filter_row(row) for row in again] == [None] * len(again)
    assert all(suppression.filter_row(row) is row for row in others)
    assert suppression.suppressed == len(again)
    post = PostRow(platform="x", native_id="p10", author_key="x:200", mentioned_keys=["x:100"])
    filtered = suppression.filter_row(post)
    assert filtered is not None and filtered.mentioned_keys == []
    assert suppression.mentions_dropped == 1


def test_salt_is_generated_once_kept_private_and_overridable(
    privacy_settings: Settings,
) -> None:
    first = suppression_salt(privacy_settings)
    salt_file = privacy_settings.home / "suppression.salt"
    assert salt_file.stat().st_mode & 0o077 == 0
    assert suppression_salt(privacy_settings) == first and len(first) == 64
    chosen = privacy_settings.model_copy(update={"suppression_salt": SecretStr("pepper")})
    assert suppression_salt(chosen) == "pepper"
    assert key_hash(first, "email", EMAIL) != key_hash("pepper", "email", EMAIL)
    assert key_hash(first, "email", EMAIL) == key_hash(first, "email", EMAIL.lower())
