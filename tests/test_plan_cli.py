"""``graphmodel plan`` on the command line: every format, offers in every form, --apply,
bad input, the time limit, and the same JSON on both backends."""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, NEO4J_PASSWORD, NEO4J_URI, NEO4J_USER
from plan_exercises import build
from test_spreadsheets_libreoffice import convert, soffice  # noqa: F401 (soffice: a fixture)

from graphmodel.analysis.coverage import CoverageQuery, gaps
from graphmodel.analysis.plan import PlanQuery, plan
from graphmodel.backends import GraphBackend, MemoryBackend
from graphmodel.cli.main import cli
from graphmodel.dataset import read_dataset
from graphmodel.projections import EventFilter
from graphmodel.synthetic import Scale, for_planning, synthetic_dataset

#: Offers for the example, named as a strategist types them (names, pounds).
OFFERS = """\
id,title,provider,covers,targets,cost,places
of-neglect,Neglect toolkit (commissioned),Northam Safeguarding Children Partnership,ccs-safe-neglect;Recognising signs of abuse and neglect,Teacher;p-early-years,"£6,000",300
of-transitions,Transitions for every school,Northam Schools Alliance,ccs-trans-support,p-teacher,"£9,500",400
of-dear,An offer nobody can afford,,ccs-dev,p-teacher,"£900,000",10
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def offers_file(folder: Path, text: str = OFFERS, name: str = "offers.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def gap_keys(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {(g["profession"], g["competency"]) for g in document["gaps"]}


def test_json_is_the_library_document_with_section_15_keys() -> None:
    code, out, _ = run("plan", str(EXAMPLE), "--budget", "60000", "--format", "json")
    assert code == 0
    document = json.loads(out)
    required = {
        "budget", "cost", "severity_closed", "gaps_closed", "actions", "greedy", "optimal",
    }  # fmt: skip
    assert required <= set(document)
    assert document == plan(MemoryBackend(read_dataset(EXAMPLE)), PlanQuery(budget=60000))
    assert document["optimal"] is True and document["budget"] == 60000
    assert {"cost", "severity_closed"} <= set(document["greedy"])
    for gap in document["gaps_closed"]:
        assert {"profession", "competency", "severity"} <= set(gap)
    for action in document["actions"]:
        assert {"kind", "profession", "cost"} <= set(action)
        assert ("event" in action) == (action["kind"] == "open")
        assert ("offer" in action) == (action["kind"] == "commission")
    assert round(sum(a["cost"] for a in document["actions"]), 2) == document["cost"] <= 60000


def test_table_markdown_and_csv_say_the_same_plan() -> None:
    options = ["plan", str(EXAMPLE), "--budget", "60000"]
    document = json.loads(run(*options, "--format", "json")[1])
    code, table, _ = run(*options)
    assert code == 0
    assert "A plan for £60,000.00" in table
    assert f"Cost £{document['cost']:,.2f} of £60,000.00" in " ".join(table.split())
    assert "Greedy plan (most severity per pound first)" in table
    assert "Optimal: no plan within the budget closes more severity (proven)." in table
    assert "Gaps the plan closes" in table
    code, markdown, _ = run(*options, "--format", "markdown")
    assert markdown.startswith("### A plan for £60,000.00\n\n| Action | Event or offer | For |")
    assert markdown.count("\n| open |") + markdown.count("\n| commission |") == len(
        document["actions"]
    )
    code, sheet, _ = run(*options, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(sheet)))
    assert list(rows[0]) == [
        "action", "id", "title", "for", "for_names", "headcount", "cost_per_place", "cost",
        "gaps_closed", "severity_closed", "closes",
    ]  # fmt: skip
    *actions, total = rows
    assert total["action"] == "total" and float(total["cost"]) == document["cost"]
    assert round(sum(float(row["cost"]) for row in actions), 2) == document["cost"]
    assert all(len(row["cost"].split(".")[1]) == 2 for row in rows)  # pounds and pence
    assert sorted(row["id"] for row in actions) == sorted(
        a.get("event") or a["offer"] for a in document["actions"]
    )
    assert float(total["severity_closed"]) == document["severity_closed"]


def test_offers_from_a_csv_file_are_commissioned(tmp_path: Path) -> None:
    path = offers_file(tmp_path)
    code, out, err = run(
        "plan", str(EXAMPLE), "--budget", "20000", "--offers", str(path), "--format", "json"
    )
    assert code == 0, err
    document = json.loads(out)
    commissioned = [a for a in document["actions"] if a["kind"] == "commission"]
    assert [a["offer"] for a in commissioned] == ["of-neglect"]
    neglect = commissioned[0]
    # Names in cells resolve to ids; the profession key is null, targets list them.
    assert neglect["targets"] == ["p-early-years", "p-teacher"] and neglect["profession"] is None
    assert neglect["cost"] == 6000.0
    closed = [g for g in document["gaps_closed"] if "of-neglect" in g["by"]]
    assert ("p-teacher", "ccs-safe-recognise") in {
        (g["profession"], g["competency"]) for g in closed
    }
    assert document["summary"]["offers"] == 3
    # Without the offers the same money closes less.
    without = json.loads(run("plan", str(EXAMPLE), "--budget", "20000", "--format", "json")[1])
    assert without["severity_closed"] < document["severity_closed"]


def test_offers_in_workbooks_libreoffice_wrote(tmp_path: Path, soffice: str) -> None:  # noqa: F811
    path = offers_file(tmp_path)
    base = ["plan", str(EXAMPLE), "--budget", "20000", "--format", "json"]
    expected = json.loads(run(*base, "--offers", str(path))[1])
    # CSV import as a UK user would: comma, double quote, UTF-8, en-GB (pound signs).
    csv_filter = "--infilter=CSV:44,34,76,1,,2057,false,true"
    for target in ("ods", "xlsx"):
        convert(soffice, [path], target, tmp_path / target, csv_filter)
        workbook = tmp_path / target / f"offers.{target}"
        code, out, err = run(*base, "--offers", str(workbook))
        assert code == 0, err
        assert json.loads(out) == expected, target


def test_the_dataset_s_own_offers_table_is_used_unless_offers_is_given(tmp_path: Path) -> None:
    folder = tmp_path / "exercise"
    shutil.copytree(EXAMPLE, folder)
    offers_file(folder)
    code, _, err = run("validate", str(folder))
    assert code == 0, err
    base = ["plan", str(folder), "--budget", "20000", "--format", "json"]
    own = json.loads(run(*base)[1])
    assert "of-neglect" in {a.get("offer") for a in own["actions"]}
    other = offers_file(tmp_path, OFFERS.splitlines()[0] + "\n" + OFFERS.splitlines()[2] + "\n")
    replaced = json.loads(run(*base, "--offers", str(other))[1])
    assert "of-neglect" not in {a.get("offer") for a in replaced["actions"]}
    assert replaced["summary"]["offers"] == 1
    # A dataset folder given to --offers gives its offers table.
    assert json.loads(run(*base, "--offers", str(folder))[1]) == own


def test_bad_offers_are_one_line_each_with_file_row_and_column(tmp_path: Path) -> None:
    bad = offers_file(
        tmp_path,
        "id,title,covers,targets,cost,colour\nof-1,Course,ccs-safe-neglekt,p-teachr,100,red\n",
    )
    code, out, err = run("plan", str(EXAMPLE), "--budget", "100", "--offers", str(bad))
    assert code == 2 and out == ""
    assert f"{bad}:1:colour: unknown column" in err
    assert "Traceback" not in err
    fixed = offers_file(
        tmp_path,
        "id,title,covers,targets,cost\n"
        "of-1,Course,ccs-safe-neglekt,p-teachr,£-5\n"
        "te-ncc-neglect-2026,Clash,ccs-safe,p-teacher,100\n",
    )
    code, _, err = run("plan", str(EXAMPLE), "--budget", "100", "--offers", str(fixed))
    lines = err.strip().splitlines()
    assert code == 2
    assert f"{fixed}:2:cost: invalid value '£-5'" in lines[0]
    assert any(
        line.startswith(f"{fixed}:3:id: id 'te-ncc-neglect-2026' is already a training event's id")
        for line in lines
    )
    names = offers_file(
        tmp_path, "id,title,covers,targets,cost\nof-1,Course,ccs-safe-neglekt,p-teachr,5\n"
    )
    code, _, err = run("plan", str(EXAMPLE), "--budget", "100", "--offers", str(names))
    assert code == 2
    assert (
        f"{names}:2:covers: unknown competency 'ccs-safe-neglekt'; did you mean 'ccs-safe-neglect'"
        in err
    )
    assert f"{names}:2:targets: unknown profession 'p-teachr'; did you mean 'p-teacher'" in err
    code, _, err = run(
        "plan", str(EXAMPLE), "--budget", "100", "--offers", str(tmp_path / "no.csv")
    )
    assert code == 2 and "no such file or folder" in err


def test_offers_at_levels_close_below_level_gaps_and_say_a_bad_level(tmp_path: Path) -> None:
    # The teachers' responding gap is covered at Foundation, Intermediate needed: a
    # commissioned course at Intermediate closes it; one at Foundation does not.
    path = offers_file(
        tmp_path,
        "id,title,covers,targets,cost\n"
        "of-respond,Responding course,Responding to and referring safeguarding concerns"
        "@intermediate,Teacher,£900\n"
        "of-taster,Responding taster,nspl-respond@Foundation,p-teacher,£10\n",
    )
    base = ["plan", str(EXAMPLE), "--offers", str(path), "--format", "json"]
    code, out, err = run(*base, "--budget", "1000")
    assert code == 0, err
    document = json.loads(out)
    commissioned = {a["offer"] for a in document["actions"] if a["kind"] == "commission"}
    assert commissioned == {"of-respond"}
    closing = {(g["profession"], g["competency"]) for g in document["gaps_closed"]}
    assert ("p-teacher", "nspl-respond") in closing
    respond = next(g for g in document["gaps_closed"] if g["competency"] == "nspl-respond")
    assert (respond["covered_level"], respond["required_level"]) == ("Foundation", "Intermediate")
    table = run(*base[:-2], "--budget", "1000", "--format", "markdown")[1]
    assert "Foundation / Intermediate" in table
    applied = tmp_path / "applied"
    code, _, err = run(*base, "--budget", "1000", "--apply", str(applied))
    assert code == 0, err
    # The commissioned offer became an event covering at the framework's spelling.
    events = (applied / "training_events.csv").read_text(encoding="utf-8")
    assert "nspl-respond@Intermediate" in events
    before = json.loads(run("gaps", str(EXAMPLE), "--format", "json")[1])
    after = json.loads(run("gaps", str(applied), "--format", "json")[1])
    assert gap_keys(before) - gap_keys(after) == closing
    bad = offers_file(
        tmp_path,
        "id,title,covers,targets,cost\n"
        "of-1,Course,nspl-respond@Intermedate,p-teacher,5\n"
        "of-2,Course,ccs-safe-neglect@Advanced,p-teacher,5\n",
        name="bad.csv",
    )
    code, out, err = run("plan", str(EXAMPLE), "--budget", "100", "--offers", str(bad))
    assert code == 2 and out == "" and "Traceback" not in err
    lines = err.strip().splitlines()
    assert any(
        line.startswith(f"{bad}:2:covers: unknown level 'Intermedate' of framework fw-nspl")
        and "did you mean 'Intermediate'?" in line
        for line in lines
    ), lines
    assert any(
        line.startswith(f"{bad}:3:covers: level 'Advanced' given for ccs-safe-neglect")
        for line in lines
    ), lines
    # The same checks on an exercise's own offers table.
    folder = tmp_path / "exercise"
    shutil.copytree(EXAMPLE, folder)
    shutil.copy(bad, folder / "offers.csv")
    code, _, err = run("validate", str(folder))
    assert code == 2
    assert f"{folder / 'offers.csv'}:2:covers: unknown level 'Intermedate'" in err


def test_bad_options_are_usage_errors() -> None:
    code, _, err = run("plan", str(EXAMPLE))
    assert code == 2 and "--budget" in err
    code, _, err = run("plan", str(EXAMPLE), "--budget", "-5")
    assert code == 2 and "--budget" in err
    code, _, err = run("plan", str(EXAMPLE), "--budget", "100", "--profession", "p-teachr")
    assert code == 2 and "unknown profession 'p-teachr'" in err and "p-teacher" in err


@pytest.mark.parametrize("suffix", ["", ".xlsx", ".json"])
def test_apply_writes_the_dataset_whose_gaps_are_the_ones_left(tmp_path: Path, suffix: str) -> None:
    path = offers_file(tmp_path)
    out_path = tmp_path / f"planned{suffix}"
    window = ["--from", "2026-01-01", "--to", "2026-12-31", "--min-evaluation", "reaction"]
    code, out, err = run(
        "plan", str(EXAMPLE), "--budget", "30000", *window, "--offers", str(path),
        "--apply", str(out_path), "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    assert f"wrote {out_path}" in err
    document = json.loads(out)
    assert run("validate", str(out_path))[0] == 0
    before = json.loads(run("gaps", str(EXAMPLE), *window, "--format", "json")[1])
    after = json.loads(run("gaps", str(out_path), *window, "--format", "json")[1])
    assert gap_keys(before) - gap_keys(after) == {
        (g["profession"], g["competency"]) for g in document["gaps_closed"]
    }
    applied = read_dataset(out_path)
    commissioned = {a["offer"] for a in document["actions"] if a["kind"] == "commission"}
    events = {event.id: event for event in applied.training_events}
    for offer in commissioned:
        assert events[offer].status.value == "planned"
        assert events[offer].evaluation.value == "reaction"
    # diff shows the gaps closed.
    code, out, _ = run("diff", str(EXAMPLE), str(out_path), *window, "--format", "json")
    assert len(json.loads(out)["gaps_closed"]) == len(document["gaps_closed"])


def test_a_time_limit_that_stops_short_says_so_with_the_proven_bound() -> None:
    dataset = for_planning(synthetic_dataset(Scale.tiny().scaled(4), seed=3), seed=4)
    backend = MemoryBackend(dataset)
    stopped = plan(backend, PlanQuery(budget=50_000, time_limit=1e-9))
    assert stopped["optimal"] is False
    assert stopped["solver"]["stopped"] is not None
    exact = plan(backend, PlanQuery(budget=50_000))
    assert exact["optimal"] is True
    # The bound is proven: no plan beats it, and the plan found is no worse than greedy.
    assert stopped["bound"] >= exact["severity_closed"] >= stopped["severity_closed"]
    assert stopped["severity_closed"] >= stopped["greedy"]["severity_closed"]


# -- both backends ------------------------------------------------------------------


@pytest.mark.neo4j
@pytest.mark.parametrize("seed", range(12))
def test_both_backends_give_the_same_plan(seed: int, neo4j_backend: GraphBackend) -> None:
    exercise = build(random.Random(seed))
    neo4j_backend.load(exercise.dataset, replace=True)  # type: ignore[attr-defined]
    query = PlanQuery(exercise.query, exercise.budget)
    # A database holds no offers: they are given, as --offers gives them.
    on_neo4j = plan(neo4j_backend, query, exercise.dataset.offers)
    assert on_neo4j == plan(MemoryBackend(exercise.dataset), query)


@pytest.mark.neo4j
def test_both_backends_give_the_same_plan_through_the_command_line(
    tmp_path: Path, neo4j_backend: GraphBackend
) -> None:
    neo4j_backend.load(read_dataset(EXAMPLE), replace=True)  # type: ignore[attr-defined]
    path = offers_file(tmp_path)
    credentials = ("--user", NEO4J_USER, "--password", NEO4J_PASSWORD)
    for options in (
        ["--budget", "20000"],
        ["--budget", "60000", "--from", "2026-01-01", "--min-evaluation", "learning"],
        ["--budget", "5000", "--profession", "p-teacher", "--profession", "p-gp"],
    ):
        rest = [*options, "--offers", str(path), "--format", "json"]
        code, from_neo4j, err = run("plan", NEO4J_URI, *credentials, *rest)
        assert code == 0, err
        assert json.loads(from_neo4j) == json.loads(run("plan", str(EXAMPLE), *rest)[1])


def test_the_plan_never_opens_a_gap_and_more_money_never_closes_less() -> None:
    backend = MemoryBackend(read_dataset(EXAMPLE))
    query = CoverageQuery(EventFilter(min_evaluation=EventFilter().min_evaluation))
    closed = [
        plan(backend, PlanQuery(query, budget))["severity_closed"]
        for budget in (0, 1000, 5000, 20000, 100000)
    ]
    assert closed == sorted(closed)
    assert gaps(backend, query)["summary"]["gaps"] > 0
