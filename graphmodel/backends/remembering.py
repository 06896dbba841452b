"""A backend that answers each projection question once, for work that asks many times.

The board report runs a dozen analyses on one graph, and each fetches the same
projections (the competency structure, the requirements, the active events,
the initiatives); the explanation of every top gap fetches them again. Wrapped
in :class:`RememberingBackend`, each distinct question goes to the real
backend once. The answers are lists of frozen records, so sharing them is
safe; every caller still gets its own list.

Example
-------
>>> from graphmodel.backends import MemoryBackend
>>> from graphmodel.dataset import read_dataset
>>> backend = RememberingBackend(MemoryBackend(read_dataset("examples/children-trust")))
>>> backend.requirements() == backend.requirements(), backend.asked
(True, 1)
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import Any, TypeVar

from graphmodel.backends.base import GraphBackend
from graphmodel.graph import GraphCounts, NodeRecord, RelationshipRecord
from graphmodel.index import GraphSkeleton
from graphmodel.model import Dataset, Offer
from graphmodel.projections import (
    ActiveEvent,
    CompetencyNode,
    CompetencyText,
    EventFilter,
    FrameworkNode,
    InitiativeFilter,
    InitiativeNode,
    NamedNode,
    Neighbourhood,
    PathLink,
    ProfessionNode,
    RequirementEdge,
)

T = TypeVar("T")


class RememberingBackend(GraphBackend):
    """Delegates to ``backend``, remembering the answer to each projection question.

    Only for a graph that does not change while it is used. ``asked`` counts
    the questions that reached the real backend. Closing this wrapper leaves
    the real backend open (whoever opened it closes it).
    """

    def __init__(self, backend: GraphBackend) -> None:
        self.backend = backend
        self.name = backend.name
        self.source = backend.source
        self.asked = 0
        self._answers: dict[Hashable, Any] = {}

    def _remember(self, key: Hashable, ask: Callable[[], T]) -> T:
        if key not in self._answers:
            self.asked += 1
            self._answers[key] = ask()
        return self._answers[key]  # type: ignore[no-any-return]

    def counts(self) -> GraphCounts:
        return self._remember("counts", self.backend.counts)

    def nodes(self) -> Iterator[NodeRecord]:
        return self.backend.nodes()

    def relationships(self) -> Iterator[RelationshipRecord]:
        return self.backend.relationships()

    def frameworks(self) -> list[FrameworkNode]:
        return list(self._remember("frameworks", self.backend.frameworks))

    def competencies(self) -> list[CompetencyNode]:
        return list(self._remember("competencies", self.backend.competencies))

    def professions(self) -> list[ProfessionNode]:
        return list(self._remember("professions", self.backend.professions))

    def competency_texts(self, frameworks: Sequence[str]) -> list[CompetencyText]:
        key = ("competency_texts", tuple(frameworks))
        return list(self._remember(key, lambda: self.backend.competency_texts(frameworks)))

    def offers(self) -> list[Offer]:
        return self._remember(("offers",), self.backend.offers)

    def requirements(self) -> list[RequirementEdge]:
        return list(self._remember("requirements", self.backend.requirements))

    def active_events(self, events: EventFilter) -> list[ActiveEvent]:
        return list(
            self._remember(("active_events", events), lambda: self.backend.active_events(events))
        )

    def initiatives(self, initiatives: InitiativeFilter) -> list[InitiativeNode]:
        return list(
            self._remember(
                ("initiatives", initiatives), lambda: self.backend.initiatives(initiatives)
            )
        )

    def named_nodes(self, labels: Sequence[str] | None = None) -> list[NamedNode]:
        key = ("named_nodes", None if labels is None else tuple(labels))
        return list(self._remember(key, lambda: self.backend.named_nodes(labels)))

    def search_nodes(
        self, text: str, labels: Sequence[str] | None, limit: int
    ) -> tuple[list[NamedNode], int]:
        return self.backend.search_nodes(text, labels, limit)

    def node_degree(self, node_id: str) -> dict[str, int]:
        return self.backend.node_degree(node_id)

    def neighbours(
        self,
        node_id: str,
        types: Sequence[str] | None,
        labels: Sequence[str] | None,
        limit: int,
        offset: int,
    ) -> Neighbourhood:
        return self.backend.neighbours(node_id, types, labels, limit, offset)

    def start_months(self) -> dict[str, dict[str | None, int]]:
        return self.backend.start_months()

    def skeleton(self) -> GraphSkeleton:
        return self._remember("skeleton", self.backend.skeleton)

    def shortest_paths(self, source: str, target: str, max_hops: int) -> list[tuple[PathLink, ...]]:
        return self.backend.shortest_paths(source, target, max_hops)

    def to_dataset(self) -> Dataset:
        return self.backend.to_dataset()
