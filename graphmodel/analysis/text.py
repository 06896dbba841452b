"""Text similarity shared by every analysis: TF-IDF over titles and descriptions.

One :class:`TextIndex` turns a list of texts into L2-normalised TF-IDF
vectors (scikit-learn's ``TfidfVectorizer``: single words, sublinear term
frequency; word pairs were measured and separated duplicates less well on
the labelled set) with a stop list that adds the words every
workforce paper uses ("training", "programme", "partnership" ...) to the
English ones, so that two texts are similar for what they are about, not
for how such papers are written. The cosine of two vectors is their text
similarity, in [0, 1]; :meth:`TextIndex.pairs_above` finds every pair above
a bound without comparing all pairs, exactly (a prefix filter over the
vectors; see its docstring).

Example
-------
>>> index = TextIndex(["Neglect toolkit for practitioners", "Neglect toolkit roll-out",
...                    "Youth club summer activities"])
>>> round(index.similarity(0, 1), 2) > 0.3, index.similarity(0, 2)
(True, 0.0)
>>> index.shared_terms(0, 1)
['neglect', 'toolkit']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

#: Words that say nothing about what a workforce initiative or event is about.
DOMAIN_STOP_WORDS = frozenset(
    {
        "across",
        "action",
        "approach",
        "area",
        "board",
        "deliver",
        "delivered",
        "delivery",
        "develop",
        "developed",
        "development",
        "including",
        "initiative",
        "local",
        "new",
        "partner",
        "partners",
        "partnership",
        "plan",
        "programme",
        "programmes",
        "project",
        "provide",
        "service",
        "services",
        "staff",
        "strategy",
        "support",
        "team",
        "teams",
        "training",
        "work",
        "workforce",
        "working",
        "year",
    }
)

#: Stop list handed to the vectoriser (English plus the domain words above).
STOP_WORDS = sorted(ENGLISH_STOP_WORDS | DOMAIN_STOP_WORDS)

# Cosines are rounded before any comparison so that the same pair gets the same
# number whichever way it was computed (one row at a time or in a batch).
DIGITS = 6
#: How far below a bound :meth:`TextIndex.pairs_above` still keeps a pair.
SLACK = 1e-5


class TextIndex:
    """TF-IDF vectors of a list of texts, fitted on those texts.

    Parameters
    ----------
    texts
        One text per item (for example an initiative's title and
        description); the item's position is its index everywhere below.
    """

    def __init__(self, texts: Sequence[str]) -> None:
        self.vectoriser = TfidfVectorizer(
            stop_words=STOP_WORDS,
            ngram_range=(1, 1),
            sublinear_tf=True,
            token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z-]+\b",
            dtype=np.float64,
        )
        self.size = len(texts)
        if any(text.strip() for text in texts):
            try:
                matrix = self.vectoriser.fit_transform(texts)
            except ValueError:  # every word a stop word
                matrix = sp.csr_matrix((len(texts), 0))
        else:
            matrix = sp.csr_matrix((len(texts), 0))
        self.matrix: sp.csr_matrix = sp.csr_matrix(matrix)
        self.terms: np.ndarray = (
            self.vectoriser.get_feature_names_out()
            if self.matrix.shape[1]
            else np.array([], dtype=object)
        )

    def vector(self, text: str) -> sp.csr_matrix:
        """A new text as a vector in this index's space (words it never saw count for nothing)."""
        if not self.matrix.shape[1]:
            return sp.csr_matrix((1, 0))
        return sp.csr_matrix(self.vectoriser.transform([text]))

    def similarity(self, i: int, j: int) -> float:
        """Cosine of items ``i`` and ``j``, rounded to :data:`DIGITS` places."""
        return round(float(self.matrix[i].multiply(self.matrix[j]).sum()), DIGITS)

    def similarities(self, i: int, others: Sequence[int] | np.ndarray) -> np.ndarray:
        """Cosines of item ``i`` with each of ``others``, rounded like :meth:`similarity`."""
        if not len(others):
            return np.zeros(0)
        row = self.matrix[i]
        values: np.ndarray = np.round((self.matrix[np.asarray(others)] @ row.T).toarray(), DIGITS)
        return values.ravel()

    def similarities_to(self, vector: sp.csr_matrix) -> np.ndarray:
        """Cosines of an outside ``vector`` (see :meth:`vector`) with every item, rounded."""
        if not self.matrix.shape[1]:
            return np.zeros(self.size)
        values: np.ndarray = np.round((self.matrix @ vector.T).toarray(), DIGITS)
        return values.ravel()

    def shared_terms(self, i: int, j: int, limit: int = 5) -> list[str]:
        """The terms that give ``i`` and ``j`` their similarity, strongest first."""
        return self._top_terms(self.matrix[i].multiply(self.matrix[j]), limit)

    def shared_terms_with(self, vector: sp.csr_matrix, i: int, limit: int = 5) -> list[str]:
        """The terms an outside ``vector`` and item ``i`` share, strongest first."""
        if not self.matrix.shape[1]:
            return []
        return self._top_terms(self.matrix[i].multiply(vector), limit)

    def shared_terms_many(
        self, vector: sp.csr_matrix, rows: Sequence[int], limit: int = 5
    ) -> list[list[str]]:
        """:meth:`shared_terms_with` for many items at once (one sparse product, same order).

        ``vector`` is an outside text's vector (:meth:`vector`) or an item's own
        row (``index.matrix[i]``).
        """
        if not self.matrix.shape[1] or not len(rows):
            return [[] for _ in rows]
        product = sp.csr_matrix(self.matrix[np.asarray(rows)].multiply(vector))
        found = []
        for k in range(len(rows)):
            start, end = product.indptr[k], product.indptr[k + 1]
            order = sorted(
                zip(
                    product.data[start:end].tolist(),
                    product.indices[start:end].tolist(),
                    strict=True,
                ),
                key=lambda t: (-t[0], t[1]),
            )
            found.append([str(self.terms[index]) for _, index in order[:limit]])
        return found

    def _top_terms(self, product: sp.spmatrix, limit: int) -> list[str]:
        product = sp.csr_matrix(product)
        order = sorted(zip(product.data, product.indices, strict=True), key=lambda t: (-t[0], t[1]))
        return [str(self.terms[index]) for _, index in order[:limit]]

    def pairs_above(self, bound: float) -> list[tuple[int, int]]:
        """Every pair ``i < j`` whose cosine is at least ``bound`` (and a few just below), sorted.

        See :meth:`pair_arrays_above`, which gives the same pairs as two arrays.
        """
        first, second = self.pair_arrays_above(bound)
        return sorted(zip(first.tolist(), second.tolist(), strict=True))

    def pair_arrays_above(self, bound: float) -> tuple[np.ndarray, np.ndarray]:
        """Positions ``(first, second)``, ``first < second``, of every pair reaching ``bound``.

        A prefix filter (Bayardo et al. 2007, "Scaling up all pairs
        similarity search"): order the terms rarest first; each vector
        indexes its leading terms until what the terms left could still add
        to a cosine is below ``bound``: the smaller of their norm
        (Cauchy-Schwarz) and the sum of each weight times the largest
        weight that term has in any vector. A pair reaching ``bound`` then
        shares a term inside both prefixes. Common terms, which would make
        the search quadratic, seldom enter a prefix. The candidates are
        then checked exactly; the bound is loosened by :data:`SLACK` so no
        pair whose :meth:`similarity` reaches it is lost to rounding:
        callers filter with their own scores.
        """
        matrix = self.matrix
        none = np.zeros(0, dtype=np.int64)
        if not matrix.shape[1] or bound > 1.0 + SLACK:
            return none, none
        limit = max(bound - SLACK, 0.0)
        frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
        order = np.lexsort((np.arange(matrix.shape[1]), frequency))
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        largest = np.asarray(matrix.max(axis=0).todense()).ravel()
        rows: list[int] = []
        columns: list[int] = []
        for row in range(self.size):
            start, end = matrix.indptr[row], matrix.indptr[row + 1]
            terms = matrix.indices[start:end]
            values = matrix.data[start:end]
            ranked = np.argsort(rank[terms], kind="stable")
            terms, values = terms[ranked], values[ranked]
            norm_left = np.sqrt(np.cumsum((values**2)[::-1])[::-1])
            reach_left = np.cumsum((values * largest[terms])[::-1])[::-1]
            kept = terms[np.minimum(norm_left, reach_left) >= limit] if limit > 0 else terms
            rows.extend([row] * len(kept))
            columns.extend(kept.tolist())
        prefixes = sp.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=matrix.shape)
        meeting = sp.triu(prefixes @ prefixes.T, k=1).tocoo()
        first, second = meeting.row.astype(np.int64), meeting.col.astype(np.int64)
        if not len(first):
            return none, none
        cosine = np.asarray(matrix[first].multiply(matrix[second]).sum(axis=1)).ravel()
        keep = cosine >= limit
        return first[keep], second[keep]
