"""LinkedIn's ``Connections.csv``: the member's connections as ``linkedin`` profiles.

The export starts with note lines above the header ``First Name,Last Name,URL,Email
Address,Company,Position,Connected On``. Connections are people on LinkedIn, not customers:
each becomes a profile keyed by the slug of its ``/in/<slug>`` address, with position and
company as its headline. Email addresses in the file are not loaded. A connection without
an address (members can hide it) cannot be keyed and is quarantined.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from srm.errors import IngestError
from srm.ingest.csvio import open_csv
from srm.ingest.formats import Item, ReadOptions
from srm.ingest.handles import column_key, linkedin_slug, table_header
from srm.ingest.quarantine import Rejected
from srm.ingest.rows import FollowRow, ProfileRow, profile_key
from srm.ingest.validate import build

__all__ = ["detect", "read"]


def detect(path: Path) -> bool:
    """LinkedIn's ``Connections.csv``: First Name, Last Name, URL … Connected On."""
    header = table_header(path)
    if header is None:
        return False
    names = {column_key(cell) for cell in header}
    return {"firstname", "lastname", "url", "connectedon"} <= names


def _owner_key(options: ReadOptions) -> str | None:
    owner = options.extra.get("owner")
    if not owner:
        return None
    owner = str(owner)
    if owner.startswith("linkedin:"):
        return owner
    slug = linkedin_slug(owner) if "/" in owner else owner.lower()
    return profile_key("linkedin", str(slug))


def _is_connections_header(cells: list[str]) -> bool:
    return {"firstname", "url"} <= {column_key(cell) for cell in cells}


def read(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Profiles from LinkedIn's ``Connections.csv`` (note lines above the header skipped).

    With ``options.extra["owner"]`` (the exporting member's slug or URL) each connection
    also becomes a pair of FOLLOWS edges, as a LinkedIn connection is mutual.
    """
    source = str(path)
    owner = _owner_key(options)
    with open_csv(path, header_hint=_is_connections_header) as table:
        columns = {column_key(cell): cell for cell in table.header}
        if "url" not in columns:
            raise IngestError(
                f"{path}: wrong header, no URL column. Export Connections.csv again or "
                "choose the right --format."
            )
        for record in table:
            values = {name: record.values.get(cell, "").strip() for name, cell in columns.items()}
            try:
                slug = linkedin_slug(values.get("url"))
            except ValueError as error:
                yield Rejected(source, record.line, "profile", "URL", str(error))
                continue
            if slug is None:
                yield Rejected(
                    source,
                    record.line,
                    "profile",
                    "URL",
                    "no profile address (the member hides it); nothing to key the profile by",
                )
                continue
            name = " ".join(
                part for part in (values.get("firstname"), values.get("lastname")) if part
            )
            headline = " · ".join(
                part for part in (values.get("position"), values.get("company")) if part
            )
            row = build(
                ProfileRow,
                source,
                record.line,
                {
                    "platform": "linkedin",
                    "native_id": slug,
                    "handle": slug,
                    "display_name": name,
                    "bio": headline,
                    "url": f"https://www.linkedin.com/in/{slug}",
                },
                max_text_chars=options.max_text_chars,
            )
            yield row
            if owner and isinstance(row, ProfileRow):
                yield FollowRow(follower_key=owner, followed_key=row.profile_key)
                yield FollowRow(follower_key=row.profile_key, followed_key=owner)
