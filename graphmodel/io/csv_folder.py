"""Read and write a dataset as a folder of CSV files, one file per table."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from graphmodel.errors import Location
from graphmodel.io.raw import CellError, ProblemLog, RawRow, RawTable, cell_text
from graphmodel.suggest import did_you_mean


def read_csv_folder(folder: Path, table_names: Sequence[str], log: ProblemLog) -> list[RawTable]:
    """Read every ``<table>.csv`` in ``folder``; unknown files are problems.

    Hidden files (names starting with ``.``) are ignored. A missing table file
    is an empty table; an empty file (no header row) is a problem.
    """
    known = {f"{name}.csv": name for name in table_names}
    tables: list[RawTable] = []
    entries = sorted(folder.iterdir())
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.name not in known:
            log.add(
                Location(str(entry)),
                "unknown file in a dataset folder" + did_you_mean(entry.name, known),
            )
    present = {entry.name for entry in entries}
    if not present.intersection(known):
        log.add(Location(str(folder)), f"no dataset tables found (expected {', '.join(known)})")
    for file_name, table in known.items():
        if file_name in present:
            parsed = _read_csv_file(folder / file_name, table, log)
            tables.append(parsed or RawTable(table, str(folder / file_name), [], complete=False))
    return tables


def _read_csv_file(path: Path, table: str, log: ProblemLog) -> RawTable | None:
    source = str(path)
    if not path.is_file():
        log.add(Location(source), "expected a file, found a folder")
        return None
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        log.add(
            Location(source, str(line)),
            f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as 'CSV UTF-8'",
        )
        return None
    if not text.strip():
        log.add(Location(source), "file is empty; expected a header row")
        return None
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        log.add(Location(source), f"not a readable CSV file: {error}")
        return None
    return table_from_records(table, source, records, log)


def table_from_records(
    table: str, source: str, records: Sequence[Sequence[object]], log: ProblemLog
) -> RawTable | None:
    """Build a table from a header record and data records (CSV rows or sheet rows).

    Rows are numbered like a spreadsheet: the header is row 1. Blank rows are
    skipped; a trailing unnamed column is ignored when all its cells are empty.
    """

    def text(value: object, row: str, column: str) -> str | None:
        try:
            return cell_text(value)
        except CellError as error:
            log.add(Location(source, row, column), str(error))
            return None

    header_index = next(
        (i for i, record in enumerate(records) if any(cell_text_or_none(c) for c in record)),
        None,
    )
    if header_index is None:
        log.add(Location(source), "no header row")
        return None
    header_row = str(header_index + 1)
    header = [text(cell, header_row, "") or "" for cell in records[header_index]]
    while header and not header[-1]:
        header.pop()
    seen: set[str] = set()
    ok = True
    for position, name in enumerate(header, start=1):
        if not name:
            log.add(Location(source, header_row), f"column {position} has no name")
            ok = False
        elif name in seen:
            log.add(Location(source, header_row, name), "column appears twice in the header")
            ok = False
        seen.add(name)
    if not ok:
        return None
    raw = RawTable(table, source, header)
    for index in range(header_index + 1, len(records)):
        record = records[index]
        row = str(index + 1)
        cells = [text(cell, row, "") for cell in record]
        if not any(cells):
            continue
        if len(cells) > len(header) and any(cells[len(header) :]):
            log.add(
                Location(source, row),
                f"row has {len(cells)} cells but the header names {len(header)} columns",
            )
            raw.complete = False
            continue
        values = {name: cells[i] if i < len(cells) else None for i, name in enumerate(header)}
        raw.rows.append(RawRow(row, values))
    return raw


def cell_text_or_none(value: object) -> str | None:
    """Like :func:`cell_text` but never raising (used to find the header row)."""
    try:
        return cell_text(value)
    except CellError:
        return "?"


def write_csv_folder(
    folder: Path, tables: Iterable[tuple[str, list[str], list[list[str]]]]
) -> None:
    """Write ``(table, header, rows)`` triples as ``folder/<table>.csv`` in UTF-8."""
    folder.mkdir(parents=True, exist_ok=True)
    for table, header, rows in tables:
        with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
