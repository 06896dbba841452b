"""The explorer's page in Debian's Chromium, against ``graphmodel serve`` on both backends.

One server per backend (the bundled example as a dataset, and the same
example loaded into the local Neo4j test server) and one browser for the
module; each test opens the page afresh. Every page refuses and records any
request that does not go to the served loopback address, and every page or
console error: the teardown fails on any. What the page draws is compared
with what the API answers for the same question: those tests run against
both backends; the tests of the page's own controls (filters and table,
keyboard, accessibility, extensions) against the embedded one. A crafted
dataset (hostile names, a driver with 151 neighbours) has a server of its own.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import BASE_TABLES, write_csv_dataset
from explorer_browser import (
    ExplorerPage,
    Explorers,
    PageContext,
    Served,
    axe_violations,
    drawing_statistics,
    serve,
)

from graphmodel.visuals.palette import NODE_STYLES

BACKGROUND = "#fbfbf8"  # the drawing's background (explorer.css --canvas)

Opener = Callable[..., ExplorerPage]


@pytest.fixture(scope="module", params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def served(request: pytest.FixtureRequest, explorers: Explorers) -> Served:
    """The example, served from its folder or from the local Neo4j it was loaded into."""
    return explorers.example(request)


#: Tests of the page's own behaviour, whatever the backend: run on the embedded one only.
page_only = pytest.mark.parametrize("served", ["embedded"], indirect=True)

HOSTILE_IMG = '<img src=x onerror="window.pwned=1">'
HOSTILE_SCRIPT = "</script><script>window.pwned=2</script>"
HUB_SIZE = 151  # initiatives answering one driver: more than a page of neighbours


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@pytest.fixture(scope="module")
def crafted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A small dataset with hostile names and a driver that 151 initiatives answer."""
    folder = tmp_path_factory.mktemp("crafted")
    initiatives = (
        BASE_TABLES["initiatives"].rstrip()
        + "\n"
        + "".join(
            f"        in-hub-{n:03},Hub initiative {n:03},,strategy,org-council,,active,"
            f"2025-01-01,,,,,dr-review,\n"
            for n in range(HUB_SIZE - 1)
        )
    )
    professions = f"""\
        id,name,sector,description
        p-social-worker,{_csv_cell(HOSTILE_IMG)},social care,
        p-teacher,{_csv_cell(HOSTILE_SCRIPT)},education,{_csv_cell("<b>bold</b> & more")}
        """
    write_csv_dataset(
        folder, {**BASE_TABLES, "initiatives": initiatives, "professions": professions}
    )
    server = serve(str(folder), cache_dir=tmp_path_factory.mktemp("crafted-layouts"))
    yield server
    server.stop()


def api(served: Served, path: str, **parameters: Any) -> Any:
    """The API's answer, asked as any client would (the token in the header)."""
    query = urllib.parse.urlencode(parameters, doseq=True)
    request = urllib.request.Request(
        f"{served.origin}{path}{'?' + query if query else ''}",
        headers={"Authorization": f"Bearer {served.token}"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def node_path(node: str) -> str:
    return "/api/nodes/" + urllib.parse.quote(node, safe="")


def triples(relationships: list[dict[str, Any]]) -> Counter[tuple[str, str, str]]:
    return Counter((r["source"], r["type"], r["target"]) for r in relationships)


def wait_for_focus(opened: ExplorerPage, node: str) -> None:
    opened.wait("id => new URLSearchParams(graphmodelExplorer.state()).get('focus') === id", node)
    opened.idle()


def wait_for_camera(opened: ExplorerPage) -> None:
    opened.wait("() => !graphmodelExplorer.sigma.getCamera().isAnimating()")


def row(opened: ExplorerPage, node: str) -> Any:
    return opened.page.locator(f'#nodes-shown tbody tr[data-id="{node}"]')


# -- the overview ---------------------------------------------------------------------


def test_page_loads_offline_and_draws_the_overview(
    open_page: Opener, served: Served, browser: Any, request: pytest.FixtureRequest
) -> None:
    opened = open_page(served)
    overview = api(served, "/api/overview")
    assert overview["rolled_up"] is False  # the example is small: every node
    assert opened.drawn_nodes() == {node["id"] for node in overview["nodes"]}
    assert opened.drawn_edges() == triples(overview["relationships"])
    assert sorted(opened.table_ids()) == sorted(node["id"] for node in overview["nodes"])
    caption = opened.page.inner_text("#nodes-shown caption")
    assert caption.startswith(f"Nodes shown: {len(overview['nodes'])}")
    label = opened.page.get_attribute("#graph", "aria-label")
    assert label is not None
    assert f"{len(overview['nodes'])} nodes" in label and "Nodes shown" in label
    # The canvas shows the picture: many pixels off the background, and each
    # node type's own colour.
    png = opened.page.locator("#graph").screenshot()
    name = request.node.callspec.id
    opened.screenshot(f"explorer-overview-{name}")
    labels = {node["label"] for node in overview["nodes"]}
    colours = [NODE_STYLES[label].colour for label in sorted(labels)]
    stats = drawing_statistics(browser, png, colours, BACKGROUND)
    assert stats["different"] > 0.02 * stats["width"] * stats["height"]
    assert all(stats["near"][colour] > 30 for colour in colours), stats["near"]


@page_only
def test_stray_cookies_on_the_host_do_not_lock_the_page_out(
    open_page: Opener, served: Served
) -> None:
    # Cookies ignore ports: other apps on 127.0.0.1 set these before the explorer was
    # opened, so the browser sends them ahead of the token cookie the page sets.
    host = urllib.parse.urlsplit(served.origin).hostname
    stray = [
        ("prefs", '{"a":1}'),  # a JSON value
        ("theme", "dark mode"),  # a space
        ("", "flag"),  # no value (set as document.cookie = "flag")
        ("lang", "français"),  # a non-ASCII character
    ]
    cookies = [{"name": n, "value": v, "domain": host, "path": "/"} for n, v in stray]
    opened = open_page(served, cookies=cookies)
    sent = opened.page.context.cookies()
    assert {(c["name"], c["value"]) for c in sent} >= set(stray)  # the browser kept them
    assert any(c["name"].startswith("graphmodel_token_") for c in sent)
    overview = api(served, "/api/overview")
    assert opened.drawn_nodes() == {node["id"] for node in overview["nodes"]}
    assert opened.drawn_edges() == triples(overview["relationships"])


def test_search_focuses_the_typed_node(open_page: Opener, served: Served) -> None:
    opened = open_page(served)
    page = opened.page
    for typed in ["Health visitor", "dr-drug-strategy", "domestic abuse awareness"]:
        expected = api(served, "/api/search", q=typed)["results"][0]["id"]
        page.fill("#search", typed)
        page.press("#search", "Enter")
        wait_for_focus(opened, expected)
        assert row(opened, expected).get_attribute("aria-current") == "true"
        assert row(opened, expected).locator("td").nth(3).inner_text() == "focus"
        highlighted = [r for r in opened.table_rows() if r[3]]
        assert highlighted == [row_ for row_ in opened.table_rows() if row_[0] == expected]
        name = api(served, node_path(expected))["name"]
        assert page.inner_text(".details-name") == name
        # The camera comes to the node.
        wait_for_camera(opened)
        camera, data = opened.js(
            """id => [graphmodelExplorer.sigma.getCamera().getState(),
                      graphmodelExplorer.sigma.getNodeDisplayData(id)]""",
            expected,
        )
        assert abs(camera["x"] - data["x"]) < 1e-3 and abs(camera["y"] - data["y"]) < 1e-3
    assert expected == "ccs-safe-da"  # words of a name, in any order
    # Typing shows a list of matches; the arrow keys and Enter choose one.
    page.fill("#search", "social")
    page.wait_for_selector("#search-results li")
    assert page.get_attribute("#search", "aria-expanded") == "true"
    page.press("#search", "ArrowDown")
    page.press("#search", "ArrowDown")
    second = api(served, "/api/search", q="social", limit=12)["results"][1]
    assert page.get_attribute("#search", "aria-activedescendant") == "search-option-1"
    assert page.get_attribute("#search-option-1", "aria-selected") == "true"
    page.press("#search", "Enter")
    wait_for_focus(opened, second["id"])
    assert page.get_attribute("#search", "aria-expanded") == "false"
    page.fill("#search", "no such thing at all")
    page.press("#search", "Enter")
    opened.wait(
        "() => document.getElementById('search-status').textContent.startsWith('No node matches')"
    )
    assert opened.focus() == second["id"]


def test_search_adds_a_node_the_drawing_lacks(open_page: Opener, served: Served) -> None:
    opened = open_page(served, "max_nodes=20")
    assert "p-health-visitor" not in opened.drawn_nodes()  # rolled up into its group
    before = opened.drawn_nodes()
    opened.page.fill("#search", "Health visitor")
    opened.page.press("#search", "Enter")
    wait_for_focus(opened, "p-health-visitor")
    assert opened.drawn_nodes() == before | {"p-health-visitor"}
    assert "p-health-visitor" in opened.table_ids()


# -- expanding ------------------------------------------------------------------------


def test_double_click_adds_exactly_the_neighbours_listed(open_page: Opener, served: Served) -> None:
    opened = open_page(served, "max_nodes=20")
    node = "dr-inquiry-report"  # a node of its own in the rolled-up picture
    before_nodes, before_edges = opened.drawn_nodes(), opened.drawn_edges()
    listed = api(served, node_path(node) + "/neighbours", limit=100)
    assert listed["total"] == len(listed["nodes"]) > 0
    x, y = opened.viewport_point(node)
    opened.page.mouse.dblclick(x, y)
    opened.wait("() => graphmodelExplorer.state().includes('open=')")
    opened.idle()
    assert opened.state() == "max_nodes=20&focus=dr-inquiry-report&open=dr-inquiry-report"
    added = {n["id"] for n in listed["nodes"]}
    assert opened.drawn_nodes() == before_nodes | added
    assert opened.drawn_edges() == before_edges + Counter(
        set(triples(listed["relationships"])) - set(before_edges)
    )
    assert set(opened.table_ids()) == opened.drawn_nodes()
    assert f"All {listed['total']} neighbours shown" in opened.page.inner_text("#details-body")
    opened.page.click("text=Hide neighbours")
    opened.idle()
    assert opened.drawn_nodes() == before_nodes
    assert opened.drawn_edges() == before_edges


def test_depth_adds_the_focus_neighbourhood(open_page: Opener, served: Served) -> None:
    node = "dr-inquiry-report"
    opened = open_page(served, f"max_nodes=20&focus={node}&depth=2")
    overview = {n["id"] for n in api(served, "/api/overview", max_nodes=20)["nodes"]}
    first = api(served, node_path(node) + "/neighbours", limit=100)
    second = [
        api(served, node_path(n["id"]) + "/neighbours", limit=20) for n in first["nodes"]
    ]  # two steps out: at most 20 neighbours of each node one step out
    one_step = overview | {node} | {n["id"] for n in first["nodes"]}
    two_steps = one_step | {n["id"] for page in second for n in page["nodes"]}
    assert opened.drawn_nodes() == two_steps
    assert opened.page.input_value("#depth") == "2"
    opened.page.select_option("#depth", "1")
    opened.idle()
    assert opened.drawn_nodes() == one_step
    opened.page.select_option("#depth", "0")
    opened.idle()
    assert opened.drawn_nodes() == overview
    assert opened.state() == f"max_nodes=20&focus={node}"


def test_neighbours_come_a_page_at_a_time(open_page: Opener, crafted: Served) -> None:
    opened = open_page(crafted, "max_nodes=20&focus=dr-review")
    before = opened.drawn_nodes()
    opened.page.click("button:has-text('Show neighbours')")
    opened.idle()
    first = api(crafted, node_path("dr-review") + "/neighbours", limit=100)
    assert first["total"] == HUB_SIZE and len(first["nodes"]) == 100
    assert opened.drawn_nodes() == before | {n["id"] for n in first["nodes"]}
    text = opened.page.inner_text("#details-body")
    assert f"Neighbours shown: 100 of {HUB_SIZE} ({HUB_SIZE - 100} more)" in text
    opened.page.click(f"button:has-text('Show {HUB_SIZE - 100} more')")
    opened.idle()
    second = api(crafted, node_path("dr-review") + "/neighbours", limit=100, offset=100)
    assert opened.drawn_nodes() == before | {n["id"] for n in first["nodes"] + second["nodes"]}
    assert "open=dr-review%3B2" in opened.state()
    assert f"All {HUB_SIZE} neighbours shown" in opened.page.inner_text("#details-body")


# -- the table and the filters --------------------------------------------------------------


@page_only
def test_table_is_what_is_drawn_and_follows_the_filters(open_page: Opener, served: Served) -> None:
    opened = open_page(served)
    page = opened.page
    everything, all_edges = opened.drawn_nodes(), opened.drawn_edges()
    assert len(opened.table_ids()) == len(everything)
    assert set(opened.table_ids()) == everything
    types = {r[0]: r[2] for r in opened.table_rows()}
    page.uncheck("#label-Competency")
    opened.idle()
    kept = {node for node in everything if types[node] != "Competency"}
    assert opened.drawn_nodes() == kept
    assert sorted(opened.table_ids()) == sorted(kept)
    assert "Competency" not in {r[2] for r in opened.table_rows()}
    assert opened.drawn_edges() == Counter(
        {e: n for e, n in all_edges.items() if e[0] in kept and e[2] in kept}
    )
    assert opened.state() == "hide_label=Competency"
    page.uncheck("#type-TARGETS")
    opened.idle()
    assert opened.drawn_nodes() == kept
    assert not [e for e in opened.drawn_edges() if e[1] == "TARGETS"]
    assert opened.state() == "hide_label=Competency&hide_type=TARGETS"
    page.click("button[data-show-all=label]")
    opened.idle()
    assert set(opened.table_ids()) == everything
    page.check("#type-TARGETS")
    opened.idle()
    assert opened.drawn_edges() == all_edges
    assert opened.state() == ""


# -- groups ---------------------------------------------------------------------------------


def test_group_expansion_brings_members_and_keeps_positions(
    open_page: Opener, served: Served
) -> None:
    opened = open_page(served, "max_nodes=20")
    rolled = api(served, "/api/overview", max_nodes=20)
    assert rolled["rolled_up"] is True
    assert opened.drawn_nodes() == {node["id"] for node in rolled["nodes"]}
    before = opened.positions()
    # Double-clicking a group shows its members, round it; nothing else moves.
    group = "group;TrainingEvent"
    x, y = opened.viewport_point(group)
    opened.page.mouse.dblclick(x, y)
    opened.wait("() => graphmodelExplorer.state().includes('expand=')")
    opened.idle()
    assert opened.state() == "max_nodes=20&expand=group%3BTrainingEvent"
    expanded = api(served, "/api/overview", max_nodes=20, expand=group)
    assert opened.drawn_nodes() == {node["id"] for node in expanded["nodes"]}
    assert opened.drawn_edges() == triples(expanded["relationships"])
    assert set(opened.table_ids()) == opened.drawn_nodes()
    after = opened.positions()
    assert group not in after
    for node, place in before.items():
        if node != group:
            assert after[node] == place, node
    for node in expanded["nodes"]:
        assert after[node["id"]] == (node["x"], node["y"])
    # Choosing a group (here from the table) offers its members too.
    second = "group;Competency"
    row(opened, second).click()
    wait_for_focus(opened, second)
    assert "Group" in opened.page.inner_text("#details-body")
    opened.page.click("button:has-text('Show members')")
    opened.idle()
    both = api(served, "/api/overview", max_nodes=20, expand=[group, second])
    assert opened.drawn_nodes() == {node["id"] for node in both["nodes"]}
    # Folding the first group again.
    folds = opened.page.locator("#expanded-groups li button")
    assert folds.count() == 2
    folds.first.click()
    opened.idle()
    assert opened.state() == "max_nodes=20&expand=group%3BCompetency"
    only_second = api(served, "/api/overview", max_nodes=20, expand=second)
    assert opened.drawn_nodes() == {node["id"] for node in only_second["nodes"]}


# -- the address holds the view ------------------------------------------------------------------


def snapshot(opened: ExplorerPage) -> dict[str, Any]:
    return {
        "url": opened.page.url,
        "nodes": opened.drawn_nodes(),
        "edges": opened.drawn_edges(),
        "positions": opened.positions(),
        "table": opened.table_rows(),
        "details": opened.page.inner_text("#details-body"),
        "filters": opened.js(
            "Array.from(document.querySelectorAll('.filter input')).map(b => b.checked)"
        ),
        "selects": [opened.page.input_value("#max-nodes"), opened.page.input_value("#depth")],
    }


@page_only
def test_an_address_naming_groups_the_graph_lacks_opens_the_rest(
    open_page: Opener, served: Served
) -> None:
    # A well-formed group of no group here is a 404 (the API's unknown id); the page opens
    # the overview with the groups folded and says so under the drawing.
    refused = "the server responded with a status of 404"
    query = "max_nodes=20&expand=group%3BTrainingEvent%3Borg-nobody"
    opened = open_page(served, query, expected_errors=(refused,))
    assert len(opened.expected) == 1 and refused in opened.expected[0]
    status = opened.page.inner_text("#graph-status")
    assert "Groups left folded: no group 'group;TrainingEvent;org-nobody' in this graph." in status
    overview = api(served, "/api/overview", max_nodes=20)
    assert opened.drawn_nodes() == {node["id"] for node in overview["nodes"]}


def test_the_address_holds_the_view_through_a_reload(open_page: Opener, served: Served) -> None:
    opened = open_page(served, "max_nodes=20")
    page = opened.page
    assert page.input_value("#max-nodes") == "20"
    row(opened, "group;Profession").click()
    wait_for_focus(opened, "group;Profession")
    page.click("button:has-text('Show members')")
    opened.idle()
    page.fill("#search", "dr-inquiry-report")
    page.press("#search", "Enter")
    wait_for_focus(opened, "dr-inquiry-report")
    page.click("button:has-text('Show neighbours')")
    opened.idle()
    page.fill("#search", "Social worker")
    page.press("#search", "Enter")
    wait_for_focus(opened, "p-social-worker")
    page.select_option("#depth", "1")
    opened.idle()
    page.uncheck("#label-Framework")
    page.uncheck("#type-PART_OF")
    opened.idle()
    state = opened.state()
    assert state == (
        "max_nodes=20&expand=group%3BProfession&focus=p-social-worker&depth=1"
        "&hide_label=Framework&hide_type=PART_OF&open=dr-inquiry-report"
    )
    assert page.url == served.page_url(state)
    before = snapshot(opened)
    page.reload()
    opened.loaded()
    assert snapshot(opened) == before
    # A shared link: the same address in a browser that never saw the page.
    shared = open_page(served, state)
    assert snapshot(shared) == before
    # A new overview size starts from that overview: groups folded again.
    page.select_option("#max-nodes", "2000")
    opened.idle()
    assert opened.state() == (
        "focus=p-social-worker&depth=1&hide_label=Framework&hide_type=PART_OF"
        "&open=dr-inquiry-report"
    )


@page_only
def test_extensions_mark_the_table_and_the_drawing(open_page: Opener, served: Served) -> None:
    """The hook later features (the analyses' overlays) use: words and colours per node."""
    opened = open_page(served, "focus=p-teacher")
    opened.js(
        """() => graphmodelExplorer.explorer.addExtension({
            name: "test",
            gather: async () => ["p-teacher", "ccs-safe-da"],
            decorate: (picture, marked) => marked.forEach(id => {
                picture.nodes.get(id).color = "#d62728";
            }),
            highlight: (explorer, marked) => new Map(marked.map(id => [id, ["gap", "broker"]])),
        })"""
    )
    opened.idle()
    highlights = {r[0]: r[3] for r in opened.table_rows() if r[3]}
    assert highlights == {"p-teacher": "focus, gap, broker", "ccs-safe-da": "gap, broker"}
    colours = opened.js(
        "ids => ids.map(id => graphmodelExplorer.graph.getNodeAttribute(id, 'color'))",
        ["p-teacher", "ccs-safe-da", "p-social-worker"],
    )
    assert colours[:2] == ["#d62728", "#d62728"] and colours[2] != "#d62728"


# -- keyboard and accessibility -----------------------------------------------------------------


def active(opened: ExplorerPage) -> str:
    """What has the keyboard focus: an id, or a table row's node, or tag and text."""
    return str(
        opened.js(
            """() => {
                const e = document.activeElement;
                if (e.tagName === 'TR') return 'row:' + e.dataset.id;
                return e.id || (e.tagName + ':' + e.textContent.trim());
            }"""
        )
    )


@page_only
def test_keyboard_reaches_and_operates_every_control(open_page: Opener, served: Served) -> None:
    opened = open_page(served, "max_nodes=20")
    page = opened.page
    reached = []
    for _ in range(80):  # the left column's controls (the picture's among them), then the table
        page.keyboard.press("Tab")
        reached.append(active(opened))
        if reached[-1].startswith("row:"):
            break
    for control in ["search", "zoom-in", "zoom-out", "fit", "reset", "label-Competency",
                    "type-TARGETS", "max-nodes", "depth"]:  # fmt: skip
        assert control in reached, (control, reached)
    # The table is one stop: its first row; the arrow keys move, Enter chooses.
    rows = opened.table_ids()
    assert reached[-1] == f"row:{rows[0]}"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert active(opened) == f"row:{rows[2]}"
    page.keyboard.press("End")
    assert active(opened) == f"row:{rows[-1]}"
    page.keyboard.press("Home")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    wait_for_focus(opened, rows[1])
    assert active(opened) == f"row:{rows[1]}"  # the keyboard stays in the table
    # Back to the details panel's buttons, and Enter on one.
    page.fill("#search", "dr-inquiry-report")
    page.press("#search", "Enter")
    wait_for_focus(opened, "dr-inquiry-report")
    page.focus(f'#nodes-shown tbody tr[data-id="{rows[0]}"]')
    # Back past the table's sort and filter controls and the related nodes' names.
    for _ in range(40):
        page.keyboard.press("Shift+Tab")
        if active(opened) == "BUTTON:Centre":
            break
    page.keyboard.press("Shift+Tab")
    assert active(opened) == "BUTTON:Show neighbours"
    page.keyboard.press("Enter")
    opened.wait("() => graphmodelExplorer.state().includes('open=')")
    opened.idle()
    assert "open=dr-inquiry-report" in opened.state()
    # Reset by keyboard: back to the overview as it opens.
    page.focus("#reset")
    page.keyboard.press("Enter")
    opened.wait("() => graphmodelExplorer.state() === ''")
    opened.idle()
    assert opened.page.url == served.url


@page_only
def test_no_serious_accessibility_violations(open_page: Opener, served: Served) -> None:
    opened = open_page(served, "max_nodes=20&focus=dr-inquiry-report&open=dr-inquiry-report")
    assert axe_violations(opened) == []
    opened.page.fill("#search", "social")
    opened.page.wait_for_selector("#search-results li")
    opened.page.press("#search", "ArrowDown")
    assert axe_violations(opened) == []
    group = open_page(served, "max_nodes=20&focus=group%3BCompetency&hide_label=Driver")
    assert axe_violations(group) == []


# -- hostile names ---------------------------------------------------------------------


def test_hostile_names_are_shown_as_text_and_run_nothing(
    open_page: Opener, crafted: Served
) -> None:
    opened = open_page(crafted, "focus=p-social-worker")
    page = opened.page
    assert opened.js("window.pwned === undefined")
    names = {r[0]: r[1] for r in opened.table_rows()}
    assert names["p-social-worker"] == HOSTILE_IMG
    assert names["p-teacher"] == HOSTILE_SCRIPT
    assert page.inner_text(".details-name") == HOSTILE_IMG
    page.fill("#search", "img src")
    page.wait_for_selector("#search-results li")
    assert page.inner_text("#search-results li .result-name") == HOSTILE_IMG
    page.press("#search", "Enter")
    wait_for_focus(opened, "p-social-worker")
    row(opened, "p-teacher").click()
    wait_for_focus(opened, "p-teacher")
    assert page.inner_text(".details-name") == HOSTILE_SCRIPT
    assert "<b>bold</b> & more" in page.inner_text("#details-body")
    assert (
        opened.js("document.querySelectorAll('img, #details-body b, #nodes-shown script').length")
        == 0
    )
    assert opened.js("window.pwned === undefined")


@page_only
def test_each_test_starts_as_in_a_new_browser(
    open_page: Opener, page_context: PageContext, served: Served
) -> None:
    """The tests' pages share one browser context (``explorer_browser.PageContext``); what
    a test leaves there, its cookies and stored data, is cleared before the next one."""
    opened = open_page(served)
    opened.js("localStorage.setItem('left-behind', 'a saved view')")
    assert any(c["name"].startswith("graphmodel_token_") for c in page_context.context.cookies())
    page_context.forget()
    assert page_context.context.cookies() == []
    again = open_page(served)
    assert again.js("localStorage.getItem('left-behind')") is None
