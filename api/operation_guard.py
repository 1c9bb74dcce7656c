"""What the GraphQL layer tells the request guard and the client, without personal data.

- :func:`guard_operation` (run by :class:`srm.api.limits.GraphQLLimits`) refuses a
  document with several operations and no ``operationName`` (400) instead of running the
  first, and records on the request the operation's name and root fields and the classes
  of personal data its fields touch (for the access log and the audit trail — names of
  fields, never values).
- :func:`redact_validation_message`: in production, validation messages may name only what
  the client wrote — no "Did you mean …" suggestions, no type or argument names the client
  did not send, so errors cannot be used to rebuild the schema without introspection.
- :class:`QuietSchema`: strawberry logs every error with the whole document and a
  traceback; here :func:`srm.api.limits.mask_errors` logs internal errors once, one line.
"""

from __future__ import annotations

import re
from typing import Any

import strawberry
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
    Visitor,
    visit,
)
from strawberry.types import ExecutionContext

__all__ = [
    "PII_FIELDS",
    "QuietSchema",
    "guard_operation",
    "pii_classes",
    "redact_validation_message",
]

# Field and argument names whose values are personal data, by class.
PII_FIELDS = {
    "email": "email",
    "phone": "phone",
    "firstName": "name",
    "lastName": "name",
    "name": "name",
    "displayName": "name",
    "city": "location",
    "location": "location",
    "bio": "free_text",
    "text": "free_text",
}
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")
_QUOTED = re.compile(r"'([^']*)'")
# The request body's own keys: naming them reveals nothing about the schema.
_PROTOCOL_WORDS = frozenset({"query", "variables", "operationName"})
# Access-log descriptions of recent documents, by document and operation name (as many as
# the parse cache keeps documents).
_MAX_DESCRIPTIONS = 512
_DESCRIPTIONS: dict[tuple[int, str | None], tuple[DocumentNode, str | None, list[str]]] = {}


class _FieldNames(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        self.names.add(node.name.value)
        for argument in node.arguments or ():
            self.names.add(argument.name.value)


def pii_classes(document: DocumentNode) -> list[str]:
    """The classes of personal data (email, phone, name, …) the document's fields or
    arguments name, sorted."""
    collector = _FieldNames()
    visit(document, collector)
    return sorted({PII_FIELDS[name] for name in collector.names if name in PII_FIELDS})


def redact_validation_message(message: str, document_text: str) -> str:
    """``message`` without suggestions and without quoted names absent from the document
    (the request body's own keys stay: they name nothing in the schema)."""
    message = _SUGGESTION.sub("", message)
    return _QUOTED.sub(
        lambda match: (
            match.group(0)
            if match.group(1) in _PROTOCOL_WORDS or match.group(1) in document_text
            else "(hidden)"
        ),
        message,
    )


def guard_operation(context: ExecutionContext) -> None:
    """See the module docstring. Runs after validation (it adds to its errors)."""
    document = context.graphql_document
    if document is None:
        return
    operations = [
        definition
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
    ]
    # The name the client sent (strawberry's public property falls back to the first
    # operation's name, which is the behaviour refused here).
    provided = getattr(context, "_provided_operation_name", None)
    if len(operations) > 1 and provided is None:
        context.pre_execution_errors = [
            *(context.pre_execution_errors or []),
            GraphQLError(
                "The document holds several operations: say which to run with 'operationName'."
            ),
        ]
    _describe(context, document, operations)


def _describe(
    context: ExecutionContext,
    document: DocumentNode,
    operations: list[OperationDefinitionNode],
) -> None:
    request = getattr(context.context, "request", None)
    if request is None:
        return
    # The description depends on the document and the operation's name only: cached
    # beside the parsed document (the entry holds it, so its id is not reused).
    key = (id(document), context.operation_name)
    found = _DESCRIPTIONS.get(key)
    if found is None or found[0] is not document:
        found = (document, *_description(document, operations, context.operation_name))
        _DESCRIPTIONS[key] = found
        while len(_DESCRIPTIONS) > _MAX_DESCRIPTIONS:
            _DESCRIPTIONS.pop(next(iter(_DESCRIPTIONS)))
    _, operation, pii = found
    if operation is not None:
        request.state.operation = operation
        request.state.pii = list(pii)


def _description(
    document: DocumentNode, operations: list[OperationDefinitionNode], name: str | None
) -> tuple[str | None, list[str]]:
    """What the access log says of the operation called ``name`` (or the first), and the
    classes of personal data the document names; (None, []) when it has no operation."""
    chosen = next(
        (
            operation
            for operation in operations
            if operation.name is not None and operation.name.value == name
        ),
        operations[0] if operations else None,
    )
    if chosen is None:
        return None, []
    fragments = any(isinstance(d, FragmentDefinitionNode) for d in document.definitions)
    roots = sorted(
        selection.name.value
        for selection in chosen.selection_set.selections
        if isinstance(selection, FieldNode)
    )
    shown = chosen.name.value if chosen.name else "anonymous"
    operation = (
        f"graphql {chosen.operation.value} {shown} [{','.join(roots)}"
        f"{',…' if fragments and not roots else ''}]"
    )
    return operation, pii_classes(document)


class QuietSchema(strawberry.Schema):
    """A schema that leaves error logging to :func:`srm.api.limits.mask_errors`."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        return None
