"""The graph written back as the canonical bundle :mod:`srm.ingest.readers.bundle` reads: the
half of a backup that any SRM can ingest (or people read), and ``srm export --format bundle``.

Columns follow docs/bundle-format.md; customers' extra properties become extra columns; follows and
posts carry platform columns so multi-platform bundles stay unambiguous. ``persons.csv``
(``record_id,person_id``, as ``srm identities export``) holds the identity clusters.

Memory stays bounded at any graph size: every file is read in keyset pages
(:func:`srm.store.read_pages`, one short transaction a page) and written row by row.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from neo4j import Driver

from srm.bundle_format import (
    BRAND_HEADER,
    CUSTOMER_HEADER,
    FOLLOW_HEADER,
    POST_HEADER,
    PROFILE_HEADER,
)
from srm.cypher import backup as statements
from srm.errors import ValidationError
from srm.progress import OnProgress, counted, quiet
from srm.store import properties_from_pairs, read, read_pages

__all__ = ["BUNDLE_PARTS", "EXPORT_PARTS", "PAGE_SIZE", "parse_parts", "write_bundle"]

EXTRA_PREFIX = "x_"
# The parts of the bundle a backup writes, and those an export can choose from.
BUNDLE_PARTS = ("customers", "profiles", "follows", "posts", "brands")
EXPORT_PARTS = (*BUNDLE_PARTS, "persons")
PERSON_HEADER = ("record_id", "person_id")
PAGE_SIZE = 5_000
Rows = Iterator[dict[str, Any]]


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


def _write(
    path: Path, columns: Iterable[str], rows: Iterator[dict[str, Any]], on_progress: OnProgress
) -> int:
    """Write the named columns of ``rows`` (other keys are left out, missing ones empty)."""
    names = list(columns)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        table = csv.writer(out)
        table.writerow(names)
        for row in counted(rows, path.name, on_progress):
            table.writerow([_cell(row.get(name)) for name in names])
            written += 1
    return written


def parse_parts(text: str) -> tuple[str, ...]:
    """``"profiles,follows"`` → the parts named, in file order; unknown names are refused."""
    names = {name.strip().lower() for name in text.split(",") if name.strip()}
    unknown = sorted(names - set(EXPORT_PARTS))
    if unknown or not names:
        raise ValidationError(
            f"Unknown export part(s) {', '.join(unknown) or '(none given)'}; "
            f"choose from {', '.join(EXPORT_PARTS)} (comma-separated)."
        )
    return tuple(part for part in EXPORT_PARTS if part in names)


def _customers(driver: Driver, page_size: int, database: str | None) -> tuple[list[str], Rows]:
    """The customer columns and their rows, streamed a page at a time."""
    extra = [
        str(record["key"]).removeprefix(EXTRA_PREFIX)
        for record in read(driver, statements.EXPORT_CUSTOMER_EXTRA_KEYS, database=database)
    ]

    def rows() -> Rows:
        pages = read_pages(
            driver, statements.EXPORT_CUSTOMERS, page_size=page_size, database=database
        )
        for record in pages:
            properties = properties_from_pairs(record["properties"])
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


def _profiles(records: Rows) -> Rows:
    for record in records:
        properties = properties_from_pairs(record["properties"])
        yield {**properties, "profile_id": properties.get("native_id")}


def _follows(records: Rows) -> Rows:
    for record in records:
        for _, followed, followed_platform in sorted(record["followed"]):
            yield {
                "follower_profile_id": record["follower"],
                "followed_profile_id": followed,
                "follower_platform": record["follower_platform"],
                "followed_platform": followed_platform,
            }


def _posts(records: Rows) -> Rows:
    for record in records:
        if record["author"] is None:
            continue
        properties = properties_from_pairs(record["properties"])
        yield {
            "post_id": properties.get("native_id") or str(properties["post_key"]).partition(":")[2],
            "profile_id": record["author"],
            "platform": record["platform"],
            "created_at": properties.get("created_at"),
            "text": properties.get("text"),
            "mentioned_profile_ids": record["mentioned"],
            "reply_to_post_id": record["reply_to"],
            "quote_of_post_id": record["quote_of"],
            "repost_of_post_id": record["repost_of"],
        }


def _brands(records: Rows) -> Rows:
    for record in records:
        yield {
            "name": record["name"],
            "is_own": record["is_own"],
            "official_profile_ids": record["official"],
        }


def _persons(records: Rows) -> Rows:
    for record in records:
        for record_id in sorted(record["records"]):
            yield {"record_id": record_id, "person_id": record["key"]}


# part → (file, header, statement, rows of its records); customers have their own columns.
_PAGED: dict[str, tuple[str, Sequence[str], str, Callable[[Rows], Rows]]] = {
    "profiles": ("profiles.csv", PROFILE_HEADER, statements.EXPORT_PROFILES, _profiles),
    "follows": ("follows.csv", FOLLOW_HEADER, statements.EXPORT_FOLLOWS, _follows),
    "posts": ("posts.csv", POST_HEADER, statements.EXPORT_POSTS, _posts),
    "persons": ("persons.csv", PERSON_HEADER, statements.EXPORT_PERSONS, _persons),
}


def write_bundle(
    driver: Driver,
    out: Path,
    *,
    parts: Sequence[str] = BUNDLE_PARTS,
    page_size: int = PAGE_SIZE,
    database: str | None = None,
    on_progress: OnProgress = quiet,
) -> dict[str, int]:
    """Write the files of ``parts`` (:data:`EXPORT_PARTS`) into ``out``; return rows written
    per file. ``page_size`` records are read a transaction; ``on_progress`` is told each
    file's rows so far (file name, rows, the total once it is done)."""
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for part in parts:
        if part == "customers":
            columns, customers = _customers(driver, page_size, database)
            written["customers.csv"] = _write(
                out / "customers.csv", columns, customers, on_progress
            )
        elif part == "brands":
            brands = _brands(iter(read(driver, statements.EXPORT_BRANDS, database=database)))
            written["brands.csv"] = _write(out / "brands.csv", BRAND_HEADER, brands, on_progress)
        else:
            name, header, statement, rows = _PAGED[part]
            records = read_pages(driver, statement, page_size=page_size, database=database)
            written[name] = _write(out / name, header, rows(records), on_progress)
    return written
