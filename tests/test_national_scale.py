"""The blocked duplicate search is exact on every shape of data; brokers are exact.

The shapes that broke the earlier candidate bound: a small vocabulary (almost
every two texts share words) and one driver answered by thousands of
initiatives (millions of pairs share it). The reference is always an
exhaustive comparison scored by the same code.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tiers import examples

from graphmodel.analysis.blocking import CandidateSearch, common_holders, dense_text_join
from graphmodel.analysis.brokers import broker_network, brokers, partnership_network
from graphmodel.analysis.duplicates import (
    DEFAULT_THRESHOLD,
    STRUCTURE_WEIGHT,
    DuplicateQuery,
    InitiativeSimilarity,
    blocked_pairs,
    exhaustive_pairs,
    find_duplicates,
)
from graphmodel.backends import GraphBackend, MemoryBackend
from graphmodel.model import Dataset
from graphmodel.projections import InitiativeFilter, InitiativeNode
from graphmodel.synthetic import Scale, synthetic_dataset, with_hub_driver, with_near_copies

#: Slow tier (tests/README.md): national-scale data, each test seconds to minutes.
pytestmark = pytest.mark.slow

# -- random initiatives: the bound misses no pair -----------------------------------

WORDS = ["neglect", "toolkit", "abuse", "domestic", "harm", "youth", "club", "sport"]
PROFESSIONS = ["p1", "p2", "p3"]
COMPETENCIES = ["c1", "c2", "c3", "c4", "c5"]
DRIVERS = ["d1", "d2"]
ORGANISATIONS = ["o1", "o2", "o3", "o4"]


@st.composite
def initiative_sets(draw: st.DrawFn) -> list[InitiativeNode]:
    """2-16 initiatives on small pools, a hub driver most of them answer, 8-word texts."""
    count = draw(st.integers(2, 16))
    nodes = []
    for k in range(count):
        hub = ("d-hub",) if draw(st.integers(0, 3)) else ()
        nodes.append(
            InitiativeNode(
                f"in-{k:02d}",
                " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=6))),
                None,
                None,
                draw(st.sampled_from([None, *ORGANISATIONS])),
                tuple(sorted(draw(st.sets(st.sampled_from(ORGANISATIONS), max_size=2)))),
                "active",
                None,
                None,
                None,
                tuple(sorted(draw(st.sets(st.sampled_from(PROFESSIONS), max_size=2)))),
                tuple(sorted(draw(st.sets(st.sampled_from(COMPETENCIES), max_size=3)))),
                tuple(sorted({*draw(st.sets(st.sampled_from(DRIVERS), max_size=1)), *hub})),
                (f"in-{k - 1:02d}",) if k and draw(st.integers(0, 4)) == 0 else (),
            )
        )
    return nodes


@settings(max_examples=examples(200), deadline=None)
@given(
    nodes=initiative_sets(),
    threshold=st.floats(0.0, 1.0),
    same_lead=st.sampled_from([None, True, False]),
    common_above=st.sampled_from([None, 1, 3, 6]),
    dense=st.booleans(),
)
def test_the_candidates_hold_every_pair_reaching_the_threshold(
    nodes: list[InitiativeNode],
    threshold: float,
    same_lead: bool | None,
    common_above: int | None,
    dense: bool,
) -> None:
    similarity = InitiativeSimilarity(nodes)
    search = CandidateSearch(
        similarity.held,
        similarity.weighted,
        similarity.text.matrix,
        STRUCTURE_WEIGHT,
        common_above=common_above,
        dense=dense,
    )
    candidates = {
        (a, b)
        for first, second in search.blocks(threshold)
        for a, b in zip(first.tolist(), second.tolist(), strict=True)
    }
    assert all(a < b for a, b in candidates)
    # Every pair, scored by the same code as the duplicates: none reaching the
    # threshold is missing from the candidates (lead and BUILDS_ON filters aside).
    first, second = (
        np.array(side, dtype=np.int64)
        for side in zip(*itertools.combinations(range(len(nodes)), 2), strict=True)
    )
    *_, scores = similarity.score(first, second)
    reaching = {
        (a, b)
        for a, b, s in zip(first.tolist(), second.tolist(), scores.tolist(), strict=True)
        if s >= threshold
    }
    assert reaching <= candidates
    query = DuplicateQuery(threshold=threshold, same_lead=same_lead)
    found, scored = blocked_pairs(similarity, query, search)
    assert found == exhaustive_pairs(similarity, query)
    assert scored == len(candidates)


# -- datasets of the shapes that matter -----------------------------------------------


def exhaustive_check(backend: MemoryBackend, query: DuplicateQuery) -> tuple[int, int]:
    """Assert the command's pairs are the exhaustive ones; (pairs found, candidates)."""
    report = find_duplicates(backend, query)
    similarity = InitiativeSimilarity(backend.initiatives(query.initiatives))
    blocked = [(p.a, p.b, p.score, p.structure, p.text) for p in report.pairs]
    assert blocked == exhaustive_pairs(similarity, query)
    return len(report.pairs), report.candidates


def test_a_small_vocabulary_gives_the_exhaustive_pairs_from_few_candidates() -> None:
    base = synthetic_dataset(Scale.national().scaled(0.15), seed=11, wording="repetitive")
    dataset, planted = with_near_copies(base, 0.05, seed=12, wording="repetitive")
    backend = MemoryBackend(dataset)
    similarity = InitiativeSimilarity(backend.initiatives(InitiativeFilter()))
    assert dense_text_join(similarity.text.matrix)  # 60 words: the dense join
    for threshold in (0.3, DEFAULT_THRESHOLD):
        found, candidates = exhaustive_check(backend, DuplicateQuery(threshold=threshold))
        # The earlier bound took every pair whose text alone reached t: a
        # third of all pairs here. The candidates now follow the pairs found.
        size = len(dataset.initiatives)
        text_reaching = sum(
            int((similarity.text.similarities(i, np.arange(i + 1, size)) >= threshold).sum())
            for i in range(size)
        )
        assert text_reaching > 0.1 * math.comb(size, 2)
        assert candidates <= 2 * found + 50
    assert found >= len(planted)


def test_a_driver_thousands_answer_gives_the_exhaustive_pairs() -> None:
    base = synthetic_dataset(Scale.national().scaled(0.2), seed=13)
    base = with_hub_driver(base, 1800, seed=14)
    dataset, planted = with_near_copies(base, 0.05, seed=15)
    backend = MemoryBackend(dataset)
    nodes = backend.initiatives(InitiativeFilter())
    holders = sum("dr-hub" in node.responds_to for node in nodes)
    assert holders > common_holders(len(nodes))  # the hub is bounded, not joined
    search = InitiativeSimilarity(nodes).search
    assert search.has_common
    found, candidates = exhaustive_check(backend, DuplicateQuery())
    assert found >= len(planted)
    assert candidates <= 2 * found + 50


# -- both backends ---------------------------------------------------------------------


def test_both_backends_agree_on_the_new_shapes(
    backend_for: Callable[[Dataset], GraphBackend],
) -> None:
    base = synthetic_dataset(Scale.national().scaled(0.03), seed=16, wording="repetitive")
    base = with_hub_driver(base, 200, seed=17)
    dataset, _ = with_near_copies(base, 0.05, seed=18, wording="repetitive")
    dataset = dataset.model_copy(update={"training_events": []})  # not needed here
    graph = backend_for(dataset)
    memory = MemoryBackend(dataset)
    for query in (DuplicateQuery(), DuplicateQuery(threshold=0.3, same_lead=False)):
        assert find_duplicates(graph, query).to_json() == find_duplicates(memory, query).to_json()
    assert brokers(graph).to_json() == brokers(memory).to_json()
    assert brokers(graph).sampled_sources is None


# -- brokers: exact, the numbers networkx gives --------------------------------------


@settings(max_examples=examples(60), deadline=None)
@given(nodes=initiative_sets())
def test_brokers_give_networkx_exact_betweenness(nodes: list[InitiativeNode]) -> None:
    result = broker_network(nodes, {})
    assert result.sampled_sources is None
    network = partnership_network(nodes)
    expected = nx.betweenness_centrality(network, normalized=True)
    assert {b.id: b.betweenness for b in result.brokers} == {
        id_: round(value, 6) for id_, value in expected.items() if round(value, 6) > 0
    }
    assert result.components == nx.number_connected_components(network)


def test_brokers_on_a_synthetic_network_match_networkx() -> None:
    dataset = synthetic_dataset(Scale.national().scaled(0.05), seed=19)
    nodes = MemoryBackend(dataset).initiatives(InitiativeFilter())
    result = broker_network(nodes, {})
    network = partnership_network(nodes)
    assert len(network) > 500
    expected = nx.betweenness_centrality(network, normalized=True)
    got = {b.id: b.betweenness for b in result.brokers}
    assert got == {id_: round(v, 6) for id_, v in expected.items() if round(v, 6) > 0}
    ranked = sorted(expected, key=lambda id_: (-round(expected[id_], 6), -network.degree(id_), id_))
    assert [b.id for b in result.brokers[:20]] == ranked[:20]


@pytest.mark.parametrize("sample", [5, 50])
def test_a_sample_is_an_estimate_and_says_so(sample: int) -> None:
    dataset = synthetic_dataset(Scale.national().scaled(0.01), seed=20)
    nodes = MemoryBackend(dataset).initiatives(InitiativeFilter())
    estimate = broker_network(nodes, {}, sample=sample)
    assert estimate.sampled_sources == sample
    assert broker_network(nodes, {}, sample=sample) == estimate  # seeded: repeatable
    assert broker_network(nodes, {}, sample=10**6).sampled_sources is None  # >= size: exact


def test_betweenness_shared_between_processes_is_the_same() -> None:
    from graphmodel.analysis.brokers import exact_betweenness

    network = nx.relabel_nodes(nx.gnm_random_graph(300, 700, seed=21), lambda n: f"n{n:03d}")
    serial = exact_betweenness(network, processes=1)
    expected = nx.betweenness_centrality(network, normalized=True)
    for processes in (2, 3):
        shared = exact_betweenness(network, processes=processes)
        assert shared == pytest.approx(serial, abs=1e-12)
        assert {k: round(v, 6) for k, v in shared.items()} == {
            k: round(v, 6) for k, v in expected.items()
        }
