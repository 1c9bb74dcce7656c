"""How long jobs tell the command line how far they are: a count per stage (``srm ingest``,
``srm backup``, ``srm restore``, ``srm export``: :data:`OnProgress`, drawn as bars by
:func:`srm.commands.common.progress_bars`) or the step reached, in words (``srm analyze``,
``srm identities resolve``: :data:`Step`, drawn as a spinner line by
:func:`srm.commands.common.step_line`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

__all__ = ["EVERY", "OnProgress", "Step", "counted", "quiet", "silent"]

T = TypeVar("T")

OnProgress = Callable[[str, int, int | None], None]
"""Told how far a job is: the stage, the records or rows done so far, and the stage's total
when known (None until then)."""

Step = Callable[[str], None]
"""Told which step a job has reached, in words ("blocking 3,463,368 records")."""

EVERY = 10_000  # items between two reports of :func:`counted`


def quiet(_stage: str, _done: int, _total: int | None) -> None:
    """An :data:`OnProgress` that reports nothing."""


def silent(_step: str) -> None:
    """A :data:`Step` that reports nothing."""


def counted(items: Iterable[T], stage: str, on_progress: OnProgress) -> Iterator[T]:
    """``items`` unchanged, reporting every :data:`EVERY` of them and, at the end, the
    total (as done and as total)."""
    done = 0
    for done, item in enumerate(items, 1):
        yield item
        if done % EVERY == 0:
            on_progress(stage, done, None)
    on_progress(stage, done, done)
