"""The collapsed-person view of a map: one node per person instead of one per account.

A person's accounts on the map (profile nodes with the same ``person_id``) become one
profile-shaped node ``person:<person_id>``: named after its best-scored account, with
that account's community, the highest of the accounts' scores, their followers and
degrees summed, a customer when any account is, and the accounts listed in its tooltip.
Links to and from the accounts move to the person node and merge, their counts added;
links between a person's own accounts disappear. Accounts without a person, and persons
with a single account on the map, stay as they are. Pure: no database, no HTML.
"""

from __future__ import annotations

from dataclasses import replace

from srm.viz.data import Edge, Node, Subgraph
from srm.viz.style import label_of

__all__ = ["collapse_persons"]


def _merged(person_id: str, accounts: list[Node]) -> Node:
    ranked = sorted(accounts, key=lambda n: (n.score is None, -(n.score or 0.0), n.id))
    best = ranked[0]
    scores = [n.score for n in accounts if n.score is not None]
    return Node(
        id=f"person:{person_id}",
        kind="profile",
        props={
            **best.props,
            "display_name": f"{label_of(best)} (+{len(accounts) - 1})",
            "accounts": [label_of(n) + f" · {n.props.get('platform', '?')}" for n in ranked],
        },
        score=max(scores) if scores else None,
        followers=sum(n.followers for n in accounts),
        degree=sum(n.degree for n in accounts),
        community=best.community,
        community_label=best.community_label,
        person_id=person_id,
        is_customer=any(n.is_customer for n in accounts),
        brands=sorted({brand for n in accounts for brand in n.brands}),
        depth=min(n.depth for n in accounts),
    )


def collapse_persons(subgraph: Subgraph) -> Subgraph:
    """``subgraph`` with each person's accounts merged into one node (see the module)."""
    accounts: dict[str, list[Node]] = {}
    for node in subgraph.nodes.values():
        if node.kind == "profile" and node.person_id:
            accounts.setdefault(node.person_id, []).append(node)
    groups = {person: members for person, members in accounts.items() if len(members) > 1}
    moved = {n.id: f"person:{person}" for person, members in groups.items() for n in members}
    nodes = {
        node_id: node
        for node_id, node in subgraph.nodes.items()
        if node_id not in moved and node_id not in set(moved.values())
    }
    for person, members in groups.items():
        merged = _merged(person, members)
        nodes[merged.id] = merged
    links: dict[tuple[str, str, str], Edge] = {}
    for edge in subgraph.edges:
        source, target = moved.get(edge.source, edge.source), moved.get(edge.target, edge.target)
        if source == target:
            continue
        key = (source, target, edge.type)
        if key in links:
            links[key].count += edge.count
        else:
            links[key] = replace(edge, source=source, target=target)
    centre = list(dict.fromkeys(moved.get(node_id, node_id) for node_id in subgraph.centre_ids))
    return Subgraph(
        nodes=nodes,
        edges=list(links.values()),
        omitted=dict(subgraph.omitted),
        ranked_by=subgraph.ranked_by,
        centre_ids=centre,
        run_id=subgraph.run_id,
    )
