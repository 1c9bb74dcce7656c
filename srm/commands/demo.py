"""`srm demo`: the whole of SRM on the bundled sample, from a bare machine.

Each step is a call into the package that owns it; this module only sequences and prints.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from neo4j import Driver
from rich.rule import Rule

from srm import local_neo4j
from srm.commands.analyze import show_analysis, show_segments
from srm.commands.common import (
    console,
    default_data_dir,
    exit_on_error,
    open_store,
    progress_bars,
    settings,
)
from srm.commands.serve import run_server, server_urls
from srm.graph.identity import pipeline as identity
from srm.graph.writeback import brands
from srm.ingest.pipeline import ingest_paths, sample_bundle
from srm.operations.outputs import remember
from srm.settings import Settings
from srm.viz.build import write_demo_maps


def _start_local(current: Settings, port: int | None) -> None:
    with console.status("Starting the local Neo4j (the first run fetches it)…"):
        server = local_neo4j.start(
            current.home,
            default_data_dir(current),
            port or current.local_port,
            heap_mb=current.local_heap_mb,
            pagecache_mb=current.local_pagecache_mb,
        )
    console.print(
        f"Neo4j running at [bold]{server.uri}[/] (stop it with 'srm neo4j stop')", markup=True
    )


def _load(driver: Driver, current: Settings) -> None:
    console.print(Rule("1. Load the sample (CRM customers, profiles, follows, posts, brands)"))
    with progress_bars() as on_progress:
        summary = ingest_paths(
            driver, [sample_bundle()], batch_size=current.batch_size, on_progress=on_progress
        )
    console.print(summary.line())


def _resolve(driver: Driver) -> None:
    console.print(Rule("2. Identity resolution: who is who"))
    summary = identity.resolve_graph(driver)
    console.print(summary.line())
    console.print(identity.demo_person(driver))


def _analyse(driver: Driver) -> None:
    console.print(Rule("3. Influencers, communities and the own brand's segments"))
    show_analysis(driver, console, top=10)
    own = [row["name"] for row in brands(driver) if row["is_own"]]
    if own:
        show_segments(driver, own[0], console, top=10)


def _maps(driver: Driver, folder: Path) -> dict[str, Path]:
    console.print(Rule("4. Network maps"))
    written = write_demo_maps(driver, folder)
    for name, path in written.items():
        console.print(f"  {name:<12} {path.resolve().as_uri()}", highlight=False)
    return written


def demo(
    port: Annotated[
        int | None, typer.Option(help="Local Neo4j Bolt port (default: $SRM_NEO4J_PORT or 7687).")
    ] = None,
    api_port: Annotated[int, typer.Option(help="Port of the API, GraphiQL and maps.")] = 8000,
    maps_dir: Annotated[
        Path | None, typer.Option(help="Where to write the maps (default: $SRM_HOME/maps).")
    ] = None,
    serve: Annotated[
        bool, typer.Option(help="Serve GraphiQL and the maps at the end (until Ctrl-C).")
    ] = True,
) -> None:
    """Everything on the bundled sample: Neo4j, load, identities, analysis, maps, then serve.

    Starts the local Neo4j (unless NEO4J_URI is set), loads the bundled sample, resolves
    identities, finds influencers and communities, writes the maps, then serves GraphiQL,
    the REST API and the maps on http://127.0.0.1:8000.
    """
    current = settings()
    started = time.perf_counter()
    with exit_on_error():
        if current.uses_local_server:
            _start_local(current, port)
        with open_store(current) as driver:
            _load(driver, current)
            _resolve(driver)
            _analyse(driver)
            for path in _maps(driver, maps_dir or current.home / "maps").values():
                remember(current, path, "demo map")
            console.print(Rule(f"Demo ready in {time.perf_counter() - started:.1f} s"))
            if serve:
                run_server(current, driver, "127.0.0.1", api_port)
            else:
                for name, url in server_urls("127.0.0.1", api_port).items():
                    console.print(f"  {name:<27} {url} (after 'srm serve')", highlight=False)
