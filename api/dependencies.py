"""FastAPI dependencies: the injected driver and settings (kept on ``app.state`` by
:func:`srm.api.app.create_app`, never module globals) and the caller's principal."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from anyio import to_thread
from fastapi import Depends, HTTPException, Request
from neo4j import Driver

from srm.api.security import KEY_HEADER, AccessDenied, Authenticator, Principal, RateLimiter
from srm.settings import Settings

__all__ = [
    "DriverDep",
    "SettingsDep",
    "get_driver",
    "get_settings",
    "presented_key",
    "principal_with_roles",
]


# Async on purpose: FastAPI runs a plain ``def`` dependency in its thread pool, a thread
# hand-off per request for reading one attribute.
async def get_driver(request: Request) -> Driver:
    return request.app.state.driver


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


# What a route declares to be handed the app's driver or settings.
DriverDep = Annotated[Driver, Depends(get_driver)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def presented_key(request: Request) -> str | None:
    """The key from ``X-API-Key`` or ``Authorization: Bearer …``."""
    key = request.headers.get(KEY_HEADER)
    if key:
        return key.strip()
    authorization = request.headers.get("Authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


async def authenticate(request: Request, roles: tuple[str, ...], action: str) -> Principal:
    """The caller's principal with one of ``roles``; HTTP 401/403/429/503 otherwise."""
    authenticator: Authenticator = request.app.state.authenticator
    limiter: RateLimiter = request.app.state.rate_limiter
    try:
        key = presented_key(request)
        principal = authenticator.known(key)
        if principal is None:
            principal = await _looked_up(request, authenticator, key)
        if not principal.demo:
            limiter.check(principal.key_id)
        principal.require(*roles, action=action)
    except AccessDenied as denied:
        headers = {"Retry-After": str(denied.retry_after)} if denied.retry_after else None
        if denied.status == 401:
            headers = {"WWW-Authenticate": f'ApiKey header="{KEY_HEADER}"'}
        raise HTTPException(denied.status, denied.message, headers=headers) from denied
    request.state.principal = principal
    return principal


async def _looked_up(request: Request, authenticator: Authenticator, key: str | None) -> Principal:
    """A key that needs a Neo4j lookup (a hop to a worker thread). Failed lookups are
    limited per client address, checked before the lookup: guessing keys costs no query."""
    failures: RateLimiter = request.app.state.failure_limiter
    address = request.client.host if request.client else "unknown"
    failures.peek(address)
    try:
        return await to_thread.run_sync(authenticator.authenticate, key)
    except AccessDenied as denied:
        if denied.status == 401:
            failures.check(address)
        raise


def principal_with_roles(
    *roles: str, action: str
) -> Callable[[Request], Coroutine[Any, Any, Principal]]:
    """A dependency that admits only ``roles`` (403 with ``action`` in the message)."""

    async def dependency(request: Request) -> Principal:
        return await authenticate(request, roles, action)

    return dependency
