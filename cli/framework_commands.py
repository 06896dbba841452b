"""``graphmodel framework import esco|case``: frameworks from standards, as dataset tables."""

from __future__ import annotations

import csv
from pathlib import Path

import click

from graphmodel.dataset import read_dataset
from graphmodel.errors import GraphModelError
from graphmodel.frameworks.case import read_case
from graphmodel.frameworks.common import ImportResult, merge_datasets
from graphmodel.frameworks.esco import read_esco
from graphmodel.frameworks.table import TableImportRequest, read_long_table
from graphmodel.io.tabular import write_dataset
from graphmodel.wording import plural

from .options import request_options

OUT_HELP = (
    "Where to write the dataset: a folder of CSV files, or .xlsx, .json, .yaml, .graphml "
    "(by suffix, as `graphmodel export`)."
)
INTO_HELP = (
    "Add the framework to this exercise (any dataset) and write the whole to OUT; rows "
    "with the ids of an earlier import are replaced, keeping their equivalences."
)


@click.group()
def framework() -> None:
    """Frameworks from standards: ESCO, 1EdTech CASE and long tables, as dataset tables.

    Then `graphmodel crosswalk` suggests which competencies of two frameworks
    mean the same (see docs/frameworks.md).

    \b
    Example:
      graphmodel framework import esco ESCO-v1.2.0-csv --occupation "social worker" -o esco.xlsx
      graphmodel framework import case northfield-competences.json -o northfield.xlsx
    """


@framework.group(name="import")
def import_group() -> None:
    """Import a framework published in a standard format, or as one long table.

    \b
    Example:
      graphmodel framework import esco ESCO-v1.2.0-csv -o esco --into exercise.xlsx
      graphmodel framework import case northfield-competences.json -o northfield.xlsx
      graphmodel framework import table skills.csv --profession Role --competency Skill \\
          --level Level --levels "Awareness;Working;Practitioner;Expert" -o skills.xlsx
    """


def _finish(result: ImportResult, out: Path, into: Path | None, dropped: Path | None) -> None:
    """Print the notices, merge into an exercise if asked, write OUT (and the dropped list)."""
    for notice in result.notices:
        click.echo(f"notice: {notice}", err=True)
    dataset = result.dataset
    if into is not None:
        dataset = merge_datasets(read_dataset(into), dataset, source=str(into))
    if dropped is not None:
        try:
            with dropped.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(
                    ["concept", "concept_name", "dropped_parent", "kept_parent", "reason"]
                )
                for item in result.dropped_parents:
                    writer.writerow(
                        [item.child, item.child_name, item.parent, item.kept or "", item.reason]
                    )
        except OSError as error:
            raise GraphModelError(f"cannot write {dropped}: {error.strerror or error}") from None
    kind = write_dataset(dataset, out)
    imported = result.dataset
    counts = [
        plural(len(imported.frameworks), "framework"),
        plural(len(imported.competencies), "competency"),
    ]
    if imported.professions:
        counts.append(plural(len(imported.professions), "profession"))
    if imported.requirements:
        counts.append(plural(len(imported.requirements), "requirement"))
    where = f" into {into}" if into is not None else ""
    click.echo(f"wrote {out} ({kind}): {', '.join(counts)}{where}")


@import_group.command(name="esco")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), required=True, help=OUT_HELP)
@click.option(
    "--occupation",
    multiple=True,
    metavar="URI_OR_LABEL",
    help="Keep only this occupation (URI or preferred label; repeatable), the skills it "
    "needs and the groups above them.",
)
@click.option(
    "--language", default="en", show_default=True, help="Language code of the ESCO file names."
)
@click.option("--version", "esco_version", help="ESCO version [default: from the folder name].")
@click.option(
    "--dropped",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every broader relation not kept (a competency has one parent) to this CSV.",
)
@click.option("--into", type=click.Path(path_type=Path), metavar="DATASET", help=INTO_HELP)
def import_esco(
    folder: Path,
    out: Path,
    occupation: tuple[str, ...],
    language: str,
    esco_version: str | None,
    dropped: Path | None,
    into: Path | None,
) -> None:
    """Import an ESCO CSV download (skills, skill groups, occupations and their links).

    Reads skills_en.csv, skillGroups_en.csv, broaderRelationsSkillPillar_en.csv,
    occupations_en.csv and occupationSkillRelations_en.csv by ESCO's own column
    names. Skills and groups become competencies of framework `esco` (with
    ESCO's alternative labels), occupations professions, essential/optional
    skills requirements (essential/desirable). A skill with several broader
    concepts keeps one parent: a skill group before a skill, then the smallest
    URI; the notice says how many were dropped (--dropped lists them).

    \b
    Example:
      graphmodel framework import esco ESCO-v1.2.0-en -o esco-social-work.xlsx \\
          --occupation "social worker" --occupation "youth worker"
      graphmodel framework import esco ESCO-v1.2.0-en -o exercise-with-esco \\
          --occupation "social worker" --into examples/children-trust
    """
    result = read_esco(folder, occupations=occupation, language=language, version=esco_version)
    _finish(result, out, into, dropped)


@import_group.command(name="case")
@click.argument("package", type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), required=True, help=OUT_HELP)
@click.option(
    "--dropped",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every isChildOf association not kept (a competency has one parent) to this CSV.",
)
@click.option("--into", type=click.Path(path_type=Path), metavar="DATASET", help=INTO_HELP)
def import_case(package: Path, out: Path, dropped: Path | None, into: Path | None) -> None:
    """Import a 1EdTech CASE package (CFDocument, CFItems, CFAssociations as JSON).

    The document becomes a framework, items competencies (name =
    abbreviatedStatement where given, else fullStatement), isChildOf the
    parent, exactMatchOf an equivalence. Other association types are not
    imported; a notice counts them by type.

    \b
    Example:
      graphmodel framework import case northfield-competences.json -o northfield.xlsx
    """
    _finish(read_case(package), out, into, dropped)


@import_group.command(name="table")
@request_options(TableImportRequest)
def import_table(request: TableImportRequest) -> None:
    """Import a framework published as one long table: a row per role x competency x level.

    FILE is CSV, .xlsx or .ods (cells may hold several lines). It writes one
    framework with the levels of --levels (lowest first), a competency per
    distinct name in the --competency column, a profession per distinct name
    in the --profession column, and a requirement per profession x competency
    at its level. Ids are slugs of the names. Identical rows count once; a
    pair at two levels keeps the higher (a notice says so); a level outside
    --levels is an error, unless --skip-level names it (those rows are
    counted in a notice).

    \b
    Example:
      graphmodel framework import table roles-and-skills.csv \\
          --profession "Role" --competency "Skill" --level "Skill level" \\
          --levels "Awareness;Working;Practitioner;Expert" \\
          --skip-level "Not applicable" --name "Digital skills" -o digital.xlsx
    """
    _finish(read_long_table(request), request.out, request.into, None)


COMMANDS = (framework,)
