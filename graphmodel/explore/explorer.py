"""What the explorer answers, as JSON documents: the library behind ``graphmodel serve``.

The web app (``graphmodel.web``) is a thin door over :class:`Explorer`, as
the command line is over the analyses: every document the API returns is
made here, from the backend's projections, so both backends give the same
JSON.

Example
-------
>>> from graphmodel.backends import MemoryBackend
>>> from graphmodel.dataset import read_dataset
>>> from graphmodel.explore.requests import SearchRequest
>>> explorer = Explorer(MemoryBackend(read_dataset("examples/children-trust")), "example")
>>> explorer.search(SearchRequest(q="teacher", limit=1))["results"]
[{'id': 'p-teacher', 'label': 'Profession', 'name': 'Teacher'}]
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from graphmodel.analysis.communities import DEFAULT_RESOLUTION
from graphmodel.analysis.requests import Analysis, CommunitiesRequest
from graphmodel.backends.base import DATED_LABELS, GraphBackend
from graphmodel.errors import NotFoundError
from graphmodel.explore.overlays import overlay
from graphmodel.explore.overview import Overview
from graphmodel.explore.requests import (
    ExportRequest,
    NeighboursRequest,
    OverviewRequest,
    SearchRequest,
)
from graphmodel.graph import NodeRecord, RelationshipRecord
from graphmodel.index import search_words
from graphmodel.projections import NamedNode
from graphmodel.suggest import did_you_mean

T = TypeVar("T")

#: How many answers the explorer keeps (the page asks the same questions again).
CACHE_SIZE = 16


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (``YYYY-MM``), both included."""
    year, month = map(int, first.split("-"))
    months = []
    while (current := f"{year:04d}-{month:02d}") <= last:
        months.append(current)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _named(node: NamedNode) -> dict[str, str]:
    return {"id": node.id, "label": node.label, "name": node.name}


def _relationship(relationship: RelationshipRecord) -> dict[str, Any]:
    return {
        "source": relationship.source,
        "type": relationship.type,
        "target": relationship.target,
        "properties": {k: _json_value(v) for k, v in relationship.properties.items()},
    }


class Explorer:
    """Answers the explorer's questions about one graph.

    Parameters
    ----------
    backend
        The graph. For a dataset it does not change; for a Neo4j database
        the answers that read the whole graph (the overview) are computed
        once and kept, and the rest are asked every time.
    source
        How the graph was named on the command line (``/api/summary`` says it).
    cache_dir
        Where overview layouts are kept between runs (``None``: in memory only).
    remember
        Keep answers to repeated questions (right for a graph that does not
        change while served: a dataset file).
    """

    def __init__(
        self,
        backend: GraphBackend,
        source: str,
        cache_dir: Path | None = None,
        remember: bool = True,
    ) -> None:
        self.backend = backend
        self.source = source
        self.cache_dir = cache_dir
        self.remember = remember
        self._answers: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._overview_lock = threading.Lock()
        self._overview: Overview | None = None
        self._communities: dict[str, dict[str, Any]] = {}

    def _remembered(self, key: Hashable, answer: Callable[[], T]) -> T:
        if not self.remember:
            return answer()
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]  # type: ignore[no-any-return]
        value = answer()
        with self._lock:
            self._answers[key] = value
            while len(self._answers) > CACHE_SIZE:
                self._answers.popitem(last=False)
        return value

    @property
    def overview_index(self) -> Overview:
        """The graph's skeleton, ready to roll up (read once, the first time it is asked for:
        the server's warm-up and the first page may ask at the same time)."""
        with self._overview_lock:
            if self._overview is None:
                self._overview = Overview(self.backend.skeleton(), self.cache_dir)
            return self._overview

    # -- documents --------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        """``/api/summary``: the source and the ``stats`` counts."""
        counts = self.backend.counts()
        return {"source": self.source, "nodes": counts.nodes, "relationships": counts.relationships}

    def search(self, request: SearchRequest) -> dict[str, Any]:
        """``/api/search``: nodes by exact id, exact name, name prefix, every word; best first."""
        if not request.q.strip():
            # A picker opened empty lists its type's nodes, by name.
            listed = sorted(
                self.backend.named_nodes(request.labels()),
                key=lambda node: (node.name.lower(), node.id),
            )
            return {"results": [_named(n) for n in listed[: request.limit]], "total": len(listed)}
        hits, total = self.backend.search_nodes(request.q, request.labels(), request.limit)
        return {"results": [_named(hit) for hit in hits], "total": total}

    def _known(self, node_id: str) -> NamedNode:
        found = self.backend.named_nodes_by_id([node_id])
        if not found:
            # Suggest among the nodes whose names hold the start of a word of the
            # id (a misspelling is rarely in its first letters): reading every id
            # to compare would read the whole graph.
            close = {
                hit.id
                for word in search_words(node_id)
                if len(word) >= 3
                for hit in self.backend.search_nodes(word[:4], None, 100)[0]
            }
            raise NotFoundError(f"no node {node_id!r}" + did_you_mean(node_id, sorted(close)))
        return found[0]

    def node(self, node_id: str) -> dict[str, Any]:
        """``/api/nodes/{id}``: a node's label, name, properties and degree per type.

        Raises
        ------
        NotFoundError
            For an id no node has.
        """
        named = self._known(node_id)
        (record,) = self.backend.nodes_by_id([node_id])
        return {
            "id": named.id,
            "label": named.label,
            "name": named.name,
            "properties": {k: _json_value(v) for k, v in sorted(record.properties.items())},
            "degree": self.backend.node_degree(node_id),
        }

    def neighbours(self, node_id: str, request: NeighboursRequest) -> dict[str, Any]:
        """``/api/nodes/{id}/neighbours``: a page of neighbours (by id) and their links.

        Raises
        ------
        NotFoundError
            For an id no node has.
        """
        self._known(node_id)
        found = self.backend.neighbours(
            node_id, request.types(), request.labels(), request.limit, request.offset
        )
        return {
            "nodes": [_named(node) for node in found.nodes],
            "relationships": [_relationship(r) for r in found.relationships],
            "total": found.total,
        }

    def overview(self, request: OverviewRequest) -> dict[str, Any]:
        """``/api/overview``: the whole graph with positions, or rolled up into groups."""
        key = (
            "overview",
            request.max_nodes,
            request.max_relationships,
            tuple(request.expand),
            request.roll_up,
        )
        return self._remembered(
            key,
            lambda: self.overview_index.picture(
                request.max_nodes, request.expand, request.max_relationships, request.roll_up
            ),
        )

    def overlay(self, name: str, request: Analysis) -> dict[str, Any]:
        """``/api/overlays/{name}``: an analysis' answer as marked nodes (see :mod:`.overlays`)."""
        key = ("overlay", name, request.model_dump_json())
        return self._remembered(key, lambda: overlay(self.backend, name, request))

    def timeline(self) -> dict[str, Any]:
        """``/api/timeline``: how many training events and initiatives start each month.

        ``months`` runs without a gap from the first start to the last;
        ``counts`` gives each label's number per month, ``undated`` those
        without a start date.
        """

        def answer() -> dict[str, Any]:
            starts = self.backend.start_months()
            dated = sorted({month for per in starts.values() for month in per if month})
            months = _month_range(dated[0], dated[-1]) if dated else []
            return {
                "months": months,
                "counts": {
                    label: [per.get(month, 0) for month in months] for label, per in starts.items()
                },
                "undated": {label: per.get(None, 0) for label, per in starts.items()},
            }

        return self._remembered(("timeline",), answer)

    def periods(self, ids: list[str]) -> dict[str, Any]:
        """``/api/periods``: dates and status of the training events and initiatives in ``ids``."""
        found = [
            {
                "id": record.id,
                "label": record.label,
                "start_date": _json_value(record.properties.get("start_date")),
                "end_date": _json_value(record.properties.get("end_date")),
                "status": record.properties.get("status"),
            }
            for record in self.backend.nodes_by_id(ids)
            if record.label in DATED_LABELS
        ]
        return {"periods": found}

    def export_records(
        self, request: ExportRequest
    ) -> tuple[list[NodeRecord], list[RelationshipRecord]]:
        """``/api/export``: the nodes on screen, with the relationships among them.

        The web door writes them as a file (GraphML, or the offline HTML page
        ``graphmodel view`` writes); unknown ids are left out.
        """
        nodes = self.backend.nodes_by_id(sorted(set(request.id)))
        found = {node.id for node in nodes}
        relationships = [
            r
            for r in self.backend.relationships_of(sorted(found))
            if r.source in found and r.target in found
        ]
        return nodes, relationships

    def analysis(self, request: Analysis) -> dict[str, Any]:
        """An analysis' JSON, exactly what ``graphmodel COMMAND --format json`` prints."""
        key = (request.command, request.model_dump_json())
        if isinstance(request, CommunitiesRequest) and request.network == "graph":
            return self.communities(request)
        return self._remembered(key, lambda: request.payload(self.backend))

    def communities(self, request: CommunitiesRequest) -> dict[str, Any]:
        """``/api/communities`` of the whole graph: divided from the skeleton the overview holds.

        The overview reads the graph once (on Neo4j too), so the communities
        coloured on the picture are those of the graph it draws; they are
        kept for as long as that skeleton is.
        """
        overview = self.overview_index
        if request.resolution == DEFAULT_RESOLUTION:
            # The division the overview rolls up by: computed once for both.
            found = overview.communities().limited(request.min_size, request.limit)
            return request.to_json(found)
        key = request.model_dump_json()
        with self._lock:
            if key in self._communities:
                return self._communities[key]
        document = request.to_json(request.run(self.backend, overview.skeleton))
        with self._lock:
            self._communities[key] = document
            while len(self._communities) > CACHE_SIZE:
                self._communities.pop(next(iter(self._communities)))
        return document
