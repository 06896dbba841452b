"""Communities: groups of nodes more linked among themselves than to the rest.

A strategist looking at a network asks which parts of it hang together: the
partners who keep working with each other, the training and the
competencies that go with them. The communities are found by the Leiden
algorithm (igraph's ``community_leiden``, maximising modularity), seeded, so
the same network always gives the same communities on either backend.

Two networks can be divided:

- ``graph``: the whole graph, every relationship an undirected link (two
  nodes joined by several relationships are joined once, with their count as
  the link's weight);
- ``partnership``: the organisation-initiative network of
  :mod:`graphmodel.analysis.brokers` (an organisation linked to each
  initiative it leads or partners), for the initiatives a filter admits.

Each community is named from what its members share: the members most of
the others are linked to (the organisation that leads their training, the
framework or area their competencies sit in, the partnership they belong
to), the most linked first. ``shared`` lists them with how many members
each is linked to; ``labels`` counts the members of each type.

Communities are numbered from 1, the largest first (then by their first
member's id); members are sorted by id.

Example
-------
>>> import numpy as np
>>> network = Network(
...     ids=["a", "b", "c", "x", "y", "z"], labels=["Organisation"] * 6,
...     names=["A", "B", "C", "X", "Y", "Z"],
...     sources=np.array([0, 0, 1, 3, 3, 4, 2]), targets=np.array([1, 2, 2, 4, 5, 5, 3]),
... )
>>> found = divide(network, "graph")
>>> [(c.id, c.members) for c in found.communities]
[(1, ('a', 'b', 'c')), (2, ('x', 'y', 'z'))]
>>> found.communities[0].name
'C · A'
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import igraph
import numpy as np

from graphmodel.analysis import defaults
from graphmodel.analysis.brokers import partnership_network
from graphmodel.analysis.text import DIGITS
from graphmodel.backends.base import GraphBackend
from graphmodel.index import GraphSkeleton
from graphmodel.model import LABEL_TABLES
from graphmodel.projections import InitiativeFilter

#: The seed of Leiden's random choices: the same network always gives the same communities.
SEED = 0
#: Leiden's passes over the network. igraph's default: at national scale a pass takes
#: 2-5 s; iterating until no node moves took minutes for 1% more modularity
#: (docs/explorer.md, "Communities").
ITERATIONS = 2
#: Leiden's resolution unless asked otherwise (modularity's own: 1).
DEFAULT_RESOLUTION = defaults.COMMUNITY_RESOLUTION
#: How many of a community's most linked members name it.
NAMED_BY = 2
#: How many of them ``shared`` lists.
SHARED = 3
#: Between the names that make a community's name.
NAME_SEPARATOR = " · "

NetworkKind = defaults.NetworkKind

_LABELS = list(LABEL_TABLES)
# igraph draws its random numbers from one generator for the whole process: two
# threads (the explorer's server) must not seed and use it at the same time.
_RANDOM_LOCK = threading.Lock()


@dataclass(frozen=True)
class Network:
    """A network to divide: nodes by position and links as two arrays of positions.

    ``labels`` is each node's type, ``names`` its name (or title). Links are
    undirected; loops and repeats are allowed (repeats add up to a weight).
    """

    ids: Sequence[str]
    labels: Sequence[str]
    names: Sequence[str]
    sources: np.ndarray
    targets: np.ndarray


@dataclass(frozen=True)
class SharedMember:
    """A member many others are linked to: part of what names the community."""

    id: str
    label: str
    name: str
    links: int

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "name": self.name, "links": self.links}


@dataclass(frozen=True)
class Community:
    """One community: its number, name, members (by id) and what they share."""

    id: int
    name: str
    members: tuple[str, ...]
    shared: tuple[SharedMember, ...]
    labels: dict[str, int]
    links_inside: int
    links_outside: int

    @property
    def size(self) -> int:
        return len(self.members)

    def to_json(self) -> dict[str, Any]:
        """The community as in ``communities --format json``."""
        return {
            "id": self.id,
            "name": self.name,
            "size": self.size,
            "members": list(self.members),
            "shared": [member.to_json() for member in self.shared],
            "labels": self.labels,
            "links_inside": self.links_inside,
            "links_outside": self.links_outside,
        }


@dataclass(frozen=True)
class Communities:
    """The communities of a network, largest first, and the network's figures."""

    network: NetworkKind
    communities: tuple[Community, ...]
    total: int
    nodes: int
    links: int
    modularity: float
    resolution: float

    def limited(self, min_size: int = 1, limit: int | None = None) -> Communities:
        """The same division listing only communities of ``min_size`` members or more, at
        most ``limit`` of them (the largest); ``total`` still counts them all."""
        kept = [c for c in self.communities if c.size >= min_size]
        return replace(self, communities=tuple(kept if limit is None else kept[:limit]))

    def membership(self) -> dict[str, int]:
        """Each member's community id (of the communities listed)."""
        return {member: c.id for c in self.communities for member in c.members}

    def to_json(self) -> dict[str, Any]:
        """The JSON document of ``graphmodel communities SOURCE``.

        Keys: ``communities`` (each ``id``, ``name``, ``size``, ``members``,
        ``shared``, ``labels``, ``links_inside``, ``links_outside``),
        ``network`` (which network, its node and link counts, the partition's
        modularity, the resolution and seed) and ``summary``
        (``communities`` before any limit, ``shown``).
        """
        return {
            "communities": [community.to_json() for community in self.communities],
            "network": {
                "kind": self.network,
                "nodes": self.nodes,
                "links": self.links,
                "modularity": self.modularity,
                "resolution": self.resolution,
                "seed": SEED,
            },
            "summary": {"communities": self.total, "shown": len(self.communities)},
        }


def _links(network: Network) -> tuple[np.ndarray, np.ndarray]:
    """Distinct undirected links (``low < high``, sorted) and how many relationships each is."""
    size = len(network.ids)
    sources = np.asarray(network.sources, dtype=np.int64)
    targets = np.asarray(network.targets, dtype=np.int64)
    low, high = np.minimum(sources, targets), np.maximum(sources, targets)
    keep = low != high
    keys, weights = np.unique(low[keep] * size + high[keep], return_counts=True)
    pairs = np.stack(np.divmod(keys, max(size, 1)), axis=1) if size else np.zeros((0, 2), np.int64)
    return pairs.astype(np.int64), weights.astype(np.float64)


def leiden(
    size: int, pairs: np.ndarray, weights: np.ndarray, resolution: float
) -> tuple[np.ndarray, float]:
    """Each node's community (numbered as igraph numbers them) and the partition's modularity.

    Seeded Leiden maximising modularity at ``resolution``: the same links in
    the same order always give the same membership, since igraph's random
    numbers come from a generator seeded with :data:`SEED` for the call.
    """
    if size == 0:
        return np.zeros(0, dtype=np.int64), 0.0
    graph = igraph.Graph(n=size, edges=pairs.tolist(), directed=False)
    graph.es["weight"] = weights.tolist()
    with _RANDOM_LOCK:
        previous = igraph.set_random_number_generator(random.Random(SEED))
        try:
            partition = graph.community_leiden(
                objective_function="modularity",
                weights="weight",
                resolution=resolution,
                n_iterations=ITERATIONS,
            )
        finally:
            igraph.set_random_number_generator(previous or random)
    membership = np.asarray(partition.membership, dtype=np.int64)
    modularity = (
        graph.modularity(partition.membership, weights="weight", resolution=resolution)
        if len(pairs)
        else 0.0
    )
    return membership, float(modularity)


def divide(
    network: Network,
    kind: NetworkKind,
    resolution: float = DEFAULT_RESOLUTION,
    min_size: int = 1,
    limit: int | None = None,
) -> Communities:
    """The communities of ``network`` (see the module's description).

    Parameters
    ----------
    kind
        Which network this is (said in the result).
    resolution
        Leiden's resolution: above 1 gives more, smaller communities; below 1
        fewer, larger ones.
    min_size
        List only communities of at least this many members.
    limit
        List at most this many (the largest).
    """
    size = len(network.ids)
    pairs, weights = _links(network)
    raw, modularity = leiden(size, pairs, weights, resolution)
    # Number the communities largest first, then by their first member (by id):
    # igraph's own numbering depends on the order it visited them.
    count = int(raw.max()) + 1 if size else 0
    sizes = np.bincount(raw, minlength=count)
    ids = np.asarray(network.ids, dtype=object)
    by_id = np.argsort(ids, kind="stable")
    first = np.full(count, size, dtype=np.int64)
    rank_of_node = np.empty(size, dtype=np.int64)
    rank_of_node[by_id] = np.arange(size)
    np.minimum.at(first, raw, rank_of_node)
    order = np.lexsort((first, -sizes))
    renumber = np.empty(count, dtype=np.int64)
    renumber[order] = np.arange(count)
    membership = renumber[raw]

    # Links inside each community: how many members each node is linked to there.
    same = membership[pairs[:, 0]] == membership[pairs[:, 1]]
    inside_pairs = pairs[same]
    linked_inside = np.bincount(inside_pairs.ravel(), minlength=size)
    degree = np.bincount(pairs.ravel(), minlength=size)
    links_inside = np.bincount(membership[inside_pairs[:, 0]], minlength=count)
    crossing = pairs[~same]
    links_outside = np.bincount(membership[crossing.ravel()], minlength=count)

    # Members grouped by community, by id within each.
    grouped = by_id[np.argsort(membership[by_id], kind="stable")]
    starts = np.searchsorted(membership[grouped], np.arange(count + 1))
    found: list[Community] = []
    for number in range(count):
        members = grouped[starts[number] : starts[number + 1]]
        ranked = members[
            np.lexsort((rank_of_node[members], -degree[members], -linked_inside[members]))
        ]
        shared = tuple(
            SharedMember(
                network.ids[node],
                network.labels[node],
                network.names[node],
                int(linked_inside[node]),
            )
            for node in ranked[:SHARED].tolist()
        )
        name = NAME_SEPARATOR.join(member.name for member in shared[:NAMED_BY])
        labels = Counter(network.labels[node] for node in members.tolist())
        found.append(
            Community(
                id=number + 1,
                name=name,
                members=tuple(network.ids[node] for node in members.tolist()),
                shared=shared,
                labels={label: labels[label] for label in _ordered_labels(labels)},
                links_inside=int(links_inside[number]),
                links_outside=int(links_outside[number]),
            )
        )
    return Communities(
        network=kind,
        communities=tuple(found),
        total=count,
        nodes=size,
        links=len(pairs),
        modularity=round(modularity, DIGITS),
        resolution=resolution,
    ).limited(min_size, limit)


def _ordered_labels(labels: Counter[str]) -> list[str]:
    """Labels in the model's order (others after, by name)."""
    known = [label for label in _LABELS if label in labels]
    return known + sorted(set(labels) - set(known))


def graph_network(skeleton: GraphSkeleton) -> Network:
    """The whole graph as a network, from its skeleton (the same on both backends)."""
    return Network(
        ids=skeleton.ids,
        labels=[_LABELS[code] for code in skeleton.labels.tolist()],
        names=skeleton.names,
        sources=skeleton.sources,
        targets=skeleton.targets,
    )


def partnership(backend: GraphBackend, initiatives: InitiativeFilter) -> Network:
    """The organisation-initiative network of the initiatives ``initiatives`` admits."""
    nodes = backend.initiatives(initiatives)
    network = partnership_network(nodes)
    titles = {node.id: node.title for node in nodes}
    names = {node.id: node.name for node in backend.named_nodes(["Organisation"])}
    ids = list(network)
    position = {node: number for number, node in enumerate(ids)}
    ends = np.array([(position[a], position[b]) for a, b in network.edges()], dtype=np.int64)
    ends = ends.reshape(-1, 2)
    return Network(
        ids=ids,
        labels=[network.nodes[node]["label"] for node in ids],
        names=[titles.get(node) or names.get(node, node) for node in ids],
        sources=ends[:, 0],
        targets=ends[:, 1],
    )


def communities(
    backend: GraphBackend,
    kind: NetworkKind = "graph",
    initiatives: InitiativeFilter = InitiativeFilter(),  # noqa: B008 (frozen, never mutated)
    resolution: float = DEFAULT_RESOLUTION,
    min_size: int = 1,
    limit: int | None = None,
    skeleton: GraphSkeleton | None = None,
) -> Communities:
    """The communities of the whole graph, or of the organisation-initiative network.

    Parameters
    ----------
    kind
        ``graph`` (every node and relationship) or ``partnership``
        (organisations and the initiatives they lead or partner).
    initiatives
        For ``partnership``: which initiatives make the network.
    resolution, min_size, limit
        As for :func:`divide`.
    skeleton
        For ``graph``: the backend's skeleton when the caller already holds
        it (the explorer reads it once), so it is not read again.
    """
    if kind == "graph":
        network = graph_network(skeleton if skeleton is not None else backend.skeleton())
    else:
        network = partnership(backend, initiatives)
    return divide(network, kind, resolution, min_size, limit)
