"""What a GraphQL query selects below a field, so resolvers read only that: a profile's short
score (value, percentile, run) instead of its full influence with inputs and explanation."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    InlineFragmentNode,
    get_named_type,
)
from graphql.execution.values import VariableValues, get_argument_values
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

__all__ = [
    "PROFILE_TEXT_FIELDS",
    "SHORT_SCORE_FIELDS",
    "below",
    "only_arguments",
    "selects_profile_text",
    "short_score_only",
]

# InfluenceScore fields answered from the short score every profile record carries
# (srm.cypher.api_fields.score_of); anything else needs the full influence statement.
SHORT_SCORE_FIELDS = frozenset({"value", "percentile", "runId", "run", "__typename"})


# Profile fields read from its free-text properties: a page whose profiles select none of
# them is read without those properties (srm.cypher.api_fields.profile_record).
PROFILE_TEXT_FIELDS = frozenset({"displayName", "bio", "location", "url"})


def _fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    """The fields of a selection set, with fragments (named or inline) flattened."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        elif isinstance(selection, FragmentSpread | InlineFragment):
            yield from _fields(selection.selections)


def below(selections: Iterable[Selection], *path: str) -> list[SelectedField]:
    """The fields selected inside the fields reached from ``selections`` through the names in
    ``path`` (all of ``selections`` when ``path`` is empty)."""
    current = list(_fields(selections))
    for name in path:
        current = [
            child for field in current if field.name == name for child in _fields(field.selections)
        ]
    return current


def _names_below(info: Any, test: str, path: tuple[str, ...], check: Any) -> bool:
    """``check`` of the names selected below the current field through ``path``, cached per
    request, field node, test and path: a page of 100 profiles computes it once."""
    cache: dict[tuple[int, str, tuple[str, ...]], bool] = info.context.selection_cache
    key = (id(info._raw_info.field_nodes[0]), test, path)
    found = cache.get(key)
    if found is None:
        roots = [child for field in info.selected_fields for child in field.selections]
        found = bool(check(field.name for field in below(roots, *path)))
        cache[key] = found
    return found


def short_score_only(info: Any, *path: str) -> bool:
    """True when the ``InfluenceScore`` selections reached from the current field through
    ``path`` (e.g. ``edges, node, influence``; empty when the current field is the influence
    itself) ask for short-score fields only, or when there are none."""
    return _names_below(
        info, "short", path, lambda names: all(name in SHORT_SCORE_FIELDS for name in names)
    )


def selects_profile_text(info: Any, *path: str) -> bool:
    """True when a ``Profile`` reached from the current field through ``path`` (e.g.
    ``edges, node``) selects one of :data:`PROFILE_TEXT_FIELDS`."""
    return _names_below(
        info, "text", path, lambda names: any(name in PROFILE_TEXT_FIELDS for name in names)
    )


def _ast_fields(selections: Iterable[Any], fragments: dict[str, Any]) -> Iterator[FieldNode]:
    """The field nodes of a selection set, fragments (named or inline) flattened."""
    for selection in selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _ast_fields(selection.selection_set.selections, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                yield from _ast_fields(fragment.selection_set.selections, fragments)


def only_arguments(info: Any, name: str) -> dict[str, Any] | None:
    """The arguments of the field ``name`` selected directly below the current field, as its
    resolver will get them (variables filled in, defaults applied, GraphQL names), when it is
    selected and every selection of it (aliases, fragments) has the same arguments; None
    otherwise, and when graphql-core rejects them (the resolver reports that itself)."""
    raw = info._raw_info
    parent = get_named_type(raw.return_type)
    field = parent.fields.get(name) if isinstance(parent, GraphQLObjectType) else None
    if field is None:
        return None
    nodes = [
        node
        for field_node in raw.field_nodes
        if field_node.selection_set is not None
        for node in _ast_fields(field_node.selection_set.selections, raw.fragments)
        if node.name.value == name
    ]
    variables = raw.variable_values
    if not isinstance(variables, VariableValues):
        # The resolve info carries the coerced values only; argument coercion reads those.
        variables = VariableValues(sources={}, coerced=dict(variables or {}))
    try:
        found = [get_argument_values(field, node, variables) for node in nodes]
    except GraphQLError:
        return None
    if not found or any(arguments != found[0] for arguments in found[1:]):
        return None
    return found[0]
