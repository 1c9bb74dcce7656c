"""`srm db …`: schema and housekeeping on the configured Neo4j."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from srm import db
from srm.commands.common import console, fail, open_store
from srm.errors import SRMError

app = typer.Typer(help="Schema and housekeeping on the configured Neo4j.", no_args_is_help=True)


@app.command()
def init() -> None:
    """Create every constraint and index (idempotent; ingest runs it too)."""
    try:
        with open_store() as driver:
            applied = db.init_schema(driver)
    except SRMError as error:
        raise fail(error) from error
    console.print(f"Schema ready: {applied} constraints and indexes in place.")


@app.command()
def stats() -> None:
    """Count nodes per label and relationships per type."""
    try:
        with open_store() as driver:
            found = db.counts(driver)
    except SRMError as error:
        raise fail(error) from error
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
    try:
        with open_store() as driver:
            db.wipe(driver)
    except SRMError as error:
        raise fail(error) from error
    console.print("Graph wiped.")
