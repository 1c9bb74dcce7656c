"""Every map kind in headless Chromium with the network blocked to localhost: nothing is
fetched from outside, the canvas really draws the nodes, and the XSS payloads ingested into
names, bios, post text and a brand name never run or become elements."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from bench.browser import BrowserPage, open_page, wait_for_map
from srm.viz import build, render
from srm.viz.maps import MapSpec
from tests.viz_graph import EVIL_KEY, graph_fixture  # noqa: F401 - provides `graph`

INJECTED = "#injected-img, #injected-b, #injected-brand, img[src='x'], a[href^='javascript:']"

# Count of canvas pixels that are not the white background, read in the page.
NON_BACKGROUND_PIXELS = """() => {
  const canvas = document.querySelector('#map canvas');
  const context = canvas.getContext('2d');
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let count = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i + 3] > 0 && (pixels[i] < 235 || pixels[i + 1] < 235 || pixels[i + 2] < 235)) {
      count++;
    }
  }
  return count;
}"""


def _maps(graph: Driver) -> dict[str, MapSpec]:
    return {
        "ego": build.ego(graph, profile_key=EVIL_KEY, hops=2),
        "communities": build.communities(graph),
        "influencers": build.influencers(graph, top=10),
        "audience": build.audience(graph),
        "identity": build.identity(graph, person_id="P-evil"),
        "identity-collapsed": build.identity(graph, person_id="P-alice", collapsed=True),
        "cascade": build.cascade(graph, post_key="x:p1"),
    }


def _open(browser: BrowserPage, path: Path) -> None:
    browser.page.goto(path.as_uri())
    wait_for_map(browser.page)


def _hover_node(browser: BrowserPage, node_id: str) -> str:
    """Move the mouse onto a node and return the tooltip's text (waits for it)."""
    point = browser.page.evaluate(
        """(id) => {
          const network = window.srmMap.network;
          const dom = network.canvasToDOM(network.getPositions([id])[id]);
          const box = document.getElementById('map').getBoundingClientRect();
          return {x: box.left + dom.x, y: box.top + dom.y};
        }""",
        node_id,
    )
    browser.page.mouse.move(point["x"] + 40, point["y"] + 40)
    browser.page.mouse.move(point["x"], point["y"], steps=4)
    tooltip = browser.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=10_000)
    assert tooltip is not None
    return tooltip.inner_text()


def test_every_map_kind_draws_offline_and_ignores_payloads(
    graph: Driver, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    shots = tmp_path / "screenshots"
    with open_page() as browser:
        for kind, spec in _maps(graph).items():
            path = render.write_map(spec, tmp_path / f"{kind}.html")
            _open(browser, path)
            positions = browser.page.evaluate(
                "() => Object.keys(window.srmMap.network.getPositions()).length"
            )
            assert positions == len(spec.nodes), kind
            assert browser.page.evaluate(NON_BACKGROUND_PIXELS) > 500, f"{kind}: blank canvas"
            assert browser.page.query_selector(INJECTED) is None, kind
            assert browser.page.evaluate("document.scripts.length") == 3, kind
            assert browser.page.title() == spec.title
            browser.page.screenshot(path=str(shots / f"{kind}.png"))
            assert (shots / f"{kind}.png").stat().st_size > 10_000
        assert browser.blocked_requests == []
        assert browser.dialogs == []
        assert browser.console_errors == []


def test_tooltips_show_payloads_as_text(graph: Driver, tmp_path: Path) -> None:
    path = render.write_map(build.ego(graph, profile_key=EVIL_KEY), tmp_path / "ego.html")
    with open_page() as browser:
        _open(browser, path)
        text = _hover_node(browser, f"profile:{EVIL_KEY}")
        assert "<script>alert('name')</script>" in text
        assert '<img src=x onerror="alert(\'bio\')" id="injected-img">' in text
        # innerText turns line breaks into <br>; nothing else may appear inside.
        tags = browser.page.evaluate(
            "[...document.querySelector('div.vis-tooltip').children].map(c => c.tagName)"
        )
        assert set(tags) <= {"BR"}
        assert browser.page.query_selector(INJECTED) is None
        assert browser.dialogs == []
        assert browser.blocked_requests == []


def test_large_map_opens_without_physics(tmp_path: Path) -> None:
    from srm.viz.data import Edge, Node, Subgraph
    from srm.viz.maps import communities_map

    count = render.PHYSICS_LIMIT * 2
    nodes = {
        f"profile:x:{n}": Node(
            id=f"profile:x:{n}", kind="profile", community=str(n % 6), score=1.0 / (n + 1)
        )
        for n in range(count)
    }
    edges = [
        Edge(f"profile:x:{n}", f"profile:x:{(n * 7 + 1) % count}", "FOLLOWS") for n in range(count)
    ]
    path = render.write_map(
        communities_map(Subgraph(nodes=nodes, edges=edges)), tmp_path / "big.html"
    )
    with open_page() as browser:
        _open(browser, path)
        assert browser.page.evaluate("window.srmMap.stabilized") is True
        assert browser.page.evaluate(NON_BACKGROUND_PIXELS) > 2000
        assert "physics off" in browser.page.inner_text("header")
        assert browser.blocked_requests == []
