"""A dataset as plain nodes and relationships, and back.

Both backends are fed from :func:`dataset_nodes` and
:func:`dataset_relationships`, and both can be read back into a
:class:`~graphmodel.model.Dataset` with :func:`dataset_from_graph`, which is
what the parity tests and exports compare.

Example
-------
>>> from graphmodel.model import Dataset, Framework, Competency
>>> ds = Dataset(frameworks=[Framework(id="fw", name="Core")],
...              competencies=[Competency(id="c1", name="Talk", framework="fw")])
>>> [(r.source, r.type, r.target) for r in dataset_relationships(ds)]
[('c1', 'IN_FRAMEWORK', 'fw')]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphmodel.errors import Location
from graphmodel.io.raw import CellError, ProblemLog, RawRow, RawTable, cell_text
from graphmodel.model import (
    LABEL_TABLES,
    NODE_LABELS,
    RELATIONSHIP_TYPES,
    RELATIONSHIPS,
    TABLES,
    Dataset,
    RelationshipSpec,
    join_item,
    node_properties,
    plain,
)
from graphmodel.validation import parse_tables


@dataclass(frozen=True)
class NodeRecord:
    """A node: its id, label and scalar properties (``id`` included)."""

    id: str
    label: str
    properties: dict[str, Any] = field(hash=False)


@dataclass(frozen=True)
class RelationshipRecord:
    """A relationship between two node ids, with its properties."""

    source: str
    type: str
    target: str
    properties: dict[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class GraphCounts:
    """How many nodes of each label and relationships of each type a graph holds."""

    nodes: dict[str, int]
    relationships: dict[str, int]

    @classmethod
    def of(cls, labels: Iterable[str], types: Iterable[str]) -> GraphCounts:
        """Count labels and types, listing every model label and type (zero if absent)."""
        return cls.from_totals(Counter(labels), Counter(types))

    @classmethod
    def from_totals(cls, nodes: Mapping[str, int], relationships: Mapping[str, int]) -> GraphCounts:
        """Totals per model label and type, in the model's order, zero where not given."""
        return cls(
            {label: nodes.get(label, 0) for label in LABEL_TABLES},
            {kind: relationships.get(kind, 0) for kind in RELATIONSHIP_TYPES},
        )


def dataset_nodes(dataset: Dataset) -> Iterator[NodeRecord]:
    """Every node of the dataset, table by table in load order."""
    for table, label in NODE_LABELS.items():
        for row in dataset.table(table):
            properties = node_properties(table, row)
            yield NodeRecord(properties["id"], label, properties)


def spec_relationships(dataset: Dataset, spec: RelationshipSpec) -> Iterator[RelationshipRecord]:
    """The relationships one reference column gives, in row order."""
    for row in dataset.table(spec.table):
        owner = getattr(row, spec.owner_column)
        value = getattr(row, spec.column)
        properties = {
            name: plain(getattr(row, name))
            for name in spec.properties
            if getattr(row, name) is not None
        }
        for item in value if isinstance(value, list) else [value]:
            if item is None:
                continue
            other, carried = spec.item(item)
            found = {**properties, **carried} if carried else properties
            if spec.owner_is_source:
                yield RelationshipRecord(owner, spec.type, other, found)
            else:
                yield RelationshipRecord(other, spec.type, owner, found)


def dataset_counts(dataset: Dataset) -> GraphCounts:
    """What :class:`GraphCounts` would count over the dataset's nodes and relationships,
    counted from its rows (no record is built: a national dataset has a million)."""
    nodes = {label: len(dataset.table(table)) for table, label in NODE_LABELS.items()}
    relationships: Counter[str] = Counter()
    for spec in RELATIONSHIPS:
        for row in dataset.table(spec.table):
            value = getattr(row, spec.column)
            if isinstance(value, list):
                relationships[spec.type] += sum(1 for other in value if other is not None)
            elif value is not None:
                relationships[spec.type] += 1
    return GraphCounts.from_totals(nodes, relationships)


def dataset_relationships(dataset: Dataset) -> Iterator[RelationshipRecord]:
    """Every relationship the dataset's reference columns give."""
    for spec in RELATIONSHIPS:
        yield from spec_relationships(dataset, spec)


def dataset_from_graph(
    nodes: Iterable[NodeRecord],
    relationships: Iterable[RelationshipRecord],
    source: str = "graph",
    *,
    ordered: bool = False,
) -> Dataset:
    """Rebuild a dataset from nodes and relationships, validating it as any dataset.

    The graph's rows go through the same parsing and rules as a file's
    (:func:`graphmodel.validation.parse_tables`), so a graph edited by hand
    gets the same clear problems. Rows come out sorted by id and id lists
    sorted, since a graph keeps no row order; compare with
    :meth:`Dataset.normalised`. With ``ordered`` (a GraphML file, whose
    nodes and edges do have an order) rows keep the order of their nodes,
    pair rows and id lists the order of their relationships. Nodes with
    labels outside the model and relationships of other types or between
    other labels are ignored.

    Raises
    ------
    DatasetError
        When the graph breaks a rule; problems are located as
        ``SOURCE Label:id:column`` (``source`` names the database).
    """
    log = ProblemLog()
    rows: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    label_of: dict[str, str] = {}
    for node in nodes:
        table = LABEL_TABLES.get(node.label)
        if table is None:
            continue
        rows[table][str(node.id)] = dict(node.properties)
        label_of[str(node.id)] = node.label
    specs = {(spec.type, spec.source_label, spec.target_label): spec for spec in RELATIONSHIPS}
    pairs: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for relationship in relationships:
        key = (
            relationship.type,
            label_of.get(relationship.source, ""),
            label_of.get(relationship.target, ""),
        )
        spec = specs.get(key)
        if spec is None:
            continue
        owner, other = (
            (relationship.source, relationship.target)
            if spec.owner_is_source
            else (relationship.target, relationship.source)
        )
        if spec.owner_column != "id":
            pairs[spec.table].append(
                (
                    f"{owner}-{spec.type}->{other}"
                    if spec.owner_is_source
                    else f"{other}-{spec.type}->{owner}",
                    {spec.owner_column: owner, spec.column: other, **relationship.properties},
                )
            )
            continue
        row = rows[spec.table][owner]
        if spec.column in TABLES[spec.table].list_columns:
            carried = (
                relationship.properties.get(spec.item_property) if spec.item_property else None
            )
            item = other if carried is None else join_item(other, str(carried))
            row.setdefault(spec.column, []).append(item)
        elif spec.column in row:
            log.add(
                Location(f"{source} {spec.owner_label}", owner, spec.column),
                f"more than one {spec.type} relationship; the model allows one",
            )
        else:
            row[spec.column] = other
    tables = []
    for table, table_spec in TABLES.items():
        raw = RawTable(table, f"{source} {table_spec.label or table}", None)
        located = (
            pairs[table]
            if table_spec.label is None
            else [
                (node_id, rows[table][node_id])
                for node_id in (rows[table] if ordered else sorted(rows[table]))
            ]
        )
        for where, values in located:
            cells: dict[str, str | None] = {}
            for column, value in values.items():
                try:
                    cells[column] = cell_text(value)
                except CellError as error:
                    log.add(raw.location(where, column), str(error))
            raw.rows.append(RawRow(where, cells))
        tables.append(raw)
    dataset = parse_tables(tables, log)
    log.raise_if_any()
    return dataset if ordered else dataset.normalised()
