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

from common import gib, measure, measure_command, neo4j_arguments
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
        validate = measure_command("validate", str(path), repeat=args.repeat)
        validate_s = validate.seconds
        gaps_run = measure_command("gaps", str(path), "--format", "json", repeat=args.repeat)
        gaps_s = gaps_run.seconds
        uncovered_run = measure_command(
            "uncovered", str(path), "--format", "json", repeat=args.repeat
        )
        uncovered_s = uncovered_run.seconds
        embedded_gaps = json.loads(gaps_run.result)

        # Where the embedded time goes, once, in this process.
        reading = measure(lambda: read_dataset(path))
        read_s, loaded = reading.seconds, reading.result
        memory = MemoryBackend(loaded)
        analysis_s = measure(lambda: gaps(memory, query)).seconds

    neo4j_s = load_s = events_s = None
    neo4j_peak = 0
    same = None
    if args.neo4j:
        settings = Neo4jSettings(args.uri, args.user, args.password)
        with Neo4jBackend.connect(settings) as neo4j:
            load_s = measure(lambda: neo4j.load(dataset, replace=True)).seconds
            on_neo4j = measure(lambda: gaps(neo4j, query), repeat=args.repeat)
            neo4j_s, neo4j_gaps, neo4j_peak = on_neo4j.seconds, on_neo4j.result, on_neo4j.peak
            events_s = measure(lambda: neo4j.active_events(query.events)).seconds
        same = json.loads(json.dumps(neo4j_gaps)) == embedded_gaps

    table = Table(title=f"Coverage gaps, scale {args.scale:g} (best of {args.repeat})")
    for column in ("step", "seconds", "ratio", "peak", "goal"):
        table.add_column(column, justify="right" if column != "step" else "left")
    gaps_ratio = gaps_s / validate_s
    table.add_row(
        "validate (read + validate CSV)", f"{validate_s:.2f}", "1.00", gib(validate.peak), "floor"
    )
    table.add_row(
        "gaps, embedded (whole command)",
        f"{gaps_s:.2f}",
        f"{gaps_ratio:.2f} x validate",
        gib(gaps_run.peak),
        "<= 1.5 " + ("PASS" if gaps_ratio <= 1.5 else "FAIL"),
    )
    table.add_row(
        "uncovered, embedded",
        f"{uncovered_s:.2f}",
        f"{uncovered_s / validate_s:.2f}",
        gib(uncovered_run.peak),
        "",
    )
    if neo4j_s is not None:
        neo4j_ratio = neo4j_s / gaps_s
        table.add_row(
            "gaps, neo4j (loaded; in process)",
            f"{neo4j_s:.2f}",
            f"{neo4j_ratio:.2f} x embedded gaps",
            gib(neo4j_peak),
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
