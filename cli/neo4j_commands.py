"""``graphmodel load``: write a dataset into Neo4j."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from graphmodel.backends import Neo4jSettings
from graphmodel.backends.neo4j import DEFAULT_BATCH_SIZE, Neo4jBackend, load_totals
from graphmodel.dataset import read_dataset

from .options import neo4j_options


@click.command()
@click.argument("dataset", type=click.Path(path_type=Path))
@click.argument("uri", required=False, envvar="NEO4J_URI")
@neo4j_options
@click.option("--replace", is_flag=True, help="Empty the graph first, so it equals the dataset.")
@click.option(
    "--batch-size",
    type=click.IntRange(1),
    default=DEFAULT_BATCH_SIZE,
    show_default=True,
    help="Rows per UNWIND batch.",
)
def load(
    dataset: Path,
    uri: str | None,
    user: str | None,
    password: str | None,
    database: str | None,
    replace: bool,
    batch_size: int,
) -> None:
    """Load DATASET into the Neo4j database at URI, all or nothing.

    Each row sets its node's properties and replaces the relationships its
    columns give; nodes not in DATASET stay unless --replace. If anything
    fails the database is left as it was. Loading the same dataset again
    changes nothing. URI defaults to NEO4J_URI.

    \b
    Example:
      graphmodel load examples/children-trust bolt://127.0.0.1:7687 --replace
      NEO4J_URI=neo4j+s://xxxx.databases.neo4j.io NEO4J_PASSWORD=... \\
        graphmodel load exercise.xlsx
    """
    data = read_dataset(dataset)
    settings = Neo4jSettings.resolve(uri, user=user, password=password, database=database)
    console = Console(stderr=True)
    with Neo4jBackend.connect(settings) as backend:
        if console.is_terminal:
            totals = load_totals(data)
            columns = (
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]} rows/s"),
                TimeElapsedColumn(),
            )
            with Progress(*columns, console=console, transient=True) as bar:
                tasks = {
                    what: bar.add_task(what, total=total, rate="-")
                    for what, total in totals.items()
                }

                def advance(what: str, rows: int) -> None:
                    bar.advance(tasks[what], rows)
                    task = bar.tasks[tasks[what]]
                    speed = task.speed
                    bar.update(tasks[what], rate=f"{speed:,.0f}" if speed else "-")

                report = backend.load(
                    data, replace=replace, batch_size=batch_size, progress=advance
                )
        else:
            report = backend.load(data, replace=replace, batch_size=batch_size)
    click.echo(
        f"loaded {dataset} into {settings.uri} (database {settings.database}): "
        f"{report.nodes} nodes, {report.relationships} relationships in "
        f"{report.seconds:.1f} s ({report.rows_per_second:,.0f} rows/s)"
    )


COMMANDS = (load,)
