"""The explorer's views, presentation, exports and live data, in Debian's Chromium.

One ``graphmodel serve`` per backend with a team's views
file (``--views``), and one on a copy of the bundled example (the embedded
backend only) whose files the tests edit while it runs; one browser for the
module. Each test opens the page afresh (a new browser context: its own
storage). Whatever reads the API (the shared views, the GraphML and HTML
exports) runs on both backends; the page's own behaviour (saved views in the
browser, presenting, the CSV, live data) on the embedded one.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import struct
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from conftest import EXAMPLE
from explorer_browser import (
    ExplorerPage,
    Explorers,
    Served,
    axe_violations,
    downloaded,
    drawing_statistics,
    serve,
)
from test_explorer_page import api

from graphmodel.explore.saved_views import SavedViews

BACKGROUND = "#fbfbf8"  # the drawing's background (explorer.css --canvas)
HOSTILE = '<img src=x onerror="window.pwned=1">'

#: The team's views, in the order a presentation shows them (states as the page writes them).
SHARED = [
    {"name": "Social worker and neighbours", "state": "focus=p-social-worker&depth=1"},
    {"name": "Training events opened", "state": "max_nodes=20&expand=group%3BTrainingEvent"},
    {"name": HOSTILE, "state": "hide_label=Competency&hide_type=TARGETS"},
]

#: Names a spreadsheet would take for formulas (CSV injection), in the live copy.
FORMULA_NAMES = {
    "p-teacher": '=HYPERLINK("http://example.org/x","Teacher")',
    "p-school-nurse": "+1+2",
    "p-health-visitor": "-3 health visitor",
    "org-nmcc-cs": "@SUM(1,2)",
}

Opener = Callable[..., ExplorerPage]


@pytest.fixture(scope="module", params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, explorers: Explorers
) -> Served:
    """The example with the team's views, from its folder or from the local Neo4j."""
    views = tmp_path_factory.mktemp("views") / "team-views.json"
    views.write_text(json.dumps({"views": SHARED}), encoding="utf-8")
    return explorers.example(request, "--views", str(views))


page_only = pytest.mark.parametrize("served", ["embedded"], indirect=True)


def _replace_names(path: Path, names: dict[str, str]) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    for row in rows[1:]:
        if row[0] in names:
            row[1] = names[row[0]]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, Path]]:
    """A copy of the example (with formula-like names) served from its folder, and the folder.

    The live-data test edits drivers.csv only, so the names the CSV test reads stay.
    """
    folder = tmp_path_factory.mktemp("live") / "exercise"
    shutil.copytree(EXAMPLE, folder)
    _replace_names(folder / "professions.csv", FORMULA_NAMES)
    _replace_names(folder / "organisations.csv", FORMULA_NAMES)
    server = serve(str(folder), cache_dir=tmp_path_factory.mktemp("live-layouts"))
    yield server, folder
    server.stop()


def own_views(opened: ExplorerPage) -> list[str]:
    return list(
        opened.js(
            "Array.from(document.querySelectorAll('#own-views .view-open')).map(b => b.textContent)"
        )
    )


def wait_for_state(opened: ExplorerPage, state: str) -> None:
    opened.wait("s => graphmodelExplorer.state() === s", state)
    opened.idle()


def save_view(opened: ExplorerPage, name: str) -> None:
    opened.page.fill("#view-name", name)
    opened.page.press("#view-name", "Enter")
    opened.wait("n => Array.from(document.querySelectorAll('#own-views .view-open'))"
                ".some(b => b.textContent === n)", name)  # fmt: skip


# -- saved views ----------------------------------------------------------------------------


@page_only
def test_saved_views_round_trip(open_page: Opener, served: Served, tmp_path: Path) -> None:
    around = "max_nodes=20&focus=dr-inquiry-report&depth=1"
    opened = open_page(served, around)
    page = opened.page
    drawn = opened.drawn_nodes()
    save_view(opened, "Inquiry and its neighbours")
    page.click("#reset")
    wait_for_state(opened, "")
    save_view(opened, "Everything")
    # Kept in the browser: a reload still lists them, and opening one shows it.
    page.reload()
    opened.loaded()
    assert own_views(opened) == ["Inquiry and its neighbours", "Everything"]
    page.click("#own-views button[data-view-open='Inquiry and its neighbours']")
    wait_for_state(opened, around)
    assert opened.drawn_nodes() == drawn
    assert page.url == served.page_url(around)
    assert page.input_value("#depth") == "1" and page.input_value("#max-nodes") == "20"
    # Rename (Enter keeps the new name) and delete.
    page.click("button[aria-label='Rename the view “Everything”']")
    page.fill(".rename-input", "The whole network")
    page.press(".rename-input", "Enter")
    assert own_views(opened) == ["Inquiry and its neighbours", "The whole network"]
    page.click("button[aria-label='Delete the view “Inquiry and its neighbours”']")
    assert own_views(opened) == ["The whole network"]
    # Export: the format of serve --views.
    name, data = downloaded(opened, "#export-views")
    assert name == "graphmodel-views.json"
    exported = json.loads(data)
    (view,) = exported["views"]
    assert (view["name"], view["state"]) == ("The whole network", "")
    # With the picture: the camera, what was on screen, where every node drawn was.
    assert set(view) == {"name", "state", "camera", "viewport", "positions"}
    assert len(view["positions"]) == 148  # the whole example, drawn when it was saved
    read = SavedViews.model_validate(exported)
    assert json.loads(read.model_dump_json(exclude_none=True)) == exported
    # Import adds a file's views (a name kept already is replaced); names stay text.
    document = {
        "views": [
            {"name": "The whole network", "state": "hide_label=Framework"},
            {"name": HOSTILE, "state": "?focus=p-teacher"},
        ]
    }
    views_file = tmp_path / "views.json"
    views_file.write_text(json.dumps(document), encoding="utf-8")
    page.set_input_files("#import-views", str(views_file))
    opened.wait("() => document.getElementById('views-status').textContent.startsWith('Imported')")
    assert own_views(opened) == ["The whole network", HOSTILE]
    _, data = downloaded(opened, "#export-views")
    expected = {"views": [document["views"][0], {"name": HOSTILE, "state": "focus=p-teacher"}]}
    assert json.loads(data) == expected
    # The exported file, imported into a browser that never saw these views, gives them back.
    fresh = open_page(served)
    (tmp_path / "exported.json").write_bytes(data)
    fresh.page.set_input_files("#import-views", str(tmp_path / "exported.json"))
    fresh.wait("() => document.getElementById('views-status').textContent.startsWith('Imported')")
    assert json.loads(downloaded(fresh, "#export-views")[1]) == json.loads(data)
    fresh.page.click(f"#own-views button[data-view-open='{HOSTILE}']")
    wait_for_state(fresh, "focus=p-teacher")
    # A file with a token, or not a views file, is refused in one line; nothing is added.
    for text, message in [
        (json.dumps({"views": [{"name": "x", "state": "token=s3cret"}]}), "holds a token"),
        ("not json {", "not JSON"),
        (json.dumps({"views": [{"name": ""}]}), "views.0.name:"),
    ]:
        views_file.write_text(text, encoding="utf-8")
        page.set_input_files("#import-views", str(views_file))
        opened.wait("m => document.getElementById('views-status').textContent.includes(m)", message)
        assert page.inner_text("#views-status").startswith("views.json: ")
    assert own_views(opened) == ["The whole network", HOSTILE]
    assert opened.js("window.pwned === undefined")
    assert opened.js("document.querySelectorAll('#own-views img').length") == 0


def test_shared_views_are_listed_read_only(open_page: Opener, served: Served) -> None:
    opened = open_page(served)
    opened.wait("() => document.querySelectorAll('#shared-views li').length === 3")
    items = opened.js(
        """Array.from(document.querySelectorAll('#shared-views li')).map(li => [
            li.querySelector('.view-open').textContent,
            li.querySelector('.shared-tag').textContent,
            li.querySelectorAll('button').length])"""
    )
    assert items == [[view["name"], "shared", 1] for view in SHARED]  # open only
    assert opened.js("window.pwned === undefined")
    opened.page.click("#shared-views button[data-view-open='Training events opened']")
    wait_for_state(opened, SHARED[1]["state"])
    expected = api(served, "/api/overview", max_nodes=20, expand="group;TrainingEvent")
    assert opened.drawn_nodes() == {node["id"] for node in expected["nodes"]}


@page_only
def test_a_view_holding_an_analysis_brings_its_controls_and_marks(
    open_page: Opener, served: Served, tmp_path: Path
) -> None:
    """Views and the analyses meet: opening a view with an overlay and a window sets the
    overlay's controls and marks what the overlay endpoint answers for that window; opening
    a plain view takes them away again."""
    gaps = "overlay=gaps&profession=p-teacher&from=2026-01-01"
    document = {
        "views": [{"name": "Teachers since 2026", "state": gaps}, {"name": "All", "state": ""}]
    }
    views_file = tmp_path / "views.json"
    views_file.write_text(json.dumps(document), encoding="utf-8")
    opened = open_page(served)
    page = opened.page
    page.set_input_files("#import-views", str(views_file))
    opened.wait("() => document.getElementById('views-status').textContent.startsWith('Imported')")
    page.click("#own-views button[data-view-open='Teachers since 2026']")
    wait_for_state(opened, gaps)
    overlay = api(served, "/api/overlays/gaps", profession="p-teacher", **{"from": "2026-01-01"})
    expected = {node["id"]: ", ".join(node["marks"]) for node in overlay["nodes"] if node["marks"]}
    opened.wait(
        "n => Array.from(document.querySelectorAll('#nodes-shown tbody tr'))"
        ".filter(r => r.cells[3].textContent).length === n",
        len(expected),
    )
    assert {row[0]: row[3] for row in opened.table_rows() if row[3]} == expected
    assert page.input_value("#overlay") == "gaps"
    page.click("#own-views button[data-view-open='All']")
    wait_for_state(opened, "")
    opened.wait(
        "() => Array.from(document.querySelectorAll('#nodes-shown tbody tr'))"
        ".every(r => !r.cells[3].textContent)"
    )
    assert page.input_value("#overlay") == ""


# -- presentation ---------------------------------------------------------------------------


@page_only
def test_presentation_steps_through_the_views(open_page: Opener, served: Served) -> None:
    opened = open_page(served, "max_nodes=200")
    page = opened.page
    opened.wait("() => document.querySelectorAll('#shared-views li').length === 3")
    save_view(opened, "Teacher")  # one's own view: after the team's
    before = opened.state()
    assert page.is_hidden("#presentation")
    page.click("#present-views")
    names = [view["name"] for view in SHARED] + ["Teacher"]
    states = [view["state"] for view in SHARED] + [before]

    def shows(at: int) -> None:
        wait_for_state(opened, states[at])
        assert page.url == served.page_url(states[at])
        shared = " (shared)" if at < len(SHARED) else ""
        assert page.inner_text("#presentation-position") == f"View {at + 1} of 4{shared}"
        assert page.inner_text("#presentation-title") == names[at]

    shows(0)
    assert page.is_visible("#presentation") and page.is_hidden(".controls")
    assert page.evaluate("document.activeElement.id") == "presentation-next"
    colours = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.color, s.backgroundColor]; })()"
    )
    assert colours[0] != colours[1]  # the buttons' words show on the dark bar
    opened.screenshot("explorer-presentation")
    page.keyboard.press("ArrowRight")
    shows(1)
    page.keyboard.press("PageDown")
    shows(2)
    assert "Competency" not in {row[2] for row in opened.table_rows()}
    page.click("#presentation-previous")
    shows(1)
    page.keyboard.press("End")
    shows(3)
    assert page.is_disabled("#presentation-next")
    page.keyboard.press("Home")
    shows(0)
    assert page.is_disabled("#presentation-previous")
    page.keyboard.press("Escape")
    wait_for_state(opened, before)
    assert page.is_hidden("#presentation") and page.is_visible(".controls")
    assert page.evaluate("document.activeElement.id") == "present-views"


# -- exports --------------------------------------------------------------------------------


@page_only
def test_png_is_the_picture_at_twice_the_size(
    open_page: Opener, served: Served, browser: Any
) -> None:
    opened = open_page(served)
    name, png = downloaded(opened, "#export-png")
    assert name == "graphmodel-view.png"
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    size = "graphmodelExplorer.sigma.getDimensions()"
    drawing = opened.js(f"[{size}.width, {size}.height]")
    # The drawing and its legend beside it, the title above and the caption below, at 2x.
    assert width == 2 * (drawing[0] + 270) and height > 2 * drawing[1]
    assert len(png) > 20_000
    stats = drawing_statistics(browser, png, ["#4e79a7"], "#ffffff")  # competencies' blue
    assert stats["different"] > 0.02 * width * height
    assert stats["near"]["#4e79a7"] > 100


def test_graphml_and_html_exports_hold_the_nodes_shown(
    open_page: Opener, served: Served, browser: Any, tmp_path: Path
) -> None:
    # Rolled up, a group opened and a node's neighbours: groups are not nodes.
    opened = open_page(served, "max_nodes=20&expand=group%3BTrainingEvent&open=dr-inquiry-report")
    drawn = opened.drawn_nodes()
    shown = {node for node in drawn if ";" not in node}
    assert shown and shown != drawn
    name, data = downloaded(opened, "#export-graphml")
    assert name == "graphmodel-view.graphml"
    graph = nx.read_graphml(io.BytesIO(data))
    assert set(graph.nodes) == shown
    exported = {(a, d["type"], b) for a, b, d in graph.edges(data=True)}
    among = {edge for edge in opened.drawn_edges() if edge[0] in shown and edge[2] in shown}
    assert among <= exported
    groups = len(drawn) - len(shown)
    assert opened.page.inner_text("#export-status") == (
        f"Saved {len(shown)} nodes as graphmodel-view.graphml ({groups} groups left out)."
    )
    name, data = downloaded(opened, "#export-html")
    assert name == "graphmodel-view.html"
    page_file = tmp_path / name
    page_file.write_bytes(data)
    offline = browser.new_page()
    refused: list[str] = []
    offline.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url == page_file.as_uri()
            else (refused.append(route.request.url), route.abort())
        ),
    )
    try:
        offline.goto(page_file.as_uri())
        offline.wait_for_function("window.graphmodelView && graphmodelView.firstFrame !== null")
        assert set(offline.evaluate("network.body.nodeIndices")) == shown
        assert refused == []
    finally:
        offline.close()


def test_csv_is_the_table_with_formulas_guarded(
    open_page: Opener, live: tuple[Served, Path]
) -> None:
    served, _ = live
    opened = open_page(served, "focus=p-teacher")
    name, data = downloaded(opened, "#export-csv")
    assert name == "graphmodel-nodes-shown.csv"
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))

    def guard(cell: str) -> str:
        return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell

    table = opened.table_rows()
    assert rows == [["id", "name", "type", "highlight"]] + [
        [guard(cell) for cell in row] for row in table
    ]
    names = {row[0]: row[1] for row in rows[1:]}
    for node, formula in FORMULA_NAMES.items():
        assert names[node] == "'" + formula
    assert {row[0]: row[3] for row in rows[1:]}["p-teacher"] == "focus"
    assert opened.page.inner_text("#export-status") == (
        f"Saved the table ({len(table)} rows) as graphmodel-nodes-shown.csv."
    )


# -- live data ------------------------------------------------------------------------------


def test_live_data_follows_the_files_and_keeps_the_last_good_graph(
    open_page: Opener, live: tuple[Served, Path]
) -> None:
    served, folder = live
    state = "focus=dr-inquiry-report&depth=1"
    opened = open_page(served, state)
    page = opened.page
    assert page.get_attribute("#live-status", "aria-live") == "polite"
    assert page.get_attribute("#live-status", "role") == "status"
    drivers = folder / "drivers.csv"
    good = drivers.read_text(encoding="utf-8")
    name = next(r[1] for r in csv.reader(io.StringIO(good)) if r[0] == "dr-inquiry-report")
    # A valid change appears, in the same view.
    _replace_names(drivers, {"dr-inquiry-report": "Inquiry report (revised)"})
    opened.wait("() => document.querySelector('.details-name')?.textContent === "
                "'Inquiry report (revised)'", timeout=60)  # fmt: skip
    opened.idle()
    assert opened.state() == state
    assert page.url == served.page_url(state)
    names = {row[0]: row[1] for row in opened.table_rows()}
    assert names["dr-inquiry-report"] == "Inquiry report (revised)"
    assert page.inner_text("#live-status").startswith("The data changed")
    drawn = opened.drawn_nodes()
    # A broken row: the page shows the problem as the command line words it; the graph stays.
    broken = drivers.read_text(encoding="utf-8").replace(
        "dr-inquiry-report,Inquiry report (revised)", "dr-inquiry-report,"
    )
    drivers.write_text(broken, encoding="utf-8")
    opened.wait("() => document.querySelectorAll('#live-status li').length > 0", timeout=60)
    validate = subprocess.run(
        [sys.executable, "-m", "graphmodel.cli.main", "validate", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    expected = validate.stdout.strip().splitlines() + validate.stderr.strip().splitlines()
    listed = opened.js(
        "Array.from(document.querySelectorAll('#live-status li')).map(li => li.textContent)"
    )
    assert listed == [line for line in expected if line] and len(listed) == 1
    assert listed[0] == f"{folder}/drivers.csv:2:name: required value is empty" or listed[
        0
    ].endswith(":name: required value is empty")
    text = page.inner_text("#live-status")
    assert "The data has problems" in text and "the last good graph is shown" in text
    assert axe_violations(opened) == []  # the problems shown, as every reader gets them
    time.sleep(2.5)  # another poll or two: nothing is redrawn from a broken dataset
    assert opened.drawn_nodes() == drawn
    assert {row[0]: row[1] for row in opened.table_rows()}["dr-inquiry-report"] == (
        "Inquiry report (revised)"
    )
    # Mended: the problems go and the file's names come back.
    drivers.write_text(good, encoding="utf-8")
    opened.wait("() => document.querySelectorAll('#live-status li').length === 0", timeout=60)
    opened.wait("n => document.querySelector('.details-name')?.textContent === n", name, timeout=60)
    assert page.inner_text("#live-status").startswith("The data changed")


# -- keyboard and accessibility ---------------------------------------------------------------


def active(opened: ExplorerPage) -> str:
    return str(opened.js("document.activeElement.id || document.activeElement.textContent"))


@page_only
def test_new_controls_work_from_the_keyboard_with_focus_shown(
    open_page: Opener, served: Served
) -> None:
    opened = open_page(served)
    page = opened.page
    opened.wait("() => document.querySelectorAll('#shared-views li').length === 3")
    save_view(opened, "Mine")
    page.focus("#reset")
    reached = []
    for _ in range(80):
        page.keyboard.press("Tab")
        reached.append(active(opened))
        # Each control the keyboard reaches shows where it is.
        outline = opened.js("getComputedStyle(document.activeElement).outlineStyle")
        label = opened.js(
            "(() => { const e = document.activeElement; return e.id === 'import-views' ?"
            " getComputedStyle(e.nextElementSibling).outlineStyle : 'n/a'; })()"
        )
        assert outline != "none" or label not in ("none", "n/a"), reached[-1]
        if reached[-1] == "export-csv":
            break
    for control in ["view-name", "Mine", "Rename", "Delete", "Social worker and neighbours",
                    "export-views", "import-views", "present-views", "export-png",
                    "export-html", "export-graphml", "export-csv"]:  # fmt: skip
        assert control in reached, (control, reached)
    # Open a shared view and present, by keyboard only.
    page.focus("#shared-views button[data-view-open='Training events opened']")
    page.keyboard.press("Enter")
    wait_for_state(opened, SHARED[1]["state"])
    page.focus("#present-views")
    page.keyboard.press("Enter")
    wait_for_state(opened, SHARED[0]["state"])
    page.keyboard.press("Tab")  # Next -> Leave
    page.keyboard.press("Enter")
    wait_for_state(opened, SHARED[1]["state"])
    # Rename by keyboard; Escape leaves the name as it was.
    page.focus("button[aria-label='Rename the view “Mine”']")
    page.keyboard.press("Enter")
    assert opened.js("document.activeElement.className") == "rename-input"
    page.keyboard.type(" (draft)")
    page.keyboard.press("Escape")
    assert own_views(opened) == ["Mine"]


@page_only
def test_no_serious_accessibility_violations_with_the_panels_open(
    open_page: Opener, served: Served
) -> None:
    opened = open_page(served, "max_nodes=20&focus=dr-inquiry-report")
    opened.wait("() => document.querySelectorAll('#shared-views li').length === 3")
    save_view(opened, "Inquiry")
    opened.page.click("#export-csv")
    opened.wait("() => document.getElementById('export-status').textContent !== ''")
    assert axe_violations(opened) == []
    opened.page.click("button[aria-label='Rename the view “Inquiry”']")
    assert axe_violations(opened) == []
    opened.page.keyboard.press("Escape")
    opened.page.click("#present-views")
    wait_for_state(opened, SHARED[0]["state"])
    assert axe_violations(opened) == []
