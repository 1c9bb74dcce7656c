"""What every subcommand shares: the console, settings, a driver, error display, progress
bars and step lines for the library's progress callbacks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from neo4j import Driver
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from srm import local_neo4j
from srm.errors import SRMError, StoreUnavailable
from srm.progress import OnProgress, Step
from srm.settings import Settings, get_settings
from srm.store import open_driver

__all__ = [
    "console",
    "default_data_dir",
    "exit_on_error",
    "fail",
    "open_store",
    "progress_bars",
    "settings",
    "step_line",
    "store_settings",
]

# User data (names, bios, handles such as "x:..." or "[/]") is printed as typed: no rich
# markup, emoji codes or highlighting unless a call asks for markup on its own text.
console = Console(stderr=True, markup=False, emoji=False, highlight=False)


def settings() -> Settings:
    return get_settings()


def default_data_dir(current: Settings) -> Path:
    return current.home / "data"


def fail(error: SRMError | str, code: int = 1) -> typer.Exit:
    """Print a one-line (or short) error in red and give the exit to raise."""
    console.print(f"[bold red]error:[/] {escape(str(error))}", markup=True, soft_wrap=True)
    return typer.Exit(code)


@contextmanager
def exit_on_error() -> Iterator[None]:
    """End the command with :func:`fail`'s one-line error when SRM raises one inside."""
    try:
        yield
    except SRMError as error:
        raise fail(error) from error


def store_settings(current: Settings | None = None) -> Settings:
    """``current`` with the URI of the Neo4j to use (the running local server's when
    NEO4J_URI is unset); a clear error when the local server is not running."""
    current = current or settings()
    if current.uses_local_server:
        state = local_neo4j.status(default_data_dir(current))
        if not state.answering:
            raise StoreUnavailable(
                f"The local Neo4j is {state.message}. Start it with 'srm neo4j start' "
                "(or 'srm demo'), or set NEO4J_URI to an existing server."
            )
        uri = f"bolt://127.0.0.1:{state.port}"
        current = current.model_copy(update={"neo4j_uri": uri})
    return current


@contextmanager
def open_store(current: Settings | None = None) -> Iterator[Driver]:
    """A driver to the configured Neo4j; a clear error when it does not answer."""
    driver = open_driver(store_settings(current))
    try:
        yield driver
    finally:
        driver.close()


@contextmanager
def step_line(out: Console | None = None) -> Iterator[Step]:
    """A :data:`srm.progress.Step` callback drawn as one spinner line with the time spent."""
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
        console=out or console,
    ) as progress:  # fmt: skip
        task = progress.add_task("starting", total=None)
        yield lambda text: progress.update(task, description=text)


@contextmanager
def progress_bars() -> Iterator[OnProgress]:
    """A progress callback (stage, done, total) that draws one bar per stage on stderr."""
    bars = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    tasks: dict[str, TaskID] = {}

    def report(stage: str, done: int, total: int | None) -> None:
        if stage not in tasks:
            tasks[stage] = bars.add_task(stage, total=total)
        bars.update(tasks[stage], completed=done, total=total)

    with bars:
        yield report
