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
    """A profile and its followers' scores: the profile, then one follower page statement."""
    _answer(counted, FOLLOWER_SCORES)
    counting = counted[1]
    assert counting.count == 2, counting.statements
