"""After an erasure, ingesting the same files again brings nothing of that person back:
their rows are skipped and counted as suppressed, the rest of the graph is unchanged."""

from __future__ import annotations

from pathlib import Path

from neo4j import Driver

from srm.db import graph_fingerprint
from srm.ingest.pipeline import ingest_paths
from srm.operations.erasure import erase
from srm.operations.suppression import SuppressionList
from srm.settings import Settings
from tests.ingest_helpers import write_bundle
from tests.test_privacy_erasure import residue

ERASED = ["bego@example.test", "+34 600 000 001", "begomunoz", "x:1"]


def test_reingest_after_erasure_is_suppressed_and_changes_nothing(
    driver: Driver, settings: Settings, tmp_path: Path
) -> None:
    bundle = write_bundle(tmp_path / "bundle")
    first = ingest_paths(driver, [bundle], batch_size=100)
    assert first.suppressed == 0
    assert residue(driver, ERASED)

    erase(driver, settings, "customer", "C1", by="test")
    erase(driver, settings, "profile", "x:1", by="test")
    assert residue(driver, ERASED) == []
    after_erasure = graph_fingerprint(driver)

    suppression = SuppressionList.load(driver, settings)
    again = ingest_paths(driver, [bundle], batch_size=100, suppression=suppression)

    # customer C1, profile 1, its 3 follows and its 2 posts
    assert again.suppressed == 7
    assert residue(driver, ERASED) == []
    assert graph_fingerprint(driver) == after_erasure
