"""Coverage commands: gaps, uncovered, coverage, explain."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from graphmodel.analysis.requests import (
    CoverageFilters,
    CoverageRequest,
    ExplainRequest,
    GapsRequest,
    UncoveredRequest,
)

if TYPE_CHECKING:
    from graphmodel.backends.base import GraphBackend

from .options import SOURCE_HELP, request_options, source_command
from .output import FORMATS, Listing, emit, format_option, output_format

ACTIVE_HELP = (
    "Active events: not cancelled, overlapping --from/--to (events without dates always "
    "count), evaluated at least at --min-evaluation."
)


#: The coverage filters as one ``query`` argument (``report``, ``view`` and ``diff`` take them too).
coverage_options = request_options(CoverageFilters, into="query", convert=CoverageFilters.query)


@click.command(epilog=f"{ACTIVE_HELP} {SOURCE_HELP}")
@source_command
@request_options(GapsRequest)
@format_option
def gaps_command(backend: GraphBackend, request: GapsRequest, output_format: str) -> None:
    """Requirements not covered by the active training that targets the profession.

    Severity = priority weight (essential 1, desirable 0.5) x the profession's
    headcount (1 without workforce rows); the worst gaps come first. Where
    frameworks state levels, a requirement needs its level: a gap covered
    below it shows the level reached (Needed, Reached).

    \b
    Example:
      graphmodel gaps examples/children-trust --limit 10
      graphmodel gaps examples/children-trust --from 2026-01-01 --min-evaluation learning
    """
    result = request.run(backend)
    summary = result["summary"]
    levelled = "below_level" in summary  # some framework states levels
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
        if levelled:
            columns += ["required_level", "covered_level"]
        rows = [tuple(g[column] for column in columns) for g in result["gaps"]]
    else:
        columns = ["Profession", "Competency", "Priority", "Headcount", "Severity"]
        if levelled:
            columns += ["Level (reached / needed)"]
        rows = [
            (
                g["profession_name"],
                g["competency_name"],
                g["priority"],
                g["headcount"],
                g["severity"],
                *((_levels_text(g),) if levelled else ()),
            )
            for g in result["gaps"]
        ]
    footer = (
        f"{summary['requirements']} requirements: {summary['covered']} covered, "
        f"{summary['gaps']} gaps"
        + (f", {summary['below_level']} below level" if levelled else "")
        + (f" (showing {len(rows)})" if len(rows) < summary["gaps"] else "")
    )
    emit([Listing("Gaps", columns, rows, payload=result, footer=footer)], output_format)


@click.command(epilog=f"{ACTIVE_HELP} {SOURCE_HELP}")
@source_command
@request_options(UncoveredRequest)
@format_option
def uncovered_command(backend: GraphBackend, request: UncoveredRequest, output_format: str) -> None:
    """Competencies that no active event covers, with the professions that require them.

    --profession keeps competencies one of those professions requires;
    --priority counts only requirements of that priority in required_by.

    \b
    Example:
      graphmodel uncovered examples/children-trust
      graphmodel uncovered examples/children-trust --framework fw-nccc --format json
    """
    result = request.run(backend)
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
@request_options(CoverageRequest)
@output_format(
    *FORMATS, "html", help="How to print the matrix; html writes a heat map to --output."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File for --format html.",
)
def coverage_command(
    backend: GraphBackend, request: CoverageRequest, output_format: str, output: Path | None
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
    result = request.run(backend)
    if output_format == "html":
        assert output is not None
        from graphmodel.visuals.heatmap import write_heatmap

        write_heatmap(result, output)
        click.echo(f"wrote {output}")
        return
    cells = {(c["profession"], c["area"]): c for c in result["cells"]}
    areas = result["areas"]
    levelled = "levels" in result  # some framework states levels
    if output_format == "csv":
        columns = ["profession", "area", "required", "covered", "share"]
        columns += ["below_level"] if levelled else []
        rows: list[tuple[Any, ...]] = [
            tuple(c[column] for column in columns) for c in result["cells"]
        ]
    else:
        # Areas are numbered so that the matrix fits an 80-column terminal; the
        # footer gives each number's area.
        columns = ["Profession", *(f"A{i}" for i, _ in enumerate(areas, start=1))]
        rows = [
            (p["name"], *(_share_text(cells[(p["id"], a["id"])]) for a in areas))
            for p in result["professions"]
        ]
    key = "; ".join(f"A{i} {a['name']} ({a['id']})" for i, a in enumerate(areas, start=1))
    explained = (
        "Share of required items covered at the level needed, (n below): covered below it"
        if levelled
        else "Share of required items covered"
    )
    footer = (
        f"{explained}; - where the profession requires nothing.\n" + key
        if output_format != "csv"
        else None
    )
    emit([Listing("Coverage by area", columns, rows, payload=result, footer=footer)], output_format)


def _levels_text(gap: dict[str, Any]) -> str:
    """A gap's levels for the terminal: ``Foundation / Intermediate``, ``none / Expert``,
    or ``-`` for a gap that asks no level (nothing covers it)."""
    if gap["required_level"] is None:
        return "-"
    return f"{gap['covered_level'] or 'none'} / {gap['required_level']}"


def _share_text(cell: dict[str, Any]) -> str:
    """A matrix cell for the terminal: ``50%``, ``0% (1 below)``, or ``-`` without requirements."""
    if cell["share"] is None:
        return "-"
    below = cell.get("below_level")
    return f"{cell['share']:.0%}" + (f" ({below} below)" if below else "")


@click.command(epilog=f"{ACTIVE_HELP} {SOURCE_HELP}")
@source_command
@request_options(ExplainRequest)
@format_option
def explain_command(backend: GraphBackend, request: ExplainRequest, output_format: str) -> None:
    """Is a competency covered for a profession, and why (or what comes close)?

    Give exactly one --profession.

    \b
    Example:
      graphmodel explain examples/children-trust --profession p-social-worker \\
        --competency ccs-safe-neglect
    """
    result = request.run(backend)
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
