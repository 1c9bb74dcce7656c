"""Reach of a profile or a person, and the cascade of a post.

Audience (who can see what a profile posts) is its followers; the audience within two
hops adds the followers of those followers. For a person the seeds are all their
accounts, and each audience member counts once however many accounts they follow.
Audiences are counted in accounts and, given each account's *unit* (its person id, or
the account itself when it belongs to no person), in persons: a follower with an X and a
Bluesky account is one person reached, and the seeds' own person is never audience.

A cascade is the tree of posts that reply to, quote or repost a root post (directly or
through other posts). Its measures follow Goel, Anderson, Hofman & Watts 2016 ("The
structural virality of online diffusion"): size, depth, breadth; plus the time until
half of the cascade had happened and the amplifiers whose followers added most audience
that had not been reached yet (the root's followers count as reached at the start).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from srm.graph.projection import Projection

__all__ = [
    "Amplifier",
    "Audience",
    "Cascade",
    "CascadePost",
    "audience",
    "cascade",
    "followers_map",
]

_NEVER = datetime.min.replace(tzinfo=UTC)  # sort key of posts without a time (placed last)
FollowersOf = Mapping[str, Collection[str]] | Callable[[str], Collection[str]]


def _lookup(followers_of: FollowersOf) -> Callable[[str], Collection[str]]:
    if callable(followers_of):
        return followers_of
    return lambda key: followers_of.get(key, ())


def followers_map(projection: Projection) -> dict[str, set[str]]:
    """``profile_key → keys of its followers`` from the follow edges of a projection."""
    found: dict[str, set[str]] = defaultdict(set)
    keys = projection.keys
    follows = projection.follows.astype(bool)
    for source, target in zip(
        projection.sources[follows].tolist(), projection.targets[follows].tolist(), strict=True
    ):
        found[keys[target]].add(keys[source])
    return dict(found)


UnitOf = Mapping[str, str]


def _units(keys: Iterable[str], unit_of: UnitOf | None) -> set[str]:
    """The units of ``keys`` (a key without a known unit is its own)."""
    if unit_of is None:
        return set(keys)
    return {unit_of.get(key, key) for key in keys}


@dataclass(frozen=True)
class Audience:
    """Unique audience of ``seeds``: ``first_hop`` followers, ``within_two_hops`` followers
    and their followers (the seeds themselves never count), and the same counted in
    persons (``*_persons``; the seeds' own persons never count)."""

    seeds: list[str]
    first_hop: int
    within_two_hops: int
    first_hop_persons: int
    within_two_hops_persons: int

    @property
    def second_hop_only(self) -> int:
        return self.within_two_hops - self.first_hop


def audience(
    followers_of: FollowersOf, seeds: Iterable[str], unit_of: UnitOf | None = None
) -> Audience:
    """Unique audience of one profile or of all accounts of a person (``seeds``), in
    accounts and in units (``unit_of``: account key → person id; absent keys stand
    alone)."""
    lookup = _lookup(followers_of)
    seed_set = set(seeds)
    first = {f for seed in seed_set for f in lookup(seed)} - seed_set
    second = {f for member in first for f in lookup(member)} - seed_set
    own = _units(seed_set, unit_of)
    return Audience(
        seeds=sorted(seed_set),
        first_hop=len(first),
        within_two_hops=len(first | second),
        first_hop_persons=len(_units(first, unit_of) - own),
        within_two_hops_persons=len(_units(first | second, unit_of) - own),
    )


@dataclass(frozen=True)
class CascadePost:
    """A post of a cascade: its author, time, and the post it replies to/quotes/reposts
    (``parent`` None for the root)."""

    key: str
    author: str | None
    created_at: datetime | None
    parent: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Amplifier:
    """An author who passed the post on: how many posts, and how much audience they
    reached that nobody before them in the cascade had reached."""

    key: str
    posts: int
    new_audience: int


@dataclass(frozen=True)
class Cascade:
    """``size``: posts in the cascade without the root; ``depth``: longest chain from the
    root (0 for a lone post); ``breadth``: most posts at one depth; ``by_kind``: posts per
    relationship; ``seconds_to_half``: from the root until ``ceil(size/2)`` posts had
    appeared (None without times or posts); ``reached``: unique audience of the root's
    author and every amplifier (accounts), ``reached_persons`` the same in persons (the
    root author's person left out); ``amplifiers``: by new audience, highest first."""

    root: str
    size: int
    depth: int
    breadth: int
    by_kind: dict[str, int]
    seconds_to_half: float | None
    reached: int
    amplifiers: list[Amplifier]
    reached_persons: int


def cascade(
    root: str,
    posts: Sequence[CascadePost],
    followers_of: FollowersOf,
    unit_of: UnitOf | None = None,
) -> Cascade:
    """Measure the cascade of ``root`` from its posts (the root included or not); reach in
    persons from ``unit_of`` (account key → person id; absent keys stand alone).

    Posts whose parent chain does not reach the root are ignored; cycles cannot occur
    because each post is placed once, at its first depth, breadth-first.
    """
    lookup = _lookup(followers_of)
    by_key = {post.key: post for post in posts}
    children: dict[str, list[str]] = defaultdict(list)
    for post in posts:
        if post.parent is not None and post.key != root:
            children[post.parent].append(post.key)
    depth_of = {root: 0}
    frontier = [root]
    while frontier:
        following = []
        for key in frontier:
            for child in sorted(children.get(key, ())):
                if child not in depth_of:
                    depth_of[child] = depth_of[key] + 1
                    following.append(child)
        frontier = following
    members = [key for key in depth_of if key != root]
    levels: dict[int, int] = defaultdict(int)
    kinds: dict[str, int] = defaultdict(int)
    for key in members:
        levels[depth_of[key]] += 1
        kinds[by_key[key].kind or "unknown"] += 1
    root_post = by_key.get(root)
    root_time = root_post.created_at if root_post else None
    timed: list[datetime] = sorted(
        moment for key in members if (moment := by_key[key].created_at) is not None
    )
    seconds_to_half = None
    if root_time is not None and members and len(timed) == len(members):
        half = timed[math.ceil(len(members) / 2) - 1]
        seconds_to_half = max((half - root_time).total_seconds(), 0.0)
    root_author = root_post.author if root_post else None
    seen: set[str] = set(lookup(root_author)) if root_author else set()
    if root_author:
        seen.add(root_author)
    order = sorted(
        members,
        key=lambda key: (by_key[key].created_at is None, by_key[key].created_at or _NEVER, key),
    )
    gained: dict[str, int] = defaultdict(int)
    post_count: dict[str, int] = defaultdict(int)
    for key in order:
        author = by_key[key].author
        if author is None or author == root_author:
            continue
        post_count[author] += 1
        fresh = (set(lookup(author)) | {author}) - seen
        gained[author] += len(fresh)
        seen |= fresh
    amplifiers = sorted(
        (Amplifier(key=a, posts=post_count[a], new_audience=gained[a]) for a in post_count),
        key=lambda a: (-a.new_audience, -a.posts, a.key),
    )
    return Cascade(
        root=root,
        size=len(members),
        depth=max(depth_of.values()),
        breadth=max(levels.values(), default=0),
        by_kind=dict(kinds),
        seconds_to_half=seconds_to_half,
        reached=len(seen - {root_author}) if root_author else len(seen),
        amplifiers=amplifiers,
        reached_persons=len(
            _units(seen, unit_of) - (_units([root_author], unit_of) if root_author else set())
        ),
    )
