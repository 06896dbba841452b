"""The serve command: the live explorer over a SOURCE."""

from __future__ import annotations

import contextlib
import gc
import os
import threading
from pathlib import Path

import click

from graphmodel.backends import MemoryBackend, open_source
from graphmodel.backends.neo4j import Neo4jBackend
from graphmodel.explore import Explorer, OverviewRequest
from graphmodel.web.server import TOKEN_VARIABLE, serve

from .options import SOURCE_HELP, neo4j_options

#: Where layouts are kept between runs unless GRAPHMODEL_CACHE_DIR says.
CACHE_VARIABLE = "GRAPHMODEL_CACHE_DIR"


def cache_dir() -> Path:
    """Where layouts are kept: ``$GRAPHMODEL_CACHE_DIR``, ``$XDG_CACHE_HOME/graphmodel``
    or ``~/.cache/graphmodel``."""
    if os.environ.get(CACHE_VARIABLE):
        return Path(os.environ[CACHE_VARIABLE])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "graphmodel"


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
def serve_command(
    source: str,
    user: str | None,
    password: str | None,
    database: str | None,
    host: str,
    port: int,
    token: str | None,
    no_open: bool,
) -> None:
    """Explore SOURCE in a browser: a live local web app and its JSON API.

    Prints `serving SOURCE at http://HOST:PORT/?token=TOKEN` once it answers
    and opens that address (unless --no-open, or there is no display). Every
    request needs the token; the server listens on 127.0.0.1 only and answers
    GET only. Ctrl-C stops it. docs/explorer.md describes the page and the API.

    \b
    Example:
      graphmodel serve examples/children-trust
      graphmodel serve bolt://127.0.0.1:7687 --port 0 --no-open
    """
    with open_source(source, user=user, password=password, database=database) as backend:
        if isinstance(backend, Neo4jBackend):
            backend.ensure_search_index()
        elif isinstance(backend, MemoryBackend):
            backend.index  # noqa: B018  (built now, so that the first search is quick)
        gc.freeze()  # as every command that reads a dataset (see cli/options.py)
        explorer = Explorer(
            backend, source, cache_dir=cache_dir(), remember=isinstance(backend, MemoryBackend)
        )

        def warm() -> None:
            # The first overview reads the whole graph and lays it out: start now.
            threading.Thread(
                target=lambda: explorer.overview(OverviewRequest()), daemon=True
            ).start()

        # uvicorn shuts down on Ctrl-C, then raises it again: stopping is not an error.
        with contextlib.suppress(KeyboardInterrupt):
            serve(
                explorer,
                host=host,
                port=port,
                token=token,
                open_browser=not no_open,
                echo=lambda line: click.echo(line),
                ready=warm,
            )
        click.echo("stopped")


COMMANDS = (serve_command,)
