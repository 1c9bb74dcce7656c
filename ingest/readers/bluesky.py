"""Bluesky (AT Protocol): repository records and profile views as JSON.

Records come as ``com.atproto.repo.listRecords`` responses (``{"records": [{"uri", "cid",
"value"}]}``), as a list of such records, or one per line. The record's ``$type`` says what
it is:

- ``app.bsky.actor.profile``: display name and description of the repo's account;
- ``app.bsky.graph.follow``: the repo's account follows ``subject`` (a DID);
- ``app.bsky.feed.post``: text, mentions (``app.bsky.richtext.facet#mention`` facets carry
  the mentioned DID), ``reply.parent`` (the post replied to), quotes (``embed`` of type
  ``app.bsky.embed.record``, or ``recordWithMedia``);
- ``app.bsky.feed.repost``: a repost of ``subject.uri``.

Other record types (likes, blocks, lists) are skipped. Profile views from
``app.bsky.actor.getProfile(s)``, ``getFollowers`` and ``getFollows`` (``subject`` plus a list)
add handles and counts, which records do not have.

Keys: a profile is ``bluesky:<DID>`` (handles are domain names and can change, the DID
stays); a post is ``bluesky:<at:// URI>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from srm.errors import IngestError
from srm.ingest.formats import Item, ReadOptions
from srm.ingest.handles import as_text, json_head, load_json_documents, with_pointer
from srm.ingest.quarantine import Rejected
from srm.ingest.rows import FollowRow, PostRow, ProfileRow, profile_key
from srm.ingest.validate import build, present

__all__ = ["detect", "read"]

_DID = re.compile(r"did:(?:plc|web):[A-Za-z0-9._:%\-]+")
_AT_URI = re.compile(r"at://(?P<repo>[^/]+)/(?P<collection>[^/]+)/(?P<rkey>[^/]+)")
_MENTION = "app.bsky.richtext.facet#mention"
_JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
# Record types SRM loads, with the row kind each becomes (others, such as likes, are skipped).
_KINDS = {
    "app.bsky.actor.profile": "profile",
    "app.bsky.graph.follow": "follow",
    "app.bsky.feed.post": "post",
    "app.bsky.feed.repost": "post",
}


def _key(native_id: str) -> str:
    return profile_key("bluesky", native_id)


def _did(value: Any) -> str | None:
    text = as_text(value)
    return text if text and _DID.fullmatch(text) else None


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _post_key(uri: Any) -> str | None:
    text = as_text(uri)
    return _key(text) if text and _AT_URI.fullmatch(text) else None


def detect(path: Path) -> bool:
    """JSON with Bluesky's record types (``app.bsky.…``) or DIDs with handles; a folder of
    such files."""
    if path.is_dir():
        return any(detect(child) for child in sorted(path.iterdir()) if child.is_file())
    if not path.is_file() or path.suffix.lower() not in _JSON_SUFFIXES:
        return False
    head = json_head(path)
    return '"app.bsky.' in head or ('"did:' in head and '"handle"' in head)


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return [child for child in sorted(path.iterdir()) if child.is_file() and detect(child)]
    return [path]


def read(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Profiles, follows and posts from Bluesky record or profile-view JSON files."""
    files = _files(path)
    if not files:
        raise IngestError(
            f"{path}: no Bluesky JSON files (records with app.bsky.* types). Check the "
            "folder or choose the right --format."
        )
    for file in files:
        yield from _read_file(file, options)


def _entries(value: Any, line: int | None) -> Iterator[tuple[int | None, str, str, Any]]:
    """(line, pointer, kind, object): kind is ``record``, ``profile`` or ``follows``."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            kind = "record" if isinstance(item, dict) and "value" in item else "profile"
            yield line, f"/{index}", kind, item
    elif isinstance(value, dict) and "records" in value:
        for index, item in enumerate(value.get("records") or []):
            yield line, f"/records/{index}", "record", item
    elif isinstance(value, dict) and "profiles" in value:
        for index, item in enumerate(value.get("profiles") or []):
            yield line, f"/profiles/{index}", "profile", item
    elif isinstance(value, dict) and {"followers", "follows"} & value.keys():
        yield line, "/subject", "profile", value.get("subject")
        yield line, "/", "follows", value
    elif isinstance(value, dict) and "value" in value:
        yield line, "/", "record", value
    else:
        yield line, "/", "profile", value


def _read_file(file: Path, options: ReadOptions) -> Iterator[Item]:
    source = str(file)
    for document in load_json_documents(file):
        if document.error is not None:
            yield Rejected(source, document.line, "record", None, document.error)
            continue
        for line, pointer, kind, item in _entries(document.value, document.line):
            if not isinstance(item, dict):
                yield Rejected(source, line, "record", None, f"at {pointer}: not an object")
            elif kind == "record":
                for row in _record(item, source, line, options):
                    yield with_pointer(row, pointer)
            elif kind == "profile":
                yield with_pointer(_profile_view(item, source, line, options), pointer)
            else:
                yield from _follow_list(item, source, line, options)


def _profile_view(
    view: Mapping[str, Any], source: str, line: int | None, options: ReadOptions
) -> Item:
    fields = {
        "platform": "bluesky",
        "native_id": _did(view.get("did")),
        "handle": as_text(view.get("handle")),
        "display_name": as_text(view.get("displayName")),
        "bio": as_text(view.get("description")),
        "followers_count": view.get("followersCount"),
        "following_count": view.get("followsCount"),
        "posts_count": view.get("postsCount"),
        "created_at": as_text(view.get("createdAt")),
    }
    return build(ProfileRow, source, line, present(fields), max_text_chars=options.max_text_chars)


def _follow_list(
    response: Mapping[str, Any], source: str, line: int | None, options: ReadOptions
) -> Iterator[Item]:
    subject = _did((response.get("subject") or {}).get("did"))
    is_followers = "followers" in response
    name = "followers" if is_followers else "follows"
    for index, view in enumerate(response.get(name) or []):
        if not isinstance(view, dict):
            yield Rejected(source, line, "profile", None, f"at /{name}/{index}: not an object")
            continue
        row = with_pointer(_profile_view(view, source, line, options), f"/{name}/{index}")
        yield row
        if subject is not None and isinstance(row, ProfileRow):
            pair = (row.profile_key, _key(subject))
            follower, followed = pair if is_followers else pair[::-1]
            yield FollowRow(follower_key=follower, followed_key=followed)


def _record(
    record: Mapping[str, Any], source: str, line: int | None, options: ReadOptions
) -> Iterator[Item]:
    uri = as_text(record.get("uri"))
    match = _AT_URI.fullmatch(uri or "")
    value = record.get("value")
    record_type = value.get("$type") if isinstance(value, dict) else None
    if not isinstance(value, dict) or not record_type:
        yield Rejected(source, line, "record", "value", "no record value with a $type")
        return
    kind = _KINDS.get(record_type)
    if kind is None:
        return
    if match is None:
        yield Rejected(source, line, kind, "uri", "missing or not an at:// record URI")
        return
    repo = match["repo"]
    if _did(repo) is None:
        yield Rejected(
            source,
            line,
            kind,
            "uri",
            "the at:// URI names a handle, not a DID; export "
            "the records with DIDs (listRecords does)",
        )
        return
    if record_type == "app.bsky.actor.profile":
        fields = {
            "platform": "bluesky",
            "native_id": repo,
            "display_name": as_text(value.get("displayName")),
            "bio": as_text(value.get("description")),
        }
        yield build(
            ProfileRow, source, line, present(fields), max_text_chars=options.max_text_chars
        )
    elif record_type == "app.bsky.graph.follow":
        subject = _did(value.get("subject"))
        if subject is None:
            yield Rejected(source, line, "follow", "subject", "not a DID (did:plc:… or did:web:…)")
        else:
            yield FollowRow(follower_key=_key(repo), followed_key=_key(subject))
    elif record_type in {"app.bsky.feed.post", "app.bsky.feed.repost"}:
        yield _post(value, uri or "", repo, source, line, options)


def _post(
    value: Mapping[str, Any],
    uri: str,
    repo: str,
    source: str,
    line: int | None,
    options: ReadOptions,
) -> Item:
    mentioned: list[str] = []
    for facet in value.get("facets") or []:
        for feature in (facet.get("features") or []) if isinstance(facet, dict) else []:
            did = _did(feature.get("did")) if isinstance(feature, dict) else None
            if did and feature.get("$type") == _MENTION and _key(did) not in mentioned:
                mentioned.append(_key(did))
    embed = _object(value.get("embed"))
    quoted = _object(embed.get("record"))
    if str(embed.get("$type", "")).startswith("app.bsky.embed.recordWithMedia"):
        quoted = _object(quoted.get("record"))
    reply = _object(value.get("reply"))
    fields: dict[str, Any] = {
        "platform": "bluesky",
        "native_id": uri,
        "author_key": _key(repo),
        "created_at": as_text(value.get("createdAt")),
        "text": as_text(value.get("text")),
        "mentioned_keys": mentioned,
        "reply_to_key": _post_key(_object(reply.get("parent")).get("uri")),
        "quote_of_key": _post_key(quoted.get("uri")),
    }
    if value.get("$type") == "app.bsky.feed.repost":
        fields["repost_of_key"] = _post_key(_object(value.get("subject")).get("uri"))
    return build(PostRow, source, line, present(fields), max_text_chars=options.max_text_chars)
