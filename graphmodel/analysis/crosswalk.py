"""Crosswalk: which competencies of one framework mean the same as those of another.

For each competency of framework A, :func:`crosswalk` suggests the
competencies of framework B that most likely mean the same, each with a
score in [0, 1] and the reasons a reviewer needs. The reviewer accepts
some (``graphmodel crosswalk apply``), they become ``equivalent_to``, and
the coverage rule (equivalent competencies count as one) does the rest.

How a pair is scored (measured choices, see docs/frameworks.md):

- **Wording**, in [0, 1], is a weighted mean of four TF-IDF cosines
  (scikit-learn) and a coverage: the *labels* (name and alternative labels
  together) compared by words (1), the labels compared by character
  n-grams, 3-5 letters within words, which meet "safeguard"/"safeguarding"
  and small spelling differences (1), the *whole text* (labels and
  description) compared by words (1), the *most alike single labels*, one
  of each competency, compared by words and characters (3: one label
  saying the same thing is the strongest sign), and the *coverage*, the
  IDF-weighted share of A's label stems found anywhere in B's text (3: a
  terse statement whose every word B uses is likely B). Words are lower-cased, English stop
  words dropped and each word reduced to its stem (Snowball, through
  PyStemmer), so "protect" meets "protecting"; hyphens split words.
- **Structure**: when the two competencies' parents are already
  equivalent (directly or through other equivalences, or are one node),
  the score moves a quarter of the way from the wording towards 1.
- **Candidates**: for each competency of A, the :data:`CANDIDATES`
  competencies of B with the highest word similarity (labels, whole text
  and coverage: sparse products, one block of rows at a time, the best
  kept per row), each then scored exactly as above. A competency of B that
  shares no word stem with one of A is never suggested for it, unless:
- **Meaning** (``embeddings=True``, the optional extra, see
  :mod:`graphmodel.analysis.meaning`): the :data:`CANDIDATES` of B closest
  in meaning join the candidates, and the score becomes the weighted mean
  of the score above (1), the best-label cosine (1) and the whole-text
  cosine (0.5) of a sentence-embedding model, negative cosines counted as 0.

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
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
import Stemmer
from sklearn.feature_extraction.text import (
    ENGLISH_STOP_WORDS,
    CountVectorizer,
    TfidfTransformer,
)
from sklearn.preprocessing import normalize

from graphmodel.analysis import defaults, meaning
from graphmodel.backends.base import GraphBackend
from graphmodel.errors import FrameworkError
from graphmodel.projections import CompetencyNode, CompetencyText
from graphmodel.suggest import did_you_mean

#: Candidates of B found for each competency of A by word similarity (at least ``limit``).
CANDIDATES = 15
#: How far (as a share of what is left to 1) equivalent parents move the score.
STRUCTURE_WEIGHT = 0.25
#: The default lowest score suggested.
DEFAULT_MIN_SCORE = defaults.CROSSWALK_MIN_SCORE
#: Scores are rounded to this many places (the same on both backends).
DIGITS = 4
#: Weights of the wording features: labels by words, labels by characters, whole text by
#: words, the most alike single labels (chosen on a tuning set of ESCO skills, see docs).
WEIGHTS = (1.0, 1.0, 1.0, 3.0, 3.0)
#: Label pairs compared at once when finding the most alike labels (bounds the memory).
PAIR_SLICE = 50_000
#: Pairs (rows of A x competencies of B) multiplied at once when finding candidates:
#: bounds the memory (5M cells, 20 MB as a dense single-precision block).
BLOCK_CELLS = 5_000_000
#: Above this share of pairs (bounded by the products' work), candidate blocks are arrays.
DENSE_SHARE = 0.2
#: A word in more than this share of B's vectors is held as an array in dense products.
FREQUENT_SHARE = 1 / 64

#: A word: letters (and digits after the first letter); hyphens and apostrophes split words.
_WORD = re.compile(r"(?u)\b[^\W\d_]\w*\b")


@dataclass(frozen=True)
class CrosswalkOptions:
    """What a crosswalk is asked: from which framework to which, how many, how good.

    Built by the ``graphmodel crosswalk`` command (and, later, an HTTP API)
    from its options: ``--from``, ``--to``, ``--limit``, ``--min-score``,
    ``--embeddings`` (meaning compared by a sentence-embedding model too: needs
    the optional extra ``graphmodel[embeddings]``).
    """

    from_framework: str
    to_framework: str
    limit: int = 3
    min_score: float = DEFAULT_MIN_SCORE
    embeddings: bool = False

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
        """``{"from", "to", "suggestions": [{"competency", "matches": [...]}]}``.

        The contract is in docs/frameworks.md.
        """
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
    return Stemmer.Stemmer("english")


def _tokens(text: str) -> list[str]:
    """Every word of ``text``, lower-cased, stop words included."""
    return _WORD.findall(text.lower())


def stems(text: str) -> list[str]:
    """The stems of the words of ``text`` (lower-cased, English stop words dropped):
    what word similarity compares.

    Example
    -------
    >>> stems("Protecting the vulnerable service-users")
    ['protect', 'vulner', 'servic', 'user']
    """
    words = [word for word in _tokens(text) if word not in ENGLISH_STOP_WORDS]
    stemmed: list[str] = _stemmer().stemWords(words)
    return stemmed


def _cosines(left: sp.csr_matrix, right: sp.csr_matrix) -> np.ndarray:
    """Row-by-row dot products of two matrices of L2-normalised rows (cosines)."""
    if not left.shape[0]:
        return np.zeros(0)
    values: np.ndarray = np.asarray(left.multiply(right).sum(axis=1), dtype=np.float64).ravel()
    clipped: np.ndarray = np.clip(values, 0.0, 1.0)
    return clipped


def _weighted(features: Sequence[np.ndarray], weights: Sequence[float]) -> np.ndarray:
    """The weighted mean of the features."""
    total: np.ndarray = np.zeros(len(features[0]))
    for weight, feature in zip(weights, features, strict=True):
        total += weight * feature
    result: np.ndarray = total / sum(weights)
    return result


def _top_dense(block: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """``(rows, columns)`` of the ``k`` largest positive entries of each row of an array
    (``argpartition``: linear time)."""
    n_rows, n_columns = block.shape
    if n_columns <= k:
        rows, columns = np.nonzero(block > 0)
        return rows, columns
    chosen = np.argpartition(-block, k - 1, axis=1)[:, :k]
    values = np.take_along_axis(block, chosen, axis=1).ravel()
    rows = np.repeat(np.arange(n_rows), k)
    columns = chosen.ravel()
    kept = values > 0
    return rows[kept], columns[kept]


def _top_per_row(matrix: sp.csr_matrix, k: int) -> tuple[np.ndarray, np.ndarray]:
    """``(rows, columns)`` of the ``k`` largest non-zero entries of each row.

    A block where most pairs share some word is selected as an array
    (:func:`_top_dense`); a sparse one by sorting its entries (ties: the
    smaller column).
    """
    matrix = sp.csr_matrix(matrix)
    n_rows, n_columns = matrix.shape
    if n_columns > k and matrix.nnz > 0.05 * n_rows * n_columns:
        return _top_dense(matrix.toarray(), k)
    counts = np.diff(matrix.indptr)
    rows = np.repeat(np.arange(n_rows), counts)
    order = np.lexsort((matrix.indices, -matrix.data, rows))
    rank = np.arange(len(order)) - matrix.indptr[rows]
    keep = order[rank < k]
    return rows[keep], matrix.indices[keep]


def _candidates(
    pairs: Sequence[tuple[sp.csr_matrix, sp.csr_matrix]], k: int, same: bool
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray] | None]:
    """For each row of A, the ``k`` rows of B with the highest sum of the cosines of
    ``pairs`` (matrices of A and of B with L2-normalised rows): ``(ia, ib, features)``.

    Where most pairs share some word (a framework of few, repeated words) every
    product is dense: the blocks are computed as arrays (the frequent words' vectors
    of B held as an array, the rare ones' sparse), the best of each row chosen with
    ``argpartition``, and ``features`` are each cosine of the chosen pairs, read from
    the blocks. Otherwise one sparse product of side-by-side vectors gives the sums,
    and ``features`` is None (the caller computes the cosines of the chosen pairs).
    Single precision: half the memory traffic.
    """
    n_a, n_b = pairs[0][0].shape[0], pairs[0][1].shape[0]
    # Rows per block so that a block, even dense, stays near BLOCK_CELLS cells.
    rows_per_block = max(1, BLOCK_CELLS // max(1, n_b))
    found: list[tuple[np.ndarray, ...]] = []
    # The products' work, counted by word: a bound on the share of pairs with a non-zero sum.
    work = sum(
        float(np.diff(sp.csc_matrix(left).indptr) @ np.diff(sp.csc_matrix(right).indptr))
        for left, right in pairs
    )
    if work <= DENSE_SHARE * n_a * n_b:
        query = sp.csr_matrix(sp.hstack([left for left, _ in pairs]), dtype=np.float32)
        keys = sp.csr_matrix(sp.hstack([right for _, right in pairs]).T, dtype=np.float32)
        for start in range(0, n_a, rows_per_block):
            rows, cols = _top_per_row(query[start : start + rows_per_block] @ keys, k)
            if same:
                keep = rows + start != cols
                rows, cols = rows[keep], cols[keep]
            found.append((rows + start, cols))
        ia, ib = (np.concatenate(part) for part in zip(*found, strict=True))
        return ia, ib, None
    products = [_DenseProduct(left, right) for left, right in pairs]
    for start in range(0, n_a, rows_per_block):
        blocks = [product.block(start, rows_per_block) for product in products]
        total = blocks[0] + blocks[1]
        total += blocks[2]
        rows, cols = _top_dense(total, k)
        if same:
            keep = rows + start != cols
            rows, cols = rows[keep], cols[keep]
        values = [np.clip(block[rows, cols], 0.0, 1.0).astype(np.float64) for block in blocks]
        found.append((rows + start, cols, *values))
    ia, ib, *features = (np.concatenate(part) for part in zip(*found, strict=True))
    return ia, ib, features


class _DenseProduct:
    """Blocks of rows of ``left @ right.T`` as arrays: the columns of ``right`` that many
    rows use (frequent words) are held as an array, the rest stay sparse."""

    def __init__(self, left: sp.csr_matrix, right: sp.csr_matrix) -> None:
        right_t = sp.csr_matrix(right.T, dtype=np.float32)
        frequent = np.diff(right_t.indptr) > right_t.shape[1] * FREQUENT_SHARE
        self.left = sp.csc_matrix(left, dtype=np.float32)
        self.left_frequent = sp.csr_matrix(self.left[:, frequent])
        self.left_rare = sp.csr_matrix(self.left[:, ~frequent])
        self.frequent = right_t[frequent].toarray()
        self.rare = sp.csr_matrix(right_t[~frequent])

    def block(self, start: int, rows: int) -> np.ndarray:
        part = slice(start, start + rows)
        dense: np.ndarray = np.asarray(self.left_frequent[part] @ self.frequent)
        rare = sp.coo_matrix(self.left_rare[part] @ self.rare)
        dense[rare.row, rare.col] += rare.data
        return dense


def _stem_mapping(vocabulary: list[str], counts: sp.csr_matrix) -> tuple[sp.csr_matrix, list[str]]:
    """A words x stems matrix (stop words map to nothing) and, for each stem, the word
    that shows it in reasons: its most frequent form (then the first alphabetically)."""
    kept = [i for i, word in enumerate(vocabulary) if word not in ENGLISH_STOP_WORDS]
    stemmed = _stemmer().stemWords([vocabulary[i] for i in kept])
    names = sorted(set(stemmed))
    column = {stem: position for position, stem in enumerate(names)}
    mapping = sp.csr_matrix(
        (np.ones(len(kept)), (kept, [column[stem] for stem in stemmed])),
        shape=(len(vocabulary), len(names)),
    )
    frequency = np.asarray(counts.sum(axis=0)).ravel()
    shown: dict[str, tuple[float, str]] = {}
    for i, stem in zip(kept, stemmed, strict=True):
        candidate = (-frequency[i], vocabulary[i])
        if stem not in shown or candidate < shown[stem]:
            shown[stem] = candidate
    return mapping, [shown[stem][1] for stem in names]


def _char_grams(vocabulary: list[str]) -> sp.csr_matrix:
    """Character 3-5-grams of each word, padded with a space (scikit-learn's ``char_wb``).

    A text's n-grams within words are the sum of its words' n-grams, so each
    distinct word is cut once and texts get theirs by a sparse product.
    """
    grams = CountVectorizer(analyzer="char_wb", ngram_range=(3, 5), dtype=np.float64)
    return sp.csr_matrix(grams.fit_transform(vocabulary))


def _shared_words(
    matrices: Sequence[sp.csr_matrix],
    rows_a: np.ndarray,
    rows_b: np.ndarray,
    idf: np.ndarray,
    shown: list[str],
    limit: int = 5,
) -> list[list[str]]:
    """For each pair of rows, the stems both have (rarest first) in the first of
    ``matrices`` where they share any, each shown as a word."""
    found: list[list[str]] = [[] for _ in range(len(rows_a))]
    for matrix in matrices:
        todo = np.array([p for p, words in enumerate(found) if not words], dtype=np.int64)
        if not len(todo):
            break
        product = sp.csr_matrix(matrix[rows_a[todo]].multiply(matrix[rows_b[todo]]))
        for k, p in enumerate(todo.tolist()):
            columns = product.indices[product.indptr[k] : product.indptr[k + 1]].tolist()
            ranked = sorted(columns, key=lambda c: (-idf[c], shown[c]))[:limit]
            found[p] = [shown[c] for c in ranked]
    return found


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
        #: The competency (position) of each label.
        self.label_owner = np.repeat(np.arange(len(self.texts)), counts)


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
    owner, local, rows_a, rows_b = meaning.label_pairs(
        side_a.label_start, side_a.label_count, side_b.label_start, side_b.label_count, ia, ib
    )
    total = len(owner)
    similarity = np.zeros(total)
    # A slice of label pairs at a time: gathered character vectors are large.
    for start in range(0, total, PAIR_SLICE):
        part = slice(start, start + PAIR_SLICE)
        for left, right in vectors:
            similarity[part] += _cosines(left[rows_a[part]], right[rows_b[part]])
    similarity /= len(vectors)
    order = np.lexsort((local, -similarity, owner))
    first = order[np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])]
    return similarity[first], rows_a[first], rows_b[first]


# ---------------------------------------------------------------------------
# The analysis


def crosswalk(
    backend: GraphBackend, options: CrosswalkOptions, embedding_cache: Path | None = None
) -> Crosswalk:
    """Suggest, for every competency of ``options.from_framework``, its equivalents in
    ``options.to_framework`` (see the module docstring for the score).

    With ``options.embeddings``, ``embedding_cache`` is a folder where encoded texts are
    kept between runs (:func:`graphmodel.analysis.meaning.encoder`); None keeps nothing.

    Suggestions are sorted by competency id, matches best first (then by id);
    a competency with no match at ``min_score`` or above has none.

    Raises
    ------
    FrameworkError
        When a framework id is not in the graph (with the closest known ids).
    ExtraMissingError
        With ``options.embeddings``, when the embeddings extra is not installed.
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
    encoder = meaning.encoder(embedding_cache) if options.embeddings else None
    structure = _Structure(backend.competencies())
    return _suggest(side_a, side_b, structure, options, encoder)


class _Structure:
    """Parents and equivalence classes (equivalences are symmetric and transitive here)."""

    def __init__(self, competencies: Iterable[CompetencyNode]) -> None:
        nodes = list(competencies)
        self.parent = {c.id: c.parent for c in nodes}
        self._root: dict[str, str] = {c.id: c.id for c in nodes}
        for c in nodes:
            for other in c.equivalent_to:
                if other in self._root:
                    self._union(c.id, other)

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

    def _class_ids(self, nodes: Sequence[str | None], classes: dict[str, int]) -> np.ndarray:
        """A number per equivalence class (-1 for no node), shared through ``classes``."""
        return np.array(
            [
                -1
                if node is None or node not in self._root
                else classes.setdefault(self._find(node), len(classes))
                for node in nodes
            ],
            dtype=np.int64,
        )

    def parents_equivalent(
        self, ids_a: Sequence[str], ids_b: Sequence[str], ia: np.ndarray, ib: np.ndarray
    ) -> np.ndarray:
        """For each pair ``(ids_a[ia[p]], ids_b[ib[p]])``: are their parents one class?"""
        classes: dict[str, int] = {}
        class_a = self._class_ids([self.parent.get(node) for node in ids_a], classes)
        class_b = self._class_ids([self.parent.get(node) for node in ids_b], classes)
        pa, pb = class_a[ia], class_b[ib]
        equivalent: np.ndarray = (pa == pb) & (pa >= 0)
        return equivalent

    def same_classes(
        self, ids_a: Sequence[str], ids_b: Sequence[str], ia: np.ndarray, ib: np.ndarray
    ) -> np.ndarray:
        """For each pair ``(ids_a[ia[p]], ids_b[ib[p]])``: one node, or equivalent (through
        any chain)?"""
        classes: dict[str, int] = {}
        class_a = self._class_ids([ids_a[i] for i in ia.tolist()], classes)
        class_b = self._class_ids([ids_b[j] for j in ib.tolist()], classes)
        same: np.ndarray = (class_a == class_b) & (class_a >= 0)
        return same


def _encoded(
    side_a: _Side, side_b: _Side, encoder: meaning.Encoder
) -> tuple[meaning.SideVectors, meaning.SideVectors]:
    """Both sides' labels and whole texts as unit vectors (one encoding pass).

    The model encodes each label and each description on its own; a whole text's
    vector is derived from them: the sum of its labels' vectors and its description's
    (weighing as much as all its labels together), made unit length. Encoding each
    whole text again as one string cost about twice the model's time for no better
    recall (docs/frameworks.md).
    """
    descriptions = [
        [(i, t.description) for i, t in enumerate(side.texts) if t.description]
        for side in (side_a, side_b)
    ]
    texts = [*side_a.each_label, *side_b.each_label]
    texts += [description for found in descriptions for _, description in found]
    vectors = encoder(texts)
    ends = np.cumsum([len(side_a.each_label), len(side_b.each_label), len(descriptions[0])])
    labels_a, labels_b, described_a, described_b = np.split(vectors, ends)
    sides = []
    for side, labels, described, found in (
        (side_a, labels_a, described_a, descriptions[0]),
        (side_b, labels_b, described_b, descriptions[1]),
    ):
        whole = np.add.reduceat(labels, side.label_start, axis=0)
        rows = np.array([i for i, _ in found], dtype=np.int64)
        if len(rows):
            whole[rows] += described * side.label_count[rows, None]
        whole /= np.maximum(np.linalg.norm(whole, axis=1, keepdims=True), 1e-12)
        sides.append(meaning.SideVectors(labels, whole, side.label_start, side.label_count))
    return sides[0], sides[1]


def _union(
    ia: np.ndarray, ib: np.ndarray, ma: np.ndarray, mb: np.ndarray, n_b: int
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs of ``(ia, ib)`` and of ``(ma, mb)``, each once, sorted."""
    keys = np.unique(np.concatenate([ia * n_b + ib, ma * n_b + mb]).astype(np.int64))
    return keys // n_b, keys % n_b


def _suggest(
    side_a: _Side,
    side_b: _Side,
    structure: _Structure,
    options: CrosswalkOptions,
    encoder: meaning.Encoder | None = None,
) -> Crosswalk:
    # Each label and each description is tokenised once, and each distinct word stemmed
    # and cut into character n-grams once (the Python loops are the cost); a competency's
    # labels together, and its whole text, are sums of those counts (sparse products).
    n_a, n_labels_a = len(side_a.texts), len(side_a.each_label)
    each_label = [*side_a.each_label, *side_b.each_label]
    owners = np.concatenate([side_a.label_owner, side_b.label_owner + n_a])
    n_texts = n_a + len(side_b.texts)
    gather = sp.csr_matrix(
        (np.ones(len(owners)), (owners, np.arange(len(owners)))), shape=(n_texts, len(owners))
    )
    described = [
        (i, t.description) for i, t in enumerate([*side_a.texts, *side_b.texts]) if t.description
    ]
    nothing = Crosswalk(options, tuple(Suggestion(t.id, t.name, ()) for t in side_a.texts))
    tokens = CountVectorizer(analyzer=_tokens, dtype=np.float64)
    try:
        counts = sp.csr_matrix(tokens.fit_transform([*each_label, *(d for _, d in described)]))
    except ValueError:  # not one word in any text ("1", "-"): nothing to compare
        return nothing
    vocabulary = tokens.get_feature_names_out().tolist()
    to_stems, shown = _stem_mapping(vocabulary, counts)
    if not shown:  # only stop words
        return nothing
    each_words = sp.csr_matrix(counts[: len(each_label)] @ to_stems)
    label_words = sp.csr_matrix(gather @ each_words)
    spread = sp.csr_matrix(
        (np.ones(len(described)), ([i for i, _ in described], np.arange(len(described)))),
        shape=(n_texts, len(described)),
    )
    full_words = sp.csr_matrix(label_words + spread @ (counts[len(each_label) :] @ to_stems))
    word = TfidfTransformer(sublinear_tf=True).fit(full_words)
    full, label, word_each = (word.transform(m) for m in (full_words, label_words, each_words))
    each_chars = sp.csr_matrix(counts[: len(each_label)] @ _char_grams(vocabulary))
    label_chars = sp.csr_matrix(gather @ each_chars)
    char = TfidfTransformer(sublinear_tf=True).fit(label_chars)
    # Single precision: the character vectors are the largest matrices here.
    chars, char_each = (
        sp.csr_matrix(char.transform(m), dtype=np.float32) for m in (label_chars, each_chars)
    )
    del each_chars, label_chars
    label_a, label_b = label[:n_a], label[n_a:]
    full_a, full_b = full[:n_a], full[n_a:]
    char_a, char_b = chars[:n_a], chars[n_a:]
    word_each_a, word_each_b = word_each[:n_labels_a], word_each[n_labels_a:]
    char_each_a, char_each_b = char_each[:n_labels_a], char_each[n_labels_a:]
    # Coverage: the share of A's label stems (weighted by IDF) found anywhere in B's text,
    # labels or description. A terse statement whose every word B uses somewhere is
    # likely B, even when B's long text dilutes the cosines.
    present = sp.csr_matrix(full_words > 0, dtype=np.float64)
    cover_a = normalize(
        sp.csr_matrix(label_words[:n_a] > 0, dtype=np.float64) @ sp.diags(word.idf_), norm="l1"
    )
    present_b = present[n_a:]
    same = options.from_framework == options.to_framework

    # Candidates: the best of B by the sum of three word similarities (labels, whole text,
    # coverage), a block of rows of A at a time. Within one framework a competency is not
    # its own match: one more candidate, then drop it.
    k = max(CANDIDATES, options.limit) + (1 if same else 0)
    pairs = [(label_a, label_b), (full_a, full_b), (cover_a, present_b)]
    ia, ib, word_features = _candidates(pairs, k, same)
    vectors: tuple[meaning.SideVectors, meaning.SideVectors] | None = None
    if encoder is not None:
        # The candidates closest in meaning join those found by words; the word
        # features of the joined pairs are computed below, pair by pair.
        vectors = _encoded(side_a, side_b, encoder)
        close_a, close_b = meaning.candidates(*vectors, max(CANDIDATES, options.limit), same)
        ia, ib = _union(ia, ib, close_a, close_b, len(side_b.texts))
        word_features = None
    if not len(ia):  # no two competencies share a word (or, with embeddings, any meaning)
        return nothing
    label_cosine, text_cosine, coverage = (
        word_features
        if word_features is not None
        else [_cosines(left[ia], right[ib]) for left, right in pairs]
    )
    char_cosine = _cosines(char_a[ia], char_b[ib])

    best_label, best_a, best_b = _best_label_pairs(
        side_a, side_b, ia, ib, [(char_each_a, char_each_b), (word_each_a, word_each_b)]
    )
    wording = _weighted((label_cosine, char_cosine, text_cosine, best_label, coverage), WEIGHTS)
    parents_equivalent = structure.parents_equivalent(
        [t.id for t in side_a.texts], [t.id for t in side_b.texts], ia, ib
    )
    score = np.where(parents_equivalent, wording + (1.0 - wording) * STRUCTURE_WEIGHT, wording)
    if vectors is not None:
        best_meaning, text_meaning = meaning.pair_meaning(*vectors, ia, ib)
        score = (
            score
            + meaning.LABEL_WEIGHT * np.maximum(best_meaning, 0.0)
            + meaning.TEXT_WEIGHT * np.maximum(text_meaning, 0.0)
        ) / (1.0 + meaning.LABEL_WEIGHT + meaning.TEXT_WEIGHT)
    else:
        best_meaning = text_meaning = np.zeros(len(ia))
    score = np.round(score, DIGITS)

    # Best first per competency of A, ties by id of B (the texts come sorted by id).
    keep = score >= options.min_score - 1e-12
    ia, ib, score, wording, parents_equivalent, best_a, best_b, best_meaning, text_meaning = (
        ia[keep],
        ib[keep],
        score[keep],
        wording[keep],
        parents_equivalent[keep],
        best_a[keep],
        best_b[keep],
        best_meaning[keep],
        text_meaning[keep],
    )
    order = np.lexsort((ib, -score, ia))
    rank = np.arange(len(order)) - np.searchsorted(ia[order], ia[order], side="left")
    reported = order[rank < options.limit]
    ids_a, ids_b = [t.id for t in side_a.texts], [t.id for t in side_b.texts]
    already = structure.same_classes(ids_a, ids_b, ia[reported], ib[reported])
    shared = _shared_words(
        [label_words, full_words], ia[reported], ib[reported] + n_a, word.idf_, shown
    )
    matches: dict[int, list[Match]] = {}
    for position, words_in_common, equivalent in zip(
        reported.tolist(), shared, already.tolist(), strict=True
    ):
        i, j = int(ia[position]), int(ib[position])
        a, b = side_a.texts[i], side_b.texts[j]
        # The alternative labels among the two most alike labels (none when the names are).
        best_labels = (side_a.each_label[best_a[position]], side_b.each_label[best_b[position]])
        reasons: dict[str, Any] = {
            "wording": round(float(wording[position]), DIGITS),
            "shared_words": words_in_common,
            "matched_alt_labels": [
                label for label, own in zip(best_labels, (a, b), strict=True) if label != own.name
            ],
            "parents_equivalent": bool(parents_equivalent[position]),
            "already_equivalent": equivalent,
        }
        if parents_equivalent[position]:
            reasons["parents"] = [structure.parent.get(a.id), structure.parent.get(b.id)]
        if vectors is not None:
            reasons["meaning"] = {
                "best_label": round(float(best_meaning[position]), DIGITS),
                "text": round(float(text_meaning[position]), DIGITS),
            }
        matches.setdefault(i, []).append(Match(b.id, b.name, float(score[position]), reasons))
    suggestions = tuple(
        Suggestion(text.id, text.name, tuple(matches.get(i, ())))
        for i, text in sorted(enumerate(side_a.texts), key=lambda item: item[1].id)
    )
    return Crosswalk(options, suggestions)
