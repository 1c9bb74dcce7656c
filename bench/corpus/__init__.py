"""An independent development corpus for identity resolution, written as a canonical SRM
bundle with its ground truth and labelled hard pairs.

    python -m bench.corpus --out DIR [--people N] [--seed S]

It is designed from real distributions, not from SRM's model or its own generator: Faker's
locale lists (es_ES, es_MX, en_US, en_GB, pt_BR, pt_PT, de_DE, fr_FR, it_IT) for names,
companies, e-mail domains and phones, with Zipf–Mandelbrot name frequencies; geonames
cities drawn by population (so big cities hold many namesakes) and written as people
write them. It mixes CRM-only customers, people with 1–4 accounts, organisations'
accounts, pseudonymous accounts and a few bots, and labels every failure class (see
:mod:`bench.corpus.pairs`).

Files in DIR: ``customers.csv``, ``profiles.csv``, ``follows.csv``, ``posts.csv`` (the
bundle, loadable by ``srm ingest DIR --format bundle``), ``truth.csv``
(``record_id,person_id``; ``customer:<id>`` / ``profile:<platform>:<id>``, as
``srm identities export`` writes them) and ``pair_classes.csv``
(``record_a,record_b,same,failure_class``). The same seed gives the same bytes.
Seed 101 is held out: report on it, never tune on it.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

from bench.corpus.names import pseudonym
from bench.corpus.network import follows_and_posts
from bench.corpus.pairs import CLASSES, label_pairs
from bench.corpus.population import make_world
from bench.corpus.records import Ids, Record, customer_rows, org_profiles, person_profiles
from bench.corpus.sources import PLATFORMS
from bench.corpus.xrefs import add_cross_references
from srm import bundle_format

__all__ = ["CLASSES", "DEVELOPMENT_SEED", "HELD_OUT_SEED", "add_seed_option", "generate_corpus"]

DEVELOPMENT_SEED = 7  # the corpus the model is tuned on
HELD_OUT_SEED = 101  # the corpus it is reported on, never tuned on
CUSTOMER_HEADER = (*bundle_format.CUSTOMER_HEADER, "segment")
PROFILE_HEADER = bundle_format.SYNTHETIC_PROFILE_HEADER


def add_seed_option(parser: argparse.ArgumentParser, flag: str) -> None:
    """The corpus's seed as option ``flag``, the development seed by default."""
    parser.add_argument(
        flag,
        type=int,
        default=DEVELOPMENT_SEED,
        help=f"the corpus's seed (default {DEVELOPMENT_SEED}, the development one); "
        f"{HELD_OUT_SEED} is held out for reporting, never tuning",
    )


def _bots(rng: random.Random, ids: Ids, count: int) -> list[Record]:
    bots = []
    for index in range(count):
        platform = rng.choice(PLATFORMS[:3])
        _, handle = pseudonym(rng)
        handle = ids.handle(platform, f"{handle}{rng.getrandbits(20):x}")
        if platform == "mastodon":
            handle = ids.handle(platform, f"{handle}@mastodon.social")
        native = ids.native(platform, handle)
        record = Record(
            f"profile:{platform}:{native}",
            f"B{index:05d}",
            platform,
            native,
            handle,
            tags={"bot"},
            place="blank",
        )
        record.row = {
            "profile_id": native,
            "platform": platform,
            "handle": handle,
            "display_name": rng.choice(["Crypto Gains 💰", "Free followers", "Deals 24/7"]),
            "bio": "DM for promo 🚀",
            "location": "",
            "url": "https://bit.ly/",
            "followers_count": str(rng.randint(0, 40)),
            "created_at": "2025-01-01T00:00:00Z",
        }
        bots.append(record)
    return bots


def _write(path: Path, header: tuple[str, ...], rows: list[dict[str, str]] | list[tuple]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(c, "") for c in header] if isinstance(row, dict) else row)


def generate_corpus(out: Path, people: int, seed: int) -> dict[str, int]:
    """Write the corpus for ``people`` persons from ``seed`` into ``out``; return counts."""
    rng = random.Random(seed * 1_000_003 + 17)
    world = make_world(people, seed)
    ids = Ids(rng)
    profiles: dict[str, list[Record]] = {}
    customers: dict[str, list[Record]] = {}
    for entity, person in enumerate(world.people):
        if person.platforms:
            profiles[person.person_id] = person_profiles(rng, world, ids, entity)
    for org in world.orgs:
        profiles[org.org_id] = org_profiles(rng, org, ids)
    for entity, person in enumerate(world.people):
        x_handles = [r.handle for r in profiles.get(person.person_id, []) if r.platform == "x"]
        rows = customer_rows(rng, world, entity, ids, x_handles)
        if rows:
            customers[person.person_id] = rows
    explicit = add_cross_references(rng, world, profiles, customers)
    bots = _bots(rng, ids, max(2, people // 250))
    follows, posts = follows_and_posts(rng, world, profiles, bots)
    indegree: dict[str, int] = {}
    for _, followed in follows:
        indegree[followed.record_id] = indegree.get(followed.record_id, 0) + 1
    records: dict[str, list[Record]] = {}
    for key in sorted(set(customers) | set(profiles)):
        records[key] = customers.get(key, []) + profiles.get(key, [])
    for bot in bots:
        records[bot.entity] = [bot]
    all_profiles = [r for rs in records.values() for r in rs if r.platform]
    for record in all_profiles:
        if not record.row["followers_count"]:
            outside = int(rng.lognormvariate(3.0, 1.6)) * (20 if "org" in record.tags else 1)
            record.row["followers_count"] = str(indegree.get(record.record_id, 0) + outside)
    all_customers = [r for rs in customers.values() for r in rs]
    rng.shuffle(all_profiles)
    rng.shuffle(all_customers)
    pairs = label_pairs(rng, world, records, explicit)
    out.mkdir(parents=True, exist_ok=True)
    _write(out / "customers.csv", CUSTOMER_HEADER, [r.row for r in all_customers])
    _write(out / "profiles.csv", PROFILE_HEADER, [r.row for r in all_profiles])
    _write(
        out / "follows.csv",
        ("follower_profile_id", "followed_profile_id", "follower_platform", "followed_platform"),
        [(a.native_id, b.native_id, a.platform, b.platform) for a, b in follows],
    )
    _write(
        out / "posts.csv",
        ("post_id", "profile_id", "platform", "created_at", "text", "mentioned_profile_ids"),
        posts,
    )
    truth = sorted((r.record_id, r.entity) for rs in records.values() for r in rs)
    _write(out / "truth.csv", ("record_id", "person_id"), truth)
    _write(out / "pair_classes.csv", ("record_a", "record_b", "same", "failure_class"), pairs)
    return {
        "people": people,
        "customers": len(all_customers),
        "profiles": len(all_profiles),
        "follows": len(follows),
        "posts": len(posts),
        "labelled_pairs": len(pairs),
    }
