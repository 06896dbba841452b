"""The Neo4j backend: load a dataset into Neo4j and answer from its database.

Every statement comes from ``cypher/`` by name (:mod:`graphmodel.queries`)
and takes its values as parameters. A load runs in one explicit transaction:
either the whole dataset is written or, on any failure (a server fault, a
lost connection, a killed client), nothing is.

Example
-------
>>> from graphmodel.backends.base import Neo4jSettings
>>> from graphmodel.backends.neo4j import Neo4jBackend
>>> backend = Neo4jBackend.connect(Neo4jSettings("bolt://127.0.0.1:7687"))  # doctest: +SKIP
>>> backend.load(dataset, replace=True).relationships                        # doctest: +SKIP
651
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import Any, LiteralString, TypeVar

import neo4j
from neo4j import GraphDatabase, RoutingControl
from neo4j import exceptions as neo4j_errors

from graphmodel.backends.base import DATED_LABELS, MAX_PATH_HOPS, GraphBackend, Neo4jSettings
from graphmodel.errors import BackendError
from graphmodel.graph import (
    GraphCounts,
    NodeRecord,
    RelationshipRecord,
    dataset_nodes,
    spec_relationships,
)
from graphmodel.index import GraphSkeleton, search_words
from graphmodel.model import (
    LABEL_TABLES,
    NODE_LABELS,
    RELATIONSHIP_TYPES,
    RELATIONSHIPS,
    Dataset,
    Priority,
)
from graphmodel.projections import (
    ActiveEvent,
    CompetencyNode,
    CompetencyText,
    EventFilter,
    InitiativeFilter,
    InitiativeNode,
    NamedNode,
    Neighbourhood,
    PathLink,
    ProfessionNode,
    RequirementEdge,
)
from graphmodel.queries import query, statements

#: The full-text index of every node's name or title (``cypher/schema.cypher``).
SEARCH_INDEX = "node_names"

#: How long creating the schema waits for a new index over existing data to come online.
INDEX_WAIT_SECONDS = 300

#: Rows per ``UNWIND $rows`` batch; Neo4j's guidance is 1k-20k.
DEFAULT_BATCH_SIZE = 10_000

T = TypeVar("T")

#: Called after each batch with what was written ("nodes" or "relationships") and how many.
ProgressCallback = Callable[[str, int], None]


@dataclass(frozen=True)
class LoadReport:
    """What a load wrote and how long it took."""

    nodes: int
    relationships: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        """Nodes and relationships written per second."""
        return (self.nodes + self.relationships) / self.seconds if self.seconds else 0.0


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of up to ``size`` items, in order."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _first_line(error: BaseException) -> str:
    text = getattr(error, "message", None) or str(error) or type(error).__name__
    return str(text).strip().splitlines()[0]


@contextmanager
def translate_errors(settings: Neo4jSettings, doing: str) -> Iterator[None]:
    """Turn driver exceptions into one-line :class:`BackendError` messages naming the URI.

    The password never appears in a message.
    """
    where = f"{settings.uri} (database {settings.database!r})"
    try:
        yield
    except neo4j_errors.AuthError:
        user = settings.user or "neo4j"
        raise BackendError(
            f"{settings.uri}: authentication failed for user {user!r}; check --user/--password "
            "or NEO4J_USERNAME/NEO4J_PASSWORD"
        ) from None
    except neo4j_errors.ClientError as error:
        if error.code == "Neo.ClientError.Database.DatabaseNotFound":
            raise BackendError(
                f"{settings.uri}: database {settings.database!r} does not exist"
            ) from None
        raise BackendError(f"{where}: {doing} failed: {_first_line(error)}") from None
    except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired) as error:
        # The driver's message spans lines; the socket's own reason is the useful part.
        reason = re.search(r"reason (?:\[Errno \d+\] )?([^)\n]+)", str(error))
        detail = reason.group(1) if reason else _first_line(error)
        raise BackendError(f"{settings.uri}: cannot reach Neo4j while {doing} ({detail})") from None
    except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as error:
        raise BackendError(f"{where}: {doing} failed: {_first_line(error)}") from None
    except (ValueError, OSError) as error:  # malformed URI, TLS set-up
        raise BackendError(f"{settings.uri}: {doing} failed: {_first_line(error)}") from None


def _native(value: Any) -> Any:
    """Neo4j temporal values as Python ``date``/``datetime``."""
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


class Neo4jBackend(GraphBackend):
    """Answers from a Neo4j database through the official driver.

    Use :meth:`connect` to open one; it checks the server and the database
    answer before returning.
    """

    name = "neo4j"

    def __init__(self, driver: neo4j.Driver, settings: Neo4jSettings) -> None:
        self.driver = driver
        self.settings = settings
        self.source = settings.uri

    @classmethod
    def connect(cls, settings: Neo4jSettings) -> Neo4jBackend:
        """Open a driver for ``settings`` and prove the database answers.

        Raises
        ------
        BackendError
            When the server cannot be reached, the credentials are refused or
            the database does not exist.
        """
        with translate_errors(settings, "connecting"):
            driver = GraphDatabase.driver(settings.uri, auth=settings.auth)
        backend = cls(driver, settings)
        try:
            # verify_connectivity fails at once on an unreachable server or bad
            # credentials, where a first query would retry for half a minute.
            with translate_errors(settings, "connecting"):
                driver.verify_connectivity()
            backend.read("ping")
        except BackendError:
            driver.close()
            raise
        return backend

    def close(self) -> None:
        self.driver.close()

    # -- reading ---------------------------------------------------------------

    def read(self, name: str, **parameters: Any) -> list[neo4j.Record]:
        """Run the read statement ``cypher/<name>.cypher`` and return its records."""
        with translate_errors(self.settings, f"running {name}"):
            records, _, _ = self.driver.execute_query(
                query(name),
                parameters,
                database_=self.settings.database,
                routing_=RoutingControl.READ,
            )
        return records

    def counts(self) -> GraphCounts:
        nodes = self.read("count_nodes", labels=list(LABEL_TABLES))
        relationships = self.read("count_relationships", types=list(RELATIONSHIP_TYPES))
        return GraphCounts.from_totals(
            {record["label"]: record["count"] for record in nodes},
            {record["type"]: record["count"] for record in relationships},
        )

    def nodes(self) -> Iterator[NodeRecord]:
        for record in self.read("read_nodes", labels=list(LABEL_TABLES)):
            properties = {key: _native(value) for key, value in record["properties"].items()}
            yield NodeRecord(record["id"], record["label"], properties)

    def relationships(self) -> Iterator[RelationshipRecord]:
        for record in self.read("read_relationships", types=list(RELATIONSHIP_TYPES)):
            properties = {key: _native(value) for key, value in record["properties"].items()}
            yield RelationshipRecord(record["source"], record["type"], record["target"], properties)

    # -- projections -------------------------------------------------------------

    def competencies(self) -> list[CompetencyNode]:
        return [
            CompetencyNode(
                r["id"],
                r["name"],
                r["framework"] or "",
                r["parent"],
                tuple(sorted(r["equivalent_to"])),
            )
            for r in self.read("coverage_competencies")
        ]

    def competency_texts(self, frameworks: Sequence[str]) -> list[CompetencyText]:
        return [
            CompetencyText(
                r["id"], r["name"], r["framework"], r["description"], tuple(r["alt_labels"])
            )
            for r in self.read("crosswalk_competency_texts", frameworks=list(frameworks))
        ]

    def professions(self) -> list[ProfessionNode]:
        return [
            ProfessionNode(r["id"], r["name"], r["headcount"])
            for r in self.read("coverage_professions")
        ]

    def requirements(self) -> list[RequirementEdge]:
        return [
            RequirementEdge(r["profession"], r["competency"], Priority(r["priority"]))
            for r in self.read("coverage_requirements")
        ]

    def active_events(self, events: EventFilter) -> list[ActiveEvent]:
        records = self.read(
            "coverage_active_events",
            excluded_statuses=list(events.EXCLUDED_STATUSES),
            evaluations=events.evaluations(),
            **{"from": events.date_from, "to": events.date_to},
        )
        return [
            ActiveEvent(
                r["id"],
                r["title"],
                tuple(sorted(r["targets"])),
                tuple(sorted(r["covers"])),
                r["lead_organisation"],
                _native(r["start_date"]),
                _native(r["end_date"]),
                r["places"],
                r["cost"],
            )
            for r in records
        ]

    def initiatives(self, initiatives: InitiativeFilter) -> list[InitiativeNode]:
        records = self.read(
            "initiative_neighbourhoods",
            statuses=initiatives.status_values(),
            **{"from": initiatives.date_from, "to": initiatives.date_to},
        )
        return [
            InitiativeNode(
                r["id"],
                r["title"],
                r["description"],
                r["kind"],
                r["lead"],
                tuple(sorted(r["partners"])),
                r["status"],
                _native(r["start_date"]),
                _native(r["end_date"]),
                r["budget"],
                tuple(sorted(r["targets"])),
                tuple(sorted(r["addresses"])),
                tuple(sorted(r["responds_to"])),
                tuple(sorted(r["builds_on"])),
            )
            for r in records
        ]

    def named_nodes(self, labels: Sequence[str] | None = None) -> list[NamedNode]:
        wanted = list(LABEL_TABLES) if labels is None else list(labels)
        return [
            NamedNode(r["id"], r["label"], r["name"], r["description"])
            for r in self.read("named_nodes", labels=wanted)
        ]

    def named_nodes_by_id(self, ids: Sequence[str]) -> list[NamedNode]:
        records = self.read("named_nodes_by_id", ids=sorted(set(ids)), labels=list(LABEL_TABLES))
        return [NamedNode(r["id"], r["label"], r["name"], r["description"]) for r in records]

    def nodes_by_id(self, ids: Sequence[str]) -> list[NodeRecord]:
        records = self.read("nodes_by_id", ids=sorted(set(ids)), labels=list(LABEL_TABLES))
        return [
            NodeRecord(r["id"], r["label"], {key: _native(v) for key, v in r["properties"].items()})
            for r in records
        ]

    def relationships_of(self, ids: Sequence[str]) -> list[RelationshipRecord]:
        records = self.read(
            "relationships_of",
            ids=sorted(set(ids)),
            types=list(RELATIONSHIP_TYPES),
            labels=list(LABEL_TABLES),
        )
        return [
            RelationshipRecord(
                r["source"],
                r["type"],
                r["target"],
                {key: _native(v) for key, v in r["properties"].items()},
            )
            for r in records
        ]

    def search_nodes(
        self, text: str, labels: Sequence[str] | None, limit: int
    ) -> tuple[list[NamedNode], int]:
        text = text.strip()
        words = search_words(text)
        (record,) = self.read(
            "search_nodes",
            index=SEARCH_INDEX,
            text=text,
            lowered=text.lower(),
            words=words,
            lucene=" AND ".join(f"*{word}*" for word in words) or None,
            labels=list(LABEL_TABLES) if labels is None else list(labels),
            known=list(LABEL_TABLES),
            limit=limit,
        )
        hits = [NamedNode(hit["id"], hit["label"], hit["name"]) for hit in record["results"]]
        return hits, record["total"]

    def node_degree(self, node_id: str) -> dict[str, int]:
        records = self.read(
            "node_degree", id=node_id, types=list(RELATIONSHIP_TYPES), labels=list(LABEL_TABLES)
        )
        counts = {record["type"]: record["count"] for record in records}
        return {kind: counts[kind] for kind in RELATIONSHIP_TYPES if kind in counts}

    def neighbours(
        self,
        node_id: str,
        types: Sequence[str] | None,
        labels: Sequence[str] | None,
        limit: int,
        offset: int,
    ) -> Neighbourhood:
        records = self.read(
            "neighbours",
            id=node_id,
            types=list(RELATIONSHIP_TYPES) if types is None else list(types),
            labels=list(LABEL_TABLES) if labels is None else list(labels),
            known=list(LABEL_TABLES),
            offset=offset,
            limit=limit,
        )
        if not records:  # no node with that id
            return Neighbourhood([], [], 0)
        (record,) = records
        nodes = [NamedNode(entry["id"], entry["label"], entry["name"]) for entry in record["page"]]
        relationships = sorted(
            (
                RelationshipRecord(
                    link["source"],
                    link["type"],
                    link["target"],
                    {key: _native(value) for key, value in link["properties"].items()},
                )
                for entry in record["page"]
                for link in entry["relationships"]
            ),
            key=lambda r: (r.source, r.type, r.target),
        )
        return Neighbourhood(nodes, relationships, record["total"])

    def start_months(self) -> dict[str, dict[str | None, int]]:
        months: dict[str, dict[str | None, int]] = {label: {} for label in DATED_LABELS}
        for record in self.read("start_months", labels=list(DATED_LABELS)):
            months[record["label"]][record["month"]] = record["count"]
        return months

    def skeleton(self) -> GraphSkeleton:
        nodes = ((node.id, node.label, node.name) for node in self.named_nodes())
        with_properties = sorted({spec.type for spec in RELATIONSHIPS if spec.properties})
        columns = {
            record["type"]: (
                record["sources"],
                record["targets"],
                [{k: _native(v) for k, v in values.items()} for values in record["properties"]]
                if record["type"] in with_properties
                else None,
            )
            for record in self.read(
                "skeleton_relationships",
                types=list(RELATIONSHIP_TYPES),
                with_properties=with_properties,
            )
        }
        return GraphSkeleton.build(nodes, columns)

    def shortest_paths(self, source: str, target: str, max_hops: int) -> list[tuple[PathLink, ...]]:
        if source == target:
            return [()]  # allShortestPaths refuses a chain from a node to itself
        if max_hops > MAX_PATH_HOPS:
            raise BackendError(f"chains are searched up to {MAX_PATH_HOPS} links, not {max_hops}")
        records = self.read("shortest_paths", source=source, target=target, max_hops=max_hops)
        return sorted({tuple(PathLink(*link) for link in record["links"]) for record in records})

    def ensure_search_index(self) -> None:
        """Make sure the search index exists and is online (the explorer searches through it).

        A database loaded by an older graphmodel lacks it: it is created then
        (which needs the right to change the schema).

        Raises
        ------
        BackendError
            When the index is missing and cannot be created.
        """
        states = self.read("search_index_state", index=SEARCH_INDEX)
        if states and states[0]["state"] == "ONLINE":
            return
        try:
            self.ensure_schema()
        except BackendError as error:
            raise BackendError(
                f"{error}; the explorer needs the search index {SEARCH_INDEX!r}: run "
                "`graphmodel load DATASET URI` once, as a user who may change the schema"
            ) from None

    # -- writing ---------------------------------------------------------------

    def ensure_schema(self) -> None:
        """Create the uniqueness constraints and the search index (idempotent), and wait
        until they are online; the constraints must exist before any MERGE."""
        with (
            translate_errors(self.settings, "creating constraints"),
            self.driver.session(database=self.settings.database) as session,
        ):
            for statement in statements("schema"):
                session.run(statement).consume()
            session.run(query("await_indexes"), seconds=INDEX_WAIT_SECONDS).consume()

    def load(
        self,
        dataset: Dataset,
        *,
        replace: bool = False,
        batch_size: int = DEFAULT_BATCH_SIZE,
        progress: ProgressCallback | None = None,
    ) -> LoadReport:
        """Write a validated dataset in one transaction.

        Each node's properties are set from its row and the relationships its
        row's columns own are replaced by the row's. Nodes that are not in the
        dataset are left alone, unless ``replace``, which also deletes every
        other node and every relationship of a type outside the model (in the
        same transaction, after writing), so the database equals the dataset.
        Loading the same dataset twice changes nothing.

        Raises
        ------
        BackendError
            When anything fails; the database is then as it was before.
        """
        self.ensure_schema()
        started = time.perf_counter()
        written = {"nodes": 0, "relationships": 0}

        def write(
            tx: neo4j.Transaction, name: LiteralString, rows: Sequence[Any], what: str
        ) -> None:
            for batch in batched(rows, batch_size):
                tx.run(name, rows=batch).consume()
                written[what] += len(batch)
                if progress is not None:
                    progress(what, len(batch))

        with (
            translate_errors(self.settings, "loading"),
            self.driver.session(database=self.settings.database) as session,
            session.begin_transaction() as tx,
        ):
            nodes_by_label: dict[str, list[dict[str, Any]]] = {label: [] for label in LABEL_TABLES}
            for node in dataset_nodes(dataset):
                nodes_by_label[node.label].append(node.properties)
            stale = self._nodes_not_in(tx, nodes_by_label) if replace else []
            for label, rows in nodes_by_label.items():
                write(tx, query(f"upsert_{label.lower()}"), rows, "nodes")
            for spec in RELATIONSHIPS:
                rows = [
                    {"source": rel.source, "target": rel.target, "properties": rel.properties}
                    for rel in spec_relationships(dataset, spec)
                ]
                write(tx, query(spec.statement), rows, "relationships")
            if replace:
                for elements in batched(stale, batch_size):
                    tx.run(query("replace_delete_nodes"), elements=elements).consume()
                tx.run(
                    query("replace_delete_relationships"), types=list(RELATIONSHIP_TYPES)
                ).consume()
            tx.commit()
        return LoadReport(written["nodes"], written["relationships"], time.perf_counter() - started)

    @staticmethod
    def _nodes_not_in(
        tx: neo4j.Transaction, nodes_by_label: dict[str, list[dict[str, Any]]]
    ) -> list[str]:
        """Element ids of the nodes the dataset does not hold (for ``replace``)."""
        wanted = {(label, row["id"]) for label, rows in nodes_by_label.items() for row in rows}
        return [
            record["element"]
            for record in tx.run(query("replace_list_nodes"), labels=list(LABEL_TABLES))
            if len(record["labels"]) != 1 or (record["labels"][0], record["id"]) not in wanted
        ]


def load_totals(dataset: Dataset) -> dict[str, int]:
    """How many nodes and relationships loading ``dataset`` writes (for progress bars)."""
    nodes = sum(len(dataset.table(table)) for table in NODE_LABELS)
    relationships = sum(sum(1 for _ in spec_relationships(dataset, spec)) for spec in RELATIONSHIPS)
    return {"nodes": nodes, "relationships": relationships}
