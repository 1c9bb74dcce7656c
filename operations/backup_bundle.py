"""The canonical-bundle half of a backup: the graph written back as the CSV files
:mod:`srm.ingest.readers.bundle` reads, so a backup can be ingested by any SRM (or read by people).

Columns follow docs/bundle-format.md; customers' extra properties become extra columns; follows and
posts carry platform columns so multi-platform bundles stay unambiguous.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from neo4j import Driver, Query

from srm.bundle_format import (
    BRAND_HEADER,
    CUSTOMER_HEADER,
    FOLLOW_HEADER,
    POST_HEADER,
    PROFILE_HEADER,
)
from srm.cypher import backup as statements
from srm.store import translate_errors

__all__ = ["write_bundle"]

EXTRA_PREFIX = "x_"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "|".join(_cell(item) for item in value)
    if hasattr(value, "iso_format"):
        return str(value.iso_format())
    return str(value)


def _write(path: Path, columns: Iterable[str], rows: Iterator[dict[str, Any]]) -> int:
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        table = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
        table.writeheader()
        for row in rows:
            table.writerow({name: _cell(value) for name, value in row.items()})
            written += 1
    return written


def _records(driver: Driver, statement: str, database: str | None) -> Iterator[dict[str, Any]]:
    with translate_errors(), driver.session(database=database) as session:
        for record in session.run(Query(statement)):
            yield record.data()


def _customers(driver: Driver, database: str | None) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """The customer columns and their rows, streamed (one customer in memory at a time)."""
    extra = [
        str(record["key"]).removeprefix(EXTRA_PREFIX)
        for record in _records(driver, statements.EXPORT_CUSTOMER_EXTRA_KEYS, database)
    ]

    def rows() -> Iterator[dict[str, Any]]:
        for record in _records(driver, statements.EXPORT_CUSTOMERS, database):
            properties = record["properties"]
            row = {name: properties.get(name) for name in CUSTOMER_HEADER}
            handles = [handle for handle in record["twitter_handles"] if handle]
            row["twitter_handle"] = min(handles) if handles else row["twitter_handle"]
            # The reader stores extra columns as x_<column>; other properties (scores, flags
            # set by SRM) are no CRM data and live in graph.jsonl only.
            for name, value in properties.items():
                if name.startswith(EXTRA_PREFIX):
                    row[name.removeprefix(EXTRA_PREFIX)] = value
            yield row

    return [*CUSTOMER_HEADER, *extra], rows()


def write_bundle(driver: Driver, out: Path, *, database: str | None = None) -> dict[str, int]:
    """Write the five bundle files into ``out``; return rows written per file."""
    columns, customers = _customers(driver, database)
    written = {"customers.csv": _write(out / "customers.csv", columns, customers)}
    profiles = (
        {**record["properties"], "profile_id": record["properties"].get("native_id")}
        for record in _records(driver, statements.EXPORT_PROFILES, database)
    )
    written["profiles.csv"] = _write(out / "profiles.csv", PROFILE_HEADER, profiles)
    follows = (
        {
            "follower_profile_id": record["follower"],
            "followed_profile_id": record["followed"],
            "follower_platform": record["follower_platform"],
            "followed_platform": record["followed_platform"],
        }
        for record in _records(driver, statements.EXPORT_FOLLOWS, database)
    )
    written["follows.csv"] = _write(out / "follows.csv", FOLLOW_HEADER, follows)
    posts = (
        {
            "post_id": record["properties"].get("native_id")
            or str(record["properties"]["post_key"]).partition(":")[2],
            "profile_id": record["author"],
            "platform": record["platform"],
            "created_at": record["properties"].get("created_at"),
            "text": record["properties"].get("text"),
            "mentioned_profile_ids": record["mentioned"],
            "reply_to_post_id": record["reply_to"],
            "quote_of_post_id": record["quote_of"],
            "repost_of_post_id": record["repost_of"],
        }
        for record in _records(driver, statements.EXPORT_POSTS, database)
        if record["author"] is not None
    )
    written["posts.csv"] = _write(out / "posts.csv", POST_HEADER, posts)
    brands = (
        {
            "name": record["name"],
            "is_own": record["is_own"],
            "official_profile_ids": record["official"],
        }
        for record in _records(driver, statements.EXPORT_BRANDS, database)
    )
    written["brands.csv"] = _write(out / "brands.csv", BRAND_HEADER, brands)
    return written
