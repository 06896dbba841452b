"""The duplicates command: JSON contract, formats, options and bad input."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner
from conftest import EXAMPLE

from graphmodel.cli.main import cli


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_json_has_the_design_keys() -> None:
    code, output = run("duplicates", str(EXAMPLE), "--format", "json")
    assert code == 0
    document = json.loads(output)
    assert {"pairs", "clusters"} <= set(document)
    assert document["pairs"], "the example data plants duplicates"
    for pair in document["pairs"]:
        assert {"a", "b", "score", "reasons"} <= set(pair)
        assert pair["a"] < pair["b"]
        assert 0.0 <= pair["score"] <= 1.0
    assert all(
        isinstance(c, list) and all(isinstance(i, str) for i in c) for c in document["clusters"]
    )
    assert ["in-ncc-neglect-toolkit", "in-nhs-neglect-tool"] in document["clusters"]


def test_kind_training_and_all() -> None:
    code, output = run("duplicates", str(EXAMPLE), "--kind", "training", "--format", "json")
    assert code == 0
    overlaps = json.loads(output)["overlaps"]
    assert ["te-ncc-neglect-2026", "te-nhs-neglect-2026"] in [g["events"] for g in overlaps]
    code, output = run("duplicates", str(EXAMPLE), "--kind", "all", "--format", "json")
    assert {"pairs", "clusters", "overlaps"} <= set(json.loads(output))


def test_threshold_and_lead_options_narrow_the_pairs() -> None:
    def pairs(*options: str) -> set[tuple[str, str]]:
        code, output = run("duplicates", str(EXAMPLE), *options, "--format", "json")
        assert code == 0
        return {(p["a"], p["b"]) for p in json.loads(output)["pairs"]}

    default = pairs()
    assert pairs("--threshold", "0.9") < default < pairs("--threshold", "0.1")
    assert pairs("--same-lead", "--threshold", "0.1") | pairs(
        "--different-lead", "--threshold", "0.1"
    ) == pairs("--threshold", "0.1")
    assert pairs("--status", "completed") == set()


def test_csv_table_and_markdown() -> None:
    code, output = run("duplicates", str(EXAMPLE), "--format", "csv")
    assert code == 0
    pair_block, cluster_block = output.split("\n\n")[:2]
    rows = list(csv.DictReader(io.StringIO(pair_block)))
    assert rows and {"a", "b", "score", "reasons"} <= set(rows[0])
    assert next(iter(csv.DictReader(io.StringIO(cluster_block))))["natural_lead"]
    code, output = run("duplicates", str(EXAMPLE), "--format", "markdown")
    assert code == 0 and "### Duplicated initiatives" in output and "| Initiatives |" in output
    code, output = run("duplicates", str(EXAMPLE))
    assert code == 0 and "Duplicate clusters" in output


def test_bad_options_are_one_line_errors() -> None:
    code, output = run("duplicates", str(EXAMPLE), "--threshold", "1.5")
    assert code == 2 and "Traceback" not in output and "--threshold" in output
    code, output = run("duplicates", str(EXAMPLE), "--status", "paused")
    assert code == 2 and "paused" in output
    code, output = run("duplicates", str(EXAMPLE), "--from", "2026-13-01")
    assert code == 2 and "YYYY-MM-DD" in output
