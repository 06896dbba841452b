"""Coverage commands: gaps, uncovered, coverage, explain."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from graphmodel.analysis.coverage import (
    CoverageQuery,
    coverage_matrix,
    explain,
    gaps,
    uncovered,
)
from graphmodel.backends import GraphBackend
from graphmodel.model import Evaluation, Priority
from graphmodel.projections import EventFilter
from graphmodel.visuals.heatmap import write_heatmap

from .options import SOURCE_HELP, source_command
from .output import FORMATS, Listing, emit, format_option

ACTIVE_HELP = (
    "Active events: not cancelled, overlapping --from/--to (events without dates always "
    "count), evaluated at least at --min-evaluation."
)


def parse_date(_: click.Context, __: click.Parameter, value: str | None) -> dt.date | None:
    """Click callback: an ISO date option as a ``date`` (``None`` when not given)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date YYYY-MM-DD, got {value!r}") from None


def coverage_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The filters every coverage command takes, gathered into one ``query`` argument."""

    @functools.wraps(command)
    def wrapper(
        date_from: dt.date | None,
        date_to: dt.date | None,
        min_evaluation: str,
        profession: tuple[str, ...],
        framework: tuple[str, ...],
        priority: str | None,
        **kwargs: Any,
    ) -> Any:
        query = CoverageQuery(
            EventFilter(date_from, date_to, Evaluation(min_evaluation)),
            professions=profession,
            frameworks=framework,
            priority=Priority(priority) if priority else None,
        )
        return command(query=query, **kwargs)

    options = [
        click.option(
            "--from",
            "date_from",
            callback=parse_date,
            metavar="DATE",
            help="Count events running on or after this date (YYYY-MM-DD).",
        ),
        click.option(
            "--to",
            "date_to",
            callback=parse_date,
            metavar="DATE",
            help="Count events starting on or before this date (YYYY-MM-DD).",
        ),
        click.option(
            "--min-evaluation",
            type=click.Choice([e.value for e in Evaluation]),
            default=Evaluation.NONE.value,
            show_default=True,
            help="Count only events evaluated at least at this Kirkpatrick level.",
        ),
        click.option(
            "--profession", multiple=True, metavar="ID", help="Only these professions (repeatable)."
        ),
        click.option(
            "--framework",
            multiple=True,
            metavar="ID",
            help="Only competencies of these frameworks (repeatable).",
        ),
        click.option(
            "--priority",
            type=click.Choice([p.value for p in Priority]),
            help="Only requirements of this priority.",
        ),
    ]
    wrapped: Callable[..., Any] = wrapper
    for option in reversed(options):
        wrapped = option(wrapped)
    return wrapped


limit_option = click.option(
    "--limit", type=click.IntRange(0), default=None, help="List at most this many rows."
)


@click.command(epilog=f"{ACTIVE_HELP} {SOURCE_HELP}")
@source_command
@coverage_options
@limit_option
@format_option
def gaps_command(
    backend: GraphBackend, query: CoverageQuery, limit: int | None, output_format: str
) -> None:
    """Requirements not covered by the active training that targets the profession.

    Severity = priority weight (essential 1, desirable 0.5) x the profession's
    headcount (1 without workforce rows); the worst gaps come first.

    \b
    Example:
      graphmodel gaps examples/children-trust --limit 10
      graphmodel gaps examples/children-trust --from 2026-01-01 --min-evaluation learning
    """
    result = gaps(backend, query, limit)
    summary = result["summary"]
    if output_format == "csv":  # ids first, for joining; names for reading
        columns = [
            "profession",
            "competency",
            "priority",
            "headcount",
            "severity",
            "profession_name",
            "competency_name",
        ]
        rows = [tuple(g[column] for column in columns) for g in result["gaps"]]
    else:
        columns = ["Profession", "Competency", "Priority", "Headcount", "Severity"]
        rows = [
            (
                g["profession_name"],
                g["competency_name"],
                g["priority"],
                g["headcount"],
                g["severity"],
            )
            for g in result["gaps"]
        ]
    footer = (
        f"{summary['requirements']} requirements: {summary['covered']} covered, "
        f"{summary['gaps']} gaps"
        + (f" (showing {len(rows)})" if len(rows) < summary["gaps"] else "")
    )
    emit([Listing("Gaps", columns, rows, payload=result, footer=footer)], output_format)


@click.command(epilog=f"{ACTIVE_HELP} {SOURCE_HELP}")
@source_command
@coverage_options
@limit_option
@format_option
def uncovered_command(
    backend: GraphBackend, query: CoverageQuery, limit: int | None, output_format: str
) -> None:
    """Competencies that no active event covers, with the professions that require them.

    --profession keeps competencies one of those professions requires;
    --priority counts only requirements of that priority in required_by.

    \b
    Example:
      graphmodel uncovered examples/children-trust
      graphmodel uncovered examples/children-trust --framework fw-nccc --format json
    """
    result = uncovered(backend, query, limit)
    rows = [
        (
            u["competency"],
            u["name"],
            ";".join(u["required_by"])
            if output_format == "csv"
            else ", ".join(u["required_by"]) or "-",
        )
        for u in result["uncovered"]
    ]
    columns = (
        ["competency", "name", "required_by"]
        if output_format == "csv"
        else ["Competency", "Name", "Required by"]
    )
    summary = result["summary"]
    footer = f"{summary['uncovered']} of {summary['competencies']} competencies uncovered"
    emit(
        [Listing("Uncovered competencies", columns, rows, payload=result, footer=footer)],
        output_format,
    )


@click.command(epilog=f"{ACTIVE_HELP} {SOURCE_HELP}")
@source_command
@coverage_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice([*FORMATS, "html"]),
    default="table",
    show_default=True,
    help="How to print the matrix; html writes a heat map to --output.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File for --format html.",
)
def coverage_command(
    backend: GraphBackend, query: CoverageQuery, output_format: str, output: Path | None
) -> None:
    """Professions by competency areas: the share of required items covered.

    An area is a top-level competency of a framework; each cell counts the
    profession's requirements under that area and how many its active
    training covers.

    \b
    Example:
      graphmodel coverage examples/children-trust
      graphmodel coverage examples/children-trust --format html -o coverage.html
    """
    if output_format == "html" and output is None:
        raise click.UsageError("--format html needs -o/--output FILE.html")
    result = coverage_matrix(backend, query)
    if output_format == "html":
        assert output is not None
        write_heatmap(result, output)
        click.echo(f"wrote {output}")
        return
    cells = {(c["profession"], c["area"]): c for c in result["cells"]}
    areas = result["areas"]
    if output_format == "csv":
        columns = ["profession", "area", "required", "covered", "share"]
        rows: list[tuple[Any, ...]] = [
            (c["profession"], c["area"], c["required"], c["covered"], c["share"])
            for c in result["cells"]
        ]
    else:
        # Areas are numbered so that the matrix fits an 80-column terminal; the
        # footer gives each number's area.
        columns = ["Profession", *(f"A{i}" for i, _ in enumerate(areas, start=1))]
        rows = [
            (
                p["name"],
                *(
                    "-"
                    if cells[(p["id"], a["id"])]["share"] is None
                    else f"{cells[(p['id'], a['id'])]['share']:.0%}"
                    for a in areas
                ),
            )
            for p in result["professions"]
        ]
    key = "; ".join(f"A{i} {a['name']} ({a['id']})" for i, a in enumerate(areas, start=1))
    footer = (
        "Share of required items covered; - where the profession requires nothing.\n" + key
        if output_format != "csv"
        else None
    )
    emit([Listing("Coverage by area", columns, rows, payload=result, footer=footer)], output_format)


@click.command(epilog=f"{ACTIVE_HELP} {SOURCE_HELP}")
@source_command
@coverage_options
@click.option("--competency", required=True, metavar="ID", help="The competency to explain.")
@format_option
def explain_command(
    backend: GraphBackend, query: CoverageQuery, competency: str, output_format: str
) -> None:
    """Is a competency covered for a profession, and why (or what comes close)?

    Give exactly one --profession.

    \b
    Example:
      graphmodel explain examples/children-trust --profession p-social-worker \\
        --competency ccs-safe-neglect
    """
    if len(query.professions) != 1:
        raise click.UsageError("explain needs exactly one --profession")
    result = explain(backend, query, query.professions[0], competency)
    if output_format == "table":
        click.echo(result["summary"])  # for a covered competency, the whole chain
        for miss in result["near_misses"]:
            click.echo(f"  near miss: {miss['event']} ({miss['title']}): {miss['why']}")
        return
    rows = [(s["rule"], s["competency"], s["text"]) for s in result["steps"]] + [
        ("near miss", m["event"], m["why"]) for m in result["near_misses"]
    ]
    emit(
        [Listing(result["summary"], ["kind", "id", "detail"], rows, payload=result)], output_format
    )


gaps_command.name = "gaps"
uncovered_command.name = "uncovered"
coverage_command.name = "coverage"
explain_command.name = "explain"

COMMANDS = (gaps_command, uncovered_command, coverage_command, explain_command)
