"""The foundation: a real Neo4j over Bolt, schema, our error types, restarts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import Driver

from srm import db, local_neo4j
from srm.cypher import schema
from srm.errors import StoreUnavailable, UniquenessViolation
from srm.settings import Settings
from srm.store import open_driver, read, write, write_batches
from tests.statements import COUNT_PROBES, CREATE_CUSTOMER, CREATE_PROBE, READ_PROBE


def test_query_over_bolt_returns_what_was_written(driver: Driver) -> None:
    written = write_batches(driver, CREATE_PROBE, ({"n": n} for n in range(2500)), batch_size=1000)
    assert written == 2500
    rows = read(driver, READ_PROBE, n=1234)
    assert rows == [{"n": 1234, "square": 1234 * 1234}]
    assert read(driver, COUNT_PROBES)[0]["count"] == 2500


def test_server_is_neo4j_community_5_26(driver: Driver) -> None:
    rows = read(
        driver, "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition"
    )
    assert rows[0]["v"].startswith("5.26.")
    assert rows[0]["edition"] == "community"


def test_schema_has_every_key_constraint_and_is_idempotent(driver: Driver) -> None:
    applied_again = db.init_schema(driver)
    assert applied_again == len(schema.SCHEMA_STATEMENTS)
    constraints = {
        (tuple(r["labelsOrTypes"]), tuple(r["properties"]))
        for r in read(driver, schema.SHOW_CONSTRAINTS)
    }
    for expected in [
        (("Customer",), ("customer_id",)),
        (("Profile",), ("profile_key",)),
        (("Post",), ("post_key",)),
        (("Person",), ("person_id",)),
        (("Brand",), ("name",)),
        (("AlgorithmRun",), ("run_id",)),
        (("Community",), ("community_id", "run_id")),
    ]:
        assert expected in constraints
    indexes = {r["name"]: r for r in read(driver, schema.SHOW_INDEXES)}
    assert indexes["search_text"]["type"] == "FULLTEXT"
    assert all(index["state"] == "ONLINE" for index in indexes.values())


def test_uniqueness_violation_raises_our_error_with_clear_message(driver: Driver) -> None:
    write(driver, CREATE_CUSTOMER, customer_id="C-1")
    with pytest.raises(UniquenessViolation) as raised:
        write(driver, CREATE_CUSTOMER, customer_id="C-1")
    assert "Customer.customer_id" in str(raised.value)
    assert "C-1" not in str(raised.value)


def test_unreachable_store_raises_store_unavailable() -> None:
    port = local_neo4j.free_port()
    settings = Settings(
        NEO4J_URI=f"bolt://127.0.0.1:{port}", NEO4J_CONNECTION_TIMEOUT=1, NEO4J_MAX_RETRY_TIME=1
    )
    driver = open_driver(settings)
    try:
        with pytest.raises(StoreUnavailable, match="not reachable"):
            read(driver, "RETURN 1 AS ok")
    finally:
        driver.close()


def test_data_survives_a_server_restart(srm_home: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    port = local_neo4j.free_port()
    server = local_neo4j.start(srm_home, data_dir, port, heap_mb=512, pagecache_mb=64)
    try:
        with open_driver(Settings(NEO4J_URI=server.uri)) as first:
            write(first, CREATE_CUSTOMER, customer_id="kept-across-restart")
        assert local_neo4j.running_pid(data_dir) == server.pid
        assert local_neo4j.stop(data_dir)
        assert not local_neo4j.status(data_dir).running
        assert local_neo4j.running_pid(data_dir) is None
        again = local_neo4j.start(srm_home, data_dir, port, heap_mb=512, pagecache_mb=64)
        assert again.pid != server.pid
        assert local_neo4j.status(data_dir).answering
        assert local_neo4j.running_pid(data_dir) == again.pid
        with open_driver(Settings(NEO4J_URI=again.uri)) as second:
            rows = read(second, "MATCH (c:Customer) RETURN c.customer_id AS id")
        assert rows == [{"id": "kept-across-restart"}]
    finally:
        local_neo4j.stop(data_dir)
    assert not local_neo4j.status(data_dir).running


def test_start_refuses_a_busy_port_with_a_clear_message(
    srm_home: Path, tmp_path: Path, neo4j_uri: str
) -> None:
    busy_port = int(neo4j_uri.rsplit(":", 1)[1])
    with pytest.raises(StoreUnavailable, match="already in use"):
        local_neo4j.start(srm_home, tmp_path / "other", busy_port)


def test_cli_status_start_stop_cycle(tmp_path: Path) -> None:
    srm = [sys.executable, "-m", "srm.cli"]
    env_home = {"SRM_HOME": str(Settings().home), "PATH": __import__("os").environ["PATH"]}
    data = str(tmp_path / "cli-store")
    port = str(local_neo4j.free_port())

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*srm, "neo4j", *args, "--data-dir", data],
            capture_output=True,
            text=True,
            env=env_home,
            timeout=240,
            check=False,
        )

    assert run("status").returncode == 1
    started = run("start", "--port", port)
    try:
        assert started.returncode == 0, started.stderr
        assert run("start", "--port", port).returncode == 0
        status = run("status")
        assert status.returncode == 0 and "5.26" in status.stderr
    finally:
        stopped = run("stop")
    assert "stopped" in stopped.stderr
    assert run("status").returncode == 1


def test_settings_read_only_their_documented_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # $HOME, $PRODUCTION or $BATCH_SIZE of an unrelated environment must not configure SRM
    monkeypatch.delenv("SRM_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("PRODUCTION", "true")
    monkeypatch.setenv("BATCH_SIZE", "3")
    settings = Settings()
    assert settings.home == tmp_path / ".cache" / "srm"
    assert settings.production is False and settings.batch_size == 10_000
    monkeypatch.setenv("SRM_HOME", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("SRM_BATCH_SIZE", "500")
    assert Settings().home == tmp_path / "elsewhere" and Settings().batch_size == 500
