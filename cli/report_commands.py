"""Commands for the board: progress between two exercises (diff)."""

from __future__ import annotations

import contextlib
import gc
from typing import Any

import click

from graphmodel.analysis.coverage import CoverageQuery
from graphmodel.analysis.diff import DiffQuery, compare
from graphmodel.analysis.duplicates import DEFAULT_THRESHOLD, DuplicateQuery
from graphmodel.backends import open_source
from graphmodel.visuals.tables import Table, diff_tables, markdown_tables

from .coverage_commands import ACTIVE_HELP, coverage_options
from .options import SOURCE_HELP, neo4j_options
from .output import Listing, emit

threshold_option = click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0),
    default=DEFAULT_THRESHOLD,
    show_default=True,
    help="Duplicate initiative pairs: those scoring at least this (as for `duplicates`).",
)


def _listings(tables: list[Table]) -> list[Listing]:
    return [Listing(t.title, t.columns, t.rows, footer=t.note or None) for t in tables]


@click.command("diff", epilog=f"{ACTIVE_HELP} OLD and NEW are each a SOURCE. {SOURCE_HELP}")
@click.argument("old")
@click.argument("new")
@neo4j_options
@coverage_options
@threshold_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
    help="How to print the changes.",
)
def diff_command(
    old: str,
    new: str,
    user: str | None,
    password: str | None,
    database: str | None,
    query: CoverageQuery,
    threshold: float,
    output_format: str,
) -> None:
    """What changed from an earlier mapping exercise (OLD) to a later one (NEW).

    Gaps closed and opened (worst first, with why: now covered, no longer
    required, newly required, no longer covered), competencies newly
    covered or uncovered, initiatives added, removed, completed or stopped,
    drivers added, and duplicate pairs that are new or resolved. Both sides
    are analysed with the same options.

    \b
    Example:
      graphmodel diff examples/children-trust-2025 examples/children-trust
      graphmodel diff last-year.xlsx bolt://127.0.0.1:7687 --format markdown
    """
    diff_query = DiffQuery(query, DuplicateQuery(threshold=threshold))
    with contextlib.ExitStack() as stack:
        before, after = (
            stack.enter_context(
                open_source(source, user=user, password=password, database=database)
            )
            for source in (old, new)
        )
        gc.freeze()  # as every command that reads a dataset (see cli/options.py)
        result: dict[str, Any] = {"old": old, "new": new, **compare(before, after, diff_query)}
    tables = diff_tables(result)
    if output_format == "markdown":
        click.echo(f"## Progress from {old} to {new}\n\n" + markdown_tables(tables))
        return
    emit(_listings(tables), output_format, payload=result)


COMMANDS = (diff_command,)
