"""The Neo4j backend: load a dataset into Neo4j and answer from its database.

Every statement comes from ``cypher/`` by name (:mod:`graphmodel.queries`)
and takes its values as parameters. A load is a sync
(:mod:`graphmodel.backends.neo4j_sync`): it reads what the database holds,
compares, and writes only the difference, in one explicit transaction, so
either all of it is written or, on any failure (a server fault, a lost
connection, a killed client), nothing is; with ``commit_every`` it commits in
parts instead, and running it again completes it.

Example
-------
>>> from graphmodel.backends.base import Neo4jSettings
>>> from graphmodel.backends.neo4j import Neo4jBackend
>>> backend = Neo4jBackend.connect(Neo4jSettings("bolt://127.0.0.1:7687"))  # doctest: +SKIP
>>> backend.load(dataset, replace=True).plan.totals()["nodes"]               # doctest: +SKIP
{'added': 140, 'changed': 0, 'removed': 0}
"""

from __future__ import annotations

import re
import ssl
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

import neo4j
from neo4j import GraphDatabase, RoutingControl, TrustCustomCAs
from neo4j import exceptions as neo4j_errors

from graphmodel.backends.base import DATED_LABELS, MAX_PATH_HOPS, GraphBackend, Neo4jSettings
from graphmodel.backends.neo4j_sync import (
    BOOKKEEPING_KEY,
    OWNED,
    OWNED_INCOMING,
    OWNED_OUTGOING,
    LoadPlan,
    Snapshot,
    chunks,
    compare,
)
from graphmodel.errors import BackendError, TransactionMemoryError
from graphmodel.graph import (
    GraphCounts,
    NodeRecord,
    RelationshipRecord,
)
from graphmodel.index import GraphSkeleton, search_words
from graphmodel.model import (
    ITEM_SEPARATOR,
    LABEL_TABLES,
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
    FrameworkNode,
    InitiativeFilter,
    InitiativeNode,
    NamedNode,
    Neighbourhood,
    PathLink,
    ProfessionNode,
    RequirementEdge,
)
from graphmodel.queries import query, statements

#: The full-text index of every node's name, title and id (``cypher/schema.cypher``).
SEARCH_INDEX = "node_words"

#: How long creating the schema waits for a new index over existing data to come online.
INDEX_WAIT_SECONDS = 300

#: Rows per ``UNWIND $rows`` batch; Neo4j's guidance is 1k-20k.
DEFAULT_BATCH_SIZE = 10_000

#: Nodes per page when a load reads what the database holds: big enough that the
#: driver's cost per record does not count, small enough for a small transaction memory.
SNAPSHOT_PAGE = 5_000

#: Metadata on every load transaction, visible in ``SHOW TRANSACTIONS``.
LOAD_METADATA = {"app": "graphmodel load"}

T = TypeVar("T")

#: Called after each batch with the statement written and how many items it took.
ProgressCallback = Callable[[str, int], None]


@dataclass(frozen=True)
class LoadReport:
    """What a load changed (or, for a dry run, would change), and how long it took."""

    plan: LoadPlan
    written: bool
    transactions: int
    seconds: float
    dry_run: bool = False

    @property
    def unchanged(self) -> bool:
        """The database already held the dataset."""
        return self.plan.empty


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of up to ``size`` items, in order."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _first_line(error: BaseException) -> str:
    text = getattr(error, "message", None) or str(error) or type(error).__name__
    return str(text).strip().splitlines()[0]


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error, its causes and, for an exception group, its members'."""
    seen: set[int] = set()
    waiting = [error]
    while waiting:
        current = waiting.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        waiting.extend(getattr(current, "exceptions", ()))
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                waiting.append(linked)


_MEMORY_CODES = {
    "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
    "Neo.TransientError.General.TransactionMemoryLimit",
    "Neo.TransientError.General.OutOfMemoryError",
}


def _memory_limit(error: neo4j_errors.Neo4jError) -> str | None:
    """For a transaction refused for memory, the limit it names (setting and size)."""
    if error.code not in _MEMORY_CODES:
        return None
    message = _first_line(error)
    limit = re.search(r"limit (\d[\d.]* ?\w+)", message)
    setting = re.search(r"([\w.]+) threshold reached", message)
    parts = [part.group(1) for part in (setting, limit) if part]
    return ": ".join(parts) if parts else message


def _connection_problem(settings: Neo4jSettings, error: BaseException) -> str | None:
    """A TLS or handshake failure in words, with what to do, or None for another failure."""
    scheme = settings.uri.split("://", 1)[0].lower()
    routing = scheme.split("+")[0]
    for cause in _causes(error):
        if isinstance(cause, ssl.SSLCertVerificationError):
            reason = cause.verify_message or _first_line(cause)
            return (
                f"{settings.uri}: the server's TLS certificate is not trusted ({reason}); "
                "give the certificate of the authority that signed it with --ca-cert FILE "
                f"(or NEO4J_CA_CERT), or accept a self-signed certificate with {routing}+ssc://"
            )
        if isinstance(cause, ssl.SSLError):
            return (
                f"{settings.uri}: the TLS handshake failed ({cause.reason or _first_line(cause)}); "
                f"if the server does not use TLS on this port, connect with {routing}://"
            )
        if "incomplete handshake response" in str(cause) and "+s" not in scheme:
            return (
                f"{settings.uri}: the server ended the connection at the Bolt handshake; "
                f"it may accept only encrypted connections: use {routing}+s:// "
                "(with --ca-cert FILE for a private certificate authority)"
            )
    return None


@contextmanager
def translate_errors(
    settings: Neo4jSettings, doing: str, *, memory_advice: str = ""
) -> Iterator[None]:
    """Turn driver exceptions into one-line :class:`BackendError` messages naming the URI.

    The password never appears in a message. A transaction the server
    refuses for memory raises :class:`TransactionMemoryError`, with
    ``memory_advice`` appended.
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
        if problem := _connection_problem(settings, error):
            raise BackendError(problem) from None
        # The driver's message spans lines; the socket's own reason is the useful part.
        reason = re.search(r"reason (?:\[Errno \d+\] )?([^)\n]+)", str(error))
        detail = reason.group(1) if reason else _first_line(error)
        raise BackendError(f"{settings.uri}: cannot reach Neo4j while {doing} ({detail})") from None
    except neo4j_errors.Neo4jError as error:
        if (limit := _memory_limit(error)) is not None:
            raise TransactionMemoryError(
                f"{where}: {doing} failed: the server's transaction memory is too small "
                f"({limit}){memory_advice}"
            ) from None
        raise BackendError(f"{where}: {doing} failed: {_first_line(error)}") from None
    except neo4j_errors.DriverError as error:
        if problem := _connection_problem(settings, error):
            raise BackendError(problem) from None
        raise BackendError(f"{where}: {doing} failed: {_first_line(error)}") from None
    except (ValueError, OSError) as error:  # malformed URI, TLS set-up
        raise BackendError(f"{settings.uri}: {doing} failed: {_first_line(error)}") from None


def driver_arguments(settings: Neo4jSettings) -> tuple[str, dict[str, Any]]:
    """The URI and options to open the official driver with, TLS included.

    The URI's scheme says whether to encrypt: ``bolt+s``/``neo4j+s`` trust the
    system's certificate authorities, ``+ssc`` any certificate. ``ca_cert``
    trusts the authorities of that PEM file instead, for a ``+s`` URI only.
    The driver fixes the trust of a ``+s`` scheme, so such a URI is opened as
    ``bolt``/``neo4j`` with ``encrypted=True`` and
    ``trusted_certificates=TrustCustomCAs(file)``: the same encryption, a
    different trust.

    Raises
    ------
    BackendError
        For a CA file that cannot be read as PEM certificates, or given with a
        URI that is not ``+s``.

    Example
    -------
    >>> driver_arguments(Neo4jSettings("neo4j+s://db.example.org"))
    ('neo4j+s://db.example.org', {})
    """
    if settings.ca_cert is None:
        return settings.uri, {}
    scheme, separator, rest = settings.uri.partition("://")
    routing, _, security = scheme.lower().partition("+")
    if security != "s":
        advice = (
            "it takes the place of the self-signed trust of +ssc"
            if security == "ssc"
            else "give a bolt+s:// or neo4j+s:// URI to encrypt"
        )
        raise BackendError(
            f"{settings.uri}: --ca-cert (NEO4J_CA_CERT) applies only to an encrypted URI "
            f"with +s; {advice}"
        )
    path = Path(settings.ca_cert)
    try:
        ssl.create_default_context(cafile=str(path))
    except FileNotFoundError:
        raise BackendError(f"{path}: no such CA certificate file (--ca-cert)") from None
    except (ssl.SSLError, OSError, ValueError) as error:
        raise BackendError(
            f"{path}: not a PEM file of CA certificates (--ca-cert): {_first_line(error)}"
        ) from None
    return f"{routing}{separator}{rest}", {
        "encrypted": True,
        "trusted_certificates": TrustCustomCAs(str(path)),
    }


#: Each relationship type's properties in the model's order (``REQUIRES``: priority, then
#: level), the order the embedded backend gives them: Neo4j keeps no order in a map.
_PROPERTY_ORDER: dict[str, tuple[str, ...]] = {
    spec.type: (*spec.properties, *((spec.item_property,) if spec.item_property else ()))
    for spec in RELATIONSHIPS
}


def _relationship_properties(kind: str, properties: Mapping[str, Any]) -> dict[str, Any]:
    """A relationship's properties as plain values, in the model's order (others after)."""
    order = _PROPERTY_ORDER.get(kind, ())
    keys = sorted(
        properties, key=lambda key: (order.index(key) if key in order else len(order), key)
    )
    return {key: _native(properties[key]) for key in keys}


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
        uri, options = driver_arguments(settings)
        with translate_errors(settings, "connecting"):
            # The server's notifications are about graphmodel's own fixed statements
            # ("the relationship type PART_OF does not exist" in an empty database): no
            # user can act on them, and the driver would log each one.
            driver = GraphDatabase.driver(
                uri, auth=settings.auth, notifications_min_severity="OFF", **options
            )
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
            properties = _relationship_properties(record["type"], record["properties"])
            yield RelationshipRecord(record["source"], record["type"], record["target"], properties)

    # -- projections -------------------------------------------------------------

    def frameworks(self) -> list[FrameworkNode]:
        return [
            FrameworkNode(r["id"], r["name"], tuple(r["levels"]))
            for r in self.read("coverage_frameworks")
        ]

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
            RequirementEdge(r["profession"], r["competency"], Priority(r["priority"]), r["level"])
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
                tuple(sorted(competency for competency, _ in r["covers"])),
                r["lead_organisation"],
                _native(r["start_date"]),
                _native(r["end_date"]),
                r["places"],
                r["cost"],
                r["level"],
                tuple(sorted((c, level) for c, level in r["covers"] if level is not None)),
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
                _relationship_properties(r["type"], r["properties"]),
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
                    _relationship_properties(link["type"], link["properties"]),
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
        with_properties = sorted({spec.type for spec in RELATIONSHIPS if spec.has_properties})
        columns = {
            record["type"]: (
                record["sources"],
                record["targets"],
                [
                    _relationship_properties(record["type"], values)
                    for values in record["properties"]
                ]
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

    def read_snapshot(self, *, replace: bool, prepare: bool = True) -> Snapshot:
        """Read what the database holds, as a load compares it (in pages, in one transaction).

        A caller can read the snapshot while it reads the dataset (the command
        line does, on a thread) and hand it to :meth:`load`. ``prepare``
        creates the uniqueness constraints first, which the pages need to be
        read in id order through their index (``ensure_schema``); a dry run
        passes False to write nothing.
        """
        if prepare:
            self.ensure_schema()
        with (
            translate_errors(self.settings, "reading the database"),
            self.driver.session(database=self.settings.database) as session,
            session.begin_transaction(metadata=LOAD_METADATA) as tx,
        ):
            return self._snapshot(tx, replace=replace)

    def load(
        self,
        dataset: Dataset,
        *,
        replace: bool = False,
        dry_run: bool = False,
        commit_every: int | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        progress: ProgressCallback | None = None,
        snapshot: Snapshot | None = None,
    ) -> LoadReport:
        """Make the database hold a validated dataset, writing only what differs.

        Each node's properties become its row's, and the relationships its
        row's columns own become the row's (a row is the truth about what it
        owns). Nodes the dataset does not hold are left alone, unless
        ``replace``: then they go too, with every relationship nothing in the
        dataset gives, so the database equals the dataset. Loading the same
        dataset twice writes nothing the second time.

        Parameters
        ----------
        dry_run
            Compute and return the plan; write nothing (not even the constraints).
        commit_every
            Commit every this many rows (a row: a node or relationship written
            or deleted) instead of once: not all-or-nothing, but running the load
            again completes it. For servers whose transaction memory cannot hold
            the load.
        snapshot
            What :meth:`read_snapshot` read, if the caller read it already.

        Raises
        ------
        TransactionMemoryError
            When the server refuses the transaction for memory.
        BackendError
            When anything else fails. The database is then as it was, except that
            with ``commit_every`` the parts committed before the failure stay.
        """
        started = time.perf_counter()
        if snapshot is None or (replace and not snapshot.replace):
            snapshot = self.read_snapshot(replace=replace, prepare=not dry_run)
        with (
            translate_errors(self.settings, "comparing"),
            self.driver.session(database=self.settings.database) as session,
            session.begin_transaction(metadata=LOAD_METADATA) as tx,
        ):
            plan = self._plan(tx, dataset, snapshot, replace)
        if dry_run or plan.empty:
            return LoadReport(plan, False, 0, time.perf_counter() - started, dry_run)
        if commit_every is None:
            advice = (
                " to load this dataset in one transaction; nothing was written. Load it with "
                "--commit-every N (for example --commit-every 10000) to commit every N rows"
            )
        else:
            advice = (
                f" for {commit_every} rows in one transaction; what was committed before "
                "stays. Run the load again with a smaller --commit-every to complete it"
            )
        with translate_errors(self.settings, "loading", memory_advice=advice):
            plan, transactions = self._write(
                dataset, plan, snapshot, replace, commit_every, batch_size, progress
            )
        return LoadReport(plan, transactions > 0, transactions, time.perf_counter() - started)

    # -- the load's reading and writing --------------------------------------------------

    def _snapshot(self, tx: neo4j.Transaction, *, replace: bool) -> Snapshot:
        labels = list(LABEL_TABLES)
        version = tx.run(query("load_version"), key=BOOKKEEPING_KEY).single(strict=True)[0]
        pages: dict[str, dict[str, list[Any]]] = {}
        for label in labels:
            statement = query(f"load_snapshot_{label.lower()}")
            rows: dict[str, list[Any]] = {}
            after = ""
            while True:
                record = tx.run(
                    statement,
                    after=after,
                    page=SNAPSHOT_PAGE,
                    labels=labels,
                    separator=ITEM_SEPARATOR,
                )
                page: list[list[Any]] = record.single(strict=True)["page"]
                for row in page:
                    rows[row[0]] = row
                if len(page) < SNAPSHOT_PAGE:
                    break
                after = page[-1][0]
            pages[label] = rows
        totals = tx.run(query("load_totals")).single(strict=True)
        snapshot = Snapshot(
            version,
            pages,
            total_nodes=totals["nodes"],
            total_relationships=totals["relationships"],
            bookkeeping_nodes=totals["bookkeeping"],
            replace=replace,
        )
        if snapshot.has_foreign_nodes:
            snapshot.foreign_nodes = [
                (r["element"], r["id"], r["labels"], r["known"])
                for r in tx.run(query("load_foreign_nodes"), labels=labels)
            ]
        if replace and snapshot.has_unowned_relationships:
            snapshot.unowned_relationships = [
                (r["element"], r["type"])
                for r in tx.run(
                    query("load_unowned_relationships"),
                    labels=labels,
                    outgoing=OWNED_OUTGOING,
                    incoming=OWNED_INCOMING,
                )
            ]
        return snapshot

    def _plan(
        self, tx: neo4j.Transaction, dataset: Dataset, snapshot: Snapshot, replace: bool
    ) -> LoadPlan:
        """Compare, then read the nodes found different in full and settle their changes."""
        comparison = compare(dataset, snapshot, replace=replace)
        labels = list(LABEL_TABLES)
        for label in labels:
            elements = [*comparison.suspects[label], *comparison.removed_to_count.get(label, [])]
            outgoing = sorted({s.type for s in OWNED[label] if s.owner_is_source})
            incoming = sorted({s.type for s in OWNED[label] if not s.owner_is_source})
            for batch in batched(elements, SNAPSHOT_PAGE):
                records = tx.run(
                    query("load_details"),
                    elements=batch,
                    outgoing=outgoing,
                    incoming=incoming,
                    labels=labels,
                )
                comparison.settle(
                    label,
                    [
                        (
                            r["element"],
                            r["properties"],
                            [
                                *([*rel, True] for rel in r["outgoing"]),
                                *([*rel, False] for rel in r["incoming"]),
                            ],
                        )
                        for r in records
                    ],
                )
        return comparison.plan

    def _write(
        self,
        dataset: Dataset,
        plan: LoadPlan,
        snapshot: Snapshot,
        replace: bool,
        commit_every: int | None,
        batch_size: int,
        progress: ProgressCallback | None,
    ) -> tuple[LoadPlan, int]:
        """Write ``plan``: in one transaction, or one per ``commit_every`` rows.

        Every writing transaction first takes the lock on graphmodel's
        bookkeeping node (``load_lock``) and checks its version: if another
        load wrote since the snapshot was read, the first transaction reads the
        database again (under the lock, so nothing changes meanwhile) and plans
        anew; a later part of a ``commit_every`` load stops instead, since its
        plan no longer holds. The last statement of each transaction counts one
        more version. Returns the plan written and how many transactions
        committed.
        """
        transactions = 0
        with self.driver.session(database=self.settings.database) as session:
            with session.begin_transaction(metadata=LOAD_METADATA) as tx:
                version = tx.run(query("load_lock"), key=BOOKKEEPING_KEY).single(strict=True)[0]
                if version != snapshot.version:
                    snapshot = self._snapshot(tx, replace=replace)
                    plan = self._plan(tx, dataset, snapshot, replace)
                    if plan.empty:
                        return plan, 0  # another load wrote this very dataset
                parts = chunks(plan, commit_every)
                version = self._write_part(tx, next(parts), version, batch_size, progress)
                tx.commit()
                transactions += 1
            for part in parts:
                with session.begin_transaction(metadata=LOAD_METADATA) as tx:
                    found = tx.run(query("load_lock"), key=BOOKKEEPING_KEY).single(strict=True)[0]
                    if found != version:
                        raise BackendError(
                            f"{self.settings.uri} (database {self.settings.database!r}): another "
                            "load wrote to the database while this --commit-every load ran, "
                            f"after {transactions} of its transactions; run it again to complete "
                            "it"
                        )
                    version = self._write_part(tx, part, version, batch_size, progress)
                    tx.commit()
                    transactions += 1
        return plan, transactions

    @staticmethod
    def _write_part(
        tx: neo4j.Transaction,
        part: list[tuple[str, str, list[Any]]],
        version: int | None,
        batch_size: int,
        progress: ProgressCallback | None,
    ) -> int:
        for name, parameter, items in part:
            statement = query(name)
            for batch in batched(items, batch_size):
                tx.run(statement, {parameter: batch}).consume()
                if progress is not None:
                    progress(name, len(batch))
        bumped = (version or 0) + 1
        tx.run(query("load_bump_version"), key=BOOKKEEPING_KEY, version=bumped).consume()
        return bumped
