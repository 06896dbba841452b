"""Overlays: an analysis' answer drawn on the explorer's picture, as marked nodes.

An overlay runs one analysis with the same request the command line and the
API use (:mod:`graphmodel.analysis.requests`), and turns its JSON into what the page
draws: the nodes it is about, each with the *marks* that say why it is
highlighted, and the relationships among them (plus a few that are not in
the graph: a duplicate pair's similarity, a candidate's suggested link).
Marks are the words of the "Nodes shown" table's highlight column:

==============  ===============================================================
overlay         marks
==============  ===============================================================
``gaps``        ``profession`` (the professions asked about), ``gap`` (a
                required competency not covered for one of them), ``covered``
                (one covered), ``below-level`` before ``gap`` on a gap that
                is covered, but below the level needed; the active events
                that cover them (at whatever level), unmarked
``uncovered``   ``uncovered`` (a competency no active event covers); the
                professions that require one, unmarked
``duplicates``  ``duplicate`` (an initiative of a pair at or above the
                threshold); ``SIMILAR_TO`` links carry the pair's score
``reach``       ``driver``, ``responding`` (initiatives that respond to it),
                ``touched`` (what they address, target, or are led and
                partnered by), ``candidate`` (initiatives that should respond;
                ``SUGGESTED_RESPONSE`` links carry the score)
``brokers``     ``broker``, with ``value`` the betweenness
==============  ===============================================================

Because the marks come from the analysis' JSON, the marked set is exactly
what ``graphmodel COMMAND --format json`` answers for the same options. A
node's first mark sets its look on the page: a below-level gap keeps the
word ``gap`` (it is one of ``graphmodel gaps``' rows) and is drawn as
``below-level`` (docs/explorer.md).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, ClassVar

from pydantic import Field

from graphmodel.analysis.coverage import CoverageData, covering_events, level_steps
from graphmodel.analysis.requests import (
    Analysis,
    BrokersRequest,
    DuplicatesRequest,
    GapsRequest,
    LinksRequest,
    UncoveredRequest,
)
from graphmodel.backends.base import GraphBackend

#: Every mark, with what the legend says of it (docs/explorer.md's highlight words, in order).
MARKS: dict[str, str] = {
    "focus": "the node in focus",
    "gap": "a required competency no active training for the profession covers",
    "covered": "a required competency the profession's active training covers",
    "below-level": "a gap the profession's active training covers, but below the level needed",
    "profession": "the profession whose gaps are shown",
    "uncovered": "a competency no active training covers",
    "duplicate": "an initiative that repeats another",
    "driver": "the driver whose reach is shown",
    "responding": "an initiative that responds to the driver",
    "touched": "what the responding initiatives address, target or are led by",
    "candidate": "an initiative that shares that ground but does not respond yet",
    "broker": "an organisation or initiative that holds the partnership network together",
}


class GapsOverlay(GapsRequest):
    """``overlay=gaps``: the professions asked for, their requirements, what covers them."""

    overlay: ClassVar[str] = "gaps"


class UncoveredOverlay(UncoveredRequest):
    """``overlay=uncovered``: the competencies no active event covers."""

    overlay: ClassVar[str] = "uncovered"


class DuplicatesOverlay(DuplicatesRequest):
    """``overlay=duplicates``: initiatives that repeat each other, pairs with their scores."""

    overlay: ClassVar[str] = "duplicates"


class ReachOverlay(LinksRequest):
    """``overlay=reach&driver=D``: a driver, who responds, what they touch, candidates."""

    overlay: ClassVar[str] = "reach"

    driver: str = Field(description="The driver whose reach is shown.")


class BrokersOverlay(BrokersRequest):
    """``overlay=brokers``: the brokers of the partnership network, sized by betweenness."""

    overlay: ClassVar[str] = "brokers"

    limit: int | None = Field(default=20, ge=0, description="Mark at most this many brokers.")


#: Every overlay's request, by name.
OVERLAYS: dict[str, type[Analysis]] = {
    "gaps": GapsOverlay,
    "uncovered": UncoveredOverlay,
    "duplicates": DuplicatesOverlay,
    "reach": ReachOverlay,
    "brokers": BrokersOverlay,
}


class _Marks:
    """The marks, values and extra links an overlay collects, in the order found."""

    def __init__(self) -> None:
        self.marks: dict[str, list[str]] = {}
        self.values: dict[str, float] = {}
        self.links: list[dict[str, Any]] = []
        self.link_marks: dict[tuple[str, str, str], list[str]] = defaultdict(list)

    def add(self, ids: Iterable[str], mark: str | None) -> None:
        for node in ids:
            words = self.marks.setdefault(node, [])
            if mark is not None and mark not in words:
                words.append(mark)


def _gaps(backend: GraphBackend, request: GapsOverlay, found: _Marks) -> dict[str, Any]:
    answer = request.model_copy(update={"limit": None}).payload(backend)
    query = request.query()
    data = CoverageData(backend, query)
    gaps = {(g["profession"], g["competency"]): g for g in answer["gaps"]}
    requirements = data.selected_requirements()
    professions = sorted({r.profession for r in requirements})
    found.add(professions, "profession")
    for profession in professions:
        if data.levelled:
            direct, events = data.levels_for(profession)
            levelled = data.structure.level_closure(direct, events, reasons=True)
        else:
            covered = data.structure.closure(data.direct_for(profession))
        for requirement in requirements:
            if requirement.profession != profession:
                continue
            competency = requirement.competency
            gap = gaps.get((profession, competency))
            below = gap is not None and gap.get("covered_level") is not None
            marks = ["below-level", "gap"] if below else ["gap" if gap else "covered"]
            for mark in marks:
                found.add([competency], mark)
                found.link_marks[(profession, "REQUIRES", competency)].append(mark)
            if data.levelled and competency in levelled.level:
                steps = level_steps(data, levelled, competency)
                found.add(
                    sorted({e for s in steps if s["rule"] == "direct" for e in s["from"]}), None
                )
            elif gap is None and not data.levelled:
                found.add(covering_events(data.structure, covered, competency), None)
    return answer


def _uncovered(backend: GraphBackend, request: UncoveredOverlay, found: _Marks) -> dict[str, Any]:
    answer = request.model_copy(update={"limit": None}).payload(backend)
    for item in answer["uncovered"]:
        found.add([item["competency"]], "uncovered")
        found.add(item["required_by"], None)
    return answer


def _duplicates(backend: GraphBackend, request: DuplicatesOverlay, found: _Marks) -> dict[str, Any]:
    answer = request.model_copy(update={"kind": "initiatives"}).payload(backend)
    for pair in answer["pairs"]:
        found.add([pair["a"], pair["b"]], "duplicate")
        found.links.append(
            {
                "source": pair["a"],
                "type": "SIMILAR_TO",
                "target": pair["b"],
                "properties": {"score": pair["score"]},
                "marks": ["duplicate"],
                "virtual": True,
            }
        )
    return answer


def _reach(backend: GraphBackend, request: ReachOverlay, found: _Marks) -> dict[str, Any]:
    answer = request.payload(backend)
    found.add([answer["driver"]], "driver")
    found.add(answer["responding"], "responding")
    for kind in ("competencies", "professions", "organisations"):
        found.add(answer[kind], "touched")
    for candidate in answer["candidates"]:
        found.add([candidate["initiative"]], "candidate")
        found.links.append(
            {
                "source": candidate["initiative"],
                "type": "SUGGESTED_RESPONSE",
                "target": answer["driver"],
                "properties": {"score": candidate["score"]},
                "marks": ["candidate"],
                "virtual": True,
            }
        )
    return answer


def _brokers(backend: GraphBackend, request: BrokersOverlay, found: _Marks) -> dict[str, Any]:
    answer = request.payload(backend)
    for broker in answer["brokers"]:
        found.add([broker["id"]], "broker")
        found.values[broker["id"]] = broker["betweenness"]
    return answer


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


_BUILDERS = {
    "gaps": _gaps,
    "uncovered": _uncovered,
    "duplicates": _duplicates,
    "reach": _reach,
    "brokers": _brokers,
}


def overlay(backend: GraphBackend, name: str, request: Analysis) -> dict[str, Any]:
    """The overlay document of ``request``, a request of the overlay ``name`` (:data:`OVERLAYS`).

    Keys: ``overlay``; ``nodes`` (by id: ``id``, ``label``, ``name``,
    ``marks``, and ``value`` where the overlay sizes nodes); ``relationships``
    among those nodes (their ``marks``; ``virtual`` for the links the
    analysis adds); ``legend`` (each mark used, with its meaning); and
    ``analysis``, the analysis' own JSON.

    Raises
    ------
    NotFoundError
        For an id the analysis does not know (a profession, a driver).
    """
    found = _Marks()
    answer = _BUILDERS[name](backend, request, found)  # type: ignore[operator]
    ids = sorted(found.marks)
    named = {node.id: node for node in backend.named_nodes_by_id(ids)}
    nodes = []
    for node_id in ids:
        node = named[node_id]
        entry: dict[str, Any] = {
            "id": node.id,
            "label": node.label,
            "name": node.name,
            "marks": found.marks[node_id],
        }
        if node_id in found.values:
            entry["value"] = found.values[node_id]
        nodes.append(entry)
    shown = set(ids)
    relationships = [
        {
            "source": r.source,
            "type": r.type,
            "target": r.target,
            "properties": {k: _json_value(v) for k, v in r.properties.items()},
            "marks": found.link_marks.get((r.source, r.type, r.target), []),
            "virtual": False,
        }
        for r in backend.relationships_of(ids)
        if r.source in shown and r.target in shown
    ]
    relationships += found.links
    relationships.sort(key=lambda r: (r["source"], r["type"], r["target"]))
    used = {mark for words in found.marks.values() for mark in words}
    return {
        "overlay": name,
        "nodes": nodes,
        "relationships": relationships,
        "legend": [{"mark": mark, "text": text} for mark, text in MARKS.items() if mark in used],
        "analysis": answer,
    }
