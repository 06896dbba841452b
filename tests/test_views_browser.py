"""Network views in a real headless Chromium (Debian's ``chromium``, driven by playwright).

Every page is opened from disk with every other request refused and
recorded; each test fails on any script error or request. Screenshots of
every mode go to tests/screenshots/ for a person to look at.
"""

from __future__ import annotations

import struct
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from conftest import EXAMPLE, ROOT

from graphmodel.analysis.coverage import CoverageQuery, gaps
from graphmodel.backends import MemoryBackend
from graphmodel.dataset import read_dataset
from graphmodel.marks import MARKS
from graphmodel.synthetic import Scale, synthetic_dataset
from graphmodel.visuals.render import RELAX_NODES, write_view
from graphmodel.visuals.views import View, ViewRequest, build_view

SCREENSHOTS = ROOT / "tests" / "screenshots"


@dataclass
class Opened:
    """A page opened from disk, with what it asked the network for and its errors."""

    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def js(self, expression: str, argument: Any = None) -> Any:
        return self.page.evaluate(expression, argument)

    def drawn_nodes(self) -> set[str]:
        return set(self.js("network.body.nodeIndices"))

    def drawn_edges(self) -> Counter[tuple[str, str, str]]:
        return Counter(
            tuple(edge)
            for edge in self.js(
                "network.body.edgeIndices.map(id => edges.get(id)).map(e => [e.from, e.type, e.to])"
            )
        )

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[[Path], Opened]]:
    opened: list[Opened] = []

    def open_(path: Path) -> Opened:
        page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        result = Opened(page)
        own = path.resolve().as_uri()

        def route(route: Any) -> None:
            if route.request.url == own:
                route.continue_()
            else:  # anything else, on the network or on disk, is refused and recorded
                result.requests.append(route.request.url)
                route.abort()

        page.route("**/*", route)
        page.on("pageerror", lambda error: result.errors.append(f"pageerror: {error}"))
        page.on(
            "console",
            lambda message: (
                result.errors.append(f"console: {message.text}")
                if message.type == "error"
                else None
            ),
        )
        page.goto(own)
        page.wait_for_function("window.graphmodelView && graphmodelView.firstFrame !== null")
        opened.append(result)
        return result

    yield open_
    for result in opened:
        problems = result.requests + result.errors
        result.page.close()
        assert not problems, f"the page asked for resources or raised errors: {problems}"


@pytest.fixture(scope="module")
def example() -> MemoryBackend:
    return MemoryBackend(read_dataset(EXAMPLE))


@pytest.fixture(scope="module")
def pages(example: MemoryBackend, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("views")
    requests = {
        "whole": ViewRequest(),
        "focus": ViewRequest(focus="p-social-worker", depth=1),
        "gaps": ViewRequest(mode="gaps"),
        "duplicates": ViewRequest(mode="duplicates"),
        "driver": ViewRequest(mode="driver", driver="dr-inquiry-report"),
        "rolled-up": ViewRequest(roll_up=True),
    }
    written = {}
    for name, request in requests.items():
        view, graph = build_view(example, request)
        write_view(view, graph, folder / f"{name}.html")
        written[name] = folder / f"{name}.html"
    return written


def all_triples(backend: MemoryBackend) -> Counter[tuple[str, str, str]]:
    return Counter((s, kind, t) for s, t, kind in backend.graph.edges(keys=True))


def node_point(opened: Opened, node: str) -> tuple[float, float]:
    """Where a node is drawn, in page coordinates."""
    point = opened.js(
        """id => {
            const p = network.canvasToDOM(network.getPosition(id));
            const box = document.getElementById('network').getBoundingClientRect();
            return [p.x + box.left, p.y + box.top];
        }""",
        node,
    )
    return point[0], point[1]


# -- the whole network ------------------------------------------------------------


def test_whole_view_opens_offline_with_exactly_the_graph(
    open_page: Callable[[Path], Opened], pages: dict[str, Path], example: MemoryBackend
) -> None:
    opened = open_page(pages["whole"])
    assert set(opened.js("nodes.getIds()")) == set(example.graph.nodes)
    assert opened.js("nodes.length") == example.graph.number_of_nodes()
    in_dataset = Counter(
        tuple(e) for e in opened.js("edges.get().map(e => [e.from, e.type, e.to])")
    )
    assert in_dataset == all_triples(example)
    assert opened.drawn_nodes() == set(example.graph.nodes)
    assert opened.drawn_edges() == all_triples(example)
    # Physics ran a bounded relaxation and is off: nothing moves any more.
    assert opened.js("network.physics.physicsEnabled") is False
    before = opened.js("network.getPositions()")
    opened.page.wait_for_timeout(600)
    assert opened.js("network.getPositions()") == before
    text = opened.page.inner_text("#panel")
    for legend in ("Competencies", "Professions", "Training events", "Policy drivers"):
        assert legend in text
    opened.screenshot("whole")


def test_search_selects_and_zooms_to_the_node_typed(
    open_page: Callable[[Path], Opened], pages: dict[str, Path]
) -> None:
    opened = open_page(pages["whole"])
    start_scale = opened.js("network.getScale()")
    for typed, expected in [
        ("Health visitor", "p-health-visitor"),
        ("dr-drug-strategy", "dr-drug-strategy"),
        ("domestic abuse awareness", "ccs-safe-da"),
    ]:
        opened.page.fill("#search", typed)
        opened.page.press("#search", "Enter")
        opened.page.wait_for_function("id => graphmodelView.found === id", arg=expected)
        assert opened.js("network.getSelectedNodes()") == [expected]
        centre = opened.js("network.getViewPosition()")
        position = opened.js("id => network.getPosition(id)", expected)
        assert abs(centre["x"] - position["x"]) < 2 and abs(centre["y"] - position["y"]) < 2
        assert opened.js("network.getScale()") >= max(1.3, start_scale) - 1e-6
        assert opened.page.inner_text("#details").startswith(opened.js(
            "id => nodes.get(id).name", expected
        ))  # fmt: skip
    opened.screenshot("search")
    opened.page.fill("#search", "no such thing")
    opened.page.press("#search", "Enter")
    assert "No node matches" in opened.page.inner_text("#search-status")
    assert opened.js("network.getSelectedNodes()") == ["ccs-safe-da"]


def test_type_filter_hides_exactly_that_type(
    open_page: Callable[[Path], Opened], pages: dict[str, Path], example: MemoryBackend
) -> None:
    opened = open_page(pages["whole"])
    labels = dict(example.graph.nodes(data="type"))
    opened.page.uncheck("input[data-type=Competency]")
    kept = {n for n, label in labels.items() if label != "Competency"}
    assert opened.drawn_nodes() == kept
    assert opened.drawn_edges() == Counter(
        {key: n for key, n in all_triples(example).items() if key[0] in kept and key[2] in kept}
    )
    assert opened.js("nodes.length") == len(labels)  # hidden, not removed
    opened.screenshot("type-filter")
    opened.page.check("input[data-type=Competency]")
    assert opened.drawn_nodes() == set(labels)


def test_relationship_filter_hides_exactly_that_type(
    open_page: Callable[[Path], Opened], pages: dict[str, Path], example: MemoryBackend
) -> None:
    opened = open_page(pages["whole"])
    opened.page.uncheck("input[data-relationship=TARGETS]")
    opened.page.uncheck("input[data-relationship=REQUIRES]")
    expected = Counter(
        {k: n for k, n in all_triples(example).items() if k[1] not in ("TARGETS", "REQUIRES")}
    )
    assert opened.drawn_edges() == expected
    assert opened.drawn_nodes() == set(example.graph.nodes)


def test_neighbourhood_of_the_clicked_node_then_reset(
    open_page: Callable[[Path], Opened], pages: dict[str, Path], example: MemoryBackend
) -> None:
    opened = open_page(pages["whole"])
    opened.js("network.moveTo({position: network.getPosition('org-nscp'), scale: 1.5})")
    x, y = node_point(opened, "org-nscp")
    opened.page.mouse.click(x, y)
    assert opened.js("network.getSelectedNodes()") == ["org-nscp"]
    assert "Organisation \u00b7 org-nscp" in opened.page.inner_text("#details")
    opened.page.select_option("#depth", "2")
    opened.page.click("#neighbourhood")
    undirected = example.graph.to_undirected(as_view=True)
    shown = set(nx.ego_graph(undirected, "org-nscp", radius=2))
    assert opened.drawn_nodes() == shown
    assert "neighbourhood of" in opened.page.inner_text("#counts")
    opened.screenshot("neighbourhood")
    # Double-click a node drawn there: its own neighbourhood, at the chosen depth.
    other = min(n for n in shown if example.graph.nodes[n]["type"] == "Profession")
    opened.page.select_option("#depth", "1")
    opened.js("id => network.moveTo({position: network.getPosition(id), scale: 1.5})", other)
    x, y = node_point(opened, other)
    opened.page.mouse.dblclick(x, y)
    assert opened.drawn_nodes() == set(nx.ego_graph(undirected, other, radius=1))
    opened.page.uncheck("input[data-type=Organisation]")
    opened.page.click("#reset")
    assert opened.drawn_nodes() == set(example.graph.nodes)
    assert opened.drawn_edges() == all_triples(example)
    assert opened.js("network.getSelectedNodes()") == []
    assert opened.js(
        "Array.from(document.querySelectorAll('input[type=checkbox]')).every(b => b.checked)"
    )


def test_tooltip_shows_the_node_details_on_hover(
    open_page: Callable[[Path], Opened], pages: dict[str, Path]
) -> None:
    opened = open_page(pages["whole"])
    opened.js(
        "network.moveTo({position: network.getPosition('te-ncc-sg-foundation-2025'), scale: 2})"
    )
    x, y = node_point(opened, "te-ncc-sg-foundation-2025")
    opened.page.mouse.move(x - 30, y - 30)
    opened.page.mouse.move(x, y)
    tooltip = opened.page.wait_for_selector("div.vis-tooltip", state="visible")
    text = tooltip.inner_text()
    assert text.startswith("Safeguarding children foundation course (level 2)")
    assert "TrainingEvent \u00b7 te-ncc-sg-foundation-2025" in text
    assert "start date: 2025-04-01" in text and "places: 240" in text
    assert "COVERS \u2192" in text and "LEADS \u2190 1:" in text
    opened.screenshot("tooltip")


def test_save_as_png_downloads_the_picture(
    open_page: Callable[[Path], Opened], pages: dict[str, Path]
) -> None:
    opened = open_page(pages["focus"])
    with opened.page.expect_download() as download:
        opened.page.click("#save-png")
    assert download.value.suggested_filename == "focus.png"
    data = Path(download.value.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    canvas = opened.js("(c => [c.width, c.height])(document.querySelector('#network canvas'))")
    assert [width, height] == canvas and width > 500
    assert len(data) > 20_000  # a drawing, not an empty canvas


# -- focused modes ------------------------------------------------------------------


def marked(opened: Opened, kind: str, mark: str) -> set[Any]:
    if kind == "nodes":
        return set(opened.js("m => nodes.get({filter: n => n.mark === m}).map(n => n.id)", mark))
    return {
        tuple(e)
        for e in opened.js(
            "m => edges.get({filter: e => e.mark === m}).map(e => [e.from, e.to])", mark
        )
    }


def view_of(example: MemoryBackend, request: ViewRequest) -> View:
    return build_view(example, request)[0]


def test_focus_page_holds_exactly_the_neighbourhood(
    open_page: Callable[[Path], Opened], pages: dict[str, Path], example: MemoryBackend
) -> None:
    opened = open_page(pages["focus"])
    expected = set(nx.ego_graph(example.graph.to_undirected(as_view=True), "p-social-worker", 1))
    assert set(opened.js("nodes.getIds()")) == expected == opened.drawn_nodes()
    assert opened.js("network.getSelectedNodes()") == ["p-social-worker"]
    assert marked(opened, "nodes", "focus") == {"p-social-worker"}
    opened.screenshot("focus")


def test_gaps_page_draws_gaps_and_covered_in_the_marks_colours(
    open_page: Callable[[Path], Opened], pages: dict[str, Path], example: MemoryBackend
) -> None:
    opened = open_page(pages["gaps"])
    found = {(g["profession"], g["competency"]) for g in gaps(example, CoverageQuery())["gaps"]}
    assert marked(opened, "edges", "gap") == found
    covered = {(r.profession, r.competency) for r in example.requirements()} - found
    assert marked(opened, "edges", "covered") == covered
    colours = set(opened.js("edges.get({filter: e => e.mark === 'gap'}).map(e => e.color.color)"))
    # The colour and the words are the marks' one definition (graphmodel/marks.py).
    assert colours == {MARKS["gap"].fill}
    assert f"gap: {MARKS['gap'].text}" in opened.page.inner_text("#panel")
    opened.screenshot("gaps")


def test_duplicates_page_draws_pairs_with_scores(
    open_page: Callable[[Path], Opened], pages: dict[str, Path], example: MemoryBackend
) -> None:
    opened = open_page(pages["duplicates"])
    view = view_of(example, ViewRequest(mode="duplicates"))
    assert set(opened.js("nodes.getIds()")) == {n.id for n in view.nodes}
    labels = opened.js("edges.get({filter: e => e.type === 'DUPLICATE'}).map(e => e.label)")
    assert sorted(labels) == sorted(e.text for e in view.edges if e.type == "DUPLICATE")
    assert labels and all(len(label) == 4 for label in labels)  # "0.72"
    opened.screenshot("duplicates")


def test_driver_page_draws_reach_and_candidates(
    open_page: Callable[[Path], Opened], pages: dict[str, Path], example: MemoryBackend
) -> None:
    opened = open_page(pages["driver"])
    view = view_of(example, ViewRequest(mode="driver", driver="dr-inquiry-report"))
    assert set(opened.js("nodes.getIds()")) == {n.id for n in view.nodes}
    assert opened.js("edges.length") == len(view.edges)
    assert marked(opened, "nodes", "candidate") == {
        n.id for n in view.nodes if n.mark == "candidate"
    }
    assert opened.js("network.getSelectedNodes()") == ["dr-inquiry-report"]
    opened.screenshot("driver")


def test_rolled_up_page(
    open_page: Callable[[Path], Opened], pages: dict[str, Path], example: MemoryBackend
) -> None:
    opened = open_page(pages["rolled-up"])
    view = view_of(example, ViewRequest(roll_up=True))
    assert set(opened.js("nodes.getIds()")) == {n.id for n in view.nodes}
    assert "rolled up" in opened.page.inner_text("#panel")
    opened.screenshot("rolled-up")


# -- hostile data, large views ----------------------------------------------------------


def test_names_are_shown_as_text_never_run(
    open_page: Callable[[Path], Opened], make_dataset: Callable[..., Path], tmp_path: Path
) -> None:
    hostile = '<img src=x onerror="window.pwned=1"></script><script>window.pwned=2</script>'
    folder = make_dataset(
        professions=f"""\
            id,name,sector,description
            p-social-worker,"{hostile.replace('"', '""')}",social care,
            p-teacher,Teacher,education,
            """
    )
    backend = MemoryBackend(read_dataset(folder))
    view, graph = build_view(backend, ViewRequest(focus="p-social-worker"))
    write_view(view, graph, tmp_path / "hostile.html")
    opened = open_page(tmp_path / "hostile.html")
    assert opened.js("window.pwned === undefined")
    assert opened.page.inner_text("#details").startswith(hostile)
    assert opened.js("nodes.get('p-social-worker').name") == hostile


def test_large_view_opens_stable_with_physics_never_on(
    open_page: Callable[[Path], Opened], tmp_path: Path
) -> None:
    backend = MemoryBackend(synthetic_dataset(Scale.national().scaled(0.005), seed=3))
    view, graph = build_view(backend, ViewRequest())
    assert len(view.nodes) > RELAX_NODES
    write_view(view, graph, tmp_path / "large.html")
    opened = open_page(tmp_path / "large.html")
    assert opened.js("network.physics.physicsEnabled") is False
    assert opened.js("graphmodelView.stabilised === undefined")  # no simulation at all
    assert opened.js("nodes.length") == len(view.nodes)
    assert len(opened.drawn_nodes()) == len(view.nodes)
    opened.screenshot("large")
