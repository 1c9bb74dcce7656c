"""Follows and posts with mentions, within each platform.

Friendships are between persons (:func:`bench.corpus.population.make_world`); on each
platform a person's account follows a friend's account there with probability 0.6, so a
person's accounts on two platforms share followers' *persons* but not always. Accounts
also follow organisations of their city (brands, councils), a few popular hubs
(preferential attachment, Barabási & Albert 1999), and a person's second account on one
platform usually follows the first. Bots follow at random.
"""

from __future__ import annotations

import random

from bench.corpus.population import World
from bench.corpus.records import Record, timestamp

__all__ = ["follows_and_posts"]

POST_TEXT = {
    "es": (
        "Hoy toca {i} en {c}",
        "¿Alguien más con el {i}?",
        "Qué día en {c}",
        "Nuevo post sobre {i}",
    ),
    "en": ("Great {i} day in {c}", "Anyone else into {i}?", "Thoughts on {i}", "Back in {c}"),
    "pt": ("Dia de {i} em {c}", "Alguém mais curte {i}?", "Pensando em {i}"),
    "de": ("Heute {i} in {c}", "Wer mag auch {i}?", "Gedanken zu {i}"),
    "fr": ("Journée {i} à {c}", "Qui aime le {i} ?", "Réflexions sur {i}"),
    "it": ("Giornata di {i} a {c}", "Chi ama il {i}?", "Pensieri su {i}"),
}


def follows_and_posts(
    rng: random.Random,
    world: World,
    profiles: dict[str, list[Record]],
    bots: list[Record],
) -> tuple[list[tuple[Record, Record]], list[dict[str, str]]]:
    """Follow edges (follower, followed) and post rows."""
    by_platform_org: dict[tuple[str, str], list[Record]] = {}
    for org in world.orgs:
        for record in profiles.get(org.org_id, []):
            by_platform_org.setdefault((record.platform or "", org.city.name), []).append(record)
    everyone = [r for rs in profiles.values() for r in rs]
    hubs: dict[str, list[Record]] = {}
    for record in everyone:
        if rng.random() < 0.01:
            hubs.setdefault(record.platform or "", []).append(record)
    follows: list[tuple[Record, Record]] = []
    posts: list[dict[str, str]] = []
    for person in world.people:
        own = profiles.get(person.person_id, [])
        friend_accounts: dict[str, list[Record]] = {}
        for friend in person.friends:
            for record in profiles.get(world.people[friend].person_id, []):
                friend_accounts.setdefault(record.platform or "", []).append(record)
        for position, record in enumerate(own):
            platform = record.platform or ""
            followed = [f for f in friend_accounts.get(platform, []) if rng.random() < 0.6]
            followed += [
                o
                for o in by_platform_org.get((platform, person.city.name), [])
                if rng.random() < 0.3
            ]
            pool = hubs.get(platform, [])
            followed += [rng.choice(pool) for _ in range(rng.randint(0, 3))] if pool else []
            followed += [o for o in own[:position] if o.platform == platform and rng.random() < 0.7]
            seen: set[str] = set()
            for target in followed:
                if target.record_id not in seen and target is not record:
                    seen.add(target.record_id)
                    follows.append((record, target))
            language = person.locale.code[:2]
            for _ in range(rng.choice((0, 0, 1, 1, 2, 3, 4))):
                text = rng.choice(POST_TEXT[language]).format(i=person.interest, c=person.city.name)
                mentioned = [f for f in friend_accounts.get(platform, []) if rng.random() < 0.15][
                    :2
                ]
                text += "".join(f" @{m.handle}" for m in mentioned)
                posts.append(
                    {
                        "post_id": str(rng.getrandbits(62)),
                        "profile_id": record.native_id,
                        "platform": platform,
                        "created_at": _when(rng),
                        "text": text,
                        "mentioned_profile_ids": "|".join(m.native_id for m in mentioned),
                    }
                )
    by_platform: dict[str, list[Record]] = {}
    for record in everyone:
        by_platform.setdefault(record.platform or "", []).append(record)
    for bot in bots:
        pool = by_platform.get(bot.platform or "", [])
        for target in rng.sample(pool, min(len(pool), rng.randint(20, 80))):
            follows.append((bot, target))
        posts.append(
            {
                "post_id": str(rng.getrandbits(62)),
                "profile_id": bot.native_id,
                "platform": bot.platform or "",
                "created_at": _when(rng),
                "text": "💰 Free crypto, DM me! 🚀🚀",
                "mentioned_profile_ids": "",
            }
        )
    return follows, posts


def _when(rng: random.Random) -> str:
    return timestamp(rng, 2026, 2026)
