"""The embedded backend: the dataset as a networkx MultiDiGraph."""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from graphmodel.backends.base import GraphBackend
from graphmodel.graph import (
    GraphCounts,
    NodeRecord,
    RelationshipRecord,
    dataset_nodes,
    dataset_relationships,
)
from graphmodel.model import Dataset, Priority
from graphmodel.projections import (
    ActiveEvent,
    CompetencyNode,
    EventFilter,
    ProfessionNode,
    RequirementEdge,
)


def build_graph(dataset: Dataset) -> nx.MultiDiGraph:
    """The dataset as a ``MultiDiGraph``.

    Nodes are keyed by id and carry ``type`` (the label, such as
    ``"Competency"``) and their scalar properties; edges are keyed by their
    relationship type (``"COVERS"``) and carry their properties
    (``priority``, ``headcount``).

    Example
    -------
    >>> from graphmodel.model import Dataset, Framework, Competency
    >>> graph = build_graph(Dataset(
    ...     frameworks=[Framework(id="fw", name="Core")],
    ...     competencies=[Competency(id="c1", name="Talk", framework="fw")]))
    >>> graph.nodes["c1"]["type"], list(graph.edges("c1", keys=True))
    ('Competency', [('c1', 'fw', 'IN_FRAMEWORK')])
    """
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(
        (node.id, {"type": node.label, **node.properties}) for node in dataset_nodes(dataset)
    )
    graph.add_edges_from(
        (edge.source, edge.target, edge.type, edge.properties)
        for edge in dataset_relationships(dataset)
    )
    return graph


class MemoryBackend(GraphBackend):
    """Answers from an in-memory networkx graph built from a validated dataset."""

    name = "memory"

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.graph = build_graph(dataset)
        self._by_type: dict[str, list[str]] = {}
        for node_id, label in self.graph.nodes(data="type"):
            self._by_type.setdefault(label, []).append(node_id)

    def _ids(self, label: str) -> list[str]:
        return sorted(self._by_type.get(label, ()))

    def _targets(self, node: str, kind: str) -> list[str]:
        """Ids at the end of ``node``'s outgoing relationships of type ``kind``."""
        return sorted(
            target for _, target, key in self.graph.out_edges(node, keys=True) if key == kind
        )

    def counts(self) -> GraphCounts:
        return GraphCounts.of(
            (data["type"] for _, data in self.graph.nodes(data=True)),
            (key for _, _, key in self.graph.edges(keys=True)),
        )

    def nodes(self) -> Iterator[NodeRecord]:
        for node_id, data in self.graph.nodes(data=True):
            properties = {name: value for name, value in data.items() if name != "type"}
            yield NodeRecord(node_id, data["type"], properties)

    def relationships(self) -> Iterator[RelationshipRecord]:
        for source, target, key, data in self.graph.edges(keys=True, data=True):
            yield RelationshipRecord(source, key, target, dict(data))

    def competencies(self) -> list[CompetencyNode]:
        nodes = self.graph.nodes
        result = []
        for competency in self._ids("Competency"):
            framework = self._targets(competency, "IN_FRAMEWORK")
            parent = self._targets(competency, "PART_OF")
            result.append(
                CompetencyNode(
                    competency,
                    nodes[competency]["name"],
                    framework[0] if framework else "",
                    parent[0] if parent else None,
                    tuple(self._targets(competency, "EQUIVALENT_TO")),
                )
            )
        return result

    def professions(self) -> list[ProfessionNode]:
        result = []
        for profession in self._ids("Profession"):
            counts = [
                data["headcount"]
                for _, _, key, data in self.graph.in_edges(profession, keys=True, data=True)
                if key == "EMPLOYS"
            ]
            headcount = sum(counts) if counts else None
            result.append(
                ProfessionNode(profession, self.graph.nodes[profession]["name"], headcount)
            )
        return result

    def requirements(self) -> list[RequirementEdge]:
        return [
            RequirementEdge(profession, competency, Priority(data["priority"]))
            for profession in self._ids("Profession")
            for _, competency, key, data in sorted(
                self.graph.out_edges(profession, keys=True, data=True), key=lambda e: e[1]
            )
            if key == "REQUIRES"
        ]

    def active_events(self, events: EventFilter) -> list[ActiveEvent]:
        nodes = self.graph.nodes
        result = []
        for event in self._ids("TrainingEvent"):
            data = nodes[event]
            if events.admits(
                data["status"], data["evaluation"], data.get("start_date"), data.get("end_date")
            ):
                result.append(
                    ActiveEvent(
                        event,
                        data["title"],
                        tuple(self._targets(event, "TARGETS")),
                        tuple(self._targets(event, "COVERS")),
                    )
                )
        return result
