"""The record-centred map kinds: identity (a person's records, expanded or collapsed) and
cascade (a post's spread over time). See srm.viz.maps for the shared pieces."""

from __future__ import annotations

import math
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from srm.viz.data import Edge, Node, Subgraph
from srm.viz.maps import (
    CENTRE_COLOUR,
    CUSTOMER_COLOUR,
    PERSON_COLOUR,
    PERSONS_NOTE,
    MapSpec,
    community_colours,
    counted,
    drawn_accounts,
    edge_dicts,
    link_legend,
    node_dict,
    profile_colour,
    trim_notes,
)
from srm.viz.style import PALETTE, SAME_AS_STYLES, LegendEntry, label_of, size_values

__all__ = ["cascade_map", "identity_map"]


def identity_map(
    subgraph: Subgraph, *, collapsed: bool = False, show_personal_data: bool = False
) -> MapSpec:
    """A person's accounts and CRM records: expanded, with SAME_AS links dashed and labelled
    with their probability (accepted, candidate and rejected in different colour and dash),
    or collapsed into the one person node."""
    person_id = subgraph.centre_ids[0]
    person = subgraph.nodes[person_id]
    bare_id = person_id.removeprefix("person:")
    members = {
        node.id
        for node in subgraph.nodes.values()
        if node.person_id == bare_id and node.kind in ("profile", "customer")
    }
    colours = community_colours(list(subgraph.nodes.values()))
    sizes = size_values(list(subgraph.nodes.values()))
    top_value = max(sizes.values(), default=1.0)
    mode = "collapsed" if collapsed else "expanded"
    spec = MapSpec(kind="identity", title=f"Identity of person {bare_id} ({mode})")
    merged_into = {member: person_id for member in members} if collapsed else {}
    summary = [
        f"{label_of(subgraph.nodes[member])} ({subgraph.nodes[member].kind})"
        for member in sorted(members)
    ]
    for node in subgraph.nodes.values():
        if node.id in merged_into:
            continue
        if node.id == person_id:
            extra = [f"{len(members)} records:", *summary] if collapsed else None
            spec.nodes.append(
                node_dict(
                    person,
                    colour=PERSON_COLOUR,
                    value=top_value * 2,
                    extra=extra,
                    show_personal_data=show_personal_data,
                    borderWidth=3,
                )
            )
            continue
        foreign = node.person_id and node.person_id != bare_id
        spec.nodes.append(
            node_dict(
                node,
                colour=profile_colour(node, colours),
                value=sizes[node.id],
                show_personal_data=show_personal_data,
                extra=["belongs to another person"] if foreign else None,
            )
        )
    kept: dict[tuple[str, str, str], Edge] = {}
    for edge in subgraph.edges:
        source = merged_into.get(edge.source, edge.source)
        target = merged_into.get(edge.target, edge.target)
        if source == target:
            continue
        key = (min(source, target), max(source, target), edge.type)
        best = kept.get(key)
        if best is None or (edge.probability or 0) > (best.probability or 0):
            kept[key] = Edge(source, target, edge.type, edge.count, edge.probability, edge.status)
    spec.edges = edge_dicts(list(kept.values()), {node["id"] for node in spec.nodes})
    spec.legend = [LegendEntry(PERSON_COLOUR, "person"), LegendEntry(CUSTOMER_COLOUR, "CRM record")]
    spec.legend += [
        LegendEntry(style["color"], f"same as? {status}", "dashed")
        for status, style in SAME_AS_STYLES.items()
    ]
    spec.legend += link_legend({edge.type for edge in kept.values()})
    spec.notes = trim_notes(subgraph)
    if collapsed:
        spec.notes.append(f"{len(members)} records of this person are drawn as one star.")
    return spec


def _timestamp(value: Any) -> float | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _first_time(node: Node) -> float | None:
    """When ``node`` first took part: a post's time, an account's earliest post (the
    earliest of its accounts' for a person)."""
    if node.kind == "post":
        return _timestamp(node.props.get("created_at"))
    times = [_timestamp(account.props.get("first_at")) for account in node.members or [node]]
    known = [time for time in times if time is not None]
    return min(known) if known else None


def _posts_of(node: Node) -> int:
    return (
        1
        if node.kind == "post"
        else sum(int(a.props.get("posts") or 0) for a in node.members or [node])
    )


def spreaders_note(subgraph: Subgraph) -> str:
    """Who spread the post (its author included), counted in accounts and in persons: the
    posts' authors, or the drawn accounts (a person's merged accounts one by one)."""
    accounts: list[Node] = drawn_accounts(subgraph.nodes.values())
    for node in subgraph.nodes.values():
        key = (node.props.get("author") or {}).get("profile_key") if node.kind == "post" else None
        if key:
            accounts.append(Node(id=f"profile:{key}", kind="profile", person_id=node.person_id))
    return f"Spread by {counted(accounts)}, its author included. {PERSONS_NOTE}"


def cascade_map(
    subgraph: Subgraph, *, unit: str = "post", width: int = 1600, show_personal_data: bool = False
) -> MapSpec:
    """A post's spread over time: time runs left to right, each generation of replies,
    quotes and reposts one band lower; links coloured by kind. ``unit`` says what a node
    is: ``post`` (every post), ``account`` (the accounts that spread it,
    srm.viz.persons.cascade_by_account) or ``person`` (those accounts collapsed into
    their persons); an account or person sits at its first post and its links carry
    counts. The notes count the spreaders in accounts and in persons, in every view."""
    drawn = sorted(subgraph.nodes.values(), key=lambda node: (_first_time(node) or 0, node.id))
    times = [_first_time(node) for node in drawn]
    known = [time for time in times if time is not None]
    start, end = (min(known), max(known)) if known else (0.0, 0.0)
    span = end - start
    root = subgraph.centre_ids[0]
    title = "Spread of a post" + {"account": " by account", "person": " by person"}.get(unit, "")
    spec = MapSpec(kind="cascade", title=title, positioned=True)
    per_generation: Counter[int] = Counter()
    for index, (node, time) in enumerate(zip(drawn, times, strict=True)):
        # Cascades are bursty (most of the spread comes early), so time is on a log scale.
        fraction = (
            math.log1p(time - start) / math.log1p(span)
            if time is not None and span
            else index / max(len(drawn), 1)
        )
        band = per_generation[node.depth]
        per_generation[node.depth] += 1
        posts = _posts_of(node)
        extra = None
        if node.kind != "post":
            first = node.props.get("first_at") if not node.members else None
            extra = [
                f"{posts:,} post{'s' if posts != 1 else ''} in this cascade, from generation "
                f"{node.depth}" + (f", first at {first}" if first else "")
            ]
        spec.nodes.append(
            node_dict(
                node,
                colour=CENTRE_COLOUR if node.id == root else PALETTE[node.depth % len(PALETTE)],
                value=3 if node.id == root else min(posts, 3),
                show_personal_data=show_personal_data,
                label=node.id == root or len(drawn) <= 60,
                extra=extra,
                x=round(fraction * width, 1),
                y=node.depth * 180 + (band % 6) * 26,
            )
        )
    spec.edges = edge_dicts(subgraph.edges, set(subgraph.nodes))
    spec.legend = [
        LegendEntry(CENTRE_COLOUR, "the original post" if unit == "post" else "its author")
    ]
    spec.legend += link_legend({edge.type for edge in subgraph.edges})
    spec.notes = [spreaders_note(subgraph)]
    omitted = subgraph.omitted.get("posts", 0)
    if omitted:
        shown = sum(_posts_of(node) for node in drawn)
        spec.notes.append(
            f"Trimmed: showing {shown:,} posts (the top by {subgraph.ranked_by}); "
            f"{omitted:,} more posts were left out."
        )
    if known:
        first = datetime.fromtimestamp(start, tz=UTC).isoformat(timespec="minutes")
        last = datetime.fromtimestamp(end, tz=UTC).isoformat(timespec="minutes")
        spec.notes.append(
            f"Time runs left to right (log scale), from {first} to {last}; each generation "
            "of replies, quotes and reposts is one band lower."
        )
    return spec
