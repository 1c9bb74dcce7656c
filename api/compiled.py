"""Compiled execution of cached query documents.

graphql-core decides anew, for every field of every object of a response, how to answer it:
which fields the selection holds once fragments are merged, the field's definition, its
return type's kind, the path and the completion dispatch. For a query document that does
not change between requests (the parse and validation caches hand back the same document
object), those decisions are the same each time. :class:`CompiledExecutor` makes them once
per operation — a *plan*: per object type the response keys in order, and for each one
a plain leaf (:func:`srm.api.executor.plain_leaf`), ``__typename``, a plain object or list
attribute (:func:`srm.api.executor.plain_attribute`: a connection's ``edges``, an edge's
``node``), or a field with a resolver, each with the shape of its type — and then answers
a request by walking the resolved objects with that plan and building the response dict
directly.

Everything that decides *what* the answer is stays where it was: every resolver runs as
under graphql-core, with the same resolve info (so role checks, DataLoader batching, the
selection look-ahead of :mod:`srm.api.selection` behave as before), arguments are coerced
by graphql-core once per request and field, leaves are coerced by their type's own
``coerce_output_value``, and sibling awaitables are gathered together (one DataLoader batch
per level, as before).

Whatever the plan does not cover goes to graphql-core unchanged: mutations, subscriptions,
documents with directives (``@include``/``@skip``), abstract types (unions, interfaces),
introspection fields, types with ``is_type_of``, middleware (schema extensions with a
``resolve`` hook), hooks and abort signals. And whenever a request would produce anything
but a plain answer — a resolver raising (a role refusal, a ``ClientError``), null on a
non-null field, a value a leaf type cannot coerce, something not a list where a list is
due — the compiled walk is abandoned and graphql-core executes the operation from the
start, so errors, their paths, null propagation and masking are graphql-core's. Only
queries are compiled, so running their resolvers a second time then only reads again.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from types import CoroutineType, GeneratorType
from typing import Any

from graphql import (
    DirectiveNode,
    FieldNode,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    OperationType,
    Visitor,
    visit,
)
from graphql.execution.collect_fields import (
    FieldDetails,
    collect_fields,
    collect_subfields,
)
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, Undefined, is_iterable
from graphql.type import is_leaf_type

from srm.api.executor import (
    UNANSWERED,
    PlainFieldExecutor,
    PlainLeaf,
    known_answer,
    plain_attribute,
    plain_leaf,
)

__all__ = ["MAX_PLANS", "CompiledExecutor", "plan_of"]

# Classes none of whose objects is awaitable (is_awaitable said no, and the class has no
# __await__); generators and coroutines are decided object by object.
_NEVER_AWAITABLE: set[type] = set()
_PER_OBJECT = (GeneratorType, CoroutineType)
# Operations whose plans are kept (the parse and validation caches keep 512 documents).
MAX_PLANS = 512
_PLANS = "srm-compiled-plans"


class _Fallback(Exception):
    """The compiled walk cannot answer this request the way graphql-core would."""


class _Shape:
    """How to complete a resolver's value: a leaf (``coerce``), an object (``plan``) or a
    list (``item``), non-null or not."""

    __slots__ = ("coerce", "item", "non_null", "plan")

    def __init__(self, non_null: bool) -> None:
        self.non_null = non_null
        self.coerce: Any = None
        self.plan: _ObjectPlan | None = None
        self.item: _Shape | None = None


class _FieldPlan:
    """One response key of an object: a plain leaf, ``__typename``, or a resolved field."""

    __slots__ = (
        "attribute",
        "definition",
        "has_arguments",
        "key",
        "known",
        "leaf",
        "nodes",
        "resolve",
        "shape",
        "typename",
    )

    def __init__(self, key: str) -> None:
        self.key = key
        self.leaf: PlainLeaf | None = None
        # An object or list field that is a plain attribute: (strawberry's read, name).
        self.attribute: tuple[Any, str] | None = None
        self.typename: str | None = None
        self.definition: GraphQLField | None = None
        self.nodes: list[FieldNode] = []
        self.has_arguments = False
        self.resolve: Any = None
        # The resolver's answer from its object alone (srm.api.executor.known_answer).
        self.known: Any = None
        self.shape: _Shape | None = None


class _ObjectPlan:
    __slots__ = ("fields", "object_type", "type_name")

    def __init__(self, object_type: GraphQLObjectType, fields: list[_FieldPlan]) -> None:
        self.object_type = object_type
        self.type_name = object_type.name
        self.fields = fields


class _Unplannable(Exception):
    pass


class _Directives(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def enter_directive(self, node: DirectiveNode, *_: Any) -> None:
        self.found = True


def plan_of(executor: PlainFieldExecutor) -> _ObjectPlan | None:
    """The plan of the executor's operation (made on first use, kept per operation node in
    the schema's extensions), or None when graphql-core must run it."""
    schema = executor.schema
    plans: OrderedDict[int, tuple[Any, _ObjectPlan | None]] | None = schema.extensions.get(_PLANS)
    if plans is None:
        plans = schema.extensions[_PLANS] = OrderedDict()
    operation = executor.operation
    found = plans.get(id(operation))
    if found is not None and found[0] is operation:
        plans.move_to_end(id(operation))
        return found[1]
    try:
        plan = _plan_operation(executor)
    except _Unplannable:
        plan = None
    # The entry holds the operation node, so its id is not reused while the entry lives.
    plans[id(operation)] = (operation, plan)
    while len(plans) > MAX_PLANS:
        plans.popitem(last=False)
    return plan


def _plan_operation(executor: PlainFieldExecutor) -> _ObjectPlan:
    operation = executor.operation
    if operation.operation is not OperationType.QUERY:
        raise _Unplannable
    directives = _Directives()
    visit(operation, directives)
    for fragment in executor.fragment_definitions.values():
        visit(fragment, directives)
    if directives.found:
        raise _Unplannable
    root_type = executor.schema.get_root_type(operation.operation)
    if root_type is None:
        raise _Unplannable
    collected = collect_fields(
        executor.schema, executor.fragments, executor.variable_values, root_type, operation
    )
    return _object_plan(executor, root_type, collected.grouped_field_set)


def _object_plan(
    executor: PlainFieldExecutor,
    object_type: GraphQLObjectType,
    grouped: dict[str, list[FieldDetails]],
) -> _ObjectPlan:
    if object_type.is_type_of is not None:
        raise _Unplannable
    fields = []
    for key, details in grouped.items():
        if any(detail.fragment_variable_values is not None for detail in details):
            raise _Unplannable
        name = details[0].node.name.value
        field = _FieldPlan(key)
        if name == "__typename":
            field.typename = object_type.name
        elif name.startswith("__"):
            raise _Unplannable
        else:
            definition = object_type.fields.get(name)
            if definition is None:
                raise _Unplannable
            leaf = plain_leaf(definition)
            if leaf is not None and not details[0].node.arguments:
                field.leaf = leaf
            else:
                if not details[0].node.arguments:
                    field.attribute = plain_attribute(definition)
                    field.known = known_answer(definition)
                field.definition = definition
                field.nodes = [detail.node for detail in details]
                field.has_arguments = bool(definition.args or details[0].node.arguments)
                field.resolve = definition.resolve or executor.field_resolver
                field.shape = _shape(executor, definition.type, details)
        fields.append(field)
    return _ObjectPlan(object_type, fields)


def _shape(
    executor: PlainFieldExecutor, graphql_type: GraphQLOutputType, details: list[FieldDetails]
) -> _Shape:
    non_null = isinstance(graphql_type, GraphQLNonNull)
    named: Any = graphql_type.of_type if non_null else graphql_type  # type: ignore[union-attr]
    shape = _Shape(non_null)
    if isinstance(named, GraphQLList):
        shape.item = _shape(executor, named.of_type, details)
    elif is_leaf_type(named):
        shape.coerce = named.coerce_output_value
    elif isinstance(named, GraphQLObjectType):
        collected = collect_subfields(
            executor.schema,
            executor.fragments,
            executor.variable_values,
            executor.operation,
            named,
            details,
        )
        shape.plan = _object_plan(executor, named, collected.grouped_field_set)
    else:
        raise _Unplannable
    return shape


class CompiledExecutor(PlainFieldExecutor):
    """Strawberry's executor with the plain-leaf short path, answering planned query
    operations by their plan (see the module docstring)."""

    def execute_operation(self, serially: bool | None = None) -> Any:
        manager = self.middleware_manager
        if (
            serially
            or self.hooks is not None
            or self.abort_signal is not None
            or (manager is not None and manager.middlewares)
        ):
            return super().execute_operation(serially)
        plan = plan_of(self)
        if plan is None:
            return super().execute_operation(serially)
        self._arguments: dict[int, dict[str, Any]] = {}
        # Awaitables met by the walk, with where their completed value goes: awaited
        # together, level after level (one DataLoader batch per level, as graphql-core).
        self._waiting: list[tuple[Any, Any, _Shape, Any, Path]] = []
        try:
            data = self._object(plan, self.root_value, None)
        except Exception:
            _close(self._waiting)
            return super().execute_operation(serially)
        if self._waiting:
            return self._finish_later(data, serially)
        return self.build_response(data)

    async def _finish_later(self, data: dict[str, Any], serially: bool | None) -> Any:
        try:
            while self._waiting:
                wave, self._waiting = self._waiting, []
                values = await asyncio.gather(
                    *(value for _, _, _, value, _ in wave), return_exceptions=True
                )
                for (container, key, shape, _, path), value in zip(wave, values, strict=True):
                    if isinstance(value, BaseException):
                        raise value
                    container[key] = self._complete(shape, value, path)
        except Exception:
            # The error's traceback holds this frame: without these references to the
            # error, the two would be a cycle keeping the whole request until a collection.
            values, value = [], None
            _close(self._waiting)
            result = super().execute_operation(serially)
            return await result if self.is_awaitable(result) else result
        return self.build_response(data)

    def _object(self, plan: _ObjectPlan, source: Any, path: Path | None) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for field in plan.fields:
            leaf = field.leaf
            if leaf is not None:
                value = leaf.read(source, leaf.python_name)
                if value is None:
                    if leaf.non_null:
                        raise _Fallback
                    data[field.key] = None
                    continue
                if isinstance(value, Exception):
                    raise _Fallback
                coerced = leaf.coerce(value)
                if coerced is None or coerced is Undefined:
                    raise _Fallback
                data[field.key] = coerced
            elif field.typename is not None:
                data[field.key] = field.typename
            elif field.attribute is not None:
                read, name = field.attribute
                value = read(source, name)
                field_path = Path(path, field.key, plan.type_name)
                if self._awaitable(value):
                    data[field.key] = None
                    self._waiting.append((data, field.key, field.shape, value, field_path))  # type: ignore[arg-type]
                else:
                    data[field.key] = self._complete(field.shape, value, field_path)  # type: ignore[arg-type]
            else:
                field_path = Path(path, field.key, plan.type_name)
                if field.known is not None:
                    value = field.known(source)
                    if value is not UNANSWERED:
                        data[field.key] = self._complete(field.shape, value, field_path)  # type: ignore[arg-type]
                        continue
                info = self.build_resolve_info(
                    field.definition,
                    field.nodes,
                    plan.object_type,
                    field_path,
                )
                arguments = self._arguments_of(field) if field.has_arguments else {}
                value = field.resolve(source, info, **arguments)
                if self._awaitable(value):
                    data[field.key] = None
                    self._waiting.append((data, field.key, field.shape, value, field_path))  # type: ignore[arg-type]
                else:
                    data[field.key] = self._complete(field.shape, value, field_path)  # type: ignore[arg-type]
        return data

    def _complete(self, shape: _Shape, value: Any, path: Path) -> Any:
        if value is None:
            if shape.non_null:
                raise _Fallback
            return None
        if isinstance(value, Exception):
            raise _Fallback
        if shape.coerce is not None:
            coerced = shape.coerce(value)
            if coerced is None or coerced is Undefined:
                raise _Fallback
            return coerced
        if shape.plan is not None:
            return self._object(shape.plan, value, path)
        return self._list(shape.item, value, path)  # type: ignore[arg-type]

    def _list(self, item: _Shape, values: Any, path: Path) -> list[Any]:
        if self.is_async_iterable(values) or not is_iterable(values):
            raise _Fallback
        completed: list[Any] = []
        for index, value in enumerate(values):
            item_path = Path(path, index, None)
            if self._awaitable(value):
                completed.append(None)
                self._waiting.append((completed, index, item, value, item_path))
            else:
                completed.append(self._complete(item, value, item_path))
        return completed

    def _awaitable(self, value: Any) -> bool:
        """``self.is_awaitable(value)``, remembering the classes whose objects never are
        (a page's hundred profiles are then one set look-up each)."""
        kind = type(value)
        if kind in _NEVER_AWAITABLE:
            return False
        if self.is_awaitable(value):
            return True
        if kind not in _PER_OBJECT and not hasattr(kind, "__await__"):
            _NEVER_AWAITABLE.add(kind)
        return False

    def _arguments_of(self, field: _FieldPlan) -> dict[str, Any]:
        """The field's arguments, coerced by graphql-core once per request (they depend on
        the variables, not on the object)."""
        found = self._arguments.get(id(field))
        if found is None:
            found = self._arguments[id(field)] = get_argument_values(
                field.definition,  # type: ignore[arg-type]
                field.nodes[0],
                self.variable_values,
                None,
                self.hide_suggestions,
            )
        return found


def _close(waiting: list[tuple[Any, Any, Any, Any, Path]]) -> None:
    """Close the coroutines a walk made but will not await (no 'never awaited' warnings)."""
    for _, _, _, value, _ in waiting:
        close = getattr(value, "close", None)
        if close is not None:
            close()
