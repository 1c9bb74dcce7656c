"""`srm neo4j …`: SRM's own local Neo4j (no Docker): install, start, stop, status."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from srm import local_neo4j
from srm.commands.common import console, default_data_dir, exit_on_error, settings

app = typer.Typer(
    help="Run SRM's local Neo4j Community 5.26 (embedded, Bolt on 127.0.0.1).", no_args_is_help=True
)

DataDir = Annotated[
    Path | None, typer.Option("--data-dir", help="Store folder (default: $SRM_HOME/data).")
]


@app.command()
def install() -> None:
    """Fetch the Neo4j jars with Maven (once) and compile the launcher."""
    current = settings()
    started = time.perf_counter()
    with (
        exit_on_error(),
        console.status(f"Fetching Neo4j {local_neo4j.NEO4J_VERSION} and compiling the launcher…"),
    ):
        target = local_neo4j.install(current.home)
    console.print(
        f"Neo4j {local_neo4j.NEO4J_VERSION} ready in {target} "
        f"({time.perf_counter() - started:.1f} s)"
    )


@app.command()
def start(
    port: Annotated[
        int | None, typer.Option(help="Bolt port (default: $SRM_NEO4J_PORT or 7687).")
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Start the local server in the background and wait until it answers over Bolt.

    Heap and page cache are sized from the store and the free memory (see
    docs/operations.md); SRM_NEO4J_HEAP_MB / SRM_NEO4J_PAGECACHE_MB override them."""
    current = settings()
    folder = data_dir or default_data_dir(current)
    started = time.perf_counter()
    with exit_on_error(), console.status("Starting the local Neo4j…"):
        server = local_neo4j.start(
            current.home,
            folder,
            port or current.local_port,
            heap_mb=current.local_heap_mb,
            pagecache_mb=current.local_pagecache_mb,
        )
    console.print(
        f"Neo4j running at [bold]{server.uri}[/] (pid {server.pid}, data {server.data_dir}, "
        f"{time.perf_counter() - started:.1f} s)",
        markup=True,
    )


@app.command()
def stop(data_dir: DataDir = None) -> None:
    """Stop the local server cleanly (SIGTERM, SIGKILL after 60 s)."""
    folder = data_dir or default_data_dir(settings())
    if local_neo4j.stop(folder):
        console.print("Neo4j stopped.")
    else:
        console.print("Neo4j was not running.")


@app.command()
def status(data_dir: DataDir = None) -> None:
    """Say whether the local server runs and answers a Bolt query (exit 1 if not), and its
    store size against its page cache and heap."""
    folder = data_dir or default_data_dir(settings())
    state = local_neo4j.status(folder)
    console.print(state.message)
    if not state.answering:
        raise typer.Exit(1)
    console.print(state.memory_line())
