"""The API's reads on Neo4j's asyncio driver: the same auto-commit reads as
:func:`srm.store.read_values`, awaited on the server's event loop instead of run in a
worker thread.

Handing each read to a thread and its answer back cost the API more CPU than the read itself
once many requests ran at once (a profile with 20 followers under 20 clients, old and new
servers side by side: 1.93 ms of server CPU per request through threads, 1.59 ms awaited on
the loop), and the threads' contention for the interpreter lock grew with the load. An asyncio driver belongs
to the event loop it first ran on: the app opens one per process when it starts
(:func:`open_async_driver`) and closes it when it stops.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from neo4j import READ_ACCESS, AsyncDriver, AsyncGraphDatabase, Query

from srm.settings import Settings
from srm.store import READ_RETRY_SECONDS, RETRIED, Retries, driver_options, translate_errors

__all__ = ["open_async_driver", "read_collected", "read_values", "retry_transient"]

T = TypeVar("T")


def open_async_driver(settings: Settings) -> AsyncDriver:
    """An asyncio driver for ``settings.effective_uri``, configured as
    :func:`srm.store.open_driver` configures the blocking one."""
    return AsyncGraphDatabase.driver(settings.effective_uri, **driver_options(settings))


async def read_values(
    driver: AsyncDriver, query: str, database: str | None = None, **parameters: Any
) -> list[dict[str, Any]]:
    """:func:`srm.store.read_values` awaited: one auto-commit read of a statement that
    returns only maps, lists and scalars; rows as the driver decoded them; transient errors
    retried for :data:`~srm.store.READ_RETRY_SECONDS`; Neo4j's errors as SRM's."""
    with translate_errors():
        return await retry_transient(
            lambda: _auto_commit_maps(driver, query, database, parameters), READ_RETRY_SECONDS
        )


async def read_collected(
    driver: AsyncDriver, query: str, database: str | None = None, **parameters: Any
) -> list[Any]:
    """The rows of a statement that returns them collected in one list (one record, column
    ``rows``), read as :func:`read_values` reads. The driver's work is per record (a Bolt
    message, its socket reads, a record object): a page of 100 profiles as one list costs
    about a third of the CPU of 100 records."""
    found = await read_values(driver, query, database, **parameters)
    return found[0]["rows"] if found else []


async def retry_transient(
    call: Callable[[], Awaitable[T]],
    budget_seconds: float,
    *,
    first_pause: float = 0.02,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """:func:`srm.store.retry_transient` for a coroutine: the same policy
    (:class:`srm.store.Retries`), pausing with ``sleep`` (``asyncio.sleep``)."""
    retries = Retries(budget_seconds, first_pause, clock)
    while True:
        try:
            return await call()
        except RETRIED as error:
            pause = retries.pause_after(error)
        if pause:
            await sleep(pause)


async def _auto_commit_maps(
    driver: AsyncDriver, query: str, database: str | None, parameters: Any
) -> list[dict[str, Any]]:
    async with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
        result = await session.run(Query(query), parameters)
        keys = result.keys()
        return [dict(zip(keys, record, strict=True)) async for record in result]
