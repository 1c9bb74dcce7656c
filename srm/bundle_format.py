"""The canonical bundle's files and columns (docs/bundle-format.md), named once.

A leaf module: the bundle reader (:mod:`srm.ingest.readers.bundle`), the synthetic generator and
the backup all import these names and nothing else from each other.
"""

from __future__ import annotations

__all__ = [
    "BRAND_HEADER",
    "BUNDLE_FILES",
    "CUSTOMER_COLUMNS",
    "CUSTOMER_HEADER",
    "FOLLOW_HEADER",
    "PLATFORMS",
    "POST_HEADER",
    "PROFILE_COLUMNS",
    "PROFILE_HEADER",
    "REQUIRED",
    "SYNTHETIC_PROFILE_HEADER",
]

# Platforms SRM knows (the ``platform`` of profiles.csv; readers map aliases such as
# "twitter" → "x" before validation), in a fixed order for the statements built per platform.
PLATFORMS = (
    "x",
    "mastodon",
    "bluesky",
    "linkedin",
    "instagram",
    "facebook",
    "tiktok",
    "youtube",
    "threads",
    "other",
)

BUNDLE_FILES = ("brands.csv", "customers.csv", "profiles.csv", "follows.csv", "posts.csv")
REQUIRED = {
    "brands.csv": ("name",),
    "customers.csv": ("customer_id",),
    "profiles.csv": ("profile_id",),
    "follows.csv": ("follower_profile_id", "followed_profile_id"),
    "posts.csv": ("post_id", "profile_id"),
}
CUSTOMER_COLUMNS = frozenset(
    {"customer_id", "first_name", "last_name", "email", "phone", "city", "company"}
)
PROFILE_COLUMNS = (
    "handle",
    "display_name",
    "bio",
    "location",
    "url",
    "followers_count",
    "following_count",
    "posts_count",
    "created_at",
)
# The canonical files' columns in the order SRM writes them (backup, generator, tests).
CUSTOMER_HEADER = (
    "customer_id", "first_name", "last_name", "email", "phone", "city", "company",
    "twitter_handle",
)  # fmt: skip
PROFILE_HEADER = ("profile_id", "platform", *PROFILE_COLUMNS)
# The profile columns a synthetic bundle fills (the demo generator, the identity corpus).
SYNTHETIC_PROFILE_HEADER = (
    "profile_id", "platform", "handle", "display_name", "bio", "location", "url",
    "followers_count", "created_at",
)  # fmt: skip
FOLLOW_HEADER = (
    "follower_profile_id", "followed_profile_id", "follower_platform", "followed_platform"
)  # fmt: skip
POST_HEADER = (
    "post_id", "profile_id", "platform", "created_at", "text", "mentioned_profile_ids",
    "reply_to_post_id", "quote_of_post_id", "repost_of_post_id",
)  # fmt: skip
BRAND_HEADER = ("name", "is_own", "official_profile_ids")
