"""The ``slides`` command: a slide deck of saved views, for the board."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
import pydantic

from graphmodel.backends import GraphBackend
from graphmodel.errors import GraphModelError
from graphmodel.explore import Explorer
from graphmodel.explore.pictures import view_picture
from graphmodel.explore.requests import SlidesRequest
from graphmodel.explore.saved_views import read_views
from graphmodel.visuals.slides import write_deck

from .options import SOURCE_HELP, cache_dir, field_option, options_error, source_command


class DeckError(GraphModelError):
    """A deck that cannot be written (an empty views file, a folder in the way)."""

    exit_code = 2


@click.command("slides", epilog=SOURCE_HELP)
@source_command
@click.option(
    "--views",
    "views_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The views file: the page's exported views, or a team's (serve --views).",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The deck to write (.pptx).",
)
@field_option(SlidesRequest, "date")
def slides_command(
    backend: GraphBackend, views_file: Path, output: Path, date: dt.date | None
) -> None:
    """A slide deck (PowerPoint) with one slide per saved view, for the board.

    Each slide has the view's name, the answer in one line, the picture (as
    the explorer draws it: node types' shapes and colours, marks, community
    areas, the nodes where the view saved them), its legend, the marked nodes
    as a table, and the source and date. The notes list every marked node.
    The deck is a standard .pptx (Office Open XML) file.

    \b
    Example:
      graphmodel slides examples/children-trust --views board-views.json -o board.pptx
    """
    views = read_views(views_file)
    try:
        request = SlidesRequest(view=list(views.views), date=date)
    except pydantic.ValidationError as error:
        raise DeckError(f"{views_file}: {options_error(error, SlidesRequest)}") from None
    source = click.get_current_context().params.get("source") or backend.source
    explorer = Explorer(backend, source, cache_dir=cache_dir())
    pictures = [view_picture(explorer, view) for view in request.view]
    try:
        write_deck(pictures, source, request.day().isoformat(), output)
    except OSError as error:
        raise DeckError(f"{output}: cannot write the deck ({error.strerror})") from None
    click.echo(f"wrote {output}: {len(pictures)} slides, one per view of {views_file}")
    for picture in pictures:
        for note in picture.notes:
            click.echo(f"{picture.title}: {note}", err=True)


COMMANDS = [slides_command]
