"""The view command: one self-contained interactive HTML page of (part of) the network."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from graphmodel.visuals.views import ViewOptions

from .options import SOURCE_HELP, request_options, source_command

if TYPE_CHECKING:
    from graphmodel.backends.base import GraphBackend


@click.command("view", epilog=SOURCE_HELP)
@source_command
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML file to write.",
)
@request_options(ViewOptions, into="options")
def view_command(backend: GraphBackend, output: Path, options: ViewOptions) -> None:
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
    from graphmodel.visuals.render import write_view
    from graphmodel.visuals.views import build_view

    request = options.request()
    view, graph = build_view(backend, request)
    write_view(view, graph, output)
    for note in view.notes:
        click.echo(note)
    click.echo(f"wrote {output} ({len(view.nodes):,} nodes, {len(view.edges):,} relationships)")


COMMANDS = (view_command,)
