"""The duplicates command: initiatives that repeat each other, and overlapping training."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from graphmodel.analysis.duplicates import (
    DEFAULT_THRESHOLD,
    DuplicateQuery,
    DuplicateReport,
    find_duplicates,
)
from graphmodel.analysis.provision import (
    DEFAULT_MIN_OVERLAP,
    OverlapGroup,
    ProvisionQuery,
    overlapping_provision,
)
from graphmodel.backends import GraphBackend
from graphmodel.model import Evaluation, InitiativeStatus
from graphmodel.projections import EventFilter, InitiativeFilter

from .coverage_commands import parse_date
from .options import SOURCE_HELP, source_command
from .output import Listing, emit, format_option

KINDS = ("initiatives", "training", "all")


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
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default="initiatives",
    show_default=True,
    help="Duplicated initiatives, overlapping training provision, or both.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0),
    default=DEFAULT_THRESHOLD,
    show_default=True,
    help="Report initiative pairs scoring at least this.",
)
@click.option(
    "--same-lead/--different-lead",
    "same_lead",
    default=None,
    help="Only pairs with the same lead organisation, or only pairs with different leads "
    "[default: both].",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice([s.value for s in InitiativeStatus]),
    help="Compare only initiatives of this status (repeatable) [default: all].",
)
@click.option(
    "--from",
    "date_from",
    callback=parse_date,
    metavar="DATE",
    help="Only initiatives and events running on or after this date (YYYY-MM-DD).",
)
@click.option(
    "--to",
    "date_to",
    callback=parse_date,
    metavar="DATE",
    help="Only initiatives and events starting on or before this date (YYYY-MM-DD).",
)
@click.option(
    "--min-overlap",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    default=DEFAULT_MIN_OVERLAP,
    show_default=True,
    help="Training: the share of competencies and of professions two events must have in "
    "common (Jaccard index).",
)
@format_option
def duplicates_command(
    backend: GraphBackend,
    kind: str,
    threshold: float,
    same_lead: bool | None,
    statuses: tuple[str, ...],
    date_from: dt.date | None,
    date_to: dt.date | None,
    min_overlap: float,
    output_format: str,
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
    listings: list[Listing] = []
    payload: dict[str, Any] = {}
    if kind in ("initiatives", "all"):
        query = DuplicateQuery(
            threshold=threshold,
            same_lead=same_lead,
            initiatives=InitiativeFilter(
                tuple(InitiativeStatus(s) for s in sorted(set(statuses))) or None,
                date_from,
                date_to,
            ),
        )
        report = find_duplicates(backend, query)
        listings.extend(_pair_listing(report, csv))
        payload.update(report.to_json())
    if kind in ("training", "all"):
        events = EventFilter(date_from, date_to, Evaluation.NONE)
        groups = overlapping_provision(backend, ProvisionQuery(events, min_overlap))
        listings.append(_overlap_listing(groups, csv))
        payload["overlaps"] = [group.to_json() for group in groups]
    emit(listings, output_format, payload=payload)


COMMANDS = [duplicates_command]
