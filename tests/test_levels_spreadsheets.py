"""Levels in spreadsheets: the template's drop-downs, grid cells holding a level, round trips
through every format and through files LibreOffice wrote (docs/data-and-loading.md)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE, LEVELLED_TABLES, write_csv_dataset
from test_spreadsheets_libreoffice import convert, soffice  # noqa: F401 (soffice: a fixture)

from graphmodel.dataset import read_dataset
from graphmodel.errors import DatasetError
from graphmodel.io.tabular import write_dataset
from graphmodel.io.template import write_template
from graphmodel.model import Dataset

NSPL = ("Foundation", "Intermediate", "Advanced", "Specialist")


@pytest.mark.parametrize("name", ["x.xlsx", "x.ods", "x.json", "x.yaml", "x.graphml", "folder"])
def test_a_levelled_dataset_round_trips_through_every_format(
    levelled_dataset: Path, tmp_path: Path, name: str
) -> None:
    dataset = read_dataset(levelled_dataset)
    out = tmp_path / name
    write_dataset(dataset, out)
    again = read_dataset(out)
    assert again.normalised() == dataset.normalised()
    # Levels keep their order and the framework's spelling; items their own level.
    assert again.frameworks[0].levels == ["Awareness", "Working", "Practitioner", "Expert"]
    events = {e.id: e for e in again.training_events}
    assert events["te-aware"].covers == ["d-quality@Awareness", "p-share"]
    assert events["te-working"].level == "Working"


def test_a_grid_cell_may_hold_a_level(tmp_path: Path) -> None:
    tables = {
        **LEVELLED_TABLES,
        "training_events": """\
            id,title,status,targets,covers,level
            te-aware,Data awareness hour,running,p-analyst,,
            te-expert,Data quality masterclass,running,p-engineer,d-quality@Working,
            """,
        "coverage_grid": """\
            training_event,Data quality,d-model,Sharing records
            Data awareness hour,awareness,,x
            te-expert,EXPERT,yes,
            """,
    }
    dataset = read_dataset(write_csv_dataset(tmp_path / "grid", tables))
    covers = {e.id: e.covers for e in dataset.training_events}
    # A level name covers at that level (the framework's spelling); a tick and the covers
    # column's own item keep the highest level of the competency.
    assert covers == {
        "te-aware": ["d-quality@Awareness", "p-share"],
        "te-expert": ["d-quality@Expert", "d-model"],
    }


def test_a_grid_cell_that_is_neither_a_tick_nor_a_level(tmp_path: Path) -> None:
    tables = {
        **LEVELLED_TABLES,
        "coverage_grid": """\
            training_event,Data quality,Sharing records
            te-aware,Expret,Working
            """,
    }
    with pytest.raises(DatasetError) as caught:
        read_dataset(write_csv_dataset(tmp_path / "grid", tables))
    lines = str(caught.value).splitlines()
    grid = str(tmp_path / "grid" / "coverage_grid.csv")
    assert f"{grid}:2:Data quality: invalid mark 'Expret': expected one of x" in lines[0]
    assert "a level of fw-data (Awareness, Working, Practitioner, Expert)" in lines[0]
    assert lines[0].endswith("did you mean 'Expert'?")
    # A framework without levels takes ticks only.
    assert f"{grid}:2:Sharing records: invalid mark 'Working'" in lines[1]


@pytest.mark.parametrize(
    ("table", "row", "message"),
    [
        (
            "requirements",
            "p-engineer,d-quality,essential,Expret",
            ":level: unknown level 'Expret' of framework fw-data (Awareness, Working, "
            "Practitioner, Expert); did you mean 'Expert'?",
        ),
        (
            "requirements",
            "p-engineer,p-share,essential,Working",
            ":level: level 'Working' given for p-share, but its framework fw-plain states no "
            "levels",
        ),
        (
            "training_events",
            "te-x,Course,,,,running,p-analyst,d-model@Wroking,",
            ":covers: unknown level 'Wroking' of framework fw-data (Awareness, Working, "
            "Practitioner, Expert); did you mean 'Working'?",
        ),
        (
            "training_events",
            "te-x,Course,,,,running,p-analyst,d-model,Exper",
            ":level: unknown level 'Exper': not a level of the frameworks of the competencies "
            "it covers (Awareness, Working, Practitioner, Expert); did you mean 'Expert'?",
        ),
        (
            "frameworks",
            "fw-x,X,,,Low;Middle;low",
            ":levels: level 'low' is given twice (as 'Low')",
        ),
        (
            "competencies",
            "c@1,Odd id,fw-plain,,,",
            ":id: a competency id cannot contain '@'",
        ),
    ],
)
def test_a_bad_level_is_one_line_at_its_file_row_and_column(
    tmp_path: Path, table: str, row: str, message: str
) -> None:
    text = LEVELLED_TABLES[table]
    assert text is not None
    tables = {**LEVELLED_TABLES, table: text.rstrip() + f"\n        {row}\n"}
    folder = write_csv_dataset(tmp_path / "bad", tables)
    with pytest.raises(DatasetError) as caught:
        read_dataset(folder)
    (line,) = str(caught.value).splitlines()
    last_row = len(tables[table].strip().splitlines())  # type: ignore[union-attr]
    assert line.startswith(f"{folder / (table + '.csv')}:{last_row}:"), line
    assert message in line


# -- files LibreOffice wrote -------------------------------------------------------------


def filled_levelled_workbook(path: Path) -> Path:
    """The blank template filled in with levels: a levelled framework, requirements with
    levels in another case, an event's level, a cover's own level, level names in the grid."""
    write_template(path)
    book = openpyxl.load_workbook(path)

    def fill(sheet: str, *rows: list[object]) -> None:
        for row in rows:
            book[sheet].append(row)

    fill("frameworks", ["fw-core", "Core skills", None, None, "Awareness;Working;Expert"])
    fill(
        "competencies",
        ["c-area", "Safeguarding", "fw-core"],
        ["c-item", "Recognise harm", "fw-core", "Safeguarding"],
    )
    fill("professions", ["p-social-worker", "Social worker"], ["p-teacher", "Teacher"])
    fill(
        "requirements",
        ["Social worker", "Recognise harm", "essential", "expert"],
        ["p-teacher", "c-item", "desirable", "AWARENESS"],
    )
    # id, title, lead, start, end, delivery, places, cost, evaluation, status, targets, covers,
    # initiative, level
    events = book["training_events"]
    events.append(["te-1", "Foundation course", *[None] * 8, "Teacher", "c-area", None, "working"])
    events.append(["te-2", "Masterclass", *[None] * 8, "Social worker"])
    book["coverage_grid"]["B1"] = "Recognise harm"  # the template wrote training_event in A1
    fill("coverage_grid", ["Masterclass", "Expert"])
    book.save(path)
    return path


def expected_levelled() -> Dataset:
    return read_dataset(
        write_csv_dataset(
            Path(__import__("tempfile").mkdtemp()) / "expected",
            {
                "frameworks": """\
                    id,name,levels
                    fw-core,Core skills,Awareness;Working;Expert
                    """,
                "competencies": """\
                    id,name,framework,parent
                    c-area,Safeguarding,fw-core,
                    c-item,Recognise harm,fw-core,c-area
                    """,
                "professions": """\
                    id,name
                    p-social-worker,Social worker
                    p-teacher,Teacher
                    """,
                "requirements": """\
                    profession,competency,priority,level
                    p-social-worker,c-item,essential,Expert
                    p-teacher,c-item,desirable,Awareness
                    """,
                "training_events": """\
                    id,title,targets,covers,level
                    te-1,Foundation course,p-teacher,c-area,Working
                    te-2,Masterclass,p-social-worker,c-item@Expert,
                    """,
            },
        )
    )


@pytest.fixture(scope="module")
def written(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: F811
    base = tmp_path_factory.mktemp("levels-libreoffice")
    given = base / "given"
    given.mkdir()
    filled_levelled_workbook(given / "filled-levels.xlsx")
    write_template(given / "template-levels.ods", read_dataset(EXAMPLE))
    convert(soffice, [given / "filled-levels.xlsx"], "ods", base / "ods")
    convert(
        soffice,
        [given / "filled-levels.xlsx", given / "template-levels.ods"],
        "xlsx",
        base / "xlsx",
    )
    return base


def test_a_workbook_filled_with_levels_written_by_libreoffice(written: Path) -> None:
    expected = expected_levelled()
    for path in (written / "ods/filled-levels.ods", written / "xlsx/filled-levels.xlsx"):
        assert read_dataset(path) == expected, path


def test_the_level_drop_downs_survive_libreoffice(written: Path) -> None:
    book = openpyxl.load_workbook(written / "xlsx/template-levels.xlsx")
    example = read_dataset(EXAMPLE)

    def lists(sheet: str) -> dict[str, str]:
        found = {}
        for validation in book[sheet].data_validations.dataValidation:
            for cells in str(validation.sqref).split():
                found[cells.split(":")[0]] = validation.formula1
        return found

    nspl = '"' + ",".join(NSPL) + '"'
    requirements = lists("requirements")
    header = [cell.value for cell in book["requirements"][1]]
    level = "ABCDEFGHIJ"[header.index("level")]
    rows = {(r.profession, r.competency): n for n, r in enumerate(example.requirements, start=2)}
    # A levelled framework's requirement offers its framework's levels, row by row.
    assert requirements[f"{level}{rows[('p-teacher', 'nspl-respond')]}"] == nspl
    grid = book["coverage_grid"]
    column = next(cell.column_letter for cell in grid[1] if cell.value == "nspl-respond" or (
        cell.value == "Responding to and referring safeguarding concerns"))  # fmt: skip
    assert lists("coverage_grid")[f"{column}2"] == '"x,' + ",".join(NSPL) + '"'
    # ... and the grid holds the cover's level where the source gave one.
    events = [row[0].value for row in grid.iter_rows(min_row=2)]
    row = events.index("Responding to safeguarding concerns: whole-school briefing") + 2
    assert grid[f"{column}{row}"].value == "Foundation"
