"""Every validation rule, each shown failing on a broken copy of a small dataset."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from graphmodel.dataset import read_dataset
from graphmodel.errors import DatasetError

MakeDataset = Callable[..., Path]


def problems(path: Path) -> list[str]:
    """The problem lines for an invalid dataset, paths shortened to file names."""
    with pytest.raises(DatasetError) as caught:
        read_dataset(path)
    return [line.replace(f"{path}/", "") for line in str(caught.value).splitlines()]


def test_base_dataset_is_valid(make_dataset: MakeDataset) -> None:
    dataset = read_dataset(make_dataset())
    assert [c.id for c in dataset.competencies] == ["c-area", "c-item", "c-other"]
    assert dataset.training_events[0].cost == 1500.5
    assert dataset.requirements[1].priority == "desirable"


def test_missing_optional_files_are_empty_tables(make_dataset: MakeDataset) -> None:
    dataset = read_dataset(
        make_dataset(workforce=None, training_events=None, initiatives=None, drivers=None)
    )
    assert dataset.training_events == [] and dataset.workforce == []


def test_required_column_missing(make_dataset: MakeDataset) -> None:
    path = make_dataset(drivers="name,kind\nDriver,inquiry\n")
    assert problems(path) == ["drivers.csv:1:id: required column is missing"]


def test_required_value_empty(make_dataset: MakeDataset) -> None:
    path = make_dataset(drivers="id,name\ndr-review,\n")
    assert problems(path) == ["drivers.csv:2:name: required value is empty"]


def test_unknown_column_with_suggestion(make_dataset: MakeDataset) -> None:
    path = make_dataset(drivers="id,name,kinds\ndr-review,Review,inquiry\n")
    assert problems(path) == ["drivers.csv:1:kinds: unknown column; did you mean 'kind'?"]


def test_unknown_file_in_folder(make_dataset: MakeDataset) -> None:
    path = make_dataset()
    (path / "competences.csv").write_text("id\n", encoding="utf-8")
    assert problems(path) == [
        "competences.csv: unknown file in a dataset folder; did you mean 'competencies.csv'?"
    ]


def test_hidden_files_are_ignored(make_dataset: MakeDataset) -> None:
    path = make_dataset()
    (path / ".DS_Store").write_bytes(b"\x00\x01")
    assert read_dataset(path).drivers[0].id == "dr-review"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "01/06/2024",
            "expected an ISO date YYYY-MM-DD, got '01/06/2024'; "
            "did you mean '2024-06-01' (read day-first)?",
        ),
        ("2024-6-1", "expected an ISO date YYYY-MM-DD, got '2024-6-1'; did you mean '2024-06-01'?"),
        ("31/02/2024", "expected an ISO date YYYY-MM-DD, got '31/02/2024'"),
        ("2023-02-29", "'2023-02-29' is not a real calendar date"),
    ],
)
def test_dates_must_be_real_iso_dates(make_dataset: MakeDataset, value: str, message: str) -> None:
    path = make_dataset(drivers=f"id,name,issued\ndr-review,Review,{value}\n")
    assert problems(path) == [f"drivers.csv:2:issued: {message}"]


def test_end_date_before_start(make_dataset: MakeDataset) -> None:
    path = make_dataset(
        training_events="id,title,start_date,end_date\nte-one,T,2025-03-01,2025-02-28\n"
    )
    assert problems(path) == [
        "training_events.csv:2:end_date: end_date 2025-02-28 is before start_date 2025-03-01"
    ]


def test_end_date_needs_start(make_dataset: MakeDataset) -> None:
    path = make_dataset(initiatives="id,title,end_date\nin-plan,P,2025-02-28\n")
    assert problems(path) == ["initiatives.csv:2:end_date: end_date is given without a start_date"]


@pytest.mark.parametrize(
    ("table", "csv_text", "column", "value"),
    [
        (
            "workforce",
            "organisation,profession,headcount\norg-council,p-teacher,-1\n",
            "headcount",
            "-1",
        ),
        ("training_events", "id,title,places\nte-one,T,-5\n", "places", "-5"),
        ("training_events", "id,title,cost\nte-one,T,-0.5\n", "cost", "-0.5"),
        ("initiatives", "id,title,budget\nin-plan,P,-100\n", "budget", "-100"),
    ],
)
def test_numbers_are_not_negative(
    make_dataset: MakeDataset, table: str, csv_text: str, column: str, value: str
) -> None:
    path = make_dataset(**{table: csv_text})
    assert problems(path) == [
        f"{table}.csv:2:{column}: invalid value '{value}': "
        "input should be greater than or equal to 0"
    ]


def test_numbers_must_be_numbers(make_dataset: MakeDataset) -> None:
    path = make_dataset(workforce="organisation,profession,headcount\norg-council,p-teacher,ten\n")
    [line] = problems(path)
    assert line.startswith("workforce.csv:2:headcount: invalid value 'ten': input should be")


def test_enumeration_with_suggestion(make_dataset: MakeDataset) -> None:
    path = make_dataset(training_events="id,title,evaluation\nte-one,T,behavior\n")
    assert problems(path) == [
        "training_events.csv:2:evaluation: invalid value 'behavior': input should be 'none', "
        "'reaction', 'learning', 'behaviour' or 'results'; did you mean 'behaviour'?"
    ]


def test_ids_unique_across_tables(make_dataset: MakeDataset, tmp_path: Path) -> None:
    path = make_dataset(drivers="id,name\ndr-review,Review\nc-item,Clash\n")
    [line] = problems(path)
    assert line.startswith("drivers.csv:3:id: id 'c-item' is already used at ")
    assert line.endswith("competencies.csv:3")


def test_ids_unique_within_a_table(make_dataset: MakeDataset) -> None:
    path = make_dataset(drivers="id,name\ndr-review,A\ndr-review,B\n")
    [line] = problems(path)
    assert line.startswith("drivers.csv:3:id: id 'dr-review' is already used at ")


def test_unknown_reference_suggests_closest_ids(make_dataset: MakeDataset) -> None:
    path = make_dataset(
        requirements="profession,competency\np-socal-worker,c-item\n",
    )
    assert problems(path) == [
        "requirements.csv:2:profession: unknown profession 'p-socal-worker'; "
        "did you mean 'p-social-worker' (Social worker)?"
    ]


def test_reference_to_wrong_type(make_dataset: MakeDataset) -> None:
    path = make_dataset(training_events="id,title,targets,covers\nte-one,T,c-item,c-item\n")
    assert problems(path) == [
        "training_events.csv:2:targets: 'c-item' is a competency, not a profession"
    ]


def test_reference_in_a_list_column(make_dataset: MakeDataset) -> None:
    path = make_dataset(
        training_events="id,title,targets,covers\nte-one,T,p-teacher;p-nurse,c-item\n"
    )
    assert problems(path) == ["training_events.csv:2:targets: unknown profession 'p-nurse'"]


def test_every_reference_column_is_checked(make_dataset: MakeDataset) -> None:
    path = make_dataset(
        initiatives=(
            "id,title,lead_organisation,partners,targets,addresses,responds_to,builds_on\n"
            "in-plan,P,org-x,org-y,p-x,c-x,dr-x,in-x\n"
        )
    )
    columns = [line.split(":")[2] for line in problems(path)]
    assert columns == [
        "lead_organisation",
        "partners",
        "targets",
        "addresses",
        "responds_to",
        "builds_on",
    ]


def test_parent_loop(make_dataset: MakeDataset) -> None:
    path = make_dataset(
        competencies=(
            "id,name,framework,parent\n"
            "c-area,A,fw-core,\nc-item,I,fw-core,c-area\nc-other,O,fw-core,\n"
            "c-x,X,fw-core,c-z\nc-y,Y,fw-core,c-x\nc-z,Z,fw-core,c-y\n"
        )
    )
    assert problems(path) == [
        "competencies.csv:5:parent: parent chain loops: c-x -> c-z -> c-y -> c-x"
    ]


def test_competency_cannot_be_its_own_parent(make_dataset: MakeDataset) -> None:
    path = make_dataset(
        competencies="id,name,framework,parent\nc-area,A,fw-core,c-area\nc-item,I,fw-core,\nc-other,O,fw-core,\n"
    )
    assert problems(path) == ["competencies.csv:2:parent: parent chain loops: c-area -> c-area"]


def test_self_equivalence(make_dataset: MakeDataset) -> None:
    path = make_dataset(
        competencies=(
            "id,name,framework,equivalent_to\n"
            "c-area,A,fw-core,\nc-item,I,fw-core,c-item\nc-other,O,fw-core,\n"
        )
    )
    assert problems(path) == [
        "competencies.csv:3:equivalent_to: a competency cannot be equivalent to itself"
    ]


def test_requirement_pair_once(make_dataset: MakeDataset) -> None:
    path = make_dataset(requirements="profession,competency\np-teacher,c-item\np-teacher,c-item\n")
    [line] = problems(path)
    assert line.startswith("requirements.csv:3:competency: requirement p-teacher / c-item")


def test_workforce_pair_once(make_dataset: MakeDataset) -> None:
    path = make_dataset(
        workforce=(
            "organisation,profession,headcount\norg-council,p-teacher,3\norg-council,p-teacher,4\n"
        )
    )
    [line] = problems(path)
    assert line.startswith("workforce.csv:3:profession: workforce row org-council / p-teacher")


def test_not_utf8(make_dataset: MakeDataset) -> None:
    path = make_dataset()
    (path / "drivers.csv").write_bytes("id,name\ndr-review,Caf\xe9 review\n".encode("latin-1"))
    assert problems(path) == [
        "drivers.csv:2: not UTF-8 text (byte 0xe9); save the file as 'CSV UTF-8'"
    ]


def test_utf8_with_byte_order_mark(make_dataset: MakeDataset) -> None:
    path = make_dataset()
    (path / "drivers.csv").write_bytes("\ufeffid,name\ndr-review,Café review\n".encode())
    assert read_dataset(path).drivers[0].name == "Café review"


def test_empty_file(make_dataset: MakeDataset) -> None:
    path = make_dataset(drivers="")
    assert problems(path) == ["drivers.csv: file is empty; expected a header row"]


def test_header_only_file_is_an_empty_table(make_dataset: MakeDataset) -> None:
    path = make_dataset(
        drivers="id,name\n",
        initiatives="id,title\nin-plan,P\n",
    )
    assert read_dataset(path).drivers == []


def test_missing_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(DatasetError) as caught:
        read_dataset(missing)
    assert str(caught.value) == f"{missing}: no such file or folder"


def test_folder_without_tables(tmp_path: Path) -> None:
    with pytest.raises(DatasetError) as caught:
        read_dataset(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path}: no dataset tables found")


def test_row_with_too_many_cells(make_dataset: MakeDataset) -> None:
    path = make_dataset(drivers="id,name\ndr-review,Review,extra\n")
    assert problems(path) == ["drivers.csv:2: row has 3 cells but the header names 2 columns"]


def test_id_cannot_hold_the_list_separator(make_dataset: MakeDataset) -> None:
    path = make_dataset(drivers="id,name\ndr-review,Review\ndr;review,Review\n")
    [line] = problems(path)
    assert line == "drivers.csv:3:id: an id cannot contain ';', got 'dr;review'"


def test_all_problems_are_collected_up_to_a_cap(make_dataset: MakeDataset) -> None:
    rows = "".join(f"dr-{i},Driver {i},2024-13-01\n" for i in range(80))
    path = make_dataset(drivers="id,name,issued\ndr-review,Review,\n" + rows)
    with pytest.raises(DatasetError) as caught:
        read_dataset(path, max_problems=50)
    error = caught.value
    assert len(error.problems) == 50 and error.truncated == 30
    assert str(error).splitlines()[-1] == "... and 30 more problems"


def test_a_bad_row_does_not_cascade_into_reference_errors(make_dataset: MakeDataset) -> None:
    # te-one's start date is wrong; the requirement and initiative that name
    # other rows must not be reported as unknown because of it.
    path = make_dataset(
        professions="id,name\np-social-worker,SW\np-teacher,Teacher,\n",
        training_events="id,title,start_date,targets\nte-one,T,2025-02-30,p-social-worker\n",
    )
    assert problems(path) == [
        "training_events.csv:2:start_date: '2025-02-30' is not a real calendar date"
    ]


def test_list_cells_drop_blanks_and_repeats(make_dataset: MakeDataset) -> None:
    path = make_dataset(
        training_events="id,title,targets\nte-one,T, p-teacher ;;p-teacher;p-social-worker\n"
    )
    assert read_dataset(path).training_events[0].targets == ["p-teacher", "p-social-worker"]


def test_examples_are_valid() -> None:
    from conftest import EXAMPLE

    dataset = read_dataset(EXAMPLE)
    assert len(dataset.professions) >= 10
    assert len(dataset.training_events) >= 30
    assert any(event.status == "cancelled" for event in dataset.training_events)
    assert len(dataset.initiatives) >= 15 and len(dataset.drivers) >= 4
