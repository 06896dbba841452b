"""Benchmark: the crosswalk between two frameworks of 10k competencies each, against validate.

In one run, for each shape of wording, a dataset holding two synthetic
frameworks (A: 10,000 competencies under 500 areas, each with a description
and 0-4 alternative labels; B: 10,000 competencies, each a reworded A
competency: a synonym verb, a word dropped or added, a plural, a typo) is
written as a CSV folder, then timed as a user runs it, each command in a
fresh interpreter:

- ``validate DATASET``: reading and validating, the floor every command pays;
- ``crosswalk DATASET --from fw-b --to fw-a --format json``: the whole command.

Goal: crosswalk <= 3x validate. Each command runs in its own measuring child
process, which reports its wall time and the peak resident memory of the
command (``resource.getrusage(RUSAGE_CHILDREN)``); times are the best of
``--repeat`` runs. Shapes:

- ``wide``: 6,000 pseudo-words (rare shared words: sparse products);
- ``repetitive``: 150 words (every competency shares words with thousands:
  the densest candidate search, the stress case).

Recall@1/@3 are printed for the synthetic pairs and, the goal that matters,
for the real-wording set (tests/data/esco-real-wording: ESCO skills found
from one of their own alternative labels; goals >= 0.95 and >= 0.99), in two
shapes: ESCO keeps its other alternative labels, or neither framework has any
(goals with ``--embeddings`` >= 0.92 and >= 0.98).

``--embeddings`` (needs the ``graphmodel[embeddings]`` extra) adds, per
shape, ``crosswalk --embeddings`` (meaning compared by all-MiniLM-L6-v2) run
twice on one new cache of encoded texts: cold (every text encoded) and warm
(every text read from the cache, as when a framework is crosswalked again),
and its recall, on the synthetic pairs (pseudo-words: only its time means
much) and on the real wording.

    .venv/bin/python bench/crosswalk.py [--size 10000] [--repeat 3] [--embeddings]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from graphmodel.analysis.crosswalk import Crosswalk, CrosswalkOptions, crosswalk
from graphmodel.backends import MemoryBackend
from graphmodel.frameworks.esco import read_esco
from graphmodel.frameworks.evaluation import HELD_OUT, held_out_frameworks, recall_at
from graphmodel.io.tabular import write_dataset
from graphmodel.model import Competency, Dataset, Framework

console = Console(width=160)
REAL_WORDING = Path(__file__).resolve().parent.parent / "tests" / "data" / "esco-real-wording"

VERBS = {
    "apply": ["use", "implement"],
    "assess": ["evaluate", "appraise"],
    "support": ["help", "assist"],
    "manage": ["oversee", "administer"],
    "recognise": ["identify", "spot"],
    "communicate": ["talk", "liaise"],
    "promote": ["advocate", "encourage"],
    "protect": ["safeguard", "shield"],
    "record": ["document", "log"],
    "plan": ["organise", "schedule"],
    "review": ["audit", "examine"],
    "teach": ["instruct", "educate"],
}
SYLLABLES = [a + b for a in "bcdfghklmnprstvz" for b in ("a", "e", "i", "o", "u", "ay", "ou")]


def vocabulary(size: int, rng: random.Random) -> list[str]:
    """``size`` distinct pronounceable words (so character n-grams behave as in English)."""
    found: dict[str, None] = {}
    while len(found) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        found.setdefault(word, None)
    return list(found)


def frameworks(size: int, words: list[str], seed: int) -> tuple[Dataset, dict[str, str]]:
    """Frameworks ``fw-a`` and ``fw-b`` and the true match in A of each competency of B."""
    rng = random.Random(seed)
    areas = max(1, size // 20)
    competencies: list[Competency] = []
    truth: dict[str, str] = {}
    for number in range(areas):
        competencies.append(
            Competency(
                id=f"a-area-{number:05d}",
                name=" ".join(rng.sample(words, 2)),
                framework="fw-a",
            )
        )
    for number in range(size - areas):
        verb = rng.choice(list(VERBS))
        objects = rng.sample(words, rng.randint(2, 4))
        name = f"{verb} {' '.join(objects)}"
        alternatives = []
        for _ in range(rng.randint(0, 4)):
            shuffled = objects[:]
            rng.shuffle(shuffled)
            alternatives.append(f"{rng.choice(VERBS[verb])} {' '.join(shuffled)}")
        description = " ".join(rng.choice(words) for _ in range(rng.randint(8, 20))) + "."
        a_id = f"a-{number:05d}"
        competencies.append(
            Competency(
                id=a_id,
                name=name,
                framework="fw-a",
                parent=f"a-area-{number % areas:05d}",
                description=description,
                alt_labels=alternatives,
            )
        )
        # The same competency as another framework words it.
        reworded = objects[:]
        change = rng.random()
        if change < 0.3 and len(reworded) > 2:
            reworded.pop(rng.randrange(len(reworded)))
        elif change < 0.5:
            reworded.append(rng.choice(words))
        elif change < 0.7:
            index = rng.randrange(len(reworded))
            reworded[index] += "s"
        elif change < 0.85:
            index = rng.randrange(len(reworded))
            word = reworded[index]
            cut = rng.randrange(1, len(word))
            reworded[index] = word[:cut] + word[cut + 1 :]
        b_verb = rng.choice([verb, *VERBS[verb]])
        b_id = f"b-{number:05d}"
        competencies.append(
            Competency(id=b_id, name=f"{b_verb} {' '.join(reworded)}", framework="fw-b")
        )
        truth[b_id] = a_id
    dataset = Dataset(
        frameworks=[
            Framework(id="fw-a", name="Framework A"),
            Framework(id="fw-b", name="Framework B"),
        ],
        competencies=competencies,
    )
    return dataset, truth


MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
seconds = time.perf_counter() - started
if done.returncode:
    sys.stderr.write(done.stderr.decode())
    sys.exit(done.returncode)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = usage.ru_utime + usage.ru_stime
sys.stdout.write(f"{seconds} {usage.ru_maxrss} {cpu}\\n")
"""


def measured(*args: str, cache: Path | None = None) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MiB) and CPU seconds of ``graphmodel ARGS`` in a fresh
    interpreter (CPU time suffers less from other work on a shared machine), with
    ``GRAPHMODEL_CACHE_DIR`` set to ``cache`` if given."""
    command = [sys.executable, "-c", "from graphmodel.cli.main import main; main()", *args]
    environment = {**os.environ, **({"GRAPHMODEL_CACHE_DIR": str(cache)} if cache else {})}
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, env=environment
    )
    if done.returncode:
        raise SystemExit(f"graphmodel {' '.join(args)} failed:\n{done.stderr}")
    seconds, peak_kib, cpu = done.stdout.split()
    return float(seconds), int(peak_kib) / 1024, float(cpu)


def best(repeat: int, *args: str) -> tuple[float, float, float]:
    """The best wall time, the largest peak memory and the best CPU time of ``repeat`` runs."""
    runs = [measured(*args) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs), min(r[2] for r in runs)


def recalls(result: Crosswalk, truth: dict[str, str]) -> str:
    return f"{recall_at(result, truth, 1):.3f} / {recall_at(result, truth, 3):.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="competencies per framework")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--embeddings", action="store_true", help="also time crosswalk --embeddings (once)"
    )
    args = parser.parse_args()

    table = Table(title=f"Crosswalk, two frameworks of {args.size:,} (best of {args.repeat})")
    columns = ("shape", "step", "seconds", "cpu s", "peak MiB", "ratio", "goal", "recall@1 / @3")
    for column in columns:
        table.add_column(column)

    def add_row(*cells: str) -> None:
        # Each row printed as soon as it is measured (a long run on a busy machine leaves
        # its figures), with the load it ran under; the whole table at the end.
        table.add_row(*cells)
        load = " ".join(f"{figure:.1f}" for figure in os.getloadavg())
        console.print(" | ".join([*cells, f"load {load}"]), highlight=False)

    for shape, vocabulary_size in (("wide", 6000), ("repetitive", 150)):
        words = vocabulary(vocabulary_size, random.Random(args.seed))
        dataset, truth = frameworks(args.size, words, args.seed)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "frameworks"
            write_dataset(dataset, path)
            validate_s, validate_mb, validate_cpu = best(args.repeat, "validate", str(path))
            cross_s, cross_mb, cross_cpu = best(
                args.repeat,
                "crosswalk", str(path), "--from", "fw-b", "--to", "fw-a", "--format", "json",
            )  # fmt: skip
            if args.embeddings:
                cache = Path(folder) / "cache"
                meaning_args = ("crosswalk", str(path), "--from", "fw-b", "--to", "fw-a",
                                "--format", "json", "--embeddings")  # fmt: skip
                cold = measured(*meaning_args, cache=cache)
                warm = measured(*meaning_args, cache=cache)
                with_meaning = crosswalk(
                    MemoryBackend(dataset),
                    CrosswalkOptions("fw-b", "fw-a", embeddings=True),
                    cache / "embeddings",
                )
        started = time.perf_counter()
        result = crosswalk(MemoryBackend(dataset), CrosswalkOptions("fw-b", "fw-a"))
        in_process = time.perf_counter() - started
        ratio = cross_s / validate_s
        add_row(
            shape,
            "validate",
            f"{validate_s:.2f}",
            f"{validate_cpu:.2f}",
            f"{validate_mb:.0f}",
            "1.00",
            "",
            "",
        )
        add_row(
            shape,
            "crosswalk --format json",
            f"{cross_s:.2f}",
            f"{cross_cpu:.2f}",
            f"{cross_mb:.0f}",
            f"{ratio:.2f} x validate (cpu {cross_cpu / validate_cpu:.2f})",
            "<= 3 " + ("PASS" if ratio <= 3 else "FAIL"),
            recalls(result, truth),
        )
        add_row(shape, "(analysis alone, in process)", f"{in_process:.2f}", "", "", "", "", "")
        if args.embeddings:
            for step, (meaning_s, meaning_mb, meaning_cpu) in (
                ("crosswalk --embeddings, cold cache", cold),
                ("crosswalk --embeddings, warm cache", warm),
            ):
                add_row(
                    shape,
                    step,
                    f"{meaning_s:.2f}",
                    f"{meaning_cpu:.2f}",
                    f"{meaning_mb:.0f}",
                    f"{meaning_s / validate_s:.2f} x validate "
                    f"(cpu {meaning_cpu / validate_cpu:.2f})",
                    "(optional: none)",
                    recalls(with_meaning, truth),
                )
        payload = json.dumps(result.payload())
        console.print(f"{shape}: JSON {len(payload) / 1e6:.1f} MB")

    # Both shapes of real wording: ESCO keeps its other alternative labels; or neither
    # framework has any (ESCO by preferred label and description, the other by one real
    # alternative label per skill), with their goals (words; with --embeddings).
    shapes = [
        ("real wording", True, (0.95, 0.99)),
        ("real wording, no alternative labels", False, (0.92, 0.98)),
    ]
    for name, keep, (goal_1, goal_3) in shapes:
        esco, truth = held_out_frameworks(read_esco(REAL_WORDING).dataset, keep_alternatives=keep)
        for embeddings in (False, True) if args.embeddings else (False,):
            started = time.perf_counter()
            options = CrosswalkOptions(HELD_OUT, "esco", min_score=0.0, embeddings=embeddings)
            real = crosswalk(MemoryBackend(esco), options)
            real_s = time.perf_counter() - started
            r1, r3 = recall_at(real, truth, 1), recall_at(real, truth, 3)
            verdict = (
                f">= {goal_1} {'PASS' if r1 >= goal_1 else 'FAIL'} / "
                f">= {goal_3} {'PASS' if r3 >= goal_3 else 'FAIL'}"
            )
            add_row(
                name,
                f"{len(truth)} ESCO skills" + (", --embeddings" if embeddings else ""),
                f"{real_s:.2f}",
                "",
                "",
                "",
                verdict if embeddings or keep else "(goals with --embeddings)",
                f"{r1:.3f} / {r3:.3f}",
            )
    console.print(table)


if __name__ == "__main__":
    main()
