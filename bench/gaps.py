"""Benchmark: coverage gaps on the national-scale dataset, without and with levels, both backends.

In one run, on ``synthetic_dataset(Scale.national(), seed=1)`` written as a
CSV folder (100k training events, 1k professions, 14k competencies, 40k
requirements), and on its levelled variant ``with_levels(..., seed=2)``
(every framework with four levels, every requirement at a level, half the
events with a level and half the covers with their own):

- ``validate``: reading and validating the CSV folder, the floor any command
  on a dataset pays;
- ``gaps (embedded)`` and ``uncovered (embedded)``: the whole command on the
  embedded backend, ``graphmodel gaps DATASET --format json`` in a fresh
  interpreter, as ``validate`` is: reading, projections, closure, JSON;
- ``gaps (neo4j)``: the same analysis on the local Neo4j server, the dataset
  loaded beforehand (not timed).

Goals: embedded gaps <= 1.5x validate, for each variant against its own
validate; the levelled gaps' peak memory no more than 1.1x the level-free
gaps' (the same bound as without levels); Neo4j gaps <= 3x embedded gaps.
Each timing is the best of ``--repeat`` runs; beside the wall time, the
processor time (user + system) of the command, which a machine shared with
other work changes far less. Run with the local server up (``make
neo4j-up``); it replaces the database's contents.

    .venv/bin/python bench/gaps.py [--scale 1.0] [--repeat 3] [--variant both]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import Measured, gib, measure, measure_command, neo4j_arguments
from rich.console import Console
from rich.table import Table

from graphmodel.analysis.coverage import CoverageQuery, gaps
from graphmodel.backends import MemoryBackend, Neo4jSettings
from graphmodel.backends.neo4j import Neo4jBackend
from graphmodel.dataset import read_dataset
from graphmodel.io.tabular import write_dataset
from graphmodel.model import Dataset
from graphmodel.projections import EventFilter
from graphmodel.synthetic import Scale, synthetic_dataset, with_levels

console = Console(width=150)

#: The levelled gaps' peak may be this much above the level-free gaps' ("as today").
PEAK_BOUND = 1.1


@dataclass
class Variant:
    """One dataset's measurements."""

    name: str
    validate: Measured[str]
    gaps: Measured[str]
    uncovered: Measured[str]
    read_s: float
    analysis_s: float
    neo4j: Measured[Any] | None = None
    load_s: float | None = None
    same: bool | None = None

    @property
    def summary(self) -> dict[str, Any]:
        return dict(json.loads(self.gaps.result)["summary"])


def run_variant(
    name: str, dataset: Dataset, args: argparse.Namespace, query: CoverageQuery
) -> Variant:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "national"
        write_dataset(dataset, path)
        # Whole commands, as a user runs them: interpreter start, reading,
        # validation, analysis and printing JSON.
        validate = measure_command("validate", str(path), repeat=args.repeat)
        gaps_run = measure_command("gaps", str(path), "--format", "json", repeat=args.repeat)
        uncovered_run = measure_command(
            "uncovered", str(path), "--format", "json", repeat=args.repeat
        )
        # Where the embedded time goes, once, in this process.
        reading = measure(lambda: read_dataset(path))
        memory = MemoryBackend(reading.result)
        analysis_s = measure(lambda: gaps(memory, query)).seconds
    variant = Variant(name, validate, gaps_run, uncovered_run, reading.seconds, analysis_s)
    if args.neo4j:
        settings = Neo4jSettings(args.uri, args.user, args.password)
        with Neo4jBackend.connect(settings) as neo4j:
            variant.load_s = measure(lambda: neo4j.load(dataset, replace=True)).seconds
            variant.neo4j = measure(lambda: gaps(neo4j, query), repeat=args.repeat)
        embedded = json.loads(gaps_run.result)
        variant.same = json.loads(json.dumps(variant.neo4j.result)) == embedded
    return variant


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--variant",
        choices=["plain", "levelled", "both"],
        default="both",
        help="the level-free dataset, its levelled variant, or both (the peak goal needs both)",
    )
    parser.add_argument(
        "--neo4j",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also time gaps on the local Neo4j server (loads the dataset into it)",
    )
    neo4j_arguments(parser)
    args = parser.parse_args()

    plain = synthetic_dataset(Scale.national().scaled(args.scale), seed=1)
    console.print(
        f"dataset: {len(plain.training_events):,} events, {len(plain.professions):,} "
        f"professions, {len(plain.competencies):,} competencies, "
        f"{len(plain.requirements):,} requirements"
    )
    query = CoverageQuery(EventFilter())
    variants: list[Variant] = []
    if args.variant in ("plain", "both"):
        variants.append(run_variant("level-free", plain, args, query))
    if args.variant in ("levelled", "both"):
        variants.append(run_variant("levelled", with_levels(plain, seed=2), args, query))

    table = Table(title=f"Coverage gaps, scale {args.scale:g} (best of {args.repeat})")
    for column in ("dataset", "step", "seconds", "ratio", "cpu s", "cpu ratio", "peak", "goal"):
        table.add_column(column, justify="left" if column in ("dataset", "step") else "right")
    for variant in variants:
        validate_s, gaps_s = variant.validate.seconds, variant.gaps.seconds
        validate_cpu, gaps_cpu = variant.validate.cpu or 0.0, variant.gaps.cpu or 0.0
        ratio = gaps_s / validate_s
        table.add_row(
            variant.name,
            "validate (read + validate CSV)",
            f"{validate_s:.2f}",
            "1.00",
            f"{validate_cpu:.2f}",
            "1.00",
            gib(variant.validate.peak),
            "floor",
        )
        table.add_row(
            variant.name,
            "gaps, embedded (whole command)",
            f"{gaps_s:.2f}",
            f"{ratio:.2f} x validate",
            f"{gaps_cpu:.2f}",
            f"{gaps_cpu / validate_cpu:.2f} x validate",
            gib(variant.gaps.peak),
            "<= 1.5 " + ("PASS" if ratio <= 1.5 else "FAIL"),
        )
        table.add_row(
            variant.name,
            "uncovered, embedded",
            f"{variant.uncovered.seconds:.2f}",
            f"{variant.uncovered.seconds / validate_s:.2f}",
            f"{variant.uncovered.cpu or 0.0:.2f}",
            "",
            gib(variant.uncovered.peak),
            "",
        )
        if variant.neo4j is not None:
            neo4j_ratio = variant.neo4j.seconds / gaps_s
            table.add_row(
                variant.name,
                "gaps, neo4j (loaded; in process)",
                f"{variant.neo4j.seconds:.2f}",
                f"{neo4j_ratio:.2f} x embedded gaps",
                "",
                "",
                gib(variant.neo4j.peak),
                "<= 3 " + ("PASS" if neo4j_ratio <= 3 else "FAIL"),
            )
    if len(variants) == 2:
        peak_ratio = variants[1].gaps.peak / variants[0].gaps.peak
        table.add_row(
            "levelled",
            "gaps peak / level-free gaps peak",
            "",
            f"{peak_ratio:.2f}",
            "",
            "",
            "",
            f"<= {PEAK_BOUND} " + ("PASS" if peak_ratio <= PEAK_BOUND else "FAIL"),
        )
    console.print(table)
    for variant in variants:
        console.print(
            f"{variant.name}: in one process, read + validate {variant.read_s:.2f} s, "
            f"projections + closure + documents {variant.analysis_s:.2f} s"
        )
        if variant.neo4j is not None:
            console.print(
                f"{variant.name}: neo4j load (not part of gaps) {variant.load_s:.1f} s; "
                f"neo4j JSON equals embedded JSON: {'yes' if variant.same else 'NO'}"
            )
        console.print(f"{variant.name} summary: {variant.summary}")


if __name__ == "__main__":
    main()
