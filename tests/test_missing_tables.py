"""A table other tables refer to, missing or empty, is one line naming its file, first.

Deleting ``professions.csv`` once gave a line per requirement, workforce
row and training event ("unknown profession ..."), fifty of them and "...
and 259 more". Now the first problem says the table is missing (or has no
rows) and how much refers to it, and those references are not listed one
by one; every other problem follows. The same in ``validate``, in every
command (they all read through ``read_dataset``) and in the explorer's live
reload.
"""

from __future__ import annotations

import csv
import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE

from graphmodel.backends import MemoryBackend
from graphmodel.cli.main import cli
from graphmodel.dataset import read_dataset
from graphmodel.errors import DatasetError
from graphmodel.explore import Explorer
from graphmodel.explore.live import ServedGraph

MISSING_PROFESSIONS = (
    "the professions table is missing, but {references} references in requirements, workforce, "
    "training_events and initiatives name {count} professions"
)


def example_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "exercise"
    shutil.copytree(EXAMPLE, folder)
    return folder


def references_to_professions(folder: Path) -> tuple[int, int]:
    """(distinct professions, cells naming one) in the example's referring tables."""
    dataset = read_dataset(folder)
    named = [r.profession for r in dataset.requirements]
    named += [w.profession for w in dataset.workforce]
    named += [p for event in dataset.training_events for p in event.targets]
    named += [p for initiative in dataset.initiatives for p in initiative.targets]
    return len(set(named)), len(named)


def problems(folder: Path) -> list[str]:
    with pytest.raises(DatasetError) as error:
        read_dataset(folder)
    return str(error.value).splitlines()


def test_a_deleted_table_is_one_line_naming_its_file(tmp_path: Path) -> None:
    folder = example_copy(tmp_path)
    count, references = references_to_professions(folder)
    (folder / "professions.csv").unlink()
    expected = MISSING_PROFESSIONS.format(count=count, references=references)
    assert problems(folder) == [f"{folder / 'professions.csv'}: {expected}"]


def test_an_empty_table_is_one_line_too(tmp_path: Path) -> None:
    folder = example_copy(tmp_path)
    count, references = references_to_professions(folder)
    (folder / "professions.csv").write_text("id,name,sector,description\n", encoding="utf-8")
    expected = MISSING_PROFESSIONS.format(count=count, references=references).replace(
        "is missing", "has no rows"
    )
    assert problems(folder) == [f"{folder / 'professions.csv'}: {expected}"]


def test_the_line_comes_before_every_other_problem(tmp_path: Path) -> None:
    folder = example_copy(tmp_path)
    (folder / "professions.csv").unlink()
    drivers = folder / "drivers.csv"
    lines = drivers.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(lines[1].split(",")[0], "", 1)  # a driver without an id
    drivers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = problems(folder)
    assert found[0].startswith(f"{folder / 'professions.csv'}: the professions table is missing")
    assert found[1].startswith(f"{drivers}:2:id: ")
    assert not [line for line in found if "unknown profession" in line]


def test_every_table_referred_to_is_checked(tmp_path: Path) -> None:
    folder = example_copy(tmp_path)
    (folder / "frameworks.csv").unlink()
    (folder / "drivers.csv").write_text("id,name,kind,issued,description\n", encoding="utf-8")
    found = problems(folder)
    assert len(found) == 2, found
    assert found[0].startswith(f"{folder / 'frameworks.csv'}: the frameworks table is missing")
    # Every competency row names its framework: one reference each, to each framework once.
    with (folder / "competencies.csv").open(encoding="utf-8", newline="") as rows:
        named = [row["framework"] for row in csv.DictReader(rows)]
    assert found[0].endswith(
        f"but {len(named)} references in competencies name {len(set(named))} frameworks"
    )
    assert found[1].startswith(f"{folder / 'drivers.csv'}: the drivers table has no rows")
    assert " references in initiatives name " in found[1]


def test_a_table_nothing_refers_to_may_be_missing(tmp_path: Path) -> None:
    folder = example_copy(tmp_path)
    (folder / "drivers.csv").unlink()
    initiatives = folder / "initiatives.csv"
    text = initiatives.read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    column = header.index("responds_to")
    import csv
    import io

    rows = list(csv.reader(io.StringIO("\n".join(text))))
    for row in rows[1:]:
        row[column] = ""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    initiatives.write_text(out.getvalue(), encoding="utf-8")
    assert read_dataset(folder).drivers == []


def test_a_json_dataset_names_the_missing_key(tmp_path: Path) -> None:
    dataset = read_dataset(EXAMPLE)
    document = json.loads(dataset.model_dump_json(exclude_none=True))
    del document["professions"]
    path = tmp_path / "exercise.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    found = problems(path)
    assert len(found) == 1, found[:3]
    assert found[0].startswith(f"{path}:professions: the professions table is missing, but ")


@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["stats"],
        ["gaps"],
        ["links", "--driver", "dr-inquiry-report"],
        ["serve", "--no-open", "--port", "0"],
    ],
    ids=lambda command: command[0],
)
def test_every_command_says_it_first_and_exits_2(tmp_path: Path, command: list[str]) -> None:
    folder = example_copy(tmp_path)
    (folder / "professions.csv").unlink()
    result = CliRunner().invoke(cli, [command[0], str(folder), *command[1:]])
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"{folder / 'professions.csv'}: the professions table is missing, ")


def test_the_live_reload_says_it_first(tmp_path: Path) -> None:
    folder = example_copy(tmp_path)
    served = ServedGraph(lambda: Explorer(MemoryBackend(read_dataset(folder)), str(folder)), folder)
    served.start()
    try:
        time.sleep(0.5)  # the watcher is listening
        (folder / "professions.csv").unlink()
        deadline = time.monotonic() + 30
        while not served.status()["problems"]:
            assert time.monotonic() < deadline, "the deletion was not noticed"
            time.sleep(0.1)
        (line,) = served.status()["problems"]
        assert line.startswith(f"{folder / 'professions.csv'}: the professions table is missing")
        assert served.status()["version"] == 1  # the last good graph is kept
    finally:
        served.stop()


def test_the_cap_still_counts_the_rest(tmp_path: Path, make_dataset: Callable[..., Path]) -> None:
    # Past the cap of problems kept, the missing table's line still comes first.
    folder = example_copy(tmp_path)
    (folder / "professions.csv").unlink()
    events = folder / "training_events.csv"
    lines = events.read_text(encoding="utf-8").splitlines()
    # Every event's places made invalid: more problems than the cap keeps.
    header = lines[0].split(",")
    import csv
    import io

    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    for row in rows[1:]:
        row[header.index("places")] = "many"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    events.write_text(out.getvalue(), encoding="utf-8")
    with pytest.raises(DatasetError) as error:
        read_dataset(folder, max_problems=10)
    found = str(error.value).splitlines()
    assert found[0].startswith(f"{folder / 'professions.csv'}: the professions table is missing")
    assert len(found) == 11 and found[-1].startswith("... and ")
