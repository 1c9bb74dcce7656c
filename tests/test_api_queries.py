"""GraphQL queries of the API on a small real graph: records, links, connections, analysis."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from srm.settings import Settings
from tests.api_support import client_for, gql, keyed_settings, load_graph


@pytest.fixture()
def client(driver: Driver, settings: Settings) -> TestClient:
    load_graph(driver)
    return client_for(keyed_settings(settings), driver)


def test_customer_by_id_with_profiles_and_person(client: TestClient) -> None:
    status, body = gql(
        client,
        '{ customer(id: "C1") { id firstName email profiles { handle } person { id } } }',
    )
    assert status == 200, body
    customer = body["data"]["customer"]
    assert customer["email"] == "alice@example.com"
    assert [p["handle"] for p in customer["profiles"]] == ["alice"]
    assert customer["person"]["id"] == "P1"


def test_customer_by_email_and_unknown(client: TestClient) -> None:
    _, body = gql(client, '{ customer(email: "dan@example.com") { id } }')
    assert body["data"]["customer"]["id"] == "C2"
    _, body = gql(client, '{ customer(id: "nope") { id } }')
    assert body["data"]["customer"] is None


def test_profile_by_handle_and_person_accounts(client: TestClient) -> None:
    _, body = gql(
        client,
        '{ profile(platform: "X", handle: "@Alice") { id person { id accounts { id } '
        "customers { id } } customers { id } } }",
    )
    profile = body["data"]["profile"]
    assert profile["id"] == "x:1"
    assert profile["person"]["accounts"] == [{"id": "x:1"}]
    assert profile["person"]["customers"] == [{"id": "C1"}]
    assert profile["customers"] == [{"id": "C1"}]
    _, body = gql(client, '{ person(id: "P1") { name accounts { handle } } }')
    assert body["data"]["person"] == {"name": "Alice Smith", "accounts": [{"handle": "alice"}]}


def test_followers_pagination_walks_every_page(client: TestClient) -> None:
    query = """query($after: String) { profile(id: "x:1") { followers(first: 3, after: $after) {
        totalCount edges { cursor node { handle } } pageInfo { hasNextPage endCursor } } } }"""
    _, body = gql(client, query)
    first_page = body["data"]["profile"]["followers"]
    assert first_page["totalCount"] == 4
    assert [e["node"]["handle"] for e in first_page["edges"]] == ["bob", "carol", "dave"]
    assert first_page["pageInfo"]["hasNextPage"] is True
    _, body = gql(client, query, after=first_page["pageInfo"]["endCursor"])
    second = body["data"]["profile"]["followers"]
    assert [e["node"]["handle"] for e in second["edges"]] == ["erin"]
    assert second["pageInfo"]["hasNextPage"] is False


def test_following_posts_mentions_and_amplifications(client: TestClient) -> None:
    _, body = gql(
        client,
        """{ profile(id: "x:2") { following { edges { node { handle } } }
             posts { edges { node { id text } } }
             mentions { edges { node { id author { handle } } } } }
           post(id: "x:p1") { author { handle }
             amplifications { totalCount edges { node { kind author { handle } } } } } }""",
    )
    profile = body["data"]["profile"]
    assert [e["node"]["handle"] for e in profile["following"]["edges"]] == ["alice", "acme"]
    assert [e["node"]["id"] for e in profile["posts"]["edges"]] == ["x:p2"]
    assert profile["mentions"]["edges"][0]["node"] == {"id": "x:p1", "author": {"handle": "alice"}}
    post = body["data"]["post"]
    assert post["author"]["handle"] == "alice"
    kinds = [
        (e["node"]["kind"], e["node"]["author"]["handle"]) for e in post["amplifications"]["edges"]
    ]
    assert kinds == [("REPOSTS", "bob"), ("REPLY_TO", "carol")]


def test_bad_cursor_and_first_are_client_errors(client: TestClient) -> None:
    _, body = gql(client, '{ profile(id: "x:1") { followers(after: "zzz") { totalCount } } }')
    assert "not a cursor" in body["errors"][0]["message"]
    query = "query($n: Int!) { influencers(first: $n) { edges { cursor } } }"
    status, body = gql(client, query, n=500)
    assert status == 400
    assert "between 1 and 100" in body["errors"][0]["message"]


def test_search_full_text(client: TestClient) -> None:
    _, body = gql(client, '{ search(text: "roast") { kind profile { handle } } }')
    assert {"kind": "Profile", "profile": {"handle": "alice"}} in body["data"]["search"]
    _, body = gql(client, '{ search(text: "Smith") { kind customer { id } person { id } } }')
    kinds = {hit["kind"] for hit in body["data"]["search"]}
    assert kinds == {"Customer", "Person"}
    _, body = gql(client, '{ search(text: "a:(b] \\"") { kind } }')
    assert "errors" not in body


def test_influencers_filters_and_pages(client: TestClient) -> None:
    query = """query($f: InfluencerFilter, $after: String) {
        influencers(filter: $f, first: 2, after: $after) {
        edges { node { handle influence { value percentile runId explanation { followers } } } }
        pageInfo { hasNextPage endCursor } } }"""
    _, body = gql(client, query)
    page = body["data"]["influencers"]
    assert [e["node"]["handle"] for e in page["edges"]] == ["alice", "bob"]
    assert page["edges"][0]["node"]["influence"] == {
        "value": 0.9,
        "percentile": 100.0,
        "runId": "r0",
        "explanation": {"followers": 4},
    }
    _, body = gql(client, query, after=page["pageInfo"]["endCursor"])
    assert [e["node"]["handle"] for e in body["data"]["influencers"]["edges"]] == ["carol", "dave"]
    _, body = gql(
        client,
        '{ profile(id: "x:1") { influence { algorithm pagerank contributions run { id } } } }',
    )
    assert body["data"]["profile"]["influence"] == {
        "algorithm": "pagerank",
        "pagerank": 0.4,
        "contributions": {"components": {"pagerank": {"weight": 0.5}}},
        "run": {"id": "r0"},
    }
    _, body = gql(client, query, f={"customersOnly": True})
    assert [e["node"]["handle"] for e in body["data"]["influencers"]["edges"]] == ["alice"]
    _, body = gql(client, query, f={"brand": "Acme"})
    assert [e["node"]["handle"] for e in body["data"]["influencers"]["edges"]] == ["bob", "carol"]
    _, body = gql(client, query, f={"community": "k2", "platform": "x"})
    assert [e["node"]["handle"] for e in body["data"]["influencers"]["edges"]] == ["dave", "erin"]


def test_communities_reach_segments_brands(client: TestClient) -> None:
    _, body = gql(
        client,
        """{ communities { id runId size topMembers(first: 2) { handle } }
             reach(id: "x:2") { direct secondDegree total }
             segments(brand: "Acme") { name size }
             brands { name officialProfiles { handle } }
             profile(id: "x:4") { community { id size } } }""",
    )
    data = body["data"]
    assert data["communities"][0] == {
        "id": "k1",
        "runId": "r1",
        "size": 3,
        "topMembers": [{"handle": "alice"}, {"handle": "bob"}],
    }
    # bob's followers: alice, carol; their followers not already direct: dave, erin (of alice).
    assert data["reach"] == {"direct": 2, "secondDegree": 2, "total": 4}
    assert data["segments"] == [{"name": "loyal fans", "size": 1}]
    assert data["brands"][0] == {"name": "Acme", "officialProfiles": [{"handle": "acme"}]}
    assert data["profile"]["community"] == {"id": "k2", "size": 2}


def test_audience_overlap_between_brands_and_with_crm(client: TestClient) -> None:
    _, body = gql(
        client,
        """{ brands: audienceOverlap(brandA: "Acme", brandB: "Rival") {
               sizeA sizeB overlap jaccard sample { handle } }
             crm: audienceOverlap(brandA: "Acme") { comparedWith sizeA sizeB overlap } }""",
    )
    assert body["data"]["brands"] == {
        "sizeA": 2,
        "sizeB": 1,
        "overlap": 1,
        "jaccard": 0.5,
        "sample": [{"handle": "carol"}],
    }
    assert body["data"]["crm"] == {"comparedWith": "crm", "sizeA": 2, "sizeB": 1, "overlap": 0}


def test_ego_network_and_shortest_path(client: TestClient) -> None:
    _, body = gql(
        client,
        """{ egoNetwork(id: "x:4", depth: 1) { nodes { id } edges { source target type } }
             shortestPath(a: "x:5", b: "x:2") { nodes { id } edges { type } } }""",
    )
    ego = body["data"]["egoNetwork"]
    assert sorted(n["id"] for n in ego["nodes"]) == ["x:1", "x:4", "x:5"]
    assert {"source": "x:4", "target": "x:1", "type": "FOLLOWS"} in ego["edges"]
    path = body["data"]["shortestPath"]
    assert len(path["edges"]) == 2 and path["nodes"][0]["id"] == "x:5"
    status, body = gql(client, '{ egoNetwork(id: "x:4", depth: 4) { nodes { id } } }')
    # The only root field failed on its argument: the request failed, 400.
    assert status == 400 and body["data"]["egoNetwork"] is None
    assert "between 1 and 3" in body["errors"][0]["message"]


def test_merge_candidates_and_runs(client: TestClient) -> None:
    _, body = gql(
        client,
        """{ mergeCandidates(minProbability: 0.9) { edges { node { id probability status
              evidence modelVersion left { __typename ... on Customer { id } }
              right { __typename ... on Profile { id } } } } }
             algorithmRun(id: "r0") { algorithm status details }
             algorithmRuns(first: 5) { id } }""",
    )
    candidate = body["data"]["mergeCandidates"]["edges"][0]["node"]
    assert candidate["id"] == "customer:C2|profile:x:4"
    assert candidate["probability"] == 0.93
    assert candidate["evidence"] == [{"comparison": "name", "weight": 2.1}]
    assert candidate["left"] == {"__typename": "Customer", "id": "C2"}
    assert candidate["right"] == {"__typename": "Profile", "id": "x:4"}
    assert body["data"]["algorithmRun"]["status"] == "finished"
    assert body["data"]["algorithmRun"]["details"]["node_count"] == 6
    assert [run["id"] for run in body["data"]["algorithmRuns"]] == ["r1", "r0"]
    _, body = gql(client, "{ mergeCandidates(minProbability: 0.95) { edges { cursor } } }")
    assert body["data"]["mergeCandidates"]["edges"] == []
