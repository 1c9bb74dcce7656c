"""Read a canonical bundle folder (docs/bundle-format.md) straight into identity-resolution inputs.

For users without a graph, the benchmarks and the tests: ``customers.csv`` and
``profiles.csv`` become normalised records, ``follows.csv`` and the mentions in
``posts.csv`` become record-id pairs for the graph evidence.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from srm.graph.identity.records import RecordPairs, profile_record_id, social_records

__all__ = ["BundleInputs", "read_bundle"]


@dataclass
class BundleInputs:
    records: pd.DataFrame
    follows: RecordPairs
    mentions: RecordPairs


def _stream(path: Path) -> Iterator[dict[str, str]]:
    if not path.exists():
        return
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def read_bundle(folder: Path, *, region: str = "ES") -> BundleInputs:
    """Records, follow pairs and mention pairs of the bundle in ``folder``. Every file is
    streamed: no row object per profile or follow is held at once, only each profile's
    platform (for the follows and posts that do not name it)."""
    platform_of: dict[str, str] = {}

    def profiles() -> Iterator[dict[str, str]]:
        for row in _stream(folder / "profiles.csv"):
            platform_of[row["profile_id"]] = row.get("platform", "")
            yield row

    records = social_records(_stream(folder / "customers.csv"), profiles(), region=region)

    def record(profile_id: str, platform: str = "") -> str:
        return profile_record_id(platform or platform_of.get(profile_id, ""), profile_id)

    follows = RecordPairs()
    for row in _stream(folder / "follows.csv"):
        follows.add(
            record(row["follower_profile_id"], row.get("follower_platform", "")),
            record(row["followed_profile_id"], row.get("followed_platform", "")),
        )
    mentions: set[tuple[str, str]] = set()
    for row in _stream(folder / "posts.csv"):
        author = record(row["profile_id"], row.get("platform", ""))
        for mentioned in filter(None, (row.get("mentioned_profile_ids") or "").split("|")):
            mentions.add((author, record(mentioned, row.get("platform", ""))))
    return BundleInputs(records, follows, RecordPairs.of(sorted(mentions)))
