"""The embedded backend: the dataset as a networkx MultiDiGraph."""

from __future__ import annotations

from conftest import EXAMPLE

from graphmodel.backends import MemoryBackend, build_graph
from graphmodel.dataset import read_dataset
from graphmodel.model import LABEL_TABLES, RELATIONSHIP_TYPES


def test_graph_nodes_edges_and_properties() -> None:
    dataset = read_dataset(EXAMPLE)
    graph = build_graph(dataset)
    assert graph.is_directed() and graph.is_multigraph()
    assert graph.number_of_nodes() == sum(len(dataset.table(t)) for t in LABEL_TABLES.values())
    assert {data["type"] for _, data in graph.nodes(data=True)} == set(LABEL_TABLES)
    assert {key for _, _, key in graph.edges(keys=True)} <= set(RELATIONSHIP_TYPES)

    event = next(e for e in dataset.training_events if e.lead_organisation and e.covers)
    node = graph.nodes[event.id]
    assert node["type"] == "TrainingEvent" and node["title"] == event.title
    assert node["status"] == event.status.value and "covers" not in node
    assert sorted(t for _, t, k in graph.out_edges(event.id, keys=True) if k == "COVERS") == sorted(
        event.covers
    )
    assert graph.has_edge(event.lead_organisation, event.id, key="LEADS")

    requirement = dataset.requirements[0]
    edge = graph.edges[requirement.profession, requirement.competency, "REQUIRES"]
    assert edge == {"priority": requirement.priority.value}
    entry = dataset.workforce[0]
    assert graph.edges[entry.organisation, entry.profession, "EMPLOYS"] == {
        "headcount": entry.headcount
    }


def test_backend_counts_agree_with_its_graph() -> None:
    backend = MemoryBackend(read_dataset(EXAMPLE))
    counts = backend.counts()
    graph = backend.graph
    for label, count in counts.nodes.items():
        assert count == sum(1 for _, t in graph.nodes(data="type") if t == label)
    for kind, count in counts.relationships.items():
        assert count == sum(1 for _, _, k in graph.edges(keys=True) if k == kind)
