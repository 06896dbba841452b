"""A time window whose start is after its end is refused in one line, by both doors.

Every command with ``--from``/``--to`` dates, and every API endpoint with
``from``/``to``, is found by introspection (the command line's options, the
OpenAPI description), so one added later is checked too.
"""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE
from explorer_client import client, get_json
from fastapi.testclient import TestClient

from graphmodel.analysis.requests import ANALYSES, DateWindow
from graphmodel.backends import MemoryBackend
from graphmodel.cli.main import cli
from graphmodel.cli.options import parse_date
from graphmodel.dataset import read_dataset

LATER, EARLIER = "2026-06-01", "2026-01-01"


def windowed_commands() -> list[tuple[str, ...]]:
    """Every command (as its words) with a ``--from`` date option."""
    found = []

    def walk(group: click.Group, words: tuple[str, ...]) -> None:
        context = click.Context(group)
        # Through list_commands/get_command: the top group loads its commands on first use.
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            if isinstance(command, click.Group):
                walk(command, (*words, name))
            elif any(
                getattr(parameter, "callback", None) is parse_date and "--from" in parameter.opts
                for parameter in command.params
            ):
                found.append((*words, name))

    walk(cli, ())
    return found


#: What each command needs besides its window to get as far as its options' checks.
ARGUMENTS = {
    "explain": ["--profession", "p-teacher", "--competency", "ccs-safe"],
    "links": ["--driver", "dr-inquiry-report"],
    "diff": [str(EXAMPLE)],
    "view": ["-o", "never-written.html", "--mode", "gaps"],
    "report": ["-o", "never-written.html"],
    "communities": ["--network", "partnership"],  # the window chooses its initiatives
    "plan": ["--budget", "100"],
}


def test_the_windowed_commands_are_those_expected() -> None:
    names = {words[-1] for words in windowed_commands()}
    assert names >= {"gaps", "uncovered", "coverage", "explain", "duplicates", "links"}
    assert names >= {"brokers", "diff", "report", "view"}


@pytest.mark.parametrize("words", windowed_commands(), ids=" ".join)
def test_every_command_refuses_an_inverted_window_in_one_line(
    words: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # where report and view write their files
    arguments = [*words, str(EXAMPLE), *ARGUMENTS.get(words[-1], [])]
    arguments += ["--from", LATER, "--to", EARLIER]
    result = CliRunner().invoke(cli, arguments)
    assert not list(tmp_path.iterdir())  # nothing written
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert errors == [f"Error: --from {LATER} is after --to {EARLIER}; give the earlier date first"]
    assert "Traceback" not in result.output
    # The same window the right way round is accepted.
    same_day = [*arguments[:-4], "--from", EARLIER, "--to", EARLIER]
    accepted = CliRunner().invoke(cli, same_day)
    assert accepted.exit_code == 0, accepted.output


@pytest.fixture(scope="module")
def http() -> TestClient:
    return client(MemoryBackend(read_dataset(EXAMPLE)), str(EXAMPLE))


#: What each endpoint needs besides its window.
QUERIES = {
    "/api/explain": "profession=p-teacher&competency=ccs-safe",
    "/api/links": "driver=dr-inquiry-report",
    "/api/overlays/gaps": "profession=p-teacher",
    "/api/overlays/reach": "driver=dr-inquiry-report",
    "/api/communities": "network=partnership",
    "/api/plan": "budget=100",
    "/api/overlays/plan": "budget=100",
}


def windowed_endpoints(http: TestClient) -> list[str]:
    paths = get_json(http, "/api/openapi.json")["paths"]
    return [
        path
        for path, operations in paths.items()
        if {"from", "to"} <= {p["name"] for p in operations["get"].get("parameters", [])}
    ]


def test_every_endpoint_with_a_window_refuses_an_inverted_one(http: TestClient) -> None:
    endpoints = windowed_endpoints(http)
    assert len(endpoints) >= 12  # the analyses with a window and their overlays
    for path in endpoints:
        extra = QUERIES.get(path, "")
        query = f"from={LATER}&to={EARLIER}" + (f"&{extra}" if extra else "")
        error = get_json(http, f"{path}?{query}", status=400)
        assert error == {
            "error": f"from {LATER} is after to {EARLIER}; give the earlier date first"
        }
        same_day = f"from={EARLIER}&to={EARLIER}" + (f"&{extra}" if extra else "")
        get_json(http, f"{path}?{same_day}")


def test_the_check_lives_once_in_the_requests() -> None:
    # Every analysis with a window (and its overlay) inherits the one check.
    windowed = [model for model in ANALYSES.values() if "date_from" in model.model_fields]
    assert len(windowed) == 9  # plan among them
    needed = {
        "explain": {"profession": ["p"], "competency": "c"},
        "links": {"driver": "d"},
        "communities": {"network": "partnership"},
        "plan": {"budget": 100},
    }
    for model in windowed:
        assert issubclass(model, DateWindow)
        values = {"from": LATER, "to": EARLIER, **needed.get(model.command, {})}
        with pytest.raises(ValueError, match=f"--from {LATER} is after --to {EARLIER}"):
            model.model_validate(values)
        model.model_validate({**values, "to": LATER})


@pytest.mark.parametrize("written", ["20260101", "2026-W01-1", "2026-1-5", "0"])
def test_both_doors_refuse_the_same_date_spellings(written: str, http: TestClient) -> None:
    # Python's date.fromisoformat reads the first two; the API never did.
    result = CliRunner().invoke(cli, ["gaps", str(EXAMPLE), "--from", written])
    assert result.exit_code == 2, result.output
    assert f"Error: Invalid value for '--from': expected a date YYYY-MM-DD, got {written!r}" in (
        result.output
    )
    error = get_json(http, f"/api/gaps?from={written}", status=400)
    assert "YYYY-MM-DD" in error["error"], error
    assert CliRunner().invoke(cli, ["gaps", str(EXAMPLE), "--from", EARLIER]).exit_code == 0
    get_json(http, f"/api/gaps?from={EARLIER}")
