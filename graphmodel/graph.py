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

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from graphmodel.model import (
    LABEL_TABLES,
    NODE_LABELS,
    RELATIONSHIP_TYPES,
    RELATIONSHIPS,
    TABLES,
    Dataset,
    RelationshipSpec,
    node_properties,
)


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
        nodes = dict.fromkeys(LABEL_TABLES, 0)
        for label in labels:
            nodes[label] += 1
        relationships = dict.fromkeys(RELATIONSHIP_TYPES, 0)
        for kind in types:
            relationships[kind] += 1
        return cls(nodes, relationships)


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
            name: _plain(getattr(row, name))
            for name in spec.properties
            if getattr(row, name) is not None
        }
        for other in value if isinstance(value, list) else [value]:
            if other is None:
                continue
            if spec.owner_is_source:
                yield RelationshipRecord(owner, spec.type, other, properties)
            else:
                yield RelationshipRecord(other, spec.type, owner, properties)


def dataset_relationships(dataset: Dataset) -> Iterator[RelationshipRecord]:
    """Every relationship the dataset's reference columns give."""
    for spec in RELATIONSHIPS:
        yield from spec_relationships(dataset, spec)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, StrEnum) else value


def dataset_from_graph(
    nodes: Iterable[NodeRecord], relationships: Iterable[RelationshipRecord]
) -> Dataset:
    """Rebuild a dataset from nodes and relationships.

    Rows come out sorted by id and id lists sorted, since a graph keeps no
    row order; compare with :meth:`Dataset.normalised`. Nodes with labels
    outside the model and relationships of unknown types are ignored.
    """
    rows: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    label_of: dict[str, str] = {}
    for node in nodes:
        table = LABEL_TABLES.get(node.label)
        if table is None:
            continue
        rows[table][node.id] = dict(node.properties)
        label_of[node.id] = node.label
    specs = {(spec.type, spec.source_label, spec.target_label): spec for spec in RELATIONSHIPS}
    pairs: dict[str, list[dict[str, Any]]] = defaultdict(list)
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
                {spec.owner_column: owner, spec.column: other, **relationship.properties}
            )
            continue
        row = rows[spec.table][owner]
        if spec.column in TABLES[spec.table].list_columns:
            row.setdefault(spec.column, []).append(other)
        else:
            row[spec.column] = other
    tables: dict[str, list[dict[str, Any]]] = {}
    for table, table_spec in TABLES.items():
        if table_spec.label is None:
            tables[table] = pairs[table]
        else:
            tables[table] = [rows[table][node_id] for node_id in sorted(rows[table])]
    return Dataset.model_validate(tables).normalised()
