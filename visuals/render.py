"""Writing a :class:`~graphmodel.visuals.views.View` as one self-contained HTML page.

The network is built with pyvis (its ``Network`` holds the nodes, edges and
options), then rendered with this package's own jinja2 template, which
inlines every script and style: vis-network (``assets/vis-network.min.js``,
the standalone build), the controls (``assets/view.js``) and the page's
stylesheet (``assets/view.css``). pyvis's own templates link Bootstrap and
vis-network from CDNs even with ``cdn_resources="in_line"``, and a board
room often has no network.

Positions are computed here, with igraph's Fruchterman-Reingold layout
(seeded, so the same data gives the same picture), and the page opens with
physics off: the first frame is the stable one, and nothing moves unless a
person drags it (small views first relax the layout for a bounded number of
steps). A bounded 100 steps of in-browser physics took 28 s at 5,000 nodes;
igraph lays them out in about a second (bench/README.md, docs/views.md).
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import igraph
import jinja2
from pyvis.network import Network

from graphmodel.errors import GraphModelError

from .palette import EDGE_COLOUR, NODE_STYLES, TYPE_NAMES
from .views import LABELS, GraphData, View

#: The vendored vis-network build (assets/README.md).
VIS_NETWORK_VERSION = "10.1.5"

#: Above this many nodes edges hide while dragging or zooming, to keep the page responsive.
QUICK_INTERACTION_NODES = 1_000

#: Views of at most this many nodes relax their layout in the browser (physics,
#: RELAX_ITERATIONS steps, then off): the example's 55-node gaps view is stable
#: after 0.8 s, its whole 140-node network after 1.3-2.1 s in headless Chromium.
RELAX_NODES = 300
RELAX_ITERATIONS = 150

#: Longest label drawn on a node; the tooltip has the whole name.
LABEL_LENGTH = 32


@cache
def _asset(name: str) -> str:
    return files("graphmodel.visuals").joinpath("assets", name).read_text(encoding="utf-8")


def vis_network_script() -> str:
    """The vis-network build, without its source-map comment (no file the page lacks)."""
    script = _asset("vis-network.min.js")
    marker = script.rfind("//# sourceMappingURL=")
    return script[:marker] if marker >= 0 else script


@cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("graphmodel.visuals", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return environment.get_template("view.html.j2")


#: Pixels per node along the side of a component's square drawing.
NODE_SPACING = 100.0


def _component_layout(graph: igraph.Graph) -> list[tuple[float, float]]:
    """One connected component laid out in a square of side growing with sqrt(nodes)."""
    if graph.vcount() == 1:
        return [(0.0, 0.0)]
    coords = graph.layout_fruchterman_reingold(niter=500).coords
    xs = [x for x, _ in coords]
    ys = [y for _, y in coords]
    left, top = min(xs), min(ys)
    span = max(max(xs) - left, max(ys) - top) or 1.0
    scale = NODE_SPACING * math.sqrt(graph.vcount()) / span
    return [((x - left) * scale, (y - top) * scale) for x, y in coords]


def layout(
    ids: list[str], pairs: list[tuple[str, str]], seed: int = 7
) -> dict[str, tuple[float, float]]:
    """Positions for the nodes, in canvas pixels, from igraph's Fruchterman-Reingold layout.

    Each connected component is laid out on its own, the largest first, and
    the others are packed in rows below it, so a few unconnected nodes do
    not push the rest into a corner. The layout is seeded (igraph draws from
    the ``random.Random`` given to it), so the same view always gets the
    same picture.

    Example
    -------
    >>> positions = layout(["a", "b", "c"], [("a", "b")])
    >>> sorted(positions) == ["a", "b", "c"] and positions["c"][1] > positions["a"][1]
    True
    """
    if not ids:
        return {}
    index = {node: number for number, node in enumerate(ids)}
    graph = igraph.Graph(n=len(ids), edges=[(index[a], index[b]) for a, b in pairs])
    components = sorted(graph.connected_components(), key=lambda members: (-len(members), members))
    positions: dict[str, tuple[float, float]] = {}
    igraph.set_random_number_generator(random.Random(seed))
    try:
        drawn = [(members, _component_layout(graph.subgraph(members))) for members in components]
    finally:
        igraph.set_random_number_generator(random)
    gap = NODE_SPACING
    row_width = max(NODE_SPACING * 8, max(x for x, _ in drawn[0][1]))
    left = top = row_height = 0.0
    for number, (members, coords) in enumerate(drawn):
        width = max(x for x, _ in coords)
        height = max(y for _, y in coords)
        if number == 1 or (left > 0 and left + width > row_width):  # a new row
            left, top, row_height = 0.0, top + row_height + gap, 0.0
        for member, (x, y) in zip(members, coords, strict=True):
            positions[ids[member]] = (round(left + x, 1), round(top + y, 1))
        left += width + gap
        row_height = max(row_height, height)
    return positions


def _short(text: str) -> str:
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1].rstrip() + "\u2026"


def _network(view: View, graph: GraphData) -> Network:
    """The view as a pyvis ``Network``: nodes and edges filled directly, options last.

    ``add_node``/``add_edge`` scan their lists on every call (quadratic: 5 s
    at 5,000 nodes), so the lists are assigned whole; the options dict is
    assigned as the last step (``set_options`` would strip the spaces from
    every string in it).
    """
    ids = [node.id for node in view.nodes]
    positions = layout(ids, [(e.source, e.target) for e in view.edges])
    degree: Counter[str] = Counter()
    for edge in view.edges:
        degree.update((edge.source, edge.target))
    biggest = max(degree.values(), default=1)
    marks = {mark.key: mark for mark in view.marks}
    nodes: list[dict[str, Any]] = []
    for node in view.nodes:
        label = graph.label(node.id)
        name = graph.name(node.id)
        header = [name, f"{label} \u00b7 {node.id}"]
        item: dict[str, Any] = {
            "id": node.id,
            "label": _short(name),
            "name": name,
            "group": label,
            "type": label,
            "title": "\n".join([*header, *node.notes, *graph.details(node.id)]),
            "value": biggest if node.id in view.anchors else degree[node.id] + 1,
            "x": positions[node.id][0],
            "y": positions[node.id][1],
        }
        mark = marks.get(node.mark or "")
        if mark is not None:
            item["borderWidth"] = 4
            item["borderWidthSelected"] = 5
            item["color"] = {
                "background": NODE_STYLES[label].colour,
                "border": mark.colour,
                "highlight": {"background": NODE_STYLES[label].colour, "border": mark.colour},
                "hover": {"background": NODE_STYLES[label].colour, "border": mark.colour},
            }
            item["mark"] = mark.key
        nodes.append(item)
    edges: list[dict[str, Any]] = []
    for number, edge in enumerate(view.edges):
        # The page writes each edge's tooltip from its type and its ends' names
        # (assets/view.js), which keeps a large page small; only the lines an
        # edge adds to that travel with it.
        item = {
            "id": number,
            "from": edge.source,
            "to": edge.target,
            "type": edge.type,
        }
        detail = [f"{key}: {value}" for key, value in edge.properties.items()] + list(edge.notes)
        if detail:
            item["detail"] = "\n".join(detail)
        if edge.width != 1.0:
            item["width"] = round(edge.width, 2)
        if edge.text:
            item["label"] = edge.text
        if not edge.directed:
            item["arrows"] = {"to": {"enabled": False}}
        mark = marks.get(edge.mark or "")
        if mark is not None:
            item["color"] = {"color": mark.colour, "highlight": mark.colour, "hover": mark.colour}
            item["mark"] = mark.key
            if mark.dashes:
                item["dashes"] = True
        edges.append(item)
    network = Network(directed=True, height="100%", width="100%", heading=view.title)
    network.nodes = nodes
    network.edges = edges
    network.options = _options(len(nodes))
    return network


def _options(node_count: int) -> dict[str, Any]:
    quick = node_count > QUICK_INTERACTION_NODES
    relax = node_count <= RELAX_NODES
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False, "randomSeed": 7},
        # Positions come from the layout above. A small view relaxes it for a
        # bounded number of steps (spreading crowded nodes apart), then the
        # page turns physics off (assets/view.js); a large one never simulates.
        "physics": {
            "enabled": relax,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -6000,
                "springLength": 140,
                "springConstant": 0.03,
                "avoidOverlap": 0.8,
                "damping": 0.3,
            },
            "stabilization": {
                "enabled": relax,
                "iterations": RELAX_ITERATIONS,
                "updateInterval": 50,
                "fit": True,
            },
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": quick,
            "hideEdgesOnZoom": quick,
            "multiselect": False,
            "navigationButtons": False,
        },
        "nodes": {
            "borderWidth": 1,
            "borderWidthSelected": 3,
            "font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3},
            "scaling": {
                "min": 8,
                "max": 34,
                # Label size follows the node's: when zoomed out only the labels of
                # the well-connected nodes are drawn; zooming in shows the rest.
                "label": {"enabled": True, "min": 12, "max": 20, "drawThreshold": 9},
            },
        },
        "edges": {
            "smooth": False,
            # Arrow heads on tens of thousands of edges cost more than the lines;
            # a large view leaves them out (each tooltip still says which way).
            "arrows": {"to": {"enabled": not quick, "scaleFactor": 0.45}},
            "color": {
                "color": EDGE_COLOUR,
                "highlight": "#222222",
                "hover": "#222222",
                "opacity": 0.45 if quick else 0.8,
            },
            "width": 1,
            "hoverWidth": 0.8,
            "selectionWidth": 1.5,
            "font": {"size": 12, "align": "top", "strokeWidth": 4, "color": "#333333"},
        },
        # A selected or hovered node keeps its colour and gets a dark border.
        "groups": {
            label: {
                "shape": style.shape,
                "color": {
                    "background": style.colour,
                    "border": style.colour,
                    "highlight": {"background": style.colour, "border": "#111111"},
                    "hover": {"background": style.colour, "border": "#111111"},
                },
            }
            for label, style in NODE_STYLES.items()
        },
    }


def _json_for_script(value: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` appears raw."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def view_html(view: View, graph: GraphData, name: str = "view") -> str:
    """The page for ``view``: one HTML document with every script and style inlined.

    ``name`` names the PNG the page's "Save as PNG" button downloads.
    """
    network = _network(view, graph)
    nodes, edges, heading, _height, _width, options = network.get_network_data()
    type_counts = Counter(node["type"] for node in nodes)
    types = [
        {
            "label": label,
            "name": TYPE_NAMES[label],
            "count": type_counts[label],
            "colour": NODE_STYLES[label].colour,
            "shape": NODE_STYLES[label].shape,
        }
        for label in LABELS
        if type_counts[label]
    ]
    edge_counts = Counter(edge["type"] for edge in edges)
    dashed = {edge["type"] for edge in edges if edge.get("dashes")}
    relationships = [
        {"type": kind, "count": count, "dashes": kind in dashed}
        for kind, count in sorted(edge_counts.items())
    ]
    data = {
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options),
        "selected": view.selected,
        "filename": name,
    }
    return _template().render(
        title=heading,
        description=view.description,
        notes=view.notes,
        types=types,
        relationships=relationships,
        marks=[mark for mark in view.marks if _used(mark.key, nodes, edges)],
        node_count=len(nodes),
        edge_count=len(edges),
        data_json=_json_for_script(data),
        vis_network=vis_network_script(),
        vis_network_version=VIS_NETWORK_VERSION,
        view_js=_asset("view.js"),
        view_css=_asset("view.css"),
    )


def _used(key: str, nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> bool:
    return any(item.get("mark") == key for item in (*nodes, *edges))


def write_view(view: View, graph: GraphData, out: Path) -> None:
    """Write :func:`view_html` to ``out`` as UTF-8.

    Raises
    ------
    GraphModelError
        When the file cannot be written (a missing folder, no permission).
    """
    page = view_html(view, graph, name=out.stem)
    try:
        out.write_text(page, encoding="utf-8")
    except OSError as error:
        raise GraphModelError(f"cannot write {out}: {error.strerror or error}") from None
