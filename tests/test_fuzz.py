"""Random bytes and random CSV mutations give a clean DatasetError, never another exception."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from conftest import BASE_TABLES, write_csv_dataset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphmodel.dataset import read_dataset
from graphmodel.errors import DatasetError

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


def read_or_dataset_error(path: Path) -> None:
    try:
        read_dataset(path)
    except DatasetError as error:
        assert error.problems, "a DatasetError always names at least one problem"
        for problem in error.problems:
            assert "\n" not in str(problem)


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".xlsx", ".json", ".yaml"]))
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
