"""Options shared by every command that reads a SOURCE."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import Any, TypeVar

import click

from graphmodel.backends import open_source

F = TypeVar("F", bound=Callable[..., Any])

SOURCE_HELP = (
    "SOURCE is a dataset (a folder of CSV files, an .xlsx or .ods workbook, a .json or .yaml "
    "file, or a .graphml graph) or a Neo4j URI (bolt://, bolt+s://, neo4j://, neo4j+s://) "
    "whose database is read as loaded."
)


def neo4j_options(command: F) -> F:
    """``--user``, ``--password`` and ``--database``, falling back to ``NEO4J_*`` variables."""
    decorators = [
        click.option(
            "--user", help="Neo4j user name [env NEO4J_USERNAME].", default=None, metavar="NAME"
        ),
        click.option(
            "--password",
            help="Neo4j password [env NEO4J_PASSWORD].",
            default=None,
            metavar="SECRET",
        ),
        click.option(
            "--database",
            help="Neo4j database [env NEO4J_DATABASE; default neo4j].",
            default=None,
            metavar="NAME",
        ),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def source_command(command: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command a SOURCE argument and the Neo4j options; pass it an open backend.

    The wrapped function receives ``backend`` instead of ``source``, ``user``,
    ``password`` and ``database``, and the backend is closed afterwards.
    """

    @functools.wraps(command)
    def wrapper(
        source: str, user: str | None, password: str | None, database: str | None, **kwargs: Any
    ) -> Any:
        with open_source(source, user=user, password=password, database=database) as backend:
            # A command reads one dataset and then only analyses it: moving the
            # dataset's million objects out of the collector's view keeps every
            # later collection from walking them again (about a quarter of the
            # analysis time at national scale).
            gc.freeze()
            return command(backend=backend, **kwargs)

    wrapped = neo4j_options(wrapper)
    return click.argument("source")(wrapped)
