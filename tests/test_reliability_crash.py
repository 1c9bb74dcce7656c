"""Server killed mid-ingest (short form of bench/crash.py): SIGKILL the local Neo4j while an
ingest writes, restart it on the same store, re-run the ingest: the graph equals a clean
run's (content fingerprint)."""

from __future__ import annotations

from pathlib import Path

from neo4j import Driver

from bench.crash import crash_once
from srm import db
from srm.ingest.pipeline import ingest_paths
from srm.synthetic.generate import generate_bundle


def test_ingest_converges_after_sigkill_and_restart(
    driver: Driver, srm_home: Path, tmp_path: Path
) -> None:
    bundle = tmp_path / "bundle"
    generate_bundle(bundle, people=60, seed=3)
    ingest_paths(driver, [bundle], batch_size=500)
    clean = db.graph_fingerprint(driver)
    nodes = sum(v for k, v in db.counts(driver).items() if k.startswith(":"))

    outcome = crash_once(srm_home, bundle, tmp_path / "store", nodes // 2, clean)

    assert outcome.killed_mid_ingest, "the kill must land while the ingest is writing"
    assert outcome.first_error == "StoreUnavailable"
    assert outcome.converged
