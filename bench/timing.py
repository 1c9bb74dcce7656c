"""Wall-clock timing of one call, shared by the benches."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

__all__ = ["seconds", "timed_call"]

T = TypeVar("T")


def timed_call(action: Callable[[], T]) -> tuple[float, T]:
    """``action()``'s wall time in seconds and its result."""
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def seconds(action: Callable[[], object]) -> float:
    """``action()``'s wall time in seconds."""
    return timed_call(action)[0]
