"""The view command: one self-contained interactive HTML page of (part of) the network."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import click

from graphmodel.analysis.coverage import CoverageQuery
from graphmodel.analysis.duplicates import DuplicateQuery
from graphmodel.backends import GraphBackend
from graphmodel.visuals.render import write_view
from graphmodel.visuals.views import LABELS, NODE_LIMIT, Mode, ViewRequest, build_view

from .coverage_commands import coverage_options
from .options import SOURCE_HELP, source_command

MODES = ("all", "gaps", "duplicates")


@click.command("view", epilog=SOURCE_HELP)
@source_command
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML file to write.",
)
@click.option(
    "--mode",
    type=click.Choice(MODES),
    default="all",
    show_default=True,
    help="all: the network (or --focus); gaps: requirements, gaps in red; duplicates: "
    "duplicate initiative clusters with pair scores.",
)
@click.option("--focus", metavar="ID", help="Only the nodes within --depth of this node.")
@click.option(
    "--depth",
    type=click.IntRange(0, 10),
    default=1,
    show_default=True,
    help="Relationships from --focus, in either direction.",
)
@click.option("--driver", metavar="ID", help="A policy driver's reach and candidate initiatives.")
@click.option(
    "--candidates",
    type=click.IntRange(0),
    default=10,
    show_default=True,
    help="With --driver: how many of the best candidates to draw.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    help="With --mode duplicates: the least pair score drawn [default: as `duplicates`].",
)
@click.option(
    "--type",
    "types",
    multiple=True,
    type=click.Choice(LABELS, case_sensitive=False),
    metavar="LABEL",
    help=f"Only nodes of this type (repeatable): {', '.join(LABELS)}.",
)
@click.option(
    "--roll-up",
    is_flag=True,
    help="Draw competencies as their areas (the top of their PART_OF chain).",
)
@click.option(
    "--max-nodes",
    type=click.IntRange(1),
    default=NODE_LIMIT,
    show_default=True,
    help="Above this many nodes competencies are rolled up; a view still larger is refused.",
)
@coverage_options
def view_command(
    backend: GraphBackend,
    output: Path,
    mode: str,
    focus: str | None,
    depth: int,
    driver: str | None,
    candidates: int,
    threshold: float | None,
    types: tuple[str, ...],
    roll_up: bool,
    max_nodes: int,
    query: CoverageQuery,
) -> None:
    """Write an interactive network view: one HTML file that opens with no network.

    The page has a legend, a colour and shape per node type, search by name
    or id, filters by node type and relationship type, the neighbourhood of
    a clicked node, tooltips with each node's details, reset, and a button
    that saves the picture as PNG.

    The coverage filters (--from, --to, --min-evaluation, --profession,
    --framework, --priority) apply to --mode gaps, as in `graphmodel gaps`.

    \b
    Example:
      graphmodel view examples/children-trust -o network.html
      graphmodel view examples/children-trust -o around.html --focus p-social-worker --depth 2
      graphmodel view examples/children-trust -o gaps.html --mode gaps
      graphmodel view examples/children-trust -o duplicates.html --mode duplicates
      graphmodel view examples/children-trust -o reach.html --driver dr-inquiry-report
    """
    if driver is not None and mode != "all":
        raise click.UsageError("--driver is a mode of its own; leave out --mode")
    if focus is not None and (mode != "all" or driver is not None):
        raise click.UsageError("--focus draws the network around a node; leave out --mode/--driver")
    if query != CoverageQuery() and mode != "gaps":
        raise click.UsageError("the coverage filters apply only to --mode gaps")
    if threshold is not None and mode != "duplicates":
        raise click.UsageError("--threshold applies only to --mode duplicates")
    canonical = {label.lower(): label for label in LABELS}
    request = ViewRequest(
        mode=cast(Mode, "driver" if driver is not None else mode),
        focus=focus,
        depth=depth,
        driver=driver,
        types=tuple(dict.fromkeys(canonical[t.lower()] for t in types)),
        coverage=query,
        duplicates=DuplicateQuery(threshold=threshold) if threshold is not None else None,
        candidates=candidates,
        max_nodes=max_nodes,
        roll_up=roll_up,
    )
    view, graph = build_view(backend, request)
    write_view(view, graph, output)
    for note in view.notes:
        click.echo(note)
    click.echo(f"wrote {output} ({len(view.nodes):,} nodes, {len(view.edges):,} relationships)")


COMMANDS = (view_command,)
