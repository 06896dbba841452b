"""Benchmark: the command line with its cycle-collector thresholds, against CPython's defaults.

``graphmodel`` calls :func:`graphmodel.collector.collect_less_often` before a
command runs (docs/architecture.md, "The cycle collector"). This measures
what that buys at national scale, on the shapes of ``bench/national.py``
(``wide``, ``repetitive``, ``hub``): each command runs as a user runs it, in a
fresh interpreter, once as the console script starts it and once with the
collector left at CPython's defaults (700, 10, 10), alternately, ``--repeat``
times each; printed are the best wall time, its processor time and the peak
resident memory of each, and the ratios (shipped / defaults).

There is no goal: the shipped setting must not cost peak memory (ratio <=
1.05) and should save time.

    .venv/bin/python bench/collector.py [--shapes wide,repetitive,hub] [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from common import CLI_ENTRY, Measured, best_of, gib, measure_command
from national import SHAPES, shape_dataset
from rich.console import Console
from rich.table import Table

from graphmodel.io.tabular import write_dataset

console = Console(width=150)

#: The command line started with the collector at CPython's defaults.
DEFAULTS_ENTRY = (
    "import graphmodel.cli.main as cli_main\n"
    "cli_main.collect_less_often = lambda: None\n"
    "cli_main.main()"
)


def commands(source: Path, folder: Path) -> dict[str, tuple[str, ...]]:
    views = folder / "views.json"
    views.write_text(
        json.dumps(
            {
                "views": [
                    {"name": "Gaps of profession 1", "state": "overlay=gaps&profession=p-1"},
                    {"name": "By community", "state": "roll_up=community&max_nodes=200"},
                ]
            }
        ),
        encoding="utf-8",
    )
    return {
        "validate": ("validate", str(source)),
        "communities": ("communities", str(source), "--format", "json"),
        "duplicates": ("duplicates", str(source), "--format", "json"),
        "slides (2 views)": (
            "slides",
            str(source),
            "--views",
            str(views),
            "-o",
            str(folder / "deck.pptx"),
        ),
    }


def run_shape(shape: str, repeat: int) -> None:
    dataset = shape_dataset(shape, 1.0)
    table = Table(title=f"{shape}: {len(dataset.initiatives):,} initiatives")
    for column in ("command", "defaults", "shipped", "time ratio", "cpu ratio", "memory ratio"):
        table.add_column(column, justify="left" if column == "command" else "right")
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        source = folder / "national"
        write_dataset(dataset, source)
        for name, arguments in commands(source, folder).items():
            shipped: list[Measured[str]] = []
            defaults: list[Measured[str]] = []
            for _ in range(repeat):  # alternately, so that a busy moment hits both
                defaults.append(measure_command(*arguments, entry=DEFAULTS_ENTRY))
                shipped.append(measure_command(*arguments, entry=CLI_ENTRY))
            before, after = best_of(defaults), best_of(shipped)
            # A command's processor time is always measured (bench/common.py).
            cpu_before, cpu_after = before.cpu or float("nan"), after.cpu or float("nan")
            table.add_row(
                name,
                f"{before.seconds:.1f} s ({cpu_before:.1f} cpu), {gib(before.peak)}",
                f"{after.seconds:.1f} s ({cpu_after:.1f} cpu), {gib(after.peak)}",
                f"{after.seconds / before.seconds:.2f}",
                f"{cpu_after / cpu_before:.2f}",
                f"{after.peak / before.peak:.2f}",
            )
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    for shape in args.shapes.split(","):
        run_shape(shape, args.repeat)


if __name__ == "__main__":
    main()
