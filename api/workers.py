"""The app of one worker process of ``srm serve --workers N``: uvicorn imports
:data:`WORKER_APP` in each process and calls it; the app reads its Settings from the
environment the serve command prepared and opens its own driver."""

from __future__ import annotations

from fastapi import FastAPI

from srm.api.app import create_app
from srm.operations.logs import configure_logging
from srm.settings import Settings

__all__ = ["WORKER_APP", "worker_app"]

WORKER_APP = "srm.api.workers:worker_app"


def worker_app() -> FastAPI:
    """A fresh app with its own driver (closed at shutdown), logging one JSON line per
    request like the single-process server."""
    configure_logging()
    return create_app(Settings())
