"""Synthetic datasets of any size, for benchmarks and scale tests.

The generator is seeded and builds rows that satisfy every validation rule
by construction (unique ids, resolving references, no parent loops), so a
national-scale dataset can be made in seconds and written in any format.

Example
-------
>>> from graphmodel.synthetic import Scale, synthetic_dataset
>>> ds = synthetic_dataset(Scale.tiny(), seed=1)
>>> len(ds.training_events)
50
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Literal

from graphmodel.model import (
    Competency,
    Dataset,
    Delivery,
    Driver,
    DriverKind,
    Evaluation,
    EventStatus,
    Framework,
    Initiative,
    InitiativeStatus,
    Offer,
    Organisation,
    Priority,
    Profession,
    Requirement,
    Sector,
    TrainingEvent,
    WorkforceEntry,
)

_WORDS = (
    "safeguarding",
    "neglect",
    "trauma",
    "attachment",
    "communication",
    "consent",
    "recording",
    "exploitation",
    "transitions",
    "parenting",
    "substance",
    "recovery",
    "domestic",
    "abuse",
    "assessment",
    "supervision",
    "reflective",
    "practice",
    "early",
    "help",
    "information",
    "sharing",
    "mental",
    "health",
    "wellbeing",
    "youth",
    "disability",
    "inclusion",
    "leadership",
    "restorative",
    "motivational",
    "interviewing",
    "risk",
    "resilience",
    "online",
    "harm",
    "housing",
    "poverty",
    "school",
    "readiness",
    "family",
    "group",
    "conference",
    "advocacy",
)


@dataclass(frozen=True)
class Scale:
    """How many rows of each kind to generate."""

    frameworks: int
    competencies: int
    professions: int
    requirements: int
    organisations: int
    training_events: int
    initiatives: int
    drivers: int

    @classmethod
    def tiny(cls) -> Scale:
        """A few dozen rows of each kind: for tests."""
        return cls(2, 60, 8, 40, 12, 50, 20, 4)

    @classmethod
    def national(cls) -> Scale:
        """The national-scale benchmark: about a million relationships."""
        return cls(20, 14_000, 1_000, 40_000, 5_000, 100_000, 10_000, 200)

    def scaled(self, factor: float) -> Scale:
        """Every count times ``factor`` (at least 1 of each, 2 frameworks)."""
        counts = {name: max(1, int(value * factor)) for name, value in vars(self).items()}
        counts["frameworks"] = max(2, counts["frameworks"])
        return Scale(**counts)


def _title(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize()


def _vocabulary(size: int = 20_000, stop_ranks: int = 200) -> tuple[list[str], list[float]]:
    """Pseudo-words and cumulative weights giving initiative texts a real text's statistics.

    Word frequencies follow Zipf's law (weight 1/rank) from rank
    ``stop_ranks + 1`` on: the commonest words of real papers are stop words,
    which text similarity ignores, so the words left are each in at most a
    few per cent of texts and most are rare. Drawing from the 44 theme words
    alone would make every text share most of its words.
    """
    rng = random.Random(20261123)
    onsets = [*"bcdfghjklmnprstvw", "br", "cl", "dr", "fl", "gr", "pl", "st", "tr"]
    vowels = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou"]
    words: set[str] = set()
    while len(words) < size:
        syllables = rng.choice((2, 2, 3, 3, 4))
        words.add("".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(syllables)))
    ordered = sorted(words)
    rng.shuffle(ordered)
    total = 0.0
    cumulative = []
    for rank in range(stop_ranks + 1, stop_ranks + size + 1):
        total += 1.0 / rank
        cumulative.append(total)
    return ordered, cumulative


_TEXT_WORDS, _TEXT_WEIGHTS = _vocabulary()

#: How initiative titles and descriptions are worded (see :func:`synthetic_dataset`).
Wording = Literal["wide", "repetitive"]

#: The repetitive wording's vocabulary: 60 words of the field (none a stop word).
DOMAIN_WORDS = (
    *_WORDS,
    "children",
    "carers",
    "families",
    "commissioning",
    "pathway",
    "referral",
    "learning",
    "review",
    "toolkit",
    "network",
    "audit",
    "quality",
    "outcomes",
    "community",
    "adolescent",
    "hospital",
)
#: Zipf weights (1/rank) over :data:`DOMAIN_WORDS`, cumulative.
_DOMAIN_WEIGHTS = [sum(1.0 / rank for rank in range(1, k + 2)) for k in range(len(DOMAIN_WORDS))]


def _text(rng: random.Random, words: int, wording: Wording = "wide") -> str:
    """``words`` words: one theme word, then Zipf-distributed pseudo-words (``wide``), or
    Zipf-distributed words of the 60-word :data:`DOMAIN_WORDS` (``repetitive``)."""
    if wording == "repetitive":
        return " ".join(
            rng.choices(DOMAIN_WORDS, cum_weights=_DOMAIN_WEIGHTS, k=words)
        ).capitalize()
    drawn = rng.choices(_TEXT_WORDS, cum_weights=_TEXT_WEIGHTS, k=words - 1)
    return " ".join([rng.choice(_WORDS), *drawn]).capitalize()


def _period(rng: random.Random) -> tuple[dt.date | None, dt.date | None]:
    if rng.random() < 0.1:
        return None, None
    start = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(3 * 365))
    if rng.random() < 0.2:
        return start, None
    return start, start + dt.timedelta(days=rng.randrange(0, 120))


def synthetic_dataset(scale: Scale, seed: int = 0, wording: Wording = "wide") -> Dataset:
    """A valid dataset of the given scale; the same seed gives the same dataset.

    ``wording`` sets how initiative titles and descriptions read: ``wide``
    (the default) draws them from a 20,000-word vocabulary with a real
    text's statistics, so two texts seldom share a word; ``repetitive`` from
    the 60 words of :data:`DOMAIN_WORDS` (Zipf-distributed), as texts
    written in one field are, so almost every two texts share words and a
    third of all pairs have a text similarity above 0.37.

    Example
    -------
    >>> words = set(DOMAIN_WORDS)
    >>> ds = synthetic_dataset(Scale.tiny(), seed=1, wording="repetitive")
    >>> all(set(i.title.lower().split()) <= words for i in ds.initiatives)
    True
    """
    rng = random.Random(seed)
    frameworks = [
        Framework(id=f"fw-{i}", name=f"Framework {i}", publisher="Synthetic", version="1")
        for i in range(scale.frameworks)
    ]
    # A tenth of each framework's competencies are areas, the rest their items.
    competencies: list[Competency] = []
    areas: list[str] = []
    per_framework = max(2, scale.competencies // scale.frameworks)
    for framework in frameworks:
        area_count = max(1, per_framework // 10)
        framework_areas = [f"{framework.id}-a{j}" for j in range(area_count)]
        areas.extend(framework_areas)
        for area in framework_areas:
            competencies.append(Competency(id=area, name=_title(rng, 2), framework=framework.id))
        for j in range(per_framework - area_count):
            competencies.append(
                Competency(
                    id=f"{framework.id}-c{j}",
                    name=_title(rng, 3),
                    framework=framework.id,
                    parent=rng.choice(framework_areas),
                    description=_title(rng, 8),
                )
            )
    competency_ids = [c.id for c in competencies]
    items = [c.id for c in competencies if c.parent is not None]
    # A few cross-framework equivalences, always from a later to an earlier id.
    equivalences: dict[str, list[str]] = {}
    for _ in range(len(items) // 50):
        a, b = rng.sample(items, 2)
        if a.split("-c")[0] != b.split("-c")[0]:
            equivalences.setdefault(max(a, b), []).append(min(a, b))
    competencies = [
        c.model_copy(update={"equivalent_to": sorted(set(equivalences.get(c.id, [])))})
        for c in competencies
    ]

    professions = [
        Profession(id=f"p-{i}", name=f"Profession {i}", sector=rng.choice(["health", "care"]))
        for i in range(scale.professions)
    ]
    profession_ids = [p.id for p in professions]
    requirement_pairs: set[tuple[str, str]] = set()
    while len(requirement_pairs) < min(scale.requirements, len(profession_ids) * len(items)):
        requirement_pairs.add((rng.choice(profession_ids), rng.choice(competency_ids)))
    requirements = [
        Requirement(
            profession=p,
            competency=c,
            priority=Priority.ESSENTIAL if rng.random() < 0.7 else Priority.DESIRABLE,
        )
        for p, c in sorted(requirement_pairs)
    ]

    partnerships = [f"org-{i}" for i in range(max(1, scale.organisations // 50))]
    organisations = [
        Organisation(
            id=f"org-{i}",
            name=f"Organisation {i}",
            sector=Sector.PARTNERSHIP if f"org-{i}" in partnerships else rng.choice(list(Sector)),
            member_of=(
                []
                if f"org-{i}" in partnerships
                else sorted(set(rng.sample(partnerships, min(2, len(partnerships)))))
            ),
        )
        for i in range(scale.organisations)
    ]
    organisation_ids = [o.id for o in organisations]
    workforce_pairs = {
        (rng.choice(organisation_ids), rng.choice(profession_ids))
        for _ in range(scale.organisations * 3)
    }
    workforce = [
        WorkforceEntry(organisation=o, profession=p, headcount=rng.randrange(1, 500))
        for o, p in sorted(workforce_pairs)
    ]

    drivers = [
        Driver(
            id=f"dr-{i}",
            name=f"Driver {i}",
            kind=rng.choice(list(DriverKind)),
            issued=dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(2000)),
            description=_title(rng, 12),
        )
        for i in range(scale.drivers)
    ]
    driver_ids = [d.id for d in drivers]

    initiatives: list[Initiative] = []
    for i in range(scale.initiatives):
        start, end = _period(rng)
        earlier = [f"in-{j}" for j in rng.sample(range(i), min(i, 1))] if rng.random() < 0.3 else []
        initiatives.append(
            Initiative(
                id=f"in-{i}",
                title=_text(rng, 5, wording),
                description=_text(rng, 20, wording),
                kind=rng.choice(["strategy", "campaign", "working group", "action-plan item"]),
                lead_organisation=rng.choice(organisation_ids),
                partners=sorted(set(rng.sample(organisation_ids, 3))),
                status=rng.choice(list(InitiativeStatus)),
                start_date=start,
                end_date=end,
                budget=float(rng.randrange(0, 500_000, 1000)),
                targets=sorted(set(rng.sample(profession_ids, min(3, len(profession_ids))))),
                addresses=sorted(set(rng.sample(competency_ids, 4))),
                responds_to=sorted(
                    set(rng.sample(driver_ids, min(len(driver_ids), 1 + rng.randrange(2))))
                ),
                builds_on=earlier,
            )
        )
    initiative_ids = [i.id for i in initiatives]

    events: list[TrainingEvent] = []
    for i in range(scale.training_events):
        start, end = _period(rng)
        events.append(
            TrainingEvent(
                id=f"te-{i}",
                title=_title(rng, 4),
                lead_organisation=rng.choice(organisation_ids),
                start_date=start,
                end_date=end,
                delivery=rng.choice(list(Delivery)),
                places=rng.randrange(5, 200),
                cost=float(rng.randrange(0, 20_000, 50)),
                evaluation=rng.choice(list(Evaluation)),
                status=rng.choice(list(EventStatus)),
                targets=sorted(set(rng.sample(profession_ids, min(3, len(profession_ids))))),
                covers=sorted(set(rng.sample(competency_ids, 4))),
                initiative=rng.choice(initiative_ids) if rng.random() < 0.3 else None,
            )
        )
    return Dataset(
        frameworks=frameworks,
        competencies=competencies,
        professions=professions,
        requirements=requirements,
        organisations=organisations,
        workforce=workforce,
        training_events=events,
        initiatives=initiatives,
        drivers=drivers,
    )


#: The scale every framework of :func:`with_levels` states.
SYNTHETIC_LEVELS = ("Awareness", "Working", "Practitioner", "Expert")


def with_levels(dataset: Dataset, seed: int = 0) -> Dataset:
    """``dataset`` with proficiency levels: every framework states
    :data:`SYNTHETIC_LEVELS`, every requirement asks for one, and the training
    events cover at levels (half of them with an event ``level``, half of their
    covers with a level of their own; the rest unstated).

    Example
    -------
    >>> levelled = with_levels(synthetic_dataset(Scale.tiny(), seed=1), seed=2)
    >>> levelled.frameworks[0].levels, all(r.level for r in levelled.requirements)
    (['Awareness', 'Working', 'Practitioner', 'Expert'], True)
    """
    rng = random.Random(seed)
    levels = list(SYNTHETIC_LEVELS)
    frameworks = [f.model_copy(update={"levels": levels}) for f in dataset.frameworks]
    requirements = [
        r.model_copy(update={"level": rng.choice(levels)}) for r in dataset.requirements
    ]
    events = []
    for event in dataset.training_events:
        level = rng.choice(levels) if rng.random() < 0.5 else None
        covers = [
            f"{competency}@{rng.choice(levels)}" if rng.random() < 0.5 else competency
            for competency in event.covers
        ]
        events.append(event.model_copy(update={"level": level, "covers": covers}))
    return dataset.model_copy(
        update={"frameworks": frameworks, "requirements": requirements, "training_events": events}
    )


def with_near_copies(
    dataset: Dataset, share: float, seed: int = 0, wording: Wording = "wide"
) -> tuple[Dataset, list[tuple[str, str]]]:
    """``dataset`` plus near-copies of a ``share`` of its initiatives, and the planted pairs.

    A near-copy is the same work started again by another partner: a new id
    and lead organisation, its title with one word changed, a fifth of its
    description's words changed (new words drawn as ``wording`` draws them:
    give the wording the dataset was made with), one target and one
    competency swapped for others (when there are several), the same
    drivers, later dates.

    Example
    -------
    >>> base = synthetic_dataset(Scale.tiny(), seed=1)
    >>> bigger, planted = with_near_copies(base, 0.1, seed=2)
    >>> len(bigger.initiatives) - len(base.initiatives), planted[0]
    (2, ('in-1', 'in-copy-0'))
    """
    rng = random.Random(seed)
    organisation_ids = [o.id for o in dataset.organisations]
    profession_ids = [p.id for p in dataset.professions]
    competency_ids = [c.id for c in dataset.competencies]
    originals = rng.sample(dataset.initiatives, max(1, int(len(dataset.initiatives) * share)))
    copies: list[Initiative] = []
    planted: list[tuple[str, str]] = []

    def reworded(text: str, changes: int) -> str:
        words = text.split()
        for _ in range(changes):
            if wording == "repetitive":
                word = rng.choices(DOMAIN_WORDS, cum_weights=_DOMAIN_WEIGHTS)[0]
            else:
                word = rng.choices(_TEXT_WORDS, _TEXT_WEIGHTS)[0]
            words[rng.randrange(len(words))] = word
        return " ".join(words)

    def swapped(ids: list[str], pool: list[str]) -> list[str]:
        if len(ids) < 2:
            return ids
        kept = rng.sample(ids, len(ids) - 1)
        return sorted({*kept, rng.choice(pool)})

    for number, original in enumerate(sorted(originals, key=lambda i: int(i.id.split("-")[1]))):
        copy_id = f"in-copy-{number}"
        lead = rng.choice([o for o in organisation_ids if o != original.lead_organisation])
        shift = dt.timedelta(days=rng.randrange(30, 400))
        copies.append(
            original.model_copy(
                update={
                    "id": copy_id,
                    "title": reworded(original.title, 1),
                    "description": reworded(original.description or "", 4),
                    "lead_organisation": lead,
                    "partners": sorted(set(original.partners[:1]) - {lead}),
                    "start_date": original.start_date + shift if original.start_date else None,
                    "end_date": original.end_date + shift if original.end_date else None,
                    "targets": swapped(list(original.targets), profession_ids),
                    "addresses": swapped(list(original.addresses), competency_ids),
                    "builds_on": [],
                }
            )
        )
        planted.append((original.id, copy_id))
    grown = dataset.model_copy(update={"initiatives": [*dataset.initiatives, *copies]})
    return grown, sorted(planted)


def with_hub_driver(dataset: Dataset, responders: int, seed: int = 0) -> Dataset:
    """``dataset`` plus one driver, ``dr-hub``, that ``responders`` of its initiatives answer.

    A national plan every partner responds to: the heavy-driver shape, where
    one item is shared by thousands of initiatives (so an analysis that pairs
    every two holders of an item meets millions of pairs).

    Example
    -------
    >>> hub = with_hub_driver(synthetic_dataset(Scale.tiny(), seed=1), 15, seed=2)
    >>> sum("dr-hub" in i.responds_to for i in hub.initiatives)
    15
    """
    rng = random.Random(seed)
    chosen = {
        i.id for i in rng.sample(dataset.initiatives, min(responders, len(dataset.initiatives)))
    }
    hub = Driver(
        id="dr-hub",
        name="National workforce plan",
        kind=DriverKind.STRATEGY,
        issued=dt.date(2024, 1, 1),
        description="The national plan every partnership responds to",
    )
    initiatives = [
        i.model_copy(update={"responds_to": sorted({*i.responds_to, hub.id})})
        if i.id in chosen
        else i
        for i in dataset.initiatives
    ]
    return dataset.model_copy(
        update={"drivers": [*dataset.drivers, hub], "initiatives": initiatives}
    )


def for_planning(
    dataset: Dataset,
    seed: int = 0,
    *,
    costed: float = 1 / 3,
    headcounts: tuple[int, int] = (10, 60),
    offers: int = 0,
) -> Dataset:
    """``dataset`` shaped as a commissioning plan meets it (``graphmodel plan``).

    A ``costed`` share of the training events keep their cost and places
    (the rest lose both, so they cannot be opened); each workforce row
    employs between ``headcounts`` people (a national profession then
    counts some hundreds); ``offers`` offers are added, each covering three
    competencies for five professions at £5,000 to £50,000 (where the
    competency's framework states levels, half the covers at one of them).

    Example
    -------
    >>> shaped = for_planning(synthetic_dataset(Scale.tiny(), seed=1), seed=2, offers=3)
    >>> sum(e.cost is not None for e in shaped.training_events) < 50, len(shaped.offers)
    (True, 3)
    """
    rng = random.Random(seed)
    events = [
        event if rng.random() < costed else event.model_copy(update={"cost": None, "places": None})
        for event in dataset.training_events
    ]
    workforce = [
        row.model_copy(update={"headcount": rng.randrange(*headcounts)})
        for row in dataset.workforce
    ]
    competency_ids = [c.id for c in dataset.competencies]
    profession_ids = [p.id for p in dataset.professions]
    levels = {f.id: f.levels for f in dataset.frameworks}
    scale_of = {c.id: levels.get(c.framework, []) for c in dataset.competencies}

    def cover(competency: str) -> str:
        scale = scale_of[competency]
        return f"{competency}@{rng.choice(scale)}" if scale and rng.random() < 0.5 else competency

    added = [
        Offer(
            id=f"of-{i}",
            title=_title(rng, 4),
            provider=f"Provider {rng.randrange(20)}",
            covers=[
                cover(c) for c in sorted(rng.sample(competency_ids, min(3, len(competency_ids))))
            ],
            targets=sorted(rng.sample(profession_ids, min(5, len(profession_ids)))),
            cost=float(rng.randrange(5_000, 50_000, 500)),
            places=rng.randrange(20, 300),
        )
        for i in range(offers)
    ]
    return dataset.model_copy(
        update={"training_events": events, "workforce": workforce, "offers": added}
    )
