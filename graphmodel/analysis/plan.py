"""A commissioning plan: what to open or commission, within a budget, to close the worst gaps.

The question (docs/plan.md states it for users): with the money given, which
*actions* close the most gap severity (the severity of ``gaps``)? Two kinds:

- **open** an active training event to a profession it does not target, at
  (event cost / event places) x the profession's headcount (the headcount of
  ``gaps``); an event without cost or places cannot be opened;
- **commission** an offer (the ``offers`` table, in the dataset or given
  with ``--offers``) at its cost; a commissioned offer is an active event
  inside the question's window that targets the offer's targets.

A gap closes when its requirement becomes covered by the coverage rule
(docs/coverage.md: direct, down, across and up). The plan is exact: a
mixed-integer program (:mod:`graphmodel.analysis.plan_program`) finds the
most severity within the budget, then the least cost for it, then the fewest
actions, then the earliest actions in id order. Beside it, the greedy plan
(the most severity per pound first), so the user sees what optimising bought.

Every action's cost is rounded up to the penny, so a plan within the budget
is within it however the costs are added up. The gaps a plan closes are
worked out again with the coverage rule itself, not read from the program,
and applying the plan to the dataset (:func:`apply_plan`) and running
``gaps`` closes exactly those.

Example
-------
>>> from graphmodel.backends import MemoryBackend
>>> from graphmodel.dataset import read_dataset
>>> backend = MemoryBackend(read_dataset("examples/children-trust"))
>>> result = plan(backend, PlanQuery(budget=20000))
>>> best, greedy = result["severity_closed"], result["greedy"]["severity_closed"]
>>> result["optimal"], result["cost"] <= 20000, best >= greedy
(True, True, True)
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction
from os import PathLike
from typing import Any

from graphmodel import collector
from graphmodel.analysis.coverage import (
    CoverageAnswer,
    CoverageQuery,
    LevelledCover,
    Reason,
    cover_ranks,
)
from graphmodel.analysis.levels import NOTHING, UNSTATED, Rank, meets
from graphmodel.analysis.plan_program import Action, PlanProblem, ProfessionGoals, Solution
from graphmodel.backends.base import GraphBackend
from graphmodel.dataset import offer_references, read_offers
from graphmodel.errors import GraphModelError
from graphmodel.model import Dataset, EventStatus, Offer, TrainingEvent, split_item
from graphmodel.projections import ActiveEvent


@dataclass(frozen=True)
class PlanQuery:
    """What a plan is asked for: the coverage question (as ``gaps``), the money, a time limit.

    ``time_limit`` (seconds) stops the solver; the plan then says it is not
    proven optimal and gives the best bound proven.
    """

    coverage: CoverageQuery = field(default_factory=CoverageQuery)
    budget: float = 0.0
    time_limit: float | None = None


def pence_up(pounds: Decimal) -> int:
    """Pounds as whole pence, rounded up (a plan within budget in pence is within it in pounds).

    Example
    -------
    >>> pence_up(Decimal(10) / 3)
    334
    """
    return int((pounds * 100).to_integral_value(rounding=ROUND_CEILING))


def _decimal(value: float) -> Decimal:
    """A float read from a cell as the decimal it was written as (``0.1`` is 0.1, not
    0.1000000000000000055...)."""
    return Decimal(repr(float(value)))


class _Positions:
    """Every action's place among all possible actions in id order (the last tie-break).

    The possible actions are: each openable event opened to each profession
    it does not target, and each offer commissioned. They sort by event or
    offer id, then profession id.
    """

    def __init__(
        self, events: Sequence[ActiveEvent], offers: Sequence[Offer], professions: Sequence[str]
    ) -> None:
        self.professions = sorted(professions)
        known = set(self.professions)
        counts: dict[str, int] = {}
        self.targets: dict[str, list[str]] = {}
        for event in events:
            targets = sorted(set(event.targets) & known)
            self.targets[event.id] = targets
            counts[event.id] = len(self.professions) - len(targets)
        for offer in offers:
            counts[offer.id] = 1
        self.offset: dict[str, int] = {}
        total = 0
        for source in sorted(counts):
            self.offset[source] = total
            total += counts[source]

    def of(self, source: str, profession: str | None) -> int:
        if profession is None:
            return self.offset[source] + 1
        before = bisect.bisect_left(self.professions, profession)
        targeted_before = bisect.bisect_left(self.targets[source], profession)
        return self.offset[source] + before - targeted_before + 1


class PlanData:
    """The question's gaps and candidate actions, fetched once from a backend."""

    def __init__(
        self, backend: GraphBackend, query: PlanQuery, offers: Sequence[Offer] | None = None
    ) -> None:
        self.query = query
        self.answer = CoverageAnswer(backend, query.coverage)
        data = self.answer.data
        self.data = data
        self.offers = sorted(backend.offers() if offers is None else offers, key=lambda o: o.id)
        self.budget_pence = int(
            (_decimal(query.budget) * 100).to_integral_value(rounding=ROUND_FLOOR)
        )
        self.gaps = self.answer.gaps()["gaps"]
        #: Whether some framework states levels: coverage is then levelled throughout.
        self.levelled = data.levelled
        scale = data.structure.scale
        self.direct: dict[str, set[str]] = defaultdict(set)
        #: With levels: per profession, the highest level its events cover each competency at.
        self.direct_levels: dict[str, dict[str, Rank]] = defaultdict(dict)
        for event in data.events:
            if self.levelled:
                ranks = list(cover_ranks(event, scale))
                for profession in event.targets:
                    reached = self.direct_levels[profession]
                    for competency, rank in ranks:
                        if rank > reached.get(competency, NOTHING):
                            reached[competency] = rank
            else:
                for profession in event.targets:
                    self.direct[profession].update(event.covers)
        goals: dict[str, dict[str, float]] = defaultdict(dict)
        required: dict[str, dict[str, Rank]] = defaultdict(dict)
        for gap in self.gaps:
            goals[gap["profession"]][gap["competency"]] = gap["severity"]
            if gap.get("required_level") is not None:
                asked = scale[gap["competency"]].rank(gap["required_level"])
                assert asked is not None
                required[gap["profession"]][gap["competency"]] = asked
        self.required = required
        self.problem = PlanProblem(
            data.structure, [self._goals(p, goals[p]) for p in sorted(goals)]
        )
        self.openable = [e for e in data.events if e.cost is not None and e.places]
        self.events = {event.id: event for event in data.events}
        self.positions = _Positions(self.openable, self.offers, list(data.professions))

    def _goals(self, profession: str, goals: dict[str, float]) -> ProfessionGoals:
        if self.levelled:
            return ProfessionGoals(
                profession,
                self.direct_levels.get(profession, {}),
                goals,
                self.answer.levels[profession],
                self.required.get(profession, {}),
            )
        direct = frozenset(self.direct.get(profession, ()))
        return ProfessionGoals(profession, direct, goals, self.answer.coverage[profession])

    def offer_reach(self, offer: Offer) -> list[tuple[str, Rank]]:
        """Each competency an offer covers, with the level (``c-1@Expert``; none: unstated)."""
        scale = self.data.structure.scale
        found: dict[str, Rank] = {}
        for item in offer.covers:
            competency, level = split_item(item)
            rank = scale[competency].rank(level) if level and competency in scale else None
            found[competency] = max(
                found.get(competency, NOTHING), UNSTATED if rank is None else rank
            )
        return sorted(found.items())

    def candidates(self) -> list[Action]:
        """The actions that could help close a gap and cost no more than the budget.

        Opening events to a profession P costs in proportion to each event's
        cost per place, so for each competency whose cover would help P only
        the cheapest events covering it (and those covering several such
        competencies) can be worth opening; the rest are left out here, and
        the program drops whatever else another action dominates.
        """
        triggers = self.problem.triggers()
        scale = self.data.structure.scale
        # Each openable event's covers with their levels (all unstated without levels).
        ranks_of = {e.id: dict(cover_ranks(e, scale)) for e in self.openable}
        # Cost per place as an exact fraction (numerator, denominator): whole-number
        # arithmetic gives each opening's pence exactly and fast.
        per_place: dict[str, tuple[int, int]] = {}
        for event in self.openable:
            numerator, denominator = _decimal(event.cost).as_integer_ratio()  # type: ignore[arg-type]
            per_place[event.id] = (numerator, denominator * event.places)  # type: ignore[operator]
        order = {event_id: Fraction(*ratio) for event_id, ratio in per_place.items()}
        covering: dict[str, list[ActiveEvent]] = defaultdict(list)
        for event in self.openable:
            for competency in event.covers:
                covering[competency].append(event)
        for events in covering.values():
            events.sort(key=lambda event: (order[event.id], event.id))
        actions: list[Action] = []
        for profession in sorted(triggers):
            wanted = triggers[profession]
            headcount = self.data.headcount(profession)
            kept: set[str] = set()
            for competency in sorted(wanted):
                # Per level a cover helps at, the cost of the cheapest event covering this
                # competency at that level or above.
                cheapest: dict[Rank, int] = {}
                for event in covering.get(competency, ()):
                    if profession in event.targets:
                        continue
                    numerator, denominator = per_place[event.id]
                    pence = -(-numerator * headcount * 100 // denominator)  # rounded up
                    if pence > self.budget_pence:
                        break  # the rest cost more
                    ranks = ranks_of[event.id]
                    useful = _highest_at_most(wanted[competency], ranks[competency])
                    if useful is None:
                        continue  # too low a level to help
                    several = sum(1 for c, k in ranks.items() if _helps(wanted.get(c), k)) > 1
                    best = cheapest.get(useful)
                    if best is not None and pence > best and not several:
                        continue  # a cheaper event covers this competency as well as this
                    for threshold in wanted[competency]:
                        if threshold > useful:
                            break
                        cheapest.setdefault(threshold, pence)
                    if event.id in kept:
                        continue
                    kept.add(event.id)
                    actions.append(
                        Action(
                            "open",
                            event.id,
                            profession,
                            pence,
                            event.covers,
                            (profession,),
                            self.positions.of(event.id, profession),
                            tuple(ranks[c] for c in event.covers) if self.levelled else (),
                        )
                    )
        for offer in self.offers:
            pence = pence_up(_decimal(offer.cost))
            reach = self.offer_reach(offer)
            useful = any(
                _helps(triggers.get(profession, {}).get(competency), rank)
                for profession in offer.targets
                for competency, rank in reach
            )
            if useful and pence <= self.budget_pence:
                actions.append(
                    Action(
                        "commission",
                        offer.id,
                        None,
                        pence,
                        tuple(competency for competency, _ in reach),
                        tuple(sorted(offer.targets)),
                        self.positions.of(offer.id, None),
                        tuple(rank for _, rank in reach) if self.levelled else (),
                    )
                )
        return actions

    def closed(self, actions: Sequence[Action]) -> list[dict[str, Any]]:
        """The gaps ``actions`` close, by the coverage rule itself, each with ``by``: the
        actions its cover comes from (following the rule's reasons back to direct covers)."""
        if self.levelled:
            return self._closed_levelled(actions)
        added: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for action in actions:
            for profession in action.professions:
                for competency in action.covers:
                    added[profession][competency].append(action.source)
        by_profession: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for gap in self.gaps:
            if gap["profession"] in added:
                by_profession[gap["profession"]].append(gap)
        structure = self.data.structure
        closed: list[dict[str, Any]] = []
        for profession, gaps in by_profession.items():
            new = structure.extend(self.answer.coverage[profession], dict(added[profession]))
            for gap in gaps:
                if gap["competency"] in new:
                    closed.append({**gap, "by": _sources(new, gap["competency"])})
        closed.sort(key=lambda g: (-g["severity"], g["profession"], g["competency"]))
        return closed

    def _closed_levelled(self, actions: Sequence[Action]) -> list[dict[str, Any]]:
        """:meth:`closed` with levels: each profession's levelled closure made again with
        the plan's covers (at their levels) beside its events' own."""
        added: dict[str, list[tuple[str, str, Rank]]] = defaultdict(list)
        for action in actions:
            for profession in action.professions:
                for competency, rank in action.reach():
                    added[profession].append((competency, action.source, rank))
        touched = {gap["profession"] for gap in self.gaps if gap["profession"] in added}
        own: dict[str, dict[str, list[tuple[str, Rank]]]] = defaultdict(lambda: defaultdict(list))
        scale = self.data.structure.scale
        for event in self.data.events:
            professions = touched.intersection(event.targets)
            if professions:
                ranks = list(cover_ranks(event, scale))
                for profession in professions:
                    for competency, rank in ranks:
                        own[profession][competency].append((event.id, rank))
        closed: list[dict[str, Any]] = []
        structure = self.data.structure
        for profession in sorted(touched):
            direct = dict(self.direct_levels.get(profession, {}))
            events = own[profession]
            planned = set()
            for competency, source, rank in added[profession]:
                events[competency].append((source, rank))
                planned.add(source)
                if rank > direct.get(competency, NOTHING):
                    direct[competency] = rank
            cover = structure.level_closure(direct, events, reasons=True)
            required = self.required.get(profession, {})
            for gap in self.gaps:
                if gap["profession"] != profession:
                    continue
                competency = gap["competency"]
                level = cover.level.get(competency, NOTHING)
                if meets(level, required.get(competency)):
                    by = _level_sources(cover, competency, planned)
                    closed.append({**gap, "by": by})
        closed.sort(key=lambda g: (-g["severity"], g["profession"], g["competency"]))
        return closed


def _helps(thresholds: Sequence[Rank] | None, rank: Rank) -> bool:
    """Whether a cover at ``rank`` reaches the lowest of some helpful thresholds."""
    return thresholds is not None and len(thresholds) > 0 and rank >= thresholds[0]


def _highest_at_most(thresholds: Sequence[Rank], rank: Rank) -> Rank | None:
    """The highest threshold a cover at ``rank`` reaches (None: not even the lowest)."""
    found = None
    for threshold in thresholds:
        if threshold > rank:
            break
        found = threshold
    return found


def _level_sources(cover: LevelledCover, competency: str, planned: set[str]) -> list[str]:
    """The plan's actions a competency's level leads back to: each raise followed to the
    raises that gave its sources their levels, down to direct covers (sorted)."""
    found: set[str] = set()
    for _, rank, step in cover.raises_behind(competency):
        if step.rule == "direct":
            found.update(
                source
                for source, level in zip(step.source, step.source_levels, strict=True)
                if level == rank and source in planned
            )
    return sorted(found)


def _sources(added: dict[str, Reason | None], competency: str) -> list[str]:
    """The plan's actions a newly covered competency's reasons lead back to (sorted)."""
    found: set[str] = set()
    pending, seen = [competency], set()
    while pending:
        current = pending.pop()
        if current in seen or current not in added:
            continue  # covered before the plan
        seen.add(current)
        reason = added[current]
        assert reason is not None
        if reason.rule == "direct":
            found.update(reason.source)
        else:
            pending.extend(reason.source)
    return sorted(found)


def plan(
    backend: GraphBackend, query: PlanQuery, offers: Sequence[Offer] | None = None
) -> dict[str, Any]:
    """The plan's JSON document (docs/plan.md).

    ``offers`` replaces the source's own offers (a dataset's ``offers``
    table) when given.

    Returns
    -------
    dict
        ``budget``, ``cost``, ``severity_closed``, ``gaps_closed`` (profession,
        competency, severity, and for reading the names, priority, headcount
        and ``by``, the actions that close it), ``actions`` (``kind``,
        ``event`` or ``offer``, ``profession``, ``cost``, and ``title``,
        ``targets``, ``closes``), ``greedy`` (``cost``, ``severity_closed``,
        ``actions``, ``gaps_closed``), ``optimal``, ``bound`` (the most
        severity a plan could close, as proven), ``summary`` and ``solver``.

    Raises
    ------
    NotFoundError
        For an unknown profession or framework in the coverage question.
    GraphModelError
        If the program's severity and the coverage rule's ever disagree (a
        bug: nothing is claimed that the rule does not confirm).
    """
    # The program makes a few hundred thousand small containers and no reference
    # cycles: at national scale each full collection walked millions of objects.
    with collector.paused():
        return PlanAnswer(backend, query, offers).to_json()


class PlanAnswer:
    """One plan question answered: the optimal and greedy plans and the gaps they close."""

    def __init__(
        self, backend: GraphBackend, query: PlanQuery, offers: Sequence[Offer] | None = None
    ) -> None:
        self.query = query
        self.data = PlanData(backend, query, offers)
        candidates = self.data.candidates()
        program = self.data.problem.compile(candidates)
        self.candidates = len(candidates)
        self.greedy = program.greedy(self.data.budget_pence)
        self.solution: Solution = program.solve(
            self.data.budget_pence, query.time_limit, start=self.greedy
        )
        self.program_size = self.solution.size
        self.closed = self.data.closed(self.solution.actions)
        self.greedy_closed = self.data.closed(self.greedy)
        checked = sum(gap["severity"] for gap in self.closed)
        if not math.isclose(checked, self.solution.severity, abs_tol=1e-6):
            raise GraphModelError(
                f"internal check failed: the program closes severity {self.solution.severity:g} "
                f"but the coverage rule confirms {checked:g}; please report this"
            )

    def _action(self, action: Action, closing: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
        data = self.data.data
        closes = [
            {"profession": g["profession"], "competency": g["competency"]}
            for g in closing.get(action.source, ())
            if g["profession"] in action.professions
        ]
        if action.kind == "open":
            event = self.data.events[action.source]
            assert action.profession is not None
            return {
                "kind": "open",
                "event": action.source,
                "profession": action.profession,
                "cost": action.cost,
                "title": event.title,
                "profession_name": data.professions[action.profession].name,
                "headcount": data.headcount(action.profession),
                "cost_per_place": event.cost / event.places if event.cost and event.places else 0,
                "targets": [action.profession],
                "target_names": [data.professions[action.profession].name],
                "closes": closes,
            }
        offer = next(o for o in self.data.offers if o.id == action.source)
        return {
            "kind": "commission",
            "offer": action.source,
            "profession": None,
            "cost": action.cost,
            "title": offer.title,
            "provider": offer.provider,
            "places": offer.places,
            "targets": list(action.professions),
            "target_names": [data.professions[p].name for p in action.professions],
            "closes": closes,
        }

    def to_json(self) -> dict[str, Any]:
        """The document of :func:`plan`."""
        solution = self.solution
        total = sum(gap["severity"] for gap in self.data.gaps)
        greedy_pence = sum(action.pence for action in self.greedy)
        gaps_closed = [
            {
                "profession": g["profession"],
                "competency": g["competency"],
                "severity": g["severity"],
                "priority": g["priority"],
                "headcount": g["headcount"],
                "profession_name": g["profession_name"],
                "competency_name": g["competency_name"],
                "by": g["by"],
                # With levels: the level needed, and the one reached before the plan.
                **(
                    {"required_level": g["required_level"], "covered_level": g["covered_level"]}
                    if self.data.levelled
                    else {}
                ),
            }
            for g in self.closed
        ]
        closing, greedy_closing = _by_source(self.closed), _by_source(self.greedy_closed)
        return {
            "budget": self.query.budget,
            "cost": solution.pence / 100,
            "severity_closed": solution.severity,
            "gaps_closed": gaps_closed,
            "actions": [self._action(a, closing) for a in _ordered(solution.actions)],
            "greedy": {
                "cost": greedy_pence / 100,
                "severity_closed": sum(g["severity"] for g in self.greedy_closed),
                "gaps_closed": len(self.greedy_closed),
                "actions": [self._action(a, greedy_closing) for a in self.greedy],
            },
            "optimal": solution.optimal,
            "bound": solution.bound,
            "summary": {
                "gaps": len(self.data.gaps),
                "severity": total,
                "gaps_closed": len(gaps_closed),
                "severity_left": total - solution.severity,
                "candidates": self.candidates,
                "offers": len(self.data.offers),
            },
            "solver": {
                "stopped": solution.stopped,
                "stages": solution.stages,
                "program": self.program_size,
            },
        }


def read_offers_for(backend: GraphBackend, path: str | PathLike[str]) -> list[Offer]:
    """The offers table in ``path`` (``plan --offers FILE``), checked against ``backend``'s
    graph: covers name its competencies, targets its professions (ids or names), and an
    offer's id is no node's id.

    Raises
    ------
    DatasetError
        Every problem, as ``file:row:column: message``.
    """
    competencies = backend.competencies()
    nodes = {c.id: ("Competency", c.name) for c in competencies}
    nodes.update({p.id: ("Profession", p.name) for p in backend.professions()})
    others = sorted(value for value in offer_references(path) if value not in nodes)
    for node in backend.named_nodes_by_id(others):
        nodes[node.id] = (node.label, node.name)
    levels = {f.id: f.levels for f in backend.frameworks()}
    framework_of = {c.id: c.framework for c in competencies}
    return read_offers(path, nodes, levels=levels, framework_of=framework_of)


def _by_source(closed: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The gaps closed, by each action (event or offer) their cover comes from."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for gap in closed:
        for source in gap["by"]:
            found[source].append(gap)
    return found


def _ordered(actions: Sequence[Action]) -> list[Action]:
    return sorted(actions, key=lambda action: action.key)


def apply_plan(
    dataset: Dataset,
    document: dict[str, Any],
    query: CoverageQuery | None = None,
    offers: Sequence[Offer] | None = None,
) -> Dataset:
    """The dataset with a plan's actions done: events opened, offers commissioned.

    An opened event gains the profession in its targets. A commissioned
    offer becomes a planned training event with the offer's id, title,
    targets, covers, cost and places, led by its provider when the provider
    is an organisation of the dataset, dated to fall inside the question's
    window (``query``: from its start to its end, where given) and evaluated
    at its ``--min-evaluation``; it leaves the ``offers`` table. ``offers``
    are the offers the plan was made with, when not the dataset's own. Running
    ``gaps`` with the same options on the result closes exactly the plan's
    ``gaps_closed``.
    """
    query = query or CoverageQuery()
    opened: dict[str, list[str]] = defaultdict(list)
    commissioned: set[str] = set()
    for action in document["actions"]:
        if action["kind"] == "open":
            opened[action["event"]].append(action["profession"])
        else:
            commissioned.add(action["offer"])
    events = []
    for event in dataset.training_events:
        if event.id in opened:
            targets = list(dict.fromkeys([*event.targets, *opened[event.id]]))
            event = event.model_copy(update={"targets": targets})
        events.append(event)
    organisations = {o.id for o in dataset.organisations}
    names = {o.name.casefold(): o.id for o in dataset.organisations}
    window = query.events
    start: dt.date | None = window.date_from or window.date_to
    end: dt.date | None = window.date_to if window.date_from is not None else None
    available = {o.id: o for o in (dataset.offers if offers is None else offers)}
    missing = commissioned - set(available)
    if missing:
        raise GraphModelError(
            f"the plan commissions {', '.join(sorted(missing))}, which the offers given do "
            "not hold; give the same --offers file as for the plan"
        )
    for offer_id in sorted(commissioned):
        offer = available[offer_id]
        provider = offer.provider
        lead = provider if provider in organisations else names.get((provider or "").casefold())
        events.append(
            TrainingEvent(
                id=offer.id,
                title=offer.title,
                lead_organisation=lead,
                start_date=start,
                end_date=end,
                places=offer.places,
                cost=offer.cost,
                evaluation=window.min_evaluation,
                status=EventStatus.PLANNED,
                targets=offer.targets,
                covers=offer.covers,
            )
        )
    left = [o for o in dataset.offers if o.id not in commissioned]
    return dataset.model_copy(update={"training_events": events, "offers": left})
