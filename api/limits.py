"""Query limits and error masking for the GraphQL endpoint.

Limits: depth ≤ 10, aliases ≤ 15, tokens ≤ 2,000, ``first``/``limit`` ≤ 100, search texts
≤ 200 characters and 20 words, and a cost budget of 50,000 (each field costs the product of
the list sizes above it). Batched requests are off (strawberry's default). In production,
introspection and GraphiQL are off and validation messages name only what the client sent.
Errors: messages of :class:`ClientError`, :class:`~srm.api.security.AccessDenied` and
GraphQL validation reach the client; anything else is logged with a correlation id and the
client gets only "Internal error (reference …)" — no Neo4j message, Cypher or personal data.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from functools import lru_cache, partial
from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)
from graphql.language.parser import parse
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter, SchemaExtension
from strawberry.schema.schema import validate_document
from strawberry.types import ExecutionContext

from srm.api.errors import BUSY_RETRY_AFTER_SECONDS
from srm.api.operation_guard import guard_operation, redact_validation_message
from srm.api.security import AccessDenied
from srm.errors import NotFoundError, StoreBusy, StoreUnavailable
from srm.errors import ValidationError as SRMValidationError
from srm.operations.logs import error_code, error_origin

__all__ = [
    "MAX_ALIASES",
    "MAX_COST",
    "MAX_DEPTH",
    "MAX_FIRST",
    "MAX_SEARCH_CHARACTERS",
    "MAX_SEARCH_WORDS",
    "MAX_TOKENS",
    "ClientError",
    "GraphQLLimits",
    "check_first",
    "check_search_text",
    "schema_extensions",
]

log = logging.getLogger("srm.api")

MAX_DEPTH = 10
MAX_ALIASES = 15
MAX_TOKENS = 2_000
MAX_FIRST = 100
MAX_COST = 50_000
MAX_SEARCH_CHARACTERS = 200
MAX_SEARCH_WORDS = 20
# What a list field without a size argument is assumed to return, for the cost budget
# (a profile's customers, a person's accounts: a handful). Connection ``edges`` are bounded
# by their field's ``first`` and count once.
DEFAULT_LIST_SIZE = 5
_SIZE_ARGUMENTS = ("first", "limit")


class ClientError(Exception):
    """A request the caller can fix (bad argument, unknown cursor); its message is shown."""


def check_search_text(text: str) -> str:
    """``search(text:)`` within MAX_SEARCH_CHARACTERS and MAX_SEARCH_WORDS, else a
    :class:`ClientError` (longer texts overflow the full-text index's query limits)."""
    words = len(text.split())
    if words > MAX_SEARCH_WORDS:
        raise ClientError(f"'text' may have at most {MAX_SEARCH_WORDS} words (got {words:,}).")
    if len(text) > MAX_SEARCH_CHARACTERS:
        raise ClientError(
            f"'text' may have at most {MAX_SEARCH_CHARACTERS} characters (got {len(text):,})."
        )
    return text


def check_first(first: int, name: str = "first") -> int:
    """``first`` within 1..MAX_FIRST, else a :class:`ClientError` that says the range."""
    if not 1 <= first <= MAX_FIRST:
        raise ClientError(f"'{name}' must be between 1 and {MAX_FIRST} (got {first}).")
    return first


def _cost_rule(budget: int) -> type[ValidationRule]:
    class CostBudget(ValidationRule):
        """Rejects operations whose estimated result size exceeds the budget."""

        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.fragments = {
                definition.name.value: definition
                for definition in context.document.definitions
                if isinstance(definition, FragmentDefinitionNode)
            }

        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            cost = self._cost(node.selection_set, 1, frozenset())
            if cost > budget:
                self.report_error(
                    GraphQLError(
                        f"Query too expensive: estimated cost {cost:,} exceeds the budget of "
                        f"{budget:,} (list sizes multiplied through nesting). Ask for fewer "
                        "items per level ('first') or nest fewer lists.",
                        node,
                    )
                )

        def _cost(self, selections: SelectionSetNode | None, factor: int, seen: frozenset) -> int:
            if selections is None:
                return 0
            total = 0
            for selection in selections.selections:
                if isinstance(selection, FieldNode):
                    size = self._size(selection)
                    total += factor
                    if selection.selection_set is not None:
                        total += self._cost(selection.selection_set, factor * size, seen)
                elif isinstance(selection, InlineFragmentNode):
                    total += self._cost(selection.selection_set, factor, seen)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    # Cycles are reported by graphql's own NoFragmentCycles rule.
                    if name in seen or name not in self.fragments:
                        continue
                    fragment = self.fragments[name]
                    total += self._cost(fragment.selection_set, factor, seen | {name})
            return total

        def _size(self, field: FieldNode) -> int:
            for argument in field.arguments or ():
                if argument.name.value in _SIZE_ARGUMENTS:
                    if isinstance(argument.value, IntValueNode):
                        value = int(argument.value.value)
                        if value > MAX_FIRST:
                            self.report_error(
                                GraphQLError(
                                    f"'{argument.name.value}' may be at most {MAX_FIRST} "
                                    f"(got {value}); page with 'after' instead.",
                                    argument,
                                )
                            )
                        return max(value, 1)
                    return MAX_FIRST
            return DEFAULT_LIST_SIZE if field.name.value in _LIST_FIELDS else 1

    return CostBudget


# Fields that return lists without a size argument (from the schema); others count as one.
_LIST_FIELDS = frozenset({"profiles", "customers", "accounts", "officialProfiles", "brands"})


def mask_errors(context: ExecutionContext, production: bool) -> None:
    """Keeps client-fixable messages, replaces the rest with a correlation id, and turns a
    rejected operation (no data at all) into an HTTP 4xx status. In production, validation
    messages are redacted (:func:`~srm.api.operation_guard.redact_validation_message`).
    Internal errors are logged once, one line, with the exception's type and frames only;
    the error kinds go to the request's access-log line."""
    result = context.result
    if result is None or not result.errors:
        return
    status = 0
    kinds: list[str] = []
    masked: list[GraphQLError] = []
    request = getattr(context.context, "request", None)
    for error in result.errors:
        original = error.original_error
        if isinstance(original, AccessDenied):
            status = max(status, original.status)
            kinds.append(f"denied:{original.status}")
            masked.append(error)
        elif original is None or isinstance(
            original, ClientError | NotFoundError | SRMValidationError
        ):
            status = max(status, 400)
            kinds.append("invalid" if original is None else "client")
            if original is None and production:
                text = context.query or ""
                error = _replace(error, redact_validation_message(error.message, text))
            masked.append(error)
        elif isinstance(original, StoreBusy):
            status = max(status, 503)
            kinds.append("busy")
            masked.append(_replace(error, "The graph database is busy; try again shortly."))
        elif isinstance(original, StoreUnavailable):
            status = max(status, 503)
            kinds.append("unavailable")
            masked.append(_replace(error, "The graph database is not reachable; try later."))
        else:
            reference = uuid.uuid4().hex[:12]
            kinds.append(f"internal:{reference}")
            log.error(
                "graphql internal error %s",
                reference,
                extra={
                    "fields": {
                        "reference": reference,
                        "request_id": getattr(getattr(request, "state", None), "request_id", None),
                        "path": [str(part) for part in error.path or ()],
                        "error_type": type(original).__name__,
                        "error_origin": error_origin(original),
                        "error_code": error_code(original),
                    }
                },
            )
            status = max(status, 500)
            masked.append(_replace(error, f"Internal error (reference {reference})."))
    result.errors = masked
    if request is not None:
        request.state.errors = sorted(set(kinds))
    response = getattr(context.context, "response", None)
    # Nothing answered (no data, or every root field null after an error): the request
    # failed as a whole, and its status says why.
    failed = result.data is None or all(value is None for value in result.data.values())
    if failed and response is not None and status:
        response.status_code = status
        if "busy" in kinds:
            response.headers["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)


def _replace(error: GraphQLError, message: str) -> GraphQLError:
    return GraphQLError(
        message, nodes=error.nodes, source=error.source, positions=error.positions, path=error.path
    )


# Parsed and validated documents of recent requests: a repeated query is neither parsed
# nor validated again (keys: the text and token limit; the schema, document and rules).
_DOCUMENTS = 512
_parsed = lru_cache(maxsize=_DOCUMENTS)(parse)
_validated = lru_cache(maxsize=_DOCUMENTS)(validate_document)


class GraphQLLimits(SchemaExtension):
    """Every per-request step SRM adds to strawberry's, in one extension (one instance and
    one hook per stage, where six extensions cost a request six of each): the token limit,
    the depth, alias and cost rules, cached parsing and validation, the operation guard
    (:func:`srm.api.operation_guard.guard_operation`) and the error masking
    (:func:`mask_errors`)."""

    def __init__(self, rules: tuple[type[ASTValidationRule], ...], production: bool) -> None:
        self.rules = rules
        self.production = production

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.parse_options["max_tokens"] = MAX_TOKENS
        context.validation_rules = context.validation_rules + self.rules
        yield
        mask_errors(context, self.production)

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        context.graphql_document = _parsed(context.query, **context.parse_options)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        assert context.graphql_document is not None
        context.pre_execution_errors = _validated(
            context.schema._schema, context.graphql_document, context.validation_rules
        )
        guard_operation(context)
        yield


def schema_extensions(production: bool) -> list[Any]:
    """The schema's extension factory (one instance per request): limits always,
    introspection off in production.

    The validation rules are built once, so the validation cache (keyed by document and
    rules) hits for repeated queries; parsing is cached too.
    """
    rules = [
        *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
        *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
        _cost_rule(MAX_COST),
    ]
    if production:
        rules.append(NoSchemaIntrospectionCustomRule)
    return [partial(GraphQLLimits, tuple(rules), production)]
