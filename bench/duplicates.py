"""Benchmark: duplicated initiatives at national scale, blocked against exhaustive, three shapes.

For each shape (``--shapes``; see ``bench/national.py``: ``wide`` wording,
``repetitive`` wording from 60 domain words, ``hub``: 5,000 initiatives
answer one driver), on ``synthetic_dataset(Scale.national(), seed=1)`` with
near-copies of 5% of its initiatives planted (``with_near_copies``: another
lead, a reworded title and description, one target and one competency
swapped), about 10,500 initiatives, written as a CSV folder, in one run:

- ``validate``: reading and validating the CSV folder in a fresh interpreter,
  the floor any command on a dataset pays;
- ``duplicates (command)``: ``graphmodel duplicates DATASET --format json``
  in a fresh interpreter, as a user runs it;
- ``blocked search``: ``find_duplicates`` in this process (projection,
  similarity model, candidates, scoring, reasons);
- ``exhaustive comparison``: the same projection and similarity model, then
  every pair scored by the same code (``exhaustive_pairs``), once;
- optionally the blocked search on the local Neo4j server (dataset loaded
  beforehand, not timed), whose JSON must equal the embedded one.

Each line gives the wall time and the peak resident memory (``bench/common.py``:
the child's own for commands, the process's during the step in process).
Goals: the duplicates command <= 3x validate's time and <= 1.5x its peak
memory; identical pairs; planted recall >= 0.95.

    .venv/bin/python bench/duplicates.py [--shapes wide,repetitive,hub] [--scale 1.0]
        [--repeat 1] [--no-neo4j] [--no-exhaustive]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from common import gib, measure, measure_command, neo4j_arguments
from national import SHAPES, shape_parts
from rich.console import Console
from rich.table import Table

from graphmodel.analysis.duplicates import (
    DuplicateQuery,
    InitiativeSimilarity,
    exhaustive_pairs,
    find_duplicates,
)
from graphmodel.backends import MemoryBackend, Neo4jSettings
from graphmodel.io.tabular import write_dataset

console = Console(width=150)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def run_shape(shape: str, args: argparse.Namespace) -> None:
    dataset, planted = shape_parts(shape, args.scale)
    console.rule(
        f"{shape}: {len(dataset.initiatives):,} initiatives ({len(planted):,} planted near-copies)"
    )
    query = DuplicateQuery()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "national"
        write_dataset(dataset, path)
        validate = measure_command("validate", str(path), repeat=args.repeat)
        command = measure_command("duplicates", str(path), "--format", "json", repeat=args.repeat)
    command_json = json.loads(command.result)

    memory = MemoryBackend(dataset)
    memory.initiatives(query.initiatives)  # warm, as the command's own projection is
    blocked = measure(lambda: find_duplicates(memory, query), repeat=args.repeat)
    report = blocked.result
    rows = [(p.a, p.b, p.score, p.structure, p.text) for p in report.pairs]
    identical = command_json == json.loads(json.dumps(report.to_json()))
    exhaustive = None
    if args.exhaustive:
        similarity = InitiativeSimilarity(memory.initiatives(query.initiatives))
        exhaustive = measure(lambda: exhaustive_pairs(similarity, query))
        identical = identical and rows == exhaustive.result
    found = {(p.a, p.b) for p in report.pairs}
    recall = len(found & set(planted)) / len(planted)

    neo4j = None
    neo4j_same = None
    if args.neo4j:
        from graphmodel.backends.neo4j import Neo4jBackend

        settings = Neo4jSettings(args.uri, args.user, args.password)
        with Neo4jBackend.connect(settings) as server:
            server.load(dataset, replace=True)
            neo4j = measure(lambda: find_duplicates(server, query), repeat=args.repeat)
            neo4j_same = neo4j.result.to_json() == report.to_json()

    table = Table(title=f"Duplicated initiatives, {shape}, scale {args.scale:g}")
    for column in ("step", "seconds", "x validate", "peak", "x validate ", "goal"):
        table.add_column(column, justify="left" if column == "step" else "right")
    table.add_row(
        "validate (read + validate CSV)",
        f"{validate.seconds:.2f}",
        "1.00",
        gib(validate.peak),
        "1.00",
        "floor",
    )
    time_ratio = command.seconds / validate.seconds
    memory_ratio = command.peak / validate.peak
    table.add_row(
        "duplicates, embedded (whole command)",
        f"{command.seconds:.2f}",
        f"{time_ratio:.2f}",
        gib(command.peak),
        f"{memory_ratio:.2f}",
        f"time <= 3 {verdict(time_ratio <= 3)}, memory <= 1.5 {verdict(memory_ratio <= 1.5)}",
    )
    table.add_row(
        "blocked search (in process)", f"{blocked.seconds:.2f}", "", gib(blocked.peak), "", ""
    )
    if exhaustive is not None:
        table.add_row(
            "exhaustive comparison (in process, once)",
            f"{exhaustive.seconds:.2f}",
            f"{exhaustive.seconds / blocked.seconds:.1f} x blocked",
            gib(exhaustive.peak),
            "",
            "",
        )
    if neo4j is not None:
        table.add_row(
            "blocked search, neo4j (loaded; in process)",
            f"{neo4j.seconds:.2f}",
            f"{neo4j.seconds / blocked.seconds:.2f} x embedded",
            gib(neo4j.peak),
            "",
            "",
        )
    console.print(table)
    summary = report.to_json()["summary"]
    pairs_total = summary["initiatives"] * (summary["initiatives"] - 1) // 2
    console.print(
        f"pairs: {len(report.pairs):,} found; candidates scored {summary['candidates']:,} of "
        f"{pairs_total:,}; blocked = "
        f"{'exhaustive and ' if exhaustive is not None else ''}the command's JSON: "
        f"{verdict(identical)}; planted recall {recall:.3f} (goal >= 0.95 "
        f"{verdict(recall >= 0.95)}); pairs beyond the planted ones: {len(found - set(planted))}"
    )
    if neo4j_same is not None:
        console.print(f"neo4j JSON equals embedded JSON: {verdict(neo4j_same)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--shapes", default=",".join(SHAPES), help="comma-separated, of " + ", ".join(SHAPES)
    )
    parser.add_argument(
        "--exhaustive",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also score every pair, to prove the blocked search exact (about a minute each)",
    )
    parser.add_argument(
        "--neo4j",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run the blocked search on the local Neo4j server (loads the dataset)",
    )
    neo4j_arguments(parser)
    args = parser.parse_args()
    for shape in args.shapes.split(","):
        if shape not in SHAPES:
            raise SystemExit(f"unknown shape {shape!r}: choose from {', '.join(SHAPES)}")
        run_shape(shape, args)


if __name__ == "__main__":
    main()
