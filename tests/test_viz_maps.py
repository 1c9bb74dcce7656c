"""Maps built from a real ingested graph (tests/viz_graph.py): what each kind selects, how it
styles it, trimming notes, and that contact data stays out unless allowed."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from srm.errors import NotFoundError, ValidationError
from srm.viz import build, render
from srm.viz.data import Node, Subgraph
from srm.viz.maps import MapSpec, communities_map
from srm.viz.style import SAME_AS_STYLES
from tests.viz_graph import (  # noqa: F401 - graph_fixture provides `graph`
    ALICE_EMAIL,
    ALICE_PHONE,
    COMMUNITIES,
    EVIL_KEY,
    RIVAL,
    graph_fixture,
)


def _ids(spec: MapSpec) -> set[str]:
    return {node["id"] for node in spec.nodes}


def _node(spec: MapSpec, node_id: str) -> dict:
    return next(node for node in spec.nodes if node["id"] == node_id)


def test_ego_map_has_the_one_hop_neighbourhood_and_mention_widths(graph: Driver) -> None:
    spec = build.ego(graph, profile_key="x:1")
    # From the bundle: follows among community 0 where (a+b) % 3 != 0, 12 and 13 follow 1,
    # 1 follows the Acme account (x:20), 1 mentions 2 and 3, 2 and 13 mention 1.
    assert _ids(spec) == {f"profile:x:{n}" for n in (1, 2, 3, 4, 12, 13, 20)}
    mention = next(
        edge
        for edge in spec.edges
        if (edge["from"], edge["to"]) == ("profile:x:1", "profile:x:2")
        and "mentioned" in edge["title"]
    )
    once = next(
        edge
        for edge in spec.edges
        if (edge["from"], edge["to"]) == ("profile:x:2", "profile:x:1")
        and "mentioned" in edge["title"]
    )
    assert mention["title"] == "mentioned 2 times"
    assert mention["width"] > once["width"]
    assert _node(spec, "profile:x:1")["value"] > max(
        node["value"] for node in spec.nodes if node["id"] != "profile:x:1"
    )


def test_ego_map_trims_to_the_top_scored_and_says_so(graph: Driver) -> None:
    spec = build.ego(graph, profile_key="x:1", limit=3)
    # Scores are 0.01 × n, so the top three neighbours are 13, 12 and 4; x:20 is unscored.
    assert _ids(spec) == {f"profile:x:{n}" for n in (1, 13, 12, 4)}
    assert any("3 more profiles were left out" in note for note in spec.notes)
    wider = build.ego(graph, profile_key="x:1", hops=2, limit=100)
    assert len(wider.nodes) > 7 and not any("left out" in note for note in wider.notes)


def test_ego_map_of_a_person_and_relationship_filter(graph: Driver) -> None:
    spec = build.ego(graph, person_id="P-alice", relationships=["mentioned"])
    assert {"person:P-alice", "profile:x:1", "profile:mastodon:m1"} <= _ids(spec)
    assert {edge["title"].split()[0] for edge in spec.edges} <= {"mentioned", "part"}
    with pytest.raises(ValidationError):
        build.ego(graph, profile_key="x:1", hops=3)
    with pytest.raises(ValidationError):
        build.ego(graph, profile_key="x:1", relationships=["likes"])
    with pytest.raises(NotFoundError):
        build.ego(graph, profile_key="x:404")


def test_communities_map_colours_sizes_labels_and_legend(graph: Driver) -> None:
    spec = build.communities(graph)
    by_community: dict[int, set[str]] = {}
    for community, members in COMMUNITIES.items():
        by_community[community] = {_node(spec, f"profile:x:{n}")["color"] for n in members}
    assert all(len(colours) == 1 for colours in by_community.values())
    assert len({next(iter(colours)) for colours in by_community.values()}) == 3
    labelled = [node for node in spec.nodes if node["label"]]
    assert len(labelled) == 9  # three per community
    assert _node(spec, "profile:x:12")["value"] > _node(spec, "profile:x:9")["value"]
    assert not _node(spec, "profile:x:9")["label"] and _node(spec, "profile:x:11")["label"]
    assert sum("community" in entry.text for entry in spec.legend) == 3


def test_communities_map_trims_each_community_to_its_share(graph: Driver) -> None:
    spec = build.communities(graph, limit=6)
    assert len(spec.nodes) == 6
    # 13 members in communities of 4, 4 and 5: two each, the top-scored of each.
    assert _ids(spec) == {f"profile:x:{n}" for n in (3, 4, 7, 8, 12, 13)}
    assert any("7 more profiles were left out" in note for note in spec.notes)


def test_influencers_map_has_the_top_and_the_brand(graph: Driver) -> None:
    spec = build.influencers(graph, top=5)
    assert _ids(spec) == {f"profile:x:{n}" for n in (9, 10, 11, 12, 13)} | {"brand:Acme"}
    assert {(edge["from"], edge["to"]) for edge in spec.edges if edge["to"] == "brand:Acme"} == {
        ("profile:x:9", "brand:Acme"),
        ("profile:x:13", "brand:Acme"),
    }


def test_audience_map_tells_customers_community_shared_and_competitors_apart(
    graph: Driver,
) -> None:
    spec = build.audience(graph)
    colour = {node["id"]: node["color"] for node in spec.nodes}
    customer, community = colour["profile:x:1"], colour["profile:x:2"]  # x:1 is C1's handle
    shared, competitor = colour["profile:x:6"], colour["profile:x:7"]
    assert len({customer, community, shared, competitor}) == 4
    assert colour["profile:x:3"] == community and colour["profile:x:8"] == competitor
    assert {"brand:Acme", f"brand:{RIVAL}"} <= set(colour)
    with pytest.raises(NotFoundError):
        build.audience(graph, brand="Nobody")


def test_identity_map_expanded_shows_same_as_by_status(graph: Driver) -> None:
    spec = build.identity(graph, person_id="P-alice")
    assert {"person:P-alice", "customer:C1", "profile:x:1", "profile:mastodon:m1"} <= _ids(spec)
    same_as = {
        (edge["from"], edge["to"]): edge for edge in spec.edges if "same as" in edge["title"]
    }
    accepted = same_as[("customer:C1", "profile:x:1")]
    rejected = same_as[("customer:C1", "profile:x:6")]
    candidate = same_as[("profile:mastodon:m1", "profile:x:7")]
    assert accepted["dashes"] and rejected["dashes"] and candidate["dashes"]
    assert accepted["label"] == "0.97 accepted" and rejected["label"] == "0.35 rejected"
    assert len({accepted["color"], rejected["color"], candidate["color"]}) == 3
    assert accepted["color"] == SAME_AS_STYLES["accepted"]["color"]


def test_identity_map_collapsed_draws_the_person_as_one_node(graph: Driver) -> None:
    spec = build.identity(graph, person_id="P-alice", collapsed=True)
    ids = _ids(spec)
    assert "person:P-alice" in ids
    assert not {"customer:C1", "profile:x:1", "profile:mastodon:m1"} & ids
    rejected = [edge for edge in spec.edges if edge.get("label") == "0.35 rejected"]
    assert [(edge["from"], edge["to"]) for edge in rejected] == [("person:P-alice", "profile:x:6")]
    assert "3 records" in _node(spec, "person:P-alice")["title"]
    by_record = build.identity(graph, record_id="customer:C1")
    assert "person:P-alice" in _ids(by_record)


def test_contact_data_only_when_allowed(graph: Driver) -> None:
    hidden = render.render_html(build.identity(graph, person_id="P-alice"))
    assert ALICE_EMAIL not in hidden and ALICE_PHONE not in hidden
    shown = build.identity(graph, person_id="P-alice", show_personal_data=True)
    assert ALICE_EMAIL in _node(shown, "customer:C1")["title"]
    assert ALICE_PHONE in _node(shown, "customer:C1")["title"]


def test_cascade_map_places_posts_in_time_and_generation(graph: Driver) -> None:
    spec = build.cascade(graph, post_key="x:p1")
    assert _ids(spec) == {f"post:x:p{n}" for n in range(1, 6)}
    kinds = {(edge["from"], edge["to"]): edge["title"] for edge in spec.edges}
    assert kinds == {
        ("post:x:p2", "post:x:p1"): "reply",
        ("post:x:p3", "post:x:p1"): "quote",
        ("post:x:p4", "post:x:p1"): "repost",
        ("post:x:p5", "post:x:p2"): "reply",
    }
    x = {node["id"]: node["x"] for node in spec.nodes}
    assert x["post:x:p1"] < x["post:x:p2"] < x["post:x:p3"] < x["post:x:p4"] < x["post:x:p5"]
    assert _node(spec, "post:x:p5")["y"] > _node(spec, "post:x:p2")["y"]
    assert _ids(build.cascade(graph)) == _ids(spec)  # the most amplified post by default


def test_map_of_an_evil_profile_keeps_payloads_as_text(graph: Driver) -> None:
    spec = build.ego(graph, profile_key=EVIL_KEY)
    assert "<script>alert('name')</script>" in _node(spec, f"profile:{EVIL_KEY}")["title"]
    page = render.render_html(spec)
    assert "<script>alert(" not in page and "<img src=x" not in page
    vis_script = render._vis_assets()[0]  # its own text holds a "<script>" string literal
    assert page.replace(vis_script, "").count("<script") == 3  # vis, the data, the boot


def test_large_maps_get_a_precomputed_layout_and_no_physics() -> None:
    nodes = {
        f"profile:x:{n}": Node(
            id=f"profile:x:{n}", kind="profile", degree=n % 7, community=str(n % 5)
        )
        for n in range(render.PHYSICS_LIMIT + 50)
    }
    large = render.build_network(communities_map(Subgraph(nodes=nodes)))
    assert large.options["physics"]["enabled"] is False
    assert all("x" in node and node["physics"] is False for node in large.nodes)
    few = dict(list(nodes.items())[:20])
    small = render.build_network(communities_map(Subgraph(nodes=few)))
    assert small.options["physics"]["enabled"] is True
    assert not any("x" in node for node in small.nodes)


def test_demo_maps_are_the_communities_and_the_largest_person(
    graph: Driver, tmp_path: Path
) -> None:
    written = build.write_demo_maps(graph, tmp_path / "maps")
    assert set(written) == {"communities", "identity"}
    identity_page = written["identity"].read_text(encoding="utf-8")
    assert "Identity of person P-alice" in identity_page  # three records: the most
    assert written["communities"].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
