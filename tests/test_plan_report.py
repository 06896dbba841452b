"""The board report's "A plan for the budget": the plan's own figures, in HTML and Markdown."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE
from test_plan_cli import offers_file
from test_report import _markdown_tables, _parsed

from graphmodel.analysis.plan import PlanQuery, plan
from graphmodel.analysis.report import ReportOptions, build_report
from graphmodel.backends import MemoryBackend
from graphmodel.cli.main import cli
from graphmodel.dataset import read_dataset
from graphmodel.visuals.report import money, render_html, render_markdown
from graphmodel.wording import number

TODAY = dt.date(2026, 11, 23)
HEADER = ("Action", "Event or offer", "For", "Cost", "Gaps closed", "Severity")


@pytest.fixture(scope="module")
def example() -> MemoryBackend:
    return MemoryBackend(read_dataset(EXAMPLE))


@pytest.fixture(scope="module")
def report(example: MemoryBackend) -> dict[str, Any]:
    return build_report(example, ReportOptions(budget=60_000, rows=10), today=TODAY)


def test_the_plan_section_is_the_plan(example: MemoryBackend, report: dict[str, Any]) -> None:
    section = report["plan"]
    document = plan(example, PlanQuery(budget=60_000))
    for key in ("budget", "cost", "severity_closed", "optimal", "bound", "summary"):
        assert section[key] == document[key], key
    assert section["greedy"]["severity_closed"] == document["greedy"]["severity_closed"]
    assert section["actions_total"] == len(document["actions"]) > 10
    assert len(section["actions"]) == 10
    # Most severity closed first, each action's severity that of the gaps it closes.
    severity = {(g["profession"], g["competency"]): g["severity"] for g in document["gaps_closed"]}
    for action in section["actions"]:
        closes = {(c["profession"], c["competency"]) for c in action["closes"]}
        assert action["severity_closed"] == sum(severity[key] for key in closes)
    shown = [a["severity_closed"] for a in section["actions"]]
    assert shown == sorted(shown, reverse=True)
    assert min(shown) >= max(
        sum(severity[(c["profession"], c["competency"])] for c in a["closes"])
        for a in document["actions"]
        if a
        not in [{k: v for k, v in s.items() if k != "severity_closed"} for s in section["actions"]]
    )


def test_without_a_budget_there_is_no_plan(example: MemoryBackend) -> None:
    report = build_report(example, ReportOptions(), today=TODAY)
    assert report["plan"] is None
    assert 'id="plan"' not in render_html(report)
    assert "A plan for the budget" not in render_markdown(report)


def test_html_and_markdown_show_the_plan(report: dict[str, Any]) -> None:
    html = render_html(report)
    assert 'href="#plan"' in html and 'id="plan"' in html
    tables = {tuple(t[0]): t[1:] for t in _parsed(html).tables if t}
    rows = tables[HEADER]
    section = report["plan"]
    assert [(r[2], r[3], r[5]) for r in rows] == [
        (", ".join(a["target_names"]), money(a["cost"]), number(a["severity_closed"]))
        for a in section["actions"]
    ]
    assert f"{money(section['cost'])}" in html and "proven optimal" in html
    markdown = render_markdown(report)
    assert "\n## A plan for the budget\n" in markdown
    table = next(t for t in _markdown_tables(markdown) if t[0] == "| " + " | ".join(HEADER) + " |")
    assert len(table) - 2 == len(section["actions"])  # the header and its rule
    assert f"The 10 actions closing the most of {section['actions_total']}" in markdown


def test_report_command_plans_with_the_offers_given(tmp_path: Path) -> None:
    offers = offers_file(tmp_path)
    runner = CliRunner()
    args = ["report", str(EXAMPLE), "--format", "json", "--budget", "20000"]
    result = runner.invoke(cli, [*args, "--offers", str(offers)])
    assert result.exit_code == 0, result.output
    section = json.loads(result.stdout)["plan"]
    assert "of-neglect" in {a.get("offer") for a in section["actions"]}
    assert section["summary"]["offers"] == 3
    refused = runner.invoke(cli, ["report", str(EXAMPLE), "--offers", str(offers), "-o", "x.html"])
    assert refused.exit_code == 2 and "--offers and --time-limit go with --budget" in refused.output
