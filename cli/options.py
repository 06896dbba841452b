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
    "SOURCE is a dataset (a folder of CSV files, an .xlsx workbook, a .json or .yaml "
    "file, or a .graphml graph) or a Neo4j URI (bolt://, bolt+s://, neo4j://, neo4j+s://) "
    "whose database is read as loaded."
)


def neo4j_options(command: F) -> F:
    """``--user``, ``--password``, ``--database`` and ``--ca-cert``, falling back to ``NEO4J_*``."""
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
        click.option(
            "--ca-cert",
            help="PEM file of the certificate authority to trust for a bolt+s:// or neo4j+s:// "
            "URI (a private CA) [env NEO4J_CA_CERT].",
            default=None,
            metavar="FILE",
        ),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def source_command(command: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command a SOURCE argument and the Neo4j options; pass it an open backend.

    The wrapped function receives ``backend`` instead of ``source``, ``user``,
    ``password``, ``database`` and ``ca_cert``, and the backend is closed afterwards.
    """

    @functools.wraps(command)
    def wrapper(
        source: str,
        user: str | None,
        password: str | None,
        database: str | None,
        ca_cert: str | None,
        **kwargs: Any,
    ) -> Any:
        with open_source(
            source, user=user, password=password, database=database, ca_cert=ca_cert
        ) as backend:
            # A command reads one dataset and then only analyses it: moving the
            # dataset's million objects out of the collector's view keeps every
            # later collection from walking them again (about a quarter of the
            # analysis time at national scale).
            gc.freeze()
            return command(backend=backend, **kwargs)

    wrapped = neo4j_options(wrapper)
    return click.argument("source")(wrapped)
