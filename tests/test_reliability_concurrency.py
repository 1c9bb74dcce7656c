"""Concurrent writers: two ingests of overlapping data at once end in the same graph as
the two run one after the other — no duplicate nodes or relationships, no double-counted
aggregates, transient errors (deadlocks) retried by managed transactions."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from neo4j import Driver

from srm import db
from srm.ingest.pipeline import ingest_paths
from srm.store import read
from srm.synthetic.generate import generate_bundle
from tests.privacy_statements import DUPLICATE_RELATIONSHIPS


def _bundles(tmp_path: Path) -> tuple[Path, Path]:
    full = tmp_path / "full"
    generate_bundle(full, people=80, seed=11)
    # The second job repeats the profiles, follows and posts: every row overlaps.
    partial = tmp_path / "partial"
    partial.mkdir()
    for name in ("profiles.csv", "follows.csv", "posts.csv"):
        shutil.copy(full / name, partial / name)
    return full, partial


def test_two_overlapping_ingests_at_once_end_consistent(driver: Driver, tmp_path: Path) -> None:
    full, partial = _bundles(tmp_path)
    ingest_paths(driver, [full], batch_size=50)
    ingest_paths(driver, [partial], batch_size=50)
    sequential = db.graph_fingerprint(driver)
    sequential_counts = db.counts(driver)
    db.wipe(driver)

    errors: list[BaseException] = []

    def job(path: Path) -> None:
        try:
            ingest_paths(driver, [path], batch_size=50)
        except BaseException as error:  # the assertion below names it
            errors.append(error)

    threads = [threading.Thread(target=job, args=(path,)) for path in (full, partial)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert errors == []
    assert read(driver, DUPLICATE_RELATIONSHIPS)[0]["count"] == 0
    assert db.counts(driver) == sequential_counts
    assert db.graph_fingerprint(driver) == sequential
