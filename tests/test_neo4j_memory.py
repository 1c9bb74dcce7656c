"""The local server's memory: the sizing rule (pure function) and what `srm neo4j status`
reports about a real server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from srm import local_neo4j
from srm.neo4j_memory import plan_memory, store_size_mb
from srm.settings import Settings


def test_empty_store_gets_the_floors() -> None:
    plan = plan_memory(0, 16_384)
    assert (plan.heap_mb, plan.pagecache_mb, plan.source) == (512, 128, "sized")


def test_page_cache_holds_the_store_with_a_fifth_to_grow() -> None:
    plan = plan_memory(1_000, 16_384)
    assert plan.pagecache_mb == 1_200
    assert plan.heap_mb == 512 + 500


def test_a_store_larger_than_the_machine_is_capped_by_half_the_free_memory() -> None:
    plan = plan_memory(100_000, 8_192)
    assert plan.heap_mb == 2_048  # half of the 4 GiB budget
    assert plan.pagecache_mb == 2_048  # what the budget leaves
    assert plan.heap_mb + plan.pagecache_mb <= 8_192 // 2


def test_heap_never_exceeds_compressed_pointers_limit() -> None:
    plan = plan_memory(500_000, 2_000_000)
    assert plan.heap_mb == 31 * 1024
    assert plan.pagecache_mb == 600_000


def test_a_tiny_machine_still_gets_the_floors() -> None:
    plan = plan_memory(5_000, 500)
    assert (plan.heap_mb, plan.pagecache_mb) == (512, 128)


def test_overrides_win_and_are_named() -> None:
    plan = plan_memory(1_000, 16_384, heap_override_mb=700)
    assert (plan.heap_mb, plan.pagecache_mb) == (700, 1_200)
    assert plan.source == "heap set explicitly"
    plan = plan_memory(1_000, 16_384, heap_override_mb=700, pagecache_override_mb=300)
    assert (plan.heap_mb, plan.pagecache_mb) == (700, 300)
    assert plan.source == "heap and page cache set explicitly"


def test_store_size_counts_the_database_files(tmp_path: Path) -> None:
    assert store_size_mb(tmp_path) == 0
    store = tmp_path / "data" / "databases" / "neo4j"
    store.mkdir(parents=True)
    (store / "neostore.nodestore.db").write_bytes(b"\0" * (3 * 1024 * 1024 + 1))
    assert store_size_mb(tmp_path) == 4


def _neo4j_cli(data: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "srm.cli", "neo4j", *args, "--data-dir", str(data)],
        capture_output=True,
        text=True,
        env={"SRM_HOME": str(Settings().home), "PATH": os.environ["PATH"], **env},
        timeout=240,
        check=False,
    )


def test_status_shows_store_size_against_page_cache(tmp_path: Path) -> None:
    data = tmp_path / "store"
    port = str(local_neo4j.free_port())
    started = _neo4j_cli(data, "start", "--port", port, SRM_NEO4J_PAGECACHE_MB="96")
    try:
        assert started.returncode == 0, started.stderr
        status = _neo4j_cli(data, "status")
        assert status.returncode == 0, status.stderr
        out = " ".join(status.stderr.split())
        store = store_size_mb(data)
        assert f"store {store:,} MiB" in out
        assert "page cache of 96 MiB" in out
        assert "heap 512 MiB (page cache set explicitly)" in out
    finally:
        _neo4j_cli(data, "stop")


def test_started_server_is_sized_from_its_store(srm_home: Path, tmp_path: Path) -> None:
    data = tmp_path / "sized"
    with local_neo4j.running_server(srm_home, data):
        pass  # creates the store
    with local_neo4j.running_server(srm_home, data):
        state = local_neo4j.status(data)
    assert state.memory is not None and state.memory.source == "sized"
    assert state.memory.store_mb == state.store_mb > 0
    assert state.memory.pagecache_mb >= max(128, int(state.store_mb * 1.2))
