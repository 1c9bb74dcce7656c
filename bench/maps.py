"""Bench: a 2,000-node community map — build time, page size, time to first draw in
headless Chromium (network blocked), and a redraw after zooming (is the page responsive?).

Synthetic, seeded data (planted communities, power-law scores) goes straight into the map
builder, so the numbers are those of srm.viz alone, without Neo4j. ``--screenshot PATH``
also saves a picture of a smaller map (used for docs/map-communities.png).

    python -m bench.maps [--nodes 2000] [--screenshot docs/map-communities.png]

The last line printed is JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from bench.browser import open_page, wait_for_map
from srm.viz import render
from srm.viz.data import Edge, Node, Subgraph
from srm.viz.maps import communities_map

WORDS = (
    "coffee",
    "roast",
    "brew",
    "latte",
    "bean",
    "espresso",
    "barista",
    "cup",
    "mocha",
    "arabica",
    "grind",
    "pour",
    "filter",
    "crema",
    "cold",
    "drip",
    "origin",
    "aroma",
)
ZOOM_REDRAW = """() => new Promise((resolve) => {
  const network = window.srmMap.network;
  const started = performance.now();
  network.once("afterDrawing", () => resolve(performance.now() - started));
  network.moveTo({ scale: 1.6 });
})"""


def synthetic(nodes: int, communities: int, seed: int = 42) -> Subgraph:
    """Planted communities: ~4 links inside a node's community and ~0.4 outside, per node;
    influence scores follow a power law (a few large, many small)."""
    generator = random.Random(seed)
    graph = Subgraph(run_id="bench")
    for index in range(nodes):
        handle = f"{generator.choice(WORDS)}_{generator.choice(WORDS)}{index}"
        node_id = f"profile:x:{index}"
        graph.nodes[node_id] = Node(
            id=node_id,
            kind="profile",
            props={
                "handle": handle,
                "display_name": handle.replace("_", " ").title(),
                "platform": "x",
                "bio": "synthetic profile for the map bench",
            },
            score=generator.paretovariate(1.6) / 100,
            followers=int(generator.paretovariate(1.2) * 50),
            community=str(index % communities),
        )
    members: dict[str, list[str]] = {}
    for node in graph.nodes.values():
        members.setdefault(node.community or "", []).append(node.id)
    ids = list(graph.nodes)
    for node in graph.nodes.values():
        for _ in range(4):
            graph.edges.append(
                Edge(node.id, generator.choice(members[node.community or ""]), "FOLLOWS")
            )
        if generator.random() < 0.4:
            graph.edges.append(
                Edge(node.id, generator.choice(ids), "MENTIONED", count=generator.randint(1, 9))
            )
    graph.edges = [edge for edge in graph.edges if edge.source != edge.target]
    return graph


def measure(nodes: int, communities: int, folder: Path) -> dict[str, float | int]:
    graph = synthetic(nodes, communities)
    started = time.perf_counter()
    spec = communities_map(graph)
    page = render.render_html(spec)
    build_s = time.perf_counter() - started
    path = folder / "bench-communities.html"
    path.write_text(page, encoding="utf-8")
    with open_page() as browser:
        opened = time.perf_counter()
        browser.page.goto(path.as_uri())
        wait_for_map(browser.page, timeout_s=120)
        open_to_drawn_ms = (time.perf_counter() - opened) * 1000
        first_draw_ms = browser.page.evaluate("window.srmMap.firstDrawMs")
        redraw_ms = browser.page.evaluate(ZOOM_REDRAW)
        blocked = len(browser.blocked_requests)
    return {
        "nodes": len(spec.nodes),
        "edges": len(spec.edges),
        "build_s": round(build_s, 3),
        "html_bytes": len(page.encode("utf-8")),
        "first_draw_ms": round(first_draw_ms, 1),
        "open_to_drawn_ms": round(open_to_drawn_ms, 1),
        "zoom_redraw_ms": round(redraw_ms, 1),
        "blocked_requests": blocked,
    }


def screenshot(path: Path, folder: Path) -> None:
    """A 240-node map (physics layout) as a picture for the docs."""
    spec = communities_map(synthetic(240, 6, seed=7))
    page_path = render.write_map(spec, folder / "screenshot.html")
    with open_page(viewport=(1400, 900)) as browser:
        browser.page.goto(page_path.as_uri())
        wait_for_map(browser.page, "stabilized")
        browser.page.wait_for_timeout(300)
        path.parent.mkdir(parents=True, exist_ok=True)
        browser.page.screenshot(path=str(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--communities", type=int, default=20)
    parser.add_argument("--screenshot", type=Path, default=None)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if arguments.screenshot:
            screenshot(arguments.screenshot, Path(folder))
            print(f"screenshot: {arguments.screenshot}")
        result = measure(arguments.nodes, arguments.communities, Path(folder))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
