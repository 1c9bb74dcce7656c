"""Bios, websites and the explicit cross-references in them, true and false.

True: the same personal URL on two accounts, a bio linking another of the person's
accounts (``instagram.com/x``, ``bsky.app/profile/x``, ``@user@instance``, ``in/slug``…),
the CRM e-mail in a bio (also written ``name (at) domain (dot) com``), the CRM twitter
column. False (hard negatives): bios thanking or linking someone else, a handle the person
used before and someone else holds now, and hosts many people link (linktr.ee's or
YouTube's root, a big employer's site).
"""

from __future__ import annotations

import random

from bench.corpus.population import World
from bench.corpus.records import Record

__all__ = ["Pair", "add_cross_references"]

Pair = tuple[str, str, int, str]  # record_a, record_b, same (1/0), failure class

BIO_WORDS = {
    "es": (
        "Amante de {i}",
        "{i} y café ☕",
        "Padre/madre, {i}",
        "Opiniones mías",
        "De {c} al mundo",
    ),
    "en": ("{i} nerd", "Into {i}", "Views my own", "Dog person. {i}.", "Born in {c}"),
    "pt": ("Apaixonado por {i}", "{i} e café", "Opiniões minhas", "De {c} para o mundo"),
    "de": ("{i}-Fan", "Meinungen sind meine eigenen", "Aus {c}", "{i} & Kaffee"),
    "fr": ("Passionné de {i}", "Avis perso", "{i} et café", "De {c}"),
    "it": ("Appassionato di {i}", "Opinioni mie", "{i} e caffè", "Da {c}"),
}
SHARED_HOSTS = (
    "https://linktr.ee",
    "https://www.youtube.com",
    "https://linktr.ee/",
    "https://www.instagram.com",
    "https://t.co",
)


def link_to(rng: random.Random, target: Record) -> str:
    """How a bio points at ``target``'s account."""
    handle, platform = target.handle, target.platform
    if platform == "x":
        return rng.choice(
            [
                f"x.com/{handle}",
                f"twitter.com/{handle}",
                f"tw: @{handle}",
                f"https://twitter.com/{handle}",
            ]
        )
    if platform == "instagram":
        return rng.choice(
            [
                f"instagram.com/{handle}",
                f"IG: @{handle}",
                f"📸 @{handle}",
                f"https://www.instagram.com/{handle}/",
            ]
        )
    if platform == "bluesky":
        return rng.choice([f"bsky.app/profile/{handle}", f"🦋 @{handle}"])
    if platform == "mastodon":
        user, _, instance = handle.partition("@")
        return rng.choice([f"@{handle}", f"{instance}/@{user}", f"🐘 @{user}@{instance}"])
    return rng.choice(
        [f"linkedin.com/in/{handle}", f"in/{handle}", f"https://www.linkedin.com/in/{handle}/"]
    )


def url_of(target: Record) -> str:
    """The web address of ``target``'s account."""
    handle = target.handle
    if target.platform == "mastodon":
        user, _, instance = handle.partition("@")
        return f"https://{instance}/@{user}"
    return {
        "x": "https://x.com/{h}",
        "instagram": "https://www.instagram.com/{h}",
        "bluesky": "https://bsky.app/profile/{h}",
        "linkedin": "https://www.linkedin.com/in/{h}",
    }[target.platform or "x"].format(h=handle)


def _obfuscated(rng: random.Random, email: str) -> str:
    local, _, domain = email.partition("@")
    name, _, tld = domain.rpartition(".")
    return rng.choice(
        [
            email,
            f"📧 {email}",
            f"{local} (at) {name} (dot) {tld}",
            f"{local}[at]{domain}",
            f"{local} at {name} dot {tld}",
        ]
    )


def add_cross_references(
    rng: random.Random,
    world: World,
    profiles: dict[str, list[Record]],
    customers: dict[str, list[Record]],
) -> list[Pair]:
    """Write bios and urls into the profiles (and stale handles into CRM rows); return the
    labelled pairs the links create. ``profiles``/``customers``: entity → records."""
    pairs: list[Pair] = []
    x_holder = {r.handle: r for rs in profiles.values() for r in rs if r.platform == "x"}
    x_handles = sorted(x_holder)
    shared: dict[str, list[Record]] = {}
    for person in world.people:
        own = profiles.get(person.person_id, [])
        crm = customers.get(person.person_id, [])
        language = person.locale.code[:2]
        friend_records = [
            r for f in person.friends[:6] for r in profiles.get(world.people[f].person_id, [])
        ]
        for record in own:
            row = record.row
            bio = rng.choice(BIO_WORDS[language]).format(i=person.interest, c=person.city.name)
            others = [r for r in own if r is not record]
            if others and rng.random() < 0.28:
                target = rng.choice(others)
                bio += " · " + link_to(rng, target)
                pairs.append((record.record_id, target.record_id, 1, "xref_bio_link"))
            if crm and rng.random() < 0.05:
                bio += " " + _obfuscated(rng, person.email)
                pairs += [
                    (record.record_id, c.record_id, 1, "xref_email_in_bio")
                    for c in crm
                    if c.email == person.email
                ]
            if friend_records and rng.random() < 0.07:
                friend = rng.choice(friend_records)
                bio += " " + rng.choice(
                    [
                        "Thanks {l}!",
                        "follow my friend {l}",
                        "📸 by {l}",
                        "co-host with {l}",
                        "gracias a {l}",
                    ]
                ).format(l=link_to(rng, friend))
                pairs.append((record.record_id, friend.record_id, 0, "xref_foreign_link"))
            if record.platform == "x" and x_handles and rng.random() < 0.02:
                holder = x_holder[rng.choice(x_handles)]
                if holder.entity != person.person_id:
                    bio += " " + rng.choice(["(antes @{h})", "formerly @{h}", "old: @{h}"]).format(
                        h=holder.handle
                    )
                    pairs.append((record.record_id, holder.record_id, 0, "xref_stale_link"))
            row["bio"] = bio
            roll = rng.random()
            if person.site and roll < 0.7:
                row["url"] = "https://" + person.site
            elif others and roll < 0.8:
                target = rng.choice(others)
                row["url"] = url_of(target)
                pairs.append((record.record_id, target.record_id, 1, "xref_bio_link"))
            elif roll < 0.85:
                row["url"] = rng.choice(SHARED_HOSTS)
            elif person.employer is not None and roll < 0.95:
                row["url"] = "https://www." + world.companies[person.employer][1]
            if row["url"] and row["url"] != "https://" + (person.site or ""):
                shared.setdefault(row["url"], []).append(record)
        for record in crm:
            if record.row["twitter_handle"]:
                named = x_holder.get(record.row["twitter_handle"].lstrip("@"))
                if named is not None:
                    pairs.append((record.record_id, named.record_id, 1, "xref_crm_twitter"))
            elif x_handles and rng.random() < 0.01:  # an old handle, now someone else's
                holder = x_holder[rng.choice(x_handles)]
                if holder.entity != person.person_id:
                    record.row["twitter_handle"] = holder.handle
                    pairs.append((record.record_id, holder.record_id, 0, "xref_stale_link"))
    for url in sorted(shared):
        holders = shared[url]
        for _ in range(min(40, len(holders))):
            a, b = rng.sample(holders, 2) if len(holders) > 1 else (holders[0], holders[0])
            if a.entity != b.entity:
                pairs.append((a.record_id, b.record_id, 0, "xref_shared_host"))
    for person in world.people:
        site_holders = [
            r
            for r in profiles.get(person.person_id, [])
            if person.site and r.row["url"] == "https://" + person.site
        ]
        for k, a in enumerate(site_holders):
            pairs += [(a.record_id, b.record_id, 1, "xref_url") for b in site_holders[k + 1 :]]
    return pairs
