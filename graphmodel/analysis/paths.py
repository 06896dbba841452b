"""Explained paths: the shortest chain between any two nodes, as sentences.

Each backend finds every shortest chain (``GraphBackend.shortest_paths``:
networkx breadth-first search on the embedded graph, ``allShortestPaths`` in
Cypher on Neo4j), walking relationships either way; this module picks and
explains them. One chain is shown unless all are asked for: the one whose
node ids, read in order, come first alphabetically (then its relationship
types), so both backends show the same chain.

Example
-------
>>> from graphmodel.projections import PathLink
>>> names = {"in-a": ("Initiative", "Toolkit"), "org-b": ("Organisation", "Council"),
...          "in-c": ("Initiative", "Early help")}
>>> print(sentence([PathLink("org-b", "LEADS", "in-a"), PathLink("org-b", "PARTNER_IN", "in-c")],
...                "in-a", names))
Initiative Toolkit (in-a) is led by Organisation Council (org-b), which is a partner in ...
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphmodel.analysis import defaults
from graphmodel.backends.base import MAX_PATH_HOPS, GraphBackend
from graphmodel.errors import NotFoundError
from graphmodel.projections import PathLink
from graphmodel.suggest import did_you_mean

#: How many relationships a chain may have unless told otherwise.
DEFAULT_MAX_HOPS = defaults.MAX_HOPS

#: Each relationship read forwards (source to target) and backwards.
PHRASES: dict[str, tuple[str, str]] = {
    "IN_FRAMEWORK": ("is in", "contains"),
    "PART_OF": ("is part of", "includes"),
    "EQUIVALENT_TO": ("is equivalent to", "is equivalent to"),
    "REQUIRES": ("requires", "is required by"),
    "EMPLOYS": ("employs", "is employed by"),
    "MEMBER_OF": ("is a member of", "has as a member"),
    "LEADS": ("leads", "is led by"),
    "PARTNER_IN": ("is a partner in", "has as a partner"),
    "TARGETS": ("targets", "is targeted by"),
    "COVERS": ("covers", "is covered by"),
    "ADDRESSES": ("addresses", "is addressed by"),
    "RESPONDS_TO": ("responds to", "is responded to by"),
    "BUILDS_ON": ("builds on", "is built on by"),
    "DELIVERS": ("delivers", "is delivered by"),
}

#: How a label reads in a sentence.
LABEL_WORDS: dict[str, str] = {"TrainingEvent": "Training event"}


def _node(id_: str, names: Mapping[str, tuple[str, str]]) -> str:
    label, name = names[id_]
    word = LABEL_WORDS.get(label, label)
    return f"{word} {id_}" if name == id_ else f"{word} {name} ({id_})"


def walk(links: Sequence[PathLink], start: str) -> list[str]:
    """The node ids a chain of links visits, from ``start``."""
    nodes = [start]
    for link in links:
        nodes.append(link.target if link.source == nodes[-1] else link.source)
    return nodes


def phrase(link: PathLink, walked_from: str) -> str:
    """How one link reads when walked from ``walked_from``."""
    forwards, backwards = PHRASES[link.type]
    return forwards if link.source == walked_from else backwards


def sentence(links: Sequence[PathLink], start: str, names: Mapping[str, tuple[str, str]]) -> str:
    """A chain as one sentence: "A is led by B, which is a partner in C."

    ``names`` maps every id on the chain to its ``(label, name)``.
    """
    nodes = walk(links, start)
    if not links:
        return f"{_node(start, names)} is itself."
    parts = [
        f"{phrase(link, nodes[i])} {_node(nodes[i + 1], names)}" for i, link in enumerate(links)
    ]
    return f"{_node(start, names)} " + ", which ".join(parts) + "."


@dataclass(frozen=True)
class Chain:
    """One explained chain: the nodes it visits, its relationships, and the sentence."""

    nodes: tuple[str, ...]
    links: tuple[PathLink, ...]
    sentence: str

    def to_json(self) -> dict[str, Any]:
        """The chain as in ``path --format json``."""
        return {
            "nodes": list(self.nodes),
            "links": [
                {"source": link.source, "type": link.type, "target": link.target}
                for link in self.links
            ],
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class PathResult:
    """The shortest chains between two nodes (``hops`` is ``None`` when there is none).

    ``chains`` holds the first chain, or all of them when all were asked
    for; ``chain_count`` says how many shortest chains there are.
    """

    source: str
    target: str
    max_hops: int
    hops: int | None
    chains: tuple[Chain, ...]
    chain_count: int
    nodes: Mapping[str, tuple[str, str]]

    def to_json(self) -> dict[str, Any]:
        """The JSON document of ``graphmodel path SOURCE A B``.

        Keys: ``from``, ``to``, ``max_hops``, ``hops`` (links in a shortest
        chain, ``null`` when none is found within ``max_hops``), ``paths``
        (see :meth:`Chain.to_json`), ``summary`` (``paths``: how many
        shortest chains exist, ``shown``) and ``nodes`` (id -> label and
        name for every node on a shown chain).
        """
        return {
            "from": self.source,
            "to": self.target,
            "max_hops": self.max_hops,
            "hops": self.hops,
            "paths": [chain.to_json() for chain in self.chains],
            "summary": {"paths": self.chain_count, "shown": len(self.chains)},
            "nodes": {
                id_: {"label": label, "name": name}
                for id_, (label, name) in sorted(self.nodes.items())
            },
        }


def shortest_path(
    backend: GraphBackend,
    source: str,
    target: str,
    max_hops: int = DEFAULT_MAX_HOPS,
    all_paths: bool = False,
) -> PathResult:
    """The shortest explained chain between any two nodes (or all of them).

    Parameters
    ----------
    source, target
        Node ids, of any type.
    max_hops
        The longest chain to accept, 1 to :data:`~graphmodel.backends.base.MAX_PATH_HOPS`.
    all_paths
        Every shortest chain, not only the first.

    Raises
    ------
    NotFoundError
        For an id no node has (with the closest ids).
    ValueError
        For ``max_hops`` outside its range.
    """
    if not 1 <= max_hops <= MAX_PATH_HOPS:
        raise ValueError(f"max_hops must be between 1 and {MAX_PATH_HOPS}, not {max_hops}")
    ends = {node.id for node in backend.named_nodes_by_id([source, target])}
    for id_ in (source, target):
        if id_ not in ends:
            every = [node.id for node in backend.named_nodes()]
            raise NotFoundError(f"unknown node {id_!r}" + did_you_mean(id_, every))
    found = backend.shortest_paths(source, target, max_hops)
    ordered = sorted(found, key=lambda links: (walk(links, source), links))
    shown = ordered if all_paths else ordered[:1]
    on_chains = {id_ for links in shown for id_ in walk(links, source)} | {source, target}
    known = {
        node.id: (node.label, node.name) for node in backend.named_nodes_by_id(sorted(on_chains))
    }
    chains = tuple(
        Chain(tuple(walk(links, source)), links, sentence(links, source, known)) for links in shown
    )
    return PathResult(
        source=source,
        target=target,
        max_hops=max_hops,
        hops=len(ordered[0]) if ordered else None,
        chains=chains,
        chain_count=len(ordered),
        nodes={id_: known[id_] for id_ in on_chains},
    )
