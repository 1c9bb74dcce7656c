"""The /maps/ routes mounted in the API app: HTML for reading roles, contact data only for
roles allowed to see it, friendly errors, and a served page drawn in Chromium."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from neo4j import Driver

from bench.browser import open_page, wait_for_map
from srm.api.app import create_app
from srm.api.security import hash_key
from srm.settings import Settings
from tests.viz_graph import ALICE_EMAIL, graph_fixture  # noqa: F401 - provides `graph`

KEYS = {"marketer": "key-marketer", "analyst": "key-analyst", "crm": "key-crm"}
ROUTES = (
    "/maps/",
    "/maps/ego?profile=x:1&hops=2",
    "/maps/ego?person=P-alice&relationships=mentioned",
    "/maps/communities",
    "/maps/influencers?top=5",
    "/maps/audience",
    "/maps/identity?person=P-alice",
    "/maps/identity?record=customer:C2&view=collapsed",
    "/maps/cascade?post=x:p1",
)


def _app(settings: Settings, graph: Driver, keys: bool) -> FastAPI:
    configured = ",".join(f"{role}:{hash_key(key)}" for role, key in KEYS.items())
    current = settings.model_copy(update={"api_keys": configured if keys else ""})
    return create_app(current, driver=graph)  # create_app includes maps.router


@pytest.fixture()
def client(settings: Settings, graph: Driver) -> Iterator[TestClient]:
    with TestClient(_app(settings, graph, keys=True)) as test_client:
        yield test_client


def test_every_route_serves_a_map_page(client: TestClient) -> None:
    for route in ROUTES:
        response = client.get(route, headers={"X-API-Key": KEYS["marketer"]})
        assert response.status_code == 200, (route, response.text[:300])
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "Content-Security-Policy" in response.text


def test_contact_data_follows_the_role(client: TestClient) -> None:
    route = "/maps/identity?person=P-alice"
    marketer = client.get(route, headers={"X-API-Key": KEYS["marketer"]})
    analyst = client.get(route, headers={"X-API-Key": KEYS["analyst"]})
    assert ALICE_EMAIL not in marketer.text
    assert ALICE_EMAIL in analyst.text
    assert client.get(route, headers={"X-API-Key": KEYS["crm"]}).status_code == 403
    assert client.get(route).status_code == 401


def test_errors_are_short_escaped_pages(client: TestClient) -> None:
    headers = {"X-API-Key": KEYS["analyst"]}
    missing = client.get(
        "/maps/ego", params={"profile": "<script>alert(1)</script>"}, headers=headers
    )
    assert missing.status_code == 404
    assert "<script>alert(1)" not in missing.text and "&lt;script&gt;" in missing.text
    assert client.get("/maps/ego", headers=headers).status_code == 400
    assert client.get("/maps/ego?profile=x:1&hops=3", headers=headers).status_code == 422
    assert client.get("/maps/identity?person=nobody", headers=headers).status_code == 404


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_served_maps_draw_in_chromium(settings: Settings, graph: Driver) -> None:
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            _app(settings, graph, keys=False), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        with open_page() as browser:
            for route in ("/maps/communities", "/maps/identity?person=P-evil"):
                browser.page.goto(f"http://127.0.0.1:{port}{route}")
                wait_for_map(browser.page)
                drawn = browser.page.evaluate(
                    "Object.keys(window.srmMap.network.getPositions()).length"
                )
                assert drawn > 3, route
            assert browser.blocked_requests == []
            assert browser.dialogs == []
            assert browser.console_errors == []
    finally:
        server.should_exit = True
        thread.join(timeout=10)
