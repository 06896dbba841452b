"""``graphmodel framework import table``: a real-shaped long table, with every quirk, read right.

The table is made up by ``tests/long_table.py`` (about 200 role levels, 190
skills, 1,900 rows; no framework's own text), which keeps the answer: each
role level's skills at the level it needs. It is read as CSV, and as .xlsx and
.ods files that LibreOffice wrote from it.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import EXAMPLE
from long_table import LEVELS, LongTable, make_long_table
from test_spreadsheets_libreoffice import convert, soffice  # noqa: F401 (soffice: a fixture)

from graphmodel.analysis.coverage import CoverageQuery, gaps
from graphmodel.backends import MemoryBackend
from graphmodel.cli.main import cli
from graphmodel.dataset import read_dataset
from graphmodel.frameworks.table import TableImportRequest, read_long_table, slug
from graphmodel.model import Dataset

OPTIONS = [
    "--profession", "Role level", "--competency", "Skill", "--level", "Skill level",
    "--levels", ";".join(LEVELS), "--sector", "Job family",
    "--competency-description", "Skill description", "--name", "Made-up digital skills",
]  # fmt: skip
SKIPS = ["--skip-level", "Not applicable", "--skip-level", "n/a", "--skip-level", ""]


@pytest.fixture(scope="module")
def table() -> LongTable:
    return make_long_table()


@pytest.fixture(scope="module")
def table_csv(table: LongTable, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return table.write_csv(tmp_path_factory.mktemp("long") / "roles-and-skills.csv")


def run(*arguments: str) -> Result:
    return CliRunner().invoke(cli, ["framework", "import", "table", *arguments])


def imported(result: Result, out: Path) -> Dataset:
    assert result.exit_code == 0, result.output
    return read_dataset(out)


def check_against_the_truth(dataset: Dataset, table: LongTable) -> None:
    (framework,) = dataset.frameworks
    assert (framework.id, framework.name) == ("fw-made-up-digital-skills", "Made-up digital skills")
    assert framework.levels == list(LEVELS)
    professions = {p.id: p for p in dataset.professions}
    competencies = {c.id: c for c in dataset.competencies}
    assert {p.name for p in professions.values()} == {name for name, _ in table.expected}
    assert {c.name for c in competencies.values()} == {skill for _, skill in table.expected}
    assert len(professions) == 200 and len(competencies) == 190
    found = {
        (professions[r.profession].name, competencies[r.competency].name): r.level
        for r in dataset.requirements
    }
    assert found == table.expected
    for profession in professions.values():
        assert profession.sector == table.family[profession.name]
        assert profession.id == f"p-made-up-digital-skills-{slug(profession.name)}"
    for competency in competencies.values():
        # Descriptions keep their lines; names are on one line.
        assert competency.description == table.description[competency.name]
        assert competency.id == f"made-up-digital-skills-{slug(competency.name)}"


def test_a_long_csv_table_with_every_quirk(
    table: LongTable, table_csv: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = run(str(table_csv), *OPTIONS, *SKIPS, "-o", str(out))
    check_against_the_truth(imported(result, out), table)
    notices = [line for line in result.output.splitlines() if line.startswith("notice:")]
    skipped = sum(table.skipped.values())
    assert notices[0] == (
        f"notice: skipped {skipped} rows by --skip-level: "
        f"'(empty)' x{table.skipped['']}, 'N/A' x{table.skipped['N/A']}, "
        f"'Not applicable' x{table.skipped['Not applicable']}"
    )
    assert f"notice: {table.repeated} repeated rows counted once" in notices
    assert any(
        line.startswith(
            f"notice: {table.two_levels} profession x competency pairs given at more than one "
            "level; the highest was kept ("
        )
        for line in notices
    )
    assert result.output.splitlines()[-1] == (
        f"wrote {out} (csv): 1 framework, 190 competencies, 200 professions, "
        f"{len(table.expected):,} requirements"
    )


def test_the_output_is_the_same_whatever_the_order_of_the_rows(
    table: LongTable, table_csv: Path, tmp_path: Path
) -> None:
    first, again, shuffled = tmp_path / "first", tmp_path / "again", tmp_path / "shuffled"
    rows = list(table.rows)
    random.Random(3).shuffle(rows)
    reordered = table.write_csv(tmp_path / "shuffled.csv", rows)
    for source, out in ((table_csv, first), (table_csv, again), (reordered, shuffled)):
        assert run(str(source), *OPTIONS, *SKIPS, "-o", str(out)).exit_code == 0
    for path in sorted(first.iterdir()):
        assert path.read_bytes() == (again / path.name).read_bytes(), path.name
        assert path.read_bytes() == (shuffled / path.name).read_bytes(), path.name


def test_a_level_outside_the_scale_is_an_error_at_its_file_row_and_column(
    table: LongTable, tmp_path: Path
) -> None:
    rows = [list(row) for row in table.rows]
    rows[10][6] = "Expret"
    source = table.write_csv(tmp_path / "typo.csv", rows)
    result = run(str(source), *OPTIONS, *SKIPS, "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    # Rows are counted as a spreadsheet shows them: a title, a blank row, the header, the
    # data (a cell on several lines is still one row).
    assert f"{source}:14:Skill level: level 'Expret' is not one of --levels " in result.output
    assert "did you mean 'Expert'?" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_placeholders_are_errors_unless_skipped(table: LongTable, table_csv: Path) -> None:
    result = run(str(table_csv), *OPTIONS, "--skip-level", "Not applicable", "-o", "unused")
    assert result.exit_code == 2
    problems = [line for line in result.output.splitlines() if ":Skill level:" in line]
    assert problems and all(
        "level 'N/A' is not one of --levels" in line or "the level is empty" in line
        for line in problems
    )
    assert "skip such rows with --skip-level" in result.output


def test_missing_columns_and_bad_options_are_one_line_each(table_csv: Path) -> None:
    options = [*OPTIONS]
    options[options.index("Skill level")] = "Skill levle"
    result = run(str(table_csv), *options, *SKIPS, "-o", "unused")
    assert result.exit_code == 2
    assert result.output == (
        f"{table_csv}:3:Skill levle: column not found in the header; "
        "did you mean 'Skill level' or 'Skill'?\n"
    )
    twice = run(str(table_csv), *OPTIONS[:6], "--levels", "Low;low", "-o", "unused")
    assert twice.exit_code == 2 and "--levels: " in twice.output
    assert run("skills.txt", *OPTIONS, "-o", "unused").exit_code != 0


@pytest.fixture(scope="module")
def workbooks(
    table: LongTable,
    soffice: str,  # noqa: F811 (the fixture imported above)
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """The table as .xlsx and .ods files LibreOffice wrote (from an .xlsx openpyxl wrote)."""
    base = tmp_path_factory.mktemp("long-workbooks")
    (base / "given").mkdir()
    given = table.write_xlsx(base / "given" / "roles-and-skills.xlsx")
    convert(soffice, [given], "ods", base / "ods")
    convert(soffice, [base / "ods" / "roles-and-skills.ods"], "xlsx", base / "xlsx")
    return base


@pytest.mark.parametrize("kind", ["ods", "xlsx"])
def test_long_tables_written_by_libreoffice_read_as_the_csv_does(
    table: LongTable, workbooks: Path, kind: str, tmp_path: Path
) -> None:
    source = workbooks / kind / f"roles-and-skills.{kind}"
    out = tmp_path / "out.json"
    result = run(str(source), *OPTIONS, *SKIPS, "-o", str(out))
    check_against_the_truth(imported(result, out), table)


def test_a_sheet_named_that_does_not_exist(workbooks: Path) -> None:
    source = workbooks / "ods" / "roles-and-skills.ods"
    result = run(str(source), *OPTIONS, *SKIPS, "--sheet", "Roles and skils", "-o", "x")
    assert result.exit_code == 2
    assert "no sheet 'Roles and skils'; did you mean 'Roles and skills'?" in result.output


def test_into_an_exercise_and_again(table_csv: Path, tmp_path: Path) -> None:
    once, twice = tmp_path / "once", tmp_path / "twice"
    first = run(str(table_csv), *OPTIONS, *SKIPS, "--into", str(EXAMPLE), "-o", str(once))
    merged = imported(first, once)
    example = read_dataset(EXAMPLE)
    assert {f.id for f in merged.frameworks} == {
        *(f.id for f in example.frameworks),
        "fw-made-up-digital-skills",
    }
    assert len(merged.requirements) == len(example.requirements) + len(make_long_table().expected)
    # Importing into the result again replaces the earlier import's rows: the same dataset.
    second = run(str(table_csv), *OPTIONS, *SKIPS, "--into", str(once), "-o", str(twice))
    assert imported(second, twice).normalised() == merged.normalised()
    # The levelled requirements are gaps, nothing covering them yet.
    result = gaps(MemoryBackend(merged), CoverageQuery(frameworks=("fw-made-up-digital-skills",)))
    assert result["summary"]["gaps"] == len(make_long_table().expected)
    assert result["summary"]["below_level"] == 0
    assert all(gap["covered_level"] is None and gap["required_level"] for gap in result["gaps"])


def test_the_request_model_is_the_commands_options(table_csv: Path) -> None:
    request = TableImportRequest.model_validate(
        {
            "file": table_csv,
            "profession": "Role level",
            "competency": "Skill",
            "level": "Skill level",
            "levels": " Awareness; Working;Practitioner ;Expert",
            "skip_level": ["Not applicable", "N/A", ""],
            "out": "unused",
        }
    )
    assert request.scale.levels == LEVELS
    result = read_long_table(request)
    assert result.dataset.frameworks[0].id == "fw-roles-and-skills"  # from the file's name
    assert len(result.dataset.requirements) == len(make_long_table().expected)


def test_crosswalk_between_two_levelled_frameworks_and_apply(
    table: LongTable, table_csv: Path, tmp_path: Path
) -> None:
    # A second levelled framework: the same table read with other names and levels.
    rows = [[*row[:4], f"{row[4].strip()} skill", *row[5:]] for row in table.rows]
    other = table.write_csv(tmp_path / "other.csv", rows)
    first, both = tmp_path / "first", tmp_path / "both"
    assert run(str(table_csv), *OPTIONS, *SKIPS, "-o", str(first)).exit_code == 0
    options = [*OPTIONS]
    options[options.index("Made-up digital skills")] = "Other skills"
    result = run(str(other), *options, *SKIPS, "--into", str(first), "-o", str(both))
    assert result.exit_code == 0, result.output
    review = tmp_path / "review.csv"
    crosswalk = CliRunner().invoke(
        cli,
        [
            "crosswalk", str(both), "--from", "fw-made-up-digital-skills",
            "--to", "fw-other-skills", "--limit", "1", "--format", "csv",
        ],
    )  # fmt: skip
    assert crosswalk.exit_code == 0, crosswalk.output
    review.write_text(crosswalk.output, encoding="utf-8")
    with review.open(encoding="utf-8", newline="") as handle:
        sheet: list[dict[str, Any]] = list(csv.DictReader(handle))
    assert len(sheet) == 190
    for row in sheet:  # each skill's best match is its own copy
        assert row["to_name"] == f"{row['from_name']} skill"
        row["accept"] = "x"
    with review.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(sheet[0]))
        writer.writeheader()
        writer.writerows(sheet)
    applied = tmp_path / "applied.json"
    done = CliRunner().invoke(
        cli, ["crosswalk", "apply", str(review), str(both), "-o", str(applied)]
    )
    assert done.exit_code == 0, done.output
    data = json.loads(applied.read_text(encoding="utf-8"))
    assert {f["id"]: f.get("levels") for f in data["frameworks"]} == {
        "fw-made-up-digital-skills": list(LEVELS),
        "fw-other-skills": list(LEVELS),
    }
    assert sum(1 for c in data["competencies"] if c.get("equivalent_to")) == 190
    assert all(r.get("level") in LEVELS for r in data["requirements"])
    read_dataset(applied)  # it validates
