"""`srm map …` (network maps as offline HTML files) and `srm export` (Gephi/CSV files)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from srm.commands.common import console, exit_on_error, fail, open_store, progress_bars, settings
from srm.errors import ValidationError
from srm.operations.backup_bundle import EXPORT_PARTS, parse_parts, write_bundle
from srm.operations.outputs import remember
from srm.viz import build, data, export, render
from srm.viz.maps import MapSpec

__all__ = ["app", "export_command"]

app = typer.Typer(
    help="Network maps as self-contained HTML files (work offline; open in any browser).",
    no_args_is_help=True,
)

Out = Annotated[Path | None, typer.Option("--out", "-o", help="HTML file to write.")]
PersonalData = Annotated[
    bool,
    typer.Option(
        "--personal-data",
        help="Show CRM email and phone in tooltips (only for people allowed to see them).",
    ),
]

ByPerson = Annotated[
    bool,
    typer.Option("--by-person", help="One node per person (its accounts merged, links summed)."),
]


def _quiet_missing_property_warnings() -> None:
    """Before analytics or identity runs, Neo4j warns that score/PART_OF names do not exist
    yet; the maps handle that (fallback ranking, clear errors), so the warnings are noise."""
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)


def _write(kind: str, out: Path | None, make: Callable[..., MapSpec], **parameters: object) -> None:
    _quiet_missing_property_warnings()
    started = time.perf_counter()
    current = settings()
    target = out or Path("maps") / f"{kind}.html"
    with exit_on_error():
        with console.status(f"Building the {kind} map…"), open_store(current) as driver:
            spec = make(driver, database=current.neo4j_database, **parameters)
            render.write_map(spec, target)
        remember(current, target, f"{kind} map")
    console.print(
        f"Wrote {target} ({len(spec.nodes):,} nodes, {len(spec.edges):,} links, "
        f"{target.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s"
    )
    for note in spec.notes:
        console.print(f"  {note}", highlight=False, markup=False)


@app.command()
def ego(
    profile: Annotated[str | None, typer.Option(help="Profile key, e.g. x:12345.")] = None,
    person: Annotated[str | None, typer.Option(help="Person id (all their accounts).")] = None,
    hops: Annotated[int, typer.Option(min=1, max=2, help="1 or 2 steps out.")] = 1,
    limit: Annotated[int, typer.Option(min=1, help="Most neighbours to draw.")] = 150,
    relationship: Annotated[
        list[str] | None,
        typer.Option("--relationship", "-r", help="follows and/or mentioned (default: both)."),
    ] = None,
    out: Out = None,
    personal_data: PersonalData = False,
    by_person: ByPerson = False,
) -> None:
    """Ego network of a profile or a person: who follows and mentions whom around them."""
    _write(
        "ego",
        out,
        build.ego,
        profile_key=profile,
        person_id=person,
        hops=hops,
        limit=limit,
        relationships=relationship or data.EGO_RELATIONSHIPS,
        by_person=by_person,
        show_personal_data=personal_data,
    )


@app.command()
def communities(
    limit: Annotated[int, typer.Option(min=10, help="Most profiles to draw.")] = 600,
    out: Out = None,
    personal_data: PersonalData = False,
    by_person: ByPerson = False,
) -> None:
    """Communities of the latest run: colour by community, size by influence, legend."""
    _write(
        "communities",
        out,
        build.communities,
        limit=limit,
        by_person=by_person,
        show_personal_data=personal_data,
    )


@app.command()
def influencers(
    top: Annotated[int, typer.Option(min=1, help="How many influencers.")] = 50,
    brand: Annotated[str | None, typer.Option(help="Brand name (default: own brands).")] = None,
    out: Out = None,
    personal_data: PersonalData = False,
    by_person: ByPerson = False,
) -> None:
    """The top influencers, the links among them and to the brand."""
    _write(
        "influencers",
        out,
        build.influencers,
        top=top,
        brand=brand,
        by_person=by_person,
        show_personal_data=personal_data,
    )


@app.command()
def audience(
    brand: Annotated[str | None, typer.Option(help="Our brand (default: own brands).")] = None,
    limit: Annotated[int, typer.Option(min=10, help="Most profiles to draw.")] = 600,
    out: Out = None,
    personal_data: PersonalData = False,
    by_person: ByPerson = False,
) -> None:
    """Customers vs our community vs competitors' audience, in distinct colours."""
    _write(
        "audience",
        out,
        build.audience,
        brand=brand,
        limit=limit,
        by_person=by_person,
        show_personal_data=personal_data,
    )


@app.command()
def identity(
    person: Annotated[str | None, typer.Option(help="Person id (default: most records).")] = None,
    record: Annotated[
        str | None, typer.Option(help="Or a record: customer:ID or profile:KEY.")
    ] = None,
    collapsed: Annotated[bool, typer.Option(help="Draw the person as one node.")] = False,
    out: Out = None,
    personal_data: PersonalData = False,
) -> None:
    """A person's accounts and CRM records with their SAME_AS links (or collapsed)."""
    _write(
        "identity",
        out,
        build.identity,
        person_id=person,
        record_id=record,
        collapsed=collapsed,
        show_personal_data=personal_data,
    )


@app.command()
def cascade(
    post: Annotated[str | None, typer.Option(help="Post key (default: most amplified).")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Most posts to draw.")] = 800,
    out: Out = None,
    personal_data: PersonalData = False,
    by_account: Annotated[
        bool,
        typer.Option(
            "--by-account", help="One node per account that spread it (its posts counted)."
        ),
    ] = False,
    by_person: ByPerson = False,
) -> None:
    """A post's replies, quotes and reposts over time: every post, or the accounts that
    spread it (--by-account), or their persons (--by-person)."""
    if by_account and by_person:
        raise fail("Choose one of --by-account and --by-person.", 2)
    _write(
        "cascade",
        out,
        build.cascade,
        post_key=post,
        limit=limit,
        unit="account" if by_account else "person" if by_person else "post",
        show_personal_data=personal_data,
    )


class ExportFormat(StrEnum):
    gexf = "gexf"
    graphml = "graphml"
    csv = "csv"
    bundle = "bundle"


def _subgraph_option(value: str | None) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    kind, _, identifier = value.partition("=")
    if kind not in ("community", "ego") or not identifier.strip():
        raise ValidationError(
            f"--subgraph {value!r} is not community=ID or ego=PROFILE_KEY; "
            "e.g. --subgraph community=3 or --subgraph ego=x:12345."
        )
    return (identifier.strip(), None) if kind == "community" else (None, identifier.strip())


def _export_bundle(out: Path, parts_text: str, page_size: int) -> None:
    """``--format bundle``: the chosen parts streamed to canonical bundle files."""
    started = time.perf_counter()
    current = settings()
    with exit_on_error():
        parts = parse_parts(parts_text)
        with open_store(current) as driver, progress_bars() as on_progress:
            written = write_bundle(
                driver,
                out,
                parts=parts,
                page_size=page_size,
                database=current.neo4j_database,
                on_progress=on_progress,
            )
        for name in written:
            remember(current, out / name, "bundle export")
    counts = ", ".join(f"{rows:,} {name}" for name, rows in written.items())
    console.print(f"Exported {counts} to {out} in {time.perf_counter() - started:.1f} s")


def export_command(
    format_name: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="gexf, graphml, csv or bundle.")
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="File to write (csv, bundle: a folder).")
    ],
    subgraph: Annotated[
        str | None,
        typer.Option(help="community=ID (latest run) or ego=PROFILE_KEY (default: all)."),
    ] = None,
    parts: Annotated[
        str,
        typer.Option(
            help=f"bundle only: which files, comma-separated, from {','.join(EXPORT_PARTS)}."
        ),
    ] = ",".join(EXPORT_PARTS),
    page_size: Annotated[
        int, typer.Option(min=1, help="bundle only: records read per transaction.")
    ] = 5_000,
) -> None:
    """Export the profile network with scores, communities and person ids (for Gephi), or
    the graph as a canonical bundle that 'srm ingest' reads back (--format bundle).

    gexf, graphml and csv hold the network in memory (as Gephi does); bundle streams any
    graph size in bounded memory, in pages of --page-size records.
    """
    if format_name is ExportFormat.bundle:
        if subgraph is not None:
            raise fail("--subgraph is for gexf, graphml and csv; a bundle takes --parts.", 2)
        _export_bundle(out, parts, page_size)
        return
    _quiet_missing_property_warnings()
    started = time.perf_counter()
    current = settings()
    with exit_on_error():
        community, ego_key = _subgraph_option(subgraph)
        with console.status("Exporting…"), open_store(current) as driver:
            loaded = data.load_export(
                driver, community=community, ego=ego_key, database=current.neo4j_database
            )
            written = export.write_export(loaded, format_name.value, out)
        for path in written:
            remember(current, path, f"{format_name.value} export")
    console.print(
        f"Exported {len(loaded.nodes):,} profiles and {len(loaded.edges):,} links to "
        f"{', '.join(str(path) for path in written)} in {time.perf_counter() - started:.1f} s"
    )
