"""Tables of the person layer for `srm analyze`: influencers ranked by person (a
person's accounts on one row) and figures counted in persons beside accounts."""

from __future__ import annotations

from rich.console import Console
from rich.table import Column, Table

from srm.graph.analysis import InfluenceReport
from srm.graph.person_communities import Bridge

__all__ = ["account_name", "print_bridges", "print_person_influence"]


def account_name(key: str, handles: dict[str, str]) -> str:
    """``platform:@handle`` when the handle is known, else the key."""
    handle = handles.get(key)
    return f"{key.split(':', 1)[0]}:@{handle}" if handle and handle != key else key


def print_person_influence(report: InfluenceReport, out: Console) -> None:
    """The top units of the run: persons (named, with their accounts) and lone accounts,
    each once; audience counted in follower persons and in follower accounts."""
    table = Table(
        "#",
        Column(
            "person or account\n  its accounts (share of PageRank)", min_width=28, overflow="fold"
        ),
        "score",
        "pct",
        "PageRank",
        "audience\npersons",
        "audience\naccounts",
        "followers",
        title=f"Top influencers by person (run {report.run_id})",
        caption="audience: followers inside the graph, a follower person counted once "
        "however many accounts follow; followers: declared, summed over the accounts",
    )
    for rank, found in enumerate(report.top_persons, start=1):
        parts = found["components"]
        accounts = found["accounts"]
        if found["is_person"]:
            name = report.names.get(found["unit"]) or found["unit"]
            label = f"{name} ({len(accounts)} accounts)" if len(accounts) > 1 else name
            lines = [label] + [
                f"  {account_name(a['key'], report.handles)} ({a['share']:.0%})" for a in accounts
            ]
        else:
            lines = [account_name(found["unit"], report.handles)]
        table.add_row(
            str(rank),
            "\n".join(lines),
            f"{found['score']:.3f}",
            f"{found['percentile']:.0f}",
            f"{parts['pagerank']['value']:.4f}",
            f"{found['audience']['persons']:,}",
            f"{found['audience']['accounts']:,}",
            f"{parts['followers']['value']:,.0f}",
        )
    out.print(table)
    persons = len(report.by_person.persons()) if report.by_person else 0
    out.print(
        f"{persons:,} persons scored over their accounts "
        f"(person layer {report.timings.get('persons', 0.0):.2f} s).",
        highlight=False,
    )


def print_bridges(bridges: list[Bridge], out: Console, *, top: int = 10) -> None:
    """Persons whose accounts fall in different communities, with the share of their
    accounts in each."""
    if not bridges:
        return
    table = Table(
        "person",
        Column("communities (share of its accounts)", overflow="fold"),
        title=f"Persons bridging communities ({len(bridges):,})",
    )
    for bridge in bridges[:top]:
        table.add_row(
            bridge.person_id,
            ", ".join(f"{community} ({share:.0%})" for community, share in bridge.communities),
        )
    out.print(table)
