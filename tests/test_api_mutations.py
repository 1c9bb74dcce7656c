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
