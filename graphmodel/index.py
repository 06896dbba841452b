"""A whole graph as compact arrays: what the explorer reads on the embedded backend.

A national graph has 130,000 nodes and a million relationships; as networkx
objects that is about a gigabyte and tens of seconds to build. The explorer
only needs names to search, and each node's relationships to count and to
page through, so :class:`GraphIndex` keeps the nodes as lists by position
and the relationships as three integer arrays, with every node's
relationships (either direction) grouped by a counting sort. It is built
once, in about a third of the time reading the dataset takes.

:class:`GraphSkeleton` is the part both backends share: nodes and
relationships by position, with the properties of the few relationships that
have any. The explorer's overview rolls it up; the embedded backend builds
its index on it.

Example
-------
>>> from graphmodel.model import Dataset, Framework, Competency
>>> index = GraphIndex.of_dataset(Dataset(
...     frameworks=[Framework(id="fw", name="Core")],
...     competencies=[Competency(id="c1", name="Talk", framework="fw")]))
>>> index.degree("fw"), [hit.id for hit in index.search("tal", None, 5)[0]]
({'IN_FRAMEWORK': 1}, ['c1'])
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

import numpy as np

from graphmodel.graph import RelationshipRecord
from graphmodel.model import (
    ITEM_SEPARATOR,
    LABEL_TABLES,
    NODE_LABELS,
    RELATIONSHIP_TYPES,
    RELATIONSHIPS,
    TABLES,
    Dataset,
    RelationshipSpec,
    Row,
    plain,
)
from graphmodel.projections import NamedNode, Neighbourhood

#: Position of each label and relationship type in the model's order (array codes).
LABEL_CODES = {label: code for code, label in enumerate(LABEL_TABLES)}
TYPE_CODES = {kind: code for code, kind in enumerate(RELATIONSHIP_TYPES)}

_WORD = re.compile(r"[^\W_]+")

_row_id = attrgetter("id")

#: One relationship type's relationships as columns: sources' ids, targets' ids, and
#: each one's properties (``None`` for a type whose relationships have none).
RelationshipColumns = tuple[Sequence[str], Sequence[str], Sequence[dict[str, Any]] | None]


def _row_name(row: Row) -> str:
    fields = row.__dict__
    return str(fields.get("name") or fields.get("title") or fields["id"])


def _item_id(
    spec: RelationshipSpec,
    item: str,
    owner: int,
    position: dict[str, int],
    code: int,
    with_properties: dict[tuple[int, int, int], dict[str, Any]],
) -> str:
    """The id a list item names; the value it carries (``c-1@Expert``) goes to
    ``with_properties`` under its relationship's (type, source, target)."""
    if ITEM_SEPARATOR not in item:
        return item
    other, carried = spec.item(item)
    end = position[other]
    with_properties[(code, owner, end) if spec.owner_is_source else (code, end, owner)] = carried
    return other


def search_words(text: str) -> list[str]:
    """The words a search looks for: runs of letters and digits, lower-cased.

    Example
    -------
    >>> search_words("Co-production, 2025!")
    ['co', 'production', '2025']
    """
    return _WORD.findall(text.lower())


@dataclass(frozen=True)
class GraphSkeleton:
    """Nodes and relationships by position.

    ``labels`` and ``types`` are codes into the model's labels and
    relationship types; ``sources`` and ``targets`` positions into ``ids``;
    ``properties`` the properties of the relationships that have any (a
    requirement's priority, a headcount), by relationship position.
    """

    ids: list[str]
    labels: np.ndarray
    names: list[str]
    sources: np.ndarray
    types: np.ndarray
    targets: np.ndarray
    properties: dict[int, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        nodes: Iterable[tuple[str, str, str]],
        relationships: Mapping[str, RelationshipColumns],
    ) -> GraphSkeleton:
        """From ``(id, label, name)`` nodes and the relationships of each type as columns.

        ``relationships[type]`` is the sources' ids, the targets' ids and (for
        a type whose relationships have properties) each one's properties;
        columns are what a database sends fastest. The skeleton is in its
        canonical order whatever the input's order, so both backends give the
        same one. Relationships whose ends are not among the nodes are left out.
        """
        ordered = sorted(nodes, key=lambda node: (LABEL_CODES[node[1]], node[0]))
        ids = [node_id for node_id, _, _ in ordered]
        position = {node_id: number for number, node_id in enumerate(ids)}
        parts: list[np.ndarray] = []
        given: dict[tuple[int, int, int], dict[str, Any]] = {}
        for kind, (sources, targets, properties) in relationships.items():
            code = TYPE_CODES[kind]
            found = np.array(
                [
                    (position[source], position[target])
                    for source, target in zip(sources, targets, strict=True)
                    if source in position and target in position
                ],
                dtype=np.int64,
            ).reshape(-1, 2)
            parts.append(np.column_stack((np.full(len(found), code), found)))
            for source, target, values in zip(sources, targets, properties or (), strict=False):
                if values and source in position and target in position:
                    given[(code, position[source], position[target])] = values
        columns = np.concatenate(parts) if parts else np.zeros((0, 3), dtype=np.int64)
        columns = columns[np.lexsort((columns[:, 2], columns[:, 1], columns[:, 0]))]
        return cls(
            ids,
            np.array([LABEL_CODES[label] for _, label, _ in ordered], dtype=np.int8),
            [name for _, _, name in ordered],
            columns[:, 1].astype(np.int32),
            columns[:, 0].astype(np.int8),
            columns[:, 2].astype(np.int32),
            {
                number: given[key]
                for number, key in enumerate(map(tuple, columns.tolist()))
                if key in given
            },
        )

    def __len__(self) -> int:
        return len(self.ids)


class GraphIndex:
    """A graph's nodes, names and relationships in arrays, for search and neighbours.

    Parameters
    ----------
    skeleton
        The nodes and relationships.
    rows
        Each node's dataset row and table, by position, for its properties.
    """

    def __init__(self, skeleton: GraphSkeleton, rows: Sequence[tuple[str, Row]]) -> None:
        self.skeleton = skeleton
        self.rows = rows
        self.position = {node_id: number for number, node_id in enumerate(skeleton.ids)}
        count = len(skeleton)
        # Every relationship once from each end, grouped by node (a counting sort).
        ends = np.concatenate([skeleton.sources, skeleton.targets])
        self._incident = np.argsort(ends, kind="stable").astype(np.int32) % max(
            len(skeleton.sources), 1
        )
        self._offsets = np.zeros(count + 1, dtype=np.int64)
        np.cumsum(np.bincount(ends, minlength=count), out=self._offsets[1:])
        self._lowered = [name.lower() for name in skeleton.names]
        self._lowered_ids = [node_id.lower() for node_id in skeleton.ids]

    @classmethod
    def of_dataset(cls, dataset: Dataset) -> GraphIndex:
        """Index a validated dataset, its relationships read straight from the rows.

        This gives the skeleton :meth:`GraphSkeleton.build` would (the same
        order), without making a million tuples of ids on the way.
        """
        rows: list[tuple[str, Row]] = []
        for table in NODE_LABELS:
            rows.extend((table, row) for row in sorted(dataset.table(table), key=_row_id))
        ids = [_row_id(row) for _, row in rows]
        position = {node_id: number for number, node_id in enumerate(ids)}
        ends: list[np.ndarray] = []
        codes: list[np.ndarray] = []
        with_properties: dict[tuple[int, int, int], dict[str, Any]] = {}
        for spec in RELATIONSHIPS:
            owner_of, other_of = attrgetter(spec.owner_column), attrgetter(spec.column)
            table_rows = dataset.table(spec.table)
            owners = np.fromiter(
                (position[owner_of(row)] for row in table_rows), np.int32, len(table_rows)
            )
            if spec.column in TABLES[spec.table].list_columns:
                lists = [other_of(row) for row in table_rows]
                lengths = np.fromiter(map(len, lists), np.int64, len(lists))
                owners = np.repeat(owners, lengths)
                if spec.item_property is not None:
                    # An item may carry a value (c-1@Expert): its relationship's property.
                    code = TYPE_CODES[spec.type]
                    lists = [
                        [
                            _item_id(
                                spec, item, position[owner_of(row)], position, code, with_properties
                            )
                            for item in items
                        ]
                        for row, items in zip(table_rows, lists, strict=True)
                    ]
                others = np.fromiter(
                    (position[other] for items in lists for other in items), np.int32, len(owners)
                )
            else:
                values = [other_of(row) for row in table_rows]
                owners = owners[np.fromiter((v is not None for v in values), bool, len(values))]
                others = np.fromiter(
                    (position[v] for v in values if v is not None), np.int32, len(owners)
                )
            found = np.column_stack((owners, others) if spec.owner_is_source else (others, owners))
            ends.append(found)
            codes.append(np.full(len(found), TYPE_CODES[spec.type], dtype=np.int8))
            for row in table_rows if spec.properties else ():
                owner, other = position[owner_of(row)], position[other_of(row)]
                ends_of = (owner, other) if spec.owner_is_source else (other, owner)
                with_properties[(TYPE_CODES[spec.type], *ends_of)] = {
                    name: plain(value)
                    for name in spec.properties
                    if (value := getattr(row, name)) is not None
                }
        pairs_array = np.concatenate(ends) if ends else np.zeros((0, 2), dtype=np.int32)
        types = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int8)
        order = np.lexsort((pairs_array[:, 1], pairs_array[:, 0], types))
        sources = np.ascontiguousarray(pairs_array[order, 0])
        types, targets = types[order], np.ascontiguousarray(pairs_array[order, 1])
        properties: dict[int, dict[str, Any]] = {}
        for code in {code for code, _, _ in with_properties}:
            for number in np.flatnonzero(types == code):
                given = with_properties.get((code, int(sources[number]), int(targets[number])))
                if given is not None:
                    properties[int(number)] = given
        skeleton = GraphSkeleton(
            ids,
            np.array([LABEL_CODES[NODE_LABELS[table]] for table, _ in rows], dtype=np.int8),
            [_row_name(row) for _, row in rows],
            sources,
            types,
            targets,
            properties,
        )
        return cls(skeleton, rows)

    # -- lookups ----------------------------------------------------------------

    def __contains__(self, node_id: object) -> bool:
        return node_id in self.position

    def named(self, number: int) -> NamedNode:
        """The node at a position, with its label and name."""
        skeleton = self.skeleton
        label = list(LABEL_TABLES)[skeleton.labels[number]]
        return NamedNode(skeleton.ids[number], label, skeleton.names[number])

    def incident(self, node_id: str) -> np.ndarray:
        """Positions of the relationships at a node, either direction."""
        number = self.position[node_id]
        return self._incident[self._offsets[number] : self._offsets[number + 1]]

    def degree(self, node_id: str) -> dict[str, int]:
        """How many relationships of each type the node has, either direction (types it has)."""
        counts = np.bincount(self.skeleton.types[self.incident(node_id)], minlength=len(TYPE_CODES))
        return {kind: int(counts[code]) for kind, code in TYPE_CODES.items() if counts[code]}

    def relationship(self, number: int) -> RelationshipRecord:
        """The relationship at a position, with its properties."""
        skeleton = self.skeleton
        return RelationshipRecord(
            skeleton.ids[skeleton.sources[number]],
            RELATIONSHIP_TYPES[skeleton.types[number]],
            skeleton.ids[skeleton.targets[number]],
            dict(skeleton.properties.get(number, {})),
        )

    def relationships_of(self, ids: Sequence[str]) -> list[RelationshipRecord]:
        """Every relationship at any of the nodes (unknown ids skipped), each once, sorted
        by (source, type, target)."""
        present = [node for node in set(ids) if node in self.position]
        if not present:
            return []
        edges = np.unique(np.concatenate([self.incident(node) for node in present]))
        found = {
            (record.source, record.type, record.target): record
            for record in (self.relationship(int(edge)) for edge in edges)
        }
        return [found[key] for key in sorted(found)]

    def neighbours(
        self,
        node_id: str,
        types: Sequence[str] | None,
        labels: Sequence[str] | None,
        limit: int,
        offset: int,
    ) -> Neighbourhood:
        """The node's neighbours (either direction) by id, a page of them, and their links.

        ``types`` and ``labels`` keep relationships of those types to nodes
        of those labels (``None``: all). ``total`` counts every neighbour that
        passes; the relationships are those between the node and the page.
        """
        skeleton = self.skeleton
        number = self.position[node_id]
        edges = self.incident(node_id)
        others = np.where(
            skeleton.sources[edges] == number, skeleton.targets[edges], skeleton.sources[edges]
        )
        keep = np.ones(len(edges), dtype=bool)
        if types is not None:
            keep &= np.isin(skeleton.types[edges], [TYPE_CODES[kind] for kind in types])
        if labels is not None:
            keep &= np.isin(skeleton.labels[others], [LABEL_CODES[label] for label in labels])
        edges, others = edges[keep], others[keep]
        distinct = sorted({int(other) for other in others}, key=lambda other: skeleton.ids[other])
        page = distinct[offset : offset + limit]
        shown = set(page)
        relationships = sorted(
            (
                self.relationship(int(edge))
                for edge, other in zip(edges, others, strict=True)
                if int(other) in shown
            ),
            key=lambda r: (r.source, r.type, r.target),
        )
        return Neighbourhood([self.named(other) for other in page], relationships, len(distinct))

    def search(
        self, text: str, labels: Sequence[str] | None, limit: int
    ) -> tuple[list[NamedNode], int]:
        """Nodes answering a search, best first, and how many there are.

        Rank 0: the id is the (stripped) text. Otherwise every one of
        :func:`search_words` must be in the name or the id, in any order (case
        ignored; a text with none matches ids only): the rank is 1 when the
        name is the text (case ignored), 2 when it starts with it, 3 when the
        name holds every word, 4 when some are only in the id (``inquiry``
        finds ``dr-inquiry-report``); ties go by id.
        ``cypher/search_nodes.cypher`` is the same rule on Neo4j.
        """
        text = text.strip()
        wanted, words = text.lower(), search_words(text)
        lowered, ids = self._lowered, self.skeleton.ids
        exact = self.position.get(text)
        hits: list[int] = []
        named: set[int] = set()
        if words:
            # Scan names and ids for the longest word (usually the rarest), then check the rest.
            lowered_ids = self._lowered_ids
            first = max(words, key=len)
            hits = [n for n, name in enumerate(lowered) if first in name or first in lowered_ids[n]]
            hits = [n for n in hits if all(w in lowered[n] or w in lowered_ids[n] for w in words)]
            named = {n for n in hits if all(word in lowered[n] for word in words)}
        if labels is not None:
            codes = [LABEL_CODES[label] for label in labels]
            keep = np.isin(self.skeleton.labels[hits], codes)
            hits = [n for n, kept in zip(hits, keep.tolist(), strict=True) if kept]
            if exact is not None and self.skeleton.labels[exact] not in codes:
                exact = None
        # Most hits rank 3 (a word inside the name): only the few best of them are
        # sorted, by id, after the exact id, exact names and prefixes.
        first_ranks = [
            n for n in hits if n != exact and n in named and lowered[n].startswith(wanted)
        ]
        named_as = sorted((n for n in first_ranks if lowered[n] == wanted), key=ids.__getitem__)
        prefixed = sorted((n for n in first_ranks if lowered[n] != wanted), key=ids.__getitem__)
        best = [*([exact] if exact is not None else []), *named_as, *prefixed]
        shown = set(best)
        # Names holding every word (rank 3) before ids holding some of them (rank 4).
        others = heapq.nsmallest(
            max(limit - len(best), 0),
            (n for n in hits if n not in shown),
            key=lambda n: (n not in named, ids[n]),
        )
        total = len(hits) + (exact is not None and exact not in hits)
        return [self.named(number) for number in [*best, *others][:limit]], total
