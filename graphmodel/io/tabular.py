"""A dataset as plain text tables, and writers for every dataset format."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from graphmodel.errors import GraphModelError
from graphmodel.io.csv_folder import write_csv_folder
from graphmodel.io.formats import GRAPHML_SUFFIXES
from graphmodel.io.graphml import write_graphml
from graphmodel.io.ods import write_ods
from graphmodel.io.raw import cell_text
from graphmodel.io.workbook import write_workbook
from graphmodel.model import OFFERS, TABLES, Dataset, TableSpec


def _tables(dataset: Dataset) -> list[tuple[str, TableSpec]]:
    """Every table of the dataset: the graph's, and its offers when it has any."""
    found = list(TABLES.items())
    if dataset.offers:
        found.append((OFFERS.name, OFFERS))
    return found


def text_tables(dataset: Dataset) -> Iterator[tuple[str, list[str], list[list[str]]]]:
    """``(table, columns, rows)`` with every cell as the text a CSV file would hold."""
    for name, spec in _tables(dataset):
        columns = spec.columns
        rows = [
            [cell_text(getattr(row, column)) or "" for column in columns]
            for row in dataset.table(name)
        ]
        yield name, columns, rows


def json_ready(dataset: Dataset) -> dict[str, list[dict[str, Any]]]:
    """The dataset as JSON-ready tables: empty values left out, lists as lists."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for name, _ in _tables(dataset):
        tables[name] = [
            {
                column: value
                for column, value in row.model_dump(mode="json").items()
                if value not in (None, [])
            }
            for row in dataset.table(name)
        ]
    return tables


def enum_choices() -> dict[str, dict[str, list[str]]]:
    """Allowed values of every enumerated column, by table and column."""
    return {name: spec.choices for name, spec in TABLES.items() if spec.choices}


def write_dataset(dataset: Dataset, out: Path) -> str:
    """Write a dataset to ``out``; the format follows the suffix (none: a CSV folder).

    Returns the name of the format written.

    Raises
    ------
    GraphModelError
        For an unknown suffix, or when ``out`` cannot be written (a missing
        folder, no permission), in one line.
    """
    try:
        return _write_dataset(dataset, out)
    except OSError as error:
        reason = error.strerror or str(error)
        raise GraphModelError(f"cannot write {error.filename or out}: {reason}") from None


def _write_dataset(dataset: Dataset, out: Path) -> str:
    suffix = out.suffix.lower()
    if suffix in (".xlsx",):
        write_workbook(
            out,
            text_tables(dataset),
            required={name: spec.required_columns for name, spec in _tables(dataset)},
            choices=enum_choices(),
            blank_rows=0,
        )
        return "xlsx"
    if suffix == ".ods":
        write_ods(out, text_tables(dataset))
        return "ods"
    if suffix == ".json":
        out.write_text(json.dumps(json_ready(dataset), indent=2) + "\n", encoding="utf-8")
        return "json"
    if suffix in (".yaml", ".yml"):
        text = yaml.safe_dump(json_ready(dataset), sort_keys=False, allow_unicode=True)
        out.write_text(text, encoding="utf-8")
        return "yaml"
    if suffix in GRAPHML_SUFFIXES:
        write_graphml(dataset, out)
        return "graphml"
    if suffix:
        raise GraphModelError(
            f"{out}: unknown output format {suffix!r}; "
            "use a folder name, .xlsx, .ods, .json, .yaml or .graphml"
        )
    write_csv_folder(out, text_tables(dataset))
    return "csv"
