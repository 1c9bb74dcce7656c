"""Wall-clock timing of one call and peak memory of a block, shared by the benches."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import TypeVar

import psutil

__all__ = ["PeakMemory", "seconds", "timed_call"]

T = TypeVar("T")


def timed_call(action: Callable[[], T]) -> tuple[float, T]:
    """``action()``'s wall time in seconds and its result."""
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def seconds(action: Callable[[], object]) -> float:
    """``action()``'s wall time in seconds."""
    return timed_call(action)[0]


class PeakMemory:
    """The highest resident memory (MiB) of some processes while a block runs, sampled by a
    thread every ``every`` seconds: a process's own ``ru_maxrss`` counts from its start, so
    it cannot tell one step's peak from an earlier step's.

    ``processes`` maps a name to a callable giving the process id to sample now (None when
    there is none: a server being restarted); ``peaks`` maps each name to its highest
    sample (None when never sampled), ``samples`` counts the rounds taken."""

    def __init__(self, processes: Mapping[str, Callable[[], int | None]], every: float = 0.5):
        self.processes = dict(processes)
        self.every = every
        self.peaks: dict[str, int | None] = dict.fromkeys(self.processes)
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="peak-memory", daemon=True)

    def __enter__(self) -> PeakMemory:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self._sample()

    def _sample(self) -> None:
        for name, pid_of in self.processes.items():
            try:
                pid = pid_of()
                rss = psutil.Process(pid).memory_info().rss if pid else None
            except psutil.Error:  # the process ended between the lookup and the read
                rss = None
            if rss is not None:
                mib = round(rss / 2**20)
                self.peaks[name] = max(self.peaks[name] or 0, mib)
        self.samples += 1
