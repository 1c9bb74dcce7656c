"""Compiled execution (srm.api.compiled) answers byte for byte as graphql-core does: on a
small schema made to reach every branch, and on SRM's own schema over a real graph, for
several roles, with errors, variables, fragments, directives and unions."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator, Sequence
from enum import Enum
from typing import Annotated, Any

import orjson
import pytest
import strawberry
from fastapi.testclient import TestClient
from neo4j import Driver
from strawberry.dataloader import DataLoader

import srm.api.schema
import srm.api.services.analytics
from srm.api.compiled import CompiledExecutor
from srm.api.executor import UNANSWERED, PlainFieldExecutor, answers_from_source, lean_resolvers
from srm.errors import StoreUnavailable
from srm.settings import Settings
from tests.api_support import KEYS, client_for, keyed_settings, load_graph


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Other:
    code: int


@strawberry.type
class Item:
    name: str
    nickname: str | None
    colour: Colour
    count: int
    required: str

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()

    @strawberry.field
    def at(self, info: strawberry.Info) -> str:
        return "/".join(str(key) for key in info.path.as_list())

    @strawberry.field
    def repeat(self, times: int = 2, separator: str | None = None) -> str:
        return (separator or "").join([self.name] * times)

    @strawberry.field
    def refused(self) -> str | None:
        raise PermissionError("no")

    @strawberry.field
    @answers_from_source(lambda item: item.count + 1 if item.count < 10 else UNANSWERED)
    def known(self, info: strawberry.Info) -> int:
        RESOLVED.append(self.name)
        return self.count + 1

    @strawberry.field
    async def later(self) -> int:
        return self.count * 2

    @strawberry.field
    def tracked(self, info: strawberry.Info) -> int:
        async def count() -> int:
            return self.count

        coroutine = count()
        info.context["coroutines"].append(coroutine)
        return coroutine  # type: ignore[return-value]

    @strawberry.field
    async def friends(self, info: strawberry.Info) -> list[Item]:
        names = await info.context["friends"].load(self.name)
        return [_item(name=name) for name in names]


def _item(**changes: Any) -> Item:
    values: dict[str, Any] = {
        "name": "a",
        "nickname": None,
        "colour": Colour.BLUE,
        "count": 3,
        "required": "r",
    }
    values.update(changes)
    return Item(**values)


# Names of the items whose ``known`` resolver ran (not answered from the object).
RESOLVED: list[str] = []
CLEAN = [_item(), _item(name="b", nickname="bee", colour=Colour.RED), _item(name="c")]
BROKEN = [
    _item(),
    _item(name="b", count=2**40),  # Int out of range
    _item(name="d", required=None),  # null on a non-null field
]


Thing = Annotated[Item | Other, strawberry.union("Thing")]


@strawberry.type
class Query:
    @strawberry.field
    def clean(self) -> list[Item]:
        return CLEAN

    @strawberry.field
    def broken(self) -> list[Item | None]:
        return BROKEN

    @strawberry.field
    async def item(self, name: str) -> Item | None:
        return next((item for item in CLEAN if item.name == name), None)

    @strawberry.field
    def grid(self, size: int) -> list[list[int]]:
        return [[row * size + column for column in range(size)] for row in range(size)]

    @strawberry.field
    def things(self) -> list[Thing]:
        return [CLEAN[0], Other(code=7)]

    @strawberry.field
    def squares(self, upto: int) -> list[int]:
        return (number * number for number in range(upto))  # type: ignore[return-value]

    @strawberry.field
    def waiting(self) -> list[int]:
        async def value(number: int) -> int:
            return number

        return [value(number) for number in range(3)]  # type: ignore[misc]


DOCUMENTS = [
    "{ clean { name nickname colour count required shout at later repeat } }",
    '{ clean { repeat(times: 3, separator: "-") r2: repeat } }',
    "{ clean { a: name a: name b: shout } again: clean { count __typename } __typename }",
    "query { ...Top } fragment Top on Query { clean { ... on Item { name } ...More } } "
    "fragment More on Item { colour n: name }",
    "{ clean { name @include(if: false) count } }",
    "{ broken { name count required } }",
    "{ clean { name refused } }",
    '{ item(name: "b") { name later } missing: item(name: "z") { name } }',
    "{ grid(size: 3) }",
    "{ things { ... on Item { name } ... on Other { code } } }",
    "{ waiting squares(upto: 4) }",
    "{ clean { name friends { name friends { name } } } }",
    "{ clean { name known } }",
    "{ broken { name known } }",
]


def _friends_loader(batches: list[int]) -> DataLoader[str, list[str]]:
    async def load(names: Sequence[str]) -> list[list[str]]:
        batches.append(len(names))
        return [[f"{name}1", f"{name}2"] for name in names]

    return DataLoader(load_fn=load)


def _answer(
    schema: strawberry.Schema, document: str, made: list[Any] | None = None, **variables: Any
) -> tuple[bytes, Any]:
    """The response as JSON bytes (data and formatted errors), and the DataLoader batches;
    ``made`` gets the coroutines of ``Item.tracked``."""
    batches: list[int] = []
    context = {"friends": _friends_loader(batches), "coroutines": [] if made is None else made}
    result = asyncio.run(schema.execute(document, variable_values=variables, context_value=context))
    errors = [error.formatted for error in result.errors or []]
    return orjson.dumps({"data": result.data, "errors": errors}), batches


def _schemas() -> tuple[strawberry.Schema, strawberry.Schema]:
    plain = strawberry.Schema(query=Query)
    compiled = strawberry.Schema(query=Query, execution_context_class=CompiledExecutor)
    lean_resolvers(compiled)
    return plain, compiled


@pytest.fixture()
def field_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Names of the fields graphql-core's per-field machinery executed."""
    calls: list[str] = []
    execute_field = PlainFieldExecutor.execute_field

    def counted(self: Any, parent_type: Any, source: Any, details: Any, *rest: Any) -> Any:
        calls.append(details[0].node.name.value)
        return execute_field(self, parent_type, source, details, *rest)

    monkeypatch.setattr(PlainFieldExecutor, "execute_field", counted)
    yield calls


@pytest.mark.parametrize("document", DOCUMENTS)
def test_compiled_execution_answers_as_graphql_core(document: str) -> None:
    plain, compiled = _schemas()
    assert _answer(compiled, document) == _answer(plain, document)


def test_each_request_is_answered_for_its_own_variables(field_calls: list[str]) -> None:
    plain, compiled = _schemas()
    document = (
        "query($n: Int!, $s: String) { grid(size: $n) clean { repeat(times: $n, separator: $s) } }"
    )
    for size, separator in [(2, None), (3, "+"), (1, "")]:
        answer = _answer(compiled, document, n=size, s=separator)
        assert answer == _answer(plain, document, n=size, s=separator)
        assert orjson.loads(answer[0])["data"]["grid"][-1][-1] == size * size - 1


def test_plain_answers_do_not_go_through_graphql_core(field_calls: list[str]) -> None:
    _, compiled = _schemas()
    for document in (DOCUMENTS[0], DOCUMENTS[2], DOCUMENTS[3], DOCUMENTS[11]):
        _answer(compiled, document)
    assert field_calls == []
    # An error, a directive or a union: graphql-core answers.
    for document in ("{ clean { name refused } }", DOCUMENTS[4], DOCUMENTS[9]):
        _answer(compiled, document)
        assert field_calls
        field_calls.clear()


def test_srm_pages_do_not_go_through_graphql_core(
    driver: Driver, settings: Settings, field_calls: list[str]
) -> None:
    load_graph(driver)
    client = client_for(keyed_settings(settings), driver)
    headers = {"X-API-Key": KEYS["marketer"]}
    for document in (SRM_DOCUMENTS[0], SRM_DOCUMENTS[2]):
        response = client.post("/graphql", json={"query": document}, headers=headers)
        assert response.status_code == 200 and b"errors" not in response.content
    assert field_calls == []


def test_answers_known_on_the_object_skip_the_resolver() -> None:
    """A resolver marked with answers_from_source is not called (no resolve info built)
    where its object already holds the answer; it still is where the object does not
    (count 2**40 here), and the answers are graphql-core's either way."""
    plain, compiled = _schemas()
    RESOLVED.clear()
    assert _answer(compiled, DOCUMENTS[12]) == _answer(plain, DOCUMENTS[12])
    assert RESOLVED == ["a", "b", "c"]  # graphql-core's run only
    RESOLVED.clear()
    _answer(compiled, "{ broken { known } }")
    assert "b" in RESOLVED


def test_a_level_of_loads_is_one_batch_as_under_graphql_core() -> None:
    plain, compiled = _schemas()
    document = "{ clean { friends { friends { name } } } }"
    (_, compiled_batches), (_, plain_batches) = (
        _answer(compiled, document),
        _answer(plain, document),
    )
    assert compiled_batches == plain_batches == [3, 6]


def test_coroutines_of_an_abandoned_walk_are_closed() -> None:
    plain, compiled = _schemas()
    document = "{ clean { tracked refused } }"
    made: list[Any] = []
    assert _answer(compiled, document, made) == _answer(plain, document)
    # One from the abandoned walk (the first item's, made before its 'refused' raised), and
    # the three graphql-core then awaited.
    assert len(made) == 4
    assert {inspect.getcoroutinestate(coroutine) for coroutine in made} == {"CORO_CLOSED"}


# SRM's schema over the API test graph: the same documents answered by an app whose schema
# runs on graphql-core (the executor with the plain-leaf short path only) and by the real one.
SRM_DOCUMENTS = [
    "{ influencers(first: 3, unit: ACCOUNT) { edges { cursor score node { handle platform "
    "influence { value } } } pageInfo { hasNextPage endCursor } totalCount } }",
    "{ influencers(first: 2) { edges { node { id handle influence { value percentile runId "
    "explanation { followers posts } } } person { id name } } } }",
    '{ profile(id: "x:1") { handle followers(first: 2) { totalCount edges { node { id handle '
    "influence { value } followers(first: 2) { edges { node { handle } } } } } } } }",
    '{ customer(id: "C1") { id firstName email phone profiles { handle } person { id } } }',
    '{ a: profile(id: "x:1") { ...P } b: profile(id: "x:404") { ...P } } '
    "fragment P on Profile { id __typename handle customers { id email } }",
    '{ profile(id: "x:1") { handle displayName @skip(if: true) createdAt } }',
    '{ search(text: "Smith") { kind customer { id } person { id } } }',
    '{ profile(id: "x:1") { followers(after: "zzz") { totalCount } } }',
    '{ profile(id: "x:1") { influence { algorithm pagerank contributions run { id } } } }',
    "{ persons(first: 2) { edges { node { name influence { value } accounts { handle } } } } }",
    '{ profile(id: "x:2") { posts { edges { node { id text } } } mentions { edges { node { id '
    "author { handle } } } } } }",
]
VARIABLE_DOCUMENT = (
    "query($id: ID!, $n: Int!) { profile(id: $id) { handle followers(first: $n) "
    "{ edges { node { handle } } } } }"
)


def _responses(client: TestClient, role: str) -> list[tuple[int, bytes]]:
    headers = {"X-API-Key": KEYS[role]}
    requests: list[dict[str, Any]] = [{"query": document} for document in SRM_DOCUMENTS]
    requests += [
        {"query": VARIABLE_DOCUMENT, "variables": {"id": key, "n": first}}
        for key, first in [("x:1", 2), ("x:2", 1), ("x:1", 500), ("x:404", 3)]
    ]
    answers = []
    for _ in range(2):  # the second round runs on cached documents and plans
        for body in requests:
            response = client.post("/graphql", json=body, headers=headers)
            answers.append((response.status_code, response.content))
    return answers


def test_srm_answers_are_the_same_bytes_on_both_paths(
    driver: Driver, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_graph(driver)
    keyed = keyed_settings(settings)
    compiled = client_for(keyed, driver)
    monkeypatch.setattr(srm.api.schema, "CompiledExecutor", PlainFieldExecutor)
    plain = client_for(keyed, driver)
    for role in ("admin", "marketer", "analyst"):
        answers = _responses(compiled, role)
        assert answers == _responses(plain, role)
        texts = b"".join(body for _, body in answers)
        # The comparison covers answers, refusals and client errors.
        assert b'"handle":"alice"' in texts and b"between 1 and 100" in texts
        assert (b"personal data" in texts) == (role == "marketer")


def test_a_store_outage_is_waited_for_once_per_request(
    driver: Driver, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def unavailable(*_: Any, **__: Any) -> None:
        calls.append(1)
        raise StoreUnavailable("Neo4j is not reachable at bolt://test.")

    monkeypatch.setattr(srm.api.services.analytics, "influencers", unavailable)
    client = client_for(keyed_settings(settings), driver)
    response = client.post(
        "/graphql",
        json={"query": SRM_DOCUMENTS[0]},
        headers={"X-API-Key": KEYS["marketer"]},
    )
    assert response.status_code == 503 and b"not reachable" in response.content
    # The compiled walk met the outage; graphql-core, answering the request after it, got
    # the same error at once instead of calling the store again.
    assert calls == [1]
