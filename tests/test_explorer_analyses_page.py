"""The analyses inside the explorer's page, in Debian's Chromium.

One server per backend (the bundled example as a dataset, and the same
example loaded into the local Neo4j test server) and one browser for the
module. What the page marks is compared with what the API answers for the
same options: each overlay's highlight words in the "Nodes shown" table
equal the overlay endpoint's marks, and those equal the analysis' own JSON;
the time window's gaps equal ``/api/gaps`` with ``from``/``to``; the
explanations and the path are the ``explain`` and ``path`` answers; the
what-if's marks are the ``links --text`` answer. Every page refuses any
request off the loopback server and records page and console errors (the
teardown fails on any). axe-core runs with each overlay on.

Set ``GRAPHMODEL_WRITE_DOC_IMAGES=1`` to refresh docs/images/explorer-overlay-gaps.png.
"""

from __future__ import annotations

import json
import os
import shutil
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from conftest import ROOT
from explorer_browser import (
    ExplorerPage,
    Explorers,
    Served,
    axe_violations,
)

from graphmodel.marks import LINKS, MARKS

Opener = Callable[..., ExplorerPage]

PROFESSION = "p-teacher"
DRIVER = "dr-inquiry-report"
WHAT_IF = "online safety and exploitation of children"


@pytest.fixture(scope="module", params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def served(request: pytest.FixtureRequest, explorers: Explorers) -> Served:
    """The example, served from its folder or from the local Neo4j it was loaded into."""
    return explorers.example(request)


#: Tests of the page's own controls, whatever the backend: on the embedded one only.
page_only = pytest.mark.parametrize("served", ["embedded"], indirect=True)


def api(served: Served, path: str, **parameters: Any) -> Any:
    """The API's answer, asked as any client would (the token in the header)."""
    query = urllib.parse.urlencode(parameters, doseq=True)
    request = urllib.request.Request(
        f"{served.origin}{path}{'?' + query if query else ''}",
        headers={"Authorization": f"Bearer {served.token}"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def highlights(opened: ExplorerPage) -> dict[str, str]:
    """The table's highlight column: node id -> words, for the rows that have any."""
    return {row[0]: row[3] for row in opened.table_rows() if row[3]}


def overlay_words(doc: dict[str, Any], focus: str | None = None) -> dict[str, str]:
    """What the table should say for an overlay document (plus `focus` for the chosen node)."""
    words = {node["id"]: list(node["marks"]) for node in doc["nodes"] if node["marks"]}
    if focus is not None:
        words[focus] = ["focus", *words.get(focus, [])]
    return {node: ", ".join(marks) for node, marks in words.items()}


def marked(doc: dict[str, Any], mark: str) -> set[str]:
    return {node["id"] for node in doc["nodes"] if mark in node["marks"]}


def wait_for_state(opened: ExplorerPage, parameter: str, value: str | None) -> None:
    opened.wait(
        "([key, value]) => new URLSearchParams(graphmodelExplorer.state()).get(key) === value",
        [parameter, value],
    )
    opened.idle()


def parameter(opened: ExplorerPage, name: str) -> str | None:
    value = opened.js("name => new URLSearchParams(graphmodelExplorer.state()).get(name)", name)
    return None if value is None else str(value)


def edge_attributes(opened: ExplorerPage, attribute: str) -> dict[tuple[str, str, str], Any]:
    found = opened.js(
        """name => graphmodelExplorer.graph.mapEdges(
            (key, a) => [a.source, a.type, a.target, a[name] ?? null])""",
        attribute,
    )
    return {(s, t, g): value for s, t, g, value in found}


# -- overlays ---------------------------------------------------------------------------


def test_each_overlay_marks_what_its_analysis_answers(
    open_page: Opener, served: Served, request: pytest.FixtureRequest
) -> None:
    embedded = request.node.callspec.id == "embedded"
    cases: list[tuple[str, dict[str, Any]]] = [
        ("gaps", {"profession": PROFESSION}),
        ("uncovered", {}),
        ("duplicates", {}),
        ("reach", {"driver": DRIVER}),
        ("brokers", {}),
    ]
    for name, options in cases:
        # The whole network with the marks (answer views: test_explorer_answers_page.py).
        query = urllib.parse.urlencode({"overlay": name, **options, "context": "all"})
        opened = open_page(served, query)
        doc = api(served, f"/api/overlays/{name}", **options)
        # The table says exactly the overlay's marks; every node it brings is drawn.
        assert highlights(opened) == overlay_words(doc), name
        assert {node["id"] for node in doc["nodes"]} <= opened.drawn_nodes()
        # ... and the marks are the analysis' own answer for the same options.
        if name == "gaps":
            gaps = api(served, "/api/gaps", **options)["gaps"]
            assert marked(doc, "gap") == {gap["competency"] for gap in gaps}
            assert marked(doc, "profession") == {PROFESSION}
            legend = opened.page.inner_text("#overlay-legend")
            assert all(word in legend for word in ("gap", "covered", "profession"))
            if embedded and os.environ.get("GRAPHMODEL_WRITE_DOC_IMAGES") == "1":
                shutil.copy(
                    opened.screenshot("explorer-overlay-gaps"),
                    ROOT / "docs" / "images" / "explorer-overlay-gaps.png",
                )
        elif name == "uncovered":
            answer = api(served, "/api/uncovered")["uncovered"]
            assert marked(doc, "uncovered") == {item["competency"] for item in answer}
        elif name == "duplicates":
            pairs = api(served, "/api/duplicates")["pairs"]
            assert marked(doc, "duplicate") == {pair[k] for pair in pairs for k in ("a", "b")}
            # Each pair is drawn, its score said on the link.
            captions = edge_attributes(opened, "caption")
            for pair in pairs:
                caption = captions[(pair["a"], "SIMILAR_TO", pair["b"])]
                assert caption == f"similar {pair['score']:.2f}"
        elif name == "reach":
            reach = api(served, "/api/links", driver=DRIVER)
            assert marked(doc, "driver") == {DRIVER}
            assert marked(doc, "responding") == set(reach["responding"])
            assert marked(doc, "candidate") == {c["initiative"] for c in reach["candidates"]}
            touched = {*reach["competencies"], *reach["professions"], *reach["organisations"]}
            assert marked(doc, "touched") == touched
            drawn = edge_attributes(opened, "caption")
            for candidate in reach["candidates"]:
                key = (candidate["initiative"], "SUGGESTED_RESPONSE", DRIVER)
                assert drawn[key] == f"suggested response {candidate['score']:.2f}"
        else:
            brokers = api(served, "/api/brokers", limit=20)["brokers"]
            assert marked(doc, "broker") == {broker["id"] for broker in brokers}
            # Sized by betweenness: the first broker is drawn the largest.
            sizes = opened.js(
                "ids => ids.map(id => graphmodelExplorer.graph.getNodeAttribute(id, 'size'))",
                [brokers[0]["id"], brokers[-1]["id"]],
            )
            assert sizes[0] > sizes[1]
        # Colour is not alone: every marked node says its marks after its name.
        with_marks = {node["id"]: node["marks"] for node in doc["nodes"] if node["marks"]}
        captions = opened.js(
            "ids => ids.map(id => graphmodelExplorer.graph.getNodeAttribute(id, 'caption'))",
            sorted(with_marks),
        )
        for node, caption in zip(sorted(with_marks), captions, strict=True):
            assert caption.endswith(f"[{', '.join(with_marks[node])}]"), (node, caption)
        if embedded:
            assert axe_violations(opened) == [], name
        opened.page.close()


def test_a_gap_below_the_level_needed_has_its_own_mark_fill_and_outline(
    open_page: Opener, served: Served, request: pytest.FixtureRequest
) -> None:
    # The example's teachers are trained to respond to concerns at Foundation; they need
    # Intermediate (the levelled framework of docs/coverage.md).
    opened = open_page(served, f"overlay=gaps&profession={PROFESSION}")
    doc = api(served, "/api/overlays/gaps", profession=PROFESSION)
    answer = api(served, "/api/gaps", profession=PROFESSION)
    below = {g["competency"] for g in answer["gaps"] if g["covered_level"] is not None}
    assert below == {"nspl-respond"} and answer["summary"]["below_level"] == 1
    assert marked(doc, "below-level") == below
    # Still a gap: both words, below-level first (the first mark gives the look).
    assert highlights(opened)["nspl-respond"] == "below-level, gap"
    looks = opened.js(
        """ids => ids.map(id => {
            const a = graphmodelExplorer.graph.getNodeAttributes(id);
            return [a.color, a.outlineColor, a.caption];
        })""",
        ["nspl-respond", "ccs-safe-recognise"],
    )
    (fill, outline, caption), (gap_fill, gap_outline, _) = looks
    # Its look is the marks' definition (graphmodel/marks.py), as the page was served it.
    assert (fill, outline) == (MARKS["below-level"].fill, MARKS["below-level"].outline)
    assert (fill, outline) != (gap_fill, gap_outline)  # a plain gap is drawn otherwise
    assert caption.endswith("[below-level, gap]")
    # The training that covers it at too low a level is drawn beside it, as covering.
    assert "te-nspl-respond-2026" in opened.drawn_nodes()
    assert highlights(opened)["te-nspl-respond-2026"] == "covering"
    legend = opened.page.inner_text("#overlay-legend")
    assert f"below-level: {MARKS['below-level'].text}" in legend
    assert "(1 below the level needed)" in opened.page.inner_text("#overlay-status")
    # The answer list says which kind of gap it is, and the levels reached and needed.
    row = opened.page.locator("#answer-list > li", has_text="Responding to and referring")
    assert "Level (reached / needed): below level: Foundation / Intermediate" in row.inner_text()
    if request.node.callspec.id == "embedded":
        assert axe_violations(opened) == []


@page_only
def test_overlay_chosen_in_the_page(open_page: Opener, served: Served) -> None:
    opened = open_page(served)
    page = opened.page
    page.select_option("#overlay", "gaps")
    opened.idle()
    assert "Choose a profession" in page.inner_text("#overlay-status")
    page.fill("#profession-search", "Teacher")
    page.wait_for_selector("#profession-results li")
    # The picker offers professions only.
    metas = page.locator("#profession-results .result-meta").all_inner_texts()
    assert metas and all(meta.startswith("Profession") for meta in metas)
    page.press("#profession-search", "Enter")
    wait_for_state(opened, "profession", PROFESSION)
    assert opened.state() == f"overlay=gaps&profession={PROFESSION}"
    doc = api(opened.served, "/api/overlays/gaps", profession=PROFESSION)
    assert highlights(opened) == overlay_words(doc)
    # A minimum evaluation level is the command's --min-evaluation.
    page.select_option("#min-evaluation", "learning")
    wait_for_state(opened, "min_evaluation", "learning")
    strict = api(
        opened.served, "/api/overlays/gaps", profession=PROFESSION, min_evaluation="learning"
    )
    assert highlights(opened) == overlay_words(strict)
    # Another overlay keeps only its own parameters in the address.
    page.select_option("#overlay", "reach")
    opened.idle()
    page.fill("#driver-search", DRIVER)
    page.press("#driver-search", "Enter")
    wait_for_state(opened, "driver", DRIVER)
    assert opened.state() == f"overlay=reach&driver={DRIVER}"
    page.select_option("#overlay", "")
    opened.idle()
    assert opened.state() == "" and highlights(opened) == {}


# -- the time slicer ---------------------------------------------------------------------


def test_slicer_window_sets_from_and_to_and_the_gaps_follow(
    open_page: Opener, served: Served
) -> None:
    # The whole network, which the window filters (an answer view is the analysis' own).
    opened = open_page(served, f"overlay=gaps&profession={PROFESSION}&context=all")
    page = opened.page
    months = api(served, "/api/timeline")["months"]
    everything = opened.drawn_nodes()
    # The keyboard: the window's start to the last year, by Page Up from the end.
    page.focus("#slicer-start")
    page.keyboard.press("End")
    page.keyboard.press("PageDown")
    first = months[len(months) - 1 - 12]
    wait_for_state(opened, "from", f"{first}-01")
    assert str(parameter(opened, "to")).startswith(months[-1])
    window = {"from": parameter(opened, "from"), "to": parameter(opened, "to")}
    doc = api(served, "/api/overlays/gaps", profession=PROFESSION, **window)
    assert highlights(opened) == overlay_words(doc)
    gaps = api(served, "/api/gaps", profession=PROFESSION, **window)["gaps"]
    assert marked(doc, "gap") == {gap["competency"] for gap in gaps}
    assert gaps != api(served, "/api/gaps", profession=PROFESSION)["gaps"]  # the window matters
    # What is drawn: no dated node outside the window.
    dated = api(served, "/api/periods", id=sorted(everything))["periods"]
    outside = {
        p["id"]
        for p in dated
        if p["start_date"]
        and (p["start_date"] > window["to"] or (p["end_date"] or p["start_date"]) < window["from"])
    }
    assert outside and opened.drawn_nodes() == everything - outside
    assert set(opened.table_ids()) == opened.drawn_nodes()
    # The whole window moves a month with an arrow key.
    page.focus("#slicer-window")
    page.keyboard.press("ArrowLeft")
    wait_for_state(opened, "from", f"{months[len(months) - 2 - 12]}-01")
    assert str(parameter(opened, "to")).startswith(months[-2])
    # Dragging the end handle with the mouse.
    box = page.locator("#slicer-chart").bounding_box()
    handle = page.locator("#slicer-end").bounding_box()
    assert box is not None and handle is not None
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    page.mouse.move(
        box["x"] + box["width"] * (len(months) - 6.5) / len(months), handle["y"] + 5, steps=4
    )
    page.mouse.up()
    opened.wait(
        """month => (new URLSearchParams(graphmodelExplorer.state()).get('to') || '')
                     .startsWith(month)""",
        months[len(months) - 7],
    )
    # "Every date" takes the window away.
    page.click("#slicer-clear")
    wait_for_state(opened, "from", None)
    assert opened.state() == f"overlay=gaps&profession={PROFESSION}&context=all"
    assert opened.drawn_nodes() == everything


# -- showcase and focus ---------------------------------------------------------------------


def neighbourhood(served: Served, start: str, steps: int) -> set[str]:
    overview = api(served, "/api/overview")
    links: dict[str, set[str]] = {}
    for r in overview["relationships"]:
        links.setdefault(r["source"], set()).add(r["target"])
        links.setdefault(r["target"], set()).add(r["source"])
    reached, ring = {start}, {start}
    for _ in range(steps):
        ring = {other for node in ring for other in links.get(node, ())} - reached
        reached |= ring
    return reached


@page_only
def test_focus_steps_out_one_degree_at_a_time(open_page: Opener, served: Served) -> None:
    opened = open_page(served, f"focus={PROFESSION}")
    page = opened.page
    everything = opened.drawn_nodes()
    page.focus("#zoom-in")  # keys work anywhere outside a text box
    page.keyboard.press("+")
    wait_for_state(opened, "step", "1")
    assert opened.drawn_nodes() == neighbourhood(served, PROFESSION, 1)
    page.keyboard.press("+")
    wait_for_state(opened, "step", "2")
    two = neighbourhood(served, PROFESSION, 2)
    assert opened.drawn_nodes() == two and len(two) > len(neighbourhood(served, PROFESSION, 1))
    page.keyboard.press("-")
    wait_for_state(opened, "step", "1")
    assert opened.drawn_nodes() == neighbourhood(served, PROFESSION, 1)
    assert "1 step out" in page.inner_text("#focus-status")
    # Showcase: the rest is faded, not hidden (the table lists it too).
    page.check("#showcase")
    wait_for_state(opened, "fade", "true")
    assert opened.drawn_nodes() == everything
    assert set(opened.table_ids()) == everything
    far = sorted(everything - neighbourhood(served, PROFESSION, 1))[0]
    faded = opened.js("id => graphmodelExplorer.graph.getNodeAttribute(id, 'faded')", far)
    near = opened.js("id => graphmodelExplorer.graph.getNodeAttribute(id, 'faded')", PROFESSION)
    assert faded is True and near is None
    page.keyboard.press("0")
    wait_for_state(opened, "step", None)
    assert opened.state() == f"focus={PROFESSION}&fade=true"
    # A text box keeps its keys.
    page.focus("#search")
    page.keyboard.press("+")
    opened.idle()
    assert parameter(opened, "step") is None


# -- explain and path --------------------------------------------------------------------------


def test_explain_a_gap_and_a_path_between_two_nodes(open_page: Opener, served: Served) -> None:
    # On the whole network, where any node can be shift-clicked.
    opened = open_page(served, f"overlay=gaps&profession={PROFESSION}&context=all")
    page = opened.page
    doc = api(served, "/api/overlays/gaps", profession=PROFESSION)
    gaps = sorted(marked(doc, "gap"))
    answers = [api(served, "/api/explain", profession=PROFESSION, competency=gap) for gap in gaps]
    gap, answer = next((g, a) for g, a in zip(gaps, answers, strict=True) if a["near_misses"])
    page.locator(f'#nodes-shown tbody tr[data-id="{gap}"]').click()
    wait_for_state(opened, "focus", gap)
    section = page.inner_text(".details-section.explain")
    assert "Why this is a gap for Teacher" in section
    # In names, not ids.
    name = api(served, f"/api/nodes/{gap}")["name"]
    assert f"No active training for Teacher covers {name}." in section
    assert gap not in section and PROFESSION not in section
    for miss in answer["near_misses"]:
        assert miss["title"] in section
        for target in miss["why"].split(" targets ")[-1].split(", "):
            if target.startswith("p-"):
                assert api(served, f"/api/nodes/{target}")["name"] in section
    assert "What would close it" in section
    assert highlights(opened)[gap] == "focus, gap"
    # A covered competency has no explanation of a gap.
    covered = sorted(marked(doc, "covered"))[0]
    page.locator(f'#nodes-shown tbody tr[data-id="{covered}"]').click()
    wait_for_state(opened, "focus", covered)
    assert page.locator(".details-section.explain").count() == 0
    # Shift-click a second node: the chain's sentences, and the chain drawn.
    target = "dr-drug-strategy"
    opened.wait("() => !graphmodelExplorer.sigma.getCamera().isAnimating()")
    page.click("#fit")  # every node in view
    opened.wait("() => !graphmodelExplorer.sigma.getCamera().isAnimating()")
    x, y = opened.viewport_point(target)
    # Which node sigma finds under the pointer (a neighbour's shape may lie over the target).
    opened.js(
        "() => graphmodelExplorer.sigma.once('clickNode', e => { window.shiftClicked = e.node; })"
    )
    page.keyboard.down("Shift")
    page.mouse.click(x, y)
    page.keyboard.up("Shift")
    opened.wait("() => typeof window.shiftClicked === 'string'")
    target = str(opened.js("window.shiftClicked"))
    assert target != covered
    wait_for_state(opened, "path", target)
    assert parameter(opened, "focus") == covered
    chain = api(served, "/api/path", a=covered, b=target)
    text = page.inner_text(".details-section.path")
    for path in chain["paths"]:
        assert path["sentence"] in text
    colours = edge_attributes(opened, "color")
    for link in chain["paths"][0]["links"]:
        assert colours[(link["source"], link["type"], link["target"])] == LINKS["path"].colour
    # "From the chosen node to..." does the same from the keyboard.
    page.fill("#path-search", "Social worker")
    page.press("#path-search", "Enter")
    wait_for_state(opened, "path", "p-social-worker")
    chain = api(served, "/api/path", a=covered, b="p-social-worker")
    assert chain["paths"][0]["sentence"] in page.inner_text(".details-section.path")
    page.click("text=Clear the path")
    wait_for_state(opened, "path", None)


# -- what if ------------------------------------------------------------------------------


def test_what_if_marks_its_matches_as_hypothetical(open_page: Opener, served: Served) -> None:
    opened = open_page(served)
    page = opened.page
    page.fill("#whatif-text", WHAT_IF)
    page.press("#whatif-text", "Enter")
    wait_for_state(opened, "what_if", WHAT_IF)
    answer = api(served, "/api/links", text=WHAT_IF)
    matched = {m["id"] for matches in answer["matched"].values() for m in matches}
    candidates = {c["initiative"] for c in answer["candidates"]}
    assert matched
    expected = {node: "hypothetical" for node in matched | candidates | {"hypothetical;driver"}}
    assert highlights(opened) == expected
    rows = {row[0]: row for row in opened.table_rows()}
    assert rows["hypothetical;driver"][1:3] == (f"What if: {WHAT_IF}", "Driver")
    # The caption counts the graph's nodes shown, and the hypothetical one apart.
    caption = page.inner_text("#nodes-shown caption")
    assert caption.startswith(f"Nodes shown: {len(rows) - 1:,} of ")
    assert caption.endswith(" in the graph, and 1 hypothetical")
    # The hypothetical links are drawn dashed, and the legend says so.
    dashes = {key: gap for key, gap in edge_attributes(opened, "dashGap").items() if gap}
    assert set(dashes) == {("hypothetical;driver", "MATCHES", m) for m in matched} | {
        (c, "SUGGESTED_RESPONSE", "hypothetical;driver") for c in candidates
    }
    legend = page.inner_text("#whatif-legend")
    assert "hypothetical" in legend and "dashed" in legend
    if request_embedded(served):
        assert axe_violations(opened) == []
    page.click("#whatif-clear")
    wait_for_state(opened, "what_if", None)
    assert highlights(opened) == {}


def request_embedded(served: Served) -> bool:
    return not served.source.startswith(("bolt", "neo4j"))


# -- the address holds it all -------------------------------------------------------------


@page_only
def test_the_address_holds_the_analyses_through_a_reload(open_page: Opener, served: Served) -> None:
    query = urllib.parse.urlencode(
        {
            "focus": "in-nct-workforce-strategy",
            "overlay": "reach",
            "driver": DRIVER,
            "from": "2025-01-01",
            "to": "2026-12-31",
            "fade": "true",
            "step": "2",
            "path": "p-teacher",
            "what_if": WHAT_IF,
        }
    )
    opened = open_page(served, query)
    state = opened.state()
    assert sorted(urllib.parse.parse_qsl(state)) == sorted(urllib.parse.parse_qsl(query))
    before = {
        "nodes": opened.drawn_nodes(),
        "table": opened.table_rows(),
        "details": opened.page.inner_text("#details-body"),
        "legend": opened.page.inner_text("#overlay-legend"),
        "slicer": opened.page.get_attribute("#slicer-window", "aria-valuetext"),
        "controls": [
            opened.page.input_value("#overlay"),
            opened.page.input_value("#driver-search"),
            opened.page.input_value("#whatif-text"),
            opened.page.is_checked("#showcase"),
        ],
    }
    assert before["slicer"] == "Jan 2025 to Dec 2026"
    assert before["controls"][0] == "reach" and before["controls"][2] == WHAT_IF
    opened.page.reload()
    opened.loaded()
    assert opened.state() == state
    after = {
        "nodes": opened.drawn_nodes(),
        "table": opened.table_rows(),
        "details": opened.page.inner_text("#details-body"),
        "legend": opened.page.inner_text("#overlay-legend"),
        "slicer": opened.page.get_attribute("#slicer-window", "aria-valuetext"),
        "controls": [
            opened.page.input_value("#overlay"),
            opened.page.input_value("#driver-search"),
            opened.page.input_value("#whatif-text"),
            opened.page.is_checked("#showcase"),
        ],
    }
    assert after == before
    assert axe_violations(opened) == []
    # Reset clears every analysis too.
    opened.page.click("#reset")
    opened.wait("() => graphmodelExplorer.state() === ''")
    opened.idle()
    assert highlights(opened) == {}
    assert opened.page.input_value("#overlay") == ""
