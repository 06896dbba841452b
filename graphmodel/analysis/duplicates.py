"""Duplicated initiatives: pairs that repeat each other, explained, and their clusters.

A pair's score, in [0, 1], is a weighted mean of two similarities:

- **structure**: the weighted Jaccard index of the ground the two share
  (professions targeted, competencies addressed, drivers responded to, lead
  and partner organisations), each item weighted by its rarity among the
  initiatives compared, ``log((N + 1) / df)`` (see
  :mod:`graphmodel.analysis.blocking`), so sharing a rare competency counts
  for more than sharing the driver half the partnership responds to;
- **text**: the TF-IDF cosine of their titles and descriptions
  (:mod:`graphmodel.analysis.text`, with a stop list of the words every
  workforce paper uses).

``score = STRUCTURE_WEIGHT * structure + (1 - STRUCTURE_WEIGHT) * text``.
Structure weighs more because text alone cannot tell a duplicate from the
same programme run for another workforce (measured on the labelled set in
``tests/data/duplicates-labelled``; see docs/duplicates.md).

Pairs already linked by BUILDS_ON are a known continuation, not a
duplicate, and are left out.

Blocking, exact by construction: the score is a weighted mean, so a pair can
only reach the threshold ``t`` when ``ground + text >= 2t``: a pair sharing no
ground needs text similarity ``2t``, and in general ``text >= 2t - ground``.
:class:`graphmodel.analysis.blocking.CandidateSearch` computes an upper bound
of that sum for every pair that can have one above zero, a block of
initiatives at a time, in compiled sparse (or, for a small vocabulary,
dense) products over the initiative projection; only the pairs whose bound
reaches ``t`` are scored, block by block, so memory stays bounded whatever
the wording. :func:`exhaustive_pairs` (every pair scored by the same code)
returns the same pairs.

Example
-------
>>> from graphmodel.backends import MemoryBackend
>>> from graphmodel.dataset import read_dataset
>>> report = find_duplicates(MemoryBackend(read_dataset("examples/children-trust")))
>>> [(pair.a, pair.b) for pair in report.pairs][:1]
[('in-ncc-neglect-toolkit', 'in-nhs-neglect-tool')]
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graphmodel.analysis import defaults
from graphmodel.analysis.blocking import CandidateSearch, initiative_weights, neighbour_items
from graphmodel.analysis.text import TextIndex
from graphmodel.backends.base import GraphBackend
from graphmodel.projections import InitiativeFilter, InitiativeNode

#: Share of the score that comes from shared ground; the rest is text.
STRUCTURE_WEIGHT = 0.5

#: Pairs scoring at least this are reported (chosen on the labelled set; docs/duplicates.md).
DEFAULT_THRESHOLD = defaults.DUPLICATE_THRESHOLD

#: Scores are rounded to this many places before any comparison.
SCORE_DIGITS = 4

#: A scored pair: a, b, score, structure, text.
Row = tuple[str, str, float, float, float]

#: Kinds of shared item, in the order reasons list them.
ITEM_KINDS = ("competencies", "professions", "drivers", "organisations")


@dataclass(frozen=True)
class DuplicateQuery:
    """What to compare and what to report.

    Parameters
    ----------
    threshold
        Report pairs scoring at least this, in [0, 1].
    same_lead
        ``True``: only pairs with the same lead organisation; ``False``: only
        pairs led by different organisations; ``None``: both.
    initiatives
        Which initiatives take part (status and period).
    """

    threshold: float = DEFAULT_THRESHOLD
    same_lead: bool | None = None
    initiatives: InitiativeFilter = field(default_factory=InitiativeFilter)


@dataclass(frozen=True)
class SharedItem:
    """One item a pair shares, with the rarity weight it brings."""

    id: str
    name: str
    weight: float

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "weight": self.weight}


@dataclass(frozen=True)
class DuplicatePair:
    """Two initiatives that repeat each other (``a < b``), with why."""

    a: str
    b: str
    score: float
    structure: float
    text: float
    shared: dict[str, tuple[SharedItem, ...]]
    words: tuple[str, ...]
    same_lead: bool

    def shared_ground(self, per_kind: int = 3) -> str:
        """The shared items in one line, rarest first, at most ``per_kind`` of each kind named."""
        parts = []
        for kind in ITEM_KINDS:
            items = self.shared[kind]
            if items:
                names = ", ".join(item.name for item in items[:per_kind])
                more = f" +{len(items) - per_kind}" if len(items) > per_kind else ""
                parts.append(f"{kind}: {names}{more}")
        return "; ".join(parts) or "no shared ground"

    @property
    def summary(self) -> str:
        """The reasons in one line: shared ground, then the words the texts share."""
        words = "; words: " + ", ".join(self.words) if self.words else ""
        return self.shared_ground() + words

    def to_json(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "score": self.score,
            "reasons": {
                "structure": self.structure,
                "text": self.text,
                "shared": {
                    kind: [item.to_json() for item in items] for kind, items in self.shared.items()
                },
                "words": list(self.words),
                "same_lead": self.same_lead,
                "summary": self.summary,
            },
        }


@dataclass(frozen=True)
class DuplicateCluster:
    """A connected group of duplicate pairs.

    ``natural_lead`` is the initiative that started first (undated ones
    after dated ones, ties by id): the one the others could build on.
    """

    initiatives: tuple[str, ...]
    leads: tuple[str, ...]
    budget: float
    natural_lead: str

    def to_json(self) -> dict[str, Any]:
        return {
            "initiatives": list(self.initiatives),
            "leads": list(self.leads),
            "budget": self.budget,
            "natural_lead": self.natural_lead,
        }


@dataclass(frozen=True)
class DuplicateReport:
    """The duplicate pairs above the threshold, best first, and their clusters."""

    query: DuplicateQuery
    pairs: list[DuplicatePair]
    clusters: list[DuplicateCluster]
    compared: int
    candidates: int

    def to_json(self) -> dict[str, Any]:
        """``{"pairs": [...], "clusters": [[ids]], ...}`` (docs/duplicates.md)."""
        return {
            "pairs": [pair.to_json() for pair in self.pairs],
            "clusters": [list(cluster.initiatives) for cluster in self.clusters],
            "cluster_details": [cluster.to_json() for cluster in self.clusters],
            "summary": {
                "initiatives": self.compared,
                "candidates": self.candidates,
                "pairs": len(self.pairs),
                "clusters": len(self.clusters),
                "threshold": self.query.threshold,
            },
        }


class InitiativeSimilarity:
    """Scores pairs of initiatives; every pair is scored by :meth:`score` alone.

    Parameters
    ----------
    initiatives
        The initiatives compared (their rarity weights and text vocabulary
        come from this list, so the same list gives the same scores).
    """

    def __init__(self, initiatives: Sequence[InitiativeNode]) -> None:
        # Positions follow id order, so comparing positions compares ids.
        self.initiatives = sorted(initiatives, key=lambda node: node.id)
        self.ids = [node.id for node in self.initiatives]
        self.position = {node_id: index for index, node_id in enumerate(self.ids)}
        items = [neighbour_items(node) for node in self.initiatives]
        self.weights = initiative_weights(self.initiatives)
        vocabulary = {item: column for column, item in enumerate(sorted(self.weights))}
        rows = [index for index, held in enumerate(items) for _ in held]
        columns = [vocabulary[item] for held in items for item in held]
        shape = (len(items), len(vocabulary))
        ones = np.ones(len(columns))
        self.held = sp.csr_matrix((ones, (rows, columns)), shape=shape)
        weight_of_column = np.array([self.weights[item] for item in sorted(self.weights)])
        self.weighted = sp.csr_matrix(self.held.multiply(weight_of_column[np.newaxis, :]))
        self.totals = np.asarray(self.weighted.sum(axis=1)).ravel()
        self.text = TextIndex([node.text for node in self.initiatives])
        lead_codes: dict[str, int] = {}
        self.leads = np.array(
            [
                lead_codes.setdefault(n.lead, len(lead_codes)) if n.lead else -1
                for n in self.initiatives
            ],
            dtype=np.int64,
        )
        linked = [
            self.code(self.position[node.id], self.position[earlier])
            for node in self.initiatives
            for earlier in node.builds_on
            if earlier in self.position
        ]
        self.builds_on = np.unique(np.array(linked, dtype=np.int64))

    @functools.cached_property
    def search(self) -> CandidateSearch:
        """The blocked search for pairs that may reach a threshold (built on first use)."""
        return CandidateSearch(self.held, self.weighted, self.text.matrix, STRUCTURE_WEIGHT)

    def code(self, first: Any, second: Any) -> Any:
        """One integer per unordered pair of positions (arrays or ints): ``min * N + max``."""
        size = len(self.initiatives)
        return np.minimum(first, second) * size + np.maximum(first, second)

    def score(self, first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, ...]:
        """Structure, text and score of the pairs ``(first[k], second[k])`` (positions).

        Each pair's numbers depend on that pair alone, so scoring a pair in
        a batch of candidates or among all pairs gives the same result.
        """
        if not len(first):
            empty = np.zeros(0)
            return empty, empty, empty
        shared = np.asarray(self.weighted[first].multiply(self.held[second]).sum(axis=1)).ravel()
        union = self.totals[first] + self.totals[second] - shared
        structure = np.round(
            np.divide(shared, union, out=np.zeros_like(shared), where=union > 0), 6
        )
        matrix = self.text.matrix
        if matrix.shape[1]:
            text = np.asarray(matrix[first].multiply(matrix[second]).sum(axis=1)).ravel()
        else:
            text = np.zeros(len(first))
        text = np.round(np.minimum(text, 1.0), 6)
        score = np.round(STRUCTURE_WEIGHT * structure + (1 - STRUCTURE_WEIGHT) * text, SCORE_DIGITS)
        return structure, text, score

    def admissible(self, first: np.ndarray, second: np.ndarray, same_lead: bool | None) -> Any:
        """Mask of the pairs not linked by BUILDS_ON and kept by the lead filter."""
        keep = ~np.isin(self.code(first, second), self.builds_on)
        if same_lead is not None:
            same = (self.leads[first] >= 0) & (self.leads[first] == self.leads[second])
            keep &= same if same_lead else ~same
        return keep

    def above(self, first: np.ndarray, second: np.ndarray, query: DuplicateQuery) -> list[Row]:
        """The admissible pairs of positions ``first < second`` scoring at least the threshold."""
        keep = self.admissible(first, second, query.same_lead)
        first, second = first[keep], second[keep]
        structure, text, score = self.score(first, second)
        keep = score >= query.threshold
        return [
            (self.ids[a], self.ids[b], s, g, t)
            for a, b, s, g, t in zip(
                first[keep].tolist(),
                second[keep].tolist(),
                score[keep].tolist(),
                structure[keep].tolist(),
                text[keep].tolist(),
                strict=True,
            )
        ]


def _best_first(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda row: (-row[2], row[0], row[1]))


def blocked_pairs(
    similarity: InitiativeSimilarity,
    query: DuplicateQuery,
    search: CandidateSearch | None = None,
) -> tuple[list[Row], int]:
    """The pairs scoring at least the threshold, found by the blocked search, best first,
    and how many candidates were scored.

    Each block of candidates is scored and dropped before the next is made,
    so memory follows one block and the pairs found. ``search`` replaces the
    similarity's own (tests use it to force each way of searching).
    """
    found: list[Row] = []
    candidates = 0
    for first, second in (search or similarity.search).blocks(query.threshold):
        candidates += len(first)
        found.extend(similarity.above(first, second, query))
    return _best_first(found), candidates


def exhaustive_pairs(similarity: InitiativeSimilarity, query: DuplicateQuery) -> list[Row]:
    """Every pair scored, no blocking: the reference the blocked search must equal."""
    size = len(similarity.initiatives)
    found: list[Row] = []
    for first in range(size):
        second = np.arange(first + 1, size, dtype=np.int64)
        found.extend(similarity.above(np.full(len(second), first, dtype=np.int64), second, query))
    return _best_first(found)


def _natural_lead(members: Sequence[InitiativeNode]) -> str:
    def started(node: InitiativeNode) -> tuple[bool, dt.date, str]:
        return (node.start_date is None, node.start_date or dt.date.max, node.id)

    return min(members, key=started).id


def clusters_of(
    pairs: Sequence[DuplicatePair], initiatives: dict[str, InitiativeNode]
) -> list[DuplicateCluster]:
    """Connected groups of pairs, largest first (then by first id)."""
    graph = nx.Graph()
    graph.add_edges_from((pair.a, pair.b) for pair in pairs)
    groups = sorted(
        (sorted(component) for component in nx.connected_components(graph)),
        key=lambda ids: (-len(ids), ids),
    )
    clusters = []
    for ids in groups:
        members = [initiatives[i] for i in ids]
        clusters.append(
            DuplicateCluster(
                initiatives=tuple(ids),
                leads=tuple(sorted({m.lead for m in members if m.lead})),
                budget=float(sum(m.budget for m in members if m.budget is not None)),
                natural_lead=_natural_lead(members),
            )
        )
    return clusters


def _explain(
    similarity: InitiativeSimilarity,
    names: dict[str, tuple[str, str]],
    row: Row,
    words: list[str],
) -> DuplicatePair:
    a, b, score, structure, text = row
    first = similarity.initiatives[similarity.position[a]]
    second = similarity.initiatives[similarity.position[b]]
    common = set(neighbour_items(first)) & set(neighbour_items(second))
    kind_of_label = {
        "Competency": "competencies",
        "Profession": "professions",
        "Driver": "drivers",
        "Organisation": "organisations",
    }
    shared: dict[str, list[SharedItem]] = {kind: [] for kind in ITEM_KINDS}
    for item in common:
        label, name = names.get(item, ("", item))
        weight = round(similarity.weights[item], 4)
        shared[kind_of_label.get(label, "organisations")].append(SharedItem(item, name, weight))
    return DuplicatePair(
        a=a,
        b=b,
        score=score,
        structure=structure,
        text=text,
        shared={
            kind: tuple(sorted(items, key=lambda i: (-i.weight, i.id)))
            for kind, items in shared.items()
        },
        words=tuple(words),
        same_lead=first.lead is not None and first.lead == second.lead,
    )


def find_duplicates(backend: GraphBackend, query: DuplicateQuery | None = None) -> DuplicateReport:
    """Initiative pairs that repeat each other, best first, with reasons and clusters.

    Parameters
    ----------
    backend
        Where the graph is; candidate generation runs there.
    query
        Threshold, lead filter and which initiatives take part.

    Returns
    -------
    DuplicateReport
        Pairs sorted by score descending, then ids; clusters largest first.
    """
    query = query or DuplicateQuery()
    initiatives = backend.initiatives(query.initiatives)
    similarity = InitiativeSimilarity(initiatives)
    rows, candidates = blocked_pairs(similarity, query)
    wanted = {item for a, b, *_ in rows for item in (a, b)}
    needed = {
        item
        for initiative in initiatives
        if initiative.id in wanted
        for item in neighbour_items(initiative)
    }
    names = {
        node.id: (node.label, node.name)
        for node in backend.named_nodes(["Competency", "Profession", "Driver", "Organisation"])
        if node.id in needed
    }
    words = similarity.text.shared_terms_of_pairs(
        [similarity.position[row[0]] for row in rows], [similarity.position[row[1]] for row in rows]
    )
    pairs = [
        _explain(similarity, names, row, terms) for row, terms in zip(rows, words, strict=True)
    ]
    by_id = {node.id: node for node in initiatives}
    return DuplicateReport(
        query=query,
        pairs=pairs,
        clusters=clusters_of(pairs, by_id),
        compared=len(initiatives),
        candidates=candidates,
    )
