"""Format-neutral tables of text cells, and the problem log readers write to."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from graphmodel.errors import DatasetError, Location, Problem
from graphmodel.suggest import close_table_names

#: Problems kept before validation stops collecting (the rest are only counted).
DEFAULT_PROBLEM_CAP = 50


@dataclass
class RawRow:
    """One data row: where it is, and its cells by column name."""

    row: str
    cells: dict[str, str | None]


@dataclass
class RawTable:
    """One table as read: its source (file or sheet), its header and its rows.

    ``header`` is the list of column names for CSV files and sheets, and
    ``None`` for JSON/YAML, where every row names its own columns.
    ``complete`` is False when the table, or some of its rows, could not be
    read; references into such a table are then not checked.
    """

    name: str
    source: str
    header: list[str] | None
    rows: list[RawRow] = field(default_factory=list)
    complete: bool = True
    #: The header's row number (a sheet may have blank rows above it).
    header_row: str = "1"

    def location(self, row: str = "", column: str = "") -> Location:
        """A location inside this table."""
        return Location(self.source, row, column)


class ProblemLog:
    """Collects problems up to a cap and raises them all at once.

    Example
    -------
    >>> log = ProblemLog()
    >>> log.add(Location("a.csv", "2", "id"), "required value is empty")
    >>> len(log)
    1
    """

    def __init__(self, cap: int = DEFAULT_PROBLEM_CAP) -> None:
        self.cap = cap
        self.problems: list[Problem] = []
        self.dropped = 0
        self._leading = 0  # problems put first (add_first), in the order they were put
        #: Things worth a line to the user that are not problems (a notes sheet ignored).
        self.notices: list[Problem] = []

    def add(self, location: Location, message: str) -> None:
        """Record one problem (counted but not kept beyond the cap)."""
        if len(self.problems) < self.cap:
            self.problems.append(Problem(location, message))
        else:
            self.dropped += 1

    def add_first(self, location: Location, message: str) -> None:
        """Record a problem that explains many others (a table missing): it goes before
        every problem not put first, even past the cap (the last kept is then counted)."""
        self.problems.insert(self._leading, Problem(location, message))
        self._leading += 1
        if len(self.problems) > self.cap:
            self.problems.pop()
            self.dropped += 1

    @property
    def full(self) -> bool:
        """True once further problems are only counted (so costly suggestions can be skipped)."""
        return len(self.problems) >= self.cap

    def notice(self, location: Location, message: str) -> None:
        """Record a notice: something ignored on purpose, reported but not an error."""
        self.notices.append(Problem(location, message))

    def __len__(self) -> int:
        return len(self.problems) + self.dropped

    def raise_if_any(self) -> None:
        """Raise one :class:`DatasetError` holding every problem, if there are any."""
        if self:
            raise DatasetError(self.problems, self.dropped)


class CellError(ValueError):
    """A cell holds something that is not text, a number, a date or a list of ids."""


def cell_text(value: Any) -> str | None:
    """Normalise a cell from any reader to stripped text, or ``None`` when empty.

    Numbers keep their written form (a whole float such as ``120.0`` from a
    workbook becomes ``"120"``), dates become ``YYYY-MM-DD``, a midnight
    datetime becomes its date, and a list of ids becomes ``"a;b"``.

    Example
    -------
    >>> cell_text(120.0), cell_text(" x "), cell_text(["a", "b"]), cell_text("")
    ('120', 'x', 'a;b', None)
    """
    if isinstance(value, str):  # by far the most common case: every CSV cell
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        text = str(int(value)) if math.isfinite(value) and value.is_integer() else str(value)
    elif isinstance(value, dt.datetime):
        is_midnight = value.time() == dt.time(0, 0)
        text = value.date().isoformat() if is_midnight else value.isoformat()
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, list | tuple):
        parts = [cell_text(item) for item in value]
        if any(isinstance(item, list | tuple) for item in value):
            raise CellError("expected a list of ids, got a nested list")
        return ";".join(part for part in parts if part) or None
    else:
        raise CellError(f"expected text, a number, a date or a list of ids, got {value!r}")
    text = text.strip()
    return text or None


def not_a_table(
    log: ProblemLog,
    location: Location,
    name: str,
    table_names: list[str],
    what: str,
    suffix: str = "",
) -> None:
    """A sheet or file that is not a table: an error when its name is close to a
    table's (a misnamed table must not be skipped), otherwise a notice.

    ``what`` is ``"sheet"`` or ``"file"``; ``suffix`` (``".csv"``) is added to
    the suggested names.
    """
    close = close_table_names(name.removesuffix(suffix) if suffix else name, table_names)
    if close:
        names = " or ".join(repr(table + suffix) for table in close)
        container = "folder" if what == "file" else "workbook"
        log.add(location, f"unknown {what} in a dataset {container}; did you mean {names}?")
    else:
        log.notice(location, f"{what} ignored: not a dataset table")
