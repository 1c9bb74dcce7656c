"""Mastodon: REST API JSON and the account export.

API JSON: arrays (or JSON lines) of accounts and statuses as ``/api/v1`` returns them, or
a search result ``{"accounts": […], "statuses": […]}``. A status gives its author, its
``mentions``, ``in_reply_to_id`` (resolved to the parent's URI when the parent is in the same
file), a boosted status in ``reblog`` and, on servers with quotes, ``quote``. A follower or
following list needs its subject: ``options.extra["owner"]`` or a file name such as
``followers_ana@mastodon.social.json``.

Account export ("Request your archive" plus the CSV data export): a folder (or single
files) with ``actor.json`` (the owner), ``outbox.json`` (ActivityStreams ``Create`` of
``Note`` and ``Announce`` activities) and ``following_accounts.csv``.

Keys: an account is ``mastodon:user@instance`` (lower case; the local API id is only unique
on one server), a post ``mastodon:<status URI>`` (the ActivityPub id, the same from any
server and in the export). Handles are ``user@instance``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from srm.errors import IngestError
from srm.ingest.csvio import open_csv
from srm.ingest.formats import Item, ReadOptions
from srm.ingest.handles import as_text, json_head, load_json_documents, with_pointer
from srm.ingest.quarantine import Rejected
from srm.ingest.rows import FollowRow, PostRow, ProfileRow, profile_key
from srm.ingest.validate import build, present

__all__ = ["account_address", "detect", "read"]

_ACCT = re.compile(r"@?(?P<user>[A-Za-z0-9_.\-]+)@(?P<host>[A-Za-z0-9.\-]+\.[A-Za-z]{2,})")
_LIST_FILE = re.compile(r"(?P<kind>followers|following)[_\-.](?P<subject>.+@.+)", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
_BREAKS = re.compile(r"<br\s*/?>|</p>\s*<p>", re.IGNORECASE)
_EXPORT_FILES = ("actor.json", "outbox.json", "following_accounts.csv")


def _key(native_id: str) -> str:
    return profile_key("mastodon", native_id)


def html_text(value: Any) -> str | None:
    """Plain text of a status or bio (Mastodon sends HTML): tags dropped, entities decoded."""
    text = as_text(value)
    if text is None:
        return None
    return html.unescape(_TAGS.sub("", _BREAKS.sub("\n", text))).strip() or None


def account_address(acct: str | None, url: str | None = None) -> str | None:
    """``user@instance`` (lower case) from an ``acct`` and, for a local ``acct``, the
    account's URL (``https://instance/@user`` or an ActivityPub ``…/users/user``)."""
    text = (acct or "").strip().removeprefix("@")
    match = _ACCT.fullmatch(text)
    if match:
        return f"{match['user']}@{match['host']}".lower()
    parsed = urlparse(url or "")
    parts = [part for part in parsed.path.split("/") if part]
    if not parsed.hostname or not parts:
        return None
    if parts[0].startswith("@"):
        user = parts[0][1:]
    elif parts[0] == "users" and len(parts) > 1:
        user = parts[1]
    else:
        user = text
    user = user or text
    return f"{user}@{parsed.hostname}".lower() if user and "@" not in user else None


def detect(path: Path) -> bool:
    """Mastodon API JSON (``acct`` fields), an export folder, outbox/actor JSON with an
    ActivityStreams context, or ``following_accounts.csv`` (header ``Account address``)."""
    if path.is_dir():
        return (path / "outbox.json").is_file() or (path / "following_accounts.csv").is_file()
    if not path.is_file():
        return False
    head = json_head(path)
    if path.suffix.lower() == ".csv":
        return head.lstrip("\ufeff").lower().startswith("account address,")
    if path.suffix.lower() not in {".json", ".jsonl", ".ndjson"}:
        return False
    if "activitystreams" in head and ('"orderedItems"' in head or '"preferredUsername"' in head):
        return True
    return '"acct"' in head and '"username"' in head


def _account_row(
    account: Mapping[str, Any], source: str, line: int | None, options: ReadOptions
) -> Item:
    address = account_address(as_text(account.get("acct")), as_text(account.get("url")))
    fields = {
        "platform": "mastodon",
        "native_id": address,
        "handle": address,
        "display_name": as_text(account.get("display_name")),
        "bio": html_text(account.get("note")),
        "url": as_text(account.get("url")),
        "followers_count": account.get("followers_count"),
        "following_count": account.get("following_count"),
        "posts_count": account.get("statuses_count"),
        "created_at": as_text(account.get("created_at")),
    }
    return build(ProfileRow, source, line, present(fields), max_text_chars=options.max_text_chars)


def _status_key(status: Mapping[str, Any]) -> str | None:
    uri = as_text(status.get("uri")) or as_text(status.get("url"))
    return _key(uri) if uri else None


class _ApiFile:
    """Rows of one API JSON file; statuses are indexed first so replies can find parents."""

    def __init__(self, path: Path, options: ReadOptions) -> None:
        self.path, self.source, self.options = path, str(path), options
        self.seen: set[str] = set()
        self.uri_by_id: dict[str, str] = {}

    def rows(self, records: list[tuple[int | None, str, Any]]) -> Iterator[Item]:
        for _, _, record in records:
            for status in (record, record.get("reblog") if isinstance(record, dict) else None):
                if isinstance(status, dict) and "account" in status and status.get("id"):
                    key = _status_key(status)
                    if key:
                        self.uri_by_id[str(status["id"])] = key
        subject = _list_subject(self.path, self.options)
        for line, pointer, record in records:
            if isinstance(record, str):
                yield Rejected(self.source, line, "record", None, record)
            elif not isinstance(record, dict):
                yield Rejected(self.source, line, "record", None, f"at {pointer}: not an object")
            elif "content" in record or "reblog" in record:
                for item in self._status(record, line):
                    yield with_pointer(item, pointer)
            else:
                row = _account_row(record, self.source, line, self.options)
                if isinstance(row, ProfileRow) and subject is not None:
                    kind, owner = subject
                    pair = (
                        (row.profile_key, owner)
                        if kind == "followers"
                        else (owner, row.profile_key)
                    )
                    yield FollowRow(follower_key=pair[0], followed_key=pair[1])
                yield from self._once(with_pointer(row, pointer))

    def _once(self, row: Item) -> Iterator[Item]:
        key = getattr(row, "profile_key", None) or getattr(row, "post_key", None)
        if key is None or key not in self.seen:
            if key is not None:
                self.seen.add(key)
            yield row

    def _status(self, status: Mapping[str, Any], line: int | None) -> Iterator[Item]:
        account = status.get("account")
        author = None
        if isinstance(account, dict):
            profile = _account_row(account, self.source, line, self.options)
            yield from self._once(profile)
            author = getattr(profile, "profile_key", None)
        mentioned = []
        for mention in status.get("mentions") or []:
            if isinstance(mention, dict):
                address = account_address(as_text(mention.get("acct")), as_text(mention.get("url")))
                if address and _key(address) not in mentioned:
                    mentioned.append(_key(address))
        fields: dict[str, Any] = {
            "platform": "mastodon",
            "native_id": as_text(status.get("uri")) or as_text(status.get("url")),
            "author_key": author,
            "created_at": as_text(status.get("created_at")),
            "text": html_text(status.get("content")),
            "mentioned_keys": mentioned,
            "reply_to_key": self.uri_by_id.get(str(status.get("in_reply_to_id"))),
        }
        reblog = status.get("reblog")
        if isinstance(reblog, dict):
            fields["repost_of_key"] = _status_key(reblog)
            yield from self._status(reblog, line)
        quote = status.get("quote")
        quoted = quote.get("quoted_status") if isinstance(quote, dict) else None
        if isinstance(quoted, dict):
            fields["quote_of_key"] = _status_key(quoted)
            yield from self._status(quoted, line)
        yield from self._once(
            build(
                PostRow,
                self.source,
                line,
                present(fields),
                max_text_chars=self.options.max_text_chars,
            )
        )


def _list_subject(path: Path, options: ReadOptions) -> tuple[str, str] | None:
    match = _LIST_FILE.search(path.stem)
    if match is None:
        return None
    kind = match["kind"].lower()
    owner = options.extra.get("owner") or match["subject"]
    address = account_address(str(owner).removeprefix("mastodon:"))
    return (kind, _key(address)) if address else None


def _api_records(path: Path) -> Iterator[tuple[int | None, str, Any]]:
    """(line, JSON pointer, record) of every account or status object in an API file."""
    for document in load_json_documents(path):
        if document.error is not None:
            yield document.line, "/", document.error
            continue
        value = document.value
        if isinstance(value, list):
            yield from ((document.line, f"/{index}", item) for index, item in enumerate(value))
        elif isinstance(value, dict) and ({"accounts", "statuses"} & value.keys()):
            for name in ("accounts", "statuses"):
                for index, item in enumerate(value.get(name) or []):
                    yield document.line, f"/{name}/{index}", item
        else:
            yield document.line, "/", value


def read(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Profiles, posts and follows from Mastodon API JSON or an account export."""
    files = (
        [path / name for name in _EXPORT_FILES if (path / name).is_file()]
        if path.is_dir()
        else [path]
    )
    if not files:
        raise IngestError(
            f"{path}: no Mastodon export files ({', '.join(_EXPORT_FILES)}). Check the folder "
            "or choose the right --format."
        )
    folder = path if path.is_dir() else path.parent
    for file in files:
        head = json_head(file)
        if file.suffix.lower() == ".csv":
            yield from _following_csv(file, _export_owner(folder, options, file), options)
        elif '"orderedItems"' in head:
            yield from _outbox(file, options)
        elif '"preferredUsername"' in head:
            yield _actor_row(file, options)
        else:
            yield from _ApiFile(file, options).rows(list(_api_records(file)))


def _actor(folder: Path) -> dict[str, Any] | None:
    actor_file = folder / "actor.json"
    if not actor_file.is_file():
        return None
    actor = next(load_json_documents(actor_file)).value
    return actor if isinstance(actor, dict) else None


def _actor_address(actor: Mapping[str, Any]) -> str | None:
    username = as_text(actor.get("preferredUsername"))
    host = urlparse(str(actor.get("id", ""))).hostname
    return f"{username}@{host}".lower() if username and host else None


def _export_owner(folder: Path, options: ReadOptions, file: Path) -> str:
    owner = options.extra.get("owner")
    actor = _actor(folder)
    address = account_address(str(owner).removeprefix("mastodon:")) if owner else None
    address = address or (_actor_address(actor) if actor else None)
    if address is None:
        raise IngestError(
            f"{file}: whose follows these are is unknown. Put actor.json from the same "
            "export next to it, or give the owner (user@instance)."
        )
    return _key(address)


def _actor_row(file: Path, options: ReadOptions) -> Item:
    actor = (
        _actor(file.parent) if file.name == "actor.json" else next(load_json_documents(file)).value
    )
    actor = actor if isinstance(actor, dict) else {}
    address = _actor_address(actor)
    fields = {
        "platform": "mastodon",
        "native_id": address,
        "handle": address,
        "display_name": as_text(actor.get("name")),
        "bio": html_text(actor.get("summary")),
        "url": as_text(actor.get("url")),
        "created_at": as_text(actor.get("published")),
    }
    return build(
        ProfileRow, str(file), None, present(fields), max_text_chars=options.max_text_chars
    )


def _following_csv(file: Path, owner_key: str, options: ReadOptions) -> Iterator[Item]:
    source = str(file)
    with open_csv(file, required=("Account address",)) as table:
        for record in table:
            address = account_address(record.values["Account address"])
            if address is None:
                yield Rejected(
                    source, record.line, "follow", "Account address", "not a user@instance address"
                )
                continue
            yield FollowRow(follower_key=owner_key, followed_key=_key(address))


def _outbox(file: Path, options: ReadOptions) -> Iterator[Item]:
    source = str(file)
    collection = next(load_json_documents(file)).value
    items = collection.get("orderedItems") if isinstance(collection, dict) else None
    for index, activity in enumerate(items or []):
        if not isinstance(activity, dict) or activity.get("type") not in {"Create", "Announce"}:
            continue
        actor = account_address(None, as_text(activity.get("actor")))
        note = activity.get("object")
        fields: dict[str, Any] = {
            "platform": "mastodon",
            "author_key": _key(actor) if actor else None,
        }
        if activity["type"] == "Announce":
            target = as_text(note) or (as_text(note.get("id")) if isinstance(note, dict) else None)
            fields.update(
                native_id=as_text(activity.get("id")),
                created_at=as_text(activity.get("published")),
                repost_of_key=_key(target) if target else None,
            )
        elif isinstance(note, dict):
            quote = as_text(
                note.get("quoteUri") or note.get("quoteUrl") or note.get("_misskey_quote")
            )
            reply = as_text(note.get("inReplyTo"))
            fields.update(
                native_id=as_text(note.get("id")),
                created_at=as_text(note.get("published") or activity.get("published")),
                text=html_text(note.get("content")),
                mentioned_keys=_note_mentions(note),
                reply_to_key=_key(reply) if reply else None,
                quote_of_key=_key(quote) if quote else None,
            )
        else:
            continue
        row = build(PostRow, source, None, present(fields), max_text_chars=options.max_text_chars)
        yield with_pointer(row, f"/orderedItems/{index}")


def _note_mentions(note: Mapping[str, Any]) -> list[str]:
    mentioned: list[str] = []
    for tag in note.get("tag") or []:
        if isinstance(tag, dict) and tag.get("type") == "Mention":
            address = account_address(as_text(tag.get("name")), as_text(tag.get("href")))
            if address and _key(address) not in mentioned:
                mentioned.append(_key(address))
    return mentioned
