"""What every benchmark script shares: running the command line, timing, Neo4j options.

The scripts run as ``python bench/<name>.py``, which puts this folder on the
import path, so they import this module as ``common``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any


def command(*args: str) -> str:
    """Run ``graphmodel ARGS`` in a fresh interpreter; its standard output.

    A failing command stops the benchmark with its error output.
    """
    done = subprocess.run(
        [sys.executable, "-c", "from graphmodel.cli.main import main; main()", *args],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"graphmodel {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def best_of(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    """The shortest wall time of ``repeat`` runs, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


def neo4j_arguments(parser: argparse.ArgumentParser) -> None:
    """``--uri``, ``--user``, ``--password``: the local test server unless ``NEO4J_*`` say."""
    parser.add_argument("--uri", default=os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"))
    parser.add_argument("--user", default=os.environ.get("NEO4J_USERNAME", "neo4j"))
    parser.add_argument("--password", default=os.environ.get("NEO4J_PASSWORD", "graphmodel-test"))
