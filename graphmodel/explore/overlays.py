"""Overlays and answer views: an analysis' answer as a picture of its own, and as a list.

An overlay runs one analysis with the same request the command line and the
API use (:mod:`graphmodel.analysis.requests`), and turns its JSON into what
the page draws:

- ``nodes``: the nodes the answer is about and the context that explains it,
  each with its *marks*, the words of the "Nodes shown" table's highlight
  column (defined once, with their colours, in :mod:`graphmodel.marks`);
- ``relationships`` among them (plus links the analysis adds: a duplicate
  pair's similarity, a candidate's suggested response);
- ``view``: the *answer view*, what the page draws instead of the whole
  network: the nodes to draw in ordered *blocks* (a framework area and its
  competencies, a layer of a driver's reach, one duplicate cluster), and how
  to lay them out (``radial`` round a profession, ``layers`` from a driver,
  ``islands``, ``groups``);
- ``answer``: the ranked list beside the picture, the rows of the analysis'
  JSON in names (gaps with severity and near misses with who runs them,
  duplicate pairs with score, reasons, leads and budgets, candidates with
  their scores, brokers with their betweenness), each row naming its node;
- ``legend`` (each mark used, its meaning, fill and outline) and
  ``analysis``, the analysis' own JSON.

==============  ===============================================================
overlay         marks
==============  ===============================================================
``gaps``        ``profession``; ``gap`` and ``covered`` (its requirements; the
                marked set is the gaps answer), ``below-level`` before ``gap``
                on a gap covered, but below the level needed; ``covering``
                (active events for the profession that cover a requirement, a
                below-level gap's at too low a level); ``near-miss`` (active
                events covering a gap's competency for other professions, at
                the level needed or above); ``area`` (the framework areas
                grouping them)
``uncovered``   ``uncovered``; ``area``; ``requiring`` (professions that
                require one)
``duplicates``  ``duplicate`` (an initiative of a pair at or above the
                threshold); ``shared`` (the ground a pair shares);
                ``SIMILAR_TO`` links carry the pair's score
``reach``       ``driver``, ``responding``, ``touched``, ``candidate``
                (``SUGGESTED_RESPONSE`` links carry the score)
``brokers``     ``broker`` (``value``: the betweenness); ``neighbour`` (an
                organisation or initiative next to a broker)
``plan``        ``planned`` (an event the plan opens to more professions, or an
                offer it commissions: a node ``offer;ID``, not in the graph),
                ``closes`` (a competency whose gap the plan closes),
                ``profession`` (a profession the plan trains); ``PLANNED``
                links (not in the graph) join each action to the professions
                it trains, with its cost, and an offer to what it closes
==============  ===============================================================

The analysis' own marks come from its JSON, so that marked set is exactly
what ``graphmodel COMMAND --format json`` answers for the same options; the
context marks (``covering``, ``near-miss``, ``area``, ``shared``,
``neighbour``...) explain it. At national scale the context is capped (a few
near misses per gap, a few neighbours per broker) and a view draws at most
:data:`VIEW_LIMIT` nodes, the analysis' own answer first: a profession's gap
competencies are always drawn, each as itself.
A below-level gap keeps the word ``gap`` (it is one of ``graphmodel gaps``'
rows) and, its first word, is drawn as ``below-level`` (docs/explorer.md).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import Field

from graphmodel.analysis.communities import communities
from graphmodel.analysis.coverage import CoverageData, cover_ranks, covering_events, level_steps
from graphmodel.analysis.levels import meets
from graphmodel.analysis.requests import (
    NAMES_NODES,
    Analysis,
    BrokersRequest,
    DuplicatesRequest,
    GapsRequest,
    InitiativeSelection,
    Limit,
    OptionSpec,
    PlanRequest,
    UncoveredRequest,
)
from graphmodel.backends.base import GraphBackend
from graphmodel.marks import MARKS, legend
from graphmodel.wording import number, plural

if TYPE_CHECKING:
    from graphmodel.analysis.links import DriverReach

#: Most nodes an answer view draws (the analysis' answer first, then its context).
VIEW_LIMIT = 500
#: Near misses drawn per gap (the answer list counts them all).
NEAR_MISSES_PER_GAP = 3
#: Covering events drawn per covered requirement.
COVERING_PER_REQUIREMENT = 2
#: Candidates a reach view draws (the list has them all).
CANDIDATES_DRAWN = 10
#: Nodes of each kind a reach view draws among what the responders touch.
TOUCHED_DRAWN = 24
#: Responding initiatives a reach view draws.
RESPONDING_DRAWN = 40
#: Brokers a brokers view draws, and neighbours drawn round each.
BROKERS_DRAWN = 12
NEIGHBOURS_PER_BROKER = 6
#: Uncovered competencies an uncovered view draws (the most staff requiring first), and
#: professions requiring them.
UNCOVERED_DRAWN = 30
REQUIRING_DRAWN = 24
#: Duplicate clusters a duplicates view draws (largest first), members drawn in each, and
#: pieces of shared ground drawn in each.
CLUSTERS_DRAWN = 8
MEMBERS_PER_CLUSTER = 8
SHARED_PER_CLUSTER = 4
#: Actions a plan view draws (most severity closed first), and competencies drawn under each.
ACTIONS_DRAWN = 15
CLOSED_PER_ACTION = 4
#: Professions a plan view draws (those its drawn actions train, most severity first).
TRAINED_DRAWN = 15


def _drawn_note(drawn: int, total: int, what: str, order: str) -> str:
    """The note an answer view adds when its picture draws part of a long answer."""
    if drawn >= total:
        return ""
    return f" The picture draws the {drawn:,} {what} {order}; the list has all {total:,}."


class GapsOverlay(GapsRequest):
    """``overlay=gaps``: the professions asked for, their requirements, what covers them."""

    overlay: ClassVar[str] = "gaps"


class UncoveredOverlay(UncoveredRequest):
    """``overlay=uncovered``: the competencies no active event covers."""

    overlay: ClassVar[str] = "uncovered"


class DuplicatesOverlay(DuplicatesRequest):
    """``overlay=duplicates``: initiatives that repeat each other, pairs with their scores."""

    overlay: ClassVar[str] = "duplicates"


class ReachOverlay(InitiativeSelection):
    """``overlay=reach&driver=D``: a driver, who responds, what they touch, candidates.

    ``links --driver``'s answer, with only the parameters it reads: ``links``' other
    subjects (``initiative``, ``text``) and the text's options are not part of this
    overlay's description, so a client built from the OpenAPI cannot send them.
    """

    command: ClassVar[str] = "links"
    overlay: ClassVar[str] = "reach"

    driver: Annotated[str, OptionSpec(metavar="ID"), NAMES_NODES] = Field(
        description="The driver whose reach is shown."
    )
    limit: Limit = Field(default=None, description="List at most this many candidates.")

    def run(self, backend: GraphBackend) -> DriverReach:
        from graphmodel.analysis.links import LinkIndex

        return LinkIndex(backend, self.initiatives()).reach(self.driver, self.limit)

    def to_json(self, result: DriverReach) -> dict[str, Any]:
        return result.to_json()


class BrokersOverlay(BrokersRequest):
    """``overlay=brokers``: the brokers of the partnership network, sized by betweenness."""

    overlay: ClassVar[str] = "brokers"

    limit: int | None = Field(default=20, ge=0, description="Mark at most this many brokers.")


class PlanOverlay(PlanRequest):
    """``overlay=plan&budget=N``: what the plan opens or commissions, and the gaps it closes."""

    overlay: ClassVar[str] = "plan"


#: Every overlay's request, by name.
OVERLAYS: dict[str, type[Analysis]] = {
    "gaps": GapsOverlay,
    "uncovered": UncoveredOverlay,
    "duplicates": DuplicatesOverlay,
    "reach": ReachOverlay,
    "brokers": BrokersOverlay,
    "plan": PlanOverlay,
}

#: The id of an offer's node in the plan's view: offers are not in the graph, and no id
#: of the graph holds ";".
OFFER_PREFIX = "offer;"


@dataclass
class _Block:
    """A group of the answer view: a title, an optional header node, items in order."""

    id: str
    title: str
    header: str | None = None
    items: list[tuple[str, int]] = field(default_factory=list)  # (node, depth)
    more: int = 0
    kind: str = "block"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "header": self.header,
            "items": [{"id": node, "depth": depth} for node, depth in self.items],
            "more": self.more,
            "kind": self.kind,
        }


class _Answer:
    """What an overlay collects: marks, values, extra links, the view's blocks, the list."""

    def __init__(self) -> None:
        self.marks: dict[str, list[str]] = {}
        self.values: dict[str, dict[str, float]] = defaultdict(dict)
        self.links: list[dict[str, Any]] = []
        self.link_marks: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        self.layout = "groups"
        self.centre: list[str] = []
        self.blocks: list[_Block] = []
        self.columns: list[dict[str, Any]] = []
        self.rows: list[dict[str, Any]] = []
        self.title = ""
        self.note = ""
        self.sizes: list[str] = []
        self.size: str | None = None
        #: Names of the ids the answer's texts mention (explanations are read in names).
        self.names: dict[str, str] = {}
        #: The communities of the nodes shown, where the view groups by them.
        self.communities: list[dict[str, Any]] = []
        #: Nodes the graph does not hold (a plan's offers), by id: their label and name.
        self.virtual: dict[str, tuple[str, str]] = {}

    def add(self, ids: Iterable[str], mark: str | None) -> None:
        for node in ids:
            words = self.marks.setdefault(node, [])
            if mark is not None and mark not in words:
                words.append(mark)

    def column(self, key: str, title: str, numeric: bool = False) -> None:
        self.columns.append({"key": key, "title": title, "numeric": numeric})

    def row(self, node: str, **cells: Any) -> None:
        self.rows.append({"id": node, "cells": cells})


def _names(backend: GraphBackend, ids: Iterable[str]) -> dict[str, str]:
    return {node.id: node.name for node in backend.named_nodes_by_id(sorted(set(ids)))}


def _name(names: dict[str, str], node: str) -> str:
    return names.get(node, node)


def _listing(ids: Iterable[str], names: dict[str, str], most: int = 6) -> str:
    shown = [names.get(node, node) for node in ids]
    if len(shown) > most:
        return ", ".join(shown[:most]) + f" and {len(shown) - most} more"
    return ", ".join(shown)


def _gaps(backend: GraphBackend, request: GapsOverlay, found: _Answer) -> dict[str, Any]:
    answer = request.model_copy(update={"limit": None}).payload(backend)
    data = CoverageData(backend, request.query())
    structure = data.structure
    gaps = {(g["profession"], g["competency"]): g for g in answer["gaps"]}
    requirements = data.selected_requirements()
    professions = sorted({r.profession for r in requirements} | set(request.profession))
    found.add(professions, "profession")
    found.centre = professions
    found.layout = "radial"
    covering: dict[str, list[str]] = {}
    near: dict[str, list[str]] = {}
    near_total: Counter[str] = Counter()
    events = {event.id: event for event in data.events}
    # The events covering each gap's competency, found in one pass (100,000 events nationally),
    # with the level each covers it at (frameworks with levels).
    wanted = {competency for _, competency in gaps}
    covering_gap: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for event in data.events:
        if data.levelled:
            for competency, rank in cover_ranks(event, structure.scale):
                if competency in wanted:
                    covering_gap[competency].append((event.id, rank))
        else:
            for competency in wanted.intersection(event.covers):
                covering_gap[competency].append((event.id, 0))
    for profession in professions:
        found.values[profession]["headcount"] = data.headcount(profession)
        if data.levelled:
            direct, levelled_events = data.levels_for(profession)
            levelled = structure.level_closure(direct, levelled_events, reasons=True)
        else:
            covered = structure.closure(data.direct_for(profession))
        for requirement in requirements:
            if requirement.profession != profession:
                continue
            competency = requirement.competency
            gap = gaps.get((profession, competency))
            # A gap covered, but below the level needed (frameworks with levels) is drawn
            # as below-level and keeps the word gap (it is one of the gaps' rows).
            below = gap is not None and gap.get("covered_level") is not None
            for mark in ["below-level", "gap"] if below else ["gap" if gap else "covered"]:
                found.add([competency], mark)
                found.link_marks[(profession, "REQUIRES", competency)].append(mark)
            if gap is not None:
                values = found.values[competency]
                values["severity"] = max(values.get("severity", 0.0), gap["severity"])
                # Near misses as explain's: for other professions, and with levels at the
                # level needed or above (opening one to the profession closes the gap).
                required = data.required_rank(requirement) if data.levelled else None
                misses = [
                    event
                    for event, rank in covering_gap[competency]
                    if profession not in events[event].targets
                    and (not data.levelled or meets(rank, required))
                ]
                near_total[competency] += len(misses)
                # The most widely offered first: places, then id.
                misses.sort(key=lambda e: (-(events[e].places or 0), e))
                near[competency] = misses[:NEAR_MISSES_PER_GAP]
            if data.levelled and competency in levelled.level and (gap is None or below):
                # What covers it (a below-level gap: at too low a level), as explain says.
                steps = level_steps(data, levelled, competency)
                reached = sorted({e for s in steps if s["rule"] == "direct" for e in s["from"]})
                covering[competency] = reached[:COVERING_PER_REQUIREMENT]
            elif gap is None and not data.levelled:
                reached = covering_events(structure, covered, competency)
                covering[competency] = reached[:COVERING_PER_REQUIREMENT]
    for ids in covering.values():
        found.add(ids, "covering")
    for ids in near.values():
        found.add(ids, "near-miss")
    # Areas: the top of each required competency's PART_OF chain.
    area_of = {c: structure.area_of(c) for c in {r.competency for r in requirements}}
    found.add(area_of.values(), "area")
    severity: Counter[str] = Counter()
    for (_, competency), gap in gaps.items():
        severity[area_of.get(competency, competency)] += gap["severity"]
    names = _names(
        backend,
        [
            *found.marks,
            *(p for e in near.values() for m in e for p in events[m].targets),
            *(events[m].lead_organisation or "" for e in near.values() for m in e),
        ],
    )
    found.names = names
    placed: set[str] = set(professions)
    by_area: dict[str, list[str]] = defaultdict(list)
    for competency, area in sorted(area_of.items()):
        by_area[area].append(competency)

    def competency_order(competency: str) -> tuple[int, float, str]:
        marks = found.marks.get(competency, [])
        return (
            0 if "gap" in marks else 1,
            -found.values[competency].get("severity", 0.0),
            _name(names, competency).lower(),
        )

    areas = sorted(by_area, key=lambda a: (-severity[a], _name(names, a).lower()))
    for area in areas:
        block = _Block(f"area:{area}", names.get(area, area), header=area, kind="area")
        placed.add(area)
        gaps_here = 0
        for competency in sorted(by_area[area], key=competency_order):
            if competency != area:
                block.items.append((competency, 0))
                placed.add(competency)
            gaps_here += "gap" in found.marks.get(competency, [])
            for event in [*near.get(competency, ()), *covering.get(competency, ())]:
                if event not in placed:
                    block.items.append((event, 1))
                    placed.add(event)
        block.title = f"gaps: {gaps_here} of {len(by_area[area])} required"
        found.blocks.append(block)
    found.title = "Gaps, worst first"
    found.column("competency", "Competency")
    found.column("area", "Area")
    found.column("priority", "Priority")
    found.column("severity", "Severity", numeric=True)
    if data.levelled:
        found.column("level", "Level (reached / needed)")
    found.column("near_misses", "Near misses: who already runs it")
    if len(professions) > 1:
        found.column("profession", "Profession")
    for gap in answer["gaps"]:
        competency = gap["competency"]
        misses = near.get(competency, [])
        who = "; ".join(
            f"{events[m].title} ({names.get(events[m].lead_organisation or '', 'no lead')}, "
            f"for {_listing(events[m].targets, names, 3) or 'no profession'})"
            for m in misses
        )
        total = near_total[competency]
        if total > len(misses):
            who += f"; and {total - len(misses)} more"
        level = {"level": _gap_level(gap)} if data.levelled else {}
        found.row(
            competency,
            competency=gap["competency_name"],
            area=names.get(gap["area"], gap["area"]),
            priority=gap["priority"],
            severity=gap["severity"],
            **level,
            near_misses=(
                f"{total} {'event' if total == 1 else 'events'}: {who}"
                if total
                else "none: no active training comes close"
            ),
            profession=gap["profession_name"],
        )
    found.note = (
        f"{gaps_sentence(answer['summary'])}; severity = priority weight (essential 1, "
        "desirable 0.5) x headcount."
    )
    found.sizes = ["severity"]
    return answer


def gaps_sentence(summary: dict[str, Any]) -> str:
    """The gaps answer's counts in the page's own words (``overlays.js``), for the answer
    list's note and the picture's summary line.

    Example
    -------
    >>> gaps_sentence({"requirements": 11, "covered": 7, "gaps": 4, "below_level": 1})
    '4 gaps (1 below the level needed) and 7 covered, of 11 requirements'
    """
    below = (
        f" ({number(summary['below_level'])} below the level needed)"
        if "below_level" in summary
        else ""
    )
    return (
        f"{plural(summary['gaps'], 'gap')}{below} and {number(summary['covered'])} covered, "
        f"of {plural(summary['requirements'], 'requirement')}"
    )


def _gap_level(gap: dict[str, Any]) -> str | None:
    """A gap's levels in the answer list: ``below level: Foundation / Advanced`` for a gap
    covered too low, ``none / Advanced``, or None (an empty cell) for a gap that asks
    no level."""
    needed, reached = gap["required_level"], gap["covered_level"]
    if reached is not None:
        return f"below level: {reached} / {needed}"
    return f"none / {needed}" if needed is not None else None


def _uncovered(backend: GraphBackend, request: UncoveredOverlay, found: _Answer) -> dict[str, Any]:
    answer = request.model_copy(update={"limit": None}).payload(backend)
    data = CoverageData(backend, request.query())
    found.layout = "groups"
    by_area: dict[str, list[str]] = defaultdict(list)
    requiring: Counter[str] = Counter()
    for item in answer["uncovered"]:
        found.add([item["competency"]], "uncovered")
        found.add(item["required_by"], "requiring")
        requiring.update(item["required_by"])
        area = data.structure.area_of(item["competency"])
        by_area[area].append(item["competency"])
        found.values[item["competency"]]["headcount"] = sum(
            data.headcount(p) for p in item["required_by"]
        )
    for area in by_area:
        found.add([area], "area")
    for profession in requiring:
        found.values[profession]["headcount"] = data.headcount(profession)
    names = _names(backend, found.marks)
    # Worst first: the most staff requiring. A long answer is drawn by its worst; the list
    # (in the same order) has every one.
    rows = sorted(
        answer["uncovered"],
        key=lambda i: (-found.values[i["competency"]]["headcount"], i["competency"]),
    )
    worst = rows[:UNCOVERED_DRAWN]
    drawn = {item["competency"] for item in worst}
    for area in sorted(by_area, key=lambda a: (-len(by_area[a]), _name(names, a).lower())):
        shown = [c for c in by_area[area] if c in drawn and c != area]
        if not shown and area not in drawn:
            continue
        block = _Block(
            f"area:{area}",
            f"{len(by_area[area])} uncovered",
            header=area,
            kind="area",
            more=sum(c not in drawn for c in by_area[area] if c != area),
        )
        block.items = [(c, 0) for c in sorted(shown, key=lambda c: _name(names, c).lower())]
        found.blocks.append(block)
    requiring_drawn: Counter[str] = Counter(p for item in worst for p in item["required_by"])
    professions = sorted(
        requiring_drawn, key=lambda p: (-requiring_drawn[p], _name(names, p).lower())
    )
    if professions:
        found.blocks.append(
            _Block(
                "requiring",
                "Professions that require them",
                items=[(p, 0) for p in professions[:REQUIRING_DRAWN]],
                more=len(requiring) - min(len(professions), REQUIRING_DRAWN),
                kind="column",
            )
        )
    found.title = "Competencies no active training covers"
    found.column("competency", "Competency")
    found.column("area", "Area")
    found.column("required_by", "Required by")
    found.column("headcount", "Headcount requiring", numeric=True)
    for item in rows:
        area = data.structure.area_of(item["competency"])
        found.row(
            item["competency"],
            competency=item["name"],
            area=names.get(area, area),
            required_by=_listing(item["required_by"], names, 8) or "no profession",
            headcount=found.values[item["competency"]]["headcount"] if item["required_by"] else 0,
        )
    found.note = f"{number(len(rows))} competencies, worst first: the most staff requiring." + (
        _drawn_note(len(worst), len(rows), "competencies", "the most staff require")
    )
    found.sizes = ["headcount"]
    return answer


def _duplicates(
    backend: GraphBackend, request: DuplicatesOverlay, found: _Answer
) -> dict[str, Any]:
    answer = request.model_copy(update={"kind": "initiatives"}).payload(backend)
    found.layout = "islands"
    initiatives = {node.id: node for node in backend.initiatives(request.initiatives())}
    shared_by: dict[str, set[str]] = defaultdict(set)
    for pair in answer["pairs"]:
        found.add([pair["a"], pair["b"]], "duplicate")
        found.links.append(
            {
                "source": pair["a"],
                "type": "SIMILAR_TO",
                "target": pair["b"],
                "properties": {"score": pair["score"]},
                "marks": ["duplicate"],
                "virtual": True,
            }
        )
        for items in pair["reasons"].get("shared", {}).values():
            for item in items:
                node = item["id"] if isinstance(item, dict) else item
                shared_by[node].update((pair["a"], pair["b"]))
    for node in sorted(shared_by):
        found.add([node], "shared")
    for node in found.marks:
        initiative = initiatives.get(node)
        if initiative is not None and initiative.budget is not None:
            found.values[node]["budget"] = initiative.budget
    best: dict[frozenset[str], float] = {}
    for pair in answer["pairs"]:
        for key in (pair["a"], pair["b"]):
            found.values[key]["score"] = max(found.values[key].get("score", 0.0), pair["score"])
        best[frozenset((pair["a"], pair["b"]))] = pair["score"]
    leads = {i.lead for i in initiatives.values() if i.id in found.marks and i.lead}
    names = _names(backend, [*found.marks, *leads])
    details = {tuple(sorted(d["initiatives"])): d for d in answer.get("cluster_details", [])}
    placed: set[str] = set()
    for place, members in enumerate(answer["clusters"][:CLUSTERS_DRAWN], start=1):
        detail = details.get(tuple(sorted(members)), {})
        top = max((s for k, s in best.items() if k <= set(members)), default=0.0)
        budget = detail.get("budget")
        title = f"Cluster {place}: {len(members)} initiatives, best pair {top:.2f}"
        if budget:
            title += f", budget £{budget:,.0f}"
        block = _Block(f"cluster:{place}", title, kind="island")
        lead = detail.get("natural_lead")
        ordered = sorted(members, key=lambda m: (m != lead, _name(names, m).lower()))
        block.items = [(m, 0) for m in ordered[:MEMBERS_PER_CLUSTER]]
        block.more = max(0, len(ordered) - MEMBERS_PER_CLUSTER)
        placed.update(members)
        # Each piece of shared ground is drawn once, in the first cluster sharing it.
        ground = sorted(
            (n for n, holders in shared_by.items() if holders & set(members) and n not in placed),
            key=lambda n: (-len(shared_by[n] & set(members)), _name(names, n).lower()),
        )[:SHARED_PER_CLUSTER]
        placed.update(ground)
        block.items += [(n, 1) for n in ground]
        found.blocks.append(block)
    found.title = "Duplicate pairs, best first"
    found.column("a", "Initiative")
    found.column("b", "Repeats")
    found.column("score", "Score (0-1)", numeric=True)
    found.column("reasons", "Why")
    found.column("leads", "Leads")
    found.column("budgets", "Budgets")
    for pair in answer["pairs"]:
        a, b = initiatives.get(pair["a"]), initiatives.get(pair["b"])
        lead_names = [names.get(i.lead, i.lead) if i and i.lead else "no lead" for i in (a, b)]
        budgets = [f"£{i.budget:,.0f}" if i and i.budget is not None else "none" for i in (a, b)]
        found.row(
            pair["a"],
            a=names.get(pair["a"], pair["a"]),
            b=names.get(pair["b"], pair["b"]),
            score=pair["score"],
            reasons=pair["reasons"].get("summary", ""),
            leads=" / ".join(lead_names),
            budgets=" / ".join(budgets),
            other=pair["b"],
        )
    found.note = (
        f"{number(len(answer['pairs']))} pairs in {number(len(answer['clusters']))} clusters; "
        "score from 0 to 1: shared ground (rarer counts more) and similar wording."
    ) + _drawn_note(
        min(len(answer["clusters"]), CLUSTERS_DRAWN),
        len(answer["clusters"]),
        "clusters",
        "with the most initiatives",
    )
    found.sizes = ["budget", "score"]
    return answer


def _reach(backend: GraphBackend, request: ReachOverlay, found: _Answer) -> dict[str, Any]:
    answer = request.payload(backend)
    driver = answer["driver"]
    found.layout = "layers"
    found.add([driver], "driver")
    found.add(answer["responding"], "responding")
    for kind in ("competencies", "professions", "organisations"):
        found.add(answer[kind], "touched")
    initiatives = {node.id: node for node in backend.initiatives(request.initiatives())}
    for candidate in answer["candidates"]:
        found.add([candidate["initiative"]], "candidate")
        found.values[candidate["initiative"]]["score"] = candidate["score"]
        found.links.append(
            {
                "source": candidate["initiative"],
                "type": "SUGGESTED_RESPONSE",
                "target": driver,
                "properties": {"score": candidate["score"]},
                "marks": ["candidate"],
                "virtual": True,
            }
        )
    for node in found.marks:
        initiative = initiatives.get(node)
        if initiative is not None and initiative.budget is not None:
            found.values[node]["budget"] = initiative.budget
    # What most responders touch first.
    touches: Counter[str] = Counter()
    for node in answer["responding"]:
        initiative = initiatives.get(node)
        if initiative is not None:
            touches.update(
                {
                    *initiative.addresses,
                    *initiative.targets,
                    *initiative.partners,
                    *([initiative.lead] if initiative.lead else []),
                }
            )
    names = _names(backend, found.marks)

    def ranked(ids: Iterable[str]) -> list[str]:
        return sorted(ids, key=lambda n: (-touches[n], _name(names, n).lower()))

    found.centre = [driver]
    responding = sorted(answer["responding"], key=lambda n: _name(names, n).lower())
    found.blocks.append(
        _Block(
            "responding",
            f"Responding: {len(responding)}",
            items=[(n, 0) for n in responding[:RESPONDING_DRAWN]],
            more=max(0, len(responding) - RESPONDING_DRAWN),
            kind="layer",
        )
    )
    for kind, title in (
        ("competencies", "Competencies addressed"),
        ("professions", "Professions targeted"),
        ("organisations", "Organisations leading or partnering"),
    ):
        ids = ranked(answer[kind])
        found.blocks.append(
            _Block(
                f"touched:{kind}",
                f"{title}: {len(ids)}",
                items=[(n, 0) for n in ids[:TOUCHED_DRAWN]],
                more=max(0, len(ids) - TOUCHED_DRAWN),
                kind="touched",
            )
        )
    candidates = [c["initiative"] for c in answer["candidates"]]
    found.blocks.append(
        _Block(
            "candidates",
            f"Candidates, best first: {len(candidates)}",
            items=[(n, 0) for n in candidates[:CANDIDATES_DRAWN]],
            more=max(0, len(candidates) - CANDIDATES_DRAWN),
            kind="layer",
        )
    )
    best = max((c["score"] for c in answer["candidates"]), default=0.0) or 1.0
    found.title = "Who responds, and who should"
    found.column("initiative", "Initiative")
    found.column("role", "Role")
    found.column("score", "Score", numeric=True)
    found.column("relative", "Of the best", numeric=True)
    found.column("reason", "Why")
    for node in responding:
        found.row(
            node,
            initiative=names.get(node, node),
            role="responding",
            score=None,
            relative=None,
            reason=f"responds to {answer['name']}",
        )
    for candidate in answer["candidates"]:
        found.row(
            candidate["initiative"],
            initiative=candidate["title"],
            role="candidate",
            score=candidate["score"],
            relative=f"{100 * candidate['score'] / best:.0f}%",
            reason=candidate["reason"],
        )
    found.note = (
        "A candidate's score adds up the ground it shares with the responders, each item "
        "weighted 1 / ln(1 + the initiatives touching it) (a rare item counts about 0.9, one "
        "every initiative touches about 0.2), plus its text similarity (0 to 1): from 0, no "
        "upper bound; 'of the best' scales it to the first candidate."
    )
    found.sizes = ["score", "budget"]
    return answer


def _brokers(backend: GraphBackend, request: BrokersOverlay, found: _Answer) -> dict[str, Any]:
    answer = request.payload(backend)
    found.layout = "groups"
    brokers = [broker["id"] for broker in answer["brokers"]]
    for broker in answer["brokers"]:
        found.add([broker["id"]], "broker")
        found.values[broker["id"]]["betweenness"] = broker["betweenness"]
    adjacent: dict[str, set[str]] = defaultdict(set)
    for initiative in backend.initiatives(request.initiatives()):
        for organisation in {*initiative.partners, *([initiative.lead] if initiative.lead else [])}:
            adjacent[initiative.id].add(organisation)
            adjacent[organisation].add(initiative.id)
    placed: set[str] = set(brokers[:BROKERS_DRAWN])
    chosen: dict[str, list[str]] = {}
    for broker in brokers[:BROKERS_DRAWN]:
        around = sorted(adjacent.get(broker, ()), key=lambda n: (-len(adjacent[n]), n))
        fresh = [n for n in around if n not in placed][:NEIGHBOURS_PER_BROKER]
        placed.update(fresh)
        chosen[broker] = fresh
        found.add(fresh, "neighbour")
    by_id = {broker["id"]: broker for broker in answer["brokers"]}
    # The network's communities (seeded Leiden on the same partnership network): a broker
    # is the one to involve when it links several of them.
    divided = communities(backend, "partnership", request.initiatives())
    community_of = divided.membership()
    named_communities = {c.id: c.name for c in divided.communities}
    found.communities = [
        {"id": c.id, "name": c.name, "size": c.size}
        for c in divided.communities
        if any(community_of.get(n) == c.id for n in found.marks)
    ]
    for node in found.marks:
        if node in community_of:
            found.values[node]["community"] = community_of[node]
    rank = {broker: place for place, broker in enumerate(brokers, start=1)}
    shown = brokers[:BROKERS_DRAWN]
    # Brokers of one community side by side, the community of the best broker first.
    first_of: dict[int | None, int] = {}
    for broker in shown:
        first_of.setdefault(community_of.get(broker), rank[broker])
    for broker in sorted(shown, key=lambda b: (first_of[community_of.get(b)], rank[b])):
        degree = len(adjacent.get(broker, ()))
        linked = {community_of[n] for n in adjacent.get(broker, ()) if n in community_of}
        home = community_of.get(broker)
        title = f"{rank[broker]}. betweenness {by_id[broker]['betweenness']:.3f}, {degree} links"
        if home is not None:
            title += f"; community {home}"
        if len(linked) > 1:
            title += f", links {len(linked)} communities"
        found.blocks.append(
            _Block(
                f"broker:{broker}",
                title,
                header=broker,
                items=[(n, 0) for n in chosen[broker]],
                more=max(0, degree - len(chosen[broker])),
                kind="broker",
            )
        )
    found.title = "Brokers: who holds the network together"
    found.column("broker", "Broker")
    found.column("kind", "Kind")
    found.column("betweenness", "Betweenness (0-1)", numeric=True)
    found.column("degree", "Links", numeric=True)
    found.column("connects", "Connects", numeric=True)
    found.column("community", "Community")
    found.column("communities", "Communities it links", numeric=True)
    for broker in answer["brokers"]:
        home = community_of.get(broker["id"])
        linked = {community_of[n] for n in adjacent.get(broker["id"], ()) if n in community_of}
        found.row(
            broker["id"],
            broker=broker["name"],
            kind="organisation" if broker["label"] == "Organisation" else "initiative",
            betweenness=broker["betweenness"],
            degree=broker["degree"],
            connects=broker["connects"],
            community=f"{home}: {named_communities[home]}" if home is not None else "",
            communities=len(linked),
        )
    found.note = (
        "Betweenness: the share of shortest routes between others in the partnership network "
        "(organisations and the initiatives they lead or partner) that pass through the node. "
        f"Communities: the {len(divided.communities)} groups of that network more linked among "
        "themselves than to the rest (seeded Leiden, as /api/communities?network=partnership); "
        "a block's title says its broker's community and how many it links."
    )
    found.sizes = ["betweenness"]
    found.size = "betweenness"
    return answer


def _plan(backend: GraphBackend, request: PlanOverlay, found: _Answer) -> dict[str, Any]:
    answer = request.payload(backend)
    found.layout = "groups"
    severity = {(g["profession"], g["competency"]): g["severity"] for g in answer["gaps_closed"]}
    names: dict[str, str] = {g["profession"]: g["profession_name"] for g in answer["gaps_closed"]}
    names |= {g["competency"]: g["competency_name"] for g in answer["gaps_closed"]}
    # An event opened to several professions is one node: its actions are one block.
    by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for action in answer["actions"]:
        if action["kind"] == "open":
            source = action["event"]
        else:
            source = OFFER_PREFIX + action["offer"]
            found.virtual[source] = ("TrainingEvent", f"Offer: {action['title']}")
        by_source[source].append(action)
        names.update(zip(action["targets"], action["target_names"], strict=True))
        names[source] = action["title"]

    def closed_by(actions: list[dict[str, Any]]) -> float:
        return float(
            sum(severity[(c["profession"], c["competency"])] for a in actions for c in a["closes"])
        )

    trained: dict[str, float] = defaultdict(float)
    for gap in answer["gaps_closed"]:
        trained[gap["profession"]] += gap["severity"]
    professions = sorted(
        {p for a in answer["actions"] for p in a["targets"]},
        key=lambda p: (-trained[p], str(names.get(p, p)).lower()),
    )
    found.add(professions, "profession")
    for profession in professions:
        found.values[profession]["severity"] = trained[profession]
    sources = sorted(by_source, key=lambda s: (-closed_by(by_source[s]), s))
    # A long plan is drawn by the actions closing most severity; the list has every one.
    drawn = set(sources[:ACTIONS_DRAWN])
    trained_drawn = {p for s in drawn for a in by_source[s] for p in a["targets"]}
    shown = [p for p in professions if p in trained_drawn][:TRAINED_DRAWN]
    found.blocks.append(
        _Block(
            "professions",
            f"Professions trained: {len(professions)}",
            items=[(p, 0) for p in shown],
            more=len(professions) - len(shown),
            kind="layer",
        )
    )
    placed = set(professions)
    for source in sources:
        actions = by_source[source]
        cost = sum(a["cost"] for a in actions)
        found.add([source], "planned")
        found.values[source]["cost"] = cost
        found.values[source]["severity"] = closed_by(actions)
        for action in actions:
            for profession in action["targets"]:
                found.links.append(
                    {
                        "source": source,
                        "type": "PLANNED",
                        "target": profession,
                        "properties": {"cost": action["cost"], "kind": action["kind"]},
                        "marks": ["planned"],
                        "virtual": True,
                    }
                )
        competencies = sorted({c["competency"] for a in actions for c in a["closes"]})
        if source in found.virtual:
            for competency in competencies:
                found.links.append(
                    {
                        "source": source,
                        "type": "PLANNED",
                        "target": competency,
                        "properties": {"kind": "covers"},
                        "marks": ["planned"],
                        "virtual": True,
                    }
                )
        if source not in drawn:
            continue
        fresh = [c for c in competencies if c not in placed]
        placed.update(fresh[:CLOSED_PER_ACTION])
        kind = "commission" if source in found.virtual else "open"
        whom = _listing((p for a in actions for p in a["targets"]), names, 3)
        found.blocks.append(
            _Block(
                f"action:{source}",
                f"{kind} for {whom}: £{cost:,.2f}",
                header=source,
                items=[(c, 1) for c in fresh[:CLOSED_PER_ACTION]],
                more=max(0, len(fresh) - CLOSED_PER_ACTION),
                kind="action",
            )
        )
    for gap in answer["gaps_closed"]:
        found.add([gap["competency"]], "closes")
        found.add([gap["profession"]], "profession")
        found.link_marks[(gap["profession"], "REQUIRES", gap["competency"])].append("closes")
    found.names = names
    found.title = (
        f"A plan for £{answer['budget']:,.2f}: {number(len(answer['actions']))} actions closing "
        f"{number(len(answer['gaps_closed']))} gaps"
    )
    found.column("what", "Event or offer")
    found.column("action", "Action")
    found.column("for", "For")
    found.column("cost", "Cost (£)", numeric=True)
    found.column("closes", "Gaps closed", numeric=True)
    found.column("severity", "Severity", numeric=True)
    ranked = sorted(
        ((source, action) for source in sources for action in by_source[source]),
        key=lambda pair: (-closed_by([pair[1]]), pair[1]["cost"], pair[0]),
    )
    for source, action in ranked:
        found.row(
            source,
            what=action["title"],
            action=action["kind"],
            **{"for": ", ".join(action["target_names"])},
            cost=action["cost"],
            closes=len(action["closes"]),
            severity=closed_by([action]),
        )
    greedy = answer["greedy"]
    proven = (
        "proven optimal: no plan within the budget closes more severity, and none closing as "
        "much costs less"
        if answer["optimal"]
        else f"not proven optimal (a time limit stopped it): no plan closes more than "
        f"{number(answer['bound'])}"
    )
    found.note = (
        f"Spends £{answer['cost']:,.2f} of £{answer['budget']:,.2f} and closes severity "
        f"{number(answer['severity_closed'])}; {proven}. The greedy plan (most severity per pound "
        f"first) closes {number(greedy['severity_closed'])} for £{greedy['cost']:,.2f}. Opening an "
        "event costs (cost / places) x the profession's headcount; dashed links are actions "
        "not yet taken."
    ) + _drawn_note(len(drawn), len(sources), "events and offers", "closing most severity")
    found.sizes = ["severity", "cost"]
    found.size = "severity"
    return answer


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


_BUILDERS = {
    "gaps": _gaps,
    "uncovered": _uncovered,
    "duplicates": _duplicates,
    "reach": _reach,
    "brokers": _brokers,
    "plan": _plan,
}

#: The analysis' own marks, drawn before any context when a view must be cut.
_ANSWER_MARKS = {
    "gap",
    "covered",
    "below-level",
    "profession",
    "uncovered",
    "duplicate",
    "driver",
    "responding",
    "candidate",
    "broker",
    "area",
    "planned",
    "closes",
}


def _cut(found: _Answer) -> None:
    """Keep the view within :data:`VIEW_LIMIT` nodes: context goes first, blocks keep order."""
    drawn = len(found.centre) + sum(len(b.items) + (b.header is not None) for b in found.blocks)
    excess = drawn - VIEW_LIMIT
    if excess <= 0:
        return
    for block in reversed(found.blocks):
        for index in range(len(block.items) - 1, -1, -1):
            if excess <= 0:
                return
            node, _ = block.items[index]
            if not _ANSWER_MARKS & set(found.marks.get(node, ())):
                del block.items[index]
                block.more += 1
                excess -= 1


def overlay(backend: GraphBackend, name: str, request: Analysis) -> dict[str, Any]:
    """The overlay document of ``request``, a request of the overlay ``name`` (:data:`OVERLAYS`).

    Keys: ``overlay``; ``nodes`` (by id: ``id``, ``label``, ``name``,
    ``marks``, ``values`` (numbers to size by), ``value`` where the
    overlay sizes nodes, ``virtual`` for a node the graph does not hold: a
    plan's offer); ``relationships`` among those nodes (their
    ``marks``; ``virtual`` for the links the analysis adds); ``view`` (the
    answer view: ``layout``, ``centre``, ``blocks``, ``sizes``); ``answer``
    (the ranked list: ``title``, ``columns``, ``rows``, ``note``);
    ``legend`` (each mark used: meaning, fill, outline); and ``analysis``,
    the analysis' own JSON.

    Raises
    ------
    NotFoundError
        For an id the analysis does not know (a profession, a driver).
    """
    found = _Answer()
    answer = _BUILDERS[name](backend, request, found)  # type: ignore[operator]
    _cut(found)
    ids = sorted(found.marks)
    in_graph = [node_id for node_id in ids if node_id not in found.virtual]
    named = {node.id: (node.label, node.name) for node in backend.named_nodes_by_id(in_graph)}
    nodes = []
    for node_id in ids:
        label, node_name = found.virtual.get(node_id) or named[node_id]
        entry: dict[str, Any] = {
            "id": node_id,
            "label": label,
            "name": node_name,
            "marks": found.marks[node_id],
        }
        if node_id in found.virtual:
            entry["virtual"] = True
        if found.values.get(node_id):
            entry["values"] = dict(sorted(found.values[node_id].items()))
        if name == "brokers" and "betweenness" in found.values.get(node_id, {}):
            entry["value"] = found.values[node_id]["betweenness"]
        nodes.append(entry)
    shown = set(ids)
    relationships = [
        {
            "source": r.source,
            "type": r.type,
            "target": r.target,
            "properties": {k: _json_value(v) for k, v in r.properties.items()},
            "marks": found.link_marks.get((r.source, r.type, r.target), []),
            "virtual": False,
        }
        for r in backend.relationships_of(in_graph)
        if r.source in shown and r.target in shown
    ]
    relationships += found.links
    relationships.sort(key=lambda r: (r["source"], r["type"], r["target"]))
    used = {mark for words in found.marks.values() for mark in words}
    return {
        "overlay": name,
        "nodes": nodes,
        "relationships": relationships,
        "view": {
            "layout": found.layout,
            "centre": found.centre,
            "blocks": [block.to_json() for block in found.blocks if block.items or block.header],
            "sizes": found.sizes,
            "size": found.size,
        },
        "answer": {
            "title": found.title,
            "columns": found.columns,
            "rows": found.rows,
            "note": found.note,
        },
        "legend": legend(used),
        "names": dict(sorted(found.names.items())),
        "communities": found.communities,
        "analysis": answer,
    }


#: Every mark's legend text, by word (kept for callers of the former table).
MARK_TEXTS: dict[str, str] = {word: mark.text for word, mark in MARKS.items()}
