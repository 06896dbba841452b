"""Read a dataset from any of its three formats and validate it.

:func:`read_dataset` is the one entry point: it picks the reader from the
path (a folder of CSV files, an ``.xlsx`` workbook, a ``.json``/``.yaml``
file), parses every cell through the row models of :mod:`graphmodel.model`
and checks the rules that span rows and tables. All problems are collected
(up to a cap) and raised together as one :class:`~graphmodel.errors.DatasetError`.

Example
-------
>>> from graphmodel.dataset import read_dataset
>>> dataset = read_dataset("examples/children-trust")   # doctest: +SKIP
>>> len(dataset.professions)                             # doctest: +SKIP
12
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from graphmodel.errors import Location
from graphmodel.io.csv_folder import read_csv_folder
from graphmodel.io.graphml import GRAPHML_SUFFIXES, read_graphml
from graphmodel.io.mapping import YAML_SUFFIXES, read_mapping_file
from graphmodel.io.raw import DEFAULT_PROBLEM_CAP, ProblemLog, RawTable
from graphmodel.io.workbook import read_workbook
from graphmodel.model import (
    LABEL_TABLES,
    RELATIONSHIPS,
    TABLES,
    Competency,
    Dataset,
    Row,
    TableSpec,
    label_name,
)
from graphmodel.suggest import did_you_mean

#: File suffixes read as a single-file dataset.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
MAPPING_SUFFIXES = (".json", *YAML_SUFFIXES)


def read_dataset(path: str | PathLike[str], *, max_problems: int = DEFAULT_PROBLEM_CAP) -> Dataset:
    """Read and validate a dataset.

    Parameters
    ----------
    path
        A folder of CSV files, an ``.xlsx`` workbook, a ``.json``,
        ``.yaml`` or ``.yml`` file, or a ``.graphml`` graph.
    max_problems
        How many problems to report in full before only counting the rest.

    Returns
    -------
    Dataset
        The validated dataset; rows keep the order they had in the input.

    Raises
    ------
    DatasetError
        When the dataset cannot be read or breaks any rule; the error lists
        every problem as ``file:row:column: message``.
    """
    source = Path(path)
    if source.suffix.lower() in GRAPHML_SUFFIXES and source.is_file():
        # A graph, not tables: rebuilt into rows by the graph reader, which
        # then applies the same rules.
        return read_graphml(source, max_problems=max_problems)
    log = ProblemLog(max_problems)
    tables = _read_tables(source, log)
    dataset = parse_tables(tables, log)
    log.raise_if_any()
    return dataset


def _read_tables(source: Path, log: ProblemLog) -> list[RawTable]:
    names = list(TABLES)
    if not source.exists():
        log.add(Location(str(source)), "no such file or folder")
        return []
    if source.is_dir():
        return read_csv_folder(source, names, log)
    suffix = source.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return read_workbook(source, names, log)
    if suffix in MAPPING_SUFFIXES:
        return read_mapping_file(source, names, log)
    log.add(
        Location(str(source)),
        "not a dataset: expected a folder of CSV files, an .xlsx workbook, a .json/.yaml file "
        "or a .graphml graph",
    )
    return []


@dataclass(frozen=True)
class _Located:
    """A parsed row with the location it came from."""

    table: RawTable
    row: str
    value: Row

    def at(self, column: str = "") -> Location:
        return self.table.location(self.row, column)


def parse_tables(tables: Iterable[RawTable], log: ProblemLog) -> Dataset:
    """Parse raw tables into a :class:`Dataset`, logging every problem found.

    The returned dataset holds the rows that parsed; it is only meaningful
    when ``log`` is empty afterwards.
    """
    parsed: dict[str, list[_Located]] = defaultdict(list)
    # Ids of node rows that failed to parse still count as known, so one bad
    # cell does not also make every reference to that row an error.
    unparsed_ids: dict[str, str] = {}
    # Labels whose table could not be read at all: references to them are not
    # checked, since every one would be reported as unknown.
    unreadable: set[str] = set()
    for table in tables:
        spec = TABLES[table.name]
        columns = spec.columns
        if not table.complete:
            unreadable.add(spec.label or "")
            if not table.rows:
                continue
        if table.header is not None and not _check_header(
            table, columns, spec.required_columns, log
        ):
            unreadable.add(spec.label or "")
            continue
        for raw in table.rows:
            cells = raw.cells
            if table.header is None:  # JSON/YAML: each row names its own columns
                for column in cells:
                    if column not in columns:
                        log.add(
                            table.location(raw.row, column),
                            "unknown column" + did_you_mean(column, columns),
                        )
                cells = {column: value for column, value in cells.items() if column in columns}
            given = {column: value for column, value in cells.items() if value is not None}
            try:
                row = spec.model.model_validate(given)
            except ValidationError as error:
                for detail in error.errors():
                    column = (
                        str(detail["loc"][0]) if detail["loc"] else _row_rule_column(spec.model)
                    )
                    log.add(table.location(raw.row, column), _message(detail, spec, column))
                if spec.label is not None:
                    if given.get("id"):
                        unparsed_ids.setdefault(str(given["id"]), spec.label)
                    else:
                        unreadable.add(spec.label)
                continue
            parsed[table.name].append(_Located(table, raw.row, row))
    _check_relations(parsed, unparsed_ids, unreadable, log)
    return Dataset.model_validate(
        {name: [located.value for located in parsed[name]] for name in TABLES}
    )


def _check_header(
    table: RawTable, columns: list[str], required: list[str], log: ProblemLog
) -> bool:
    """Log unknown and missing columns; False when the rows cannot be read."""
    assert table.header is not None
    header = table.header
    ok = True
    for column in header:
        if column not in columns:
            log.add(table.location("1", column), "unknown column" + did_you_mean(column, columns))
            ok = False
    for column in required:
        if column not in header:
            log.add(table.location("1", column), "required column is missing")
            ok = False
    return ok


def _row_rule_column(model: type[Row]) -> str:
    # The only whole-row rule is the period check, reported on end_date.
    return "end_date" if "end_date" in model.model_fields else ""


def _message(detail: Any, spec: TableSpec, column: str) -> str:
    """A short message for one pydantic error, with a suggestion for enumerations."""
    kind = detail["type"]
    if kind == "missing":
        return "required value is empty"
    text = str(detail["msg"])
    text = text.removeprefix("Value error, ")
    if kind == "value_error":
        return text
    text = text[:1].lower() + text[1:]
    value = detail.get("input")
    message = f"invalid value {value!r}: {text}"
    if kind == "enum" and isinstance(value, str):
        message += did_you_mean(value, spec.choices.get(column, []))
    return message


def _check_relations(
    parsed: dict[str, list[_Located]],
    unparsed_ids: dict[str, str],
    unreadable: set[str],
    log: ProblemLog,
) -> None:
    """Unique ids, resolving references, unique pairs, no parent loops."""
    label_of: dict[str, str] = dict(unparsed_ids)
    first_seen: dict[str, _Located] = {}
    ids_by_label: dict[str, list[str]] = defaultdict(list)
    for label, table in LABEL_TABLES.items():
        for located in parsed[table]:
            node_id = located.value.id  # type: ignore[attr-defined]
            if node_id in first_seen:
                earlier = first_seen[node_id]
                log.add(
                    located.at("id"),
                    f"id {node_id!r} is already used at {earlier.at()}",
                )
                continue
            first_seen[node_id] = located
            label_of[node_id] = label
            ids_by_label[label].append(node_id)

    def check_reference(located: _Located, column: str, value: str, label: str) -> None:
        actual = label_of.get(value)
        if actual == label or label in unreadable:
            return
        if actual is not None:
            log.add(
                located.at(column),
                f"{value!r} is a {label_name(actual)}, not a {label_name(label)}",
            )
        else:
            log.add(
                located.at(column),
                f"unknown {label_name(label)} {value!r}" + did_you_mean(value, ids_by_label[label]),
            )

    for spec in RELATIONSHIPS:
        for located in parsed[spec.table]:
            if spec.owner_column != "id":
                owner = getattr(located.value, spec.owner_column)
                check_reference(located, spec.owner_column, owner, spec.owner_label)
            value = getattr(located.value, spec.column)
            for reference in value if isinstance(value, list) else [value]:
                if reference is not None:
                    check_reference(located, spec.column, reference, spec.other_label)

    for table, what in (("requirements", "requirement"), ("workforce", "workforce row")):
        seen: dict[tuple[str, ...], _Located] = {}
        pair_spec = TABLES[table]
        for located in parsed[table]:
            key = pair_spec.key_of(located.value)
            if key in seen:
                log.add(
                    located.at(pair_spec.key[1]),
                    f"{what} {' / '.join(key)} is already given at {seen[key].at()}",
                )
            else:
                seen[key] = located

    competencies = {
        located.value.id: located  # type: ignore[attr-defined]
        for located in parsed["competencies"]
    }
    for located in competencies.values():
        competency = located.value
        assert isinstance(competency, Competency)
        if competency.id in competency.equivalent_to:
            log.add(located.at("equivalent_to"), "a competency cannot be equivalent to itself")
    for cycle in _parent_cycles(competencies):
        start = competencies[cycle[0]]
        chain = " -> ".join([*cycle, cycle[0]])
        log.add(start.at("parent"), f"parent chain loops: {chain}")


def _parent_cycles(competencies: dict[str, _Located]) -> list[list[str]]:
    """Each loop in the parent chains once, starting at its smallest id."""
    parent = {
        node_id: located.value.parent  # type: ignore[attr-defined]
        for node_id, located in competencies.items()
    }
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = finished
    cycles: list[list[str]] = []
    for start in parent:
        walk: list[str] = []
        node: str | None = start
        while node is not None and node in parent and node not in state:
            state[node] = 1
            walk.append(node)
            node = parent[node]
        if node is not None and state.get(node) == 1:
            cycle = walk[walk.index(node) :]
            smallest = cycle.index(min(cycle))
            cycles.append(cycle[smallest:] + cycle[:smallest])
        for visited in walk:
            state[visited] = 2
    return sorted(cycles)
