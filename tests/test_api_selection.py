"""The API reads only what a query selects: a score's value comes without the stored
explanation text or the input counts; asking for them still answers them (real Neo4j)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from bench.instrument import CountingDriver
from srm.settings import Settings
from tests.api_support import client_for, gql, keyed_settings, load_graph

EXPLANATION_PROPERTY = "influence_explanation"
FOLLOWER_COUNT = "COUNT { ()-[:FOLLOWS]->"
FOLLOWER_SCORES = (
    '{ profile(id: "x:1") { followers(first: 5) { edges { node { id influence { value } } } } } }'
)


@pytest.fixture()
def counted(driver: Driver, settings: Settings) -> tuple[TestClient, CountingDriver]:
    load_graph(driver)
    counting = CountingDriver(driver)
    return client_for(keyed_settings(settings), counting), counting


def _sent(counting: CountingDriver) -> str:
    return "\n".join(counting.statements)


def _answer(counted: tuple[TestClient, CountingDriver], query: str) -> dict:
    """The data of ``query``, answered without errors; the driver counts only its statements."""
    client, counting = counted
    counting.reset()
    status, body = gql(client, query)
    assert status == 200 and "errors" not in body, body
    return body["data"]


@pytest.mark.parametrize(
    "query",
    [
        "{ influencers(first: 3) { edges { node { handle influence { value } } } } }",
        '{ profile(id: "x:1") { handle influence { value percentile runId } } }',
        FOLLOWER_SCORES,
    ],
)
def test_a_query_for_the_value_reads_no_explanation_and_no_counts(
    counted: tuple[TestClient, CountingDriver], query: str
) -> None:
    _answer(counted, query)
    counting = counted[1]
    sent = _sent(counting)
    assert counting.count >= 1
    assert EXPLANATION_PROPERTY not in sent and ".*" not in sent, sent
    assert FOLLOWER_COUNT not in sent, sent


def test_short_scores_are_the_stored_values(counted: tuple[TestClient, CountingDriver]) -> None:
    client, _ = counted
    _, body = gql(client, "{ influencers(first: 3) { edges { node { id influence { value } } } } }")
    nodes = [edge["node"] for edge in body["data"]["influencers"]["edges"]]
    assert nodes == [
        {"id": "x:1", "influence": {"value": 0.9}},
        {"id": "x:2", "influence": {"value": 0.5}},
        {"id": "x:3", "influence": {"value": 0.3}},
    ]
    _, body = gql(
        client,
        FOLLOWER_SCORES,
    )
    followers = [edge["node"] for edge in body["data"]["profile"]["followers"]["edges"]]
    assert followers == [
        {"id": "x:2", "influence": {"value": 0.5}},
        {"id": "x:3", "influence": {"value": 0.3}},
        {"id": "x:4", "influence": {"value": 0.2}},
        {"id": "x:5", "influence": {"value": 0.1}},
    ]


FULL = "influence { value pagerank explanation { followers posts } contributions }"
EXPECTED_FULL = {
    "value": 0.9,
    "pagerank": 0.4,
    "explanation": {"followers": 4, "posts": 1},
    "contributions": {"components": {"pagerank": {"weight": 0.5}}},
}


@pytest.mark.parametrize(
    "query",
    [
        # Read in the ranking statement itself.
        "{ influencers(first: 1) { edges { node { FULL } } } }".replace("FULL", FULL),
        # Read after the short score, one batched statement for the level.
        '{ profile(id: "x:1") { FULL } }'.replace("FULL", FULL),
        # Through a fragment, which the selection check must see into.
        "{ influencers(first: 1) { edges { node { ...Score } } } } "
        "fragment Score on Profile { FULL }".replace("FULL", FULL),
    ],
)
def test_selected_inputs_and_explanation_are_still_answered(
    counted: tuple[TestClient, CountingDriver], query: str
) -> None:
    data = _answer(counted, query)
    node = data["profile"] if "profile" in data else data["influencers"]["edges"][0]["node"]
    assert node["influence"] == EXPECTED_FULL
    assert EXPLANATION_PROPERTY in _sent(counted[1])


def test_full_influence_in_the_ranking_costs_no_extra_round_trip(
    counted: tuple[TestClient, CountingDriver],
) -> None:
    client, counting = counted
    counting.reset()
    gql(client, "{ influencers(first: 3) { edges { node { FULL } } } }".replace("FULL", FULL))
    assert counting.count == 1


def test_followers_bring_their_short_scores(counted: tuple[TestClient, CountingDriver]) -> None:
    """A profile by id and its followers' scores: one statement reads both."""
    _answer(counted, FOLLOWER_SCORES)
    counting = counted[1]
    assert counting.count == 1, counting.statements


FOLLOWER_PAGE = """query Page($first: Int!, $after: String) { profile(LOOKUP) { handle
  followers(first: $first, after: $after) { totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id handle influence { value } } } } } }"""
BY_KEY = FOLLOWER_PAGE.replace("LOOKUP", 'id: "x:1"')
# The same profile found by handle: its record first, then the follower page statement.
BY_HANDLE = FOLLOWER_PAGE.replace("LOOKUP", 'platform: "x", handle: "alice"')


def _counted_answer(
    counted: tuple[TestClient, CountingDriver], query: str, **variables: object
) -> tuple[dict, int]:
    client, counting = counted
    counting.reset()
    status, body = gql(client, query, **variables)
    assert status == 200 and "errors" not in body, body
    return body["data"], counting.count


def test_a_profile_and_its_follower_pages_cost_one_round_trip(
    counted: tuple[TestClient, CountingDriver],
) -> None:
    """Every page (first, next, past the end) read with the profile in one statement is what
    the two-statement path answers: the same items, cursors, page info and total."""
    pages = 0
    after = None
    while True:
        one, one_trips = _counted_answer(counted, BY_KEY, first=3, after=after)
        two, two_trips = _counted_answer(counted, BY_HANDLE, first=3, after=after)
        assert (one_trips, two_trips) == (1, 2)
        assert one == two
        followers = one["profile"]["followers"]
        assert followers["totalCount"] == 4 and followers["edges"], one
        pages += 1
        if not followers["pageInfo"]["hasNextPage"]:
            break
        after = followers["pageInfo"]["endCursor"]
    assert pages == 2
    end = followers["pageInfo"]["endCursor"]
    past, trips = _counted_answer(counted, BY_KEY, first=3, after=end)
    assert trips == 1 and past == _counted_answer(counted, BY_HANDLE, first=3, after=end)[0]
    assert past["profile"]["followers"]["edges"] == []


def test_unknown_profile_with_followers_is_null_in_one_round_trip(
    counted: tuple[TestClient, CountingDriver],
) -> None:
    query = BY_KEY.replace('"x:1"', '"x:404"')
    data, trips = _counted_answer(counted, query, first=3)
    assert data == {"profile": None} and trips == 1


def test_different_follower_pages_on_one_profile_fall_back_to_the_page_loader(
    counted: tuple[TestClient, CountingDriver],
) -> None:
    """Two aliased pages with different arguments: each page is still its own answer."""
    query = """{ profile(id: "x:1") { a: followers(first: 1) { edges { node { id } } }
      b: followers(first: 4) { edges { node { id } } } } }"""
    data, _ = _counted_answer(counted, query)
    ids = [edge["node"]["id"] for edge in data["profile"]["b"]["edges"]]
    assert ids == sorted(ids) and len(ids) == 4
    assert [edge["node"]["id"] for edge in data["profile"]["a"]["edges"]] == ids[:1]


def test_an_influencer_page_reads_bios_only_when_a_text_field_is_selected(
    counted: tuple[TestClient, CountingDriver],
) -> None:
    plain = (
        "{ influencers(first: 3, unit: ACCOUNT) { edges { node { handle influence { value } } } } }"
    )
    data = _answer(counted, plain)
    assert ".bio" not in _sent(counted[1])
    with_bio = plain.replace("handle ", "handle bio displayName ")
    texts = _answer(counted, with_bio)
    assert ".bio" in _sent(counted[1])
    edges = texts["influencers"]["edges"]
    assert [e["node"]["handle"] for e in edges] == [
        e["node"]["handle"] for e in data["influencers"]["edges"]
    ]
    assert any(e["node"]["bio"] for e in edges)


FOLLOWER_HANDLES = (
    '{ profile(id: "x:1") { handle followers(first: 5) { edges { node { handle } } } } }'
)
FOLLOWER_NAMES = '{ profile(id: "x:1") { followers(first: 5) { edges { node { displayName } } } } }'


def test_a_followers_page_reads_no_text_unless_selected_and_never_answers_one_that_does(
    counted: tuple[TestClient, CountingDriver],
) -> None:
    plain = _answer(counted, FOLLOWER_HANDLES)
    slim = "[n IN page | n {.profile_key, .platform, .handle, .followers_count"
    assert slim in _sent(counted[1])
    edges = _answer(counted, FOLLOWER_NAMES)["profile"]["followers"]["edges"]
    names = [edge["node"]["displayName"] for edge in edges]
    assert all(names) and len(names) == len(plain["profile"]["followers"]["edges"])
    # the same page twice in one request, once without and once with the text
    both = _answer(counted, "{ a: " + FOLLOWER_HANDLES[2:-2] + " b: " + FOLLOWER_NAMES[2:-2] + " }")
    assert [edge["node"]["displayName"] for edge in both["b"]["followers"]["edges"]] == names
    assert both["a"]["followers"] == plain["profile"]["followers"]
