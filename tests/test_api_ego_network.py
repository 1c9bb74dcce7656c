"""Ego networks: the centre and at most ``limit`` profiles within ``depth`` hops, nearest
first and by key within a level, with the relationships among them. Around a profile
followed by much of the graph the level is read by walking the profile-key index, so the
cost does not grow with the neighbourhood; the answer is the same either way, checked
against a breadth-first search in Python over every centre, depth and a range of limits."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest
from neo4j import AsyncDriver, Driver

from srm.api.services.network import ego_network
from srm.cypher import api_network
from srm.settings import Settings
from srm.store import write_batches
from tests.analytics_graphs import write_two_platforms
from tests.api_support import run_reads
from tests.plans import db_hits
from tests.statements import (
    CREATE_HUB_FOLLOWS,
    CREATE_PLAIN_MENTIONS,
)

PROFILES = 2_000
# profiles of a platform whose name sorts before the hub's, a few linked across platforms
OTHER_PLATFORM = 3_000
HUB = "x:0"

Edge = tuple[str, str, str]


def _graph(driver: Driver) -> set[Edge]:
    """A hub followed by every profile whose number is not a multiple of 4; sparse random
    follows and mentions among the others (the hub follows and mentions a few); profiles
    of another platform, some following the hub or its followers. Returns every
    relationship as ``(source, target, type)``."""
    write_two_platforms(driver, PROFILES, OTHER_PLATFORM)
    pick = random.Random(24)
    follows = {(f"x:{n}", HUB) for n in range(1, PROFILES) if n % 4}
    follows |= {(HUB, f"x:{n}") for n in (3, 8, 1_999)}
    while len(follows) < 1_499 + 3 + 7 + 1_500:
        a, b = pick.sample(range(1, PROFILES), 2)
        follows.add((f"x:{a}", f"x:{b}"))
    follows |= {(f"bluesky:{n}", HUB) for n in (5, 50, 500)}
    follows |= {(f"bluesky:{n}", f"x:{n}") for n in (1, 4, 40, 1_999)}
    mentions = {(HUB, "x:12"), ("x:40", HUB), ("x:4", "bluesky:9")}
    while len(mentions) < 300:
        a, b = pick.sample(range(1, PROFILES), 2)
        mentions.add((f"x:{a}", f"x:{b}"))
    rows = [{"a": a, "b": b, "since": 0} for a, b in sorted(follows)]
    write_batches(driver, CREATE_HUB_FOLLOWS, rows, batch_size=1_000)
    rows = [{"a": a, "b": b} for a, b in sorted(mentions)]
    write_batches(driver, CREATE_PLAIN_MENTIONS, rows, batch_size=1_000)
    return {(a, b, "FOLLOWS") for a, b in follows} | {(a, b, "MENTIONED") for a, b in mentions}


def _expected(edges: set[Edge], centre: str, depth: int, limit: int) -> tuple[list[str], set]:
    """Breadth-first, nearest first, within a level the centre's platform first, each
    part by key, cut at ``limit``."""
    neighbours: dict[str, set[str]] = defaultdict(set)
    for a, b, _ in edges:
        neighbours[a].add(b)
        neighbours[b].add(a)
    members, frontier = [centre], [centre]
    for _ in range(depth):
        room = limit + 1 - len(members)
        home = centre.split(":")[0] + ":"
        found = {n for f in frontier for n in neighbours[f]} - set(members)
        level = sorted(found, key=lambda key: (not key.startswith(home), key))[:room]
        members += level
        frontier = level
    kept = set(members)
    return members, {edge for edge in edges if edge[0] in kept and edge[1] in kept}


def _database(driver: Driver) -> str:
    return driver.execute_query("CALL db.info() YIELD name RETURN name").records[0]["name"]


@pytest.fixture
def edges(driver: Driver) -> set[Edge]:
    return _graph(driver)


def test_ego_networks_match_a_breadth_first_search(
    driver: Driver, settings: Settings, edges: set[Edge]
) -> None:
    database = _database(driver)
    centres = [HUB, "x:3", "x:4", "x:12", "x:40", "x:1999", "x:1000", "bluesky:5", "bluesky:9"]

    async def check(reader: AsyncDriver) -> None:
        for centre in centres:
            for depth in (1, 2, 3):
                for limit in (1, 7, 50, 100):
                    found = await ego_network(reader, database, centre, depth, limit)
                    assert found is not None
                    records, got = found
                    members, among = _expected(edges, centre, depth, limit)
                    where = (centre, depth, limit)
                    assert [r["profile_key"] for r in records] == members, where
                    assert {(e["source"], e["target"], e["type"]) for e in got} == among, where
                    assert len(got) == len(among), where  # no relationship twice
        assert await ego_network(reader, database, "x:nobody", 1, 10) is None

    run_reads(settings, check)


def test_the_hub_ego_network_reads_far_fewer_entries_than_its_neighbourhood(
    driver: Driver, edges: set[Edge]
) -> None:
    degree = sum(1 for a, b, _ in edges if HUB in (a, b))
    hits = db_hits(driver, api_network.EGO_NETWORK[1], key=HUB, limit=10)
    # reading and sorting the neighbourhood costs at least two hits per neighbour; walking,
    # about 30 per member (index entries, their relationships, the records and edges)
    assert hits < degree // 3
