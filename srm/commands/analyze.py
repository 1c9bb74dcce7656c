"""`srm analyze influence|communities|reach|segments|all`: run the graph analytics on the
loaded graph, write results back with a run id, and print summary tables."""

from __future__ import annotations

import time
from datetime import datetime
from enum import StrEnum
from typing import Annotated

import typer
from neo4j import Driver
from rich.console import Console
from rich.table import Column, Table

from srm.commands.common import console, exit_on_error, fail, open_store, step_line
from srm.commands.person_tables import account_name, print_bridges, print_person_influence
from srm.graph import writeback
from srm.graph.analysis import (
    CommunityReport,
    InfluenceReport,
    ProjectionFilter,
    run_cascade,
    run_communities,
    run_influence,
    run_reach,
    run_segments,
)
from srm.graph.reach import Audience, Cascade
from srm.graph.segments import BrandSegments

__all__ = ["app", "show_analysis"]

app = typer.Typer(help="Influencers, communities, reach and segments (results kept per run).")

Platforms = Annotated[
    list[str] | None, typer.Option("--platform", help="Only profiles of this platform (repeat).")
]
Brand = Annotated[
    str | None, typer.Option("--brand", help="Only the brand's audience (followers/mentioners).")
]
Since = Annotated[
    datetime | None, typer.Option(help="Count mentions in posts from this date/time on.")
]
Until = Annotated[datetime | None, typer.Option(help="Count mentions in posts before this.")]
MentionWeight = Annotated[
    float, typer.Option(min=0.0, help="Weight of one mention (a follow weighs 1).")
]
Keep = Annotated[int, typer.Option(min=1, help="Runs of each algorithm to keep.")]
Top = Annotated[int, typer.Option(min=1, help="Rows to show.")]


class Unit(StrEnum):
    person = "person"
    account = "account"


def _timings(timings: dict[str, float]) -> str:
    return ", ".join(f"{step} {seconds:.2f} s" for step, seconds in timings.items())


def print_influence(report: InfluenceReport, out: Console) -> None:
    table = Table(
        "#",
        Column("profile\n← top in-neighbour (share)", min_width=24, overflow="fold"),
        "score",
        "pct",
        "PageRank",
        "followers",
        "in",
        "@in",
        title=f"Top influencers (run {report.run_id})",
        caption="in: followers inside the graph; @in: profiles mentioning it",
    )
    for rank, found in enumerate(report.top, start=1):
        parts = found["components"]
        neighbours = found["top_in_neighbours"]
        top_in = (
            f"{account_name(neighbours[0]['key'], report.handles)} ({neighbours[0]['share']:.0%})"
            if neighbours
            else "—"
        )
        table.add_row(
            str(rank),
            f"{account_name(found['key'], report.handles)}\n← {top_in}",
            f"{found['score']:.3f}",
            f"{found['percentile']:.0f}",
            f"{parts['pagerank']['value']:.4f}",
            f"{parts['followers']['value']:,.0f}",
            f"{parts['in_degree']['value']:,.0f}",
            f"{parts['mention_in_degree']['value']:,.0f}",
        )
    out.print(table)
    size = report.result.projection.size()
    out.print(
        f"Scored {size['nodes']:,} profiles over {size['edges']:,} edges "
        f"({_timings(report.timings)}).",
        highlight=False,
    )


def print_communities(report: CommunityReport, out: Console, top: int = 10) -> None:
    person_counts = report.in_persons.person_counts if report.in_persons else {}
    table = Table(
        "id",
        "size",
        "persons",
        "customers",
        Column("top members", min_width=22, overflow="fold"),
        "hashtags / words",
        "kept from previous",
        title=f"Communities by {report.algorithm} (run {report.run_id})",
    )
    for summary in report.summaries[:top]:
        table.add_row(
            str(summary.community_id),
            f"{summary.size:,}",
            f"{person_counts.get(summary.community_id, summary.size):,}",
            f"{summary.customer_share:.0%}",
            ", ".join(account_name(key, report.handles) for key in summary.top_members[:3]),
            ", ".join((summary.top_hashtags + summary.top_words)[:4]) or "—",
            f"{summary.previous_overlap:.0%}" if report.previous_run_id else "new",
        )
    out.print(table)
    out.print(
        f"{report.community_count:,} communities, modularity {report.modularity:.3f} "
        f"({_timings(report.timings)}).",
        highlight=False,
    )
    if report.in_persons is not None:
        print_bridges(report.in_persons.bridges, out, top=top)


def print_reach(found: Audience, out: Console) -> None:
    table = Table("audience", "accounts", "persons", title=f"Audience of {', '.join(found.seeds)}")
    table.add_row("followers", f"{found.first_hop:,}", f"{found.first_hop_persons:,}")
    table.add_row(
        "within two hops", f"{found.within_two_hops:,}", f"{found.within_two_hops_persons:,}"
    )
    out.print(table)
    out.print(
        "Unique: an account counts once; a person once however many of its accounts follow.",
        highlight=False,
    )


def print_cascade(found: Cascade, out: Console) -> None:
    half = f"{found.seconds_to_half / 3600:.1f} h" if found.seconds_to_half is not None else "—"
    out.print(
        f"Cascade of {found.root}: {found.size} posts {found.by_kind}, depth {found.depth}, "
        f"breadth {found.breadth}, half reached after {half}, {found.reached:,} profiles "
        f"({found.reached_persons:,} persons) reached.",
        highlight=False,
    )
    table = Table("amplifier", "posts", "new audience", title="Amplifiers")
    for amplifier in found.amplifiers[:10]:
        table.add_row(amplifier.key, str(amplifier.posts), f"{amplifier.new_audience:,}")
    out.print(table)


def print_segments(
    found: BrandSegments, out: Console, handles: dict[str, str] | None = None
) -> None:
    table = Table(
        "segment",
        "profiles",
        "persons",
        title=f"Segments of {found.brand}",
        caption="persons: a person's accounts count once (a customer following from two "
        "platforms is one customer)",
    )
    persons = found.person_sizes()
    for name, size in found.sizes().items():
        table.add_row(name, f"{size:,}", f"{persons.get(name, size):,}")
    out.print(table)
    overlaps = Table(
        "segment", "segment", "shared profiles", "shared persons", "Jaccard", title="Overlaps"
    )
    for overlap in found.overlaps:
        overlaps.add_row(
            overlap.left,
            overlap.right,
            f"{overlap.count:,}",
            f"{overlap.persons:,}",
            f"{overlap.jaccard:.2f}",
        )
    out.print(overlaps)
    influencers = Table("customer profile", "influence", title="Customer-influencers")
    for key, score in found.customer_influencers[:10]:
        influencers.add_row(account_name(key, handles or {}), f"{score:.3f}")
    out.print(influencers)


def show_segments(driver: Driver, brand: str, out: Console, *, top: int = 10) -> None:
    """Run the segments of ``brand`` and print them, customers by their handles."""
    _, found = run_segments(driver, brand, top_influencers=top)
    keys = [key for key, _ in found.customer_influencers]
    print_segments(found, out, writeback.handles(driver, keys))


def show_analysis(driver: Driver, out: Console | None = None, *, top: int = 10) -> None:
    """Run influence and Leiden communities on the whole graph and print the top
    influencers (by person, then by account) and communities (what `srm demo` shows)."""
    out = out or console
    with step_line(out) as step:
        influence_report = run_influence(driver, top=top, on_step=step)
        community_report = run_communities(driver, on_step=step)
    print_person_influence(influence_report, out)
    print_influence(influence_report, out)
    print_communities(community_report, out, top=top)


def _filter(
    platform: list[str] | None,
    brand: str | None,
    since: datetime | None,
    until: datetime | None,
    mention_weight: float,
) -> ProjectionFilter:
    return ProjectionFilter(
        platforms=platform, brand=brand, since=since, until=until, mention_weight=mention_weight
    )


@app.command()
def influence(
    platform: Platforms = None,
    brand: Brand = None,
    since: Since = None,
    until: Until = None,
    mention_weight: MentionWeight = 1.0,
    samples: Annotated[
        int, typer.Option(min=1, help="Betweenness sample size (random sources).")
    ] = 256,
    seed: Annotated[int, typer.Option(help="Seed of the betweenness sample.")] = 0,
    keep: Keep = 3,
    top: Top = 10,
    by: Annotated[
        Unit,
        typer.Option(
            help="Rank persons (a person's accounts as one unit, each person once; accounts "
            "without a person as themselves) or single accounts."
        ),
    ] = Unit.person,
) -> None:
    """Influence score of every profile and every person, each score explained.

    PageRank, in-degree, followers, mentions and betweenness, combined by percentile. A
    person's score combines its accounts: summed PageRank and followers, its audience
    counted once per follower person (see docs/analytics.md).
    """
    with exit_on_error(), open_store() as driver, step_line(console) as step:
        report = run_influence(
            driver,
            where=_filter(platform, brand, since, until, mention_weight),
            betweenness_samples=samples,
            seed=seed,
            keep=keep,
            top=top,
            on_step=step,
        )
    if by is Unit.person:
        print_person_influence(report, console)
    else:
        print_influence(report, console)


@app.command()
def communities(
    algorithm: Annotated[str, typer.Option(help="leiden or louvain.")] = "leiden",
    platform: Platforms = None,
    brand: Brand = None,
    since: Since = None,
    until: Until = None,
    mention_weight: MentionWeight = 1.0,
    resolution: Annotated[float, typer.Option(min=0.0, help="Higher: smaller groups.")] = 1.0,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    min_size: Annotated[int, typer.Option(min=1, help="Smallest community kept.")] = 2,
    keep: Keep = 3,
    top: Top = 10,
) -> None:
    """Communities (Leiden or Louvain) with ids kept stable across runs, and a summary."""
    with exit_on_error(), open_store() as driver, step_line(console) as step:
        report = run_communities(
            driver,
            algorithm=algorithm,
            where=_filter(platform, brand, since, until, mention_weight),
            resolution=resolution,
            seed=seed,
            min_size=min_size,
            keep=keep,
            on_step=step,
        )
    print_communities(report, console, top=top)


@app.command()
def reach(
    profile: Annotated[str | None, typer.Option(help="Profile key (platform:id).")] = None,
    person: Annotated[str | None, typer.Option(help="Person id (all their accounts).")] = None,
    post: Annotated[str | None, typer.Option(help="Post key: show its cascade.")] = None,
) -> None:
    """Unique audience within 1 and 2 hops of a profile or person; a post's cascade."""
    if profile is None and person is None and post is None:
        raise fail("Give --profile KEY, --person ID or --post KEY.")
    with exit_on_error(), open_store() as driver:
        if profile is not None or person is not None:
            print_reach(run_reach(driver, profile_key=profile, person_id=person), console)
        if post is not None:
            print_cascade(run_cascade(driver, post), console)


@app.command()
def segments(
    brand: Annotated[str, typer.Option(help="The brand (its name as loaded).")],
    top: Top = 10,
) -> None:
    """Customers, community and competitors' audience of a brand, and their overlaps.

    Customer-influencers are ranked by the stored influence scores: run 'srm analyze
    influence' first.
    """
    with exit_on_error(), open_store() as driver:
        show_segments(driver, brand, console, top=top)


@app.command(name="all")
def analyze_all(
    brand: Annotated[
        str | None, typer.Option(help="Brand for segments (default: the own brand).")
    ] = None,
    top: Top = 10,
) -> None:
    """Influence, communities and the segments of the own brand (or --brand)."""
    started = time.perf_counter()
    with exit_on_error(), open_store() as driver:
        show_analysis(driver, console, top=top)
        own = [row["name"] for row in writeback.brands(driver) if row["is_own"]]
        chosen = brand or (own[0] if own else None)
        if chosen:
            show_segments(driver, chosen, console, top=top)
        else:
            console.print("No own brand loaded: segments skipped (use --brand NAME).")
    console.print(f"Analysis done in {time.perf_counter() - started:.1f} s.")
