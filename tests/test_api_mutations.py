"""Mutations: runAnalysis starts graph/'s analysis in the background; a query polls it."""

from __future__ import annotations

from neo4j import Driver

from srm.settings import Settings
from tests.api_support import client_for, gql, keyed_settings, load_graph


def test_run_analysis_is_polled_to_its_algorithm_run(driver: Driver, settings: Settings) -> None:
    load_graph(driver)
    client = client_for(keyed_settings(settings), driver)
    status, body = gql(
        client, "mutation { runAnalysis(kind: INFLUENCE) { id status pollQuery } }", role="marketer"
    )
    assert status == 403 and "marketer" in body["errors"][0]["message"]
    _, body = gql(
        client, "mutation { runAnalysis(kind: INFLUENCE) { id status pollQuery } }", role="analyst"
    )
    job = body["data"]["runAnalysis"]
    assert job["status"] in ("queued", "running")
    client.app.state.jobs.wait(timeout_s=300)  # type: ignore[attr-defined]
    _, body = gql(client, job["pollQuery"], role="analyst")
    polled = body["data"]["analysisJob"]
    assert polled["status"] == "finished", polled
    run_id = polled["runId"]
    _, body = gql(
        client,
        """query($id: ID!) { algorithmRun(id: $id) { algorithm status }
             profile(id: "x:1") { influence { runId value } } }""",
        role="analyst",
        id=run_id,
    )
    assert body["data"]["algorithmRun"]["status"] == "finished"
    assert body["data"]["profile"]["influence"]["runId"] == run_id
    _, body = gql(client, '{ analysisJob(id: "unknown") { status } }', role="analyst")
    assert body["data"]["analysisJob"] is None


def test_accept_reject_and_unmerge_call_identity_review(driver: Driver, settings: Settings) -> None:
    load_graph(driver)
    client = client_for(keyed_settings(settings), driver)
    accept = 'mutation { acceptMerge(id: "customer:C2|profile:x:4") { status changed } }'
    status, body = gql(client, accept, role="marketer")
    assert status == 403 and "marketer" in body["errors"][0]["message"]
    _, body = gql(client, accept, role="analyst")
    assert body["data"]["acceptMerge"] == {"status": "accepted", "changed": 1}
    _, body = gql(
        client,
        "{ mergeCandidates(status: ACCEPTED) { edges { node { id status reviewedBy } } } }",
        role="analyst",
    )
    node = body["data"]["mergeCandidates"]["edges"][0]["node"]
    assert node["id"] == "customer:C2|profile:x:4" and node["reviewedBy"].startswith("api-key:")
    _, body = gql(
        client, 'mutation { rejectMerge(id: "customer:C2|profile:x:4") { status } }', role="admin"
    )
    assert body["data"]["rejectMerge"]["status"] == "rejected"
    status, body = gql(client, 'mutation { rejectMerge(id: "C2") { status } }', role="admin")
    assert status == 400 and "merge candidate id" in body["errors"][0]["message"]
    _, body = gql(
        client,
        'mutation { unmerge(personId: "P1", recordId: "profile:x:1") { id accounts { id } } }',
        role="admin",
    )
    moved = body["data"]["unmerge"]
    assert moved["id"] != "P1" and moved["accounts"] == [{"id": "x:1"}]
    _, body = gql(client, '{ person(id: "P1") { accounts { id } customers { id } } }')
    assert body["data"]["person"] == {"accounts": [], "customers": [{"id": "C1"}]}
