"""Benchmark: coverage gaps on the national-scale dataset, on both backends.

In one run, on ``synthetic_dataset(Scale.national(), seed=1)`` written as a
CSV folder (100k training events, 1k professions, 14k competencies, 40k
requirements):

- ``validate``: reading and validating the CSV folder, the floor any command
  on a dataset pays;
- ``gaps (embedded)`` and ``uncovered (embedded)``: the whole command on the
  embedded backend, ``graphmodel gaps DATASET --format json`` in a fresh
  interpreter, as ``validate`` is: reading, projections, closure, JSON;
- ``gaps (neo4j)``: the same analysis on the local Neo4j server, the dataset
  loaded beforehand (not timed).

Goals: embedded gaps <= 1.5x validate; Neo4j gaps <= 3x embedded gaps. Each
timing is the best of ``--repeat`` runs. Run with the local server up
(``make neo4j-up``); it replaces the database's contents.

    .venv/bin/python bench/gaps.py [--scale 1.0] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from common import best_of, command, neo4j_arguments
from rich.console import Console
from rich.table import Table

from graphmodel.analysis.coverage import CoverageQuery, gaps
from graphmodel.backends import MemoryBackend, Neo4jSettings
from graphmodel.backends.neo4j import Neo4jBackend
from graphmodel.dataset import read_dataset
from graphmodel.io.tabular import write_dataset
from graphmodel.projections import EventFilter
from graphmodel.synthetic import Scale, synthetic_dataset

console = Console()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--neo4j",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also time gaps on the local Neo4j server (loads the dataset into it)",
    )
    neo4j_arguments(parser)
    args = parser.parse_args()

    dataset = synthetic_dataset(Scale.national().scaled(args.scale), seed=1)
    console.print(
        f"dataset: {len(dataset.training_events):,} events, {len(dataset.professions):,} "
        f"professions, {len(dataset.competencies):,} competencies, "
        f"{len(dataset.requirements):,} requirements"
    )
    query = CoverageQuery(EventFilter())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "national"
        write_dataset(dataset, path)

        # Whole commands, as a user runs them: interpreter start, reading,
        # validation, analysis and printing JSON.
        validate_s, _ = best_of(args.repeat, lambda: command("validate", str(path)))
        gaps_s, gaps_out = best_of(
            args.repeat, lambda: command("gaps", str(path), "--format", "json")
        )
        uncovered_s, _ = best_of(
            args.repeat, lambda: command("uncovered", str(path), "--format", "json")
        )
        embedded_gaps = json.loads(gaps_out)

        # Where the embedded time goes, once, in this process.
        read_s, loaded = best_of(1, lambda: read_dataset(path))
        memory = MemoryBackend(loaded)
        analysis_s, _ = best_of(1, lambda: gaps(memory, query))

    neo4j_s = load_s = events_s = None
    same = None
    if args.neo4j:
        settings = Neo4jSettings(args.uri, args.user, args.password)
        with Neo4jBackend.connect(settings) as neo4j:
            load_s, _ = best_of(1, lambda: neo4j.load(dataset, replace=True))
            neo4j_s, neo4j_gaps = best_of(args.repeat, lambda: gaps(neo4j, query))
            events_s, _ = best_of(1, lambda: neo4j.active_events(query.events))
        same = json.loads(json.dumps(neo4j_gaps)) == embedded_gaps

    table = Table(title=f"Coverage gaps, scale {args.scale:g} (best of {args.repeat})")
    for column in ("step", "seconds", "ratio", "goal"):
        table.add_column(column, justify="right" if column != "step" else "left")
    gaps_ratio = gaps_s / validate_s
    table.add_row("validate (read + validate CSV)", f"{validate_s:.2f}", "1.00", "floor")
    table.add_row(
        "gaps, embedded (whole command)",
        f"{gaps_s:.2f}",
        f"{gaps_ratio:.2f} x validate",
        "<= 1.5 " + ("PASS" if gaps_ratio <= 1.5 else "FAIL"),
    )
    table.add_row(
        "uncovered, embedded", f"{uncovered_s:.2f}", f"{uncovered_s / validate_s:.2f}", ""
    )
    if neo4j_s is not None:
        neo4j_ratio = neo4j_s / gaps_s
        table.add_row(
            "gaps, neo4j (loaded)",
            f"{neo4j_s:.2f}",
            f"{neo4j_ratio:.2f} x embedded gaps",
            "<= 3 " + ("PASS" if neo4j_ratio <= 3 else "FAIL"),
        )
    console.print(table)
    console.print(
        f"embedded breakdown (in one process): read + validate {read_s:.2f} s, "
        f"projections + closure {analysis_s:.2f} s"
    )
    if neo4j_s is not None:
        console.print(
            f"neo4j: active-events projection {events_s:.2f} s; load (not part of gaps) "
            f"{load_s:.1f} s; neo4j JSON equals embedded JSON: {'yes' if same else 'NO'}"
        )
    console.print(f"summary: {embedded_gaps['summary']}")


if __name__ == "__main__":
    main()
