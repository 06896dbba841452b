"""Coverage: which required competencies the active training covers, and why.

The rule (docs/coverage.md): for a set S of active events, the competencies
*covered by S* are the least set closed under

1. direct: some event in S COVERS C;
2. down: C's parent is covered (an event mapped to an area covers its items);
3. across: a competency EQUIVALENT_TO C (either direction) is covered;
4. up: C has children and every child is covered.

A requirement (P REQUIRES C) is a *gap* when C is not covered by the active
events that TARGET P; a competency is *uncovered* when the set of all active
events does not cover it.

The closure runs here, in Python, over projections both backends provide
(the competency structure, the requirements, the active events with their
targets and covers). The filtering and joining of events happens in each
backend (as Cypher on Neo4j); the fixpoint with its "every child" rule is
computed once, so both backends share it exactly.

Example
-------
>>> from graphmodel.projections import CompetencyNode
>>> tree = CompetencyStructure([
...     CompetencyNode("area", "Area", "fw", None, ()),
...     CompetencyNode("item", "Item", "fw", "area", ()),
... ])
>>> sorted(tree.closure(["area"]))
['area', 'item']
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, Literal

from graphmodel.backends.base import GraphBackend
from graphmodel.errors import NotFoundError
from graphmodel.model import Priority
from graphmodel.projections import (
    ActiveEvent,
    CompetencyNode,
    EventFilter,
    ProfessionNode,
    RequirementEdge,
)
from graphmodel.suggest import did_you_mean

Rule = Literal["direct", "down", "across", "up"]


@dataclass(frozen=True)
class Reason:
    """Why a competency is covered: the first rule that reached it and from what.

    ``source`` is the event ids for ``direct``, the parent for ``down``, the
    equivalent competency for ``across`` and the children for ``up``.
    """

    rule: Rule
    source: tuple[str, ...]


class CompetencyStructure:
    """Parents, children and equivalences of every competency, ready for closures."""

    def __init__(self, competencies: Iterable[CompetencyNode]) -> None:
        self.nodes: dict[str, CompetencyNode] = {c.id: c for c in competencies}
        children: dict[str, list[str]] = defaultdict(list)
        equivalents: dict[str, set[str]] = defaultdict(set)
        for node in sorted(self.nodes.values(), key=lambda n: n.id):
            if node.parent is not None:
                children[node.parent].append(node.id)
            for other in node.equivalent_to:
                equivalents[node.id].add(other)
                equivalents[other].add(node.id)
        # Sorted tuples, fixed once, so every closure walks in the same order.
        self.children: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in children.items()}
        self.equivalents: dict[str, tuple[str, ...]] = {
            k: tuple(sorted(v)) for k, v in equivalents.items()
        }
        self.parent: dict[str, str | None] = {k: n.parent for k, n in self.nodes.items()}

    def area_of(self, competency: str) -> str:
        """The top-level ancestor (the framework area) of a competency."""
        node = self.nodes[competency]
        seen = {node.id}
        while node.parent is not None and node.parent not in seen:
            node = self.nodes[node.parent]
            seen.add(node.id)
        return node.id

    def closure(
        self, direct: Iterable[str] | dict[str, list[str]], *, reasons: bool = True
    ) -> dict[str, Reason | None]:
        """Every competency covered when ``direct`` are covered directly, with its reason.

        A worklist visits each competency once, so the cost is linear in the
        covered part of the structure. When ``direct`` maps ids to the events
        covering them, ``direct`` reasons name those events. With ``reasons``
        false the values are all ``None`` (membership is all gaps need, and it
        is cheaper).
        """
        covered: dict[str, Reason | None] = {}
        queue: deque[str] = deque()
        events = direct if isinstance(direct, dict) else None
        for competency in sorted(set(direct)):
            if competency in self.nodes:
                source = tuple(sorted(events[competency])) if events else ()
                covered[competency] = Reason("direct", source) if reasons else None
                queue.append(competency)
        covered_children: dict[str, int] = defaultdict(int)
        children, equivalents, parents = self.children, self.equivalents, self.parent
        while queue:
            competency = queue.popleft()
            for child in children.get(competency, ()):
                if child not in covered:
                    covered[child] = Reason("down", (competency,)) if reasons else None
                    queue.append(child)
            for other in equivalents.get(competency, ()):
                if other not in covered:
                    covered[other] = Reason("across", (competency,)) if reasons else None
                    queue.append(other)
            parent = parents[competency]
            if parent is not None:
                covered_children[parent] += 1
                siblings = children[parent]
                if covered_children[parent] == len(siblings) and parent not in covered:
                    covered[parent] = Reason("up", siblings) if reasons else None
                    queue.append(parent)
        return covered

    def extend(
        self,
        covered: AbstractSet[str],
        direct: Iterable[str] | dict[str, list[str]],
        *,
        reasons: bool = True,
    ) -> dict[str, Reason | None]:
        """What covering ``direct`` as well adds to ``covered``, a closure already made.

        The least set closed under the four rules that contains ``covered``
        and ``direct`` is the closure of both sets of direct covers (the rules
        are monotone), so only the new part is walked: the competencies newly
        covered, each with its reason (as :meth:`closure` gives it; a reason may
        point into ``covered``). A plan's few extra covers cost little this way.
        """
        added: dict[str, Reason | None] = {}
        queue: deque[str] = deque()
        events = direct if isinstance(direct, dict) else None
        for competency in sorted(set(direct)):
            if competency in self.nodes and competency not in covered:
                source = tuple(sorted(events[competency])) if events else ()
                added[competency] = Reason("direct", source) if reasons else None
                queue.append(competency)

        def known(competency: str) -> bool:
            return competency in covered or competency in added

        children, equivalents, parents = self.children, self.equivalents, self.parent
        while queue:
            competency = queue.popleft()
            for child in children.get(competency, ()):
                if not known(child):
                    added[child] = Reason("down", (competency,)) if reasons else None
                    queue.append(child)
            for other in equivalents.get(competency, ()):
                if not known(other):
                    added[other] = Reason("across", (competency,)) if reasons else None
                    queue.append(other)
            parent = parents[competency]
            if parent is not None and not known(parent):
                siblings = children[parent]
                if all(known(sibling) for sibling in siblings):
                    added[parent] = Reason("up", siblings) if reasons else None
                    queue.append(parent)
        return added


def check_known(asked: Sequence[str], known: Iterable[str], what: str) -> None:
    """Raise :class:`NotFoundError`, with the closest ids, for an id not in ``known``."""
    known = set(known)
    for item in asked:
        if item not in known:
            raise NotFoundError(f"unknown {what} {item!r}" + did_you_mean(item, known))


@dataclass(frozen=True)
class CoverageQuery:
    """What a coverage question is restricted to (all ``None``/empty: everything)."""

    events: EventFilter = field(default_factory=EventFilter)
    professions: tuple[str, ...] = ()
    frameworks: tuple[str, ...] = ()
    priority: Priority | None = None


class CoverageData:
    """The projections one coverage question needs, fetched once from a backend."""

    def __init__(self, backend: GraphBackend, query: CoverageQuery) -> None:
        self.query = query
        self.structure = CompetencyStructure(backend.competencies())
        self.professions: dict[str, ProfessionNode] = {p.id: p for p in backend.professions()}
        self.requirements: list[RequirementEdge] = backend.requirements()
        self.events: list[ActiveEvent] = backend.active_events(query.events)
        check_known(query.professions, self.professions, "profession")
        frameworks = {node.framework for node in self.structure.nodes.values()}
        check_known(query.frameworks, frameworks, "framework")

    def selected_requirements(self) -> list[RequirementEdge]:
        """The requirements the query's profession, framework and priority filters keep."""
        query = self.query
        nodes = self.structure.nodes
        return [
            r
            for r in self.requirements
            if (not query.professions or r.profession in query.professions)
            and (not query.frameworks or nodes[r.competency].framework in query.frameworks)
            and (query.priority is None or r.priority == query.priority)
        ]

    def direct_for(self, profession: str) -> dict[str, list[str]]:
        """Competency -> the active events that target ``profession`` and cover it."""
        direct: dict[str, list[str]] = defaultdict(list)
        for event in self.events:
            if profession in event.targets:
                for competency in event.covers:
                    direct[competency].append(event.id)
        return direct

    def headcount(self, profession: str) -> int:
        """The profession's workforce headcount, or 1 when it has no workforce rows."""
        node = self.professions[profession]
        return 1 if node.headcount is None else node.headcount

    def coverage_for(self, professions: Iterable[str]) -> dict[str, AbstractSet[str]]:
        """What the active events targeting each profession cover."""
        direct: dict[str, set[str]] = defaultdict(set)
        for event in self.events:
            for profession in event.targets:
                direct[profession].update(event.covers)
        closure = self.structure.closure
        return {
            p: closure(direct.get(p, ()), reasons=False).keys() for p in sorted(set(professions))
        }


def gaps(backend: GraphBackend, query: CoverageQuery, limit: int | None = None) -> dict[str, Any]:
    """Requirements whose competency the profession's active events do not cover.

    Returns the JSON document of ``graphmodel gaps``: ``gaps`` sorted by
    severity (weight of the priority times the profession's headcount)
    descending, then profession and competency id; ``summary`` counts the
    requirements considered, those covered and the gaps (before ``limit``).
    """
    return CoverageAnswer(backend, query).gaps(limit)


class CoverageAnswer:
    """One coverage question answered once: the requirements kept and what covers them.

    :func:`gaps` and :func:`coverage_matrix` each answer it for themselves; the
    board report asks both of one answer, so the closures (one per
    profession) are computed once.
    """

    def __init__(self, backend: GraphBackend, query: CoverageQuery) -> None:
        self.data = CoverageData(backend, query)
        self.selected = self.data.selected_requirements()
        self.coverage = self.data.coverage_for(r.profession for r in self.selected)

    def gaps(self, limit: int | None = None) -> dict[str, Any]:
        """The document of :func:`gaps`."""
        data, selected, coverage = self.data, self.selected, self.coverage
        nodes = data.structure.nodes
        found: list[dict[str, Any]] = []
        for requirement in selected:
            if requirement.competency in coverage[requirement.profession]:
                continue
            headcount = data.headcount(requirement.profession)
            competency = nodes[requirement.competency]
            found.append(
                {
                    "profession": requirement.profession,
                    "competency": requirement.competency,
                    "priority": requirement.priority.value,
                    "headcount": headcount,
                    "severity": requirement.priority.weight * headcount,
                    "profession_name": data.professions[requirement.profession].name,
                    "competency_name": competency.name,
                    "framework": competency.framework,
                    "area": data.structure.area_of(competency.id),
                }
            )
        found.sort(key=lambda gap: (-gap["severity"], gap["profession"], gap["competency"]))
        summary = {
            "requirements": len(selected),
            "covered": len(selected) - len(found),
            "gaps": len(found),
        }
        return {"gaps": found[:limit] if limit is not None else found, "summary": summary}

    def matrix_counts(self) -> MatrixCounts:
        """The professions-by-areas counts of :func:`coverage_matrix`."""
        return _matrix_counts(self)


def uncovered(
    backend: GraphBackend, query: CoverageQuery, limit: int | None = None
) -> dict[str, Any]:
    """Competencies no active event covers, with the professions that require them.

    ``--framework`` keeps the competencies of those frameworks; ``--priority``
    keeps the requirements of that priority in ``required_by``;
    ``--profession`` keeps the competencies one of those professions requires.
    """
    data = CoverageData(backend, query)
    covered = data.structure.closure(
        {c for event in data.events for c in event.covers}, reasons=False
    )
    required_by: dict[str, set[str]] = defaultdict(set)
    for requirement in data.requirements:
        if query.priority is None or requirement.priority == query.priority:
            required_by[requirement.competency].add(requirement.profession)
    rows = []
    for competency in sorted(data.structure.nodes):
        node = data.structure.nodes[competency]
        if competency in covered:
            continue
        if query.frameworks and node.framework not in query.frameworks:
            continue
        professions = sorted(required_by.get(competency, ()))
        if query.professions and not set(professions) & set(query.professions):
            continue
        rows.append(
            {
                "competency": competency,
                "required_by": professions,
                "name": node.name,
                "framework": node.framework,
                "parent": node.parent,
            }
        )
    summary = {"competencies": _count_in_frameworks(data, query), "uncovered": len(rows)}
    return {"uncovered": rows[:limit] if limit is not None else rows, "summary": summary}


def _count_in_frameworks(data: CoverageData, query: CoverageQuery) -> int:
    return sum(
        1
        for node in data.structure.nodes.values()
        if not query.frameworks or node.framework in query.frameworks
    )


def coverage_matrix(backend: GraphBackend, query: CoverageQuery) -> dict[str, Any]:
    """Professions by competency areas: the share of required items each covers.

    An area is a top-level competency (no parent) of a framework; a
    profession's requirements count towards the area at the top of their
    parent chain. A cell with no requirements has ``share`` ``None``.
    """
    return CoverageAnswer(backend, query).matrix_counts().to_json()


@dataclass(frozen=True)
class MatrixCounts:
    """The matrix of :func:`coverage_matrix` without its empty cells.

    ``cells`` maps (profession, area) to [required, covered] for the cells
    with requirements; :meth:`to_json` writes every cell, the empty ones too
    (a national matrix has a million of them, which the report never shows).
    """

    areas: list[dict[str, str]]
    professions: list[dict[str, str]]
    cells: dict[tuple[str, str], list[int]]

    def cell(self, profession: str, area: str) -> dict[str, Any]:
        """One cell as :func:`coverage_matrix` writes it."""
        counts = self.cells.get((profession, area))
        return {
            "profession": profession,
            "area": area,
            "required": counts[0] if counts else 0,
            "covered": counts[1] if counts else 0,
            "share": round(counts[1] / counts[0], 4) if counts else None,
        }

    def to_json(
        self, professions: AbstractSet[str] | None = None, areas: AbstractSet[str] | None = None
    ) -> dict[str, Any]:
        """The document of :func:`coverage_matrix`, or its part for some professions and areas
        (each kept in the matrix's own order)."""
        kept_areas = [a for a in self.areas if areas is None or a["id"] in areas]
        kept_professions = [
            p for p in self.professions if professions is None or p["id"] in professions
        ]
        return {
            "areas": kept_areas,
            "professions": kept_professions,
            "cells": [self.cell(p["id"], a["id"]) for p in kept_professions for a in kept_areas],
        }


def _matrix_counts(answer: CoverageAnswer) -> MatrixCounts:
    data, query, structure = answer.data, answer.data.query, answer.data.structure
    cells: dict[tuple[str, str], list[int]] = {}
    for requirement in answer.selected:
        area = structure.area_of(requirement.competency)
        counts = cells.setdefault((requirement.profession, area), [0, 0])
        counts[0] += 1
        counts[1] += requirement.competency in answer.coverage[requirement.profession]
    areas = sorted(
        (node for node in structure.nodes.values() if node.parent is None),
        key=lambda node: (node.framework, node.id),
    )
    if query.frameworks:
        areas = [area for area in areas if area.framework in query.frameworks]
    professions = sorted(
        p for p in data.professions if not query.professions or p in query.professions
    )
    return MatrixCounts(
        areas=[{"id": a.id, "name": a.name, "framework": a.framework} for a in areas],
        professions=[{"id": p, "name": data.professions[p].name} for p in professions],
        cells=cells,
    )


def explain(
    backend: GraphBackend, query: CoverageQuery, profession: str, competency: str
) -> dict[str, Any]:
    """Whether the profession's active events cover the competency, and why.

    For a covered competency, ``steps`` is the chain of rules from the events
    to it, each with a sentence. For a gap, ``near_misses`` lists active events
    that almost cover it: those covering the competency for other
    professions, and those for the profession covering a sibling.
    """
    data = CoverageData(backend, query)
    structure = data.structure
    check_known([profession], data.professions, "profession")
    check_known([competency], structure.nodes, "competency")
    direct = data.direct_for(profession)
    covered = structure.closure(direct)
    requirement = next(
        (r for r in data.requirements if r.profession == profession and r.competency == competency),
        None,
    )
    result: dict[str, Any] = {
        "profession": profession,
        "competency": competency,
        "required": requirement is not None,
        "priority": requirement.priority.value if requirement else None,
        "covered": competency in covered,
        "steps": _steps(structure, covered, competency) if competency in covered else [],
        "near_misses": [] if competency in covered else _near_misses(data, profession, competency),
    }
    result["summary"] = _summary(result)
    return result


def _steps(
    structure: CompetencyStructure, covered: dict[str, Reason | None], competency: str
) -> list[dict[str, Any]]:
    """The chain of reasons from the covering events to ``competency``, events first."""
    steps: list[dict[str, Any]] = []
    pending = [competency]
    seen: set[str] = set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        reason = covered[current]
        assert reason is not None, "explanations need a closure with reasons"
        name = structure.nodes[current].name
        if reason.rule == "direct":
            text = f"{', '.join(reason.source)} cover{'s' if len(reason.source) == 1 else ''} "
            text += f"{current} ({name})"
        elif reason.rule == "down":
            text = f"{current} ({name}) is an item of {reason.source[0]}, which is covered"
            pending.append(reason.source[0])
        elif reason.rule == "across":
            text = f"{current} ({name}) is equivalent to {reason.source[0]}, which is covered"
            pending.append(reason.source[0])
        else:
            text = f"every item of {current} ({name}) is covered: {', '.join(reason.source)}"
            pending.extend(reversed(reason.source))
        steps.append(
            {"rule": reason.rule, "competency": current, "from": list(reason.source), "text": text}
        )
    steps.reverse()
    return steps


def covering_events(
    structure: CompetencyStructure, covered: dict[str, Reason | None], competency: str
) -> list[str]:
    """The events whose coverage reaches a covered ``competency``: those its explanation
    starts from (``covered`` is a closure with reasons)."""
    return sorted(
        {
            event
            for step in _steps(structure, covered, competency)
            if step["rule"] == "direct"
            for event in step["from"]
        }
    )


def _near_misses(data: CoverageData, profession: str, competency: str) -> list[dict[str, Any]]:
    node = data.structure.nodes[competency]
    siblings = (
        set(data.structure.children.get(node.parent, ())) - {competency} if node.parent else set()
    )
    misses: list[dict[str, Any]] = []
    for event in data.events:
        if competency in event.covers and profession not in event.targets:
            misses.append(
                {
                    "event": event.id,
                    "title": event.title,
                    "why": f"covers {competency} but targets "
                    + (", ".join(event.targets) or "no profession"),
                    "kind": "same competency, other professions",
                }
            )
    for event in data.events:
        shared = sorted(siblings.intersection(event.covers))
        if profession in event.targets and shared:
            misses.append(
                {
                    "event": event.id,
                    "title": event.title,
                    "why": f"targets {profession} and covers sibling {', '.join(shared)}",
                    "kind": "same profession, sibling competencies",
                }
            )
    return misses


def _summary(result: dict[str, Any]) -> str:
    who, what = result["profession"], result["competency"]
    if result["covered"]:
        chain = "; ".join(step["text"] for step in result["steps"])
        return f"covered: {chain}"
    if not result["near_misses"]:
        return f"gap: no active event targeting {who} covers {what}, and nothing comes close"
    return f"gap: no active event targeting {who} covers {what}"
