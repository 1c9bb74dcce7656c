"""The person as the unit on every map: the cascade's accounts and persons views, and the
legends counting persons beside accounts, checked on hand-built graphs whose answers are
worked out below (real Neo4j, real ingest)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver
from typer.testing import CliRunner

from srm.api.app import create_app
from srm.api.security import hash_key
from srm.bundle_format import PROFILE_HEADER
from srm.cli import app
from srm.errors import ValidationError
from srm.ingest.pipeline import ingest_paths
from srm.settings import Settings, get_settings
from srm.store import write
from srm.viz import build, render
from srm.viz.maps import MapSpec
from tests import statements
from tests.ingest_helpers import write_csv
from tests.viz_graph import (  # noqa: F401 - graph_fixture provides `graph`
    PAYLOAD_CLOSE,
    PAYLOAD_IMG,
    PAYLOAD_SCRIPT,
    POSTS_HEADER,
    graph_fixture,
)

KEY = "key-marketer"

# The cascade: ann posts r; bob reposts it from two X accounts (x:bob, x:bob2: one
# person, P-bob); cy replies to bob's first repost and quotes r (two posts, one account);
# eve (a hostile display name, no person) replies to cy. Posts r, rb1, rb2, c1, c2, e1.
CASCADE_PROFILES: list[list[object]] = [
    ["ann", "x", "ann", "Ann", "", "", "", 50],
    ["bob", "x", "bob", "Bob" + PAYLOAD_SCRIPT, "", "", "", 20],
    ["bob2", "x", "bob_two", "Bob again", "", "", "", 5],
    ["cy", "x", "cy", "Cy", "", "", "", 7],
    ["eve", "x", "eve", PAYLOAD_SCRIPT + PAYLOAD_IMG, "", "", "", 1],
]
CASCADE_POSTS: list[list[object]] = [
    ["r", "ann", "2026-02-01T10:00:00Z", "the launch", "", "", "", ""],
    ["rb1", "bob", "2026-02-01T10:05:00Z", "", "", "", "", "r"],
    ["rb2", "bob2", "2026-02-01T11:00:00Z", "", "", "", "", "r"],
    ["c1", "cy", "2026-02-01T12:00:00Z", "nice", "", "rb1", "", ""],
    ["c2", "cy", "2026-02-02T09:00:00Z", PAYLOAD_CLOSE, "", "", "r", ""],
    ["e1", "eve", "2026-02-03T09:00:00Z", PAYLOAD_IMG, "", "c1", "", ""],
]


@pytest.fixture(scope="module")
def counted_graph(graph: Driver, tmp_path_factory: pytest.TempPathFactory) -> Driver:
    """The maps' test graph (tests/viz_graph.py) plus two persons over its accounts
    (P-split: x:5 follows Acme, x:7 follows the rival; P-rival: x:10 and x:11, both follow
    the rival) and the cascade above."""
    folder = tmp_path_factory.mktemp("cascade")
    write_csv(
        folder / "profiles.csv",
        PROFILE_HEADER[: PROFILE_HEADER.index("followers_count") + 1],
        CASCADE_PROFILES,
    )
    write_csv(
        folder / "posts.csv",
        POSTS_HEADER,
        CASCADE_POSTS,
    )
    ingest_paths(graph, [folder], batch_size=100)
    persons = {"P-split": ("x:5", "x:7"), "P-rival": ("x:10", "x:11"), "P-bob": ("x:bob", "x:bob2")}
    write(
        graph,
        statements.VIZ_PART_OF,
        rows=[
            {"person": person, "customer": None, "profile": key}
            for person, keys in persons.items()
            for key in keys
        ],
    )
    return graph


def _ids(spec: MapSpec) -> set[str]:
    return {node["id"] for node in spec.nodes}


def _links(spec: MapSpec) -> dict[tuple[str, str], str]:
    return {(edge["from"], edge["to"]): edge["title"] for edge in spec.edges}


def test_the_cascade_by_account_and_by_person(counted_graph: Driver) -> None:
    posts = build.cascade(counted_graph, post_key="x:r")
    assert _ids(posts) == {f"post:x:{key}" for key in ("r", "rb1", "rb2", "c1", "c2", "e1")}
    accounts = build.cascade(counted_graph, post_key="x:r", unit="account")
    # bob's person appears twice by account (two accounts reposted), cy once (two posts)
    assert _ids(accounts) == {f"profile:x:{key}" for key in ("ann", "bob", "bob2", "cy", "eve")}
    assert _links(accounts) == {
        ("profile:x:bob", "profile:x:ann"): "repost",
        ("profile:x:bob2", "profile:x:ann"): "repost",
        ("profile:x:cy", "profile:x:bob"): "reply",
        ("profile:x:cy", "profile:x:ann"): "quote",
        ("profile:x:eve", "profile:x:cy"): "reply",
    }
    cy = next(node for node in accounts.nodes if node["id"] == "profile:x:cy")
    assert "2 posts in this cascade" in cy["title"]
    persons = build.cascade(counted_graph, post_key="x:r", by_person=True)
    # ... and once by person, its two reposts one link counted twice
    assert _ids(persons) == {"profile:x:ann", "person:P-bob", "profile:x:cy", "profile:x:eve"}
    assert _links(persons) == {
        ("person:P-bob", "profile:x:ann"): "repost ×2",
        ("profile:x:cy", "person:P-bob"): "reply",
        ("profile:x:cy", "profile:x:ann"): "quote",
        ("profile:x:eve", "profile:x:cy"): "reply",
    }
    bob = next(node for node in persons.nodes if node["id"] == "person:P-bob")
    assert "one person, 2 accounts" in bob["title"] and "2 posts in this cascade" in bob["title"]
    # bob's node sits at his first repost (10:05), before cy's first reply (12:00)
    x = {node["id"]: node["x"] for node in persons.nodes}
    assert x["profile:x:ann"] < x["person:P-bob"] < x["profile:x:cy"] < x["profile:x:eve"]
    # the same count of spreaders in every view: 5 accounts (ann, bob, bob2, cy, eve), 4
    # persons (bob's two accounts are one)
    for spec in (posts, accounts, persons):
        assert any("Spread by 5 accounts, 4 persons" in note for note in spec.notes), spec.notes
    with pytest.raises(ValidationError):
        build.cascade(counted_graph, post_key="x:r", unit="brand")


def test_the_cascade_views_escape_every_user_string(counted_graph: Driver) -> None:
    for unit in ("post", "account", "person"):
        page = render.render_html(build.cascade(counted_graph, post_key="x:r", unit=unit))
        assert "<script>alert(" not in page and "<img src=x" not in page, unit


@pytest.fixture()
def client(settings: Settings, counted_graph: Driver) -> Iterator[TestClient]:
    current = settings.model_copy(update={"api_keys": f"marketer:{hash_key(KEY)}"})
    with TestClient(create_app(current, driver=counted_graph)) as test_client:
        yield test_client


def test_the_cascade_view_switches_by_query_parameter_and_control(client: TestClient) -> None:
    def page(query: str) -> str:
        response = client.get(f"/maps/cascade?post=x:r{query}", headers={"X-API-Key": KEY})
        assert response.status_code == 200
        return response.text

    posts, persons = page(""), page("&view=persons")
    assert "post:x:rb1" in posts and "person:P-bob" not in posts
    assert "person:P-bob" in persons and "post:x:rb1" not in persons
    assert "<strong>every post</strong>" in posts
    assert 'href="/maps/cascade?post=x%3Ar&amp;view=persons"' in posts
    assert "<strong>one node per person</strong>" in persons
    assert 'href="/maps/cascade?post=x%3Ar&amp;view=accounts"' in persons
    assert "profile:x:bob2" in page("&view=accounts")
    bad = client.get("/maps/cascade?post=x:r&view=nope", headers={"X-API-Key": KEY})
    assert bad.status_code == 422


def test_the_cascade_command_takes_the_views(
    counted_graph: Driver, neo4j_uri: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        for flag, shown in (("--by-person", "person:P-bob"), ("--by-account", "profile:x:bob2")):
            page = tmp_path / f"{flag}.html"
            result = runner.invoke(
                app, ["map", "cascade", "--post", "x:r", flag, "--out", str(page)]
            )
            assert result.exit_code == 0, result.output
            assert shown in page.read_text(encoding="utf-8")
        both = ["map", "cascade", "--by-person", "--by-account", "--out", str(tmp_path / "no.html")]
        assert runner.invoke(app, both).exit_code == 2
    finally:
        get_settings.cache_clear()


def _legend(spec: MapSpec) -> set[str]:
    return {entry.text for entry in spec.legend}


def test_audience_legend_counts_accounts_and_persons(counted_graph: Driver) -> None:
    # Audience: the followers of Acme (x:1, 2, 3, 5, 6, 9, 13) and of the rival (x:6, 7,
    # 8, 10, 11), and the accounts of CRM customers (x:1, mastodon:m1 of P-alice, x:13).
    # By account: customers x:1, m1, x:13; community x:2, 3, 5, 9; shared x:6; competitor
    # x:7, 8, 10, 11. By person: P-alice and x:13 (P-evil) are customers; P-split (x:5 for
    # Acme, x:7 for the rival) is shared with x:6; P-rival is one competitor with x:8.
    expected = {
        "customers (a CRM record stands behind the profile): 3 accounts, 2 persons",
        "our community (follows us, not a customer yet): 4 accounts, 3 persons",
        "shared audience (follows us and a competitor): 1 account, 2 persons",
        "competitors' audience only: 4 accounts, 2 persons",
    }
    for by_person in (False, True):
        spec = build.audience(counted_graph, by_person=by_person)
        assert expected <= _legend(spec), (by_person, _legend(spec))
        assert any("Shown: 12 accounts, 9 persons" in note for note in spec.notes)


def test_community_legend_counts_accounts_and_persons(counted_graph: Driver) -> None:
    # Community 0 is x:1-4, 1 is x:5-8 (P-split's x:5 and x:7), 2 is x:9-13 (P-rival's
    # x:10 and x:11); the legend is the same whichever view is drawn.
    legends = []
    for by_person in (False, True):
        spec = build.communities(counted_graph, by_person=by_person)
        counts = sorted(
            entry.text.split(" shown")[0] for entry in spec.legend if "top:" in entry.text
        )
        legends.append(counts)
        assert any("Shown: 13 accounts, 11 persons" in note for note in spec.notes)
    assert (
        legends[0]
        == legends[1]
        == [
            "community 0: 4 accounts, 4 persons",
            "community 1: 4 accounts, 3 persons",
            "community 2: 5 accounts, 4 persons",
        ]
    )


def test_influencer_and_ego_maps_count_persons(counted_graph: Driver) -> None:
    # The 13 scored accounts x:1-13; P-split and P-rival make 11 persons.
    for by_person in (False, True):
        spec = build.influencers(counted_graph, top=13, by_person=by_person)
        assert spec.title == "Top influencers: 13 accounts, 11 persons"
    # P-split's ego by follows: x:5 and x:7, x:5's neighbours x:4, 6, 8 and Acme's x:20,
    # x:7's x:6 and the rival's x:21: 7 accounts, 6 persons.
    for by_person in (False, True):
        spec = build.ego(
            counted_graph, person_id="P-split", relationships=("follows",), by_person=by_person
        )
        assert any("Shown: 7 accounts, 6 persons" in note for note in spec.notes), spec.notes
