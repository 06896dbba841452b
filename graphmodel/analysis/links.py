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
shares with the ground, each weighted ``1 / ln(1 + n)``, where ``n`` is the
number of initiatives (among those the filter admits) that touch the item,
plus the TF-IDF text similarity (:mod:`graphmodel.analysis.text`) between the
two texts. A competency only two initiatives address weighs ``1 / ln 3 =
0.91``; a profession forty initiatives target weighs ``0.27``: sharing rare
ground counts for more than sharing what everybody does. (The ``1 +``
keeps the weight finite for an item a single initiative touches, which a
what-if text can share with it.)

Example
-------
>>> from graphmodel.backends import MemoryBackend
>>> from graphmodel.dataset import read_dataset
>>> backend = MemoryBackend(read_dataset("examples/children-trust"))  # doctest: +SKIP
>>> reach = driver_reach(backend, "dr-inquiry-report")  # doctest: +SKIP
>>> len(reach.responding), reach.candidates[0].initiative  # doctest: +SKIP
(7, 'in-nscp-multiagency-programme')
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

from graphmodel.analysis import defaults
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
TEXT_FLOOR = 0.15
#: The least text similarity at which a what-if text matches a driver, initiative or competency.
MATCH_FLOOR = defaults.MATCH_FLOOR
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


def _a(label: str) -> str:
    """``"an initiative"``, ``"a training event"``: a label in a sentence."""
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in label).strip()
    return ("an " if words[0] in "aeiou" else "a ") + words


def rarity_weight(touching: int) -> float:
    """``1 / ln(1 + n)``: what sharing an item ``n >= 1`` initiatives touch is worth.

    Example
    -------
    >>> round(rarity_weight(2), 2), round(rarity_weight(40), 2)
    (0.91, 0.27)
    """
    return 1.0 / math.log1p(touching)


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
        """The JSON document of ``graphmodel links SOURCE --driver D`` (docs/links.md).

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


@dataclass(frozen=True)
class Suggestion:
    """A BUILDS_ON link that is missing: ``later`` could build on ``earlier``.

    Both are related (see :class:`InitiativeLinks`), ``earlier`` started
    first, neither builds on the other yet, and they share at least one
    competency and one profession (the same skills for the same people).
    """

    later: str
    earlier: str
    score: float
    reason: str

    def to_json(self) -> dict[str, Any]:
        """The suggestion as in ``links --initiative --format json``."""
        return {"from": self.later, "to": self.earlier, "score": self.score, "reason": self.reason}


@dataclass(frozen=True)
class InitiativeLinks:
    """One initiative's links: existing BUILDS_ON both ways, related, and suggested links.

    ``related`` are the other admitted initiatives that share its
    competencies, professions, organisations or drivers, or its wording,
    ranked like a driver's candidates; ``link`` says for each whether a
    BUILDS_ON link already joins them (``"builds_on"``: the subject builds on
    it; ``"built_on_by"``: it builds on the subject).
    """

    initiative: str
    title: str
    start_date: str | None
    builds_on: tuple[str, ...]
    built_on_by: tuple[str, ...]
    related: tuple[Candidate, ...]
    related_count: int
    suggested: tuple[Suggestion, ...]
    names: Mapping[str, str] = field(repr=False)

    def link(self, other: str) -> str | None:
        """``"builds_on"``, ``"built_on_by"`` or ``None`` for another initiative."""
        if other in self.builds_on:
            return "builds_on"
        if other in self.built_on_by:
            return "built_on_by"
        return None

    def to_json(self) -> dict[str, Any]:
        """The JSON document of ``graphmodel links SOURCE --initiative I``.

        Keys: ``initiative``, ``title``, ``start_date``, ``builds_on`` and
        ``built_on_by`` (sorted ids), ``related`` (best first; each as a
        driver's candidate plus ``link``), ``suggested`` (``from`` could
        build on ``to``; best first), ``summary`` and ``names``.
        """
        return {
            "initiative": self.initiative,
            "title": self.title,
            "start_date": self.start_date,
            "builds_on": list(self.builds_on),
            "built_on_by": list(self.built_on_by),
            "related": [
                {**candidate.to_json(), "link": self.link(candidate.initiative)}
                for candidate in self.related
            ],
            "suggested": [suggestion.to_json() for suggestion in self.suggested],
            "summary": {
                "builds_on": len(self.builds_on),
                "built_on_by": len(self.built_on_by),
                "related": self.related_count,
                "suggested": len(self.suggested),
            },
            "names": dict(sorted(self.names.items())),
        }


@dataclass(frozen=True)
class TextMatch:
    """A node whose text is like a what-if text: its similarity and the shared words."""

    id: str
    label: str
    name: str
    similarity: float
    terms: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """The match as in ``links --text --format json``."""
        return {
            "id": self.id,
            "label": self.label,
            "name": self.name,
            "similarity": self.similarity,
            "terms": list(self.terms),
        }


@dataclass(frozen=True)
class WhatIf:
    """A driver not yet in the data, given as text, mapped onto the graph and expanded.

    ``matched`` holds the drivers, initiatives and competencies whose text is
    like it (most similar first). ``responding`` is what would respond: the
    matched initiatives and the initiatives that respond to a matched driver;
    ``competencies`` are the matched competencies and those ``responding``
    addresses, ``professions`` and ``organisations`` what it targets and who
    leads or partners it. :meth:`origin` says which ids came from the text
    and which from graph reach; ``candidates`` are ranked as for a driver.
    """

    text: str
    matched: Mapping[str, tuple[TextMatch, ...]]
    responding: tuple[str, ...]
    competencies: tuple[str, ...]
    professions: tuple[str, ...]
    organisations: tuple[str, ...]
    candidates: tuple[Candidate, ...]
    candidate_count: int
    names: Mapping[str, str] = field(repr=False)

    def by_text(self) -> dict[str, list[str]]:
        """The ids matched by text, by kind (sorted)."""
        return {kind: sorted(m.id for m in matches) for kind, matches in self.matched.items()}

    def by_graph(self) -> dict[str, list[str]]:
        """The ids reached through the graph only (not matched by text), by kind (sorted)."""
        text = self.by_text()
        return {
            "initiatives": sorted(set(self.responding) - set(text["initiatives"])),
            "competencies": sorted(set(self.competencies) - set(text["competencies"])),
            "professions": list(self.professions),
            "organisations": list(self.organisations),
        }

    def to_json(self) -> dict[str, Any]:
        """The JSON document of ``graphmodel links SOURCE --text "..."``.

        The keys of a driver's reach (``driver`` is ``null``), plus ``text``,
        ``matched`` (by kind, each match with its similarity and words) and
        ``origin``: ``{"text": {...}, "graph": {...}}``, the ids that came
        from the text and those reached through the graph.
        """
        return {
            "driver": None,
            "text": self.text,
            "matched": {
                kind: [match.to_json() for match in matches]
                for kind, matches in self.matched.items()
            },
            "responding": list(self.responding),
            "competencies": list(self.competencies),
            "professions": list(self.professions),
            "organisations": list(self.organisations),
            "origin": {"text": self.by_text(), "graph": self.by_graph()},
            "candidates": [candidate.to_json() for candidate in self.candidates],
            "summary": {
                "matched": sum(len(matches) for matches in self.matched.values()),
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
        # Text rows: the initiatives, then the drivers, then the competencies.
        self.row: dict[str, int] = {
            id_: row for row, id_ in enumerate([*self.order, *self.drivers, *self.competency_ids])
        }
        # What each initiative touches (id -> kind -> items), and who touches
        # what (kind -> item -> the admitted initiatives touching it, sorted).
        self.touches: dict[str, dict[str, tuple[str, ...]]] = {}
        self.touching: dict[str, dict[str, list[str]]] = {kind: {} for kind in RELATED_KINDS}
        for id_ in self.order:
            node = self.initiatives[id_]
            self.touches[id_] = {kind: _touched(node, kind) for kind in RELATED_KINDS}
            for kind, items in self.touches[id_].items():
                for item in items:
                    self.touching[kind].setdefault(item, []).append(id_)

    # -- text -------------------------------------------------------------------

    @functools.cached_property
    def text(self) -> TextIndex:
        """One TF-IDF space over every admitted initiative, every driver and competency.

        Rows: the initiatives, then the drivers, then the competencies, each
        in id order (:attr:`row` gives an id's row).
        """
        texts = [self.initiatives[id_].text for id_ in self.order]
        texts += [self._node_text(id_) for id_ in self.drivers]
        texts += [self._node_text(id_) for id_ in self.competency_ids]
        return TextIndex(texts)

    def _node_text(self, id_: str) -> str:
        node = self.nodes[id_]
        return f"{node.name}. {node.description or ''}".strip()

    # -- names and checks -------------------------------------------------------

    def name(self, id_: str) -> str:
        """The name (or title) of a node of the index."""
        if id_ in self.initiatives:
            return self.initiatives[id_].title
        node = self.nodes.get(id_)
        return node.name if node is not None else id_

    def check_driver(self, driver: str) -> None:
        """Raise :class:`NotFoundError` (with the closest driver ids) for an unknown driver."""
        node = self.nodes.get(driver)
        if node is not None and node.label == "Driver":
            return
        other = node or next((n for n in self._backend.named_nodes() if n.id == driver), None)
        if other is not None:
            raise NotFoundError(f"{driver!r} is {_a(other.label)}, not a driver")
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
            touches = self.touches[id_]
            for kind in kinds:
                found[kind].update(touches[kind])
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
                if not ids:
                    continue
                weight = rarity_weight(len(ids))
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
            kind: tuple(sorted(items.intersection(self.touches[id_][kind])))
            for kind, items in ground.items()
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
                "shares "
                + ", ".join(parts)
                + f"; rarest: {self.name(item)} "
                + ("(no other initiative)" if count == 1 else f"({count} initiatives)")
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
        subject = self.text.matrix[self.row[driver]]
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

    def related(self, initiative: str, limit: int | None = None) -> InitiativeLinks:
        """One initiative's links (see :func:`initiative_links`)."""
        self.check_initiative(initiative)
        node = self.initiatives[initiative]
        builds_on = tuple(sorted(i for i in node.builds_on if i in self.initiatives))
        built_on_by = tuple(
            sorted(i for i in self.order if initiative in self.initiatives[i].builds_on)
        )
        ground = self.ground([initiative], RELATED_KINDS)
        subject = self.text.matrix[self.row[initiative]]
        related, count = self.rank(ground, {initiative}, subject, None)
        linked = {*builds_on, *built_on_by}
        suggested = []
        for candidate in related:
            other = self.initiatives[candidate.initiative]
            if (
                candidate.initiative in linked
                or not candidate.shared["competencies"]
                or not candidate.shared["professions"]
                or node.start_date is None
                or other.start_date is None
                or node.start_date == other.start_date
            ):
                continue
            later, earlier = (node, other) if other.start_date < node.start_date else (other, node)
            suggested.append(
                Suggestion(
                    later.id,
                    earlier.id,
                    candidate.score,
                    f"{later.id} (from {later.start_date}) could build on {earlier.id} "
                    f"(from {earlier.start_date}): {candidate.reason}",
                )
            )
        if limit is not None:
            related, suggested = related[:limit], suggested[:limit]
        ids = {initiative, *builds_on, *built_on_by, *(c.initiative for c in related)}
        for candidate in related:
            for items in candidate.shared.values():
                ids.update(items)
        return InitiativeLinks(
            initiative=initiative,
            title=node.title,
            start_date=node.start_date.isoformat() if node.start_date else None,
            builds_on=builds_on,
            built_on_by=built_on_by,
            related=tuple(related),
            related_count=count,
            suggested=tuple(suggested),
            names={id_: self.name(id_) for id_ in ids},
        )

    def what_if(
        self,
        text: str,
        limit: int | None = None,
        min_similarity: float = MATCH_FLOOR,
        matches: int = 5,
    ) -> WhatIf:
        """A driver given as text (see :func:`what_if`)."""
        if not text.strip():
            raise ValueError("the what-if text is empty")
        index = self.text
        subject = index.vector(text)
        scores = index.similarities_to(subject)
        sections = {
            "drivers": self.drivers,
            "initiatives": self.order,
            "competencies": self.competency_ids,
        }
        matched: dict[str, tuple[TextMatch, ...]] = {}
        for kind, ids in sections.items():
            ranked = sorted(
                (
                    (-float(scores[self.row[id_]]), id_)
                    for id_ in ids
                    if scores[self.row[id_]] >= min_similarity and scores[self.row[id_]] > 0
                ),
            )[:matches]
            rows = [self.row[id_] for _, id_ in ranked]
            words = index.shared_terms_many(subject, rows, TERMS_SHOWN)
            matched[kind] = tuple(
                TextMatch(
                    id_,
                    "Initiative" if kind == "initiatives" else self.nodes[id_].label,
                    self.name(id_),
                    -negative,
                    tuple(terms),
                )
                for (negative, id_), terms in zip(ranked, words, strict=True)
            )
        responding = {m.id for m in matched["initiatives"]}
        for match in matched["drivers"]:
            responding.update(self.touching["drivers"].get(match.id, ()))
        ground = self.ground(responding, GROUND_KINDS)
        ground["competencies"].update(m.id for m in matched["competencies"])
        candidates, count = self.rank(ground, responding, subject, limit)
        named = {*responding, *(c.initiative for c in candidates)}
        for kind_matches in matched.values():
            named.update(m.id for m in kind_matches)
        for items in ground.values():
            named.update(items)
        return WhatIf(
            text=text,
            matched=matched,
            responding=tuple(sorted(responding)),
            competencies=tuple(sorted(ground["competencies"])),
            professions=tuple(sorted(ground["professions"])),
            organisations=tuple(sorted(ground["organisations"])),
            candidates=tuple(candidates),
            candidate_count=count,
            names={id_: self.name(id_) for id_ in named},
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


def initiative_links(
    backend: GraphBackend,
    initiative_id: str,
    initiatives: InitiativeFilter = ALL_INITIATIVES,
    limit: int | None = None,
) -> InitiativeLinks:
    """An initiative's existing BUILDS_ON links, related initiatives and missing links.

    Related initiatives share its competencies, professions, organisations
    or drivers (weighted by rarity) or its wording; a missing link is
    suggested where a related initiative started earlier (the later one
    could build on it), no BUILDS_ON joins them either way, and they share
    at least one competency and one profession.

    Parameters
    ----------
    limit
        Keep at most this many related initiatives and suggestions (``None``: all).

    Raises
    ------
    NotFoundError
        For an unknown initiative (with the closest ids), or one the
        selection leaves out.
    """
    return LinkIndex(backend, initiatives).related(initiative_id, limit)


def what_if(
    backend: GraphBackend,
    text: str,
    initiatives: InitiativeFilter = ALL_INITIATIVES,
    limit: int | None = None,
    min_similarity: float = MATCH_FLOOR,
    matches: int = 5,
) -> WhatIf:
    """Map a driver that is not in the data yet, given as text, onto the graph.

    The text is compared (TF-IDF, in the space of every admitted initiative,
    driver and competency) with each driver, initiative and competency; up to
    ``matches`` of each kind with a similarity of at least ``min_similarity``
    are *matched by text*. The initiatives matched, and those responding to
    a matched driver (*graph reach*), would respond; their ground plus the
    matched competencies is then expanded and candidates ranked as for
    :func:`driver_reach`.

    Raises
    ------
    ValueError
        For an empty text (the command line refuses it first).
    """
    return LinkIndex(backend, initiatives).what_if(text, limit, min_similarity, matches)
