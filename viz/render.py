"""Turn a :class:`~srm.viz.maps.MapSpec` into one self-contained, offline, safe HTML page.

pyvis assembles the vis-network nodes, edges and options; the page itself comes from SRM's
own template (srm.viz.page) because pyvis's templates link scripts and stylesheets on CDNs
and insert headings and some tooltips as raw HTML. vis-network's files are the ones that
ship inside the pyvis package, inlined. Above :data:`PHYSICS_LIMIT` nodes the layout is
computed here (Fruchterman & Reingold 1991, igraph) and the browser's physics stays off,
so a large map opens without freezing the page.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import random
from functools import lru_cache
from pathlib import Path
from typing import Any

import igraph
import pyvis
from jinja2 import Environment, select_autoescape
from pyvis.network import Network

from srm.errors import ConfigurationError
from srm.viz.maps import MapSpec
from srm.viz.page import BOOT_SCRIPT, PAGE_CSS, PAGE_TEMPLATE

__all__ = [
    "PHYSICS_LIMIT",
    "build_network",
    "layout_positions",
    "map_csp",
    "render_html",
    "write_map",
]

PHYSICS_LIMIT = 300
VIS_VERSION = "9.1.2"
_LAYOUT_SEED = 7


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's script and stylesheet from the installed pyvis package."""
    folder = Path(pyvis.__file__).parent / "lib" / f"vis-{VIS_VERSION}"
    try:
        script = (folder / "vis-network.min.js").read_text(encoding="utf-8")
        stylesheet = (folder / "vis-network.css").read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigurationError(
            f"vis-network {VIS_VERSION} is missing from the pyvis package at {folder}; "
            "reinstall SRM's dependencies (pip install -e .)."
        ) from error
    # Inlined verbatim, so they must not be able to close their own element.
    if "</script" in script.lower() or "</style" in stylesheet.lower():
        raise ConfigurationError(f"vis-network files at {folder} cannot be inlined safely.")
    return script, stylesheet


def _script_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _json_for_script(value: Any) -> str:
    """JSON that cannot end its <script> element or open markup: <, >, & and the JS line
    separators become \\u escapes (still the same JSON)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def layout_positions(
    node_ids: list[str], edges: list[tuple[str, str]], *, seed: int = _LAYOUT_SEED
) -> dict[str, tuple[float, float]]:
    """Seeded Fruchterman–Reingold positions in pixels (igraph), about 45 px per node."""
    index = {node_id: position for position, node_id in enumerate(node_ids)}
    graph = igraph.Graph(
        n=len(node_ids),
        edges=[(index[a], index[b]) for a, b in edges if a in index and b in index and a != b],
    )
    generator = random.Random(seed)  # noqa: S311 - a layout seed, not a secret
    start = [[generator.uniform(-1, 1), generator.uniform(-1, 1)] for _ in node_ids]
    # Fewer iterations on big graphs keep the build in seconds; the layout barely moves
    # after ~150 rounds from a random start.
    iterations = 300 if len(node_ids) <= 1000 else 150
    coords = graph.layout_fruchterman_reingold(seed=start, niter=iterations).coords
    if not coords:
        return {}
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    left, top = min(xs), min(ys)
    span = max(max(xs) - left, max(ys) - top, 1e-9)
    scale = 45 * math.sqrt(len(node_ids)) / span
    return {
        node_id: (round((x - left) * scale, 1), round((y - top) * scale, 1))
        for node_id, (x, y) in zip(node_ids, coords, strict=True)
    }


def _options(spec: MapSpec, physics: bool) -> dict[str, Any]:
    large = len(spec.nodes) > PHYSICS_LIMIT
    return {
        "autoResize": True,
        "nodes": {
            "scaling": {"min": 6, "max": 36, "label": {"enabled": False}},
            "font": {"size": 13, "strokeWidth": 3, "strokeColor": "#ffffff"},
            "borderWidth": 1,
        },
        "edges": {
            "smooth": False if large or not physics else {"type": "continuous"},
            "arrows": {"to": {"scaleFactor": 0.45}},
            "color": {"inherit": False, "opacity": 0.7},
            "selectionWidth": 2,
        },
        "interaction": {
            "hover": not large,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "keyboard": False,
        },
        "layout": {"improvedLayout": not large and physics, "randomSeed": _LAYOUT_SEED},
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90},
            "stabilization": {"enabled": True, "iterations": 250, "fit": True},
        },
    }


def build_network(spec: MapSpec) -> Network:
    """A pyvis Network holding the map's nodes, edges and vis-network options.

    Physics runs in the browser only for maps up to :data:`PHYSICS_LIMIT` nodes without
    preset positions; larger ones get positions from :func:`layout_positions`.
    """
    physics = not spec.positioned and len(spec.nodes) <= PHYSICS_LIMIT
    positions: dict[str, tuple[float, float]] = {}
    if not physics and not spec.positioned:
        positions = layout_positions(
            [node["id"] for node in spec.nodes],
            [(edge["from"], edge["to"]) for edge in spec.edges],
        )
    network = Network(directed=True, cdn_resources="in_line")
    for node in spec.nodes:
        options = {key: value for key, value in node.items() if key not in ("id", "label")}
        if node["id"] in positions:
            options["x"], options["y"] = positions[node["id"]]
        if not physics:
            options["physics"] = False
        # pyvis replaces an empty label by the node id; a space draws nothing.
        network.add_node(node["id"], label=node["label"] or " ", **options)
    for edge in spec.edges:
        options = {key: value for key, value in edge.items() if key not in ("from", "to")}
        network.add_edge(edge["from"], edge["to"], **options)
    network.options = _options(spec, physics)
    return network


def _legend_style(colour: str, swatch: str) -> str:
    return f"border-color: {colour}" if swatch == "dashed" else f"background: {colour}"


@lru_cache(maxsize=1)
def map_csp() -> str:
    """The Content-Security-Policy of every map page: its two inline scripts by hash,
    inline styles, data: images, no connections. Servers send it as a header too."""
    vis_js, _ = _vis_assets()
    return (
        "default-src 'none'; "
        f"script-src {_script_hash(vis_js)} {_script_hash(BOOT_SCRIPT)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'; "
        "base-uri 'none'; form-action 'none'; frame-src 'none'; object-src 'none'"
    )


def render_html(spec: MapSpec) -> str:
    """The map as one HTML page with everything inlined (see srm.viz.page)."""
    network = build_network(spec)
    nodes, edges, _, _, _, options = network.get_network_data()
    vis_js, vis_css = _vis_assets()
    csp = map_csp()
    environment = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    summary = f"{len(nodes):,} nodes, {len(edges):,} links"
    if not spec.positioned and not network.options["physics"]["enabled"]:
        summary += f" · layout precomputed (physics off above {PHYSICS_LIMIT} nodes)"
    return environment.from_string(PAGE_TEMPLATE).render(
        csp=csp,
        title=spec.title,
        kind=spec.kind,
        summary=summary,
        notes=spec.notes,
        views=[
            {"label": label, "href": href, "current": current}
            for label, href, current in spec.views
        ],
        legend=[
            {
                "text": entry.text,
                "swatch": entry.swatch,
                "style": _legend_style(entry.colour, entry.swatch),
            }
            for entry in spec.legend
        ],
        vis_js=vis_js,
        vis_css=vis_css,
        page_css=PAGE_CSS,
        boot_js=BOOT_SCRIPT,
        data_json=_json_for_script(
            {"nodes": nodes, "edges": edges, "options": json.loads(options)}
        ),
    )


def write_map(spec: MapSpec, path: Path | str) -> Path:
    """Render ``spec`` and write it to ``path`` (folders created); returns the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_html(spec), encoding="utf-8")
    return target
