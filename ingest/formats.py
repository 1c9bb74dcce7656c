"""The registry of input formats: a name, a ``detect(path)`` and a ``read(path, options)``.

A reader is any module with two functions:

- ``detect(path: Path) -> bool``: cheap (look at names, a header, the first bytes); true
  when this reader understands ``path`` (a file or a folder).
- ``read(path: Path, options: ReadOptions) -> Iterator[Item]``: stream the rows of
  :mod:`srm.ingest.rows` (``CustomerRow``, ``ProfileRow``, ``FollowRow`` — or, from the
  bundle, ``FollowBlock`` —, ``PostRow``, ``BrandRow``) and, for records that fail
  validation, :class:`~srm.ingest.quarantine.Rejected`
  (see :func:`srm.ingest.validate.build`, which makes either from raw fields). Raise
  :class:`~srm.errors.IngestError` for a file that cannot be read at all (wrong header, …).

Adding a format is one line in :data:`_BUILTIN` below (functions named as
``"module:function"`` strings, imported on first use so readers can import this module).
Auto-detection asks the formats in that order and takes the first that says yes, so list
specific formats before general ones.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

from pydantic import BaseModel

from srm.errors import IngestError

__all__ = [
    "Format",
    "Item",
    "ReadOptions",
    "detect_format",
    "format_names",
    "get_format",
    "register",
]

# A validated row (a pydantic model from srm.ingest.rows) or a Rejected record.
Item: TypeAlias = Any


@dataclass(frozen=True)
class ReadOptions:
    """What a reader may need beyond the path.

    ``platform``: the platform of a single-platform input that does not say it (``--platform``).
    ``column_map``: canonical field → the input's column name (``--map email=E-mail``).
    ``max_text_chars``: longer texts/bios are truncated and flagged.
    """

    platform: str | None = None
    column_map: dict[str, str] = field(default_factory=dict)
    max_text_chars: int = 10_000
    extra: dict[str, Any] = field(default_factory=dict)


Detect = Callable[[Path], bool]
Read = Callable[[Path, ReadOptions], Iterator[BaseModel | Any]]


@dataclass(frozen=True)
class Format:
    """A registered input format. ``detect``/``read`` are callables or ``"module:function"``."""

    name: str
    detect_ref: Detect | str
    read_ref: Read | str
    description: str = ""

    @staticmethod
    def _resolve(reference: Callable[..., Any] | str) -> Callable[..., Any]:
        if callable(reference):
            return reference
        module_name, _, attribute = reference.partition(":")
        return getattr(importlib.import_module(module_name), attribute)

    def detect(self, path: Path) -> bool:
        return bool(self._resolve(self.detect_ref)(path))

    def read(self, path: Path, options: ReadOptions) -> Iterator[Item]:
        reader: Read = self._resolve(self.read_ref)
        return iter(reader(path, options))


_REGISTRY: dict[str, Format] = {}


def register(name: str, detect: Detect | str, read: Read | str, description: str = "") -> Format:
    """Add (or replace) a format; auto-detection tries formats in registration order."""
    entry = Format(name, detect, read, description)
    _REGISTRY[name] = entry
    return entry


def format_names() -> list[str]:
    """Registered format names, in detection order."""
    return list(_REGISTRY)


def get_format(name: str) -> Format:
    """The format called ``name``; :class:`IngestError` naming the known ones otherwise."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise IngestError(
            f"Unknown format '{name}'. Use one of: auto, {', '.join(format_names())}."
        ) from None


def detect_format(path: Path) -> Format:
    """The first registered format whose ``detect`` accepts ``path``.

    Raises :class:`IngestError` if the path is missing or nothing recognises it.
    """
    if not path.exists():
        raise IngestError(f"{path}: no such file or folder. Check the path and try again.")
    for entry in _REGISTRY.values():
        if entry.detect(path):
            return entry
    raise IngestError(
        f"{path}: cannot tell its format. Name it with --format "
        f"({', '.join(format_names())}); a canonical bundle is a folder with "
        "customers.csv / profiles.csv / follows.csv / posts.csv."
    )


# name, detect, read, description — one line per format; more specific formats first.
_BUILTIN: tuple[tuple[str, str, str, str], ...] = (
    (
        "bundle",
        "srm.ingest.readers.bundle:detect",
        "srm.ingest.readers.bundle:read",
        "canonical CSV bundle",
    ),
    (
        "linkedin",
        "srm.ingest.readers.linkedin:detect",
        "srm.ingest.readers.linkedin:read",
        "LinkedIn Connections.csv",
    ),
    (
        "hubspot",
        "srm.ingest.readers.crm:detect_hubspot",
        "srm.ingest.readers.crm:read_hubspot",
        "HubSpot contacts export",
    ),
    (
        "salesforce",
        "srm.ingest.readers.crm:detect_salesforce",
        "srm.ingest.readers.crm:read_salesforce",
        "Salesforce contacts export",
    ),
    (
        "x-archive",
        "srm.ingest.readers.x:detect_archive",
        "srm.ingest.readers.x:read_archive",
        "X account archive",
    ),
    (
        "x-api",
        "srm.ingest.readers.x:detect_api",
        "srm.ingest.readers.x:read_api",
        "X API v2 JSON responses",
    ),
    (
        "bluesky",
        "srm.ingest.readers.bluesky:detect",
        "srm.ingest.readers.bluesky:read",
        "Bluesky records, profile views",
    ),
    (
        "mastodon",
        "srm.ingest.readers.mastodon:detect",
        "srm.ingest.readers.mastodon:read",
        "Mastodon API JSON, account export",
    ),
    (
        "csv",
        "srm.ingest.readers.crm:detect_csv",
        "srm.ingest.readers.crm:read_csv",
        "any customer CSV with --map",
    ),
)

for _name, _detect, _read, _description in _BUILTIN:
    register(_name, _detect, _read, _description)
