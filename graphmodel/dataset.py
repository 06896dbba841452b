"""Read a dataset from any of its formats and validate it.

:func:`read_dataset` is the one entry point: it picks the reader from the
path (a folder of CSV files, an ``.xlsx``/``.xls``/``.ods`` workbook, a
``.json``/``.yaml`` file, a ``.graphml`` graph) and hands the raw tables to
:func:`graphmodel.validation.parse_tables`, which parses every cell, resolves
names, adds the grids' marks and checks the rules across rows and tables.
All problems are collected (up to a cap) and raised together as one
:class:`~graphmodel.errors.DatasetError`. Notices (a notes sheet that was
ignored) go to the ``graphmodel`` logger, one line each.

Example
-------
>>> from graphmodel.dataset import read_dataset
>>> dataset = read_dataset("examples/children-trust")   # doctest: +SKIP
>>> len(dataset.professions)                             # doctest: +SKIP
12
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from os import PathLike
from pathlib import Path

from graphmodel.errors import Location
from graphmodel.io.csv_folder import read_csv_folder
from graphmodel.io.formats import GRAPHML_SUFFIXES, MAPPING_SUFFIXES, WORKBOOK_SUFFIXES
from graphmodel.io.grids import GRIDS
from graphmodel.io.raw import DEFAULT_PROBLEM_CAP, ProblemLog, RawTable
from graphmodel.model import OFFERS, TABLES, Dataset, Offer
from graphmodel.validation import parse_offers, parse_tables

__all__ = ["MAPPING_SUFFIXES", "WORKBOOK_SUFFIXES", "read_dataset", "read_offers"]

#: Notices (things ignored on purpose) are logged here, one line each.
logger = logging.getLogger("graphmodel.dataset")


def read_dataset(path: str | PathLike[str], *, max_problems: int = DEFAULT_PROBLEM_CAP) -> Dataset:
    """Read and validate a dataset.

    Parameters
    ----------
    path
        A folder of CSV files, an ``.xlsx``, ``.xlsm``, ``.xls`` or ``.ods``
        workbook, a ``.json``, ``.yaml`` or ``.yml`` file, or a ``.graphml``
        graph.
    max_problems
        How many problems to report in full before only counting the rest.

    Returns
    -------
    Dataset
        The validated dataset; rows keep the order they had in the input.

    Raises
    ------
    DatasetError
        When the dataset cannot be read or breaks any rule; the error lists
        every problem as ``file:row:column: message``.
    """
    source = Path(path)
    if source.suffix.lower() in GRAPHML_SUFFIXES and source.is_file():
        # A graph, not tables: rebuilt into rows by the graph reader, which
        # then applies the same rules.
        from graphmodel.io.graphml import read_graphml

        return read_graphml(source, max_problems=max_problems)
    log = ProblemLog(max_problems)
    tables = _read_tables(source, log)
    dataset = parse_tables(tables, log, _absent_location(source))
    for notice in log.notices:
        logger.warning("%s", notice)
    log.raise_if_any()
    return dataset


def read_offers(
    path: str | PathLike[str],
    nodes: Mapping[str, tuple[str, str]],
    *,
    levels: Mapping[str, Sequence[str]] | None = None,
    framework_of: Mapping[str, str] | None = None,
    max_problems: int = DEFAULT_PROBLEM_CAP,
) -> list[Offer]:
    """Read and check an offers table on its own (``graphmodel plan --offers FILE``).

    Parameters
    ----------
    path
        A CSV file, a workbook (its ``offers`` sheet or its only sheet), a
        JSON/YAML file (its ``offers`` key) or a dataset folder (its ``offers.csv``).
    nodes
        ``id -> (label, name)`` of the graph the offers are for: every
        competency and profession (cells hold their ids or names), and any
        other node whose id the table uses.
    levels, framework_of
        Each framework's levels (lowest first) and each competency's
        framework, to check the levels covers carry (``c-1@Expert``).

    Raises
    ------
    DatasetError
        Every problem, as ``file:row:column: message``.
    """
    from graphmodel.io.offers import read_offers_table

    log = ProblemLog(max_problems)
    offers = parse_offers(read_offers_table(Path(path), log), nodes, log, levels, framework_of)
    log.raise_if_any()
    return offers


def offer_references(path: str | PathLike[str]) -> set[str]:
    """Every id or name an offers table's cells mention (to look up in a graph first);
    empty when the table cannot be read (:func:`read_offers` then says why)."""
    from graphmodel.io.offers import read_offers_table

    log = ProblemLog()
    found: set[str] = set()
    for table in read_offers_table(Path(path), log):
        for raw in table.rows:
            for column in ("id", "covers", "targets"):
                found.update(item.strip() for item in (raw.cells.get(column) or "").split(";"))
    found.discard("")
    return found


def _absent_location(source: Path) -> Callable[[str], Location]:
    """Where a table the dataset lacks would be: its file, its sheet, or its key."""
    if source.is_dir():
        return lambda table: Location(str(source / f"{table}.csv"))
    if source.suffix.lower() in WORKBOOK_SUFFIXES:
        return lambda table: Location(f"{source}[{table}]")
    return lambda table: Location(str(source), table)


def _read_tables(source: Path, log: ProblemLog) -> list[RawTable]:
    # The offers table may live in the dataset (graphmodel plan reads it).
    names = [*TABLES, *GRIDS, OFFERS.name]
    if not source.exists():
        log.add(Location(str(source)), "no such file or folder")
        return []
    if source.is_dir():
        return read_csv_folder(source, names, log)
    suffix = source.suffix.lower()
    # Each reader's libraries are loaded only for its own format.
    if suffix in WORKBOOK_SUFFIXES:
        from graphmodel.io.workbook import read_workbook

        return read_workbook(source, names, log)
    if suffix in MAPPING_SUFFIXES:
        from graphmodel.io.mapping import read_mapping_file

        return read_mapping_file(source, names, log)
    log.add(
        Location(str(source)),
        "not a dataset: expected a folder of CSV files, an .xlsx, .xls or .ods workbook, "
        "a .json/.yaml file or a .graphml graph",
    )
    return []
