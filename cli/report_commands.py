"""Commands for the board: the report, and progress between two exercises (diff)."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from graphmodel.analysis.requests import DiffRequest, ReportRequest
from graphmodel.errors import GraphModelError

from .coverage_commands import ACTIVE_HELP
from .options import SOURCE_HELP, neo4j_options, request_options
from .output import Listing, emit, output_format

if TYPE_CHECKING:
    from graphmodel.backends.base import GraphBackend
    from graphmodel.visuals.tables import Table


def _listings(tables: list[Table]) -> list[Listing]:
    return [Listing(t.title, t.columns, t.rows, footer=t.note or None) for t in tables]


@click.command("diff", epilog=f"{ACTIVE_HELP} OLD and NEW are each a SOURCE. {SOURCE_HELP}")
@neo4j_options
@request_options(DiffRequest)
@output_format("table", "json", "markdown", help="How to print the changes.")
def diff_command(
    user: str | None,
    password: str | None,
    database: str | None,
    ca_cert: str | None,
    request: DiffRequest,
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
    from graphmodel.analysis.diff import compare
    from graphmodel.visuals.tables import diff_tables, markdown_tables

    old, new = request.old, request.new
    with contextlib.ExitStack() as stack:
        before, after = _open_two(stack, old, new, user, password, database, ca_cert)
        assert after is not None
        result: dict[str, Any] = {
            "old": old,
            "new": new,
            **compare(before, after, request.diff_query()),
        }
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
    from graphmodel.backends import open_source

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
@request_options(ReportRequest)
@output_format(
    "html",
    "markdown",
    "json",
    default="html",
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
    request: ReportRequest,
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
    from graphmodel.analysis.report import build_report
    from graphmodel.visuals.report import embedded_view, render_html, render_markdown

    if output_format == "html" and output is None:
        raise click.UsageError("--format html needs -o/--output FILE.html")
    options = request.options()
    since = request.since
    with contextlib.ExitStack() as stack:
        backend, earlier = _open_two(stack, source, since, user, password, database, ca_cert)
        if request.offers is not None:
            from graphmodel.analysis.plan import read_offers_for

            offers = tuple(read_offers_for(backend, request.offers))
            options = dataclasses.replace(options, offers=offers)
        content = build_report(
            backend, options, source=source, since=earlier, since_source=since or ""
        )
        network = None
        if output_format == "html" and request.view != "none":
            network = embedded_view(
                backend,
                request.view,
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
