"""The three input formats give the same dataset; writers round-trip; the template."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import EXAMPLE, EXAMPLE_WORKBOOK

from graphmodel.dataset import read_dataset
from graphmodel.errors import DatasetError
from graphmodel.io.tabular import json_ready, write_dataset
from graphmodel.model import TABLES


def test_example_workbook_equals_example_folder() -> None:
    assert read_dataset(EXAMPLE_WORKBOOK) == read_dataset(EXAMPLE)


@pytest.mark.parametrize("name", ["copy", "copy.xlsx", "copy.json", "copy.yaml", "copy.yml"])
def test_every_format_round_trips(tmp_path: Path, name: str) -> None:
    original = read_dataset(EXAMPLE)
    write_dataset(original, tmp_path / name)
    assert read_dataset(tmp_path / name) == original


def test_json_lists_may_be_arrays_or_joined_text(tmp_path: Path) -> None:
    tables = json_ready(read_dataset(EXAMPLE))
    for event in tables["training_events"]:
        if "covers" in event:
            event["covers"] = ";".join(event["covers"])
    path = tmp_path / "joined.json"
    path.write_text(json.dumps(tables), encoding="utf-8")
    assert read_dataset(path) == read_dataset(EXAMPLE)


def test_yaml_native_dates_and_numbers_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(
        "frameworks:\n  - {id: fw, name: Core, version: 2}\n"
        "drivers:\n  - {id: dr, name: Review, issued: 2024-06-01}\n",
        encoding="utf-8",
    )
    dataset = read_dataset(path)
    assert dataset.drivers[0].issued is not None and dataset.drivers[0].issued.year == 2024
    assert dataset.frameworks[0].version == "2"


def test_json_problems_are_located_by_path(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text(
        json.dumps(
            {
                "frameworks": [{"id": "fw-core", "name": "Core"}],
                "competencies": [
                    {"id": "c1", "name": "A", "framework": "fw-core"},
                    {"id": "c2", "name": "B", "framework": "fw-cor", "colour": "red"},
                ],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(DatasetError) as caught:
        read_dataset(path)
    assert str(caught.value).splitlines() == [
        f"{path}:competencies[1]:colour: unknown column",
        f"{path}:competencies[1]:framework: unknown framework 'fw-cor'; "
        "did you mean 'fw-core' (Core)?",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "invalid JSON: Expecting property name enclosed in double quotes"),
        ("[1, 2]", "expected an object whose keys are table names"),
        ('{"drivers": {"id": 1}}', "expected a list of rows"),
        ('{"driver": []}', "unknown table; did you mean 'drivers'?"),
        ('{"drivers": [[1]]}', "expected an object of column values"),
    ],
)
def test_malformed_json(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "d.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        read_dataset(path)
    assert message in str(caught.value)


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("drivers:\n  - id: dr\n    name: [unclosed\n", encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        read_dataset(path)
    assert str(caught.value).startswith(f"{path}:4: invalid YAML")


def test_workbook_problems_name_sheet_and_row(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "book.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "drivers"
    sheet.append(["id", "name", "kind"])
    sheet.append(["dr-1", "Review", "inquiry"])
    sheet.append(["dr-2", "Act", "law"])
    workbook.create_sheet("notes")
    workbook.save(path)
    with pytest.raises(DatasetError) as caught:
        read_dataset(path)
    lines = str(caught.value).splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}[drivers]:3:kind: invalid value 'law'")
    # A sheet that is not a table (and not named like one) is ignored with a notice.
    assert caplog.messages == [f"{path}[notes]: sheet ignored: not a dataset table"]


def test_workbook_cells_typed_as_numbers_and_dates(tmp_path: Path) -> None:
    import datetime as dt

    path = tmp_path / "book.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "training_events"
    sheet.append(["id", "title", "start_date", "places", "cost"])
    sheet.append(["te-1", "Course", dt.datetime(2025, 3, 1), 20.0, 99.5])
    workbook.save(path)
    event = read_dataset(path).training_events[0]
    assert (event.start_date, event.places, event.cost) == (dt.date(2025, 3, 1), 20, 99.5)


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DatasetError) as caught:
        read_dataset(path)
    assert str(caught.value).startswith(f"{path}: not a readable .xlsx workbook")


def test_unknown_file_type(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        read_dataset(path)
    assert "not a dataset: expected a folder of CSV files" in str(caught.value)


def test_yaml_file_is_parsed_safely(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text("drivers: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        read_dataset(path)
    assert "invalid YAML" in str(caught.value)


def test_template_workbook(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from graphmodel.cli.main import cli

    out = tmp_path / "exercise.xlsx"
    result = CliRunner().invoke(cli, ["template", str(out)])
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == [*TABLES, "coverage_grid", "targets_grid"]
    for name, spec in TABLES.items():
        header = [cell.value for cell in workbook[name][1]]
        assert header == spec.columns
    validations = {
        str(validation.sqref).split(":")[0]: validation.formula1
        for validation in workbook["training_events"].data_validations.dataValidation
    }
    evaluation_column = (
        "I"  # training_events: id, title, lead, start, end, delivery, places, cost, evaluation
    )
    assert validations[f"{evaluation_column}2"] == '"none,reaction,learning,behaviour,results"'
    # A blank template is a valid (empty) dataset.
    assert read_dataset(out).competencies == []


def test_schema_describes_the_json_format() -> None:
    from graphmodel.model import Dataset

    schema = Dataset.model_json_schema()
    # The graph's tables, and the optional offers table (graphmodel plan).
    assert set(schema["properties"]) == {*TABLES, "offers"}
    event = schema["$defs"]["TrainingEvent"]
    assert event["required"] == ["id", "title"]
    assert event["additionalProperties"] is False
    assert yaml.safe_load(json.dumps(schema)) == schema
