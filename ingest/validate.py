"""Turn raw fields into validated rows, or into :class:`Rejected` records for quarantine.

:func:`build` is what every reader calls per record: it empties blank cells, truncates
over-long texts (flagging them in ``truncated_fields`` rather than dropping the row),
refuses values with broken encodings, and runs the pydantic model. Failures become
:class:`Rejected` with the field and the reason — never the value.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar, get_args

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from srm.ingest.csvio import has_broken_encoding
from srm.ingest.quarantine import Rejected

__all__ = ["LONG_TEXT_FIELDS", "build", "kind_of", "present"]

M = TypeVar("M", bound=BaseModel)

# Free-text fields cut at ReadOptions.max_text_chars; other text fields at their model limit.
LONG_TEXT_FIELDS = frozenset({"bio", "text"})
_TRUNCATABLE_CACHE: dict[type[BaseModel], dict[str, int]] = {}


@cache
def kind_of(model: type[BaseModel]) -> str:
    """``CustomerRow`` → ``customer``: the row kind named in quarantine records."""
    return model.__name__.removesuffix("Row").lower()


def _max_length(annotation: Any, metadata: list[Any]) -> int | None:
    # `ShortText | None` hides the constraint inside the union's Annotated member.
    for constraint in metadata:
        maximum = getattr(constraint, "max_length", None)
        if maximum is not None:
            return int(maximum)
    for member in get_args(annotation):
        found = _max_length(member, [*getattr(member, "__metadata__", ())])
        if found is not None:
            return found
    return None


def _truncatable(model: type[BaseModel]) -> dict[str, int]:
    """Optional text fields with a maximum length (keys, which are required, are never cut)."""
    if model not in _TRUNCATABLE_CACHE:
        limits: dict[str, int] = {}
        for name, info in model.model_fields.items():
            if info.is_required():
                continue
            maximum = _max_length(info.annotation, info.metadata)
            if maximum is not None:
                limits[name] = maximum
        _TRUNCATABLE_CACHE[model] = limits
    return _TRUNCATABLE_CACHE[model]


def build(
    model: type[M],
    source: str,
    line: int | None,
    fields: dict[str, Any],
    *,
    max_text_chars: int = 10_000,
) -> M | Rejected:
    """A ``model`` row from ``fields``, or a :class:`Rejected` saying which field failed.

    Blank strings count as absent. Texts longer than their limit are cut and the field
    name is added to ``truncated_fields`` (when the model has it).
    """
    kind = kind_of(model)
    limits = _truncatable(model)
    clean: dict[str, Any] = {}
    truncated: list[str] = []
    for name, value in fields.items():
        if isinstance(value, str):
            if not value.strip():
                continue
            if has_broken_encoding(value):
                return Rejected(
                    source,
                    line,
                    kind,
                    name,
                    "broken encoding: bytes not valid in the file's encoding; "
                    "re-export the file as UTF-8",
                )
            limit = max_text_chars if name in LONG_TEXT_FIELDS else limits.get(name)
            if limit is not None and len(value) > limit:
                value = value[:limit]
                truncated.append(name)
        elif isinstance(value, dict) and any(
            isinstance(item, str) and has_broken_encoding(item) for item in value.values()
        ):
            return Rejected(source, line, kind, name, "broken encoding in an extra column")
        clean[name] = value
    if truncated and "truncated_fields" in model.model_fields:
        clean["truncated_fields"] = sorted({*clean.get("truncated_fields", ()), *truncated})
    try:
        return model.model_validate(clean)
    except PydanticValidationError as error:
        first = error.errors(include_input=False, include_url=False)[0]
        location = ".".join(str(part) for part in first["loc"]) or None
        return Rejected(source, line, kind, location, first["msg"])


def present(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields a reader looked up that the input has (None: the input does not have it),
    for :func:`build`."""
    return {name: value for name, value in fields.items() if value is not None}
