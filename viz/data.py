"""Load the subgraphs the maps and exports draw, through srm.store (statements in
srm.cypher.maps).

Every loader ranks its candidates (influence score first; profiles without a score after
those with one, by followers then degree), keeps the top ``limit`` and records in
:attr:`Subgraph.omitted` how many it left out, so a map can say so. Node ids are
label-prefixed: ``profile:<profile_key>``, ``customer:<customer_id>``,
``person:<person_id>``, ``brand:<name>``, ``post:<post_key>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver

from srm.cypher import maps as statements
from srm.cypher.influence import Influence
from srm.errors import NotFoundError, ValidationError
from srm.store import batched, read

__all__ = [
    "EGO_RELATIONSHIPS",
    "Edge",
    "Node",
    "Subgraph",
    "latest_community_run",
    "load_communities",
    "load_ego",
    "load_export",
    "neighbour_rows",
    "plain_props",
    "profile_subgraph",
    "profiles_by_keys",
    "rank",
]

EGO_RELATIONSHIPS = ("FOLLOWS", "MENTIONED")
_CHUNK = 2000
# The ranking column every selection statement returns the influence score under.
_SCORE = Influence.SCORE.column


@dataclass
class Node:
    """One node of a map: its kind, its stored properties and what the map derives."""

    id: str
    kind: str  # profile | customer | person | brand | post
    props: dict[str, Any] = field(default_factory=dict)
    score: float | None = None
    followers: int = 0
    degree: int = 0
    community: str | None = None
    community_label: str | None = None
    person_id: str | None = None
    is_customer: bool = False
    brands: list[str] = field(default_factory=list)
    depth: int = 0
    # The accounts this node stands for when it merges several (srm.viz.persons); empty
    # for a node that is one record.
    members: list[Node] = field(default_factory=list)


@dataclass
class Edge:
    """A link between two map nodes (``type`` is the relationship type)."""

    source: str
    target: str
    type: str
    count: int = 1
    probability: float | None = None
    status: str | None = None


@dataclass
class Subgraph:
    """What a map draws: nodes by id, edges, and what was trimmed away."""

    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    omitted: dict[str, int] = field(default_factory=dict)
    ranked_by: str = "influence score"
    centre_ids: list[str] = field(default_factory=list)
    run_id: str | None = None


def _plain(value: Any) -> Any:
    """Neo4j temporal values become ISO strings; everything else passes through."""
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def plain_props(record: Mapping[str, Any] | None) -> dict[str, Any]:
    return {key: _plain(value) for key, value in (record or {}).items()}


def _rank_key(row: Mapping[str, Any]) -> tuple[bool, float, int, int, str]:
    score = row.get(_SCORE)
    return (
        score is None,
        -(score or 0.0),
        -int(row.get("followers") or 0),
        -int(row.get("degree") or 0),
        str(row["key"]),
    )


def rank(rows: Iterable[Mapping[str, Any]], limit: int) -> tuple[list[str], int, str]:
    """The keys of the top ``limit`` rows, how many were left out, and the ranking used.

    Rows carry ``key``, ``score`` (may be None), ``followers`` and ``degree``; unscored
    rows rank after scored ones, by followers, then degree.
    """
    ordered = sorted(rows, key=_rank_key)
    kept = [str(row["key"]) for row in ordered[: max(limit, 0)]]
    scored = any(row.get(_SCORE) is not None for row in ordered)
    return kept, max(len(ordered) - len(kept), 0), "influence score" if scored else "followers"


def latest_community_run(driver: Driver, database: str | None = None) -> str | None:
    """The run id of the most recent community detection, or None before any run."""
    rows = read(driver, statements.LATEST_COMMUNITY_RUN, database=database)
    return rows[0]["run_id"] if rows else None


def profiles_by_keys(
    driver: Driver, keys: list[str], run_id: str | None, database: str | None
) -> dict[str, Node]:
    nodes: dict[str, Node] = {}
    for chunk in batched(keys, _CHUNK):
        for row in read(
            driver, statements.PROFILES_BY_KEYS, database=database, ids=chunk, run_id=run_id
        ):
            community = row["community_id"]
            node = Node(
                id=f"profile:{row['key']}",
                kind="profile",
                props=plain_props(row["record"]),
                score=row[_SCORE],
                followers=int(row["followers"] or 0),
                degree=int(row["degree"] or 0),
                community=None if community is None else str(community),
                community_label=row["community_label"],
                person_id=row["person_id"],
                is_customer=bool(row["is_customer"]),
                brands=list(row["official_of"]),
            )
            nodes[node.id] = node
    return nodes


def _profile_edges(driver: Driver, keys: list[str], database: str | None) -> list[Edge]:
    edges = []
    for chunk in batched(keys, _CHUNK):
        for row in read(
            driver, statements.EDGES_AMONG_PROFILES, database=database, ids=chunk, members=keys
        ):
            edges.append(
                Edge(
                    source=f"profile:{row['source']}",
                    target=f"profile:{row['target']}",
                    type=row["type"],
                    count=int(row["count"]),
                )
            )
    return edges


def profile_subgraph(
    driver: Driver, keys: list[str], run_id: str | None, database: str | None
) -> Subgraph:
    return Subgraph(
        nodes=profiles_by_keys(driver, keys, run_id, database),
        edges=_profile_edges(driver, keys, database),
        run_id=run_id,
    )


def _check_relationships(relationships: Iterable[str]) -> list[str]:
    chosen = [name.upper() for name in relationships]
    unknown = sorted(set(chosen) - set(EGO_RELATIONSHIPS))
    if unknown or not chosen:
        raise ValidationError(
            f"Unknown relationship for an ego map: {', '.join(unknown) or '(none given)'}; "
            f"use any of {', '.join(name.lower() for name in EGO_RELATIONSHIPS)}."
        )
    return chosen


def neighbour_rows(
    driver: Driver,
    centres: list[str],
    exclude: list[str],
    relationships: list[str],
    database: str | None,
) -> list[dict[str, Any]]:
    return read(
        driver,
        statements.EGO_NEIGHBOURS,
        database=database,
        ids=centres,
        exclude=exclude,
        types=relationships,
    )


def load_ego(
    driver: Driver,
    *,
    profile_key: str | None = None,
    person_id: str | None = None,
    hops: int = 1,
    limit: int = 150,
    relationships: Iterable[str] = EGO_RELATIONSHIPS,
    database: str | None = None,
) -> Subgraph:
    """A profile's (or a person's accounts') neighbourhood within ``hops`` (1 or 2)
    FOLLOWS/MENTIONED steps, at most ``limit`` neighbours, nearest hop first."""
    if hops not in (1, 2):
        raise ValidationError(f"hops must be 1 or 2 (got {hops}); 2 hops already reach far.")
    chosen = _check_relationships(relationships)
    if (profile_key is None) == (person_id is None):
        raise ValidationError("Give exactly one centre: a profile key or a person id.")
    if person_id is not None:
        centres = [
            row["key"]
            for row in read(
                driver, statements.PERSON_PROFILE_KEYS, database=database, person_id=person_id
            )
        ]
        if not centres:
            raise NotFoundError(f"No person {person_id!r} with social profiles in the graph.")
    else:
        centres = [str(profile_key)]
    run_id = latest_community_run(driver, database)
    members = list(centres)
    omitted = 0
    ranked_by = "influence score"
    frontier = centres
    for _ in range(hops):
        rows = neighbour_rows(driver, frontier, members, chosen, database)
        kept, left_out, ranked_by = rank(rows, limit - (len(members) - len(centres)))
        omitted += left_out
        members.extend(kept)
        frontier = kept
        if not frontier:
            break
    subgraph = profile_subgraph(driver, members, run_id, database)
    if f"profile:{centres[0]}" not in subgraph.nodes:
        raise NotFoundError(f"No profile {centres[0]!r} in the graph; check the key (platform:id).")
    subgraph.edges = [edge for edge in subgraph.edges if edge.type in chosen]
    subgraph.centre_ids = [f"profile:{key}" for key in centres]
    if person_id is not None:
        person = Node(id=f"person:{person_id}", kind="person", props={"person_id": person_id})
        subgraph.nodes[person.id] = person
        subgraph.edges.extend(Edge(centre, person.id, "PART_OF") for centre in subgraph.centre_ids)
        subgraph.centre_ids.insert(0, person.id)
    subgraph.omitted = {"profiles": omitted} if omitted else {}
    subgraph.ranked_by = ranked_by
    return subgraph


def load_communities(
    driver: Driver, *, limit: int = 600, minimum_per_community: int = 1, database: str | None = None
) -> Subgraph:
    """Members of the latest community run: each community keeps a share of ``limit``
    proportional to its size (at least ``minimum_per_community``), top-ranked first;
    ``limit`` stays a hard cap (the page must open), so with many small communities the
    lowest-ranked shares go first."""
    run_id = latest_community_run(driver, database)
    if run_id is None:
        raise NotFoundError(
            "No communities in the graph yet: run community detection first, then draw the map."
        )
    rows = read(driver, statements.COMMUNITY_MEMBERS, database=database, run_id=run_id)
    by_community: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_community.setdefault(str(row["community_id"]), []).append(row)
    total = len(rows)
    keys: list[str] = []
    omitted = 0
    ranked_by = "followers"
    for members in by_community.values():
        share = max(minimum_per_community, round(limit * len(members) / max(total, 1)))
        kept, left_out, used = rank(members, share)
        keys.extend(kept)
        omitted += left_out
        ranked_by = "influence score" if used == "influence score" else ranked_by
    if len(keys) > limit:
        kept_set = set(rank([row for row in rows if row["key"] in set(keys)], limit)[0])
        omitted += len(keys) - len(kept_set)
        keys = [key for key in keys if key in kept_set]
    subgraph = profile_subgraph(driver, keys, run_id, database)
    subgraph.omitted = {"profiles": omitted} if omitted else {}
    subgraph.ranked_by = ranked_by
    return subgraph


def load_export(
    driver: Driver,
    *,
    community: str | None = None,
    ego: str | None = None,
    hops: int = 1,
    database: str | None = None,
) -> Subgraph:
    """Profiles with scores, community and person id, and the FOLLOWS/MENTIONED links among
    them: the whole graph, one community of the latest run, or a profile's ego network."""
    run_id = latest_community_run(driver, database)
    if ego is not None:
        return load_ego(driver, profile_key=ego, hops=hops, limit=10**9, database=database)
    if community is not None:
        if run_id is None:
            raise NotFoundError("No communities in the graph yet: run community detection first.")
        rows = read(driver, statements.COMMUNITY_MEMBERS, database=database, run_id=run_id)
        keys = [row["key"] for row in rows if str(row["community_id"]) == community]
        if not keys:
            raise NotFoundError(f"No community {community!r} in the latest run ({run_id}).")
        return profile_subgraph(driver, sorted(keys), run_id, database)
    keys = [row["key"] for row in read(driver, statements.PROFILE_KEYS_ALL, database=database)]
    edges = [
        Edge(f"profile:{row['source']}", f"profile:{row['target']}", row["type"], int(row["count"]))
        for row in read(driver, statements.EXPORT_ALL_EDGES, database=database)
    ]
    return Subgraph(
        nodes=profiles_by_keys(driver, sorted(keys), run_id, database), edges=edges, run_id=run_id
    )
