"""Benchmark: communities (seeded Leiden) at national scale, time and peak memory.

The dataset is ``synthetic_dataset(Scale.national(), seed=1)`` (130,220
nodes, 1,049,681 relationships; the partnership network about 15,000 nodes),
written as a CSV folder. Measured in the same run:

- **validate** (the baseline): ``graphmodel validate DATASET`` in a fresh
  interpreter, the floor any command on a dataset pays;
- **communities, whole graph** and **partnership network**: ``graphmodel
  communities DATASET [--network partnership] --format json`` the same way;
- **in process**: ``communities(backend)`` on a backend already read (what
  the explorer's ``/api/communities`` does once the graph is loaded), for each
  network, with the process's peak memory during the step.

Goals: the division itself (in process) under 10 s for the whole graph (its
processor time is shown too: on a machine shared with other work the wall
time of one core's work can be several times its processor time); each
command within ``validate`` + 10 s of processor time (the wall time beside
it), and within 1.5x validate's peak memory.
The ratios to validate are printed beside the seconds, so a busy machine shows
as a slow baseline too.

With ``--neo4j`` the dataset is also loaded into the local server (not timed)
and the commands run against its URI (reading the graph's skeleton over Bolt
is part of their time); their JSON must equal the embedded JSON.

    .venv/bin/python bench/communities.py [--scale 1.0] [--repeat 1] [--neo4j]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from common import Measured, gib, measure, measure_command, neo4j_arguments, neo4j_environment
from rich.console import Console
from rich.table import Table

from graphmodel.analysis.communities import Communities, communities
from graphmodel.backends import MemoryBackend, Neo4jSettings
from graphmodel.io.tabular import write_dataset
from graphmodel.synthetic import Scale, synthetic_dataset

console = Console(width=150)

#: Seconds the division may take beyond reading the dataset.
SECONDS_GOAL = 10.0
#: Peak memory of a command against validate's.
MEMORY_GOAL = 1.5


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def timed(kind: str, backend: MemoryBackend) -> tuple[Communities, float]:
    """The communities and the processor time they took (Leiden runs on one core)."""
    started = time.process_time()
    found = communities(backend, kind)  # type: ignore[arg-type]
    return found, time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--neo4j", action=argparse.BooleanOptionalAction, default=False)
    neo4j_arguments(parser)
    args = parser.parse_args()

    dataset = synthetic_dataset(Scale.national().scaled(args.scale), seed=1)
    commands: dict[str, Measured[str]] = {}
    in_process: dict[str, Measured[tuple[Communities, float]]] = {}
    on_neo4j: dict[str, Measured[str]] = {}
    networks = {"whole graph": [], "partnership": ["--network", "partnership"]}
    with tempfile.TemporaryDirectory() as temporary:
        path = Path(temporary) / "national"
        write_dataset(dataset, path)
        commands["validate"] = measure_command("validate", str(path), repeat=args.repeat)
        for name, extra in networks.items():
            commands[name] = measure_command(
                "communities", str(path), *extra, "--format", "json", repeat=args.repeat
            )
            console.print(f"  command {name}: {commands[name].seconds:.2f} s")
    backend = MemoryBackend(dataset)
    backend.skeleton()  # read once, as the explorer holds it
    for name, kind in (("whole graph", "graph"), ("partnership", "partnership")):
        in_process[name] = measure(lambda kind=kind: timed(kind, backend), args.repeat)  # type: ignore[misc]
        console.print(f"  in process {name}: {in_process[name].seconds:.2f} s")
    if args.neo4j:
        from graphmodel.backends.neo4j import Neo4jBackend

        with Neo4jBackend.connect(Neo4jSettings(args.uri, args.user, args.password)) as neo4j:
            neo4j.load(dataset, replace=True, commit_every=100_000)
        environment = neo4j_environment(args.user, args.password)
        for name, extra in networks.items():
            on_neo4j[name] = measure_command(
                "communities", args.uri, *extra, "--format", "json",
                repeat=args.repeat, env=environment,
            )  # fmt: skip

    base = commands["validate"]
    table = Table(title=f"communities, national scale x{args.scale:g} (best of {args.repeat})")
    for column in (
        "what",
        "seconds",
        "cpu s",
        "x validate",
        "goal",
        "peak",
        "x validate ",
        "goal ",
    ):
        table.add_column(column, justify="left" if column == "what" else "right")
    for name, measured in commands.items():
        beyond = measured.seconds - base.seconds
        beyond_cpu = (measured.cpu or 0.0) - (base.cpu or 0.0)
        memory = measured.peak / base.peak
        table.add_row(
            f"command: {name}" if name != "validate" else "validate (baseline)",
            f"{measured.seconds:.2f}",
            f"{measured.cpu:.2f}",
            f"{measured.seconds / base.seconds:.2f}",
            ""
            if name == "validate"
            else f"+{beyond:.1f} s, +{beyond_cpu:.1f} s cpu <= +10 {verdict(beyond_cpu <= 10)}",
            gib(measured.peak),
            f"{memory:.2f}",
            "" if name == "validate" else f"<= {MEMORY_GOAL} {verdict(memory <= MEMORY_GOAL)}",
        )
    for name, step in in_process.items():
        found, cpu = step.result
        goal = (
            f"<= 10 s: wall {verdict(step.seconds <= SECONDS_GOAL)}, "
            f"cpu {verdict(cpu <= SECONDS_GOAL)}"
        )
        table.add_row(
            f"in process: {name} ({found.nodes:,} nodes, {found.links:,} links, "
            f"{found.total:,} communities, modularity {found.modularity:.3f})",
            f"{step.seconds:.2f}",
            f"{cpu:.2f}",
            f"{step.seconds / base.seconds:.2f}",
            goal if name == "whole graph" else "",
            gib(step.peak),
            "",
            "",
        )
    console.print(table)
    if on_neo4j:
        table = Table(title="on Neo4j (loaded database; the Python process's peak)")
        for column in ("what", "seconds", "cpu s", "x embedded command", "peak", "same JSON"):
            table.add_column(column, justify="left" if column == "what" else "right")
        for name, measured in on_neo4j.items():
            same = json.loads(measured.result) == json.loads(commands[name].result)
            table.add_row(
                f"command: {name}",
                f"{measured.seconds:.2f}",
                f"{measured.cpu:.2f}",
                f"{measured.seconds / commands[name].seconds:.2f}",
                gib(measured.peak),
                "yes" if same else "NO",
            )
        console.print(table)


if __name__ == "__main__":
    main()
