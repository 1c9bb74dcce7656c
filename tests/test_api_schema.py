"""The committed SDL matches the code, and a query costs one round trip per level (no N+1)."""

from __future__ import annotations

from pathlib import Path

from graphql import FieldNode, OperationDefinitionNode, SelectionSetNode, parse
from neo4j import Driver

from bench.instrument import CountingDriver
from srm.api.schema import export_sdl
from srm.settings import Settings
from tests.api_support import client_for, gql, keyed_settings, load_graph

SDL_FILE = Path(__file__).parent.parent / "api" / "schema.graphql"

NESTED = """
query($n: Int!) {
  influencers(first: $n) {
    edges {
      node {
        handle
        customers { id profiles { handle } }
        person { accounts { handle influence { value } } }
        followers(first: 3) {
          edges { node { handle influence { value } community { id topMembers { handle } } } }
        }
      }
    }
  }
}
"""


def nesting_depth(query: str) -> int:
    """Deepest chain of selection sets in the (fragment-free) operation."""

    def depth(selections: SelectionSetNode | None) -> int:
        if selections is None:
            return 0
        return 1 + max(
            (depth(s.selection_set) for s in selections.selections if isinstance(s, FieldNode)),
            default=0,
        )

    operation = parse(query).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return depth(operation.selection_set)


def test_committed_sdl_matches_the_schema() -> None:
    assert SDL_FILE.read_text(encoding="utf-8") == export_sdl(), (
        "api/schema.graphql is stale: run "
        "'.venv/bin/python -m srm.api.schema > api/schema.graphql' and commit it."
    )


def test_round_trips_stay_within_nesting_depth_whatever_the_page_size(
    driver: Driver, settings: Settings
) -> None:
    load_graph(driver)
    counting = CountingDriver(driver)
    client = client_for(keyed_settings(settings), counting)
    trips = {}
    for size in (1, 5):
        counting.reset()
        status, body = gql(client, NESTED, n=size)
        assert status == 200 and "errors" not in body, body
        assert len(body["data"]["influencers"]["edges"]) == size
        trips[size] = counting.count
    # The data loaders coalesce loads of one tick, and which loads share a tick depends on
    # thread timing, so the count may differ by one or two between runs; an N+1 adds at
    # least one statement per extra item (four here).
    assert trips[5] - trips[1] < 5 - 1, ("round trips grow with the page size", trips)
    assert 0 < trips[5] <= nesting_depth(NESTED), (trips, nesting_depth(NESTED))
