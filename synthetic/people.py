"""Synthetic people for the generator: Spanish and English names, nicknames, handles.

Every person is a pure function of ``(seed, index)`` (:func:`person`), drawn from a
counter-based hash (SplitMix64, Steele et al. 2014) instead of a sequential random stream,
so the generator can look up any other person's accounts and handles (to follow or mention
them) without keeping anyone in memory. All names, e-mails and phones are invented
(``example.*`` domains, numbers from fictional ranges).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from srm.synthetic.names import (
    ENGLISH_CITIES,
    ENGLISH_FIRST,
    ENGLISH_SURNAMES,
    MASTODON_INSTANCES,
    SPANISH_CITIES,
    SPANISH_FIRST,
    SPANISH_SURNAMES,
)

__all__ = ["PLATFORMS", "Account", "Person", "ascii_fold", "mix", "person", "uniform"]

PLATFORMS = ("x", "mastodon", "bluesky")
_MASK = (1 << 64) - 1
T = TypeVar("T")


def mix(*values: int) -> int:
    """A 64-bit hash of integers (SplitMix64 finaliser applied per value)."""
    state = 0x9E3779B97F4A7C15
    for value in values:
        state = (state + (value & _MASK) + 0x9E3779B97F4A7C15) & _MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        state = z ^ (z >> 31)
    return state


def uniform(*values: int) -> float:
    """A float in [0, 1) from :func:`mix`."""
    return mix(*values) / 2.0**64


def ascii_fold(text: str) -> str:
    """``"Muñoz Ibáñez"`` → ``"Munoz Ibanez"``: what people type in handles and e-mails."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _pick(options: Sequence[T], h: int) -> T:
    return options[h % len(options)]


def _pick_common(options: Sequence[T], h: int, skew: float) -> T:
    """An option drawn with falling frequency down the list (lists start with the most
    common names): the first of 100 comes up about 5 % of the time at ``skew`` 1.5, as
    García or Smith do, while the tail stays rare."""
    u = (h & (2**53 - 1)) / 2.0**53
    return options[min(int(len(options) * u**skew), len(options) - 1)]


@dataclass(frozen=True)
class Account:
    """One social account of a person."""

    platform: str
    profile_id: str
    handle: str
    display_name: str


@dataclass(frozen=True)
class Person:
    index: int
    person_id: str
    spanish: bool
    first_name: str
    nickname: str
    surnames: tuple[str, ...]
    city: str
    accounts: tuple[Account, ...]

    @property
    def last_name(self) -> str:
        return " ".join(self.surnames)


def profile_id(platform: str, index: int) -> str:
    """The bundle profile id of person ``index``'s account on ``platform`` (unique)."""
    if platform == "x":
        return str(1_000_000_000 + index)
    if platform == "mastodon":
        return str(100_000_000 + index)
    return f"did:plc:{index:024x}"


# Handle numbers: below _NUMBERS a person's own number, the same on every platform where
# they reuse it (about half); from _NUMBERS up, one drawn per platform. Both are bijections
# of the person's index, so handles stay unique on a platform, as platforms require.
_NUMBERS = 10_000_000
_STRIDE = 7_919  # coprime to _NUMBERS


def _handle_number(seed: int, index: int, platform: str) -> int:
    if uniform(seed, index, 9) < 0.5:
        return (index * _STRIDE + mix(seed, 62)) % _NUMBERS
    return _NUMBERS + (index * _STRIDE + mix(seed, 63, len(platform))) % _NUMBERS


def _handle(
    seed: int, index: int, platform: str, first: str, nick: str, surnames: tuple[str, ...]
) -> str:
    base_first = ascii_fold(first.split()[0]).lower()
    base_nick = ascii_fold(nick).lower().replace(" ", "")
    last = ascii_fold(surnames[0]).lower().replace(" ", "").replace("'", "")
    variants = (
        f"{base_nick}{last}",
        f"{base_first}_{last}",
        f"{base_first[0]}{last}",
        f"{base_nick}_{ascii_fold(surnames[-1]).lower().replace(chr(39), '')}",
        f"{base_first}.{last}" if platform != "x" else f"{base_first}{last}",
        f"the_{base_nick}",
    )
    variant = variants[mix(seed, index, 7, len(platform)) % len(variants)]
    handle = f"{variant}_{_handle_number(seed, index, platform)}"
    if platform == "bluesky":
        return f"{handle.replace('_', '-')}.bsky.social"
    if platform == "mastodon":
        return f"{handle}@{_pick(MASTODON_INSTANCES, mix(seed, index, 8))}"
    return handle


def _display(seed: int, index: int, platform: str, person: Person) -> str:
    h = mix(seed, index, 9, len(platform))
    last = person.surnames[0]
    options = (
        f"{person.nickname} {last}",
        f"{person.first_name} {person.last_name}",
        f"{person.first_name[0]}. {last}",
        ascii_fold(f"{person.first_name} {last}"),
        person.nickname,
        f"{person.nickname} {last} 🌻",
    )
    return options[h % len(options)]


def _names(seed: int, index: int) -> tuple[bool, str, str, tuple[str, ...]]:
    # A few people are namesakes of their neighbour: same first name and surnames.
    if index > 0 and uniform(seed, index, 1) < 0.03:
        index -= 1
    spanish = uniform(seed, index, 2) < 0.6
    h = mix(seed, index, 3)
    first, nicknames = _pick_common(SPANISH_FIRST if spanish else ENGLISH_FIRST, h, 1.3)
    nick = nicknames[(h >> 60) % len(nicknames)]
    surnames: tuple[str, ...]
    if spanish:
        surnames = (
            _pick_common(SPANISH_SURNAMES, mix(seed, index, 4), 1.5),
            _pick_common(SPANISH_SURNAMES, mix(seed, index, 5), 1.5),
        )
    else:
        surnames = (_pick_common(ENGLISH_SURNAMES, mix(seed, index, 4), 1.5),)
    return spanish, first, nick, surnames


def account_platforms(seed: int, index: int) -> tuple[str, ...]:
    """Which platforms person ``index`` is on: 0–3 of them (cheap; no names computed)."""
    u = uniform(seed, index, 10)
    count = 0 if u < 0.2 else 1 if u < 0.6 else 2 if u < 0.85 else 3
    start = mix(seed, index, 11) % len(PLATFORMS)
    return tuple(PLATFORMS[(start + step) % len(PLATFORMS)] for step in range(count))


def person(seed: int, index: int) -> Person:
    """Person ``index`` of the synthetic population ``seed``."""
    spanish, first, nick, surnames = _names(seed, index)
    city = _pick_common(SPANISH_CITIES if spanish else ENGLISH_CITIES, mix(seed, index, 6), 1.5)
    draft = Person(index, f"P{index:07d}", spanish, first, nick, surnames, city, ())
    accounts = tuple(
        Account(
            platform,
            profile_id(platform, index),
            _handle(seed, index, platform, first, nick, surnames),
            _display(seed, index, platform, draft),
        )
        for platform in account_platforms(seed, index)
    )
    return Person(index, draft.person_id, spanish, first, nick, surnames, city, accounts)
