"""Read and write a dataset as a GraphML file (networkx's GraphML reader and writer).

GraphML holds the dataset as the graph it is (the same nodes and
relationships the backends hold), so it opens in Gephi, yEd, Cytoscape or
networkx, and it reads back as a dataset through the same rules as every
other format.

Encoding (documented in docs/data-and-loading.md):

- one ``<node>`` per node, its GraphML id the dataset id; data key ``type``
  is the label (``Competency``, ``TrainingEvent``, ...); every other data key
  is a column of the node's table (``name``, ``status``, ``places`` ...),
  absent when the cell is empty;
- one ``<edge>`` per relationship, in the order the dataset gives them, with
  ids ``e0``, ``e1``, ...; data key ``type`` is the relationship type
  (``COVERS``); ``REQUIRES`` carries ``priority`` (and ``level`` where
  given), ``COVERS`` carries ``level`` where the item gives one
  (``c-1@Expert``), and ``EMPLOYS`` carries ``headcount``;
- list columns (``targets``, ``covers``, ``partners`` ...) are not
  properties: each id in the list is one edge, in list order;
- a competency's ``alt_labels`` and a framework's ``levels`` are one text
  property, separated by ``;`` as in a CSV cell;
- dates are ISO ``YYYY-MM-DD`` strings (GraphML has no date type); whole
  numbers are ``int``, money is ``double``, enumerations their text.

Reading keeps the order of the nodes and (by edge id) of the edges, so a
dataset exported to GraphML reads back equal to itself, rows and lists in
the same order.

Example
-------
>>> import tempfile, pathlib
>>> from graphmodel.model import Dataset, Framework, Competency
>>> dataset = Dataset(frameworks=[Framework(id="fw", name="Core")],
...                   competencies=[Competency(id="c1", name="Talk", framework="fw")])
>>> path = pathlib.Path(tempfile.mkdtemp()) / "exercise.graphml"
>>> write_graphml(dataset, path)
>>> read_graphml(path) == dataset
True
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from graphmodel.errors import GraphModelError, Location
from graphmodel.graph import (
    NodeRecord,
    RelationshipRecord,
    dataset_from_graph,
    dataset_nodes,
    dataset_relationships,
)
from graphmodel.io.formats import GRAPHML_SUFFIXES as GRAPHML_SUFFIXES
from graphmodel.io.raw import DEFAULT_PROBLEM_CAP, ProblemLog
from graphmodel.model import LABEL_TABLES, RELATIONSHIP_TYPES, RELATIONSHIPS, Dataset
from graphmodel.suggest import did_you_mean

#: The data key holding a node's label and an edge's relationship type.
TYPE_KEY = "type"

_EDGE_ID = re.compile(r"e(\d+)")
# Characters XML 1.0 cannot hold at all (the standard library writes them
# anyway, and the file then cannot be read back).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _graphml_value(value: Any) -> Any:
    """A property value as GraphML can type it: dates become ISO text, a list of
    labels (``alt_labels``) its cell text ``a;b``, which reads back as the list."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(value)
    return value


def records_graph(
    nodes: Iterable[NodeRecord], relationships: Iterable[RelationshipRecord]
) -> nx.MultiDiGraph:
    """Nodes and relationships as a GraphML-ready ``MultiDiGraph`` (see the module docstring).

    Unlike the embedded backend's graph, edge keys are unique edge ids
    (``e0``, ``e1`` ...) with the type as data, and dates are text.
    """
    graph = nx.MultiDiGraph()
    for node in nodes:
        # By name, so that the same nodes give the same file whatever order a
        # backend kept their properties in.
        properties = {
            name: _graphml_value(value)
            for name, value in sorted(node.properties.items())
            if name != "id"
        }
        graph.add_node(node.id, **{TYPE_KEY: node.label}, **properties)
    for index, relationship in enumerate(relationships):
        graph.add_edge(
            relationship.source,
            relationship.target,
            key=f"e{index}",
            **{TYPE_KEY: relationship.type},
            **relationship.properties,
        )
    return graph


def dataset_graph(dataset: Dataset) -> nx.MultiDiGraph:
    """The dataset as a GraphML-ready ``MultiDiGraph`` (see :func:`records_graph`)."""
    return records_graph(dataset_nodes(dataset), dataset_relationships(dataset))


def _check_xml(graph: nx.MultiDiGraph, where: str) -> None:
    """Refuse a text property XML cannot hold (a control character), naming the node."""
    for node_id, attributes in graph.nodes(data=True):
        for name, value in attributes.items():
            if isinstance(value, str) and (bad := _NOT_XML.search(value)):
                raise GraphModelError(
                    f"{where}: node {node_id!r} {name} holds the control character "
                    f"U+{ord(bad.group()):04X}, which GraphML (XML) cannot store; remove it"
                )


def write_graphml(dataset: Dataset, out: Path) -> None:
    """Write ``dataset`` to ``out`` as GraphML (UTF-8).

    Raises
    ------
    GraphModelError
        When a text cell holds a control character XML cannot store.
    """
    graph = dataset_graph(dataset)
    _check_xml(graph, str(out))
    nx.write_graphml(graph, out, infer_numeric_types=True)


def graphml_text(
    nodes: Iterable[NodeRecord], relationships: Iterable[RelationshipRecord], where: str
) -> str:
    """Some nodes and relationships as a GraphML document (the explorer's export).

    Raises
    ------
    GraphModelError
        When a text property holds a control character XML cannot store.
    """
    graph = records_graph(nodes, relationships)
    _check_xml(graph, where)
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, infer_numeric_types=True)
    return buffer.getvalue().decode("utf-8")


def _edge_order(key: Any, position: int) -> tuple[int, int]:
    """Edges written by graphmodel sort by their id; others keep the reader's order."""
    match = _EDGE_ID.fullmatch(str(key))
    return (0, int(match.group(1))) if match else (1, position)


def read_graphml(path: Path, *, max_problems: int = DEFAULT_PROBLEM_CAP) -> Dataset:
    """Read and validate a dataset from a GraphML file.

    Problems are located as ``FILE:node ID:key`` or ``FILE:edge ID:key``
    for the graph's shape (unknown node or relationship types, a
    relationship between the wrong kinds of node, unknown edge data), and
    as ``FILE Label:ID:column`` for the dataset rules on the rebuilt rows.

    Raises
    ------
    DatasetError
        When the file is not GraphML or the graph breaks a dataset rule.
    """
    source = str(path)
    log = ProblemLog(max_problems)
    try:
        with warnings.catch_warnings():
            # networkx warns (on stderr) about a key without a declared type
            # and reads its values as text, which the dataset rules then check.
            warnings.simplefilter("ignore", UserWarning)
            graph = nx.read_graphml(path, force_multigraph=True)
    except ElementTree.ParseError as error:
        log.add(Location(source, str(error.position[0])), f"invalid XML: {error.msg}")
    except (nx.NetworkXError, ValueError, KeyError, TypeError, LookupError) as error:
        # networkx reports a GraphML feature it cannot read (hyperedges, an
        # unknown attr.type, a value its declared type cannot parse) this way;
        # the XML parser raises LookupError for an unknown declared encoding.
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        log.add(Location(source), f"not a readable GraphML graph: {reason}")
    log.raise_if_any()
    if not graph.is_directed():
        log.add(Location(source), "the graph is undirected; relationships need a direction")
        log.raise_if_any()

    label_of: dict[str, str] = {}
    nodes: list[NodeRecord] = []
    for node_id, data in graph.nodes(data=True):
        where = f"node {node_id}"
        properties = dict(data)
        label = properties.pop(TYPE_KEY, None)
        if label is None:
            log.add(Location(source, where, TYPE_KEY), "node has no type (its label)")
            continue
        if label not in LABEL_TABLES:
            log.add(
                Location(source, where, TYPE_KEY),
                f"unknown node type {label!r}" + did_you_mean(str(label), LABEL_TABLES),
            )
            continue
        given_id = properties.pop("id", node_id)
        if str(given_id) != node_id:
            log.add(
                Location(source, where, "id"),
                f"data id {given_id!r} differs from the node's GraphML id {node_id!r}",
            )
        label_of[node_id] = label
        nodes.append(NodeRecord(node_id, label, {"id": node_id, **properties}))

    specs = {(spec.type, spec.source_label, spec.target_label): spec for spec in RELATIONSHIPS}
    edges = sorted(
        enumerate(graph.edges(keys=True, data=True)),
        key=lambda item: _edge_order(item[1][2], item[0]),
    )
    relationships: list[RelationshipRecord] = []
    for _, (start, end, key, data) in edges:
        where = f"edge {key} ({start} -> {end})"
        properties = dict(data)
        kind = properties.pop(TYPE_KEY, None)
        if kind is None:
            log.add(Location(source, where, TYPE_KEY), "edge has no type (its relationship type)")
            continue
        if kind not in RELATIONSHIP_TYPES:
            log.add(
                Location(source, where, TYPE_KEY),
                f"unknown relationship type {kind!r}" + did_you_mean(str(kind), RELATIONSHIP_TYPES),
            )
            continue
        if start not in label_of or end not in label_of:
            continue  # the node's own problem is reported already
        spec = specs.get((kind, label_of[start], label_of[end]))
        if spec is None:
            allowed = sorted(
                f"{s.source_label} -> {s.target_label}" for s in RELATIONSHIPS if s.type == kind
            )
            log.add(
                Location(source, where, TYPE_KEY),
                f"a {kind} relationship cannot go from a {label_of[start]} to a "
                f"{label_of[end]} (allowed: {', '.join(allowed)})",
            )
            continue
        allowed_properties = [*spec.properties, *filter(None, [spec.item_property])]
        for name in properties:
            if name not in allowed_properties:
                log.add(
                    Location(source, where, name),
                    f"unknown {kind} property"
                    + (
                        did_you_mean(name, allowed_properties)
                        if allowed_properties
                        else f"; {kind} has none"
                    ),
                )
        relationships.append(RelationshipRecord(start, kind, end, properties))
    log.raise_if_any()
    return dataset_from_graph(nodes, relationships, source, ordered=True)
