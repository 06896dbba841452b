"""The coverage commands through the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner
from conftest import EXAMPLE

from graphmodel.analysis.coverage import CoverageQuery, gaps
from graphmodel.backends import MemoryBackend
from graphmodel.cli.main import cli
from graphmodel.dataset import read_dataset


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_gaps_json_has_the_contract_keys() -> None:
    code, out, _ = run("gaps", str(EXAMPLE), "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert set(payload) == {"gaps", "summary"}
    # The example's frameworks include a levelled one: the summary counts below-level gaps.
    assert set(payload["summary"]) == {"requirements", "covered", "gaps", "below_level"}
    first = payload["gaps"][0]
    assert {"profession", "competency", "priority", "headcount", "severity"} <= set(first)
    severities = [(-g["severity"], g["profession"], g["competency"]) for g in payload["gaps"]]
    assert severities == sorted(severities)
    assert payload == gaps(MemoryBackend(read_dataset(EXAMPLE)), CoverageQuery())


def test_gaps_options_reach_the_analysis() -> None:
    code, out, _ = run(
        "gaps",
        str(EXAMPLE),
        "--format",
        "json",
        "--profession",
        "p-social-worker",
        "--profession",
        "p-teacher",
        "--priority",
        "essential",
        "--min-evaluation",
        "learning",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--limit",
        "3",
    )
    assert code == 0
    payload = json.loads(out)
    assert len(payload["gaps"]) == 3
    assert {g["profession"] for g in payload["gaps"]} <= {"p-social-worker", "p-teacher"}
    assert all(g["priority"] == "essential" for g in payload["gaps"])
    assert payload["summary"]["gaps"] > 3


def test_gaps_table_fits_80_columns_and_ends_with_the_summary() -> None:
    code, out, _ = run("gaps", str(EXAMPLE), "--limit", "5")
    assert code == 0
    lines = out.rstrip("\n").splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "Teacher" in out  # names, not only ids
    assert lines[-1].endswith("gaps, 2 below level (showing 5)")


def test_gaps_csv_and_markdown() -> None:
    _, out, _ = run("gaps", str(EXAMPLE), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["profession"] and rows[0]["competency"] and float(rows[0]["severity"]) > 0
    _, markdown, _ = run("gaps", str(EXAMPLE), "--format", "markdown", "--limit", "2")
    assert markdown.startswith("### Gaps") and "| Profession |" in markdown


def test_uncovered_json() -> None:
    code, out, _ = run("uncovered", str(EXAMPLE), "--format", "json")
    assert code == 0
    payload = json.loads(out)
    ids = [row["competency"] for row in payload["uncovered"]]
    assert ids == sorted(ids) and "ccs-info-record" in ids
    for row in payload["uncovered"]:
        assert row["required_by"] == sorted(row["required_by"])


def test_coverage_formats(tmp_path: Path) -> None:
    code, out, _ = run("coverage", str(EXAMPLE), "--format", "json")
    assert code == 0
    matrix = json.loads(out)
    assert {a["id"] for a in matrix["areas"]} >= {"ccs-safe", "rsm-family"}
    code, out, _ = run("coverage", str(EXAMPLE))
    assert max(len(line) for line in out.splitlines()) <= 80
    html_file = tmp_path / "coverage.html"
    code, out, _ = run("coverage", str(EXAMPLE), "--format", "html", "-o", str(html_file))
    assert code == 0 and out == f"wrote {html_file}\n"
    page = html_file.read_text(encoding="utf-8")
    assert "Safeguarding" in page and "http://" not in page and "https://" not in page
    result = CliRunner().invoke(cli, ["coverage", str(EXAMPLE), "--format", "html"])
    assert result.exit_code == 2 and "needs -o/--output" in result.output


def test_explain_table_and_unknown_ids() -> None:
    code, out, _ = run(
        "explain",
        str(EXAMPLE),
        "--profession",
        "p-social-worker",
        "--competency",
        "ccs-safe-neglect",
    )
    assert code == 0 and out.startswith("covered: ")
    result = CliRunner().invoke(
        cli,
        ["explain", str(EXAMPLE), "--profession", "p-social-wroker", "--competency", "ccs-safe"],
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: unknown profession 'p-social-wroker'; did you mean 'p-social-worker' or"
    )
    assert len(result.stderr.splitlines()) == 1
    result = CliRunner().invoke(cli, ["explain", str(EXAMPLE), "--competency", "ccs-safe"])
    assert result.exit_code == 2 and "exactly one --profession" in result.output


def test_bad_date_option() -> None:
    result = CliRunner().invoke(cli, ["gaps", str(EXAMPLE), "--from", "2026-02-30"])
    assert result.exit_code == 2 and "expected a date YYYY-MM-DD" in result.output
