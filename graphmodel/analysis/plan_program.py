"""The commissioning plan as an exact mixed-integer program (docs/plan.md states it for users).

Coverage (docs/coverage.md) is the *least* set closed under four rules:
direct, down (a parent covers its children), across (equivalents) and up (a
competency whose children are all covered). A maximising program given only
"a competency may be covered when one of its rules holds" would cover things
nothing covers: two equivalent competencies supporting each other, or a
parent covered because all its children are while each child is covered
because of its parent. This module compiles the rules into a program whose
coverage is exactly the least fixed point.

**Two atoms per competency.** For each competency ``c`` the program has an
atom ``C(c)``, "c is covered", and an atom ``U(c)``, "c is covered from
below": directly, across from an equivalent, or because all its children are
covered from below. The rules become::

    U(c) <- direct(c)
    U(c) <- C(e)                 for each e equivalent to c
    U(c) <- U(ch1) and ... and U(chk)     (c's children)
    C(c) <- U(c)
    C(c) <- C(parent(c))

This system has the same least fixed point for ``C`` as the four rules: a
child covered only through its parent cannot help its parent's "up" rule
(the parent would already be covered), so the up rule may ask for the
children's ``U`` instead of their ``C``. The parent-child cycles of the
original rules are gone; cycles remain only through equivalences.

**Well-founded support.** Every atom that a plan could make true gets a
variable ``y`` in [0, 1]; an atom may be 1 only if one of its rules supports
it (``y <= sum of supports``), a rule supports only when its premises hold.
Strongly connected parts of the rule graph that use only single-premise
rules (equivalent competencies, and what implies them) mean the same thing
and are merged into one atom. In what remains, a rule inside a cycle gets a
binary switch and the atoms of the cycle get ranks: a rule may support its
head only from premises of lower rank, so no cycle supports itself. Rules
between different strongly connected parts need no ranks (the parts are
ordered). With the actions' switches binary, an atom's ``y`` is positive
only if the least fixed point makes it true, and it can be 1 whenever it
does: the program's severity is exactly the severity the plan closes.

**Pruning.** Only what can change a gap is compiled. For each gap, the atoms
that imply it through single-premise rules are its *support*; an "up" rule
one of whose premises already implies the gap (or the atom being supported)
can never help and is left out. Atoms no candidate action could make true
are dropped, and so are actions that reach no atom left, or that another
action dominates (reaches at least the same atoms for no more money, or the
same money and an earlier id).

**Levels.** With proficiency levels (docs/coverage.md, "Levels") a
competency has a covered level, the least assignment closed under the same
rules, carried between scales by :func:`graphmodel.analysis.levels.carry`.
Each atom carries a threshold: ``C(c, k)`` is "c is covered at level k or
above" (``k`` a :data:`~graphmodel.analysis.levels.Rank`;
:data:`~graphmodel.analysis.levels.UNSTATED`, the threshold of every atom
without levels, is "covered at all"). Carrying never lowers a level as its
source rises, so "the carried level is at least j" is "the source's level is
at least the lowest level that carries to j or above" (:func:`needed`), and
each rule becomes rules between threshold atoms::

    U(c, k) <- direct cover of c at k or above
    U(c, k) <- C(e, needed(k, e -> c))            for each e equivalent to c
    C(c, k) <- U(c, k)
    C(c, k) <- C(parent(c), needed(k, parent -> c))
    U(c, k) <- U(ch1, k) and ... and U(chk, k)     (c's children, all on c's scale)
    U(c, k) <- C(ch1, needed(k, ch1 -> c)) and ... (children on other scales)

The ``U`` form of the up rule holds only where the children share the
parent's scale: carrying a level down to another scale and back up may
raise it, so a parent whose children lie on other scales keeps the general
rule on ``C``, and its cycles are ranked like any other. A requirement at
level ``r`` is the goal ``C(c, r)``; one without a level is ``C(c, UNSTATED)``.

The solver is HiGHS (:mod:`highspy`), run in stages: the most severity
within the budget; then the least cost for that severity; then the fewest
actions; then the earliest actions in id order (the least sum of their
positions among all possible actions). Each stage's result is a constraint
of the next, and each is proven optimal (severities are multiples of 0.5,
costs are compared to the penny) unless a time limit stops it, which the
result then says.

Example
-------
>>> from graphmodel.analysis.coverage import CompetencyStructure
>>> from graphmodel.projections import CompetencyNode
>>> structure = CompetencyStructure([
...     CompetencyNode("a", "A", "fw", None, ("b",)),
...     CompetencyNode("b", "B", "fw", None, ()),
... ])
>>> problem = PlanProblem(structure, [ProfessionGoals("p", frozenset(), {"a": 10.0})])
>>> actions = [Action("open", "te-1", "p", 5000, ("b",), ("p",), 1)]
>>> solution = problem.solve(actions, budget_pence=10000)
>>> [a.key for a in solution.actions], solution.severity, solution.optimal
([('te-1', 'p')], 10.0, True)
"""

from __future__ import annotations

import contextlib
import functools
import heapq
import math
import os
import sys
import time
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from graphmodel.analysis.coverage import NO_LEVELS, CompetencyStructure
from graphmodel.analysis.levels import NOTHING, UNSTATED, Rank, Scale, carry
from graphmodel.errors import GraphModelError

#: An atom of the program: ``("C" | "U", competency, threshold)``.
Atom = tuple[str, str, int]

#: Severities are multiples of this (weight 1 or 0.5 times a whole headcount).
SEVERITY_STEP = 0.5


@functools.lru_cache(maxsize=65536)
def needed(level: Rank, source: Scale, target: Scale) -> Rank | None:
    """The lowest level of ``source`` that carries to ``level`` of ``target`` or above
    (:func:`~graphmodel.analysis.levels.carry`), or None when none does.

    Carrying is monotone, so a competency on ``source`` covered at ``needed(...)``
    or above is exactly one whose carried level is ``level`` or above.

    Example
    -------
    >>> four = Scale(("Awareness", "Working", "Practitioner", "Expert"))
    >>> needed(2, Scale(tuple("1234567")), four), needed(UNSTATED, four, NO_LEVELS)
    (4, -1)
    >>> needed(0, NO_LEVELS, four) is None
    True
    """
    if level <= UNSTATED:
        return UNSTATED
    if source is target:
        return level
    return next((k for k in range(len(source)) if carry(k, source, target) >= level), None)


@dataclass(frozen=True)
class Action:
    """One thing a plan can do, as the program sees it.

    ``kind`` ``open`` adds ``professions`` (one) to event ``source``'s
    targets; ``commission`` makes offer ``source`` an active event for its
    targets (``professions``). ``pence`` is its cost in whole pence (money is
    counted exactly); ``covers`` are the competencies it covers directly, and
    ``ranks`` the level it covers each at (empty: every one at no stated
    level, :data:`~graphmodel.analysis.levels.UNSTATED`); ``position`` is its
    place among every possible action in id order (1 first), the last
    tie-break.
    """

    kind: Literal["open", "commission"]
    source: str
    profession: str | None
    pence: int
    covers: tuple[str, ...]
    professions: tuple[str, ...]
    position: int
    ranks: tuple[Rank, ...] = ()

    def reach(self) -> Iterator[tuple[str, Rank]]:
        """Each competency it covers with the level it covers it at."""
        if not self.ranks:
            for competency in self.covers:
                yield competency, UNSTATED
        else:
            yield from zip(self.covers, self.ranks, strict=True)

    @functools.cached_property
    def key(self) -> tuple[str, str]:
        """``(event or offer id, profession or "")``: actions sort by it."""
        return (self.source, self.profession or "")

    @property
    def cost(self) -> float:
        """The cost in pounds."""
        return self.pence / 100


@dataclass(frozen=True)
class ProfessionGoals:
    """One profession's part of the question.

    ``direct`` are the competencies its active events cover directly (with
    levels: each with the highest level they cover it at); ``goals`` maps
    each gap's competency to the gap's severity, and ``required`` to the
    level its requirement asks for (left out: any cover will do).
    """

    profession: str
    direct: AbstractSet[str] | Mapping[str, Rank]
    goals: dict[str, float]
    #: What ``direct`` cover by the coverage rule, when already worked out (with levels:
    #: each competency's covered level).
    covered: AbstractSet[str] | Mapping[str, Rank] | None = None
    required: Mapping[str, Rank] = field(default_factory=dict)


@dataclass
class Solution:
    """A plan the program found, and what the solver proved about it.

    ``severity`` is the severity the plan closes as the program counts it
    (the caller checks it against the coverage rule); ``bound`` is the most
    severity any plan within the budget could close, as proven (equal to
    ``severity`` when ``optimal``). ``optimal`` means every stage finished:
    the plan is the one the tie-break rule defines. ``stopped`` names the
    stage a time limit cut short, if any.
    """

    actions: list[Action]
    severity: float
    pence: int
    bound: float
    optimal: bool
    stopped: str | None = None
    stages: list[dict[str, Any]] = field(default_factory=list)
    size: dict[str, int] = field(default_factory=dict)


# -- the rules, per profession ---------------------------------------------------


class _BaseTruth:
    """Which atoms the profession's own active events already make true.

    ``C(c, k)`` is true when the coverage closure covers ``c`` at ``k`` or
    above; ``U(c, k)`` when ``c`` is covered so directly, across, or by its
    children (the module's up rules).
    """

    def __init__(self, structure: CompetencyStructure, goals: ProfessionGoals) -> None:
        self.structure = structure
        self.levelled = isinstance(goals.direct, Mapping)
        self.direct = goals.direct
        covered = goals.covered
        if covered is None:
            if isinstance(goals.direct, Mapping):
                covered = structure.level_closure(goals.direct).level
            else:
                covered = structure.closure(goals.direct, reasons=False).keys()
        self.covered: AbstractSet[str] = covered.keys() if isinstance(covered, Mapping) else covered
        self.levels: Mapping[str, Rank] | None = covered if isinstance(covered, Mapping) else None
        self._below: dict[tuple[str, Rank], bool] = {}

    def level(self, competency: str) -> Rank:
        """The competency's covered level (without levels: unstated, or nothing)."""
        if self.levels is not None:
            return self.levels.get(competency, NOTHING)
        return UNSTATED if competency in self.covered else NOTHING

    def holds(self, atom: Atom) -> bool:
        kind, competency, threshold = atom
        if kind == "C":
            if threshold == UNSTATED:
                return competency in self.covered
            return self.level(competency) >= threshold
        return self.below(competency, threshold)

    def below(self, competency: str, threshold: Rank) -> bool:
        """``U(competency, threshold)``, computed bottom-up (iteratively: hierarchies may
        be deep)."""
        key = (competency, threshold)
        if key in self._below:
            return self._below[key]
        children = self.structure.children
        stack = [competency]
        while stack:
            current = stack[-1]
            uniform = _uniform(self.structure, current)
            pending = [
                ch
                for ch in children.get(current, ())
                if uniform and (ch, threshold) not in self._below
            ]
            if pending and not self._plain(current, threshold):
                stack.extend(pending)
                continue
            stack.pop()
            if (current, threshold) not in self._below:
                self._below[(current, threshold)] = self._plain(current, threshold) or self._up(
                    current, threshold, uniform
                )
        return self._below[key]

    def _up(self, competency: str, threshold: Rank, uniform: bool) -> bool:
        kids = self.structure.children.get(competency, ())
        if not kids:
            return False
        if uniform:
            return all(self._below[(ch, threshold)] for ch in kids)
        scale = self.structure.scale
        own = scale[competency]
        for child in kids:
            level = needed(threshold, scale[child], own)
            if level is None or self.level(child) < level:
                return False
        return True

    def _plain(self, competency: str, threshold: Rank) -> bool:
        direct = self.direct
        if isinstance(direct, Mapping):
            if direct.get(competency, NOTHING) >= threshold:
                return True
        elif competency in direct:
            return True
        equivalents = self.structure.equivalents.get(competency, ())
        if not equivalents:
            return False
        if threshold == UNSTATED:
            return any(e in self.covered for e in equivalents)
        scale = self.structure.scale
        own = scale[competency]
        for other in equivalents:
            level = needed(threshold, scale[other], own)
            if level is not None and self.level(other) >= level:
                return True
        return False


def _uniform(structure: CompetencyStructure, competency: str) -> bool:
    """Whether the competency's children are all on its own scale (no carrying up)."""
    return competency not in _mixed_parents(structure)


@functools.lru_cache(maxsize=2)
def _mixed_parents(structure: CompetencyStructure) -> frozenset[str]:
    """The competencies with a child on another scale than their own (kept for the last
    structures asked about: a plan asks about one)."""
    scale = structure.scale
    return frozenset(
        parent
        for parent, children in structure.children.items()
        if any(scale[child] is not scale.get(parent, NO_LEVELS) for child in children)
    )


def _or_premises(structure: CompetencyStructure, atom: Atom) -> list[Atom]:
    """The single-premise rules' premises of ``atom``: each alone makes it true."""
    kind, competency, threshold = atom
    scale = structure.scale
    if kind == "C":
        found: list[Atom] = [("U", competency, threshold)]
        parent = structure.parent.get(competency)
        if parent is not None:
            level = needed(threshold, scale[parent], scale[competency])
            if level is not None:
                found.append(("C", parent, level))
        return found
    own = scale[competency]
    premises: list[Atom] = []
    for other in structure.equivalents.get(competency, ()):
        level = needed(threshold, scale[other], own)
        if level is not None:
            premises.append(("C", other, level))
    return premises


def _and_premises(structure: CompetencyStructure, atom: Atom) -> tuple[Atom, ...] | None:
    """The "up" rule's premises of ``atom`` (its children's ``U`` on its own scale, their
    ``C`` at the levels that carry up otherwise), or None when it has none."""
    kind, competency, threshold = atom
    if kind != "U":
        return None
    children = structure.children.get(competency)
    if not children:
        return None
    if _uniform(structure, competency):
        return tuple(("U", child, threshold) for child in children)
    scale = structure.scale
    own = scale[competency]
    premises: list[Atom] = []
    for child in children:
        level = needed(threshold, scale[child], own)
        if level is None:
            return None  # a child whose level never carries up so high
        premises.append(("C", child, level))
    return tuple(premises)


@dataclass
class _ProfessionRules:
    """The part of the program one profession needs: atoms, rules, goals, triggers."""

    profession: str
    truth: _BaseTruth
    atoms: set[Atom] = field(default_factory=set)
    and_rules: dict[Atom, tuple[Atom, ...]] = field(default_factory=dict)
    goals: dict[Atom, float] = field(default_factory=dict)

    def or_edges(self, structure: CompetencyStructure) -> Iterator[tuple[Atom, Atom]]:
        """``(premise, head)`` of every single-premise rule among the atoms."""
        for head in self.atoms:
            for premise in _or_premises(structure, head):
                if premise in self.atoms:
                    yield premise, head

    def trigger_levels(self) -> dict[str, tuple[Rank, ...]]:
        """Competencies whose direct cover would make one of the atoms true, each with the
        thresholds of those atoms (lowest first)."""
        return _thresholds(self.atoms)


def _thresholds(atoms: Iterable[Atom]) -> dict[str, tuple[Rank, ...]]:
    """The ``U`` atoms' competencies, each with their thresholds (lowest first)."""
    found: dict[str, set[Rank]] = defaultdict(set)
    for kind, competency, threshold in atoms:
        if kind == "U":
            found[competency].add(threshold)
    return {competency: tuple(sorted(levels)) for competency, levels in found.items()}


def reached(action: Action, wanted: Mapping[str, tuple[Rank, ...]]) -> frozenset[tuple[str, Rank]]:
    """The ``U`` thresholds of ``wanted`` an action's direct covers make true:
    ``(competency, threshold)`` for each threshold at or below the level it covers at."""
    found = set()
    for competency, level in action.reach():
        for threshold in wanted.get(competency, ()):
            if threshold > level:
                break
            found.add((competency, threshold))
    return frozenset(found)


def _relevant(
    structure: CompetencyStructure,
    truth: _BaseTruth,
    goals: Iterable[Atom],
    possible: set[Atom] | None,
) -> tuple[set[Atom], dict[Atom, tuple[Atom, ...]]]:
    """The atoms and "up" rules that can help make some goal true (see the module's pruning).

    ``possible`` (when given) limits the search to atoms some action could make true.
    """
    closures: dict[Atom, frozenset[Atom]] = {}

    def allowed(atom: Atom) -> bool:
        return (possible is None or atom in possible) and not truth.holds(atom)

    def support(root: Atom) -> frozenset[Atom]:
        if root not in closures:
            seen = {root}
            queue = deque([root])
            while queue:
                for premise in _or_premises(structure, queue.popleft()):
                    if premise not in seen and allowed(premise):
                        seen.add(premise)
                        queue.append(premise)
            closures[root] = frozenset(seen)
        return closures[root]

    atoms: set[Atom] = set()
    rules: dict[Atom, tuple[Atom, ...]] = {}
    for goal in goals:
        goal_support = support(goal)
        roots = {goal}
        stack = [goal_support]
        while stack:
            region = stack.pop()
            atoms.update(region)
            for atom in region:
                premises = _and_premises(structure, atom)
                if premises is None:
                    continue
                open_premises = tuple(p for p in premises if not truth.holds(p))
                if not all(possible is None or p in possible for p in open_premises):
                    continue  # a child nothing can cover: the rule can never hold
                # A premise that already implies the goal, or the atom this region
                # supports, makes the rule useless here: the premise alone does it.
                if any(p in goal_support or p in region for p in open_premises):
                    continue
                rules[atom] = open_premises
                for premise in open_premises:
                    if premise not in roots:
                        roots.add(premise)
                        stack.append(support(premise))
    return atoms, rules


def _possible(
    structure: CompetencyStructure,
    atoms: set[Atom],
    rules: dict[Atom, tuple[Atom, ...]],
    triggered: set[Atom],
) -> set[Atom]:
    """The atoms true when every trigger in ``triggered`` fires (forward chaining)."""
    heads: dict[Atom, list[Atom]] = defaultdict(list)
    for head in atoms:
        for premise in _or_premises(structure, head):
            if premise in atoms:
                heads[premise].append(head)
    waiting: dict[Atom, list[Atom]] = defaultdict(list)
    missing: dict[Atom, int] = {}
    for head, premises in rules.items():
        missing[head] = len(premises)
        for premise in premises:
            waiting[premise].append(head)
    true = set(triggered & atoms)
    queue = deque(true)
    while queue:
        atom = queue.popleft()
        found = list(heads.get(atom, ()))
        for head in waiting.get(atom, ()):
            missing[head] -= 1
            if missing[head] == 0:
                found.append(head)
        for head in found:
            if head not in true:
                true.add(head)
                queue.append(head)
    return true


# -- the program -------------------------------------------------------------------


class PlanProblem:
    """The gaps of some professions and the coverage rules; :meth:`solve` plans for a budget.

    Parameters
    ----------
    structure
        Parents, children and equivalences of every competency.
    professions
        Each profession's directly covered competencies and its gaps (with severity).
    """

    def __init__(
        self,
        structure: CompetencyStructure,
        professions: Sequence[ProfessionGoals],
        truths: dict[str, _BaseTruth] | None = None,
    ) -> None:
        self.structure = structure
        self.professions = {p.profession: p for p in professions if p.goals}
        known = truths or {}
        self._truth = {
            p: known.get(p) or _BaseTruth(structure, goals) for p, goals in self.professions.items()
        }
        self._first: dict[str, tuple[set[Atom], dict[Atom, tuple[Atom, ...]]]] = {}

    def _goals(self, profession: str) -> dict[Atom, float]:
        """The profession's gaps as goal atoms (those its events already cover left out)."""
        truth = self._truth[profession]
        atoms = _goal_atoms(self.professions[profession])
        return {goal: weight for goal, weight in atoms.items() if not truth.holds(goal)}

    def _relevant_first(self, profession: str) -> tuple[set[Atom], dict[Atom, tuple[Atom, ...]]]:
        if profession not in self._first:
            self._first[profession] = _relevant(
                self.structure, self._truth[profession], self._goals(profession), possible=None
            )
        return self._first[profession]

    def residual(self, done: Sequence[Action], professions: Iterable[str]) -> PlanProblem:
        """The problem left once ``done`` are taken, for ``professions``: their events'
        covers gain what ``done`` cover for them, and the gaps that closes are gone."""
        added: dict[str, dict[str, Rank]] = defaultdict(dict)
        for action in done:
            for profession in action.professions:
                reach = added[profession]
                for competency, level in action.reach():
                    reach[competency] = max(level, reach.get(competency, NOTHING))
        left = []
        unchanged = []
        for profession in sorted(set(professions) & set(self.professions)):
            goals = self.professions[profession]
            new = added.get(profession, {})
            truth = self._truth[profession]
            if truth.levelled:
                changed = self._levelled_residual(goals, truth, new)
                if changed is None:
                    left.append(goals)
                    unchanged.append(profession)
                else:
                    left.append(changed)
                continue
            base = truth.covered
            gained = self.structure.extend(base, set(new), reasons=False)
            if not gained:  # nothing changes for this profession: reuse what is known
                left.append(goals)
                unchanged.append(profession)
                continue
            covered = set(base) | gained.keys()
            open_goals = {c: w for c, w in goals.goals.items() if c not in covered}
            left.append(
                ProfessionGoals(
                    profession, frozenset(goals.direct) | new.keys(), open_goals, covered
                )
            )
        rest = PlanProblem(self.structure, left, {p: self._truth[p] for p in unchanged})
        for profession in unchanged:
            if profession in self._first:
                rest._first[profession] = self._first[profession]
        return rest

    def _levelled_residual(
        self, goals: ProfessionGoals, truth: _BaseTruth, new: Mapping[str, Rank]
    ) -> ProfessionGoals | None:
        """One profession's part once ``new`` direct covers (with their levels) are added,
        or None when they change no level."""
        assert isinstance(goals.direct, Mapping) and truth.levels is not None
        direct = dict(goals.direct)
        for competency, level in new.items():
            if level > direct.get(competency, NOTHING):
                direct[competency] = level
        if direct == goals.direct:
            return None
        levels = self.structure.level_closure(direct).level
        if levels == truth.levels:
            return None
        open_goals = {
            c: w
            for c, w in goals.goals.items()
            if levels.get(c, NOTHING) < goals.required.get(c, UNSTATED)
        }
        return ProfessionGoals(goals.profession, direct, open_goals, levels, goals.required)

    def triggers(self) -> dict[str, dict[str, tuple[Rank, ...]]]:
        """Per profession, the competencies whose direct cover could help close a gap, each
        with the levels a cover helps at (lowest first: a cover helps when it is at the
        lowest or above).

        An action that covers none of its professions' competencies here (at
        such a level) can close nothing, whatever else the plan does.
        """
        found = {}
        for profession in self.professions:
            atoms, _ = self._relevant_first(profession)
            found[profession] = _thresholds(atoms)
        return found

    def compile(self, actions: Sequence[Action]) -> CompiledProgram:
        """The program for these candidate actions (pruned, dominated actions dropped)."""
        structure = self.structure
        # Profession -> competencies actions cover, at the highest level any covers them.
        reach: dict[str, dict[str, Rank]] = defaultdict(dict)
        for action in actions:
            for profession in action.professions:
                if profession in self.professions:
                    covered = reach[profession]
                    for competency, level in action.reach():
                        if level > covered.get(competency, NOTHING):
                            covered[competency] = level
        rules_of: dict[str, _ProfessionRules] = {}
        for profession in sorted(reach):
            if profession not in self.professions:
                continue
            truth = self._truth[profession]
            goal_atoms = self._goals(profession)
            atoms, rules = self._relevant_first(profession)
            highest = reach[profession]
            triggered = {a for a in atoms if a[0] == "U" and highest.get(a[1], NOTHING) >= a[2]}
            possible = _possible(structure, atoms, rules, triggered)
            reachable_goals = [g for g in goal_atoms if g in possible]
            if not reachable_goals:
                continue
            if len(possible) < len(atoms):  # some atoms can never hold: search again without
                atoms, rules = _relevant(structure, truth, reachable_goals, possible=possible)
            kept = _ProfessionRules(profession, truth, atoms, rules)
            for goal in reachable_goals:
                kept.goals[goal] = goal_atoms[goal]
            rules_of[profession] = kept
        return CompiledProgram(self, rules_of, _undominated(actions, rules_of))

    def solve(
        self,
        actions: Sequence[Action],
        budget_pence: int,
        time_limit: float | None = None,
    ) -> Solution:
        """The best plan among ``actions`` within the budget (see the module's stages)."""
        return self.compile(actions).solve(budget_pence, time_limit)

    def greedy(self, actions: Sequence[Action], budget_pence: int) -> list[Action]:
        """The greedy plan: repeatedly the action closing the most severity per pound.

        Free actions that close something come first; ties go to more
        severity, then less cost, then the earlier action. It stops when no
        action that fits the money left closes anything more.
        """
        return self.compile(actions).greedy(budget_pence)


def _goal_atoms(goals: ProfessionGoals) -> dict[Atom, float]:
    found: dict[Atom, float] = defaultdict(float)
    for competency, severity in goals.goals.items():
        found[("C", competency, goals.required.get(competency, UNSTATED))] += severity
    return dict(found)


#: What an action makes true, per profession: ``U`` atoms as ``(competency, threshold)``.
Effect = dict[str, frozenset[tuple[str, Rank]]]


def _undominated(
    actions: Sequence[Action], rules_of: dict[str, _ProfessionRules]
) -> list[tuple[Action, Effect]]:
    """The actions that reach some atom left, each with what it reaches (per profession),
    without those another action dominates.

    ``b`` dominates ``a`` when it reaches everything ``a`` reaches and costs
    less, or the same and comes earlier: a plan with ``a`` is never the one
    chosen, since swapping ``b`` in closes at least as much for no more.
    """
    triggers = {p: rules.trigger_levels() for p, rules in rules_of.items()}
    effects: list[tuple[Action, Effect]] = []
    for action in actions:
        effect = {}
        for profession in action.professions:
            wanted = triggers.get(profession)
            if wanted is not None:
                found = reached(action, wanted)
                if found:
                    effect[profession] = found
        if effect:
            effects.append((action, effect))
    order = sorted(range(len(effects)), key=lambda i: (effects[i][0].pence, effects[i][0].key))
    # (P, (c, threshold)) -> the actions reaching it, better first.
    holders: dict[tuple[str, tuple[str, Rank]], list[int]] = defaultdict(list)
    for index in order:
        for profession, competencies in effects[index][1].items():
            for competency in competencies:
                holders[(profession, competency)].append(index)
    rank = {index: place for place, index in enumerate(order)}
    kept = []
    for index in order:
        action, effect = effects[index]
        pairs = [(p, c) for p, cs in effect.items() for c in cs]
        rarest = min(pairs, key=lambda pair: len(holders[pair]))
        dominated = False
        for other in holders[rarest]:
            if rank[other] >= rank[index]:
                break
            other_effect = effects[other][1]
            if all(c in other_effect.get(p, ()) for p, c in pairs):
                dominated = True
                break
        if not dominated:
            kept.append((action, effect))
    kept.sort(key=lambda pair: pair[0].key)
    return kept


class _Builder:
    """Columns and rows of a mixed-integer program, passed to HiGHS at once."""

    def __init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integer: list[bool] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []
        self.row_start: list[int] = [0]
        self.index: list[int] = []
        self.value: list[float] = []

    def column(self, lower: float, upper: float, integer: bool = False) -> int:
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(integer)
        return len(self.lower) - 1

    def row(self, terms: Iterable[tuple[int, float]], lower: float, upper: float) -> None:
        merged: dict[int, float] = defaultdict(float)
        for column, coefficient in terms:
            merged[column] += coefficient
        for column, coefficient in merged.items():
            if coefficient != 0.0:
                self.index.append(column)
                self.value.append(coefficient)
        self.row_start.append(len(self.index))
        self.row_lower.append(lower)
        self.row_upper.append(upper)


class CompiledProgram:
    """The pruned rules of every profession and the candidate actions, ready to solve."""

    def __init__(
        self,
        problem: PlanProblem,
        rules_of: dict[str, _ProfessionRules],
        actions: list[tuple[Action, Effect]],
    ) -> None:
        self.problem = problem
        self.structure = problem.structure
        self.rules_of = rules_of
        self.actions = [action for action, _ in actions]
        self.effects = [effect for _, effect in actions]
        self._merge()

    # -- the merged graph ------------------------------------------------------------

    def _merge(self) -> None:
        """Number the atoms, merge single-premise cycles, find the cycles left."""
        structure = self.structure
        atom_ids: dict[tuple[str, Atom], int] = {}
        for profession in sorted(self.rules_of):
            for atom in sorted(self.rules_of[profession].atoms):
                atom_ids[(profession, atom)] = len(atom_ids)
        count = len(atom_ids)
        or_edges = [
            (atom_ids[(p, premise)], atom_ids[(p, head)])
            for p, rules in sorted(self.rules_of.items())
            for premise, head in rules.or_edges(structure)
        ]
        merged = _components(count, or_edges)
        self.node_of = {key: int(merged[i]) for key, i in atom_ids.items()}
        nodes = int(merged.max()) + 1 if count else 0
        self.node_count = nodes
        self.profession_of: list[str] = [""] * nodes
        for (profession, _), node in self.node_of.items():
            self.profession_of[node] = profession
        self.or_in: list[set[int]] = [set() for _ in range(nodes)]
        for premise, head in or_edges:
            a, b = int(merged[premise]), int(merged[head])
            if a != b:
                self.or_in[b].add(a)
        self.and_rules: list[tuple[int, tuple[int, ...]]] = []
        for profession, rules in sorted(self.rules_of.items()):
            for head_atom, premises in sorted(rules.and_rules.items()):
                h = self.node_of[(profession, head_atom)]
                ps = tuple(sorted({self.node_of[(profession, q)] for q in premises}))
                if h not in ps:  # a premise that means the head itself: never first
                    self.and_rules.append((h, ps))
        self.goal_weight = np.zeros(nodes)
        for profession, rules in self.rules_of.items():
            for goal, severity in rules.goals.items():
                self.goal_weight[self.node_of[(profession, goal)]] += severity
        self.triggered_by: list[set[int]] = [set() for _ in range(nodes)]
        self.triggers_of: list[dict[str, set[int]]] = []
        for index, effect in enumerate(self.effects):
            reached: dict[str, set[int]] = {}
            for profession, competencies in effect.items():
                ids = {self.node_of[(profession, ("U", c, k))] for c, k in competencies}
                reached[profession] = ids
                for node in ids:
                    self.triggered_by[node].add(index)
            self.triggers_of.append(reached)
        edges = [(a, b) for b in range(nodes) for a in self.or_in[b]]
        edges += [(q, h) for h, ps in self.and_rules for q in ps]
        cycles = _components(nodes, edges)
        self.cycle_of = cycles
        self.cycle_size = np.bincount(cycles, minlength=int(cycles.max()) + 1 if nodes else 0)

    def _in_cycle(self, a: int, b: int) -> bool:
        return bool(self.cycle_of[a] == self.cycle_of[b] and self.cycle_size[self.cycle_of[a]] > 1)

    # -- the program -----------------------------------------------------------------

    def _program(self, budget_pence: int) -> tuple[_Builder, dict[str, Any]]:
        builder = _Builder()
        x = [builder.column(0.0, 1.0, integer=True) for _ in self.actions]
        y = [builder.column(0.0, 1.0) for _ in range(self.node_count)]
        rank: dict[int, int] = {}
        for node in range(self.node_count):
            size = int(self.cycle_size[self.cycle_of[node]])
            if size > 1:
                rank[node] = builder.column(0.0, float(size - 1))
        switches = 0
        support: list[list[tuple[int, float]]] = [[] for _ in range(self.node_count)]
        for head in range(self.node_count):
            for premise in sorted(self.or_in[head]):
                if self._in_cycle(premise, head):
                    switch = builder.column(0.0, 1.0, integer=True)
                    switches += 1
                    support[head].append((switch, -1.0))
                    builder.row([(switch, 1.0), (y[premise], -1.0)], -math.inf, 0.0)
                    self._ranked(builder, rank, head, premise, switch)
                else:
                    support[head].append((y[premise], -1.0))
        for head, premises in self.and_rules:
            inside = [q for q in premises if self._in_cycle(q, head)]
            switch = builder.column(0.0, 1.0, integer=bool(inside))
            switches += bool(inside)
            support[head].append((switch, -1.0))
            for premise in premises:
                builder.row([(switch, 1.0), (y[premise], -1.0)], -math.inf, 0.0)
            for premise in inside:
                self._ranked(builder, rank, head, premise, switch)
        for node in range(self.node_count):
            terms = [(y[node], 1.0), *support[node]]
            terms += [(x[a], -1.0) for a in sorted(self.triggered_by[node])]
            builder.row(terms, -math.inf, 0.0)
        budget_row = len(builder.row_lower)
        # No plan can spend more than every action together: a larger budget is that.
        spendable = min(budget_pence, sum(action.pence for action in self.actions))
        builder.row(
            ((x[a], float(action.pence)) for a, action in enumerate(self.actions)),
            -math.inf,
            float(spendable),
        )
        info = {
            "x": x,
            "y": y,
            "budget_row": budget_row,
            "size": {
                "actions": len(self.actions),
                "atoms": self.node_count,
                "rules": len(self.and_rules) + sum(len(s) for s in self.or_in),
                "ranked_atoms": len(rank),
                "switches": switches,
                "columns": len(builder.lower),
                "rows": len(builder.row_lower),
            },
        }
        return builder, info

    def _ranked(
        self, builder: _Builder, rank: dict[int, int], head: int, premise: int, switch: int
    ) -> None:
        """With the switch on, the premise's rank is below the head's: no cycle supports itself."""
        size = float(self.cycle_size[self.cycle_of[head]])
        builder.row(
            [(rank[head], 1.0), (rank[premise], -1.0), (switch, -size)], 1.0 - size, math.inf
        )

    def solve(
        self,
        budget_pence: int,
        time_limit: float | None = None,
        start: Sequence[Action] = (),
    ) -> Solution:
        """The plan of the tie-break rule (module docstring).

        ``start`` is a plan within the budget to start from (the greedy
        plan): the result never closes less, even when stopped early.

        First the program's linear relaxation: its dual gives, for each
        action, a bound on the severity of any plan with (or without) it.
        An action whose bound with it falls below what ``start`` closes is in
        no best plan; one whose bound without it does is in every best plan.
        Those are settled, and the four stages run on the program left (the
        actions still open, with the gaps the settled ones leave). Settling
        is exact: it only drops plans that close less than ``start``.
        """
        if not self.actions or not self.goal_weight.any():
            return Solution([], 0.0, 0, 0.0, True, size={"actions": len(self.actions)})
        started = time.monotonic()

        def remaining() -> float | None:
            if time_limit is None:
                return None
            return max(time_limit - (time.monotonic() - started), 0.0)

        builder, info = self._program(budget_pence)
        relaxed = _relaxation(builder, info, self.goal_weight, remaining())
        if relaxed is None:  # the time limit stopped even the relaxation
            return self._staged(builder, info, budget_pence, remaining(), start)
        bound, with_it, without_it = relaxed
        floor = self.severity_of(start)
        # Dual arithmetic is exact up to HiGHS's tolerances; severities are multiples
        # of 0.5, so a margin of 0.1 keeps every plan that could reach ``floor``.
        margin = 0.1
        ones = [a for a in range(len(self.actions)) if without_it[a] < floor - margin]
        zeros = {a for a in range(len(self.actions)) if with_it[a] < floor - margin}
        open_actions = [
            self.actions[a]
            for a in range(len(self.actions))
            if a not in zeros and a not in set(ones)
        ]
        settled = [self.actions[a] for a in ones]
        touched = {p for action in open_actions for p in action.professions}
        rest = self.problem.residual(settled, touched).compile(open_actions)
        left_pence = budget_pence - sum(action.pence for action in settled)
        index = {action.key for action in open_actions}
        solution = rest._staged(
            *rest._program(left_pence),
            left_pence,
            remaining(),
            [action for action in start if action.key in index],
        )
        chosen = settled + solution.actions
        closed = self.severity_of(chosen)
        proven = _floor_step(bound)
        if solution.optimal or solution.stopped not in (None, "severity"):
            proven = closed
        else:
            proven = min(proven, closed + solution.bound - solution.severity)
        relaxation = {
            "stage": "relaxation",
            "status": "Optimal",
            "optimal": True,
            "objective": round(bound, 6),
            "bound": round(bound, 6),
            "settled": {"in": len(settled), "out": len(zeros), "open": len(open_actions)},
        }
        return Solution(
            chosen,
            closed,
            sum(action.pence for action in chosen),
            max(proven, closed),
            solution.optimal,
            solution.stopped,
            [relaxation, *solution.stages],
            {**info["size"], "open_actions": len(rest.actions)},
        )

    def _staged(
        self,
        builder: _Builder,
        info: dict[str, Any],
        budget_pence: int,
        time_limit: float | None,
        start: Sequence[Action],
    ) -> Solution:
        """The four stages on this program (the module docstring's tie-break rule)."""
        if not self.actions or not self.goal_weight.any():
            return Solution([], 0.0, 0, 0.0, True, size=info["size"])
        x: list[int] = info["x"]
        y: list[int] = info["y"]
        columns = len(builder.lower)
        started = time.monotonic()

        def remaining() -> float | None:
            if time_limit is None:
                return None
            return max(time_limit - (time.monotonic() - started), 0.0)

        severity = {y[n]: float(w) for n, w in enumerate(self.goal_weight) if w}
        # Each stage: its objective, whether it maximises, and the gap that proves it
        # (severities are multiples of 0.5; pence, counts and positions whole numbers).
        stages = (
            ("severity", severity, True, SEVERITY_STEP / 2),
            ("cost", {x[a]: float(act.pence) for a, act in enumerate(self.actions)}, False, 0.5),
            ("actions", {x[a]: 1.0 for a in range(len(self.actions))}, False, 0.5),
            (
                "positions",
                {x[a]: float(act.position) for a, act in enumerate(self.actions)},
                False,
                0.5,
            ),
        )
        results: list[dict[str, Any]] = []
        values: np.ndarray[Any, Any] | None = None
        bound = math.inf
        stopped: str | None = None
        index = {action.key: a for a, action in enumerate(self.actions)}
        started_with = sorted(index[action.key] for action in start if action.key in index)
        closable = float(self.goal_weight.sum())
        # What each stage reached, kept as a constraint of the stages after it.
        reached_rows: list[tuple[dict[int, float], float, float]] = []
        for name, terms, maximise, gap in stages:
            # Each stage gets a model of its own: HiGHS's presolve then sees the new
            # constraint whole (reusing one model made the last stage forty times slower).
            highs = _highs()
            _pass(highs, builder)
            for row_terms, lower, upper in reached_rows:
                _add_row(highs, row_terms, lower, upper)
            _objective(highs, columns, terms, maximise)
            # Start from the previous stage's plan (or the greedy plan): only the actions'
            # switches, which HiGHS completes into a solution of this stage's model.
            chosen_before = (
                [a for a in range(len(self.actions)) if values[x[a]] > 0.5]
                if values is not None
                else started_with
            )
            if chosen_before:
                on = np.array([x[a] for a in chosen_before], dtype=np.int32)
                highs.setSolution(len(on), on, np.ones(len(on)))
            result = _run(highs, name, gap, remaining())
            if not _consistent(result, terms) and chosen_before:
                # HiGHS (1.16) may report a proven optimum yet hand back the start it
                # was given: the stage is then solved again without one.
                highs = _highs()
                _pass(highs, builder)
                for row_terms, lower, upper in reached_rows:
                    _add_row(highs, row_terms, lower, upper)
                _objective(highs, columns, terms, maximise)
                result = _run(highs, name, gap, remaining())
            if not _consistent(result, terms):
                raise GraphModelError(
                    f"the solver's {name} stage gave a solution its objective does not "
                    "match; please report this"
                )
            results.append(result)
            if result["solution"] is not None:
                values = result["solution"]
            if name == "severity" and not result["optimal"]:
                bound = min(_floor_step(result["bound"]), closable)
            if not result["optimal"] or values is None:
                stopped = name
                break
            value = sum(w * values[c] for c, w in terms.items())
            if maximise:
                reached_rows.append((terms, _round_step(value) - gap_of(name), _inf()))
            else:
                reached_rows.append((terms, -_inf(), round(value) + 0.5))
        for result in results:
            del result["solution"]
        if values is None:  # nothing found in time: the plan started from (or none) stands
            chosen = [self.actions[a] for a in started_with]
        else:
            chosen = [self.actions[a] for a in range(len(self.actions)) if values[x[a]] > 0.5]
        closed = self.severity_of(chosen)
        return Solution(
            chosen,
            closed,
            sum(action.pence for action in chosen),
            closed if bound == math.inf else max(bound, closed),
            stopped is None,
            stopped,
            results,
            info["size"],
        )

    # -- evaluating plans --------------------------------------------------------------

    def severity_of(self, chosen: Iterable[Action]) -> float:
        """The severity these actions close, by forward chaining over the program's rules."""
        index = {action.key: a for a, action in enumerate(self.actions)}
        triggered: set[int] = set()
        for action in chosen:
            a = index.get(action.key)
            if a is not None:
                for ids in self.triggers_of[a].values():
                    triggered.update(ids)
        missing = {r: len(ps) for r, (_, ps) in enumerate(self.and_rules)}
        return float(sum(self.goal_weight[n] for n in self._derive(triggered, set(), missing)))

    def _derive(self, new: set[int], true: set[int], missing: dict[int, int]) -> set[int]:
        """Nodes that become true when ``new`` are triggered on top of ``true``.

        ``missing`` holds, per "up" rule, how many of its premises ``true``
        lacks; it is read, not changed.
        """
        heads, waiting = self._forward
        added: set[int] = set()
        delta: dict[int, int] = defaultdict(int)
        queue = deque(n for n in new if n not in true)
        added.update(queue)
        while queue:
            node = queue.popleft()
            found = list(heads[node])
            for rule in waiting[node]:
                delta[rule] += 1
                if missing[rule] - delta[rule] == 0:
                    found.append(self.and_rules[rule][0])
            for head in found:
                if head not in true and head not in added:
                    added.add(head)
                    queue.append(head)
        return added

    @functools.cached_property
    def _forward(self) -> tuple[list[list[int]], list[list[int]]]:
        """Per node, the heads of its single-premise rules and the "up" rules waiting on it."""
        heads: list[list[int]] = [[] for _ in range(self.node_count)]
        for head in range(self.node_count):
            for premise in sorted(self.or_in[head]):
                heads[premise].append(head)
        waiting: list[list[int]] = [[] for _ in range(self.node_count)]
        for rule, (_, premises) in enumerate(self.and_rules):
            for premise in premises:
                waiting[premise].append(rule)
        return heads, waiting

    @functools.cached_property
    def _groups(self) -> tuple[list[int], list[list[int]]]:
        """Actions that can change each other's worth: per action its group, per group
        its actions (actions reaching connected parts of the rules)."""
        parent = list(range(self.node_count))

        def find(node: int) -> int:
            while parent[node] != node:
                parent[node] = parent[parent[node]]
                node = parent[node]
            return node

        def join(a: int, b: int) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)

        for head in range(self.node_count):
            for premise in self.or_in[head]:
                join(head, premise)
        for head, premises in self.and_rules:
            for premise in premises:
                join(head, premise)
        group_of: list[int] = []
        members: dict[int, list[int]] = defaultdict(list)
        for reached in self._reached:
            nodes = sorted(reached)
            for node in nodes[1:]:
                join(nodes[0], node)
        for a, reached in enumerate(self._reached):
            group = find(min(reached)) if reached else -1 - a
            group_of.append(group)
            members[group].append(a)
        return group_of, [members[group_of[a]] for a in range(len(self.actions))]

    @functools.cached_property
    def _reached(self) -> list[frozenset[int]]:
        return [frozenset(n for ids in t.values() for n in ids) for t in self.triggers_of]

    def greedy(self, budget_pence: int) -> list[Action]:
        """The greedy plan (:meth:`PlanProblem.greedy`).

        Each action's worth is kept in a heap; after a choice, the actions of
        its group (those whose worth it can change) are worked out again, so
        each step takes the best action exactly as trying them all would.
        """
        true: set[int] = set()
        missing = {r: len(ps) for r, (_, ps) in enumerate(self.and_rules)}
        left = budget_pence
        chosen: list[Action] = []
        taken: set[int] = set()
        _, waiting = self._forward
        reached = self._reached
        group_of, members = self._groups
        version: dict[int, int] = defaultdict(int)
        heap: list[tuple[float, float, int, tuple[str, str], int, int]] = []

        def push(a: int) -> None:
            action = self.actions[a]
            if a in taken or action.pence > left:
                return
            added = self._derive(set(reached[a]), true, missing)
            gained = float(sum(self.goal_weight[n] for n in added))
            if gained > 0:
                ratio = math.inf if action.pence == 0 else gained / action.pence
                entry = (-ratio, -gained, action.pence, action.key, a, version[group_of[a]])
                heapq.heappush(heap, entry)

        for a in range(len(self.actions)):
            push(a)
        while heap:
            *_, a, stamp = heapq.heappop(heap)
            action = self.actions[a]
            if a in taken or stamp != version[group_of[a]] or action.pence > left:
                continue
            added = self._derive(set(reached[a]), true, missing)
            for node in added:
                for rule in waiting[node]:
                    missing[rule] -= 1
            true |= added
            taken.add(a)
            chosen.append(action)
            left -= action.pence
            version[group_of[a]] += 1
            for other in members[a]:
                push(other)
        return chosen


def gap_of(stage: str) -> float:
    """How far below a stage's reached value the next stage may go (severity: less than
    one step of 0.5; the others are whole numbers)."""
    return SEVERITY_STEP / 2 if stage == "severity" else 0.5


def _relaxation(
    builder: _Builder, info: dict[str, Any], weights: np.ndarray[Any, Any], time_limit: float | None
) -> tuple[float, np.ndarray[Any, Any], np.ndarray[Any, Any]] | None:
    """The linear relaxation's bound on severity, and per action the bounds with it and
    without it, from the relaxation's dual (None when the time limit stopped it).

    For row duals ``y`` and reduced costs ``z = c - A'y``, every plan closes
    at most ``sum_i max(y_i l_i, y_i u_i) + sum_j max(z_j lo_j, z_j up_j)``
    (weak duality, for any ``y``); fixing a switch to 1 or 0 changes only its
    own term. Computed here from the dual rather than read from the solver,
    so that the bounds hold whatever the solver's tolerances.
    """
    import highspy

    highs = _highs()
    _pass(highs, builder)
    columns = len(builder.lower)
    y: list[int] = info["y"]
    costs = {y[n]: float(w) for n, w in enumerate(weights) if w}
    _objective(highs, columns, costs, maximise=True)
    highs.setOptionValue("solve_relaxation", True)
    highs.setOptionValue("time_limit", math.inf if time_limit is None else float(time_limit))
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    duals = np.array(highs.getSolution().row_dual, dtype=np.float64)
    matrix = sp.csr_matrix(
        (builder.value, builder.index, builder.row_start), shape=(len(builder.row_lower), columns)
    )
    objective = np.zeros(columns)
    for column, value in costs.items():
        objective[column] = value
    reduced = objective - matrix.T @ duals
    lower, upper = np.array(builder.row_lower), np.array(builder.row_upper)
    row_terms = np.maximum(_times(duals, lower), _times(duals, upper))
    column_lower, column_upper = np.array(builder.lower), np.array(builder.upper)
    column_terms = np.maximum(_times(reduced, column_lower), _times(reduced, column_upper))
    bound = float(row_terms.sum() + column_terms.sum())
    if not math.isfinite(bound):
        return None
    x = np.array(info["x"], dtype=np.int64)
    own = column_terms[x]  # each switch is in [0, 1]
    return bound, bound - own + reduced[x], bound - own


def _times(values: np.ndarray[Any, Any], bounds: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """``values * bounds`` with 0 x infinity = 0 (a zero dual on an open side costs nothing)."""
    with np.errstate(invalid="ignore"):
        product: np.ndarray[Any, Any] = np.asarray(values * bounds, dtype=np.float64)
    product[values == 0] = 0.0
    return product


def _components(count: int, edges: Sequence[tuple[int, int]]) -> np.ndarray[Any, Any]:
    """Strongly connected components of a directed graph on ``count`` nodes, numbered
    in order of their smallest node."""
    if count == 0:
        return np.zeros(0, dtype=np.int64)
    if edges:
        sources, targets = zip(*edges, strict=True)
    else:
        sources, targets = (), ()
    graph = sp.csr_matrix(
        (
            np.ones(len(edges)),
            (np.array(sources, dtype=np.int64), np.array(targets, dtype=np.int64)),
        ),
        shape=(count, count),
    )
    _, labels = connected_components(graph, directed=True, connection="strong")
    # Renumber by first appearance, so the numbering does not depend on scipy's.
    first: dict[int, int] = {}
    renumbered = np.empty(count, dtype=np.int64)
    for node, label in enumerate(labels):
        renumbered[node] = first.setdefault(int(label), len(first))
    return renumbered


# -- HiGHS ------------------------------------------------------------------------


def _highs() -> Any:
    """A silent HiGHS instance. Its first construction in a process prints a banner on
    the C library's standard output, which would corrupt ``--format json``: the file
    descriptor points at the null device meanwhile."""
    import highspy

    with _quiet_stdout():
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("random_seed", 0)
    return highs


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # a captured stream: nothing to hide
        yield
        return
    sys.stdout.flush()
    saved = os.dup(fd)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), fd)
        yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


def _inf() -> float:
    import highspy

    return float(highspy.kHighsInf)


def _pass(highs: Any, builder: _Builder) -> None:
    import highspy

    inf = _inf()

    def bounded(values: list[float]) -> np.ndarray[Any, Any]:
        return np.clip(np.array(values, dtype=np.float64), -inf, inf)

    lp = highspy.HighsLp()
    lp.num_col_ = len(builder.lower)
    lp.num_row_ = len(builder.row_lower)
    lp.col_cost_ = np.zeros(lp.num_col_)
    lp.col_lower_ = bounded(builder.lower)
    lp.col_upper_ = bounded(builder.upper)
    lp.row_lower_ = bounded(builder.row_lower)
    lp.row_upper_ = bounded(builder.row_upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(builder.row_start, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(builder.index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(builder.value, dtype=np.float64)
    lp.integrality_ = [
        highspy.HighsVarType.kInteger if integer else highspy.HighsVarType.kContinuous
        for integer in builder.integer
    ]
    highs.passModel(lp)


def _add_row(highs: Any, terms: dict[int, float], lower: float, upper: float) -> None:
    columns = np.array(sorted(terms), dtype=np.int32)
    values = np.array([terms[c] for c in sorted(terms)], dtype=np.float64)
    highs.addRow(lower, upper, len(columns), columns, values)


def _objective(highs: Any, columns: int, terms: dict[int, float], maximise: bool) -> None:
    import highspy

    vector = np.zeros(columns)
    for column, value in terms.items():
        vector[column] = value
    highs.changeColsCost(columns, np.arange(columns, dtype=np.int32), vector)
    sense = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
    highs.changeObjectiveSense(sense)


def _solution(values: np.ndarray[Any, Any]) -> Any:
    import highspy

    solution = highspy.HighsSolution()
    solution.col_value = list(values)
    solution.value_valid = True
    return solution


def _run(highs: Any, stage: str, gap: float, time_limit: float | None) -> dict[str, Any]:
    """Run one stage; its status, bound and solution (``None`` when none was found)."""
    import highspy

    highs.setOptionValue("mip_abs_gap", gap)
    highs.setOptionValue("time_limit", math.inf if time_limit is None else float(time_limit))
    highs.run()
    status = highs.getModelStatus()
    info = highs.getInfo()
    found = info.primal_solution_status == 2  # kSolutionStatusFeasible
    optimal = status == highspy.HighsModelStatus.kOptimal
    return {
        "stage": stage,
        "status": highs.modelStatusToString(status),
        "optimal": optimal,
        "objective": round(float(info.objective_function_value), 6) if found else None,
        "bound": round(float(info.mip_dual_bound), 6)
        if math.isfinite(info.mip_dual_bound)
        else None,
        "solution": np.array(highs.getSolution().col_value) if found else None,
    }


def _consistent(result: dict[str, Any], terms: dict[int, float]) -> bool:
    """Whether a stage's solution gives the objective the solver reported for it."""
    values, objective = result["solution"], result["objective"]
    if values is None or objective is None:
        return True
    found = sum(weight * values[column] for column, weight in terms.items())
    return bool(abs(found - objective) <= 1e-6 * max(1.0, abs(objective)) + 1e-6)


def _round_step(value: float) -> float:
    return round(value / SEVERITY_STEP) * SEVERITY_STEP


def _floor_step(value: float | None) -> float:
    """A proven upper bound, down to the severities a plan can reach (multiples of 0.5)."""
    if value is None or not math.isfinite(value):
        return math.inf
    return math.floor(value / SEVERITY_STEP + 1e-6) * SEVERITY_STEP
