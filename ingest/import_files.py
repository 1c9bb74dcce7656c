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

What makes the importer fast on these files: nodes are identified by integers (their
position in their file, ``--id-type=integer``; the key is an ordinary property), so the
importer maps numbers instead of encoding and sorting strings, and the follows file is
written by numpy as fixed-width digits (no Python per follow); only the files that hold a
line break inside a value are read as multi-line CSV (:attr:`ImportPlan.multiline`),
which the importer cannot split between its threads.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from srm.arrays import distinct
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

FOLLOWS_CHUNK = 1_000_000  # follows turned into text at a time (about 22 MB)
ARRAY_DELIMITER = "\x1f"  # unit separator: never inside a field name
_KEPT = PROFILE_ROW[1:-2]  # platform … posts_count: a null keeps the stored value
_INTEGERS = {"followers_count", "following_count", "posts_count"}


@dataclass
class ImportPlan:
    """The files written: (label, path) for nodes, (type, path) for relationships, and
    those of them with a line break inside some value."""

    nodes: list[tuple[str, Path]] = field(default_factory=list)
    relationships: list[tuple[str, Path]] = field(default_factory=list)
    multiline: list[Path] = field(default_factory=list)


def _cell(value: Any) -> str:
    if type(value) is str:  # most cells: tested first
        return '"' + value.replace('"', '""') + '"'
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


def _write(path: Path, header: list[str], rows: Iterable[Iterable[Any]]) -> bool:
    """Write a CSV file; True when some value holds a line break."""
    multiline = False
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(header) + "\n")
        for row in rows:
            line = ",".join(_cell(value) for value in row)
            if not multiline and ("\n" in line or "\r" in line):
                multiline = True
            out.write(line + "\n")
    return multiline


def _digits(values: np.ndarray[Any, np.dtype[np.int64]], width: int) -> np.ndarray[Any, Any]:
    """Each value as ``width`` ASCII digits, zero-padded (one row per value)."""
    digits = np.empty((len(values), width), dtype=np.uint8)
    rest = values.copy()
    for column in range(width - 1, -1, -1):
        digits[:, column] = rest % 10 + ord("0")
        rest //= 10
    return digits


def _write_pairs(
    path: Path, header: list[str], pairs: np.ndarray[Any, np.dtype[np.int64]], chunk: int
) -> None:
    """``start,end`` lines of the pairs packed as ``start << 32 | end`` (numpy, by chunks)."""
    largest = max(int(pairs.max() >> 32), int((pairs & 0xFFFFFFFF).max())) if len(pairs) else 0
    width = len(str(largest))
    with path.open("wb") as out:
        out.write((",".join(header) + "\n").encode())
        for begin in range(0, len(pairs), chunk):
            block = pairs[begin : begin + chunk]
            line = np.empty((len(block), 2 * width + 2), dtype=np.uint8)
            line[:, :width] = _digits(block >> 32, width)
            line[:, width] = ord(",")
            line[:, width + 1 : -1] = _digits(block & 0xFFFFFFFF, width)
            line[:, -1] = ord("\n")
            out.write(line.tobytes())


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
            self._follow_block(row.pairs)
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

    def _follow_block(self, pairs: list[tuple[str, str]]) -> None:
        """:meth:`_follow` of every pair, inlined: this loop runs once per follow."""
        index = self._profile_index
        packed = []
        for follower, followed in pairs:
            start = index.get(follower)
            if start is None:
                start = index[follower] = len(index)
            end = index.get(followed)
            if end is None:
                end = index[followed] = len(index)
            packed.append((start << 32) | end)
        self._follows.extend(packed)
        self.stats.rows += len(pairs)

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
        ids = self._write_nodes(keys)
        self._write_relationships(follows, ids)
        self.stats.loaded = loaded
        self.stats.updated = max(0, self.stats.rows - loaded)
        return self.stats

    def _distinct_follows(self) -> np.ndarray[Any, np.dtype[np.int64]]:
        pairs: np.ndarray[Any, np.dtype[np.int64]] = distinct(
            np.frombuffer(self._follows, dtype=np.int64)
        )
        self._follows = array("q")
        return pairs

    def _node_file(self, label: str, header: list[str], rows: Iterable[Iterable[Any]]) -> None:
        path = self.folder / f"{label}.csv"
        if _write(path, header, rows):
            self.plan.multiline.append(path)
        self.plan.nodes.append((label, path))

    def _relationship_file(self, kind: str, header: list[str], rows: Iterable[Any]) -> None:
        path = self.folder / f"{kind}.csv"
        if _write(path, header, rows):
            self.plan.multiline.append(path)
        self.plan.relationships.append((kind, path))

    def _write_nodes(self, keys: list[str]) -> dict[str, dict[str, int]]:
        """Write the node files; return each label's key → importer id (profiles: ``keys``)."""
        extra = sorted(
            {name for props in self._customers.values() for name in props} - set(CUSTOMER_FIELDS)
        )
        columns = [*CUSTOMER_FIELDS, *extra]
        customer_ids = {key: number for number, key in enumerate(self._customers)}
        self._node_file(
            "Customer",
            [":ID(Customer)", "customer_id", *columns],
            (
                [customer_ids[key], key, *(props.get(name) for name in columns)]
                for key, props in self._customers.items()
            ),
        )
        profile_header = [
            ":ID(Profile)",
            "profile_key",
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
        post_stubs = sorted(
            {
                target
                for links in self._cascades.values()
                for _, target in links
                if target not in self._posts
            }
        )
        self.stats.stubs += len(post_stubs)
        post_ids = {key: number for number, key in enumerate([*self._posts, *post_stubs])}
        self._node_file(
            "Post",
            [
                ":ID(Post)",
                "post_key",
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
                        post_ids[key],
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
                *([post_ids[key], key, *_stub(key), None, None, None, True] for key in post_stubs),
            ],
        )
        brand_ids = {name: number for number, name in enumerate(self._brands)}
        self._node_file(
            "Brand",
            [":ID(Brand)", "name", "is_own:boolean"],
            ([brand_ids[name], name, is_own] for name, is_own in self._brands.items()),
        )
        return {"Customer": customer_ids, "Post": post_ids, "Brand": brand_ids}

    def _profile_rows(self, keys: list[str], width: int) -> Iterator[list[Any]]:
        for number, key in enumerate(keys):
            values = self._profiles.get(key)
            if values is None:
                yield [number, key, *_stub(key), *([None] * (width - 2)), True]
            else:
                yield [number, key, *values, False]

    def _write_relationships(
        self,
        follows: np.ndarray[Any, np.dtype[np.int64]],
        ids: dict[str, dict[str, int]],
    ) -> None:
        profile = self._profile_index
        customer, post, brand = ids["Customer"], ids["Post"], ids["Brand"]
        profile_ends = [":START_ID(Profile)", ":END_ID(Profile)"]
        path = self.folder / "FOLLOWS.csv"
        _write_pairs(path, profile_ends, follows, FOLLOWS_CHUNK)
        self.plan.relationships.append(("FOLLOWS", path))
        by_handle: dict[tuple[str, str], list[str]] = {}
        for key, values in self._profiles.items():
            if values[2] is not None:
                by_handle.setdefault((values[0], values[2]), []).append(key)
        claims = {
            (customer[customer_id], profile[key])
            for customer_id, platform, handle in self._claims
            for key in by_handle.get((platform, handle), [])
        }
        self._relationship_file(
            "CLAIMS", [":START_ID(Customer)", ":END_ID(Profile)"], sorted(claims)
        )
        self._relationship_file(
            "POSTED",
            [":START_ID(Profile)", ":END_ID(Post)"],
            sorted((profile[author], post[key]) for author, key in self._posted),
        )
        self._relationship_file(
            "MENTIONS",
            [":START_ID(Post)", ":END_ID(Profile)"],
            sorted((post[key], profile[mentioned]) for key, mentioned in self._mentions),
        )
        for kind, links in self._cascades.items():
            self._relationship_file(
                kind,
                [":START_ID(Post)", ":END_ID(Post)"],
                sorted((post[source], post[target]) for source, target in links),
            )
        self._relationship_file(
            "MENTIONED",
            [*profile_ends, "count:long", "first_at:datetime", "last_at:datetime"],
            self._mentioned(),
        )
        official = {(profile[key], brand[name]) for name, key in self._official}
        official |= {
            (profile[key], brand[name])
            for name, platform, handle in self._official_handles
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
        profile = self._profile_index
        for (author, mentioned), (count, first, last) in sorted(pairs.items()):
            yield [profile[author], profile[mentioned], count, first, last]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
