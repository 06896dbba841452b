"""Progress between two exercises: `graphmodel diff OLD NEW` on hand-built before/after datasets."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, NEO4J_PASSWORD, NEO4J_URI, NEO4J_USER

from graphmodel.analysis.coverage import CoverageQuery, gaps
from graphmodel.analysis.diff import DiffQuery, compare
from graphmodel.backends import GraphBackend, MemoryBackend
from graphmodel.cli.main import cli
from graphmodel.dataset import read_dataset
from graphmodel.errors import NotFoundError
from graphmodel.model import Dataset

PREVIOUS_EXAMPLE = EXAMPLE.parent / "children-trust-2025"

INITIATIVE_HEADER = (
    "id,title,description,kind,lead_organisation,partners,status,start_date,end_date,"
    "budget,targets,addresses,responds_to,builds_on\n"
)
EVENT_HEADER = (
    "id,title,lead_organisation,start_date,end_date,delivery,places,cost,evaluation,status,"
    "targets,covers,initiative\n"
)
KINSHIP = "Kinship carers peer support,Peer support groups for kinship carers"
NEGLECT = "Graded neglect toolkit,Rolls out a graded neglect toolkit"

# The earlier exercise. Gaps: the teacher's two requirements (no event targets
# teachers). Everything is covered: c-area/c-item/c-other by te-one (down,
# then across), c-extra by te-extra; only c-lonely is not. Duplicates: in-pilot
# repeats in-plan, in-grow repeats in-stop.
OLD = {
    "competencies": """\
        id,name,framework,parent,description,equivalent_to
        c-area,Safeguarding,fw-core,,,
        c-item,Recognise harm,fw-core,c-area,,
        c-other,Share information,fw-core,,,c-item
        c-extra,Court skills,fw-core,,,
        c-lonely,Kinship care,fw-core,,,
        """,
    "requirements": """\
        profession,competency,priority
        p-social-worker,c-item,essential
        p-teacher,c-other,desirable
        p-teacher,c-item,essential
        """,
    "training_events": EVENT_HEADER
    + "te-one,Safeguarding basics,org-council,2025-01-10,2025-01-11,classroom,20,1500,learning,"
    + "completed,p-social-worker,c-area,in-plan\n"
    + "te-extra,Court skills day,org-council,,,workshop,10,500,none,planned,p-social-worker,"
    + "c-extra,\n",
    "initiatives": INITIATIVE_HEADER
    + f"""\
in-plan,{KINSHIP},strategy,org-council,org-partnership,active,2025-01-01,,10000,p-social-worker,c-area,dr-review,
in-pilot,{KINSHIP},pilot,,,active,,,2000,,,,
in-stop,{NEGLECT},,org-council,,active,,,3000,,,,
in-grow,{NEGLECT},,org-council,,proposed,,,4000,,,,
in-far,Youth music festival,Concerts in parks every summer,,,,active,,,,,,,
""",
}

# The later exercise: te-one cancelled, te-extra gone, te-two for teachers,
# the teacher no longer needs c-item, social workers now need the new c-new;
# in-plan completed, in-stop stopped, in-grow active and building on in-stop,
# in-far rewritten as a copy of in-plan, in-pilot gone, in-new added for the
# new driver dr-new.
NEW = {
    "competencies": OLD["competencies"] + "        c-new,Exploitation duty,fw-core,,,\n",
    "requirements": """\
        profession,competency,priority
        p-social-worker,c-item,essential
        p-teacher,c-other,desirable
        p-social-worker,c-new,essential
        """,
    "training_events": EVENT_HEADER
    + "te-one,Safeguarding basics,org-council,2025-01-10,2025-01-11,classroom,20,1500,learning,"
    + "cancelled,p-social-worker,c-area,in-plan\n"
    + "te-two,Information sharing for schools,org-council,2026-02-01,,workshop,30,900,reaction,"
    + "planned,p-teacher,c-other;c-lonely,\n",
    "initiatives": INITIATIVE_HEADER
    + f"""\
in-plan,{KINSHIP},strategy,org-council,org-partnership,completed,2025-01-01,2025-12-31,10000,p-social-worker,c-area,dr-review,
in-stop,{NEGLECT},,org-council,,stopped,,,3000,,,,
in-grow,{NEGLECT},,org-council,,active,,,4000,,,,in-stop
in-far,{KINSHIP},,,,active,,,,,,,
in-new,{KINSHIP},,org-council,,proposed,,,5000,,,dr-new,
""",
    "drivers": """\
        id,name,kind,issued,description
        dr-review,Local review,inquiry,2024-06-01,A review
        dr-new,Exploitation reporting duty,legislation,2026-03-16,
        """,
}


@pytest.fixture
def before_after(make_dataset: Callable[..., Path]) -> tuple[Path, Path]:
    return make_dataset(**OLD), make_dataset(**NEW)


def _memory(path: Path) -> MemoryBackend:
    return MemoryBackend(read_dataset(path))


def _keys(rows: list[dict[str, Any]], *columns: str) -> list[tuple[Any, ...]]:
    return [tuple(row[column] for column in columns) for row in rows]


def test_hand_built_diff(before_after: tuple[Path, Path]) -> None:
    old, new = before_after
    result = compare(_memory(old), _memory(new))
    assert _keys(result["gaps_closed"], "profession", "competency", "severity", "why") == [
        ("p-teacher", "c-item", 1.0, "no longer required"),
        ("p-teacher", "c-other", 0.5, "now covered"),
    ]
    assert _keys(result["gaps_opened"], "profession", "competency", "severity", "why") == [
        ("p-social-worker", "c-item", 120.0, "no longer covered"),
        ("p-social-worker", "c-new", 120.0, "newly required"),
    ]
    assert _keys(result["competencies_newly_covered"], "competency", "required_by") == [
        ("c-lonely", [])
    ]
    assert _keys(result["competencies_newly_uncovered"], "competency", "required_by", "why") == [
        ("c-extra", [], "lost coverage"),
        ("c-new", ["p-social-worker"], "new competency"),
    ]
    assert _keys(result["initiatives_added"], "initiative", "status", "responds_to") == [
        ("in-new", "proposed", ["dr-new"])
    ]
    assert _keys(result["initiatives_removed"], "initiative", "budget") == [("in-pilot", 2000.0)]
    assert _keys(result["initiative_status_changes"], "initiative", "from", "to") == [
        ("in-grow", "proposed", "active"),
        ("in-plan", "active", "completed"),
        ("in-stop", "active", "stopped"),
    ]
    assert result["drivers_added"] == [
        {"driver": "dr-new", "name": "Exploitation reporting duty", "responding": ["in-new"]}
    ]
    assert result["drivers_removed"] == []
    new_pairs = _keys(result["duplicates_new"], "a", "b", "why")
    assert sorted(new_pairs) == [
        ("in-far", "in-new", "new initiative"),
        ("in-far", "in-plan", "now similar"),
        ("in-new", "in-plan", "new initiative"),
    ]
    assert sorted(_keys(result["duplicates_resolved"], "a", "b", "why")) == [
        ("in-grow", "in-stop", "linked by BUILDS_ON"),
        ("in-pilot", "in-plan", "initiative removed"),
    ]
    assert result["changes"] == {
        "gaps_closed": 2,
        "gaps_opened": 2,
        "severity_closed": 1.5,
        "severity_opened": 240.0,
        "competencies_newly_covered": 1,
        "competencies_newly_uncovered": 2,
        "initiatives_added": 1,
        "initiatives_removed": 1,
        "initiatives_completed": 1,
        "initiatives_stopped": 1,
        "initiative_status_changes": 3,
        "drivers_added": 1,
        "drivers_removed": 0,
        "duplicates_new": 3,
        "duplicates_resolved": 2,
    }
    summary = result["summary"]
    assert summary["gaps"] == {"old": 2, "new": 2}
    assert summary["requirements"] == {"old": 3, "new": 3}
    assert summary["coverage_share"] == {"old": round(1 / 3, 4), "new": round(1 / 3, 4)}
    assert summary["gap_severity"] == {"old": 1.5, "new": 240.0}
    assert summary["uncovered"] == {"old": 1, "new": 2}
    assert summary["nodes"]["Initiative"] == {"old": 5, "new": 5}
    assert summary["nodes"]["Driver"] == {"old": 1, "new": 2}
    assert result["names"]["p-social-worker"] == "Social worker"
    assert result["names"]["dr-new"] == "Exploitation reporting duty"


def test_the_coverage_options_apply_to_both_sides(before_after: tuple[Path, Path]) -> None:
    old, new = before_after
    query = DiffQuery(CoverageQuery(professions=("p-teacher",)))
    result = compare(_memory(old), _memory(new), query)
    assert [g["profession"] for g in result["gaps_closed"]] == ["p-teacher", "p-teacher"]
    assert result["gaps_opened"] == []
    assert result["summary"]["requirements"] == {"old": 2, "new": 1}


def test_an_unknown_id_names_the_side(before_after: tuple[Path, Path]) -> None:
    old, new = before_after
    query = DiffQuery(CoverageQuery(frameworks=("fw-cor",)))
    with pytest.raises(NotFoundError, match=r"^OLD: unknown framework 'fw-cor'; did you mean"):
        compare(_memory(old), _memory(new), query)


def test_identical_exercises_change_nothing() -> None:
    backend = _memory(EXAMPLE)
    result = compare(backend, backend)
    assert all(count == 0 for count in result["changes"].values())
    assert all(v["old"] == v["new"] for k, v in result["summary"].items() if k != "nodes")
    assert all(v["old"] == v["new"] for v in result["summary"]["nodes"].values())


def test_the_example_exercises_add_up() -> None:
    """Between the two bundled exercises: what changed accounts for the gap counts exactly."""
    old, new = _memory(PREVIOUS_EXAMPLE), _memory(EXAMPLE)
    result = compare(old, new)
    old_gaps, new_gaps = gaps(old, CoverageQuery()), gaps(new, CoverageQuery())
    old_keys = {(g["profession"], g["competency"]) for g in old_gaps["gaps"]}
    new_keys = {(g["profession"], g["competency"]) for g in new_gaps["gaps"]}
    closed = {(g["profession"], g["competency"]) for g in result["gaps_closed"]}
    opened = {(g["profession"], g["competency"]) for g in result["gaps_opened"]}
    assert closed == old_keys - new_keys and opened == new_keys - old_keys
    assert (old_keys - closed) | opened == new_keys
    assert closed and opened  # the bundled pair shows both
    severities = [g["severity"] for g in result["gaps_closed"]]
    assert severities == sorted(severities, reverse=True)


def test_reversing_the_sides_swaps_every_change() -> None:
    old, new = _memory(PREVIOUS_EXAMPLE), _memory(EXAMPLE)
    forward, backward = compare(old, new), compare(new, old)

    def pairs(rows: list[dict[str, Any]]) -> set[tuple[str, str]]:
        return {(row["profession"], row["competency"]) for row in rows}

    assert pairs(forward["gaps_closed"]) == pairs(backward["gaps_opened"])
    assert pairs(forward["gaps_opened"]) == pairs(backward["gaps_closed"])
    assert _keys(forward["initiatives_added"], "initiative") == _keys(
        backward["initiatives_removed"], "initiative"
    )
    assert [
        (c["initiative"], c["from"], c["to"]) for c in forward["initiative_status_changes"]
    ] == [(c["initiative"], c["to"], c["from"]) for c in backward["initiative_status_changes"]]
    assert _keys(forward["duplicates_new"], "a", "b") == _keys(
        backward["duplicates_resolved"], "a", "b"
    )
    assert [d["driver"] for d in forward["drivers_added"]] == [
        d["driver"] for d in backward["drivers_removed"]
    ]


@pytest.mark.parametrize("database_side", ["old", "new"])
def test_a_database_on_either_side_gives_the_same_diff(
    backend_for: Callable[[Dataset], GraphBackend],
    before_after: tuple[Path, Path],
    database_side: str,
) -> None:
    old, new = (read_dataset(path) for path in before_after)
    expected = compare(MemoryBackend(old), MemoryBackend(new))
    if database_side == "old":
        result = compare(backend_for(old), MemoryBackend(new))
    else:
        result = compare(MemoryBackend(old), backend_for(new))
    assert result == expected


# -- the command ----------------------------------------------------------------


def test_diff_json(before_after: tuple[Path, Path]) -> None:
    old, new = before_after
    result = CliRunner().invoke(cli, ["diff", str(old), str(new), "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["old"] == str(old) and payload["new"] == str(new)
    expected = compare(_memory(old), _memory(new))
    assert {k: v for k, v in payload.items() if k not in ("old", "new")} == json.loads(
        json.dumps(expected)
    )


def test_diff_markdown_and_table(before_after: tuple[Path, Path]) -> None:
    old, new = before_after
    runner = CliRunner()
    markdown = runner.invoke(cli, ["diff", str(old), str(new), "--format", "markdown"]).stdout
    assert markdown.startswith(f"## Progress from {old} to {new}\n")
    assert "### Gaps closed\n\n| Profession | Competency |" in markdown
    assert (
        "| Teacher (p-teacher) | Recognise harm (c-item) | essential | 1 | 1 | no longer required |"
        in (markdown)
    )
    assert "| Exploitation duty (c-new) | Social worker | new competency |" in markdown
    assert "### Competencies newly covered" in markdown and "### Drivers removed" not in markdown
    table = runner.invoke(cli, ["diff", str(old), str(new)])
    assert table.exit_code == 0
    for title in ("Progress summary", "What changed", "Gaps opened", "New duplicate pairs"):
        assert title in table.stdout


def test_diff_with_a_filter_and_threshold(before_after: tuple[Path, Path]) -> None:
    old, new = before_after
    args = ["diff", str(old), str(new), "--format", "json", "--profession", "p-teacher"]
    payload = json.loads(CliRunner().invoke(cli, [*args, "--threshold", "0.9"]).stdout)
    assert payload["summary"]["requirements"] == {"old": 2, "new": 1}
    # Copies by text alone score 0.5: below 0.9. The toolkit pair shares its
    # lead too (score 1.0), so it still shows, resolved by its BUILDS_ON link.
    assert payload["duplicates_new"] == []
    assert _keys(payload["duplicates_resolved"], "a", "b", "score", "why") == [
        ("in-grow", "in-stop", 1.0, "linked by BUILDS_ON")
    ]


def test_diff_bad_sources_are_one_line(before_after: tuple[Path, Path], tmp_path: Path) -> None:
    old, _ = before_after
    runner = CliRunner()
    missing = runner.invoke(cli, ["diff", str(old), str(tmp_path / "nowhere")])
    assert missing.exit_code == 2
    assert missing.stderr == f"{tmp_path / 'nowhere'}: no such file or folder\n"
    unknown = runner.invoke(cli, ["diff", str(old), str(old), "--profession", "p-nurse"])
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("error: OLD: unknown profession 'p-nurse'")
    assert len(unknown.stderr.splitlines()) == 1


@pytest.mark.neo4j
def test_diff_a_file_against_a_database(
    neo4j_backend: GraphBackend, before_after: tuple[Path, Path]
) -> None:
    old, new = before_after
    neo4j_backend.load(read_dataset(new), replace=True)  # type: ignore[attr-defined]
    credentials = ["--user", NEO4J_USER, "--password", NEO4J_PASSWORD]
    args = ["diff", str(old), NEO4J_URI, "--format", "json", *credentials]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["new"] == NEO4J_URI
    expected = json.loads(json.dumps(compare(_memory(old), _memory(new))))
    assert {k: v for k, v in payload.items() if k not in ("old", "new")} == expected
