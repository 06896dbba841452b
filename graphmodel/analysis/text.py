"""Text similarity shared by every analysis: TF-IDF over titles and descriptions.

One :class:`TextIndex` turns a list of texts into L2-normalised TF-IDF
vectors (scikit-learn's ``TfidfVectorizer``: words and word pairs,
sublinear term frequency) with a stop list that adds the words every
workforce paper uses ("training", "programme", "partnership" ...) to the
English ones, so that two texts are similar for what they are about, not
for how such papers are written. The cosine of two vectors is their text
similarity, in [0, 1]; :meth:`TextIndex.pairs_above` finds every pair above
a bound with a sparse matrix product (an inverted-index join: only texts
sharing a word are ever compared) and is exact.

Example
-------
>>> index = TextIndex(["Neglect toolkit for practitioners", "Neglect toolkit roll-out",
...                    "Youth club summer activities"])
>>> round(index.similarity(0, 1), 2) > 0.3, index.similarity(0, 2)
(True, 0.0)
>>> index.shared_terms(0, 1)
['neglect', 'neglect toolkit', 'toolkit']
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
            ngram_range=(1, 2),
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
        values = (self.matrix[np.asarray(others)] @ row.T).toarray().ravel()
        return np.round(values, DIGITS)

    def similarities_to(self, vector: sp.csr_matrix) -> np.ndarray:
        """Cosines of an outside ``vector`` (see :meth:`vector`) with every item, rounded."""
        if not self.matrix.shape[1]:
            return np.zeros(self.size)
        return np.round((self.matrix @ vector.T).toarray().ravel(), DIGITS)

    def shared_terms(self, i: int, j: int, limit: int = 5) -> list[str]:
        """The terms that give ``i`` and ``j`` their similarity, strongest first."""
        return self._top_terms(self.matrix[i].multiply(self.matrix[j]), limit)

    def shared_terms_with(self, vector: sp.csr_matrix, i: int, limit: int = 5) -> list[str]:
        """The terms an outside ``vector`` and item ``i`` share, strongest first."""
        if not self.matrix.shape[1]:
            return []
        return self._top_terms(self.matrix[i].multiply(vector), limit)

    def _top_terms(self, product: sp.spmatrix, limit: int) -> list[str]:
        product = sp.csr_matrix(product)
        order = sorted(
            zip(product.data, product.indices, strict=True), key=lambda t: (-t[0], t[1])
        )
        return [str(self.terms[index]) for _, index in order[:limit]]

    def pairs_above(self, bound: float, chunk: int = 2000) -> list[tuple[int, int]]:
        """Every pair ``i < j`` whose cosine is at least ``bound`` (a few more at most).

        A sparse product of the vectors, one block of rows at a time, so only
        texts that share a term are ever multiplied and memory stays bounded.
        The bound is loosened by :data:`SLACK` so that no pair whose
        :meth:`similarity` reaches ``bound`` is lost to a different order of
        summation: callers filter the candidates with their own scores.
        """
        pairs: list[tuple[int, int]] = []
        if not self.matrix.shape[1] or bound > 1.0:
            return pairs
        transposed = self.matrix.T.tocsc()
        for start in range(0, self.size, chunk):
            block = (self.matrix[start : start + chunk] @ transposed).tocoo()
            rows = block.row + start
            keep = (block.col > rows) & (block.data >= bound - SLACK)
            pairs.extend(zip(rows[keep].tolist(), block.col[keep].tolist(), strict=True))
        return sorted(pairs)
