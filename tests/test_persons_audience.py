"""Audiences counted in persons beside accounts, on a real Neo4j with hand-built graphs:
reach of a profile and of a person, a post's cascade, a brand's segments and overlaps,
in the analytics and in GraphQL."""

from __future__ import annotations

from pathlib import Path

from neo4j import Driver

from srm.graph import analysis
from srm.settings import Settings
from srm.store import read, write
from tests import statements
from tests.analytics_graphs import BRANDS, REACH, load, load_persons, two_cliques
from tests.api_support import client_for, gql, keyed_settings


def _persons(driver: Driver, rows: list[dict]) -> None:
    write(driver, statements.VIZ_PART_OF, rows=rows)


def _reach_graph(driver: Driver, folder: Path) -> None:
    """REACH with x:3 and x:6 one person Q, and x:1 (the cascade's root author) and x:4
    one person R."""
    load(driver, folder, REACH)
    _persons(
        driver,
        [
            {"person": "Q", "profile": "x:3", "customer": None},
            {"person": "Q", "profile": "x:6", "customer": None},
            {"person": "R", "profile": "x:1", "customer": None},
            {"person": "R", "profile": "x:4", "customer": None},
        ],
    )


def test_reach_and_cascade_in_persons(driver: Driver, tmp_path: Path) -> None:
    _reach_graph(driver, tmp_path / "reach")
    # followers of x:1: x:2, x:3 (Q), x:4 (R, its own person: no audience)
    found = analysis.run_reach(driver, profile_key="x:1")
    assert (found.first_hop, found.first_hop_persons) == (3, 2)
    # two hops add x:5, x:6 (Q again), x:7: accounts 2,3,4,5,6,7; persons 2, Q, 5, 7
    assert (found.within_two_hops, found.within_two_hops_persons) == (6, 4)
    stored = read(driver, statements.ANALYTICS_REACH, key="x:1")[0]
    assert stored["reach"] == 6

    # reached: 2, 3, 4 (root's followers), 5, 6 (via x:2), 7 (via x:3) — 6 accounts;
    # persons: 2, Q (3 and 6), 5, 7 — x:4 is the root author's own person R
    cascade = analysis.run_cascade(driver, "x:r1")
    assert (cascade.reached, cascade.reached_persons) == (6, 4)

    person = analysis.run_reach(driver, person_id="R", write=False)
    # seeds x:1 and x:4: followers x:2, x:3 (Q) and x:1 (a seed: none)
    assert (person.first_hop, person.first_hop_persons) == (2, 2)


def test_graphql_reach_in_persons(driver: Driver, settings: Settings, tmp_path: Path) -> None:
    _reach_graph(driver, tmp_path / "reach")
    client = client_for(keyed_settings(settings), driver)
    _, body = gql(
        client,
        '{ reach(id: "x:1") { direct secondDegree directPersons secondDegreePersons '
        "totalPersons } }",
    )
    # direct x:2, x:3, x:4 (3 accounts; persons 2 and Q — R is the profile's own);
    # second degree x:5, x:6, x:7 (x:3 follows directly); persons 5 and 7 (Q is direct)
    assert body["data"]["reach"] == {
        "direct": 3,
        "secondDegree": 3,
        "directPersons": 2,
        "secondDegreePersons": 2,
        "totalPersons": 4,
    }


def _brands_graph(driver: Driver, folder: Path) -> None:
    """BRANDS with customer K1 and its accounts x:c1 and x:u1 one person A1: the customer
    follows Acme from two accounts."""
    load(driver, folder, BRANDS)
    _persons(
        driver,
        [
            {"person": "A1", "profile": "x:c1", "customer": None},
            {"person": "A1", "profile": "x:u1", "customer": None},
            {"person": "A1", "profile": None, "customer": "K1"},
        ],
    )


def test_segments_count_a_customer_with_two_accounts_once(driver: Driver, tmp_path: Path) -> None:
    _brands_graph(driver, tmp_path / "brands")
    _, found = analysis.run_segments(driver, "Acme")
    sizes, persons = found.sizes(), found.person_sizes()
    # audience: c1, u1 (both A1), u2, u3 (mentions) — 4 profiles, 3 persons
    assert (sizes["audience"], persons["audience"]) == (4, 3)
    # customers: c1, u1 (A1) and c2 — 3 profiles, 2 persons
    assert (sizes["customers"], persons["customers"]) == (3, 2)
    assert (sizes["community"], persons["community"]) == (2, 2)
    overlap = next(o for o in found.overlaps if (o.left, o.right) == ("customers", "audience"))
    assert (overlap.count, overlap.persons) == (2, 1)
    rows = read(driver, statements.ANALYTICS_SEGMENT_COUNTS, brand="Acme")
    assert {row["name"]: row["persons"] for row in rows}["audience"] == 3


def test_graphql_segments_and_overlap_in_persons(
    driver: Driver, settings: Settings, tmp_path: Path
) -> None:
    _brands_graph(driver, tmp_path / "brands")
    analysis.run_segments(driver, "Acme")
    client = client_for(keyed_settings(settings), driver)
    _, body = gql(client, '{ segments(brand: "Acme") { name size personCount } }')
    by_name = {s["name"]: s for s in body["data"]["segments"]}
    assert (by_name["audience"]["size"], by_name["audience"]["personCount"]) == (4, 3)
    _, body = gql(
        client,
        '{ audienceOverlap(brandA: "Acme") { sizeA sizeAPersons sizeB sizeBPersons '
        "overlap overlapPersons } }",
    )
    # followers of Acme: c1, u1 (A1), u2; CRM profiles: c1, u1 (A1), c2
    assert body["data"]["audienceOverlap"] == {
        "sizeA": 3,
        "sizeAPersons": 2,
        "sizeB": 3,
        "sizeBPersons": 2,
        "overlap": 2,
        "overlapPersons": 1,
    }


def test_a_person_reach_counts_a_follower_person_once(driver: Driver, tmp_path: Path) -> None:
    load_persons(driver, tmp_path / "graph")
    found = analysis.run_reach(driver, person_id="S", write=False)
    # x:f1 and x:f2 (F) and x:g follow S's accounts; S's own accounts are seeds
    assert (found.first_hop, found.first_hop_persons) == (3, 2)


def test_communities_count_persons_and_show_bridges(
    driver: Driver, settings: Settings, tmp_path: Path
) -> None:
    load(driver, tmp_path / "cliques", two_cliques())
    # B1 holds a1 and b1 (one account in each clique); A2 holds a2 and a3 (one clique)
    _persons(
        driver,
        [
            {"person": "B1", "profile": "x:a1", "customer": None},
            {"person": "B1", "profile": "x:b1", "customer": None},
            {"person": "A2", "profile": "x:a2", "customer": None},
            {"person": "A2", "profile": "x:a3", "customer": None},
        ],
    )
    report = analysis.run_communities(driver)
    membership = {
        row["key"]: row["community_id"]
        for row in read(driver, statements.ANALYTICS_MEMBERSHIP, run_id=report.run_id)
    }
    clique_a, clique_b = membership["x:a0"], membership["x:b0"]
    assert clique_a != clique_b
    assert report.in_persons is not None
    # clique a: a0, B1, A2 (a2 and a3), a4; clique b: b0, B1, b2, b3, b4
    assert report.in_persons.person_counts == {clique_a: 4, clique_b: 5}
    [bridge] = report.in_persons.bridges
    assert bridge.person_id == "B1"
    assert sorted(bridge.communities) == sorted([(clique_a, 0.5), (clique_b, 0.5)])

    client = client_for(keyed_settings(settings), driver)
    _, body = gql(
        client,
        '{ communities { id size personCount } b1: person(id: "B1") { bridge '
        "communities { accounts share community { id } } } "
        'a2: person(id: "A2") { bridge communities { accounts share } } }',
    )
    data = body["data"]
    assert {c["id"]: (c["size"], c["personCount"]) for c in data["communities"]} == {
        str(clique_a): (5, 4),
        str(clique_b): (5, 5),
    }
    assert data["b1"]["bridge"] is True
    assert sorted(c["community"]["id"] for c in data["b1"]["communities"]) == sorted(
        [str(clique_a), str(clique_b)]
    )
    assert all(c["share"] == 0.5 and c["accounts"] == 1 for c in data["b1"]["communities"])
    assert data["a2"] == {"bridge": False, "communities": [{"accounts": 2, "share": 1.0}]}
