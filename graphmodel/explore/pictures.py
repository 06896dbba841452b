"""A saved view as the content of a picture: the nodes drawn, where, why they are marked.

``graphmodel slides`` and the explorer's ``/api/slides`` draw one slide per
saved view (:mod:`graphmodel.visuals.slides` draws it). What the slide shows
is composed here, from the view's state (the page's address: overview size,
groups opened, focus, neighbours, filters, overlay) with the explorer's own
answers, as the page composes it:

1. the overview (rolled up by type or by community, groups opened);
2. the chosen node and its neighbours (``depth``) and the nodes whose
   neighbours are shown (``open``), placed on a spiral round the node they
   came from;
3. the overlay's nodes (``overlay=...``), with their marks, placed next to a
   neighbour drawn when the picture lacks them; or, for an *answer view* (an
   overlay without ``context=all``), the answer and its context only, instead
   of the overview: the view's blocks (a framework area and its competencies,
   a layer of a driver's reach, a cluster) in columns of rows, as the page lays
   them out (:func:`answer_places`);
4. the filters (``hide_label``, ``hide_type``).

A view saved in the page also keeps where each node drawn was
(``positions``) and the part of the graph on screen (``viewport``): then
exactly those nodes are drawn where they were, framed as they were. Parts of
the page's state a slide does not draw (the time window's fading, focus
mode, a path, a what-if, sizing by a measure) are listed in
:attr:`ViewPicture.notes`.

Example
-------
>>> from graphmodel.backends import MemoryBackend
>>> from graphmodel.dataset import read_dataset
>>> from graphmodel.explore import Explorer
>>> from graphmodel.explore.saved_views import SavedView
>>> explorer = Explorer(MemoryBackend(read_dataset("examples/children-trust")), "example")
>>> view = SavedView(name="Teachers' gaps", state="overlay=gaps&profession=p-teacher")
>>> picture = view_picture(explorer, view)
>>> picture.summary
'4 gaps (1 below the level needed) and 7 covered, of 11 requirements'
>>> [(row.name, row.marks) for row in picture.marked][:2]  # doctest: +NORMALIZE_WHITESPACE
[('Responding to and referring safeguarding concerns', ('below-level', 'gap')),
 ('Listening and building empathy', ('gap',))]
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import pydantic

from graphmodel.errors import NotFoundError
from graphmodel.explore.explorer import Explorer
from graphmodel.explore.overlays import OVERLAYS, gaps_sentence
from graphmodel.explore.overview import CANVAS, GROUP_PREFIX, GroupIdError, UnknownGroupError
from graphmodel.explore.requests import NeighboursRequest, OverviewRequest
from graphmodel.explore.saved_views import SavedView
from graphmodel.marks import MARKS
from graphmodel.model import LABEL_TABLES, RELATIONSHIP_TYPES
from graphmodel.wording import plural

#: Neighbours a node shows per page (the page's own).
PAGE_SIZE = 100
#: Two steps out from the focus: at most this many neighbours of each first-step node.
SECOND_STEP_LIMIT = 20
#: Parameters of the page's state a slide draws; others are noted as not drawn.
DRAWN_PARAMETERS = {
    "max_nodes",
    "expand",
    "focus",
    "depth",
    "hide_label",
    "hide_type",
    "open",
    "overlay",
    "profession",
    "driver",
    "min_evaluation",
    "from",
    "to",
    "colour",
    "roll_up",
    "context",
}
#: What the page's other parameters do, for the note saying a slide does not draw them.
UNDRAWN_WORDS = {
    "fade": "showcase fading",
    "step": "focus mode",
    "path": "the path",
    "what_if": "the what-if",
    "size": "nodes sized by a measure",
}

_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


@dataclass(frozen=True)
class PictureNode:
    """A node (or a group) drawn: where, how large, why it is marked, its community."""

    id: str
    label: str
    name: str
    x: float
    y: float
    size: float
    group: bool = False
    marks: tuple[str, ...] = ()
    community: int | None = None


@dataclass(frozen=True)
class PictureLink:
    """A relationship drawn (``count`` relationships when an end is a group)."""

    source: str
    type: str
    target: str
    count: int = 1
    virtual: bool = False
    marked: bool = False


@dataclass(frozen=True)
class MarkedNode:
    """A row of a slide's table: a marked node and its marks."""

    id: str
    name: str
    label: str
    marks: tuple[str, ...]


@dataclass(frozen=True)
class Viewport:
    """The part of the graph on screen: graph coordinates at the screen's edges."""

    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class PictureTitle:
    """An answer view's block title, drawn a row above its block's first node (as the
    page draws it over the drawing)."""

    text: str
    anchor: str


@dataclass(frozen=True)
class ViewPicture:
    """What a slide of one saved view shows."""

    title: str
    state: str
    summary: str
    nodes: tuple[PictureNode, ...]
    links: tuple[PictureLink, ...]
    legend: tuple[tuple[str, str], ...]  # (mark, what it means), the marks drawn
    marked: tuple[MarkedNode, ...]
    viewport: Viewport | None
    communities: dict[int, str] = field(default_factory=dict)  # coloured by community: names
    notes: tuple[str, ...] = ()
    titles: tuple[PictureTitle, ...] = ()  # an answer view's block titles

    @property
    def labels(self) -> list[str]:
        """The node types drawn, in the model's order."""
        drawn = {node.label for node in self.nodes}
        return [label for label in LABEL_TABLES if label in drawn]


def _spiral(centre: tuple[float, float], place: int, spacing: float) -> tuple[float, float]:
    """The page's sunflower spiral (web/assets/scene.js ``around``)."""
    radius = spacing * math.sqrt(place)
    return (
        round(centre[0] + radius * math.cos(place * _GOLDEN_ANGLE), 1),
        round(centre[1] + radius * math.sin(place * _GOLDEN_ANGLE), 1),
    )


def _node_size(degree: int) -> float:
    return round(3 + 1.5 * math.log2(1 + degree), 1)


class _Composer:
    """The picture being composed: nodes with places, links, marks, and what went wrong."""

    answer_view = False

    @classmethod
    def answer(cls, document: dict[str, Any]) -> _Composer:
        """An overlay's answer view: its blocks as columns of rows (see :func:`answer_places`)."""
        named = {node["id"]: node for node in document["nodes"]}
        places = answer_places(document, named)
        picture = cls(
            {
                "nodes": [
                    {**named[node_id], "x": x, "y": y, "size": 6.0, "members": 1, "group": False}
                    for node_id, (x, y) in places.items()
                ],
                "relationships": [],
            }
        )
        picture.answer_view = True
        return picture

    def __init__(self, overview: dict[str, Any]) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        self.links: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.slots: dict[str, int] = defaultdict(int)
        for node in overview["nodes"]:
            self.nodes[node["id"]] = dict(node)
        for link in overview["relationships"]:
            self.link(link, link.get("properties", {}).get("count", 1))
        self.spacing = CANVAS / math.sqrt(max(len(overview["nodes"]), 1)) / 5

    def link(self, relationship: dict[str, Any], count: int = 1, **look: Any) -> None:
        source, kind, target = relationship["source"], relationship["type"], relationship["target"]
        if source not in self.nodes or target not in self.nodes:
            return
        found = self.links.setdefault((source, kind, target), {"count": count})
        found.update(look)

    def place(self, anchor: str, start: int = 0) -> tuple[float, float]:
        self.slots[anchor] = max(self.slots[anchor], start) + 1
        node = self.nodes[anchor]
        return _spiral((node["x"], node["y"]), self.slots[anchor], self.spacing)

    def add(
        self, named: dict[str, Any], anchor: str | None, start: int = 0, degree: int = 4
    ) -> None:
        """Bring a node in next to ``anchor`` (else next to its type's largest group, else
        in the middle)."""
        if named["id"] in self.nodes:
            return
        if anchor is None:
            groups = [
                (node["members"], node_id)
                for node_id, node in self.nodes.items()
                if node.get("group") and node["label"] == named["label"]
            ]
            anchor = max(groups)[1] if groups else None
        x, y = self.place(anchor, start) if anchor is not None else (CANVAS / 2, CANVAS / 2)
        self.nodes[named["id"]] = {
            "id": named["id"],
            "label": named["label"],
            "name": named["name"],
            "x": x,
            "y": y,
            "size": _node_size(degree),
            "members": 1,
            "group": False,
        }

    def neighbours(
        self, explorer: Explorer, node_id: str, pages: int, limit: int = PAGE_SIZE
    ) -> None:
        """Show a node's first ``pages`` pages of neighbours round it."""
        for page in range(pages):
            found = explorer.neighbours(
                node_id, NeighboursRequest(limit=limit, offset=page * limit)
            )
            for neighbour in found["nodes"]:
                self.add(neighbour, node_id)
            for relationship in found["relationships"]:
                self.link(relationship)
            if (page + 1) * limit >= found["total"]:
                break


#: An answer view's rows and columns in the page's pixels (as web/assets/layout.js lays
#: them out): a row is a name's height and a little, a column as wide as its longest name.
ROW_PITCH = 17.0
CHARACTER = 6.8
INDENT = 16.0
GUTTER = 30.0


def answer_places(
    document: dict[str, Any], named: dict[str, dict[str, Any]]
) -> dict[str, tuple[float, float]]:
    """Where an answer view's nodes go: its blocks (a framework area and its competencies,
    a layer of a driver's reach, a cluster) one after another in columns of rows, the
    view's centre first; y grows upwards, as the page's graph coordinates do."""
    view = document["view"]
    entries: list[list[tuple[str, int]]] = []
    centre = view.get("centre") or []
    centres = [centre] if isinstance(centre, str) else list(centre)
    if any(node_id in named for node_id in centres):
        entries.append([(node_id, 0) for node_id in centres if node_id in named])
    for block in view["blocks"]:
        rows: list[tuple[str, int]] = []
        if block.get("header") in named:
            rows.append((block["header"], 0))
        shift = 1 if rows else 0
        rows += [
            (item["id"], item["depth"] + shift) for item in block["items"] if item["id"] in named
        ]
        rows = [row for row in rows if row[0] not in centres]
        if rows:
            entries.append(rows)
    total = sum(len(rows) + 1 for rows in entries)
    per_column = max(8, math.ceil(math.sqrt(total * 4)))  # taller than wide, as a slide is
    places: dict[str, tuple[float, float]] = {}
    x, row, width = 0.0, 0, 0.0
    for rows in entries:
        if row and row + len(rows) > per_column:
            x, row, width = x + width + GUTTER, 0, 0.0
        for node_id, depth in rows:
            if row >= per_column:
                x, row, width = x + width + GUTTER, 0, 0.0
            places[node_id] = (x + depth * INDENT, -row * ROW_PITCH)
            name = str(named[node_id].get("name", node_id))
            width = max(width, depth * INDENT + 16 + CHARACTER * min(len(name), 40))
            row += 1
        row += 1  # a row between blocks
    return places


def _one(values: dict[str, list[str]], key: str) -> str | None:
    found = values.get(key)
    return found[0] if found else None


def _whole(text: str | None, low: int, high: int, default: int) -> int:
    if text is None or not text.isdigit():
        return default
    value = int(text)
    return value if low <= value <= high else default


def _summary(name: str | None, analysis: dict[str, Any] | None, nodes: int, links: int) -> str:
    """The answer in one line ("3 gaps and 6 covered, of 9 requirements")."""

    if name and analysis is not None:
        if name == "gaps":
            return gaps_sentence(analysis["summary"])
        if name == "uncovered":
            count = len(analysis["uncovered"])
            return f"{plural(count, 'competency')} no active training covers"
        if name == "duplicates":
            return (
                f"{plural(len(analysis['pairs']), 'pair')} of initiatives that repeat each other, "
                f"in {plural(len(analysis['clusters']), 'cluster')}"
            )
        if name == "reach":
            return (
                f"{analysis.get('name') or analysis['driver']}: "
                f"{plural(len(analysis['responding']), 'initiative')} responding, "
                f"{plural(len(analysis['candidates']), 'candidate')}"
            )
        if name == "brokers":
            total = analysis["summary"]["brokers"]
            shown = plural(len(analysis["brokers"]), "broker")
            return f"The {shown} of {total:,} who hold the partnership network together most"
    return f"{plural(nodes, 'node')} and {plural(links, 'relationship')} drawn"


def view_picture(explorer: Explorer, view: SavedView) -> ViewPicture:
    """Compose the picture of one saved view (see the module's description)."""
    values = parse_qs(view.state, keep_blank_values=False)
    notes: list[str] = []
    undrawn = sorted(UNDRAWN_WORDS[key] for key in values if key in UNDRAWN_WORDS)
    if undrawn:
        notes.append("Not drawn on the slide: " + ", ".join(undrawn) + ".")
    roll_up = "community" if _one(values, "roll_up") == "community" else "type"
    by_community = roll_up == "community" or _one(values, "colour") == "community"
    marks: dict[str, list[str]] = defaultdict(list)
    legend: list[tuple[str, str]] = []
    overlay_name = _one(values, "overlay")
    document = _overlay_document(explorer, overlay_name, values, notes) if overlay_name else None
    if document is None:
        overlay_name = None
    analysis: dict[str, Any] | None = document["analysis"] if document is not None else None
    focus = _one(values, "focus")
    if document is not None and document.get("view") and _one(values, "context") != "all":
        # An answer view: the answer and its context only, laid out for the question.
        picture = _Composer.answer(document)
    else:
        picture = _compose_overview(explorer, values, roll_up, notes)
        focus = _around_focus(explorer, values, picture, focus, notes)
    if document is not None:
        _draw_overlay(picture, document, marks, legend)
    if focus is not None and focus in picture.nodes:
        marks[focus].insert(0, "focus")
        legend.insert(0, ("focus", MARKS["focus"].text))

    hidden_labels = set(values.get("hide_label", [])) & set(LABEL_TABLES)
    hidden_types = set(values.get("hide_type", [])) & set(RELATIONSHIP_TYPES)
    drawn = {
        node_id: node
        for node_id, node in picture.nodes.items()
        if node["label"] not in hidden_labels
    }
    if view.positions:
        drawn = _placed(explorer, view, drawn, notes)
    membership = explorer.overview_index.communities().membership() if by_community else {}
    communities: dict[int, str] = {}
    names = (
        {c.id: c.name for c in explorer.overview_index.communities().communities}
        if by_community
        else {}
    )
    nodes = []
    for node_id, node in sorted(drawn.items()):
        community = _community_of(node_id, node, membership)
        if community is not None:
            communities[community] = names.get(community, f"Community {community}")
        nodes.append(
            PictureNode(
                id=node_id,
                label=node["label"],
                name=node["name"],
                x=float(node["x"]),
                y=float(node["y"]),
                size=float(node["size"]),
                group=bool(node.get("group")),
                marks=tuple(marks.get(node_id, ())),
                community=community,
            )
        )
    links = [
        PictureLink(
            source,
            kind,
            target,
            int(look.get("count", 1)),
            bool(look.get("virtual")),
            bool(look.get("marked")),
        )
        for (source, kind, target), look in sorted(picture.links.items())
        if source in drawn and target in drawn and kind not in hidden_types
    ]
    if view.positions:
        links = _links_among(explorer, drawn, links, hidden_types)
    marked = tuple(
        MarkedNode(node.id, node.name, node.label, node.marks)
        for node in sorted(nodes, key=lambda n: (_mark_rank(n.marks), n.name.lower(), n.id))
        if node.marks
    )
    viewport = Viewport(**view.viewport.model_dump()) if view.viewport is not None else None
    titles = _block_titles(document, drawn) if picture.answer_view and document else ()
    return ViewPicture(
        title=view.name,
        state=view.state,
        summary=_summary(overlay_name, analysis, len(nodes), len(links)),
        nodes=tuple(nodes),
        links=tuple(links),
        legend=tuple(legend),
        marked=marked,
        viewport=viewport,
        communities=dict(sorted(communities.items())),
        notes=tuple(notes),
        titles=titles,
    )


def _block_titles(
    document: dict[str, Any], drawn: dict[str, dict[str, Any]]
) -> tuple[PictureTitle, ...]:
    """Each block's title (and how many more its list holds, as the page says), over the
    first of its nodes drawn."""
    titles = []
    for block in document["view"]["blocks"]:
        ids = [block.get("header"), *(item["id"] for item in block["items"])]
        anchor = next((node_id for node_id in ids if node_id in drawn), None)
        if anchor is None or not block.get("title"):
            continue
        more = int(block.get("more") or 0)
        text = f"{block['title']} ({more:,} more in the list)" if more else str(block["title"])
        titles.append(PictureTitle(text, anchor))
    return tuple(titles)


def _compose_overview(
    explorer: Explorer, values: dict[str, list[str]], roll_up: str, notes: list[str]
) -> _Composer:
    """The overview the state asks for (its size, groups opened, roll-up)."""
    max_nodes = _whole(_one(values, "max_nodes"), 1, 50_000, 2000)
    expand = list(dict.fromkeys(values.get("expand", [])))
    try:
        overview = explorer.overview(
            OverviewRequest(max_nodes=max_nodes, expand=expand, roll_up=roll_up)
        )
    except (GroupIdError, UnknownGroupError) as error:
        notes.append(f"Groups left folded: {error}.")
        overview = explorer.overview(OverviewRequest(max_nodes=max_nodes, roll_up=roll_up))
    return _Composer(overview)


def _around_focus(
    explorer: Explorer,
    values: dict[str, list[str]],
    picture: _Composer,
    focus: str | None,
    notes: list[str],
) -> str | None:
    """Bring in the chosen node, its neighbours (``depth``) and the nodes ``open`` shows;
    the chosen node (None when the graph lacks it)."""

    def known(node_id: str) -> dict[str, Any] | None:
        try:
            return explorer.node(node_id)
        except NotFoundError as error:
            notes.append(f"{error}.")
            return None

    if focus is not None and focus.startswith(GROUP_PREFIX):
        focus = focus if focus in picture.nodes else None
    elif focus is not None:
        document = known(focus)
        if document is None:
            focus = None
        else:
            first = explorer.neighbours(focus, NeighboursRequest(limit=PAGE_SIZE))
            anchor = next((n["id"] for n in first["nodes"] if n["id"] in picture.nodes), None)
            picture.add(document, anchor, degree=sum(document["degree"].values()))
            for relationship in first["relationships"]:
                picture.link(relationship)
    for item in values.get("open", []):
        node_id, _, pages = item.rpartition(";") if ";" in item else (item, "", "1")
        if node_id.startswith(GROUP_PREFIX) or known(node_id) is None:
            continue
        document = explorer.node(node_id)
        first = explorer.neighbours(node_id, NeighboursRequest(limit=PAGE_SIZE))
        anchor = next((n["id"] for n in first["nodes"] if n["id"] in picture.nodes), None)
        picture.add(document, anchor)
        picture.neighbours(explorer, node_id, _whole(pages, 1, 1000, 1))
    depth = _whole(_one(values, "depth"), 0, 2, 0)
    if focus is not None and not focus.startswith(GROUP_PREFIX) and depth >= 1:
        ring = explorer.neighbours(focus, NeighboursRequest(limit=PAGE_SIZE))["nodes"]
        picture.neighbours(explorer, focus, 1)
        if depth >= 2:
            for node in ring:
                picture.neighbours(explorer, node["id"], 1, SECOND_STEP_LIMIT)
    return focus


_MARK_ORDER = list(MARKS)


def _mark_rank(marks: Iterable[str]) -> int:
    ranks = [_MARK_ORDER.index(mark) for mark in marks if mark in _MARK_ORDER]
    return min(ranks, default=len(_MARK_ORDER))


def _community_of(node_id: str, node: dict[str, Any], membership: dict[str, int]) -> int | None:
    if node.get("group"):
        parts = node_id.split(";")
        is_community = len(parts) == 3 and parts[1] == "Community" and parts[2].isdigit()
        return int(parts[2]) if is_community else None
    return membership.get(node_id)


def _overlay_document(
    explorer: Explorer, name: str, values: dict[str, list[str]], notes: list[str]
) -> dict[str, Any] | None:
    """The overlay's document for the state's options (None, with a note, when it cannot be)."""
    model = OVERLAYS.get(name)
    if model is None:
        notes.append(f"Unknown overlay {name!r}: not drawn.")
        return None
    parameters: dict[str, Any] = {}
    for key in ("from", "to", "driver", "min_evaluation"):
        if _one(values, key) is not None:
            parameters[key] = _one(values, key)
    if name == "gaps":
        parameters["profession"] = values.get("profession", [])
    if name not in ("gaps", "uncovered"):
        parameters.pop("min_evaluation", None)
    if name != "reach":
        parameters.pop("driver", None)
    try:
        request = model.model_validate(parameters)
        return explorer.overlay(name, request)
    except (pydantic.ValidationError, NotFoundError) as error:
        message = str(error).splitlines()[0]
        notes.append(f"The {name} overlay cannot be drawn: {message}.")
        return None


def _draw_overlay(
    picture: _Composer,
    document: dict[str, Any],
    marks: dict[str, list[str]],
    legend: list[tuple[str, str]],
) -> None:
    """The overlay's nodes on the picture (brought in next to a neighbour drawn), their
    marks, its links and its legend."""
    links_of: dict[str, list[str]] = defaultdict(list)
    for relationship in document["relationships"]:
        links_of[relationship["source"]].append(relationship["target"])
        links_of[relationship["target"]].append(relationship["source"])
    if not picture.answer_view:
        pending = [node for node in document["nodes"] if node["id"] not in picture.nodes]
        while pending:
            left = []
            for node in pending:
                anchor = next((n for n in links_of[node["id"]] if n in picture.nodes), None)
                if anchor is None:
                    left.append(node)
                else:
                    picture.add(node, anchor, start=6)  # outside the expansions' own spiral
            if len(left) == len(pending):
                for node in left:
                    picture.add(node, None, start=6)
                break
            pending = left
    for node in document["nodes"]:
        if node["id"] in picture.nodes:
            marks[node["id"]].extend(node["marks"])
    for relationship in document["relationships"]:
        picture.link(
            relationship,
            virtual=bool(relationship.get("virtual")),
            marked=bool(relationship.get("marks")),
        )
    legend.extend((entry["mark"], entry["text"]) for entry in document["legend"])


def _placed(
    explorer: Explorer,
    view: SavedView,
    composed: dict[str, dict[str, Any]],
    notes: list[str],
) -> dict[str, dict[str, Any]]:
    """The nodes a view saved in the page drew, where they were."""
    assert view.positions is not None
    wanted = [node_id for node_id in view.positions if node_id not in composed]
    found = {
        node.id: {"id": node.id, "label": node.label, "name": node.name, "size": _node_size(4)}
        for node in explorer.backend.named_nodes_by_id(
            [node_id for node_id in wanted if not node_id.startswith(GROUP_PREFIX)]
        )
    }
    missing = len(wanted) - len(found)
    if missing:
        notes.append(f"{missing:,} nodes of the saved view are not in the graph now.")
    placed = {}
    for node_id, (x, y) in view.positions.items():
        node = composed.get(node_id) or found.get(node_id)
        if node is not None:
            placed[node_id] = {**node, "x": x, "y": y}
    return placed


def _links_among(
    explorer: Explorer,
    drawn: dict[str, dict[str, Any]],
    composed: list[PictureLink],
    hidden_types: set[str],
) -> list[PictureLink]:
    """The composed links, and the graph's relationships among the drawn nodes it lacked."""
    have = {(link.source, link.type, link.target) for link in composed}
    nodes = sorted(node_id for node_id in drawn if not node_id.startswith(GROUP_PREFIX))
    extra = [
        PictureLink(r.source, r.type, r.target)
        for r in explorer.backend.relationships_of(nodes)
        if r.source in drawn
        and r.target in drawn
        and r.type not in hidden_types
        and (r.source, r.type, r.target) not in have
    ]
    return sorted([*composed, *extra], key=lambda link: (link.source, link.type, link.target))
