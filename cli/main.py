"""Entry point of the ``graphmodel`` command."""

from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import click

from graphmodel.errors import DatasetError, GraphModelError

from . import (
    community_commands,
    coverage_commands,
    crosswalk_commands,
    dataset_commands,
    duplicates_commands,
    framework_commands,
    links_commands,
    neo4j_commands,
    report_commands,
    serve_commands,
    slides_commands,
    view_commands,
)


def _version() -> str:
    try:
        return version("graphmodel")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "unknown"


class GraphModelGroup(click.Group):
    """A click group that turns library errors into short messages and exit codes.

    Invalid input exits with 2 (like click's own usage errors); any other
    failure the library reports exits with 1. Problems in a dataset are
    printed one per line as ``file:row:column: message``.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DatasetError as error:
            for line in str(error).splitlines():
                click.echo(line, err=True)
            ctx.exit(error.exit_code)
        except GraphModelError as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)


@click.group(
    cls=GraphModelGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(_version(), "--version", prog_name="graphmodel")
def cli() -> None:
    """Map training, competencies, professions, initiatives and policy drivers as a graph.

    Every command that reads data takes a SOURCE: a dataset (a folder of CSV
    files, an .xlsx or .ods workbook, a .json/.yaml file or a .graphml graph)
    or a Neo4j URI.

    \b
    Example:
      graphmodel validate examples/children-trust
      graphmodel stats examples/children-trust
    """
    dataset_commands.show_notices()


for command in (
    *dataset_commands.COMMANDS,
    *coverage_commands.COMMANDS,
    *duplicates_commands.COMMANDS,
    *links_commands.COMMANDS,
    *community_commands.COMMANDS,
    *neo4j_commands.COMMANDS,
    *report_commands.COMMANDS,
    *view_commands.COMMANDS,
    *serve_commands.COMMANDS,
    *slides_commands.COMMANDS,
    *framework_commands.COMMANDS,
    *crosswalk_commands.COMMANDS,
):
    cli.add_command(command)


def main() -> None:
    """Run the command line (the ``graphmodel`` console script)."""
    # The driver logs retries and routing failures; the command line reports
    # the outcome as one line instead, so its log records go nowhere.
    driver_log = logging.getLogger("neo4j")
    driver_log.addHandler(logging.NullHandler())
    driver_log.propagate = False
    cli(prog_name="graphmodel")


if __name__ == "__main__":
    main()
