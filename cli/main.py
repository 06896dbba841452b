"""Entry point of the ``graphmodel`` command.

A command's module is imported only when that command runs (or shows its
own help): ``graphmodel gaps`` never loads the web server, scikit-learn or
the spreadsheet writers, and ``graphmodel --help`` loads no command at all.
:data:`COMMANDS` names each command's module and its one-line help for the
list in ``--help``; ``tests/test_cli_start.py`` checks that it lists every
command of every ``cli/*_commands.py`` module with the help the command
itself gives (see docs/architecture.md, "A command line that starts at once").
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

import click

from graphmodel.collector import collect_less_often
from graphmodel.errors import DatasetError, GraphModelError

#: Every command: the module in ``graphmodel.cli`` that defines it (in its ``COMMANDS``)
#: and its one-line help, as ``--help`` lists it.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": (
        "dataset_commands",
        "Check a dataset, or a Neo4j database, and report every problem.",
    ),
    "stats": ("dataset_commands", "Count nodes per type and relationships per type."),
    "schema": (
        "dataset_commands",
        "Print the JSON Schema of a dataset (the JSON/YAML input format).",
    ),
    "template": (
        "dataset_commands",
        "Write a mapping-exercise workbook to fill in (.xlsx or .ods, by OUT's suffix).",
    ),
    "export": (
        "dataset_commands",
        "Write SOURCE as a dataset: CSV folder, .xlsx, .ods, .json, .yaml, .graphml (by OUT's "
        "suffix).",
    ),
    "gaps": (
        "coverage_commands",
        "Requirements not covered by the active training that targets the profession.",
    ),
    "uncovered": (
        "coverage_commands",
        "Competencies that no active event covers, with the professions that require them.",
    ),
    "coverage": (
        "coverage_commands",
        "Professions by competency areas: the share of required items covered.",
    ),
    "explain": (
        "coverage_commands",
        "Is a competency covered for a profession, and why (or what comes close)?",
    ),
    "plan": (
        "plan_commands",
        "What to open or commission, within a budget, to close the worst gaps.",
    ),
    "duplicates": (
        "duplicates_commands",
        "Initiatives that repeat each other, and training that several partners run at once.",
    ),
    "links": (
        "links_commands",
        "Link a driver, an initiative or a new driver's text to what exists.",
    ),
    "path": ("links_commands", "The shortest chain between any two nodes, as a sentence."),
    "communities": (
        "community_commands",
        "The network's communities: groups more linked among themselves than to the rest.",
    ),
    "brokers": (
        "links_commands",
        "Who holds the partnership network together: betweenness of organisations and initiatives.",
    ),
    "load": (
        "neo4j_commands",
        "Make the Neo4j database at URI hold DATASET, writing only what differs.",
    ),
    "diff": (
        "report_commands",
        "What changed from an earlier mapping exercise (OLD) to a later one (NEW).",
    ),
    "report": (
        "report_commands",
        "A board-ready report on one mapping exercise, as one offline HTML file.",
    ),
    "view": (
        "view_commands",
        "Write an interactive network view: one HTML file that opens with no network.",
    ),
    "serve": (
        "serve_commands",
        "Explore SOURCE in a browser: a live local web app and its JSON API.",
    ),
    "slides": (
        "slides_commands",
        "A slide deck (PowerPoint) with one slide per saved view, for the board.",
    ),
    "framework": (
        "framework_commands",
        "Frameworks from standards: ESCO, 1EdTech CASE and long tables, as dataset tables.",
    ),
    "crosswalk": (
        "crosswalk_commands",
        "Suggest equivalent competencies between two frameworks; apply a reviewed sheet.",
    ),
}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("graphmodel")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "unknown"


def _print_version(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"graphmodel, version {_version()}")
        ctx.exit()


class _NoticeHandler(logging.Handler):
    """Prints the dataset readers' notices (a notes sheet ignored) as lines on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"notice: {record.getMessage()}", err=True)


def show_notices() -> None:
    """Send the ``graphmodel`` logger's notices to stderr, once per process."""
    package_log = logging.getLogger("graphmodel")
    if not any(isinstance(handler, _NoticeHandler) for handler in package_log.handlers):
        package_log.addHandler(_NoticeHandler(logging.WARNING))


def load_command(name: str) -> click.Command:
    """The command called ``name``, importing its module (``KeyError`` if there is none)."""
    module_name, _ = COMMANDS[name]
    module = importlib.import_module(f"graphmodel.cli.{module_name}")
    found: click.Command = next(command for command in module.COMMANDS if command.name == name)
    return found


class GraphModelGroup(click.Group):
    """The ``graphmodel`` group: commands loaded on first use, library errors as short lines.

    Invalid input exits with 2 (like click's own usage errors); any other
    failure the library reports exits with 1. Problems in a dataset are
    printed one per line as ``file:row:column: message``.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return load_command(cmd_name) if cmd_name in COMMANDS else None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of commands from :data:`COMMANDS`, without importing any."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        # A command of that help, never run, shortens it as click shortens its own.
        rows = [
            (name, click.Command(name, help=COMMANDS[name][1]).get_short_help_str(limit))
            for name in names
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

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
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and exit.",
)
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
    show_notices()


def main() -> None:
    """Run the command line (the ``graphmodel`` console script)."""
    # The driver logs retries and routing failures; the command line reports
    # the outcome as one line instead, so its log records go nowhere.
    driver_log = logging.getLogger("neo4j")
    driver_log.addHandler(logging.NullHandler())
    driver_log.propagate = False
    # A command may hold a national dataset: millions of objects kept to the end,
    # which the cycle collector would scan again and again (graphmodel/collector.py).
    collect_less_often()
    cli(prog_name="graphmodel")


if __name__ == "__main__":
    main()
