"""The GraphQL short paths (srm.api.executor) answer exactly as graphql-core does, and the
document caches never reuse an answer, a role decision or another caller's variables."""

from __future__ import annotations

import asyncio
import math
from enum import Enum
from typing import Any

import pytest
import strawberry
from fastapi.testclient import TestClient
from neo4j import Driver
from strawberry.extensions import SchemaExtension

from srm.api.compiled import CompiledExecutor
from srm.api.executor import PlainFieldExecutor, lean_resolvers
from srm.api.schema import build_schema
from srm.settings import Settings
from tests.api_support import client_for, gql, keyed_settings, load_graph


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Item:
    name: str
    nickname: str | None
    colour: Colour
    weight: float | None
    count: int
    required: str

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()

    @strawberry.field
    def named(self, info: strawberry.Info) -> str:
        return f"{self.name}@{info.path.key}"

    @strawberry.field
    def refused(self) -> str | None:
        raise PermissionError("no")

    @strawberry.field
    async def later(self) -> int:
        return self.count * 2


def _item(**changes: Any) -> Item:
    values: dict[str, Any] = {
        "name": "a",
        "nickname": None,
        "colour": Colour.BLUE,
        "weight": 1.5,
        "count": 3,
        "required": "r",
    }
    values.update(changes)
    return Item(**values)


ITEMS = [
    _item(),
    _item(name="b", nickname="bee", colour=Colour.RED, count=2**40),  # Int out of range
    _item(name="c", weight=math.nan),  # not a valid Float
    _item(name="d", required=None),  # null on a non-null field
]


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item | None]:
        return ITEMS


DOCUMENT = "{ items { name nickname colour weight count required shout named later refused } }"


def _run(schema: strawberry.Schema) -> tuple[Any, list[tuple[str, tuple[Any, ...]]]]:
    result = asyncio.run(schema.execute(DOCUMENT))
    errors = sorted((error.message, tuple(error.path or ())) for error in result.errors or [])
    return result.data, errors


def test_short_paths_answer_as_graphql_core_does() -> None:
    plain = strawberry.Schema(query=Query)
    fast = strawberry.Schema(query=Query, execution_context_class=PlainFieldExecutor)
    assert lean_resolvers(fast) == 5  # items, shout, named, refused and the async later
    data, errors = _run(fast)
    assert (data, errors) == _run(plain)
    # The comparison covers every kind of answer: values, nulls and each error.
    assert data["items"][0]["colour"] == "BLUE" and data["items"][0]["named"] == "a@named"
    assert data["items"][0]["refused"] is None and data["items"][2]["weight"] is None
    assert data["items"][1] is None and data["items"][3] is None
    assert {message for message, _ in errors} == {
        "Cannot return null for non-nullable field Item.required.",
        "Float cannot represent non numeric value: nan",
        "Int cannot represent non 32-bit signed integer value: 1099511627776",
        "no",
    }


def test_a_resolve_hook_turns_the_short_path_off() -> None:
    class Upper(SchemaExtension):
        def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
            value = _next(root, info, *args, **kwargs)
            return value.upper() if isinstance(value, str) else value

    schema = strawberry.Schema(
        query=Query, extensions=[Upper], execution_context_class=PlainFieldExecutor
    )
    result = asyncio.run(schema.execute("{ items { name } }"))
    assert result.data is not None
    assert [item["name"] for item in result.data["items"]] == ["A", "B", "C", "D"]


def test_the_schema_uses_the_short_paths() -> None:
    schema = build_schema(production=True)
    assert schema.execution_context_class is CompiledExecutor
    assert issubclass(CompiledExecutor, PlainFieldExecutor)
    # Role-gated fields keep their resolvers (the check runs inside them).
    email = schema._schema.type_map["Customer"].fields["email"]  # type: ignore[union-attr]
    assert email.resolve is not None and not getattr(email.resolve, "_is_default", False)


@pytest.fixture()
def client(driver: Driver, settings: Settings) -> TestClient:
    load_graph(driver)
    return client_for(keyed_settings(settings), driver)


def test_a_cached_document_still_checks_the_role_of_each_caller(client: TestClient) -> None:
    query = '{ customer(id: "C1") { id firstName email } }'
    for _ in range(2):  # the second round runs on the parsed and validated document cache
        status, body = gql(client, query, role="analyst")
        assert status == 200
        assert body["data"]["customer"]["email"] == "alice@example.com"
        status, body = gql(client, query, role="marketer")
        assert "alice@example.com" not in str(body)
        assert body["data"]["customer"] == {"id": "C1", "firstName": "Alice", "email": None}
        assert "personal data" in body["errors"][0]["message"]


def test_a_cached_document_answers_for_its_own_variables(client: TestClient) -> None:
    query = "query One($id: ID!) { profile(id: $id) { id handle influence { value } } }"
    answers = {}
    for _ in range(2):
        for key in ("x:1", "x:2", "x:404"):
            _, body = gql(client, query, role="marketer", id=key)
            answers.setdefault(key, []).append(body["data"]["profile"])
    assert answers["x:1"][0]["handle"] == "alice" and answers["x:2"][0]["handle"] == "bob"
    assert answers["x:1"][0]["influence"]["value"] == pytest.approx(0.9)
    assert answers["x:404"] == [None, None]
    assert all(first == second for first, second in answers.values())
    # A different document on the same profile is answered for itself, not from the cache.
    _, body = gql(client, '{ profile(id: "x:1") { handle displayName } }', role="marketer")
    assert body["data"]["profile"] == {"handle": "alice", "displayName": "Alice A"}
