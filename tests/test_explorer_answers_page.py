"""Answer views in the explorer's page, in Debian's Chromium, on both backends.

Every overlay (and a path, and a what-if) is opened by its address on the
bundled example and on a larger generated exercise, each served from its
folder and from the local Neo4j test server, and its picture is measured
from the page itself, as ``../shared/tools/readability.py`` measures it
(sigma's display data and displayed labels; label boxes of 12 px
sans-serif to the right of each node): at least 90% of the drawn nodes carry
a mark in the "Nodes shown" table's highlight column, no two drawn nodes
overlap (discs closer than four fifths of their radii), every marked node's
name is displayed and no two displayed names overlap. The answer view draws
only the answer and its context (the overlay's nodes), and the analysis' own
answer (every gap of the profession) is always drawn.

Then, on the example: the whole network comes back with context=all; the
answer list's rows choose their nodes and copy as a table; the table of
nodes shown sorts and filters by mark; the details name related nodes; and
the walk-through's findings (search by words of ids, pickers that list,
the what-if's driver, focus after "Choose", nothing clipped at 1400x900 and
1280x720).

Set ``GRAPHMODEL_WRITE_DOC_IMAGES=1`` to refresh docs/images/explorer-answer-*.png.
"""

from __future__ import annotations

import json
import os
import shutil
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import EXAMPLE, NEO4J_PASSWORD, NEO4J_URI, NEO4J_USER, ROOT
from explorer_browser import (
    ExplorerPage,
    Served,
    axe_violations,
    serve,
)

from graphmodel.synthetic import Scale, synthetic_dataset, with_near_copies

Opener = Callable[..., ExplorerPage]

WHAT_IF = "online safety and exploitation of children"
#: Each answer view's address, on each exercise.
VIEWS: dict[str, dict[str, str]] = {
    "example": {
        "gaps": "overlay=gaps&profession=p-teacher",
        "uncovered": "overlay=uncovered",
        "duplicates": "overlay=duplicates",
        "reach": "overlay=reach&driver=dr-inquiry-report",
        "brokers": "overlay=brokers",
        "path": "focus=org-hearthside&path=dr-drug-strategy",
        "what-if": "what_if=" + urllib.parse.quote(WHAT_IF),
    },
    "larger": {
        "gaps": "overlay=gaps&profession=p-10",
        "uncovered": "overlay=uncovered",
        "duplicates": "overlay=duplicates",
        "reach": "overlay=reach&driver=dr-0",
        "brokers": "overlay=brokers",
        "path": "focus=org-1&path=dr-3",
    },
}
#: The analysis' own marks: a view never leaves them out to make room.
ANSWER_MARKS = {"gap", "covered", "profession", "uncovered", "duplicate", "driver", "responding"}


def larger_exercise():  # type: ignore[no-untyped-def]
    """A generated exercise of 346 nodes: 32 gaps for p-10, 7 uncovered competencies,
    7 duplicate pairs, a driver with 22 responders touching 121 nodes, 44 candidates."""
    scale = Scale(3, 150, 12, 360, 40, 70, 60, 5)
    dataset = synthetic_dataset(scale, seed=3, wording="repetitive")
    return with_near_copies(dataset, 0.1, seed=2, wording="repetitive")[0]


@pytest.fixture(
    scope="module",
    params=[
        ("example", "embedded"),
        pytest.param(("example", "neo4j"), marks=pytest.mark.neo4j),
        ("larger", "embedded"),
        pytest.param(("larger", "neo4j"), marks=pytest.mark.neo4j),
    ],
    ids=["example-embedded", "example-neo4j", "larger-embedded", "larger-neo4j"],
)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """An exercise served from its folder, or from the local Neo4j it was loaded into."""
    exercise, backend = request.param
    layouts = tmp_path_factory.mktemp("layouts")
    from graphmodel.dataset import read_dataset
    from graphmodel.io.tabular import write_dataset

    if exercise == "example":
        dataset, folder = None, str(EXAMPLE.relative_to(ROOT))
    else:
        dataset = larger_exercise()
        path = tmp_path_factory.mktemp("larger") / "exercise"
        write_dataset(dataset, path)
        folder = str(path)
    if backend == "embedded":
        server = serve(folder, cache_dir=layouts)
    else:
        loaded = dataset if dataset is not None else read_dataset(EXAMPLE)
        request.getfixturevalue("neo4j_backend").load(loaded, replace=True)
        credentials = ("--user", NEO4J_USER, "--password", NEO4J_PASSWORD)
        server = serve(NEO4J_URI, *credentials, cache_dir=layouts)
    server.exercise = exercise  # type: ignore[attr-defined]
    yield server
    server.stop()


def api(served: Served, path: str, **parameters: Any) -> Any:
    query = urllib.parse.urlencode(parameters, doseq=True)
    request = urllib.request.Request(
        f"{served.origin}{path}{'?' + query if query else ''}",
        headers={"Authorization": f"Bearer {served.token}"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


#: readability.py's measure, as the page is judged (DESIGN section 14).
MEASURE = r"""() => {
  const h = window.graphmodelExplorer;
  const s = h.sigma;
  const t = [...document.querySelectorAll('table')].find(
      t => t.caption && t.caption.innerText.trim().startsWith('Nodes shown'));
  const rows = [...t.querySelectorAll('tbody tr')].map(
      r => [...r.querySelectorAll('td,th')].map(c => c.innerText.trim()));
  const marks = {};
  for (const r of rows) {
    const words = (r[3] || '').toLowerCase().split(',').map(w => w.trim())
        .filter(w => w && w !== 'focus');
    if (words.length) marks[r[0]] = words;
  }
  const drawn = h.drawn().nodes;
  const shown = s.getNodeDisplayedLabels();
  const ctx = document.createElement('canvas').getContext('2d');
  const pts = [];
  for (const id of drawn) {
    const d = s.getNodeDisplayData(id);
    if (!d || d.hidden) continue;
    const p = s.framedGraphToViewport(d);
    pts.push({id, x: p.x, y: p.y, r: s.scaleSize(d.size), label: d.label || ''});
  }
  const overlapping = [];
  for (let i = 0; i < pts.length; i++) for (let j = i + 1; j < pts.length; j++) {
    const a = pts[i], b = pts[j];
    if (Math.hypot(a.x - b.x, a.y - b.y) < 0.8 * (a.r + b.r)) overlapping.push([a.id, b.id]);
  }
  const boxes = [];
  for (const p of pts) {
    if (!shown.has(p.id) || !p.label) continue;
    ctx.font = '12px sans-serif';
    const w = ctx.measureText(p.label).width;
    boxes.push({id: p.id, x0: p.x + p.r + 3, x1: p.x + p.r + 3 + w, y0: p.y - 6, y1: p.y + 6});
  }
  const clashing = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > 2
        && Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) > 2) clashing.push([a.id, b.id]);
  }
  const marked = drawn.filter(id => marks[id]);
  return {drawn, marked: marked.length, relevance: drawn.length ? marked.length / drawn.length : 0,
          overlapping, unlabelled: marked.filter(id => !shown.has(id)), clashing, marks};
}"""


def measure(opened: ExplorerPage) -> dict[str, Any]:
    opened.page.wait_for_timeout(300)  # the camera settles (answer views set it at once)
    return dict(opened.js(MEASURE))


def assert_readable(found: dict[str, Any], what: str) -> None:
    assert found["drawn"], what
    assert found["relevance"] >= 0.9, (what, found["relevance"])
    assert found["overlapping"] == [], (what, found["overlapping"][:5])
    assert found["unlabelled"] == [], (what, found["unlabelled"][:5])
    assert found["clashing"] == [], (what, found["clashing"][:5])


# -- every answer view, readable by measure ----------------------------------------------


def test_every_answer_view_is_readable(open_page: Opener, served: Served) -> None:
    exercise = served.exercise  # type: ignore[attr-defined]
    for name, query in VIEWS[exercise].items():
        opened = open_page(served, query)
        found = measure(opened)
        assert_readable(found, f"{exercise} {name}")
        drawn = set(found["drawn"])
        if query.startswith("overlay="):
            options = dict(urllib.parse.parse_qsl(query))
            overlay = options.pop("overlay")
            doc = api(served, f"/api/overlays/{overlay}", **options)
            marks = {node["id"]: node["marks"] for node in doc["nodes"]}
            # The answer and its context, nothing else; the answer itself always drawn.
            assert drawn <= set(marks), name
            view = {b["header"] for b in doc["view"]["blocks"] if b["header"]}
            view |= {i["id"] for b in doc["view"]["blocks"] for i in b["items"]}
            view |= set(doc["view"]["centre"])
            answer = {n for n in view if ANSWER_MARKS & set(marks[n])}
            assert answer <= drawn, (name, sorted(answer - drawn)[:5])
            # The table's words are the overlay's marks.
            assert {n: found["marks"].get(n) for n in drawn} == {n: marks[n] for n in drawn}
        elif name == "path":
            path = api(served, "/api/path", a=query.split("&")[0][6:], b=query.split("path=")[1])
            assert drawn == set(path["nodes"])
        if name == "gaps":
            gaps = api(served, "/api/gaps", profession=query.split("profession=")[1])["gaps"]
            # Every gap competency is drawn as itself.
            assert {gap["competency"] for gap in gaps} <= drawn
        if served.source.startswith("examples") and os.environ.get("GRAPHMODEL_WRITE_DOC_IMAGES"):
            shutil.copy(
                opened.screenshot(f"explorer-answer-{name}"),
                ROOT / "docs" / "images" / f"explorer-answer-{name}.png",
            )
        opened.page.close()
    if served.source.startswith("examples") and os.environ.get("GRAPHMODEL_WRITE_DOC_IMAGES"):
        # The page as a strategist first uses it: teachers' gaps, the worst one chosen.
        opened = open_page(served, VIEWS["example"]["gaps"] + "&focus=ccs-safe-recognise")
        opened.page.wait_for_timeout(1000)
        shutil.copy(
            opened.screenshot("explorer-example"), ROOT / "docs" / "images" / "explorer-example.png"
        )


# -- the page round the answer (example, embedded) ------------------------------------------

example_only = pytest.mark.parametrize("served", [("example", "embedded")], indirect=True)


@example_only
def test_whole_network_and_back(open_page: Opener, served: Served) -> None:
    opened = open_page(served, VIEWS["example"]["gaps"])
    answer = set(opened.drawn_nodes())
    overview = api(served, "/api/overview")
    assert len(answer) < len(overview["nodes"])
    opened.page.click("#answer-context")
    opened.wait("() => graphmodelExplorer.state().includes('context=all')")
    opened.idle()
    whole = opened.drawn_nodes()
    assert {node["id"] for node in overview["nodes"]} | answer == whole
    assert opened.page.inner_text("#answer-context") == "Show the answer only"
    # The address holds it: a reload shows the whole network again.
    opened.page.reload()
    opened.loaded()
    assert opened.drawn_nodes() == whole
    opened.page.click("#answer-context")
    opened.wait("() => !graphmodelExplorer.state().includes('context=all')")
    opened.idle()
    assert opened.drawn_nodes() == answer


@example_only
def test_answer_list_chooses_and_copies(open_page: Opener, served: Served, browser: Any) -> None:
    opened = open_page(served, VIEWS["example"]["duplicates"])
    doc = api(served, "/api/overlays/duplicates")
    items = opened.page.locator("#answer-list > li")
    assert items.count() == len(doc["answer"]["rows"]) == len(doc["analysis"]["pairs"])
    # Each pair says its score, why, leads and budgets, in names.
    first = items.nth(0).inner_text()
    pair = doc["analysis"]["pairs"][0]
    assert f"{pair['score']}" in first and "Leads:" in first and "Budgets:" in first
    assert pair["a"] not in first  # names, not ids
    # Choosing a row chooses its node; the keyboard stays on the row's button.
    button = opened.page.locator("#answer-list > li button").nth(1)
    button.focus()
    opened.page.keyboard.press("Enter")
    opened.wait(
        "id => graphmodelExplorer.state().includes('focus=' + id)", doc["answer"]["rows"][1]["id"]
    )
    opened.idle()
    assert opened.js("document.activeElement.classList.contains('answer-choose')")
    assert (
        opened.js("document.activeElement.closest('li').dataset.id")
        == doc["answer"]["rows"][1]["id"]
    )
    # Copy as a table: a header and one tab-separated line per row.
    opened.page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=served.origin
    )
    opened.page.click("#answer-copy")
    opened.wait("() => document.getElementById('answer-status').textContent.startsWith('Copied')")
    text = opened.js("navigator.clipboard.readText()")
    lines = text.rstrip("\r\n").split("\r\n")
    assert lines[0].split("\t") == [column["title"] for column in doc["answer"]["columns"]]
    assert len(lines) == len(doc["answer"]["rows"]) + 1
    assert all(len(line.split("\t")) == len(doc["answer"]["columns"]) for line in lines)


@example_only
def test_nodes_table_sorts_and_filters_by_mark(open_page: Opener, served: Served) -> None:
    opened = open_page(served, VIEWS["example"]["gaps"])
    every = opened.table_rows()
    opened.page.select_option("#nodes-filter", "gap")
    only = opened.table_rows()
    assert only and all("gap" in row[3].split(", ") for row in only)
    assert len(only) == sum("gap" in row[3].split(", ") for row in every)
    assert "only those marked gap" in opened.page.inner_text("#nodes-shown caption")
    opened.page.select_option("#nodes-filter", "")
    opened.page.click(".sort-button[data-sort='highlight']")
    words = [row[3] for row in opened.table_rows()]
    assert words == sorted(words, key=str.lower)
    opened.page.click(".sort-button[data-sort='highlight']")
    assert [row[3] for row in opened.table_rows()] == sorted(words, key=str.lower, reverse=True)
    assert opened.page.get_attribute(
        "th:has(.sort-button[data-sort='highlight'])", "aria-sort"
    ) == ("descending")


@example_only
def test_details_name_the_related_nodes(open_page: Opener, served: Served) -> None:
    opened = open_page(served, "focus=te-nqsw-cohort-2025")
    around = api(served, "/api/nodes/te-nqsw-cohort-2025/neighbours")
    lead = next(r["source"] for r in around["relationships"] if r["type"] == "LEADS")
    lead_name = next(n["name"] for n in around["nodes"] if n["id"] == lead)
    details = opened.page.inner_text("#details-body")
    assert "Led by" in details and lead_name in details
    assert "Targets" in details
    # Each related name is an item of its own (a comma after a long name wrapped alone).
    targets = sorted({r["target"] for r in around["relationships"] if r["type"] == "TARGETS"})
    target_items = opened.page.locator(
        ".related-list dt:text-is('Targets') + dd .related-names > li"
    ).all_inner_texts()
    names = {n["id"]: n["name"] for n in around["nodes"]}
    assert sorted(target_items) == sorted(names[t] for t in targets)
    opened.page.locator("#details-body button", has_text=lead_name).first.click()
    opened.wait("id => graphmodelExplorer.state().includes('focus=' + id)", lead)


@example_only
def test_walk_through_findings(open_page: Opener, served: Served) -> None:
    opened = open_page(served)
    page = opened.page
    # Search by words of an id, in any order.
    page.fill("#search", "inquiry")
    page.wait_for_selector("#search-results li")
    assert "dr-inquiry-report" in page.inner_text("#search-results")
    # A picker lists its choices when empty.
    page.select_option("#overlay", "gaps")
    opened.idle()
    page.focus("#profession-search")
    page.wait_for_selector("#profession-results li")
    professions = api(served, "/api/summary")["nodes"]["Profession"]
    assert page.locator("#profession-results li").count() == professions
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    opened.wait("() => graphmodelExplorer.state().includes('profession=')")
    opened.idle()
    # From the analyses' controls straight to the answer list, by keyboard.
    page.focus("#answer-skip")
    page.keyboard.press("Enter")
    assert opened.js("document.activeElement.classList.contains('answer-choose')")
    # The what-if's hypothetical driver can be chosen (no 404), and says what it is.
    opened = open_page(served, VIEWS["example"]["what-if"])
    opened.js("graphmodelExplorer.explorer.select('hypothetical;driver')")
    opened.idle()
    assert opened.js("graphmodelExplorer.error") is None
    assert "What if" in opened.page.inner_text("#details-body")
    # A driver already in the data is recognised, not drawn as hypothetical.
    existing = api(served, "/api/nodes/dr-exploitation-duty")["name"]
    opened = open_page(served, "what_if=" + urllib.parse.quote(existing))
    status = opened.page.inner_text("#whatif-status")
    assert "already in the data" in status
    assert "hypothetical;driver" not in opened.drawn_nodes()
    opened.page.click("#whatif-status button")
    opened.wait(
        "() => graphmodelExplorer.state().includes('overlay=reach&driver=dr-exploitation-duty')"
    )
    # "Choose" a near miss: the keyboard moves to the chosen node's name, not the page's top.
    opened = open_page(served, VIEWS["example"]["gaps"] + "&focus=ccs-safe-recognise")
    choose = opened.page.locator(".near-misses button").first
    choose.focus()
    opened.page.keyboard.press("Enter")
    opened.wait("() => !graphmodelExplorer.state().includes('focus=ccs-safe-recognise')")
    opened.idle()
    assert opened.js("document.activeElement.classList.contains('details-name')")


@example_only
@pytest.mark.parametrize("size", [(1400, 900), (1280, 720)], ids=["1400x900", "1280x720"])
def test_nothing_is_clipped(open_page: Opener, served: Served, size: tuple[int, int]) -> None:
    opened = open_page(served, VIEWS["example"]["gaps"], viewport=size)
    # Every control and heading lies inside the panel that clips or scrolls it, and holds its text.
    clipped = opened.js(
        """() => [...document.querySelectorAll('button, input, select, label, h1, h2, h3')]
            .filter(e => e.offsetParent !== null && !e.closest('.visually-hidden'))
            .filter(e => {
              const box = e.getBoundingClientRect();
              let clip = e.parentElement;
              while (clip && getComputedStyle(clip).overflowX === 'visible') {
                clip = clip.parentElement;
              }
              const edge = clip ? clip.getBoundingClientRect() : {left: 0, right: innerWidth};
              const inline = getComputedStyle(e).display === 'inline';
              return box.right > edge.right + 1 || box.left < edge.left - 1
                  || (!inline && e.tagName !== 'INPUT' && e.scrollWidth > e.clientWidth + 1);
            })
            .map(e => e.id || e.textContent.trim().slice(0, 30))"""
    )
    assert clipped == []
    assert axe_violations(opened) == []


@pytest.mark.parametrize(
    "served",
    [("example", "embedded"), pytest.param(("example", "neo4j"), marks=pytest.mark.neo4j)],
    indirect=True,
    ids=["embedded", "neo4j"],
)
def test_search_by_words_of_ids_and_names_on_both_backends(served: Served) -> None:
    def found(q: str, **options: Any) -> list[str]:
        return [hit["id"] for hit in api(served, "/api/search", q=q, **options)["results"]]

    assert found("inquiry") == ["dr-inquiry-report"]
    assert found("report inquiry") == ["dr-inquiry-report"]  # any order
    assert found("national inquiry") == ["dr-inquiry-report"]  # a word of the name, one of the id
    assert found("teacher")[0] == "p-teacher"
    # Names holding every word come before ids holding some.
    assert (
        found("drug", limit=50)[0] != "dr-drug-strategy"
        or "drug" in api(served, "/api/nodes/dr-drug-strategy")["name"].lower()
    )
    # An empty text with a type lists that type by name (a picker opened empty).
    listed = api(served, "/api/search", q="", label="Profession", limit=100)
    names = [hit["name"] for hit in listed["results"]]
    assert listed["total"] == api(served, "/api/summary")["nodes"]["Profession"] == len(names)
    assert names == sorted(names, key=str.lower)
