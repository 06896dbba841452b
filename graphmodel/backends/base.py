"""The backend interface every analysis uses."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Self

from graphmodel.analysis import defaults
from graphmodel.backends.settings import Neo4jSettings as Neo4jSettings
from graphmodel.backends.settings import is_neo4j_uri as is_neo4j_uri
from graphmodel.graph import (
    GraphCounts,
    NodeRecord,
    RelationshipRecord,
    dataset_from_graph,
)
from graphmodel.model import Dataset, Offer
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
    # numpy's arrays: loaded by the backends that build an index, not by every command.
    from graphmodel.index import GraphSkeleton

#: The node types with a period (``start_date``, ``end_date``): the explorer's time slicer.
DATED_LABELS: tuple[str, ...] = ("TrainingEvent", "Initiative")

#: The longest chain ``shortest_paths`` looks for (a bound Cypher cannot take as a parameter).
MAX_PATH_HOPS = defaults.MAX_PATH_HOPS


class GraphBackend(ABC):
    """What every backend answers about its graph.

    Analyses ask a backend small questions ("projections") and compute on
    the answers, so each analysis is written once and runs on either
    backend. The embedded backend answers from a networkx graph; the Neo4j
    backend answers with the Cypher statements in ``cypher/``.
    """

    #: Short name, ``"memory"`` or ``"neo4j"``.
    name: str

    @abstractmethod
    def counts(self) -> GraphCounts:
        """Nodes per label and relationships per type."""

    @abstractmethod
    def nodes(self) -> Iterator[NodeRecord]:
        """Every node of the model's labels."""

    @abstractmethod
    def relationships(self) -> Iterator[RelationshipRecord]:
        """Every relationship of the model's types."""

    # -- projections for the coverage analyses --------------------------------

    @abstractmethod
    def frameworks(self) -> list[FrameworkNode]:
        """Every framework with its levels (lowest first), by id."""

    @abstractmethod
    def competencies(self) -> list[CompetencyNode]:
        """Every competency with its framework, parent and listed equivalents, by id."""

    @abstractmethod
    def professions(self) -> list[ProfessionNode]:
        """Every profession with its summed workforce headcount, by id."""

    @abstractmethod
    def requirements(self) -> list[RequirementEdge]:
        """Every requirement, by profession then competency."""

    @abstractmethod
    def active_events(self, events: EventFilter) -> list[ActiveEvent]:
        """The training events ``events`` admits, by id, with sorted targets and covers."""

    def offers(self) -> list[Offer]:
        """The offers held with the source, by id: a dataset's optional ``offers`` table.

        Offers are not part of the graph, so a database holds none (give
        ``plan --offers FILE`` instead); this default says so.
        """
        return []

    def competency_texts(self, frameworks: Sequence[str]) -> list[CompetencyText]:
        """The wording of every competency of ``frameworks``, by id (for the crosswalk).

        This default reads every node; both backends select the frameworks instead.
        """
        wanted = set(frameworks)
        framework_of = {c.id: c.framework for c in self.competencies() if c.framework in wanted}
        found = [
            CompetencyText(
                node.id,
                str(node.properties.get("name", node.id)),
                framework_of[node.id],
                node.properties.get("description"),
                tuple(node.properties.get("alt_labels") or ()),
            )
            for node in self.nodes()
            if node.label == "Competency" and node.id in framework_of
        ]
        return sorted(found, key=lambda text: text.id)

    # -- projections for the duplicate, link and view analyses ----------------

    @abstractmethod
    def initiatives(self, initiatives: InitiativeFilter) -> list[InitiativeNode]:
        """The initiatives ``initiatives`` admits, by id, each with its neighbourhood."""

    @abstractmethod
    def named_nodes(self, labels: Sequence[str] | None = None) -> list[NamedNode]:
        """Every node of ``labels`` (``None``: all labels) with its name, by id."""

    def named_nodes_by_id(self, ids: Sequence[str]) -> list[NamedNode]:
        """The nodes with these ids, of any label, by id (unknown ids are left out).

        This default filters :meth:`named_nodes`; a database backend looks
        the ids up through its indexes instead of reading every node.
        """
        wanted = set(ids)
        return [node for node in self.named_nodes() if node.id in wanted]

    # -- projections for the network views ------------------------------------

    def nodes_by_id(self, ids: Sequence[str]) -> list[NodeRecord]:
        """The nodes with these ids, with their properties, by id (unknown ids left out).

        This default filters :meth:`nodes`; both backends look the ids up
        instead (a focused view of a national graph reads a few hundred nodes).
        """
        wanted = set(ids)
        return sorted((n for n in self.nodes() if n.id in wanted), key=lambda n: n.id)

    def relationships_of(self, ids: Sequence[str]) -> list[RelationshipRecord]:
        """Every relationship with at least one end in ``ids``, by (source, type, target).

        This default filters :meth:`relationships`; both backends start from
        the ids instead.
        """
        wanted = set(ids)
        return sorted(
            (r for r in self.relationships() if r.source in wanted or r.target in wanted),
            key=lambda r: (r.source, r.type, r.target),
        )

    # -- projections for the explorer -------------------------------------------

    @abstractmethod
    def search_nodes(
        self, text: str, labels: Sequence[str] | None, limit: int
    ) -> tuple[list[NamedNode], int]:
        """Nodes answering a search, best first, at most ``limit``, and how many answer.

        The rank is that of :meth:`graphmodel.index.GraphIndex.search` (exact
        id, exact name, name prefix, every word in the name), then the id;
        ``labels`` keeps nodes of those labels (``None``: all). Descriptions
        are left out.
        """

    @abstractmethod
    def node_degree(self, node_id: str) -> dict[str, int]:
        """How many relationships of each model type an existing node has (types it has)."""

    @abstractmethod
    def neighbours(
        self,
        node_id: str,
        types: Sequence[str] | None,
        labels: Sequence[str] | None,
        limit: int,
        offset: int,
    ) -> Neighbourhood:
        """A page of an existing node's neighbours, either direction, sorted by id.

        Only relationships of ``types`` to nodes of ``labels`` count (``None``:
        all); the relationships returned join the node to the page's nodes.
        """

    @abstractmethod
    def start_months(self) -> dict[str, dict[str | None, int]]:
        """How many training events and initiatives start in each month.

        ``{"TrainingEvent": {"2025-04": 12, None: 3}, "Initiative": {...}}``:
        months as ``YYYY-MM``, ``None`` for those without a start date.
        """

    @abstractmethod
    def skeleton(self) -> GraphSkeleton:
        """Every node (id, label, name) and relationship (by position), without properties.

        Nodes come by label in the model's order, then by id; relationships
        by type in the model's order, then source id, then target id.
        """

    @abstractmethod
    def shortest_paths(self, source: str, target: str, max_hops: int) -> list[tuple[PathLink, ...]]:
        """Every shortest chain between two existing nodes, sorted; ``[]`` if none is short enough.

        A chain is the relationships (of the model's types, walked either
        way) from ``source`` to ``target``, in walking order; chains longer
        than ``max_hops`` (at most :data:`MAX_PATH_HOPS`) are not returned.
        The same nodes joined by two relationships give two chains.
        """

    #: How problems found in this backend's graph name their source.
    source: str = "graph"

    def to_dataset(self) -> Dataset:
        """The whole graph as a validated dataset (rows sorted by id, id lists sorted).

        Raises
        ------
        DatasetError
            When the graph breaks a dataset rule (a graph edited by hand can).
        """
        return dataset_from_graph(self.nodes(), self.relationships(), self.source)

    def close(self) -> None:  # noqa: B027  (nothing to release by default)
        """Release connections; the backend is unusable afterwards."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
