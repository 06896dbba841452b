"""Read and write a dataset as a folder of CSV files, one file per table."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from graphmodel.errors import Location
from graphmodel.io.raw import CellError, ProblemLog, RawRow, RawTable, cell_text, not_a_table


def read_csv_folder(folder: Path, table_names: Sequence[str], log: ProblemLog) -> list[RawTable]:
    """Read every ``<table>.csv`` in ``folder``.

    Hidden files (names starting with ``.``) are ignored silently. Any other
    file that is not a table is an error when its name is close to a table's
    (``competences.csv``), otherwise ignored with a notice (a README, notes).
    A missing table file is an empty table; an empty file (no header row) is
    a problem.
    """
    names = list(table_names)
    known = {f"{name}.csv": name for name in names}
    tables: list[RawTable] = []
    entries = sorted(folder.iterdir())
    for entry in entries:
        if entry.name.startswith(".") or entry.name in known:
            continue
        not_a_table(log, Location(str(entry)), entry.name, names, "file", suffix=".csv")
    present = {entry.name for entry in entries}
    if not present.intersection(known):
        log.add(Location(str(folder)), f"no dataset tables found (expected {', '.join(known)})")
    for file_name, table in known.items():
        if file_name in present:
            parsed = read_csv_file(folder / file_name, table, log)
            tables.append(parsed or RawTable(table, str(folder / file_name), [], complete=False))
    return tables


def read_csv_file(path: Path, table: str, log: ProblemLog) -> RawTable | None:
    """Read one CSV file as table ``table`` (None, with the problem logged, when unreadable)."""
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
    table: str, source: str, records: Iterable[Sequence[object]], log: ProblemLog
) -> RawTable | None:
    """Build a table from a header record and data records (CSV rows or sheet rows).

    Rows are numbered like a spreadsheet: the first record is row 1, and the
    header is the first record that is not blank. Blank rows are skipped; a
    trailing unnamed column is ignored when all its cells are empty. The
    records are read once, in order, so a sheet can stream its rows.
    """

    def text(value: object, row: str, column: str) -> str | None:
        try:
            return cell_text(value)
        except CellError as error:
            log.add(Location(source, row, column), str(error))
            return None

    raw: RawTable | None = None
    header: list[str] = []
    width = 0
    for index, record in enumerate(records, start=1):
        row = str(index)
        if raw is None:
            if not any(cell_text_or_none(cell) for cell in record):
                continue
            header = [text(cell, row, "") or "" for cell in record]
            while header and not header[-1]:
                header.pop()
            if not _header_ok(header, source, row, log):
                return None
            raw = RawTable(table, source, header, header_row=row)
            width = len(header)
            continue
        cells = [text(cell, row, "") for cell in record]
        if not any(cells):
            continue
        if len(cells) > width and any(cells[width:]):
            log.add(
                Location(source, row),
                f"row has {len(cells)} cells but the header names {width} columns",
            )
            raw.complete = False
            continue
        values = {name: cells[i] if i < len(cells) else None for i, name in enumerate(header)}
        raw.rows.append(RawRow(row, values))
    if raw is None:
        log.add(Location(source), "no header row")
    return raw


def _header_ok(header: list[str], source: str, row: str, log: ProblemLog) -> bool:
    seen: set[str] = set()
    ok = True
    for position, name in enumerate(header, start=1):
        if not name:
            log.add(Location(source, row), f"column {position} has no name")
            ok = False
        elif name in seen:
            log.add(Location(source, row, name), "column appears twice in the header")
            ok = False
        seen.add(name)
    return ok


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
