"""The ``/graphql`` route: strawberry's FastAPI router with SRM's context, access control
and self-hosted GraphiQL."""

from __future__ import annotations

from typing import Annotated

import orjson
from cross_web import HTTPException
from fastapi import BackgroundTasks, Depends, Request, Response
from fastapi.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from srm.api.context import Context
from srm.api.dependencies import authenticate
from srm.api.graphiql import graphiql_html, page_csp
from srm.api.schema import build_schema
from srm.api.security import Principal
from srm.settings import Settings

__all__ = ["graphql_post_route", "graphql_router"]

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
) -> Context:
    request.state.graphql_response = response
    anonymous = Principal(role="none", key_id="anonymous")
    state = request.app.state
    reader = getattr(state, "reader", None)
    if reader is None:
        raise RuntimeError(
            "The API app was not started: its reads need the asyncio driver its lifespan "
            "opens (serve it with uvicorn, or enter `with TestClient(app)`)."
        )
    return Context(state.driver, reader, state.settings, principal or anonymous, state.jobs)


def graphql_post_route(router: SRMGraphQLRouter, path: str = "/graphql") -> Route:
    """``POST path`` answered by ``router`` as its own POST route answers it — the caller
    authenticated first (401/403/429 as FastAPI renders them), SRM's context, strawberry's
    view — but as a plain Starlette route: FastAPI's dependency solving for the context
    (three dependants per request) was a tenth of a small query's time. Placed before the
    router's routes, it takes every POST; GET (GraphiQL) still goes to the router."""

    async def graphql_post(request: Request) -> Response:
        principal = await graphql_principal(request)
        # The sub-response strawberry's view reads its status and headers from, made as
        # FastAPI makes the one it injects (no status until something sets one).
        response = Response()
        del response.headers["content-length"]
        response.status_code = None  # type: ignore[assignment]
        context = await graphql_context(request, response, principal)
        # What strawberry's context dependency adds to a BaseContext.
        context.request, context.response = request, response
        context.background_tasks = tasks = BackgroundTasks()
        router.temporal_response = response
        try:
            answer = await router.run(request=request, context=context, root_value=None)
        except HTTPException as error:
            return PlainTextResponse(error.reason, status_code=error.status_code)
        if tasks.tasks:
            answer.background = tasks
        return answer

    return Route(path, graphql_post, methods=["POST"], include_in_schema=False)


class SRMGraphQLRouter(GraphQLRouter):
    """Renders SRM's offline GraphiQL instead of strawberry's CDN-based page; reads and
    writes JSON with orjson (a page of 100 profiles encodes several times faster)."""

    # Where strawberry's FastAPI routes leave the request's sub-response for the view.
    temporal_response: Response

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        html = graphiql_html()
        return HTMLResponse(html, headers={"Content-Security-Policy": page_csp(html)})

    def decode_json(self, data: str | bytes) -> object:
        """The body as a JSON object; 400 for anything else (strawberry would fail on a body
        that is null, a string, a number or not UTF-8). Decoded with orjson, several times
        faster than the standard library on large variables."""
        try:
            decoded = orjson.loads(data)
        except orjson.JSONDecodeError as error:
            if isinstance(data, bytes):
                try:
                    data.decode("utf-8")
                except UnicodeDecodeError:
                    raise HTTPException(400, "The JSON body is not valid UTF-8.") from error
            # Any other malformed JSON: strawberry answers 400 for a json.JSONDecodeError,
            # which orjson's error is.
            raise
        # A list is a batch: strawberry refuses it ("Batching is not enabled").
        if not isinstance(decoded, dict | list):
            raise HTTPException(
                400,
                'The body must be a JSON object: {"query": "…", "variables": {…}, '
                '"operationName": "…"}.',
            )
        name = decoded.get("operationName") if isinstance(decoded, dict) else None
        if name is not None and not isinstance(name, str):
            raise HTTPException(400, "'operationName' must be a string or null.")
        return decoded

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        # A request rejected before execution (e.g. a parse error under the token limit, which
        # ends the operation before mask_errors sees a result) still gets a 4xx.
        response = getattr(request.state, "graphql_response", None)
        if result.data is None and result.errors and response is not None:
            response.status_code = response.status_code or 400
        return await super().process_result(request, result)


def graphql_router(settings: Settings) -> SRMGraphQLRouter:
    """The router; GraphiQL (and introspection, see limits) is off in production."""
    return SRMGraphQLRouter(
        build_schema(settings.production),
        context_getter=graphql_context,
        graphql_ide=None if settings.production else "graphiql",
        allow_queries_via_get=False,
    )
