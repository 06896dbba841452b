"""Benchmark: how soon the command line answers (``--help``, ``validate``, ``gaps``).

Runs each command as a user does, through the installed ``graphmodel``
console script, hyperfine-style: ``--warmup`` runs first (they also write
Python's bytecode caches, as any installed copy has), then ``--runs`` timed
runs, each in a fresh process whose own wall time, CPU time (user + system)
and peak resident memory are read from ``os.wait4``. Printed per command: the
fastest, median and mean (with the standard deviation) wall times, the median
CPU time, the peak memory, and the goal. The interpreter's own start
(``python -c pass``) is measured in the same run as the floor.

Goals: ``graphmodel --help`` <= 0.3 s; ``validate`` and ``gaps`` on the
bundled example <= 0.8 s (wall, median). On a shared machine the CPU column
suffers least from the load; the load average is printed.

``--importtime`` also prints, per command, the modules that took longest to
import (``python -X importtime``, cumulative, top level).

    .venv/bin/python bench/cli_start.py [--runs 20] [--warmup 3] [--importtime]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = "examples/children-trust"
SCRIPT = Path(sys.executable).parent / "graphmodel"
#: (label, arguments, goal in seconds or None).
COMMANDS: list[tuple[str, list[str], float | None]] = [
    ("python -c pass (the floor)", [sys.executable, "-c", "pass"], None),
    ("graphmodel --help", [str(SCRIPT), "--help"], 0.3),
    ("graphmodel validate EXAMPLE", [str(SCRIPT), "validate", EXAMPLE], 0.8),
    ("graphmodel gaps EXAMPLE", [str(SCRIPT), "gaps", EXAMPLE], 0.8),
    (
        "graphmodel gaps EXAMPLE --format json",
        [str(SCRIPT), "gaps", EXAMPLE, "--format", "json"],
        0.8,
    ),
]


def environment() -> dict[str, str]:
    """The user's environment, with Python writing and reading its bytecode caches."""
    found = dict(os.environ)
    found.pop("PYTHONDONTWRITEBYTECODE", None)
    return found


def run_once(arguments: list[str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak resident bytes) of one run."""
    started = time.perf_counter()
    process = subprocess.Popen(
        arguments,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env=environment(),
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(arguments)} failed")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def import_times(arguments: list[str], top: int = 6) -> str:
    """The top-level imports that took longest (``-X importtime``, cumulative)."""
    if arguments[0] == str(SCRIPT):
        arguments = [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "graphmodel.cli.main",
            *arguments[1:],
        ]
    else:
        arguments = [sys.executable, "-X", "importtime", *arguments[1:]]
    done = subprocess.run(arguments, capture_output=True, text=True, cwd=ROOT, env=environment())
    found = []
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S.*)$", line)
        if match:  # a top-level import: its name follows the bar without indentation
            found.append((int(match[1]) / 1e6, match[2]))
    found.sort(reverse=True)
    total = sum(seconds for seconds, _ in found)
    return f"imports {total:.2f} s: " + ", ".join(f"{name} {s:.2f}" for s, name in found[:top])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--importtime", action="store_true")
    options = parser.parse_args()
    console = Console(width=160)
    console.print(f"load average before: {os.getloadavg()[0]:.2f}")
    table = Table(title=f"Command start, {options.runs} runs each after {options.warmup} warm-up")
    for column in ("command", "fastest s", "median s", "mean ± sd s", "CPU s", "peak MiB", "goal"):
        table.add_column(column)
    notes = []
    for label, arguments, goal in COMMANDS:
        for _ in range(options.warmup):
            run_once(arguments)
        runs = [run_once(arguments) for _ in range(options.runs)]
        walls = [wall for wall, _, _ in runs]
        median = statistics.median(walls)
        verdict = "" if goal is None else f"<= {goal} " + ("met" if median <= goal else "NOT met")
        table.add_row(
            label,
            f"{min(walls):.3f}",
            f"{median:.3f}",
            f"{statistics.mean(walls):.3f} ± {statistics.stdev(walls):.3f}",
            f"{statistics.median(cpu for _, cpu, _ in runs):.3f}",
            f"{max(peak for _, _, peak in runs) / 2**20:.0f}",
            verdict,
        )
        if options.importtime:
            notes.append(f"{label}: {import_times(arguments)}")
    console.print(table)
    for note in notes:
        console.print(note)
    console.print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
