"""The picture in the strategist's hands, in Debian's Chromium: communities, dragging and the
layout's rerun, saved views that keep places and camera, presentation, PNG, SVG and slides.

The session's explorer of the example on each backend and its one browser; each test
opens the page afresh (its own storage). What reads the API (communities, the roll-up, the
deck) runs on both backends; the page's own behaviour on the embedded one.
"""

from __future__ import annotations

import io
import json
import struct
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytest
from explorer_browser import (
    ExplorerPage,
    Explorers,
    Served,
    axe_violations,
    downloaded,
    drawing_statistics,
)
from pptx import Presentation
from test_explorer_page import api

from graphmodel.marks import MARKS
from graphmodel.visuals.palette import COMMUNITY_COLOURS, community_colour

Opener = Callable[..., ExplorerPage]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module", params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def served(request: pytest.FixtureRequest, explorers: Explorers) -> Served:
    """The example, served from its folder or from the local Neo4j it was loaded into."""
    return explorers.example(request)


page_only = pytest.mark.parametrize("served", ["embedded"], indirect=True)


def save_view(opened: ExplorerPage, name: str) -> dict[str, Any]:
    opened.page.fill("#view-name", name)
    opened.page.press("#view-name", "Enter")
    views = json.loads(opened.js("localStorage.getItem('graphmodel.explorer.views')"))["views"]
    return next(view for view in views if view["name"] == name)


def settled(opened: ExplorerPage) -> float:
    """Wait for the camera to stop moving; its zoom ratio."""
    opened.wait("() => !graphmodelExplorer.sigma.getCamera().isAnimating()")
    return float(opened.js("graphmodelExplorer.sigma.getCamera().ratio"))


def drag(opened: ExplorerPage, node: str, dx: float, dy: float) -> None:
    x, y = opened.viewport_point(node)
    mouse = opened.page.mouse
    mouse.move(x, y)
    mouse.down()
    mouse.move(x + dx / 2, y + dy / 2, steps=4)
    mouse.move(x + dx, y + dy, steps=4)
    mouse.up()
    opened.idle()


# -- communities ----------------------------------------------------------------------------


def test_colour_by_community_with_named_areas(open_page: Opener, served: Served) -> None:
    opened = open_page(served)
    assert opened.page.is_checked("#colour-communities") is False
    opened.page.check("#colour-communities")
    opened.wait("() => graphmodelExplorer.state().includes('colour=community')")
    opened.idle()
    found = api(served, "/api/communities")["communities"]
    community_of = {member: c["id"] for c in found for member in c["members"]}
    colours = opened.js(
        "Object.fromEntries(graphmodelExplorer.graph.mapNodes((id, a) => [id, a.color]))"
    )
    assert colours and all(
        colours[node] == community_colour(community_of[node]) for node in colours
    )
    # Each community drawn is listed by name with how many of its nodes are drawn.
    items = opened.js(
        "Array.from(document.querySelectorAll('#community-legend li')).map(li => li.textContent)"
    )
    assert items == [f"{c['id']}. {c['name']} ({c['size']} of {c['size']} drawn)" for c in found]
    # The areas, and their names, in the layer under the nodes.
    areas = opened.js("graphmodelExplorer.communities.areas.map(a => [a.id, a.drawn])")
    assert sorted(areas) == sorted([c["id"], c["size"]] for c in found)
    painted = opened.js(
        """() => {
            const canvas = graphmodelExplorer.sigma.getContainer().querySelector('canvas');
            const layer = document.querySelector('.graph canvas');
            const context = layer.getContext('2d');
            const data = context.getImageData(0, 0, layer.width, layer.height).data;
            let coloured = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i] > 0) coloured += 1;
            return [layer === canvas, coloured / (layer.width * layer.height)];
        }"""
    )
    assert painted[0] is True  # the areas' layer comes first, under sigma's
    assert painted[1] > 0.05
    assert len(COMMUNITY_COLOURS) >= 8
    assert axe_violations(opened) == []
    # Unticked: every node back in its type's colour, no area.
    opened.page.uncheck("#colour-communities")
    opened.wait("() => !graphmodelExplorer.state().includes('colour=')")
    opened.idle()
    assert opened.js("graphmodelExplorer.communities.areas.length") == 0
    assert opened.page.is_hidden("#community-legend")


def test_the_overview_rolled_up_by_community(open_page: Opener, served: Served) -> None:
    opened = open_page(served, "max_nodes=20")
    opened.page.check("#roll-up-communities")
    opened.wait("() => graphmodelExplorer.state().includes('roll_up=community')")
    opened.idle()
    found = api(served, "/api/communities")["communities"]
    drawn = opened.drawn_nodes()
    groups = {f"group;Community;{c['id']}" for c in found if c["size"] > 1}
    singles = {c["members"][0] for c in found if c["size"] == 1}
    assert drawn == groups | singles
    assert opened.page.is_checked("#colour-communities") and opened.page.is_disabled(
        "#colour-communities"
    )
    rows = {row[0]: row for row in opened.table_rows()}
    assert rows["group;Community;1"][1].startswith(f"Community 1: {found[0]['name']}")
    # One line between two communities, standing for every relationship between them.
    pairs = [frozenset((source, target)) for source, _, target in opened.drawn_edges()]
    assert len(pairs) == len(set(pairs))
    overview = api(served, "/api/overview", max_nodes=20, roll_up="community")
    between = sum(
        r["properties"]["count"]
        for r in overview["relationships"]
        if {r["source"], r["target"]} == {"group;Community;1", "group;Community;2"}
    )
    captions = opened.js(
        "graphmodelExplorer.graph.edges().map(e => graphmodelExplorer.graph.getEdgeAttributes(e))"
        ".filter(a => [a.source, a.target].sort().join() === 'group;Community;1,group;Community;2')"
        ".map(a => a.caption)"
    )
    assert captions == [f"{between:,} relationships"]
    # A community opens into its members, where it was.
    opened.js("graphmodelExplorer.explorer.expandGroup('group;Community;2')")
    opened.idle()
    assert set(found[1]["members"]) <= opened.drawn_nodes()


# -- hands on the picture ----------------------------------------------------------------------


@page_only
def test_a_dragged_node_stays_and_a_saved_view_keeps_it_and_the_camera(
    open_page: Opener, served: Served
) -> None:
    opened = open_page(served)
    before = opened.positions()
    drag(opened, "p-teacher", 80, 50)
    moved = opened.positions()["p-teacher"]
    assert moved[0] > before["p-teacher"][0] and moved[1] < before["p-teacher"][1]  # y is up
    assert opened.page.inner_text("#layout-status") == "Moved “Teacher”."
    others = {k: v for k, v in opened.positions().items() if k != "p-teacher"}
    assert others == {k: v for k, v in before.items() if k != "p-teacher"}
    # Another update (choosing a node) keeps it where it was put.
    opened.page.click("#nodes-shown tbody tr:nth-child(3)")
    opened.idle()
    assert opened.positions()["p-teacher"] == pytest.approx(moved, abs=0.11)
    # Zoom in, save: the view keeps the camera, what was on screen, every node's place.
    ratio = settled(opened)
    opened.page.click("#zoom-in")
    time.sleep(0.1)
    zoomed = settled(opened)
    assert zoomed == pytest.approx(ratio / 1.6, abs=0.01)
    view = save_view(opened, "Teacher moved")
    assert view["camera"]["ratio"] == pytest.approx(zoomed, abs=0.001)
    assert view["positions"]["p-teacher"] == pytest.approx(list(moved), abs=0.11)
    assert set(view["positions"]) == opened.drawn_nodes()
    assert view["viewport"]["top"] > view["viewport"]["bottom"]
    # Back to the server's layout, camera reset: then the saved view brings both back.
    opened.page.click("#reset")
    opened.idle()
    assert opened.positions()["p-teacher"] == pytest.approx(before["p-teacher"])
    assert settled(opened) == pytest.approx(1)
    opened.page.click("#own-views .view-open")
    opened.wait("r => Math.abs(graphmodelExplorer.sigma.getCamera().ratio - r) < 0.002", zoomed)
    assert opened.positions()["p-teacher"] == pytest.approx(moved, abs=0.11)
    # Exported and read back by the server's own model: the same fields.
    from graphmodel.explore.saved_views import SavedViews

    text = opened.js("graphmodelExplorer.views.store.exportText()")
    exported = SavedViews.model_validate_json(text).views[0]
    assert exported.positions is not None and exported.camera is not None


@page_only
def test_move_the_chosen_node_without_dragging(open_page: Opener, served: Served) -> None:
    opened = open_page(served, "focus=p-teacher")
    assert opened.page.is_enabled("button[aria-label='Move the chosen node right']")
    settled(opened)  # the page centres the chosen node as it opens
    x, y = opened.viewport_point("p-teacher")
    opened.page.focus("button[aria-label='Move the chosen node right']")
    opened.page.keyboard.press("Enter")
    opened.page.keyboard.press("Enter")
    opened.page.click("button[aria-label='Move the chosen node up']")
    opened.idle()
    settled(opened)
    after = opened.viewport_point("p-teacher")
    assert after[0] - x == pytest.approx(48, abs=1.5)
    assert after[1] - y == pytest.approx(-24, abs=1.5)
    opened.page.click("#layout-reset")
    opened.idle()
    settled(opened)
    assert opened.viewport_point("p-teacher") == pytest.approx((x, y), abs=1.5)
    # No chosen node, nothing to move.
    opened2 = open_page(served)
    assert opened2.page.is_disabled("button[aria-label='Move the chosen node right']")


@page_only
def test_rerun_the_layout_of_what_is_drawn(open_page: Opener, served: Served) -> None:
    opened = open_page(served, "colour=community")
    before = opened.positions()
    box = [min(x for x, _ in before.values()), max(x for x, _ in before.values()),
           min(y for _, y in before.values()), max(y for _, y in before.values())]  # fmt: skip
    opened.page.click("#layout-run")
    opened.wait("() => document.getElementById('layout-run').textContent === 'Stop the layout'")
    opened.wait(
        "() => document.getElementById('layout-run').textContent === 'Rerun the layout'",
        timeout=60,
    )
    opened.idle()
    status = opened.page.inner_text("#layout-status")
    assert status.startswith("Laid out 148 nodes (") and "iterations of ForceAtlas2" in status
    after = opened.positions()
    moved = [node for node in after if after[node] != pytest.approx(before[node], abs=0.5)]
    assert len(moved) > 0.9 * len(after)
    # Scaled into the box the nodes filled: the frame stays.
    span = max(box[1] - box[0], box[3] - box[2])
    for x, y in after.values():
        assert box[0] - 0.01 * span <= x <= box[1] + 0.01 * span
        assert box[2] - 0.01 * span <= y <= box[3] + 0.01 * span
    # Communities pulled together: nodes are nearer their own community's others than before.
    found = api(served, "/api/communities")["communities"]

    def spread(places: dict[str, tuple[float, float]]) -> float:
        total = 0.0
        for community in found:
            points = [places[m] for m in community["members"]]
            cx = sum(p[0] for p in points) / len(points)
            cy = sum(p[1] for p in points) / len(points)
            total += sum(((p[0] - cx) ** 2 + (p[1] - cy) ** 2) ** 0.5 for p in points)
        return total

    assert spread(after) < 0.8 * spread(before)
    # The server's layout back, in one click.
    opened.page.click("#layout-reset")
    opened.idle()
    back = opened.positions()
    assert all(back[node] == pytest.approx(before[node]) for node in before)


# -- presentation and pictures -----------------------------------------------------------------


@page_only
def test_presentation_fills_the_screen_with_legend_summary_camera_and_places(
    open_page: Opener, served: Served
) -> None:
    opened = open_page(served, "overlay=gaps&profession=p-teacher")
    page = opened.page
    drag(opened, "p-teacher", -60, 40)
    moved = opened.positions()["p-teacher"]
    page.click("#zoom-in")
    time.sleep(0.1)
    zoomed = settled(opened)
    saved = save_view(opened, "Teachers' gaps")
    page.click("#reset")
    opened.idle()
    page.click("#present-views")
    opened.wait("() => document.getElementById('presentation-summary').textContent !== ''")
    opened.idle()
    assert (
        page.inner_text("#presentation-summary")
        == "4 gaps (1 below the level needed) and 7 covered, of 11 requirements."
    )
    assert page.is_hidden(".top-bar") and page.is_hidden(".controls")
    size = opened.js(
        "(() => { const b = document.getElementById('graph').getBoundingClientRect();"
        " return [b.width, b.height, innerWidth, innerHeight]; })()"
    )
    assert size[0] > 0.7 * size[2] and size[1] > 0.75 * size[3]
    legend = page.inner_text("#presentation-legend")
    assert "Node types" in legend and "Competencies" in legend
    assert "gap: a required competency no active training for the profession covers" in legend
    assert settled(opened) == pytest.approx(zoomed, abs=0.002)
    assert opened.positions()["p-teacher"] == pytest.approx(moved, abs=0.11)
    # Centred on what was on screen when saved, though the answer was laid out again
    # for the larger drawing; each block's title over its block's first node.
    middle = opened.js(
        "(() => { const s = graphmodelExplorer.sigma, d = s.getDimensions();"
        " const p = s.viewportToGraph({x: d.width / 2, y: d.height / 2}); return [p.x, p.y]; })()"
    )
    box = saved["viewport"]
    expected = [(box["left"] + box["right"]) / 2, (box["top"] + box["bottom"]) / 2]
    assert middle == pytest.approx(expected, abs=1)
    titles = opened.js(
        "[...document.querySelectorAll('.answer-block-title')]"
        ".map(b => [b.getBoundingClientRect().left, b.getBoundingClientRect().bottom])"
    )
    assert titles
    for x, bottom in titles:
        assert any(abs(x - px) < 20 and 0 < py - bottom < 36 for px, py in
                   (opened.viewport_point(node) for node in opened.drawn_nodes()))  # fmt: skip
    assert axe_violations(opened) == []
    opened.screenshot("explorer-presentation")
    page.keyboard.press("Escape")
    opened.idle()
    assert page.is_visible(".top-bar") and page.is_hidden("#presentation-legend")


@page_only
def test_png_and_svg_carry_title_legend_caption_source_and_date(
    open_page: Opener, served: Served, browser: Any
) -> None:
    opened = open_page(served, "overlay=gaps&profession=p-teacher&colour=community")
    width, height = opened.js("[graphmodelExplorer.sigma.getDimensions().width,"
                              " graphmodelExplorer.sigma.getDimensions().height]")  # fmt: skip
    name, png = downloaded(opened, "#export-png", timeout_ms=120_000)
    assert name == "graphmodel-view.png"
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    png_width, png_height = struct.unpack(">II", png[16:24])
    assert png_width == 2 * (width + 270)  # the drawing and the legend, twice the size
    assert png_height > 2 * height  # with the title above and the caption below
    assert "pixels, with its title, legend and caption" in opened.page.inner_text("#export-status")
    red = MARKS["gap"].fill
    assert red is not None
    stats = drawing_statistics(browser, png, [red], "#ffffff")  # the gaps' colour
    assert stats["near"][red] > 200
    name, svg = downloaded(opened, "#export-svg", timeout_ms=120_000)
    assert name == "graphmodel-view.svg"
    root = ET.fromstring(svg)
    texts = [element.text or "" for element in root.iter(f"{SVG}text")]
    assert texts[0] == "Gaps of Teacher"
    assert {"Node types", "Marks", "Communities (areas)"} <= set(texts)
    assert "4 gaps (1 below the level needed) and 7 covered, of 11 requirements." in texts
    date = opened.js("new Date().toISOString().slice(0, 10)")
    assert f"Source: examples/children-trust · {date} · graphmodel explorer" in texts
    # Each name drawn says the node's marks, as on screen (the answer view may shorten names).
    labels = opened.js(
        "[...graphmodelExplorer.sigma.getNodeDisplayedLabels()]"
        ".map(id => graphmodelExplorer.graph.getNodeAttribute(id, 'caption'))"
    )
    assert labels and set(labels) <= set(texts)
    assert any("[gap" in text for text in texts)
    # The answer view's block titles, as over the drawing on screen.
    on_screen = opened.js(
        "[...document.querySelectorAll('.answer-block-title')].map(b => b.textContent)"
    )
    assert on_screen and set(on_screen) <= set(texts)
    assert root.find(f"{SVG}title").text == "Gaps of Teacher"  # the picture's text alternative
    shapes = [e for e in root.iter() if e.tag in (f"{SVG}circle", f"{SVG}polygon")]
    assert len(shapes) >= len(opened.drawn_nodes())  # every node drawn (and the legend's)


@pytest.mark.parametrize("served", ["embedded"], indirect=True)
def test_the_slides_button_writes_one_slide_per_saved_view(
    open_page: Opener, served: Served
) -> None:
    opened = open_page(served, "overlay=gaps&profession=p-teacher")
    save_view(opened, "Teachers' gaps")
    opened.page.click("#reset")
    opened.idle()
    save_view(opened, "The whole network")
    name, data = downloaded(opened, "#export-slides", timeout_ms=120_000)
    assert name == "graphmodel-views.pptx"
    slides = list(Presentation(io.BytesIO(data)).slides)
    titles = [[s.text_frame.text for s in slide.shapes if s.has_text_frame][:2] for slide in slides]
    assert titles == [
        [
            "Teachers' gaps",
            "4 gaps (1 below the level needed) and 7 covered, of 11 requirements",
        ],
        ["The whole network", "148 nodes and 696 relationships drawn"],
    ]
    assert opened.page.inner_text("#export-status") == (
        "Saved 2 slides as graphmodel-views.pptx (one per saved view)."
    )


@page_only
def test_the_worker_is_the_pages_own_file(open_page: Opener, served: Served) -> None:
    """The layout's worker comes from the server (the Content-Security-Policy allows
    only 'self'); nothing was refused and the page raised nothing (the teardown checks)."""
    opened = open_page(served)
    requested: list[str] = []
    opened.page.on("request", lambda request: requested.append(request.url))
    opened.page.click("#layout-run")
    opened.wait(
        "() => document.getElementById('layout-run').textContent === 'Rerun the layout'",
        timeout=60,
    )
    assert any(url.endswith("/assets/layout-worker.js") for url in requested)
    assert opened.refused == []
