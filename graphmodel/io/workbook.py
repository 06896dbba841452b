"""Read and write a dataset as an .xlsx workbook, one sheet per table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from graphmodel.errors import Location
from graphmodel.io.csv_folder import table_from_records
from graphmodel.io.raw import ProblemLog, RawTable
from graphmodel.suggest import did_you_mean


def read_workbook(path: Path, table_names: Sequence[str], log: ProblemLog) -> list[RawTable]:
    """Read the sheets named like the tables; other sheets are problems."""
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    # openpyxl raises many unrelated types (zip, XML, key and value errors) on a
    # damaged file; whichever it is, the answer for the user is the same.
    except Exception as error:
        log.add(Location(str(path)), f"not a readable .xlsx workbook ({type(error).__name__})")
        return []
    tables: list[RawTable] = []
    try:
        for sheet_name in workbook.sheetnames:
            source = f"{path}[{sheet_name}]"
            if sheet_name not in table_names:
                log.add(
                    Location(source),
                    "unknown sheet in a dataset workbook" + did_you_mean(sheet_name, table_names),
                )
                continue
            try:
                records = [list(row) for row in workbook[sheet_name].iter_rows(values_only=True)]
            except Exception as error:
                log.add(Location(source), f"sheet could not be read ({type(error).__name__})")
                records = []
            else:
                if not records:
                    log.add(Location(source), "sheet is empty; expected a header row")
            table = table_from_records(sheet_name, source, records, log) if records else None
            tables.append(table or RawTable(sheet_name, source, [], complete=False))
    finally:
        workbook.close()
    if not workbook.sheetnames or not set(workbook.sheetnames).intersection(table_names):
        log.add(Location(str(path)), f"no dataset sheets found (expected {', '.join(table_names)})")
    return tables


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
) -> None:
    """Write ``(table, header, rows)`` triples as one sheet per table.

    Parameters
    ----------
    required
        Columns per table whose header is highlighted as required.
    choices
        Allowed values per table and column, offered as a drop-down list on
        the data rows (and the ``blank_rows`` after them).
    notes
        A comment per table and column, shown on the header cell.
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
    workbook.save(path)
