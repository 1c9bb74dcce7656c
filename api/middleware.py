"""One ASGI middleware around every request: correlation id, body limit, security headers,
one structured access-log line and one audit event.

- ``X-Request-ID``: taken from the request when it is a short token, else generated; echoed
  in the response and written in the log line and the audit event.
- Bodies larger than ``SRM_API_MAX_BODY_BYTES`` get 413 before any parsing; a body that is
  not UTF-8 while declared JSON gets 400.
- Every response gets ``Content-Security-Policy`` (unless the route set its own, stricter
  one), ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer``,
  ``X-Frame-Options: DENY``; everything but the static files gets ``Cache-Control: no-store``
  (answers may hold personal data).
- The log line names the route template (never the path with its values or the query
  string), the GraphQL operation name, the key id, status and latency — no query text.
- The audit event is queued (:class:`srm.operations.audit.AuditTrail`): no I/O here.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from srm.operations.audit import AuditTrail

__all__ = ["DEFAULT_CSP", "RequestGuard", "request_state"]

log = logging.getLogger("srm.api.access")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DEFAULT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
_SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_STATIC_PREFIX = "/static/"


def request_state(scope: Scope) -> dict[str, Any]:
    """The per-request state dict Starlette exposes as ``request.state``."""
    state: dict[str, Any] = scope.setdefault("state", {})
    return state


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


async def _answer(send: Send, status: int, message: str, request_id: str) -> None:
    body = json.dumps({"detail": message}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"x-request-id", request_id.encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


class RequestGuard:
    """The middleware (pure ASGI, so streaming and background tasks are untouched)."""

    def __init__(
        self, app: ASGIApp, *, max_body_bytes: int, audit: AuditTrail | None = None
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.audit = audit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        given = _header(scope, b"x-request-id")
        request_id = given if given and _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        state = request_state(scope)
        state["request_id"] = request_id
        status = 500

        async def guarded_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = self._headers(scope, message.get("headers", []), request_id)
            await send(message)

        try:
            body = await self._read_body(scope, receive)
        except _TooLarge:
            status = 413
            await _answer(
                send,
                413,
                f"The request body is larger than {self.max_body_bytes:,} bytes "
                "(SRM_API_MAX_BODY_BYTES); send less per request.",
                request_id,
            )
        else:
            if body is not None and not _utf8_ok(scope, body):
                status = 400
                await _answer(send, 400, "The JSON body is not valid UTF-8.", request_id)
            else:
                await self.app(scope, _replay(body, receive) if body is not None else receive,
                               guarded_send)  # fmt: skip
        finally:
            self._finish(scope, state, request_id, status, started)

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes | None:
        """The whole body of a request that has one (at most the limit), else None."""
        if scope.get("method") not in ("POST", "PUT", "PATCH", "DELETE"):
            return None
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            raise _TooLarge
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    def _headers(
        self, scope: Scope, headers: list[tuple[bytes, bytes]], request_id: str
    ) -> list[tuple[bytes, bytes]]:
        names = {name.lower() for name, _ in headers}
        out = list(headers)
        out.append((b"x-request-id", request_id.encode()))
        if b"content-security-policy" not in names:
            out.append((b"content-security-policy", DEFAULT_CSP.encode()))
        out.extend(item for item in _SECURITY_HEADERS if item[0] not in names)
        if not str(scope.get("path", "")).startswith(_STATIC_PREFIX):
            out = [(name, value) for name, value in out if name.lower() != b"cache-control"]
            out.append((b"cache-control", b"no-store"))
        return out

    def _finish(
        self, scope: Scope, state: dict[str, Any], request_id: str, status: int, started: float
    ) -> None:
        latency_ms = (time.perf_counter() - started) * 1000.0
        route = scope.get("route")
        template = getattr(route, "path", None) or _unrouted(scope)
        operation = state.get("operation") or f"{scope.get('method')} {template}"
        principal = state.get("principal")
        key_id = getattr(principal, "key_id", None)
        role = getattr(principal, "role", None)
        pii = sorted(state.get("pii", ()))
        fields = {
            "request_id": request_id,
            "method": scope.get("method"),
            "route": template,
            "operation": operation,
            "key_id": key_id,
            "role": role,
            "status": status,
            "latency_ms": round(latency_ms, 1),
        }
        if state.get("errors"):
            fields["errors"] = state["errors"]
        level = logging.ERROR if status >= 500 else logging.INFO
        log.log(level, "request", extra={"fields": fields})
        if self.audit is not None and not str(scope.get("path", "")).startswith(_STATIC_PREFIX):
            self.audit.record_request(
                request_id=request_id,
                key_id=key_id,
                role=role,
                operation=operation,
                pii=pii,
                status=status,
                latency_ms=latency_ms,
            )


def _unrouted(scope: Scope) -> str:
    """A path no route matched: its first segment only (the rest may hold values)."""
    path = str(scope.get("path", ""))
    first = path.strip("/").split("/", 1)[0]
    return f"/{first}…" if first else "/"


def _utf8_ok(scope: Scope, body: bytes) -> bool:
    content_type = (_header(scope, b"content-type") or "").lower()
    if "json" not in content_type:
        return True
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
