"""Handmade bundles for the analytics tests, with answers worked out by hand."""

from __future__ import annotations

from pathlib import Path

from neo4j import Driver

from srm.ingest.pipeline import ingest_paths
from srm.store import write, write_batches
from tests import statements

POSTS_HEADER = (
    "post_id,profile_id,platform,created_at,text,mentioned_profile_ids,"
    "reply_to_post_id,quote_of_post_id,repost_of_post_id\n"
)

# Reach: followers of 1 are {2,3,4}; of 2 {3,5,6}; of 3 {7}; of 4 {1}; of 9 {8}.
# Cascade of r1 (by 1): a1 reposts r1 (2, +1 h), a2 replies to r1 (3, +2 h),
# a3 quotes a1 (5, +3 h), a4 reposts a3 (7, +5 h).
REACH = {
    "profiles.csv": "profile_id,platform,handle,followers_count\n"
    + "".join(f"{i},x,user{i},{i * 10}\n" for i in range(1, 10)),
    "follows.csv": "follower_profile_id,followed_profile_id\n"
    "2,1\n3,1\n4,1\n5,2\n6,2\n3,2\n7,3\n1,4\n8,9\n",
    "posts.csv": POSTS_HEADER + "r1,1,x,2024-05-01T10:00:00Z,Launch day #jamon,,,,\n"
    "a1,2,x,2024-05-01T11:00:00Z,,,,,r1\n"
    "a2,3,x,2024-05-01T12:00:00Z,Congrats @user1,1,r1,,\n"
    "a3,5,x,2024-05-01T13:00:00Z,Look at this,,,a1,\n"
    "a4,7,x,2024-05-01T15:00:00Z,,,,,a3\n",
}

# Brands: Acme (own, official o1) and Rival (official o2). Customers claim c1 and c2.
BRANDS = {
    "profiles.csv": "profile_id,platform,handle,followers_count\n"
    "o1,x,acme,900\no2,x,rival,800\nc1,x,cust_one,50\nc2,x,cust_two,40\n"
    "u1,x,fan_one,5\nu2,x,fan_two,6\nu3,x,fan_three,7\n",
    "follows.csv": "follower_profile_id,followed_profile_id\n"
    "c1,o1\nu1,o1\nu2,o1\nu2,o2\nc2,o2\nu3,o2\nu1,c1\nu2,c1\nu3,c1\nc2,c1\n",
    "posts.csv": POSTS_HEADER + "m1,u3,x,2024-06-01T10:00:00Z,hey @acme,o1,,,\n",
    "customers.csv": "customer_id,first_name,last_name,twitter_handle\n"
    "K1,Ana,Uno,cust_one\nK2,Bea,Dos,cust_two\n",
    "brands.csv": "name,is_own,official_profile_ids\nAcme,true,x:o1\nRival,false,x:o2\n",
}


def two_cliques(extra: int = 0) -> dict[str, str]:
    """Two 5-cliques a0..a4 and b0..b4 (follows both ways) joined by a0→b0; ``extra``
    more profiles following every member of clique a."""
    a = [f"a{i}" for i in range(5)] + [f"n{i}" for i in range(extra)]
    b = [f"b{i}" for i in range(5)]
    pairs = [(u, v) for group in (a[:5], b) for u in group for v in group if u != v]
    pairs += [(n, v) for n in a[5:] for v in a[:5]] + [("a0", "b0")]
    return {
        "profiles.csv": "profile_id,platform,handle\n"
        + "".join(f"{key},x,{key}\n" for key in a + b),
        "follows.csv": "follower_profile_id,followed_profile_id\n"
        + "".join(f"{u},{v}\n" for u, v in pairs),
    }


def load(driver: Driver, folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    ingest_paths(driver, [folder], quarantine_path=folder / "quarantine.jsonl")


# Person S holds x:s1 and x:s2. Person F holds x:f1 and x:f2, and both follow both of S's
# accounts (F is one follower person: 4 follows, 2 follower accounts). Lone g follows
# only x:s2. Person T holds t1, t2, t3, each followed by the six lone n0..n5. S's accounts
# follow each other (no audience).
LONE = [f"n{i}" for i in range(6)]
FOLLOWS = [
    ("f1", "s1"),
    ("f1", "s2"),
    ("f2", "s1"),
    ("f2", "s2"),
    ("g", "s2"),
    ("s1", "s2"),
    ("s2", "s1"),
] + [(n, t) for n in LONE for t in ("t1", "t2", "t3")]
PERSON_GRAPH = {
    "profiles.csv": "profile_id,platform,handle,followers_count\n"
    + "".join(
        f"{key},x,h_{key},{count}\n"
        for key, count in [("s1", 100), ("s2", 50), ("f1", 1), ("f2", 2), ("g", 3)]
        + [(t, 10) for t in ("t1", "t2", "t3")]
        + [(n, 1) for n in LONE]
    ),
    "follows.csv": "follower_profile_id,followed_profile_id\n"
    + "".join(f"{a},{b}\n" for a, b in FOLLOWS),
}
PART_OF = [
    ("x:s1", "S"),
    ("x:s2", "S"),
    ("x:f1", "F"),
    ("x:f2", "F"),
    ("x:t1", "T"),
    ("x:t2", "T"),
    ("x:t3", "T"),
]


def load_persons(driver: Driver, folder: Path) -> None:
    """PERSON_GRAPH with its persons (PART_OF)."""
    load(driver, folder, PERSON_GRAPH)
    write(
        driver,
        statements.VIZ_PART_OF,
        rows=[{"person": p, "profile": k, "customer": None} for k, p in PART_OF],
    )


def write_two_platforms(driver: Driver, x_profiles: int, bluesky_profiles: int) -> None:
    """Profiles ``x:0``… on X and ``bluesky:0``… on Bluesky (a platform whose name sorts
    first), with handles and no links."""
    rows = [{"id": str(n), "platform": "x"} for n in range(x_profiles)]
    rows += [{"id": str(n), "platform": "bluesky"} for n in range(bluesky_profiles)]
    write_batches(driver, statements.CREATE_PLATFORM_PROFILES, rows, batch_size=1_000)
