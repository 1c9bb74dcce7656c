"""Validated rows as the CSV files of Neo4j's offline importer (``srm ingest --initial``).

:class:`ImportFiles` takes the rows :class:`~srm.ingest.writer.GraphWriter` would write
and builds the graph the writer's MERGE statements would leave in an empty store — the
same keys, stubs, properties, value types and relationships — then writes it as node and
relationship files in the importer's CSV dialect (typed headers, ``:ID``/``:START_ID``/
``:END_ID`` in one id space per label). What "the same" means, statement by statement:

- a node row met again updates it as ``ON MATCH`` does (profiles: a null column keeps the
  stored value; customers and posts: ``+=`` of the non-null values; ``truncated_fields``
  is the last row's);
- an end that no row loads becomes a stub (``platform``, ``native_id``, ``is_stub``);
- relationships are sets (MERGE), ``MENTIONED`` holds the count, first and last time of
  the author's posts that mention the profile; ``CLAIMS`` and ``OFFICIAL_OF`` by handle
  link every profile of that platform and handle.

Memory holds one tuple per node and one 64-bit integer per follow (de-duplicated with
numpy at the end), not a row object per follow.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from srm.cypher.ingest import PROFILE_ROW
from srm.ingest.readers.bundle import normalise_handle
from srm.ingest.rows import BrandRow, CustomerRow, FollowBlock, FollowRow, PostRow, ProfileRow
from srm.ingest.writer import (
    CASCADES,
    CUSTOMER_FIELDS,
    WriteStats,
    customer_properties,
    profile_values,
)

__all__ = ["ARRAY_DELIMITER", "ImportFiles", "ImportPlan"]

ARRAY_DELIMITER = "\x1f"  # unit separator: never inside a field name
_KEPT = PROFILE_ROW[1:-2]  # platform … posts_count: a null keeps the stored value
_INTEGERS = {"followers_count", "following_count", "posts_count"}


@dataclass
class ImportPlan:
    """The files written: (label, path) for nodes, (type, path) for relationships."""

    nodes: list[tuple[str, Path]] = field(default_factory=list)
    relationships: list[tuple[str, Path]] = field(default_factory=list)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return _cell(_iso(value))
    if isinstance(value, list):
        return _cell(ARRAY_DELIMITER.join(str(item) for item in value))
    return '"' + str(value).replace('"', '""') + '"'


def _iso(value: datetime) -> str:
    """As the writer sends it (naive = UTC), for the importer's ``datetime`` columns."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def _write(path: Path, header: list[str], rows: Iterable[Iterable[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(header) + "\n")
        for row in rows:
            out.write(",".join(_cell(value) for value in row) + "\n")
    return path


def _stub(key: str) -> list[Any]:
    platform, _, native_id = key.partition(":")
    return [platform, native_id]


class ImportFiles:
    """Collect rows (``add``), then write the importer's files into ``folder`` (``close``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.plan = ImportPlan()
        self.stats = WriteStats()
        self._customers: dict[str, dict[str, Any]] = {}
        self._claims: set[tuple[str, str, str]] = set()  # customer, platform, handle
        self._profiles: dict[str, list[Any]] = {}  # key → PROFILE_ROW[1:] values
        self._posts: dict[str, dict[str, Any]] = {}
        self._posted: set[tuple[str, str]] = set()
        self._mentions: set[tuple[str, str]] = set()
        self._cascades: dict[str, set[tuple[str, str]]] = {kind: set() for _, kind in CASCADES}
        self._brands: dict[str, bool] = {}
        self._official: set[tuple[str, str]] = set()
        self._official_handles: set[tuple[str, str, str]] = set()
        self._profile_index: dict[str, int] = {}
        self._follows = array("q")

    # -- rows -----------------------------------------------------------------------------

    def add(self, row: Any) -> None:
        """Take one validated row (the types :class:`GraphWriter` takes)."""
        if type(row) is FollowBlock:
            for follower, followed in row.pairs:
                self._follow(follower, followed)
        elif isinstance(row, FollowRow):
            self._follow(row.follower_key, row.followed_key)
        elif isinstance(row, ProfileRow):
            self._profile(row)
        elif isinstance(row, PostRow):
            self._post(row)
        elif isinstance(row, CustomerRow):
            self._customer(row)
        elif isinstance(row, BrandRow):
            self._brand(row)
        else:
            raise TypeError(f"not a row the writer knows: {type(row).__name__}")

    def _index(self, key: str) -> int:
        return self._profile_index.setdefault(key, len(self._profile_index))

    def _follow(self, follower: str, followed: str) -> None:
        self.stats.rows += 1
        self._follows.append((self._index(follower) << 32) | self._index(followed))

    def _customer(self, row: CustomerRow) -> None:
        self.stats.rows += 1
        props, claimed = customer_properties(row)
        for platform, handle in claimed.items():
            self._claims.add((row.customer_id, platform, handle))
        stored = self._customers.setdefault(row.customer_id, {})
        stored.update({name: value for name, value in props.items() if value is not None})

    def _profile(self, row: ProfileRow) -> None:
        self.stats.rows += 1
        values = [*profile_values(row, normalise_handle(row.handle)), row.created_at]
        key = row.profile_key
        self._index(key)
        stored = self._profiles.get(key)
        if stored is None:
            self._profiles[key] = values
            return
        for position in range(len(_KEPT)):
            if values[position] is not None:
                stored[position] = values[position]
        stored[-2] = values[-2]
        if values[-1] is not None:
            stored[-1] = values[-1]

    def _post(self, row: PostRow) -> None:
        self.stats.rows += 1
        key = row.post_key
        stored = self._posts.setdefault(key, {})
        props = {"platform": row.platform, "native_id": row.native_id, "text": row.text}
        stored.update({name: value for name, value in props.items() if value is not None})
        stored["truncated_fields"] = row.truncated_fields or None
        if row.created_at is not None or "created_at" not in stored:
            stored["created_at"] = row.created_at
        self._index(row.author_key)
        self._posted.add((row.author_key, key))
        for mentioned in row.mentioned_keys:
            self._index(mentioned)
            self._mentions.add((key, mentioned))
        for attribute, kind in CASCADES:
            target = getattr(row, attribute)
            if target:
                self._cascades[kind].add((key, target))

    def _brand(self, row: BrandRow) -> None:
        self.stats.rows += 1
        self._brands[row.name] = row.is_own
        for key in row.official_keys:
            self._index(key)
            self._official.add((row.name, key))
        for reference in row.official_handles:
            platform, _, handle = reference.partition(":")
            normalised = normalise_handle(handle)
            if normalised:
                self._official_handles.add((row.name, platform, normalised))

    # -- files ----------------------------------------------------------------------------

    def close(self) -> WriteStats:
        """Write every file; return counts in the writer's terms (``loaded``: distinct
        nodes and relationships the rows make, ``updated``: the rest, ``stubs``)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        keys = list(self._profile_index)
        follows = self._distinct_follows()
        loaded = (
            len(self._customers)
            + len(self._profiles)
            + len(self._posts)
            + len(self._brands)
            + len(follows)
        )
        self._write_nodes(keys)
        self._write_relationships(keys, follows)
        self.stats.loaded = loaded
        self.stats.updated = max(0, self.stats.rows - loaded)
        return self.stats

    def _distinct_follows(self) -> np.ndarray[Any, np.dtype[np.int64]]:
        pairs: np.ndarray[Any, np.dtype[np.int64]] = np.unique(
            np.frombuffer(self._follows, dtype=np.int64)
        )
        self._follows = array("q")
        return pairs

    def _node_file(self, label: str, header: list[str], rows: Iterable[Iterable[Any]]) -> None:
        self.plan.nodes.append((label, _write(self.folder / f"{label}.csv", header, rows)))

    def _relationship_file(self, kind: str, header: list[str], rows: Iterable[Any]) -> None:
        path = _write(self.folder / f"{kind}.csv", header, rows)
        self.plan.relationships.append((kind, path))

    def _write_nodes(self, keys: list[str]) -> None:
        extra = sorted(
            {name for props in self._customers.values() for name in props} - set(CUSTOMER_FIELDS)
        )
        columns = [*CUSTOMER_FIELDS, *extra]
        self._node_file(
            "Customer",
            ["customer_id:ID(Customer)", *columns],
            (
                [key, *(props.get(name) for name in columns)]
                for key, props in self._customers.items()
            ),
        )
        profile_header = [
            "profile_key:ID(Profile)",
            *(f"{name}:long" if name in _INTEGERS else name for name in _KEPT),
            "truncated_fields:string[]",
            "created_at:datetime",
            "is_stub:boolean",
        ]
        width = len(_KEPT) + 2
        stubs = [key for key in keys if key not in self._profiles]
        self.stats.stubs += len(stubs)
        self._node_file(
            "Profile",
            profile_header,
            self._profile_rows(keys, width),
        )
        post_stubs = {
            target
            for links in self._cascades.values()
            for _, target in links
            if target not in self._posts
        }
        self.stats.stubs += len(post_stubs)
        self._node_file(
            "Post",
            [
                "post_key:ID(Post)",
                "platform",
                "native_id",
                "text",
                "truncated_fields:string[]",
                "created_at:datetime",
                "is_stub:boolean",
            ],
            [
                *(
                    [
                        key,
                        props.get("platform"),
                        props.get("native_id"),
                        props.get("text"),
                        props.get("truncated_fields"),
                        props.get("created_at"),
                        False,
                    ]
                    for key, props in self._posts.items()
                ),
                *([key, *_stub(key), None, None, None, True] for key in sorted(post_stubs)),
            ],
        )
        self._node_file(
            "Brand",
            ["name:ID(Brand)", "is_own:boolean"],
            ([name, is_own] for name, is_own in self._brands.items()),
        )

    def _profile_rows(self, keys: list[str], width: int) -> Iterator[list[Any]]:
        for key in keys:
            values = self._profiles.get(key)
            if values is None:
                yield [key, *_stub(key), *([None] * (width - 2)), True]
            else:
                yield [key, *values, False]

    def _write_relationships(
        self, keys: list[str], follows: np.ndarray[Any, np.dtype[np.int64]]
    ) -> None:
        profile_ends = [":START_ID(Profile)", ":END_ID(Profile)"]
        self._relationship_file(
            "FOLLOWS",
            profile_ends,
            ([keys[int(pair) >> 32], keys[int(pair) & 0xFFFFFFFF]] for pair in follows),
        )
        by_handle: dict[tuple[str, str], list[str]] = {}
        for key, values in self._profiles.items():
            if values[2] is not None:
                by_handle.setdefault((values[0], values[2]), []).append(key)
        claims = {
            (customer, key)
            for customer, platform, handle in self._claims
            for key in by_handle.get((platform, handle), [])
        }
        self._relationship_file(
            "CLAIMS", [":START_ID(Customer)", ":END_ID(Profile)"], sorted(claims)
        )
        self._relationship_file(
            "POSTED", [":START_ID(Profile)", ":END_ID(Post)"], sorted(self._posted)
        )
        self._relationship_file(
            "MENTIONS", [":START_ID(Post)", ":END_ID(Profile)"], sorted(self._mentions)
        )
        for kind, links in self._cascades.items():
            self._relationship_file(kind, [":START_ID(Post)", ":END_ID(Post)"], sorted(links))
        self._relationship_file(
            "MENTIONED",
            [*profile_ends, "count:long", "first_at:datetime", "last_at:datetime"],
            self._mentioned(),
        )
        official = {(key, brand) for brand, key in self._official}
        official |= {
            (key, brand)
            for brand, platform, handle in self._official_handles
            for key in by_handle.get((platform, handle), [])
        }
        self._relationship_file(
            "OFFICIAL_OF", [":START_ID(Profile)", ":END_ID(Brand)"], sorted(official)
        )

    def _mentioned(self) -> Iterator[list[Any]]:
        authors: dict[str, list[str]] = {}
        for author, post in self._posted:
            authors.setdefault(post, []).append(author)
        pairs: dict[tuple[str, str], list[Any]] = {}
        for post, mentioned in self._mentions:
            created = self._posts.get(post, {}).get("created_at")
            moment = None if created is None else _aware(created)
            for author in authors.get(post, []):
                entry = pairs.setdefault((author, mentioned), [0, None, None])
                entry[0] += 1
                if moment is not None:
                    entry[1] = moment if entry[1] is None else min(entry[1], moment)
                    entry[2] = moment if entry[2] is None else max(entry[2], moment)
        for (author, mentioned), (count, first, last) in sorted(pairs.items()):
            yield [author, mentioned, count, first, last]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
