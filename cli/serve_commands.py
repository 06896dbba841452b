"""The serve command: the live explorer over a SOURCE."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path

import click

from graphmodel import collector
from graphmodel.backends import MemoryBackend, is_neo4j_uri, open_source
from graphmodel.backends.neo4j import Neo4jBackend
from graphmodel.explore import Explorer, OverviewRequest
from graphmodel.explore.live import ServedGraph
from graphmodel.explore.saved_views import SavedViews, read_views
from graphmodel.web.server import TOKEN_VARIABLE, serve

from .options import SOURCE_HELP, cache_dir, neo4j_options


@click.command("serve", epilog=SOURCE_HELP)
@click.argument("source")
@neo4j_options
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (keep the loopback address unless you mean to share it).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--token",
    default=None,
    metavar="TOKEN",
    help=f"The secret every request carries [env {TOKEN_VARIABLE}; default: random per run].",
)
@click.option("--no-open", is_flag=True, help="Do not open a browser.")
@click.option(
    "--views",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="A team's shared views (JSON, as the page exports them) to open with.",
)
def serve_command(
    source: str,
    user: str | None,
    password: str | None,
    database: str | None,
    ca_cert: str | None,
    host: str,
    port: int,
    token: str | None,
    no_open: bool,
    views: Path | None,
) -> None:
    """Explore SOURCE in a browser: a live local web app and its JSON API.

    Prints `serving SOURCE at http://HOST:PORT/?token=TOKEN` once it answers
    and opens that address (unless --no-open, or there is no display). Every
    request needs the token; the server listens on 127.0.0.1 only and answers
    GET only. A dataset's files are followed: when they change the dataset is
    read again (a valid one replaces the graph; the page shows the problems
    of an invalid one and keeps the last good graph). Ctrl-C stops it.
    docs/explorer.md describes the page and the API.

    \b
    Example:
      graphmodel serve examples/children-trust
      graphmodel serve bolt://127.0.0.1:7687 --port 0 --no-open
    """
    served, close, shared = prepare_served(
        source, user=user, password=password, database=database, ca_cert=ca_cert, views=views
    )
    try:
        _serve(served, shared, host, port, token, no_open)
    finally:
        close()


def prepare_served(
    source: str,
    *,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
    ca_cert: str | None = None,
    views: Path | None = None,
    cache: Path | None = None,
) -> tuple[ServedGraph, Callable[[], None], SavedViews | None]:
    """What ``serve`` serves for SOURCE: the served graph (a dataset followed as its files
    change; a Neo4j database as it is), a function that lets it go, and the shared views.

    The tests' in-process explorer is built here too (tests/explorer_browser.py).
    """
    shared = read_views(views) if views is not None else None
    layouts = cache if cache is not None else cache_dir()
    if is_neo4j_uri(source):
        backend = open_source(
            source, user=user, password=password, database=database, ca_cert=ca_cert
        )
        try:
            assert isinstance(backend, Neo4jBackend)
            backend.ensure_search_index()
            explorer = Explorer(backend, source, cache_dir=layouts, remember=False)
            # The first overview reads the graph's skeleton from the server (seconds at
            # national scale): read it before answering, as a dataset is read and indexed.
            explorer.overview(OverviewRequest())
        except BaseException:
            backend.close()
            raise
        return ServedGraph.fixed(explorer), backend.close, shared

    def load() -> Explorer:
        memory = open_source(source)
        assert isinstance(memory, MemoryBackend)
        memory.index  # noqa: B018  (built now, so that the first search is quick)
        return Explorer(memory, source, cache_dir=layouts)

    served = ServedGraph(load, Path(source))
    collector.freeze()  # as every command that reads a dataset (see cli/options.py)
    served.start()
    return served, served.stop, shared


def _serve(
    served: ServedGraph,
    views: SavedViews | None,
    host: str,
    port: int,
    token: str | None,
    no_open: bool,
) -> None:
    def warm() -> None:
        # The first overview reads the whole graph and lays it out: start now.
        threading.Thread(
            target=lambda: served.explorer.overview(OverviewRequest()), daemon=True
        ).start()

    # uvicorn shuts down on Ctrl-C, then raises it again: stopping is not an error.
    with contextlib.suppress(KeyboardInterrupt):
        serve(
            served,
            views=views,
            host=host,
            port=port,
            token=token,
            open_browser=not no_open,
            echo=lambda line: click.echo(line),
            ready=warm,
        )
    click.echo("stopped")


COMMANDS = (serve_command,)
