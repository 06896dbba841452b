"""Commands about datasets: validate, stats, schema, template, export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from graphmodel import collector
from graphmodel.errors import DatasetError
from graphmodel.model import TABLES, Dataset

if TYPE_CHECKING:
    from graphmodel.backends.base import GraphBackend

from .options import SOURCE_HELP, neo4j_options, source_command
from .output import Listing, emit, format_option


@click.command(epilog=SOURCE_HELP)
@click.argument("source")
@neo4j_options
@format_option
def validate(
    source: str,
    user: str | None,
    password: str | None,
    database: str | None,
    ca_cert: str | None,
    output_format: str,
) -> None:
    """Check a dataset, or a Neo4j database, and report every problem.

    Problems read file:row:column: message (for a database, URI Label:id:column).
    Exits with 0 when valid and 2 when not.

    \b
    Example:
      graphmodel validate examples/children-trust
      graphmodel validate exercise.xlsx --format json
      graphmodel validate bolt://127.0.0.1:7687
    """
    from graphmodel.backends.settings import is_neo4j_uri
    from graphmodel.dataset import read_dataset

    try:
        if is_neo4j_uri(source):
            from graphmodel.backends import open_source

            with open_source(
                source, user=user, password=password, database=database, ca_cert=ca_cert
            ) as graph:
                data = graph.to_dataset()
        else:
            data = read_dataset(source)
        collector.freeze()  # as every command that reads a dataset (see cli/options.py)
    except DatasetError as error:
        if output_format != "json":
            raise
        problems = [
            {
                "file": problem.location.source,
                "row": problem.location.row,
                "column": problem.location.column,
                "message": problem.message,
            }
            for problem in error.problems
        ]
        payload = {"valid": False, "problems": problems, "more_problems": error.truncated}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        raise click.exceptions.Exit(error.exit_code) from None
    rows = {name: len(data.table(name)) for name in TABLES}
    if output_format == "table":
        summary = ", ".join(f"{count} {name}" for name, count in rows.items())
        click.echo(f"{source}: valid ({summary})")
        return
    listing = Listing(
        f"{source}: valid",
        ["table", "rows"],
        list(rows.items()),
        payload={"valid": True, "rows": rows},
    )
    emit([listing], output_format)


@click.command(epilog=SOURCE_HELP)
@source_command
@format_option
def stats(backend: GraphBackend, output_format: str) -> None:
    """Count nodes per type and relationships per type.

    \b
    Example:
      graphmodel stats examples/children-trust
      graphmodel stats bolt://127.0.0.1:7687 --format json
    """
    counts = backend.counts()
    emit(
        [
            Listing("Nodes", ["type", "count"], list(counts.nodes.items())),
            Listing("Relationships", ["type", "count"], list(counts.relationships.items())),
        ],
        output_format,
        payload={"nodes": counts.nodes, "relationships": counts.relationships},
    )


@click.command()
def schema() -> None:
    """Print the JSON Schema of a dataset (the JSON/YAML input format).

    \b
    Example:
      graphmodel schema > dataset.schema.json
    """
    click.echo(json.dumps(Dataset.model_json_schema(), indent=2))


@click.command(epilog=SOURCE_HELP)
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--from",
    "from_source",
    metavar="SOURCE",
    help="Lay the template out for SOURCE: its rows in every sheet, and grids with a column "
    "per competency and profession, ticked where its training events cover or target them.",
)
@neo4j_options
def template(
    out: Path,
    from_source: str | None,
    user: str | None,
    password: str | None,
    database: str | None,
    ca_cert: str | None,
) -> None:
    """Write a mapping-exercise workbook to fill in (.xlsx or .ods, by OUT's suffix).

    One sheet per table with its columns; required columns are highlighted
    and enumerated columns offer a drop-down list. Two grid sheets,
    coverage_grid and targets_grid, take ticks instead of ';' lists: a
    training event per row, a competency (or profession) per column. Validate
    the filled-in workbook with ``graphmodel validate OUT``.

    \b
    Example:
      graphmodel template exercise.xlsx
      graphmodel template exercise.ods --from examples/children-trust
    """
    if out.suffix.lower() not in (".xlsx", ".ods"):
        raise click.BadParameter("the template is an .xlsx or .ods workbook", param_hint="OUT")
    from graphmodel.backends import MemoryBackend, open_source
    from graphmodel.io.template import write_template

    source: Dataset | None = None
    if from_source is not None:
        with open_source(
            from_source, user=user, password=password, database=database, ca_cert=ca_cert
        ) as backend:
            source = backend.dataset if isinstance(backend, MemoryBackend) else backend.to_dataset()
    write_template(out, source)
    click.echo(f"wrote {out}")


@click.command(epilog=SOURCE_HELP)
@source_command
@click.argument("out", type=click.Path(path_type=Path))
def export(backend: GraphBackend, out: Path) -> None:
    """Write SOURCE as a dataset: CSV folder, .xlsx, .ods, .json, .yaml, .graphml (by OUT's suffix).

    Reading the written dataset gives back the same dataset, so a database
    exported here and loaded with `graphmodel load` (or the other way round)
    moves unchanged. GraphML keeps the graph itself (node data `type` is the
    label, edge data `type` the relationship type) for Gephi, yEd or networkx.

    \b
    Example:
      graphmodel export bolt://127.0.0.1:7687 snapshot.xlsx
      graphmodel export examples/children-trust exercise.ods
      graphmodel export examples/children-trust exercise.json
      graphmodel export examples/children-trust exercise.graphml
    """
    from graphmodel.backends import MemoryBackend
    from graphmodel.io.tabular import write_dataset

    data = backend.dataset if isinstance(backend, MemoryBackend) else backend.to_dataset()
    kind = write_dataset(data, out)
    click.echo(f"wrote {out} ({kind})")


COMMANDS = (validate, stats, schema, template, export)
