"""Short form of bench/fuzz.py: schemathesis cases from the OpenAPI spec,
hypothesis-generated GraphQL queries and the known hostile bodies against the app on a real
Neo4j — no 5xx, no error that shows internals."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from neo4j import Driver

from bench.fuzz import HOSTILE_CASES, fuzz_graphql, fuzz_hostile, fuzz_rest, leaks_internals
from srm.api.app import create_app
from srm.ingest.pipeline import ingest_paths
from srm.settings import Settings
from tests.ingest_helpers import write_bundle


def test_detector_flags_internals_and_passes_clean_messages() -> None:
    assert leaks_internals('Traceback (most recent call last):\n  File "x.py"')
    assert leaks_internals("neo4j.exceptions.CypherSyntaxError: MATCH (n")
    assert not leaks_internals('{"detail":"Internal error (reference 0123456789ab)."}')
    assert not leaks_internals('{"errors":[{"message":"Cannot query field \\"x\\"."}]}')


def test_fuzzed_rest_and_graphql_give_no_5xx_and_no_unmasked_errors(
    driver: Driver, settings: Settings, tmp_path: Path
) -> None:
    ingest_paths(driver, [write_bundle(tmp_path / "bundle")])
    app = create_app(settings.model_copy(update={"api_rate_limit_per_minute": 100_000}), driver)

    rest = fuzz_rest(app, cases=40)
    with TestClient(app, raise_server_exceptions=False) as client:
        graphql = fuzz_graphql(client, cases=40)
        hostile = fuzz_hostile(client)

    assert rest.cases >= 20 and graphql.cases >= 30
    assert (rest.server_errors, rest.unmasked) == (0, 0), rest.examples
    assert (graphql.server_errors, graphql.unmasked) == (0, 0), graphql.examples
    assert hostile.cases == len(HOSTILE_CASES)
    assert (hostile.server_errors, hostile.unmasked) == (0, 0), hostile.examples
