"""The ``communities`` command: groups of nodes more linked among themselves than to the rest."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from graphmodel.analysis.requests import CommunitiesRequest
from graphmodel.visuals.palette import TYPE_NAMES

from .options import SOURCE_HELP, request_options, source_command
from .output import Listing, emit, format_option

if TYPE_CHECKING:
    from graphmodel.analysis.communities import Communities
    from graphmodel.backends.base import GraphBackend


@click.command(
    "communities",
    epilog="--status, --from and --to choose the initiatives of the partnership network. "
    + SOURCE_HELP,
)
@source_command
@request_options(CommunitiesRequest)
@format_option
def communities_command(
    backend: GraphBackend, request: CommunitiesRequest, output_format: str
) -> None:
    """The network's communities: groups more linked among themselves than to the rest.

    Seeded Leiden (modularity) on the whole graph, or on the partnership
    network of organisations and the initiatives they lead or partner. Each
    community is named after the members most of the others are linked to;
    the largest come first.

    \b
    Example:
      graphmodel communities examples/children-trust --limit 10
      graphmodel communities examples/children-trust --network partnership --status active
    """
    result = request.run(backend)
    emit([_listing(result, output_format)], output_format, payload=request.to_json(result))


def _listing(result: Communities, output_format: str) -> Listing:
    if output_format == "csv":
        rows: list[tuple[Any, ...]] = [
            (c.id, c.name, c.size, member) for c in result.communities for member in c.members
        ]
        return Listing("Communities", ["community", "name", "size", "member"], rows)
    rows = []
    for c in result.communities:
        kinds = ", ".join(f"{n} {_type_words(label, n)}" for label, n in c.labels.items())
        rows.append((c.id, c.name, c.size, kinds, c.links_inside, c.links_outside))
    shown = len(result.communities)
    footer = (
        f"{result.total} communities"
        + (f" (showing {shown})" if shown < result.total else "")
        + f" of the {result.network} network ({result.nodes} nodes, {result.links} links); "
        f"modularity {result.modularity:.3f} at resolution {result.resolution:g}. Each is named "
        "after the members most of the others are linked to (--format json lists them)."
    )
    title = (
        "Communities of the whole graph"
        if result.network == "graph"
        else ("Communities of the partnership network")
    )
    return Listing(
        title,
        ["#", "Community", "Size", "Members", "Links inside", "Links out"],
        rows,
        footer=footer,
    )


def _type_words(label: str, count: int) -> str:
    """``Competency``, 12 -> "competencies"; 1 -> "competency"."""
    plural = TYPE_NAMES.get(label, label).lower()
    if count != 1:
        return plural
    return plural[:-3] + "y" if plural.endswith("ies") else plural.removesuffix("s")


COMMANDS = [communities_command]
