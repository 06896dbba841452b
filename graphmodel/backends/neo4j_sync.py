"""Loading into Neo4j as a sync: compare the dataset with what the database holds.

:meth:`graphmodel.backends.neo4j.Neo4jBackend.load` reads the database in
pages (:class:`Snapshot`, from ``cypher/load_snapshot_<label>.cypher``),
compares it with the dataset here, and writes only the difference
(:class:`LoadPlan`). This module holds the comparison, which needs no server:

1. :func:`compare` goes through every row once against the snapshot: nodes
   the database lacks are *added*; nodes the dataset lacks are *removed* (with
   ``replace``); a node whose properties or owned relationships differ from
   its row is a *suspect*.
2. The backend reads each suspect in full (``load_details``: every owned
   relationship with its element id, the labels at its other end, its
   properties) and :meth:`Comparison.settle` turns that into exact changes:
   which properties to set, which relationships to create, change or delete.

What a row owns is fixed by the model (:data:`graphmodel.model.RELATIONSHIPS`):
a training event row owns its outgoing ``TARGETS`` and ``COVERS`` and its
incoming ``LEADS`` and ``DELIVERS``, whatever is at their other end, and so
on. A row is the truth about what it owns; what other rows own is theirs.

Example
-------
>>> from graphmodel.model import Dataset, Framework
>>> dataset = Dataset(frameworks=[Framework(id="fw", name="Core")])
>>> comparison = compare(dataset, Snapshot.empty(), replace=False)
>>> comparison.plan.nodes["Framework"].as_dict()
{'added': 1, 'changed': 0, 'removed': 0}
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, get_args, get_origin

from graphmodel.errors import BackendError
from graphmodel.model import (
    ITEM_SEPARATOR,
    LABEL_TABLES,
    NODE_LABELS,
    REFERENCE_COLUMNS,
    RELATIONSHIP_TYPES,
    RELATIONSHIPS,
    TABLES,
    Dataset,
    RelationshipSpec,
    node_properties,
    plain,
    split_item,
)

#: The id of graphmodel's one bookkeeping node, ``(:GraphmodelLoad {id: ...})``.
BOOKKEEPING_KEY = "load"


def _holds_date(annotation: Any) -> bool:
    for member in get_args(annotation) or (annotation,):
        if get_origin(member) is Annotated:
            member = get_args(member)[0]
        if member is dt.date:
            return True
    return False


#: The date columns of each node label; the snapshot sends their values as ISO text.
DATE_COLUMNS: dict[str, tuple[str, ...]] = {
    label: tuple(
        name
        for name, info in TABLES[table].model.model_fields.items()
        if _holds_date(info.annotation)
    )
    for label, table in LABEL_TABLES.items()
}

#: The relationship specs each label's rows own, in the model's order (the order of the
#: lists in a snapshot page).
OWNED: dict[str, tuple[RelationshipSpec, ...]] = {
    label: tuple(spec for spec in RELATIONSHIPS if spec.owner_label == label)
    for label in LABEL_TABLES
}

#: [label, type] pairs a label owns outgoing, and incoming (parameters of the scans).
OWNED_OUTGOING = [[s.owner_label, s.type] for s in RELATIONSHIPS if s.owner_is_source]
OWNED_INCOMING = [[s.owner_label, s.type] for s in RELATIONSHIPS if not s.owner_is_source]


#: The spec owning a relationship, by (owner label, type, outgoing from the owner). The
#: model gives one spec per key, and no type is owned from both ends, so every
#: relationship has at most one owner (tests/test_neo4j_sync.py checks both).
SPEC_OF: dict[tuple[str, str, bool], RelationshipSpec] = {
    (spec.owner_label, spec.type, spec.owner_is_source): spec for spec in RELATIONSHIPS
}

#: The properties of a relationship without any; shared, never changed.
_NO_PROPERTIES: dict[str, Any] = {}

# Positions in a snapshot page row.
_ID, _ELEMENT, _PROPERTIES, _OWNED_COUNT, _GROUPS = 0, 1, 2, 3, 4


@dataclass
class Change:
    """How many of one label's nodes or one type's relationships a load adds, changes, removes."""

    added: int = 0
    changed: int = 0
    removed: int = 0

    @property
    def total(self) -> int:
        return self.added + self.changed + self.removed

    def as_dict(self) -> dict[str, int]:
        return {"added": self.added, "changed": self.changed, "removed": self.removed}


@dataclass
class Snapshot:
    """What the database holds, as the load compares it.

    ``pages`` maps each model label to its nodes' page rows by id (see
    ``cypher/load_snapshot_<label>.cypher``): ``[id, element id, properties
    (dates as text), owned relationship count, one list per owned spec]``.
    """

    version: int | None
    pages: dict[str, dict[str, list[Any]]]
    total_nodes: int = 0
    total_relationships: int = 0
    bookkeeping_nodes: int = 0
    #: Nodes outside the model, read only when the totals say there are some:
    #: ``(element id, id, all labels, the model's labels)``.
    foreign_nodes: list[tuple[str, Any, list[str], list[str]]] | None = None
    #: Relationships nobody owns, read only for ``replace`` when the totals say so.
    unowned_relationships: list[tuple[str, str]] | None = None
    #: Whether it was read for a ``replace`` load (which also needs the unowned ones).
    replace: bool = False

    @classmethod
    def empty(cls) -> Snapshot:
        """An empty database (for tests and examples)."""
        return cls(None, {label: {} for label in LABEL_TABLES})

    @property
    def model_nodes(self) -> int:
        return sum(len(rows) for rows in self.pages.values())

    @property
    def owned_relationships(self) -> int:
        return sum(row[_OWNED_COUNT] for rows in self.pages.values() for row in rows.values())

    @property
    def has_foreign_nodes(self) -> bool:
        """Whether the database holds nodes the pages did not see (the totals disagree)."""
        return self.total_nodes - self.bookkeeping_nodes > self.model_nodes

    @property
    def has_unowned_relationships(self) -> bool:
        return self.total_relationships > self.owned_relationships


@dataclass
class LoadPlan:
    """What a load changes: counts per label and type, and the rows of each write.

    The writes run in this order: delete relationships, delete the few nodes
    outside the model whose ids the dataset needs, create nodes, set node
    properties, set relationship properties, create relationships, delete
    the nodes the dataset does not hold (last; see ``load_delete_nodes``).
    """

    nodes: dict[str, Change] = field(
        default_factory=lambda: {label: Change() for label in LABEL_TABLES}
    )
    relationships: dict[str, Change] = field(
        default_factory=lambda: {kind: Change() for kind in RELATIONSHIP_TYPES}
    )
    delete_relationships: list[str] = field(default_factory=list)
    delete_nodes_first: list[str] = field(default_factory=list)
    create_nodes: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {label: [] for label in LABEL_TABLES}
    )
    set_nodes: list[dict[str, Any]] = field(default_factory=list)
    set_relationships: list[dict[str, Any]] = field(default_factory=list)
    create_relationships: list[list[dict[str, Any]]] = field(
        default_factory=lambda: [[] for _ in RELATIONSHIPS]
    )
    #: Element ids to delete last, with how many relationships each still has
    #: (a deletion's cost, for ``--commit-every``).
    delete_nodes: list[tuple[str, int]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Rows of work: one per node or relationship written or deleted."""
        return (
            len(self.delete_relationships)
            + len(self.delete_nodes_first)
            + sum(len(rows) for rows in self.create_nodes.values())
            + len(self.set_nodes)
            + len(self.set_relationships)
            + sum(len(rows) for rows in self.create_relationships)
            + sum(1 + degree for _, degree in self.delete_nodes)
        )

    @property
    def empty(self) -> bool:
        return self.rows == 0

    def count_node(self, label: str, how: str, amount: int = 1) -> None:
        change = self.nodes.setdefault(label, Change())
        setattr(change, how, getattr(change, how) + amount)

    def count_relationship(self, kind: str, how: str, amount: int = 1) -> None:
        change = self.relationships.setdefault(kind, Change())
        setattr(change, how, getattr(change, how) + amount)

    def totals(self) -> dict[str, dict[str, int]]:
        """Added, changed and removed nodes and relationships in all."""

        def total(changes: Mapping[str, Change]) -> dict[str, int]:
            return {
                how: sum(getattr(change, how) for change in changes.values())
                for how in ("added", "changed", "removed")
            }

        return {"nodes": total(self.nodes), "relationships": total(self.relationships)}

    def steps(self) -> Iterator[tuple[str, str, list[Any]]]:
        """The writes in order: ``(statement, parameter name, items)``."""
        yield "load_delete_relationships", "elements", self.delete_relationships
        yield "load_delete_nodes", "elements", self.delete_nodes_first
        for label, rows in self.create_nodes.items():
            yield f"load_create_{label.lower()}", "rows", rows
        yield "load_set_node_properties", "rows", self.set_nodes
        yield "load_set_relationship_properties", "rows", self.set_relationships
        for spec, rows in zip(RELATIONSHIPS, self.create_relationships, strict=True):
            yield spec.statement, "rows", rows
        yield "load_delete_nodes", "elements", [element for element, _ in self.delete_nodes]


def chunks(plan: LoadPlan, size: int | None) -> Iterator[list[tuple[str, str, list[Any]]]]:
    """The plan's writes cut into transactions of about ``size`` rows (all in one if None).

    A node deletion counts one row plus one per relationship it removes with it,
    and is never split, so a node with more relationships than ``size`` gets a
    transaction of its own.
    """
    degrees = {element: degree for element, degree in plan.delete_nodes}
    current: list[tuple[str, str, list[Any]]] = []
    filled = 0
    for statement, parameter, items in plan.steps():
        if not items:
            continue
        if size is None:
            current.append((statement, parameter, items))
            continue
        start = 0
        for index, item in enumerate(items):
            cost = 1 + degrees.get(item, 0) if isinstance(item, str) else 1
            if filled and filled + cost > size:
                if index > start:
                    current.append((statement, parameter, items[start:index]))
                yield current
                current, filled, start = [], 0, index
            filled += cost
        current.append((statement, parameter, items[start:]))
    if current:
        yield current


@dataclass(frozen=True)
class _Columns:
    """How to read one node table's rows fast: pydantic keeps a row's values in ``__dict__``."""

    plain: tuple[str, ...]  # scalar columns (enumerations are str: equal to their text)
    dates: tuple[str, ...]  # dates, shown as ISO text in a snapshot page

    @classmethod
    def of(cls, table: str, label: str) -> _Columns:
        skip = REFERENCE_COLUMNS[table]
        dates = DATE_COLUMNS[label]
        columns = [name for name in TABLES[table].model.model_fields if name not in skip]
        return cls(tuple(c for c in columns if c not in dates), dates)

    def page_properties(self, row: Any) -> dict[str, Any]:
        """The row's properties as a snapshot page shows them (dates as text, every date key).

        Compares equal to :func:`_expected_text` of
        :func:`graphmodel.model.node_properties`, in a fraction of the time
        (tests/test_neo4j_sync.py checks it); only for comparing, not writing.
        """
        values = row.__dict__
        # None and an empty list (no alternative labels) are "not given", as in node_properties.
        shown = {
            column: values[column]
            for column in self.plain
            if values[column] is not None and values[column] != []
        }
        for column in self.dates:
            value = values[column]
            shown[column] = value.isoformat() if value is not None else None
        return shown


COLUMNS: dict[str, _Columns] = {
    label: _Columns.of(table, label) for label, table in LABEL_TABLES.items()
}


def _expected_text(label: str, properties: dict[str, Any]) -> dict[str, Any]:
    """A row's properties as a snapshot page shows them: dates as ISO text, every date key."""
    columns = DATE_COLUMNS[label]
    if not columns:
        return properties
    shown = dict(properties)
    for column in columns:
        value = shown.get(column)
        shown[column] = value.isoformat() if value is not None else None
    return shown


def _pair_rows(dataset: Dataset) -> dict[RelationshipSpec, dict[str, dict[str, dict[str, Any]]]]:
    """For the pair tables (requirements, workforce): owner -> other -> properties.

    The same relationships as :func:`graphmodel.graph.spec_relationships` gives,
    read straight from the rows (tests/test_neo4j_sync.py checks it).
    """
    grouped: dict[RelationshipSpec, dict[str, dict[str, dict[str, Any]]]] = {}
    for spec in RELATIONSHIPS:
        if spec.owner_column == "id":
            continue
        by_owner: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        for row in dataset.table(spec.table):
            values = row.__dict__
            by_owner[values[spec.owner_column]][values[spec.column]] = {
                name: plain(values[name]) for name in spec.properties if values[name] is not None
            }
        grouped[spec] = by_owner
    return grouped


def _wanted(
    spec: RelationshipSpec,
    row: Any,
    node_id: str,
    pairs: dict[RelationshipSpec, dict[str, dict[str, dict[str, Any]]]],
) -> dict[str, dict[str, Any]]:
    """The relationships of ``spec`` a row owns: other id -> properties."""
    if spec.owner_column != "id":
        return pairs[spec].get(node_id, {})
    value = getattr(row, spec.column)
    if value is None:
        return {}
    if isinstance(value, list):
        if spec.item_property is not None:  # items may carry a value: c-1@Expert
            return dict(
                spec.item(item) if ITEM_SEPARATOR in item else (item, _NO_PROPERTIES)
                for item in value
            )
        return dict.fromkeys(value, _NO_PROPERTIES)
    return {value: _NO_PROPERTIES}


def _owned_match(
    found: list[Any],
    checks: list[tuple[str, str, dict[str, dict[str, dict[str, Any]]]]],
    values: dict[str, Any],
    node_id: str,
) -> bool:
    """Whether a page row's lists hold exactly the relationships the row owns, once each.

    The lists keep only relationships ending at the right label; the owned count
    (every relationship of the owned types) must add up to them too.
    """
    listed = 0
    for position, (kind, column, pair_rows) in enumerate(checks, start=_GROUPS):
        group = found[position]
        listed += len(group)
        if kind == "scalar":
            value = values[column]
            if not (len(group) == 1 and group[0] == value if value is not None else not group):
                return False
        elif kind == "list":
            value = values[column]
            if len(group) != len(value) or (group != value and set(group) != set(value)):
                return False
        else:
            wanted = pair_rows.get(node_id, {})
            if len(group) != len(wanted) or {other: p for other, p in group} != wanted:
                return False
    return bool(found[_OWNED_COUNT] == listed)


@dataclass
class Comparison:
    """The first pass of a load: its plan so far and the nodes to read in full."""

    plan: LoadPlan
    #: label -> element id -> (id, the row's properties, the row's owned relationships
    #: per spec: other id -> properties).
    suspects: dict[str, dict[str, tuple[str, dict[str, Any], list[dict[str, dict[str, Any]]]]]]
    #: label -> element ids of removed nodes whose owned relationships need counting.
    removed_to_count: dict[str, list[str]] = field(default_factory=dict)

    def settle(
        self, label: str, details: Sequence[tuple[str, dict[str, Any], list[list[Any]]]]
    ) -> None:
        """Exact changes for suspects of ``label`` from their full records.

        ``details`` holds ``(element id, properties, owned relationships)``,
        each relationship ``[element id, type, other end's model labels,
        other end's id, properties, outgoing?]``.
        """
        plan = self.plan
        for element, properties, relationships in details:
            entry = self.suspects[label].get(element)
            if entry is None:  # a removed node whose relationships are being counted
                for relationship in relationships:
                    plan.count_relationship(relationship[1], "removed")
                continue
            node_id, wanted_properties, wanted = entry
            found_properties = {key: _native(value) for key, value in properties.items()}
            if found_properties != wanted_properties:
                plan.set_nodes.append({"element": element, "properties": wanted_properties})
                plan.count_node(label, "changed")
            remaining = [dict(group) for group in wanted]
            specs = OWNED[label]
            for relationship in relationships:
                rel_element, kind, other_labels, other_id, rel_properties, outgoing = relationship
                spec = SPEC_OF.get((label, kind, outgoing))
                position = specs.index(spec) if spec is not None else -1
                group = remaining[position] if position >= 0 else {}
                if (
                    spec is None
                    or other_labels != [spec.other_label]
                    or not isinstance(other_id, str)
                    or other_id not in group
                ):
                    plan.delete_relationships.append(rel_element)
                    plan.count_relationship(kind, "removed")
                    continue
                want = group.pop(other_id)
                if {key: _native(value) for key, value in rel_properties.items()} != want:
                    plan.set_relationships.append({"element": rel_element, "properties": want})
                    plan.count_relationship(kind, "changed")
            for position, group in enumerate(remaining):
                spec = specs[position]
                for other_id, rel_properties in group.items():
                    _create(plan, spec, node_id, other_id, rel_properties)


def _native(value: Any) -> Any:
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


def _create(
    plan: LoadPlan, spec: RelationshipSpec, owner: str, other: str, properties: dict[str, Any]
) -> None:
    source, target = (owner, other) if spec.owner_is_source else (other, owner)
    plan.create_relationships[RELATIONSHIPS.index(spec)].append(
        {"source": source, "target": target, "properties": properties}
    )
    plan.count_relationship(spec.type, "added")


def compare(dataset: Dataset, snapshot: Snapshot, *, replace: bool) -> Comparison:
    """First pass: added and removed nodes, and the suspects to read in full.

    Raises
    ------
    BackendError
        Without ``replace``, when a node outside the model (with several of the
        model's labels, say) holds an id the dataset needs: the load cannot
        create that node, and only ``replace`` removes the other.
    """
    plan = LoadPlan()
    suspects: dict[str, dict[str, tuple[str, dict[str, Any], list[dict[str, dict[str, Any]]]]]]
    suspects = {label: {} for label in LABEL_TABLES}
    pairs = _pair_rows(dataset)
    wanted_ids: dict[str, set[str]] = {label: set() for label in LABEL_TABLES}
    for table, label in NODE_LABELS.items():
        for row in dataset.table(table):
            wanted_ids[label].add(row.id)  # type: ignore[attr-defined]
    colliding = _colliding_foreign_nodes(snapshot, wanted_ids, replace, plan)
    index_of = {spec: index for index, spec in enumerate(RELATIONSHIPS)}

    for table, label in NODE_LABELS.items():
        page = snapshot.pages.get(label, {})
        specs = OWNED[label]
        columns = COLUMNS[label]
        # How each owned spec's page list is checked: against a scalar column, a list
        # column, or (requirements, workforce) the owner's pair rows.
        list_columns = TABLES[table].list_columns
        checks = [
            ("pair", spec.column, pairs[spec])
            if spec.owner_column != "id"
            else ("list" if spec.column in list_columns else "scalar", spec.column, {})
            for spec in specs
        ]
        for row in dataset.table(table):
            node_id: str = row.id  # type: ignore[attr-defined]
            found = page.get(node_id)
            if found is None:
                properties = node_properties(table, row)
                plan.create_nodes[label].append(properties)
                plan.count_node(label, "added")
                for spec in specs:
                    group = _wanted(spec, row, node_id, pairs)
                    for other, rel_properties in group.items():
                        source, target = (
                            (node_id, other) if spec.owner_is_source else (other, node_id)
                        )
                        plan.create_relationships[index_of[spec]].append(
                            {"source": source, "target": target, "properties": rel_properties}
                        )
                    plan.count_relationship(spec.type, "added", len(group))
                continue
            if not (
                found[_PROPERTIES] == columns.page_properties(row)
                and _owned_match(found, checks, row.__dict__, node_id)
                and not (colliding and _touches(specs, found[_GROUPS:], colliding))
            ):
                wanted = [_wanted(spec, row, node_id, pairs) for spec in specs]
                suspects[label][found[_ELEMENT]] = (
                    node_id,
                    node_properties(table, row),
                    wanted,
                )

    removed_to_count: dict[str, list[str]] = {}
    if replace:
        for label, page in snapshot.pages.items():
            for node_id, found in page.items():
                if node_id in wanted_ids[label]:
                    continue
                groups = found[_GROUPS:]
                plan.delete_nodes.append((found[_ELEMENT], found[_OWNED_COUNT]))
                plan.count_node(label, "removed")
                listed = sum(len(group) for group in groups)
                if listed == found[_OWNED_COUNT]:
                    for spec, group in zip(OWNED[label], groups, strict=True):
                        plan.count_relationship(spec.type, "removed", len(group))
                else:  # some end at another label: read them to count them by type
                    removed_to_count.setdefault(label, []).append(found[_ELEMENT])
        for element, kind in snapshot.unowned_relationships or []:
            plan.delete_relationships.append(element)
            plan.count_relationship(kind, "removed")
    return Comparison(plan, suspects, removed_to_count)


def _colliding_foreign_nodes(
    snapshot: Snapshot, wanted_ids: dict[str, set[str]], replace: bool, plan: LoadPlan
) -> dict[str, set[str]]:
    """Plan the removal of nodes outside the model (``replace``); the ids of those in the way.

    A node with several of the model's labels may hold an id the dataset needs
    for one of them: it is removed first, and the rows that point at that id
    are read in full, since their pages saw the old node at that id.
    """
    colliding: dict[str, set[str]] = defaultdict(set)
    for element, node_id, labels, known in snapshot.foreign_nodes or []:
        in_the_way = [
            label for label in known if isinstance(node_id, str) and node_id in wanted_ids[label]
        ]
        if in_the_way and not replace:
            raise BackendError(
                f"node {node_id!r} has the labels {', '.join(sorted(labels))}: it is not one "
                f"{in_the_way[0]} of the dataset, and the dataset needs that id; load with "
                "--replace to replace it, or remove its other labels"
            )
        if not replace:
            continue
        name = "+".join(sorted(labels)) or "(no label)"
        plan.count_node(name, "removed")
        if in_the_way:
            plan.delete_nodes_first.append(element)
            for label in in_the_way:
                colliding[label].add(node_id)
        else:
            plan.delete_nodes.append((element, 0))
    return colliding


def _touches(
    specs: Sequence[RelationshipSpec], groups: Sequence[list[Any]], ids: dict[str, set[str]]
) -> bool:
    for spec, group in zip(specs, groups, strict=True):
        wanted = ids.get(spec.other_label)
        if not wanted:
            continue
        ends: Iterator[Any]
        if spec.properties:
            ends = (entry[0] for entry in group)
        elif spec.item_property is not None:
            ends = (split_item(entry)[0] for entry in group)
        else:
            ends = iter(group)
        if any(end in wanted for end in ends):
            return True
    return False
