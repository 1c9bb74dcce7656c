"""The canonical bundle reader (docs/bundle-format.md): a folder of CSV files, any of them optional.

- ``brands.csv``: name, is_own, official_profile_ids (``|``-separated)
- ``customers.csv``: customer_id, first_name, last_name, email, phone, city, company,
  twitter_handle (+ any extra columns, kept as properties)
- ``profiles.csv``: profile_id, platform, handle, display_name, bio, location, url,
  followers_count, created_at (+ optional following_count, posts_count)
- ``follows.csv``: follower_profile_id, followed_profile_id
- ``posts.csv``: post_id, profile_id, created_at, text, mentioned_profile_ids (``|``),
  and optionally reply_to_post_id, quote_of_post_id, repost_of_post_id

Profile ids in follows, posts and brands are the bundle's own ``profile_id``; the graph key
is ``platform:profile_id``. The platform of a referenced id comes, in this order, from
optional columns (``follower_platform``/``followed_platform`` in follows.csv, ``platform``
in posts.csv — what the generator writes, so huge bundles stream in flat memory), from
``--platform``, or from a map of profiles.csv built once (memory grows with the number of
profiles). Brand official ids may also be written as full keys (``x:123``).

Files are read in the order above, so nodes come before the relationships that need them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from srm.bundle_format import BUNDLE_FILES, CUSTOMER_COLUMNS, PROFILE_COLUMNS, REQUIRED
from srm.errors import IngestError
from srm.ingest.csvio import EXTRA_CELLS, CsvFile, CsvRecord, has_broken_encoding, open_csv
from srm.ingest.formats import Item, ReadOptions
from srm.ingest.quarantine import Rejected
from srm.ingest.rows import (
    PLATFORMS,
    BrandRow,
    CustomerRow,
    FollowBlock,
    PostRow,
    ProfileRow,
    normalise_platform,
    profile_key,
)
from srm.ingest.validate import build

__all__ = [
    "detect",
    "normalise_handle",
    "read",
]

MAX_KEY_LENGTH = 512 - 20  # a key is platform:id, at most 512 characters
_PROPERTY_NAME = re.compile(r"[^a-z0-9_]+")


def normalise_handle(value: str | None) -> str | None:
    """A handle as stored and matched: without ``@``, lower case (platforms ignore case)."""
    if value is None:
        return None
    handle = value.strip().removeprefix("@").lower()
    return handle or None


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return [path / name for name in BUNDLE_FILES if (path / name).is_file()]
    return [path] if path.name in BUNDLE_FILES else []


def detect(path: Path) -> bool:
    """A folder holding any bundle file, or one bundle file (a delta such as follows.csv)."""
    return bool(_files(path))


class _Platforms:
    """Resolve a bundle profile id to its platform (see the module docstring)."""

    def __init__(self, folder: Path, options: ReadOptions) -> None:
        self.folder = folder
        self.default = normalise_platform(options.platform) if options.platform else None
        self._map: dict[str, str] | None = None
        self._named: dict[str, str] = {}

    def _load(self) -> dict[str, str]:
        if self._map is None:
            self._map = {}
            profiles = self.folder / "profiles.csv"
            if profiles.is_file():
                with open_csv(profiles, required=REQUIRED["profiles.csv"]) as table:
                    interned: dict[str, str] = {}
                    for record in table:
                        raw = record.values.get("platform") or self.default or ""
                        try:
                            platform = normalise_platform(raw)
                        except ValueError:
                            continue
                        platform = interned.setdefault(platform, platform)
                        self._map[record.values["profile_id"].strip()] = platform
        return self._map

    def of(self, profile_id: str, column_value: str | None = None) -> str:
        """The platform of ``profile_id``; ValueError when it cannot be known."""
        if column_value:
            # Millions of follows name a handful of platforms: normalise each name once.
            platform = self._named.get(column_value)
            if platform is None:
                platform = self._named.setdefault(column_value, normalise_platform(column_value))
            return platform
        if self.default:
            return self.default
        known = self._load()
        if profile_id in known:
            return known[profile_id]
        platforms = set(known.values())
        if len(platforms) == 1:
            return platforms.pop()
        raise ValueError(
            "unknown profile id (not in profiles.csv); add the profile, a platform column "
            "or --platform"
        )

    def key(self, reference: str) -> str:
        """A brand's official id: a full ``platform:id`` key, or a bundle id.

        A reference starting with a platform name and ``:`` is taken as a full key without
        loading the profiles map (so a huge bundle with such brands streams flat).
        """
        prefix, _, rest = reference.partition(":")
        if rest and prefix in PLATFORMS:
            return reference
        return profile_key(self.of(reference), reference)


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split("|") if part.strip()]


EXTRA_CELLS_REASON = "more cells than header columns; quote values that contain the delimiter"


def _extra_cells(record: CsvRecord, source: str, kind: str) -> Rejected | None:
    if EXTRA_CELLS in record.values:
        return Rejected(
            source,
            record.line,
            kind,
            None,
            EXTRA_CELLS_REASON,
        )
    return None


def _brands(record: CsvRecord, source: str, platforms: _Platforms, options: ReadOptions) -> Item:
    values = record.values
    try:
        keys = [
            platforms.key(reference) for reference in _split(values.get("official_profile_ids"))
        ]
    except ValueError as error:
        return Rejected(source, record.line, "brand", "official_profile_ids", str(error))
    is_own = (values.get("is_own") or "").strip().lower() in {"1", "true", "yes", "y", "own"}
    fields = {"name": values.get("name"), "is_own": is_own, "official_keys": keys}
    return build(BrandRow, source, record.line, fields, max_text_chars=options.max_text_chars)


def _customers(record: CsvRecord, source: str, platforms: _Platforms, options: ReadOptions) -> Item:
    values = record.values
    fields: dict[str, Any] = {name: values.get(name) for name in CUSTOMER_COLUMNS}
    fields["twitter_handle"] = normalise_handle(values.get("twitter_handle"))
    extra = {}
    for column, value in values.items():
        if column in CUSTOMER_COLUMNS or column == "twitter_handle" or not value.strip():
            continue
        name = _PROPERTY_NAME.sub("_", column.strip().lower()).strip("_")
        if name and name not in CUSTOMER_COLUMNS:
            extra[f"x_{name}"] = value.strip()
    fields["extra"] = extra
    return build(CustomerRow, source, record.line, fields, max_text_chars=options.max_text_chars)


def _profiles(record: CsvRecord, source: str, platforms: _Platforms, options: ReadOptions) -> Item:
    values = record.values
    fields: dict[str, Any] = {name: values.get(name) for name in PROFILE_COLUMNS}
    fields["handle"] = normalise_handle(values.get("handle"))
    fields["native_id"] = values.get("profile_id")
    fields["platform"] = values.get("platform") or platforms.default
    if not fields["platform"]:
        return Rejected(source, record.line, "profile", "platform", "missing; or give --platform")
    return build(ProfileRow, source, record.line, fields, max_text_chars=options.max_text_chars)


FOLLOW_BLOCK_ROWS = 2_000


def _follow_key(cells: list[str], at: int, platform_at: int | None, platforms: _Platforms) -> str:
    """The profile key in ``cells[at]``; ValueError with the reason when it is not valid."""
    native_id = cells[at].strip()
    if not native_id:
        raise ValueError("missing")
    platform = platforms.of(native_id, None if platform_at is None else cells[platform_at])
    if has_broken_encoding(native_id):
        raise ValueError("broken encoding")
    if len(native_id) > MAX_KEY_LENGTH:
        raise ValueError("id too long")
    return f"{platform}:{native_id}"


def _follows(table: CsvFile, source: str, platforms: _Platforms) -> Iterator[Item]:
    """follows.csv as :class:`FollowBlock` items (the bulk of a large load, so no model and
    no dict per row) and a :class:`Rejected` per bad row, checked as FollowRow would be."""
    index = {name: position for position, name in enumerate(table.header)}
    sides = [
        (f"{side}_profile_id", index[f"{side}_profile_id"], index.get(f"{side}_platform"))
        for side in ("follower", "followed")
    ]
    width = len(table.header)
    pairs: list[tuple[str, str]] = []
    for line, cells in table.cells():
        if len(cells) > width:
            yield Rejected(source, line, "follow", None, EXTRA_CELLS_REASON)
            continue
        keys = []
        for column, at, platform_at in sides:
            try:
                keys.append(_follow_key(cells, at, platform_at, platforms))
            except ValueError as error:  # the first side that does not check out
                yield Rejected(source, line, "follow", column, str(error))
                break
        if len(keys) < 2:
            continue
        pairs.append((keys[0], keys[1]))
        if len(pairs) >= FOLLOW_BLOCK_ROWS:
            yield FollowBlock(pairs)
            pairs = []
    if pairs:
        yield FollowBlock(pairs)


def _posts(record: CsvRecord, source: str, platforms: _Platforms, options: ReadOptions) -> Item:
    values = record.values
    author = (values.get("profile_id") or "").strip()
    if not author:
        return Rejected(source, record.line, "post", "profile_id", "missing")
    try:
        platform = platforms.of(author, values.get("platform"))
    except ValueError as error:
        return Rejected(source, record.line, "post", "profile_id", str(error))
    fields: dict[str, Any] = {
        "platform": platform,
        "native_id": values.get("post_id"),
        "author_key": profile_key(platform, author),
        "created_at": values.get("created_at"),
        "text": values.get("text"),
        "mentioned_keys": [
            profile_key(platform, mentioned)
            for mentioned in _split(values.get("mentioned_profile_ids"))
        ],
    }
    for column, field in (
        ("reply_to_post_id", "reply_to_key"),
        ("quote_of_post_id", "quote_of_key"),
        ("repost_of_post_id", "repost_of_key"),
    ):
        target = (values.get(column) or "").strip()
        if target:
            fields[field] = profile_key(platform, target)
    return build(PostRow, source, record.line, fields, max_text_chars=options.max_text_chars)


_ROW_BUILDERS = {
    "brands.csv": _brands,
    "customers.csv": _customers,
    "profiles.csv": _profiles,
    "posts.csv": _posts,
}


def read(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Stream the rows of the bundle at ``path`` (a folder, or one bundle file).

    Every file's header is checked before the first row is yielded, so a wrong header fails
    the job before anything is written.
    """
    files = _files(path)
    if not files:
        raise IngestError(
            f"{path}: not a canonical bundle (no {', '.join(BUNDLE_FILES)}). "
            "Check the folder or choose another --format."
        )
    for file in files:
        open_csv(file, required=REQUIRED[file.name]).close()
    folder = path if path.is_dir() else path.parent
    platforms = _Platforms(folder, options)
    for file in files:
        source = str(file)
        kind = file.name.removesuffix("s.csv")
        with open_csv(file, required=REQUIRED[file.name]) as table:
            if file.name == "follows.csv":
                yield from _follows(table, source, platforms)
                continue
            make = _ROW_BUILDERS[file.name]
            for record in table:
                yield _extra_cells(record, source, kind) or make(record, source, platforms, options)
