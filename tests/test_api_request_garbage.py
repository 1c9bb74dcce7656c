"""A GraphQL request's objects are freed when it ends, not left to the garbage collector
(real Neo4j): no reference cycle runs through its context, its DataLoaders or its
executor. Such cycles made the collector's collections a fifth of the API's CPU under
load (srm.api.context.Reads, srm.api.executor.PlainFieldExecutor).

A request whose resolver raises still leaves one: graphql-core's field error handler keeps
the error in a frame that the error's own traceback holds. Those are client errors, not
the load that matters here."""

from __future__ import annotations

import gc
from collections import Counter

import pytest
from neo4j import Driver
from strawberry.dataloader import DataLoader

from srm.api.context import Context, Reads
from srm.api.executor import PlainFieldExecutor
from srm.settings import Settings
from tests.api_support import client_for, gql, keyed_settings, load_graph

PROFILE_AND_FOLLOWERS = """query One($id: ID!) { profile(id: $id) { handle
  followers(first: 2) { edges { node { id handle influence { value } } } } } }"""
NESTED = """{ influencers(first: 3, unit: ACCOUNT) { edges { node { handle
  followers(first: 2) { edges { node { handle following(first: 2) { totalCount } } } } } } } }"""
REQUEST_OBJECTS = (Context, Reads, DataLoader, PlainFieldExecutor)


@pytest.mark.parametrize(
    ("query", "role", "variables"),
    [
        (PROFILE_AND_FOLLOWERS, "admin", {"id": "x:1"}),
        (NESTED, "analyst", {}),
    ],
)
def test_a_request_leaves_no_cycle_through_its_context(
    driver: Driver, settings: Settings, query: str, role: str, variables: dict[str, str]
) -> None:
    load_graph(driver)
    client = client_for(keyed_settings(settings), driver)
    status, body = gql(client, query, role, **variables)
    assert status == 200 and body["data"] is not None, body
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for _ in range(3):
            assert gql(client, query, role, **variables) == (status, body)
        gc.collect()
        left = Counter(
            type(found).__name__ for found in gc.garbage if isinstance(found, REQUEST_OBJECTS)
        )
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert not left, f"request objects freed only by the collector: {dict(left)}"
