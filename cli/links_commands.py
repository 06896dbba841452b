"""Horizon-scanning commands: links (driver reach, initiative links, what-if), path, brokers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from graphmodel.analysis.requests import BrokersRequest, LinksRequest, PathRequest

if TYPE_CHECKING:
    from graphmodel.analysis.brokers import Brokers
    from graphmodel.analysis.links import Candidate, DriverReach, InitiativeLinks, WhatIf
    from graphmodel.analysis.paths import PathResult
    from graphmodel.backends.base import GraphBackend

from .options import SOURCE_HELP, request_options, source_command
from .output import Listing, emit, format_option

SELECTION_HELP = (
    "--status, --from and --to choose the initiatives that take part (an initiative "
    "without an end date is ongoing; one without dates always takes part)."
)

_KIND_WORDS = {
    "competencies": "competency",
    "professions": "profession",
    "organisations": "organisation",
    "drivers": "driver",
    "initiatives": "initiative",
}


def _candidate_rows(candidates: Sequence[Candidate]) -> list[tuple[Any, ...]]:
    return [
        (rank, f"{c.title} ({c.initiative})", f"{c.score:.2f}", c.reason)
        for rank, c in enumerate(candidates, start=1)
    ]


def _showing(shown: int, total: int, what: str) -> str:
    noun = what if total != 1 else what.removesuffix("s")
    return f"{total} {noun}" + (f" (showing {shown})" if shown < total else "")


# Names and ids share one cell, so that a narrow terminal wraps the name
# rather than cutting the id short.
CANDIDATE_COLUMNS = ["#", "Initiative", "Score", "Why"]
FLAT_COLUMNS = ["role", "id", "name", "score", "graph_score", "text_similarity", "detail"]


def _flat_candidates(candidates: Sequence[Candidate], role: str) -> list[tuple[Any, ...]]:
    return [
        (role, c.initiative, c.title, c.score, c.graph_score, c.text_similarity, c.reason)
        for c in candidates
    ]


def _driver_listings(reach: DriverReach, output_format: str) -> list[Listing]:
    names = reach.names
    ground = {
        "initiatives": reach.responding,
        "competencies": reach.competencies,
        "professions": reach.professions,
        "organisations": reach.organisations,
    }
    reach_rows = [
        ("responding" if kind == "initiatives" else _KIND_WORDS[kind], id_, names.get(id_, id_))
        for kind, ids in ground.items()
        for id_ in ids
    ]
    if output_format == "csv":
        rows: list[tuple[Any, ...]] = [(*row, "", "", "", "") for row in reach_rows]
        rows += _flat_candidates(reach.candidates, "candidate")
        return [Listing(f"Reach of {reach.driver}", FLAT_COLUMNS, rows)]
    footer = (
        f"{len(reach.responding)} responding initiatives touch {len(reach.competencies)} "
        f"competencies, {len(reach.professions)} professions and "
        f"{len(reach.organisations)} organisations"
    )
    return [
        Listing(
            f"Reach of {reach.driver}: {reach.name}",
            ["Kind", "Node"],
            [(kind, f"{name} ({id_})") for kind, id_, name in reach_rows],
            footer=footer,
        ),
        Listing(
            f"Candidates that do not respond to {reach.driver} yet",
            CANDIDATE_COLUMNS,
            _candidate_rows(reach.candidates),
            footer=_showing(len(reach.candidates), reach.candidate_count, "candidates")
            + "; score = shared ground weighted by rarity + text similarity",
        ),
    ]


def _initiative_listings(links: InitiativeLinks, output_format: str) -> list[Listing]:
    names = links.names
    existing = [("builds on", id_, names.get(id_, id_)) for id_ in links.builds_on] + [
        ("is built on by", id_, names.get(id_, id_)) for id_ in links.built_on_by
    ]
    if output_format == "csv":
        rows: list[tuple[Any, ...]] = [
            (role, id_, name, "", "", "", "")
            for role, ids in (("builds_on", links.builds_on), ("built_on_by", links.built_on_by))
            for id_ in ids
            for name in [names.get(id_, id_)]
        ]
        rows += [
            (
                "related",
                c.initiative,
                c.title,
                c.score,
                c.graph_score,
                c.text_similarity,
                (f"[{links.link(c.initiative)}] " if links.link(c.initiative) else "") + c.reason,
            )
            for c in links.related
        ]
        rows += [
            (
                "suggested",
                s.earlier if s.later == links.initiative else s.later,
                names.get(s.earlier if s.later == links.initiative else s.later, ""),
                s.score,
                "",
                "",
                s.reason,
            )
            for s in links.suggested
        ]
        return [Listing(f"Links of {links.initiative}", FLAT_COLUMNS, rows)]
    link_words = {"builds_on": "builds on it", "built_on_by": "built on by it"}
    related = [
        (
            rank,
            f"{c.title} ({c.initiative})",
            f"{c.score:.2f}",
            link_words.get(links.link(c.initiative) or "", ""),
            c.reason,
        )
        for rank, c in enumerate(links.related, start=1)
    ]
    suggested = [(s.later, "could build on", s.earlier, f"{s.score:.2f}") for s in links.suggested]
    return [
        Listing(
            f"BUILDS_ON links of {links.initiative}: {links.title}",
            ["Link", "Initiative"],
            [(link, f"{name} ({id_})") for link, id_, name in existing],
            footer=None if existing else "No BUILDS_ON links yet.",
        ),
        Listing(
            f"Initiatives related to {links.initiative}",
            ["#", "Initiative", "Score", "Linked", "Why"],
            related,
            footer=_showing(len(links.related), links.related_count, "related initiatives"),
        ),
        Listing(
            "Suggested BUILDS_ON links (related, earlier, not yet linked)",
            ["From", "", "To", "Score"],
            suggested,
            footer=None if suggested else "None suggested.",
        ),
    ]


def _what_if_listings(result: WhatIf, output_format: str) -> list[Listing]:
    names = result.names
    matches = [
        (_KIND_WORDS[kind], m.id, m.name, m.similarity, ", ".join(m.terms))
        for kind, kind_matches in result.matched.items()
        for m in kind_matches
    ]
    graph = result.by_graph()
    reach_rows = [
        (
            "responding" if kind == "initiatives" else _KIND_WORDS[kind],
            id_,
            names.get(id_, id_),
            "graph" if id_ in graph[kind] else "text",
        )
        for kind, ids in {
            "initiatives": result.responding,
            "competencies": result.competencies,
            "professions": result.professions,
            "organisations": result.organisations,
        }.items()
        for id_ in ids
    ]
    if output_format == "csv":
        rows: list[tuple[Any, ...]] = [
            (f"matched_{kind}", id_, name, similarity, "", similarity, f"text: {terms}")
            for kind, id_, name, similarity, terms in matches
        ]
        rows += [(kind, id_, name, "", "", "", origin) for kind, id_, name, origin in reach_rows]
        rows += _flat_candidates(result.candidates, "candidate")
        return [Listing("What-if reach", FLAT_COLUMNS, rows)]
    return [
        Listing(
            "Matched by text",
            ["Kind", "Match", "Similarity", "Words"],
            [
                (kind, f"{name} ({id_})", f"{value:.2f}", terms)
                for kind, id_, name, value, terms in matches
            ],
            footer=None if matches else "Nothing matches; try --min-similarity lower.",
        ),
        Listing(
            "Reach (origin: text = matched by text, graph = reached through the graph)",
            ["Kind", "Node", "Origin"],
            [(kind, f"{name} ({id_})", origin) for kind, id_, name, origin in reach_rows],
        ),
        Listing(
            "Candidates that would share this ground",
            CANDIDATE_COLUMNS,
            _candidate_rows(result.candidates),
            footer=_showing(len(result.candidates), result.candidate_count, "candidates"),
        ),
    ]


@click.command("links", epilog=f"{SELECTION_HELP} {SOURCE_HELP}")
@source_command
@request_options(LinksRequest)
@format_option
def links_command(backend: GraphBackend, request: LinksRequest, output_format: str) -> None:
    """Link a driver, an initiative or a new driver's text to what exists.

    Give exactly one of --driver, --initiative, --text.

    A candidate's score is what it shares with the ground (competencies
    addressed, professions targeted, organisations leading or partnering;
    for --initiative also drivers), each item weighted 1/ln(1 + n) where n
    initiatives touch it, so rare ground counts most, plus the TF-IDF
    similarity of the two texts.

    \b
    Example:
      graphmodel links examples/children-trust --driver dr-inquiry-report
      graphmodel links examples/children-trust --initiative in-nhs-neglect-tool
      graphmodel links examples/children-trust --text "A duty to report child exploitation"
    """
    from graphmodel.analysis.links import DriverReach, InitiativeLinks

    result = request.run(backend)
    payload = request.to_json(result)
    if isinstance(result, DriverReach):
        emit(_driver_listings(result, output_format), output_format, payload=payload)
    elif isinstance(result, InitiativeLinks):
        emit(_initiative_listings(result, output_format), output_format, payload=payload)
    else:
        emit(_what_if_listings(result, output_format), output_format, payload=payload)


@click.command("path", epilog=SOURCE_HELP)
@source_command
@request_options(PathRequest)
@format_option
def path_command(backend: GraphBackend, request: PathRequest, output_format: str) -> None:
    """The shortest chain between any two nodes, as a sentence.

    Relationships are walked either way. Of several shortest chains the one
    whose node ids come first alphabetically is shown; --all lists them all.

    \b
    Example:
      graphmodel path examples/children-trust in-ncc-neglect-toolkit in-police-da-frontline
      graphmodel path examples/children-trust org-hearthside dr-drug-strategy --all
    """
    result = request.run(backend)
    if output_format == "json":
        emit([], output_format, payload=request.to_json(result))
        return
    headline = _path_headline(result)
    if output_format == "csv":
        rows = [
            (number, hop, link.source, link.type, link.target)
            for number, chain in enumerate(result.chains, start=1)
            for hop, link in enumerate(chain.links, start=1)
        ]
        emit([Listing(headline, ["path", "hop", "source", "type", "target"], rows)], "csv")
        return
    if output_format == "markdown":
        lines = [f"### {headline}", ""] + [
            f"{number}. {chain.sentence}" for number, chain in enumerate(result.chains, start=1)
        ]
        click.echo("\n".join(lines))
        return
    click.echo(headline)
    for number, chain in enumerate(result.chains, start=1):
        prefix = f"{number}. " if len(result.chains) > 1 else ""
        click.echo(f"{prefix}{chain.sentence}")


def _path_headline(result: PathResult) -> str:
    if result.hops is None:
        return (
            f"No chain of at most {result.max_hops} links between {result.source} and "
            f"{result.target} (try a larger --max-hops)"
        )
    plural = "link" if result.hops == 1 else "links"
    count = result.chain_count
    if len(result.chains) == count:
        which = "the only shortest chain" if count == 1 else f"all {count} shortest chains"
    else:
        which = f"the first of {count} shortest chains (--all lists them)"
    return f"{result.source} to {result.target}: {result.hops} {plural}, {which}"


@click.command("brokers", epilog=f"{SELECTION_HELP} {SOURCE_HELP}")
@source_command
@request_options(BrokersRequest)
@format_option
def brokers_command(backend: GraphBackend, request: BrokersRequest, output_format: str) -> None:
    """Who holds the partnership network together: betweenness of organisations and initiatives.

    The network links each organisation to the initiatives it leads or
    partners. Betweenness is the share of shortest routes between others
    that pass through a node; degree counts its links; connects counts the
    others of its kind one step away; bridges lists the groups of its
    neighbours that only it joins.

    \b
    Example:
      graphmodel brokers examples/children-trust --limit 10
      graphmodel brokers examples/children-trust --kind organisation --status active
    """
    result = request.run(backend)
    emit([_broker_listing(result, output_format)], output_format, payload=request.to_json(result))


def _broker_listing(result: Brokers, output_format: str) -> Listing:
    if output_format == "csv":
        columns = ["id", "label", "name", "betweenness", "degree", "connects", "bridges"]
        rows: list[tuple[Any, ...]] = [
            (
                b.id,
                b.label,
                b.name,
                b.betweenness,
                b.degree,
                b.connects,
                " | ".join(";".join(group) for group in b.bridges),
            )
            for b in result.brokers
        ]
        return Listing("Brokers", columns, rows)
    rows = [
        (
            rank,
            f"{b.name} ({b.id})",
            f"{b.betweenness:.3f}",
            b.degree,
            b.connects,
            len(b.bridges) or "-",
        )
        for rank, b in enumerate(result.brokers, start=1)
    ]
    how = (
        "exact betweenness"
        if result.sampled_sources is None
        else f"betweenness estimated from {result.sampled_sources} sampled sources"
    )
    footer = (
        f"{_showing(len(result.brokers), result.broker_count, 'brokers')}; network of "
        f"{result.organisations} organisations, {result.initiatives} initiatives, "
        f"{result.links} links, {result.components} components; {how}. Bridges: groups of "
        "neighbours only this node joins (--format json lists them)."
    )
    return Listing(
        "Brokers of the partnership network",
        ["#", "Broker", "Betweenness", "Degree", "Connects", "Bridges"],
        rows,
        footer=footer,
    )


COMMANDS = [links_command, path_command, brokers_command]
