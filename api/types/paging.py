"""Relay cursor paging shared by every connection: opaque cursors over stable orderings."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TypeVar

import strawberry

from srm.api.limits import ClientError, check_first

__all__ = ["PageInfo", "decode_cursor", "edges_of", "encode_cursor", "page_info", "window"]

_PREFIX = "srm:"

Item = TypeVar("Item")
Edge = TypeVar("Edge")


@strawberry.type(description="Relay page information.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@lru_cache(maxsize=4096)
def encode_cursor(position: int) -> str:
    # Cached: every edge of every page computes one, and positions repeat across requests.
    return base64.urlsafe_b64encode(f"{_PREFIX}{position}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    """The position after which the next page starts; ClientError for a foreign cursor."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not text.startswith(_PREFIX):
            raise ValueError(cursor)
        position = int(text.removeprefix(_PREFIX))
        if position < 0:
            raise ValueError(cursor)
    except ValueError as error:
        raise ClientError(
            "'after' is not a cursor returned by this API; pass an endCursor or edge cursor."
        ) from error
    return position


def window(first: int, after: str | None) -> tuple[int, int]:
    """``(offset, first)`` of the requested page, with ``first`` checked (1..100)."""
    check_first(first)
    return (decode_cursor(after) + 1 if after else 0), first


def page_info(offset: int, count: int, has_next: bool) -> PageInfo:
    return PageInfo(
        has_next_page=has_next,
        has_previous_page=offset > 0,
        start_cursor=encode_cursor(offset) if count else None,
        end_cursor=encode_cursor(offset + count - 1) if count else None,
    )


def edges_of(
    items: Sequence[Item], offset: int, first: int, edge: Callable[[str, Item], Edge]
) -> tuple[list[Edge], PageInfo]:
    """The edges of the page starting at ``offset`` (``edge(cursor, item)`` for its first
    ``first`` items) and its page info. ``items`` holds one item more when a next page exists:
    statements read ``first + 1``."""
    kept = items[:first]
    edges = [edge(encode_cursor(offset + index), item) for index, item in enumerate(kept)]
    return edges, page_info(offset, len(kept), len(items) > first)
