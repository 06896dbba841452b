"""The exceptions graphmodel raises, all under one root, :class:`GraphModelError`.

The command line turns any of them into a short message and a non-zero exit
code (2 for invalid input, 1 for everything else); library users catch
``GraphModelError`` and read its attributes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class GraphModelError(Exception):
    """Root of every error graphmodel raises on purpose."""

    #: Exit code the command line uses for this error.
    exit_code: int = 1


@dataclass(frozen=True, order=True)
class Location:
    """Where in a dataset a problem is: a file (or sheet), a row, a column.

    ``row`` is a spreadsheet-style row number (the header is row 1) for CSV
    files and workbook sheets, or a JSON path such as ``competencies[3]`` for
    JSON and YAML files. Either of ``row`` and ``column`` may be empty when the
    problem is about a whole file or a whole row.
    """

    source: str
    row: str = ""
    column: str = ""

    def __str__(self) -> str:
        return ":".join(part for part in (self.source, self.row, self.column) if part)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a dataset, with its location."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class DatasetError(GraphModelError):
    """A dataset could not be read or is not valid.

    Parameters
    ----------
    problems
        Every problem found, in reading order. The message of the exception is
        one line per problem, ``file:row:column: message``.
    truncated
        How many further problems were found but not kept (validation stops
        collecting after a cap so a wholly wrong file does not flood the
        terminal).
    """

    exit_code = 2

    def __init__(self, problems: Sequence[Problem], truncated: int = 0) -> None:
        self.problems = list(problems)
        self.truncated = truncated
        lines = [str(problem) for problem in self.problems]
        if truncated:
            lines.append(f"... and {truncated} more problems")
        super().__init__("\n".join(lines))


class BackendError(GraphModelError):
    """A graph backend failed (for Neo4j: unreachable server, bad credentials, a failed load)."""


class TransactionMemoryError(BackendError):
    """The Neo4j server refused a load's transaction for memory (its transaction memory limit).

    The message says which limit and what to do (``--commit-every``).
    """


class SourceError(GraphModelError):
    """A SOURCE argument is neither a readable dataset nor a supported Neo4j URI."""

    exit_code = 2


class NotFoundError(GraphModelError):
    """A node id asked for on the command line does not exist in the graph."""

    exit_code = 2


class FrameworkError(GraphModelError):
    """A framework import or a crosswalk was asked for something its input does not hold
    (an unknown occupation or framework, a review sheet that names unknown competencies)."""

    exit_code = 2


class ExtraMissingError(GraphModelError):
    """An option needs an optional extra (``pip install 'graphmodel[NAME]'``) that is not
    installed."""

    exit_code = 2
