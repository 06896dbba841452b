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
from graphmodel.model import Dataset


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
