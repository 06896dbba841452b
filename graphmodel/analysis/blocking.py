"""Candidate pairs of initiatives for duplicate scoring: only pairs that may reach the threshold.

Two initiatives share *ground*: the professions they target, the
competencies they address, the drivers they respond to and the
organisations that lead them or are partners in them (their *neighbour
items*). An item held by few initiatives says more than one held by many,
so each item weighs its inverse document frequency among the initiatives
compared, ``log((N + 1) / df)``; an organisation weighs half that
(:data:`ORGANISATION_FACTOR`), because a duplicate is usually started by a
*different* partner, so sharing an organisation is weaker evidence than
sharing a competency, a profession or a driver. The ground similarity ``g``
of two initiatives is the weighted Jaccard index of their items: the weight
``S`` they share over the weight either holds, ``S / (T_i + T_j - S)``.
Their text similarity ``x`` is the cosine of their TF-IDF vectors, and
their score is ``a * g + (1 - a) * x`` (``a`` = 0.5; see
:mod:`graphmodel.analysis.duplicates`).

**The bound.** A pair can reach the threshold ``t`` only when
``a * g + (1 - a) * x >= t``: with ``a`` = 0.5 a pair that shares no ground
needs a text similarity of ``2t``, and in general ``x >= 2t - g``. The search
computes, for a block of initiatives at a time, an upper bound of that sum
for every pair that can have one above zero, and yields the pairs whose
bound reaches ``t`` (less :data:`SLACK`, for rounding). So the pairs handed
on to be scored, and the memory they take, follow the pairs that can reach
the threshold, not the pairs that share a word or an item:

- ``x`` exactly: the product of the TF-IDF matrix with its transpose, one
  block of rows against the rows after them. With a wide vocabulary this is
  a sparse product, an inverted-index join in compiled code that multiplies
  only texts sharing a non-stop word. With a small vocabulary (texts in one
  field repeat the same few dozen words, so nearly every two texts share
  words) the same product runs dense, in BLAS, which is then far faster than
  any sparse join (:func:`dense_text_join`: a cost model of the two).
  A text prefix filter cannot help there: with 60 words, the prefixes at
  similarity 0.74 still meet 25 of 55 million pairs.
- ``g``, bounded tightly: the shared weight ``S`` of every pair that shares a
  *rare* item is computed exactly by a sparse product of the item matrix
  (again one block of rows at a time). A *common* item, held by more than
  :func:`common_holders` initiatives (a national plan thousands respond
  to), is left out of that product, which would otherwise meet every two of
  its holders (12.5 million pairs for 5,000 holders); its weight is small
  (``log((N + 1) / df)``) and it is bounded instead: two initiatives share at
  most ``min(C_i, C_j)`` of common weight, ``C`` each one's total. ``S / (T_i
  + T_j - S)`` grows with ``S``, so ``S_rare + min(C_i, C_j)`` in its place is
  an upper bound of ``g``, exact when the pair shares no common item.
- A pair that shares neither a word nor a rare item has the bound
  ``a * min(C_i, C_j) / (T_i + T_j - min(C_i, C_j))``, at most ``a`` times
  the smaller share of common weight in either initiative's total: only
  pairs of initiatives made mostly of common items (*open* rows) can reach
  ``t`` that way, and only those are looked at.

Every bound is an upper bound, so no pair reaching the threshold is lost;
:func:`graphmodel.analysis.duplicates.exhaustive_pairs` scores every pair
with the same code, and the tests compare the two on random data.

Example
-------
>>> import numpy as np, scipy.sparse as sp
>>> held = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1]], dtype=float))
>>> text = sp.csr_matrix(np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]]))
>>> search = CandidateSearch(held, held, text, structure_weight=0.5)
>>> [(int(a), int(b)) for first, second in search.blocks(0.5) for a, b in zip(first, second)]
[(0, 1)]
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence, Set

import numpy as np
import scipy.sparse as sp

from graphmodel.projections import InitiativeNode

#: An organisation's rarity weight is multiplied by this (see the module doc).
ORGANISATION_FACTOR = 0.5

#: Candidates need a bound of at least the threshold less this. Scores are
#: rounded to 4 places (half a unit: 5e-5) from parts rounded to 6, and the
#: bounds are summed in another order than the scores; 1e-4 covers all of it.
SLACK = 1e-4

#: Pairs looked at in one block (block rows x the initiatives after them):
#: bounds the memory of the search whatever the number of initiatives.
BLOCK_PAIRS = 2_000_000

#: An item held by more than this many initiatives (or more than
#: :data:`COMMON_SHARE` of them, if that is more) is *common* (module doc).
COMMON_HOLDERS = 1000
#: See :data:`COMMON_HOLDERS`.
COMMON_SHARE = 0.05

#: Measured on 2 cores (numpy's BLAS, scipy 1.x): one multiply-add of a sparse
#: product costs about this many of a dense one, reading of the result included.
SPARSE_COST = 40.0
#: A dense text matrix is used only up to this many cells (64 MB of float64).
DENSE_CELLS = 8_000_000


def neighbour_items(initiative: InitiativeNode) -> tuple[str, ...]:
    """The ids an initiative shares ground through: targets, addresses, drivers, organisations."""
    return tuple(
        sorted(
            {
                *initiative.targets,
                *initiative.addresses,
                *initiative.responds_to,
                *initiative.organisations,
            }
        )
    )


def rarity_weights(
    item_lists: Iterable[Sequence[str]], discounted: Set[str] = frozenset()
) -> dict[str, float]:
    """Each item's weight ``log((N + 1) / df)``, N the number of lists, df how many hold it.

    Items in ``discounted`` (organisations) weigh :data:`ORGANISATION_FACTOR` of that.

    Example
    -------
    >>> weights = rarity_weights([["x", "y"], ["x"], ["x"]])
    >>> round(weights["y"], 3), round(weights["x"], 3)
    (1.386, 0.288)
    """
    counts: Counter[str] = Counter()
    total = 0
    for items in item_lists:
        total += 1
        counts.update(set(items))
    return {
        item: math.log((total + 1) / df) * (ORGANISATION_FACTOR if item in discounted else 1.0)
        for item, df in counts.items()
    }


def initiative_weights(initiatives: Sequence[InitiativeNode]) -> dict[str, float]:
    """:func:`rarity_weights` of the initiatives' neighbour items, organisations discounted."""
    organisations = {item for node in initiatives for item in node.organisations}
    return rarity_weights((neighbour_items(node) for node in initiatives), organisations)


def common_holders(initiatives: int) -> int:
    """Items held by more initiatives than this are *common* (bounded, not joined)."""
    return max(COMMON_HOLDERS, int(COMMON_SHARE * initiatives))


def dense_text_join(text: sp.csr_matrix) -> bool:
    """Whether the text join runs dense (BLAS) rather than sparse.

    A sparse product makes one multiply-add for every two texts holding a
    word, ``sum(df * (df - 1) / 2)`` over the words; a dense one ``d`` for
    every pair of texts, ``d`` the vocabulary's size, each
    :data:`SPARSE_COST` times cheaper. Dense only while the dense matrix
    stays small (:data:`DENSE_CELLS`).
    """
    size, words = text.shape
    if not words or size * words > DENSE_CELLS:
        return False
    holders = np.diff(sp.csc_matrix(text).indptr).astype(np.float64)
    sparse_work = float((holders * (holders - 1) / 2).sum())
    dense_work = size * (size - 1) / 2 * words
    return bool(sparse_work * SPARSE_COST > dense_work)


class CandidateSearch:
    """The pairs whose score may reach a threshold, one block of initiatives at a time.

    Parameters
    ----------
    held
        Initiatives x items, 1 where the initiative holds the item.
    weighted
        The same with each item's rarity weight in place of the 1.
    text
        Initiatives x words, the TF-IDF vectors (rows of norm 1, or 0).
    structure_weight
        ``a`` in ``score = a * ground + (1 - a) * text``.
    common_above
        Items held by more initiatives than this are common (default:
        :func:`common_holders`).
    dense
        Run the text join dense or sparse (default: :func:`dense_text_join`
        decides). Both give the same candidates.
    """

    def __init__(
        self,
        held: sp.csr_matrix,
        weighted: sp.csr_matrix,
        text: sp.csr_matrix,
        structure_weight: float,
        common_above: int | None = None,
        dense: bool | None = None,
    ) -> None:
        self.size = held.shape[0]
        self.structure_weight = structure_weight
        holders = np.diff(sp.csc_matrix(held).indptr)
        limit = common_holders(self.size) if common_above is None else common_above
        common = holders > limit
        rare_columns = np.flatnonzero(~common)
        self.rare_weighted = sp.csr_matrix(weighted[:, rare_columns])
        self.rare_held = sp.csr_matrix(held[:, rare_columns])
        self.totals = np.asarray(weighted.sum(axis=1), dtype=np.float64).ravel()
        self.common = np.asarray(
            weighted[:, np.flatnonzero(common)].sum(axis=1), dtype=np.float64
        ).ravel()
        self.has_common = bool(common.any())
        self.share = np.divide(
            self.common, self.totals, out=np.zeros(self.size), where=self.totals > 0
        )
        self.text = sp.csr_matrix(text)
        self.dense = dense_text_join(self.text) if dense is None else dense
        # float32 halves the dense join's time; its rounding is bounded below.
        self.dense_text = self.text.toarray().astype(np.float32) if self.dense else None

    def _ground_bound(
        self, first: np.ndarray, second: np.ndarray, shared: np.ndarray | float
    ) -> np.ndarray:
        """Upper bound of ``g`` for pairs sharing ``shared`` rare weight (see module doc)."""
        top = shared + np.minimum(self.common[first], self.common[second])
        union = self.totals[first] + self.totals[second] - top
        bound: np.ndarray = np.divide(
            top, union, out=np.zeros(np.broadcast(top, union).shape), where=union > 0
        )
        return bound

    def _common_bound(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """Upper bound of ``g`` for pairs sharing no rare item (0 without common items)."""
        if not self.has_common:
            return np.zeros(np.broadcast(first, second).shape)
        return self._ground_bound(first, second, 0.0)

    def blocks(self, threshold: float) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield the candidates, block by block: positions ``(first, second)``, ``first <
        second``, sorted, every pair whose score may reach ``threshold``."""
        need = threshold - SLACK
        if self.size < 2 or need > 1.0:
            return
        # Rows whose pairs can reach the threshold sharing no word and no rare item.
        open_rows = self.structure_weight * self.share >= need
        step = max(1, BLOCK_PAIRS // self.size)
        for start in range(0, self.size, step):
            end = min(start + step, self.size)
            if self.dense_text is not None:
                first, second = self._dense_block(start, end, need)
            else:
                first, second = self._sparse_block(start, end, need, open_rows)
            if len(first):
                yield first, second

    def _rare(self, start: int, end: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Pairs of the block sharing a rare item (``first < second``), and their ``g`` bound."""
        shared = (self.rare_weighted[start:end] @ self.rare_held[start:].T).tocoo()
        first = shared.row.astype(np.int64) + start
        second = shared.col.astype(np.int64) + start
        later = second > first
        first, second = first[later], second[later]
        return first, second, self._ground_bound(first, second, shared.data[later])

    def _dense_block(self, start: int, end: int, need: float) -> tuple[np.ndarray, np.ndarray]:
        """Every pair of the block bounded at once: text (BLAS), common items, rare items."""
        assert self.dense_text is not None
        a = self.structure_weight
        words = self.dense_text.shape[1]
        # A float32 dot product of unit vectors errs by less than (d + 2) units of
        # 2^-24 (inputs rounded, d products summed); the bound is lowered by twice that.
        need -= 2 * (words + 2) * 2.0**-24
        bound = self.dense_text[start:end] @ self.dense_text[start:].T
        bound *= 1 - a
        rows = np.arange(start, end)[:, np.newaxis]
        columns = np.arange(start, self.size)[np.newaxis, :]
        if self.has_common:
            bound += a * self._common_bound(rows, columns)
        first, second, ground = self._rare(start, end)
        if len(first):
            baseline = self._common_bound(first, second)
            bound[first - start, second - start] += a * (ground - baseline)
        bound[columns <= rows] = -1.0  # pairs first >= second
        kept_rows, kept_columns = np.nonzero(bound >= need)
        return kept_rows.astype(np.int64) + start, kept_columns.astype(np.int64) + start

    def _sparse_block(
        self, start: int, end: int, need: float, open_rows: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The block's pairs sharing a word or a rare item, bounded; then its open rows."""
        a = self.structure_weight
        size = self.size
        words = sp.csr_matrix(self.text[start:end] @ self.text[start:].T)
        words.sort_indices()
        # Pairs sharing a rare item: their bound with their exact text similarity.
        first, second, ground = self._rare(start, end)
        text = np.zeros(len(first))
        if len(first):
            text = np.asarray(words[first - start, second - start], dtype=np.float64).ravel()
        keep = a * ground + (1 - a) * text >= need
        codes = [first[keep] * size + second[keep]]
        # Pairs sharing a word and no rare item: the text must make up the rest.
        lowest = (need - a * float(self.share.max(initial=0.0))) / (1 - a)
        positions = np.flatnonzero(words.data >= lowest)
        first = np.searchsorted(words.indptr, positions, side="right").astype(np.int64) - 1 + start
        second = words.indices[positions].astype(np.int64) + start
        text = words.data[positions]
        keep = (second > first) & (a * self._common_bound(first, second) + (1 - a) * text >= need)
        codes.append(first[keep] * size + second[keep])
        # Pairs sharing neither: only open rows can reach the threshold so.
        opened = np.flatnonzero(open_rows[start:end]) + start
        if len(opened):
            later = np.flatnonzero(open_rows[start:]) + start
            rows = opened[:, np.newaxis]
            columns = later[np.newaxis, :]
            reach = (a * self._common_bound(rows, columns) >= need) & (columns > rows)
            pair_rows, pair_columns = np.nonzero(reach)
            codes.append(opened[pair_rows] * size + later[pair_columns])
        unique = np.unique(np.concatenate(codes))
        return unique // size, unique % size
