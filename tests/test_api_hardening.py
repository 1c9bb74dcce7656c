"""Hostile and odd requests get a 4xx with a clear message, never a 5xx; production names
nothing of the schema in validation errors; limits, headers, key guessing, docs, banner."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from neo4j import Driver

from bench.instrument import CountingDriver
from srm.api.app import create_app
from srm.commands.serve import server_urls
from srm.errors import ConfigurationError
from srm.ingest.pipeline import ingest_paths
from srm.settings import Settings
from tests.api_support import KEYS, client_for, gql, keyed_settings, load_graph
from tests.ingest_helpers import write_bundle

JSON = {"Content-Type": "application/json", "X-API-Key": KEYS["admin"]}


@pytest.mark.parametrize("body", [b"null", b'"brands"', b"42", b"true", b"[]"])
def test_json_bodies_that_are_not_objects_get_400(
    driver: Driver, settings: Settings, body: bytes
) -> None:
    client = client_for(keyed_settings(settings), driver, raise_server_exceptions=False)
    response = client.post("/graphql", content=body, headers=JSON)
    assert response.status_code == 400, response.text
    assert "JSON object" in response.text or "Batching" in response.text


def test_invalid_utf8_in_a_json_body_gets_400(driver: Driver, settings: Settings) -> None:
    client = client_for(keyed_settings(settings), driver, raise_server_exceptions=False)
    body = b'{"query": "{ search(text: \\"caf\xe9\\") { kind } }"}'
    for path in ("/graphql", "/api/v1/enrich"):
        response = client.post(path, content=body, headers=JSON)
        assert response.status_code == 400, (path, response.text)
        assert "UTF-8" in response.text


def test_search_text_limits_are_checked_before_the_index(
    driver: Driver, settings: Settings
) -> None:
    load_graph(driver)
    client = client_for(keyed_settings(settings), driver)
    query = "query($t: String!) { search(text: $t) { kind score } }"
    status, body = gql(client, query, t="a" * 1001)
    assert status == 400 and "at most 200 characters" in body["errors"][0]["message"]
    status, body = gql(client, query, t="word " * 1100)
    assert status == 400 and "at most 20 words" in body["errors"][0]["message"]
    # At the limits the full-text index still answers.
    assert gql(client, query, t="a" * 200)[0] == 200
    assert gql(client, query, t=" ".join(f"w{n}" for n in range(20)))[0] == 200


def test_shortest_path_between_a_profile_and_itself_is_400(
    driver: Driver, settings: Settings
) -> None:
    load_graph(driver)
    client = client_for(keyed_settings(settings), driver)
    status, body = gql(client, '{ shortestPath(a: "x:1", b: "x:1") { nodes { id } } }')
    assert status == 400, body
    assert "same profile" in body["errors"][0]["message"]


def test_two_operations_need_an_operation_name(driver: Driver, settings: Settings) -> None:
    load_graph(driver)
    client = client_for(keyed_settings(settings), driver)
    production = client_for(keyed_settings(settings, production=True), driver)
    document = "query A { brands { name } } query B { segments { name } }"
    for each in (client, production):
        # The protocol's own field is named in production too (it names nothing in the schema).
        status, body = gql(each, document)
        assert status == 400 and "operationName" in body["errors"][0]["message"], body
        assert "data" not in body or body["data"] is None
    response = client.post("/graphql", json={"query": document, "operationName": "B"}, headers=JSON)
    assert response.status_code == 200 and "segments" in response.json()["data"]


PROBES = [
    ("{ brands }", ["Brand", "[Brand!]!"]),
    ("{ brandz { name } }", ["brands", "Query"]),
    ("{ influencers(frist: 5) { edges { cursor } } }", ["first", "Query.influencers"]),
    ("{ influencers(orderBy: SCOR) { edges { cursor } } }", ["SCORE", "InfluencerOrder"]),
    (
        "{ influencers(filter: {customersOnli: true}) { edges { cursor } } }",
        ["customersOnly", "InfluencerFilter"],
    ),
    ("{ brands { ... on Brnd { name } } }", ["Brand"]),
    ('{ customer(id: "C1") { emial } }', ["email", "Customer"]),
]


def test_production_validation_errors_name_nothing_that_exists(
    driver: Driver, settings: Settings
) -> None:
    production = client_for(keyed_settings(settings, production=True), driver)
    development = client_for(keyed_settings(settings), driver)
    for query, hidden in PROBES:
        status, body = gql(production, query)
        messages = " ".join(error["message"] for error in body["errors"])
        assert status == 400, (query, body)
        assert "Did you mean" not in messages, (query, messages)
        for name in hidden:
            assert f"'{name}'" not in messages, (query, name, messages)
    # Outside production the messages keep their suggestions (a developer's help).
    _, body = gql(development, "{ brandz { name } }")
    assert "Did you mean" in body["errors"][0]["message"]


def test_request_bodies_over_the_limit_get_413(driver: Driver, settings: Settings) -> None:
    client = client_for(keyed_settings(settings, api_max_body_bytes=64 * 1024), driver)
    keys = {"keys": [{"email": f"{'someone' * 10}{n}@example.test"} for n in range(1000)]}
    headers = {"X-API-Key": KEYS["crm"]}
    response = client.post("/api/v1/enrich", json=keys, headers=headers)
    assert response.status_code == 413 and "SRM_API_MAX_BODY_BYTES" in response.text
    big = {"query": "query($v: String) { brands { name } }", "variables": {"v": "x" * 100_000}}
    assert client.post("/graphql", json=big, headers=JSON).status_code == 413
    small = {"keys": [{"email": "someone@example.test"}]}
    assert client.post("/api/v1/enrich", json=small, headers=headers).status_code == 200


def _assert_hardened(response: object, where: str, cached: bool = False) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    policy = headers.get("Content-Security-Policy", "")
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy, where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "no-referrer", where
    assert headers.get("X-Request-ID"), where
    if not cached:
        assert headers.get("Cache-Control") == "no-store", where


def test_every_response_carries_security_headers_and_a_request_id(
    driver: Driver, settings: Settings
) -> None:
    load_graph(driver)
    client = client_for(keyed_settings(settings), driver, raise_server_exceptions=False)
    admin = {"X-API-Key": KEYS["admin"]}
    answers = {
        "graphql": client.post("/graphql", json={"query": "{ brands { name } }"}, headers=admin),
        "graphql denied": client.post("/graphql", json={"query": "{ brands { name } }"}),
        "enrich": client.post(
            "/api/v1/enrich",
            json={"keys": [{"customer_id": "C1"}]},
            headers={"X-API-Key": KEYS["crm"]},
        ),
        "maps index": client.get("/maps/", headers=admin),
        "map": client.get("/maps/identity?person=P1", headers=admin),
        "map error": client.get("/maps/identity?person=nobody", headers=admin),
        "health": client.get("/healthz"),
        "unknown": client.get("/nowhere/C1"),
        "docs": client.get("/docs"),
        "graphiql": client.get("/graphql", headers={"Accept": "text/html"}),
    }
    for where, response in answers.items():
        _assert_hardened(response, where)
    assert answers["map error"].status_code == 404
    # A map's header policy is the page's own (its scripts by hash), not the default.
    assert "script-src 'sha256-" in answers["map"].headers["Content-Security-Policy"]
    static = client.get("/static/vendor/swagger-ui.css")
    assert static.status_code == 200
    _assert_hardened(static, "static", cached=True)
    # The caller's request id is echoed; a malformed one is replaced.
    echoed = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["X-Request-ID"] == "abc-123"
    replaced = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert replaced.headers["X-Request-ID"] != "<script>"


def test_docs_are_self_hosted_and_off_in_production(driver: Driver, settings: Settings) -> None:
    client = client_for(keyed_settings(settings), driver)
    page = client.get("/docs")
    assert page.status_code == 200
    sources = [part.split('"')[1] for part in page.text.split("src=")[1:]]
    assert sources and all(source.startswith("/static/") for source in sources), sources
    assert "https://" not in page.text.replace("https://swagger.io", "")
    production = client_for(keyed_settings(settings, production=True), driver)
    assert production.get("/docs").status_code == 404
    assert production.get("/openapi.json").status_code == 404


def test_failed_keys_are_limited_per_address_before_any_lookup(
    driver: Driver, settings: Settings
) -> None:
    counting = CountingDriver(driver)
    client = client_for(keyed_settings(settings, api_auth_failures_per_minute=5), counting)
    statuses = []
    for attempt in range(5):
        statuses.append(gql_status(client, f"guess-{attempt}"))
    assert statuses == [401] * 5
    counting.reset()
    for attempt in range(20):
        response = client.post(
            "/graphql",
            json={"query": "{ brands { name } }"},
            headers={"X-API-Key": f"guess-more-{attempt}"},
        )
        assert response.status_code == 429 and "Retry-After" in response.headers
    assert counting.count == 0, "no key lookup once the address is limited"
    # A configured key from the same address still works (no lookup, no failure).
    assert gql(client, "{ brands { name } }")[0] == 200


def gql_status(client: TestClient, key: str) -> int:
    response = client.post(
        "/graphql", json={"query": "{ brands { name } }"}, headers={"X-API-Key": key}
    )
    return response.status_code


def test_production_without_keys_refuses_to_start(driver: Driver, settings: Settings) -> None:
    production = settings.model_copy(update={"api_keys": "", "production": True})
    with pytest.raises(ConfigurationError, match="SRM_API_KEYS"):
        create_app(production, driver)


def test_production_banner_advertises_only_served_urls(driver: Driver, settings: Settings) -> None:
    client = client_for(keyed_settings(settings, production=True), driver)
    urls = server_urls("127.0.0.1", 8000, production=True)
    assert not any("GraphiQL" in name or "OpenAPI" in name for name in urls)
    for name, url in urls.items():
        path = url.removeprefix("http://127.0.0.1:8000")
        if "POST" in name:
            response = client.post(path, json={"query": "{ brands { name } }"}, headers=JSON)
        else:
            response = client.get(path, headers={"Accept": "text/html"})
        assert response.status_code != 404, (url, response.status_code)


def test_enrichment_by_phone_matches_however_it_is_spaced(
    driver: Driver, settings: Settings, tmp_path: Path
) -> None:
    customers = (
        "customer_id,first_name,last_name,email,phone,city,company,twitter_handle\n"
        "C9,Ana,Ruiz,ana@example.test,+34 673 731 114,Bilbao,,\n"
    )
    ingest_paths(driver, [write_bundle(tmp_path / "bundle", customers=customers)])
    client = client_for(keyed_settings(settings), driver)
    for phone in ("+34673731114", "+34 673 731 114", "0034 673-731-114"):
        response = client.post(
            "/api/v1/enrich", json={"keys": [{"phone": phone}]}, headers={"X-API-Key": KEYS["crm"]}
        )
        assert response.status_code == 200
        assert [hit["customer_id"] for hit in response.json()["results"]] == ["C9"], phone


def test_no_route_waits_for_the_thread_pool_to_solve_its_dependencies(
    driver: Driver, settings: Settings
) -> None:
    """FastAPI runs a plain ``def`` dependency in its thread pool: a thread hand-off on every
    request that uses it, for what is mostly an attribute read. Every dependency of every
    route (strawberry's context included) is ``async``."""
    app = create_app(settings, driver)
    calls: list[Any] = []

    def walk(dependant: Any) -> None:
        for sub in dependant.dependencies:
            if sub.call is not None:
                calls.append(sub.call)
            walk(sub)

    def visit(routes: list[Any]) -> None:
        for route in routes:
            if isinstance(route, APIRoute):
                walk(route.dependant)
            # an included router (FastAPI keeps it whole) or a mount: its own routes
            inner = getattr(route, "original_router", route)
            visit(list(getattr(inner, "routes", [])))

    visit(app.routes)
    names = {getattr(call, "__qualname__", repr(call)) for call in calls}
    assert "graphql_context" in names and "get_driver" in names
    in_thread_pool = {
        getattr(call, "__qualname__", repr(call))
        for call in calls
        if not inspect.iscoroutinefunction(call)
    }
    assert in_thread_pool == set()
