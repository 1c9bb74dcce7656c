"""Test harness: every storage test runs on a real Neo4j 5.

One local server per test session, started on a free port in a temporary store (or the
server named by NEO4J_URI — its data is wiped between tests). Each test that takes
``driver`` gets an empty graph with the schema in place. If Neo4j cannot start, the tests
that need it fail with the reason; nothing is skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver, GraphDatabase

from srm import db, local_neo4j
from srm.operations import ledger, outputs
from srm.settings import Settings, get_settings
from srm.store import open_driver
from tests.api_support import close_clients

TRANSACTION_MEMORY_MB = 16


@pytest.fixture(scope="session")
def srm_home() -> Path:
    """Where the Neo4j jars are cached (shared with `srm neo4j install`)."""
    return Settings().home


@pytest.fixture(scope="session")
def neo4j_uri(srm_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    configured = os.environ.get("NEO4J_URI")
    if configured:
        yield configured
        return
    data_dir = tmp_path_factory.mktemp("neo4j-session")
    with local_neo4j.running_server(srm_home, data_dir, heap_mb=1024, pagecache_mb=256) as server:
        yield server.uri


@pytest.fixture(scope="session")
def settings(neo4j_uri: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The test server's settings; ``SRM_HOME`` is a folder of this session (the salt,
    the suppression ledger and remembered outputs stay out of the real one), and so is
    the audit trail."""
    home = tmp_path_factory.mktemp("srm-home")
    audit = tmp_path_factory.mktemp("audit")
    return Settings(
        NEO4J_URI=neo4j_uri, SRM_BATCH_SIZE=1000, SRM_HOME=str(home), SRM_AUDIT_DIR=audit
    )


@pytest.fixture(scope="session")
def session_driver(settings: Settings) -> Iterator[Driver]:
    driver = open_driver(settings)
    try:
        db.init_schema(driver)
        yield driver
    finally:
        driver.close()


@pytest.fixture(autouse=True)
def _stop_api_clients() -> Iterator[None]:
    """Stop the API clients a test started (tests.api_support.client_for)."""
    yield
    close_clients()


@pytest.fixture()
def driver(session_driver: Driver, settings: Settings) -> Driver:
    """A driver to an empty graph (schema in place), with no erasure remembered on disk."""
    db.wipe(session_driver)
    for name in (ledger.LEDGER_FILE, outputs.LEDGER_FILE):
        (settings.home / name).unlink(missing_ok=True)
    return session_driver


@pytest.fixture()
def cli_store(
    driver: Driver, neo4j_uri: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Driver]:
    """An empty graph that the ``srm`` command itself talks to: ``NEO4J_URI`` names the
    test server, ``SRM_HOME`` a temporary folder, and settings are read afresh."""
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    monkeypatch.setenv("SRM_HOME", str(tmp_path / "home"))
    get_settings.cache_clear()
    yield driver
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def capped_server(
    srm_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[local_neo4j.LocalServer]:
    """A second local server whose transactions may hold only
    :data:`TRANSACTION_MEMORY_MB` (``db.memory.transaction.max``): where a statement that
    holds everything at once fails for real."""
    data_dir = tmp_path_factory.mktemp("neo4j-capped")
    with local_neo4j.running_server(
        srm_home,
        data_dir,
        heap_mb=512,
        pagecache_mb=128,
        transaction_memory_mb=TRANSACTION_MEMORY_MB,
    ) as server:
        yield server


@pytest.fixture(scope="session")
def capped_driver(capped_server: local_neo4j.LocalServer) -> Iterator[Driver]:
    driver = GraphDatabase.driver(capped_server.uri, auth=None)
    try:
        db.init_schema(driver)
        yield driver
    finally:
        driver.close()
