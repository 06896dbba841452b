"""The command line, through click's CliRunner."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE

from graphmodel.cli.main import COMMANDS, cli
from graphmodel.dataset import read_dataset


@pytest.fixture
def run() -> Callable[..., object]:
    runner = CliRunner()

    def invoke(*args: str) -> object:
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


def test_version(run: Callable[..., object]) -> None:
    result = run("--version")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert result.output.startswith("graphmodel, version ")  # type: ignore[attr-defined]


def test_every_command_has_help_with_an_example(run: Callable[..., object]) -> None:
    for name in COMMANDS:
        result = run(name, "--help")
        assert result.exit_code == 0, name  # type: ignore[attr-defined]
        assert "Example:" in result.output, name  # type: ignore[attr-defined]


def test_validate_valid(run: Callable[..., object]) -> None:
    result = run("validate", str(EXAMPLE))
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert result.output.startswith(f"{EXAMPLE}: valid (3 frameworks, 46 competencies")  # type: ignore[attr-defined]


def test_validate_invalid_prints_one_line_per_problem(
    run: Callable[..., object], make_dataset: Callable[..., Path]
) -> None:
    path = make_dataset(training_events="id,title,evaluation,targets\nte-one,T,behavior,p-teachr\n")
    result = run("validate", str(path))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert result.stdout == ""  # type: ignore[attr-defined]
    assert result.stderr.splitlines() == [  # type: ignore[attr-defined]
        f"{path}/training_events.csv:2:evaluation: invalid value 'behavior': input should be "
        "'none', 'reaction', 'learning', 'behaviour' or 'results'; did you mean 'behaviour'?",
        # The row's other cells are still checked: both problems at once.
        f"{path}/training_events.csv:2:targets: unknown profession 'p-teachr'; "
        "did you mean 'p-teacher' (Teacher)?",
    ]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]


def test_validate_json_lists_problems(
    run: Callable[..., object], make_dataset: Callable[..., Path]
) -> None:
    path = make_dataset(drivers="id,name,issued\ndr-review,R,2024-02-30\n")
    result = run("validate", str(path), "--format", "json")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    payload = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert payload == {
        "valid": False,
        "problems": [
            {
                "file": f"{path}/drivers.csv",
                "row": "2",
                "column": "issued",
                "message": "'2024-02-30' is not a real calendar date",
            }
        ],
        "more_problems": 0,
    }


def test_stats_json_counts(run: Callable[..., object]) -> None:
    result = run("stats", str(EXAMPLE), "--format", "json")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    payload = json.loads(result.output)  # type: ignore[attr-defined]
    dataset = read_dataset(EXAMPLE)
    assert payload["nodes"]["Competency"] == len(dataset.competencies)
    assert payload["nodes"]["TrainingEvent"] == len(dataset.training_events)
    assert payload["relationships"]["REQUIRES"] == len(dataset.requirements)
    assert payload["relationships"]["COVERS"] == sum(len(e.covers) for e in dataset.training_events)
    assert payload["relationships"]["LEADS"] == sum(
        1 for row in [*dataset.training_events, *dataset.initiatives] if row.lead_organisation
    )


def test_stats_csv_and_markdown(run: Callable[..., object]) -> None:
    result = run("stats", str(EXAMPLE), "--format", "csv")
    blocks = result.output.split("\n\n")  # type: ignore[attr-defined]
    nodes = list(csv.reader(io.StringIO(blocks[0])))
    assert nodes[0] == ["type", "count"] and ["Framework", "3"] in nodes
    markdown = run("stats", str(EXAMPLE), "--format", "markdown").output  # type: ignore[attr-defined]
    assert "### Nodes" in markdown and "| Framework | 3 |" in markdown


def test_stats_table_is_readable(run: Callable[..., object]) -> None:
    output = run("stats", str(EXAMPLE)).output  # type: ignore[attr-defined]
    assert "TrainingEvent" in output and "RESPONDS_TO" in output


def test_stats_on_invalid_dataset_exits_2(
    run: Callable[..., object], make_dataset: Callable[..., Path]
) -> None:
    path = make_dataset(drivers="id,name\n,R\n")
    result = run("stats", str(path))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert result.stderr == f"{path}/drivers.csv:2:id: required value is empty\n"  # type: ignore[attr-defined]


def test_missing_source_is_one_line(run: Callable[..., object], tmp_path: Path) -> None:
    result = run("stats", str(tmp_path / "nope"))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert result.stderr == f"{tmp_path / 'nope'}: no such file or folder\n"  # type: ignore[attr-defined]


def test_unsupported_uri(run: Callable[..., object]) -> None:
    result = run("stats", "http://localhost:7474")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert result.stderr.startswith("error: http://localhost:7474: unsupported URI")  # type: ignore[attr-defined]


@pytest.mark.slow  # the console script in its own process, the driver's retries
def test_unreachable_neo4j_is_one_line_and_quick() -> None:
    # Through the real console entry point, so any logging the driver does
    # would show on the real stderr.
    import subprocess
    import sys
    import time

    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from graphmodel.cli.main import main; main()",
            "stats",
            "bolt://127.0.0.1:1",
            "--password",
            "s3cret-value",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert time.monotonic() - started < 20
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0] == (
        "error: bolt://127.0.0.1:1: cannot reach Neo4j while connecting (Connection refused)"
    )
    assert "s3cret-value" not in result.stderr + result.stdout


@pytest.mark.parametrize("scheme", ["bolt", "bolt+s", "neo4j", "neo4j+s", "bolt+ssc"])
def test_every_neo4j_scheme_reaches_the_driver(run: Callable[..., object], scheme: str) -> None:
    # Nothing listens on port 1: each scheme must get as far as a connection
    # attempt (not a "not a dataset" error) and fail in one line.
    result = run("stats", f"{scheme}://127.0.0.1:1")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert result.stderr.startswith(f"error: {scheme}://127.0.0.1:1: cannot reach Neo4j")  # type: ignore[attr-defined]
    assert len(result.stderr.splitlines()) == 1  # type: ignore[attr-defined]


def test_schema_is_json(run: Callable[..., object]) -> None:
    payload = json.loads(run("schema").output)  # type: ignore[attr-defined]
    assert payload["title"] == "Dataset"


def test_template_needs_xlsx(run: Callable[..., object], tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["template", str(tmp_path / "t.csv")])
    assert result.exit_code == 2
    assert "the template is an .xlsx or .ods workbook" in result.output


@pytest.mark.parametrize("name", ["out", "out.xlsx", "out.ods", "out.json", "out.yaml"])
def test_export_round_trips(run: Callable[..., object], tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    result = run("export", str(EXAMPLE), str(out))
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert read_dataset(out) == read_dataset(EXAMPLE)


def test_export_unknown_format(run: Callable[..., object], tmp_path: Path) -> None:
    result = run("export", str(EXAMPLE), str(tmp_path / "out.parquet"))
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "unknown output format '.parquet'" in result.stderr  # type: ignore[attr-defined]


def test_every_command_with_connection_options_takes_them() -> None:
    """A command given --ca-cert (or --user, ...) passes it on: its function takes each one."""
    import inspect

    def commands(group: click.Group) -> Iterator[click.Command]:
        context = click.Context(group)
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            assert command is not None
            if isinstance(command, click.Group):
                yield from commands(command)
            else:
                yield command

    checked = 0
    for command in commands(cli):
        options = {parameter.name for parameter in command.params}
        if "ca_cert" not in options:
            continue
        assert command.callback is not None
        taken = set(inspect.signature(command.callback).parameters)
        if "backend" in taken:
            continue  # cli/options.py opens the source with every one of them
        connection = {"user", "password", "database", "ca_cert"}
        assert connection <= taken, (command.name, connection - taken)
        checked += 1
    assert checked >= 5
