"""The board report: its figures are the analyses', on both backends, in HTML and Markdown."""

from __future__ import annotations

import datetime as dt
import doctest
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, NEO4J_PASSWORD, NEO4J_URI, NEO4J_USER, ROOT

import graphmodel.visuals.report as report_module
import graphmodel.visuals.tables as tables_module
from graphmodel.analysis.brokers import brokers
from graphmodel.analysis.coverage import CoverageQuery, coverage_matrix, explain, gaps, uncovered
from graphmodel.analysis.diff import compare
from graphmodel.analysis.duplicates import find_duplicates
from graphmodel.analysis.links import LinkIndex
from graphmodel.analysis.provision import overlapping_provision
from graphmodel.analysis.report import DIFF_LISTS, ReportOptions, build_report
from graphmodel.backends import GraphBackend, MemoryBackend
from graphmodel.backends.remembering import RememberingBackend
from graphmodel.cli.main import cli
from graphmodel.dataset import read_dataset
from graphmodel.model import Dataset
from graphmodel.visuals.render import view_html
from graphmodel.visuals.report import EmbeddedView, embedded_view, render_html, render_markdown
from graphmodel.visuals.tables import percent
from graphmodel.visuals.views import ViewRequest, build_view
from graphmodel.wording import number

PREVIOUS_EXAMPLE = EXAMPLE.parent / "children-trust-2025"
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def example() -> MemoryBackend:
    return MemoryBackend(read_dataset(EXAMPLE))


@pytest.fixture(scope="module")
def report(example: MemoryBackend) -> dict[str, Any]:
    previous = MemoryBackend(read_dataset(PREVIOUS_EXAMPLE))
    return build_report(
        example,
        source="this year",
        since=previous,
        since_source="last year",
        today=TODAY,
    )


# -- the content ---------------------------------------------------------------------


def test_coverage_figures_are_the_coverage_analysis(
    example: MemoryBackend, report: dict[str, Any]
) -> None:
    query = CoverageQuery()
    expected = gaps(example, query)
    coverage = report["coverage"]
    assert coverage["summary"] == expected["summary"]
    summary = expected["summary"]
    assert coverage["share"] == round(summary["covered"] / summary["requirements"], 4)
    assert coverage["severity"] == round(sum(g["severity"] for g in expected["gaps"]), 4)
    assert sum(p["gaps"] for p in coverage["by_priority"]) == summary["gaps"]
    assert sum(p["gaps"] for p in coverage["by_profession"]) == summary["gaps"]
    assert sum(p["requirements"] for p in coverage["by_profession"]) == summary["requirements"]
    assert sum(p["covered"] for p in coverage["by_profession"]) == summary["covered"]
    severities = [p["severity"] for p in coverage["by_profession"]]
    assert severities == sorted(severities, reverse=True)
    every_uncovered = uncovered(example, query)["uncovered"]
    assert coverage["uncovered_total"] == len(every_uncovered)
    assert coverage["uncovered"] == sorted(
        every_uncovered, key=lambda u: (-len(u["required_by"]), u["competency"])
    )
    assert report["matrix"] == coverage_matrix(example, query)
    assert [{k: v for k, v in g.items() if k != "explanation"} for g in report["top_gaps"]] == (
        expected["gaps"][:10]
    )
    for gap in report["top_gaps"]:
        why = explain(example, query, gap["profession"], gap["competency"])
        assert gap["explanation"] == {
            "summary": why["summary"],
            "near_misses": why["near_misses"],
        }


def test_duplicates_provision_drivers_and_brokers_are_their_analyses(
    example: MemoryBackend, report: dict[str, Any]
) -> None:
    duplicates = find_duplicates(example).to_json()
    assert report["duplicates"]["summary"] == duplicates["summary"]
    assert [c["initiatives"] for c in report["duplicates"]["clusters"]] == duplicates["clusters"]
    for cluster, detail in zip(
        report["duplicates"]["clusters"], duplicates["cluster_details"], strict=True
    ):
        assert cluster["budget"] == detail["budget"]
        assert cluster["natural_lead"] == detail["natural_lead"]
        assert sum(m["budget"] or 0 for m in cluster["members"]) == cluster["budget"]
        members = set(cluster["initiatives"])
        assert cluster["pairs"] == [p for p in duplicates["pairs"] if {p["a"], p["b"]} <= members]
    assert report["duplicates"]["budget"] == sum(d["budget"] for d in duplicates["cluster_details"])
    groups = [g.to_json() for g in overlapping_provision(example)]
    assert report["provision"] == {
        "groups": groups,
        "total": len(groups),
        "places": sum(g["places"] for g in groups),
        "cost": sum(g["cost"] for g in groups),
    }
    links = LinkIndex(example)
    reaches = report["drivers"]["reach"]
    assert sorted(d["driver"] for d in reaches) == links.drivers
    answered = [bool(d["responding"]) for d in reaches]
    assert answered == sorted(answered)  # drivers nothing responds to come first
    assert report["drivers"]["unanswered"] == answered.count(False)
    for reach in reaches:
        expected = links.reach(reach["driver"], 3).to_json()
        del expected["names"]
        assert reach == expected
    assert report["brokers"] == brokers(example, limit=10).to_json()


def test_the_progress_section_is_the_diff(example: MemoryBackend, report: dict[str, Any]) -> None:
    expected = compare(MemoryBackend(read_dataset(PREVIOUS_EXAMPLE)), example)
    del expected["names"]
    rows = ReportOptions().rows
    for key in DIFF_LISTS:  # each list cut to the report's length; `changes` keeps the totals
        expected[key] = expected[key][:rows]
    assert report["since"] == expected
    assert report["since"]["changes"]["gaps_closed"] > rows  # the example pair shows the cut
    assert report["since_source"] == "last year"
    no_since = build_report(example, today=TODAY)
    assert no_since["since"] is None and no_since["since_source"] is None


def test_names_cover_every_id_shown(report: dict[str, Any]) -> None:
    names = report["names"]
    for gap in report["top_gaps"]:
        assert names[gap["profession"]] == gap["profession_name"]
        assert names[gap["competency"]] == gap["competency_name"]
    for cluster in report["duplicates"]["clusters"]:
        for member in cluster["members"]:
            assert names[member["initiative"]] == member["title"]
    for reach in report["drivers"]["reach"]:
        assert names[reach["driver"]] == reach["name"]
        assert all(i in names for i in reach["responding"])


def test_suggested_actions_follow_their_rules(report: dict[str, Any]) -> None:
    actions = report["actions"]
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for action in actions:
        by_kind.setdefault(action["kind"], []).append(action)
    assert [a["ids"] for a in by_kind["gap"]] == [
        [g["profession"], g["competency"]] for g in report["top_gaps"][:3]
    ]
    clusters = report["duplicates"]["clusters"]
    assert [a["ids"] for a in by_kind["duplicates"]] == [c["initiatives"] for c in clusters[:3]]
    for action, cluster in zip(by_kind["duplicates"], clusters, strict=False):
        assert f"({cluster['natural_lead']}), which started first" in action["text"]
    assert [a["ids"] for a in by_kind["provision"]] == [
        g["events"] for g in report["provision"]["groups"][:3]
    ]
    unanswered = [d["driver"] for d in report["drivers"]["reach"] if not d["responding"]]
    assert unanswered  # the example has a driver nothing responds to yet
    assert [a["ids"] for a in by_kind["driver"]] == [[d] for d in unanswered[:3]]
    top_organisation = next(b for b in report["brokers"]["brokers"] if b["label"] == "Organisation")
    assert [a["ids"] for a in by_kind["broker"]] == [[top_organisation["id"]]]
    required = [u for u in report["coverage"]["uncovered"] if u["required_by"]]
    assert [a["ids"] for a in by_kind["uncovered"]] == [[u["competency"]] for u in required[:3]]


def test_long_listings_are_cut_and_say_so(example: MemoryBackend) -> None:
    options = ReportOptions(rows=2, heatmap_professions=3, heatmap_areas=2, top_gaps=1)
    previous = MemoryBackend(read_dataset(PREVIOUS_EXAMPLE))
    cut = build_report(example, options, since=previous, today=TODAY)
    whole = build_report(example, since=previous, today=TODAY)
    assert cut["coverage"]["by_profession"] == whole["coverage"]["by_profession"][:2]
    assert cut["coverage"]["uncovered"] == whole["coverage"]["uncovered"][:2]
    assert cut["coverage"]["uncovered_total"] == whole["coverage"]["uncovered_total"]
    assert cut["duplicates"]["clusters"] == whole["duplicates"]["clusters"][:2]
    assert cut["duplicates"]["budget"] == whole["duplicates"]["budget"]  # all clusters
    assert cut["provision"]["groups"] == whole["provision"]["groups"][:2]
    assert cut["provision"]["cost"] == whole["provision"]["cost"]
    assert cut["drivers"]["reach"] == whole["drivers"]["reach"][:2]
    assert len(cut["top_gaps"]) == 1
    # The heat map: the 3 professions with the most gap severity, the 2 areas with most gaps.
    worst = {p["profession"] for p in whole["coverage"]["by_profession"][:3]}
    assert {p["id"] for p in cut["matrix"]["professions"]} == worst
    gaps_in: dict[str, int] = {}
    for cell in whole["matrix"]["cells"]:
        gaps_in[cell["area"]] = gaps_in.get(cell["area"], 0) + cell["required"] - cell["covered"]
    kept = [a["id"] for a in cut["matrix"]["areas"]]
    assert len(kept) == 2 and min(gaps_in[a] for a in kept) >= max(
        gaps_in[a] for a in gaps_in if a not in kept
    )
    assert len(cut["matrix"]["cells"]) == 3 * 2
    assert cut["matrix_size"] == whole["matrix_size"]
    for key in DIFF_LISTS:
        assert cut["since"][key] == whole["since"][key][:2]
    html, markdown = render_html(cut), render_markdown(cut)
    professions = cut["coverage"]["professions"]
    for text in (html, markdown):
        assert f"The 2 professions with the most gap severity of {professions}" in text
        assert f"The first 2 of {cut['since']['changes']['gaps_closed']}; " in text
        assert f"The 2 most required of {cut['coverage']['uncovered_total']}" in text
        assert "Showing the 3 professions with the most gap severity" in text
    assert "The 2 largest clusters of 3" in html and "The 2 costliest groups of 3" in html


def test_the_report_asks_each_projection_once(example: MemoryBackend) -> None:
    """Wrapped, the dozen analyses ask the real backend each question once."""
    wrapped = RememberingBackend(example)
    assert build_report(wrapped, today=TODAY) == build_report(example, today=TODAY)
    asked = wrapped.asked
    build_report(wrapped, today=TODAY)
    assert wrapped.asked == asked  # every question was remembered the first time
    assert wrapped.requirements() == example.requirements()
    assert wrapped.requirements() is not wrapped.requirements()  # each caller its own list


def test_an_exercise_with_nothing_to_act_on(make_dataset: Callable[..., Path]) -> None:
    """Everything required is covered, no duplicates, every driver answered, and no
    organisation links others (one initiative): no actions."""
    folder = make_dataset(
        requirements="profession,competency,priority\np-social-worker,c-item,essential\n"
    )
    report = build_report(MemoryBackend(read_dataset(folder)), today=TODAY)
    assert report["coverage"]["summary"]["gaps"] == 0
    assert report["actions"] == []
    html = render_html(report)
    assert "No initiatives repeat each other at this threshold." in html
    assert render_markdown(report).count("No initiatives repeat each other") == 1


def test_the_report_is_the_same_on_both_backends(
    backend_for: Callable[[Dataset], GraphBackend],
) -> None:
    dataset = read_dataset(EXAMPLE)
    previous = MemoryBackend(read_dataset(PREVIOUS_EXAMPLE))
    expected = build_report(MemoryBackend(dataset), since=previous, today=TODAY)
    assert build_report(backend_for(dataset), since=previous, today=TODAY) == expected


# -- the HTML and Markdown -------------------------------------------------------------


class _Tables(HTMLParser):
    """The text of every table cell, table by table, and every src/href/script seen."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.references: list[str] = []
        self.scripts = 0
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.references.append(value)
        if tag == "script":
            self.scripts += 1
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None


def _parsed(html: str) -> _Tables:
    parser = _Tables()
    parser.feed(html)
    return parser


def test_html_loads_nothing_and_needs_no_script(report: dict[str, Any]) -> None:
    html = render_html(report)
    parsed = _parsed(html)
    assert parsed.scripts == 0
    assert all(reference.startswith("#") for reference in parsed.references)
    assert not re.search(r"url\(|@import|https?://", html)
    assert "@media print" in html


def test_html_tables_hold_the_figures(report: dict[str, Any]) -> None:
    parsed = _parsed(render_html(report))
    tables = parsed.tables
    by_header = {tuple(table[0]): table[1:] for table in tables if table}
    # The example states levels (one levelled framework): the level needed and reached.
    top = by_header[
        (
            "Profession", "Competency", "Priority", "Headcount", "Severity", "Needed", "Reached",
            "Why it is a gap",
        )
    ]  # fmt: skip
    assert [(row[0], row[4], row[5], row[6]) for row in top] == [
        (
            g["profession_name"],
            number(g["severity"]),
            g["required_level"] or "any",
            g["covered_level"] or "-",
        )
        for g in report["top_gaps"]
    ]
    below = by_header[("Profession", "Competency", "Needed", "Reached", "Headcount", "Severity")]
    assert [(row[0], row[2], row[3]) for row in below] == [
        (g["profession_name"], g["required_level"], g["covered_level"])
        for g in report["coverage"]["below_level"]
    ]
    assert len(below) == report["coverage"]["summary"]["below_level"] == 2
    professions = by_header[
        ("Profession", "Headcount", "Requirements", "Covered", "Share", "Gaps", "Severity")
    ]
    assert [(r[0], r[4], r[5]) for r in professions] == [
        (p["name"], percent(p["share"]), number(p["gaps"]))
        for p in report["coverage"]["by_profession"]
    ]
    matrix = report["matrix"]
    heat = next(
        t for t in tables if t and t[0][1:] == [a["name"] + a["framework"] for a in matrix["areas"]]
    )
    assert len(heat) - 1 == len(matrix["professions"])
    assert all(len(row) == len(matrix["areas"]) + 1 for row in heat[1:])
    progress = by_header[("Measure", "Old", "New", "Change")]
    gaps_row = next(r for r in progress if r[0] == "Gaps")
    assert gaps_row[1:3] == [
        number(report["since"]["summary"]["gaps"]["old"]),
        number(report["since"]["summary"]["gaps"]["new"]),
    ]
    clusters = [
        t for t in tables if t and t[0] == ["Initiative", "Lead", "Status", "Period", "Budget"]
    ]
    assert len(clusters) == len(report["duplicates"]["clusters"])


def test_html_embeds_a_view_as_a_separate_page(report: dict[str, Any]) -> None:
    page = "<!DOCTYPE html><html><body><script>var answer = 1 < 2 && 'x';</script></body></html>"
    html = render_html(report, EmbeddedView("all", page, "", 3, 2))
    assert 'id="network"' in html and "3 nodes and 2 relationships" in html
    # The page is an attribute value: escaped, so the report itself holds no script.
    assert 'srcdoc="&lt;!DOCTYPE html&gt;&lt;html&gt;&lt;body&gt;&lt;script&gt;' in html
    assert _parsed(html).scripts == 0
    assert 'id="network"' not in render_html(report)


def test_the_embedded_view_is_the_network_view(example: MemoryBackend) -> None:
    embedded = embedded_view(example, "all")
    view, graph = build_view(example, ViewRequest())
    assert embedded.page == view_html(view, graph, name="network")
    assert (embedded.nodes, embedded.relationships) == (len(view.nodes), len(view.edges))
    gaps_view = embedded_view(example, "gaps", CoverageQuery(professions=("p-teacher",)))
    expected, _ = build_view(
        example, ViewRequest(mode="gaps", coverage=CoverageQuery(professions=("p-teacher",)))
    )
    assert gaps_view.nodes == len(expected.nodes)


def test_a_view_too_large_to_embed_is_left_out_with_a_note(
    example: MemoryBackend, report: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_module, "EMBEDDED_VIEW_LIMIT", 5)
    embedded = embedded_view(example, "all")
    assert embedded.page is None
    assert embedded.note.startswith("The interactive network is left out of this report: ")
    assert "--focus" in embedded.note  # how to draw part of it instead
    html = render_html(report, embedded)
    assert 'id="network"' in html and "<iframe" not in html and "left out of this report" in html


def _markdown_tables(text: str) -> list[list[str]]:
    tables: list[list[str]] = []
    previous_blank = True
    for line in text.splitlines():
        if line.startswith("|"):
            if previous_blank or not tables:
                tables.append([])
            tables[-1].append(line)
            previous_blank = False
        else:
            previous_blank = True
    return tables


def test_markdown_is_well_formed_and_holds_the_figures(report: dict[str, Any]) -> None:
    text = render_markdown(report)
    for heading in (
        "## Summary",
        "## Suggested actions",
        "## Progress since the last exercise",
        "## Coverage by profession and area",
        "## Top gaps, explained",
        "## Initiatives that repeat each other",
        "## Overlapping training provision",
        "## Policy drivers: reach and candidates",
        "## Who holds the partnership network together",
    ):
        assert f"\n{heading}\n" in text
    for table in _markdown_tables(text):
        cells = [len(re.findall(r"(?<!\\)\|", line)) for line in table]
        assert len(set(cells)) == 1, table[0]
        assert re.fullmatch(r"\|(---:?\|)+", table[1])
    summary = report["coverage"]["summary"]
    assert f"**{percent(report['coverage']['share'])} of requirements covered**: " in text
    assert f"{summary['covered']} of {summary['requirements']} requirements" in text
    assert (
        f"**{summary['gaps']} gaps**: total severity {number(report['coverage']['severity'])}"
        in text
    )
    for gap in report["top_gaps"]:
        assert (
            f"| {gap['profession_name']} | {gap['competency_name']} ({gap['competency']}) |" in text
        )


# -- the command ---------------------------------------------------------------------------


def test_report_command_writes_html(tmp_path: Path) -> None:
    out = tmp_path / "board.html"
    args = ["report", str(EXAMPLE), "--since", str(PREVIOUS_EXAMPLE), "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"wrote {out} (html, ")
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'id="progress"' in html
    assert html.count("<iframe") == 1 and "148 nodes and 696 relationships" in html
    runner = CliRunner()
    bare = runner.invoke(cli, ["report", str(EXAMPLE), "--view", "none", "-o", str(out)])
    assert bare.exit_code == 0 and "<iframe" not in out.read_text(encoding="utf-8")
    gaps_only = runner.invoke(cli, ["report", str(EXAMPLE), "--view", "gaps", "-o", str(out)])
    assert gaps_only.exit_code == 0 and "(gaps view)" in out.read_text(encoding="utf-8")


def test_report_command_json_is_the_report(example: MemoryBackend) -> None:
    result = CliRunner().invoke(cli, ["report", str(EXAMPLE), "--format", "json", "--top", "4"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    expected = build_report(
        example,
        ReportOptions(top_gaps=4),
        source=str(EXAMPLE),
        today=dt.date.fromisoformat(payload["date"]),
    )
    assert payload == json.loads(json.dumps(expected))
    assert len(payload["top_gaps"]) == 4


def test_report_command_markdown_and_options(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["report", str(EXAMPLE), "--format", "markdown", "--title", "Board paper 7"]
    result = runner.invoke(cli, [*args, "--profession", "p-teacher", "--threshold", "0.99"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Board paper 7\n")
    assert "No initiatives repeat each other at this threshold." in result.stdout
    assert "| Teacher |" in result.stdout and "| Social worker |" not in result.stdout
    cut = runner.invoke(cli, [*args, "--rows", "3"]).stdout
    assert "The 3 professions with the most gap severity of 14; `graphmodel gaps` lists all." in cut
    out = tmp_path / "paper.md"
    written = runner.invoke(cli, [*args, "-o", str(out)])
    assert written.stdout == f"wrote {out} (markdown, {len(out.read_bytes()) / 1024:,.0f} KB)\n"


def test_report_command_refuses_html_without_a_file_and_bad_sources(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["report", str(EXAMPLE)])
    assert result.exit_code == 2 and "--format html needs -o/--output FILE.html" in result.output
    missing = runner.invoke(
        cli, ["report", str(EXAMPLE), "--since", str(tmp_path / "nowhere"), "-o", "x.html"]
    )
    assert missing.exit_code == 2
    assert missing.stderr == f"{tmp_path / 'nowhere'}: no such file or folder\n"
    assert not Path("x.html").exists()


def test_report_to_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    out = tmp_path / "missing" / "report.html"
    result = CliRunner().invoke(cli, ["report", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == f"error: cannot write {out}: No such file or directory\n"


@pytest.mark.neo4j
def test_report_command_on_a_database(
    neo4j_backend: GraphBackend, example: MemoryBackend, tmp_path: Path
) -> None:
    neo4j_backend.load(read_dataset(EXAMPLE), replace=True)  # type: ignore[attr-defined]
    credentials = ["--user", NEO4J_USER, "--password", NEO4J_PASSWORD]
    args = ["report", NEO4J_URI, "--format", "json", "--since", str(PREVIOUS_EXAMPLE), *credentials]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    html = tmp_path / "board.html"
    written = CliRunner().invoke(cli, ["report", NEO4J_URI, "-o", str(html), *credentials])
    assert written.exit_code == 0, written.output
    assert "148 nodes and 696 relationships" in html.read_text(encoding="utf-8")
    expected = build_report(
        example,
        source=NEO4J_URI,
        since=MemoryBackend(read_dataset(PREVIOUS_EXAMPLE)),
        since_source=str(PREVIOUS_EXAMPLE),
        today=dt.date.fromisoformat(payload["date"]),
    )
    assert payload == json.loads(json.dumps(expected))


@pytest.mark.slow  # pip builds and installs a copy
def test_an_installed_copy_finds_its_templates(tmp_path: Path) -> None:
    """The templates are package data: a wheel carries them and an installed copy renders."""
    wheels, target = tmp_path / "wheels", tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    build = [*pip, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)]
    subprocess.run(build, check=True, capture_output=True)
    [wheel] = wheels.glob("graphmodel-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "graphmodel/visuals/templates/report.html.j2",
        "graphmodel/visuals/templates/report.md.j2",
    } <= names
    install = [*pip, "install", "--no-deps", "-q", "--target", str(target), str(wheel)]
    subprocess.run(install, check=True, capture_output=True)
    script = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import graphmodel.visuals.report as r\n"
        "assert r.__file__.startswith(sys.argv[1]), r.__file__\n"
        "for name in ('report.html.j2', 'report.md.j2'):\n"
        "    r._ENVIRONMENT.get_template(name)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(target)], check=True, cwd=tmp_path)


@pytest.mark.parametrize("module", [tables_module, report_module])
def test_visuals_docstring_examples(module: Any) -> None:
    """The docstring examples of the report's visuals modules run and give what they show."""
    failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert attempted and failed == 0
