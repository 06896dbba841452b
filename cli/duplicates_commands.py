"""The duplicates command: initiatives that repeat each other, and overlapping training."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from graphmodel.analysis.requests import DuplicatesRequest

if TYPE_CHECKING:
    from graphmodel.analysis.duplicates import DuplicateReport
    from graphmodel.analysis.provision import OverlapGroup
    from graphmodel.backends.base import GraphBackend

from .options import SOURCE_HELP, request_options, source_command
from .output import Listing, emit, format_option


def _pair_listing(report: DuplicateReport, csv: bool) -> list[Listing]:
    rows: list[tuple[Any, ...]]
    if csv:
        columns = ["a", "b", "score", "structure", "text", "same_lead", "reasons"]
        rows = [
            (p.a, p.b, p.score, p.structure, p.text, p.same_lead, p.summary) for p in report.pairs
        ]
    else:
        columns = ["Initiatives", "Score", "Ground", "Text", "Shared ground", "Shared words"]
        rows = [
            (
                f"{p.a}\n{p.b}",
                f"{p.score:.2f}",
                f"{p.structure:.2f}",
                f"{p.text:.2f}",
                p.shared_ground(per_kind=2),
                ", ".join(p.words[:4]),
            )
            for p in report.pairs
        ]
    summary = report.to_json()["summary"]
    footer = (
        f"{summary['pairs']} pairs at score >= {report.query.threshold:g} among "
        f"{summary['initiatives']} initiatives ({summary['candidates']} candidate pairs scored)"
    )
    pairs = Listing("Duplicated initiatives", columns, rows, footer=footer)
    cluster_rows = [
        (
            number,
            ";".join(c.initiatives) if csv else ", ".join(c.initiatives),
            ";".join(c.leads) if csv else ", ".join(c.leads),
            c.budget,
            c.natural_lead,
        )
        for number, c in enumerate(report.clusters, start=1)
    ]
    cluster_columns = (
        ["cluster", "initiatives", "leads", "budget", "natural_lead"]
        if csv
        else ["#", "Initiatives", "Leads", "Budget", "Natural lead (earliest)"]
    )
    clusters = Listing("Duplicate clusters", cluster_columns, cluster_rows)
    return [pairs, clusters]


def _overlap_listing(groups: list[OverlapGroup], csv: bool) -> Listing:
    def joined(items: tuple[str, ...]) -> str:
        return ";".join(items) if csv else ", ".join(items)

    shared = ["events", "organisations", "shared_competencies", "professions"]
    columns = (
        [*shared, "start_date", "end_date", "places", "cost"]
        if csv
        else [name.replace("_", " ").capitalize() for name in shared] + ["Period", "Places", "Cost"]
    )
    rows = []
    for g in groups:
        period: tuple[Any, ...] = (
            (g.start_date.isoformat(), g.end_date.isoformat())
            if csv
            else (f"{g.start_date} to {g.end_date}",)
        )
        rows.append(
            (
                joined(g.events),
                joined(g.organisations),
                joined(g.shared_competencies),
                joined(g.professions),
                *period,
                g.places,
                g.cost,
            )
        )
    footer = f"{len(groups)} groups of overlapping provision"
    return Listing("Overlapping training provision", columns, rows, footer=footer)


@click.command("duplicates", epilog=SOURCE_HELP)
@source_command
@request_options(DuplicatesRequest)
@format_option
def duplicates_command(
    backend: GraphBackend, request: DuplicatesRequest, output_format: str
) -> None:
    """Initiatives that repeat each other, and training that several partners run at once.

    A pair's score (0-1) is the mean of what the two share in the graph
    (competencies, professions, drivers, organisations; rare items weigh
    more) and how alike their titles and descriptions read. Clusters are
    connected groups of pairs; the earliest initiative is the natural lead.
    Pairs already linked by BUILDS_ON are left out.

    --kind training lists groups of events by different lead organisations
    that cover much the same competencies for much the same professions in
    overlapping periods: chances to commission jointly.

    \b
    Example:
      graphmodel duplicates examples/children-trust
      graphmodel duplicates examples/children-trust --different-lead --format json
      graphmodel duplicates examples/children-trust --kind training
    """
    csv = output_format == "csv"
    result = request.run(backend)
    listings: list[Listing] = []
    if result.report is not None:
        listings.extend(_pair_listing(result.report, csv))
    if result.overlaps is not None:
        listings.append(_overlap_listing(result.overlaps, csv))
    emit(listings, output_format, payload=request.to_json(result))


COMMANDS = [duplicates_command]
