"""The six map kinds, each built from a loaded :class:`~srm.viz.data.Subgraph` into a
:class:`MapSpec` (vis-network nodes and edges, legend, notes) that srm.viz.render turns
into a page. Pure functions: no database, no HTML.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from srm.viz.data import Edge, Node, Subgraph
from srm.viz.style import (
    KIND_SHAPES,
    LINK_STYLES,
    OTHER_COLOUR,
    PALETTE,
    LegendEntry,
    edge_options,
    label_of,
    size_values,
    tooltip,
)

__all__ = [
    "MAP_KINDS",
    "MapSpec",
    "audience_map",
    "communities_map",
    "ego_map",
    "influencers_map",
]

MAP_KINDS = ("ego", "communities", "influencers", "audience", "identity", "cascade")

CENTRE_COLOUR = "#222222"
PERSON_COLOUR = "#B8860B"
CUSTOMER_COLOUR = "#6A3D9A"
OWN_BRAND_COLOUR = "#08306B"
COMPETITOR_BRAND_COLOUR = "#7F0000"
AUDIENCE_COLOURS = {
    "customer": ("#1A9850", "customers (a CRM record stands behind the profile)"),
    "community": ("#0072B2", "our community (follows us, not a customer yet)"),
    "shared": ("#9467BD", "shared audience (follows us and a competitor)"),
    "competitor": ("#D73027", "competitors' audience only"),
}


@dataclass
class MapSpec:
    """Everything a map page shows; ``nodes``/``edges`` are vis-network option dicts."""

    kind: str
    title: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Positions already set (x, y on every node): the page draws them as they are.
    positioned: bool = False
    # Other views of the same map (label, link, whether it is the one shown): the page
    # offers them as a control, e.g. accounts / one node per person.
    views: list[tuple[str, str, bool]] = field(default_factory=list)


def trim_notes(subgraph: Subgraph) -> list[str]:
    shown = Counter(node.kind for node in subgraph.nodes.values())
    notes = []
    for what, count in subgraph.omitted.items():
        kind = {"profiles": "profile", "posts": "post", "neighbours": "profile"}.get(what, what)
        notes.append(
            f"Trimmed: showing {shown.get(kind, 0):,} {what} (the top by {subgraph.ranked_by}); "
            f"{count:,} more {what} were left out."
        )
    return notes


def node_dict(
    node: Node,
    *,
    colour: str,
    value: float,
    show_personal_data: bool,
    label: bool = True,
    extra: list[str] | None = None,
    **options: Any,
) -> dict[str, Any]:
    return {
        "id": node.id,
        "label": label_of(node) if label else "",
        "title": tooltip(node, show_personal_data=show_personal_data, extra=extra),
        "shape": KIND_SHAPES.get(node.kind, "dot"),
        "color": colour,
        "value": value,
        **options,
    }


def edge_dicts(
    edges: list[Edge], node_ids: set[str], *, max_width: float | None = None
) -> list[dict[str, Any]]:
    """vis edge dicts of the links whose both ends are drawn (widths capped if asked)."""
    drawn = []
    for edge in edges:
        if edge.source in node_ids and edge.target in node_ids:
            options = {"from": edge.source, "to": edge.target, **edge_options(edge)}
            if max_width is not None:
                options["width"] = min(options["width"], max_width)
            drawn.append(options)
    return drawn


def link_legend(types: set[str]) -> list[LegendEntry]:
    return [
        LegendEntry(style["color"], style["label"], "dashed" if style["dashes"] else "line")
        for name, style in LINK_STYLES.items()
        if name in types
    ]


def community_colours(nodes: list[Node]) -> dict[str, str]:
    sizes = Counter(node.community for node in nodes if node.community is not None)
    ordered = sorted(sizes, key=lambda community: (-sizes[community], community))
    return {
        community: PALETTE[index] if index < len(PALETTE) else OTHER_COLOUR
        for index, community in enumerate(ordered)
    }


def profile_colour(node: Node, colours: dict[str, str]) -> str:
    if node.kind == "customer":
        return CUSTOMER_COLOUR
    if node.kind == "person":
        return PERSON_COLOUR
    if node.kind == "brand":
        return OWN_BRAND_COLOUR if node.props.get("is_own") else COMPETITOR_BRAND_COLOUR
    return colours.get(node.community or "", OTHER_COLOUR)


def ego_map(subgraph: Subgraph, *, show_personal_data: bool = False) -> MapSpec:
    """Who around a profile (or a person's accounts) follows and mentions whom; mention
    links are as wide as their count, the centre is dark and large."""
    nodes = list(subgraph.nodes.values())
    sizes = size_values(nodes)
    colours = community_colours(nodes)
    centre = set(subgraph.centre_ids)
    spec = MapSpec(
        kind="ego",
        title="Ego network of "
        + ", ".join(label_of(subgraph.nodes[node_id]) for node_id in subgraph.centre_ids[:3]),
    )
    top_value = max(sizes.values(), default=1.0)
    for node in nodes:
        is_centre = node.id in centre
        spec.nodes.append(
            node_dict(
                node,
                colour=CENTRE_COLOUR if is_centre else profile_colour(node, colours),
                value=top_value * 1.5 if is_centre else sizes[node.id],
                show_personal_data=show_personal_data,
                borderWidth=3 if is_centre else 1,
            )
        )
    spec.edges = edge_dicts(subgraph.edges, set(subgraph.nodes))
    spec.legend = [LegendEntry(CENTRE_COLOUR, "centre")]
    spec.legend += [
        LegendEntry(colour, f"community {community}")
        for community, colour in list(colours.items())[: len(PALETTE)]
    ]
    spec.legend += link_legend({edge.type for edge in subgraph.edges})
    spec.notes = [
        *trim_notes(subgraph),
        "Mention links are wider the more often one mentioned the other.",
    ]
    return spec


def communities_map(
    subgraph: Subgraph, *, labels_per_community: int = 3, show_personal_data: bool = False
) -> MapSpec:
    """Profiles coloured by community, sized by influence, the top members of each
    community labelled; the legend lists communities with their size and top member."""
    nodes = list(subgraph.nodes.values())
    sizes = size_values(nodes)
    colours = community_colours(nodes)
    members: dict[str, list[Node]] = {}
    for node in nodes:
        members.setdefault(node.community or "", []).append(node)
    labelled: set[str] = set()
    for group in members.values():
        group.sort(key=lambda node: (-sizes[node.id], node.id))
        labelled.update(node.id for node in group[:labels_per_community])
    spec = MapSpec(kind="communities", title="Communities")
    if subgraph.run_id:
        spec.title += f" (run {subgraph.run_id})"
    for node in nodes:
        spec.nodes.append(
            node_dict(
                node,
                colour=profile_colour(node, colours),
                value=sizes[node.id],
                show_personal_data=show_personal_data,
                label=node.id in labelled,
            )
        )
    # Here the structure matters, not who mentions whom how often: thin links only.
    spec.edges = edge_dicts(subgraph.edges, set(subgraph.nodes), max_width=1.5)
    for community, colour in colours.items():
        if colour == OTHER_COLOUR:
            continue
        top = members[community][0]
        named = f" ({top.community_label})" if top.community_label else ""
        spec.legend.append(
            LegendEntry(
                colour,
                f"community {community}{named}: {len(members[community]):,} shown, "
                f"top: {label_of(top)}",
            )
        )
    if OTHER_COLOUR in colours.values() or "" in members:
        spec.legend.append(LegendEntry(OTHER_COLOUR, "other / no community"))
    spec.notes = [*trim_notes(subgraph), f"Node size: {subgraph.ranked_by}."]
    return spec


def influencers_map(subgraph: Subgraph, *, show_personal_data: bool = False) -> MapSpec:
    """The top profiles, the links among them and to the brand (a hexagon)."""
    nodes = list(subgraph.nodes.values())
    sizes = size_values([node for node in nodes if node.kind == "profile"])
    colours = community_colours(nodes)
    top_value = max(sizes.values(), default=1.0)
    profiles = sum(node.kind == "profile" for node in nodes)
    spec = MapSpec(kind="influencers", title=f"Top {profiles} influencers")
    for node in nodes:
        spec.nodes.append(
            node_dict(
                node,
                colour=profile_colour(node, colours),
                value=sizes.get(node.id, top_value * 1.5),
                show_personal_data=show_personal_data,
            )
        )
    spec.edges = edge_dicts(subgraph.edges, set(subgraph.nodes))
    spec.legend = [LegendEntry(OWN_BRAND_COLOUR, "the brand (its official profiles)")]
    spec.legend += [
        LegendEntry(colour, f"community {community}")
        for community, colour in colours.items()
        if colour != OTHER_COLOUR
    ]
    spec.legend += link_legend({edge.type for edge in subgraph.edges})
    spec.notes = [f"Ranked and sized by {subgraph.ranked_by}."]
    return spec


def audience_class(node: Node, own: set[str]) -> str:
    """customer, community (own audience), shared (own and a competitor's) or competitor."""
    if node.is_customer:
        return "customer"
    followed = set(node.brands)
    if followed & own:
        return "shared" if followed - own else "community"
    return "competitor"


def audience_map(subgraph: Subgraph, *, show_personal_data: bool = False) -> MapSpec:
    """Customers, our community, the shared and the competitors' audience in distinct
    colours around the brands they follow."""
    nodes = list(subgraph.nodes.values())
    own = {
        node.id.removeprefix("brand:")
        for node in nodes
        if node.kind == "brand" and node.props.get("is_own")
    }
    sizes = size_values([node for node in nodes if node.kind == "profile"])
    top_value = max(sizes.values(), default=1.0)
    counts: Counter[str] = Counter()
    spec = MapSpec(kind="audience", title="Audience of " + ", ".join(sorted(own)))
    for node in nodes:
        if node.kind == "brand":
            spec.nodes.append(
                node_dict(
                    node,
                    colour=profile_colour(node, {}),
                    value=top_value * 2,
                    show_personal_data=show_personal_data,
                )
            )
            continue
        group = audience_class(node, own)
        counts[group] += 1
        spec.nodes.append(
            node_dict(
                node,
                colour=AUDIENCE_COLOURS[group][0],
                value=sizes[node.id],
                label=False,
                show_personal_data=show_personal_data,
                extra=[f"audience: {group}"],
            )
        )
    spec.edges = edge_dicts(subgraph.edges, set(subgraph.nodes))
    spec.legend = [
        LegendEntry(OWN_BRAND_COLOUR, "our brand"),
        LegendEntry(COMPETITOR_BRAND_COLOUR, "competitor"),
    ]
    spec.legend += [
        LegendEntry(colour, f"{text}: {counts[group]:,}")
        for group, (colour, text) in AUDIENCE_COLOURS.items()
    ]
    spec.notes = trim_notes(subgraph)
    return spec
