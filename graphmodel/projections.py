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

from graphmodel.model import Evaluation, EventStatus, Priority


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
class ProfessionNode:
    """A profession and the sum of its workforce headcounts (``None``: no workforce rows)."""

    id: str
    name: str
    headcount: int | None


@dataclass(frozen=True)
class RequirementEdge:
    """A profession requires a competency at a priority."""

    profession: str
    competency: str
    priority: Priority


@dataclass(frozen=True)
class ActiveEvent:
    """An active training event, with whom it targets and what it covers (sorted ids)."""

    id: str
    title: str
    targets: tuple[str, ...]
    covers: tuple[str, ...]
