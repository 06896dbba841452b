"""Text similarity shared by every analysis: TF-IDF over titles and descriptions.

One :class:`TextIndex` turns a list of texts into L2-normalised TF-IDF
vectors (scikit-learn's ``TfidfVectorizer``: single words, sublinear term
frequency; word pairs were measured and separated duplicates less well on
the labelled set) with a stop list that adds the words every
workforce paper uses ("training", "programme", "partnership" ...) to the
English ones, so that two texts are similar for what they are about, not
for how such papers are written. The cosine of two vectors is their text
similarity, in [0, 1]. The duplicate search joins the vectors block by block
(:mod:`graphmodel.analysis.blocking`).

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
        return self.shared_terms_of_pairs([i], [j], limit)[0]

    def shared_terms_of_pairs(
        self, first: Sequence[int], second: Sequence[int], limit: int = 5
    ) -> list[list[str]]:
        """:meth:`shared_terms` of each pair ``(first[k], second[k])``, in one sparse product."""
        if not self.matrix.shape[1] or not len(first):
            return [[] for _ in first]
        product = self.matrix[np.asarray(first)].multiply(self.matrix[np.asarray(second)])
        return self._strongest(sp.csr_matrix(product), limit)

    def shared_terms_many(
        self, vector: sp.csr_matrix, rows: Sequence[int], limit: int = 5
    ) -> list[list[str]]:
        """The terms ``vector`` shares with each item of ``rows``, strongest first (one sparse
        product, in the order of ``rows``).

        ``vector`` is an outside text's vector (:meth:`vector`) or an item's own
        row (``index.matrix[i]``).
        """
        if not self.matrix.shape[1] or not len(rows):
            return [[] for _ in rows]
        return self._strongest(sp.csr_matrix(self.matrix[np.asarray(rows)].multiply(vector)), limit)

    def _strongest(self, product: sp.csr_matrix, limit: int) -> list[list[str]]:
        """Each row's terms by contribution (descending, then term order), at most ``limit``."""
        found = []
        for k in range(product.shape[0]):
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
