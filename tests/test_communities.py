"""Communities: seeded Leiden on the whole graph or the partnership network, named by members."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE
from explorer_client import cli_json, client, get_json

from graphmodel.analysis.brokers import partnership_network
from graphmodel.analysis.communities import Network, communities, divide
from graphmodel.analysis.requests import CommunitiesRequest
from graphmodel.backends import GraphBackend, MemoryBackend
from graphmodel.cli.main import cli
from graphmodel.dataset import read_dataset
from graphmodel.model import Dataset, InitiativeStatus
from graphmodel.projections import InitiativeFilter
from graphmodel.synthetic import Scale, synthetic_dataset

CONTRACT_KEYS = {"id", "name", "size", "members"}
ACTIVE = InitiativeFilter(statuses=(InitiativeStatus.ACTIVE,))


def two_teams() -> Network:
    """Two teams of six joined by one link (a4-b4).

    In each, four members all linked to each other, a hub linked to the four
    and to a sixth member linked to nobody else.
    """
    ids, labels, names, links = [], [], [], []
    for side in ("a", "b"):
        first = len(ids)
        ids += [f"hub-{side}", f"{side}1", f"{side}2", f"{side}3", f"{side}4", f"leaf-{side}"]
        labels += ["Organisation"] + ["Initiative"] * 5
        names += [f"Hub {side.upper()}"] + [f"{side.upper()} {n}" for n in range(1, 5)]
        names += [f"Leaf {side.upper()}"]
        team = [first + n for n in range(1, 5)]
        links += [(a, b) for a in team for b in team if a < b]
        links += [(first, member) for member in team] + [(first, first + 5)]
    links.append((4, 10))
    return Network(
        ids=ids,
        labels=labels,
        names=names,
        sources=np.array([a for a, _ in links]),
        targets=np.array([b for _, b in links]),
    )


def test_two_teams_are_two_communities_named_after_their_hubs() -> None:
    network = two_teams()
    found = divide(network, "partnership")
    assert [c.members for c in found.communities] == [
        ("a1", "a2", "a3", "a4", "hub-a", "leaf-a"),  # same size: the first member's id first
        ("b1", "b2", "b3", "b4", "hub-b", "leaf-b"),
    ]
    first = found.communities[0]
    # The hub is linked to the five others; each of a1-a4 to four, and a4 (linked
    # outside too) goes before the others; then by id.
    assert [(m.id, m.links) for m in first.shared] == [("hub-a", 5), ("a4", 4), ("a1", 4)]
    assert first.name == "Hub A · A 4"
    assert first.labels == {"Organisation": 1, "Initiative": 5}
    assert (first.links_inside, first.links_outside) == (11, 1)
    assert found.to_json()["network"] == {
        "kind": "partnership",
        "nodes": 12,
        "links": 23,
        "modularity": found.modularity,
        "resolution": 1.0,
        "seed": 0,
    }
    # Modularity as networkx computes it for the same partition.
    graph = nx.Graph(zip(network.sources.tolist(), network.targets.tolist(), strict=True))
    expected = nx.community.modularity(graph, [set(range(6)), set(range(6, 12))])
    assert found.modularity == pytest.approx(expected, abs=1e-6)


def test_repeated_links_weigh_more_and_loops_and_lone_nodes_count() -> None:
    # a-b three times, b-c once, a loop on c, and d alone.
    network = Network(
        ids=["a", "b", "c", "d"],
        labels=["Competency"] * 4,
        names=["A", "B", "C", "D"],
        sources=np.array([0, 1, 0, 1, 2]),
        targets=np.array([1, 0, 1, 2, 2]),
    )
    found = divide(network, "graph")
    assert found.links == 2  # distinct pairs; the loop is no link
    members = {member for c in found.communities for member in c.members}
    assert members == {"a", "b", "c", "d"}
    assert found.communities[-1].members == ("d",)
    assert found.communities[-1].name == "D"  # a community of one is named after its member
    assert found.communities[-1].shared[0].links == 0


def test_limit_and_min_size_cut_the_list_not_the_count() -> None:
    backend = MemoryBackend(read_dataset(EXAMPLE))
    everything = communities(backend)
    assert everything.total == len(everything.communities)
    sizes = [c.size for c in everything.communities]
    assert sizes == sorted(sizes, reverse=True) and sizes[-1] == 1  # a driver on its own
    limited = communities(backend, limit=2)
    assert limited.total == everything.total
    assert limited.communities == everything.communities[:2]
    big = communities(backend, min_size=2)
    assert [c.size for c in big.communities] == [size for size in sizes if size >= 2]
    assert big.to_json()["summary"] == {"communities": everything.total, "shown": len(sizes) - 1}


def assert_partition(result: dict[str, object], ids: set[str], names: dict[str, str]) -> None:
    """Every node in exactly one community, numbered 1.. largest first, named by its members."""
    found = result["communities"]
    assert isinstance(found, list)
    assert [c["id"] for c in found] == list(range(1, len(found) + 1))
    members = [member for c in found for member in c["members"]]
    assert len(members) == len(set(members)) and set(members) == ids
    for community in found:
        assert set(community) >= CONTRACT_KEYS
        assert community["size"] == len(community["members"])
        assert community["members"] == sorted(community["members"])
        assert sum(community["labels"].values()) == community["size"]
        shared = community["shared"]
        assert {member["id"] for member in shared} <= set(community["members"])
        assert community["name"] == " · ".join(names[member["id"]] for member in shared[:2])
        assert [member["links"] for member in shared] == sorted(
            (member["links"] for member in shared), reverse=True
        )
    assert [c["size"] for c in found] == sorted((c["size"] for c in found), reverse=True)


def test_the_example_whole_graph(example_backend: MemoryBackend) -> None:
    result = communities(example_backend).to_json()
    named = {node.id: node.name for node in example_backend.named_nodes()}
    assert_partition(result, set(named), named)
    # Leiden finds structure (a random split has modularity about 0) at least as good
    # as networkx's Louvain on the same weighted graph.
    graph = nx.Graph()
    graph.add_nodes_from(named)
    for relationship in example_backend.relationships():
        if relationship.source != relationship.target:
            weight = graph.get_edge_data(relationship.source, relationship.target, {"weight": 0})
            graph.add_edge(relationship.source, relationship.target, weight=weight["weight"] + 1)
    partition = [set(c["members"]) for c in result["communities"]]
    ours = nx.community.modularity(graph, partition, weight="weight")
    assert result["network"]["modularity"] == pytest.approx(ours, abs=1e-6)
    louvain = nx.community.louvain_communities(graph, weight="weight", seed=1)
    assert ours >= nx.community.modularity(graph, louvain, weight="weight") - 0.02
    assert ours > 0.3


def test_the_example_partnership_network(example_backend: MemoryBackend) -> None:
    selection = InitiativeFilter(statuses=(InitiativeStatus.ACTIVE,))
    result = communities(example_backend, "partnership", selection).to_json()
    network = partnership_network(example_backend.initiatives(selection))
    titles = {node.id: node.title for node in example_backend.initiatives(selection)}
    names = {node.id: node.name for node in example_backend.named_nodes(["Organisation"])}
    assert_partition(result, set(network), {**names, **titles})
    assert result["network"]["links"] == network.number_of_edges()
    labels = {c["id"]: c["labels"] for c in result["communities"]}
    assert set().union(*labels.values()) == {"Organisation", "Initiative"}
    everything = communities(example_backend, "partnership").to_json()
    assert everything["network"]["nodes"] > result["network"]["nodes"]  # the filter counts


def test_the_same_graph_in_another_order_gives_the_same_communities() -> None:
    dataset = read_dataset(EXAMPLE)
    shuffled = Dataset.model_validate(
        {
            table: random.Random(index).sample(rows, len(rows))
            for index, (table, rows) in enumerate(dataset.model_dump().items())
        }
    )
    for kind in ("graph", "partnership"):
        assert (
            communities(MemoryBackend(shuffled), kind).to_json()  # type: ignore[arg-type]
            == communities(MemoryBackend(dataset), kind).to_json()  # type: ignore[arg-type]
        )


def test_resolution_changes_the_number_of_communities(example_backend: MemoryBackend) -> None:
    coarse = communities(example_backend, resolution=0.3)
    fine = communities(example_backend, resolution=3.0)
    assert coarse.total < communities(example_backend).total < fine.total


@pytest.fixture(scope="module")
def example_backend() -> MemoryBackend:
    return MemoryBackend(read_dataset(EXAMPLE))


# -- the two doors ---------------------------------------------------------------------


def test_the_command_prints_the_request_document() -> None:
    printed = cli_json("communities", str(EXAMPLE), "--network", "partnership", "--limit", "3")
    request = CommunitiesRequest(network="partnership", limit=3)
    assert printed == request.payload(MemoryBackend(read_dataset(EXAMPLE)))
    table = CliRunner().invoke(cli, ["communities", str(EXAMPLE), "--min-size", "2"])
    assert table.exit_code == 0, table.output
    assert "Communities of the whole graph" in table.output
    assert "modularity" in table.output
    rows = CliRunner().invoke(cli, ["communities", str(EXAMPLE), "--format", "csv"])
    lines = rows.output.splitlines()
    assert lines[0] == "community,name,size,member"
    assert len(lines) - 1 == len(MemoryBackend(read_dataset(EXAMPLE)).named_nodes())


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--status", "active"],
            "--status, --from and --to choose initiatives: use them with --network partnership",
        ),
        (["--resolution", "0"], "--resolution"),
        (["--network", "everything"], "'everything' is not one of 'graph', 'partnership'"),
        (["--min-size", "0"], "--min-size"),
    ],
)
def test_bad_options_are_refused_with_exit_2(arguments: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["communities", str(EXAMPLE), *arguments])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_the_api_answers_what_the_command_prints(example_backend: MemoryBackend) -> None:
    http = client(example_backend)
    for query, arguments in [
        ("", []),
        (
            "?network=partnership&status=active&limit=2",
            ["--network", "partnership", "--status", "active", "--limit", "2"],
        ),
        ("?resolution=2&min_size=3", ["--resolution", "2", "--min-size", "3"]),
    ]:
        assert get_json(http, f"/api/communities{query}") == cli_json(
            "communities", str(EXAMPLE), *arguments
        )
    assert get_json(http, "/api/communities?netwrk=graph", 400) == {
        "error": "unknown parameter 'netwrk'"
    }
    error = get_json(http, "/api/communities?status=active", 400)["error"]
    assert error == "status, from and to choose initiatives: use them with network partnership"
    assert get_json(http, "/api/communities?resolution=-1", 400)["error"].startswith("resolution:")
    # The server goes on serving.
    assert get_json(http, "/api/communities?limit=1")["summary"]["shown"] == 1


# -- both backends ----------------------------------------------------------------------


def assert_parity(graph: GraphBackend, memory: MemoryBackend) -> None:
    for options in (
        {},
        {"resolution": 2.0, "min_size": 2},
        {"kind": "partnership"},
        {
            "kind": "partnership",
            "initiatives": InitiativeFilter(statuses=(InitiativeStatus.ACTIVE,)),
        },
        {"limit": 3},
    ):
        assert (
            communities(graph, **options).to_json()  # type: ignore[arg-type]
            == communities(memory, **options).to_json()  # type: ignore[arg-type]
        ), options


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: read_dataset(EXAMPLE), id="example"),
        pytest.param(
            lambda: synthetic_dataset(Scale.national().scaled(0.02), seed=4), id="national-2%"
        ),
    ],
)
def test_both_backends_give_the_same_communities(
    backend_for: Callable[[Dataset], GraphBackend], make: Callable[[], Dataset]
) -> None:
    dataset = make()
    assert_parity(backend_for(dataset), MemoryBackend(dataset))


@pytest.mark.neo4j
def test_the_explorer_on_neo4j_divides_the_skeleton_it_read(neo4j_backend: GraphBackend) -> None:
    dataset = read_dataset(EXAMPLE)
    neo4j_backend.load(dataset, replace=True)
    http = client(neo4j_backend, remember=False)
    assert get_json(http, "/api/communities") == communities(MemoryBackend(dataset)).to_json()
    assert (
        get_json(http, "/api/communities?network=partnership&limit=2")
        == communities(MemoryBackend(dataset), "partnership", limit=2).to_json()
    )


# -- the national set ---------------------------------------------------------------------


@pytest.mark.slow  # the national set in its own process
def test_the_national_set(tmp_path: Path) -> None:
    """Both networks of the national synthetic set: a partition named by its members.

    Run in its own process so that its gigabyte is given back at once; its time is
    measured in bench/communities.py, not here.
    """
    script = tmp_path / "national.py"
    script.write_text(
        "import json, sys\n"
        "from graphmodel.collector import collect_less_often\n"
        "collect_less_often()  # as the command line does\n"
        "from graphmodel.analysis.communities import communities\n"
        "from graphmodel.backends import MemoryBackend\n"
        "from graphmodel.synthetic import Scale, synthetic_dataset\n"
        "backend = MemoryBackend(synthetic_dataset(Scale.national(), seed=1))\n"
        "json.dump({'graph': communities(backend).to_json(),\n"
        "           'partnership': communities(backend, 'partnership').to_json(),\n"
        "           'names': {n.id: n.name for n in backend.named_nodes()}}, sys.stdout)\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=True, timeout=1800
    )
    found = json.loads(done.stdout)
    names = found["names"]
    graph, partnership = found["graph"], found["partnership"]
    assert graph["network"]["nodes"] == 130_220
    assert_partition(graph, set(names), names)
    assert 5 <= graph["summary"]["communities"] <= 2000
    assert graph["network"]["modularity"] > 0.15
    organisations_and_initiatives = {
        node for c in partnership["communities"] for node in c["members"]
    }
    assert_partition(partnership, organisations_and_initiatives, names)
    assert partnership["network"]["modularity"] > 0.3
    # The partnership network's communities hold organisations and initiatives only.
    assert {label for c in partnership["communities"] for label in c["labels"]} == {
        "Organisation",
        "Initiative",
    }


# -- the overview rolled up by community --------------------------------------------------


def test_the_overview_rolled_up_by_community(example_backend: MemoryBackend) -> None:
    http = client(example_backend)
    found = communities(example_backend).to_json()["communities"]
    picture = get_json(http, "/api/overview?max_nodes=20&roll_up=community")
    assert picture["rolled_up"] is True
    by_id = {node["id"]: node for node in picture["nodes"]}
    # Every community is one unit: its group, or its node when it has one member.
    assert len(by_id) == len(found)
    for community in found:
        if community["size"] == 1:
            assert by_id[community["members"][0]]["members"] == 1
            continue
        group = by_id[f"group;Community;{community['id']}"]
        assert group["group"] is True and group["label"] == "Community"
        assert group["members"] == community["size"]
        assert group["name"] == f"Community {community['id']}: {community['name']} " + (
            f"({community['size']})"
        )
    assert sum(node["members"] for node in picture["nodes"]) == len(found[0]["members"]) + sum(
        c["size"] for c in found[1:]
    )
    # A small graph is drawn whole either way.
    whole = get_json(http, "/api/overview?roll_up=community")
    assert whole == get_json(http, "/api/overview")
    assert whole["rolled_up"] is False


def test_a_community_opens_into_its_members_and_the_smallest_share_a_group(
    example_backend: MemoryBackend,
) -> None:
    http = client(example_backend)
    found = communities(example_backend).to_json()["communities"]
    before = get_json(http, "/api/overview?max_nodes=20&roll_up=community")
    opened = get_json(
        http, "/api/overview?max_nodes=20&roll_up=community&expand=group%3BCommunity%3B2"
    )
    ids = {node["id"] for node in opened["nodes"]}
    assert set(found[1]["members"]) <= ids and "group;Community;2" not in ids
    kept = {node["id"]: (node["x"], node["y"]) for node in before["nodes"]}
    for node in opened["nodes"]:  # opening moves nothing already drawn
        if node["id"] in kept:
            assert (node["x"], node["y"]) == kept[node["id"]]
    # Three units at most: the two largest communities and one group for the rest.
    small = get_json(http, "/api/overview?max_nodes=3&roll_up=community")
    names = {node["id"]: node["name"] for node in small["nodes"]}
    assert set(names) == {"group;Community;1", "group;Community;2", "group;Community;"}
    rest = sum(c["size"] for c in found[2:])
    assert names["group;Community;"] == f"{len(found) - 2} smaller communities ({rest} nodes)"
    members = get_json(
        http, "/api/overview?max_nodes=3&roll_up=community&expand=group%3BCommunity%3B"
    )
    assert set(found[-1]["members"]) <= {node["id"] for node in members["nodes"]}
    # A community's group id of no community here: an unknown id (404), not a bad one.
    assert get_json(
        http, "/api/overview?max_nodes=3&roll_up=community&expand=group%3BCommunity%3B99", 404
    ) == {"error": "no group 'group;Community;99' in this graph"}
    assert get_json(http, "/api/overview?expand=group%3BCommunity%3Bx", 400) == {
        "error": "'group;Community;x' is not a group id (group;Label[;anchor])"
    }
    assert get_json(http, "/api/overview?roll_up=area", 400)["error"].startswith("roll_up:")


@pytest.mark.neo4j
def test_the_overview_by_community_is_the_same_on_neo4j(neo4j_backend: GraphBackend) -> None:
    dataset = read_dataset(EXAMPLE)
    neo4j_backend.load(dataset, replace=True)
    url = "/api/overview?max_nodes=10&roll_up=community&expand=group%3BCommunity%3B3"
    assert get_json(client(neo4j_backend, remember=False), url) == get_json(
        client(MemoryBackend(dataset)), url
    )
