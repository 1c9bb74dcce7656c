"""`srm ingest PATH…` (load files into the graph) and `srm generate` (synthetic bundles)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from srm.commands.common import (
    console,
    default_data_dir,
    exit_on_error,
    fail,
    open_store,
    progress_bars,
    settings,
)
from srm.ingest.formats import ReadOptions, format_names
from srm.ingest.pipeline import DEFAULT_MAX_BAD_RATIO, ingest_paths
from srm.ingest.rows import BrandRow
from srm.initial_load import initial_load
from srm.operations.outputs import remember
from srm.synthetic.generate import generate_bundle

__all__ = ["generate", "ingest"]


def _column_map(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        field, separator, column = pair.partition("=")
        if not separator or not field.strip() or not column.strip():
            raise typer.BadParameter(f"'{pair}': write FIELD=Column, e.g. email=E-mail")
        mapping[field.strip()] = column.strip()
    return mapping


def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or bundle folders to load.", show_default=False)
    ],
    format_name: Annotated[
        str,
        typer.Option(
            "--format",
            help="Input format: auto (detect), or one of the registered readers "
            "(bundle, salesforce, hubspot, linkedin, x-api, x-archive, mastodon, bluesky, …).",
        ),
    ] = "auto",
    platform: Annotated[
        str | None,
        typer.Option(help="Platform of a single-platform input that does not say it (e.g. x)."),
    ] = None,
    column_map: Annotated[
        list[str] | None,
        typer.Option("--map", help="Generic CSV column mapping, FIELD=Column (repeatable)."),
    ] = None,
    brand: Annotated[
        str | None, typer.Option(help="Brand whose official account(s) --official names.")
    ] = None,
    official: Annotated[
        list[str] | None,
        typer.Option(help="Official handle of --brand (platform:handle, or handle + --platform)."),
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option(
            help="Whose export or list this is, when the input does not say it: a LinkedIn "
            "Connections.csv owner (slug or profile URL), a Mastodon following_accounts.csv "
            "owner (user@instance), an X follower/following list owner (numeric id).",
        ),
    ] = None,
    competitor: Annotated[
        bool, typer.Option("--competitor", help="--brand is a competitor, not the own brand.")
    ] = False,
    snapshot: Annotated[
        bool,
        typer.Option(
            "--snapshot", help="Follows are complete for their followers: remove absent ones."
        ),
    ] = False,
    batch_size: Annotated[
        int | None,
        typer.Option(
            "--batch-size", min=1, help="Rows per write transaction (default: SRM_BATCH_SIZE)."
        ),
    ] = None,
    max_bad_ratio: Annotated[
        float,
        typer.Option(
            "--max-bad-ratio", min=0.0, max=1.0, help="Abort if a file has more bad rows."
        ),
    ] = DEFAULT_MAX_BAD_RATIO,
    quarantine: Annotated[
        Path | None,
        typer.Option(help="JSON-lines file for bad rows (default: srm-quarantine.jsonl)."),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", help="Log each quarantined row.")] = False,
    initial: Annotated[
        bool,
        typer.Option(
            "--initial",
            help="First load of an empty local store through Neo4j's offline importer "
            "(several times faster; stops and restarts the local server). Refused when the "
            "store holds data or NEO4J_URI names another server.",
        ),
    ] = False,
) -> None:
    """Load CRM exports, social-platform data or canonical bundles into the graph.

    Idempotent: loading the same input again changes nothing; a killed job can simply be
    run again. Bad rows go to the quarantine file; nothing is written when a file is
    unreadable or has more bad rows than --max-bad-ratio.
    """
    if verbose:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
    if format_name != "auto" and format_name not in format_names():
        raise fail(
            f"Unknown format '{format_name}'. Use one of: auto, {', '.join(format_names())}."
        )
    if official and not brand:
        raise fail("--official needs --brand NAME (the brand the account speaks for).")
    brands = []
    if brand:
        handles = [h if ":" in h else f"{platform or 'x'}:{h}" for h in official or []]
        brands.append(BrandRow(name=brand, is_own=not competitor, official_handles=handles))
    with exit_on_error():
        options = ReadOptions(
            platform=platform,
            column_map=_column_map(column_map or []),
            extra={"owner": owner} if owner else {},
        )
        if initial:
            if snapshot:
                raise fail("--snapshot has no meaning for --initial (the store is empty).")
            current = settings()
            with progress_bars() as on_progress:
                summary = initial_load(
                    current,
                    default_data_dir(current),
                    paths,
                    format_name=format_name,
                    options=options,
                    brands=brands,
                    max_bad_ratio=max_bad_ratio,
                    quarantine_path=quarantine or Path("srm-quarantine.jsonl"),
                    on_progress=on_progress,
                )
        else:
            with open_store() as driver, progress_bars() as on_progress:
                summary = ingest_paths(
                    driver,
                    paths,
                    format_name=format_name,
                    options=options,
                    brands=brands,
                    snapshot=snapshot,
                    batch_size=batch_size or settings().batch_size,
                    max_bad_ratio=max_bad_ratio,
                    quarantine_path=quarantine or Path("srm-quarantine.jsonl"),
                    on_progress=on_progress,
                )
    if summary.quarantine_path and summary.quarantine_path.exists():
        remember(settings(), summary.quarantine_path, "quarantine")
    console.print(summary.line(), highlight=False)
    if summary.phase_seconds:
        steps = ", ".join(f"{name} {took:.1f} s" for name, took in summary.phase_seconds.items())
        console.print(f"Initial load steps: {steps}", highlight=False)


def generate(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the bundle into.")],
    people: Annotated[int, typer.Option("--people", min=1, help="Number of people.")] = 100,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same files).")] = 1,
    follows_per_profile: Annotated[
        float, typer.Option("--follows-per-profile", min=0.0, help="Average follows per profile.")
    ] = 8.0,
    posts_per_profile: Annotated[
        float, typer.Option("--posts-per-profile", min=0.0, help="Average posts per profile.")
    ] = 1.5,
) -> None:
    """Write a synthetic canonical bundle (plus truth.csv, the true identities) to --out."""
    with Progress(
        *Progress.get_default_columns()[:1],
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        task = bar.add_task("people", total=people)
        summary = generate_bundle(
            out,
            people=people,
            seed=seed,
            follows_per_profile=follows_per_profile,
            posts_per_profile=posts_per_profile,
            on_people=lambda count: bar.advance(task, count),
        )
        bar.update(task, completed=people)
    console.print(
        f"Generated {summary.people:,} people: {summary.customers:,} customers, "
        f"{summary.profiles:,} profiles, {summary.follows:,} follows, {summary.posts:,} posts "
        f"in {out} ({summary.seconds:.1f} s)",
        highlight=False,
    )
