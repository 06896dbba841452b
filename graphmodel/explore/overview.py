"""The explorer's overview: the whole graph with positions, or rolled up into groups.

A strategist first sees the whole network. When it has more nodes than the
page should draw (``max_nodes``), nodes are rolled up into *groups*, one
node type at a time, the most numerous first, until the picture fits:

1. a type with an *anchor* is first grouped by it: training events and
   initiatives by their lead organisation, competencies by their area (the
   top of their PART_OF chain), organisations by the first partnership they
   are a member of (nodes without one form a group of their own);
2. a type still too numerous becomes one group (``Training events``).

A group stands for its ``members``; relationships between groups, or
between a group and a node, are counted (``properties.count``). Expanding a
group (``expand``) shows its members instead, one level finer (a type's
group shows its anchor groups, an anchor group its nodes), at most
:data:`EXPAND_LIMIT` of them (the most connected first); the rest stay in
the group, which says how many remain.

Positions come from a force-directed layout of the picture as rolled up
(igraph's Fruchterman-Reingold, seeded, so the same graph always gets the
same picture), cached in memory and on disk; the members of an expanded
group are placed around the group's own position, so expanding never moves
what is already drawn.

Rolled up **by community** instead (``roll_up="community"``), a picture too
large is made of the graph's communities (:mod:`graphmodel.analysis.communities`,
the whole graph at the default resolution): each community of more than one
node is a group (``group;Community;3``, "Community 3: <its name> (1,204)"), a
community of one is its node; when there are more communities than
``max_nodes``, the smallest share one group (``group;Community;``). An
expanded community shows its members, the most connected first.

Group ids hold a ``;``, which no node id can, so they never collide:
``group;TrainingEvent`` is a type's group, ``group;TrainingEvent;org-x`` an
anchor group, ``group;TrainingEvent;`` the nodes of the type with no anchor.
"""

from __future__ import annotations

import hashlib
import math
import os
import random
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

import igraph
import numpy as np

from graphmodel.analysis.communities import Communities, divide, graph_network
from graphmodel.errors import GraphModelError, NotFoundError
from graphmodel.index import LABEL_CODES, TYPE_CODES, GraphSkeleton
from graphmodel.model import LABEL_TABLES, RELATIONSHIP_TYPES

T = TypeVar("T")

#: Most members an expanded group shows; the rest stay in the group.
EXPAND_LIMIT = 500

#: Most relationships an overview lists unless asked for more (a browser's comfort).
DEFAULT_MAX_RELATIONSHIPS = 20_000

#: Largest picture laid out on its own; larger ones are spread round a picture this size.
LAYOUT_LIMIT = 5000

#: Positions are in a square of this side.
CANVAS = 1000.0

#: Each type's anchor: the relationship type and which end of it is the anchor.
ANCHORS: dict[str, tuple[str, str]] = {
    "TrainingEvent": ("LEADS", "source"),
    "Initiative": ("LEADS", "source"),
    "Organisation": ("MEMBER_OF", "target"),
    "Competency": ("PART_OF", "root"),
}

PLURALS = {
    "Framework": "frameworks",
    "Competency": "competencies",
    "Profession": "professions",
    "Organisation": "organisations",
    "TrainingEvent": "training events",
    "Initiative": "initiatives",
    "Driver": "drivers",
}

#: How an anchor group is named: "training events led by <organisation>".
_ANCHOR_WORDS = {
    "TrainingEvent": ("led by", "with no lead organisation"),
    "Initiative": ("led by", "with no lead organisation"),
    "Organisation": ("in", "in no partnership"),
    "Competency": ("under", "in no area"),
}

GROUP_PREFIX = "group;"

#: The label of a community's group (not a node type: the picture's groups by community).
COMMUNITY = "Community"

RollUp = Literal["type", "community"]

#: What a group id looks like: ``group;Label`` or ``group;Label;anchor`` (ids hold no ``;``),
#: or a community's, ``group;Community;3`` (``group;Community;``: the smaller ones together).
GROUP_ID_PATTERN = rf"^{GROUP_PREFIX}(({'|'.join(LABEL_TABLES)})(;[^;]*)?|{COMMUNITY};[0-9]*)$"


class GroupIdError(GraphModelError):
    """An ``expand`` is not a group id (:data:`GROUP_ID_PATTERN`)."""

    exit_code = 2


class UnknownGroupError(NotFoundError):
    """An ``expand`` is a group id, but of no group of this graph."""


def _anchors(skeleton: GraphSkeleton) -> np.ndarray:
    """Each node's anchor position (-1: none; only for the types in :data:`ANCHORS`)."""
    count = len(skeleton)
    none = np.int64(count)  # larger than any position: np.minimum keeps the smallest id
    anchor = np.full(count, none, dtype=np.int64)
    for label, (kind, end) in ANCHORS.items():
        mask = skeleton.types == TYPE_CODES[kind]
        sources, targets = skeleton.sources[mask], skeleton.targets[mask]
        if end == "source":
            owners, anchors = targets, sources
        elif end == "target":
            owners, anchors = sources, targets
        else:  # the root of a PART_OF chain (the model forbids loops)
            parent = np.full(count, -1, dtype=np.int64)
            parent[sources] = targets
            root = np.arange(count, dtype=np.int64)
            while True:
                climbed = np.where(parent[root] >= 0, parent[root], root)
                if np.array_equal(climbed, root):
                    break
                root = climbed
            members = np.flatnonzero(skeleton.labels == LABEL_CODES[label])
            owners, anchors = members, root[members]
        keep = skeleton.labels[owners] == LABEL_CODES[label]
        np.minimum.at(anchor, owners[keep], anchors[keep])
    anchor[anchor == none] = -1
    return anchor


@dataclass
class _Group:
    """A group of the picture: a type's (``anchor`` None) or an anchor group (-1: no anchor)."""

    id: str
    label: str
    anchor: int | None
    members: np.ndarray  # node positions, in the order an expansion shows them

    #: A community's name (for a group of one community).
    title: str = ""

    def name(self, skeleton: GraphSkeleton, shown: int = 0) -> str:
        remaining = len(self.members) - shown
        count = f"{remaining:,} more" if shown else f"{remaining:,}"
        if self.label == COMMUNITY:
            if self.anchor is None or self.anchor < 0:
                return f"{self.title} ({count} nodes)"  # the smaller communities together
            return f"Community {self.anchor}: {self.title} ({count})"
        plural = PLURALS[self.label]
        if self.anchor is None:
            return f"{plural.capitalize()} ({count})"  # "Training events (3,120 more)"
        joined, missing = _ANCHOR_WORDS[self.label]
        where = missing if self.anchor < 0 else f"{joined} {skeleton.names[self.anchor]}"
        return f"{count} {plural} {where}"


class Overview:
    """Rolled-up pictures of one graph; build once per graph, ask for any ``max_nodes``.

    Parameters
    ----------
    skeleton
        The graph.
    cache_dir
        Where layouts are kept between runs (``None``: only in memory).
    """

    def __init__(self, skeleton: GraphSkeleton, cache_dir: Path | None = None) -> None:
        self.skeleton = skeleton
        self.cache_dir = cache_dir
        self.anchor = _anchors(skeleton)
        self.degree = np.bincount(
            np.concatenate([skeleton.sources, skeleton.targets]), minlength=len(skeleton)
        )
        self.by_label = {
            label: np.flatnonzero(skeleton.labels == code) for label, code in LABEL_CODES.items()
        }
        self._layouts: dict[str, np.ndarray] = {}
        self._anchor_groups: dict[str, list[_Group]] = {}
        self._communities: Communities | None = None
        self._community_groups: list[_Group] | None = None
        self._lock = threading.Lock()
        self._communities_lock = threading.Lock()

    # -- grouping ---------------------------------------------------------------

    def _ordered(self, nodes: np.ndarray) -> np.ndarray:
        """Nodes most connected first, then by position (which follows the id)."""
        return nodes[np.lexsort((nodes, -self.degree[nodes]))]

    def label_group(self, label: str) -> _Group:
        return _Group(GROUP_PREFIX + label, label, None, self._ordered(self.by_label[label]))

    def anchor_groups(self, label: str) -> list[_Group]:
        """The anchor groups of a type, largest first (then by id), computed once."""
        if label not in self._anchor_groups:
            nodes = self.by_label[label]
            order = np.argsort(self.anchor[nodes], kind="stable")
            nodes, anchors = nodes[order], self.anchor[nodes][order]
            starts = np.flatnonzero(np.r_[True, anchors[1:] != anchors[:-1]])
            groups = []
            for members, anchor in zip(
                np.split(nodes, starts[1:]), anchors[starts].tolist(), strict=True
            ):
                key = "" if anchor < 0 else self.skeleton.ids[anchor]
                groups.append(
                    _Group(f"{GROUP_PREFIX}{label};{key}", label, anchor, self._ordered(members))
                )
            groups.sort(key=lambda g: (-len(g.members), g.id))
            self._anchor_groups[label] = groups
        return self._anchor_groups[label]

    def communities(self) -> Communities:
        """The graph's communities at the default resolution (divided once, then kept)."""
        with self._communities_lock:
            if self._communities is None:
                self._communities = divide(graph_network(self.skeleton), "graph")
            return self._communities

    def community_groups(self) -> list[_Group]:
        """A group per community (largest first, as numbered), members most connected first."""
        if self._community_groups is None:
            position = {node_id: number for number, node_id in enumerate(self.skeleton.ids)}
            self._community_groups = [
                _Group(
                    f"{GROUP_PREFIX}{COMMUNITY};{community.id}",
                    COMMUNITY,
                    community.id,
                    self._ordered(
                        np.array([position[m] for m in community.members], dtype=np.int64)
                    ),
                    community.name,
                )
                for community in self.communities().communities
            ]
        return self._community_groups

    def _community_units(self, max_nodes: int) -> tuple[np.ndarray, list[_Group]]:
        """Each node's unit in the picture rolled up by community, and the groups.

        Every community is a unit (a group, or its node when it has one); past
        ``max_nodes`` units, the smallest communities share one group.
        """
        count = len(self.skeleton)
        unit = np.arange(count, dtype=np.int64)
        groups: list[_Group] = []
        every = self.community_groups()
        kept, rest = (
            (every, [])
            if len(every) <= max_nodes
            else (every[: max(max_nodes - 1, 1)], every[max(max_nodes - 1, 1) :])
        )
        if rest:
            members = np.concatenate([group.members for group in rest])
            kept = [
                *kept,
                _Group(
                    f"{GROUP_PREFIX}{COMMUNITY};",
                    COMMUNITY,
                    -1,
                    self._ordered(members),
                    f"{len(rest):,} smaller communities",
                ),
            ]
        for group in kept:
            if len(group.members) > 1:
                unit[group.members] = count + len(groups)
                groups.append(group)
        return unit, groups

    def levels(self, max_nodes: int) -> dict[str, int]:
        """How far each type is rolled up for a picture of at most ``max_nodes`` nodes.

        0: every node drawn; 1: grouped by anchor; 2: one group. The most
        numerous type is rolled up first, one step at a time.
        """
        sizes = {
            label: (
                len(nodes),
                len(np.unique(self.anchor[nodes])) if label in ANCHORS else len(nodes),
                1 if len(nodes) else 0,
            )
            for label, nodes in self.by_label.items()
        }
        level = dict.fromkeys(sizes, 0)
        while sum(sizes[label][level[label]] for label in sizes) > max_nodes:
            open_labels = [label for label in sizes if sizes[label][level[label]] > 1]
            if not open_labels:
                break
            label = max(open_labels, key=lambda name: sizes[name][level[name]])
            current = sizes[label][level[label]]
            level[label] = 1 if level[label] == 0 and sizes[label][1] < current else 2
        return level

    def group(self, group_id: str) -> _Group:
        """The group with this id.

        Raises
        ------
        GroupIdError
            For an id that is not a group id at all.
        UnknownGroupError
            For a group id of no group of this graph.
        """
        parts = group_id.split(";")
        well_formed = parts[0] + ";" == GROUP_PREFIX and len(parts) in (2, 3)
        community = (
            len(parts) == 3 and parts[1] == COMMUNITY and (parts[2].isdigit() or parts[2] == "")
        )
        if not well_formed or (parts[1] not in LABEL_TABLES and not community):
            raise GroupIdError(f"{group_id!r} is not a group id (group;Label[;anchor])")
        label = parts[1]
        if label == COMMUNITY and len(parts) == 3:
            for group in self.community_groups():
                if group.id == group_id:
                    return group
            if parts[2] == "":
                # The smaller communities: which they are depends on the picture's size.
                return _Group(group_id, COMMUNITY, -1, np.zeros(0, dtype=np.int64))
            raise UnknownGroupError(f"no group {group_id!r} in this graph")
        if len(parts) == 2:
            return self.label_group(label)
        for group in self.anchor_groups(label) if label in ANCHORS else ():
            if group.id == group_id:
                return group
        raise UnknownGroupError(f"no group {group_id!r} in this graph")

    # -- the picture --------------------------------------------------------------

    def _base_units(self, level: dict[str, int]) -> tuple[np.ndarray, list[_Group]]:
        """Each node's unit in the picture as rolled up (no expansion), and the groups.

        A unit is a node position, or ``len(skeleton) + g`` for the g-th group.
        """
        count = len(self.skeleton)
        unit = np.arange(count, dtype=np.int64)
        groups: list[_Group] = []
        for label, nodes in self.by_label.items():
            if not len(nodes) or level[label] == 0:
                continue
            chosen = [self.label_group(label)] if level[label] == 2 else self.anchor_groups(label)
            # A group of one is drawn as its node.
            for group in (g for g in chosen if len(g.members) > 1):
                unit[group.members] = count + len(groups)
                groups.append(group)
        return unit, groups

    def picture(
        self,
        max_nodes: int,
        expand: Sequence[str] = (),
        max_relationships: int = DEFAULT_MAX_RELATIONSHIPS,
        roll_up: RollUp = "type",
    ) -> dict[str, Any]:
        """The overview document: nodes with positions, relationships, ``rolled_up``.

        ``roll_up`` says how a picture too large is rolled up: by node type
        and anchor (the default), or by community.

        Of the picture's relationships at most ``max_relationships`` are
        listed, those standing for most relationships first;
        ``relationships_total`` says how many there are.

        Raises
        ------
        GroupIdError, UnknownGroupError
            For an ``expand`` that is not a group id, or not of a group of this graph.
        """
        skeleton = self.skeleton
        count = len(skeleton)
        wanted = [self.group(group_id) for group_id in dict.fromkeys(expand)]
        level = self.levels(max_nodes)
        by_community = roll_up == COMMUNITY.lower() and count > max_nodes
        unit, groups = self._community_units(max_nodes) if by_community else self._base_units(level)
        node_xy = self._positions(unit, groups, level)
        spacing = CANVAS / max(math.sqrt(len(node_xy)), 1.0) / 6
        shown_of: dict[str, int] = {}
        # Expand coarse groups before the anchor groups they hold, so that an
        # anchor group expanded inside an expanded type group is found.
        for asked in sorted(wanted, key=lambda g: g.anchor is not None):
            holder = self._holding_unit(unit, asked, count, groups)
            if holder is None:
                continue
            group = groups[holder - count]  # the picture's own (whose members it draws)
            centre = node_xy[holder]
            parts: list[tuple[_Group | None, np.ndarray]]
            if group.anchor is None and group.label in ANCHORS:
                parts = [
                    (child, child.members) for child in _capped(self.anchor_groups(group.label))
                ]
            else:
                parts = [(None, np.array([m])) for m in _capped(list(group.members))]
            for place, (child, nodes) in enumerate(parts):
                if child is None or len(nodes) == 1:
                    target = int(nodes[0])
                else:
                    target = count + len(groups)
                    groups.append(child)
                unit[nodes] = target
                node_xy[target] = _around(centre, place + 1, spacing)
            shown_of[group.id] = sum(len(nodes) for _, nodes in parts)
        rolled_up = by_community or any(level.values())
        document = self._document(unit, groups, node_xy, shown_of, rolled_up=rolled_up)
        relationships = self._relationships(unit, groups, max_relationships)
        return {**document, **relationships}

    def _holding_unit(
        self, unit: np.ndarray, group: _Group, count: int, groups: list[_Group]
    ) -> int | None:
        """The unit drawing this group now, if the picture has it (else nothing to expand)."""
        for number, candidate in enumerate(groups):
            if candidate.id == group.id and np.any(unit[candidate.members] == count + number):
                return count + number
        return None

    def _document(
        self,
        unit: np.ndarray,
        groups: list[_Group],
        node_xy: dict[int, tuple[float, float]],
        shown_of: dict[str, int],
        rolled_up: bool,
    ) -> dict[str, Any]:
        skeleton = self.skeleton
        count = len(skeleton)
        members = np.bincount(unit, minlength=count + len(groups))
        degree_of = np.bincount(
            np.concatenate([unit[skeleton.sources], unit[skeleton.targets]]),
            minlength=count + len(groups),
        )
        nodes = []
        for u in np.flatnonzero(members).tolist():
            x, y = node_xy[u]
            if u < count:
                nodes.append(
                    {
                        "id": skeleton.ids[u],
                        "label": list(LABEL_TABLES)[skeleton.labels[u]],
                        "name": skeleton.names[u],
                        "x": x,
                        "y": y,
                        "size": _size(int(degree_of[u])),
                        "members": 1,
                        "group": False,
                    }
                )
            else:
                group = groups[u - count]
                nodes.append(
                    {
                        "id": group.id,
                        "label": group.label,
                        "name": group.name(skeleton, shown_of.get(group.id, 0)),
                        "x": x,
                        "y": y,
                        "size": _size(int(members[u]), group=True),
                        "members": int(members[u]),
                        "group": True,
                    }
                )
        nodes.sort(key=lambda node: node["id"])
        return {"nodes": nodes, "rolled_up": rolled_up}

    def _unit_id(self, u: int, groups: list[_Group]) -> str:
        count = len(self.skeleton)
        return self.skeleton.ids[u] if u < count else groups[u - count].id

    def _relationships(self, unit: np.ndarray, groups: list[_Group], limit: int) -> dict[str, Any]:
        """Relationships between units (counted when an end is a group), the most first."""
        skeleton = self.skeleton
        count = len(skeleton)
        kinds = len(RELATIONSHIP_TYPES)
        units = count + len(groups)
        sources, targets = unit[skeleton.sources], unit[skeleton.targets]
        keys = (sources * kinds + skeleton.types.astype(np.int64)) * units + targets
        distinct, first, counts = np.unique(keys, return_index=True, return_counts=True)
        total = len(distinct)
        if total > limit:
            keep = np.sort(np.argsort(-counts, kind="stable")[:limit])
            distinct, first, counts = distinct[keep], first[keep], counts[keep]
        found = []
        for key, at, many in zip(distinct.tolist(), first.tolist(), counts.tolist(), strict=True):
            source, rest = divmod(key, kinds * units)
            kind, target = divmod(rest, units)
            grouped = source >= count or target >= count
            found.append(
                {
                    "source": self._unit_id(source, groups),
                    "type": RELATIONSHIP_TYPES[kind],
                    "target": self._unit_id(target, groups),
                    "properties": {"count": many}
                    if grouped
                    else dict(skeleton.properties.get(at, {})),
                }
            )
        found.sort(key=lambda r: (r["source"], r["type"], r["target"]))
        return {"relationships": found, "relationships_total": total}

    # -- layout -------------------------------------------------------------------

    def _positions(
        self, unit: np.ndarray, groups: list[_Group], level: dict[str, int]
    ) -> dict[int, tuple[float, float]]:
        """Positions of a picture's units.

        A picture of up to :data:`LAYOUT_LIMIT` units gets a force-directed
        layout of its own. A larger one is the picture rolled up to that
        size, laid out, with each of its units' contents spread round it: a
        finer picture never moves what a coarser one shows.
        """
        present, first = np.unique(unit, return_index=True)
        if len(present) <= LAYOUT_LIMIT:
            positions = self._layout(unit, groups)
            return {int(u): positions[i] for i, u in enumerate(present.tolist())}
        coarse_level = self.levels(LAYOUT_LIMIT)
        coarse_unit, coarse_groups = self._base_units(coarse_level)
        coarse_xy = self._positions(coarse_unit, coarse_groups, coarse_level)
        # Every unit lies inside the coarse unit of any of its nodes.
        containers: dict[int, list[int]] = {}
        for u, node in zip(present.tolist(), first.tolist(), strict=True):
            containers.setdefault(int(coarse_unit[node]), []).append(u)
        members = np.bincount(unit)
        radius = CANVAS / math.sqrt(len(coarse_xy)) / 2
        placed: dict[int, tuple[float, float]] = {}
        for container, inside in containers.items():
            inside.sort(key=lambda u: (-members[u], self._unit_id(u, groups)))
            spacing = radius / math.sqrt(len(inside))
            for place, u in enumerate(inside):
                placed[u] = _around(coarse_xy[container], place, spacing)
        return placed

    def _layout(self, unit: np.ndarray, groups: list[_Group]) -> list[tuple[float, float]]:
        """Positions of the picture's units (in ``np.unique(unit)`` order), cached."""
        skeleton = self.skeleton
        present = np.unique(unit)
        renumber = np.full(len(skeleton) + len(groups), -1, dtype=np.int64)
        renumber[present] = np.arange(len(present))
        first, second = renumber[unit[skeleton.sources]], renumber[unit[skeleton.targets]]
        low, high = np.minimum(first, second), np.maximum(first, second)
        pairs = np.unique((low * len(present) + high)[low != high])
        ends = np.stack(np.divmod(pairs, len(present)), axis=1)
        digest = hashlib.sha256()
        digest.update(np.asarray(ends, dtype=np.int64).tobytes())
        # The units' ids make the key name this picture of this graph, not another.
        for u in present.tolist():
            digest.update(self._unit_id(u, groups).encode() + b";")
        key = digest.hexdigest()
        with self._lock:
            positions = self._layouts.get(key)
            if positions is None:
                positions = self._load(key, len(present))
                if positions is None:
                    positions = _force_layout(len(present), ends)
                    self._save(key, positions)
                self._layouts[key] = positions
        return [(float(x), float(y)) for x, y in positions]

    def _cache_file(self, key: str) -> Path | None:
        return None if self.cache_dir is None else self.cache_dir / "layouts" / f"{key}.npy"

    def _load(self, key: str, count: int) -> np.ndarray | None:
        path = self._cache_file(key)
        if path is None or not path.exists():
            return None
        try:
            positions = np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            return None  # a damaged cache file is recomputed
        return positions if positions.shape == (count, 2) else None

    def _save(self, key: str, positions: np.ndarray) -> None:
        path = self._cache_file(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            with temporary.open("wb") as file:
                np.save(file, positions, allow_pickle=False)
            temporary.replace(path)
        except OSError:
            pass  # the cache is a convenience: an unwritable one only costs time


def _capped(items: list[T]) -> list[T]:
    """The first :data:`EXPAND_LIMIT` items, or all when only one would be left over."""
    return items if len(items) <= EXPAND_LIMIT + 1 else items[:EXPAND_LIMIT]


def _force_layout(count: int, ends: np.ndarray) -> np.ndarray:
    """A seeded force-directed layout of ``count`` nodes, scaled into the canvas."""
    if count == 0:
        return np.zeros((0, 2))
    graph = igraph.Graph(n=count, edges=ends.tolist(), directed=False)
    # Start from a spiral by position and seed igraph's random numbers, so the
    # same picture always gets the same layout.
    start = [_spiral(number) for number in range(count)]
    previous = igraph.set_random_number_generator(random.Random(1))
    try:
        layout = graph.layout_fruchterman_reingold(
            seed=start, niter=500, grid="auto" if count > 1000 else "nogrid"
        )
    finally:
        igraph.set_random_number_generator(previous or random)
    coordinates = np.array(layout.coords, dtype=float).reshape(-1, 2)
    low, high = coordinates.min(axis=0), coordinates.max(axis=0)
    span = np.where(high - low > 0, high - low, 1.0)
    scaled: np.ndarray = np.round((coordinates - low) / span.max() * CANVAS, 1)
    return scaled


_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def _spiral(number: int, spacing: float = 1.0) -> tuple[float, float]:
    """The ``number``-th point of a sunflower spiral (the 0th at the centre)."""
    radius = spacing * math.sqrt(number)
    return radius * math.cos(number * _GOLDEN_ANGLE), radius * math.sin(number * _GOLDEN_ANGLE)


def _around(centre: tuple[float, float], place: int, spacing: float) -> tuple[float, float]:
    """Where the ``place``-th member of a group goes: a spiral round the group's centre."""
    dx, dy = _spiral(place, spacing)
    return round(centre[0] + dx, 1), round(centre[1] + dy, 1)


def _size(count: int, group: bool = False) -> float:
    """Drawing size: grows with a node's relationships, or a group's members."""
    base, step = (6.0, 2.5) if group else (3.0, 1.5)
    return round(base + step * math.log2(1 + count), 1)
