"""Printing results as a rich table, JSON, CSV or Markdown."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import click

from graphmodel.wording import number

FORMATS = ("table", "json", "csv", "markdown")

F = TypeVar("F", bound=Callable[..., Any])


def output_format(
    *formats: str, default: str = "table", help: str = "How to print the result."
) -> Callable[[F], F]:
    """The ``--format`` option (the one definition of it), offering ``formats`` (every
    format of :func:`emit` when none are given); the command receives ``output_format``."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(list(formats or FORMATS)),
        default=default,
        show_default=True,
        help=help,
    )


#: ``--format`` with the formats every listing prints in.
format_option = output_format()


@dataclass(frozen=True)
class Listing:
    """Rows of a result with their column titles, printable in any format.

    ``payload`` is what ``--format json`` prints (it may be richer than the rows).
    """

    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    payload: Any = None
    footer: str | None = None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # Six significant digits for scores and shares; a large amount in full, not as 1e+07.
        return number(value) if abs(value) >= 1e6 else f"{value:g}"
    return str(value)


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A GitHub-flavoured Markdown table, pipes in cells escaped, line breaks as ``<br>``."""

    def cell_text(cell: Any) -> str:
        return _text(cell).replace("|", "\\|").replace("\n", "<br>")

    def line(cells: Sequence[Any]) -> str:
        return "| " + " | ".join(cell_text(cell) for cell in cells) + " |"

    return "\n".join([line(columns), "|" + "---|" * len(columns), *(line(row) for row in rows)])


def emit(listings: Sequence[Listing], output_format: str, *, payload: Any = None) -> None:
    """Print one or more listings in ``output_format``.

    For JSON, ``payload`` (or, failing that, each listing's payload) is
    printed as one document. For CSV, listings after the first are separated
    by a blank line.
    """
    if output_format == "json":
        document = (
            payload
            if payload is not None
            else (
                listings[0].payload if len(listings) == 1 else [item.payload for item in listings]
            )
        )
        # Indented for a person at a terminal; on one line otherwise, where the
        # C encoder runs (indenting falls back to pure Python: seconds for
        # national-scale results).
        indent = 2 if sys.stdout.isatty() else None
        click.echo(json.dumps(document, indent=indent, ensure_ascii=False))
        return
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for index, listing in enumerate(listings):
            if index:
                buffer.write("\n")
            writer.writerow(listing.columns)
            writer.writerows([[_text(cell) for cell in row] for row in listing.rows])
        click.echo(buffer.getvalue(), nl=False)
        return
    if output_format == "markdown":
        blocks = [
            f"### {item.title}\n\n{markdown_table(item.columns, item.rows)}"
            + (f"\n\n{item.footer}" if item.footer else "")
            for item in listings
        ]
        click.echo("\n\n".join(blocks))
        return
    # rich only for tables on a terminal: JSON, CSV and Markdown print without it.
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for listing in listings:
        table = Table(title=listing.title, title_justify="left")
        for column in listing.columns:
            # A word too long for a narrow terminal (an id) folds onto the next
            # line rather than being cut short with an ellipsis.
            table.add_column(column, overflow="fold")
        for row in listing.rows:
            table.add_row(*(_text(cell) for cell in row))
        console.print(table)
        if listing.footer:
            console.print(listing.footer)
