"""The commissioning plan: plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from graphmodel.analysis.plan import apply_plan, read_offers_for
from graphmodel.analysis.requests import PlanRequest
from graphmodel.backends import GraphBackend, MemoryBackend
from graphmodel.io.tabular import write_dataset
from graphmodel.wording import number

from .coverage_commands import ACTIVE_HELP
from .options import SOURCE_HELP, request_options, source_command
from .output import Listing, emit, format_option

OFFERS_HELP = (
    "Offers that could be commissioned: a CSV file, a workbook (its offers sheet, or its only "
    "sheet), a JSON/YAML file (its offers key) or a dataset folder (its offers.csv) "
    "[default: the dataset's own offers table]."
)


def pounds(value: float) -> str:
    """``£1,234.50``: money as a finance officer reads it."""
    return f"£{value:,.2f}"


def _for_whom(action: dict[str, Any]) -> str:
    return ", ".join(action["target_names"])


def _closes(action: dict[str, Any], names: dict[str, str]) -> str:
    """The competencies an action closes; for an action training several professions, each
    followed by the professions it closes for."""
    by_competency: dict[str, list[str]] = {}
    for item in action["closes"]:
        by_competency.setdefault(item["competency"], []).append(item["profession"])
    if len(action["targets"]) == 1:
        return "; ".join(names.get(c, c) for c in by_competency)
    professions = dict(zip(action["targets"], action["target_names"], strict=True))
    return "; ".join(
        f"{names.get(c, c)} ({', '.join(professions[p] for p in found)})"
        for c, found in by_competency.items()
    )


def plan_listings(result: dict[str, Any], output_format: str) -> list[Listing]:
    """The plan as listings: its actions (with a total), then the gaps it closes."""
    names = {g["competency"]: g["competency_name"] for g in result["gaps_closed"]}
    severity_by = {}
    for action in result["actions"]:
        closing = {(c["profession"], c["competency"]) for c in action["closes"]}
        severity_by[id(action)] = sum(
            g["severity"]
            for g in result["gaps_closed"]
            if (g["profession"], g["competency"]) in closing
        )
    if output_format == "csv":  # ids for joining, names for reading, money in pounds and pence
        columns = [
            "action",
            "id",
            "title",
            "for",
            "for_names",
            "headcount",
            "cost_per_place",
            "cost",
            "gaps_closed",
            "severity_closed",
            "closes",
        ]
        rows: list[tuple[Any, ...]] = [
            (
                a["kind"],
                a.get("event") or a.get("offer"),
                a["title"],
                ";".join(a["targets"]),
                _for_whom(a),
                a.get("headcount", ""),
                f"{a['cost_per_place']:.2f}" if a["kind"] == "open" else "",
                f"{a['cost']:.2f}",
                len(a["closes"]),
                severity_by[id(a)],
                _closes(a, names),
            )
            for a in result["actions"]
        ]
        rows.append(
            (
                "total",
                "",
                f"{len(result['actions'])} actions within a budget of {result['budget']:.2f}",
                "",
                "",
                "",
                "",
                f"{result['cost']:.2f}",
                len(result["gaps_closed"]),
                result["severity_closed"],
                "",
            )
        )
        return [Listing("Plan", columns, rows, payload=result)]
    # Most severity closed first: what the money does best leads the table.
    ordered = sorted(result["actions"], key=lambda a: -severity_by[id(a)])
    actions = Listing(
        f"A plan for {pounds(result['budget'])}",
        ["Action", "Event or offer", "For", "Cost", "Closes"],
        [
            (
                "open" if a["kind"] == "open" else "commission",
                a["title"],
                _for_whom(a),
                pounds(a["cost"]),
                _closes(a, names) or "-",
            )
            for a in ordered
        ],
        payload=result,
        footer=plan_footer(result),
    )
    levelled = any(g.get("required_level") for g in result["gaps_closed"])
    gaps = Listing(
        "Gaps the plan closes",
        [
            "Profession",
            "Competency",
            *(["Level (was / needed)"] if levelled else []),
            "Priority",
            "Headcount",
            "Severity",
            "By",
        ],
        [
            (
                g["profession_name"],
                g["competency_name"],
                *([_levels(g)] if levelled else []),
                g["priority"],
                g["headcount"],
                g["severity"],
                ", ".join(g["by"]),
            )
            for g in result["gaps_closed"]
        ],
    )
    return [actions, gaps]


def _levels(gap: dict[str, Any]) -> str:
    """A closed gap's level before the plan and the level needed (``-``: none)."""
    return f"{gap['covered_level'] or '-'} / {gap['required_level'] or '-'}"


def plan_footer(result: dict[str, Any]) -> str:
    """The totals, the greedy plan beside the optimal one, and what the solver proved."""
    summary, greedy = result["summary"], result["greedy"]
    share = result["severity_closed"] / summary["severity"] if summary["severity"] else 0.0
    lines = [
        f"Cost {pounds(result['cost'])} of {pounds(result['budget'])}: closes "
        f"{number(summary['gaps_closed'])} of {number(summary['gaps'])} gaps, severity "
        f"{number(result['severity_closed'])} of {number(summary['severity'])} ({share:.0%}).",
        f"Greedy plan (most severity per pound first): {number(greedy['gaps_closed'])} gaps, "
        f"severity {number(greedy['severity_closed'])} for {pounds(greedy['cost'])}.",
    ]
    if result["optimal"]:
        lines.append("Optimal: no plan within the budget closes more severity (proven).")
    else:
        stopped = result["solver"]["stopped"]
        lines.append(
            f"Not proven optimal: the time limit stopped the solver ({stopped} stage); no plan "
            f"closes more than severity {number(result['bound'])}."
        )
    return "\n".join(lines)


@click.command(epilog=f"{ACTIVE_HELP} {SOURCE_HELP}")
@source_command
@request_options(PlanRequest)
@click.option("--offers", type=click.Path(path_type=Path), metavar="FILE", help=OFFERS_HELP)
@click.option(
    "--apply",
    "apply_to",
    type=click.Path(dir_okay=True, path_type=Path),
    metavar="OUT",
    help="Also write the dataset with the plan's actions done (events opened, offers "
    "commissioned) to OUT, in the format its suffix names (none: a CSV folder).",
)
@format_option
def plan_command(
    backend: GraphBackend,
    request: PlanRequest,
    offers: Path | None,
    apply_to: Path | None,
    output_format: str,
) -> None:
    """What to open or commission, within a budget, to close the worst gaps.

    Actions: open an active event to a profession it does not target, at
    (cost / places) x the profession's headcount; commission an offer at its
    cost. The plan closes the most gap severity the budget allows (exact:
    a mixed-integer program), then costs the least; the greedy plan (most
    severity per pound first) is shown beside it.

    \b
    Example:
      graphmodel plan examples/children-trust --budget 60000
      graphmodel plan examples/children-trust --budget 60000 --offers offers.csv --format csv
      graphmodel plan examples/children-trust --budget 60000 --apply planned.xlsx
    """
    given = read_offers_for(backend, offers) if offers is not None else None
    result = request.run_with_offers(backend, given) if given is not None else request.run(backend)
    if apply_to is not None:
        dataset = backend.dataset if isinstance(backend, MemoryBackend) else backend.to_dataset()
        applied = apply_plan(dataset, result, request.query(), given)
        kind = write_dataset(applied, apply_to)
        click.echo(f"wrote {apply_to} ({kind}): the dataset with the plan's actions done", err=True)
    emit(plan_listings(result, output_format), output_format, payload=result)


plan_command.name = "plan"

COMMANDS = (plan_command,)
