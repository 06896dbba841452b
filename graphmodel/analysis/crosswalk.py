"""Crosswalk: which competencies of one framework mean the same as those of another.

For each competency of framework A, :func:`crosswalk` suggests the
competencies of framework B that most likely mean the same, each with a
score in [0, 1] and the reasons a reviewer needs. The reviewer accepts
some (``graphmodel crosswalk apply``), they become ``equivalent_to``, and
the coverage rule (equivalent competencies count as one) does the rest.

How a pair is scored (measured choices, see docs/frameworks.md):

- **Wording** is the mean of three TF-IDF cosines (scikit-learn), each in
  [0, 1]: the *labels* (name and alternative labels together) compared by
  words, the labels compared by character n-grams (3-5 letters within
  words, which match "safeguard"/"safeguarding" and small spelling
  differences), and the *whole text* (labels and description) compared by
  words. Words are lower-cased, English stop words dropped and each word
  reduced to its stem (Snowball), so "protect" meets "protecting".
- **Structure**: when the two competencies' parents are already
  equivalent (directly or through other equivalences, or are one node),
  the score moves a quarter of the way from the wording towards 1.
- Candidates: for each competency of A, the :data:`CANDIDATES` competencies
  of B with the highest word similarity (a sparse product, one block of
  rows at a time, kept to the best per row), then scored exactly. A pair
  that shares no word stem with any candidate list is not suggested.

Example
-------
>>> from graphmodel.backends import MemoryBackend
>>> from graphmodel.model import Dataset, Framework, Competency
>>> backend = MemoryBackend(Dataset(
...     frameworks=[Framework(id="a", name="A"), Framework(id="b", name="B")],
...     competencies=[
...         Competency(id="a1", name="Apply safeguarding procedures", framework="a"),
...         Competency(id="b1", name="Protect vulnerable service users", framework="b",
...                    alt_labels=["follow safeguarding procedures"]),
...         Competency(id="b2", name="Keep case records", framework="b")]))
>>> result = crosswalk(backend, CrosswalkOptions("a", "b"))
>>> [(s.competency, [m.competency for m in s.matches]) for s in result.suggestions]
[('a1', ['b1'])]
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
import snowballstemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from graphmodel.backends.base import GraphBackend
from graphmodel.errors import FrameworkError
from graphmodel.projections import CompetencyNode, CompetencyText
from graphmodel.suggest import did_you_mean

#: Candidates of B scored exactly for each competency of A (at least ``limit``).
CANDIDATES = 30
#: How far (as a share of what is left to 1) equivalent parents move the score.
STRUCTURE_WEIGHT = 0.25
#: The default lowest score suggested.
DEFAULT_MIN_SCORE = 0.2
#: Scores are rounded to this many places (the same on both backends).
DIGITS = 4
#: Weights of the wording features: labels by words, labels by characters, whole text by
#: words, the most alike single labels (chosen on a tuning set of ESCO skills, see docs).
WEIGHTS = (1.0, 1.0, 1.0, 3.0)
#: Rows of A multiplied at once when finding candidates (bounds the memory).
BLOCK = 2000

_WORD_PATTERN = r"(?u)\b[^\W\d_]\w*\b"


@dataclass(frozen=True)
class CrosswalkOptions:
    """What a crosswalk is asked: from which framework to which, how many, how good.

    Built by the ``graphmodel crosswalk`` command (and, later, an HTTP API)
    from its options: ``--from``, ``--to``, ``--limit``, ``--min-score``.
    """

    from_framework: str
    to_framework: str
    limit: int = 3
    min_score: float = DEFAULT_MIN_SCORE

    def __post_init__(self) -> None:
        if self.limit < 1:
            raise FrameworkError(f"limit must be at least 1, got {self.limit}")
        if not 0.0 <= self.min_score <= 1.0:
            raise FrameworkError(f"min-score must be between 0 and 1, got {self.min_score}")


@dataclass(frozen=True)
class Match:
    """A suggested equivalent in framework B, its score and why."""

    competency: str
    name: str
    score: float
    reasons: dict[str, Any]

    def payload(self) -> dict[str, Any]:
        """The JSON form: ``{"competency", "score", "reasons"}``."""
        return {"competency": self.competency, "score": self.score, "reasons": self.reasons}


@dataclass(frozen=True)
class Suggestion:
    """A competency of framework A and its best matches in B, best first."""

    competency: str
    name: str
    matches: tuple[Match, ...]


@dataclass(frozen=True)
class Crosswalk:
    """The whole answer: every competency of A (by id) with its matches."""

    options: CrosswalkOptions
    suggestions: tuple[Suggestion, ...] = field(default=())

    def payload(self) -> dict[str, Any]:
        """``{"from", "to", "suggestions": [{"competency", "matches": [...]}]}`` (DESIGN 11)."""
        return {
            "from": self.options.from_framework,
            "to": self.options.to_framework,
            "suggestions": [
                {"competency": s.competency, "matches": [m.payload() for m in s.matches]}
                for s in self.suggestions
            ],
        }


# ---------------------------------------------------------------------------
# Text


@functools.cache
def _stemmer() -> Any:
    return snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    stem: str = _stemmer().stemWord(word)
    return stem


_WORDS = TfidfVectorizer(token_pattern=_WORD_PATTERN, lowercase=True).build_analyzer()


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased, without English stop words.

    Example
    -------
    >>> words("Protect the vulnerable service-users")
    ['protect', 'vulnerable', 'service-users']
    """
    return [word for word in _WORDS(text) if word not in ENGLISH_STOP_WORDS]


def stems(text: str) -> list[str]:
    """The stems of :func:`words` (Snowball English): what word similarity compares.

    Example
    -------
    >>> stems("Protecting vulnerable people")
    ['protect', 'vulner', 'peopl']
    """
    return [_stem(word) for word in words(text)]


def _cosines(left: sp.csr_matrix, right: sp.csr_matrix) -> np.ndarray:
    """Row-by-row dot products of two matrices of L2-normalised rows (cosines)."""
    if not left.shape[0]:
        return np.zeros(0)
    values: np.ndarray = np.asarray(left.multiply(right).sum(axis=1), dtype=np.float64).ravel()
    clipped: np.ndarray = np.clip(values, 0.0, 1.0)
    return clipped


def _top_per_row(matrix: sp.csr_matrix, k: int) -> tuple[np.ndarray, np.ndarray]:
    """``(rows, columns)`` of the ``k`` largest entries of each row (ties: smaller column)."""
    matrix = sp.csr_matrix(matrix)
    counts = np.diff(matrix.indptr)
    rows = np.repeat(np.arange(matrix.shape[0]), counts)
    order = np.lexsort((matrix.indices, -matrix.data, rows))
    rank = np.arange(len(order)) - matrix.indptr[rows]
    keep = order[rank < k]
    return rows[keep], matrix.indices[keep]


class _Side:
    """One framework's competencies as text: all labels together, whole texts, each label."""

    def __init__(self, texts: Sequence[CompetencyText]) -> None:
        self.texts = list(texts)
        self.labels = [" ; ".join(text.labels) for text in self.texts]
        self.full = [
            f"{label} ; {text.description}" if text.description else label
            for label, text in zip(self.labels, self.texts, strict=True)
        ]
        #: Every label on its own, competency by competency (the name first).
        self.each_label = [label for text in self.texts for label in text.labels]
        counts = np.array([len(text.labels) for text in self.texts], dtype=np.int64)
        self.label_count = counts
        self.label_start = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)


def _best_label_pairs(
    side_a: _Side,
    side_b: _Side,
    ia: np.ndarray,
    ib: np.ndarray,
    vectors: Sequence[tuple[sp.csr_matrix, sp.csr_matrix]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each pair ``(ia[p], ib[p])``, the most alike pair of single labels.

    Returns the similarity (the mean of the cosines of ``vectors``, pairs of
    label matrices of A and B) and the rows of the two labels in
    ``each_label``, all computed at once over every label pair.
    """
    count_a, count_b = side_a.label_count[ia], side_b.label_count[ib]
    per_pair = count_a * count_b
    total = int(per_pair.sum())
    owner = np.repeat(np.arange(len(ia)), per_pair)
    local = np.arange(total) - np.repeat(np.cumsum(per_pair) - per_pair, per_pair)
    rows_a = side_a.label_start[ia][owner] + local // count_b[owner]
    rows_b = side_b.label_start[ib][owner] + local % count_b[owner]
    similarity = np.zeros(total)
    for left, right in vectors:
        similarity += _cosines(left[rows_a], right[rows_b])
    similarity /= len(vectors)
    order = np.lexsort((local, -similarity, owner))
    first = order[np.concatenate([[0], np.cumsum(per_pair)[:-1]]).astype(np.int64)]
    return similarity[first], rows_a[first], rows_b[first]


# ---------------------------------------------------------------------------
# The analysis


def crosswalk(backend: GraphBackend, options: CrosswalkOptions) -> Crosswalk:
    """Suggest, for every competency of ``options.from_framework``, its equivalents in
    ``options.to_framework`` (see the module docstring for the score).

    Suggestions are sorted by competency id, matches best first (then by id);
    a competency with no match at ``min_score`` or above has none.

    Raises
    ------
    FrameworkError
        When a framework id is not in the graph (with the closest known ids).
    """
    known = [node.id for node in backend.named_nodes(["Framework"])]
    for framework in (options.from_framework, options.to_framework):
        if framework not in known:
            raise FrameworkError(
                f"unknown framework {framework!r}" + did_you_mean(framework, known)
            )
    texts = backend.competency_texts([options.from_framework, options.to_framework])
    side_a = _Side([t for t in texts if t.framework == options.from_framework])
    side_b = _Side([t for t in texts if t.framework == options.to_framework])
    if not side_a.texts:
        return Crosswalk(options)
    if not side_b.texts:
        return Crosswalk(options, tuple(Suggestion(t.id, t.name, ()) for t in side_a.texts))
    structure = _Structure(backend.competencies())
    return _suggest(side_a, side_b, structure, options)


class _Structure:
    """Parents and equivalence classes (equivalences are symmetric and transitive here)."""

    def __init__(self, competencies: Iterable[CompetencyNode]) -> None:
        nodes = list(competencies)
        self.parent = {c.id: c.parent for c in nodes}
        self._root: dict[str, str] = {c.id: c.id for c in nodes}
        self.equivalent: dict[str, set[str]] = {c.id: set() for c in nodes}
        for c in nodes:
            for other in c.equivalent_to:
                if other in self._root:
                    self._union(c.id, other)
                    self.equivalent[c.id].add(other)
                    self.equivalent[other].add(c.id)

    def _find(self, node: str) -> str:
        root = node
        while self._root[root] != root:
            root = self._root[root]
        while self._root[node] != root:
            self._root[node], node = root, self._root[node]
        return root

    def _union(self, a: str, b: str) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:
            self._root[max(ra, rb)] = min(ra, rb)

    def same_class(self, a: str | None, b: str | None) -> bool:
        """True when ``a`` and ``b`` are one node or equivalent (through any chain)."""
        if a is None or b is None or a not in self._root or b not in self._root:
            return False
        return self._find(a) == self._find(b)


def _suggest(
    side_a: _Side, side_b: _Side, structure: _Structure, options: CrosswalkOptions
) -> Crosswalk:
    word = TfidfVectorizer(analyzer=stems, sublinear_tf=True, dtype=np.float64)
    word.fit([*side_a.full, *side_b.full])
    char = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True
    )
    char.fit([*side_a.labels, *side_b.labels])
    label_a, label_b = word.transform(side_a.labels), word.transform(side_b.labels)
    full_a, full_b = word.transform(side_a.full), word.transform(side_b.full)
    char_a, char_b = char.transform(side_a.labels), char.transform(side_b.labels)
    same = options.from_framework == options.to_framework

    # Candidates: the best of B by word similarity of labels and of whole texts.
    # Within one framework a competency is not its own match: one more candidate, then drop it.
    k = max(CANDIDATES, options.limit) + (1 if same else 0)
    label_bt, full_bt = sp.csr_matrix(label_b.T), sp.csr_matrix(full_b.T)
    pair_a: list[np.ndarray] = []
    pair_b: list[np.ndarray] = []
    for start in range(0, len(side_a.texts), BLOCK):
        stop = start + BLOCK
        block = label_a[start:stop] @ label_bt + full_a[start:stop] @ full_bt
        rows, cols = _top_per_row(block, k)
        rows = rows + start
        if same:
            rows, cols = rows[rows != cols], cols[rows != cols]
        pair_a.append(rows)
        pair_b.append(cols)
    ia = np.concatenate(pair_a)
    ib = np.concatenate(pair_b)

    char_each_a, char_each_b = char.transform(side_a.each_label), char.transform(side_b.each_label)
    word_each_a, word_each_b = word.transform(side_a.each_label), word.transform(side_b.each_label)
    best_label, best_a, best_b = _best_label_pairs(
        side_a, side_b, ia, ib, [(char_each_a, char_each_b), (word_each_a, word_each_b)]
    )
    features = (
        _cosines(label_a[ia], label_b[ib]),
        _cosines(char_a[ia], char_b[ib]),
        _cosines(full_a[ia], full_b[ib]),
        best_label,
    )
    wording: np.ndarray = np.zeros(len(ia))
    for weight, feature in zip(WEIGHTS, features, strict=True):
        wording += weight * feature
    wording /= sum(WEIGHTS)
    parents_equivalent = np.array(
        [
            structure.same_class(
                structure.parent.get(side_a.texts[i].id), structure.parent.get(side_b.texts[j].id)
            )
            for i, j in zip(ia.tolist(), ib.tolist(), strict=True)
        ],
        dtype=bool,
    )
    score = np.where(parents_equivalent, wording + (1.0 - wording) * STRUCTURE_WEIGHT, wording)
    score = np.round(score, DIGITS)

    # Best first per competency of A, ties by id of B (the texts come sorted by id).
    keep = score >= options.min_score - 1e-12
    ia, ib, score, wording, parents_equivalent, best_a, best_b = (
        ia[keep],
        ib[keep],
        score[keep],
        wording[keep],
        parents_equivalent[keep],
        best_a[keep],
        best_b[keep],
    )
    order = np.lexsort((ib, -score, ia))
    explain = _Explainer(word, side_a, side_b, structure)
    matches: dict[int, list[Match]] = {}
    for position in order.tolist():
        i = int(ia[position])
        found = matches.setdefault(i, [])
        if len(found) >= options.limit:
            continue
        j = int(ib[position])
        found.append(
            Match(
                side_b.texts[j].id,
                side_b.texts[j].name,
                float(score[position]),
                explain(
                    i,
                    j,
                    float(wording[position]),
                    bool(parents_equivalent[position]),
                    (int(best_a[position]), int(best_b[position])),
                ),
            )
        )
    suggestions = tuple(
        Suggestion(text.id, text.name, tuple(matches.get(i, ())))
        for i, text in sorted(enumerate(side_a.texts), key=lambda item: item[1].id)
    )
    return Crosswalk(options, suggestions)


class _Explainer:
    """The reasons of one suggested pair: shared words, matched labels, structure."""

    def __init__(
        self, word: TfidfVectorizer, side_a: _Side, side_b: _Side, structure: _Structure
    ) -> None:
        self.idf = dict(zip(word.get_feature_names_out().tolist(), word.idf_.tolist(), strict=True))
        self.side_a, self.side_b, self.structure = side_a, side_b, structure

    def shared_words(self, text_a: str, text_b: str, limit: int = 5) -> list[str]:
        """Words of A's text whose stem B's text has too, rarest (most telling) first."""
        stems_b = set(stems(text_b))
        found: dict[str, str] = {}
        for item in words(text_a):
            stem = _stem(item)
            if stem in stems_b and stem not in found:
                found[stem] = item
        ranked = sorted(found.items(), key=lambda pair: (-self.idf.get(pair[0], 0.0), pair[1]))
        return [item for _, item in ranked[:limit]]

    def __call__(
        self,
        i: int,
        j: int,
        wording: float,
        parents_equivalent: bool,
        best_labels: tuple[int, int],
    ) -> dict[str, Any]:
        a, b = self.side_a.texts[i], self.side_b.texts[j]
        shared = self.shared_words(self.side_a.labels[i], self.side_b.labels[j]) or (
            self.shared_words(self.side_a.full[i], self.side_b.full[j])
        )
        # The alternative labels among the two most alike labels (none when the names are).
        label_a = self.side_a.each_label[best_labels[0]]
        label_b = self.side_b.each_label[best_labels[1]]
        alternative = [label for label, own in ((label_a, a), (label_b, b)) if label != own.name]
        reasons: dict[str, Any] = {
            "wording": round(wording, DIGITS),
            "shared_words": shared,
            "matched_alt_labels": alternative,
            "parents_equivalent": parents_equivalent,
            "already_equivalent": self.structure.same_class(a.id, b.id),
        }
        if parents_equivalent:
            reasons["parents"] = [self.structure.parent.get(a.id), self.structure.parent.get(b.id)]
        return reasons
