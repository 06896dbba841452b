"""The board report's content: every analysis of one exercise gathered in one document.

:func:`build_report` runs the analyses on a backend and returns plain data
(the document ``graphmodel report --format json`` prints); the HTML and
Markdown renderings in ``graphmodel.visuals.report`` only lay it out, so
every number in the report is a number an analysis command gives for the
same options.

Suggested actions are derived mechanically from the findings (the worst
gaps, the duplicate clusters, the overlapping provision, drivers nothing
responds to, the partner holding the network together, competencies no
training covers); docs/report.md states each rule.

Example
-------
>>> from graphmodel.backends import MemoryBackend
>>> from graphmodel.dataset import read_dataset
>>> report = build_report(MemoryBackend(read_dataset("examples/children-trust")))
>>> report["coverage"]["summary"]["requirements"], len(report["top_gaps"])
(134, 10)
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from graphmodel.analysis import defaults
from graphmodel.analysis.brokers import brokers
from graphmodel.analysis.coverage import (
    CoverageAnswer,
    CoverageQuery,
    MatrixCounts,
    explain,
    uncovered,
)
from graphmodel.analysis.diff import DiffQuery, compare
from graphmodel.analysis.duplicates import DuplicatePair, DuplicateQuery, find_duplicates
from graphmodel.analysis.links import LinkIndex
from graphmodel.analysis.plan import PlanQuery, plan
from graphmodel.analysis.provision import ProvisionQuery, overlapping_provision
from graphmodel.backends.base import GraphBackend
from graphmodel.backends.remembering import RememberingBackend
from graphmodel.model import Offer, Priority
from graphmodel.projections import InitiativeFilter, InitiativeNode

#: Shares and sums are rounded to this many places.
DIGITS = 4

#: A driver nothing responds to names its best candidate when that candidate
#: shares ground with it or reads at least this much like it (text similarity).
CLOSE_WORDING = 0.2


@dataclass(frozen=True)
class ReportOptions:
    """What the report covers and how much of each listing it shows.

    Every listing is cut to its most telling rows (worst, largest or most
    required first) so that a national exercise still gives a readable
    report; the report says how many rows each listing has in all.

    Parameters
    ----------
    coverage
        The active events and the requirements considered (as for ``gaps``).
    duplicates
        The duplicate threshold and lead filter (as for ``duplicates``).
    top_gaps
        How many of the worst gaps are listed with their explanation.
    candidates
        How many candidate initiatives are listed for each driver.
    brokers
        How many brokers (organisations and initiatives) are listed.
    rows
        At most this many rows in every other listing (professions,
        uncovered competencies, clusters, provision, drivers, each kind of
        change since the earlier exercise).
    heatmap_professions, heatmap_areas
        The heat map's size: the professions with the most gap severity and
        the areas with the most gaps.
    actions
        At most this many suggested actions of each kind.
    title
        The report's title.
    budget
        Money for a commissioning plan: the report then holds "A plan for the
        budget" (as ``graphmodel plan``), with ``offers`` (``None``: the
        source's own offers table) and the solver's ``time_limit``.
    """

    coverage: CoverageQuery = field(default_factory=CoverageQuery)
    duplicates: DuplicateQuery = field(default_factory=DuplicateQuery)
    top_gaps: int = defaults.REPORT_TOP_GAPS
    candidates: int = defaults.REPORT_CANDIDATES
    brokers: int = 10
    rows: int = defaults.REPORT_ROWS
    heatmap_professions: int = 30
    heatmap_areas: int = 20
    actions: int = 3
    title: str = defaults.REPORT_TITLE
    budget: float | None = None
    offers: tuple[Offer, ...] | None = None
    time_limit: float | None = None


#: The lists of a diff; ``changes`` holds each one's full length under the same key.
DIFF_LISTS = (
    "gaps_closed",
    "gaps_opened",
    "competencies_newly_covered",
    "competencies_newly_uncovered",
    "initiatives_added",
    "initiatives_removed",
    "initiative_status_changes",
    "drivers_added",
    "drivers_removed",
    "duplicates_new",
    "duplicates_resolved",
)

#: The lists a diff has only where either exercise's frameworks state levels.
LEVEL_DIFF_LISTS = ("gaps_level_changed",)


def build_report(
    backend: GraphBackend,
    options: ReportOptions | None = None,
    *,
    source: str = "",
    since: GraphBackend | None = None,
    since_source: str = "",
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Run every analysis the board report shows and gather the results.

    Parameters
    ----------
    backend
        The exercise reported on.
    options
        Filters and lengths (see :class:`ReportOptions`).
    source, since_source
        How the exercise and the earlier one are named in the report.
    since
        An earlier exercise: the report then holds the diff from it.
    today
        The date printed on the report (default: today).

    Returns
    -------
    dict
        Keys ``title``, ``version``, ``options``, ``source``,
        ``since_source``, ``date``, ``counts``, ``coverage``, ``matrix``
        (the heat map's part of ``coverage --format json``) and
        ``matrix_size``, ``top_gaps``, ``duplicates``, ``provision``,
        ``drivers``, ``brokers``, ``since`` (the diff, ``None`` without an
        earlier exercise), ``plan`` (the commissioning plan for
        ``options.budget``, ``None`` without one), ``actions`` and ``names``
        (the name of every id the report mentions). docs/report.md describes each.
    """
    options = options or ReportOptions()
    rows = options.rows
    # Every analysis below asks the same few projection questions again.
    backend = RememberingBackend(backend)
    counts = backend.counts()
    # Gaps and the matrix answer one coverage question: its closures are made once.
    coverage = CoverageAnswer(backend, options.coverage)
    gap_result = coverage.gaps()
    matrix = coverage.matrix_counts()
    uncovered_result = uncovered(backend, options.coverage)
    names = {node.id: node.name for node in backend.named_nodes()}

    top_gaps = []
    for gap in gap_result["gaps"][: options.top_gaps]:
        why = explain(backend, options.coverage, gap["profession"], gap["competency"])
        top_gaps.append(
            {**gap, "explanation": {"summary": why["summary"], "near_misses": why["near_misses"]}}
        )

    by_profession = _by_profession(backend, matrix, gap_result["gaps"])
    most_required = sorted(
        uncovered_result["uncovered"], key=lambda u: (-len(u["required_by"]), u["competency"])
    )

    duplicates = find_duplicates(backend, options.duplicates)
    initiatives = {node.id: node for node in backend.initiatives(InitiativeFilter())}
    clusters = [
        _cluster(cluster.to_json(), initiatives, duplicates.pairs)
        for cluster in duplicates.clusters
    ]
    duplicate_json = duplicates.to_json()

    groups = [
        group.to_json()
        for group in overlapping_provision(backend, ProvisionQuery(events=options.coverage.events))
    ]

    links = LinkIndex(backend)
    responding = links.touching["drivers"]
    # Drivers nothing responds to first: they are the ones that need a decision.
    # Only the listed drivers' reach is worked out.
    drivers = sorted(links.drivers, key=lambda driver: (bool(responding.get(driver)), driver))
    reaches = [links.reach(driver, options.candidates).to_json() for driver in drivers[:rows]]
    for reach in reaches:
        del reach["names"]  # the report's own names cover them

    broker_json = brokers(backend, limit=options.brokers).to_json()

    since_diff = None
    if since is not None:
        earlier = RememberingBackend(since)
        since_diff = compare(earlier, backend, DiffQuery(options.coverage, options.duplicates))
        names = {**since_diff.pop("names"), **names}
        for key in (*DIFF_LISTS, *LEVEL_DIFF_LISTS):
            if key in since_diff:
                since_diff[key] = since_diff[key][:rows]

    query = options.coverage
    summary = gap_result["summary"]
    report: dict[str, Any] = {
        "title": options.title,
        "version": _version(),
        "options": {
            "date_from": _iso(query.events.date_from),
            "date_to": _iso(query.events.date_to),
            "min_evaluation": query.events.min_evaluation.value,
            "professions": list(query.professions),
            "frameworks": list(query.frameworks),
            "priority": query.priority.value if query.priority else None,
            "threshold": options.duplicates.threshold,
            "same_lead": options.duplicates.same_lead,
            "top_gaps": options.top_gaps,
            "rows": rows,
        },
        "source": source,
        "since_source": since_source if since is not None else None,
        "date": (today or dt.date.today()).isoformat(),
        "counts": {"nodes": counts.nodes, "relationships": counts.relationships},
        "coverage": {
            "summary": summary,
            **(_below_level(gap_result["gaps"], rows) if "below_level" in summary else {}),
            "share": _share(summary["covered"], summary["requirements"]),
            "severity": round(float(sum(g["severity"] for g in gap_result["gaps"])), DIGITS),
            "by_priority": _by_priority(gap_result["gaps"]),
            "by_profession": by_profession[:rows],
            "professions": len(by_profession),
            "uncovered": most_required[:rows],
            "uncovered_total": len(most_required),
            "competencies": uncovered_result["summary"]["competencies"],
        },
        "matrix": _heatmap_part(
            matrix, by_profession, options.heatmap_professions, options.heatmap_areas
        ),
        "matrix_size": {"professions": len(matrix.professions), "areas": len(matrix.areas)},
        "top_gaps": top_gaps,
        "duplicates": {
            "clusters": clusters[:rows],
            "summary": duplicate_json["summary"],
            "budget": round(sum(cluster["budget"] for cluster in clusters), 2),
            "initiatives": sum(len(cluster["initiatives"]) for cluster in clusters),
        },
        "provision": {
            "groups": groups[:rows],
            "total": len(groups),
            "places": sum(group["places"] for group in groups),
            "cost": round(sum(group["cost"] for group in groups), 2),
        },
        "drivers": {
            "reach": reaches,
            "total": len(drivers),
            "unanswered": sum(1 for driver in drivers if not responding.get(driver)),
        },
        "brokers": broker_json,
        "since": since_diff,
    }
    report["plan"] = None
    if options.budget is not None:
        question = PlanQuery(options.coverage, options.budget, options.time_limit)
        report["plan"] = _plan_part(plan(backend, question, options.offers), rows)
    report["actions"] = suggested_actions(report, names, options.actions)
    mentioned = set(_strings(report))
    report["names"] = {id_: names[id_] for id_ in sorted(mentioned) if id_ in names}
    return report


def _plan_part(document: dict[str, Any], rows: int) -> dict[str, Any]:
    """The plan as the report holds it: its figures, and the actions that close the most
    severity (``rows`` of them; ``actions_total`` counts all)."""
    severity = {(g["profession"], g["competency"]): g["severity"] for g in document["gaps_closed"]}
    actions = []
    for action in document["actions"]:
        closes = [(c["profession"], c["competency"]) for c in action["closes"]]
        actions.append({**action, "severity_closed": sum(severity[key] for key in closes)})
    actions.sort(key=lambda a: (-a["severity_closed"], a.get("event") or a["offer"]))
    greedy = document["greedy"]
    return {
        "budget": document["budget"],
        "cost": document["cost"],
        "severity_closed": document["severity_closed"],
        "optimal": document["optimal"],
        "bound": document["bound"],
        "summary": document["summary"],
        "greedy": {key: greedy[key] for key in ("cost", "severity_closed", "gaps_closed")},
        "actions": actions[:rows],
        "actions_total": len(actions),
        "stopped": document["solver"]["stopped"],
    }


def _below_level(gaps: list[dict[str, Any]], rows: int) -> dict[str, Any]:
    """The gaps covered below the level needed (worst first, cut to ``rows``), and how many."""
    below = [gap for gap in gaps if gap["covered_level"] is not None]
    return {"below_level": below[:rows], "below_level_total": len(below)}


def _cluster(
    cluster: dict[str, Any], initiatives: dict[str, InitiativeNode], pairs: list[DuplicatePair]
) -> dict[str, Any]:
    """A duplicate cluster with its members' details and the pairs inside it."""
    members = set(cluster["initiatives"])
    return {
        **cluster,
        "members": [
            {
                "initiative": i,
                "title": initiatives[i].title,
                "lead": initiatives[i].lead,
                "status": initiatives[i].status,
                "start_date": _iso(initiatives[i].start_date),
                "end_date": _iso(initiatives[i].end_date),
                "budget": initiatives[i].budget,
            }
            for i in cluster["initiatives"]
        ],
        "pairs": [pair.to_json() for pair in pairs if pair.a in members and pair.b in members],
    }


def _heatmap_part(
    matrix: MatrixCounts,
    by_profession: list[dict[str, Any]],
    professions: int,
    areas: int,
) -> dict[str, Any]:
    """The matrix cut to the professions with the most gap severity and the areas with
    the most gaps, each kept in the matrix's own order."""
    kept_professions = {p["profession"] for p in by_profession[:professions]}
    gaps_in_area: dict[str, int] = defaultdict(int)
    for (_, area), (required, covered) in matrix.cells.items():
        gaps_in_area[area] += required - covered
    order = {area["id"]: index for index, area in enumerate(matrix.areas)}
    ranked = sorted(order, key=lambda a: (-gaps_in_area[a], order[a]))
    return matrix.to_json(kept_professions, set(ranked[:areas]))


def _version() -> str:
    try:
        return version("graphmodel")
    except PackageNotFoundError:  # a source tree that is not installed
        return "unknown"


def _amount(value: float) -> str:
    """``849`` or ``424.5``: thousands separated, no decimals for a whole number."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _share(covered: int, required: int) -> float | None:
    return round(covered / required, DIGITS) if required else None


def _by_priority(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "priority": priority.value,
            "gaps": sum(1 for g in rows if g["priority"] == priority.value),
            "severity": round(
                float(sum(g["severity"] for g in rows if g["priority"] == priority.value)), DIGITS
            ),
        }
        for priority in Priority
    ]


def _by_profession(
    backend: GraphBackend, matrix: MatrixCounts, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Each profession's requirements, covered share and gap severity, worst first."""
    required: dict[str, int] = defaultdict(int)
    covered: dict[str, int] = defaultdict(int)
    for (profession, _), (requirements, covering) in matrix.cells.items():
        required[profession] += requirements
        covered[profession] += covering
    severity: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    for gap in rows:
        severity[gap["profession"]] += gap["severity"]
        count[gap["profession"]] += 1
    headcount = {p.id: p.headcount for p in backend.professions()}
    professions = [
        {
            "profession": p["id"],
            "name": p["name"],
            "headcount": headcount.get(p["id"]),
            "requirements": required[p["id"]],
            "covered": covered[p["id"]],
            "share": _share(covered[p["id"]], required[p["id"]]),
            "gaps": count[p["id"]],
            "severity": round(severity[p["id"]], DIGITS),
        }
        for p in matrix.professions
        if required[p["id"]]
    ]
    return sorted(professions, key=lambda p: (-p["severity"], p["profession"]))


def suggested_actions(
    report: dict[str, Any], names: dict[str, str], per_kind: int
) -> list[dict[str, Any]]:
    """Actions a board could take, each with the finding behind it (docs/report.md).

    Up to ``per_kind`` of each kind, in this order: close the worst gaps
    (pointing at an event that already covers the competency for other
    professions when there is one), merge duplicate clusters, commission
    overlapping provision jointly, link drivers that nothing responds to,
    involve the organisation that holds the partnership network together
    (one action), and cover competencies no training covers that some
    profession requires.
    """

    def name(id_: str | None) -> str:
        return names.get(id_ or "", id_ or "")

    actions: list[dict[str, Any]] = []
    for gap in report["top_gaps"][:per_kind]:
        misses = [
            m
            for m in gap["explanation"]["near_misses"]
            if m["kind"] == "same competency, other professions"
        ]
        level = ""
        if gap.get("covered_level") is not None:  # below the level needed
            reached = gap["covered_level"]
            reached = "no stated level" if reached == "unstated" else reached
            level = f"; covered only at {reached}, {gap['required_level']} needed"
        text = (
            f"{gap['competency_name']} for {gap['profession_name']} "
            f"({gap['headcount']:,} staff, {gap['priority']}, "
            f"severity {_amount(gap['severity'])}{level})"
        )
        if misses:
            text += f": {misses[0]['title']} ({misses[0]['event']}) already covers it for other "
            text += f"professions and could be opened to {gap['profession_name']}"
        actions.append({"kind": "gap", "text": text, "ids": [gap["profession"], gap["competency"]]})
    for cluster in report["duplicates"]["clusters"][:per_kind]:
        members = cluster["initiatives"]
        lead = cluster["natural_lead"]
        others = [m for m in members if m != lead]
        text = (
            f"Align or merge {' and '.join(f'{name(m)} ({m})' for m in others)} with "
            f"{name(lead)} ({lead}), which started first: they repeat each other "
            f"(combined budget {cluster['budget']:,.0f})"
        )
        actions.append({"kind": "duplicates", "text": text, "ids": list(members)})
    for group in report["provision"]["groups"][:per_kind]:
        text = (
            f"{' and '.join(f'{name(e)} ({e})' for e in group['events'])}, run by "
            f"{', '.join(name(o) for o in group['organisations'])}, cover the same "
            f"competencies for the same professions between {group['start_date']} and "
            f"{group['end_date']} ({group['places']:,} places, cost {group['cost']:,.0f})"
        )
        actions.append({"kind": "provision", "text": text, "ids": list(group["events"])})
    unanswered = [d for d in report["drivers"]["reach"] if not d["responding"]]
    for reach in unanswered[:per_kind]:
        text = f"No initiative responds to {reach['name']} ({reach['driver']})"
        close = [
            c
            for c in reach["candidates"]
            if c["graph_score"] > 0 or c["text_similarity"] >= CLOSE_WORDING
        ]
        if close:
            best = close[0]
            text += f"; the closest is {best['title']} ({best['initiative']}): {best['reason']}"
        else:
            text += "; no initiative shares its ground or much of its wording, so a response "
            text += "needs planning"
        actions.append({"kind": "driver", "text": text, "ids": [reach["driver"]]})
    partners = [b for b in report["brokers"]["brokers"] if b["label"] == "Organisation"]
    for broker in partners[: min(per_kind, 1)]:
        text = (
            f"Involve {broker['name']} ({broker['id']}) in joint work: it is in "
            f"{broker['degree']} initiatives and lies on {broker['betweenness']:.0%} of the "
            "shortest routes between other partners"
        )
        if broker["bridges"]:
            text += f", the only link between {len(broker['bridges'])} groups of initiatives"
        actions.append({"kind": "broker", "text": text, "ids": [broker["id"]]})
    required = [u for u in report["coverage"]["uncovered"] if u["required_by"]]
    for row in required[:per_kind]:  # most required first
        many = len(row["required_by"])
        text = f"No active training covers {row['name']} ({row['competency']}), which " + (
            f"{many} professions require" if many > 1 else f"{name(row['required_by'][0])} requires"
        )
        actions.append({"kind": "uncovered", "text": text, "ids": [row["competency"]]})
    return actions


def _strings(value: Any) -> Iterator[str]:
    """Every string inside a JSON-like value (keys included)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
