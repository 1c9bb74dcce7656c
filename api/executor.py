"""GraphQL execution with a short path for plain leaf fields.

A page of 100 profiles asks for hundreds of fields such as ``handle`` or ``value``: plain
attributes of the object the parent resolver built, of a scalar or enum type, without a
resolver, arguments or field extensions. graphql-core runs the full machinery for each —
a resolve-info object, strawberry's resolver wrapper, the completion dispatch — which was
most of a ranked page's CPU. :class:`PlainFieldExecutor` reads such a field directly
(the attribute, coerced by the field's own type exactly as graphql-core coerces it) and
hands every other field, and any plain field whose value is not a simple non-null answer
(null on a non-null field, an error, a failing coercion), to graphql-core unchanged, so
errors, nullability and role checks (which live in resolvers) behave as before.

The short path is off when any schema extension wraps field resolution (a ``resolve``
hook): it would be bypassed.

:func:`lean_resolvers` does the same for fields with a resolver but no arguments and no
field extensions (``Profile.influence``, a page's ``node`` links): strawberry's wrapper
converts arguments, chains field extensions and looks for exception handlers on every call;
the lean resolver calls the method with its source and ``info`` directly. graphql-core still
runs it, completes its value and reports its errors, so role checks inside resolvers and
error masking are unchanged.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLResolveInfoHelpers,
    GraphQLScalarType,
)
from graphql.pyutils import Path, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.base import StrawberryMaybe, StrawberryOptional

__all__ = [
    "UNANSWERED",
    "PlainFieldExecutor",
    "answers_from_source",
    "known_answer",
    "lean_resolvers",
    "plain_attribute",
    "plain_leaf",
]

# How strawberry marks a field resolved by reading the attribute (no resolver, no field
# extensions; strawberry.schema.schema_converter) and where it keeps the field's definition.
_DEFAULT_MARK = "_is_default"
_DEFINITION = "strawberry-definition"


class PlainLeaf:
    """How to answer one plain leaf field: read ``python_name`` with strawberry's default
    resolver, coerce with the field type's ``coerce_output_value``."""

    __slots__ = ("coerce", "non_null", "python_name", "read")

    def __init__(
        self,
        read: Callable[[Any, str], Any],
        python_name: str,
        coerce: Callable[[Any], Any],
        non_null: bool,
    ) -> None:
        self.read = read
        self.python_name = python_name
        self.coerce = coerce
        self.non_null = non_null


def _strawberry_field(field: GraphQLField) -> Any:
    """Strawberry's definition of ``field`` (None for a field strawberry did not make)."""
    return (field.extensions or {}).get(_DEFINITION)


def plain_attribute(field: GraphQLField) -> tuple[Callable[[Any, str], Any], str] | None:
    """How strawberry reads ``field`` (its default resolver and the attribute's name) when
    it is a plain attribute: no resolver, arguments or field extensions; else None."""
    if field.args or not getattr(field.resolve, _DEFAULT_MARK, False):
        return None
    definition = _strawberry_field(field)
    if definition is None or definition.base_resolver is not None or definition.extensions:
        return None
    return definition.default_resolver, definition.python_name


# What a resolver's ``known`` function returns when only the resolver can answer.
UNANSWERED = object()
_KNOWN = "_srm_known"


def answers_from_source(
    known: Callable[[Any], Any],
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a resolver (under ``@strawberry.field``) whose answer is often already on its
    object: ``known(source)`` returns exactly what the resolver would, or
    :data:`UNANSWERED`. The compiled walk (:mod:`srm.api.compiled`) then skips the resolve
    info for such objects — a prefetched score on each of a page's hundred profiles."""

    def mark(resolver: Callable[..., Any]) -> Callable[..., Any]:
        setattr(resolver, _KNOWN, known)
        return resolver

    return mark


def known_answer(field: GraphQLField) -> Callable[[Any], Any] | None:
    """The ``known`` function of ``field``'s resolver (:func:`answers_from_source`), when it
    has one and no arguments or field extensions; else None."""
    definition = _strawberry_field(field)
    resolver = getattr(definition, "base_resolver", None)
    if resolver is None or definition.extensions or field.args:
        return None
    return getattr(resolver.wrapped_func, _KNOWN, None)


def plain_leaf(field: GraphQLField) -> PlainLeaf | None:
    """The short path of ``field``, or None when graphql-core must resolve it (a resolver,
    arguments, field extensions, or a non-leaf type)."""
    attribute = plain_attribute(field)
    if attribute is None:
        return None
    field_type: Any = field.type
    non_null = isinstance(field_type, GraphQLNonNull)
    if non_null:
        field_type = field_type.of_type
    if not isinstance(field_type, GraphQLScalarType | GraphQLEnumType):
        return None
    coerce = field_type.coerce_output_value
    return PlainLeaf(attribute[0], attribute[1], coerce, non_null)


_NOT_PLAIN = object()
# Where each object type keeps its fields' short paths (PlainLeaf or _NOT_PLAIN, by field
# name), filled on first use: in the type's own extensions, so they live and go with the
# schema.
_PLANS = "srm-plain-leaves"


def _plan(parent_type: GraphQLObjectType, name: str) -> PlainLeaf | None:
    fields = parent_type.extensions.get(_PLANS)
    if fields is None:
        fields = parent_type.extensions[_PLANS] = {}
    found = fields.get(name)
    if found is None:
        field = parent_type.fields.get(name)
        found = fields[name] = (plain_leaf(field) if field is not None else None) or _NOT_PLAIN
    return found if isinstance(found, PlainLeaf) else None


class PlainFieldExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor, answering plain leaf fields without the per-field machinery
    (see the module docstring).

    graphql-core's executor holds the helpers it hands resolvers (``info.async_helpers``)
    as methods bound to itself: a reference cycle through the executor, the request's
    context and everything they hold (its DataLoaders, read records), so that every
    request's objects waited for the garbage collector, whose collections then took a
    fifth of the API's CPU under load. Here the helpers reach the executor through a weak
    reference: it is alive while its operation runs, the only time they are called."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        executor = weakref.ref(self)
        self.async_helpers = GraphQLResolveInfoHelpers(
            gather=lambda *work: _alive(executor).gather_async_work(*work),
            track=lambda *work: _alive(executor).track_async_work(*work),
        )

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        manager = self.middleware_manager
        if manager is None or not manager.middlewares:
            leaf = _plan(parent_type, field_details_list[0].node.name.value)
            if leaf is not None:
                value = _answer(leaf, source)
                if value is not Undefined:
                    return value
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )


def _alive(executor: weakref.ref[PlainFieldExecutor]) -> PlainFieldExecutor:
    found = executor()
    if found is None:
        raise RuntimeError("The operation's executor is gone: its execution has ended.")
    return found


def _answer(leaf: PlainLeaf, source: Any) -> Any:
    """The completed value, or Undefined when graphql-core must answer (and report)."""
    try:
        value = leaf.read(source, leaf.python_name)
        if value is None:
            return Undefined if leaf.non_null else None
        if isinstance(value, Exception):
            return Undefined
        coerced = leaf.coerce(value)
    except Exception:
        return Undefined
    return Undefined if coerced is None or coerced is Undefined else coerced


def lean_resolvers(schema: strawberry.Schema) -> int:
    """Give every eligible field of ``schema`` (a resolver, no arguments, no field
    extensions; none when the schema has exception handlers) a lean resolve function, as
    the module docstring says. Returns how many fields changed."""
    if schema.exception_handlers:
        return 0
    info_class = schema.config.info_class
    changed = 0
    for graphql_type in schema._schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType):
            continue
        for field in graphql_type.fields.values():
            definition = _strawberry_field(field)
            resolver = getattr(definition, "base_resolver", None)
            if resolver is None or definition.extensions:
                continue
            names = _scalar_arguments(definition, schema)
            if names is None:
                continue
            field.resolve = _lean(definition, resolver, info_class, names)
            changed += 1
    return changed


# Argument types strawberry hands to the resolver exactly as graphql-core coerced them
# (strawberry.types.arguments.convert_argument returns such a leaf value unchanged).
_PASSED_AS_IS = (int, float, str, bool, strawberry.ID)


def _scalar_arguments(definition: Any, schema: strawberry.Schema) -> dict[str, str] | None:
    """The field's arguments by GraphQL name → Python name when every one is a built-in
    scalar (or an optional one); None when strawberry must convert some of them."""
    names = {}
    for argument in definition.arguments:
        argument_type = argument.type
        if isinstance(argument_type, StrawberryOptional) and not isinstance(
            argument_type, StrawberryMaybe
        ):
            argument_type = argument_type.of_type
        if argument_type not in _PASSED_AS_IS:
            return None
        names[schema.config.name_converter.from_argument(argument)] = argument.python_name
    return names


def _lean(
    definition: Any, resolver: Any, info_class: Any, argument_names: dict[str, str]
) -> Callable[..., Any]:
    function = resolver.wrapped_func
    with_self = resolver.self_parameter is not None
    named = [
        parameter.name
        for parameter in (resolver.parent_parameter, resolver.root_parameter)
        if parameter is not None
    ]
    info_name = resolver.info_parameter.name if resolver.info_parameter is not None else None

    def resolve(source: Any, info: GraphQLResolveInfo, **arguments: Any) -> Any:
        keywords = {argument_names[name]: value for name, value in arguments.items()}
        for name in named:
            keywords[name] = source
        if info_name is not None:
            keywords[info_name] = info_class(_raw_info=info, _field=definition)
        return function(source, **keywords) if with_self else function(**keywords)

    return resolve
