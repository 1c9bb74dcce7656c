"""X (Twitter): API v2 JSON responses and the account archive.

API v2 (``x-api``): a file holds one response object (or one per line, as twarc and most
collectors write them) with ``data`` (users or tweets), ``includes.users`` and
``includes.tweets``. Users carry ``public_metrics``; tweets carry ``entities.mentions``
and ``referenced_tweets`` (``replied_to``/``quoted``/``retweeted``), which become the
post's reply/quote/repost keys. A follower or following list response does not say whose
list it is, so the subject comes from ``options.extra["owner"]``, from twarc's ``__twarc.url``
(``/2/users/<id>/followers``) or from the file name (``followers_<id>.json``,
``following_<id>.json``); failing those, its users still load but no edges.

Archive (``x-archive``): the ``data/`` folder of "Download an archive of your data", whose
``.js`` files start with ``window.YTD.<name>.partN =``. ``account.js`` names the owner (its
email is never read), ``profile.js`` adds the bio, ``follower.js``/``following.js`` are
edges, ``tweets.js`` (and ``tweets-partN.js``) the owner's posts. Archive retweets do not
name the original tweet, so they load as posts without a repost edge.

Keys are ``x:<numeric id>`` (handles change, ids do not).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from srm.errors import IngestError
from srm.ingest.formats import Item, ReadOptions
from srm.ingest.handles import (
    as_text,
    json_head,
    load_json_documents,
    parse_twitter_date,
    with_pointer,
)
from srm.ingest.quarantine import Rejected
from srm.ingest.rows import FollowRow, PostRow, ProfileRow, profile_key
from srm.ingest.validate import build, present

__all__ = ["detect_api", "detect_archive", "read_api", "read_archive"]

_YTD_PREFIX = re.compile(r"^\s*window\.YTD\.[\w.]+\s*=\s*")
_YTD_HEAD = re.compile(r"^\s*window\.YTD\.(?P<name>[a-z_-]+)\.part\d+\s*=", re.IGNORECASE)
_LIST_FILE = re.compile(r"(?P<kind>followers?|following)[_\-.](?P<subject>\d+)", re.IGNORECASE)
# Only the kind, for lists whose owner is given (--owner) and whose name lacks the id.
_LIST_KIND = re.compile(r"(?P<kind>followers?|following)", re.IGNORECASE)
_TWARC_LIST = re.compile(r"/2/users/(?P<subject>\d+)/(?P<kind>followers|following)")
_STATUS_URL = re.compile(r"/status(?:es)?/(?P<id>\d+)")
_X_HOSTS = {"twitter.com", "www.twitter.com", "x.com", "www.x.com", "mobile.twitter.com"}
_JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
_REFERENCE_FIELDS = {
    "replied_to": "reply_to_key",
    "quoted": "quote_of_key",
    "retweeted": "repost_of_key",
}


def _key(native_id: str) -> str:
    return profile_key("x", native_id)


# --- API v2 ---------------------------------------------------------------------------


def detect_api(path: Path) -> bool:
    """An X API v2 response: a JSON ``data``/``includes`` object with X's field names (or a
    folder holding such files)."""
    if path.is_dir():
        return any(detect_api(child) for child in sorted(path.iterdir()) if child.is_file())
    if not path.is_file() or path.suffix.lower() not in _JSON_SUFFIXES:
        return False
    head = json_head(path)
    if not re.search(r'"(data|includes)"\s*:', head):
        return False
    x_fields = ("public_metrics", "author_id", "referenced_tweets", "edit_history_tweet_ids")
    return any(f'"{name}"' in head for name in x_fields) or (
        '"username"' in head
        and ('"result_count"' in head or _LIST_FILE.search(path.stem) is not None)
    )


def user_row(user: Mapping[str, Any], source: str, line: int | None, options: ReadOptions) -> Item:
    """A :class:`ProfileRow` (or :class:`Rejected`) from an API v2 user object."""
    metrics = user.get("public_metrics") or {}
    url = as_text(user.get("url"))
    expanded = ((user.get("entities") or {}).get("url") or {}).get("urls") or []
    if expanded and isinstance(expanded[0], dict):
        url = as_text(expanded[0].get("expanded_url")) or url
    fields = {
        "platform": "x",
        "native_id": as_text(user.get("id")),
        "handle": as_text(user.get("username")),
        "display_name": as_text(user.get("name")),
        "bio": as_text(user.get("description")),
        "location": as_text(user.get("location")),
        "url": url,
        "followers_count": metrics.get("followers_count"),
        "following_count": metrics.get("following_count"),
        "posts_count": metrics.get("tweet_count"),
        "created_at": as_text(user.get("created_at")),
    }
    return build(ProfileRow, source, line, present(fields), max_text_chars=options.max_text_chars)


def tweet_row(
    tweet: Mapping[str, Any],
    ids_by_username: Mapping[str, str],
    source: str,
    line: int | None,
    options: ReadOptions,
) -> Item:
    """A :class:`PostRow` (or :class:`Rejected`) from an API v2 tweet object.

    A mention without an ``id`` is resolved through ``includes.users`` by username; one
    that cannot be resolved is left out (its key would be a guess).
    """
    author = as_text(tweet.get("author_id"))
    mentioned: list[str] = []
    for mention in (tweet.get("entities") or {}).get("mentions") or []:
        if not isinstance(mention, dict):
            continue
        native = as_text(mention.get("id")) or ids_by_username.get(
            str(mention.get("username", "")).lower()
        )
        if native and _key(native) not in mentioned:
            mentioned.append(_key(native))
    fields: dict[str, Any] = {
        "platform": "x",
        "native_id": as_text(tweet.get("id")),
        "author_key": _key(author) if author else None,
        "created_at": as_text(tweet.get("created_at")),
        "text": as_text(tweet.get("text")),
        "mentioned_keys": mentioned,
    }
    for reference in tweet.get("referenced_tweets") or []:
        if isinstance(reference, dict) and reference.get("type") in _REFERENCE_FIELDS:
            target = as_text(reference.get("id"))
            if target:
                fields[_REFERENCE_FIELDS[reference["type"]]] = _key(target)
    return build(PostRow, source, line, present(fields), max_text_chars=options.max_text_chars)


def _list_subject(
    path: Path, document: Mapping[str, Any], options: ReadOptions
) -> tuple[str, str] | None:
    """(kind, subject id) when ``document`` is a followers/following list response."""
    owner = options.extra.get("owner")
    twarc_url = str((document.get("__twarc") or {}).get("url", ""))
    match = _TWARC_LIST.search(twarc_url) or _LIST_FILE.search(path.stem)
    if match is None and owner:
        match = _LIST_KIND.search(path.stem)
    if match is None:
        return None
    kind = "followers" if match["kind"].lower().startswith("follower") else "following"
    if not owner:
        return kind, match["subject"]
    subject = str(owner).strip().removeprefix("x:")
    if not subject.isdigit():
        raise IngestError(
            f"{path}: --owner {owner!r} is not an X user id. Give the numeric id of the "
            "account whose list this is (keys are ids: handles change)."
        )
    return kind, subject


def read_api(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Profiles, posts and follows from X API v2 response files (JSON or JSON lines); a
    folder is read file by file (the X response files in it)."""
    if path.is_dir():
        for child in sorted(path.iterdir()):
            if child.is_file() and detect_api(child):
                yield from _read_api_file(child, options)
        return
    yield from _read_api_file(path, options)


def _read_api_file(path: Path, options: ReadOptions) -> Iterator[Item]:
    source = str(path)
    seen_profiles: set[str] = set()
    seen_posts: set[str] = set()
    found_any = False
    for document in load_json_documents(path):
        if document.error is not None:
            yield Rejected(source, document.line, "record", None, document.error)
            continue
        response = document.value
        if not isinstance(response, dict) or not ({"data", "includes", "meta"} & response.keys()):
            yield Rejected(
                source,
                document.line,
                "record",
                None,
                "not an X API v2 response (no data/includes/meta)",
            )
            continue
        found_any = True
        data = response.get("data") or []
        data_items = [data] if isinstance(data, dict) else list(data)
        includes = response.get("includes") or {}
        users = list(includes.get("users") or [])
        ids_by_username = {
            str(user.get("username", "")).lower(): str(user["id"])
            for user in [*users, *data_items]
            if isinstance(user, dict) and user.get("username") and user.get("id")
        }
        subject = _list_subject(path, response, options)
        records: list[tuple[str, Any]] = [
            *((f"/data/{index}", item) for index, item in enumerate(data_items)),
            *((f"/includes/users/{index}", item) for index, item in enumerate(users)),
            *(
                (f"/includes/tweets/{index}", item)
                for index, item in enumerate(includes.get("tweets") or [])
            ),
        ]
        for pointer, record in records:
            if not isinstance(record, dict):
                yield Rejected(
                    source, document.line, "record", None, f"at {pointer}: not an object"
                )
                continue
            is_tweet = "text" in record or "author_id" in record
            if is_tweet:
                row = tweet_row(record, ids_by_username, source, document.line, options)
                if isinstance(row, PostRow):
                    if row.post_key in seen_posts:
                        continue
                    seen_posts.add(row.post_key)
                yield with_pointer(row, pointer)
                continue
            row = user_row(record, source, document.line, options)
            if isinstance(row, ProfileRow):
                if subject is not None and pointer.startswith("/data/"):
                    kind, subject_id = subject
                    if kind == "followers":
                        yield FollowRow(follower_key=row.profile_key, followed_key=_key(subject_id))
                    else:
                        yield FollowRow(follower_key=_key(subject_id), followed_key=row.profile_key)
                if row.profile_key in seen_profiles:
                    continue
                seen_profiles.add(row.profile_key)
            yield with_pointer(row, pointer)
    if not found_any:
        raise IngestError(
            f"{path}: no X API v2 response found (objects with data/includes). "
            "Check the file or choose the right --format."
        )


# --- account archive ------------------------------------------------------------------


def _archive_folder(path: Path) -> Path:
    if path.is_file():
        return path.parent
    if (path / "data").is_dir():
        return path / "data"
    return path


def detect_archive(path: Path) -> bool:
    """An X archive: a ``window.YTD.…`` .js file, or a folder (or its ``data/``) of them."""
    if path.is_file():
        return path.suffix.lower() == ".js" and bool(_YTD_HEAD.match(json_head(path)[:200]))
    if not path.is_dir():
        return False
    folder = _archive_folder(path)
    return (folder / "account.js").is_file() and any(
        _YTD_HEAD.match(json_head(candidate)[:200]) for candidate in folder.glob("*.js")
    )


def _ytd_items(path: Path, name: str) -> Iterator[tuple[int, Any]]:
    """(index, inner object) of each ``{"<name>": {...}}`` entry of a YTD file."""
    for document in load_json_documents(path, prefix=_YTD_PREFIX):
        entries = document.value if isinstance(document.value, list) else []
        for index, entry in enumerate(entries):
            inner = entry.get(name) if isinstance(entry, dict) else None
            yield index, inner


def _archive_owner(folder: Path, options: ReadOptions) -> dict[str, Any]:
    account_file = folder / "account.js"
    if account_file.is_file():
        for _, account in _ytd_items(account_file, "account"):
            if isinstance(account, dict) and account.get("accountId"):
                return account
    owner = options.extra.get("owner")
    if owner:
        return {"accountId": str(owner).removeprefix("x:")}
    raise IngestError(
        f"{folder}: account.js not found, so the archive's owner is unknown. Point srm "
        "ingest at the archive's data folder (it holds account.js)."
    )


def _archive_tweet(
    tweet: Mapping[str, Any], owner_key: str, source: str, options: ReadOptions
) -> Item:
    entities = tweet.get("entities") or {}
    mentioned = []
    for mention in entities.get("user_mentions") or []:
        native = (
            as_text(mention.get("id_str") or mention.get("id"))
            if isinstance(mention, dict)
            else None
        )
        if native and native != "-1" and _key(native) not in mentioned:
            mentioned.append(_key(native))
    fields: dict[str, Any] = {
        "platform": "x",
        "native_id": as_text(tweet.get("id_str") or tweet.get("id")),
        "author_key": owner_key,
        "created_at": parse_twitter_date(as_text(tweet.get("created_at"))),
        "text": as_text(tweet.get("full_text") or tweet.get("text")),
        "mentioned_keys": mentioned,
    }
    reply_to = as_text(tweet.get("in_reply_to_status_id_str"))
    if reply_to:
        fields["reply_to_key"] = _key(reply_to)
    for link in entities.get("urls") or []:
        parsed = urlparse(str(link.get("expanded_url", ""))) if isinstance(link, dict) else None
        match = _STATUS_URL.search(parsed.path) if parsed and parsed.hostname in _X_HOSTS else None
        if match:
            fields["quote_of_key"] = _key(match["id"])
            break
    return build(PostRow, source, None, present(fields), max_text_chars=options.max_text_chars)


def read_archive(path: Path, options: ReadOptions) -> Iterator[Item]:
    """The owner's profile, follows and posts from an X archive (folder or one .js file)."""
    folder = _archive_folder(path)
    files = [path] if path.is_file() else sorted(folder.glob("*.js"))
    owner = _archive_owner(folder, options)
    owner_key = _key(str(owner["accountId"]))
    if path.is_dir() or path.name in {"account.js", "profile.js"}:
        yield _archive_profile(folder, owner, options)
    for file in files:
        head = _YTD_HEAD.match(json_head(file)[:200])
        name = head["name"].lower() if head else ""
        source = str(file)
        if name in {"follower", "following"}:
            for index, inner in _ytd_items(file, name):
                other = as_text((inner or {}).get("accountId")) if isinstance(inner, dict) else None
                if other is None:
                    yield Rejected(
                        source, None, "follow", "accountId", f"at /{index}: missing account id"
                    )
                elif name == "follower":
                    yield FollowRow(follower_key=_key(other), followed_key=owner_key)
                else:
                    yield FollowRow(follower_key=owner_key, followed_key=_key(other))
        elif name in {"tweets", "tweet"}:
            for index, inner in _ytd_items(file, "tweet"):
                if not isinstance(inner, dict):
                    yield Rejected(source, None, "post", None, f"at /{index}: not a tweet object")
                    continue
                yield with_pointer(
                    _archive_tweet(inner, owner_key, source, options), f"/{index}/tweet"
                )


def _archive_profile(folder: Path, owner: Mapping[str, Any], options: ReadOptions) -> Item:
    description: dict[str, Any] = {}
    profile_file = folder / "profile.js"
    if profile_file.is_file():
        for _, profile in _ytd_items(profile_file, "profile"):
            if isinstance(profile, dict):
                description = profile.get("description") or {}
                break
    fields = {
        "platform": "x",
        "native_id": as_text(owner.get("accountId")),
        "handle": as_text(owner.get("username")),
        "display_name": as_text(owner.get("accountDisplayName")),
        "bio": as_text(description.get("bio")),
        "location": as_text(description.get("location")),
        "url": as_text(description.get("website")),
        "created_at": as_text(owner.get("createdAt")),
    }
    return build(
        ProfileRow,
        str(folder / "account.js"),
        None,
        present(fields),
        max_text_chars=options.max_text_chars,
    )
