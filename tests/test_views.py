"""Network views: what each mode draws, the page's self-containment, the command line."""

from __future__ import annotations

import html.parser
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE

from graphmodel.analysis.coverage import CoverageData, CoverageQuery, gaps
from graphmodel.analysis.duplicates import find_duplicates
from graphmodel.analysis.links import driver_reach
from graphmodel.backends import GraphBackend, MemoryBackend
from graphmodel.cli.main import cli
from graphmodel.dataset import read_dataset
from graphmodel.errors import NotFoundError
from graphmodel.graph import GraphCounts, NodeRecord, RelationshipRecord
from graphmodel.model import Dataset
from graphmodel.visuals.render import layout, view_html, vis_network_script, write_view
from graphmodel.visuals.views import (
    GraphData,
    View,
    ViewRequest,
    ViewTooLargeError,
    build_view,
    duplicates_view,
    fit_to_limit,
    focus_view,
    whole_view,
)


@pytest.fixture(scope="module")
def example() -> MemoryBackend:
    return MemoryBackend(read_dataset(EXAMPLE))


def ids(view: View) -> set[str]:
    return {node.id for node in view.nodes}


def triples(view: View) -> Counter[tuple[str, str, str]]:
    return Counter((e.source, e.type, e.target) for e in view.edges)


def graph_triples(backend: MemoryBackend) -> Counter[tuple[str, str, str]]:
    return Counter((s, kind, t) for s, t, kind in backend.graph.edges(keys=True))


# -- modes ------------------------------------------------------------------------


def test_whole_view_has_every_node_and_relationship_once(example: MemoryBackend) -> None:
    view, _ = build_view(example, ViewRequest())
    assert ids(view) == set(example.graph.nodes)
    assert len(view.nodes) == example.graph.number_of_nodes()
    assert triples(view) == graph_triples(example)


@pytest.mark.parametrize("depth", [0, 1, 2, 3])
@pytest.mark.parametrize("focus", ["p-social-worker", "dr-inquiry-report", "ccs-safe-neglect"])
def test_focus_is_exactly_the_nodes_within_depth_either_direction(
    example: MemoryBackend, focus: str, depth: int
) -> None:
    view, _ = build_view(example, ViewRequest(focus=focus, depth=depth))
    undirected = example.graph.to_undirected(as_view=True)
    expected = set(nx.ego_graph(undirected, focus, radius=depth))
    assert ids(view) == expected
    among = Counter(
        (s, kind, t)
        for s, t, kind in example.graph.edges(keys=True)
        if s in expected and t in expected
    )
    assert triples(view) == among
    assert view.selected == focus
    assert [n.id for n in view.nodes if n.mark == "focus"] == [focus]


@pytest.mark.parametrize(
    ("focus", "depth", "roll_up"),
    [
        ("p-social-worker", 1, False),
        ("ccs-safe-neglect", 2, False),
        ("ccs-safe-neglect", 2, True),
        ("dr-inquiry-report", 3, True),
        ("fw-nccc", 0, True),
    ],
)
def test_focus_reads_only_the_neighbourhood_and_draws_the_same(
    example: MemoryBackend, focus: str, depth: int, roll_up: bool
) -> None:
    whole = GraphData.read(example)
    expected = fit_to_limit(focus_view(whole, focus, depth), whole, 5_000, roll_up)
    view, graph = build_view(example, ViewRequest(focus=focus, depth=depth, roll_up=roll_up))
    assert view == expected
    assert view_html(view, graph) == view_html(expected, whole)
    if depth < 3:
        assert len(graph.nodes) < len(whole.nodes)


def test_unknown_focus_names_the_closest_ids(example: MemoryBackend) -> None:
    with pytest.raises(NotFoundError, match=r"unknown node 'p-socail-worker'.*'p-social-worker'"):
        build_view(example, ViewRequest(focus="p-socail-worker"))


def test_type_filter_keeps_only_those_types_and_the_anchor(example: MemoryBackend) -> None:
    view, graph = build_view(
        example, ViewRequest(focus="p-social-worker", depth=2, types=("Competency",))
    )
    labels = Counter(graph.label(node) for node in ids(view))
    assert labels == Counter({"Competency": labels["Competency"], "Profession": 1})
    assert labels["Competency"] > 0
    assert all(e.source in ids(view) and e.target in ids(view) for e in view.edges)


def test_gaps_view_draws_every_requirement_red_when_a_gap_grey_when_covered(
    example: MemoryBackend,
) -> None:
    query = CoverageQuery()
    view, _ = build_view(example, ViewRequest(mode="gaps"))
    found = {(g["profession"], g["competency"]) for g in gaps(example, query)["gaps"]}
    requires = {(e.source, e.target): e.mark for e in view.edges if e.type == "REQUIRES"}
    assert set(requires) == {(r.profession, r.competency) for r in example.requirements()}
    assert {pair for pair, mark in requires.items() if mark == "gap"} == found
    assert {mark for pair, mark in requires.items() if pair not in found} == {"covered"}
    assert found and len(found) < len(requires)
    gap_nodes = {n.id for n in view.nodes if n.mark == "gap-node"}
    assert gap_nodes == {p for p, _ in found} | {c for _, c in found}
    # Only professions and competencies (required ones and the areas above them).
    labels = {example.graph.nodes[n]["type"] for n in ids(view)}
    assert labels == {"Profession", "Competency"}


def test_gaps_view_takes_the_coverage_filters(example: MemoryBackend) -> None:
    query = CoverageQuery(professions=("p-teacher",))
    view, _ = build_view(example, ViewRequest(mode="gaps", coverage=query))
    requires = [e for e in view.edges if e.type == "REQUIRES"]
    selected = CoverageData(example, query).selected_requirements()
    assert {(e.source, e.target) for e in requires} == {
        (r.profession, r.competency) for r in selected
    }
    assert {e.source for e in requires} == {"p-teacher"}
    assert sum(e.mark == "gap" for e in requires) == gaps(example, query)["summary"]["gaps"]


def test_duplicates_view_draws_each_pair_with_its_score_and_shared_ground(
    example: MemoryBackend,
) -> None:
    report = find_duplicates(example).to_json()
    view, _ = build_view(example, ViewRequest(mode="duplicates"))
    pairs = {(e.source, e.target): e for e in view.edges if e.type == "DUPLICATE"}
    assert set(pairs) == {(p["a"], p["b"]) for p in report["pairs"]}
    for pair in report["pairs"]:
        edge = pairs[(pair["a"], pair["b"])]
        assert edge.text == f"{pair['score']:.2f}" and not edge.directed
        shared = {item["id"] for items in pair["reasons"]["shared"].values() for item in items}
        assert shared <= ids(view)
    clustered = {i for cluster in report["clusters"] for i in cluster}
    assert {n.id for n in view.nodes if n.mark in ("in-cluster", "natural-lead")} == clustered
    leads = {d["natural_lead"] for d in report["cluster_details"]}
    assert {n.id for n in view.nodes if n.mark == "natural-lead"} == leads


def test_duplicates_view_reads_the_bare_design_document(example: MemoryBackend) -> None:
    # Only the keys docs/duplicates.md promises: pairs (a, b, score, reasons) and clusters.
    graph = GraphData.read(example)
    report = {
        "pairs": [{"a": "in-ncc-neglect-toolkit", "b": "in-nhs-neglect-tool", "score": 0.5}],
        "clusters": [["in-ncc-neglect-toolkit", "in-nhs-neglect-tool"]],
    }
    view = duplicates_view(graph, report)
    assert ids(view) == {"in-ncc-neglect-toolkit", "in-nhs-neglect-tool"}
    assert [(e.type, e.text) for e in view.edges if e.type == "DUPLICATE"] == [
        ("DUPLICATE", "0.50")
    ]


def test_driver_view_is_the_reach_and_the_best_candidates(example: MemoryBackend) -> None:
    reach = driver_reach(example, "dr-inquiry-report").to_json()
    view, _ = build_view(
        example, ViewRequest(mode="driver", driver="dr-inquiry-report", candidates=3)
    )
    best = [c["initiative"] for c in reach["candidates"][:3]]
    assert len(best) == 3
    assert ids(view) == {
        "dr-inquiry-report",
        *reach["responding"],
        *reach["competencies"],
        *reach["professions"],
        *reach["organisations"],
        *best,
    }
    links = [e for e in view.edges if e.type == "CANDIDATE_FOR"]
    assert [(e.source, e.target) for e in links] == sorted((c, "dr-inquiry-report") for c in best)
    marks = {n.id: n.mark for n in view.nodes}
    assert {n for n, m in marks.items() if m == "responding"} == set(reach["responding"])
    assert {n for n, m in marks.items() if m == "candidate"} == set(best)
    responds = {e.source for e in view.edges if e.type == "RESPONDS_TO"}
    assert responds == set(reach["responding"])


def test_unknown_driver_is_one_clear_error(example: MemoryBackend) -> None:
    with pytest.raises(NotFoundError, match="dr-inquiry-report"):
        build_view(example, ViewRequest(mode="driver", driver="dr-inquiry"))


# -- large views ------------------------------------------------------------------


def test_roll_up_draws_competencies_as_their_areas(example: MemoryBackend) -> None:
    whole, graph = build_view(example, ViewRequest())
    rolled, _ = build_view(example, ViewRequest(roll_up=True))
    competencies = {n for n in ids(whole) if graph.label(n) == "Competency"}
    areas = {graph.area(c) for c in competencies}
    assert ids(rolled) == (ids(whole) - competencies) | areas
    assert all(graph.area(n) == n for n in ids(rolled) if graph.label(n) == "Competency")
    # Every relationship is still there, moved to the areas, parallel ones drawn once.
    moved = {
        (graph.area(s) if s in competencies else s, kind, graph.area(t) if t in competencies else t)
        for s, kind, t in triples(whole)
    }
    assert set(triples(rolled)) == {(s, k, t) for s, k, t in moved if s != t}
    assert max(triples(rolled).values()) == 1
    assert any("rolled up" in note for note in rolled.notes)


def test_over_the_limit_rolls_up_when_that_fits(example: MemoryBackend) -> None:
    rolled, _ = build_view(example, ViewRequest(roll_up=True))
    view, _ = build_view(example, ViewRequest(max_nodes=len(rolled.nodes)))
    assert ids(view) == ids(rolled)


def test_too_large_even_rolled_up_is_refused_with_counts_and_advice(
    example: MemoryBackend,
) -> None:
    with pytest.raises(ViewTooLargeError) as caught:
        build_view(example, ViewRequest(max_nodes=20))
    message = str(caught.value)
    assert "148 nodes" in message and "Competency 46" in message
    assert "--focus" in message and "--type" in message
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("types", "limit"), [((), 20), ((), 106), (("Competency", "TrainingEvent"), 40)]
)
def test_whole_network_too_large_is_refused_before_reading_the_graph(
    example: MemoryBackend, types: tuple[str, ...], limit: int
) -> None:
    counts = example.counts()

    class CountsOnly(MemoryBackend):
        def counts(self) -> GraphCounts:
            return counts

        def nodes(self) -> Iterator[NodeRecord]:
            raise AssertionError("read every node")

        def relationships(self) -> Iterator[RelationshipRecord]:
            raise AssertionError("read every relationship")

    with pytest.raises(ViewTooLargeError) as early:
        build_view(CountsOnly(example.dataset), ViewRequest(types=types, max_nodes=limit))
    whole = GraphData.read(example)
    view = whole_view(whole).only_types(whole, types) if types else whole_view(whole)
    with pytest.raises(ViewTooLargeError) as late:
        fit_to_limit(view, whole, limit)
    assert str(early.value) == str(late.value)


# -- the page ---------------------------------------------------------------------


class Resources(html.parser.HTMLParser):
    """Every tag, and every attribute that can load something."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: Counter[str] = Counter()
        self.links: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        for name, value in attrs:
            if name in ("src", "href", "srcset", "data", "action", "poster") and value:
                self.links.append((tag, name, value))


def page_of(backend: GraphBackend, request: ViewRequest) -> str:
    return view_html(*build_view(backend, request))


def test_page_loads_nothing_from_anywhere(example: MemoryBackend) -> None:
    page = page_of(example, ViewRequest())
    parser = Resources()
    parser.feed(page)
    assert parser.tags["link"] == 0 and parser.tags["iframe"] == 0
    # The only references are the legend's shapes, inside the page itself.
    assert parser.links and all(value.startswith("#shape-") for _, _, value in parser.links)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)
    assert "sourceMappingURL" not in page
    assert "@license" in page and "vis-network" in page  # the licence header stays


def test_vendored_vis_network_is_the_one_documented(example: MemoryBackend) -> None:
    script = vis_network_script()
    assert "@version 10.1.5" in script[:400]
    assert "g.DataSet=" in script and "g.Network=" in script  # the standalone build


def test_page_is_utf8_and_data_cannot_break_out_of_the_script(
    make_dataset: Callable[..., Path], tmp_path: Path
) -> None:
    hostile = "Caf\u00e9 \u2013 </script><script>alert(1)</script> & <b>"
    folder = make_dataset(
        professions=f"""\
            id,name,sector,description
            p-social-worker,"{hostile}",social care,
            p-teacher,Teacher,education,
            """
    )
    backend = MemoryBackend(read_dataset(folder))
    view, graph = build_view(backend, ViewRequest())
    out = tmp_path / "view.html"
    write_view(view, graph, out)
    page = out.read_bytes().decode("utf-8")
    assert "Caf\u00e9 \u2013" in page
    assert "<script>alert(1)" not in page and "</script><script>alert" not in page
    data = re.search(r'<script type="application/json" id="view-data">(.*?)</script>', page, re.S)
    assert data is not None
    nodes = {node["id"]: node for node in json.loads(data.group(1))["nodes"]}
    assert nodes["p-social-worker"]["name"] == hostile


def test_same_data_same_page(example: MemoryBackend) -> None:
    assert page_of(example, ViewRequest()) == page_of(example, ViewRequest())


def test_layout_puts_unconnected_parts_below_the_largest() -> None:
    positions = layout(["a", "b", "c", "d"], [("a", "b"), ("b", "c")])
    assert set(positions) == {"a", "b", "c", "d"}
    assert positions["d"][1] > max(positions[n][1] for n in "abc")
    assert layout([], []) == {}


# -- both backends ------------------------------------------------------------------

MODES = {
    "all": ViewRequest(),
    "focus": ViewRequest(focus="org-nscp", depth=2),
    "gaps": ViewRequest(mode="gaps"),
    "duplicates": ViewRequest(mode="duplicates"),
    "driver": ViewRequest(mode="driver", driver="dr-inquiry-report"),
    "rolled": ViewRequest(roll_up=True, types=("Competency", "Profession")),
    "focus-rolled": ViewRequest(focus="ccs-safe-neglect", depth=2, roll_up=True),
}


@pytest.fixture(scope="module")
def example_dataset() -> Dataset:
    return read_dataset(EXAMPLE)


@pytest.fixture(scope="module")
def embedded_pages(example: MemoryBackend) -> dict[str, str]:
    return {name: page_of(example, request) for name, request in MODES.items()}


def test_view_projections_agree_on_both_backends(
    backend_for: Callable[[Dataset], GraphBackend], example_dataset: Dataset, example: MemoryBackend
) -> None:
    backend = backend_for(example_dataset)
    ids = ["p-social-worker", "ccs-safe-neglect", "dr-inquiry-report", "te-ncc-sg-foundation-2025"]
    asked = [*ids, "no-such-id", "p-social-worker"]
    nodes = sorted((n for n in example.nodes() if n.id in ids), key=lambda n: n.id)
    assert backend.nodes_by_id(asked) == nodes
    assert [n.id for n in nodes] == sorted(ids)
    expected = sorted(
        (r for r in example.relationships() if r.source in ids or r.target in ids),
        key=lambda r: (r.source, r.type, r.target),
    )
    assert backend.relationships_of(asked) == expected
    assert backend.nodes_by_id([]) == [] and backend.relationships_of([]) == []


def test_every_view_is_the_same_page_on_both_backends(
    backend_for: Callable[[Dataset], GraphBackend],
    example_dataset: Dataset,
    embedded_pages: dict[str, str],
) -> None:
    backend = backend_for(example_dataset)
    for name, request in MODES.items():
        assert page_of(backend, request) == embedded_pages[name], name


# -- command line -------------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_command_writes_the_page_and_prints_its_path(tmp_path: Path) -> None:
    out = tmp_path / "network.html"
    code, output = run("view", str(EXAMPLE), "-o", str(out))
    assert code == 0, output
    assert output.strip() == f"wrote {out} (148 nodes, 696 relationships)"
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_command_modes_and_case_insensitive_types(tmp_path: Path) -> None:
    out = tmp_path / "v.html"
    code, output = run(
        "view", str(EXAMPLE), "-o", str(out), "--mode", "gaps", "--type", "profession",
        "--profession", "p-teacher",
    )  # fmt: skip
    assert code == 0, output
    assert "Only Profession nodes." in output and "(1 nodes, 0 relationships)" in output
    code, output = run("view", str(EXAMPLE), "-o", str(out), "--driver", "dr-drug-strategy")
    assert code == 0 and "wrote" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--focus", "p-socail-worker"], "error: unknown node 'p-socail-worker'; did you mean"),
        (["--driver", "dr-nope"], "error: unknown driver 'dr-nope'"),
        (["--max-nodes", "10"], "error: the view has 148 nodes"),
        (["--mode", "gaps", "--driver", "dr-inquiry-report"], "--driver is a mode of its own"),
        (["--focus", "p-teacher", "--mode", "gaps"], "--focus draws the network around"),
        (["--profession", "p-teacher"], "the coverage filters apply only to --mode gaps"),
        (["--threshold", "0.5"], "--threshold applies only to --mode duplicates"),
        (["--type", "Widget"], "--type: unknown type 'Widget'"),
        (["--type", "profesion"], "--type: unknown type 'profesion'; did you mean 'Profession'"),
    ],
)
def test_command_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "v.html"
    code, output = run("view", str(EXAMPLE), "-o", str(out), *args)
    assert code == 2
    assert message in output
    assert "Traceback" not in output
    assert not out.exists()


def test_command_reports_an_unwritable_file(tmp_path: Path) -> None:
    code, output = run("view", str(EXAMPLE), "-o", str(tmp_path / "missing" / "v.html"))
    assert code == 1
    assert output.startswith("error: cannot write") and output.count("\n") == 1


@pytest.mark.parametrize("module", ["graphmodel.visuals.views", "graphmodel.visuals.render"])
def test_docstring_examples(module: str) -> None:
    import doctest
    import importlib

    failed, attempted = doctest.testmod(importlib.import_module(module))
    assert attempted and not failed
