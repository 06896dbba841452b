"""``graphmodel load``: make a Neo4j database hold a dataset, writing only what differs."""

from __future__ import annotations

import contextlib
import gc
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from graphmodel.backends import Neo4jSettings
from graphmodel.backends.neo4j import (
    DEFAULT_BATCH_SIZE,
    LoadReport,
    Neo4jBackend,
    ProgressCallback,
)
from graphmodel.backends.neo4j_sync import Snapshot
from graphmodel.dataset import read_dataset
from graphmodel.wording import plural

from .options import neo4j_options
from .output import Listing, emit, output_format


def _connect_and_read(settings: Neo4jSettings, replace: bool, dry_run: bool) -> Snapshot:
    """Connect and read what the database holds (runs beside the dataset's reading)."""
    with Neo4jBackend.connect(settings) as backend:
        return backend.read_snapshot(replace=replace, prepare=not dry_run)


def _summary(report: LoadReport, dataset: Path, settings: Neo4jSettings, seconds: float) -> str:
    where = f"{settings.uri} (database {settings.database})"
    totals = report.plan.totals()
    changes = "; ".join(
        f"{what} " + ", ".join(f"{totals[what][how]:,} {how}" for how in totals[what])
        for what in ("nodes", "relationships")
    )
    took = f"{seconds:.1f} s"
    if report.dry_run:
        return f"dry run of {dataset} into {where}: would write {changes}; wrote nothing ({took})"
    if not report.written:
        return f"{where} already holds {dataset}: nothing written ({took})"
    return (
        f"loaded {dataset} into {where}: {changes} in "
        f"{plural(report.transactions, 'transaction')} ({took})"
    )


def _listing(report: LoadReport) -> Listing:
    """The labels and types with a change (``--format json`` lists them all)."""
    rows: list[list[Any]] = []
    for kind, changes in (
        ("nodes", report.plan.nodes),
        ("relationships", report.plan.relationships),
    ):
        for name, change in changes.items():
            if change.total:
                rows.append([kind, name, change.added, change.changed, change.removed])
    return Listing(
        "Dry run: what the load would change" if report.dry_run else "What the load changed",
        ["", "label / type", "added", "changed", "removed"],
        rows,
    )


def _payload(
    report: LoadReport, dataset: Path, settings: Neo4jSettings, replace: bool, seconds: float
) -> dict[str, Any]:
    return {
        "dataset": str(dataset),
        "uri": settings.uri,
        "database": settings.database,
        "replace": replace,
        "dry_run": report.dry_run,
        "written": report.written,
        "transactions": report.transactions,
        "seconds": round(seconds, 3),
        "nodes": {name: change.as_dict() for name, change in report.plan.nodes.items()},
        "relationships": {
            name: change.as_dict() for name, change in report.plan.relationships.items()
        },
        "totals": report.plan.totals(),
    }


@click.command()
@click.argument("dataset", type=click.Path(path_type=Path))
@click.argument("uri", required=False, envvar="NEO4J_URI")
@neo4j_options
@click.option(
    "--replace",
    is_flag=True,
    help="Also remove what the dataset does not hold, so the database equals it.",
)
@click.option("--dry-run", is_flag=True, help="Print what the load would change; write nothing.")
@click.option(
    "--commit-every",
    type=click.IntRange(1),
    default=None,
    metavar="N",
    help="Commit every N rows instead of once, for servers whose transaction memory cannot "
    "hold the load (Aura Free): not all-or-nothing, but running it again completes it.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(1),
    default=DEFAULT_BATCH_SIZE,
    show_default=True,
    help="Rows per UNWIND batch.",
)
@output_format("table", "json", help="How to print the changes.")
def load(
    dataset: Path,
    uri: str | None,
    user: str | None,
    password: str | None,
    database: str | None,
    ca_cert: str | None,
    replace: bool,
    dry_run: bool,
    commit_every: int | None,
    batch_size: int,
    output_format: str,
) -> None:
    """Make the Neo4j database at URI hold DATASET, writing only what differs.

    It reads what the database holds, compares it with DATASET and writes the
    difference in one transaction: all or nothing, and nothing at all when
    the database already holds DATASET. Each row sets its node's properties
    and the relationships its columns give; nodes not in DATASET stay unless
    --replace. It prints the nodes and relationships added, changed and
    removed per label and type. URI defaults to NEO4J_URI.

    \b
    Example:
      graphmodel load examples/children-trust bolt://127.0.0.1:7687 --replace
      graphmodel load exercise.xlsx neo4j+s://xxxx.databases.neo4j.io --dry-run
      graphmodel load exercise.xlsx bolt+s://graph.example.org --ca-cert our-ca.pem
      graphmodel load national.xlsx neo4j+s://xxxx.databases.neo4j.io --commit-every 10000
    """
    started = time.perf_counter()
    settings = Neo4jSettings.resolve(
        uri, user=user, password=password, database=database, ca_cert=ca_cert
    )
    # The database is read while the dataset is: the server does its part of the
    # reading on its own core. A dataset that is not valid still wins: its
    # problems are reported, whatever the server said.
    # Reading makes a million objects and few cycles: the collector, left on, walks
    # them again and again (a third of the reading's processor time at national scale).
    gc.disable()
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            reading = pool.submit(_connect_and_read, settings, replace, dry_run)
            data = read_dataset(dataset)
            snapshot = reading.result()
    finally:
        gc.enable()
    gc.freeze()  # as every command that reads a dataset (see cli/options.py)
    console = Console(stderr=True)
    with contextlib.ExitStack() as stack:
        backend = stack.enter_context(Neo4jBackend.connect(settings))
        progress: ProgressCallback | None = None
        if console.is_terminal and not dry_run:
            bar = stack.enter_context(
                Progress(
                    TextColumn("{task.description}"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeElapsedColumn(),
                    console=console,
                    transient=True,
                )
            )
            task = bar.add_task("comparing", total=None)

            def advance(statement: str, items: int) -> None:
                bar.update(task, description=statement, advance=items)

            progress = advance
        report = backend.load(
            data,
            replace=replace,
            dry_run=dry_run,
            commit_every=commit_every,
            batch_size=batch_size,
            progress=progress,
            snapshot=snapshot,
        )
    seconds = time.perf_counter() - started  # reading the dataset and the database included
    if output_format == "json":
        emit([], "json", payload=_payload(report, dataset, settings, replace, seconds))
        return
    if not report.unchanged:
        emit([_listing(report)], "table")
    click.echo(_summary(report, dataset, settings, seconds))


COMMANDS = (load,)
