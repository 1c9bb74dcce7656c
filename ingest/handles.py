"""Small parsing helpers the CRM and social readers share: handles, profile URLs, JSON files.

Kept apart from the readers so each reader module holds one format family only.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote, urlparse

from srm.errors import IngestError
from srm.ingest.csvio import open_csv
from srm.ingest.quarantine import Rejected

__all__ = [
    "JSON_SAMPLE_BYTES",
    "JsonDocument",
    "as_text",
    "column_key",
    "json_head",
    "linkedin_slug",
    "load_json_documents",
    "parse_twitter_date",
    "table_header",
    "with_pointer",
    "x_handle",
]

JSON_SAMPLE_BYTES = 64 * 1024
# X: 1–15 letters, digits, underscores (the platform's own rule).
_CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
# The usual shape of a member address; anything else goes through the full URL parser.
_LINKEDIN_PROFILE = re.compile(
    r"(?:https?://)?(?:[a-z]{2,3}\.|www\.)?linkedin\.com/in/([^/?#\s]+)/?", re.IGNORECASE
)
_X_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")
_X_HOSTS = {"twitter.com", "www.twitter.com", "x.com", "www.x.com", "mobile.twitter.com"}


def column_key(name: str) -> str:
    """A column name compared loosely: lower case, letters and digits only
    (``Account.Name``, ``ACCOUNTNAME`` and ``Account Name`` are one column)."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


def table_header(path: Path) -> list[str] | None:
    """The header of a CSV file (note lines skipped), or None if ``path`` is not one."""
    if not path.is_file() or path.suffix.lower() not in _CSV_SUFFIXES:
        return None
    try:
        with open_csv(path, header_hint=lambda cells: sum(1 for c in cells if c) >= 3) as table:
            return table.header
    except (IngestError, OSError, UnicodeError):
        return None


def as_text(value: Any) -> str | None:
    """``value`` as a string (numbers included), or None for null/empty/containers."""
    if value is None or isinstance(value, dict | list | bool):
        return None
    text = str(value).strip()
    return text or None


def x_handle(value: str | None) -> str | None:
    """An X handle from ``@name``, ``name`` or a profile URL; raises ValueError if invalid."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if "/" in text:
        parsed = urlparse(text if "://" in text else f"https://{text}")
        if (parsed.hostname or "").lower() not in _X_HOSTS:
            raise ValueError("not an X profile address")
        text = parsed.path.strip("/").split("/")[0]
    text = text.removeprefix("@")
    if not _X_HANDLE.fullmatch(text):
        raise ValueError("not a valid X handle (1–15 letters, digits or _)")
    return text.lower()


def linkedin_slug(url: str | None) -> str | None:
    """The public-profile slug of a LinkedIn ``/in/<slug>`` URL (lower case, decoded).

    Raises ValueError for an address that is not a LinkedIn member profile.
    """
    if url is None or not url.strip():
        return None
    text = url.strip()
    common = _LINKEDIN_PROFILE.fullmatch(text)
    if common:
        return unquote(common[1]).lower()
    parsed = urlparse(text if "://" in text else f"https://{text}")
    host = (parsed.hostname or "").lower()
    parts = [part for part in parsed.path.split("/") if part]
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        raise ValueError("not a LinkedIn address")
    if len(parts) < 2 or parts[0] != "in":
        raise ValueError("not a LinkedIn member profile address (…/in/<name>)")
    return unquote(parts[1]).lower()


def parse_twitter_date(value: str | None) -> str | None:
    """ISO text for X's classic ``Tue Feb 20 09:00:00 +0000 2024`` dates.

    Anything else is returned unchanged so the row model accepts ISO dates and rejects
    nonsense with the field named.
    """
    if value is None:
        return None
    try:
        return datetime.strptime(value.strip(), "%a %b %d %H:%M:%S %z %Y").isoformat()
    except ValueError:
        return value


def with_pointer(item: Any, pointer: str) -> Any:
    """``item`` unchanged, or a :class:`Rejected` whose reason starts with the JSON pointer
    of the record in its file (``at /data/3: …``), as JSON has no useful line numbers."""
    if isinstance(item, Rejected):
        return dataclasses.replace(item, reason=f"at {pointer}: {item.reason}")
    return item


def json_head(path: Path) -> str:
    """The first bytes of ``path`` as text (for cheap format detection); '' if unreadable."""
    try:
        with path.open("rb") as handle:
            return handle.read(JSON_SAMPLE_BYTES).decode("utf-8-sig", errors="replace")
    except OSError:
        return ""


class JsonDocument(NamedTuple):
    """One JSON document of a file: its line (None for a whole-file document), its value,
    or why that line is not JSON (then ``value`` is None)."""

    line: int | None
    value: Any
    error: str | None = None


def load_json_documents(
    path: Path, prefix: re.Pattern[str] | None = None
) -> Iterator[JsonDocument]:
    """The JSON documents in ``path``: one whole-file document, or one per line (JSON lines).

    JSON lines are streamed (collectors write files of millions of lines), a whole-file
    document is parsed at once. ``prefix`` (e.g. X's ``window.YTD.tweets.part0 =``) is
    stripped first. A file that is neither raises :class:`IngestError` naming the file and
    line; in a JSON-lines file a bad line is reported as a document with ``error`` set, so
    the other lines still load.
    """
    if not path.is_file():
        raise IngestError(f"{path}: no such file. Check the path and try again.")
    if prefix is None and _is_json_lines(path):
        with path.open(encoding="utf-8-sig", errors="surrogateescape") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    yield JsonDocument(number, json.loads(line))
                except json.JSONDecodeError as error:
                    yield JsonDocument(number, None, f"not valid JSON ({error.msg})")
        return
    text = path.read_text(encoding="utf-8-sig", errors="surrogateescape")
    if not text.strip():
        raise IngestError(f"{path}: the file is empty. Export it again.")
    if prefix is not None:
        text = prefix.sub("", text, count=1)
    try:
        yield JsonDocument(None, json.loads(text))
    except json.JSONDecodeError as error:
        raise IngestError(
            f"{path}: not valid JSON (line {error.lineno}: {error.msg}). "
            "Export the data again or pick the right --format."
        ) from None


def _is_json_lines(path: Path) -> bool:
    """True when the first non-blank line is a whole JSON value and another line follows."""
    with path.open(encoding="utf-8-sig", errors="surrogateescape") as handle:
        lines = (line for line in handle if line.strip())
        first = next(lines, None)
        if first is None:
            return False
        try:
            json.loads(first)
        except json.JSONDecodeError:
            return False
        return next(lines, None) is not None
