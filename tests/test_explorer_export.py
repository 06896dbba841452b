"""Exporting what the explorer shows: GraphML and the offline HTML view of those nodes."""

from __future__ import annotations

import io
import re

import networkx as nx
import pytest
from conftest import EXAMPLE
from explorer_client import AUTH, client, get_json
from fastapi.testclient import TestClient

from graphmodel.backends import GraphBackend, MemoryBackend
from graphmodel.dataset import read_dataset
from graphmodel.graph import dataset_relationships

SHOWN = ["p-teacher", "ccs-safe", "ccs-safe-recognise", "te-fellgate-hidden-harm-2027", "nobody"]


@pytest.fixture(scope="module")
def example() -> MemoryBackend:
    return MemoryBackend(read_dataset(EXAMPLE))


def export(http: TestClient, kind: str, ids: list[str]) -> tuple[str, str]:
    query = "&".join([f"format={kind}", *(f"id={i}" for i in ids)])
    response = http.get(f"/api/export?{query}", headers=AUTH)
    assert response.status_code == 200, response.text
    return response.headers["content-disposition"], response.text


def test_graphml_holds_the_nodes_shown_and_the_relationships_among_them(
    example: MemoryBackend,
) -> None:
    disposition, text = export(client(example), "graphml", SHOWN)
    assert disposition == 'attachment; filename="graphmodel-view.graphml"'
    graph = nx.read_graphml(io.StringIO(text))
    known = set(SHOWN) - {"nobody"}
    assert set(graph.nodes) == known
    assert graph.nodes["p-teacher"] == {
        "type": "Profession",
        "name": "Teacher",
        **{k: v for k, v in graph.nodes["p-teacher"].items() if k not in ("type", "name")},
    }
    expected = sorted(
        (r.source, r.type, r.target)
        for r in dataset_relationships(example.dataset)
        if r.source in known and r.target in known
    )
    assert sorted((a, d["type"], b) for a, b, d in graph.edges(data=True)) == expected


def test_the_html_export_is_the_offline_view_of_those_nodes(example: MemoryBackend) -> None:
    disposition, page = export(client(example), "html", SHOWN)
    assert disposition == 'attachment; filename="graphmodel-view.html"'
    assert "Nodes shown in the explorer" in page and "Teacher" in page
    assert not re.search(r"""(src|href)=["']https?://""", page)  # opens with no network


def test_exports_refuse_bad_requests_in_one_line(example: MemoryBackend) -> None:
    http = client(example)
    assert get_json(http, "/api/export?format=pdf&id=p-teacher", status=400)["error"].startswith(
        "format:"
    )
    assert get_json(http, "/api/export?format=graphml", status=400) == {
        "error": "missing parameter 'id'"
    }


@pytest.mark.neo4j
def test_graphml_exports_agree_on_both_backends(
    neo4j_backend: GraphBackend, example: MemoryBackend
) -> None:
    neo4j_backend.load(example.dataset, replace=True)  # type: ignore[attr-defined]
    assert export(client(neo4j_backend, remember=False), "graphml", SHOWN) == export(
        client(example), "graphml", SHOWN
    )
