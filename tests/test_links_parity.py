"""Links, path and brokers give the same JSON on both backends, for every variant."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import EXAMPLE
from links_data import (
    BROKER_INITIATIVES,
    BROKER_ORGANISATIONS,
    LINKS_TABLES,
    PATH_INITIATIVES,
    PATH_ORGANISATIONS,
)

from graphmodel.analysis.brokers import brokers
from graphmodel.analysis.links import driver_reach, initiative_links, what_if
from graphmodel.analysis.paths import shortest_path
from graphmodel.backends import GraphBackend, MemoryBackend
from graphmodel.dataset import read_dataset
from graphmodel.model import Dataset, InitiativeStatus
from graphmodel.projections import InitiativeFilter
from graphmodel.synthetic import Scale, synthetic_dataset

SELECTIONS = [
    InitiativeFilter(),
    InitiativeFilter(statuses=(InitiativeStatus.ACTIVE, InitiativeStatus.PROPOSED)),
    InitiativeFilter(date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31)),
    InitiativeFilter(date_to=dt.date(2025, 6, 30)),
]

TEXTS = [
    "A duty on practitioners to report child exploitation",
    "Independent review of neglect, domestic abuse and information sharing between agencies",
    "drug and alcohol recovery for families",
    "zebra quokka",
]


def assert_links_parity(graph: GraphBackend, memory: MemoryBackend) -> None:
    drivers = [n.id for n in memory.named_nodes(["Driver"])]
    for selection in SELECTIONS:
        admitted = [i.id for i in memory.initiatives(selection)]
        for driver in drivers:
            assert (
                driver_reach(graph, driver, selection).to_json()
                == driver_reach(memory, driver, selection).to_json()
            ), (driver, selection)
        for initiative in admitted:
            assert (
                initiative_links(graph, initiative, selection).to_json()
                == initiative_links(memory, initiative, selection).to_json()
            ), (initiative, selection)
        for text in TEXTS:
            for options in ({}, {"min_similarity": 0.05, "matches": 3, "limit": 4}):
                assert (
                    what_if(graph, text, selection, **options).to_json()  # type: ignore[arg-type]
                    == what_if(memory, text, selection, **options).to_json()  # type: ignore[arg-type]
                ), (text, options, selection)
        for options in (
            {},
            {"kind": "organisation"},
            {"kind": "initiative", "limit": 3},
            {"sample": 5},
            {"exact": True},
        ):
            assert (
                brokers(graph, selection, **options).to_json()  # type: ignore[arg-type]
                == brokers(memory, selection, **options).to_json()  # type: ignore[arg-type]
            ), (options, selection)


def assert_path_parity(graph: GraphBackend, memory: MemoryBackend, pairs: int, seed: int) -> None:
    ids = [n.id for n in memory.named_nodes()]
    rng = random.Random(seed)
    for _ in range(pairs):
        a, b = rng.sample(ids, 2)
        for max_hops, all_paths in ((2, False), (6, True)):
            assert (
                shortest_path(graph, a, b, max_hops, all_paths).to_json()
                == shortest_path(memory, a, b, max_hops, all_paths).to_json()
            ), (a, b, max_hops, all_paths)
    assert (
        shortest_path(graph, ids[0], ids[0]).to_json()
        == shortest_path(memory, ids[0], ids[0]).to_json()
    )


@pytest.fixture(scope="module")
def example() -> Dataset:
    return read_dataset(EXAMPLE)


def test_example_every_variant(
    backend_for: Callable[[Dataset], GraphBackend], example: Dataset
) -> None:
    graph = backend_for(example)
    memory = MemoryBackend(example)
    assert_links_parity(graph, memory)
    assert_path_parity(graph, memory, pairs=40, seed=1)


def test_hand_built_datasets(
    backend_for: Callable[[Dataset], GraphBackend], make_dataset: Callable[..., Path]
) -> None:
    empty_events = (
        "id,title,lead_organisation,start_date,end_date,delivery,places,cost,evaluation,"
        "status,targets,covers,initiative\n"
    )
    for folder in (
        make_dataset(**LINKS_TABLES),
        make_dataset(organisations=PATH_ORGANISATIONS, initiatives=PATH_INITIATIVES),
        make_dataset(
            organisations=BROKER_ORGANISATIONS,
            initiatives=BROKER_INITIATIVES,
            training_events=empty_events,
            workforce="organisation,profession,headcount\n",
        ),
    ):
        dataset = read_dataset(folder)
        graph = backend_for(dataset)
        memory = MemoryBackend(dataset)
        assert_links_parity(graph, memory)
        assert_path_parity(graph, memory, pairs=10, seed=2)


def test_synthetic_dataset(backend_for: Callable[[Dataset], GraphBackend]) -> None:
    dataset = synthetic_dataset(Scale.tiny().scaled(3), seed=5)
    graph = backend_for(dataset)
    memory = MemoryBackend(dataset)
    drivers = [n.id for n in memory.named_nodes(["Driver"])]
    for driver in drivers:
        assert driver_reach(graph, driver).to_json() == driver_reach(memory, driver).to_json()
    for initiative in [i.id for i in memory.initiatives(InitiativeFilter())][:15]:
        assert (
            initiative_links(graph, initiative).to_json()
            == initiative_links(memory, initiative).to_json()
        )
    assert what_if(graph, TEXTS[1]).to_json() == what_if(memory, TEXTS[1]).to_json()
    assert brokers(graph).to_json() == brokers(memory).to_json()
    assert brokers(graph, sample=10).to_json() == brokers(memory, sample=10).to_json()
    assert_path_parity(graph, memory, pairs=10, seed=3)


def test_named_nodes_by_id(
    backend_for: Callable[[Dataset], GraphBackend], example: Dataset
) -> None:
    graph = backend_for(example)
    memory = MemoryBackend(example)
    ids = ["dr-inquiry-report", "in-ncc-neglect-toolkit", "nope", "fw-nccc", "te-nope", "p-gp"]
    found = graph.named_nodes_by_id(ids)
    assert found == memory.named_nodes_by_id(ids)
    assert [n.id for n in found] == [
        "dr-inquiry-report",
        "fw-nccc",
        "in-ncc-neglect-toolkit",
        "p-gp",
    ]
    everything = {n.id: n for n in memory.named_nodes()}
    assert all(node == everything[node.id] for node in found)
    assert graph.named_nodes_by_id([]) == []
