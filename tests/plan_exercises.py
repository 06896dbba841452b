"""Small generated planning exercises, and the plan found by trying every set of actions.

Used by ``tests/test_plan*.py``. An exercise is a real dataset (frameworks
with areas, items and equivalences, cycles included; proficiency levels on
two scales, often different, sharing some names or none; requirements,
covers and offers at levels; events with and without cost or places,
cancelled, outside the window, evaluated too low; offers), a coverage
question and a budget. :func:`enumerated` tries every subset of every
possible action and scores it with the coverage rule itself
(``CompetencyStructure.closure``, or ``level_closure`` where some framework
states levels), independently of the plan's program.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from graphmodel.analysis.coverage import (
    CompetencyStructure,
    CoverageAnswer,
    CoverageQuery,
    cover_ranks,
)
from graphmodel.analysis.levels import NOTHING, UNSTATED, Rank, meets
from graphmodel.backends import MemoryBackend
from graphmodel.model import (
    Competency,
    Dataset,
    Evaluation,
    EventStatus,
    Framework,
    Offer,
    Organisation,
    Priority,
    Profession,
    Requirement,
    TrainingEvent,
    WorkforceEntry,
    join_item,
    split_item,
)
from graphmodel.projections import EventFilter

WINDOW = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))

#: Scales a generated framework may state: none, four named levels, SFIA-like
#: numbers, and two that share some of the four's names (carried by name).
SCALES: tuple[tuple[str, ...], ...] = (
    (),
    ("Awareness", "Working", "Practitioner", "Expert"),
    ("1", "2", "3"),
    ("Working", "Expert"),
    ("Basic", "Working", "Lead", "Expert", "Master"),
)


@dataclass(frozen=True)
class Exercise:
    """A dataset, the coverage question asked of it and the money."""

    dataset: Dataset
    query: CoverageQuery
    budget: int

    @property
    def options(self) -> list[str]:
        """The question as command-line options."""
        events = self.query.events
        options = ["--budget", str(self.budget)]
        if events.date_from:
            options += ["--from", events.date_from.isoformat()]
        if events.date_to:
            options += ["--to", events.date_to.isoformat()]
        if events.min_evaluation is not Evaluation.NONE:
            options += ["--min-evaluation", events.min_evaluation.value]
        for profession in self.query.professions:
            options += ["--profession", profession]
        return options


@dataclass(frozen=True)
class PossibleAction:
    """One action as the test counts it: what it adds, for whom, at what cost and place."""

    source: str
    profession: str | None
    #: What it covers directly: ``(competency, level)``, the level a rank of the
    #: competency's scale (unstated: -1).
    covers: tuple[tuple[str, Rank], ...]
    targets: tuple[str, ...]
    pence: int

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.profession or "")


def exercises() -> st.SearchStrategy[Exercise]:
    """Small exercises built to make the program's hard cases common (:func:`build`).

    The exercise is drawn through Hypothesis' own random generator, so its
    choices are spread evenly (Hypothesis' direct draws favour the smallest
    cases) and a failing exercise still shrinks.
    """
    return st.randoms(use_true_random=False).map(build)


def build(rng: random.Random) -> Exercise:
    """One exercise: its dataset, question and budget, from ``rng``.

    Competencies form areas with items (some items have items of their own)
    in two frameworks, with equivalences drawn freely: cycles, an item
    equivalent to its own area, and crossed parent/child equivalences all
    occur. Events may lack cost or places, be cancelled, fall outside the
    window or be evaluated below the minimum. The budget is a share of what
    every possible action costs together, so most budgets force a choice.
    """
    count = rng.randint(4, 8)
    ids = [f"c{i}" for i in range(count)]
    frameworks = [rng.choice(["fw-a", "fw-b"]) for _ in ids]
    # Half the exercises state levels: each framework a scale of its own (often
    # different, so levels carry across by name or by position), or none.
    levelled = rng.random() < 0.5
    scales = {
        framework: (rng.choice(SCALES[1:]) if rng.random() < 0.85 else ()) if levelled else ()
        for framework in ("fw-a", "fw-b")
    }
    scale_of = {c: scales[frameworks[i]] for i, c in enumerate(ids)}

    def at_level(competency: str) -> str:
        """A cover item, at a level of its scale half the time."""
        levels = scale_of[competency]
        if levels and rng.random() < 0.6:
            return join_item(competency, rng.choice(levels))
        return competency

    parents: list[str | None] = []
    for i in range(count):
        same = [ids[j] for j in range(i) if frameworks[j] == frameworks[i]]
        if levelled and rng.random() < 0.3:
            # An item under another framework's area: levels carry down and up between
            # scales, and the up rule cannot use the same-scale shortcut.
            same = ids[:i]
        parents.append(rng.choice(same) if same and rng.random() < 0.65 else None)
    equivalents: dict[str, set[str]] = {c: set() for c in ids}
    for _ in range(rng.randint(0, 4)):
        a, b = rng.sample(ids, 2)
        equivalents[a].add(b)
    competencies = [
        Competency(
            id=c,
            name=f"Competency {c}",
            framework=frameworks[i],
            parent=parents[i],
            equivalent_to=sorted(equivalents[c]),
        )
        for i, c in enumerate(ids)
    ]
    professions = [f"p{i}" for i in range(rng.randint(2, 3))]
    workforce = []
    for profession in professions:
        headcount = rng.choice([None, 0, 3, 7, 12, 12, 25, 40])
        if headcount is not None:
            workforce.append(
                WorkforceEntry(organisation="org", profession=profession, headcount=headcount)
            )
    requirements = [
        Requirement(
            profession=p,
            competency=c,
            priority=rng.choice(list(Priority)),
            level=rng.choice([None, *scale_of[c]]) if scale_of[c] else None,
        )
        for p in professions
        for c in ids
        if rng.random() < 0.55
    ]
    periods: list[tuple[dt.date | None, dt.date | None]] = [
        (dt.date(2026, 3, 1), dt.date(2026, 4, 1)),
        (None, None),
        (dt.date(2025, 3, 1), dt.date(2025, 4, 1)),  # before the window
        (dt.date(2027, 3, 1), None),  # after it
    ]
    events = []
    for i in range(rng.randint(3, 5)):
        start, end = rng.choice(periods[:2] * 3 + periods[2:])
        events.append(
            TrainingEvent(
                id=f"te{i}",
                title=f"Event {i}",
                start_date=start,
                end_date=end,
                places=rng.choice([None, 0, 4, 5, 10, 10, 10, 20, 20, 20]),
                cost=rng.choice([None, 0, 100, 150, 200, 300, 300, 600, 600, 600]),
                evaluation=rng.choice(list(Evaluation)),
                status=rng.choice([*EventStatus, EventStatus.PLANNED, EventStatus.RUNNING]),
                targets=rng.sample(professions, rng.randint(0, 1)),
                covers=[at_level(c) for c in rng.sample(ids, rng.randint(1, 2))],
                # The level of covers that carry none, where their framework has it.
                level=rng.choice([None, None, "Working", "Expert", "2"]) if levelled else None,
            )
        )
    offers = [
        Offer(
            id=f"of{i}",
            title=f"Offer {i}",
            covers=[at_level(c) for c in rng.sample(ids, rng.randint(1, 2))],
            targets=rng.sample(professions, rng.randint(1, 2)),
            cost=rng.choice([0, 50, 120, 300, 900]),
            places=rng.choice([None, 10, 30]),
        )
        for i in range(rng.randint(0, 2))
    ]
    dataset = Dataset(
        frameworks=[
            Framework(id="fw-a", name="A", levels=list(scales["fw-a"])),
            Framework(id="fw-b", name="B", levels=list(scales["fw-b"])),
        ],
        competencies=competencies,
        professions=[Profession(id=p, name=f"Profession {p}") for p in professions],
        requirements=requirements,
        organisations=[Organisation(id="org", name="Organisation")],
        workforce=workforce,
        training_events=events,
        offers=offers,
    )
    date_from, date_to = rng.choice([WINDOW, WINDOW, (None, None), (WINDOW[0], None)])
    minimum = rng.choice([Evaluation.NONE, Evaluation.NONE, Evaluation.REACTION])
    only = rng.choice([(), (), (professions[0],)])
    query = CoverageQuery(EventFilter(date_from, date_to, minimum), professions=only)
    exercise = Exercise(dataset, query, 0)
    total = sum(action.pence for action in possible_actions(exercise)) // 100
    share = rng.choice([0.0, 0.15, 0.3, 0.3, 0.5, 0.5, 0.7, 1.0])
    return Exercise(dataset, query, int(total * share))


def possible_actions(exercise: Exercise) -> list[PossibleAction]:
    """Every action the exercise allows, sorted by key: each active event with cost and
    places opened to each profession it does not target, each offer commissioned."""
    dataset, events = exercise.dataset, exercise.query.events
    structure = CoverageAnswer(MemoryBackend(dataset), exercise.query).data.structure
    headcount = {p.id: 0 for p in dataset.professions}
    staffed = set()
    for row in dataset.workforce:
        headcount[row.profession] += row.headcount
        staffed.add(row.profession)
    for profession in headcount:
        if profession not in staffed:
            headcount[profession] = 1
    actions = []
    for event in dataset.training_events:
        active = events.admits(event.status, event.evaluation, event.start_date, event.end_date)
        if not active or event.cost is None or not event.places:
            continue
        covers = _event_reach(event, structure)
        for profession in sorted(headcount):
            if profession not in event.targets:
                exact = Fraction(str(event.cost)) / event.places * headcount[profession]
                actions.append(
                    PossibleAction(
                        event.id,
                        profession,
                        covers,
                        (profession,),
                        math.ceil(exact * 100),
                    )
                )
    for offer in dataset.offers:
        actions.append(
            PossibleAction(
                offer.id,
                None,
                _offer_reach(offer, structure),
                tuple(offer.targets),
                math.ceil(Fraction(str(offer.cost)) * 100),
            )
        )
    return sorted(actions, key=lambda action: action.key)


def _event_reach(
    event: TrainingEvent, structure: CompetencyStructure
) -> tuple[tuple[str, Rank], ...]:
    """An event's covers with their levels (a cover's own, else the event's, else unstated)."""
    found: dict[str, Rank] = {}
    for item in event.covers:
        competency, level = split_item(item)
        scale = structure.scale[competency]
        stated = level if level is not None else event.level
        rank = scale.rank(stated) if stated is not None else None
        found[competency] = max(found.get(competency, NOTHING), UNSTATED if rank is None else rank)
    return tuple(sorted(found.items()))


def _offer_reach(offer: Offer, structure: CompetencyStructure) -> tuple[tuple[str, Rank], ...]:
    """An offer's covers with their levels (``c@Level``; none: unstated)."""
    found: dict[str, Rank] = {}
    for item in offer.covers:
        competency, level = split_item(item)
        rank = structure.scale[competency].rank(level) if level is not None else None
        found[competency] = max(found.get(competency, NOTHING), UNSTATED if rank is None else rank)
    return tuple(sorted(found.items()))


class Scorer:
    """The severity a set of actions closes, by the coverage rule itself (the levelled
    closure where some framework states levels)."""

    def __init__(self, exercise: Exercise) -> None:
        backend = MemoryBackend(exercise.dataset)
        answer = CoverageAnswer(backend, exercise.query)
        self.gaps = answer.gaps()["gaps"]
        self.levelled = answer.data.levelled
        self.structure: CompetencyStructure = answer.data.structure
        self.direct: dict[str, dict[str, Rank]] = {}
        for event in answer.data.events:
            ranks = list(cover_ranks(event, self.structure.scale))
            for profession in event.targets:
                reached = self.direct.setdefault(profession, {})
                for competency, rank in ranks:
                    reached[competency] = max(rank, reached.get(competency, NOTHING))

    def closed(self, actions: Sequence[PossibleAction]) -> set[tuple[str, str]]:
        added: dict[str, dict[str, Rank]] = {}
        for action in actions:
            for profession in action.targets:
                reached = added.setdefault(profession, {})
                for competency, rank in action.covers:
                    reached[competency] = max(rank, reached.get(competency, NOTHING))
        found = set()
        for profession, competencies in added.items():
            direct = dict(self.direct.get(profession, {}))
            for competency, rank in competencies.items():
                direct[competency] = max(rank, direct.get(competency, NOTHING))
            if self.levelled:
                levels = self.structure.level_closure(direct).level
            else:
                levels = {c: UNSTATED for c in self.structure.closure(set(direct), reasons=False)}
            for gap in self.gaps:
                if gap["profession"] != profession:
                    continue
                needed = gap.get("required_level")
                scale = self.structure.scale[gap["competency"]]
                required = scale.rank(needed) if needed is not None else None
                if meets(levels.get(gap["competency"], NOTHING), required):
                    found.add((gap["profession"], gap["competency"]))
        return found

    def severity(self, actions: Sequence[PossibleAction]) -> float:
        closed = self.closed(actions)
        return sum(g["severity"] for g in self.gaps if (g["profession"], g["competency"]) in closed)


def enumerated(exercise: Exercise) -> tuple[tuple[Any, ...], list[PossibleAction]]:
    """The best plan by trying every subset: most severity, least pence, fewest actions,
    least sum of positions (1-based, in key order). Returns its key and its actions."""
    actions = possible_actions(exercise)
    scorer = Scorer(exercise)
    position = {action.key: index + 1 for index, action in enumerate(actions)}
    budget = exercise.budget * 100
    best: tuple[tuple[Any, ...], list[PossibleAction]] | None = None
    for size in range(len(actions) + 1):
        for combination in itertools.combinations(actions, size):
            pence = sum(action.pence for action in combination)
            if pence > budget:
                continue
            key = (
                -scorer.severity(combination),
                pence,
                size,
                sum(position[action.key] for action in combination),
            )
            if best is None or key < best[0]:
                best = (key, list(combination))
    assert best is not None
    return best


def greedy(exercise: Exercise) -> list[PossibleAction]:
    """The greedy plan by the coverage rule: most severity per penny first (free ones
    first), then more severity, fewer pence, the earlier key; while something fits."""
    actions = possible_actions(exercise)
    scorer = Scorer(exercise)
    chosen: list[PossibleAction] = []
    left = exercise.budget * 100
    while True:
        now = scorer.severity(chosen)
        best = None
        for action in actions:
            if action in chosen or action.pence > left:
                continue
            gained = scorer.severity([*chosen, action]) - now
            if gained <= 0:
                continue
            ratio = math.inf if action.pence == 0 else gained / action.pence
            key = (-ratio, -gained, action.pence, action.key)
            if best is None or key < best[0]:
                best = (key, action)
        if best is None:
            return chosen
        chosen.append(best[1])
        left -= best[1].pence


def plan_key(document: dict[str, Any], exercise: Exercise) -> tuple[Any, ...]:
    """A plan document's place in the tie-break order, counted as :func:`enumerated` does."""
    position = {a.key: i + 1 for i, a in enumerate(possible_actions(exercise))}
    keys = [(a.get("event") or a["offer"], a["profession"] or "") for a in document["actions"]]
    pence = sum(round(a["cost"] * 100) for a in document["actions"])
    return (
        -document["severity_closed"],
        pence,
        len(keys),
        sum(position[key] for key in keys),
    )
