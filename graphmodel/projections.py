"""The plain answers backends give analyses ("projections"), and the event filter.

Each backend computes these with its own means (networkx on one side,
Cypher files on the other); the analyses only ever see these types, so an
analysis is written once and both backends must agree on them.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import ClassVar

from graphmodel.graph import RelationshipRecord
from graphmodel.model import Evaluation, EventStatus, InitiativeStatus, Priority


@dataclass(frozen=True)
class EventFilter:
    """Which training events are *active*.

    An event is active when its status is not ``cancelled``, its period
    ``[start_date, end_date or start_date]`` overlaps ``[date_from, date_to]``
    (both ends inclusive; an event without dates always passes), and its
    evaluation level is at least ``min_evaluation``.

    Example
    -------
    >>> f = EventFilter(date_from=dt.date(2025, 1, 1), min_evaluation=Evaluation.LEARNING)
    >>> f.admits("planned", "behaviour", dt.date(2024, 12, 1), dt.date(2025, 1, 1))
    True
    >>> f.admits("planned", "reaction", None, None)
    False
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    min_evaluation: Evaluation = Evaluation.NONE

    #: Statuses that never make an event active.
    EXCLUDED_STATUSES: ClassVar[tuple[str, ...]] = (EventStatus.CANCELLED.value,)

    def evaluations(self) -> list[str]:
        """The evaluation levels an active event may have."""
        return [level.value for level in Evaluation if level >= self.min_evaluation]

    @functools.cached_property
    def _allowed_evaluations(self) -> frozenset[str]:
        return frozenset(self.evaluations())

    def admits(
        self, status: str, evaluation: str, start: dt.date | None, end: dt.date | None
    ) -> bool:
        """True when an event with these fields is active under this filter."""
        if status in self.EXCLUDED_STATUSES or evaluation not in self._allowed_evaluations:
            return False
        if start is None:
            return True
        last = end or start
        if self.date_to is not None and start > self.date_to:
            return False
        return not (self.date_from is not None and last < self.date_from)


@dataclass(frozen=True)
class CompetencyNode:
    """A competency with its place in the structure (``equivalent_to`` as listed)."""

    id: str
    name: str
    framework: str
    parent: str | None
    equivalent_to: tuple[str, ...]


@dataclass(frozen=True)
class FrameworkNode:
    """A framework and its proficiency levels, lowest first (empty: it states none)."""

    id: str
    name: str
    levels: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompetencyText:
    """A competency's wording, for the crosswalk: its name, alternative labels and description."""

    id: str
    name: str
    framework: str
    description: str | None
    alt_labels: tuple[str, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        """The name, then the alternative labels."""
        return (self.name, *self.alt_labels)


@dataclass(frozen=True)
class ProfessionNode:
    """A profession and the sum of its workforce headcounts (``None``: no workforce rows)."""

    id: str
    name: str
    headcount: int | None


@dataclass(frozen=True)
class RequirementEdge:
    """A profession requires a competency at a priority, and at a level where given."""

    profession: str
    competency: str
    priority: Priority
    level: str | None = None


@dataclass(frozen=True)
class ActiveEvent:
    """An active training event, with whom it targets and what it covers (sorted ids).

    The provision fields (lead, dates, places, cost) serve the overlapping
    provision analysis; coverage reads the id, targets and covers, and the
    levels: ``level`` is the event's own (for covers that carry none) and
    ``cover_levels`` the covers that carry a level, ``(competency, level)``
    sorted by competency.
    """

    id: str
    title: str
    targets: tuple[str, ...]
    covers: tuple[str, ...]
    lead_organisation: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    places: int | None = None
    cost: float | None = None
    level: str | None = None
    cover_levels: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class InitiativeFilter:
    """Which initiatives an analysis looks at.

    An initiative passes when its status is one of ``statuses`` (``None``:
    any status) and its period overlaps ``[date_from, date_to]`` (both ends
    inclusive). Unlike a training event, an initiative without an
    ``end_date`` is ongoing: its period is ``[start_date, open)``. An
    initiative without dates always passes the window.

    Example
    -------
    >>> f = InitiativeFilter(date_from=dt.date(2026, 1, 1))
    >>> f.admits("active", dt.date(2024, 4, 1), None), f.admits("active", None, None)
    (True, True)
    >>> f.admits("completed", dt.date(2024, 4, 1), dt.date(2025, 3, 31))
    False
    """

    statuses: tuple[InitiativeStatus, ...] | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def status_values(self) -> list[str] | None:
        """The admitted statuses as text (``None``: any)."""
        return None if self.statuses is None else sorted(s.value for s in self.statuses)

    def admits(self, status: str, start: dt.date | None, end: dt.date | None) -> bool:
        """True when an initiative with these fields passes this filter."""
        allowed = self.status_values()
        if allowed is not None and status not in allowed:
            return False
        if start is None:
            return True
        if self.date_to is not None and start > self.date_to:
            return False
        return not (self.date_from is not None and end is not None and end < self.date_from)


@dataclass(frozen=True)
class InitiativeNode:
    """An initiative with its whole neighbourhood (every id list sorted).

    ``partners`` and ``lead`` are organisations; ``targets`` professions;
    ``addresses`` competencies; ``responds_to`` drivers; ``builds_on``
    earlier initiatives.
    """

    id: str
    title: str
    description: str | None
    kind: str | None
    lead: str | None
    partners: tuple[str, ...]
    status: str
    start_date: dt.date | None
    end_date: dt.date | None
    budget: float | None
    targets: tuple[str, ...]
    addresses: tuple[str, ...]
    responds_to: tuple[str, ...]
    builds_on: tuple[str, ...]

    @property
    def organisations(self) -> tuple[str, ...]:
        """The lead and the partners, sorted, each once."""
        return tuple(sorted({*self.partners, *([self.lead] if self.lead else [])}))

    @property
    def text(self) -> str:
        """Title and description, the text that text similarity reads."""
        return f"{self.title}. {self.description or ''}".strip()


@dataclass(frozen=True)
class NamedNode:
    """Any node by id: its label, its name (or title) and its description, if any."""

    id: str
    label: str
    name: str
    description: str | None = None


@dataclass(frozen=True, order=True)
class PathLink:
    """One relationship of a chain between two nodes, in its own direction.

    A chain (see ``GraphBackend.shortest_paths``) walks relationships either
    way; each link keeps the relationship's real ``source -[type]-> target``.
    """

    source: str
    type: str
    target: str


@dataclass(frozen=True)
class Neighbourhood:
    """A page of a node's neighbours (by id) and the relationships joining them to it.

    ``total`` counts every neighbour the filters kept, before the page was cut.
    """

    nodes: list[NamedNode]
    relationships: list[RelationshipRecord]
    total: int
