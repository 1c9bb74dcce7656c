"""Fuzz the API: schemathesis cases from the REST OpenAPI spec, hypothesis-generated
GraphQL queries from the committed SDL, and known hostile bodies, against the app on a
real Neo4j.

    python -m bench.fuzz [--cases 2000] [--people 300] [--quick]

Starts its own Neo4j (temporary store), ingests a generated bundle, and runs ``--cases``
REST cases (valid and invalid inputs, every operation) and ``--cases`` GraphQL queries
in-process (ASGI), bounded by hypothesis' example counts, then each of ``HOSTILE_CASES``
(bodies that are not JSON objects, invalid UTF-8, deep nesting, oversize bodies and
variables, over-long search texts, two operations, ``shortestPath(a = b)``). A failure is
any 5xx answer or an unmasked error (a traceback, an exception name, a Neo4j or Cypher
message in the body). Masked internal errors ("Internal error (reference …)") are counted
apart. Prints one JSON line last: ``{"rest_cases", "rest_5xx", "rest_unmasked",
"rest_internal", "graphql_cases", "graphql_5xx", "graphql_unmasked", "graphql_internal",
"hostile_cases", "hostile_5xx", "hostile_unmasked", "seconds"}``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

import hypothesis_graphql
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, seed, settings, strategies
from hypothesis.errors import Unsatisfiable
from hypothesis_graphql import nodes
from schemathesis import GenerationMode

from srm import db, local_neo4j
from srm.api.app import create_app
from srm.ingest.pipeline import ingest_paths
from srm.settings import Settings
from srm.store import open_driver
from srm.synthetic.generate import generate_bundle

__all__ = [
    "HOSTILE_CASES",
    "FuzzReport",
    "fuzz_graphql",
    "fuzz_hostile",
    "fuzz_rest",
    "leaks_internals",
]

SDL = Path(__file__).resolve().parent.parent / "api" / "schema.graphql"
_INTERNALS = re.compile(
    r"Traceback|File \"|object has no attribute|NoneType|KeyError|TypeError|ValueError|"
    r"neo4j\.|Neo\.ClientError|Neo\.DatabaseError|CypherSyntax|MATCH \(|UNWIND \$",
)
_HYPOTHESIS = {
    "database": None,
    "deadline": None,
    "phases": [Phase.generate],
    "suppress_health_check": list(HealthCheck),
}


@dataclass
class FuzzReport:
    """Counts of one fuzz run and a few examples of what failed (no request bodies)."""

    cases: int = 0
    server_errors: int = 0
    unmasked: int = 0
    internal: int = 0
    examples: list[str] = field(default_factory=list)

    def record(self, where: str, status: int, body: str) -> None:
        self.cases += 1
        failed = False
        if status >= 500:
            self.server_errors += 1
            failed = True
        # HTML pages (maps) carry their own scripts, whose words are no error messages.
        if not body.lstrip().startswith("<!DOCTYPE html") and leaks_internals(body):
            self.unmasked += 1
            failed = True
        if "Internal error (reference" in body:
            self.internal += 1
        if failed and len(self.examples) < 5:
            self.examples.append(f"{where} → {status}: {body[:200]}")


def leaks_internals(body: str) -> bool:
    """True when a response body shows internals: tracebacks, exception names, Cypher."""
    return bool(_INTERNALS.search(body))


def fuzz_rest(app: FastAPI, cases: int) -> FuzzReport:
    """At least ``cases`` schemathesis cases over every REST operation, half of them invalid.

    Operations with few distinct inputs run out early, so rounds with new seeds go on
    until the count is reached (at most 10 rounds).
    """
    report = FuzzReport()
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    per_run = max(1, math.ceil(cases / (2 * len(operations))))
    for round_number in range(10):
        if report.cases >= cases:
            break
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

                @seed(round_number)
                @settings(max_examples=per_run, **_HYPOTHESIS)  # type: ignore[arg-type]
                @given(operation.as_strategy(generation_mode=mode))
                def run(case: Any) -> None:
                    response = case.call()
                    report.record(case.operation.label, response.status_code, response.text)

                try:
                    run()
                except Unsatisfiable:  # e.g. no invalid input for an operation without inputs
                    continue
    return report


# Valid and invalid date-times for DateTime arguments (auditEvents(since:)).
_SCALARS = {
    "DateTime": strategies.one_of(
        strategies.datetimes(timezones=strategies.just(UTC)).map(lambda moment: moment.isoformat()),
        strategies.text(max_size=30),
    ).map(nodes.String)
}


def fuzz_graphql(client: TestClient, cases: int) -> FuzzReport:
    """``cases`` hypothesis-generated queries over the committed SDL, posted to /graphql."""
    report = FuzzReport()

    @seed(0)
    @settings(max_examples=cases, **_HYPOTHESIS)  # type: ignore[arg-type]
    @given(hypothesis_graphql.queries(SDL.read_text(encoding="utf-8"), custom_scalars=_SCALARS))
    def run(query: str) -> None:
        response = client.post("/graphql", json={"query": query})
        report.record("graphql", response.status_code, response.text)

    run()
    return report


_JSON = {"Content-Type": "application/json"}
# Bodies and strings found to cause 5xx once: every one must get a 4xx (or a 2xx).
HOSTILE_CASES: list[tuple[str, str, bytes]] = [
    ("json null", "/graphql", b"null"),
    ("json string", "/graphql", b'"{ brands { name } }"'),
    ("json number", "/graphql", b"42"),
    ("json boolean", "/graphql", b"true"),
    ("json list", "/graphql", b"[]"),
    ("json null (enrich)", "/api/v1/enrich", b"null"),
    ("json string (enrich)", "/api/v1/enrich", b'"x"'),
    ("invalid UTF-8", "/graphql", b'{"query": "{ search(text: "caf\xe9") { kind } }"}'),
    ("invalid UTF-8 (enrich)", "/api/v1/enrich", b'{"keys": [{"email": "\xff@x.test"}]}'),
    ("deep JSON", "/graphql", b"[" * 100_000 + b"]" * 100_000),
    (
        "oversize enrich body",
        "/api/v1/enrich",
        json.dumps({"keys": [{"email": "a" * 300 + "@x.test"}] * 20_000}).encode(),
    ),
    (
        "oversize GraphQL variables",
        "/graphql",
        json.dumps({"query": "{ brands { name } }", "variables": {"v": "x" * 5_000_000}}).encode(),
    ),
    (
        "search text of 1,001 characters",
        "/graphql",
        json.dumps({"query": '{ search(text: "' + "a" * 1001 + '") { kind } }'}).encode(),
    ),
    (
        "search text of 1,100 words",
        "/graphql",
        json.dumps({"query": '{ search(text: "' + "w " * 1100 + '") { kind } }'}).encode(),
    ),
    (
        "two operations without operationName",
        "/graphql",
        b'{"query": "query A { brands { name } } query B { segments { name } }"}',
    ),
    (
        "operationName not a string",
        "/graphql",
        b'{"query": "query A { brands { name } }", "operationName": 5}',
    ),
    (
        "shortestPath(a = b)",
        "/graphql",
        b'{"query": "{ shortestPath(a: "x:1", b: "x:1") { nodes { id } } }"}',
    ),
]


def fuzz_hostile(client: TestClient, headers: dict[str, str] | None = None) -> FuzzReport:
    """Each of :data:`HOSTILE_CASES` posted once (with ``headers``, e.g. an admin key)."""
    report = FuzzReport()
    for name, path, body in HOSTILE_CASES:
        response = client.post(path, content=body, headers={**_JSON, **(headers or {})})
        report.record(name, response.status_code, response.text)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--quick", action="store_true", help="100 cases, 100 people.")
    arguments = parser.parse_args()
    if arguments.quick:
        arguments.cases, arguments.people = 100, 100
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="srm-fuzz-"))
    try:
        data_dir = work / "neo4j"
        server = local_neo4j.start(
            Settings().home, data_dir, local_neo4j.free_port(), parent_pid=os.getpid()
        )
        app_settings = Settings(NEO4J_URI=server.uri, SRM_API_RATE_LIMIT=10_000_000)
        driver = open_driver(app_settings)
        try:
            db.init_schema(driver)
            generate_bundle(work / "bundle", people=arguments.people, seed=1)
            ingest_paths(driver, [work / "bundle"])
            app = create_app(app_settings, driver)
            rest = fuzz_rest(app, arguments.cases)
            with TestClient(app, raise_server_exceptions=False) as client:
                graphql = fuzz_graphql(client, arguments.cases)
                hostile = fuzz_hostile(client)
        finally:
            driver.close()
            local_neo4j.stop(data_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for name, report in (("rest", rest), ("graphql", graphql), ("hostile", hostile)):
        for example in report.examples:
            print(f"{name} failure: {example}")
    print(
        json.dumps(
            {
                "rest_cases": rest.cases,
                "rest_5xx": rest.server_errors,
                "rest_unmasked": rest.unmasked,
                "rest_internal": rest.internal,
                "graphql_cases": graphql.cases,
                "graphql_5xx": graphql.server_errors,
                "graphql_unmasked": graphql.unmasked,
                "graphql_internal": graphql.internal,
                "hostile_cases": hostile.cases,
                "hostile_5xx": hostile.server_errors,
                "hostile_unmasked": hostile.unmasked,
                "seconds": round(time.perf_counter() - started, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
