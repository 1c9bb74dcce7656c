"""Housekeeping in bounded memory: wipe, backup, restore, erase with recluster and export
on a server whose transactions may hold only 16 MiB (``db.memory.transaction.max``), with a
graph whose hubs put far more than that into any transaction that deletes or sorts them all
at once.

The server is the session's capped one (``capped_server`` in conftest). The graph is small enough
to build in seconds, big enough to break a single-transaction implementation."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from srm import db, local_neo4j
from srm.graph.identity.pipeline import resolve_graph
from srm.operations.backup import backup, restore
from srm.operations.backup_bundle import EXPORT_PARTS, write_bundle
from srm.operations.erasure import erase
from srm.settings import Settings
from srm.store import read, write_batches
from tests.statements import (
    COUNT_CANDIDATES_OF,
    CREATE_CANDIDATE_LINKS,
    CREATE_EMPTY_PERSONS,
    CREATE_HUB_FOLLOWS,
    CREATE_PERSON_OF_PROFILES,
    CREATE_PLAIN_PROFILES,
)

PROFILES = 6_000
HUBS = 8
FOLLOWS_PER_PROFILE = 6


def _build(driver: Driver) -> int:
    """Hubs first (the lowest node ids, so one early batch holds them all), then profiles
    that each follow several hubs. Returns the number of follows."""
    db.wipe(driver)
    profiles = ({"id": str(n), "bio": f"bio of profile {n:06d}"} for n in range(PROFILES))
    write_batches(driver, CREATE_PLAIN_PROFILES, profiles, batch_size=1_000)
    follows = (
        {"a": f"x:{n}", "b": f"x:{(n + step) % HUBS}", "since": n}
        for n in range(HUBS, PROFILES)
        for step in range(FOLLOWS_PER_PROFILE)
    )
    return write_batches(driver, CREATE_HUB_FOLLOWS, follows, batch_size=1_000)


@pytest.fixture(scope="module")
def hub_graph(capped_driver: Driver) -> tuple[Driver, int]:
    """The capped server's driver and the number of follows of its graph, built once (the
    tests leave it in place or restore it)."""
    return capped_driver, _build(capped_driver)


def _ensure_built(hub_graph: tuple[Driver, int]) -> tuple[Driver, int]:
    driver, follows = hub_graph
    if db.counts(driver).get("[FOLLOWS]") != follows:
        _build(driver)
    return driver, follows


def test_backup_and_restore_stream_under_the_cap(
    capped_server: local_neo4j.LocalServer, hub_graph: tuple[Driver, int], tmp_path: Path
) -> None:
    driver, follows = _ensure_built(hub_graph)
    settings = Settings(NEO4J_URI=capped_server.uri)
    written = backup(driver, settings, tmp_path / "backup")
    assert written.relationships == follows
    with (tmp_path / "backup" / "follows.csv").open(encoding="utf-8") as lines:
        assert sum(1 for _ in lines) == follows + 1

    db.wipe(driver)
    restored, _ = restore(driver, settings, tmp_path / "backup", batch_size=1_000)
    # restore checks the restored graph against the fingerprint backup took
    assert restored.fingerprint == written.fingerprint


def test_bundle_export_streams_under_the_cap(hub_graph: tuple[Driver, int], tmp_path: Path) -> None:
    driver, follows = _ensure_built(hub_graph)
    written = write_bundle(driver, tmp_path / "export", parts=EXPORT_PARTS, page_size=1_000)
    assert written["follows.csv"] == follows and written["profiles.csv"] == PROFILES
    with (tmp_path / "export" / "follows.csv").open(encoding="utf-8") as lines:
        assert sum(1 for _ in lines) == follows + 1


def test_wipe_deletes_hub_heavy_graph_in_bounded_transactions(
    hub_graph: tuple[Driver, int],
) -> None:
    driver, follows = _ensure_built(hub_graph)
    assert db.counts(driver)["[FOLLOWS]"] == follows
    db.wipe(driver)
    assert db.counts(driver) == {}


def test_erase_of_hubs_with_recluster_runs_under_the_cap(
    capped_server: local_neo4j.LocalServer, hub_graph: tuple[Driver, int], tmp_path: Path
) -> None:
    """A person owning half the hubs (half of all follows) is erased, then identity
    resolution runs again over a graph holding many stale candidate links and empty
    persons: each of these deletions would put all of them into one transaction. (Writes
    take rows ``batch_size`` at a time, as restore's do: bounded by it, not by the graph.)"""
    driver, follows = _ensure_built(hub_graph)
    erased_hubs = [f"x:{n}" for n in range(HUBS // 2)]
    rows = [{"key": key, "person_id": "P-hubs"} for key in erased_hubs]
    write_batches(driver, CREATE_PERSON_OF_PROFILES, rows, batch_size=1_000)
    stale = "stale " + "e" * 400
    links = (
        {"a": f"x:{n}", "b": f"x:{n + 1}", "evidence": stale} for n in range(HUBS, PROFILES - 1)
    )
    write_batches(driver, CREATE_CANDIDATE_LINKS, links, batch_size=1_000)
    empty = ({"id": f"P-empty-{n}", "name": stale} for n in range(PROFILES))
    write_batches(driver, CREATE_EMPTY_PERSONS, empty, batch_size=1_000)
    settings = Settings(NEO4J_URI=capped_server.uri).model_copy(update={"home": tmp_path})

    result = erase(driver, settings, "person", "P-hubs")
    summary = resolve_graph(driver, batch_size=1_000)

    assert result.profiles == len(erased_hubs) and result.persons_deleted == 1
    remaining = db.counts(driver)
    assert remaining[":Profile"] == PROFILES - len(erased_hubs)
    # every follower followed HUBS-1... of the hubs: what is left are follows of the others
    assert 0 < remaining["[FOLLOWS]"] < follows
    assert read(driver, COUNT_CANDIDATES_OF, prefix="stale")[0]["count"] == 0
    # the empty persons went; the resolution gave every record exactly one person
    assert remaining[":Person"] == summary.persons
    assert remaining["[PART_OF]"] == summary.records
