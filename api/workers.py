"""The app of one worker process of ``srm serve --workers N``: uvicorn imports
:data:`WORKER_APP` in each process and calls it; the app reads its Settings from the
environment the serve command prepared and opens its own driver."""

from __future__ import annotations

import gc

from fastapi import FastAPI

from srm.api.app import create_app
from srm.operations.logs import configure_logging
from srm.settings import Settings

__all__ = ["WORKER_APP", "YOUNG_COLLECTION_THRESHOLD", "settle_heap", "worker_app"]

WORKER_APP = "srm.api.workers:worker_app"
# Allocations between two collections of the youngest generation in a server process.
YOUNG_COLLECTION_THRESHOLD = 10_000


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
    a page of 100 profiles.

    Then collect the youngest generation every :data:`YOUNG_COLLECTION_THRESHOLD`
    allocations instead of 700: the objects of the requests in flight (their futures,
    records, pages) were walked again by each young collection until they were freed. With
    20 clients asking for a profile and its followers, collections took 11 % of a worker's
    CPU at 700 and 3.6 % at 10,000 (one worker, measured with ``gc.callbacks``). For server
    processes only (a test process building many apps would keep each one's cycles)."""
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, oldest)
