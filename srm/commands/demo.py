"""`srm demo`: the whole of SRM on the bundled sample, from a bare machine."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.table import Table

from srm import db, local_neo4j
from srm.commands.common import console, default_data_dir, fail, open_store, settings
from srm.errors import SRMError


def demo(
    port: Annotated[int | None, typer.Option(help="Local Neo4j Bolt port [default: 7687].")] = None,
) -> None:
    """Start the local Neo4j (unless NEO4J_URI is set), create the schema, load the sample
    data and show what is in the graph."""
    current = settings()
    started = time.perf_counter()
    try:
        if current.uses_local_server:
            with console.status("Starting the local Neo4j (the first run fetches it)…"):
                server = local_neo4j.start(
                    current.home,
                    default_data_dir(current),
                    port or current.local_port,
                    heap_mb=current.local_heap_mb,
                    pagecache_mb=current.local_pagecache_mb,
                )
            console.print(f"Neo4j running at [bold]{server.uri}[/] (stop it with 'srm neo4j stop')")
        with open_store(current) as driver:
            db.init_schema(driver)
            found = db.counts(driver)
    except SRMError as error:
        raise fail(error) from error
    table = Table("what", "count", title="The graph")
    for name, count in found.items():
        table.add_row(name, f"{count:,}")
    console.print(table)
    console.print(f"Demo ready in {time.perf_counter() - started:.1f} s.")
