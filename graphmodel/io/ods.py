"""Write a dataset, or the blank template, as an OpenDocument spreadsheet (.ods).

Two libraries, each for its job:

- the template goes through odfpy, the reference OpenDocument library (the
  one pandas writes .ods with), which gives what a form to fill in needs:
  bold and highlighted headers, a comment on a header cell, and drop-down
  lists (content validations) on enumerated columns;
- ``export`` goes through stream-write-ods, which streams the rows into the
  zip as it goes: about ten times faster than odfpy's document tree and in
  constant memory, which is what a national-scale export needs (odfpy holds
  every cell as a Python object, gigabytes at that scale).

Cells are written as text, like the .xlsx export, so a written dataset reads
back unchanged.

Example
-------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "d.ods"
>>> write_ods(path, [("drivers", ["id", "name"], [["dr-1", "Review"]])])
>>> path.read_bytes()[:2]
b'PK'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from stream_write_ods import stream_write_ods

from graphmodel.io.workbook import CellChoices

#: A fixed modification time, so that exporting the same dataset twice gives the same bytes.
_WRITTEN_AT = dt.datetime(2000, 1, 1)


def write_ods(path: Path, tables: Iterable[tuple[str, list[str], list[list[str]]]]) -> None:
    """Write ``(table, header, rows)`` triples as one sheet per table, streaming."""

    def sheets() -> Iterator[tuple[str, list[str], Iterator[list[str | None]]]]:
        for table, header, rows in tables:
            yield table, header, ([cell or None for cell in row] for row in rows)

    with path.open("wb") as handle:
        for chunk in stream_write_ods(sheets(), get_modified_at=lambda: _WRITTEN_AT):
            handle.write(chunk)


def write_ods_template(
    path: Path,
    tables: Iterable[tuple[str, list[str], list[list[Any]]]],
    *,
    required: dict[str, list[str]] | None = None,
    choices: dict[str, dict[str, list[str]]] | None = None,
    notes: dict[str, dict[str, str]] | None = None,
    blank_rows: int = 500,
    cell_choices: dict[str, list[CellChoices]] | None = None,
) -> None:
    """Write the template as .ods: the same sheets, styles, comments and drop-downs as .xlsx.

    Parameters are those of :func:`graphmodel.io.workbook.write_workbook`.
    """
    from odf.office import Annotation
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableCellProperties, TableColumnProperties, TextProperties
    from odf.table import (
        ContentValidation,
        ContentValidations,
        ErrorMessage,
        Table,
        TableCell,
        TableColumn,
        TableRow,
    )
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    header_style = Style(name="header", family="table-cell")
    header_style.addElement(TextProperties(fontweight="bold"))
    required_style = Style(name="required", family="table-cell")
    required_style.addElement(TextProperties(fontweight="bold"))
    required_style.addElement(TableCellProperties(backgroundcolor="#FFE8B0"))
    for style in (header_style, required_style):
        document.automaticstyles.addElement(style)
    column_styles: dict[float, Any] = {}

    def column_style(width_cm: float) -> Any:
        if width_cm not in column_styles:
            style = Style(name=f"column{len(column_styles)}", family="table-column")
            style.addElement(TableColumnProperties(columnwidth=f"{width_cm}cm"))
            document.automaticstyles.addElement(style)
            column_styles[width_cm] = style
        return column_styles[width_cm]

    def text_cell(value: Any, **attributes: Any) -> Any:
        if value is None or value == "":
            return TableCell(**attributes)
        cell = TableCell(valuetype="string", **attributes)
        cell.addElement(P(text=str(value)))
        return cell

    validations = ContentValidations()
    sheets = []

    def add_validation(
        name: str, table: str, column: str, index: int, allowed: Sequence[str], strict: bool
    ) -> None:
        validation = ContentValidation(
            name=name,
            condition="of:cell-content-is-in-list("
            + ";".join(f'"{value}"' for value in allowed)
            + ")",
            allowemptycell="true",
            displaylist="unsorted",
            basecelladdress=f"'{table}'.{get_column_letter(index + 1)}2",
        )
        message = ErrorMessage(
            title=f"{column}: not allowed" if strict else f"{column}: not in the list",
            display="true",
            messagetype="stop" if strict else "warning",
        )
        message.addElement(P(text="Pick one of: " + ", ".join(allowed)))
        validation.addElement(message)
        validations.addElement(validation)

    for table, header, rows in tables:
        sheet = Table(name=table)
        allowed_by_column = (choices or {}).get(table, {})
        validation_of: dict[str, str] = {}
        for index, column in enumerate(header):
            allowed = allowed_by_column.get(column)
            if not allowed:
                continue
            name = f"{table}-{column}"
            add_validation(name, table, column, index, allowed, True)
            validation_of[column] = name
        # Lists on some rows of a column: (data row or None for the blank rows, column) -> name.
        row_validation: dict[tuple[int | None, str], str] = {}
        names: dict[tuple[str, tuple[str, ...], bool], str] = {}
        for choice in (cell_choices or {}).get(table, []):
            if choice.column not in header or choice.inline_list is None:
                continue
            key = (choice.column, choice.values, choice.strict)
            if key not in names:
                names[key] = f"{table}-{choice.column}-{len(names) + 1}"
                index = header.index(choice.column)
                add_validation(
                    names[key], table, choice.column, index, choice.values, choice.strict
                )
            spans = [None] if choice.rows is None else range(*choice.rows)
            for row_index in spans:
                row_validation[(row_index, choice.column)] = names[key]
        for column in header:
            sheet.addElement(TableColumn(stylename=column_style(max(3.0, len(column) * 0.25))))
        title_row = TableRow()
        for column in header:
            is_required = required is not None and column in required.get(table, [])
            cell = text_cell(column, stylename=required_style if is_required else header_style)
            note = (notes or {}).get(table, {}).get(column)
            if note:
                annotation = Annotation()
                annotation.addElement(P(text=note))
                cell.addElement(annotation)
            title_row.addElement(cell)
        sheet.addElement(title_row)

        def validated(
            column: str,
            row_index: int | None,
            names: dict[str, str] = validation_of,
            by_row: dict[tuple[int | None, str], str] = row_validation,
        ) -> dict[str, str]:
            name = by_row.get((row_index, column)) or names.get(column)
            return {"contentvalidationname": name} if name else {}

        for row_index, row in enumerate(rows):
            data_row = TableRow()
            for column, value in zip(header, row, strict=False):
                data_row.addElement(text_cell(value, **validated(column, row_index)))
            sheet.addElement(data_row)
        if (validation_of or row_validation) and blank_rows:
            blank = TableRow(numberrowsrepeated=blank_rows)
            for column in header:
                blank.addElement(TableCell(**validated(column, None)))
            sheet.addElement(blank)
        sheets.append(sheet)
    if validations.childNodes:
        document.spreadsheet.addElement(validations)
    for sheet in sheets:
        document.spreadsheet.addElement(sheet)
    document.save(str(path))
