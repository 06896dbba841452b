"""Commands for the board: the report, and progress between two exercises (diff)."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import json
from pathlib import Path
from typing import Any

import click

from graphmodel.analysis.coverage import CoverageQuery
from graphmodel.analysis.diff import DiffQuery, compare
from graphmodel.analysis.duplicates import DEFAULT_THRESHOLD, DuplicateQuery
from graphmodel.analysis.plan import read_offers_for
from graphmodel.analysis.report import ReportOptions, build_report
from graphmodel.backends import GraphBackend, open_source
from graphmodel.errors import GraphModelError
from graphmodel.visuals.report import embedded_view, render_html, render_markdown
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
    ca_cert: str | None,
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
        before, after = _open_two(stack, old, new, user, password, database, ca_cert)
        assert after is not None
        result: dict[str, Any] = {"old": old, "new": new, **compare(before, after, diff_query)}
    tables = diff_tables(result)
    if output_format == "markdown":
        click.echo(f"## Progress from {old} to {new}\n\n" + markdown_tables(tables))
        return
    emit(_listings(tables), output_format, payload=result)


def _open_two(
    stack: contextlib.ExitStack,
    first: str,
    second: str | None,
    user: str | None,
    password: str | None,
    database: str | None,
    ca_cert: str | None,
) -> tuple[GraphBackend, GraphBackend | None]:
    """Open two SOURCEs (the second optional) with the same Neo4j options."""
    opened = [
        stack.enter_context(
            open_source(source, user=user, password=password, database=database, ca_cert=ca_cert)
        )
        for source in (first, second)
        if source is not None
    ]
    gc.freeze()  # as every command that reads a dataset (see cli/options.py)
    return opened[0], opened[1] if second is not None else None


@click.command("report", epilog=f"{ACTIVE_HELP} {SOURCE_HELP}")
@click.argument("source")
@neo4j_options
@coverage_options
@threshold_option
@click.option(
    "--since",
    metavar="OLD",
    help="An earlier exercise (a SOURCE): adds a section on progress since it (as `diff`).",
)
@click.option(
    "--top",
    type=click.IntRange(0),
    default=ReportOptions.top_gaps,
    show_default=True,
    help="How many of the worst gaps to explain.",
)
@click.option(
    "--rows",
    type=click.IntRange(1),
    default=ReportOptions.rows,
    show_default=True,
    help="At most this many rows in each other listing (each says how many there are).",
)
@click.option(
    "--candidates",
    type=click.IntRange(0),
    default=ReportOptions.candidates,
    show_default=True,
    help="How many candidate initiatives to list for each driver.",
)
@click.option(
    "--view",
    "view_mode",
    type=click.Choice(["all", "gaps", "duplicates", "none"]),
    default="all",
    show_default=True,
    help="The interactive network view embedded at the end of the HTML report (as "
    "`graphmodel view --mode`); none leaves it out.",
)
@click.option(
    "--budget",
    type=click.FloatRange(0.0),
    default=None,
    metavar="AMOUNT",
    help='Money for training, in pounds: adds "A plan for the budget" (as `graphmodel plan`).',
)
@click.option(
    "--offers",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="With --budget: offers that could be commissioned (as `graphmodel plan --offers`).",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(0.0, min_open=True),
    default=None,
    metavar="SECONDS",
    help="With --budget: stop the plan's solver after this long (as `graphmodel plan`).",
)
@click.option("--title", default=ReportOptions.title, help="The report's title.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["html", "markdown", "json"]),
    default="html",
    show_default=True,
    help="html: one offline, printable page (needs -o); markdown: for pasting into papers; "
    "json: every figure the report holds.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the report (markdown and json print to the terminal without it).",
)
def report_command(
    source: str,
    user: str | None,
    password: str | None,
    database: str | None,
    ca_cert: str | None,
    query: CoverageQuery,
    threshold: float,
    since: str | None,
    top: int,
    rows: int,
    candidates: int,
    view_mode: str,
    budget: float | None,
    offers: Path | None,
    time_limit: float | None,
    title: str,
    output_format: str,
    output: Path | None,
) -> None:
    """A board-ready report on one mapping exercise, as one offline HTML file.

    Summary figures (coverage share, gaps by severity), suggested actions,
    the coverage heat map, the worst gaps with why, competencies no training
    covers, duplicated initiatives with their reasons and budgets,
    overlapping training provision, each driver's reach and candidates, with
    --budget a commissioning plan for that money, and with --since the
    progress since an earlier exercise; the HTML ends with
    the interactive network view (--view). The HTML loads nothing from the
    network, needs no script to read and prints cleanly.

    \b
    Example:
      graphmodel report examples/children-trust -o report.html
      graphmodel report examples/children-trust --since examples/children-trust-2025 -o report.html
      graphmodel report examples/children-trust --budget 60000 -o report.html
      graphmodel report bolt://127.0.0.1:7687 --format markdown > report.md
    """
    if output_format == "html" and output is None:
        raise click.UsageError("--format html needs -o/--output FILE.html")
    if budget is None and (offers is not None or time_limit is not None):
        raise click.UsageError("--offers and --time-limit go with --budget")
    options = ReportOptions(
        coverage=query,
        duplicates=DuplicateQuery(threshold=threshold),
        top_gaps=top,
        rows=rows,
        candidates=candidates,
        title=title,
        budget=budget,
        time_limit=time_limit,
    )
    with contextlib.ExitStack() as stack:
        backend, earlier = _open_two(stack, source, since, user, password, database, ca_cert)
        if offers is not None:
            options = dataclasses.replace(options, offers=tuple(read_offers_for(backend, offers)))
        content = build_report(
            backend, options, source=source, since=earlier, since_source=since or ""
        )
        network = None
        if output_format == "html" and view_mode != "none":
            network = embedded_view(
                backend,
                view_mode,  # type: ignore[arg-type]
                options.coverage,
                options.duplicates,
            )
    if output_format == "json":
        text = json.dumps(content, indent=2, ensure_ascii=False) + "\n"
    elif output_format == "markdown":
        text = render_markdown(content)
    else:
        text = render_html(content, network)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise GraphModelError(f"cannot write {output}: {error.strerror or error}") from None
    click.echo(f"wrote {output} ({output_format}, {len(text.encode()) / 1024:,.0f} KB)")


COMMANDS = (diff_command, report_command)
