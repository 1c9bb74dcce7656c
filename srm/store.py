"""The one way SRM talks to Neo4j: a driver built from Settings, managed transactions,
batched writes, and Neo4j's errors turned into SRM's own.

Statements come from ``srm.cypher``; this module holds none.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any, TypeVar

from neo4j import READ_ACCESS, Driver, GraphDatabase, ManagedTransaction, Query
from neo4j.exceptions import (
    AuthError,
    ConstraintError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from srm.errors import StoreBusy, StoreUnavailable, UniquenessViolation
from srm.settings import Settings

__all__ = [
    "READ_RETRY_SECONDS",
    "RETRIED",
    "Retries",
    "ZonedDateTimeText",
    "batched",
    "driver_options",
    "open_driver",
    "properties_from_pairs",
    "read",
    "read_pages",
    "read_values",
    "retry_transient",
    "translate_errors",
    "write",
    "write_batches",
    "write_in_transactions",
]

T = TypeVar("T")
Row = Mapping[str, Any]

# How long an auto-commit read (:func:`read_values`) goes on retrying a transient error —
# a concurrent write's lock or outdated view, a full memory pool — before it gives up with
# StoreBusy (HTTP 503 with Retry-After in the API): the same policy as a managed
# transaction's, shorter than the driver's 15 s because a client is waiting.
READ_RETRY_SECONDS = 5.0
_CONSTRAINT_DETAIL = re.compile(r"label `(?P<label>\w+)` and property `(?P<key>\w+)`")


def open_driver(settings: Settings) -> Driver:
    """A driver for ``settings.effective_uri`` with explicit pool and timeout settings."""
    return GraphDatabase.driver(settings.effective_uri, **driver_options(settings))


def driver_options(settings: Settings) -> dict[str, Any]:
    """The driver's credentials, pool and timeout settings from ``settings`` (the same for the
    asyncio driver of :mod:`srm.store_async`)."""
    # The driver's DEBUG log holds every query's parameters (emails, phones): a root logger
    # at DEBUG must not let them through. Setting the "neo4j" logger explicitly still can.
    driver_log = logging.getLogger("neo4j")
    if driver_log.level == logging.NOTSET:
        driver_log.setLevel(logging.INFO)
    auth = None
    if settings.neo4j_password is not None:
        auth = (settings.neo4j_user, settings.neo4j_password.get_secret_value())
    return {
        "auth": auth,
        "connection_timeout": settings.neo4j_connection_timeout_s,
        "connection_acquisition_timeout": settings.neo4j_acquisition_timeout_s,
        "max_connection_pool_size": settings.neo4j_max_pool_size,
        "max_transaction_retry_time": settings.neo4j_max_retry_time_s,
        # Optional properties (scores before the first analysis, say) are normal here; the
        # server's "unknown property key" notices would only flood the logs.
        "notifications_min_severity": "OFF",
    }


@contextmanager
def translate_errors(uri: str = "") -> Iterator[None]:
    """Re-raise Neo4j's errors as SRM's, with a message that says what to do."""
    try:
        yield
    except ConstraintError as error:
        match = _CONSTRAINT_DETAIL.search(error.message or "")
        where = f"{match['label']}.{match['key']}" if match else "a unique key"
        raise UniquenessViolation(
            f"A record with the same {where} already exists; keys must be unique. "
            "Use the same key to update the record instead of creating a second one."
        ) from error
    except (ServiceUnavailable, SessionExpired) as error:
        raise StoreUnavailable(
            f"Neo4j is not reachable{' at ' + uri if uri else ''}. Start the local server "
            "(srm neo4j start) or check NEO4J_URI, then try again."
        ) from error
    except AuthError as error:
        raise StoreUnavailable(
            "Neo4j refused the credentials. Check NEO4J_USER and NEO4J_PASSWORD."
        ) from error
    except TransientError as error:
        # A managed transaction has already retried it for max_transaction_retry_time.
        raise StoreBusy.persisted(error.code, "through the transaction's retries") from error


def _records(tx: ManagedTransaction, query: str, parameters: Any) -> list[dict[str, Any]]:
    return [record.data() for record in tx.run(query, parameters)]


def _maps(tx: ManagedTransaction, query: str, parameters: Any) -> list[dict[str, Any]]:
    result = tx.run(query, parameters)
    keys = result.keys()
    return [dict(zip(keys, record, strict=True)) for record in result]


def write(
    driver: Driver, query: str, database: str | None = None, **parameters: Any
) -> list[dict[str, Any]]:
    """Run one write statement in a managed (retried) transaction; return its records."""
    with translate_errors(), driver.session(database=database) as session:
        return session.execute_write(_records, query, parameters)


def write_in_transactions(
    driver: Driver, query: str, database: str | None = None, **parameters: Any
) -> None:
    """Run a ``CALL { … } IN TRANSACTIONS`` statement: the server commits every batch on its
    own, so the work is bounded however many rows match. Such statements need an
    auto-commit transaction (``session.run``), which the driver does not retry."""
    with translate_errors(), driver.session(database=database) as session:
        session.run(Query(query), parameters).consume()


def read(
    driver: Driver, query: str, database: str | None = None, **parameters: Any
) -> list[dict[str, Any]]:
    """Run one read statement in a managed transaction; return its records as dicts."""
    with translate_errors(), driver.session(database=database) as session:
        return session.execute_read(_records, query, parameters)


def read_values(
    driver: Driver, query: str, database: str | None = None, **parameters: Any
) -> list[dict[str, Any]]:
    """:func:`read` for statements that return only maps, lists and scalars (no nodes or
    relationships): rows are taken as the driver decoded them, without ``Record.data()``'s
    conversion pass over every nested value (the API's pages of profiles).

    One auto-commit read: the statement and its records in one round trip, where a managed
    transaction waits for a COMMIT answer too (a third of the driver's time on a page of
    100 profiles). Retried after a transient error for up to :data:`READ_RETRY_SECONDS`,
    as a managed read would be (:func:`retry_transient`)."""
    with translate_errors():
        return retry_transient(
            lambda: _auto_commit_maps(driver, query, database, parameters), READ_RETRY_SECONDS
        )


def retry_transient(
    call: Callable[[], T],
    budget_seconds: float,
    *,
    first_pause: float = 0.02,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """``call()``, run again after a retryable transient error with pauses doubling from
    ``first_pause`` (±20 % jitter, at most 1 s) while ``budget_seconds`` last; then
    :class:`~srm.errors.StoreBusy` naming Neo4j's status code and the attempts. A lost or
    expired connection is retried once, at once (the pool opens a fresh one; a server
    that is down stays down, and :func:`translate_errors` reports it). Only for calls
    that are safe to repeat: reads, or writes in a transaction that never committed.
    (:mod:`srm.store_async` retries its reads by the same :class:`Retries`.)"""
    retries = Retries(budget_seconds, first_pause, clock)
    while True:
        try:
            return call()
        except RETRIED as error:
            pause = retries.pause_after(error)
        if pause:
            sleep(pause)


# The errors :class:`Retries` decides on; any other error ends a call at once.
RETRIED = (SessionExpired, ServiceUnavailable, TransientError)


class Retries:
    """The policy of :func:`retry_transient`: after each failed attempt, the pause before the
    next one, or the error to give up with."""

    def __init__(
        self, budget_seconds: float, first_pause: float, clock: Callable[[], float]
    ) -> None:
        self.budget_seconds = budget_seconds
        self.deadline = clock() + budget_seconds
        self.clock = clock
        self.pause = first_pause
        self.attempts = 0
        self.reconnected = False

    def pause_after(self, error: Exception) -> float:
        """Seconds to wait before the next attempt after ``error`` (0: at once); raises
        when no attempt is due."""
        self.attempts += 1
        if isinstance(error, SessionExpired | ServiceUnavailable):
            if self.reconnected:
                raise error
            self.reconnected = True
            return 0.0
        if not isinstance(error, TransientError):
            raise error
        if not error.is_retryable() or self.clock() + self.pause > self.deadline:
            raise StoreBusy.persisted(
                error.code,
                f"over {self.attempts} attempts in {self.budget_seconds:g} s",
                self.attempts,
            ) from error
        pause = self.pause * random.uniform(0.8, 1.2)  # noqa: S311 (jitter, not a secret)
        self.pause = min(2 * self.pause, 1.0)
        return pause


def _auto_commit_maps(
    driver: Driver, query: str, database: str | None, parameters: Any
) -> list[dict[str, Any]]:
    with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
        result = session.run(Query(query), parameters)
        keys = result.keys()
        return [dict(zip(keys, record, strict=True)) for record in result]


def read_pages(
    driver: Driver,
    query: str,
    *,
    page_size: int,
    database: str | None = None,
    **parameters: Any,
) -> Iterator[dict[str, Any]]:
    """Stream the rows of a keyset-paged read, one short read transaction a page.

    ``query`` reads ``$after`` and ``$limit`` and returns at most ``$limit`` rows ordered by
    a ``key`` column greater than ``$after`` (unique, non-empty strings: the first page
    starts after ``''``). Neither side holds more than a page, whatever the graph's size,
    and no transaction stays open while the caller writes files. Pages are not one
    snapshot: stop writers for a consistent copy (``srm backup`` checks it).

    Rows are taken as the driver decoded them (see :func:`read_values`): page statements
    return maps, lists and scalars, never nodes or relationships.
    """
    after = ""
    while True:
        with translate_errors(), driver.session(database=database) as session:
            arguments = {**parameters, "after": after, "limit": page_size}
            page = session.execute_read(_maps, query, arguments)
        yield from page
        if len(page) < page_size:
            return
        after = page[-1]["key"]


class ZonedDateTimeText(str):
    """A zoned datetime read as text: exactly ``str()`` of the driver's ``DateTime`` for the
    same value (``2024-03-21T18:01:00.000000000+00:00``), so hashes, CSV cells and backup
    lines are the same either way, while the type still says it was a datetime."""

    __slots__ = ()


def _zoned_text(fields: Sequence[int]) -> ZonedDateTimeText:
    year, month, day, hour, minute, second, nanosecond, offset = fields
    # The driver's own layout (neo4j.time.Time.iso_format): minutes of the offset floored.
    sign = "-" if offset < 0 else "+"
    hours, minutes = divmod(abs(offset // 60), 60)
    return ZonedDateTimeText(
        f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}."
        f"{nanosecond:09d}{sign}{hours:02d}:{minutes:02d}"
    )


def properties_from_pairs(pairs: Iterable[Sequence[Any]]) -> dict[str, Any]:
    """The properties read by :func:`srm.cypher.admin.readable_properties`, as a dict whose
    datetimes are :class:`ZonedDateTimeText`."""
    return {
        key: _zoned_text(value["local"]) if type(value) is dict else value for key, value in pairs
    }


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of at most ``size`` items, in order."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def write_batches(
    driver: Driver,
    query: str,
    rows: Iterable[Row],
    *,
    batch_size: int,
    database: str | None = None,
    on_batch: Callable[[int], None] | None = None,
    **parameters: Any,
) -> int:
    """Write ``rows`` with ``query`` (which reads ``$rows``), one managed transaction a batch.

    Each batch is retried on transient errors by the driver; a batch is all-or-nothing, so
    an interrupted job re-run with idempotent MERGE statements ends in the same graph.
    Returns the number of rows written; ``on_batch`` gets each batch's size.
    """
    total = 0

    def work(tx: ManagedTransaction, chunk: Sequence[Row]) -> None:
        tx.run(query, {**parameters, "rows": list(chunk)}).consume()

    with translate_errors(), driver.session(database=database) as session:
        for chunk in batched(rows, batch_size):
            session.execute_write(work, chunk)
            total += len(chunk)
            if on_batch:
                on_batch(len(chunk))
    return total
