"""The synthetic bundle: reproducible, readable by the bundle reader, truth covering every
record, and the population features the identity work needs (nicknames, namesakes, …)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from srm.ingest.formats import ReadOptions
from srm.ingest.quarantine import Rejected
from srm.ingest.readers.bundle import read
from srm.ingest.rows import CustomerRow, FollowBlock, PostRow, ProfileRow
from srm.synthetic.generate import generate_bundle


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    for name, seed in (("a", 11), ("b", 11), ("c", 12)):
        generate_bundle(tmp_path / name, people=150, seed=seed)
    for file in ("customers.csv", "profiles.csv", "follows.csv", "posts.csv", "truth.csv"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()
    assert (tmp_path / "a" / "follows.csv").read_bytes() != (
        tmp_path / "c" / "follows.csv"
    ).read_bytes()


def test_bundle_reads_cleanly_and_truth_covers_every_record(tmp_path: Path) -> None:
    summary = generate_bundle(tmp_path, people=400, seed=2)
    items = list(read(tmp_path, ReadOptions()))
    assert not [item for item in items if isinstance(item, Rejected)]
    kinds = Counter(type(item) for item in items)
    assert kinds[CustomerRow] == summary.customers
    assert kinds[ProfileRow] == summary.profiles
    follows = [pair for item in items if isinstance(item, FollowBlock) for pair in item.pairs]
    assert len(follows) == summary.follows and len(set(follows)) == len(follows)
    assert kinds[PostRow] == summary.posts
    truth = {row["record_id"]: row["person_id"] for row in _rows(tmp_path / "truth.csv")}
    records = {f"customer:{item.customer_id}" for item in items if isinstance(item, CustomerRow)}
    records |= {f"profile:{item.profile_key}" for item in items if isinstance(item, ProfileRow)}
    assert records == set(truth)
    profiles_per_person = Counter(
        person for record, person in truth.items() if record.startswith("profile:")
    )
    assert max(profiles_per_person.values()) >= 3  # brands have 3, people up to 3
    # Customers overlap social accounts only in part.
    customer_people = {p for r, p in truth.items() if r.startswith("customer:")}
    social_people = {p for r, p in truth.items() if r.startswith("profile:")}
    assert customer_people & social_people and customer_people - social_people
    assert social_people - customer_people


def test_population_has_accents_nicknames_namesakes_and_influencers(tmp_path: Path) -> None:
    generate_bundle(tmp_path, people=600, seed=4)
    customers = _rows(tmp_path / "customers.csv")
    profiles = _rows(tmp_path / "profiles.csv")
    names = " ".join(f"{c['first_name']} {c['last_name']}" for c in customers)
    assert any(ch in names for ch in "ñáéíóú")
    assert any(len(c["last_name"].split()) == 2 for c in customers)  # double surnames
    displays = " ".join(p["display_name"] for p in profiles)
    assert "Paco" in displays or "Pepe" in displays or "Bob" in displays
    full_names = Counter((c["first_name"], c["last_name"]) for c in customers)
    assert full_names.most_common(1)[0][1] >= 2  # namesakes
    in_degree = Counter(row["followed_profile_id"] for row in _rows(tmp_path / "follows.csv"))
    counts = sorted(in_degree.values(), reverse=True)
    assert counts[0] >= 5 * (sum(counts) / len(counts))  # a few accounts everyone follows
    posts = _rows(tmp_path / "posts.csv")
    assert any(p["repost_of_post_id"] for p in posts) and any(
        p["mentioned_profile_ids"] for p in posts
    )
    brands = _rows(tmp_path / "brands.csv")
    assert [b["is_own"] for b in brands].count("true") == 1 and len(brands) == 3
