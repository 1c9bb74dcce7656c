"""The app of one worker process of ``srm serve --workers N``: uvicorn imports
:data:`WORKER_APP` in each process and calls it; the app reads its Settings from the
environment the serve command prepared and opens its own driver."""

from __future__ import annotations

import gc

from fastapi import FastAPI

from srm.api.app import create_app
from srm.operations.logs import configure_logging
from srm.settings import Settings

__all__ = ["WORKER_APP", "settle_heap", "worker_app"]

WORKER_APP = "srm.api.workers:worker_app"


def worker_app() -> FastAPI:
    """A fresh app with its own driver (closed at shutdown), logging one JSON line per
    request like the single-process server."""
    configure_logging()
    app = create_app(Settings())
    settle_heap()
    return app


def settle_heap() -> None:
    """Move everything a server process built at start-up (modules, the schema, the driver)
    out of the garbage collector's view (``gc.freeze``): it lives as long as the process,
    and a full collection no longer walks it. The objects each request makes are collected
    as before; without this, collections took a quarter to a third of the CPU of executing
    a page of 100 profiles. For server processes only (a test process building many apps
    would keep each one's cycles)."""
    gc.collect()
    gc.freeze()
