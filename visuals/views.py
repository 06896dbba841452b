"""Network views: which nodes and relationships a view draws, and what it highlights.

A view is made in two steps. A *mode* chooses the nodes and relationships and
marks some of them (a gap, a duplicate pair, a driver's candidates);
:mod:`graphmodel.visuals.render` then lays the view out and writes one
self-contained HTML page. Modes read the graph through :class:`GraphData` and
the analyses' JSON documents (``gaps``, ``find_duplicates(...).to_json()``,
``driver_reach(...).to_json()``), so a mode is only "which nodes, which
relationships, what highlighting", and every analysis stays written once.

Example
-------
>>> graph = GraphData(
...     [NodeRecord("a", "Profession", {"id": "a", "name": "Nurse"}),
...      NodeRecord("b", "Competency", {"id": "b", "name": "Listening"}),
...      NodeRecord("c", "Competency", {"id": "c", "name": "Recording"})],
...     [RelationshipRecord("a", "REQUIRES", "b"), RelationshipRecord("b", "PART_OF", "c")])
>>> view = focus_view(graph, "a", depth=1)
>>> [node.id for node in view.nodes], [(e.source, e.type, e.target) for e in view.edges]
(['a', 'b'], [('a', 'REQUIRES', 'b')])
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import textwrap
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from graphmodel.analysis.requests import CoverageFilters, OptionSpec, Threshold
from graphmodel.errors import GraphModelError, NotFoundError
from graphmodel.graph import NodeRecord, RelationshipRecord
from graphmodel.marks import LINKS, MARKS
from graphmodel.model import LABEL_TABLES, NODE_LABELS, TABLES
from graphmodel.projections import RequirementEdge
from graphmodel.suggest import did_you_mean
from graphmodel.wording import number

#: Node labels in the model's order (the legend's order).
LABELS: tuple[str, ...] = tuple(NODE_LABELS.values())

#: Most nodes a view draws before competencies are rolled up to their areas
#: (and, if that is not enough, the view is refused). Measured in
#: bench/views.py: at 5,000 nodes (about 40,000 relationships) headless
#: Chromium shows the first stable frame in 3.4 s and redraws in 0.2 s; at
#: 10,000 nodes the first frame takes 5.7 s. See docs/views.md.
NODE_LIMIT = 5_000

#: Relationship types the initiative-centred modes draw between their nodes.
INITIATIVE_TYPES = frozenset(
    {"ADDRESSES", "TARGETS", "RESPONDS_TO", "LEADS", "PARTNER_IN", "BUILDS_ON"}
)

MarkTarget = Literal["node", "edge"]


def _legend(word: str) -> str:
    """A mark's legend text as the views' legends start it: ``gap: a required ...``."""
    return f"{word}: {MARKS[word].text}"


def _fill(word: str) -> str:
    """A mark's colour in a view: its fill (its outline for a mark that keeps the type's)."""
    return MARKS[word].fill or MARKS[word].outline


class ViewTooLargeError(GraphModelError):
    """A view holds more nodes than a browser shows in reasonable time."""

    exit_code = 2


@dataclass(frozen=True)
class Mark:
    """A highlight a mode uses, with what the legend says about it.

    Marks listed first win when rolled-up relationships or nodes carry
    several.
    """

    key: str
    text: str
    colour: str
    target: MarkTarget
    dashes: bool = False


@dataclass(frozen=True)
class ViewNode:
    """A node of a view: its id, its highlight and lines the mode adds to its tooltip."""

    id: str
    mark: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ViewEdge:
    """A relationship of a view (a graph relationship or one a mode draws).

    ``text`` is drawn on the edge (a score); ``width`` scales its line;
    ``properties`` are the relationship's own (``priority``, ``headcount``);
    a relationship that is not ``directed`` (a duplicate pair) has no arrow.
    """

    source: str
    type: str
    target: str
    mark: str | None = None
    text: str | None = None
    width: float = 1.0
    notes: tuple[str, ...] = ()
    properties: Mapping[str, Any] = field(default_factory=dict)
    directed: bool = True


@dataclass(frozen=True)
class View:
    """Everything a page shows: nodes, relationships, highlights and what it is.

    ``anchors`` are nodes the mode is about (the focus, the driver): a type
    filter keeps them. ``selected`` is selected when the page opens.
    """

    title: str
    description: str
    nodes: tuple[ViewNode, ...]
    edges: tuple[ViewEdge, ...]
    marks: tuple[Mark, ...] = ()
    anchors: frozenset[str] = frozenset()
    selected: str | None = None
    notes: tuple[str, ...] = ()

    def only_types(self, graph: GraphData, labels: Iterable[str]) -> View:
        """The view with only nodes of ``labels`` (and the anchors), and their relationships."""
        wanted = set(labels)
        keep = {
            node.id
            for node in self.nodes
            if graph.label(node.id) in wanted or node.id in self.anchors
        }
        return dataclasses.replace(
            self,
            nodes=tuple(node for node in self.nodes if node.id in keep),
            edges=tuple(e for e in self.edges if e.source in keep and e.target in keep),
            notes=(*self.notes, "Only " + ", ".join(sorted(wanted)) + " nodes."),
        )

    def mark_rank(self, key: str | None) -> int:
        """Order of a mark (listed first: lowest); unmarked after every mark."""
        keys = [mark.key for mark in self.marks]
        return keys.index(key) if key in keys else len(keys)


class GraphData:
    """The nodes and relationships views are drawn from, with their neighbours.

    Parameters
    ----------
    nodes, relationships
        A graph, usually the whole of a backend's (:meth:`read`).
    """

    def __init__(
        self, nodes: Iterable[NodeRecord], relationships: Iterable[RelationshipRecord]
    ) -> None:
        self.nodes: dict[str, NodeRecord] = {node.id: node for node in nodes}
        self.relationships: list[RelationshipRecord] = sorted(
            (r for r in relationships if r.source in self.nodes and r.target in self.nodes),
            key=lambda r: (r.source, r.type, r.target),
        )
        self.outgoing: dict[str, list[RelationshipRecord]] = defaultdict(list)
        self.incoming: dict[str, list[RelationshipRecord]] = defaultdict(list)
        for relationship in self.relationships:
            self.outgoing[relationship.source].append(relationship)
            self.incoming[relationship.target].append(relationship)

    @classmethod
    def read(cls, backend: Any) -> GraphData:
        """Every node and relationship of a backend (a ``GraphBackend``)."""
        return cls(backend.nodes(), backend.relationships())

    @classmethod
    def around(cls, backend: Any, start: str, depth: int) -> GraphData:
        """The part of a backend's graph a view of ``depth`` around ``start`` needs.

        Every relationship of every node within ``depth`` of ``start`` (read
        level by level with ``relationships_of``, so a focused view of a
        national database reads only its neighbourhood), and the nodes at
        their ends, whose names the tooltips give.
        """
        found = {start}
        frontier = {start}
        expanded: set[str] = set()
        relationships: dict[tuple[str, str, str], RelationshipRecord] = {}
        for _ in range(depth + 1):
            if not frontier:
                break
            expanded |= frontier
            reached: set[str] = set()
            for r in backend.relationships_of(sorted(frontier)):
                relationships[(r.source, r.type, r.target)] = r
                reached.update((r.source, r.target))
            frontier = reached - found
            found |= reached
        # The PART_OF chains up to the areas, which a rolled-up view draws (with
        # their whole tooltips).
        while (
            pending := {r.target for r in relationships.values() if r.type == "PART_OF"} - expanded
        ):
            expanded |= pending
            for r in backend.relationships_of(sorted(pending)):
                relationships[(r.source, r.type, r.target)] = r
                found.update((r.source, r.target))
        return cls(backend.nodes_by_id(sorted(found)), relationships.values())

    def label(self, node: str) -> str:
        """The node's label (its type)."""
        return self.nodes[node].label

    def name(self, node: str) -> str:
        """The node's name, or its title, or its id."""
        properties = self.nodes[node].properties
        return str(properties.get("name") or properties.get("title") or node)

    def check_known(self, node: str, what: str = "node") -> None:
        """Raise :class:`NotFoundError`, with the closest ids, for an unknown id."""
        if node not in self.nodes:
            raise NotFoundError(f"unknown {what} {node!r}" + did_you_mean(node, self.nodes))

    def distances(self, start: str, depth: int) -> dict[str, int]:
        """Every node within ``depth`` relationships of ``start``, in either direction.

        Returns each node's hop count (``start`` itself 0).
        """
        found = {start: 0}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            hops = found[node]
            if hops == depth:
                continue
            for r in self.outgoing.get(node, ()):
                if r.target not in found:
                    found[r.target] = hops + 1
                    queue.append(r.target)
            for r in self.incoming.get(node, ()):
                if r.source not in found:
                    found[r.source] = hops + 1
                    queue.append(r.source)
        return found

    def among(
        self, ids: Iterable[str], types: Iterable[str] | None = None
    ) -> list[RelationshipRecord]:
        """The relationships (of ``types``, or any) with both ends in ``ids``."""
        keep = set(ids)
        allowed = None if types is None else set(types)
        return [
            r
            for node in sorted(keep)
            for r in self.outgoing.get(node, ())
            if r.target in keep and (allowed is None or r.type in allowed)
        ]

    def area(self, competency: str) -> str:
        """The top of a competency's PART_OF chain (itself when it has no parent)."""
        seen = {competency}
        current = competency
        while True:
            parents = [r.target for r in self.outgoing.get(current, ()) if r.type == "PART_OF"]
            if not parents or parents[0] in seen:
                return current
            current = parents[0]
            seen.add(current)

    def details(self, node: str, per_type: int = 3) -> list[str]:
        """Tooltip lines: the node's fields, then its relationships by type with names."""
        record = self.nodes[node]
        # The table's column order, whatever order the backend gave the properties in.
        columns = TABLES[LABEL_TABLES[record.label]].columns
        lines = [
            f"{key.replace('_', ' ')}: {_text(record.properties[key])}"
            for key in sorted(
                record.properties,
                key=lambda k: (k not in columns, columns.index(k) if k in columns else 0, k),
            )
            if key not in ("id", "name", "title", "description")
            and record.properties[key] is not None
        ]
        description = record.properties.get("description")
        if description:
            lines.append(textwrap.shorten(str(description), 220, placeholder=" ..."))
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for r in self.outgoing.get(node, ()):
            groups[(r.type, "\u2192")].append(r.target)
        for r in self.incoming.get(node, ()):
            groups[(r.type, "\u2190")].append(r.source)
        for (kind, arrow), others in sorted(groups.items()):
            names = ", ".join(self.name(other) for other in others[:per_type])
            more = f" +{len(others) - per_type} more" if len(others) > per_type else ""
            lines.append(f"{kind} {arrow} {len(others)}: {names}{more}")
        return lines


def _text(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):  # alternative labels
        return "; ".join(str(item) for item in value)
    if isinstance(value, float):
        return f"{value:,.0f}" if value >= 1000 else f"{value:g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _edges(
    graph: GraphData, ids: Iterable[str], types: Iterable[str] | None = None
) -> list[ViewEdge]:
    return [
        ViewEdge(r.source, r.type, r.target, properties=r.properties)
        for r in graph.among(ids, types)
    ]


# -- modes -----------------------------------------------------------------------


def whole_view(graph: GraphData) -> View:
    """Every node and relationship."""
    ids = sorted(graph.nodes)
    return View(
        title="Whole network",
        description=f"Every node and relationship: {len(ids):,} nodes.",
        nodes=tuple(ViewNode(node) for node in ids),
        edges=tuple(_edges(graph, ids)),
    )


FOCUS_MARK = Mark("focus", _legend("focus"), MARKS["focus"].outline, "node")


def focus_view(graph: GraphData, focus: str, depth: int) -> View:
    """Exactly the nodes within ``depth`` relationships of ``focus`` (either direction).

    Raises
    ------
    NotFoundError
        For an id that is in no node (with the closest ids).
    """
    graph.check_known(focus)
    distances = graph.distances(focus, depth)
    ids = sorted(distances)
    name = graph.name(focus)
    return View(
        title=f"Around {name}",
        description=(
            f"The {len(ids) - 1:,} nodes within {depth} relationship{'s' if depth != 1 else ''} "
            f"of {name} ({focus}), in either direction."
        ),
        nodes=tuple(
            ViewNode(
                node,
                mark="focus" if node == focus else None,
                notes=() if node == focus else (f"{distances[node]} hop(s) from {focus}",),
            )
            for node in ids
        ),
        edges=tuple(_edges(graph, ids)),
        marks=(FOCUS_MARK,),
        anchors=frozenset({focus}),
        selected=focus,
    )


GAP_MARKS = (
    Mark("gap", _legend("gap"), _fill("gap"), "edge"),
    Mark("covered", _legend("covered"), MARKS["covered"].outline, "edge"),
    Mark("gap-node", "Has at least one gap", _fill("gap"), "node"),
)


def gaps_view(
    graph: GraphData, gaps: Mapping[str, Any], requirements: Sequence[RequirementEdge]
) -> View:
    """Professions and the competencies they require: gaps red, covered requirements grey.

    Parameters
    ----------
    gaps
        The document :func:`graphmodel.analysis.coverage.gaps` returns.
    requirements
        The requirements that document considered (the same filters), so
        every requirement that is not a gap is covered.

    Competencies come with the chain of areas above them (PART_OF), so a
    gap shows where in the framework it sits. A gap's line is wider the
    more severe it is.
    """
    found = {(g["profession"], g["competency"]): g for g in gaps["gaps"]}
    worst = max((g["severity"] for g in found.values()), default=1.0) or 1.0
    edges: list[ViewEdge] = []
    gap_count: Counter[str] = Counter()
    required: Counter[str] = Counter()
    severity: Counter[str] = Counter()
    for requirement in requirements:
        key = (requirement.profession, requirement.competency)
        required.update(key)
        gap = found.get(key)
        if gap is None:
            edges.append(
                ViewEdge(
                    *(requirement.profession, "REQUIRES", requirement.competency),
                    mark="covered",
                    properties={"priority": requirement.priority.value},
                )
            )
            continue
        gap_count.update(key)
        severity[requirement.profession] += gap["severity"]
        edges.append(
            ViewEdge(
                *(requirement.profession, "REQUIRES", requirement.competency),
                mark="gap",
                width=1.5 + 3.5 * gap["severity"] / worst,
                notes=(
                    f"gap, severity {number(gap['severity'])} "
                    f"({gap['priority']} x headcount {gap['headcount']:,})",
                ),
                properties={"priority": requirement.priority.value},
            )
        )
    competencies = {r.competency for r in requirements}
    areas: set[str] = set()
    for competency in competencies:
        current = competency
        while True:
            parents = [r.target for r in graph.outgoing.get(current, ()) if r.type == "PART_OF"]
            if not parents or parents[0] in areas or parents[0] in competencies:
                break
            current = parents[0]
            areas.add(current)
    professions = {r.profession for r in requirements}
    ids = sorted(professions | competencies | areas)
    edges += _edges(graph, ids, ["PART_OF"])
    nodes = []
    for node in ids:
        if node in professions:
            notes: tuple[str, ...] = (
                f"gaps: {gap_count[node]} of {required[node]} requirements"
                + (f", total severity {number(severity[node])}" if gap_count[node] else ""),
            )
        elif node in competencies:
            notes = (f"a gap for {gap_count[node]} of {required[node]} professions requiring it",)
        else:
            notes = ("area above required competencies",)
        nodes.append(ViewNode(node, mark="gap-node" if gap_count[node] else None, notes=notes))
    summary = gaps["summary"]
    return View(
        title="Training gaps",
        description=(
            f"{summary['gaps']:,} gaps among {summary['requirements']:,} requirements "
            f"of {len(professions):,} professions: red lines are requirements the "
            "profession's active training does not cover, thicker when more severe."
        ),
        nodes=tuple(nodes),
        edges=tuple(sorted(edges, key=lambda e: (e.source, e.type, e.target))),
        marks=GAP_MARKS,
    )


DUPLICATE_MARKS = (
    Mark(
        "duplicate",
        "Possible duplicate pair (score drawn on the line)",
        LINKS["SIMILAR_TO"].colour,
        "edge",
        True,
    ),
    Mark(
        "natural-lead", "Cluster's natural lead (started first)", MARKS["duplicate"].outline, "node"
    ),
    Mark(
        "in-cluster", f"In a duplicate cluster: {_legend('duplicate')}", _fill("duplicate"), "node"
    ),
)


def duplicates_view(graph: GraphData, report: Mapping[str, Any]) -> View:
    """Duplicate initiative pairs with their scores, and the ground each pair shares.

    Parameters
    ----------
    report
        ``find_duplicates(...).to_json()``: ``pairs`` (``a``, ``b``,
        ``score``, ``reasons``) and ``clusters`` (lists of ids), with
        ``cluster_details`` when the report gives them.

    Each pair is a dashed line labelled with its score; the competencies,
    professions, drivers and organisations a pair shares are drawn with
    their relationships to the pair, so the reason is visible.
    """
    cluster_of: dict[str, int] = {}
    for place, members in enumerate(report["clusters"], start=1):
        for member in members:
            cluster_of[member] = place
    details = report.get("cluster_details") or []
    leads = {detail["natural_lead"] for detail in details if detail.get("natural_lead")}
    initiatives: set[str] = set()
    shared: set[str] = set()
    edges = []
    for pair in report["pairs"]:
        initiatives.update((pair["a"], pair["b"]))
        reasons = pair.get("reasons", {})
        for items in reasons.get("shared", {}).values():
            shared.update(item["id"] if isinstance(item, Mapping) else item for item in items)
        notes = [f"score {pair['score']:.2f}"]
        if "structure" in reasons and "text" in reasons:
            notes[0] += f" (shared ground {reasons['structure']:.2f}, text {reasons['text']:.2f})"
        if reasons.get("summary"):
            notes.append(str(reasons["summary"]))
        edges.append(
            ViewEdge(
                *(pair["a"], "DUPLICATE", pair["b"]),
                mark="duplicate",
                text=f"{pair['score']:.2f}",
                width=1 + 4 * float(pair["score"]),
                notes=tuple(notes),
                directed=False,
            )
        )
    ids = sorted((initiatives | shared) & graph.nodes.keys())
    edges += [
        edge
        for edge in _edges(graph, ids, INITIATIVE_TYPES)
        if edge.source in initiatives or edge.target in initiatives
    ]
    sizes = Counter(cluster_of.values())
    nodes = []
    for node in ids:
        if node in cluster_of:
            number = cluster_of[node]
            notes_: tuple[str, ...] = (
                f"duplicate cluster {number} ({sizes[number]} initiatives)"
                + ("; its natural lead" if node in leads else ""),
            )
            mark = "natural-lead" if node in leads else "in-cluster"
        else:
            notes_, mark = ("shared by a duplicate pair",), None
        nodes.append(ViewNode(node, mark=mark, notes=notes_))
    return View(
        title="Duplicated initiatives",
        description=(
            f"{len(report['pairs']):,} possible duplicate pairs in {len(report['clusters']):,} "
            "clusters, with the ground each pair shares."
            if report["pairs"]
            else "No pair of initiatives scores as a possible duplicate."
        ),
        nodes=tuple(nodes),
        edges=tuple(sorted(edges, key=lambda e: (e.source, e.type, e.target))),
        marks=DUPLICATE_MARKS,
    )


DRIVER_MARKS = (
    Mark("driver", _legend("driver"), MARKS["driver"].outline, "node"),
    Mark("responding", _legend("responding"), _fill("responding"), "node"),
    Mark("candidate", _legend("candidate"), MARKS["candidate"].outline, "node"),
    Mark(
        "candidate-link",
        LINKS["SUGGESTED_RESPONSE"].text.capitalize(),
        LINKS["SUGGESTED_RESPONSE"].colour,
        "edge",
        True,
    ),
)


def driver_view(graph: GraphData, reach: Mapping[str, Any], candidates: int = 10) -> View:
    """A driver's reach: who responds, what they touch, and the best candidates.

    Parameters
    ----------
    reach
        ``driver_reach(...).to_json()``: ``driver``, ``responding``,
        ``competencies``, ``professions``, ``organisations`` and
        ``candidates`` (``initiative``, ``score``, ``shared``; best first).
    candidates
        How many of the best candidates to draw.
    """
    driver = reach["driver"]
    graph.check_known(driver, "driver")
    responding = set(reach["responding"])
    ground = {*reach["competencies"], *reach["professions"], *reach["organisations"]}
    shown = reach["candidates"][:candidates]
    candidate_ids = {c["initiative"] for c in shown}
    ids = sorted(({driver} | responding | ground | candidate_ids) & graph.nodes.keys())
    edges = _edges(graph, ids, INITIATIVE_TYPES)
    for rank, candidate in enumerate(shown, start=1):
        notes = [f"candidate {rank}, score {candidate['score']:.2f}"]
        if candidate.get("reason"):
            notes.append(str(candidate["reason"]))
        edges.append(
            ViewEdge(
                *(candidate["initiative"], "CANDIDATE_FOR", driver),
                mark="candidate-link",
                text=f"{candidate['score']:.2f}",
                notes=tuple(notes),
            )
        )
    rank_of = {c["initiative"]: rank for rank, c in enumerate(shown, start=1)}
    nodes = []
    for node in ids:
        if node == driver:
            nodes.append(ViewNode(node, mark="driver"))
        elif node in responding:
            nodes.append(ViewNode(node, mark="responding", notes=("responds to the driver",)))
        elif node in candidate_ids:
            nodes.append(
                ViewNode(
                    node, mark="candidate", notes=(f"candidate {rank_of[node]} of {len(shown)}",)
                )
            )
        else:
            nodes.append(ViewNode(node, notes=("touched by a responding initiative",)))
    total = reach.get("summary", {}).get("candidates", len(reach["candidates"]))
    return View(
        title=f"Reach of {graph.name(driver)}",
        description=(
            f"{len(responding):,} initiatives respond to {driver}; they touch "
            f"{len(reach['competencies']):,} competencies, {len(reach['professions']):,} "
            f"professions and {len(reach['organisations']):,} organisations. "
            f"The best {len(shown)} of {total:,} candidates are drawn in magenta."
        ),
        nodes=tuple(nodes),
        edges=tuple(sorted(edges, key=lambda e: (e.source, e.type, e.target))),
        marks=DRIVER_MARKS,
        anchors=frozenset({driver}),
        selected=driver,
    )


# -- large views -------------------------------------------------------------------


def rolled_up(view: View, graph: GraphData) -> View:
    """The view with every competency drawn as its area (the top of its PART_OF chain).

    Relationships to competencies move to their area; those that then join
    the same two nodes with the same type are drawn once, with how many
    they stand for and the strongest of their marks.
    """
    area_of = {
        node.id: graph.area(node.id) for node in view.nodes if graph.label(node.id) == "Competency"
    }

    def moved(node: str) -> str:
        return area_of.get(node, node)

    members: dict[str, list[ViewNode]] = defaultdict(list)
    for node in view.nodes:
        members[moved(node.id)].append(node)
    nodes = []
    for node_id in sorted(members):
        group = members[node_id]
        best = min(group, key=lambda n: view.mark_rank(n.mark))
        rolled = [n for n in group if n.id != node_id]
        notes = (
            best.notes
            if not rolled
            else (
                f"rolled up: {len(rolled):,} competencies of this area",
                *dict.fromkeys(note for n in group for note in n.notes),
            )
        )
        nodes.append(ViewNode(node_id, mark=best.mark, notes=tuple(notes)[:6]))
    merged: dict[tuple[str, str, str], list[ViewEdge]] = defaultdict(list)
    for edge in view.edges:
        source, target = moved(edge.source), moved(edge.target)
        if source != target:
            merged[(source, edge.type, target)].append(edge)
    edges: list[ViewEdge] = []
    for (source, kind, target), parallel in sorted(merged.items()):
        best_edge = min(parallel, key=lambda e: view.mark_rank(e.mark))
        if len(parallel) == 1:
            edges.append(dataclasses.replace(best_edge, source=source, target=target))
            continue
        marks = Counter(e.mark for e in parallel if e.mark)
        counted = "; ".join(f"{count} {mark}" for mark, count in sorted(marks.items()))
        edges.append(
            ViewEdge(
                source,
                kind,
                target,
                mark=best_edge.mark,
                width=min(6.0, max(e.width for e in parallel) + len(parallel) / 10),
                notes=(
                    f"{len(parallel)} relationships rolled up"
                    + (f" ({counted})" if counted else ""),
                ),
            )
        )
    return dataclasses.replace(
        view,
        nodes=tuple(nodes),
        edges=tuple(edges),
        anchors=frozenset(moved(a) for a in view.anchors),
        selected=moved(view.selected) if view.selected else None,
        notes=(
            *view.notes,
            f"Competencies rolled up to their {len({*area_of.values()}):,} areas "
            f"({len(view.nodes):,} nodes before).",
        ),
    )


def fit_to_limit(view: View, graph: GraphData, limit: int, roll_up: bool = False) -> View:
    """The view itself when it has at most ``limit`` nodes, else rolled up if that fits.

    Raises
    ------
    ViewTooLargeError
        When even the rolled-up view has more than ``limit`` nodes; the
        message gives the counts by type and how to narrow the view.
    """
    if roll_up or len(view.nodes) > limit:
        smaller = rolled_up(view, graph)
        if len(smaller.nodes) <= limit:
            return smaller
        counts = Counter(graph.label(node.id) for node in view.nodes)
        raise ViewTooLargeError(_too_large(counts, len(smaller.nodes), limit))
    return view


def _too_large(counts: Mapping[str, int], rolled: int, limit: int) -> str:
    by_type = ", ".join(f"{label} {counts[label]:,}" for label in LABELS if counts.get(label))
    return (
        f"the view has {sum(counts.values()):,} nodes ({by_type}), and "
        f"{rolled:,} with competencies rolled up to their areas: over the "
        f"limit of {limit:,} a browser draws in good time; narrow it with "
        "--focus ID --depth N or --type LABEL, or raise --max-nodes"
    )


def check_whole_size(backend: Any, types: Sequence[str], limit: int) -> None:
    """Refuse a whole-network view from the counts alone, before reading the graph.

    The rolled-up view has every node but the competencies, plus one node
    per area (a competency without a parent), so two small questions
    (``counts`` and ``competencies``) tell whether even that is too large.

    Raises
    ------
    ViewTooLargeError
        As :func:`fit_to_limit` would, after reading the whole graph.
    """
    totals = backend.counts().nodes
    counts = {label: totals.get(label, 0) for label in (types or LABELS)}
    if sum(counts.values()) <= limit:
        return
    rolled = sum(counts.values())
    if counts.get("Competency"):
        areas = sum(1 for c in backend.competencies() if c.parent is None)
        rolled += areas - counts["Competency"]
    if rolled > limit:
        raise ViewTooLargeError(_too_large(counts, rolled, limit))


# -- one entry point -----------------------------------------------------------------

Mode = Literal["all", "gaps", "duplicates", "driver"]


@dataclass(frozen=True)
class ViewRequest:
    """What view to build.

    ``mode`` picks the nodes: ``all`` (or the neighbourhood of ``focus`` to
    ``depth``), ``gaps``, ``duplicates`` or ``driver`` (with ``driver``).
    ``types`` keeps only nodes of those labels (and the mode's anchors).
    Above ``max_nodes`` competencies are rolled up to their areas, and a
    view still too large is refused; ``roll_up`` rolls them up in any case.
    """

    mode: Mode = "all"
    focus: str | None = None
    depth: int = 1
    driver: str | None = None
    types: tuple[str, ...] = ()
    coverage: Any = None  # a CoverageQuery for the gaps mode (None: every requirement)
    duplicates: Any = None  # a DuplicateQuery for the duplicates mode (None: the defaults)
    candidates: int = 10
    max_nodes: int = NODE_LIMIT
    roll_up: bool = False


class ViewOptions(CoverageFilters):
    """``view``: the command's options, defined once (see :mod:`graphmodel.analysis.requests`);
    :meth:`request` is the view they ask for.

    The coverage filters (``--from``, ``--to``, ``--min-evaluation``, ``--profession``,
    ``--framework``, ``--priority``) apply to ``--mode gaps``, as in ``graphmodel gaps``.
    """

    command: ClassVar[str] = "view"

    mode: Literal["all", "gaps", "duplicates"] = Field(
        default="all",
        description="all: the network (or --focus); gaps: requirements, gaps in red; "
        "duplicates: duplicate initiative clusters with pair scores.",
    )
    focus: Annotated[str | None, OptionSpec(metavar="ID")] = Field(
        default=None, description="Only the nodes within --depth of this node."
    )
    depth: int = Field(
        default=1, ge=0, le=10, description="Relationships from --focus, in either direction."
    )
    driver: Annotated[str | None, OptionSpec(metavar="ID")] = Field(
        default=None, description="A policy driver's reach and candidate initiatives."
    )
    candidates: int = Field(
        default=10, ge=0, description="With --driver: how many of the best candidates to draw."
    )
    threshold: Threshold | None = Field(
        default=None,
        description="With --mode duplicates: the least pair score drawn [default: as "
        "`duplicates`].",
    )
    type: Annotated[list[str], OptionSpec(metavar="LABEL")] = Field(
        default_factory=list,
        description=f"Only nodes of this type (repeatable): {', '.join(LABELS)}.",
    )
    roll_up: bool = Field(
        default=False,
        description="Draw competencies as their areas (the top of their PART_OF chain).",
    )
    max_nodes: int = Field(
        default=NODE_LIMIT,
        ge=1,
        description="Above this many nodes competencies are rolled up; a view still larger is "
        "refused.",
    )

    @field_validator("type")
    @classmethod
    def _known_labels(cls, types: list[str]) -> list[str]:
        canonical = {label.lower(): label for label in LABELS}
        for value in types:
            if value.lower() not in canonical:
                raise ValueError(f"unknown type {value!r}" + did_you_mean(value, list(LABELS)))
        return list(dict.fromkeys(canonical[value.lower()] for value in types))

    @model_validator(mode="after")
    def _one_mode(self) -> ViewOptions:
        if self.driver is not None and self.mode != "all":
            raise ValueError("--driver is a mode of its own; leave out --mode")
        if self.focus is not None and (self.mode != "all" or self.driver is not None):
            raise ValueError("--focus draws the network around a node; leave out --mode/--driver")
        from graphmodel.analysis.coverage import CoverageQuery

        if self.query() != CoverageQuery() and self.mode != "gaps":
            raise ValueError("the coverage filters apply only to --mode gaps")
        if self.threshold is not None and self.mode != "duplicates":
            raise ValueError("--threshold applies only to --mode duplicates")
        return self

    def request(self) -> ViewRequest:
        """The view these options ask for."""
        from graphmodel.analysis.duplicates import DuplicateQuery

        threshold = self.threshold
        return ViewRequest(
            mode="driver" if self.driver is not None else self.mode,
            focus=self.focus,
            depth=self.depth,
            driver=self.driver,
            types=tuple(self.type),
            coverage=self.query(),
            duplicates=DuplicateQuery(threshold=threshold) if threshold is not None else None,
            candidates=self.candidates,
            max_nodes=self.max_nodes,
            roll_up=self.roll_up,
        )


def build_view(backend: Any, request: ViewRequest) -> tuple[View, GraphData]:
    """Read the graph from ``backend`` (a ``GraphBackend``) and build the view asked for.

    Returns the view and the graph it was drawn from (the page's tooltips
    read it).

    Raises
    ------
    NotFoundError
        For an unknown focus node or driver.
    ViewTooLargeError
        When the view is too large to draw even with competencies rolled up.
    """
    if request.mode == "all" and request.focus is not None:
        graph = GraphData.around(backend, request.focus, request.depth)
    else:
        if request.mode == "all":  # a national graph is refused before it is read
            check_whole_size(backend, request.types, request.max_nodes)
        graph = GraphData.read(backend)
    view: View
    if request.mode == "gaps":
        from graphmodel.analysis.coverage import CoverageData, CoverageQuery, gaps

        query = request.coverage or CoverageQuery()
        requirements = CoverageData(backend, query).selected_requirements()
        view = gaps_view(graph, gaps(backend, query), requirements)
    elif request.mode == "duplicates":
        from graphmodel.analysis.duplicates import DuplicateQuery, find_duplicates

        report = find_duplicates(backend, request.duplicates or DuplicateQuery())
        view = duplicates_view(graph, report.to_json())
    elif request.mode == "driver":
        from graphmodel.analysis.links import driver_reach

        if request.driver is None:
            raise ValueError("the driver mode needs a driver id")
        reach = driver_reach(backend, request.driver)
        view = driver_view(graph, reach.to_json(), request.candidates)
    elif request.focus is not None:
        if request.focus not in graph.nodes:  # suggest from every id, not the few read
            known = [node.id for node in backend.named_nodes()]
            raise NotFoundError(
                f"unknown node {request.focus!r}" + did_you_mean(request.focus, known)
            )
        view = focus_view(graph, request.focus, request.depth)
    else:
        view = whole_view(graph)
    if request.types:
        view = view.only_types(graph, request.types)
    return fit_to_limit(view, graph, request.max_nodes, request.roll_up), graph
