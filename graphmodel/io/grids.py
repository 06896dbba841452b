"""Tick grids: training events down the side, competencies or professions across the top.

A mapping exercise is often kept as a grid rather than as ``;``-separated
lists. A grid is an optional table (a sheet, or a CSV file in a folder) whose
first column ``training_event`` holds an event's id or title and whose other
columns are headed by a competency (``coverage_grid``) or a profession
(``targets_grid``), by id or name. A marked cell adds that ``COVERS`` or
``TARGETS`` relationship to the event; the rows are resolved and checked in
:mod:`graphmodel.dataset`.

Example
-------
>>> GRIDS["coverage_grid"].column, mark_value(" Yes "), mark_value("0"), mark_value("maybe")
('covers', True, False, None)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GridSpec:
    """What one grid table adds: to which event column, with columns of which label."""

    name: str
    column: str  # the training_events column the marks add to
    label: str  # the label of the nodes heading the columns


#: The first column of every grid.
GRID_ROW_COLUMN = "training_event"

GRIDS: dict[str, GridSpec] = {
    spec.name: spec
    for spec in (
        GridSpec("coverage_grid", "covers", "Competency"),
        GridSpec("targets_grid", "targets", "Profession"),
    )
}

#: Cell marks that add the relationship, and those that add nothing (compared casefolded).
TRUE_MARKS = ("x", "✓", "✔", "y", "yes", "1", "true")
FALSE_MARKS = ("0", "n", "no", "false")
_MARKS = {**dict.fromkeys(TRUE_MARKS, True), **dict.fromkeys(FALSE_MARKS, False)}


def mark_value(cell: str | None) -> bool | None:
    """True for a tick, False for an empty or "no" cell, None for anything else."""
    if cell is None:
        return False
    return _MARKS.get(cell.strip().casefold())
