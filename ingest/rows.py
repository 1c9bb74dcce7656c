"""The validated rows every reader yields, whatever the input format.

Readers turn CSV exports, platform JSON and archives into these models; the writer turns
them into batched MERGE statements. Keys: a profile is ``platform:native_id`` and a post
``platform:native_id`` (docs/bundle-format.md); a customer is its CRM ``customer_id``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from srm import bundle_format

__all__ = [
    "PLATFORMS",
    "BrandRow",
    "CustomerRow",
    "FollowBlock",
    "FollowRow",
    "PostRow",
    "ProfileRow",
    "profile_key",
]

# Platforms SRM knows (srm.bundle_format); readers map aliases ("twitter" → "x") before
# validation.
PLATFORMS = frozenset(bundle_format.PLATFORMS)
PLATFORM_ALIASES = {
    "twitter": "x",
    "tw": "x",
    "bsky": "bluesky",
    "ig": "instagram",
    "fb": "facebook",
    "li": "linkedin",
}

# Neo4j integers are 64-bit: larger counts are refused here, not by the driver mid-batch.
NEO4J_MAX_INT = 2**63 - 1
Key = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=512)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=512)]


def profile_key(platform: str, native_id: str) -> str:
    """The graph key of a profile or post: ``platform:native_id``."""
    return f"{platform}:{native_id}"


def normalise_platform(value: str) -> str:
    platform = value.strip().lower()
    platform = PLATFORM_ALIASES.get(platform, platform)
    if platform not in PLATFORMS:
        raise ValueError(f"unknown platform; use one of {', '.join(sorted(PLATFORMS))}")
    return platform


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False)


class CustomerRow(_Row):
    """A CRM record. ``email`` and ``phone`` are personal data: never logged."""

    customer_id: Key
    first_name: ShortText | None = None
    last_name: ShortText | None = None
    email: ShortText | None = None
    phone: ShortText | None = None
    city: ShortText | None = None
    company: ShortText | None = None
    twitter_handle: ShortText | None = None
    # Other handles a CRM lists (platform → handle), e.g. HubSpot's LinkedIn field.
    claimed_handles: dict[str, str] = Field(default_factory=dict)
    # Any further columns, kept as properties (names sanitised by the reader).
    extra: dict[str, str] = Field(default_factory=dict)


class _OnPlatform(_Row):
    """A row of something on one platform (a profile, a post), known there by ``native_id``:
    its key in the graph is ``platform:native_id``."""

    platform: str
    native_id: Key

    _normalise_platform = field_validator("platform", mode="before")(
        lambda value: normalise_platform(str(value))
    )


class ProfileRow(_OnPlatform):
    """A social account."""

    handle: ShortText | None = None
    display_name: ShortText | None = None
    bio: str | None = None
    location: ShortText | None = None
    url: ShortText | None = None
    followers_count: int | None = Field(default=None, ge=0, le=NEO4J_MAX_INT)
    following_count: int | None = Field(default=None, ge=0, le=NEO4J_MAX_INT)
    posts_count: int | None = Field(default=None, ge=0, le=NEO4J_MAX_INT)
    created_at: datetime | None = None
    # Fields shortened to fit (e.g. a huge bio): kept, flagged, not dropped.
    truncated_fields: list[str] = Field(default_factory=list)
    # A profile known only because something refers to it (a follow, a mention).
    is_stub: bool = False

    @property
    def profile_key(self) -> str:
        return profile_key(self.platform, self.native_id)


class FollowRow(_Row):
    """``follower`` follows ``followed`` (both profile keys)."""

    follower_key: Key
    followed_key: Key


class FollowBlock:
    """Consecutive good follow rows of one file, as (follower key, followed key) pairs.

    The canonical bundle's reader yields follows this way: they are most of a large load,
    and a model per row would cost more than reading the row. Each pair passed the same
    checks as :class:`FollowRow` (required, stripped, at most 512 characters, no broken
    encoding); rows that fail are quarantined one by one, as any other row.
    """

    __slots__ = ("pairs",)

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FollowBlock) and other.pairs == self.pairs

    def __repr__(self) -> str:
        return f"FollowBlock({len(self.pairs)} follows)"


class PostRow(_OnPlatform):
    """A post with what it mentions and what it replies to, quotes or reposts."""

    author_key: Key
    created_at: datetime | None = None
    text: str | None = None
    mentioned_keys: list[str] = Field(default_factory=list)
    reply_to_key: str | None = None
    quote_of_key: str | None = None
    repost_of_key: str | None = None
    truncated_fields: list[str] = Field(default_factory=list)

    @property
    def post_key(self) -> str:
        return profile_key(self.platform, self.native_id)


class BrandRow(_Row):
    """A brand (own or competitor) and its official profiles (profile keys)."""

    name: Key
    is_own: bool = False
    official_keys: list[str] = Field(default_factory=list)
    # Official profiles named by handle (``platform:handle``, e.g. from ``--official``),
    # matched against profiles already in the graph.
    official_handles: list[str] = Field(default_factory=list)


def as_properties(row: BaseModel) -> dict[str, Any]:
    """A row as a plain dict for ``$rows`` (datetimes kept: the driver sends them natively)."""
    return row.model_dump()
