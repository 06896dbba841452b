"""Links and horizon scanning: a driver's reach, related initiatives, what-if drivers.

Everything here is computed once, in Python, over two projections every
backend gives (:meth:`~graphmodel.backends.base.GraphBackend.initiatives` and
:meth:`~graphmodel.backends.base.GraphBackend.named_nodes`), so both backends
give the same answer.

**Ground.** An initiative *touches* the competencies it ADDRESSES, the
professions it TARGETS and the organisations that lead it or are partners in
it (and, for initiative links, the drivers it RESPONDS_TO). A driver's
*ground* is what its responding initiatives touch.

**Score.** A candidate's score is the Adamic-Adar sum over the items it
shares with the ground, each weighted ``1 / ln(n)``, where ``n`` is the
number of initiatives (among those the filter admits) that touch the item,
plus the TF-IDF text similarity (:mod:`graphmodel.analysis.text`) between the
two texts. A competency only two initiatives address weighs ``1 / ln 2 =
1.44``; a profession forty initiatives target weighs ``0.27``: sharing rare
ground counts for more than sharing what everybody does.

Example
-------
>>> from graphmodel.backends import MemoryBackend
>>> from graphmodel.dataset import read_dataset
>>> backend = MemoryBackend(read_dataset("examples/children-trust"))  # doctest: +SKIP
>>> reach = driver_reach(backend, "dr-inquiry-report")  # doctest: +SKIP
>>> len(reach.responding), reach.candidates[0].initiative  # doctest: +SKIP
(6, 'in-nscp-multiagency-programme')
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from graphmodel.analysis.text import DIGITS, TextIndex
from graphmodel.backends.base import GraphBackend
from graphmodel.errors import NotFoundError
from graphmodel.projections import InitiativeFilter, InitiativeNode, NamedNode
from graphmodel.suggest import did_you_mean

#: The kinds of ground a driver's reach is made of, in output order.
GROUND_KINDS: tuple[str, ...] = ("competencies", "professions", "organisations")
#: Initiatives are related through the drivers they respond to as well.
RELATED_KINDS: tuple[str, ...] = (*GROUND_KINDS, "drivers")
#: The node label of each kind of ground.
KIND_LABELS: dict[str, str] = {
    "competencies": "Competency",
    "professions": "Profession",
    "organisations": "Organisation",
    "drivers": "Driver",
}
_SINGULAR = {
    "competencies": "competency",
    "professions": "profession",
    "organisations": "organisation",
    "drivers": "driver",
}

#: Every initiative, whatever its status and dates (the default selection).
ALL_INITIATIVES = InitiativeFilter()
#: How much a text similarity of 1.0 counts against the graph part of a score.
TEXT_WEIGHT = 1.0
#: The least text similarity that makes an initiative a candidate on wording alone.
TEXT_FLOOR = 0.1
#: How many wording terms a candidate's explanation lists.
TERMS_SHOWN = 5


def _touched(node: InitiativeNode, kind: str) -> tuple[str, ...]:
    if kind == "competencies":
        return node.addresses
    if kind == "professions":
        return node.targets
    if kind == "organisations":
        return node.organisations
    return node.responds_to


def _plural(count: int, kind: str) -> str:
    return f"{count} {_SINGULAR[kind] if count == 1 else kind}"


@dataclass(frozen=True)
class Candidate:
    """An initiative ranked against a driver's ground (or another initiative's).

    ``shared`` holds the shared items by kind (sorted ids); ``graph_score`` is
    their Adamic-Adar sum, ``text_similarity`` the cosine of the two texts and
    ``score`` their sum (text weighted by :data:`TEXT_WEIGHT`); ``terms`` are
    the words that give the text similarity, strongest first; ``reason`` says
    it in one line.
    """

    initiative: str
    title: str
    score: float
    graph_score: float
    text_similarity: float
    shared: Mapping[str, tuple[str, ...]]
    terms: tuple[str, ...]
    reason: str

    def to_json(self) -> dict[str, Any]:
        """The candidate as in ``links --format json``."""
        return {
            "initiative": self.initiative,
            "title": self.title,
            "score": self.score,
            "graph_score": self.graph_score,
            "text_similarity": self.text_similarity,
            "shared": {kind: list(ids) for kind, ids in self.shared.items()},
            "terms": list(self.terms),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class DriverReach:
    """What a driver reaches, and what should respond to it but does not yet.

    ``responding`` is exactly the admitted initiatives that RESPOND_TO the
    driver; ``competencies``, ``professions`` and ``organisations`` exactly
    what those initiatives address, target and are led or partnered by (all
    sorted); ``candidates`` the other admitted initiatives that share that
    ground or the driver's wording, best first (``candidate_count`` of them
    before any limit). ``names`` gives the name or title of every id above.
    """

    driver: str
    name: str
    description: str | None
    responding: tuple[str, ...]
    competencies: tuple[str, ...]
    professions: tuple[str, ...]
    organisations: tuple[str, ...]
    candidates: tuple[Candidate, ...]
    candidate_count: int
    names: Mapping[str, str] = field(repr=False)

    def ground(self, kind: str) -> tuple[str, ...]:
        """The ids of one kind of ground (``"competencies"`` ...)."""
        return {
            "competencies": self.competencies,
            "professions": self.professions,
            "organisations": self.organisations,
        }[kind]

    def to_json(self) -> dict[str, Any]:
        """The JSON document of ``graphmodel links SOURCE --driver D`` (DESIGN section 6).

        Keys: ``driver``, ``name``, ``description``, ``responding``,
        ``competencies``, ``professions``, ``organisations`` (sorted ids),
        ``candidates`` (best first, see :meth:`Candidate.to_json`),
        ``summary`` (counts, ``candidates`` before any limit) and ``names``
        (id -> name or title for every id in the document).
        """
        return {
            "driver": self.driver,
            "name": self.name,
            "description": self.description,
            "responding": list(self.responding),
            "competencies": list(self.competencies),
            "professions": list(self.professions),
            "organisations": list(self.organisations),
            "candidates": [candidate.to_json() for candidate in self.candidates],
            "summary": {
                "responding": len(self.responding),
                "competencies": len(self.competencies),
                "professions": len(self.professions),
                "organisations": len(self.organisations),
                "candidates": self.candidate_count,
            },
            "names": dict(sorted(self.names.items())),
        }


class LinkIndex:
    """The initiatives a filter admits, indexed for link questions; build once, ask often.

    Parameters
    ----------
    backend
        Where the initiatives, drivers and names come from.
    initiatives
        Which initiatives take part (status and ``--from``/``--to`` window);
        the others are neither responders, nor ground, nor candidates, and
        do not count towards an item's rarity.
    """

    def __init__(self, backend: GraphBackend, initiatives: InitiativeFilter = ALL_INITIATIVES):
        self.filter = initiatives
        self._backend = backend
        self.initiatives: dict[str, InitiativeNode] = {
            node.id: node for node in backend.initiatives(initiatives)
        }
        self.order: list[str] = sorted(self.initiatives)
        self.position: dict[str, int] = {id_: i for i, id_ in enumerate(self.order)}
        named = backend.named_nodes(list(KIND_LABELS.values()))
        self.nodes: dict[str, NamedNode] = {node.id: node for node in named}
        self.drivers: list[str] = sorted(n.id for n in named if n.label == "Driver")
        self.competency_ids: list[str] = sorted(n.id for n in named if n.label == "Competency")
        # Who touches what: kind -> item -> the admitted initiatives touching it (sorted).
        self.touching: dict[str, dict[str, list[str]]] = {kind: {} for kind in RELATED_KINDS}
        for id_ in self.order:
            node = self.initiatives[id_]
            for kind in RELATED_KINDS:
                for item in _touched(node, kind):
                    self.touching[kind].setdefault(item, []).append(id_)

    # -- text -------------------------------------------------------------------

    @functools.cached_property
    def text(self) -> TextIndex:
        """One TF-IDF space over every admitted initiative, every driver and competency.

        Rows: the initiatives (in id order), then the drivers, then the
        competencies; see :meth:`driver_row` and :meth:`competency_row`.
        """
        texts = [self.initiatives[id_].text for id_ in self.order]
        texts += [self._node_text(id_) for id_ in self.drivers]
        texts += [self._node_text(id_) for id_ in self.competency_ids]
        return TextIndex(texts)

    def _node_text(self, id_: str) -> str:
        node = self.nodes[id_]
        return f"{node.name}. {node.description or ''}".strip()

    def driver_row(self, driver: str) -> int:
        """The text row of a driver."""
        return len(self.order) + self.drivers.index(driver)

    def competency_row(self, competency: str) -> int:
        """The text row of a competency."""
        return len(self.order) + len(self.drivers) + self.competency_ids.index(competency)

    # -- names and checks -------------------------------------------------------

    def name(self, id_: str) -> str:
        """The name (or title) of a node of the index."""
        if id_ in self.initiatives:
            return self.initiatives[id_].title
        node = self.nodes.get(id_)
        return node.name if node is not None else id_

    def weight(self, kind: str, item: str) -> float:
        """``1 / ln(n)``: the Adamic-Adar weight of an item ``n >= 2`` initiatives touch."""
        return 1.0 / math.log(len(self.touching[kind][item]))

    def check_driver(self, driver: str) -> None:
        """Raise :class:`NotFoundError` (with the closest driver ids) for an unknown driver."""
        if driver in self.nodes and self.nodes[driver].label == "Driver":
            return
        if driver in self.nodes:
            label = self.nodes[driver].label.lower()
            raise NotFoundError(f"{driver!r} is a {label}, not a driver")
        raise NotFoundError(f"unknown driver {driver!r}" + did_you_mean(driver, self.drivers))

    def check_initiative(self, initiative: str) -> None:
        """Raise :class:`NotFoundError` for an initiative that is unknown or not admitted."""
        if initiative in self.initiatives:
            return
        known = {n.id for n in self._backend.named_nodes(["Initiative"])}
        if initiative in known:
            raise NotFoundError(
                f"initiative {initiative!r} is outside the --status/--from/--to selection"
            )
        raise NotFoundError(f"unknown initiative {initiative!r}" + did_you_mean(initiative, known))

    # -- ground and ranking ------------------------------------------------------

    def ground(self, initiatives: Iterable[str], kinds: Sequence[str]) -> dict[str, set[str]]:
        """What the given initiatives touch, by kind."""
        found: dict[str, set[str]] = {kind: set() for kind in kinds}
        for id_ in initiatives:
            node = self.initiatives[id_]
            for kind in kinds:
                found[kind].update(_touched(node, kind))
        return found

    def graph_scores(
        self, ground: Mapping[str, Iterable[str]], exclude: set[str]
    ) -> dict[str, float]:
        """Adamic-Adar sum per initiative outside ``exclude`` that shares ``ground``.

        Items are visited in a fixed order (kind, then id) so that the float
        sums are the same on every backend.
        """
        scores: dict[str, float] = defaultdict(float)
        for kind, items in ground.items():
            touching = self.touching[kind]
            for item in sorted(items):
                ids = touching.get(item)
                if not ids or len(ids) < 2:
                    continue
                weight = 1.0 / math.log(len(ids))
                for id_ in ids:
                    if id_ not in exclude:
                        scores[id_] += weight
        return scores

    def rank(
        self,
        ground: Mapping[str, set[str]],
        exclude: set[str],
        subject: sp.csr_matrix,
        limit: int | None,
    ) -> tuple[list[Candidate], int]:
        """Candidates outside ``exclude``: sharing ground, or worded alike; best first.

        ``subject`` is the text vector of what candidates are compared with
        (a driver's row, an initiative's row, a what-if text). Returns the
        candidates (at most ``limit``) and how many there were in all.
        """
        index = self.text
        text_scores = index.similarities_to(subject)[: len(self.order)]
        graph = self.graph_scores(ground, exclude)
        worded = {
            self.order[int(i)]
            for i in np.flatnonzero(text_scores >= TEXT_FLOOR)
            if self.order[int(i)] not in exclude
        }
        scored: list[tuple[float, str, float, float]] = []
        for id_ in graph.keys() | worded:
            graph_score = round(graph.get(id_, 0.0), DIGITS)
            text_score = float(text_scores[self.position[id_]])
            total = round(graph_score + TEXT_WEIGHT * text_score, DIGITS)
            scored.append((total, id_, graph_score, text_score))
        scored.sort(key=lambda row: (-row[0], row[1]))
        chosen = scored if limit is None else scored[:limit]
        worded_rows = [self.position[id_] for _, id_, _, text_score in chosen if text_score > 0]
        terms = dict(
            zip(
                worded_rows, index.shared_terms_many(subject, worded_rows, TERMS_SHOWN), strict=True
            )
        )
        candidates = [
            self._candidate(id_, score, graph_score, text_score, ground, terms)
            for score, id_, graph_score, text_score in chosen
        ]
        return candidates, len(scored)

    def _candidate(
        self,
        id_: str,
        score: float,
        graph_score: float,
        text_score: float,
        ground: Mapping[str, set[str]],
        terms: Mapping[int, list[str]],
    ) -> Candidate:
        node = self.initiatives[id_]
        shared = {
            kind: tuple(sorted(set(_touched(node, kind)) & items)) for kind, items in ground.items()
        }
        words = tuple(terms.get(self.position[id_], ()))
        return Candidate(
            id_,
            node.title,
            score,
            graph_score,
            text_score,
            shared,
            words,
            self._reason(shared, words),
        )

    def _reason(self, shared: Mapping[str, tuple[str, ...]], terms: Sequence[str]) -> str:
        parts = [_plural(len(ids), kind) for kind, ids in shared.items() if ids]
        pieces = []
        if parts:
            rarest = min(
                (
                    (len(self.touching[kind][item]), kind, item)
                    for kind, ids in shared.items()
                    for item in ids
                ),
            )
            count, _, item = rarest
            pieces.append(
                "shares " + ", ".join(parts) + f"; rarest: {self.name(item)} ({count} initiatives)"
            )
        else:
            pieces.append("shares no ground")
        if terms:
            pieces.append("similar wording: " + ", ".join(terms[:3]))
        return "; ".join(pieces)

    # -- the questions -----------------------------------------------------------

    def reach(self, driver: str, limit: int | None = None) -> DriverReach:
        """The reach of one driver (see :func:`driver_reach`)."""
        self.check_driver(driver)
        responding = tuple(self.touching["drivers"].get(driver, ()))
        ground = self.ground(responding, GROUND_KINDS)
        subject = self.text.matrix[self.driver_row(driver)]
        candidates, count = self.rank(ground, set(responding), subject, limit)
        node = self.nodes[driver]
        ids = {driver, *responding, *(c.initiative for c in candidates)}
        for items in ground.values():
            ids.update(items)
        return DriverReach(
            driver=driver,
            name=node.name,
            description=node.description,
            responding=responding,
            competencies=tuple(sorted(ground["competencies"])),
            professions=tuple(sorted(ground["professions"])),
            organisations=tuple(sorted(ground["organisations"])),
            candidates=tuple(candidates),
            candidate_count=count,
            names={id_: self.name(id_) for id_ in ids},
        )


def driver_reach(
    backend: GraphBackend,
    driver_id: str,
    initiatives: InitiativeFilter = ALL_INITIATIVES,
    limit: int | None = None,
) -> DriverReach:
    """A driver's reach: who responds, what they touch, and who else should.

    Parameters
    ----------
    backend
        Either backend; both give the same answer.
    driver_id
        The driver's id.
    initiatives
        Which initiatives take part (``--status``, ``--from``, ``--to``).
    limit
        Keep at most this many candidates (``None``: all).

    Raises
    ------
    NotFoundError
        For an id that is not a driver (with the closest driver ids).

    Example
    -------
    >>> reach = driver_reach(backend, "dr-inquiry-report")  # doctest: +SKIP
    >>> reach.to_json()["responding"][:2]  # doctest: +SKIP
    ['in-icb-gp-safeguarding', 'in-ncc-neglect-toolkit']
    """
    return LinkIndex(backend, initiatives).reach(driver_id, limit)
