"""`srm erase`, `srm privacy export`, `srm backup`, `srm restore`: privacy and reliability
operations."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from srm.commands.common import (
    console,
    exit_on_error,
    fail,
    open_store,
    progress_bars,
    settings,
)
from srm.operations.backup import backup as backup_graph
from srm.operations.backup import restore as restore_graph
from srm.operations.erasure import RECLUSTER_NOTE, Kind
from srm.operations.erasure import erase as erase_records
from srm.operations.outputs import remember
from srm.operations.subject_access import subject_access

__all__ = ["backup", "erase", "export", "privacy_app", "restore"]

privacy_app = typer.Typer(
    help="Data-subject requests: export everything held about a person (GDPR art. 15). "
    "Erasure (art. 17) is 'srm erase'.",
    no_args_is_help=True,
)


def erase(
    customer: Annotated[str | None, typer.Option(help="Erase this CRM customer_id.")] = None,
    profile: Annotated[
        str | None, typer.Option(help="Erase this social profile, as PLATFORM:ID (x:12345).")
    ] = None,
    person: Annotated[
        str | None, typer.Option(help="Erase this person and every record PART_OF it.")
    ] = None,
    by: Annotated[str, typer.Option(help="Who asks (kept in the audit; no data).")] = "cli",
    recluster: Annotated[
        bool,
        typer.Option(
            "--recluster", help="Re-run identity resolution afterwards (whole graph; slow)."
        ),
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: this cannot be undone.")] = False,
) -> None:
    """Erase a person's records and everything derived from them (GDPR art. 17).

    Mentions by others become anonymous counts; the keys are suppressed (salted hashes)
    so a later ingest skips them; an ErasureAudit node records who, when and what kind.
    """
    options: tuple[tuple[Kind, str | None], ...] = (
        ("customer", customer), ("profile", profile), ("person", person)
    )  # fmt: skip
    chosen = [(kind, value) for kind, value in options if value]
    if len(chosen) != 1:
        raise fail("Give exactly one of --customer ID, --profile PLATFORM:ID, --person ID.", 2)
    if not yes:
        raise fail("Erasure cannot be undone. Run again with --yes to confirm.", 2)
    kind, identifier = chosen[0]
    current = settings()
    with exit_on_error(), open_store(current) as driver:
        result = erase_records(driver, current, kind, identifier, by=by)
    console.print(result.summary())
    if result.persons_kept and recluster:
        # Imported here: identity resolution loads pandas and its models.
        from srm.graph.identity.pipeline import resolve_graph

        with exit_on_error(), open_store(current) as driver:
            console.print(resolve_graph(driver, batch_size=current.batch_size).line())
    elif result.persons_kept:
        console.print(
            f"[yellow]note:[/] {escape(RECLUSTER_NOTE)} (or pass --recluster).", markup=True
        )


def backup(
    out: Annotated[Path, typer.Option("--out", help="An empty folder to write the backup to.")],
) -> None:
    """Back up the whole graph: the canonical bundle plus graph.jsonl and manifest.json."""
    current = settings()
    with exit_on_error(), open_store(current) as driver, progress_bars() as on_progress:
        result = backup_graph(driver, current, out, on_progress=on_progress)
    console.print(result.summary("Backed up"))


def restore(
    source: Annotated[Path, typer.Option("--from", help="A folder written by 'srm backup'.")],
) -> None:
    """Restore a backup into an EMPTY Neo4j (a non-empty one is refused)."""
    current = settings()
    with exit_on_error(), open_store(current) as driver, progress_bars() as on_progress:
        result, warnings = restore_graph(driver, current, source, on_progress=on_progress)
    for warning in warnings:
        console.print(f"[yellow]warning:[/] {escape(str(warning))}", markup=True)
    console.print(result.summary("Restored"))


@privacy_app.command(name="export")
def export(
    person: Annotated[str, typer.Option("--person", help="The person_id to export.")],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write the JSON here (mode 0600) instead of to the screen."),
    ] = None,
) -> None:
    """Everything SRM holds about a person, as JSON (GDPR art. 15 subject access).

    Records (CRM data with e-mail and phone, social profiles), linked accounts, scores,
    communities, segments, posts, identity decisions and the runs that name them. It is
    the subject's own personal data: hand it to them only. A file written with --out is
    remembered, so erasing the person later deletes it too.
    """
    current = settings()
    with exit_on_error(), open_store(current) as driver:
        document = subject_access(driver, person, database=current.neo4j_database)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if out is None:
        typer.echo(text, nl=False)
        return
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    remember(current, out, "subject access export")
    console.print(
        f"Wrote {len(document['records'])} record(s), {len(document['posts'])} post(s) "
        f"to {escape(str(out))}."
    )
