"""Benchmark: links for every driver, and brokers, on the national-scale dataset, both backends.

In one run, on ``synthetic_dataset(Scale.national(), seed=1)`` (10k
initiatives, 200 drivers, 5k organisations, 14k competencies) written as a
CSV folder:

- the baseline, ``graphmodel validate DATASET`` in a fresh interpreter:
  reading and validating the folder, the floor any command on a dataset pays;
- whole commands, each in a fresh interpreter as a user runs them:
  ``links DATASET --driver dr-0 --format json``, ``brokers DATASET --format
  json`` (exact) and ``brokers DATASET --sample 200``, and ``links URI
  --driver dr-0`` against the local Neo4j;
- in process, step by step on each backend: the initiative and name
  projections (``LinkIndex``), the text model, the reach of **every** driver
  with all its candidates (and with the top 20), brokers (exact betweenness,
  as the command gives it), and one explained path.

Every step prints its wall time and peak resident memory (``bench/common.py``).

Both backends must give the same JSON for every driver and for brokers
(compared through a hash of each document). Goals: the whole ``links
--driver`` command <= 1.5x validate; every driver's reach on Neo4j <= 3x the
embedded one. It prints every step with its ratio to validate and names the
slowest. Run with a local Neo4j up; it replaces that database's contents.

    NEO4J_URI=bolt://127.0.0.1:7688 .venv/bin/python bench/links.py [--scale 1.0]
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import gib, measure, measure_command, neo4j_arguments
from rich.console import Console
from rich.table import Table

from graphmodel.analysis.brokers import brokers
from graphmodel.analysis.links import LinkIndex
from graphmodel.analysis.paths import shortest_path
from graphmodel.backends import GraphBackend, MemoryBackend, Neo4jSettings
from graphmodel.backends.neo4j import Neo4jBackend
from graphmodel.dataset import read_dataset
from graphmodel.io.tabular import write_dataset
from graphmodel.synthetic import Scale, synthetic_dataset

console = Console()


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    """Wall time of one run, and its result (peaks are taken around whole steps)."""
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


#: Peak resident memory of each step, by the step's name (``bench/common.py``).
PEAKS: dict[str, int] = {}


def step(name: str, run: Callable[[], Any]) -> tuple[float, Any]:
    """Time one step in this process and note its peak memory under its name."""
    measured = measure(run)
    PEAKS[name] = measured.peak
    return measured.seconds, measured.result


def whole_command(name: str, *args: str) -> tuple[float, str]:
    """Time one command in a fresh interpreter and note its peak memory under its name."""
    measured = measure_command(*args)
    PEAKS[name] = measured.peak
    return measured.seconds, measured.result


def digest(document: Any) -> str:
    """A short hash of a JSON document (documents are compared, not kept)."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def backend_steps(
    name: str, backend: GraphBackend, pair: tuple[str, str]
) -> tuple[dict[str, float], dict[str, str], int]:
    """Time each step of the links analyses on one backend; hashes of every document."""
    steps: dict[str, float] = {}
    hashes: dict[str, str] = {}
    label = f"{name}: projections (LinkIndex)"
    steps[label], index = step(label, lambda: LinkIndex(backend))
    label = f"{name}: text model"
    steps[label], _ = step(label, lambda: index.text)

    def every_driver(limit: int | None) -> tuple[float, int]:
        """Seconds spent in the analysis (reach and its JSON document), candidates found."""
        seconds, candidates = 0.0, 0
        for driver in index.drivers:
            spent, document = timed(lambda: index.reach(driver, limit).to_json())  # noqa: B023
            seconds += spent
            candidates += len(document["candidates"])
            if limit is None:  # hashed outside the timed part
                hashes[driver] = digest(document)
        return seconds, candidates

    label = f"{name}: reach of every driver, all candidates"
    _, (seconds, candidates) = step(label, lambda: every_driver(None))
    steps[label] = seconds
    label = f"{name}: reach of every driver, top 20"
    _, (steps[label], _) = step(label, lambda: every_driver(20))
    label = f"{name}: brokers (exact)"
    steps[label], result = step(label, lambda: brokers(backend).to_json())
    hashes["brokers"] = digest(result)
    label = f"{name}: one path"
    steps[label], path = step(label, lambda: shortest_path(backend, *pair).to_json())
    hashes["path"] = digest(path)
    return steps, hashes, candidates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument(
        "--neo4j",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run on the local Neo4j server (loads the dataset into it)",
    )
    neo4j_arguments(parser)
    args = parser.parse_args()

    dataset = synthetic_dataset(Scale.national().scaled(args.scale), seed=1)
    console.print(
        f"dataset: {len(dataset.initiatives):,} initiatives, {len(dataset.drivers):,} drivers, "
        f"{len(dataset.organisations):,} organisations, {len(dataset.competencies):,} "
        f"competencies, {len(dataset.training_events):,} training events"
    )
    pair = ("p-1", "dr-7")
    credentials = ("--user", args.user, "--password", args.password)
    rows: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "national"
        write_dataset(dataset, path)
        label = "validate (baseline, whole command)"
        rows[label], _ = whole_command(label, "validate", str(path))
        label = "links --driver dr-0 --format json (whole command)"
        rows[label], links_out = whole_command(
            label, "links", str(path), "--driver", "dr-0", "--format", "json"
        )
        label = "brokers --format json (whole command, exact)"
        rows[label], _ = whole_command(label, "brokers", str(path), "--format", "json")
        label = "brokers --sample 200 --format json (whole command)"
        rows[label], _ = whole_command(
            label, "brokers", str(path), "--sample", "200", "--format", "json"
        )
        label = "read and validate (in process)"
        rows[label], loaded = step(label, lambda: read_dataset(path))
    # As every command does after reading its dataset: the million objects just
    # read leave the collector's view, so later collections do not walk them.
    gc.freeze()
    memory = MemoryBackend(loaded)
    memory_steps, memory_hashes, candidates = backend_steps("embedded", memory, pair)
    rows.update(memory_steps)
    del memory, loaded

    neo4j_hashes: dict[str, str] = {}
    if args.neo4j:
        settings = Neo4jSettings(args.uri, args.user, args.password)
        with Neo4jBackend.connect(settings) as neo4j:
            load_s, _ = timed(lambda: neo4j.load(dataset, replace=True))
            console.print(f"loaded into {args.uri} in {load_s:.1f} s (not counted)")
            neo4j_steps, neo4j_hashes, _ = backend_steps("neo4j", neo4j, pair)
            rows.update(neo4j_steps)
        label = "links URI --driver dr-0 --format json (whole command)"
        rows[label], uri_out = whole_command(
            label, "links", args.uri, *credentials, "--driver", "dr-0", "--format", "json"
        )
        assert json.loads(uri_out) == json.loads(links_out), "links --driver differs on Neo4j"

    baseline = rows["validate (baseline, whole command)"]
    table = Table(title="links and brokers, national scale", title_justify="left")
    for column in ("step", "seconds", "/ validate", "peak"):
        table.add_column(column, justify="left" if column == "step" else "right")
    for name, seconds in rows.items():
        peak = gib(PEAKS[name]) if name in PEAKS else ""
        table.add_row(name, f"{seconds:.2f}", f"{seconds / baseline:.2f}", peak)
    console.print(table)

    drivers = len(dataset.drivers)
    console.print(
        f"{drivers} drivers, {candidates:,} candidates in all "
        f"({candidates / drivers:,.0f} per driver)"
    )
    slowest = max((step for step in rows if not step.startswith("validate")), key=lambda s: rows[s])
    console.print(f"slowest step: {slowest} ({rows[slowest]:.2f} s)")
    ratio = rows["links --driver dr-0 --format json (whole command)"] / baseline
    verdict = "PASS" if ratio <= 1.5 else "FAIL"
    console.print(f"links --driver / validate = {ratio:.2f} (goal <= 1.5): {verdict}")
    if neo4j_hashes:
        every = "reach of every driver, all candidates"
        ratio = rows[f"neo4j: {every}"] / rows[f"embedded: {every}"]
        console.print(
            f"neo4j / embedded, {every} = {ratio:.2f} (goal <= 3): "
            f"{'PASS' if ratio <= 3 else 'FAIL'}"
        )
        same = neo4j_hashes == memory_hashes
        differing = sorted(k for k in memory_hashes if memory_hashes[k] != neo4j_hashes.get(k))
        console.print(
            "same JSON on both backends (every driver, brokers, path): "
            + ("yes" if same else f"NO: {differing[:10]}")
        )


if __name__ == "__main__":
    main()
