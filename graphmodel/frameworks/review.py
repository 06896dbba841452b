"""Apply a reviewed crosswalk sheet: accepted rows become ``equivalent_to``.

The sheet is what ``graphmodel crosswalk --format csv`` writes (columns
``from_id, from_name, to_id, to_name, score, accept``), as a CSV file or an
``.xlsx`` workbook (its first sheet) after a reviewer has filled in
``accept``. Only ``from_id``, ``to_id`` and ``accept`` are read; other
columns (a reviewer's comments) are allowed. A cell of ``accept`` marked
``x``, ``X``, ``✓``, ``✔``, ``y``, ``yes``, ``1`` or ``true`` (any case)
accepts the row; empty, ``0``, ``n``, ``no`` or ``false`` rejects it;
anything else is an error, so a typo never silently drops a decision.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from graphmodel.errors import Location
from graphmodel.frameworks.common import validated
from graphmodel.io.grids import mark_value
from graphmodel.io.raw import CellError, ProblemLog, cell_text
from graphmodel.model import Dataset
from graphmodel.suggest import did_you_mean

REQUIRED_COLUMNS = ("from_id", "to_id", "accept")


@dataclass(frozen=True)
class AcceptedRow:
    """One accepted row of a review sheet, with where it is."""

    location: Location
    from_id: str
    to_id: str


@dataclass(frozen=True)
class ApplyReport:
    """What applying a review did: equivalences added, and those the dataset had already."""

    added: list[tuple[str, str]]
    already: list[tuple[str, str]]
    rejected: int


def _records(path: Path, log: ProblemLog) -> list[list[object]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many types on a damaged file
            log.add(Location(str(path)), f"not a readable .xlsx workbook ({type(error).__name__})")
            return []
        try:
            sheet = workbook.worksheets[0]
            return [list(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()
    try:
        data = path.read_bytes()
    except OSError as error:
        log.add(Location(str(path)), error.strerror or "cannot be read")
        return []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        log.add(Location(str(path)), f"not UTF-8 text (byte 0x{data[error.start]:02x})")
        return []
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), strict=True)]
    except csv.Error as error:
        log.add(Location(str(path)), f"not a readable CSV file: {error}")
        return []


def read_review(path: str | Path) -> tuple[list[AcceptedRow], int]:
    """The accepted rows of a review sheet, and how many rows were rejected (left unmarked).

    Raises
    ------
    DatasetError
        For a missing column, an unknown mark or an accepted row without ids,
        as ``file:row:column: message``.
    """
    source = Path(path)
    log = ProblemLog()
    if not source.is_file():
        log.add(Location(str(source)), "no such file")
        log.raise_if_any()
    records = _records(source, log)
    log.raise_if_any()
    where = str(source)
    if not records:
        log.add(Location(where), "file is empty; expected a header row")
        log.raise_if_any()

    def text(value: object) -> str:
        try:
            return cell_text(value) or ""
        except CellError:
            return str(value)

    header = [text(cell) for cell in records[0]]
    for column in REQUIRED_COLUMNS:
        if column not in header:
            log.add(
                Location(where, "1", column),
                "required column is missing" + did_you_mean(column, header),
            )
    log.raise_if_any()
    position = {column: header.index(column) for column in REQUIRED_COLUMNS}
    accepted: list[AcceptedRow] = []
    rejected = 0
    for index, record in enumerate(records[1:], start=2):
        cells = {
            column: text(record[at]) if at < len(record) else "" for column, at in position.items()
        }
        if not any(text(cell) for cell in record):
            continue
        # The marks of the tick grids (docs/data-and-loading.md): a tick accepts, an empty
        # cell or a "no" rejects.
        accepts = mark_value(cells["accept"] or None)
        row = str(index)
        if accepts is False:
            rejected += 1
            continue
        if accepts is None:
            log.add(
                Location(where, row, "accept"),
                f"unknown mark {cells['accept']!r}: x, ✓, y, yes, 1 or true accepts a row; "
                "empty, 0, n or no rejects it",
            )
            continue
        for column in ("from_id", "to_id"):
            if not cells[column]:
                log.add(Location(where, row, column), "an accepted row needs both ids")
        if cells["from_id"] and cells["to_id"]:
            accepted.append(AcceptedRow(Location(where, row), cells["from_id"], cells["to_id"]))
    log.raise_if_any()
    return accepted, rejected


def apply_review(
    dataset: Dataset, accepted: list[AcceptedRow], rejected: int = 0, source: str = "dataset"
) -> tuple[Dataset, ApplyReport]:
    """``dataset`` with every accepted pair in ``equivalent_to`` (of the pair's first
    competency), and what changed. A pair already equivalent (either way) is left as it is.

    Raises
    ------
    DatasetError
        When a row names an id that is not a competency of ``dataset`` (with the
        closest ids), or a competency and itself.
    """
    log = ProblemLog()
    competencies = {c.id: c for c in dataset.competencies}
    known = list(competencies)
    added: list[tuple[str, str]] = []
    already: list[tuple[str, str]] = []
    extra: dict[str, list[str]] = {}
    for row in accepted:
        ok = True
        for column, value in (("from_id", row.from_id), ("to_id", row.to_id)):
            if value not in competencies:
                log.add(
                    Location(row.location.source, row.location.row, column),
                    f"unknown competency {value!r} in {source}" + did_you_mean(value, known),
                )
                ok = False
        if not ok:
            continue
        if row.from_id == row.to_id:
            log.add(
                Location(row.location.source, row.location.row, "to_id"),
                "a competency cannot be equivalent to itself",
            )
            continue
        pair = (row.from_id, row.to_id)
        if (
            row.to_id in competencies[row.from_id].equivalent_to
            or row.from_id in competencies[row.to_id].equivalent_to
            or row.to_id in extra.get(row.from_id, [])
            or row.from_id in extra.get(row.to_id, [])
        ):
            already.append(pair)
            continue
        extra.setdefault(row.from_id, []).append(row.to_id)
        added.append(pair)
    log.raise_if_any()
    rows = [
        c.model_copy(update={"equivalent_to": [*c.equivalent_to, *extra[c.id]]})
        if c.id in extra
        else c
        for c in dataset.competencies
    ]
    updated = validated(dataset.model_copy(update={"competencies": rows}), source)
    return updated, ApplyReport(added, already, rejected)
