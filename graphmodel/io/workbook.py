"""Read a dataset from a workbook (.xlsx, .xlsm, .xls, .ods), one sheet per table;
write the .xlsx workbook (``template`` and ``export``).

Reading goes through python-calamine (Rust's calamine), which reads Excel's
and OpenDocument's formats alike, typed cells included (numbers, dates,
booleans; a formula's last computed value). It reads the national-scale
workbook about ten times faster than openpyxl (``bench/read_workbooks.py``).
Writing .xlsx stays with openpyxl, which writes the header styles, comments
and drop-down lists of the template; .ods is written by
:mod:`graphmodel.io.ods`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook

from graphmodel.errors import Location
from graphmodel.io.csv_folder import table_from_records
from graphmodel.io.formats import WORKBOOK_SUFFIXES as WORKBOOK_SUFFIXES
from graphmodel.io.raw import ProblemLog, RawTable, not_a_table


def read_workbook(path: Path, table_names: Sequence[str], log: ProblemLog) -> list[RawTable]:
    """Read the sheets named like the tables.

    A sheet whose name is close to a table's is an error (with the table
    suggested); any other sheet (notes, instructions, a chart) is ignored
    with a notice. Rows are numbered as the application shows them.
    """
    kind = path.suffix.lower()
    try:
        workbook = CalamineWorkbook.from_path(path)
    # calamine raises its own errors, and others (zip, XML, encoding) from
    # inside a damaged file; whichever it is, the answer for the user is the same.
    except Exception as error:
        log.add(Location(str(path)), f"not a readable {kind} workbook ({type(error).__name__})")
        return []
    names = list(table_names)
    tables: list[RawTable] = []
    try:
        sheet_names = list(workbook.sheet_names)
        for sheet_name in sheet_names:
            source = f"{path}[{sheet_name}]"
            if sheet_name not in names:
                not_a_table(log, Location(source), sheet_name, names, "sheet")
                continue
            try:
                # iter_rows starts at the first row (blank leading rows
                # included), so row numbers match the application's.
                records: Iterable[list[Any]] = workbook.get_sheet_by_name(sheet_name).iter_rows()
                table = table_from_records(sheet_name, source, records, log)
            except Exception as error:
                log.add(Location(source), f"sheet could not be read ({type(error).__name__})")
                table = None
            tables.append(table or RawTable(sheet_name, source, [], complete=False))
    finally:
        workbook.close()
    if not set(sheet_names).intersection(names):
        log.add(Location(str(path)), f"no dataset sheets found (expected {', '.join(names)})")
    return tables


@dataclass(frozen=True)
class CellChoices:
    """A drop-down list on some cells of one column, beside (or instead of) the column's own.

    ``rows`` are the data rows it applies to, ``(first, stop)`` counted from 0
    below the header, or ``None`` for the blank rows after the data. With
    ``strict`` false another value is allowed after a warning (a grid cell
    takes a tick or a level).

    Example
    -------
    >>> CellChoices("level", ("Awareness", "Working"), (0, 3)).inline_list
    '"Awareness,Working"'
    """

    column: str
    values: tuple[str, ...]
    rows: tuple[int, int] | None
    strict: bool = True

    @property
    def inline_list(self) -> str | None:
        """The list as a spreadsheet formula holds it (``"a,b"``), or None when it cannot
        be written inline (a value with a comma or a quote, or longer than Excel's 255
        characters): the cells then go without a drop-down."""
        if any("," in value or '"' in value for value in self.values):
            return None
        inline = '"' + ",".join(self.values) + '"'
        return inline if len(inline) <= 255 else None


_HEADER_FONT = Font(bold=True)
_REQUIRED_FILL = PatternFill("solid", fgColor="FFE8B0")


def write_workbook(
    path: Path,
    tables: Iterable[tuple[str, list[str], list[list[Any]]]],
    *,
    required: dict[str, list[str]] | None = None,
    choices: dict[str, dict[str, list[str]]] | None = None,
    notes: dict[str, dict[str, str]] | None = None,
    blank_rows: int = 500,
    cell_choices: dict[str, list[CellChoices]] | None = None,
) -> None:
    """Write ``(table, header, rows)`` triples as one sheet per table (.xlsx).

    Parameters
    ----------
    required
        Columns per table whose header is highlighted as required.
    choices
        Allowed values per table and column, offered as a drop-down list on
        the data rows (and the ``blank_rows`` after them).
    notes
        A comment per table and column, shown on the header cell.
    cell_choices
        Drop-down lists per table on some rows of a column (a requirement's
        level: the levels of its competency's framework).
    """
    from openpyxl.comments import Comment

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for table, header, rows in tables:
        sheet = workbook.create_sheet(table)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        last_row = max(len(rows) + 1 + blank_rows, 2)
        for index, column in enumerate(header, start=1):
            letter = get_column_letter(index)
            cell = sheet.cell(row=1, column=index)
            cell.font = _HEADER_FONT
            if required and column in required.get(table, []):
                cell.fill = _REQUIRED_FILL
            if notes and column in notes.get(table, {}):
                cell.comment = Comment(notes[table][column], "graphmodel")
            sheet.column_dimensions[letter].width = max(12, len(column) + 4)
            allowed = (choices or {}).get(table, {}).get(column)
            if allowed:
                validation = DataValidation(
                    type="list",
                    formula1='"' + ",".join(allowed) + '"',
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle=f"{column}: not allowed",
                    error="Pick one of: " + ", ".join(allowed),
                )
                validation.add(f"{letter}2:{letter}{last_row}")
                sheet.add_data_validation(validation)
        _add_cell_choices(sheet, header, (cell_choices or {}).get(table, []), len(rows), last_row)
    workbook.save(path)


def _add_cell_choices(
    sheet: Any, header: list[str], found: list[CellChoices], rows: int, last_row: int
) -> None:
    """One data validation per distinct list, over every range that offers it."""
    grouped: dict[tuple[str, tuple[str, ...], bool], list[str]] = {}
    for choice in found:
        if choice.column not in header or choice.inline_list is None:
            continue
        letter = get_column_letter(header.index(choice.column) + 1)
        first, last = (
            (rows + 2, last_row)
            if choice.rows is None
            else (choice.rows[0] + 2, choice.rows[1] + 1)
        )
        if first <= last:
            key = (choice.column, choice.values, choice.strict)
            grouped.setdefault(key, []).append(f"{letter}{first}:{letter}{last}")
    for (column, values, strict), ranges in grouped.items():
        validation = DataValidation(
            type="list",
            formula1=CellChoices(column, values, None).inline_list,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop" if strict else "warning",
            errorTitle=f"{column}: not in the list",
            error="Pick one of: " + ", ".join(values),
        )
        for cells in ranges:
            validation.add(cells)
        sheet.add_data_validation(validation)
