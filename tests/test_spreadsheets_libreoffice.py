"""Workbooks that LibreOffice itself wrote (headless ``soffice --convert-to``) read right.

One session fixture runs four conversions, each soffice call with its own
user profile (so parallel runs cannot clash): the example, the template and
a strategist's filled-in workbook to .ods, to .xlsx and to .xls, and a CSV
typed the UK way imported as LibreOffice does in an en-GB locale. Needs
Debian's libreoffice-calc-nogui (`make system-deps`); under CI=true a missing
soffice fails, never skips. About 15 s in all, most of it LibreOffice starting.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE

from graphmodel.dataset import read_dataset
from graphmodel.errors import DatasetError
from graphmodel.io.tabular import write_dataset
from graphmodel.io.template import write_template
from graphmodel.model import Dataset


def convert(soffice: str, sources: list[Path], target: str, out: Path, *filters: str) -> None:
    """Have LibreOffice write each source as ``target`` (ods, xlsx, xls) into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="graphmodel-soffice-") as profile:
        done = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                *filters,
                "--convert-to",
                target,
                "--outdir",
                str(out),
                *map(str, sources),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
    missing = [s.name for s in sources if not (out / f"{s.stem}.{target}").is_file()]
    assert not missing, f"soffice wrote no {target} for {missing}:\n{done.stdout}{done.stderr}"


@pytest.fixture(scope="session")
def soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        message = "LibreOffice (soffice) is not installed; run `make system-deps`"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def strategist_workbook(path: Path, *, broken: bool = False) -> Path:
    """The blank template filled in as a strategist would: names instead of ids,
    typed dates, pound signs, tick grids and a notes sheet. ``broken`` adds one
    mistake per rule."""
    write_template(path)
    book = openpyxl.load_workbook(path)

    def fill(sheet: str, *rows: list[object]) -> None:
        for row in rows:
            book[sheet].append(row)

    fill("frameworks", ["fw-core", "Core skills"])
    fill(
        "competencies",
        ["c-area", "Safeguarding", "fw-core"],
        ["c-item", "Recognise harm", "fw-core", "Safeguarding"],
        ["c-other", "Share information", "fw-core", None, None, "Recognise harm"],
    )
    fill(
        "professions",
        ["p-social-worker", "Social worker"],
        ["p-early-years", "Early years practitioner"],
        ["p-family", "Family support worker"],
    )
    fill(
        "requirements",
        ["Social wroker" if broken else "Social worker", "Recognise harm"],
        ["p-early-years", "c-other", "desirable"],
    )
    fill(
        "organisations",
        ["org-partnership", "Safeguarding partnership", "partnership"],
        ["org-council", "Northmoor Council", "statutory", "safeguarding  PARTNERSHIP"],
    )
    fill("workforce", ["Northmoor Council", "Social worker", 120.0])
    fill(
        "training_events",
        # id, title, lead, start, end, delivery, places, cost, evaluation, status, targets, covers,
        # initiative
        [
            "te-1",
            "Foundation course",
            "northmoor council",
            dt.datetime(2025, 4, 1),
            dt.date(2026, 3, 31),
            "classroom",
            240.0,
            "£18,000",
            "learning",
            "completed",
            "Family support worker;Early years practitioner",
            None,
            "Safeguarding plan",
        ],
        [
            "te-2",
            "Neglect toolkit",
            None,
            "2025-10-05",
            None,
            None,
            None,
            7500,
            None,
            None,
            None,
            "c-item",
        ],
    )
    fill(
        "initiatives",
        # id, title, description, kind, lead, partners, status, start, end, budget, targets,
        # addresses, responds_to
        [
            "in-plan",
            "Safeguarding plan",
            None,
            "strategy",
            "Northmoor Council",
            "Safeguarding partnership",
            "active",
            dt.datetime(2025, 1, 1),
            None,
            "18,000",
            None,
            "Safeguarding",
            "Local review",
        ],
    )
    fill(
        "drivers",
        [
            "dr-review",
            "Local review",
            "inquiry",
            "01/06/2024" if broken else dt.datetime(2024, 6, 1),
        ],
    )
    fill("coverage_grid", [None, "Safeguarding", "Share information", "c-item"])
    # The grid's header is row 1: the template wrote training_event in A1.
    grid = book["coverage_grid"]
    for column, value in enumerate(["Safeguarding", "Share information", "c-item"], start=2):
        grid.cell(row=1, column=column, value=value)
    grid.delete_rows(2)
    fill(
        "coverage_grid",
        ["Foundation course", "✓", None, "x"],
        ["te-2", None, "maybe" if broken else "yes", None],
    )
    targets = book["targets_grid"]
    targets.cell(row=1, column=2, value="Social worker")
    fill("targets_grid", ["Neglect toolkit", "X"], ["Foundation course", "0"])
    book.create_sheet("Notes").append(["Ids or names both work; mark the grids with x."])
    if broken:
        book.create_sheet("Workforces").append(["organisation", "profession", "headcount"])
    book.save(path)
    return path


def expected_dataset() -> Dataset:
    return Dataset.model_validate(
        {
            "frameworks": [{"id": "fw-core", "name": "Core skills"}],
            "competencies": [
                {"id": "c-area", "name": "Safeguarding", "framework": "fw-core"},
                {
                    "id": "c-item",
                    "name": "Recognise harm",
                    "framework": "fw-core",
                    "parent": "c-area",
                },
                {
                    "id": "c-other",
                    "name": "Share information",
                    "framework": "fw-core",
                    "equivalent_to": ["c-item"],
                },
            ],
            "professions": [
                {"id": "p-social-worker", "name": "Social worker"},
                {"id": "p-early-years", "name": "Early years practitioner"},
                {"id": "p-family", "name": "Family support worker"},
            ],
            "requirements": [
                {"profession": "p-social-worker", "competency": "c-item"},
                {"profession": "p-early-years", "competency": "c-other", "priority": "desirable"},
            ],
            "organisations": [
                {
                    "id": "org-partnership",
                    "name": "Safeguarding partnership",
                    "sector": "partnership",
                },
                {
                    "id": "org-council",
                    "name": "Northmoor Council",
                    "sector": "statutory",
                    "member_of": ["org-partnership"],
                },
            ],
            "workforce": [
                {"organisation": "org-council", "profession": "p-social-worker", "headcount": 120}
            ],
            "training_events": [
                {
                    "id": "te-1",
                    "title": "Foundation course",
                    "lead_organisation": "org-council",
                    "start_date": "2025-04-01",
                    "end_date": "2026-03-31",
                    "delivery": "classroom",
                    "places": 240,
                    "cost": 18000.0,
                    "evaluation": "learning",
                    "status": "completed",
                    "targets": ["p-family", "p-early-years"],
                    "covers": ["c-area", "c-item"],
                    "initiative": "in-plan",
                },
                {
                    "id": "te-2",
                    "title": "Neglect toolkit",
                    "start_date": "2025-10-05",
                    "cost": 7500.0,
                    "targets": ["p-social-worker"],
                    "covers": ["c-item", "c-other"],
                },
            ],
            "initiatives": [
                {
                    "id": "in-plan",
                    "title": "Safeguarding plan",
                    "kind": "strategy",
                    "lead_organisation": "org-council",
                    "partners": ["org-partnership"],
                    "status": "active",
                    "start_date": "2025-01-01",
                    "budget": 18000.0,
                    "addresses": ["c-area"],
                    "responds_to": ["dr-review"],
                },
            ],
            "drivers": [
                {
                    "id": "dr-review",
                    "name": "Local review",
                    "kind": "inquiry",
                    "issued": "2024-06-01",
                }
            ],
        }
    )


@pytest.fixture(scope="session")
def written(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of files LibreOffice wrote: ``ods/``, ``xlsx/``, ``xls/``, ``csv-import/``."""
    base = tmp_path_factory.mktemp("libreoffice")
    given = base / "given"
    given.mkdir()
    example = given / "example.xlsx"
    write_dataset(read_dataset(EXAMPLE), example)
    write_template(given / "template-from.ods", read_dataset(EXAMPLE))
    write_template(given / "template-from.xlsx", read_dataset(EXAMPLE))
    filled = strategist_workbook(given / "filled.xlsx")
    broken = strategist_workbook(given / "broken.xlsx", broken=True)
    typed = given / "training_events.csv"
    # Typed into LibreOffice the UK way; its en-GB import makes real date and number cells.
    typed.write_text(
        'id,title,start_date,places,cost\nte-1,Course,01/04/2025,240,"£18,000"\n',
        encoding="utf-8",
    )
    convert(soffice, [example, given / "template-from.xlsx", filled, broken], "ods", base / "ods")
    convert(soffice, [example, given / "template-from.ods", filled], "xlsx", base / "xlsx")
    convert(soffice, [example], "xls", base / "xls")
    # CSV import options: comma, double quote, UTF-8, from line 1, default column types,
    # language en-GB (2057), quoted fields not forced to text, detect special numbers.
    csv_filter = "--infilter=CSV:44,34,76,1,,2057,false,true"
    convert(soffice, [typed], "ods", base / "csv-import", csv_filter)
    return base


def test_example_written_by_libreoffice_equals_the_csv_folder(written: Path) -> None:
    example = read_dataset(EXAMPLE)
    for path in (
        written / "ods/example.ods",
        written / "xlsx/example.xlsx",
        written / "xls/example.xls",
    ):
        assert read_dataset(path) == example, path


def test_template_saved_by_libreoffice_is_still_the_source(written: Path) -> None:
    example = read_dataset(EXAMPLE).normalised()
    # Our .ods template (odfpy) saved as .xlsx, and our .xlsx template saved as .ods.
    assert read_dataset(written / "xlsx/template-from.xlsx").normalised() == example
    assert read_dataset(written / "ods/template-from.ods").normalised() == example


def test_template_keeps_its_drop_downs_and_comments_through_libreoffice(written: Path) -> None:
    sheet = openpyxl.load_workbook(written / "xlsx/template-from.xlsx")["training_events"]
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["I2"] == '"none,reaction,learning,behaviour,results"'
    assert sheet["A1"].font.b and sheet["K1"].comment is not None


def test_filled_template_written_by_libreoffice_validates(
    written: Path, caplog: pytest.LogCaptureFixture
) -> None:
    expected = expected_dataset()
    for path in (written / "ods/filled.ods", written / "xlsx/filled.xlsx"):
        caplog.clear()
        assert read_dataset(path) == expected, path
        assert caplog.messages == [f"{path}[Notes]: sheet ignored: not a dataset table"]


def test_broken_workbook_written_by_libreoffice_gets_one_line_per_problem(written: Path) -> None:
    path = written / "ods/broken.ods"
    with pytest.raises(DatasetError) as caught:
        read_dataset(path)
    assert str(caught.value).splitlines() == [
        f"{path}[Workforces]: unknown sheet in a dataset workbook; did you mean 'workforce'?",
        f"{path}[drivers]:2:issued: expected an ISO date YYYY-MM-DD, got '01/06/2024'; "
        "did you mean '2024-06-01' (read day-first)?",
        f"{path}[requirements]:2:profession: unknown profession 'Social wroker'; "
        "did you mean 'p-social-worker' (Social worker)?",
        f"{path}[coverage_grid]:3:Share information: invalid mark 'maybe': expected one of "
        "x ✓ ✔ y yes 1 true to add it, or an empty cell, 0, n or no",
    ]


def test_uk_typing_in_libreoffice_gives_real_dates_and_numbers(written: Path) -> None:
    [event] = read_dataset(written / "csv-import/training_events.ods").training_events
    assert (event.start_date, event.places, event.cost) == (dt.date(2025, 4, 1), 240, 18000.0)
