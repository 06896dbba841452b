"""The mapping-exercise template: a workbook (.xlsx or .ods) to fill in.

One sheet per table with its columns (required ones highlighted, enumerated
ones with a drop-down list, list columns with a note), then the two grids,
``coverage_grid`` and ``targets_grid``. Built from a SOURCE dataset, every
table holds the source's rows, and each training event's ``covers`` and
``targets`` move into the grids: one row per event, one column per
competency (or profession), headed by its name where that name is unique,
``x`` where the event covers (or targets) it, or the level it covers it at
(``Expert``). Such a template validates to the source dataset itself.

Levels (docs/data-and-loading.md): a requirement's ``level`` offers the
levels of its competency's framework as a drop-down list (the blank rows
below, every framework's levels), a training event's ``level`` every
framework's levels, and each grid column of a levelled framework's
competency offers ``x`` and that framework's levels.

Example
-------
>>> import tempfile, pathlib
>>> from graphmodel.dataset import read_dataset
>>> out = pathlib.Path(tempfile.mkdtemp()) / "exercise.ods"
>>> write_template(out)
>>> read_dataset(out).training_events
[]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from graphmodel.errors import GraphModelError
from graphmodel.io.grids import GRID_ROW_COLUMN, GRIDS
from graphmodel.io.ods import write_ods_template
from graphmodel.io.tabular import enum_choices, text_tables
from graphmodel.io.workbook import CellChoices, write_workbook
from graphmodel.model import REFERENCE_COLUMNS, TABLES, Dataset, TrainingEvent, split_item
from graphmodel.suggest import normalised_name

#: Suffixes ``template`` writes.
TEMPLATE_SUFFIXES = (".xlsx", ".ods")
#: Columns a sheet holds in Excel and in LibreOffice (since 7.4).
MAX_COLUMNS = 16_384


def write_template(out: Path, source: Dataset | None = None) -> None:
    """Write the template to ``out`` (.xlsx or .ods), laid out for ``source`` when given.

    Raises
    ------
    GraphModelError
        For another suffix, or a grid wider than a sheet can hold.
    """
    suffix = out.suffix.lower()
    if suffix not in TEMPLATE_SUFFIXES:
        raise GraphModelError(f"{out}: the template is an .xlsx or .ods workbook")
    notes = {
        name: {
            column: "Ids or names separated by ';'"
            if column in REFERENCE_COLUMNS[name]
            else (
                "Levels, lowest first, separated by ';' (empty: the framework states none)"
                if column in spec.ordered_columns
                else "Labels separated by ';'"
            )
            for column in spec.list_columns
        }
        for name, spec in TABLES.items()
    }
    notes["training_events"]["covers"] += "; a level after @ (c-1@Expert) where it has one"
    notes["training_events"]["level"] = (
        "The level of the covers that give none, wherever the competency's framework has a "
        "level of that name"
    )
    notes["requirements"]["level"] = (
        "A level of the competency's framework (empty: any cover will do)"
    )
    for grid in GRIDS.values():
        what = "competency" if grid.label == "Competency" else "profession"
        notes[grid.name] = {
            GRID_ROW_COLUMN: (
                f"A training event's id or title. Add one column per {what}, headed by its id "
                "or name, and mark x (or yes, 1, a tick) where the event "
                + (
                    "covers it, or a level of the competency's framework where it covers it "
                    "at that level."
                    if grid.column == "covers"
                    else "targets it."
                )
            )
        }
    required = {name: spec.required_columns for name, spec in TABLES.items()}
    required.update({grid: [GRID_ROW_COLUMN] for grid in GRIDS})
    tables = list(_tables(source))
    for name, header, _ in tables:
        if len(header) > MAX_COLUMNS:
            raise GraphModelError(
                f"{out}: the {name} sheet would need {len(header):,} columns and a sheet holds "
                f"{MAX_COLUMNS:,}; fill the training events' covers and targets columns instead"
            )
    writer = write_workbook if suffix == ".xlsx" else write_ods_template
    try:
        writer(
            out,
            tables,
            required=required,
            choices=enum_choices(),
            notes=notes,
            cell_choices=_level_choices(source, tables),
        )
    except OSError as error:
        raise GraphModelError(f"cannot write {out}: {error.strerror or error}") from None


def _tables(source: Dataset | None) -> Iterator[tuple[str, list[str], list[list[str]]]]:
    if source is None:
        for name, spec in TABLES.items():
            yield name, spec.columns, []
        for grid_name in GRIDS:
            yield grid_name, [GRID_ROW_COLUMN], []
        return
    gridded = {grid.column for grid in GRIDS.values()}
    events = TABLES["training_events"].columns
    for name, header, rows in text_tables(source):
        if name == "training_events":
            blanked = [events.index(column) for column in gridded]
            for row in rows:
                for index in blanked:
                    row[index] = ""
        yield name, header, rows
    event_labels = _labels({event.id: event.title for event in source.training_events})
    for grid in GRIDS.values():
        table = TABLES[{"Competency": "competencies", "Profession": "professions"}[grid.label]]
        nodes = source.table(table.name)
        labels = _labels({row.id: row.name for row in nodes})  # type: ignore[attr-defined]
        order = [row.id for row in nodes]  # type: ignore[attr-defined]
        position = {node_id: index for index, node_id in enumerate(order)}
        rows = []
        for event in source.training_events:
            assert isinstance(event, TrainingEvent)
            row = [event_labels[event.id]] + [""] * len(order)
            for item in getattr(event, grid.column):
                node_id, level = split_item(item)  # a cover at a level: the level's name
                row[1 + position[node_id]] = level or "x"
            rows.append(row)
        yield grid.name, [GRID_ROW_COLUMN, *(labels[node_id] for node_id in order)], rows


def _level_choices(
    source: Dataset | None, tables: list[tuple[str, list[str], list[list[str]]]]
) -> dict[str, list[CellChoices]]:
    """The drop-down lists of levels: per requirement row, for events, per grid column."""
    if source is None:
        return {}
    scales = {f.id: tuple(f.levels) for f in source.frameworks if f.levels}
    if not scales:
        return {}
    every = tuple(dict.fromkeys(level for levels in scales.values() for level in levels))
    framework_of = {c.id: c.framework for c in source.competencies}
    found: dict[str, list[CellChoices]] = {
        "requirements": [CellChoices("level", every, None)],
        "training_events": [CellChoices("level", every, (0, len(source.training_events))),
                            CellChoices("level", every, None)],
    }  # fmt: skip
    requirement_lists = found["requirements"]
    for index, requirement in enumerate(source.requirements):
        levels = scales.get(framework_of.get(requirement.competency, ""))
        if levels:
            requirement_lists.append(CellChoices("level", levels, (index, index + 1)))
    header = next(header for name, header, _ in tables if name == "coverage_grid")
    labels = _labels({c.id: c.name for c in source.competencies})
    by_label = {label: competency for competency, label in labels.items()}
    grid_lists = found.setdefault("coverage_grid", [])
    for column in header[1:]:
        levels = scales.get(framework_of.get(by_label.get(column, ""), ""))
        if levels:
            offered = ("x", *levels)
            grid_lists.append(CellChoices(column, offered, (0, len(source.training_events)), False))
            grid_lists.append(CellChoices(column, offered, None, False))
    return found


def _labels(names: dict[str, str]) -> dict[str, str]:
    """Each node's name where it names that node alone, otherwise its id."""
    counts = Counter(normalised_name(name) for name in names.values())
    return {
        node_id: name if counts[normalised_name(name)] == 1 and name not in names else node_id
        for node_id, name in names.items()
    }
