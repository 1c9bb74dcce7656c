"""The map tests' graph: a small bundle loaded through the real ingest pipeline, then the
scores, communities and persons analytics and identity resolution would add.

Thirteen x profiles in three communities plus one Mastodon account, two brands (Acme is
ours, a competitor), two CRM customers, two persons, SAME_AS links of every status and a
post cascade. One profile, one customer, one post and the competitor's name carry XSS
payloads, so every map kind has hostile text in it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from srm import db
from srm.bundle_format import CUSTOMER_HEADER, POST_HEADER, PROFILE_HEADER
from srm.ingest.pipeline import ingest_paths
from srm.store import write
from tests import statements
from tests.ingest_helpers import write_csv

# The maps' posts files carry no platform column (every profile id is an X id here).
POSTS_HEADER = tuple(column for column in POST_HEADER if column != "platform")

PAYLOAD_SCRIPT = "<script>alert('name')</script>"
PAYLOAD_IMG = '<img src=x onerror="alert(\'bio\')" id="injected-img">'
PAYLOAD_QUOTE = '" onmouseover="alert(\'attr\')" data-x="'
PAYLOAD_URL = "javascript:alert('url')"
PAYLOAD_CLOSE = "</script><script>alert('close')</script><b id=\"injected-b\">x</b>"
RIVAL = "Rival<img src=x onerror=alert('brand') id=injected-brand>"
EVIL_KEY = "x:13"
ALICE_EMAIL = "alice.secret@example.com"
ALICE_PHONE = "+15550001234"

COMMUNITIES = {0: range(1, 5), 1: range(5, 9), 2: range(9, 14)}


def write_bundle(folder: Path) -> Path:
    """The canonical bundle files of the test graph in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    profiles: list[list[object]] = [
        [str(n), "x", f"user{n}", f"User {n}", f"bio of user {n}", "", "", 10 * n]
        for n in range(1, 13)
    ]
    profiles.append(
        [
            "13",
            "x",
            "evil13",
            PAYLOAD_SCRIPT + PAYLOAD_QUOTE,
            PAYLOAD_IMG,
            PAYLOAD_CLOSE,
            PAYLOAD_URL,
            999,
        ]
    )
    profiles += [
        ["20", "x", "acme", "Acme", "official", "", "", 5000],
        ["21", "x", "rival", "Rival", "official", "", "", 4000],
        ["m1", "mastodon", "user1@social.example", "User One", "", "", "", 3],
    ]
    # the canonical columns up to followers_count (no other counts, no creation times)
    written = PROFILE_HEADER[: PROFILE_HEADER.index("followers_count") + 1]
    write_csv(folder / "profiles.csv", written, profiles)
    follows = []
    for members in COMMUNITIES.values():
        ids = list(members)
        follows += [[str(a), str(b)] for a in ids for b in ids if a != b and (a + b) % 3 != 0]
    follows += [["4", "5"], ["8", "9"], ["12", "1"], ["13", "1"]]
    follows += [[str(n), "20"] for n in (1, 2, 3, 5, 6, 9, 13)]
    follows += [[str(n), "21"] for n in (6, 7, 8, 10, 11)]
    write_csv(folder / "follows.csv", ["follower_profile_id", "followed_profile_id"], follows)
    posts = [
        ["p1", "1", "2026-01-01T10:00:00Z", "launch day", "2|3", "", "", ""],
        ["p2", "2", "2026-01-01T11:00:00Z", "congrats", "1", "p1", "", ""],
        ["p3", "13", "2026-01-01T12:30:00Z", PAYLOAD_CLOSE + PAYLOAD_IMG, "1", "", "p1", ""],
        ["p4", "4", "2026-01-01T13:00:00Z", "", "", "", "", "p1"],
        ["p5", "5", "2026-01-02T09:00:00Z", "agreed", "", "p2", "", ""],
        ["p6", "1", "2026-01-03T09:00:00Z", "thanks @user2 again", "2", "", "", ""],
    ]
    write_csv(
        folder / "posts.csv",
        POSTS_HEADER,
        posts,
    )
    write_csv(
        folder / "customers.csv",
        list(CUSTOMER_HEADER),
        [
            ["C1", "Alice", "Smith", ALICE_EMAIL, ALICE_PHONE, "Lyon", "Roasters", "user1"],
            [
                "C2",
                PAYLOAD_SCRIPT,
                PAYLOAD_IMG,
                "evil@example.com",
                "",
                PAYLOAD_QUOTE,
                PAYLOAD_CLOSE,
                "evil13",
            ],
        ],
    )
    write_csv(
        folder / "brands.csv",
        ["name", "is_own", "official_profile_ids"],
        [["Acme", "yes", "20"], [RIVAL, "no", "21"]],
    )
    return folder


@pytest.fixture(scope="module", name="graph")
def graph_fixture(session_driver: Driver, tmp_path_factory: pytest.TempPathFactory) -> Driver:
    """The test graph, loaded once per test module (its tests only read it)."""
    db.wipe(session_driver)
    load_test_graph(session_driver, tmp_path_factory.mktemp("viz") / "bundle")
    return session_driver


def load_test_graph(driver: Driver, folder: Path) -> None:
    """Ingest the bundle, then add influence scores, communities, persons and SAME_AS."""
    ingest_paths(driver, [write_bundle(folder)], batch_size=100)
    scores = [
        {"key": f"x:{n}", "score": round(0.01 * n, 3), "percentile": 7.0 * n} for n in range(1, 14)
    ]
    write(driver, statements.VIZ_SET_INFLUENCE, rows=scores)
    write(
        driver,
        statements.VIZ_COMMUNITY_RUN,
        rows=[
            {"key": f"x:{n}", "community": community}
            for community, members in COMMUNITIES.items()
            for n in members
        ],
    )
    write(
        driver,
        statements.VIZ_PART_OF,
        rows=[
            {"person": "P-alice", "customer": "C1", "profile": None},
            {"person": "P-alice", "customer": None, "profile": "x:1"},
            {"person": "P-alice", "customer": None, "profile": "mastodon:m1"},
            {"person": "P-evil", "customer": "C2", "profile": None},
            {"person": "P-evil", "customer": None, "profile": EVIL_KEY},
        ],
    )
    write(
        driver,
        statements.VIZ_SAME_AS,
        rows=[
            {"a": "C1", "b": "x:1", "probability": 0.97, "status": "accepted"},
            {"a": "x:1", "b": "mastodon:m1", "probability": 0.91, "status": "accepted"},
            {"a": "C1", "b": "x:6", "probability": 0.35, "status": "rejected"},
            {"a": "mastodon:m1", "b": "x:7", "probability": 0.62, "status": "candidate"},
            {"a": "C2", "b": EVIL_KEY, "probability": 0.88, "status": "accepted"},
        ],
    )
