"""What every benchmark script shares: timing with peak memory, the command line, Neo4j options.

The scripts run as ``python bench/<name>.py``, which puts this folder on the
import path, so they import this module as ``common``.

Every measurement is a :class:`Measured`: the wall time and the **peak
resident memory** of what was measured, so each benchmark prints memory
beside time.

- :func:`measure_command` runs ``graphmodel ARGS`` in a fresh interpreter,
  one child process per run, and reads that child's own peak resident set
  size from ``os.wait4`` (the kernel's ``ru_maxrss`` of exactly that child,
  which ``getrusage(RUSAGE_CHILDREN)`` would merge with every earlier child).
  The child is started by a small launcher process, not by the benchmark
  itself, since a process's ``ru_maxrss`` starts from the size of the process
  it was forked from.
  A command against Neo4j counts the Python process only, not the server.
- :func:`measure` times a step inside the benchmark's own process and reads
  the process's peak resident size during that step: the kernel's high-water
  mark (``VmHWM``) is reset to the current size first (``/proc/self/clear_refs``,
  Linux), so the peak is the step's, on top of what the process already held.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")

GIB = 1024**3


@dataclass(frozen=True)
class Measured(Generic[T]):
    """Best wall time of the runs, the largest peak resident memory among them, the result.

    ``cpu`` is the processor time (user + system) of the fastest run, for
    commands: on a machine shared with other work it varies far less than
    the wall time, so it tells a slow run from a busy machine.
    """

    seconds: float
    peak: int
    result: T
    cpu: float | None = None

    @property
    def gib(self) -> float:
        """The peak in GiB."""
        return self.peak / GIB


def gib(size: int) -> str:
    """``1.23 GB`` (GiB), for tables."""
    return f"{size / GIB:.2f} GB"


#: Runs ``graphmodel ARGS`` as its own child and writes the child's wall time, exit code,
#: peak resident size (KiB) and processor time to the file descriptor given first. A process's
#: ``ru_maxrss`` keeps the high-water mark of the memory it was forked from (Linux records
#: it at ``exec``), so a command started straight from a benchmark holding a national
#: dataset would report the benchmark's size; started from this small launcher, it
#: reports its own.
_LAUNCHER = """
import json, os, sys, time
started = time.perf_counter()
report_to = int(sys.argv[1])
pid = os.fork()
if pid == 0:
    os.close(report_to)
    os.execv(sys.executable, [sys.executable, "-c", sys.argv[2], *sys.argv[3:]])
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - started
report = [seconds, os.waitstatus_to_exitcode(status), usage.ru_maxrss,
          usage.ru_utime + usage.ru_stime]
os.write(report_to, json.dumps(report).encode())
"""


#: How the launcher's child runs the command line: as the ``graphmodel`` console script does.
CLI_ENTRY = "from graphmodel.cli.main import main; main()"


def _run_once(args: tuple[str, ...], env: dict[str, str] | None, entry: str) -> Measured[str]:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        read_end, write_end = os.pipe()
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", _LAUNCHER, str(write_end), entry, *args],
                stdout=out,
                stderr=err,
                env=env,
                pass_fds=(write_end,),
            )
            os.close(write_end)
            write_end = -1
            with os.fdopen(read_end, "rb") as pipe:
                read_end = -1
                report = pipe.read()
            process.wait()
        finally:
            for fd in (read_end, write_end):
                if fd >= 0:
                    os.close(fd)
        out.seek(0)
        err.seek(0)
        if not report:
            raise SystemExit(f"graphmodel {' '.join(args)}: the launcher failed:\n{err.read()!r}")
        seconds, returncode, maxrss, cpu = json.loads(report)
        if returncode:
            message = err.read().decode(errors="replace")
            raise SystemExit(f"graphmodel {' '.join(args)} failed:\n{message}")
        # ru_maxrss is in KiB on Linux.
        return Measured(seconds, maxrss * 1024, out.read().decode(), cpu)


def measure_command(
    *args: str, repeat: int = 1, env: dict[str, str] | None = None, entry: str = CLI_ENTRY
) -> Measured[str]:
    """Run ``graphmodel ARGS`` ``repeat`` times, each in a fresh interpreter.

    ``entry`` is the Python code that runs the command line in the child (with
    ``ARGS`` in ``sys.argv[1:]``): the console script's, unless a benchmark
    compares another way of starting it. Returns the shortest wall time, the
    largest peak resident memory of the runs and the last run's standard
    output. A failing command stops the benchmark with its error output.
    """
    return best_of([_run_once(args, env, entry) for _ in range(repeat)])


def best_of(runs: list[Measured[T]]) -> Measured[T]:
    """The fastest run's wall and processor time, the largest peak of them all, and the
    last run's result."""
    fastest = min(runs, key=lambda run: run.seconds)
    return Measured(fastest.seconds, max(run.peak for run in runs), runs[-1].result, fastest.cpu)


def command(*args: str) -> str:
    """Run ``graphmodel ARGS`` in a fresh interpreter; its standard output."""
    return _run_once(args, None, CLI_ENTRY).result


_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def _reset_peak() -> bool:
    """Reset this process's resident high-water mark to its current size (Linux)."""
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


def _peak() -> int:
    """This process's resident high-water mark, in bytes."""
    try:
        match = re.search(r"VmHWM:\s+(\d+) kB", _STATUS.read_text())
    except OSError:
        match = None
    if match:
        return int(match.group(1)) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def measure(run: Callable[[], T], repeat: int = 1) -> Measured[T]:
    """Run ``run`` ``repeat`` times in this process: best time, largest peak, last result.

    The peak is the process's peak resident memory during the runs (what it
    held before included); where the high-water mark cannot be reset, it is
    the process's peak since it started.
    """
    best, peak = float("inf"), 0
    result: Any = None
    for _ in range(repeat):
        result = None  # the previous result is not part of this run's peak
        _reset_peak()
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
        peak = max(peak, _peak())
    return Measured(best, peak, result)


def neo4j_arguments(parser: argparse.ArgumentParser) -> None:
    """``--uri``, ``--user``, ``--password``: the local test server unless ``NEO4J_*`` say."""
    parser.add_argument("--uri", default=os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"))
    parser.add_argument("--user", default=os.environ.get("NEO4J_USERNAME", "neo4j"))
    parser.add_argument("--password", default=os.environ.get("NEO4J_PASSWORD", "graphmodel-test"))


def neo4j_environment(user: str, password: str) -> dict[str, str]:
    """This process's environment with the Neo4j credentials, for commands given a URI."""
    return {**os.environ, "NEO4J_USERNAME": user, "NEO4J_PASSWORD": password}
