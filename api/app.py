"""The API application: assembles the GraphQL, REST (enrichment, erasure), maps and health
routers around one injected driver and one Settings (``create_app``); serves the vendored
GraphiQL files."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from neo4j import Driver

from srm.api import erase, health, maps, rest
from srm.api.graphiql import STATIC_DIR, STATIC_PATH
from srm.api.graphql_router import graphql_router
from srm.api.jobs import AnalysisJobs
from srm.api.ratelimit import rate_limiter
from srm.api.security import Authenticator
from srm.settings import Settings
from srm.store import open_driver

__all__ = ["DEMO_MODE_WARNING", "create_app"]

log = logging.getLogger("srm.api")

DEMO_MODE_WARNING = (
    "LOCAL DEMO MODE: no API keys are configured (SRM_API_KEYS) — every request without a "
    "key is treated as admin. Never expose this server; set SRM_API_KEYS or SRM_PRODUCTION=1."
)


def create_app(settings: Settings, driver: Driver | None = None) -> FastAPI:
    """The FastAPI app. Uses ``driver`` when given (the caller closes it), else opens one
    from ``settings`` at start-up and closes it at shutdown."""
    owned = driver is None
    the_driver = driver if driver is not None else open_driver(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if app.state.authenticator.demo_mode:
            log.warning(DEMO_MODE_WARNING)
        try:
            yield
        finally:
            app.state.jobs.shutdown()
            if owned:
                the_driver.close()

    app = FastAPI(
        title="SRM API",
        summary="CRM customers and their social networks: GraphQL for marketers and "
        "analysts, REST enrichment for CRM systems.",
        version="1",
        lifespan=lifespan,
        docs_url="/docs",
        openapi_url="/openapi.json",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.driver = the_driver
    app.state.authenticator = Authenticator(settings, the_driver)
    app.state.rate_limiter = rate_limiter(settings)
    app.state.jobs = AnalysisJobs(the_driver, settings.neo4j_database)

    app.include_router(health.router)
    app.include_router(rest.router)
    app.include_router(erase.router)
    app.include_router(maps.router)
    app.include_router(graphql_router(settings), prefix="/graphql", include_in_schema=False)
    app.mount(STATIC_PATH, StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected_error)
    return app


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    """422 naming the field and the problem, without echoing values (they may be emails)."""
    assert isinstance(error, RequestValidationError)
    details = [
        {"location": ".".join(str(part) for part in item.get("loc", ())), "problem": item["msg"]}
        for item in error.errors()
    ]
    return JSONResponse({"detail": details}, status_code=422)


async def _unexpected_error(request: Request, error: Exception) -> JSONResponse:
    reference = uuid.uuid4().hex[:12]
    log.error("Unhandled error %s on %s", reference, request.url.path, exc_info=error)
    return JSONResponse({"detail": f"Internal error (reference {reference})."}, status_code=500)
