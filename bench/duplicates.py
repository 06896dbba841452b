"""Benchmark: duplicated initiatives at national scale, blocked against exhaustive.

In one run, on ``synthetic_dataset(Scale.national(), seed=1)`` with near-copies
of 5% of its initiatives planted (``with_near_copies``: another lead, a
reworded title and description, one target and one competency swapped), about
10,500 initiatives, written as a CSV folder:

- ``validate``: reading and validating the CSV folder in a fresh interpreter,
  the floor any command on a dataset pays;
- ``duplicates (command)``: ``graphmodel duplicates DATASET --format json``
  in a fresh interpreter, as a user runs it;
- ``blocked search``: ``find_duplicates`` in this process (projection,
  similarity model, candidates, scoring, reasons);
- ``exhaustive comparison``: the same projection and similarity model, then
  every pair scored by the same code (``exhaustive_pairs``);
- optionally the blocked search on the local Neo4j server (dataset loaded
  beforehand, not timed), whose JSON must equal the embedded one.

Goals: the duplicates command <= 3x validate; blocked >= 20x faster than
exhaustive; identical pairs; planted recall >= 0.95.

    .venv/bin/python bench/duplicates.py [--scale 1.0] [--repeat 3] [--no-neo4j]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from common import best_of, command, neo4j_arguments
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
from graphmodel.synthetic import Scale, synthetic_dataset, with_near_copies

console = Console()


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--share", type=float, default=0.05, help="initiatives copied")
    parser.add_argument(
        "--neo4j",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run the blocked search on the local Neo4j server (loads the dataset)",
    )
    neo4j_arguments(parser)
    args = parser.parse_args()

    base = synthetic_dataset(Scale.national().scaled(args.scale), seed=1)
    dataset, planted = with_near_copies(base, args.share, seed=2)
    console.print(
        f"dataset: {len(dataset.initiatives):,} initiatives ({len(planted):,} planted "
        f"near-copies), {len(dataset.training_events):,} events"
    )
    query = DuplicateQuery()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "national"
        write_dataset(dataset, path)
        validate_s, _ = best_of(args.repeat, lambda: command("validate", str(path)))
        command_s, output = best_of(
            args.repeat, lambda: command("duplicates", str(path), "--format", "json")
        )
    command_json = json.loads(output)

    memory = MemoryBackend(dataset)
    blocked_s, report = best_of(args.repeat, lambda: find_duplicates(memory, query))

    def exhaustive() -> list[tuple[str, str, float, float, float]]:
        similarity = InitiativeSimilarity(memory.initiatives(query.initiatives))
        return exhaustive_pairs(similarity, query)

    exhaustive_s, every_pair = best_of(1, exhaustive)
    blocked_rows = [(p.a, p.b, p.score, p.structure, p.text) for p in report.pairs]
    identical = blocked_rows == every_pair and command_json == json.loads(
        json.dumps(report.to_json())
    )
    found = {(p.a, p.b) for p in report.pairs}
    recall = len(found & set(planted)) / len(planted)

    neo4j_s = None
    neo4j_same = None
    if args.neo4j:
        from graphmodel.backends.neo4j import Neo4jBackend

        settings = Neo4jSettings(args.uri, args.user, args.password)
        with Neo4jBackend.connect(settings) as neo4j:
            neo4j.load(dataset, replace=True)
            neo4j_s, neo4j_report = best_of(args.repeat, lambda: find_duplicates(neo4j, query))
            neo4j_same = neo4j_report.to_json() == report.to_json()

    table = Table(title=f"Duplicated initiatives, scale {args.scale:g} (best of {args.repeat})")
    for column in ("step", "seconds", "ratio", "goal"):
        table.add_column(column, justify="left" if column == "step" else "right")
    command_ratio = command_s / validate_s
    speed_up = exhaustive_s / blocked_s
    table.add_row("validate (read + validate CSV)", f"{validate_s:.2f}", "1.00", "floor")
    table.add_row(
        "duplicates, embedded (whole command)",
        f"{command_s:.2f}",
        f"{command_ratio:.2f} x validate",
        f"<= 3 {verdict(command_ratio <= 3)}",
    )
    table.add_row("blocked search (in process)", f"{blocked_s:.2f}", "", "")
    table.add_row(
        "exhaustive comparison (in process, once)",
        f"{exhaustive_s:.2f}",
        f"{speed_up:.1f} x blocked",
        f">= 20 {verdict(speed_up >= 20)}",
    )
    if neo4j_s is not None:
        table.add_row(
            "blocked search, neo4j (loaded)",
            f"{neo4j_s:.2f}",
            f"{neo4j_s / blocked_s:.2f} x embedded",
            "",
        )
    console.print(table)
    summary = report.to_json()["summary"]
    pairs_total = summary["initiatives"] * (summary["initiatives"] - 1) // 2
    console.print(
        f"pairs: {len(report.pairs):,} found; candidates scored {summary['candidates']:,} of "
        f"{pairs_total:,} ({summary['candidates'] / pairs_total:.2%}); "
        f"blocked = exhaustive (and the command's JSON): {verdict(identical)}; "
        f"planted recall {recall:.3f} (goal >= 0.95 {verdict(recall >= 0.95)}); "
        f"pairs beyond the planted ones: {len(found - set(planted))}"
    )
    if neo4j_same is not None:
        console.print(f"neo4j JSON equals embedded JSON: {verdict(neo4j_same)}")


if __name__ == "__main__":
    main()
