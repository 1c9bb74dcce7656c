"""The six map kinds, each built from a loaded :class:`~srm.viz.data.Subgraph` into a
:class:`MapSpec` (vis-network nodes and edges, legend, notes) that srm.viz.render turns
into a page. Pure functions: no database, no HTML.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
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
    "PERSONS_NOTE",
    "MapSpec",
    "accounts_of",
    "audience_map",
    "communities_map",
    "counted",
    "drawn_accounts",
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


def accounts_of(node: Node) -> list[Node]:
    """The accounts a drawn node stands for: its merged accounts, or itself."""
    return node.members or [node]


def drawn_accounts(nodes: Iterable[Node]) -> list[Node]:
    """Every account behind the drawn profile nodes (a person's merged accounts one by
    one), so a count is the same in the expanded and the collapsed view."""
    return [account for node in nodes if node.kind == "profile" for account in accounts_of(node)]


def _unit(account: Node) -> str:
    return f"person:{account.person_id}" if account.person_id else account.id


def side_by_side(accounts: int, persons: int) -> str:
    """The text "N accounts, M persons"."""
    return (
        f"{accounts:,} account{'s' if accounts != 1 else ''}, "
        f"{persons:,} person{'s' if persons != 1 else ''}"
    )


def counted(accounts: Iterable[Node]) -> str:
    """The text "N accounts, M persons" of ``accounts``: persons are distinct, and an
    account that belongs to no person counts as one person."""
    listed = list({account.id: account for account in accounts}.values())
    return side_by_side(len(listed), len({_unit(account) for account in listed}))


PERSONS_NOTE = "Counted in accounts and in persons; an account without a person counts as one."


def trim_notes(subgraph: Subgraph) -> list[str]:
    shown = Counter(
        node.kind for node in subgraph.nodes.values() for _ in range(len(accounts_of(node)))
    )
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
        f"Shown: {counted(drawn_accounts(nodes))}. {PERSONS_NOTE}",
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
    # Counted by each account's own community: a person with accounts in two communities
    # counts as a person in both (the collapsed view draws it in its best account's).
    accounts_in: dict[str, list[Node]] = {}
    for account in drawn_accounts(nodes):
        accounts_in.setdefault(account.community or "", []).append(account)
    for community, colour in colours.items():
        if colour == OTHER_COLOUR:
            continue
        top = members[community][0]
        named = f" ({top.community_label})" if top.community_label else ""
        spec.legend.append(
            LegendEntry(
                colour,
                f"community {community}{named}: {counted(accounts_in.get(community, []))} "
                f"shown, top: {label_of(top)}",
            )
        )
    if OTHER_COLOUR in colours.values() or "" in members:
        spec.legend.append(LegendEntry(OTHER_COLOUR, "other / no community"))
    spec.notes = [
        *trim_notes(subgraph),
        f"Shown: {counted(drawn_accounts(nodes))}. {PERSONS_NOTE}",
        f"Node size: {subgraph.ranked_by}.",
    ]
    return spec


def influencers_map(subgraph: Subgraph, *, show_personal_data: bool = False) -> MapSpec:
    """The top profiles, the links among them and to the brand (a hexagon)."""
    nodes = list(subgraph.nodes.values())
    sizes = size_values([node for node in nodes if node.kind == "profile"])
    colours = community_colours(nodes)
    top_value = max(sizes.values(), default=1.0)
    spec = MapSpec(kind="influencers", title=f"Top influencers: {counted(drawn_accounts(nodes))}")
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
    spec.notes = [f"Ranked and sized by {subgraph.ranked_by}.", PERSONS_NOTE]
    return spec


def audience_class(node: Node, own: set[str]) -> str:
    """customer, community (own audience), shared (own and a competitor's) or competitor."""
    if node.is_customer:
        return "customer"
    followed = set(node.brands)
    if followed & own:
        return "shared" if followed - own else "community"
    return "competitor"


def audience_counts(nodes: list[Node], own: set[str]) -> tuple[Counter[str], Counter[str]]:
    """Per audience class, the drawn accounts (each by its own follows) and the persons
    (each by all its accounts together, as the collapsed view draws it); an account
    without a person is one person. The same in both views."""
    accounts = drawn_accounts(nodes)
    by_account: Counter[str] = Counter(audience_class(account, own) for account in accounts)
    grouped: dict[str, list[Node]] = {}
    for account in {account.id: account for account in accounts}.values():
        grouped.setdefault(_unit(account), []).append(account)
    by_person: Counter[str] = Counter(
        audience_class(
            Node(
                id=unit,
                kind="profile",
                is_customer=any(a.is_customer for a in members),
                brands=sorted({brand for a in members for brand in a.brands}),
            ),
            own,
        )
        for unit, members in grouped.items()
    )
    return by_account, by_person


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
    accounts, persons = audience_counts(nodes, own)
    spec.legend += [
        LegendEntry(colour, f"{text}: {side_by_side(accounts[group], persons[group])}")
        for group, (colour, text) in AUDIENCE_COLOURS.items()
    ]
    spec.notes = [
        *trim_notes(subgraph),
        f"Shown: {counted(drawn_accounts(nodes))}. {PERSONS_NOTE} A person is placed by "
        "all its accounts together: a customer if any account is one, shared audience if "
        "one account follows us and another a competitor.",
    ]
    return spec
