"""Load the record-centred subgraphs: a person's records with their SAME_AS links, and a
post's cascade of replies, quotes and reposts. See srm.viz.data for ids and ranking."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from neo4j import Driver

from srm.cypher import maps as statements
from srm.errors import NotFoundError
from srm.store import read
from srm.viz.data import (
    EGO_RELATIONSHIPS,
    Edge,
    Node,
    Subgraph,
    latest_community_run,
    neighbour_rows,
    plain_props,
    profile_subgraph,
    rank,
)

__all__ = ["load_cascade", "load_identity"]


def _record_node(record_id: str, is_customer: bool, record: Mapping[str, Any]) -> Node:
    return Node(
        id=record_id, kind="customer" if is_customer else "profile", props=plain_props(record)
    )


def _resolve_person(driver: Driver, record_id: str | None, database: str | None) -> str:
    if record_id is not None:
        rows = read(driver, statements.RECORD_PERSONS, database=database, ids=[record_id])
        if not rows:
            raise NotFoundError(
                f"Record {record_id!r} belongs to no person yet; run identity resolution, or "
                "give the record as customer:<id> or profile:<platform:id>."
            )
        return str(rows[0]["person_id"])
    rows = read(driver, statements.LARGEST_PERSON, database=database)
    if not rows:
        raise NotFoundError("No persons in the graph yet: run identity resolution first.")
    return str(rows[0]["person_id"])


def load_identity(
    driver: Driver,
    *,
    person_id: str | None = None,
    record_id: str | None = None,
    neighbours: int = 25,
    database: str | None = None,
) -> Subgraph:
    """A person, the records PART_OF it, the SAME_AS/CLAIMS links around them (with their
    probability and status) and up to ``neighbours`` social neighbours of its profiles.

    Without ``person_id`` or ``record_id``: the person with the most records.
    """
    person_id = person_id or _resolve_person(driver, record_id, database)
    rows = read(driver, statements.PERSON_MEMBERS, database=database, person_id=person_id)
    if not rows:
        raise NotFoundError(f"No person {person_id!r} in the graph; check the person id.")
    person = Node(id=f"person:{person_id}", kind="person", props=plain_props(rows[0]["person"]))
    subgraph = Subgraph(nodes={person.id: person}, centre_ids=[person.id])
    for member in rows[0]["members"]:
        node = _record_node(member["id"], member["is_customer"], member["record"])
        node.person_id = person_id
        subgraph.nodes[node.id] = node
        subgraph.edges.append(Edge(node.id, person.id, "PART_OF"))
    for link in read(driver, statements.IDENTITY_LINKS, database=database, person_id=person_id):
        for side in ("source", "target"):
            if link[side] not in subgraph.nodes:
                node = _record_node(link[side], link[f"{side}_is_customer"], link[f"{side}_record"])
                node.person_id = link[f"{side}_person"]
                subgraph.nodes[node.id] = node
        subgraph.edges.append(
            Edge(
                link["source"],
                link["target"],
                link["type"],
                probability=link["probability"],
                status=link["status"],
            )
        )
    profile_keys = [
        node.id.removeprefix("profile:")
        for node in subgraph.nodes.values()
        if node.kind == "profile" and node.person_id == person_id
    ]
    if profile_keys and neighbours > 0:
        rows = neighbour_rows(driver, profile_keys, profile_keys, list(EGO_RELATIONSHIPS), database)
        kept, omitted, _ = rank(rows, neighbours)
        social = profile_subgraph(
            driver, profile_keys + kept, latest_community_run(driver, database), database
        )
        for node_id, node in social.nodes.items():
            if node_id in subgraph.nodes:
                subgraph.nodes[node_id].community = node.community
                subgraph.nodes[node_id].score = node.score
            else:
                subgraph.nodes[node_id] = node
        subgraph.edges.extend(social.edges)
        subgraph.omitted = {"neighbours": omitted} if omitted else {}
    return subgraph


def load_cascade(
    driver: Driver, *, post_key: str | None = None, limit: int = 800, database: str | None = None
) -> Subgraph:
    """A post and its replies, quotes and reposts (transitively) with their authors (the
    author's person, if any, as the post node's ``person_id``).

    Without ``post_key``: the post with the largest spread. Beyond ``limit`` posts the
    earliest generations are kept (lowest depth, then earliest).
    """
    if post_key is None:
        found = read(driver, statements.MOST_AMPLIFIED_POST, database=database)
        if not found:
            raise NotFoundError("No post has replies, quotes or reposts yet; load posts first.")
        post_key = str(found[0]["key"])
    rows = read(driver, statements.CASCADE, database=database, key=post_key)
    if not rows:
        raise NotFoundError(f"No post {post_key!r} in the graph; check the key (platform:id).")
    rows.sort(
        key=lambda row: (
            row["depth"],
            str(row["record"].get("created_at") or ""),
            row["record"]["post_key"],
        )
    )
    kept = rows[:limit]
    subgraph = Subgraph(centre_ids=[f"post:{post_key}"], ranked_by="generation, then time")
    for row in kept:
        node = Node(
            id=f"post:{row['record']['post_key']}",
            kind="post",
            props={**plain_props(row["record"]), "author": plain_props(row["author"])},
            depth=int(row["depth"]),
            person_id=row["person_id"],
        )
        subgraph.nodes[node.id] = node
    for row in kept:
        for link in row["links"]:
            target = f"post:{link['target']}"
            if target in subgraph.nodes:
                subgraph.edges.append(
                    Edge(f"post:{row['record']['post_key']}", target, link["type"])
                )
    if len(rows) > len(kept):
        subgraph.omitted = {"posts": len(rows) - len(kept)}
    return subgraph
