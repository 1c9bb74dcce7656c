"""The page every map is drawn in: one self-contained HTML file.

vis-network's script and stylesheet are inlined (nothing is fetched, so the page works
with no network), the map's data travels as JSON in a non-executed script element, and a
Content-Security-Policy allows only the page's own scripts (by hash) and no connections.
The template is rendered by Jinja with autoescaping on: titles, legends and notes are text.
"""

from __future__ import annotations

__all__ = ["BOOT_SCRIPT", "PAGE_CSS", "PAGE_TEMPLATE"]

PAGE_CSS = """
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: #222; background: #fff; }
header { padding: 8px 16px; border-bottom: 1px solid #ddd; }
header h1 { font-size: 18px; margin: 0; }
header p { margin: 2px 0 0; color: #555; }
main { display: flex; height: calc(100vh - 60px); }
#map { flex: 1; min-width: 0; height: 100%; }
aside { width: 290px; overflow-y: auto; padding: 8px 12px; border-left: 1px solid #ddd; }
aside h2 { font-size: 14px; margin: 8px 0 4px; }
aside ul { list-style: none; padding: 0; margin: 0; }
aside li { margin: 3px 0; display: flex; gap: 6px; align-items: center; }
.swatch { flex: none; display: inline-block; width: 12px; height: 12px; border-radius: 50%; }
.swatch.line { height: 3px; width: 18px; border-radius: 0; }
.swatch.dashed { height: 0; width: 18px; border-radius: 0; border-top: 3px dashed; }
.note { background: #fff7e0; border: 1px solid #f0d48a; padding: 6px; margin: 6px 0; }
div.vis-tooltip { white-space: pre-line; max-width: 360px; font: 13px/1.35 system-ui; }
"""

# Reads the data, draws it, and tells tests and people when the first frame is on screen
# (window.srmMap.firstDrawMs). With physics on, the layout settles once and then stops so
# the page does not keep the CPU busy.
BOOT_SCRIPT = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("map");
  var state = { drawn: false, firstDrawMs: null, stabilized: !data.options.physics.enabled };
  window.srmMap = state;
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  state.network = network;
  network.once("afterDrawing", function () {
    state.drawn = true;
    state.firstDrawMs = performance.now();
    document.body.setAttribute("data-drawn", "true");
  });
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });
    state.stabilized = true;
  });
})();
"""

PAGE_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>{{ vis_css | safe }}</style>
<style>{{ page_css | safe }}</style>
<script>{{ vis_js | safe }}</script>
</head>
<body data-map-kind="{{ kind }}">
<header>
<h1>{{ title }}</h1>
<p>{{ summary }}{% if views %} · <span id="views">View:{% for view in views %}
{% if view.current %}<strong>{{ view.label }}</strong>{% else %}<a
 href="{{ view.href }}">{{ view.label }}</a>{% endif %}{% endfor %}</span>{% endif %}</p>
</header>
<main>
<div id="map"></div>
<aside>
{% for note in notes %}<p class="note">{{ note }}</p>
{% endfor %}
<h2>Legend</h2>
<ul>
{% for entry in legend %}<li><span class="swatch {{ entry.swatch }}"
 style="{{ entry.style }}"></span>{{ entry.text }}</li>
{% endfor %}
</ul>
<p>Hover a node or link for details; scroll to zoom, drag to move.</p>
</aside>
</main>
<script type="application/json" id="map-data">{{ data_json | safe }}</script>
<script>{{ boot_js | safe }}</script>
</body>
</html>
"""
