"""Suppression: salted hashes of an erased person's keys, so a later ingest skips them.

The graph keeps ``(:Suppression {key_hash})`` nodes only — ``sha256(salt ‖ kind ‖ value)``
of each normalised key (customer id, email, phone, ``platform:id``, ``platform:handle``, the
keys of erased posts, person ids, and Mastodon user names for short ``@user`` mentions) —
never the keys. Without the salt the hashes cannot be tested against guessed emails.

The ingest pipeline asks :meth:`SuppressionList.load` once per run, then
:meth:`SuppressionList.suppresses` per row (or :meth:`SuppressionList.filter_row`, which
also strips suppressed mentions and references to erased posts from posts).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neo4j import Driver

from srm.cypher import privacy
from srm.settings import Settings
from srm.store import read

__all__ = [
    "ERASED_MARK",
    "SALT_FILE",
    "SuppressionList",
    "customer_keys",
    "key_hash",
    "phone_digits",
    "profile_keys",
    "suppression_salt",
]

SALT_FILE = "suppression.salt"
_NOT_PHONE_DIGIT = re.compile(r"[^\d+]")
_MENTION = re.compile(r"(?<![\w@])@(\w[\w.@-]*)")
# What an erased @handle becomes in texts kept in the graph.
ERASED_MARK = "[erased]"


def suppression_salt(settings: Settings) -> str:
    """The salt of suppression hashes: ``SRM_SUPPRESSION_SALT`` or ``$SRM_HOME/suppression.salt``.

    When neither exists, a random 256-bit salt is generated and kept in that file (mode
    0600), so every later run (and every later ingest) hashes the same way.
    """
    if settings.suppression_salt is not None:
        return settings.suppression_salt.get_secret_value()
    path = Path(settings.home) / SALT_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    salt = secrets.token_hex(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(salt + "\n")
    return salt


def _normalise(kind: str, value: str) -> str | None:
    text = value.strip()
    if kind == "email":
        text = text.lower()
    elif kind == "mastodon_user":
        text = text.lower().lstrip("@")
    elif kind == "handle":
        platform, _, handle = text.lower().partition(":")
        handle = handle.strip().lstrip("@")
        text = f"{platform}:{handle}" if handle else ""
    elif kind == "phone":
        text = phone_digits(text)
    return text or None


def phone_digits(value: str) -> str:
    """A phone number as its digits, international prefix ``00`` or ``+`` dropped:
    ``+34 673 731 114`` and ``0034673731114`` are both ``34673731114``. Ingest stores it as
    ``Customer.phone_digits``; lookups by phone use it."""
    text = _NOT_PHONE_DIGIT.sub("", value.strip())
    text = text[2:] if text.startswith("00") else text
    return text.replace("+", "")


def key_hash(salt: str, kind: str, value: str) -> str | None:
    """``sha256(salt:kind:normalised value)`` as hex; None for a blank value."""
    normalised = _normalise(kind, value)
    if normalised is None:
        return None
    return hashlib.sha256(f"{salt}:{kind}:{normalised}".encode()).hexdigest()


def customer_keys(properties: dict[str, Any]) -> list[tuple[str, str]]:
    """The identifying (kind, value) keys of a customer record: id, email, phone."""
    keys = [("customer", str(properties.get("customer_id") or ""))]
    for kind in ("email", "phone"):
        if properties.get(kind):
            keys.append((kind, str(properties[kind])))
    return keys


def profile_keys(properties: dict[str, Any]) -> list[tuple[str, str]]:
    """The identifying (kind, value) keys of a profile: ``platform:id`` and ``platform:handle``."""
    keys = [("profile", str(properties.get("profile_key") or ""))]
    if properties.get("handle") and properties.get("platform"):
        keys.append(("handle", f"{properties['platform']}:{properties['handle']}"))
    return keys


@dataclass
class SuppressionList:
    """The suppressed key hashes of the graph, with the salt to test rows against them.

    ``suppressed`` counts the rows :meth:`filter_row` dropped (for the ingest summary).
    """

    salt: str
    hashes: frozenset[str]
    suppressed: int = 0
    mentions_dropped: int = 0
    references_dropped: int = 0
    _cache: dict[tuple[str, str], bool] = field(default_factory=dict, repr=False)
    # Handles of the Mastodon profiles seen in this ingest, to tell whose short @user it is.
    _mastodon_handles: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def load(
        cls, driver: Driver, settings: Settings, *, database: str | None = None
    ) -> SuppressionList:
        """Every suppression hash in the graph (one query; thousands of hashes are cheap)."""
        rows = read(driver, privacy.LIST_SUPPRESSIONS, database=database)
        return cls(suppression_salt(settings), frozenset(row["key_hash"] for row in rows))

    def __bool__(self) -> bool:
        return bool(self.hashes)

    def matches(self, keys: Iterable[tuple[str, str]]) -> bool:
        """True when any (kind, value) key hashes to a suppressed entry."""
        for key in keys:
            if key not in self._cache:
                digest = key_hash(self.salt, *key)
                self._cache[key] = digest is not None and digest in self.hashes
            if self._cache[key]:
                return True
        return False

    def suppresses(self, row: Any) -> bool:
        """True for a row of :mod:`srm.ingest.rows` that belongs to an erased person.

        Customers by id/email/phone; profiles by key/handle; posts by author or key;
        follows when either end is suppressed.
        """
        if not self.hashes:
            return False
        kind = type(row).__name__
        if kind == "CustomerRow":
            return self.matches(customer_keys(row.model_dump()))
        if kind == "ProfileRow":
            keys = [("profile", row.profile_key)]
            if row.handle:
                keys.append(("handle", f"{row.platform}:{row.handle}"))
            return self.matches(keys)
        if kind == "PostRow":
            return self.matches([("profile", row.author_key), ("post", row.post_key)])
        if kind == "FollowRow":
            return self.matches([("profile", row.follower_key), ("profile", row.followed_key)])
        return False

    def filter_row(self, row: Any) -> Any | None:
        """``row`` without its suppressed parts, or None (counted) when it is suppressed.

        A block of follows loses the follows with a suppressed end (each counted).

        A post keeps its text but loses mentions of suppressed profiles (counted in
        ``mentions_dropped``) and replies/quotes/reposts of erased posts (counted in
        ``references_dropped``: they resolve to nothing, no stub is made), and ``@handle``
        of an erased profile in its text becomes ``@[erased]`` — on Mastodon the short
        ``@user`` too — as the erasure did to posts already in the graph.
        """
        if type(row).__name__ == "FollowBlock":
            if not self.hashes:
                return row
            pairs = [
                pair
                for pair in row.pairs
                if not self.matches([("profile", pair[0]), ("profile", pair[1])])
            ]
            self.suppressed += len(row.pairs) - len(pairs)
            return type(row)(pairs) if pairs else None
        if self.suppresses(row):
            self.suppressed += 1
            return None
        if type(row).__name__ == "ProfileRow" and row.platform == "mastodon" and row.handle:
            self._mastodon_handles[row.profile_key] = str(row.handle).lower()
        if type(row).__name__ != "PostRow" or not self.hashes:
            return row
        return self._filter_post(row)

    def _filter_post(self, row: Any) -> Any:
        update: dict[str, Any] = {}
        kept = [key for key in row.mentioned_keys if not self.matches([("profile", key)])]
        if len(kept) != len(row.mentioned_keys):
            self.mentions_dropped += len(row.mentioned_keys) - len(kept)
            update["mentioned_keys"] = kept
        # A reply, quote or repost of an erased post keeps nothing that points at it.
        for name in ("reply_to_key", "quote_of_key", "repost_of_key"):
            target = getattr(row, name)
            if target and self.matches([("post", target)]):
                update[name] = None
                self.references_dropped += 1
        if row.text and "@" in row.text:
            text = _MENTION.sub(lambda found: self._redact(row.platform, found, kept), row.text)
            if text != row.text:
                update["text"] = text
        return row.model_copy(update=update) if update else row

    def _mastodon_user_of(self, key: str) -> str:
        handle = self._mastodon_handles.get(key) or key.partition(":")[2]
        return handle.lstrip("@").partition("@")[0].lower()

    def _redact(self, platform: str, found: re.Match[str], kept_mentions: list[str]) -> str:
        handle = found.group(1).rstrip(".")
        erased = self.matches([("handle", f"{platform}:{handle}")])
        if not erased and platform == "mastodon" and "@" not in handle:
            # The short form @user of an erased user@instance, unless the post mentions
            # another account of that user name (then @user is that one).
            user = handle.lower()
            erased = self.matches([("mastodon_user", user)]) and not any(
                self._mastodon_user_of(key) == user for key in kept_mentions
            )
        if erased:
            return "@" + ERASED_MARK + found.group(1)[len(handle) :]
        return found.group(0)
