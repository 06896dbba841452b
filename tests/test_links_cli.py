"""The links, path and brokers commands through the command line."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, NEO4J_PASSWORD, NEO4J_URI, NEO4J_USER

from graphmodel.analysis.brokers import brokers
from graphmodel.analysis.links import driver_reach, initiative_links, what_if
from graphmodel.analysis.paths import shortest_path
from graphmodel.backends import GraphBackend, MemoryBackend
from graphmodel.cli.main import cli
from graphmodel.dataset import read_dataset

SOURCE = str(EXAMPLE)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def memory() -> MemoryBackend:
    return MemoryBackend(read_dataset(EXAMPLE))


# -- links --driver ------------------------------------------------------------------


def test_links_driver_json_is_the_library_document(memory: MemoryBackend) -> None:
    code, out, _ = run("links", SOURCE, "--driver", "dr-inquiry-report", "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert {
        "driver",
        "responding",
        "competencies",
        "professions",
        "organisations",
        "candidates",
    } <= set(payload)
    assert payload == driver_reach(memory, "dr-inquiry-report").to_json()
    assert {"initiative", "score", "shared", "reason"} <= set(payload["candidates"][0])


def test_links_driver_options_reach_the_analysis(memory: MemoryBackend) -> None:
    from graphmodel.model import InitiativeStatus
    from graphmodel.projections import InitiativeFilter

    code, out, _ = run(
        "links",
        SOURCE,
        "--driver",
        "dr-inquiry-report",
        "--status",
        "active",
        "--status",
        "proposed",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--limit",
        "2",
        "--format",
        "json",
    )
    assert code == 0
    selection = InitiativeFilter(
        (InitiativeStatus.ACTIVE, InitiativeStatus.PROPOSED),
        __import__("datetime").date(2026, 1, 1),
        __import__("datetime").date(2026, 12, 31),
    )
    assert json.loads(out) == driver_reach(memory, "dr-inquiry-report", selection, 2).to_json()
    assert "in-icb-gp-safeguarding" not in json.loads(out)["responding"]  # stopped


def test_links_driver_table_csv_markdown() -> None:
    code, out, _ = run("links", SOURCE, "--driver", "dr-inquiry-report", "--limit", "3")
    assert code == 0
    assert "Reach of dr-inquiry-report" in out
    assert "7 responding initiatives touch 6 competencies" in " ".join(out.split())
    assert "11 candidates (showing 3)" in " ".join(out.split())
    assert max(len(line) for line in out.splitlines()) <= 80

    _, text, _ = run("links", SOURCE, "--driver", "dr-inquiry-report", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    roles = [row["role"] for row in rows]
    assert roles.count("responding") == 7 and roles.count("competency") == 6
    candidates = [row for row in rows if row["role"] == "candidate"]
    assert candidates[0]["id"] == "in-nscp-multiagency-programme"
    assert float(candidates[0]["score"]) >= float(candidates[-1]["score"])

    _, markdown, _ = run("links", SOURCE, "--driver", "dr-inquiry-report", "--format", "markdown")
    assert markdown.startswith("### Reach of dr-inquiry-report")
    assert "### Candidates that do not respond to dr-inquiry-report yet" in markdown
    assert "| # | Initiative | Score | Why |" in markdown


# -- links --initiative and --text ---------------------------------------------------


def test_links_initiative_every_format(memory: MemoryBackend) -> None:
    code, out, _ = run(
        "links", SOURCE, "--initiative", "in-nct-workforce-strategy", "--format", "json"
    )
    assert code == 0
    assert json.loads(out) == initiative_links(memory, "in-nct-workforce-strategy").to_json()
    _, table, _ = run("links", SOURCE, "--initiative", "in-nhs-neglect-tool")
    assert "could build on" in table and "in-ncc-neglect-toolkit" in table
    _, text, _ = run(
        "links", SOURCE, "--initiative", "in-nct-workforce-strategy", "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["id"] for r in rows if r["role"] == "builds_on"] == ["in-nct-workforce-strategy-2022"]
    assert len([r for r in rows if r["role"] == "built_on_by"]) == 3
    _, markdown, _ = run(
        "links", SOURCE, "--initiative", "in-nhs-neglect-tool", "--format", "markdown"
    )
    assert "### Suggested BUILDS_ON links" in markdown


def test_links_text_every_format(memory: MemoryBackend) -> None:
    summary = "A duty on practitioners to report child exploitation"
    code, out, _ = run("links", SOURCE, "--text", summary, "--format", "json")
    assert code == 0
    assert json.loads(out) == what_if(memory, summary).to_json()
    _, table, _ = run(
        "links", SOURCE, "--text", summary, "--min-similarity", "0.1", "--matches", "2"
    )
    assert "Matched by text" in table and "dr-exploitation-duty" in table
    _, text, _ = run("links", SOURCE, "--text", summary, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {"matched_driver", "matched_competency", "candidate"} <= {r["role"] for r in rows}
    _, markdown, _ = run("links", SOURCE, "--text", summary, "--format", "markdown")
    assert markdown.startswith("### Matched by text")


def test_links_bad_input_is_one_line() -> None:
    code, _, err = run("links", SOURCE, "--driver", "dr-inquiry-reprot")
    assert code == 2
    assert err.strip() == (
        "error: unknown driver 'dr-inquiry-reprot'; did you mean 'dr-inquiry-report'?"
    )
    code, _, err = run("links", SOURCE, "--initiative", "in-nope-toolkit")
    assert code == 2 and err.startswith("error: unknown initiative") and len(err.splitlines()) == 1
    code, _, err = run("links", SOURCE)
    assert code == 2 and "give exactly one of --driver, --initiative, --text" in err
    code, _, err = run("links", SOURCE, "--driver", "dr-drug-strategy", "--text", "drugs")
    assert code == 2 and "exactly one" in err
    code, _, err = run("links", SOURCE, "--text", "  ")
    assert code == 2 and "--text" in err and "empty" in err
    code, _, err = run("links", SOURCE, "--driver", "dr-drug-strategy", "--from", "2026-13-01")
    assert code == 2 and "expected a date YYYY-MM-DD" in err
    code, _, err = run("links", SOURCE, "--driver", "dr-drug-strategy", "--status", "paused")
    assert code == 2 and "paused" in err
    code, _, err = run("links", "no/such/folder", "--driver", "dr-drug-strategy")
    assert code == 2 and "Traceback" not in err


# -- path --------------------------------------------------------------------------


def test_path_every_format(memory: MemoryBackend) -> None:
    args = ("path", SOURCE, "in-ncc-neglect-toolkit", "in-police-da-frontline")
    code, out, _ = run(*args, "--format", "json")
    assert code == 0
    assert (
        json.loads(out)
        == shortest_path(memory, "in-ncc-neglect-toolkit", "in-police-da-frontline").to_json()
    )
    code, out, _ = run(*args)
    lines = out.splitlines()
    assert (
        lines[0]
        == "in-ncc-neglect-toolkit to in-police-da-frontline: 2 links, the only shortest chain"
    )
    assert lines[1].startswith(
        "Initiative Neglect toolkit roll-out (in-ncc-neglect-toolkit) responds to"
    )
    assert lines[1].endswith(
        "which is responded to by Initiative Domestic abuse awareness for "
        "frontline practitioners (in-police-da-frontline)."
    )
    _, text, _ = run(*args, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["hop"], r["type"]) for r in rows] == [("1", "RESPONDS_TO"), ("2", "RESPONDS_TO")]
    _, markdown, _ = run(*args, "--format", "markdown")
    assert markdown.startswith("### in-ncc-neglect-toolkit to in-police-da-frontline")
    assert "\n1. Initiative Neglect toolkit roll-out" in markdown


def test_path_all_and_max_hops() -> None:
    code, out, _ = run("path", SOURCE, "p-gp", "fw-nccc")
    assert code == 0 and "(--all lists them)" in out
    first = out.splitlines()[1]
    code, out, _ = run("path", SOURCE, "p-gp", "fw-nccc", "--all")
    lines = out.splitlines()
    assert "all" in lines[0] and lines[1] == f"1. {first}" and len(lines) > 2
    code, out, _ = run("path", SOURCE, "org-hearthside", "dr-drug-strategy", "--max-hops", "2")
    assert code == 0
    assert out.strip() == (
        "No chain of at most 2 links between org-hearthside and dr-drug-strategy "
        "(try a larger --max-hops)"
    )
    code, out, _ = run(
        "path", SOURCE, "org-hearthside", "dr-drug-strategy", "--max-hops", "2", "--format", "json"
    )
    assert json.loads(out)["hops"] is None and json.loads(out)["paths"] == []


def test_path_bad_input() -> None:
    code, _, err = run("path", SOURCE, "in-ncc-neglect-tolkit", "p-gp")
    assert code == 2
    assert err.startswith(
        "error: unknown node 'in-ncc-neglect-tolkit'; did you mean 'in-ncc-neglect-toolkit'"
    )
    assert len(err.splitlines()) == 1
    for hops in ("0", "16"):
        code, _, err = run("path", SOURCE, "p-gp", "fw-nccc", "--max-hops", hops)
        assert code == 2 and "--max-hops" in err
    code, _, err = run("path", SOURCE, "p-gp")
    assert code == 2 and "Missing argument 'B'" in err


# -- brokers -----------------------------------------------------------------------


def test_brokers_every_format(memory: MemoryBackend) -> None:
    code, out, _ = run("brokers", SOURCE, "--format", "json")
    assert code == 0
    assert json.loads(out) == brokers(memory).to_json()
    code, out, _ = run("brokers", SOURCE, "--kind", "organisation", "--limit", "3")
    assert code == 0
    assert "(org-nmcc-cs)" in out and "Northmoor" in out
    assert "3 brokers" not in out and "(showing 3)" in " ".join(out.split())
    assert "exact betweenness" in out
    _, text, _ = run("brokers", SOURCE, "--format", "csv", "--sample", "10")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["id", "label", "name", "betweenness", "degree", "connects", "bridges"]
    icb = next(r for r in rows if r["id"] == "org-nm-icb")
    assert icb["bridges"].startswith("in-icb-gp-safeguarding | ")
    _, markdown, _ = run("brokers", SOURCE, "--format", "markdown", "--limit", "2")
    assert markdown.startswith("### Brokers of the partnership network")
    code, _, err = run("brokers", SOURCE, "--sample", "5", "--exact")
    assert code == 2 and "not both" in err
    code, _, err = run("brokers", SOURCE, "--kind", "person")
    assert code == 2


# -- the same commands against Neo4j ------------------------------------------------


@pytest.mark.neo4j
def test_every_command_gives_the_same_json_from_neo4j(neo4j_backend: GraphBackend) -> None:
    neo4j_backend.load(read_dataset(EXAMPLE), replace=True)  # type: ignore[attr-defined]
    credentials = ("--user", NEO4J_USER, "--password", NEO4J_PASSWORD)
    for command in (
        ["links", "--driver", "dr-inquiry-report", "--status", "active"],
        ["links", "--initiative", "in-nhs-neglect-tool", "--from", "2026-01-01"],
        ["links", "--text", "report child exploitation", "--limit", "3"],
        ["path", "org-hearthside", "dr-drug-strategy", "--all"],
        ["path", "p-gp", "fw-nccc", "--max-hops", "3"],
        ["brokers", "--kind", "initiative", "--sample", "7"],
        ["brokers", "--to", "2025-12-31"],
    ):
        name, rest = command[0], command[1:]
        code, from_files, _ = run(name, SOURCE, *rest, "--format", "json")
        assert code == 0
        code, from_neo4j, err = run(name, NEO4J_URI, *credentials, *rest, "--format", "json")
        assert code == 0, err
        assert json.loads(from_neo4j) == json.loads(from_files), command
