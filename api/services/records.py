"""Record lookups, batched by key (the load functions behind the GraphQL DataLoaders)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncDriver

from srm.cypher import api_links, api_records
from srm.store_async import read_collected, read_values

__all__ = [
    "Page",
    "brands",
    "customer_by_email",
    "keyed_lists",
    "keyed_records",
    "links",
    "pages",
    "profile_by_handle",
    "records_with_pages",
    "search",
]

Record = dict[str, Any]

# Lucene query syntax characters: user text is searched as plain words, never as a query.
_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')


@dataclass(frozen=True)
class Page:
    """One slice of a list: ``records`` may hold one item more than asked (next page)."""

    total: int
    records: list[Record]


async def keyed_records(
    driver: AsyncDriver, database: str, query: str, ids: Sequence[str]
) -> list[Record | None]:
    """One record (or None) per id, in the order of ``ids``; ``query`` reads ``$ids``."""
    rows = await read_values(driver, query, database, ids=list(dict.fromkeys(ids)))
    found = {row["key"]: row["record"] for row in rows}
    return [found.get(key) for key in ids]


async def keyed_lists(
    driver: AsyncDriver, database: str, query: str, ids: Sequence[str]
) -> list[list[Record]]:
    """A list of records per id (empty when none), in the order of ``ids``."""
    rows = await read_values(driver, query, database, ids=list(dict.fromkeys(ids)))
    found = {row["key"]: row["records"] for row in rows}
    return [found.get(key, []) for key in ids]


async def pages(
    driver: AsyncDriver, database: str, query: str, requests: Sequence[tuple[str, int, int]]
) -> list[Page]:
    """Pages for ``(key, offset, first)`` requests in one statement reading ``$rows``."""
    rows_in = [
        {"key": key, "offset": offset, "first": first}
        for key, offset, first in dict.fromkeys(requests)
    ]
    rows = await read_collected(driver, query, database, rows=rows_in, limit=_page_end(rows_in))
    found = {
        (row["key"], row["offset"], row["first"]): Page(total=row["total"], records=row["records"])
        for row in rows
    }
    return [found.get(request) or Page(total=0, records=[]) for request in requests]


def _page_end(rows: Sequence[dict[str, Any]]) -> int:
    """The largest page end (offset + first + 1) among ``rows``: what statements that walk
    an index in order read up to (``$limit``; LIMIT cannot read a row)."""
    return max((row["offset"] + row["first"] + 1 for row in rows), default=1)


async def records_with_pages(
    driver: AsyncDriver, database: str, query: str, requests: Sequence[tuple[str, int, int]]
) -> list[tuple[Record | None, Page]]:
    """For ``(key, offset, first)`` requests: the record of ``key`` (None when there is none)
    and a page of its list, in one statement reading ``$rows`` and returning what
    :func:`pages` reads plus the record."""
    rows_in = [
        {"key": key, "offset": offset, "first": first}
        for key, offset, first in dict.fromkeys(requests)
    ]
    rows = await read_collected(driver, query, database, rows=rows_in, limit=_page_end(rows_in))
    found = {
        (row["key"], row["offset"], row["first"]): (
            row["record"],
            Page(total=row["total"], records=row["records"]),
        )
        for row in rows
    }
    return [found.get(request) or (None, Page(total=0, records=[])) for request in requests]


_SORT_KEYS = {"customers": "customer_id", "profiles": "profile_key"}


async def links(
    driver: AsyncDriver, database: str, requests: Sequence[tuple[str, str, str]]
) -> list[Any]:
    """The ``part`` of each ``(label, key, part)`` (see ``srm.cypher.api_links``), one
    statement for the whole batch; lists come sorted by key, missing records give None."""
    parts = sorted({part for _, _, part in requests})
    rows_in = [
        {"label": label, "key": key}
        for label, key in dict.fromkeys((label, key) for label, key, _ in requests)
    ]
    rows = await read_values(driver, api_links.LINKS, database, rows=rows_in, parts=parts)
    found = {(row["label"], row["key"]): row for row in rows}
    results: list[Any] = []
    for label, key, part in requests:
        row = found.get((label, key))
        value = row[part] if row else None
        if part in _SORT_KEYS:
            value = sorted(value or [], key=lambda record: str(record.get(_SORT_KEYS[part])))
        results.append(value)
    return results


async def customer_by_email(driver: AsyncDriver, database: str, email: str) -> Record | None:
    rows = await read_values(driver, api_records.CUSTOMERS_BY_EMAIL, database, email=email.strip())
    return rows[0]["record"] if rows else None


async def profile_by_handle(
    driver: AsyncDriver, database: str, platform: str, handle: str
) -> Record | None:
    rows = await read_values(
        driver,
        api_records.PROFILES_BY_HANDLE,
        database,
        platform=platform.strip().lower(),
        handle=handle.strip().removeprefix("@"),
    )
    return rows[0]["record"] if rows else None


async def brands(driver: AsyncDriver, database: str) -> list[Record]:
    return [row["record"] for row in await read_values(driver, api_records.BRANDS, database)]


async def search(
    driver: AsyncDriver, database: str, text: str, limit: int
) -> list[tuple[str, Record, float]]:
    """Full-text hits ``(label, record, score)`` over names, handles and bios, best first.

    The text is matched as words (special characters escaped); each word may be a prefix.
    """
    words = [_LUCENE_SPECIAL.sub(r"\\\1", word) for word in text.split()]
    if not words:
        return []
    query = " ".join(f"{word}*" if len(word) > 2 else word for word in words)
    rows = await read_values(driver, api_records.SEARCH, database, text=query, limit=limit)
    hits = []
    for row in rows:
        labels = row["labels"]
        label = next(
            (name for name in ("Customer", "Profile", "Person") if name in labels), labels[0]
        )
        hits.append((label, row["record"], float(row["score"])))
    return hits
