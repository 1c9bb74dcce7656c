"""The ``/graphql`` route: strawberry's FastAPI router with SRM's context, access control
and self-hosted GraphiQL."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import Depends, Request, Response
from fastapi.responses import HTMLResponse
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from srm.api.context import Context
from srm.api.dependencies import authenticate, get_driver, get_settings
from srm.api.graphiql import graphiql_html
from srm.api.schema import build_schema
from srm.api.security import Principal
from srm.settings import Settings

__all__ = ["graphql_router"]

GRAPHQL_ROLES = ("marketer", "analyst", "admin")


def _is_graphiql_page(request: Request) -> bool:
    return request.method == "GET" and "text/html" in request.headers.get("accept", "")


async def graphql_principal(request: Request) -> Principal | None:
    """The caller; the GraphiQL page itself (a GET for HTML) is served without a key."""
    if _is_graphiql_page(request) and "query" not in request.query_params:
        return None
    return await authenticate(request, GRAPHQL_ROLES, action="use the GraphQL API")


async def graphql_context(
    request: Request,
    response: Response,
    principal: Annotated[Principal | None, Depends(graphql_principal)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Context:
    request.state.graphql_response = response
    anonymous = Principal(role="none", key_id="anonymous")
    return Context(get_driver(request), settings, principal or anonymous, request.app.state.jobs)


class SRMGraphQLRouter(GraphQLRouter):
    """Renders SRM's offline GraphiQL instead of strawberry's CDN-based page; reads and
    writes JSON with orjson (a page of 100 profiles encodes several times faster)."""

    def decode_json(self, data: str | bytes) -> object:
        # orjson.JSONDecodeError is a json.JSONDecodeError: strawberry still answers 400.
        return orjson.loads(data)

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return HTMLResponse(graphiql_html())

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        # A request rejected before execution (e.g. a parse error under the token limit, which
        # ends the operation before MaskErrors sees a result) still gets a 4xx.
        response = getattr(request.state, "graphql_response", None)
        if result.data is None and result.errors and response is not None:
            response.status_code = response.status_code or 400
        return await super().process_result(request, result)


def graphql_router(settings: Settings) -> GraphQLRouter:
    """The router; GraphiQL (and introspection, see limits) is off in production."""
    return SRMGraphQLRouter(
        build_schema(settings.production),
        context_getter=graphql_context,
        graphql_ide=None if settings.production else "graphiql",
        allow_queries_via_get=False,
    )
