"""Gephi and spreadsheet exports of the profile network: GEXF, GraphML (networkx's
writers) and CSV (nodes.csv + edges.csv), with scores, communities and person ids as
attributes."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import networkx as nx

from srm.cypher.influence import Influence
from srm.errors import ValidationError
from srm.viz.data import Subgraph
from srm.viz.style import label_of

__all__ = ["EXPORT_FORMATS", "NODE_ATTRIBUTES", "to_networkx", "write_export"]

EXPORT_FORMATS = ("gexf", "graphml", "csv")
NODE_ATTRIBUTES = (
    "label",
    "kind",
    "platform",
    "handle",
    "display_name",
    "followers_count",
    Influence.SCORE.value,
    Influence.PERCENTILE.value,
    Influence.RUN_ID.value,
    "community",
    "person_id",
    "is_customer",
)
EDGE_ATTRIBUTES = ("relationship", "weight")


def _node_attributes(node: Any) -> dict[str, Any]:
    props = node.props
    values = {
        "label": label_of(node),
        "kind": node.kind,
        "platform": props.get("platform"),
        "handle": props.get("handle"),
        "display_name": props.get("display_name"),
        "followers_count": props.get("followers_count"),
        # The stored influence under its property names (the score came as a ranking column).
        Influence.SCORE.value: node.score,
        Influence.PERCENTILE.value: props.get(Influence.PERCENTILE),
        Influence.RUN_ID.value: props.get(Influence.RUN_ID),
        "community": node.community,
        "person_id": node.person_id,
        "is_customer": node.is_customer,
    }
    # GraphML and GEXF have no null: an absent attribute is a missing value.
    return {key: value for key, value in values.items() if value is not None}


def to_networkx(subgraph: Subgraph) -> nx.MultiDiGraph:
    """A MultiDiGraph (FOLLOWS and MENTIONED between the same pair stay two links) with
    the attributes in :data:`NODE_ATTRIBUTES`; links carry ``relationship`` (GEXF reserves
    ``type``) and ``weight`` (mention count, 1 for a follow)."""
    graph = nx.MultiDiGraph()
    for node_id, node in subgraph.nodes.items():
        graph.add_node(node_id, **_node_attributes(node))
    for edge in subgraph.edges:
        if edge.source in graph and edge.target in graph:
            graph.add_edge(edge.source, edge.target, relationship=edge.type, weight=edge.count)
    return graph


def _write_csv(graph: nx.MultiDiGraph, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    nodes_path, edges_path = folder / "nodes.csv", folder / "edges.csv"
    with nodes_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=("id", *NODE_ATTRIBUTES))
        writer.writeheader()
        for node_id, attributes in graph.nodes(data=True):
            writer.writerow({"id": node_id, **attributes})
    with edges_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=("source", "target", *EDGE_ATTRIBUTES))
        writer.writeheader()
        for source, target, attributes in graph.edges(data=True):
            writer.writerow({"source": source, "target": target, **attributes})
    return [nodes_path, edges_path]


def write_export(subgraph: Subgraph, format_name: str, out: Path | str) -> list[Path]:
    """Write ``subgraph`` as ``format_name`` (gexf, graphml: one file at ``out``; csv: a
    folder ``out`` with nodes.csv and edges.csv). Returns the files written."""
    if format_name not in EXPORT_FORMATS:
        raise ValidationError(
            f"Unknown export format {format_name!r}; use one of {', '.join(EXPORT_FORMATS)}."
        )
    graph = to_networkx(subgraph)
    target = Path(out)
    if format_name == "csv":
        return _write_csv(graph, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if format_name == "gexf":
        nx.write_gexf(graph, target)
    else:
        nx.write_graphml(graph, target)
    return [target]
