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

With proficiency levels (docs/coverage.md, "Levels") each competency has a
*covered level* instead (nothing < unstated < its framework's levels), the
least assignment closed under the same four rules
(:meth:`CompetencyStructure.level_closure`, with the arithmetic of
:mod:`graphmodel.analysis.levels`), and a requirement is covered when the
level reached is at least the one it asks for. A dataset whose frameworks
state no levels takes the level-free path and answers exactly as before.

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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, Literal

from graphmodel.analysis.levels import (
    NOTHING,
    UNSTATED,
    UNSTATED_NAME,
    Rank,
    Scale,
    carry,
    lowest,
    meets,
)
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


@dataclass(frozen=True)
class Raise:
    """One step of a levelled closure: a competency raised to a level, and why.

    ``rule`` and ``source`` are as in :class:`Reason`; ``source_levels`` are
    the sources' levels when they raised it (the events' levels for
    ``direct``), so an explanation can follow each source to the step that
    gave it that level: every step points only at earlier steps.
    """

    level: Rank
    rule: Rule
    source: tuple[str, ...]
    source_levels: tuple[Rank, ...]


@dataclass
class LevelledCover:
    """What a levelled closure found: each covered competency's level (absent: nothing)
    and, when asked for, every raise in the order it happened."""

    level: dict[str, Rank]
    history: dict[str, list[Raise]] | None = None

    def raise_at(self, competency: str, level: Rank) -> Raise:
        """The step that raised ``competency`` to exactly ``level``."""
        assert self.history is not None, "explanations need a closure with reasons"
        return next(step for step in self.history[competency] if step.level == level)

    def raises_behind(self, competency: str) -> Iterator[tuple[str, Rank, Raise]]:
        """The raise that gave ``competency`` its level, then, depth first and in source
        order, the raises that gave each of its sources the level it had then, down to
        direct covers: ``(competency, level, raise)`` for each, every pair once, so the
        walk ends even through a cycle of equivalences."""
        pending = [(competency, self.level[competency])]
        seen: set[tuple[str, Rank]] = set()
        while pending:
            current, rank = pending.pop()
            if (current, rank) in seen:
                continue
            seen.add((current, rank))
            step = self.raise_at(current, rank)
            yield current, rank, step
            if step.rule != "direct":
                pending.extend(reversed(list(zip(step.source, step.source_levels, strict=True))))


class CompetencyStructure:
    """Parents, children and equivalences of every competency, ready for closures.

    ``scales`` gives each framework's levels (frameworks left out state none);
    :meth:`level_closure` needs them, :meth:`closure` does not.
    """

    def __init__(
        self, competencies: Iterable[CompetencyNode], scales: Mapping[str, Scale] | None = None
    ) -> None:
        self.nodes: dict[str, CompetencyNode] = {c.id: c for c in competencies}
        known = scales or {}
        #: Each competency's scale: its framework's levels.
        self.scale: dict[str, Scale] = {
            c.id: known.get(c.framework, NO_LEVELS) for c in self.nodes.values()
        }
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
        #: Parents whose children are all of the parent's own framework (no carrying up).
        self._uniform_children: frozenset[str] = frozenset(
            parent
            for parent, kids in self.children.items()
            if all(self.scale[kid] is self.scale.get(parent) for kid in kids)
        )

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

    def level_closure(
        self,
        direct: Mapping[str, Rank],
        events: Mapping[str, Sequence[tuple[str, Rank]]] | None = None,
        *,
        reasons: bool = False,
    ) -> LevelledCover:
        """Every competency's covered level when ``direct`` are covered at those levels.

        The least assignment closed under the four rules (docs/coverage.md,
        "Levels"): direct, down (a child at least at its parent's level),
        across (an equivalent's level carried into the competency's
        framework) and up (a parent whose children are all covered, at the
        lowest of their levels). A worklist raises levels from nothing and
        never lowers one; every rule is monotone (:func:`levels.carry`
        never lowers a carried level as its source rises), so what it ends
        with is the least fixed point: a cycle of equivalences or of parents
        and children gives nothing that no event gives.

        ``events`` maps a directly covered competency to the events covering
        it and their levels, for ``direct`` reasons; with ``reasons`` every
        raise is kept (:class:`LevelledCover`), for explanations.
        """
        if not reasons:
            return LevelledCover(self._levels_only(direct))
        level: dict[str, Rank] = {}
        history: dict[str, list[Raise]] | None = {} if reasons else None
        queue: deque[str] = deque()
        queued: set[str] = set()
        # Parents whose children are all covered and one of them rose: their up rule is
        # worked out once the queue is empty, once for a burst of rises (an area covered
        # lifts every item, and each item would otherwise redo its parent's minimum).
        parents_due: deque[str] = deque()
        due: set[str] = set()
        scale, nodes = self.scale, self.nodes
        children, equivalents, parents = self.children, self.equivalents, self.parent
        uniform = self._uniform_children
        covered_children: dict[str, int] = defaultdict(int)

        def lift(competency: str, rank: Rank, rule: Rule, source: tuple[str, ...],
                 source_levels: tuple[Rank, ...]) -> None:  # fmt: skip
            before = level.get(competency, NOTHING)
            if rank <= before:
                return
            level[competency] = rank
            if before == NOTHING and (parent := parents[competency]) is not None:
                covered_children[parent] += 1
            if history is not None:
                history.setdefault(competency, []).append(Raise(rank, rule, source, source_levels))
            if competency not in queued:
                queued.add(competency)
                queue.append(competency)

        for competency in sorted(direct):
            if competency not in nodes:
                continue
            found = sorted(events.get(competency, ())) if events is not None else ()
            lift(
                competency,
                direct[competency],
                "direct",
                tuple(event for event, _ in found),
                tuple(rank for _, rank in found),
            )
        while queue or parents_due:
            if not queue:
                parent = parents_due.popleft()
                due.discard(parent)
                siblings = children[parent]
                ranks = tuple(map(level.__getitem__, siblings))
                if parent in uniform:  # every child in the parent's framework: no carrying
                    lowest_rank = min(ranks)
                else:
                    target = scale[parent]
                    lowest_rank = lowest(
                        carry(r, scale[c], target) for c, r in zip(siblings, ranks, strict=True)
                    )
                lift(parent, lowest_rank, "up", siblings, ranks)
                continue
            competency = queue.popleft()
            queued.discard(competency)
            rank, own = level[competency], scale[competency]
            for child in children.get(competency, ()):
                other_scale = scale[child]
                carried = rank if other_scale is own else carry(rank, own, other_scale)
                lift(child, carried, "down", (competency,), (rank,))
            for other in equivalents.get(competency, ()):
                other_scale = scale[other]
                carried = rank if other_scale is own else carry(rank, own, other_scale)
                lift(other, carried, "across", (competency,), (rank,))
            above = parents[competency]
            if (
                above is not None
                and above not in due
                and covered_children[above] == len(children[above])
            ):
                due.add(above)
                parents_due.append(above)
        return LevelledCover(level, history)

    def _levels_only(self, direct: Mapping[str, Rank]) -> dict[str, Rank]:
        """:meth:`level_closure` without reasons: the same least fixed point (which does
        not depend on the order the worklist takes), with the rules written out inline,
        since gaps make one closure per profession (a thousand at national scale)."""
        level: dict[str, Rank] = {}
        get = level.get
        nodes, scale, parents = self.nodes, self.scale, self.parent
        children, equivalents = self.children, self.equivalents
        uniform = self._uniform_children
        covered_children: dict[str, int] = defaultdict(int)
        queue: deque[str] = deque()
        queued: set[str] = set()
        parents_due: deque[str] = deque()
        due: set[str] = set()
        for competency, rank in direct.items():
            if competency in nodes and rank > NOTHING:
                level[competency] = rank
                if (parent := parents[competency]) is not None:
                    covered_children[parent] += 1
                queued.add(competency)
                queue.append(competency)
        while queue or parents_due:
            if queue:
                competency = queue.popleft()
                queued.discard(competency)
                rank, own = level[competency], scale[competency]
                for child in children.get(competency, ()):
                    other_scale = scale[child]
                    carried = rank if other_scale is own else carry(rank, own, other_scale)
                    before = get(child, NOTHING)
                    if carried > before:
                        level[child] = carried
                        if before == NOTHING:
                            covered_children[competency] += 1
                        if child not in queued:
                            queued.add(child)
                            queue.append(child)
                for other in equivalents.get(competency, ()):
                    other_scale = scale[other]
                    carried = rank if other_scale is own else carry(rank, own, other_scale)
                    before = get(other, NOTHING)
                    if carried > before:
                        level[other] = carried
                        if before == NOTHING and (parent := parents[other]) is not None:
                            covered_children[parent] += 1
                        if other not in queued:
                            queued.add(other)
                            queue.append(other)
                parent = parents[competency]
                if (
                    parent is not None
                    and parent not in due
                    and covered_children[parent] == len(children[parent])
                ):
                    due.add(parent)
                    parents_due.append(parent)
                continue
            parent = parents_due.popleft()
            due.discard(parent)
            siblings = children[parent]
            if parent in uniform:
                lowest_rank = min(map(level.__getitem__, siblings))
            else:
                target = scale[parent]
                lowest_rank = lowest(carry(level[c], scale[c], target) for c in siblings)
            before = get(parent, NOTHING)
            if lowest_rank > before:
                level[parent] = lowest_rank
                if before == NOTHING and (grandparent := parents[parent]) is not None:
                    covered_children[grandparent] += 1
                if parent not in queued:
                    queued.add(parent)
                    queue.append(parent)
        return level


#: The scale of a framework without levels.
NO_LEVELS = Scale(())


def cover_ranks(event: ActiveEvent, scale: Mapping[str, Scale]) -> Iterator[tuple[str, Rank]]:
    """Each competency an event covers, with the level it covers it at (docs/coverage.md).

    A cover's own level (``c-1@Expert``) comes first; otherwise the event's
    ``level``, where the competency's framework has a level of that name;
    otherwise the cover is :data:`~graphmodel.analysis.levels.UNSTATED`.

    Example
    -------
    >>> four = Scale(("Awareness", "Working", "Practitioner", "Expert"))
    >>> event = ActiveEvent("te", "T", (), ("c1", "c2", "c3"), level="working",
    ...                     cover_levels=(("c2", "Expert"),))
    >>> list(cover_ranks(event, {"c1": four, "c2": four, "c3": NO_LEVELS}))
    [('c1', 1), ('c2', 3), ('c3', -1)]
    """
    own = dict(event.cover_levels)
    for competency in event.covers:
        competency_scale = scale.get(competency, NO_LEVELS)
        name = own.get(competency, event.level)
        rank = competency_scale.rank(name) if name is not None else None
        yield competency, UNSTATED if rank is None else rank


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
        self.scales: dict[str, Scale] = {
            f.id: Scale(f.levels) for f in backend.frameworks() if f.levels
        }
        #: Whether some framework states levels: the answers then carry levels.
        self.levelled = bool(self.scales)
        self.structure = CompetencyStructure(backend.competencies(), self.scales)
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

    def levels_for(
        self, profession: str
    ) -> tuple[dict[str, Rank], dict[str, list[tuple[str, Rank]]]]:
        """The level at which the active events targeting ``profession`` cover each
        competency directly (the highest of their covers), and those events with
        their levels."""
        direct: dict[str, Rank] = {}
        events: dict[str, list[tuple[str, Rank]]] = defaultdict(list)
        scale = self.structure.scale
        for event in self.events:
            if profession in event.targets:
                for competency, rank in cover_ranks(event, scale):
                    events[competency].append((event.id, rank))
                    if rank > direct.get(competency, NOTHING):
                        direct[competency] = rank
        return direct, events

    def required_rank(self, requirement: RequirementEdge) -> Rank | None:
        """The level a requirement asks for, as a rank of its competency's scale (None: any)."""
        if requirement.level is None:
            return None
        return self.structure.scale[requirement.competency].rank(requirement.level)

    def level_name(self, competency: str, rank: Rank | None) -> str | None:
        """A rank of a competency's scale in words (None for nothing, or for no level asked)."""
        if rank is None:
            return None
        return self.structure.scale[competency].name(rank)

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

    def covered_levels_for(self, professions: Iterable[str]) -> dict[str, dict[str, Rank]]:
        """Each profession's covered level of every competency its active events reach
        (the levelled closure; a competency left out is covered at nothing)."""
        direct: dict[str, dict[str, Rank]] = defaultdict(dict)
        scale = self.structure.scale
        for event in self.events:
            ranks = list(cover_ranks(event, scale))
            for profession in event.targets:
                reached = direct[profession]
                for competency, rank in ranks:
                    if rank > reached.get(competency, NOTHING):
                        reached[competency] = rank
        closure = self.structure.level_closure
        return {p: closure(direct.get(p, {})).level for p in sorted(set(professions))}


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
        professions = (r.profession for r in self.selected)
        #: Each profession's covered level of each competency reached (levelled datasets).
        self.levels: dict[str, dict[str, Rank]] = {}
        #: The competencies each profession's active events cover at all.
        self.coverage: dict[str, AbstractSet[str]]
        if self.data.levelled:
            self.levels = self.data.covered_levels_for(professions)
            self.coverage = {p: reached.keys() for p, reached in self.levels.items()}
        else:
            self.coverage = self.data.coverage_for(professions)

    def covered_level(self, profession: str, competency: str) -> Rank:
        """The level at which the profession's active events cover the competency."""
        if self.data.levelled:
            return self.levels[profession].get(competency, NOTHING)
        return UNSTATED if competency in self.coverage[profession] else NOTHING

    def is_covered(self, requirement: RequirementEdge) -> bool:
        """Whether the requirement is covered: at its level, or at all when it asks none."""
        if not self.data.levelled:
            return requirement.competency in self.coverage[requirement.profession]
        reached = self.levels[requirement.profession].get(requirement.competency, NOTHING)
        return meets(reached, self.data.required_rank(requirement))

    def gaps(self, limit: int | None = None) -> dict[str, Any]:
        """The document of :func:`gaps`."""
        data, selected = self.data, self.selected
        nodes = data.structure.nodes
        found: list[dict[str, Any]] = []
        for requirement in selected:
            if self.is_covered(requirement):
                continue
            headcount = data.headcount(requirement.profession)
            competency = nodes[requirement.competency]
            gap: dict[str, Any] = {
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
            if data.levelled:
                reached = self.covered_level(requirement.profession, competency.id)
                gap["required_level"] = requirement.level
                gap["covered_level"] = data.level_name(competency.id, reached)
            found.append(gap)
        found.sort(key=lambda gap: (-gap["severity"], gap["profession"], gap["competency"]))
        summary = {
            "requirements": len(selected),
            "covered": len(selected) - len(found),
            "gaps": len(found),
        }
        if data.levelled:
            summary["below_level"] = sum(1 for gap in found if gap["covered_level"] is not None)
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

    When some framework states levels (``levelled``), ``below`` counts each
    cell's requirements covered below the level they ask for (or at no
    stated level), and ``levels`` lists every requirement that asks for a
    level, with the level reached (the rows of ``levels`` in the JSON).
    """

    areas: list[dict[str, str]]
    professions: list[dict[str, str]]
    cells: dict[tuple[str, str], list[int]]
    levelled: bool = False
    below: dict[tuple[str, str], int] = field(default_factory=dict)
    levels: list[dict[str, Any]] = field(default_factory=list)

    def cell(self, profession: str, area: str) -> dict[str, Any]:
        """One cell as :func:`coverage_matrix` writes it."""
        counts = self.cells.get((profession, area))
        found = {
            "profession": profession,
            "area": area,
            "required": counts[0] if counts else 0,
            "covered": counts[1] if counts else 0,
            "share": round(counts[1] / counts[0], 4) if counts else None,
        }
        if self.levelled:
            found["below_level"] = self.below.get((profession, area), 0)
        return found

    def to_json(
        self, professions: AbstractSet[str] | None = None, areas: AbstractSet[str] | None = None
    ) -> dict[str, Any]:
        """The document of :func:`coverage_matrix`, or its part for some professions and areas
        (each kept in the matrix's own order)."""
        kept_areas = [a for a in self.areas if areas is None or a["id"] in areas]
        kept_professions = [
            p for p in self.professions if professions is None or p["id"] in professions
        ]
        document: dict[str, Any] = {
            "areas": kept_areas,
            "professions": kept_professions,
            "cells": [self.cell(p["id"], a["id"]) for p in kept_professions for a in kept_areas],
        }
        if self.levelled:
            shown_professions = {p["id"] for p in kept_professions}
            shown_areas = {a["id"] for a in kept_areas}
            document["levels"] = [
                row
                for row in self.levels
                if row["profession"] in shown_professions and row["area"] in shown_areas
            ]
        return document


def _matrix_counts(answer: CoverageAnswer) -> MatrixCounts:
    data, query, structure = answer.data, answer.data.query, answer.data.structure
    cells: dict[tuple[str, str], list[int]] = {}
    below: dict[tuple[str, str], int] = defaultdict(int)
    levels: list[dict[str, Any]] = []
    for requirement in answer.selected:
        area = structure.area_of(requirement.competency)
        counts = cells.setdefault((requirement.profession, area), [0, 0])
        counts[0] += 1
        covered = answer.is_covered(requirement)
        counts[1] += covered
        if not data.levelled:
            continue
        reached = answer.covered_level(requirement.profession, requirement.competency)
        if not covered and reached != NOTHING:
            below[(requirement.profession, area)] += 1
        if requirement.level is not None:
            levels.append(
                {
                    "profession": requirement.profession,
                    "competency": requirement.competency,
                    "competency_name": structure.nodes[requirement.competency].name,
                    "area": area,
                    "required_level": requirement.level,
                    "covered_level": data.level_name(requirement.competency, reached),
                    "met": covered,
                }
            )
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
        levelled=data.levelled,
        below=dict(below),
        levels=levels,
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
    requirement = next(
        (r for r in data.requirements if r.profession == profession and r.competency == competency),
        None,
    )
    if data.levelled:
        return _explain_levelled(data, profession, competency, requirement)
    direct = data.direct_for(profession)
    covered = structure.closure(direct)
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


def _explain_levelled(
    data: CoverageData, profession: str, competency: str, requirement: RequirementEdge | None
) -> dict[str, Any]:
    """:func:`explain` where some framework states levels: the level reached, by which
    events and through which rules, and the level that would close the gap."""
    direct, events = data.levels_for(profession)
    cover = data.structure.level_closure(direct, events, reasons=True)
    reached = cover.level.get(competency, NOTHING)
    required = data.required_rank(requirement) if requirement is not None else None
    covered = meets(reached, required)
    result: dict[str, Any] = {
        "profession": profession,
        "competency": competency,
        "required": requirement is not None,
        "priority": requirement.priority.value if requirement else None,
        "covered": covered,
        "steps": level_steps(data, cover, competency) if reached != NOTHING else [],
        "near_misses": [] if covered else _near_misses(data, profession, competency, required),
        "required_level": requirement.level if requirement else None,
        "covered_level": data.level_name(competency, reached),
    }
    result["events"] = sorted(
        {event for step in result["steps"] if step["rule"] == "direct" for event in step["from"]}
    )
    result["summary"] = _level_summary(result)
    return result


def _at(level: str | None) -> str:
    """A level in a sentence: "at Expert", or "at no stated level"."""
    return "at no stated level" if level == UNSTATED_NAME else f"at {level}"


def _at_level_of(data: CoverageData, competency: str, level: str | None) -> str:
    """`` at Expert`` after a competency's name, or nothing where its framework states no
    levels (its explanation then reads as it does in a dataset without levels)."""
    return f" {_at(level)}" if data.structure.scale[competency] else ""


def level_steps(data: CoverageData, cover: LevelledCover, competency: str) -> list[dict[str, Any]]:
    """The chain of raises from the covering events to ``competency``'s level, events first.

    Each step says the level it gave (``level``); a step's sources are followed
    to the raise that gave them the level they had then, so the chain never
    loops, even through a cycle of equivalences.
    """
    structure = data.structure
    steps: list[dict[str, Any]] = []
    for current, rank, step in cover.raises_behind(competency):
        name = structure.nodes[current].name
        level = data.level_name(current, rank)
        source = list(step.source)
        if step.rule == "direct":
            source = [e for e, r in zip(step.source, step.source_levels, strict=True) if r == rank]
            text = f"{', '.join(source)} cover{'s' if len(source) == 1 else ''} "
            text += f"{current} ({name}){_at_level_of(data, current, level)}"
        elif step.rule in ("down", "across"):
            (other,), (other_rank,) = step.source, step.source_levels
            other_level = data.level_name(other, other_rank)
            relation = "an item of" if step.rule == "down" else "equivalent to"
            text = f"{current} ({name}) is {relation} {other}, which is covered"
            text += _at_level_of(data, other, other_level)
            if other_level != level and structure.scale[current]:
                text += f", {_at(level)} in {structure.nodes[current].framework}"
        else:
            lowest_words = f", the lowest {_at(level)}" if structure.scale[current] else ""
            text = f"every item of {current} ({name}) is covered{lowest_words}: "
            text += ", ".join(step.source)
        steps.append(
            {"rule": step.rule, "competency": current, "from": source, "text": text, "level": level}
        )
    steps.reverse()
    return steps


def _level_summary(result: dict[str, Any]) -> str:
    who, what = result["profession"], result["competency"]
    needed, reached = result["required_level"], result["covered_level"]
    chain = "; ".join(step["text"] for step in result["steps"])
    if result["covered"]:
        if reached == UNSTATED_NAME and not needed:
            return f"covered: {chain}"  # as a dataset without levels says it
        wanted = f" ({needed} needed)" if needed else ""
        return f"covered {_at(reached)}{wanted}: {chain}"
    closing = f"an active event targeting {who} that covers {what} at {needed} or above"
    if reached is not None:
        return (
            f"below level: covered {_at(reached)}, {needed} needed ({closing} closes it): {chain}"
        )
    if not result["near_misses"]:
        return (
            f"gap: no active event targeting {who} covers {what}"
            + (f" ({needed} needed)" if needed else "")
            + ", and nothing comes close"
        )
    return f"gap: no active event targeting {who} covers {what}" + (
        f" ({needed} needed)" if needed else ""
    )


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


def _near_misses(
    data: CoverageData, profession: str, competency: str, required: Rank | None = None
) -> list[dict[str, Any]]:
    """Active events that come close: those covering the competency for other professions
    (with levels: at the level needed or above, so that opening one to the profession
    closes the gap), then those for the profession covering a sibling."""
    node = data.structure.nodes[competency]
    siblings = (
        set(data.structure.children.get(node.parent, ())) - {competency} if node.parent else set()
    )
    misses: list[dict[str, Any]] = []
    scale = data.structure.scale
    for event in data.events:
        if competency in event.covers and profession not in event.targets:
            miss: dict[str, Any] = {
                "event": event.id,
                "title": event.title,
                "why": f"covers {competency} but targets "
                + (", ".join(event.targets) or "no profession"),
                "kind": "same competency, other professions",
            }
            if data.levelled:
                rank = dict(cover_ranks(event, scale))[competency]
                if not meets(rank, required):
                    continue
                level = data.level_name(competency, rank)
                miss["why"] = f"covers {competency}{_at_level_of(data, competency, level)} but "
                miss["why"] += "targets " + (", ".join(event.targets) or "no profession")
                miss["level"] = level
            misses.append(miss)
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
