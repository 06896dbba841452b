"""The embedded backend: the dataset as a networkx MultiDiGraph."""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import networkx as nx

from graphmodel.backends.base import DATED_LABELS, GraphBackend
from graphmodel.graph import (
    GraphCounts,
    NodeRecord,
    RelationshipRecord,
    dataset_counts,
    dataset_nodes,
    dataset_relationships,
)
from graphmodel.model import (
    ITEM_SEPARATOR,
    LABEL_TABLES,
    NODE_LABELS,
    Dataset,
    Offer,
    node_properties,
    plain,
    split_item,
)
from graphmodel.projections import (
    ActiveEvent,
    CompetencyNode,
    CompetencyText,
    EventFilter,
    FrameworkNode,
    InitiativeFilter,
    InitiativeNode,
    NamedNode,
    Neighbourhood,
    PathLink,
    ProfessionNode,
    RequirementEdge,
)

if TYPE_CHECKING:
    # numpy's arrays: built on first use (search, the explorer), not by every command.
    from graphmodel.index import GraphIndex, GraphSkeleton


def build_graph(dataset: Dataset) -> nx.MultiDiGraph:
    """The dataset as a ``MultiDiGraph``.

    Nodes are keyed by id and carry ``type`` (the label, such as
    ``"Competency"``) and their scalar properties; edges are keyed by their
    relationship type (``"COVERS"``) and carry their properties
    (``priority``, ``headcount``).

    Example
    -------
    >>> from graphmodel.model import Dataset, Framework, Competency
    >>> graph = build_graph(Dataset(
    ...     frameworks=[Framework(id="fw", name="Core")],
    ...     competencies=[Competency(id="c1", name="Talk", framework="fw")]))
    >>> graph.nodes["c1"]["type"], list(graph.edges("c1", keys=True))
    ('Competency', [('c1', 'fw', 'IN_FRAMEWORK')])
    """
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(
        (node.id, {"type": node.label, **node.properties}) for node in dataset_nodes(dataset)
    )
    graph.add_edges_from(
        (edge.source, edge.target, edge.type, edge.properties)
        for edge in dataset_relationships(dataset)
    )
    return graph


class MemoryBackend(GraphBackend):
    """Answers from a validated dataset held in memory.

    The projections are read straight from the dataset's rows, which is what
    the graph is built from, so no analysis waits for a graph it does not
    need; :attr:`graph`, the networkx ``MultiDiGraph`` of the dataset, is
    built on first use for the analyses that walk the graph.
    """

    name = "memory"

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    @functools.cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The dataset as a networkx graph (see :func:`build_graph`), built once."""
        return build_graph(self.dataset)

    @functools.cached_property
    def index(self) -> GraphIndex:
        """The dataset as compact arrays (see :class:`GraphIndex`), built once.

        The explorer's search, node and neighbour questions read it; it is
        far smaller and quicker to build than :attr:`graph`.
        """
        from graphmodel.index import GraphIndex

        return GraphIndex.of_dataset(self.dataset)

    def counts(self) -> GraphCounts:
        return dataset_counts(self.dataset)

    def nodes(self) -> Iterator[NodeRecord]:
        return dataset_nodes(self.dataset)

    def relationships(self) -> Iterator[RelationshipRecord]:
        return dataset_relationships(self.dataset)

    def frameworks(self) -> list[FrameworkNode]:
        return sorted(
            (FrameworkNode(f.id, f.name, tuple(f.levels)) for f in self.dataset.frameworks),
            key=lambda node: node.id,
        )

    def competencies(self) -> list[CompetencyNode]:
        return sorted(
            (
                CompetencyNode(c.id, c.name, c.framework, c.parent, tuple(sorted(c.equivalent_to)))
                for c in self.dataset.competencies
            ),
            key=lambda node: node.id,
        )

    def competency_texts(self, frameworks: Sequence[str]) -> list[CompetencyText]:
        wanted = set(frameworks)
        return sorted(
            (
                CompetencyText(c.id, c.name, c.framework, c.description, tuple(c.alt_labels))
                for c in self.dataset.competencies
                if c.framework in wanted
            ),
            key=lambda text: text.id,
        )

    def professions(self) -> list[ProfessionNode]:
        headcounts: dict[str, int] = {}
        for entry in self.dataset.workforce:
            headcounts[entry.profession] = headcounts.get(entry.profession, 0) + entry.headcount
        return sorted(
            (ProfessionNode(p.id, p.name, headcounts.get(p.id)) for p in self.dataset.professions),
            key=lambda node: node.id,
        )

    def requirements(self) -> list[RequirementEdge]:
        return sorted(
            (
                RequirementEdge(r.profession, r.competency, r.priority, r.level)
                for r in self.dataset.requirements
            ),
            key=lambda edge: (edge.profession, edge.competency),
        )

    def active_events(self, events: EventFilter) -> list[ActiveEvent]:
        found = []
        for e in self.dataset.training_events:
            if not events.admits(e.status, e.evaluation, e.start_date, e.end_date):
                continue
            covers: list[str] | tuple[str, ...] = e.covers
            cover_levels: tuple[tuple[str, str], ...] = ()
            if any(ITEM_SEPARATOR in item for item in covers):
                split = [split_item(item) for item in covers]
                covers = [competency for competency, _ in split]
                cover_levels = tuple(sorted((c, level) for c, level in split if level is not None))
            found.append(
                ActiveEvent(
                    e.id,
                    e.title,
                    tuple(sorted(e.targets)),
                    tuple(sorted(covers)),
                    e.lead_organisation,
                    e.start_date,
                    e.end_date,
                    e.places,
                    e.cost,
                    e.level,
                    cover_levels,
                )
            )
        return sorted(found, key=lambda event: event.id)

    def offers(self) -> list[Offer]:
        return sorted(self.dataset.offers, key=lambda offer: offer.id)

    def initiatives(self, initiatives: InitiativeFilter) -> list[InitiativeNode]:
        return sorted(
            (
                InitiativeNode(
                    i.id,
                    i.title,
                    i.description,
                    i.kind,
                    i.lead_organisation,
                    tuple(sorted(i.partners)),
                    plain(i.status),
                    i.start_date,
                    i.end_date,
                    i.budget,
                    tuple(sorted(i.targets)),
                    tuple(sorted(i.addresses)),
                    tuple(sorted(i.responds_to)),
                    tuple(sorted(i.builds_on)),
                )
                for i in self.dataset.initiatives
                if initiatives.admits(i.status, i.start_date, i.end_date)
            ),
            key=lambda node: node.id,
        )

    def named_nodes(self, labels: Sequence[str] | None = None) -> list[NamedNode]:
        wanted = list(LABEL_TABLES) if labels is None else labels
        found = []
        for label in wanted:
            for row in self.dataset.table(LABEL_TABLES[label]):
                fields = dict(row)
                name = fields.get("name") or fields.get("title") or fields["id"]
                found.append(NamedNode(fields["id"], label, name, fields.get("description")))
        return sorted(found, key=lambda node: node.id)

    def named_nodes_by_id(self, ids: Sequence[str]) -> list[NamedNode]:
        index = self.index
        found = []
        for node_id in sorted(set(ids)):
            number = index.position.get(node_id)
            if number is not None:
                named = index.named(number)
                description = getattr(index.rows[number][1], "description", None)
                found.append(NamedNode(named.id, named.label, named.name, description))
        return found

    def nodes_by_id(self, ids: Sequence[str]) -> list[NodeRecord]:
        index = self.index
        found = []
        for node_id in sorted(set(ids)):
            number = index.position.get(node_id)
            if number is not None:
                table, row = index.rows[number]
                found.append(NodeRecord(node_id, NODE_LABELS[table], node_properties(table, row)))
        return found

    def relationships_of(self, ids: Sequence[str]) -> list[RelationshipRecord]:
        # From the index (built when the backend is), not the networkx graph: building
        # that for a national dataset takes a minute, and an overlay only needs this.
        return self.index.relationships_of(ids)

    def search_nodes(
        self, text: str, labels: Sequence[str] | None, limit: int
    ) -> tuple[list[NamedNode], int]:
        return self.index.search(text, labels, limit)

    def node_degree(self, node_id: str) -> dict[str, int]:
        return self.index.degree(node_id)

    def neighbours(
        self,
        node_id: str,
        types: Sequence[str] | None,
        labels: Sequence[str] | None,
        limit: int,
        offset: int,
    ) -> Neighbourhood:
        return self.index.neighbours(node_id, types, labels, limit, offset)

    def start_months(self) -> dict[str, dict[str | None, int]]:
        months: dict[str, dict[str | None, int]] = {}
        for label in DATED_LABELS:
            counts = Counter(
                None if row.start_date is None else row.start_date.isoformat()[:7]  # type: ignore[attr-defined]
                for row in self.dataset.table(LABEL_TABLES[label])
            )
            months[label] = dict(counts)
        return months

    def skeleton(self) -> GraphSkeleton:
        return self.index.skeleton

    def shortest_paths(self, source: str, target: str, max_hops: int) -> list[tuple[PathLink, ...]]:
        if source == target:
            return [()]
        graph = self.graph
        # Direction is ignored: a chain may walk a relationship either way.
        walk = graph.to_undirected(as_view=True)
        try:
            node_paths = list(nx.all_shortest_paths(walk, source, target))
        except nx.NetworkXNoPath:
            return []
        if len(node_paths[0]) - 1 > max_hops:
            return []

        def links(a: str, b: str) -> list[PathLink]:
            return [PathLink(a, kind, b) for kind in graph.succ[a].get(b, {})] + [
                PathLink(b, kind, a) for kind in graph.succ[b].get(a, {})
            ]

        chains = {
            chain
            for nodes in node_paths
            for chain in itertools.product(*(links(a, b) for a, b in itertools.pairwise(nodes)))
        }
        return sorted(chains)
