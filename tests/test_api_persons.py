"""The person as the unit in the API, on a real Neo4j after a real influence run: the
influencer ranking by person and by account, persons ranked by influence and audience,
Person.influence, and the marketer's view (no e-mail or phone)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from srm.graph import analysis
from srm.settings import Settings
from srm.store import read, write
from tests import statements
from tests.analytics_graphs import load_persons
from tests.api_support import KEYS, client_for, gql, keyed_settings

EMAIL, PHONE = "star@example.com", "+15550199"

UNITS = """query($unit: InfluencerUnit!) {
  influencers(unit: $unit, first: 10) {
    edges { score node { id influence { value } } person { id } } } }"""


@pytest.fixture()
def client(driver: Driver, settings: Settings, tmp_path: Path) -> TestClient:
    load_persons(driver, tmp_path / "graph")
    analysis.run_influence(driver, betweenness_samples=None)
    return client_for(keyed_settings(settings), driver)


def test_a_person_with_three_accounts_appears_once_by_person(client: TestClient) -> None:
    _, body = gql(client, UNITS, unit="ACCOUNT")
    accounts = [edge["node"]["id"] for edge in body["data"]["influencers"]["edges"]]
    assert sum(key in accounts for key in ("x:t1", "x:t2", "x:t3")) == 3
    assert all(edge["person"] is None for edge in body["data"]["influencers"]["edges"])

    _, body = gql(client, UNITS, unit="PERSON")
    edges = body["data"]["influencers"]["edges"]
    units = [edge["person"]["id"] if edge["person"] else edge["node"]["id"] for edge in edges]
    assert units.count("T") == 1 and len(units) == len(set(units))
    assert sum(edge["node"]["id"] in ("x:t1", "x:t2", "x:t3") for edge in edges) == 1
    scores = [edge["score"] for edge in edges]
    assert scores == sorted(scores, reverse=True)
    # the default unit is PERSON
    _, default = gql(
        client, UNITS.replace("unit: $unit, ", "").replace("($unit: InfluencerUnit!)", "")
    )
    assert default["data"]["influencers"]["edges"] == edges


def test_persons_ranked_with_unduplicated_audience(client: TestClient) -> None:
    query = """query($order: PersonOrder!, $f: PersonFilter, $after: String) {
      persons(orderBy: $order, filter: $f, first: 2, after: $after) {
        edges { cursor node { id influence {
          value runId audience audienceAccounts accountCount contributions } } }
        pageInfo { hasNextPage endCursor } } }"""
    _, body = gql(client, query, role="marketer", order="AUDIENCE")
    page = body["data"]["persons"]
    assert [edge["node"]["id"] for edge in page["edges"]] == ["T", "S"]
    star = page["edges"][1]["node"]["influence"]
    assert (star["audience"], star["audienceAccounts"], star["accountCount"]) == (2, 3, 2)
    assert star["contributions"]["top_followers"][0]["unit"] == "F"
    assert page["pageInfo"]["hasNextPage"]
    _, rest = gql(client, query, order="AUDIENCE", after=page["pageInfo"]["endCursor"])
    assert [edge["node"]["id"] for edge in rest["data"]["persons"]["edges"]] == ["F"]
    _, body = gql(client, query, order="INFLUENCE", f={"minAccounts": 3})
    assert [edge["node"]["id"] for edge in body["data"]["persons"]["edges"]] == ["T"]
    _, body = gql(client, query, order="INFLUENCE", f={"minAccounts": 0})
    assert "minAccounts" in body["errors"][0]["message"]


def test_marketers_see_person_influence_but_no_contact_data(
    client: TestClient, driver: Driver
) -> None:
    write(driver, statements.PERSONS_CUSTOMER_OF_S, email=EMAIL, phone=PHONE)
    response = client.post(
        "/graphql",
        json={
            "query": '{ person(id: "S") { influence { value pagerank run { id } } '
            "customers { id email phone } } "
            "persons(first: 5) { edges { node { customers { email phone } } } } }"
        },
        headers={"X-API-Key": KEYS["marketer"]},
    )
    assert EMAIL not in response.text and PHONE not in response.text
    person = response.json()["data"]["person"]
    assert person["influence"]["value"] > 0
    assert person["influence"]["run"]["id"].startswith("influence")


def test_enrichment_gives_the_person_next_to_its_accounts(
    client: TestClient, driver: Driver
) -> None:
    write(driver, statements.PERSONS_CUSTOMER_OF_S, email=EMAIL, phone=PHONE)
    response = client.post(
        "/api/v1/enrich",
        json={"keys": [{"customer_id": "K-S"}, {"platform": "x", "handle": "h_g"}]},
        headers={"X-API-Key": KEYS["crm"]},
    )
    assert response.status_code == 200, response.text
    star, lone = response.json()["results"]
    stored = read(driver, statements.PERSON_INFLUENCE)
    person = next(row["properties"] for row in stored if row["person_id"] == "S")
    assert star["person_id"] == "S"
    assert star["person_influence_score"] == person["influence_score"]
    assert star["person_influence_run_id"] == person["influence_run_id"]
    # x:f1 and x:f2 (one person F) and x:g follow S's accounts: 3 accounts, 2 persons
    assert (star["audience_accounts"], star["audience_persons"]) == (3, 2)
    accounts = {p["profile_id"]: p for p in star["profiles"]}
    assert set(accounts) == {"x:s1", "x:s2"}
    # x:s2 is followed by x:f1, x:f2, x:g and x:s1
    assert accounts["x:s2"]["followers_in_graph"] == 4
    assert all(p["influence_score"] is not None for p in accounts.values())
    assert lone["person_id"] is None and lone["person_influence_score"] is None
    assert (lone["audience_accounts"], lone["audience_persons"]) == (0, 0)
