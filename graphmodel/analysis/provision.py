"""Overlapping training provision: where partners could commission jointly.

The rule (docs/duplicates.md states it for users). Two active training
events (as in coverage: not cancelled, inside ``--from/--to``, evaluated at
least at ``--min-evaluation``) *overlap* when all of these hold:

1. both have a lead organisation, and the leads differ;
2. both have a start date, and their periods ``[start_date, end_date or
   start_date]`` intersect (both ends inclusive);
3. the competencies they cover overlap by at least ``min_overlap``
   (Jaccard index of their COVERS lists, default 0.5);
4. the professions they target overlap by at least ``min_overlap``
   (Jaccard index of their TARGETS lists).

An *overlap group* is a connected set of such pairs: one joint
commissioning opportunity, with the places and cost it involves.

Candidates come from the events' covered competencies (a sparse product of
the event-competency matrix: only events sharing a competency are ever
compared), so the search scales with the provision, not its square.

Example
-------
>>> from graphmodel.backends import MemoryBackend
>>> from graphmodel.dataset import read_dataset
>>> groups = overlapping_provision(MemoryBackend(read_dataset("examples/children-trust")))
>>> groups[0].events
('te-nscp-da-2027', 'te-police-da-2027', 'te-schools-da-2027')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graphmodel.analysis import defaults
from graphmodel.backends.base import GraphBackend
from graphmodel.projections import ActiveEvent, EventFilter

#: Jaccard index of covers and of targets from which two events overlap.
DEFAULT_MIN_OVERLAP = defaults.MIN_OVERLAP


@dataclass(frozen=True)
class ProvisionQuery:
    """Which events take part and how much they must share."""

    events: EventFilter = field(default_factory=EventFilter)
    min_overlap: float = DEFAULT_MIN_OVERLAP


@dataclass(frozen=True)
class OverlapGroup:
    """Events by different organisations covering much the same ground at the same time."""

    events: tuple[str, ...]
    organisations: tuple[str, ...]
    competencies: tuple[str, ...]
    shared_competencies: tuple[str, ...]
    professions: tuple[str, ...]
    start_date: dt.date
    end_date: dt.date
    places: int
    cost: float

    def to_json(self) -> dict[str, Any]:
        return {
            "events": list(self.events),
            "organisations": list(self.organisations),
            "competencies": list(self.competencies),
            "shared_competencies": list(self.shared_competencies),
            "professions": list(self.professions),
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat(),
            "places": self.places,
            "cost": self.cost,
        }


def _incidence(lists: Sequence[Sequence[str]]) -> sp.csr_matrix:
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    columns: list[int] = []
    for row, items in enumerate(lists):
        for item in items:
            rows.append(row)
            columns.append(vocabulary.setdefault(item, len(vocabulary)))
    shape = (len(lists), len(vocabulary))
    return sp.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=shape)


def overlapping_pairs(
    events: Sequence[ActiveEvent], min_overlap: float = DEFAULT_MIN_OVERLAP
) -> list[tuple[str, str]]:
    """Every pair ``(a, b)``, ``a < b``, of ``events`` that overlaps under the module's rule."""
    eligible = sorted(
        (e for e in events if e.lead_organisation and e.start_date and e.covers and e.targets),
        key=lambda e: e.id,
    )
    if len(eligible) < 2:
        return []
    covers = _incidence([e.covers for e in eligible])
    targets = _incidence([e.targets for e in eligible])
    sizes = np.asarray(covers.sum(axis=1)).ravel()
    shared = sp.triu(covers @ covers.T, k=1).tocoo()
    first, second, common = shared.row, shared.col, shared.data
    covers_jaccard = common / (sizes[first] + sizes[second] - common)
    keep = covers_jaccard >= min_overlap
    first, second = first[keep], second[keep]
    target_sizes = np.asarray(targets.sum(axis=1)).ravel()
    common_targets = np.asarray(targets[first].multiply(targets[second]).sum(axis=1)).ravel()
    union = target_sizes[first] + target_sizes[second] - common_targets
    keep = common_targets / np.maximum(union, 1) >= min_overlap
    pairs = []
    for i, j in zip(first[keep].tolist(), second[keep].tolist(), strict=True):
        a, b = eligible[i], eligible[j]
        a_start, b_start = a.start_date, b.start_date
        assert a_start is not None and b_start is not None  # eligible events are dated
        a_end, b_end = a.end_date or a_start, b.end_date or b_start
        if a.lead_organisation != b.lead_organisation and a_start <= b_end and b_start <= a_end:
            pairs.append((a.id, b.id))
    return sorted(pairs)


def overlapping_provision(
    backend: GraphBackend, query: ProvisionQuery | None = None
) -> list[OverlapGroup]:
    """Groups of overlapping training events, largest cost first (then by first event id).

    Parameters
    ----------
    backend
        Where the graph is; the active events come from its projection.
    query
        Which events take part and the overlap they need.
    """
    query = query or ProvisionQuery()
    events = backend.active_events(query.events)
    by_id = {event.id: event for event in events}
    graph = nx.Graph()
    graph.add_edges_from(overlapping_pairs(events, query.min_overlap))
    groups = []
    for component in nx.connected_components(graph):
        members = [by_id[i] for i in sorted(component)]
        starts = [m.start_date for m in members if m.start_date]
        ends = [m.end_date or m.start_date for m in members if m.start_date]
        covered = [set(m.covers) for m in members]
        groups.append(
            OverlapGroup(
                events=tuple(m.id for m in members),
                organisations=tuple(sorted({m.lead_organisation or "" for m in members})),
                competencies=tuple(sorted(set().union(*covered))),
                shared_competencies=tuple(sorted(set.intersection(*covered))),
                professions=tuple(sorted({p for m in members for p in m.targets})),
                start_date=min(starts),
                end_date=max(d for d in ends if d),
                places=sum(m.places or 0 for m in members),
                cost=float(sum(m.cost or 0.0 for m in members)),
            )
        )
    return sorted(groups, key=lambda g: (-g.cost, g.events))
