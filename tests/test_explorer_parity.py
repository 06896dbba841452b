"""Every explorer endpoint gives the same JSON on both backends (against the real Neo4j)."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import EXAMPLE
from explorer_client import client, get_json
from fastapi.testclient import TestClient
from test_explorer_api import ANALYSIS_CASES, as_query

from graphmodel.backends import GraphBackend, MemoryBackend
from graphmodel.dataset import read_dataset
from graphmodel.model import Dataset
from graphmodel.synthetic import Scale, synthetic_dataset

pytestmark = pytest.mark.neo4j

SEARCHES = [
    "q=safeguarding",
    "q=Safeguarding&limit=3",
    "q=s&limit=1000",
    "q=e&label=Competency&label=Driver&limit=50",
    "q=neglect+assess",
    "q=p-teacher",
    "q=teacher",
    "q=co-production",
    "q=%26",
    "q=recovery+2025",
    "q=zzz",
    "q=T&limit=0",
]


def compare(memory: TestClient, neo4j: TestClient, url: str) -> Any:
    expected = memory.get(url, headers={"Authorization": "Bearer test-token"})
    found = neo4j.get(url, headers={"Authorization": "Bearer test-token"})
    assert (found.status_code, found.json()) == (expected.status_code, expected.json()), url
    return expected.json()


def check_parity(
    dataset: Dataset, neo4j_backend: GraphBackend, analyses: bool, every: int = 1
) -> None:
    """Compare the endpoints on ``dataset``: nodes and neighbours of every ``every``-th node."""
    neo4j_backend.load(dataset, replace=True)  # type: ignore[attr-defined]
    memory_backend = MemoryBackend(dataset)
    memory, neo4j = client(memory_backend, "same"), client(neo4j_backend, "same", remember=False)
    compare(memory, neo4j, "/api/summary")
    for query in SEARCHES:
        compare(memory, neo4j, f"/api/search?{query}")
    nodes = [n.id for n in memory_backend.named_nodes()]
    for node in nodes[::every]:
        compare(memory, neo4j, f"/api/nodes/{node}")
        compare(memory, neo4j, f"/api/nodes/{node}/neighbours")
    for node in nodes[:: 7 * every]:
        for query in ("limit=3&offset=2", "type=COVERS&type=TARGETS", "label=Organisation&limit=5"):
            compare(memory, neo4j, f"/api/nodes/{node}/neighbours?{query}")
    compare(memory, neo4j, "/api/nodes/nobody")
    for max_nodes in (5, 12, 40, 100, 2000):
        picture = compare(memory, neo4j, f"/api/overview?max_nodes={max_nodes}")
        for group in [n["id"] for n in picture["nodes"] if n["group"]][:3]:
            compare(memory, neo4j, f"/api/overview?max_nodes={max_nodes}&expand={group}")
    compare(memory, neo4j, "/api/overview?max_nodes=30&max_relationships=7")
    if analyses:
        for command, arguments in ANALYSIS_CASES:
            query = as_query(arguments)
            if command == "path":
                query = f"a=org-hearthside&b=dr-drug-strategy&{query}"
            compare(memory, neo4j, f"/api/{command}?{query}")


def test_every_endpoint_agrees_on_the_example(neo4j_backend: GraphBackend) -> None:
    check_parity(read_dataset(EXAMPLE), neo4j_backend, analyses=True)


def test_every_endpoint_agrees_on_a_synthetic_dataset(neo4j_backend: GraphBackend) -> None:
    dataset = synthetic_dataset(Scale.tiny().scaled(4), seed=7)
    check_parity(dataset, neo4j_backend, analyses=False, every=5)


def test_a_hub_s_neighbours_page_the_same_way(neo4j_backend: GraphBackend) -> None:
    dataset = synthetic_dataset(Scale.tiny().scaled(6), seed=11)
    neo4j_backend.load(dataset, replace=True)  # type: ignore[attr-defined]
    memory = client(MemoryBackend(dataset), "same")
    neo4j = client(neo4j_backend, "same", remember=False)
    hub = max(
        dataset.organisations,
        key=lambda o: sum(e.lead_organisation == o.id for e in dataset.training_events),
    )
    total = get_json(memory, f"/api/nodes/{hub.id}/neighbours?limit=0")["total"]
    assert total >= 20
    for offset in range(0, total + 7, 7):
        compare(memory, neo4j, f"/api/nodes/{hub.id}/neighbours?limit=7&offset={offset}")
