"""Benchmark: the analysis commands at national scale, on three shapes of data, both backends.

Every command runs as a user runs it, in a fresh interpreter, and is measured
for wall time, processor time (user + system: on a shared machine it varies
far less than wall time; a command using several processes counts theirs
too) and peak resident memory (``bench/common.py``). The baseline,
measured in the same run on the same data, is ``graphmodel validate
DATASET``: reading and validating the CSV folder, the floor any command on a
dataset pays.

The shapes (``--shapes``), each ``synthetic_dataset(Scale.national(), seed=1)``
(100k training events, 10k initiatives, 14k competencies, 1k professions,
5k organisations, 200 drivers) with near-copies of 5% of its initiatives
planted (``with_near_copies``, seed 2), written as a CSV folder:

- ``wide``: initiative texts from a 20,000-word vocabulary (the default
  wording: two texts seldom share a word);
- ``repetitive``: texts from the 60 words of ``synthetic.DOMAIN_WORDS``, as
  texts written in one field are (a third of all pairs have a text
  similarity above the duplicates threshold);
- ``hub``: the wide wording plus one driver, ``dr-hub``, answered by 5,000
  initiatives (``with_hub_driver``): 12.5 million pairs share it.

Commands: ``validate``; ``duplicates DATASET --format json``; ``report
DATASET -o report.html`` (the board report as users make it) and ``report
DATASET --format json``; ``brokers DATASET --format json``. With ``--neo4j``
the dataset is loaded into the local server (not timed) and the same
commands run against its URI, whose JSON must equal the embedded JSON (the
report's ``source`` and ``date`` aside).

Goals, per shape: duplicates <= 3x validate's time and <= 1.5x its
peak memory; report <= 4x validate's time and <= 2x its peak memory;
brokers (exact) <= 3x validate's time; on Neo4j each command within 1.5x of
its embedded time, identical JSON.

    .venv/bin/python bench/national.py [--shapes wide,repetitive,hub] [--repeat 1] [--no-neo4j]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import Measured, gib, measure_command, neo4j_arguments, neo4j_environment
from rich.console import Console
from rich.table import Table

from graphmodel.backends import Neo4jSettings
from graphmodel.io.tabular import write_dataset
from graphmodel.model import Dataset
from graphmodel.synthetic import (
    Scale,
    synthetic_dataset,
    with_hub_driver,
    with_near_copies,
)

console = Console(width=150)

SHAPES = ("wide", "repetitive", "hub")
#: Initiatives answering the hub driver at national scale.
HUB_RESPONDERS = 5000


@dataclass(frozen=True)
class Goal:
    """A command's goal against validate: time and peak memory ratios (None: no goal)."""

    time: float | None
    memory: float | None


GOALS = {
    "validate": Goal(None, None),
    "duplicates": Goal(3.0, 1.5),
    "report (html)": Goal(4.0, 2.0),
    "report (json)": Goal(4.0, 2.0),
    "brokers": Goal(3.0, None),
}


def shape_parts(shape: str, scale: float) -> tuple[Dataset, list[tuple[str, str]]]:
    """The dataset of one shape (see the module doc) and its planted near-copy pairs."""
    wording = "repetitive" if shape == "repetitive" else "wide"
    base = synthetic_dataset(Scale.national().scaled(scale), seed=1, wording=wording)
    if shape == "hub":
        base = with_hub_driver(base, max(2, int(HUB_RESPONDERS * scale)), seed=3)
    return with_near_copies(base, 0.05, seed=2, wording=wording)


def shape_dataset(shape: str, scale: float) -> Dataset:
    """The dataset of one shape (see the module doc)."""
    return shape_parts(shape, scale)[0]


def commands(source: str, folder: Path) -> dict[str, tuple[str, ...]]:
    """The commands measured, by name, against ``source``."""
    return {
        "validate": ("validate", source),
        "duplicates": ("duplicates", source, "--format", "json"),
        "report (html)": ("report", source, "-o", str(folder / "report.html")),
        "report (json)": ("report", source, "--format", "json"),
        "brokers": ("brokers", source, "--format", "json"),
    }


def comparable(name: str, output: str) -> Any:
    """The JSON a command printed, with what names its source left out."""
    if not output.lstrip().startswith("{"):
        return None
    document = json.loads(output)
    if name.startswith("report"):
        for key in ("source", "date"):
            document.pop(key, None)
    return document


def verdict(ratio: float, goal: float | None) -> str:
    if goal is None:
        return ""
    return f"<= {goal:g} {'PASS' if ratio <= goal else 'FAIL'}"


def run_shape(shape: str, args: argparse.Namespace) -> None:
    dataset = shape_dataset(shape, args.scale)
    console.rule(f"{shape}: {len(dataset.initiatives):,} initiatives")
    wanted = [name for name in GOALS if name.split()[0] in args.commands]
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        path = folder / "national"
        write_dataset(dataset, path)
        embedded: dict[str, Measured[str]] = {}
        for name in wanted:
            arguments = commands(str(path), folder)[name]
            embedded[name] = measure_command(*arguments, repeat=args.repeat)
            measured = embedded[name]
            console.print(
                f"  {name}: {measured.seconds:.2f} s, {gib(measured.peak)}, "
                f"cpu {measured.cpu:.2f} s"
            )
        on_neo4j: dict[str, Measured[str]] = {}
        if args.neo4j:
            from graphmodel.backends.neo4j import Neo4jBackend

            settings = Neo4jSettings(args.uri, args.user, args.password)
            with Neo4jBackend.connect(settings) as neo4j:
                # In parts: one shape's national graph replaced by another's in one
                # transaction passes a 4g server's transaction memory (not what is measured).
                neo4j.load(dataset, replace=True, commit_every=100_000)
            environment = neo4j_environment(args.user, args.password)
            for name in wanted:
                if name == "validate":
                    continue
                arguments = commands(args.uri, folder)[name]
                on_neo4j[name] = measure_command(*arguments, repeat=args.repeat, env=environment)
                measured = on_neo4j[name]
                console.print(
                    f"  neo4j {name}: {measured.seconds:.2f} s, {gib(measured.peak)}, "
                    f"cpu {measured.cpu:.2f} s"
                )

    base = embedded["validate"]
    table = Table(title=f"{shape}, scale {args.scale:g} (best of {args.repeat})")
    for column in (
        "command",
        "seconds",
        "cpu s",
        "x validate",
        "time goal",
        "peak",
        "x validate ",
        "memory goal",
    ):
        table.add_column(column, justify="left" if column == "command" else "right")
    for name, measured in embedded.items():
        goal = GOALS[name]
        time_ratio = measured.seconds / base.seconds
        memory_ratio = measured.peak / base.peak
        table.add_row(
            name,
            f"{measured.seconds:.2f}",
            f"{measured.cpu:.2f}",
            f"{time_ratio:.2f}",
            verdict(time_ratio, goal.time),
            gib(measured.peak),
            f"{memory_ratio:.2f}",
            verdict(memory_ratio, goal.memory),
        )
    console.print(table)
    if on_neo4j:
        table = Table(title=f"{shape} on Neo4j (loaded database; Python process's peak)")
        for column in ("command", "seconds", "cpu s", "x embedded", "goal", "peak", "same JSON"):
            table.add_column(column, justify="left" if column == "command" else "right")
        for name, measured in on_neo4j.items():
            ratio = measured.seconds / embedded[name].seconds
            same = comparable(name, measured.result) == comparable(name, embedded[name].result)
            table.add_row(
                name,
                f"{measured.seconds:.2f}",
                f"{measured.cpu:.2f}",
                f"{ratio:.2f}",
                verdict(ratio, 1.5),
                gib(measured.peak),
                "n/a" if name == "report (html)" else ("yes" if same else "NO"),
            )
        console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--shapes", default=",".join(SHAPES), help="comma-separated, of " + ", ".join(SHAPES)
    )
    parser.add_argument(
        "--commands",
        default="validate,duplicates,report,brokers",
        help="comma-separated: validate, duplicates, report, brokers (validate always runs)",
    )
    parser.add_argument(
        "--neo4j",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run the commands against the local Neo4j server (loads each dataset)",
    )
    neo4j_arguments(parser)
    args = parser.parse_args()
    args.commands = {"validate", *args.commands.split(",")}
    for shape in args.shapes.split(","):
        if shape not in SHAPES:
            raise SystemExit(f"unknown shape {shape!r}: choose from {', '.join(SHAPES)}")
        run_shape(shape, args)


if __name__ == "__main__":
    main()
