"""The collapsed-person view of a map: one node per person instead of one per account.

A person's accounts on the map (profile nodes with the same ``person_id``) become one
profile-shaped node ``person:<person_id>``: named after its best-scored account, with
that account's community, the highest of the accounts' scores, their followers and
degrees summed, a customer when any account is, and the accounts listed in its tooltip.
Links to and from the accounts move to the person node and merge, their counts added;
links between a person's own accounts disappear. Accounts without a person, and persons
with a single account on the map, stay as they are. The merged node keeps the accounts
it stands for (``Node.members``), so a legend counts accounts the same in both views.

A post's cascade is drawn per post; :func:`cascade_by_account` turns it into one node
per account that spread the post (its posts counted, the earliest kept), the step before
collapsing those accounts into persons. Pure: no database, no HTML.
"""

from __future__ import annotations

from dataclasses import replace

from srm.viz.data import Edge, Node, Subgraph
from srm.viz.style import label_of

__all__ = ["cascade_by_account", "collapse_persons", "merge_links"]


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
        members=[member for n in accounts for member in (n.members or [n])],
    )


def merge_links(edges: list[Edge], moved: dict[str, str]) -> list[Edge]:
    """``edges`` with their ends moved (``moved``: old node id → new one), the links that
    now join the same two nodes with the same type merged (counts added), and the links
    from a node to itself dropped. The edges given are left as they were."""
    links: dict[tuple[str, str, str], Edge] = {}
    for edge in edges:
        source, target = moved.get(edge.source, edge.source), moved.get(edge.target, edge.target)
        if source == target:
            continue
        key = (source, target, edge.type)
        if key in links:
            links[key].count += edge.count
        else:
            links[key] = replace(edge, source=source, target=target)
    return list(links.values())


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
    centre = list(dict.fromkeys(moved.get(node_id, node_id) for node_id in subgraph.centre_ids))
    return Subgraph(
        nodes=nodes,
        edges=merge_links(subgraph.edges, moved),
        omitted=dict(subgraph.omitted),
        ranked_by=subgraph.ranked_by,
        centre_ids=centre,
        run_id=subgraph.run_id,
    )


def cascade_by_account(subgraph: Subgraph) -> Subgraph:
    """A post-level cascade (srm.viz.data_records.load_cascade) with one node per author
    account instead of one per post: ``props`` are the author's, plus ``posts`` (how many
    of the cascade's posts it wrote) and ``first_at`` (the earliest); ``depth`` is its
    earliest generation and ``person_id`` its person. A reply, quote or repost becomes a
    link from the replying account to the account replied to, merged with a count; an
    account answering itself draws no link. Posts without a known author stay posts."""
    posts: dict[str, list[Node]] = {}
    moved: dict[str, str] = {}
    for node in subgraph.nodes.values():
        key = (node.props.get("author") or {}).get("profile_key")
        if node.kind == "post" and key:
            moved[node.id] = f"profile:{key}"
            posts.setdefault(moved[node.id], []).append(node)
    nodes = {node_id: node for node_id, node in subgraph.nodes.items() if node_id not in moved}
    for account_id, written in posts.items():
        times = [str(post.props["created_at"]) for post in written if post.props.get("created_at")]
        author = dict(written[0].props["author"])
        nodes[account_id] = Node(
            id=account_id,
            kind="profile",
            props={**author, "posts": len(written), "first_at": min(times, default=None)},
            followers=int(author.get("followers_count") or 0),
            person_id=written[0].person_id,
            depth=min(post.depth for post in written),
        )
    edges = merge_links(subgraph.edges, moved)
    for edge in edges:
        for end in (edge.source, edge.target):
            nodes[end].degree += edge.count
    return Subgraph(
        nodes=nodes,
        edges=edges,
        omitted=dict(subgraph.omitted),
        ranked_by=subgraph.ranked_by,
        centre_ids=list(dict.fromkeys(moved.get(n, n) for n in subgraph.centre_ids)),
        run_id=subgraph.run_id,
    )
