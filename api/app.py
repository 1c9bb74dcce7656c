"""The API application: assembles the GraphQL, REST (enrichment, erasure), maps, health and
docs routers around one injected driver and one Settings (``create_app``), behind the
request guard (body limit, headers, access log, audit); serves the vendored browser files."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from neo4j import AsyncDriver, Driver

from srm.api import docs
from srm.api.errors import BUSY_RETRY_AFTER_SECONDS, http_status
from srm.api.graphiql import STATIC_DIR, STATIC_PATH
from srm.api.jobs import AnalysisJobs
from srm.api.middleware import RequestGuard
from srm.api.ratelimit import rate_limiter
from srm.api.routes import erase, health, maps, rest
from srm.api.routes.graphql import graphql_post_route, graphql_router
from srm.api.security import Authenticator, RateLimiter
from srm.errors import ConfigurationError, SRMError, StoreBusy
from srm.operations.audit import AuditTrail
from srm.operations.logs import error_code, error_origin
from srm.settings import Settings
from srm.store import open_driver
from srm.store_async import open_async_driver

__all__ = ["DEMO_MODE_WARNING", "PRODUCTION_WITHOUT_KEYS", "create_app"]

log = logging.getLogger("srm.api")

DEMO_MODE_WARNING = (
    "LOCAL DEMO MODE: no API keys are configured (SRM_API_KEYS) — every request without a "
    "key is treated as admin. Never expose this server; set SRM_API_KEYS or SRM_PRODUCTION=1."
)

PRODUCTION_WITHOUT_KEYS = (
    "SRM_PRODUCTION=1 needs API keys: set SRM_API_KEYS to 'role:sha256hex,…' (keys created "
    "with 'srm api-key create' then work as well). Refusing to start without them."
)


def create_app(
    settings: Settings,
    driver: Driver | None = None,
    open_reader: Callable[[Settings], AsyncDriver] = open_async_driver,
) -> FastAPI:
    """The FastAPI app. Uses ``driver`` when given (the caller closes it), else opens one
    from ``settings`` at start-up and closes it at shutdown. GraphQL reads go through an
    asyncio driver (:mod:`srm.store_async`) that ``open_reader`` opens when the app starts,
    on the event loop that serves it, and that is closed when it stops: the app must be
    started (a server runs its lifespan; ``with TestClient(app)`` does too).

    Raises :class:`ConfigurationError` in production without configured API keys."""
    if settings.production and not settings.api_keys.strip():
        raise ConfigurationError(PRODUCTION_WITHOUT_KEYS)
    owned = driver is None
    the_driver = driver if driver is not None else open_driver(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if app.state.authenticator.demo_mode:
            log.warning(DEMO_MODE_WARNING)
        audit.start()
        app.state.reader = open_reader(settings)
        try:
            yield
        finally:
            app.state.jobs.shutdown()
            audit.close()
            await app.state.reader.close()
            if owned:
                the_driver.close()

    app = FastAPI(
        title="SRM API",
        summary="CRM customers and their social networks: GraphQL for marketers and "
        "analysts, REST enrichment for CRM systems.",
        version="1",
        lifespan=lifespan,
        # Swagger UI is served by srm.api.docs from vendored files; off in production.
        docs_url=None,
        openapi_url=None if settings.production else "/openapi.json",
        redoc_url=None,
    )
    audit = AuditTrail(settings.audit_path, settings.audit_retention_days)
    app.state.settings = settings
    app.state.driver = the_driver
    app.state.authenticator = Authenticator(settings, the_driver)
    app.state.rate_limiter = rate_limiter(settings)
    app.state.failure_limiter = RateLimiter(
        settings.api_auth_failures_per_minute, subject="failed API keys from your address"
    )
    app.state.audit = audit
    app.state.jobs = AnalysisJobs(the_driver, settings.neo4j_database)

    # GraphQL first: routes are matched in order, and it takes most requests.
    graphql = graphql_router(settings)
    app.router.routes.append(graphql_post_route(graphql))
    app.include_router(graphql, prefix="/graphql", include_in_schema=False)
    app.include_router(health.router)
    app.include_router(rest.router)
    app.include_router(erase.router)
    app.include_router(maps.router)
    if not settings.production:
        app.include_router(docs.router)
    app.mount(STATIC_PATH, StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(SRMError, _srm_error)
    app.add_exception_handler(Exception, _unexpected_error)
    app.add_middleware(RequestGuard, max_body_bytes=settings.api_max_body_bytes, audit=audit)
    return app


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    """422 naming the field and the problem, without echoing values (they may be emails)."""
    assert isinstance(error, RequestValidationError)
    details = [
        {"location": ".".join(str(part) for part in item.get("loc", ())), "problem": item["msg"]}
        for item in error.errors()
    ]
    return JSONResponse({"detail": details}, status_code=422)


async def _srm_error(request: Request, error: Exception) -> JSONResponse:
    """An SRM error any route let through, with its status from :mod:`srm.api.errors`."""
    assert isinstance(error, SRMError)
    status = http_status(error)
    if status == 500:
        return await _unexpected_error(request, error)
    busy = {"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)} if isinstance(error, StoreBusy) else None
    return JSONResponse({"detail": str(error)}, status_code=status, headers=busy)


async def _unexpected_error(request: Request, error: Exception) -> JSONResponse:
    reference = uuid.uuid4().hex[:12]
    # Type and frames only: an exception's message may quote a value.
    log.error(
        "unhandled error %s",
        reference,
        extra={
            "fields": {
                "reference": reference,
                "request_id": getattr(request.state, "request_id", None),
                "error_type": type(error).__name__,
                "error_origin": error_origin(error),
                "error_code": error_code(error),
            }
        },
    )
    return JSONResponse({"detail": f"Internal error (reference {reference})."}, status_code=500)
