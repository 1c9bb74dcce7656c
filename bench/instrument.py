"""A driver wrapper that counts Cypher round trips (statements sent), for the no-N+1 test
and the benchmark. It wraps the real drivers: every statement still runs on Neo4j. The
API's reads go through its asyncio driver: give the app :meth:`CountingDriver.open_reader`
so that they count too."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from neo4j import AsyncDriver, Driver

from srm.settings import Settings
from srm.store_async import open_async_driver

__all__ = ["CountingDriver"]


class _Counted:
    """A driver, session or transaction whose statements ``counter`` counts; everything it
    does not define comes from the wrapped object."""

    def __init__(self, wrapped: Any, counter: CountingDriver) -> None:
        self._wrapped = wrapped
        self._counter = counter

    def __getattr__(self, name: str) -> Any:
        return getattr(self._wrapped, name)


class _CountingAsyncSession(_Counted):
    async def __aenter__(self) -> _CountingAsyncSession:
        await self._wrapped.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._wrapped.__aexit__(*exc)

    async def run(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        self._counter.record(query)
        return await self._wrapped.run(query, *args, **kwargs)


class _CountingAsyncDriver(_Counted):
    def session(self, **kwargs: Any) -> _CountingAsyncSession:
        return _CountingAsyncSession(self._wrapped.session(**kwargs), self._counter)


class _CountingTransaction(_Counted):
    def run(self, query: Any, parameters: Any = None, **kwargs: Any) -> Any:
        self._counter.record(query)
        return self._wrapped.run(query, parameters, **kwargs)


class _CountingSession(_Counted):
    def __enter__(self) -> _CountingSession:
        self._wrapped.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._wrapped.__exit__(*exc)

    def _wrap(self, work: Callable[..., Any]) -> Callable[..., Any]:
        return lambda transaction, *args, **kwargs: work(
            _CountingTransaction(transaction, self._counter), *args, **kwargs
        )

    def execute_read(self, work: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return self._wrapped.execute_read(self._wrap(work), *args, **kwargs)

    def execute_write(self, work: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return self._wrapped.execute_write(self._wrap(work), *args, **kwargs)

    def run(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        self._counter.record(query)
        return self._wrapped.run(query, *args, **kwargs)


class CountingDriver:
    """Behaves like ``driver``; ``count`` is the number of statements sent since ``reset``."""

    def __init__(self, driver: Driver) -> None:
        self._driver = driver
        self._lock = threading.Lock()
        self.count = 0
        self.statements: list[str] = []

    def record(self, query: Any) -> None:
        with self._lock:
            self.count += 1
            self.statements.append(str(getattr(query, "text", query)))

    def reset(self) -> None:
        with self._lock:
            self.count = 0
            self.statements = []

    def session(self, **kwargs: Any) -> _CountingSession:
        return _CountingSession(self._driver.session(**kwargs), self)

    def open_reader(self, settings: Settings) -> AsyncDriver:
        """The app's asyncio driver (``create_app(…, open_reader=…)``), counted here too."""
        return _CountingAsyncDriver(open_async_driver(settings), self)  # type: ignore[return-value]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._driver, name)
