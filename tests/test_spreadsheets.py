"""Spreadsheets as strategists make them (docs/data-and-loading.md), each rule on a broken file.

Names in reference cells, UK dates and money, tick grids, stray sheets and
files, .ods read and written. The files LibreOffice itself writes are in
test_spreadsheets_libreoffice.py.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE

from graphmodel.cli.main import cli
from graphmodel.dataset import read_dataset
from graphmodel.errors import DatasetError, GraphModelError
from graphmodel.io.grids import GRIDS
from graphmodel.io.ods import write_ods
from graphmodel.io.tabular import write_dataset
from graphmodel.io.template import write_template
from graphmodel.model import TABLES, Dataset

MakeDataset = Callable[..., Path]


def problems(path: Path) -> list[str]:
    """The problem lines for an invalid dataset, paths shortened to file names."""
    with pytest.raises(DatasetError) as caught:
        read_dataset(path)
    return [line.replace(f"{path}/", "") for line in str(caught.value).splitlines()]


# -- names in reference cells ---------------------------------------------------------


def test_names_resolve_to_ids_case_and_spaces_ignored(make_dataset: MakeDataset) -> None:
    path = make_dataset(
        training_events=(
            "id,title,lead_organisation,targets,covers,initiative\n"
            "te-one,Course,test  COUNCIL,Social worker;p-teacher; teacher ,"
            "recognise harm,Safeguarding plan\n"
        ),
        requirements="profession,competency\nSocial Worker,Recognise harm\n",
    )
    dataset = read_dataset(path)
    event = dataset.training_events[0]
    assert event.lead_organisation == "org-council"
    assert event.targets == ["p-social-worker", "p-teacher"]  # a name and its id: kept once
    assert event.covers == ["c-item"]
    assert event.initiative == "in-plan"
    assert (dataset.requirements[0].profession, dataset.requirements[0].competency) == (
        "p-social-worker",
        "c-item",
    )


def test_the_example_names_as_a_strategist_writes_them(tmp_path: Path) -> None:
    folder = tmp_path / "example"
    write_dataset(read_dataset(EXAMPLE), folder)
    events = folder / "training_events.csv"
    text = events.read_text(encoding="utf-8")
    ids = "p-family-support;p-early-years;p-youth-worker"
    assert ids in text
    events.write_text(
        text.replace(ids, "Family support worker;Early years practitioner;Youth worker"),
        encoding="utf-8",
    )
    assert read_dataset(folder) == read_dataset(EXAMPLE)
    # A misspelt name gets the id it most likely means, found by its name.
    events.write_text(
        text.replace(ids, "Family support worker;Early years practitioners"), encoding="utf-8"
    )
    [line] = problems(folder)
    assert line.startswith(
        "training_events.csv:2:targets: unknown profession 'Early years practitioners'; "
        "did you mean 'p-early-years' (Early years practitioner)"
    )


def test_an_ambiguous_name_lists_the_ids(make_dataset: MakeDataset) -> None:
    path = make_dataset(
        professions="id,name\np-social-worker,Social worker\np-sw-2,Social  worker\np-teacher,T\n",
        requirements="profession,competency\np-social-worker,c-item\n",
        training_events="id,title,targets\nte-one,Course,social worker\n",
    )
    assert problems(path) == [
        "training_events.csv:2:targets: the name 'social worker' fits 2 professions "
        "(p-social-worker, p-sw-2); write the id of the one meant"
    ]


def test_an_id_of_the_expected_type_wins_over_a_name(make_dataset: MakeDataset) -> None:
    # A profession named like another profession's id: the value is that id.
    path = make_dataset(
        professions="id,name\np-social-worker,p-teacher\np-teacher,Teacher\n",
        training_events="id,title,targets\nte-one,Course,p-teacher\n",
    )
    assert read_dataset(path).training_events[0].targets == ["p-teacher"]


def test_a_name_of_the_wrong_type_is_not_resolved(make_dataset: MakeDataset) -> None:
    path = make_dataset(training_events="id,title,covers\nte-one,Course,Social worker\n")
    assert problems(path) == ["training_events.csv:2:covers: unknown competency 'Social worker'"]
    path = make_dataset(training_events="id,title,covers\nte-one,Course,p-teacher\n")
    assert problems(path) == [
        "training_events.csv:2:covers: 'p-teacher' is a profession, not a competency"
    ]


def test_export_writes_ids_not_names(make_dataset: MakeDataset, tmp_path: Path) -> None:
    path = make_dataset(training_events="id,title,targets\nte-one,Course,Teacher\n")
    write_dataset(read_dataset(path), tmp_path / "out")
    written = (tmp_path / "out" / "training_events.csv").read_text(encoding="utf-8")
    assert "p-teacher" in written and "Teacher" not in written


# -- UK dates and money -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "suggestion"),
    [
        ("01/04/2025", "; did you mean '2025-04-01' (read day-first)?"),
        ("1.4.2025", "; did you mean '2025-04-01' (read day-first)?"),
        ("01-04-25", "; did you mean '2025-04-01' (read day-first)?"),
        ("1 April 2025", "; did you mean '2025-04-01'?"),
        ("2025-04-01 00:00:00", "; did you mean '2025-04-01'?"),
        ("13/13/2025", ""),
    ],
)
def test_uk_dates_suggest_the_iso_date(
    make_dataset: MakeDataset, value: str, suggestion: str
) -> None:
    path = make_dataset(drivers=f"id,name,issued\ndr-review,Review,{value}\n")
    assert problems(path) == [
        f"drivers.csv:2:issued: expected an ISO date YYYY-MM-DD, got {value!r}{suggestion}"
    ]


def test_money_and_numbers_as_spreadsheets_show_them(make_dataset: MakeDataset) -> None:
    path = make_dataset(
        training_events='id,title,places,cost\nte-one,T,240.0,"£18,000"\nte-two,T,"1,200",£99.50\n',
        initiatives='id,title,budget\nin-plan,Plan,"18,000"\n',
        workforce="organisation,profession,headcount\norg-council,p-social-worker,120.0\n",
    )
    dataset = read_dataset(path)
    assert [(e.places, e.cost) for e in dataset.training_events] == [(240, 18000.0), (1200, 99.5)]
    assert dataset.initiatives[0].budget == 18000.0
    assert dataset.workforce[0].headcount == 120


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (
            "240.5",
            "invalid value '240.5': input should be a valid integer, got a number with a "
            "fractional part",
        ),
        (
            '"1,20"',
            "invalid value '1,20': input should be a valid integer, unable to parse string "
            "as an integer",
        ),
        (
            "£-5",
            "invalid value '£-5': input should be a valid integer, unable to parse string "
            "as an integer",
        ),
        ("-5", "invalid value '-5': input should be greater than or equal to 0"),
    ],
)
def test_numbers_that_are_not(make_dataset: MakeDataset, cell: str, message: str) -> None:
    path = make_dataset(training_events=f"id,title,places\nte-one,T,{cell}\n")
    assert problems(path) == [f"training_events.csv:2:places: {message}"]


# -- grids ------------------------------------------------------------------------------------


def test_grids_in_a_csv_folder_add_covers_and_targets(make_dataset: MakeDataset) -> None:
    path = make_dataset(
        coverage_grid="""\
            training_event,Recognise harm,c-other,Safeguarding
            Safeguarding basics,x,✓,
            te-one,,no,YES
            """,
        targets_grid="""\
            training_event,Teacher,p-social-worker
            te-one,✔,0
            """,
    )
    event = read_dataset(path).training_events[0]
    # The row's own lists first, then the grid's marks in column order, each id once.
    assert event.covers == ["c-area", "c-item", "c-other"]
    assert event.targets == ["p-social-worker", "p-teacher"]


@pytest.mark.parametrize("mark", ["x", "X", "✓", "✔", "y", "yes", "1", "true", "TRUE", " Yes "])
def test_every_tick_mark_adds(make_dataset: MakeDataset, mark: str) -> None:
    path = make_dataset(coverage_grid=f"training_event,c-other\nte-one,{mark}\n")
    assert "c-other" in read_dataset(path).training_events[0].covers


@pytest.mark.parametrize("mark", ["", "0", "n", "no", "N", "No"])
def test_every_blank_mark_adds_nothing(make_dataset: MakeDataset, mark: str) -> None:
    path = make_dataset(coverage_grid=f"training_event,c-other\nte-one,{mark}\n")
    assert read_dataset(path).training_events[0].covers == ["c-area"]


def test_grid_problems_name_sheet_row_and_column(make_dataset: MakeDataset) -> None:
    path = make_dataset(
        coverage_grid="""\
            training_event,Recognise harms,c-item,p-teacher
            te-one,x,maybe,
            te-onne,,x,
            ,,x,
            """
    )
    assert problems(path) == [
        "coverage_grid.csv:1:Recognise harms: unknown competency 'Recognise harms'; "
        "did you mean 'c-item' (Recognise harm)?",
        "coverage_grid.csv:1:p-teacher: 'p-teacher' is a profession, not a competency",
        "coverage_grid.csv:2:c-item: invalid mark 'maybe': expected one of x ✓ ✔ y yes 1 true "
        "to add it, or an empty cell, 0, n or no",
        "coverage_grid.csv:3:training_event: unknown training event 'te-onne'; "
        "did you mean 'te-one' (Safeguarding basics)?",
        "coverage_grid.csv:4:training_event: required value is empty",
    ]


def test_grid_needs_its_first_column(make_dataset: MakeDataset) -> None:
    path = make_dataset(targets_grid="event,p-teacher\nte-one,x\n")
    assert problems(path) == ["targets_grid.csv:1:training_event: required column is missing"]


def test_grid_event_title_that_fits_two_events(make_dataset: MakeDataset) -> None:
    path = make_dataset(
        training_events="id,title\nte-one,Basics\nte-two,basics\n",
        targets_grid="training_event,p-teacher\nBasics,x\n",
    )
    assert problems(path) == [
        "targets_grid.csv:2:training_event: the name 'Basics' fits 2 training events "
        "(te-one, te-two); write the id of the one meant"
    ]


def test_grids_in_json(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    tables = {
        "professions": [{"id": "p-1", "name": "Nurse"}],
        "training_events": [{"id": "te-1", "title": "Course"}],
        "targets_grid": [{"training_event": "Course", "Nurse": True}],
    }
    path.write_text(json.dumps(tables), encoding="utf-8")
    assert read_dataset(path).training_events[0].targets == ["p-1"]


# -- stray sheets and files ---------------------------------------------------------------


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def test_a_notes_sheet_is_ignored_with_one_notice(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = _workbook(
        tmp_path / "book.xlsx",
        {
            "Instructions": [["Fill in every sheet"]],
            "drivers": [["id", "name"], ["dr-1", "Review"]],
            "Notes": [],
        },
    )
    assert read_dataset(path).drivers[0].id == "dr-1"
    assert caplog.messages == [
        f"{path}[Instructions]: sheet ignored: not a dataset table",
        f"{path}[Notes]: sheet ignored: not a dataset table",
    ]


def test_a_sheet_named_close_to_a_table_is_an_error(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "book.xlsx",
        {"drivers": [["id", "name"]], "Training Events": [["id", "title"]], "Profesions": []},
    )
    with pytest.raises(DatasetError) as caught:
        read_dataset(path)
    assert str(caught.value).splitlines() == [
        f"{path}[Training Events]: unknown sheet in a dataset workbook; "
        "did you mean 'training_events'?",
        f"{path}[Profesions]: unknown sheet in a dataset workbook; did you mean 'professions'?",
    ]


def test_a_readme_in_a_folder_is_a_notice(
    make_dataset: MakeDataset, caplog: pytest.LogCaptureFixture
) -> None:
    path = make_dataset()
    (path / "README.txt").write_text("how to fill this in", encoding="utf-8")
    read_dataset(path)
    assert caplog.messages == [f"{path / 'README.txt'}: file ignored: not a dataset table"]


def test_the_command_line_prints_the_notice_on_stderr(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "book.xlsx", {"Notes": [["x"]], "drivers": [["id", "name"], ["d", "D"]]}
    )
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"notice: {path}[Notes]: sheet ignored: not a dataset table\n"
    assert result.stdout.startswith(f"{path}: valid")


# -- workbooks: .ods, typed cells, row numbers -------------------------------------------


def test_ods_export_reads_back_equal(tmp_path: Path) -> None:
    example = read_dataset(EXAMPLE)
    write_dataset(example, tmp_path / "copy.ods")
    assert read_dataset(tmp_path / "copy.ods") == example
    # Exporting again gives the same bytes.
    write_dataset(read_dataset(tmp_path / "copy.ods"), tmp_path / "again.ods")
    assert (tmp_path / "again.ods").read_bytes() == (tmp_path / "copy.ods").read_bytes()


def test_ods_problems_name_sheet_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "book.ods"
    write_ods(
        path,
        [
            ("drivers", ["id", "name", "issued"], [["dr-1", "Review", "01/06/2024"]]),
            ("competences", ["id"], []),
        ],
    )
    with pytest.raises(DatasetError) as caught:
        read_dataset(path)
    assert str(caught.value).splitlines() == [
        f"{path}[competences]: unknown sheet in a dataset workbook; did you mean 'competencies'?",
        f"{path}[drivers]:2:issued: expected an ISO date YYYY-MM-DD, got '01/06/2024'; "
        "did you mean '2024-06-01' (read day-first)?",
    ]


def test_typed_workbook_cells(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "book.xlsx",
        {
            "training_events": [
                [],  # a blank first row: the header is row 2
                ["id", "title", "start_date", "end_date", "places", "cost"],
                ["te-1", "Course", dt.datetime(2025, 4, 1), dt.date(2025, 5, 1), 240.0, 18000],
                ["te-2", "Course", dt.datetime(2025, 4, 1, 9, 30), None, 240.5, None],
            ]
        },
    )
    with pytest.raises(DatasetError) as caught:
        read_dataset(path)
    assert str(caught.value).splitlines() == [
        f"{path}[training_events]:4:start_date: expected an ISO date YYYY-MM-DD, got "
        "'2025-04-01T09:30:00'; did you mean '2025-04-01'?",
        f"{path}[training_events]:4:places: invalid value '240.5': input should be a valid "
        "integer, got a number with a fractional part",
    ]


@pytest.mark.parametrize("suffix", [".ods", ".xls", ".xlsx"])
def test_damaged_workbooks(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"broken{suffix}"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(DatasetError) as caught:
        read_dataset(path)
    [line] = str(caught.value).splitlines()
    assert line.startswith(f"{path}: not a readable {suffix} workbook (")


# -- the template ----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_blank_template_has_every_sheet_and_is_valid(tmp_path: Path, suffix: str) -> None:
    from python_calamine import CalamineWorkbook

    out = tmp_path / f"exercise{suffix}"
    result = CliRunner().invoke(cli, ["template", str(out)])
    assert result.exit_code == 0, result.output
    workbook = CalamineWorkbook.from_path(out)
    assert workbook.sheet_names == [*TABLES, *GRIDS]
    for name, spec in TABLES.items():
        assert workbook.get_sheet_by_name(name).to_python()[0] == spec.columns
    for grid in GRIDS:
        assert workbook.get_sheet_by_name(grid).to_python() == [["training_event"]]
    assert read_dataset(out) == Dataset()


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_template_from_a_source_is_that_source(tmp_path: Path, suffix: str) -> None:
    from python_calamine import CalamineWorkbook

    out = tmp_path / f"exercise{suffix}"
    result = CliRunner().invoke(cli, ["template", str(out), "--from", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    example = read_dataset(EXAMPLE)
    # The events' covers and targets moved into the grids (in column order).
    assert read_dataset(out).normalised() == example.normalised()
    workbook = CalamineWorkbook.from_path(out)
    events = workbook.get_sheet_by_name("training_events").to_python()
    covers = events[0].index("covers")
    assert all(row[covers] == "" for row in events[1:])
    grid = workbook.get_sheet_by_name("targets_grid").to_python()
    assert grid[0] == ["training_event", *(p.name for p in example.professions)]
    first = example.training_events[0]
    assert grid[1][0] == first.title
    ticked = [grid[0][i] for i, cell in enumerate(grid[1]) if cell == "x"]
    names = {p.id: p.name for p in example.professions}
    assert sorted(ticked) == sorted(names[p] for p in first.targets)


def test_template_grid_wider_than_a_sheet(tmp_path: Path) -> None:
    from graphmodel.model import Competency, Framework

    source = Dataset(
        frameworks=[Framework(id="fw", name="F")],
        competencies=[Competency(id=f"c{i}", name=f"C{i}", framework="fw") for i in range(16_384)],
    )
    with pytest.raises(GraphModelError, match="coverage_grid sheet would need 16,385 columns"):
        write_template(tmp_path / "wide.xlsx", source)


def test_header_problems_name_the_header_row_below_blank_rows(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "book.xlsx",
        {
            "drivers": [[], [], ["id", "name", "kinds"]],
            # A profession, so that "Nobody" is an unknown one, not one of a missing table.
            "professions": [["id", "name"], ["p-x", "X"]],
            "targets_grid": [[], ["training_event", "Nobody"]],
        },
    )
    with pytest.raises(DatasetError) as caught:
        read_dataset(path)
    assert str(caught.value).splitlines() == [
        f"{path}[drivers]:3:kinds: unknown column; did you mean 'kind'?",
        f"{path}[targets_grid]:2:Nobody: unknown profession 'Nobody'",
    ]
