"""Brokers: betweenness in the organisation-initiative network."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest
from conftest import EXAMPLE
from links_data import BROKER_INITIATIVES, BROKER_ORGANISATIONS

from graphmodel.analysis.brokers import brokers, partnership_network
from graphmodel.backends import MemoryBackend
from graphmodel.dataset import read_dataset
from graphmodel.model import InitiativeStatus
from graphmodel.projections import InitiativeFilter


@pytest.fixture
def tree(make_dataset: Callable[..., Path]) -> MemoryBackend:
    folder = make_dataset(
        organisations=BROKER_ORGANISATIONS,
        initiatives=BROKER_INITIATIVES,
        training_events=(
            "id,title,lead_organisation,start_date,end_date,delivery,places,cost,evaluation,"
            "status,targets,covers,initiative\n"
        ),
        workforce="organisation,profession,headcount\n",
    )
    return MemoryBackend(read_dataset(folder))


def test_broker_order_and_figures_on_a_tree(tree: MemoryBackend) -> None:
    # In a tree a node lies on the one route between every pair it separates:
    # org-hub splits the other 6 nodes into groups of 3, 2 and 1 (3*2 + 3*1 + 2*1
    # = 11 pairs), in-1 into 2 and 4 (8), org-a and in-2 into 1 and 5 (5 each);
    # normalised by the 15 pairs of the other 6 nodes.
    result = brokers(tree).to_json()
    assert [(b["id"], b["betweenness"]) for b in result["brokers"]] == [
        ("org-hub", round(11 / 15, 6)),
        ("in-1", round(8 / 15, 6)),
        ("in-2", round(5 / 15, 6)),  # ties with org-a on betweenness and degree: by id
        ("org-a", round(5 / 15, 6)),
    ]
    hub, in_1 = result["brokers"][0], result["brokers"][1]
    assert hub == {
        "id": "org-hub",
        "label": "Organisation",
        "name": "Hub council",
        "betweenness": round(11 / 15, 6),
        "degree": 3,
        "connects": 2,  # org-a (through in-1) and org-b (through in-2)
        "bridges": [["in-1"], ["in-2"], ["in-4"]],
    }
    assert in_1["connects"] == 3 and in_1["bridges"] == [["org-a"], ["org-hub"]]
    assert in_1["name"] == "One"
    assert result["network"] == {
        "organisations": 3,
        "initiatives": 4,
        "links": 6,
        "components": 1,
        "sampled_sources": None,
    }
    assert result["summary"] == {"brokers": 4, "shown": 4}


def test_kind_limit_and_selection(tree: MemoryBackend) -> None:
    organisations = brokers(tree, kind="organisation").to_json()["brokers"]
    assert [b["id"] for b in organisations] == ["org-hub", "org-a"]
    assert [b["id"] for b in brokers(tree, kind="initiative").to_json()["brokers"]] == [
        "in-1",
        "in-2",
    ]
    top = brokers(tree, limit=1).to_json()
    assert [b["id"] for b in top["brokers"]] == ["org-hub"]
    assert top["summary"] == {"brokers": 4, "shown": 1}
    # Without the stopped in-4 the network is a path of 6: in-1 and org-hub, in its
    # middle, each split the other 5 nodes into 2 and 3 (6 of 10 pairs).
    active = brokers(tree, InitiativeFilter(statuses=(InitiativeStatus.ACTIVE,))).to_json()
    assert active["network"]["initiatives"] == 3
    assert [(b["id"], b["betweenness"]) for b in active["brokers"]] == [
        ("in-1", 0.6),
        ("org-hub", 0.6),
        ("in-2", 0.4),
        ("org-a", 0.4),
    ]
    assert active["brokers"][1]["bridges"] == [["in-1"], ["in-2"]]


def test_sampled_betweenness_is_repeatable_and_reported(tree: MemoryBackend) -> None:
    sampled = brokers(tree, sample=3).to_json()
    assert sampled["network"]["sampled_sources"] == 3
    assert brokers(tree, sample=3).to_json() == sampled
    assert brokers(tree, sample=100).to_json() == brokers(tree).to_json()  # >= size: exact
    assert brokers(tree, sample=3, exact=True).to_json() == brokers(tree).to_json()


def test_same_as_networkx_on_the_example() -> None:
    backend = MemoryBackend(read_dataset(EXAMPLE))
    result = brokers(backend).to_json()
    network = partnership_network(backend.initiatives(InitiativeFilter()))
    expected = nx.betweenness_centrality(network)
    assert {b["id"]: b["betweenness"] for b in result["brokers"]} == {
        id_: round(value, 6) for id_, value in expected.items() if round(value, 6) > 0
    }
    assert result["brokers"][0]["id"] == "org-nmcc-cs"
    assert result["brokers"][0]["bridges"] == []  # on cycles: no partnership hangs on it alone
    # The lead and the partners of every initiative are its neighbours.
    assert set(network["in-ncc-neglect-toolkit"]) == {"org-nmcc-cs", "org-nm-family-action"}
    assert result["network"]["components"] == nx.number_connected_components(network)


@pytest.mark.slow  # exact betweenness on networks up to national size
def test_exact_at_every_size_and_a_sample_still_finds_a_clear_broker() -> None:
    import random

    from graphmodel.analysis.brokers import broker_network
    from graphmodel.projections import InitiativeNode

    # Two separate partnerships of 400 initiatives and 200 organisations each;
    # org-bridge is a partner in one initiative of each, the only tie between them.
    rng = random.Random(7)
    nodes = []
    for side in ("left", "right"):
        organisations = [f"org-{side}-{i}" for i in range(200)]
        for i in range(400):
            lead, *partners = rng.sample(organisations, 3)
            if i == 0:
                partners.append("org-bridge")
            nodes.append(
                InitiativeNode(
                    f"in-{side}-{i}",
                    f"{side} {i}",
                    None,
                    None,
                    lead,
                    tuple(sorted(partners)),
                    "active",
                    None,
                    None,
                    None,
                    (),
                    (),
                    (),
                    (),
                )
            )
    result = broker_network(nodes, {})
    assert result.organisations + result.initiatives > 1000
    assert result.sampled_sources is None  # exact, whatever the size
    # The same numbers as networkx's exact betweenness, for every node.
    expected = nx.betweenness_centrality(partnership_network(nodes), normalized=True)
    assert {b.id: b.betweenness for b in result.brokers} == {
        id_: round(value, 6) for id_, value in expected.items() if round(value, 6) > 0
    }
    # Every route between the two sides runs in-left-0, org-bridge, in-right-0.
    top = [b.id for b in result.brokers[:3]]
    assert set(top) == {"org-bridge", "in-left-0", "in-right-0"}
    bridge = next(b for b in result.brokers if b.id == "org-bridge")
    assert bridge.bridges == (("in-left-0",), ("in-right-0",))
    # An estimate from 200 sampled sources, on request, finds the same top three.
    sampled = broker_network(nodes, {}, sample=200)
    assert sampled.sampled_sources == 200
    assert {b.id for b in sampled.brokers[:3]} == set(top)
    assert sampled.brokers[2].betweenness > 1.5 * sampled.brokers[3].betweenness
    exact = {b.id: b.betweenness for b in result.brokers}
    for broker in sampled.brokers[:3]:
        assert broker.betweenness == pytest.approx(exact[broker.id], abs=0.02)
