"""A job killed half-way and run again ends equal to a clean run; the CLI's exit codes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from neo4j import Driver

from srm import db
from srm.ingest.pipeline import ingest_paths
from srm.store import read
from srm.synthetic.generate import generate_bundle
from tests import statements as q

SRM = [sys.executable, "-m", "srm.cli"]


def _env(neo4j_uri: str) -> dict[str, str]:
    return {**os.environ, "NEO4J_URI": neo4j_uri}


def test_killed_job_rerun_equals_clean_run(driver: Driver, neo4j_uri: str, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    generated = generate_bundle(bundle, people=1500, seed=3)
    job = subprocess.Popen(
        [*SRM, "ingest", str(bundle), "--batch-size", "200", "--quarantine", str(tmp_path / "q")],
        env=_env(neo4j_uri),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and job.poll() is None:
            if read(driver, q.COUNT_FOLLOWS)[0]["count"] > 0:
                break
            time.sleep(0.05)
        job.send_signal(signal.SIGKILL)
    finally:
        job.wait(timeout=60)
    assert job.returncode == -signal.SIGKILL, "the job ended before it could be killed"
    partial = db.counts(driver)
    assert 0 < partial["[FOLLOWS]"] < generated.follows
    assert partial.get(":Post", 0) < generated.posts

    ingest_paths(driver, [bundle], batch_size=500)
    resumed = db.graph_fingerprint(driver)
    resumed_counts = db.counts(driver)
    db.wipe(driver)
    ingest_paths(driver, [bundle], batch_size=500)
    assert db.counts(driver) == resumed_counts
    assert db.graph_fingerprint(driver) == resumed


def test_cli_errors_are_one_line_with_nonzero_exit(
    driver: Driver, neo4j_uri: str, tmp_path: Path
) -> None:
    missing = subprocess.run(
        [*SRM, "ingest", str(tmp_path / "nowhere")],
        env=_env(neo4j_uri),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert missing.returncode != 0
    lines = [line for line in missing.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "no such file" in lines[0], missing.stderr
    assert "Traceback" not in missing.stderr
    bundle = generate_bundle(tmp_path / "b", people=20, seed=5) and tmp_path / "b"
    (bundle / "follows.csv").write_text("who,whom\n1,2\n", encoding="utf-8")
    wrong = subprocess.run(
        [*SRM, "ingest", str(bundle)],
        env=_env(neo4j_uri),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert wrong.returncode != 0 and "wrong header" in wrong.stderr
    assert db.counts(driver) == {}
    (bundle / "follows.csv").unlink()
    loaded = subprocess.run(
        [*SRM, "ingest", str(bundle), "--quarantine", str(tmp_path / "q.jsonl")],
        env=_env(neo4j_uri),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert loaded.returncode == 0, loaded.stderr
    assert "Ingested" in loaded.stderr and "0 quarantined" in loaded.stderr
    assert db.counts(driver)[":Profile"] > 0
