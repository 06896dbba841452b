"""Random bytes, random CSV mutations and random workbook cells give a clean DatasetError,
never another exception."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from conftest import BASE_TABLES, write_csv_dataset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tiers import examples

from graphmodel.dataset import read_dataset
from graphmodel.errors import DatasetError

FUZZ = settings(max_examples=examples(150), deadline=None, suppress_health_check=list(HealthCheck))


def read_or_dataset_error(path: Path) -> None:
    try:
        read_dataset(path)
    except DatasetError as error:
        assert error.problems, "a DatasetError always names at least one problem"
        for problem in error.problems:
            assert "\n" not in str(problem)


@FUZZ
@given(
    data=st.binary(max_size=2000),
    suffix=st.sampled_from([".xlsx", ".xlsm", ".xls", ".ods", ".json", ".yaml"]),
)
def test_random_bytes_as_a_single_file(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"dataset{suffix}"
        path.write_bytes(data)
        read_or_dataset_error(path)


@FUZZ
@given(data=st.binary(max_size=2000), table=st.sampled_from(sorted(BASE_TABLES)))
def test_random_bytes_as_a_csv_table(data: bytes, table: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write_csv_dataset(Path(folder) / "d", dict(BASE_TABLES))
        (path / f"{table}.csv").write_bytes(data)
        read_or_dataset_error(path)


@FUZZ
@given(
    table=st.sampled_from(sorted(BASE_TABLES)),
    position=st.integers(min_value=0),
    removed=st.integers(min_value=0, max_value=8),
    inserted=st.text(alphabet=st.sampled_from(list(',;"\n-:0129aZé\x00 \t\r')), max_size=8),
)
def test_random_csv_mutations(table: str, position: int, removed: int, inserted: str) -> None:
    import textwrap

    folder = Path(tempfile.mkdtemp())
    try:
        path = write_csv_dataset(folder / "d", dict(BASE_TABLES))
        text = textwrap.dedent(BASE_TABLES[table])
        at = position % (len(text) + 1)
        (path / f"{table}.csv").write_text(
            text[:at] + inserted + text[at + removed :], encoding="utf-8"
        )
        read_or_dataset_error(path)
    finally:
        shutil.rmtree(folder)


# Cells as strategists type them: dates, money, names, ticks, lists.
CELL = st.one_of(
    st.none(),
    st.text(alphabet=st.sampled_from(list("£,./;-:0129 xXyn✓✔aéTt")), max_size=12),
    st.sampled_from(
        ["01/04/2025", "2025-04-01", "£18,000", "240.0", "Teacher", "p-teacher", "c-item", "x"]
    ),
)
GRID_BASE = {
    "coverage_grid": "training_event,Recognise harm,c-other\nte-one,x,\n",
    "targets_grid": "training_event,Teacher\nSafeguarding basics,yes\n",
}


@FUZZ
@given(
    events=st.lists(st.lists(CELL, min_size=6, max_size=6), max_size=4),
    grid_header=st.lists(CELL, min_size=1, max_size=3),
    grid_rows=st.lists(st.lists(CELL, min_size=2, max_size=4), max_size=3),
    suffix=st.sampled_from([".ods", ".xlsx"]),
)
def test_random_workbook_cells(
    events: list[list[str | None]],
    grid_header: list[str | None],
    grid_rows: list[list[str | None]],
    suffix: str,
) -> None:
    from graphmodel.io.ods import write_ods
    from graphmodel.io.workbook import write_workbook

    header = ["id", "title", "start_date", "cost", "targets", "lead_organisation"]
    tables = [
        ("professions", ["id", "name"], [["p-teacher", "Teacher"]]),
        ("training_events", header, [[cell or "" for cell in row] for row in events]),
        (
            "coverage_grid",
            ["training_event", *(c or "" for c in grid_header)],
            [[cell or "" for cell in row] for row in grid_rows],
        ),
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"book{suffix}"
        if suffix == ".ods":
            write_ods(path, tables)
        else:
            write_workbook(path, tables, blank_rows=0)
        read_or_dataset_error(path)


@FUZZ
@given(
    grid=st.sampled_from(sorted(GRID_BASE)),
    position=st.integers(min_value=0),
    removed=st.integers(min_value=0, max_value=8),
    inserted=st.text(alphabet=st.sampled_from(list(',;"\nxX✓0yes-:é \t')), max_size=8),
)
def test_random_grid_mutations(grid: str, position: int, removed: int, inserted: str) -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        path = write_csv_dataset(folder / "d", dict(BASE_TABLES))
        text = GRID_BASE[grid]
        at = position % (len(text) + 1)
        (path / f"{grid}.csv").write_text(text[:at] + inserted + text[at + removed :], "utf-8")
        read_or_dataset_error(path)
    finally:
        shutil.rmtree(folder)
