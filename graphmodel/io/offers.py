"""Read the ``offers`` table on its own (``graphmodel plan --offers FILE``), from any format.

FILE is a CSV file (the table itself), a workbook (its ``offers`` sheet, or
its only sheet), a JSON or YAML file (its ``offers`` key), or a dataset
folder (its ``offers.csv``): the offers may live beside the exercise or in
it. Cells are checked afterwards by :func:`graphmodel.validation.parse_offers`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graphmodel.errors import Location
from graphmodel.io.csv_folder import read_csv_file, table_from_records
from graphmodel.io.formats import MAPPING_SUFFIXES, WORKBOOK_SUFFIXES
from graphmodel.io.raw import ProblemLog, RawTable
from graphmodel.model import OFFERS


def read_offers_table(path: Path, log: ProblemLog) -> list[RawTable]:
    """The offers table in ``path`` (empty, with the problem logged, when there is none)."""
    name = OFFERS.name
    if not path.exists():
        log.add(Location(str(path)), "no such file or folder")
        return []
    if path.is_dir():
        file = path / f"{name}.csv"
        if not file.is_file():
            log.add(Location(str(path)), f"no {name}.csv in this folder")
            return []
        table = read_csv_file(file, name, log)
        return [table] if table is not None else []
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = read_csv_file(path, name, log)
        return [table] if table is not None else []
    if suffix in WORKBOOK_SUFFIXES:
        return _read_sheet(path, log)
    if suffix in MAPPING_SUFFIXES:
        from graphmodel.io.mapping import read_mapping_file

        tables = read_mapping_file(path, [name], log, only=True)
        if not tables and not log:
            log.add(Location(str(path)), f"no {name!r} key in this file")
        return tables
    log.add(
        Location(str(path)),
        "not an offers table: expected a .csv file, an .xlsx, .xls or .ods workbook, "
        "a .json/.yaml file or a dataset folder",
    )
    return []


def _read_sheet(path: Path, log: ProblemLog) -> list[RawTable]:
    from python_calamine import CalamineWorkbook  # loaded only for a workbook

    name = OFFERS.name
    try:
        workbook = CalamineWorkbook.from_path(path)
    # calamine raises its own errors and others from inside a damaged file (as when a
    # whole dataset workbook is read).
    except Exception as error:
        log.add(Location(str(path)), f"not a readable workbook ({type(error).__name__})")
        return []
    try:
        sheets = list(workbook.sheet_names)
        if name in sheets:
            sheet = name
        elif len(sheets) == 1:
            sheet = sheets[0]
        else:
            log.add(
                Location(str(path)),
                f"no {name!r} sheet (the sheets are {', '.join(repr(s) for s in sheets)})",
            )
            return []
        source = f"{path}[{sheet}]"
        try:
            records: Any = workbook.get_sheet_by_name(sheet).iter_rows()
            table = table_from_records(name, source, records, log)
        except Exception as error:
            log.add(Location(source), f"sheet could not be read ({type(error).__name__})")
            return []
    finally:
        workbook.close()
    return [table] if table is not None else []
