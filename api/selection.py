"""What a GraphQL query selects below a field, so resolvers read only that: a profile's short
score (value, percentile, run) instead of its full influence with inputs and explanation."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

__all__ = ["SHORT_SCORE_FIELDS", "below", "short_score_only"]

# InfluenceScore fields answered from the short score every profile record carries
# (srm.cypher.api_fields.score_of); anything else needs the full influence statement.
SHORT_SCORE_FIELDS = frozenset({"value", "percentile", "runId", "run", "__typename"})


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


def short_score_only(info: Any, *path: str) -> bool:
    """True when the ``InfluenceScore`` selections reached from the current field through
    ``path`` (e.g. ``edges, node, influence``; empty when the current field is the influence
    itself) ask for short-score fields only, or when there are none.

    Cached per request and field node: a page of 100 profiles computes it once.
    """
    cache: dict[tuple[int, tuple[str, ...]], bool] = info.context.selection_cache
    key = (id(info._raw_info.field_nodes[0]), path)
    found = cache.get(key)
    if found is None:
        roots = [child for field in info.selected_fields for child in field.selections]
        found = all(field.name in SHORT_SCORE_FIELDS for field in below(roots, *path))
        cache[key] = found
    return found
