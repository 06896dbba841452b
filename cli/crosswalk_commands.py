"""``graphmodel crosswalk``: suggested equivalences between frameworks; applying a review."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from graphmodel.analysis.requests import CrosswalkRequest

from .options import SOURCE_HELP, cache_dir, request_options, source_command
from .output import Listing, emit, format_option

if TYPE_CHECKING:
    from graphmodel.analysis.crosswalk import Crosswalk
    from graphmodel.backends.base import GraphBackend

REVIEW_COLUMNS = ["from_id", "from_name", "to_id", "to_name", "score", "accept"]


class CrosswalkGroup(click.Group):
    """``crosswalk SOURCE ...`` suggests; ``crosswalk apply REVIEW DATASET`` applies.

    Anything but a subcommand name as the first argument runs ``suggest``, so
    the suggestions need no subcommand of their own.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["suggest", *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(
            ctx.command_path, "SOURCE --from FW_A --to FW_B [OPTIONS] | apply REVIEW DATASET"
        )


def _why(reasons: dict[str, Any]) -> str:
    parts = []
    if reasons.get("already_equivalent"):
        parts.append("already equivalent")
    if reasons.get("shared_words"):
        parts.append("words: " + ", ".join(reasons["shared_words"]))
    if reasons.get("matched_alt_labels"):
        parts.append("labels: " + "; ".join(reasons["matched_alt_labels"]))
    if reasons.get("parents_equivalent"):
        parts.append("parents equivalent")
    return " | ".join(parts)


def listings(result: Crosswalk, output_format: str) -> list[Listing]:
    """The crosswalk as rows: a review sheet for CSV, a readable table otherwise."""
    options = result.options
    if output_format == "csv":
        rows: list[list[Any]] = []
        for suggestion in result.suggestions:
            if not suggestion.matches:
                rows.append([suggestion.competency, suggestion.name, "", "", "", ""])
            for match in suggestion.matches:
                rows.append(
                    [suggestion.competency, suggestion.name, match.competency, match.name,
                     f"{match.score:.4f}", ""]
                )  # fmt: skip
        return [Listing("Crosswalk", REVIEW_COLUMNS, rows, payload=result.payload())]
    rows = []
    for suggestion in result.suggestions:
        source = f"{suggestion.name} ({suggestion.competency})"
        if not suggestion.matches:
            rows.append([source, "no match", "", ""])
        for match in suggestion.matches:
            rows.append(
                [source, f"{match.name} ({match.competency})", match.score, _why(match.reasons)]
            )
    matched = sum(1 for s in result.suggestions if s.matches)
    footer = (
        f"{len(result.suggestions)} competencies of {options.from_framework}: {matched} with a "
        f"suggestion in {options.to_framework} (score >= {options.min_score:g}, best "
        f"{options.limit} each)"
    )
    return [
        Listing(
            f"Crosswalk {options.from_framework} -> {options.to_framework}",
            ["Competency", "Suggested equivalent", "Score", "Why"],
            rows,
            payload=result.payload(),
            footer=footer,
        )
    ]


@click.group(name="crosswalk", cls=CrosswalkGroup)
def crosswalk_group() -> None:
    """Suggest equivalent competencies between two frameworks; apply a reviewed sheet.

    \b
    graphmodel crosswalk SOURCE --from FW_A --to FW_B [--limit 3] [--min-score S] [--format F]
    graphmodel crosswalk apply REVIEW DATASET [-o OUT]

    \b
    Example:
      graphmodel crosswalk exercise.xlsx --from fw-local --to esco --format csv > review.csv
      graphmodel crosswalk apply review.csv exercise.xlsx -o exercise-mapped.xlsx
    """


@crosswalk_group.command(name="suggest", epilog=SOURCE_HELP)
@source_command
@request_options(CrosswalkRequest)
@format_option
def suggest(backend: GraphBackend, request: CrosswalkRequest, output_format: str) -> None:
    """For each competency of FW_A, the competencies of FW_B that mean the same.

    Scores (0-1) come from wording (names, alternative labels and descriptions,
    compared by TF-IDF on word stems and on character n-grams) and structure
    (parents already equivalent); with `--embeddings`, meaning too. `--format
    csv` is a review sheet: mark `accept` with x and run `graphmodel crosswalk
    apply`.

    \b
    Example:
      graphmodel crosswalk exercise.xlsx --from fw-local --to esco
      graphmodel crosswalk exercise.xlsx --from fw-local --to esco --format csv > review.csv
    """
    result = request.run(backend, cache_dir() / "embeddings")
    payload = request.to_json(result)
    # JSON prints the payload alone: the rows of the other formats are not built.
    emit([] if output_format == "json" else listings(result, output_format), output_format,
         payload=payload)  # fmt: skip


@crosswalk_group.command(name="apply")
@click.argument("review", type=click.Path(path_type=Path))
@click.argument("dataset", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    help="Write the dataset here (format by suffix) [default: rewrite DATASET in place].",
)
def apply_command(review: Path, dataset: Path, out: Path | None) -> None:
    """Write the accepted rows of a review sheet into equivalent_to.

    REVIEW is the sheet `graphmodel crosswalk --format csv` wrote (CSV or
    .xlsx), with `accept` marked x, X, ✓, ✔, y, yes, 1 or true on the rows to
    keep (empty, 0, n or no: not kept). DATASET is the exercise the crosswalk
    ran on. The result is validated before it is written.

    \b
    Example:
      graphmodel crosswalk apply review.csv exercise.xlsx -o exercise-mapped.xlsx
    """
    from graphmodel.dataset import read_dataset
    from graphmodel.frameworks.review import apply_review, read_review
    from graphmodel.io.tabular import write_dataset

    accepted, rejected = read_review(review)
    data = read_dataset(dataset)
    updated, report = apply_review(data, accepted, rejected, source=str(dataset))
    target = out or dataset
    kind = write_dataset(updated, target)
    click.echo(
        f"wrote {target} ({kind}): {len(report.added)} equivalences added, "
        f"{len(report.already)} already there, {report.rejected} rows not accepted"
    )


COMMANDS = (crosswalk_group,)
