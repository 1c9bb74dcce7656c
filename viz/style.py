"""How map nodes and links look and what their tooltips say.

Tooltips are plain text (vis-network shows a string title with ``innerText``), so names,
handles, bios and post text never become markup. Email and phone appear only when the
caller passes ``show_personal_data=True`` (a role allowed to see contact data).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from srm.cypher.influence import Influence
from srm.viz.data import Edge, Node

__all__ = [
    "KIND_SHAPES",
    "LINK_STYLES",
    "OTHER_COLOUR",
    "PALETTE",
    "LegendEntry",
    "edge_options",
    "label_of",
    "size_values",
    "tooltip",
]

# Distinguishable on white and for the common colour-vision deficiencies (Okabe-Ito
# first, then Tableau) — communities past the twelfth share the grey.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#8C564B",
    "#9467BD",
    "#17BECF",
    "#BCBD22",
    "#1F3A93",
)
OTHER_COLOUR = "#B0B0B0"

KIND_SHAPES = {
    "profile": "dot",
    "customer": "square",
    "person": "star",
    "brand": "hexagon",
    "post": "dot",
}

# Per relationship type: colour, dashes, arrow, tooltip wording.
LINK_STYLES: dict[str, dict[str, Any]] = {
    "FOLLOWS": {"color": "#9AA5B1", "dashes": False, "label": "follows"},
    "MENTIONED": {"color": "#E8833A", "dashes": False, "label": "mentioned"},
    "PART_OF": {"color": "#444444", "dashes": False, "label": "part of person"},
    "CLAIMS": {"color": "#8E6CBF", "dashes": [2, 4], "label": "CRM record lists this handle"},
    "REPLY_TO": {"color": "#0072B2", "dashes": False, "label": "reply"},
    "QUOTES": {"color": "#CC79A7", "dashes": False, "label": "quote"},
    "REPOSTS": {"color": "#009E73", "dashes": False, "label": "repost"},
}
SAME_AS_STYLES: dict[str, dict[str, Any]] = {
    "accepted": {"color": "#1A9850", "dashes": [10, 4], "width": 3},
    "candidate": {"color": "#F39C12", "dashes": [5, 5], "width": 2},
    "rejected": {"color": "#D73027", "dashes": [2, 6], "width": 1},
}

_TEXT_LIMIT = 200
_LABEL_LIMIT = 28


@dataclass(frozen=True)
class LegendEntry:
    """One legend line: a swatch (dot, line or dashed line) in ``colour`` and its text."""

    colour: str
    text: str
    swatch: str = "dot"


def _short(value: Any, limit: int) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _person_name(props: dict[str, Any]) -> str:
    parts = [props.get("first_name"), props.get("last_name")]
    return " ".join(str(part) for part in parts if part) or str(props.get("name") or "")


def label_of(node: Node, limit: int = _LABEL_LIMIT) -> str:
    """The text drawn under a node (cut to ``limit`` characters)."""
    props = node.props
    if node.kind == "profile":
        text = props.get("display_name") or (props.get("handle") and "@" + props["handle"])
        text = text or node.id.removeprefix("profile:")
    elif node.kind == "customer":
        text = _person_name(props) or node.id
    elif node.kind == "person":
        text = props.get("display_name") or props.get("name") or node.id.removeprefix("person:")
    elif node.kind == "brand":
        text = props.get("name") or node.id.removeprefix("brand:")
    else:
        author = props.get("author") or {}
        text = "@" + author["handle"] if author.get("handle") else node.id.removeprefix("post:")
    return _short(text, limit)


def _score_lines(node: Node) -> list[str]:
    lines = []
    if node.score is not None:
        line = f"influence: {node.score:.4g}"
        percentile = node.props.get(Influence.PERCENTILE)
        if isinstance(percentile, int | float):
            line += f" (percentile {percentile:.0f})"
        lines.append(line)
    if node.kind == "profile":
        lines.append(f"followers: {node.followers:,}   links in map data: {node.degree:,}")
    if node.community is not None:
        named = f" ({node.community_label})" if node.community_label else ""
        lines.append(f"community: {node.community}{named}")
    if node.person_id:
        lines.append(f"person: {node.person_id}")
    return lines


def tooltip(node: Node, *, show_personal_data: bool = False, extra: list[str] | None = None) -> str:
    """Plain-text tooltip: name, handle, platform, scores; contact data only if allowed."""
    props = node.props
    lines: list[str] = [label_of(node, _TEXT_LIMIT)]
    if node.kind == "profile":
        handle = props.get("handle")
        lines.append(
            f"{'@' + str(handle) if handle else props.get('profile_key', '')} · "
            f"{props.get('platform', '?')}"
        )
        if node.is_customer:
            lines.append("CRM customer: yes")
        if node.brands:
            lines.append("follows brands: " + ", ".join(node.brands))
        if props.get("accounts"):
            # a person's accounts collapsed into this node (srm.viz.persons)
            lines.append(f"one person, {len(props['accounts'])} accounts:")
            lines.extend(f"  {account}" for account in props["accounts"])
    elif node.kind == "customer":
        lines.append(f"CRM record {props.get('customer_id', '')}")
        where = ", ".join(str(props[key]) for key in ("company", "city") if props.get(key))
        if where:
            lines.append(where)
        if show_personal_data:
            lines.extend(f"{key}: {props[key]}" for key in ("email", "phone") if props.get(key))
    elif node.kind == "person":
        lines.append(f"person {props.get('person_id', node.id.removeprefix('person:'))}")
    elif node.kind == "brand":
        lines.append("own brand" if props.get("is_own") else "competitor")
    elif node.kind == "post":
        author = props.get("author") or {}
        lines.append(
            f"{author.get('platform') or props.get('platform', '?')} post, "
            f"generation {node.depth}, {props.get('created_at') or 'time unknown'}"
        )
        if props.get("text"):
            lines.append(_short(props["text"], _TEXT_LIMIT * 2))
    lines.extend(_score_lines(node))
    if node.kind == "profile" and props.get("bio"):
        lines.append("bio: " + _short(props["bio"], _TEXT_LIMIT))
    lines.extend(extra or [])
    return "\n".join(line for line in lines if line)


def size_values(nodes: list[Node]) -> dict[str, float]:
    """Node sizes (vis ``value``): the square root of the influence score when the map has
    scores, else of the follower count, else the degree.

    Unscored profiles in a scored map get the smallest size rather than a size on another
    scale.
    """
    scored = [node.score for node in nodes if node.score is not None]
    if scored:
        # Area, not radius, grows with the score (square root), so a power-law score does
        # not shrink everyone but the top few to dots.
        floor = math.sqrt(max(min(scored), 0.0))
        return {
            node.id: math.sqrt(max(node.score, 0.0)) if node.score is not None else floor
            for node in nodes
        }
    if any(node.followers for node in nodes):
        return {node.id: math.sqrt(node.followers) for node in nodes}
    return {node.id: float(node.degree) for node in nodes}


def edge_options(edge: Edge) -> dict[str, Any]:
    """vis-network options of a link: colour, dashes, width (mentions: by count), tooltip."""
    if edge.type == "SAME_AS":
        status = edge.status or "candidate"
        style = SAME_AS_STYLES.get(status, SAME_AS_STYLES["candidate"])
        probability = "?" if edge.probability is None else f"{edge.probability:.2f}"
        return {
            "color": style["color"],
            "dashes": style["dashes"],
            "width": style["width"],
            "label": f"{probability} {status}",
            "title": f"same as? probability {probability}, {status}",
            "font": {"size": 11, "color": style["color"], "strokeWidth": 3},
            "arrows": "",
        }
    style = LINK_STYLES.get(edge.type, {"color": OTHER_COLOUR, "dashes": False, "label": edge.type})
    options: dict[str, Any] = {
        "color": style["color"],
        "dashes": style["dashes"],
        "title": style["label"],
        "width": 1,
        "arrows": "to",
    }
    if edge.type == "MENTIONED":
        options["width"] = round(min(1 + 2 * math.log2(max(edge.count, 1)), 12), 2)
        options["title"] = f"mentioned {edge.count:,} time{'s' if edge.count != 1 else ''}"
    elif edge.type == "PART_OF":
        options["width"] = 2
    elif edge.count > 1:
        # links merged when a person's accounts (or an account's posts) became one node
        options["title"] = f"{style['label']} ×{edge.count:,}"
        options["width"] = round(min(1 + 2 * math.log2(edge.count), 12), 2)
    return options
