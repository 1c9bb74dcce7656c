"""The collapsed-person view of the maps: a person's accounts drawn as one node with its
accounts in the tooltip and links merged with their counts, switchable by ?view= and a
control on the page; expanded stays the default."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from bench.browser import open_page, wait_for_map
from srm.api.app import create_app
from srm.api.security import hash_key
from srm.settings import Settings
from srm.store import write
from srm.viz import build, render
from srm.viz.data import Edge, Node, Subgraph
from srm.viz.persons import collapse_persons
from tests import statements
from tests.viz_graph import graph_fixture  # noqa: F401 - provides `graph`

KEY = "key-marketer"
# Screenshots go to $SRM_TEST_ARTIFACTS (or the temp folder), never into the tracked docs/
# (docs/map-persons-*.png are copies chosen by hand).
SCREENSHOTS = Path(os.environ.get("SRM_TEST_ARTIFACTS", tempfile.gettempdir()))


def _profile(key: str, person: str | None, score: float, followers: int) -> Node:
    return Node(
        id=f"profile:{key}",
        kind="profile",
        props={"profile_key": key, "handle": key.split(":")[1], "platform": key.split(":")[0]},
        score=score,
        followers=followers,
        person_id=person,
    )


def test_collapse_merges_a_persons_accounts_and_their_links() -> None:
    nodes = [
        _profile("x:a", "P", 0.9, 100),
        _profile("bsky:a", "P", 0.4, 50),
        _profile("x:c", None, 0.2, 5),
        _profile("x:d", "Q", 0.1, 1),
    ]
    subgraph = Subgraph(
        nodes={node.id: node for node in nodes},
        edges=[
            Edge("profile:x:c", "profile:x:a", "FOLLOWS"),
            Edge("profile:x:c", "profile:bsky:a", "FOLLOWS"),
            Edge("profile:x:a", "profile:bsky:a", "FOLLOWS"),
            Edge("profile:bsky:a", "profile:x:c", "MENTIONED", count=3),
        ],
        centre_ids=["profile:bsky:a"],
    )
    collapsed = collapse_persons(subgraph)
    # Q has one account on the map: it stays; P's two accounts become one node
    assert set(collapsed.nodes) == {"person:P", "profile:x:c", "profile:x:d"}
    person = collapsed.nodes["person:P"]
    assert (person.score, person.followers, person.person_id) == (0.9, 150, "P")
    assert len(person.props["accounts"]) == 2
    links = {(e.source, e.target, e.type): e.count for e in collapsed.edges}
    # c's two follows merge into one link counted twice; P's own follow disappears
    assert links == {
        ("profile:x:c", "person:P", "FOLLOWS"): 2,
        ("person:P", "profile:x:c", "MENTIONED"): 3,
    }
    assert collapsed.centre_ids == ["person:P"]
    # the input is left as it was
    assert len(subgraph.nodes) == 4 and subgraph.edges[0].count == 1


DUO = ("profile:x:11", "profile:x:12")  # both top-scored, both in community 2


@pytest.fixture(scope="module")
def duo(graph: Driver) -> Driver:
    """The maps' test graph with one more person, P-duo, holding x:11 and x:12."""
    write(
        graph,
        statements.VIZ_PART_OF,
        rows=[{"person": "P-duo", "customer": None, "profile": key} for key in ("x:11", "x:12")],
    )
    return graph


def test_every_account_map_has_the_person_view(duo: Driver) -> None:
    for make in (build.communities, build.influencers, build.audience):
        expanded = {node["id"] for node in make(duo).nodes}
        collapsed_spec = make(duo, by_person=True)
        collapsed = {node["id"] for node in collapsed_spec.nodes}
        shown = expanded & set(DUO)
        if make is not build.audience:
            assert shown == set(DUO), make.__name__
        alice = expanded & {"profile:x:1", "profile:mastodon:m1"}
        if len(shown) > 1:
            assert "person:P-duo" in collapsed and not shown & collapsed
            merged = len(shown) - 1 + max(len(alice) - 1, 0)
            assert len(collapsed) == len(expanded) - merged
            duo_node = next(n for n in collapsed_spec.nodes if n["id"] == "person:P-duo")
            assert f"{len(shown)} accounts" in duo_node["title"]
    # the ego map of a person: its accounts (the centre) become the one person node
    expanded_ego = {node["id"] for node in build.ego(duo, person_id="P-alice").nodes}
    assert {"profile:x:1", "profile:mastodon:m1"} <= expanded_ego
    ego = {node["id"] for node in build.ego(duo, person_id="P-alice", by_person=True).nodes}
    assert "person:P-alice" in ego and not {"profile:x:1", "profile:mastodon:m1"} & ego


@pytest.fixture()
def client(settings: Settings, duo: Driver) -> Iterator[TestClient]:
    current = settings.model_copy(update={"api_keys": f"marketer:{hash_key(KEY)}"})
    with TestClient(create_app(current, driver=duo)) as test_client:
        yield test_client


def test_the_view_switches_by_query_parameter_and_page_control(client: TestClient) -> None:
    expanded = client.get("/maps/influencers?top=10", headers={"X-API-Key": KEY}).text
    collapsed = client.get("/maps/influencers?top=10&view=persons", headers={"X-API-Key": KEY}).text
    assert "person:P-duo" in collapsed and "person:P-duo" not in expanded
    # the control: the current view in bold, the other a link keeping the other parameters
    assert "<strong>every account</strong>" in expanded
    assert 'href="/maps/influencers?top=10&amp;view=persons"' in expanded
    assert "<strong>one node per person</strong>" in collapsed
    assert 'href="/maps/influencers?top=10&amp;view=accounts"' in collapsed
    bad = client.get("/maps/communities?view=nope", headers={"X-API-Key": KEY})
    assert bad.status_code == 422


def test_both_views_draw_in_chromium(duo: Driver, tmp_path: Path) -> None:
    """Both views of the communities map in headless Chromium, each node drawn, with the
    view control on the page; screenshots kept as artifacts."""
    drawn = {}
    with open_page() as browser:
        for view, by_person in (("expanded", False), ("collapsed", True)):
            spec = build.communities(duo, by_person=by_person)
            spec.views = [
                ("every account", "?view=accounts", not by_person),
                ("one node per person", "?view=persons", by_person),
            ]
            path = render.write_map(spec, tmp_path / f"{view}.html")
            browser.page.goto(path.as_uri())
            wait_for_map(browser.page)
            drawn[view] = browser.page.evaluate(
                "() => Object.keys(window.srmMap.network.getPositions()).length"
            )
            assert drawn[view] == len(spec.nodes)
            assert browser.page.inner_text("#views").startswith("View:")
            browser.page.screenshot(path=str(SCREENSHOTS / f"srm-map-persons-{view}.png"))
    assert drawn["collapsed"] == drawn["expanded"] - 1
