"""How much memory the local Neo4j gets: heap and page cache sized to the store and the machine.

The rule (:func:`plan_memory`, a pure function):

- Neo4j may use at most half of the memory available now (the rest stays for SRM's own
  Python process — the analytics load the graph into igraph — and the system);
- the page cache holds the whole store with 20 % to grow: ``store × 1.2``, at least
  128 MiB, at most what the budget leaves after the heap;
- the heap grows with the graph (transaction state, sorts, large result sets):
  ``512 MiB + store / 2``, at most half the budget and 31 GiB (compressed object
  pointers), never below 512 MiB — the heap is sized first, the page cache gets the rest.

``SRM_NEO4J_HEAP_MB`` and ``SRM_NEO4J_PAGECACHE_MB`` override either value.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

__all__ = [
    "MEMORY_FILE",
    "MemoryPlan",
    "available_memory_mb",
    "plan_memory",
    "read_memory_file",
    "store_size_mb",
    "write_memory_file",
]

MEMORY_FILE = "srm-neo4j.memory.json"
MIB = 1024 * 1024
HEAP_FLOOR_MB = 512
HEAP_CEILING_MB = 31 * 1024
PAGECACHE_FLOOR_MB = 128
NEO4J_SHARE = 0.5
PAGECACHE_HEADROOM = 1.2


@dataclass(frozen=True)
class MemoryPlan:
    """Heap and page cache for one start, and what they were derived from (all MiB)."""

    heap_mb: int
    pagecache_mb: int
    store_mb: int
    available_mb: int
    source: str

    def summary(self) -> str:
        return (
            f"heap {self.heap_mb:,} MiB, page cache {self.pagecache_mb:,} MiB for a store "
            f"of {self.store_mb:,} MiB ({self.source})"
        )


def plan_memory(
    store_mb: int,
    available_mb: int,
    *,
    heap_override_mb: int | None = None,
    pagecache_override_mb: int | None = None,
) -> MemoryPlan:
    """Heap and page cache (MiB) for a store of ``store_mb`` on a machine with
    ``available_mb`` free, by the rule in this module's docstring; overrides win.

    >>> plan_memory(0, 8192)
    MemoryPlan(heap_mb=512, pagecache_mb=128, store_mb=0, available_mb=8192, source='sized')
    """
    budget = max(int(available_mb * NEO4J_SHARE), HEAP_FLOOR_MB + PAGECACHE_FLOOR_MB)
    heap = HEAP_FLOOR_MB + store_mb // 2
    heap = max(HEAP_FLOOR_MB, min(heap, budget // 2, HEAP_CEILING_MB))
    if heap_override_mb:
        heap = heap_override_mb
    pagecache = int(store_mb * PAGECACHE_HEADROOM)
    pagecache = max(PAGECACHE_FLOOR_MB, min(pagecache, budget - heap))
    if pagecache_override_mb:
        pagecache = pagecache_override_mb
    overridden = [
        name
        for name, value in (("heap", heap_override_mb), ("page cache", pagecache_override_mb))
        if value
    ]
    source = " and ".join(overridden) + " set explicitly" if overridden else "sized"
    return MemoryPlan(heap, pagecache, store_mb, available_mb, source)


def store_size_mb(data_dir: Path) -> int:
    """Size (MiB, rounded up) of the store files under ``data_dir``'s databases folder."""
    databases = data_dir / "data" / "databases"
    total = 0
    for root, _, files in os.walk(databases):
        for name in files:
            try:
                total += (Path(root) / name).stat().st_size
            except FileNotFoundError:
                continue
    return -(-total // MIB)


def available_memory_mb() -> int:
    """Memory the system can hand out now without swapping (MiB)."""
    return int(psutil.virtual_memory().available // MIB)


def write_memory_file(data_dir: Path, plan: MemoryPlan) -> None:
    """Record the plan a server was started with (read back by ``srm neo4j status``)."""
    (data_dir / MEMORY_FILE).write_text(json.dumps(asdict(plan)) + "\n", encoding="utf-8")


def read_memory_file(data_dir: Path) -> MemoryPlan | None:
    """The plan the running server was started with, if SRM recorded one."""
    try:
        return MemoryPlan(**json.loads((data_dir / MEMORY_FILE).read_text(encoding="utf-8")))
    except (FileNotFoundError, ValueError, TypeError):
        return None
