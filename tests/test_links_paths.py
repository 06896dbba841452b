"""Explained shortest chains between any two nodes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from links_data import PATH_INITIATIVES, PATH_ORGANISATIONS

from graphmodel.analysis.paths import shortest_path
from graphmodel.backends import MemoryBackend
from graphmodel.dataset import read_dataset
from graphmodel.errors import NotFoundError


@pytest.fixture
def backend(make_dataset: Callable[..., Path]) -> MemoryBackend:
    folder = make_dataset(organisations=PATH_ORGANISATIONS, initiatives=PATH_INITIATIVES)
    return MemoryBackend(read_dataset(folder))


def test_chain_reads_as_a_sentence_in_walking_direction(backend: MemoryBackend) -> None:
    result = shortest_path(backend, "in-a", "in-c").to_json()
    assert result["hops"] == 2
    assert result["summary"] == {"paths": 1, "shown": 1}
    (chain,) = result["paths"]
    assert chain["nodes"] == ["in-a", "org-council", "in-c"]
    assert chain["links"] == [
        {"source": "org-council", "type": "LEADS", "target": "in-a"},
        {"source": "org-council", "type": "PARTNER_IN", "target": "in-c"},
    ]
    assert chain["sentence"] == (
        "Initiative Neglect toolkit (in-a) is led by Organisation Test council (org-council), "
        "which is a partner in Initiative Early help (in-c)."
    )
    assert result["nodes"]["org-council"] == {"label": "Organisation", "name": "Test council"}
    back = shortest_path(backend, "in-c", "in-a").to_json()["paths"][0]["sentence"]
    assert back == (
        "Initiative Early help (in-c) has as a partner Organisation Test council (org-council), "
        "which leads Initiative Neglect toolkit (in-a)."
    )


def test_of_several_shortest_chains_the_first_by_node_ids_is_shown(backend: MemoryBackend) -> None:
    first = shortest_path(backend, "in-d", "in-e").to_json()
    assert first["summary"] == {"paths": 2, "shown": 1}
    assert first["paths"][0]["nodes"] == ["in-d", "org-m1", "in-e"]
    every = shortest_path(backend, "in-d", "in-e", all_paths=True).to_json()
    assert [p["nodes"] for p in every["paths"]] == [
        ["in-d", "org-m1", "in-e"],
        ["in-d", "org-m2", "in-e"],
    ]
    assert every["paths"][0] == first["paths"][0]


def test_competency_structure_phrases(backend: MemoryBackend) -> None:
    result = shortest_path(backend, "c-other", "c-area", all_paths=True).to_json()
    assert [p["nodes"] for p in result["paths"]] == [
        ["c-other", "c-item", "c-area"],
        ["c-other", "fw-core", "c-area"],
    ]
    assert result["paths"][0]["sentence"] == (
        "Competency Share information (c-other) is equivalent to Competency Recognise harm "
        "(c-item), which is part of Competency Safeguarding (c-area)."
    )
    assert result["paths"][1]["sentence"] == (
        "Competency Share information (c-other) is in Framework Core skills (fw-core), "
        "which contains Competency Safeguarding (c-area)."
    )


def test_max_hops_and_unconnected_nodes(backend: MemoryBackend) -> None:
    assert shortest_path(backend, "in-a", "in-e").to_json()["hops"] == 4
    short = shortest_path(backend, "in-a", "in-e", max_hops=3).to_json()
    assert short["hops"] is None and short["paths"] == [] and short["summary"]["paths"] == 0
    apart = shortest_path(backend, "in-iso", "in-a", max_hops=15).to_json()
    assert apart["hops"] is None and apart["paths"] == []
    with pytest.raises(ValueError, match="between 1 and 15"):
        shortest_path(backend, "in-a", "in-e", max_hops=16)


def test_a_node_to_itself(backend: MemoryBackend) -> None:
    result = shortest_path(backend, "in-a", "in-a").to_json()
    assert result["hops"] == 0
    assert result["paths"][0]["sentence"] == "Initiative Neglect toolkit (in-a) is itself."


def test_unknown_ids_name_the_closest(backend: MemoryBackend) -> None:
    with pytest.raises(
        NotFoundError, match=r"unknown node 'org-councl'; did you mean 'org-council'"
    ):
        shortest_path(backend, "in-a", "org-councl")
    with pytest.raises(NotFoundError, match=r"unknown node 'nothing-like-it'$"):
        shortest_path(backend, "nothing-like-it", "in-a")


def test_three_links_use_which_twice(backend: MemoryBackend) -> None:
    sentence = shortest_path(backend, "in-plan", "org-m1").to_json()["paths"][0]["sentence"]
    assert sentence == (
        "Initiative Safeguarding plan (in-plan) is led by Organisation Test council "
        "(org-council), which is a partner in Initiative Early help (in-c), which is led by "
        "Organisation Middle one (org-m1)."
    )


def test_cypher_walks_every_model_relationship_up_to_the_python_bound() -> None:
    import re

    from graphmodel.backends.base import MAX_PATH_HOPS
    from graphmodel.model import LABEL_TABLES, RELATIONSHIP_TYPES
    from graphmodel.queries import query

    text = query("shortest_paths")
    pattern = re.search(r"\(a\)-\[:([A-Z_|]+)\*\.\.(\d+)\]-\(b\)", text)
    assert pattern is not None
    assert pattern.group(1).split("|") == list(RELATIONSHIP_TYPES)
    assert int(pattern.group(2)) == MAX_PATH_HOPS
    # Both ends are found through each label's unique index.
    for end in ("source", "target"):
        labels = re.findall(rf"MATCH \(n:(\w+) {{id: \${end}}}\)", text)
        assert labels == list(LABEL_TABLES)
