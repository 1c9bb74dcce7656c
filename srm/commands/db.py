"""`srm db …`: schema and housekeeping on the configured Neo4j."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from srm import db
from srm.commands.common import console, exit_on_error, fail, open_store

app = typer.Typer(help="Schema and housekeeping on the configured Neo4j.", no_args_is_help=True)


@app.command()
def init() -> None:
    """Create every constraint and index (idempotent; ingest runs it too)."""
    with exit_on_error(), open_store() as driver:
        applied = db.init_schema(driver)
    console.print(f"Schema ready: {applied} constraints and indexes in place.")


@app.command()
def stats() -> None:
    """Count nodes per label and relationships per type."""
    with exit_on_error(), open_store() as driver:
        found = db.counts(driver)
    table = Table("what", "count")
    for name, count in found.items():
        table.add_row(name, f"{count:,}")
    console.print(table)


@app.command()
def wipe(
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: delete all data.")] = False,
) -> None:
    """Delete every node and relationship (the schema stays)."""
    if not yes:
        raise fail("This deletes all data in the graph. Run again with --yes to confirm.", 2)
    with exit_on_error(), open_store() as driver:
        db.wipe(driver)
    console.print("Graph wiped.")
