"""The board report as one offline HTML file or as Markdown (jinja2 templates).

The content comes from :func:`graphmodel.analysis.report.build_report`; this module
turns it into titled tables (:class:`~graphmodel.visuals.tables.Table`) and
renders them with ``templates/report.html.j2`` or ``templates/report.md.j2``.
The HTML holds no script and loads nothing: its styles are inline, the heat
map is a coloured table, and the interactive network view (when given, built
by :func:`embedded_view` with ``graphmodel.visuals.views``) is a complete page
of its own placed in an ``<iframe srcdoc>``, so the rest of the report reads
and prints without it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import jinja2
from markupsafe import Markup

from graphmodel.analysis.coverage import CoverageQuery
from graphmodel.analysis.duplicates import DuplicateQuery
from graphmodel.backends.base import GraphBackend
from graphmodel.marks import MARKS, Mark
from graphmodel.visuals.heatmap import HEATMAP_CSS, heatmap_fragment
from graphmodel.visuals.render import view_html
from graphmodel.visuals.tables import (
    Table,
    diff_tables,
    markdown_cell,
    markdown_table,
    percent,
)
from graphmodel.visuals.views import ViewRequest, ViewTooLargeError, build_view
from graphmodel.wording import number

#: How many near misses a top gap lists (the rest are counted).
NEAR_MISSES_SHOWN = 3

#: How many names a cell lists (a driver's responding initiatives, a provision
#: group's events ...) before counting the rest.
NAMES_SHOWN = 8

#: How each kind of suggested action is labelled.
ACTION_LABELS = {
    "gap": "Close a gap",
    "duplicates": "Duplication",
    "provision": "Commission jointly",
    "driver": "Unanswered driver",
    "broker": "Key partner",
    "uncovered": "No training",
}

_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("graphmodel.visuals", "templates"),
    autoescape=jinja2.select_autoescape(["html.j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)
_ENVIRONMENT.filters.update(
    number=number,
    percent=percent,
    markdown_table=markdown_table,
    markdown_cell=markdown_cell,
)
_ENVIRONMENT.globals["action_labels"] = ACTION_LABELS


def _named(names: dict[str, str], ids: list[str] | tuple[str, ...], limit: int = 0) -> str:
    shown = [names.get(i, i) for i in (ids[:limit] if limit else ids)]
    more = f" and {len(ids) - limit} more" if limit and len(ids) > limit else ""
    return ", ".join(shown) + more if shown else "-"


def _cut(shown: int, total: int, which: str, command: str) -> str:
    """A note for a listing cut short, or ``""`` when it is whole."""
    if shown >= total:
        return ""
    return f"The {number(shown)} {which} of {number(total)}; `graphmodel {command}` lists all. "


def money(pounds: float) -> str:
    """``£1,234.50``: pounds and pence, as a finance officer reads them."""
    return f"£{pounds:,.2f}"


def _with_id(names: dict[str, str], id_: str | None) -> str:
    if not id_:
        return "-"
    name = names.get(id_, id_)
    return f"{name} ({id_})" if name != id_ else id_


#: The marks the report's glossary explains (the words the explorer's table and legends use).
REPORT_MARKS = (
    "gap",
    "covered",
    "near-miss",
    "uncovered",
    "duplicate",
    "responding",
    "candidate",
    "broker",
)


class ReportView:
    """The report's content laid out as tables, shared by the HTML and Markdown templates."""

    def __init__(self, report: dict[str, Any]) -> None:
        self.report = report
        self.names: dict[str, str] = report["names"]

    # -- summary -------------------------------------------------------------------

    def marks(self) -> list[Mark]:
        """The marks the report's findings speak of, as the explorer and the views draw them
        (their one definition, :mod:`graphmodel.marks`)."""
        return [MARKS[word] for word in REPORT_MARKS]

    def key_figures(self) -> list[tuple[str, str, str]]:
        """(figure, label, detail) for the summary's headline boxes."""
        coverage = self.report["coverage"]
        summary = coverage["summary"]
        duplicates = self.report["duplicates"]
        provision = self.report["provision"]
        drivers = self.report["drivers"]
        return [
            (
                percent(coverage["share"]),
                "of requirements covered",
                f"{number(summary['covered'])} of {number(summary['requirements'])} "
                "requirements met by active training for the profession",
            ),
            (
                number(summary["gaps"]),
                "gaps",
                f"total severity {number(coverage['severity'])} (priority weight x headcount)"
                + (
                    f"; {number(summary['below_level'])} covered below the level needed"
                    if "below_level" in summary
                    else ""
                ),
            ),
            (
                number(coverage["uncovered_total"]),
                "competencies uncovered",
                f"of {number(coverage['competencies'])}: no active training covers them at all",
            ),
            (
                number(duplicates["summary"]["clusters"]),
                "duplicate clusters",
                f"{number(duplicates['initiatives'])} initiatives in "
                f"{number(duplicates['summary']['pairs'])} pairs; combined budget "
                f"{number(duplicates['budget'])}",
            ),
            (
                number(provision["total"]),
                "joint-commissioning chances",
                f"overlapping training: {number(provision['places'])} places, "
                f"cost {number(provision['cost'])}",
            ),
            (
                number(drivers["total"]),
                "policy drivers",
                f"{number(drivers['unanswered'])} with no responding initiative",
            ),
        ]

    def counts(self) -> Table:
        nodes = self.report["counts"]["nodes"]
        return Table(
            "What the exercise holds",
            ("Type", "Count"),
            tuple((label, number(count)) for label, count in nodes.items()),
            numeric=frozenset({1}),
        )

    def by_priority(self) -> Table:
        rows = tuple(
            (row["priority"], number(row["gaps"]), number(row["severity"]))
            for row in self.report["coverage"]["by_priority"]
        )
        coverage = self.report["coverage"]
        rows += (("all", number(coverage["summary"]["gaps"]), number(coverage["severity"])),)
        return Table(
            "Gaps by priority", ("Priority", "Gaps", "Severity"), rows, numeric=frozenset({1, 2})
        )

    def by_profession(self) -> Table:
        return Table(
            "Gaps by profession",
            ("Profession", "Headcount", "Requirements", "Covered", "Share", "Gaps", "Severity"),
            tuple(
                (
                    p["name"],
                    number(p["headcount"]),
                    number(p["requirements"]),
                    number(p["covered"]),
                    percent(p["share"]),
                    number(p["gaps"]),
                    number(p["severity"]),
                )
                for p in self.report["coverage"]["by_profession"]
            ),
            note=_cut(
                len(self.report["coverage"]["by_profession"]),
                self.report["coverage"]["professions"],
                "professions with the most gap severity",
                "gaps",
            )
            + "Worst first. Severity of a gap = priority weight (essential 1, desirable 0.5) "
            "x the profession's headcount (1 when no workforce is recorded).",
            numeric=frozenset({1, 2, 3, 4, 5, 6}),
        )

    # -- coverage --------------------------------------------------------------------

    def heatmap(self) -> Markup:
        """The coloured professions-by-areas table (HTML)."""
        # heatmap_fragment escapes every name it places in the table.
        return Markup(heatmap_fragment(self.report["matrix"]))

    def heatmap_note(self) -> str:
        """Which part of the matrix the heat map shows, when it is not all of it."""
        matrix, size = self.report["matrix"], self.report["matrix_size"]
        shown_professions, shown_areas = len(matrix["professions"]), len(matrix["areas"])
        if shown_professions >= size["professions"] and shown_areas >= size["areas"]:
            return ""
        return (
            f"Showing the {number(shown_professions)} professions with the most gap severity "
            f"(of {number(size['professions'])}) and the {number(shown_areas)} areas with the "
            f"most gaps (of {number(size['areas'])}); `graphmodel coverage` gives the whole "
            "matrix."
        )

    def heatmap_table(self) -> Table:
        """The heat map as percentages, for Markdown (areas numbered; see the note)."""
        matrix = self.report["matrix"]
        cells = {(c["profession"], c["area"]): c for c in matrix["cells"]}
        areas = matrix["areas"]
        rows = tuple(
            (
                p["name"],
                *(
                    "-"
                    if cells[(p["id"], a["id"])]["share"] is None
                    else percent(cells[(p["id"], a["id"])]["share"])
                    for a in areas
                ),
            )
            for p in matrix["professions"]
        )
        key = "; ".join(f"A{i}: {a['name']}" for i, a in enumerate(areas, start=1))
        return Table(
            "Coverage by area",
            ("Profession", *(f"A{i}" for i in range(1, len(areas) + 1))),
            rows,
            note="Share of the required items of each area that the profession's active "
            f"training covers; - where it requires nothing there. {key}. " + self.heatmap_note(),
            numeric=frozenset(range(1, len(areas) + 1)),
        )

    @property
    def levelled(self) -> bool:
        """Whether the exercise's frameworks state levels (the report then shows them)."""
        return "below_level" in self.report["coverage"]["summary"]

    def below_level(self) -> Table:
        """The gaps covered below the level needed, worst first (levelled exercises)."""
        coverage = self.report["coverage"]
        rows = tuple(
            (
                gap["profession_name"],
                _with_id(self.names, gap["competency"]),
                gap["required_level"],
                gap["covered_level"],
                number(gap["headcount"]),
                number(gap["severity"]),
            )
            for gap in coverage.get("below_level", [])
        )
        return Table(
            "Gaps below the level needed",
            ("Profession", "Competency", "Needed", "Reached", "Headcount", "Severity"),
            rows,
            note=_cut(len(rows), coverage.get("below_level_total", 0), "worst", "gaps --format csv")
            + "Active training for the profession covers the competency, but below the "
            "proficiency level the requirement asks for (unstated: at no stated level).",
            numeric=frozenset({4, 5}),
        )

    def top_gaps(self) -> Table:
        rows = []
        for gap in self.report["top_gaps"]:
            explanation = gap["explanation"]
            misses = [f"{m['title']} ({m['event']}) {m['why']}" for m in explanation["near_misses"]]
            if not misses:
                detail = "Nothing comes close."
            else:
                more = len(misses) - NEAR_MISSES_SHOWN
                detail = "Near misses: " + "; ".join(misses[:NEAR_MISSES_SHOWN])
                detail += f"; and {more} more" if more > 0 else ""
            levels = (
                (gap["required_level"] or "any", gap["covered_level"] or "-")
                if self.levelled
                else ()
            )
            rows.append(
                (
                    gap["profession_name"],
                    _with_id(self.names, gap["competency"]),
                    gap["priority"],
                    number(gap["headcount"]),
                    number(gap["severity"]),
                    *levels,
                    detail,
                )
            )
        shown, total = len(rows), self.report["coverage"]["summary"]["gaps"]
        columns: tuple[str, ...] = ("Profession", "Competency", "Priority", "Headcount", "Severity")
        columns += ("Needed", "Reached") if self.levelled else ()
        return Table(
            "Top gaps",
            (*columns, "Why it is a gap"),
            tuple(rows),
            note=f"The {shown} worst of {number(total)} gaps. A near miss is an active event "
            "that covers the competency for other professions"
            + (" (at the level needed)" if self.levelled else "")
            + ", or covers a sibling competency "
            "for this profession: often the cheapest way to close the gap.",
            numeric=frozenset({3, 4}),
        )

    def uncovered(self) -> Table:
        rows = tuple(
            (
                _with_id(self.names, u["competency"]),
                _named(self.names, u["required_by"], NAMES_SHOWN),
            )
            for u in self.report["coverage"]["uncovered"]
        )
        coverage = self.report["coverage"]
        return Table(
            "Competencies no active training covers",
            ("Competency", "Required by"),
            rows,
            note=_cut(len(rows), coverage["uncovered_total"], "most required", "uncovered")
            + "Most required first.",
        )

    # -- duplicates and provision ----------------------------------------------------

    def clusters(self) -> list[dict[str, Any]]:
        """Each duplicate cluster with its member table and its pairs' reasons."""
        laid_out = []
        for number_, cluster in enumerate(self.report["duplicates"]["clusters"], start=1):
            members = Table(
                f"Cluster {number_}",
                ("Initiative", "Lead", "Status", "Period", "Budget"),
                tuple(
                    (
                        _with_id(self.names, m["initiative"])
                        + (" - earliest" if m["initiative"] == cluster["natural_lead"] else ""),
                        self.names.get(m["lead"], m["lead"]) if m["lead"] else "-",
                        m["status"],
                        f"{m['start_date'] or '?'} to {m['end_date'] or 'open'}"
                        if m["start_date"]
                        else "-",
                        number(m["budget"]),
                    )
                    for m in cluster["members"]
                ),
                note=f"Combined budget {number(cluster['budget'])}.",
                numeric=frozenset({4}),
            )
            pairs = [
                {
                    "between": " / ".join(self.names.get(i, i) for i in (p["a"], p["b"])),
                    "score": f"{p['score']:.2f}",
                    "ground": f"{p['reasons']['structure']:.2f}",
                    "text": f"{p['reasons']['text']:.2f}",
                    "summary": p["reasons"]["summary"],
                }
                for p in cluster["pairs"]
            ]
            laid_out.append({"members": members, "pairs": pairs, "budget": cluster["budget"]})
        return laid_out

    def clusters_note(self) -> str:
        duplicates = self.report["duplicates"]
        return _cut(
            len(duplicates["clusters"]),
            duplicates["summary"]["clusters"],
            "largest clusters",
            "duplicates",
        )

    def provision(self) -> Table:
        return Table(
            "Overlapping training provision",
            ("Events", "Run by", "Shared competencies", "For", "Period", "Places", "Cost"),
            tuple(
                (
                    _named(self.names, g["events"], NAMES_SHOWN),
                    _named(self.names, g["organisations"], NAMES_SHOWN),
                    _named(self.names, g["shared_competencies"], NAMES_SHOWN),
                    _named(self.names, g["professions"], NAMES_SHOWN),
                    f"{g['start_date']} to {g['end_date']}",
                    number(g["places"]),
                    number(g["cost"]),
                )
                for g in self.report["provision"]["groups"]
            ),
            note=_cut(
                len(self.report["provision"]["groups"]),
                self.report["provision"]["total"],
                "costliest groups",
                "duplicates --kind training",
            )
            + "Events by different organisations covering largely the same competencies for "
            "largely the same professions at the same time: a chance to commission jointly.",
            numeric=frozenset({5, 6}),
        )

    # -- drivers ----------------------------------------------------------------------

    def drivers(self) -> Table:
        return Table(
            "Reach of each policy driver",
            ("Driver", "Responding initiatives", "Competencies", "Professions", "Organisations"),
            tuple(
                (
                    _with_id(self.names, d["driver"]),
                    _named(self.names, d["responding"], NAMES_SHOWN) if d["responding"] else "none",
                    number(len(d["competencies"])),
                    number(len(d["professions"])),
                    number(len(d["organisations"])),
                )
                for d in self.report["drivers"]["reach"]
            ),
            note=_cut(
                len(self.report["drivers"]["reach"]),
                self.report["drivers"]["total"],
                "drivers",
                "links --driver",
            )
            + "Drivers nothing responds to first. Responding: initiatives with a RESPONDS_TO "
            "link; the counts are what they address, target, and are led or partnered by.",
            numeric=frozenset({2, 3, 4}),
        )

    def candidates(self) -> Table:
        # The driver is named on its first candidate's row only, so each
        # driver's candidates read as a group.
        rows = tuple(
            (
                self.names.get(d["driver"], d["driver"]) if rank == 0 else "",
                _with_id(self.names, c["initiative"]),
                f"{c['score']:.2f}",
                c["reason"],
            )
            for d in self.report["drivers"]["reach"]
            for rank, c in enumerate(d["candidates"])
        )
        return Table(
            "Initiatives that could respond",
            ("Driver", "Candidate initiative", "Score", "Why"),
            rows,
            note="Initiatives that do not respond to the driver yet but share its ground "
            "(rare shared items weigh more) or its wording.",
            numeric=frozenset({2}),
        )

    def brokers(self) -> Table:
        result = self.report["brokers"]
        network = result["network"]
        rows = tuple(
            (
                _with_id(self.names, b["id"]),
                b["label"].lower(),
                f"{b['betweenness']:.3f}",
                number(b["degree"]),
                number(b["connects"]),
                f"only link between {len(b['bridges'])} groups" if b["bridges"] else "-",
            )
            for b in result["brokers"]
        )
        estimate = (
            f" Betweenness estimated from {network['sampled_sources']} sampled sources."
            if network["sampled_sources"]
            else ""
        )
        return Table(
            "Who holds the partnership network together",
            ("Organisation or initiative", "Kind", "Betweenness", "Degree", "Connects", "Bridges"),
            rows,
            note=f"The network of {number(network['organisations'])} organisations and "
            f"{number(network['initiatives'])} initiatives (an organisation is linked to each "
            "initiative it leads or is a partner in). Betweenness: the share of shortest routes "
            "between others that pass through it. Degree: the initiatives an organisation is in, "
            "or the organisations an initiative has. Connects: how many others of its kind it "
            f"is one step from.{estimate}",
            numeric=frozenset({2, 3, 4}),
        )

    # -- the plan ----------------------------------------------------------------------

    def plan_figures(self) -> list[tuple[str, str, str]]:
        """(figure, label, detail) for the plan's headline boxes."""
        plan = self.report["plan"]
        summary, greedy = plan["summary"], plan["greedy"]
        share = plan["severity_closed"] / summary["severity"] if summary["severity"] else None
        bought = plan["severity_closed"] - greedy["severity_closed"]
        saved = greedy["cost"] - plan["cost"]
        if bought > 0:
            versus = (number(bought), "more severity than the greedy plan")
        elif saved > 0:
            versus = (money(saved), "less than the greedy plan, for the same severity")
        else:
            versus = ("=", "the greedy plan does as well")
        return [
            (
                money(plan["cost"]),
                f"of {money(plan['budget'])} spent",
                f"in {number(plan['actions_total'])} actions: events opened to more "
                "professions, offers commissioned",
            ),
            (
                number(summary["gaps_closed"]),
                "gaps closed",
                f"of {number(summary['gaps'])}; severity {number(plan['severity_closed'])} of "
                f"{number(summary['severity'])} ({percent(share)})",
            ),
            (
                *versus,
                f"the greedy plan (best severity per pound first) closes "
                f"{number(greedy['severity_closed'])} ({number(greedy['gaps_closed'])} gaps) "
                f"for {money(greedy['cost'])}",
            ),
        ]

    def plan_note(self) -> str:
        """What the plan is and whether it is proven best."""
        plan = self.report["plan"]
        text = (
            "Actions: open an active event to a profession it does not target, at (cost / "
            "places) x the profession's headcount; commission an offer at its cost. "
        )
        if plan["optimal"]:
            text += (
                "The plan is proven optimal: no set of actions within the budget closes more "
                "gap severity, and none closing as much costs less."
            )
        else:
            text += (
                f"The solver's time limit stopped it ({plan['stopped']} stage): the plan is "
                f"not proven optimal; no plan closes more than severity {number(plan['bound'])}."
            )
        return text

    def plan_table(self) -> Table:
        plan = self.report["plan"]
        rows = tuple(
            (
                a["kind"],
                _with_id(self.names, a.get("event")) if a["kind"] == "open" else a["title"],
                ", ".join(a["target_names"]),
                money(a["cost"]),
                number(len(a["closes"])),
                number(a["severity_closed"]),
            )
            for a in plan["actions"]
        )
        return Table(
            "A plan for the budget",
            ("Action", "Event or offer", "For", "Cost", "Gaps closed", "Severity"),
            rows,
            note=_cut(len(rows), plan["actions_total"], "actions closing the most", "plan")
            + "Most severity first.",
            numeric=frozenset({3, 4, 5}),
        )

    # -- progress ----------------------------------------------------------------------

    def progress(self) -> list[Table]:
        since = self.report["since"]
        if since is None:
            return []
        return diff_tables({**since, "names": self.names})


#: The largest network view the report embeds; a larger one is left out with a note
#: (a standalone `graphmodel view` page may be larger).
EMBEDDED_VIEW_LIMIT = 1_500


@dataclass(frozen=True)
class EmbeddedView:
    """The interactive view for the report: its page, or why it is left out."""

    mode: str
    page: str | None
    note: str
    nodes: int = 0
    relationships: int = 0


def embedded_view(
    backend: GraphBackend,
    mode: Literal["all", "gaps", "duplicates"],
    coverage: CoverageQuery | None = None,
    duplicates: DuplicateQuery | None = None,
) -> EmbeddedView:
    """Build the network view the report embeds (``mode`` as for ``graphmodel view``).

    Competencies are rolled up to their areas above :data:`EMBEDDED_VIEW_LIMIT`
    nodes; a view still larger is left out, and the note says how to draw
    part of it instead.
    """
    request = ViewRequest(
        mode=mode,
        coverage=coverage if mode == "gaps" else None,
        duplicates=duplicates if mode == "duplicates" else None,
        max_nodes=EMBEDDED_VIEW_LIMIT,
    )
    try:
        view, graph = build_view(backend, request)
    except ViewTooLargeError as error:
        return EmbeddedView(
            mode, None, f"The interactive network is left out of this report: {error}."
        )
    return EmbeddedView(
        mode,
        view_html(view, graph, name="network"),
        " ".join(view.notes),
        len(view.nodes),
        len(view.edges),
    )


def render_html(report: dict[str, Any], view: EmbeddedView | None = None) -> str:
    """The report as one HTML page that loads nothing and needs no script.

    ``view``'s page, a complete self-contained page (the interactive network
    view), is placed in an ``<iframe srcdoc>``; a view left out leaves its
    note; without ``view`` the section is not there.
    """
    template = _ENVIRONMENT.get_template("report.html.j2")
    return template.render(
        report=report,
        view=ReportView(report),
        heatmap_css=scoped_css(HEATMAP_CSS, ".heatmap"),
        network=view,
    )


def scoped_css(css: str, scope: str) -> str:
    r"""Rules of one-line CSS with every selector placed under ``scope``.

    Example
    -------
    >>> scoped_css("th, td { padding: 0; }\n", ".heatmap")
    '.heatmap th, .heatmap td { padding: 0; }'
    """
    rules = []
    for line in css.strip().splitlines():
        selectors, _, body = line.partition("{")
        scoped = ", ".join(f"{scope} {s.strip()}" for s in selectors.split(","))
        rules.append(f"{scoped} {{{body}")
    return "\n".join(rules)


def render_markdown(report: dict[str, Any]) -> str:
    """The report as Markdown, for pasting into a board paper."""
    template = _ENVIRONMENT.get_template("report.md.j2")
    return template.render(report=report, view=ReportView(report))
