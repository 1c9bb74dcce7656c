"""Load the brand-centred subgraphs: the top influencers with the brand, and the brand
audience (who follows which brand, who is a customer). See srm.viz.data for ranking."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from neo4j import Driver

from srm.cypher import maps as statements
from srm.errors import NotFoundError
from srm.store import read
from srm.viz.data import (
    Edge,
    Node,
    Subgraph,
    latest_community_run,
    plain_props,
    profile_subgraph,
    profiles_by_keys,
    rank,
)

__all__ = ["load_audience", "load_influencers"]


def _brands(driver: Driver, database: str | None) -> dict[str, tuple[dict[str, Any], list[str]]]:
    return {
        row["record"]["name"]: (plain_props(row["record"]), list(row["official_keys"]))
        for row in read(driver, statements.BRANDS, database=database)
    }


def _own_brands(
    brands: Mapping[str, tuple[dict[str, Any], list[str]]], brand: str | None
) -> list[str]:
    if brand is not None:
        if brand not in brands:
            known = ", ".join(sorted(brands)) or "none loaded yet"
            raise NotFoundError(f"No brand {brand!r} in the graph (brands: {known}).")
        return [brand]
    return [name for name, (record, _) in brands.items() if record.get("is_own")]


def _collapse_officials(
    subgraph: Subgraph, brands: Mapping[str, tuple[dict[str, Any], list[str]]], shown: list[str]
) -> None:
    """Draw each shown brand as one node standing for its official profiles."""
    official = {f"profile:{key}": f"brand:{name}" for name in shown for key in brands[name][1]}
    for name in shown:
        record = brands[name][0]
        subgraph.nodes[f"brand:{name}"] = Node(id=f"brand:{name}", kind="brand", props=record)
    for node_id in official:
        subgraph.nodes.pop(node_id, None)
    merged: dict[tuple[str, str, str], Edge] = {}
    for edge in subgraph.edges:
        source = official.get(edge.source, edge.source)
        target = official.get(edge.target, edge.target)
        if source == target or source not in subgraph.nodes or target not in subgraph.nodes:
            continue
        key = (source, target, edge.type)
        if key in merged:
            merged[key].count += edge.count
        else:
            merged[key] = Edge(source, target, edge.type, edge.count)
    subgraph.edges = list(merged.values())


def load_influencers(
    driver: Driver, *, top: int = 50, brand: str | None = None, database: str | None = None
) -> Subgraph:
    """The ``top`` profiles by influence (or followers before any score), the links among
    them, and their links to the brand (``brand`` or the brands marked as own)."""
    rows = read(driver, statements.TOP_PROFILES, database=database, limit=top)
    keys, _, ranked_by = rank(rows, top)
    brands = _brands(driver, database)
    shown = _own_brands(brands, brand)
    officials = [key for name in shown for key in brands[name][1]]
    run_id = latest_community_run(driver, database)
    subgraph = profile_subgraph(driver, keys + officials, run_id, database)
    _collapse_officials(subgraph, brands, shown)
    subgraph.ranked_by = ranked_by
    return subgraph


def load_audience(
    driver: Driver, *, brand: str | None = None, limit: int = 600, database: str | None = None
) -> Subgraph:
    """Who follows the brands' official profiles and who stands behind a CRM customer.

    Each profile's ``brands`` lists the brands it follows; the own brand is ``brand`` or
    the brands marked as own. Only links to brands are kept: the picture is who is whose.
    """
    brands = _brands(driver, database)
    own = _own_brands(brands, brand)
    if not own:
        raise NotFoundError(
            "No own brand in the graph: load brands with is_own set, or name the brand."
        )
    rows = read(driver, statements.BRAND_AUDIENCE, database=database)
    followed = {row["key"]: list(row["brands"]) for row in rows}
    keys, omitted, ranked_by = rank(rows, limit)
    run_id = latest_community_run(driver, database)
    subgraph = Subgraph(nodes=profiles_by_keys(driver, keys, run_id, database), run_id=run_id)
    for key in keys:
        node = subgraph.nodes.get(f"profile:{key}")
        if node is not None:
            node.brands = sorted(set(followed[key]))
    for name in brands:
        subgraph.nodes[f"brand:{name}"] = Node(
            id=f"brand:{name}", kind="brand", props=dict(brands[name][0], is_own=name in own)
        )
    subgraph.edges = [
        Edge(node.id, f"brand:{name}", "FOLLOWS")
        for node in subgraph.nodes.values()
        if node.kind == "profile"
        for name in node.brands
    ]
    subgraph.omitted = {"profiles": omitted} if omitted else {}
    subgraph.ranked_by = ranked_by
    subgraph.centre_ids = [f"brand:{name}" for name in own]
    return subgraph
