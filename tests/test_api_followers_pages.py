"""Followers pages of a profile followed by much of the graph: the page is read by walking
the profile-key index in order, not by reading and sorting every follower's key, so its
cost does not grow with the follower count; and every page is the same as the sorted
list's, on both sides of the point where the statement switches to sorting."""

from __future__ import annotations

from neo4j import AsyncDriver, Driver

from srm.api.services.records import pages
from srm.cypher import api_network
from srm.settings import Settings
from srm.store import write_batches
from tests.analytics_graphs import write_two_platforms
from tests.api_support import run_reads
from tests.plans import db_hits
from tests.statements import (
    CREATE_HUB_FOLLOWS,
)

PROFILES = 2_000
# profiles of a platform whose name sorts before the hub's: a walk from the first key
# would pass all of them before the hub's first follower
OTHER_PLATFORM = 3_000
HUB = "x:0"


def _graph(driver: Driver) -> list[str]:
    """A hub followed by every profile whose number is not a multiple of 4 (1,499 of
    them) and by 5 of 3,000 profiles on another platform, and one profile with three
    followers; the hub's followers, its own platform's first, each part by key."""
    write_two_platforms(driver, PROFILES, OTHER_PLATFORM)
    followers = [f"x:{n}" for n in range(1, PROFILES) if n % 4]
    elsewhere = [f"bluesky:{n}" for n in (7, 70, 700, 1_500, 2_999)]
    rows = [{"a": key, "b": HUB, "since": 0} for key in followers + elsewhere]
    rows += [{"a": f"x:{n}", "b": "x:4", "since": 0} for n in (8, 12, 16)]
    write_batches(driver, CREATE_HUB_FOLLOWS, rows, batch_size=1_000)
    return sorted(followers) + sorted(elsewhere)


def test_a_hub_page_reads_far_fewer_entries_than_it_has_followers(driver: Driver) -> None:
    followers = _graph(driver)
    hits = db_hits(
        driver, api_network.FOLLOWERS_PAGES, rows=[{"key": HUB, "offset": 0, "first": 20}], limit=21
    )
    # sorting reads every follower's key (two hits each, plus the expansion)
    assert hits < len(followers) // 3


def test_walked_and_sorted_pages_match_the_sorted_followers(
    driver: Driver, settings: Settings
) -> None:
    followers = _graph(driver)
    database = driver.execute_query("CALL db.info() YIELD name RETURN name").records[0]["name"]

    async def check(reader: AsyncDriver) -> None:
        seen: list[str] = []
        # (offset + 21) * 5,000 < 1,504² walks up to offset 431; the pages that reach the
        # other platform's followers, and the last ones, sort
        for offset in range(0, len(followers) + 20, 20):
            found = await pages(reader, database, api_network.FOLLOWERS_PAGES, [(HUB, offset, 20)])
            page = found[0]
            assert page.total == len(followers)
            keys = [record["profile_key"] for record in page.records]
            assert keys == followers[offset : offset + 21]
            seen += keys[:20]
        assert seen == followers
        small = await pages(
            reader, database, api_network.FOLLOWERS_PAGES, [("x:4", 0, 2), (HUB, 40, 2)]
        )
        assert [r["profile_key"] for r in small[0].records] == ["x:12", "x:16", "x:8"]
        assert small[0].total == 3
        assert [r["profile_key"] for r in small[1].records] == followers[40:43]

    run_reads(settings, check)
