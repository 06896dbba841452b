"""Brokers: who holds the partnership network together.

The network has a node for every initiative the filter admits and for every
organisation that leads one or is a partner in one, and an edge between an
organisation and each initiative it leads or partners. It is built from the
initiative projection (the same on both backends), and computed on in
Python:

- **betweenness** (normalised as ``networkx.betweenness_centrality``): the
  share of shortest routes between other nodes that pass through a node. An
  organisation with high betweenness is the one link between otherwise
  separate groups of initiatives; the one to involve, and a risk if it
  leaves. Exact at every size: igraph's compiled Brandes algorithm
  (``igraph.Graph.betweenness``), a few seconds on a national network of
  15,000 nodes where networkx would take most of an hour; the same numbers
  as networkx's exact betweenness (tested). ``sample=K`` estimates it
  instead from K source nodes drawn with a fixed seed (networkx's ``k`` and
  ``seed``), for networks far beyond national size.
- **degree**: how many initiatives an organisation is in (how many
  organisations an initiative has);
- **connects**: how many others of its own kind it is one step from (an
  organisation's partner organisations, an initiative's sister initiatives
  sharing an organisation);
- **bridges**: the partnerships only it joins: when the node is a cut point
  of the network (it sits in two or more biconnected components,
  ``networkx.biconnected_components``), its neighbours grouped by component;
  otherwise empty.

Example
-------
>>> from graphmodel.projections import InitiativeNode
>>> def initiative(id_, lead, partners):
...     return InitiativeNode(id_, id_, None, None, lead, partners, "active", None, None,
...                           None, (), (), (), ())
>>> result = broker_network([initiative("in-a", "org-x", ("org-hub",)),
...                          initiative("in-b", "org-hub", ("org-y",))], {})
>>> [(b.id, b.betweenness, b.bridges) for b in result.brokers][:2]
[('org-hub', 0.666667, (('in-a',), ('in-b',))), ('in-a', 0.5, (('org-hub',), ('org-x',)))]
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

import igraph
import networkx as nx

from graphmodel.analysis.text import DIGITS
from graphmodel.backends.base import GraphBackend
from graphmodel.projections import InitiativeFilter, InitiativeNode

#: The seed of a sample of sources (``sample=K``): the same network always gives
#: the same estimate.
SEED = 0
#: Networks of at least this many nodes share their breadth-first searches
#: between processes, one per core (at most :data:`MOST_PROCESSES`).
PARALLEL_FROM = 4000
#: See :data:`PARALLEL_FROM`.
MOST_PROCESSES = 4

Kind = Literal["organisation", "initiative"]
_LABELS: dict[str, str] = {"organisation": "Organisation", "initiative": "Initiative"}


@dataclass(frozen=True)
class Broker:
    """One node of the partnership network and what it holds together."""

    id: str
    label: str
    name: str
    betweenness: float
    degree: int
    connects: int
    bridges: tuple[tuple[str, ...], ...]

    def to_json(self) -> dict[str, Any]:
        """The broker as in ``brokers --format json``."""
        return {
            "id": self.id,
            "label": self.label,
            "name": self.name,
            "betweenness": self.betweenness,
            "degree": self.degree,
            "connects": self.connects,
            "bridges": [list(group) for group in self.bridges],
        }


@dataclass(frozen=True)
class Brokers:
    """The brokers of a partnership network, best first, and the network's size."""

    brokers: tuple[Broker, ...]
    broker_count: int
    organisations: int
    initiatives: int
    links: int
    components: int
    sampled_sources: int | None

    def to_json(self) -> dict[str, Any]:
        """The JSON document of ``graphmodel brokers SOURCE``.

        Keys: ``brokers`` (betweenness descending, then degree descending,
        then id; only nodes with betweenness above 0), ``network`` (node and
        edge counts, connected components, ``sampled_sources``: ``null`` for
        exact betweenness, else how many sources estimated it) and
        ``summary`` (``brokers`` before any limit, ``shown``).
        """
        return {
            "brokers": [broker.to_json() for broker in self.brokers],
            "network": {
                "organisations": self.organisations,
                "initiatives": self.initiatives,
                "links": self.links,
                "components": self.components,
                "sampled_sources": self.sampled_sources,
            },
            "summary": {"brokers": self.broker_count, "shown": len(self.brokers)},
        }


def partnership_network(initiatives: Sequence[InitiativeNode]) -> nx.Graph:
    """The organisation-initiative network: nodes in id order, ``label`` on each.

    The fixed node order makes networkx's seeded sample of sources, and so
    every figure, the same whichever backend gave the initiatives.
    """
    labels: dict[str, str] = {}
    edges: list[tuple[str, str]] = []
    for node in initiatives:
        labels[node.id] = "Initiative"
        for organisation in node.organisations:
            labels.setdefault(organisation, "Organisation")
            edges.append((organisation, node.id))
    network = nx.Graph()
    network.add_nodes_from((id_, {"label": labels[id_]}) for id_ in sorted(labels))
    network.add_edges_from(sorted(edges))
    return network


def _betweenness_from(size: int, edges: list[tuple[int, int]], sources: list[int]) -> list[float]:
    """The part of every node's betweenness made by the routes from ``sources``."""
    graph = igraph.Graph(n=size, edges=edges)
    values: list[float] = graph.betweenness(directed=False, sources=sources)
    return values


def exact_betweenness(network: nx.Graph, processes: int | None = None) -> dict[str, float]:
    """Exact betweenness of every node, normalised as networkx normalises it.

    igraph counts each shortest route between two other nodes once; networkx's
    normalised betweenness of an undirected graph divides the same count by
    ``(n - 1)(n - 2) / 2``, the number of pairs of other nodes.

    Brandes' algorithm runs one breadth-first search per node and adds up what
    each gives, so a network of :data:`PARALLEL_FROM` nodes or more splits the
    sources between ``processes`` processes (default: one per core, at most
    :data:`MOST_PROCESSES`; a national network takes 20-30 s of one core) and
    adds the parts in a fixed order: the same network gives the same numbers.
    A process running other threads (the explorer's server) computes in one
    process: forking it could leave the workers waiting on a lock for ever.

    Example
    -------
    >>> exact_betweenness(nx.path_graph(["a", "b", "c"]))
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """
    nodes = list(network)
    size = len(nodes)
    if size <= 2:
        return dict.fromkeys(nodes, 0.0)
    index = {node: position for position, node in enumerate(nodes)}
    edges = [(index[a], index[b]) for a, b in network.edges()]
    if processes is None:
        # A process with other threads (the explorer's server) must not fork: a
        # lock another thread holds would stay locked in the child for ever.
        alone = threading.active_count() == 1
        processes = (
            min(os.cpu_count() or 1, MOST_PROCESSES) if size >= PARALLEL_FROM and alone else 1
        )
    if processes > 1:
        shares = [list(range(first, size, processes)) for first in range(processes)]
        # fork: the workers need nothing but their arguments, and start at once.
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        with ProcessPoolExecutor(processes, mp_context=context) as pool:
            parts = list(
                pool.map(_betweenness_from, [size] * processes, [edges] * processes, shares)
            )
        counts = [sum(values) for values in zip(*parts, strict=True)]
    else:
        counts = igraph.Graph(n=size, edges=edges).betweenness(directed=False)
    scale = 2.0 / ((size - 1) * (size - 2))
    return {node: value * scale for node, value in zip(nodes, counts, strict=True)}


def broker_network(
    initiatives: Sequence[InitiativeNode],
    names: Mapping[str, str],
    kind: Kind | None = None,
    limit: int | None = None,
    sample: int | None = None,
    exact: bool = False,
) -> Brokers:
    """Brokers of the network of these initiatives (see :func:`brokers`).

    ``names`` gives organisation names (initiatives are named by their title;
    a missing name falls back to the id).
    """
    network = partnership_network(initiatives)
    titles = {node.id: node.title for node in initiatives}
    size = network.number_of_nodes()
    sources = sample if sample is not None and not exact and sample < size else None
    if sources is None:
        betweenness = exact_betweenness(network)
    else:
        betweenness = nx.betweenness_centrality(network, k=sources, seed=SEED, normalized=True)
    label = _LABELS[kind] if kind else None
    ranked = sorted(
        (
            (-round(value, DIGITS), -network.degree(id_), id_)
            for id_, value in betweenness.items()
            if round(value, DIGITS) > 0 and (label is None or network.nodes[id_]["label"] == label)
        ),
    )
    shown = ranked if limit is None else ranked[:limit]
    blocks: dict[str, list[frozenset[str]]] = {}
    if shown:
        for block in nx.biconnected_components(network):
            frozen = frozenset(block)
            for id_ in block:
                blocks.setdefault(id_, []).append(frozen)
    result = []
    for negative, _, id_ in shown:
        neighbours = set(network[id_])
        groups = blocks.get(id_, [])
        bridges = (
            tuple(sorted(tuple(sorted(neighbours & group)) for group in groups))
            if len(groups) > 1
            else ()
        )
        second = {far for near in neighbours for far in network[near]} - {id_}
        result.append(
            Broker(
                id=id_,
                label=network.nodes[id_]["label"],
                name=titles.get(id_) or names.get(id_, id_),
                betweenness=-negative,
                degree=network.degree(id_),
                connects=len(second),
                bridges=bridges,
            )
        )
    organisations = sum(1 for _, data in network.nodes(data=True) if data["label"] != "Initiative")
    return Brokers(
        brokers=tuple(result),
        broker_count=len(ranked),
        organisations=organisations,
        initiatives=size - organisations,
        links=network.number_of_edges(),
        components=nx.number_connected_components(network),
        sampled_sources=sources,
    )


def brokers(
    backend: GraphBackend,
    initiatives: InitiativeFilter = InitiativeFilter(),  # noqa: B008 (frozen, never mutated)
    kind: Kind | None = None,
    limit: int | None = None,
    sample: int | None = None,
    exact: bool = False,
) -> Brokers:
    """Organisations and initiatives ranked by betweenness in the partnership network.

    Parameters
    ----------
    initiatives
        Which initiatives make the network (``--status``, ``--from``, ``--to``).
    kind
        Only organisations, or only initiatives (``None``: both).
    limit
        Keep at most this many brokers.
    sample
        Estimate betweenness from this many sampled source nodes (default:
        exact; a sample as large as the network is exact too).
    exact
        Exact betweenness even if ``sample`` is given (the default is exact).
    """
    nodes = backend.initiatives(initiatives)
    names = {node.id: node.name for node in backend.named_nodes(["Organisation"])}
    return broker_network(nodes, names, kind, limit, sample, exact)
