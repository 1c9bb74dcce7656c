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


class _CountingAsyncSession:
    def __init__(self, session: Any, counter: CountingDriver) -> None:
        self._session = session
        self._counter = counter

    async def __aenter__(self) -> _CountingAsyncSession:
        await self._session.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._session.__aexit__(*exc)

    async def run(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        self._counter.record(query)
        return await self._session.run(query, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


class _CountingAsyncDriver:
    def __init__(self, driver: AsyncDriver, counter: CountingDriver) -> None:
        self._driver = driver
        self._counter = counter

    def session(self, **kwargs: Any) -> _CountingAsyncSession:
        return _CountingAsyncSession(self._driver.session(**kwargs), self._counter)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._driver, name)


class _CountingTransaction:
    def __init__(self, transaction: Any, counter: CountingDriver) -> None:
        self._transaction = transaction
        self._counter = counter

    def run(self, query: Any, parameters: Any = None, **kwargs: Any) -> Any:
        self._counter.record(query)
        return self._transaction.run(query, parameters, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transaction, name)


class _CountingSession:
    def __init__(self, session: Any, counter: CountingDriver) -> None:
        self._session = session
        self._counter = counter

    def __enter__(self) -> _CountingSession:
        self._session.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._session.__exit__(*exc)

    def _wrap(self, work: Callable[..., Any]) -> Callable[..., Any]:
        return lambda transaction, *args, **kwargs: work(
            _CountingTransaction(transaction, self._counter), *args, **kwargs
        )

    def execute_read(self, work: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return self._session.execute_read(self._wrap(work), *args, **kwargs)

    def execute_write(self, work: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return self._session.execute_write(self._wrap(work), *args, **kwargs)

    def run(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        self._counter.record(query)
        return self._session.run(query, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


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
