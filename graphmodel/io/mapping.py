"""Read a dataset from a JSON or YAML file: top-level keys are tables, each a list of rows."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from graphmodel.errors import Location
from graphmodel.io.formats import YAML_SUFFIXES
from graphmodel.io.raw import CellError, ProblemLog, RawRow, RawTable, cell_text
from graphmodel.suggest import did_you_mean


def read_mapping_file(
    path: Path, table_names: Sequence[str], log: ProblemLog, *, only: bool = False
) -> list[RawTable]:
    """Read a JSON (``.json``) or YAML (``.yaml``/``.yml``) dataset file.

    Rows are located by JSON path, for example ``competencies[3]`` (counting
    from 0). A key that names no table is an error, unless ``only`` (read
    only ``table_names`` from a file that holds others too).
    """
    source = str(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        log.add(Location(source), f"not UTF-8 text (byte 0x{data[error.start]:02x})")
        return []
    if not text.strip():
        log.add(Location(source), "file is empty")
        return []
    document = _parse(path, text, log)
    if document is None:
        return []
    if not isinstance(document, dict):
        log.add(Location(source), "expected an object whose keys are table names")
        return []
    tables: list[RawTable] = []
    for key, rows in document.items():
        name = str(key)
        if name not in table_names:
            if not only:
                log.add(Location(source, name), "unknown table" + did_you_mean(name, table_names))
            continue
        if rows is None:
            rows = []
        if not isinstance(rows, list):
            log.add(Location(source, name), "expected a list of rows")
            continue
        table = RawTable(name, source, None)
        for index, item in enumerate(rows):
            row = f"{name}[{index}]"
            if not isinstance(item, dict):
                log.add(Location(source, row), "expected an object of column values")
                continue
            cells: dict[str, str | None] = {}
            for column, value in item.items():
                try:
                    cells[str(column)] = cell_text(value)
                except CellError as error:
                    log.add(Location(source, row, str(column)), str(error))
            table.rows.append(RawRow(row, cells))
        tables.append(table)
    return tables


def _parse(path: Path, text: str, log: ProblemLog) -> Any:
    source = str(path)
    if path.suffix.lower() in YAML_SUFFIXES:
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"{mark.line + 1}" if mark is not None else ""
            problem = getattr(error, "problem", None) or str(error).splitlines()[0]
            log.add(Location(source, where), f"invalid YAML: {problem}")
        except RecursionError:
            log.add(Location(source), "invalid YAML: nested too deeply")
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        log.add(Location(source, str(error.lineno)), f"invalid JSON: {error.msg}")
    except RecursionError:
        log.add(Location(source), "invalid JSON: nested too deeply")
    return None
