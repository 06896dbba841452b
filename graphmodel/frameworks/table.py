"""Read a framework published as one long table into dataset tables (docs/frameworks.md).

Many levelled frameworks (the UK's DDaT Capability Framework, SFIA-style
skills frameworks, the NHS KSF) circulate as one long table: a row per role
(or role level) x skill x the level the role needs it at, often with other
columns beside (descriptions, a job family, a role level's own name). This
reader takes such a table as CSV, ``.xlsx`` or ``.ods`` and the names of its
columns (:class:`TableImportRequest`), and makes:

- one framework, with the scale of levels given (``--levels``, lowest first);
- a competency per distinct competency name, a profession per distinct
  profession name (``--sector`` fills its sector, the description columns
  their descriptions: the first non-empty cell in the file);
- a requirement per profession x competency, at its level.

What such tables hold, and what the reader does with it:

- cells on several lines (a description, a name broken over two lines):
  names are read on one line with single spaces, descriptions keep their
  lines;
- the header need not be the first row (a title above it): the header is the
  first of the first :data:`HEADER_SEARCH` rows holding every column named;
  in a workbook, the first sheet holding them (or ``--sheet``);
- identical rows (the same profession, competency and level) count once;
- the same pair at two levels keeps the higher, and a notice says how many;
- a level outside the scale is an error naming file, row and column (with
  the closest levels), unless ``--skip-level`` names it: those rows are
  skipped and counted in one notice (``Not applicable``, ``-``, or ``''`` for
  an empty cell);
- ids are slugs of the names (:func:`slug`), stable from one import to the
  next: the framework ``fw-<name>`` (or ``--id``), a competency
  ``<framework>-<name>``, a profession ``p-<framework>-<name>``; two names
  with one slug both get a short hash of their name after it;
- the output is the same whatever the order of the rows: rows sorted by id.

Example
-------
>>> slug("Data analyst - Senior (Level 5)")
'data-analyst-senior-level-5'
>>> slug("Ünderstanding  users' needs")
'understanding-users-needs'
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator
from python_calamine import CalamineWorkbook

from graphmodel.analysis.levels import Scale, fold
from graphmodel.analysis.requests import OptionSpec
from graphmodel.errors import FrameworkError, Location
from graphmodel.frameworks.common import ImportResult, clean_label, validated
from graphmodel.io.raw import ProblemLog, cell_text
from graphmodel.model import Competency, Dataset, Framework, Profession, Requirement
from graphmodel.suggest import closest_matches, did_you_mean
from graphmodel.wording import plural

#: Table files the reader takes, by suffix.
TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls", ".ods")
#: How many rows from the top may hold the header (a title or notes above it).
HEADER_SEARCH = 20
#: The longest slug kept whole; a longer one is cut and given a hash of the name.
SLUG_LENGTH = 60

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(name: str) -> str:
    """An id made of a name: lower-case ASCII letters and digits joined by ``-``.

    Accents are dropped, everything else becomes one ``-``; a name longer than
    :data:`SLUG_LENGTH` characters is cut at a word and ends with a short hash
    of the whole name, so two long names never meet.

    Example
    -------
    >>> slug("Safeguarding: level 3"), slug("  Data  &  AI ")
    ('safeguarding-level-3', 'data-ai')
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    made = _NOT_SLUG.sub("-", ascii_name.lower()).strip("-") or _hash(name)
    if len(made) <= SLUG_LENGTH:
        return made
    return f"{made[:SLUG_LENGTH].rsplit('-', 1)[0]}-{_hash(name)}"


def _hash(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:6]


Column = Annotated[str, OptionSpec(metavar="COLUMN")]
OptionalColumn = Annotated[str | None, OptionSpec(metavar="COLUMN")]


class TableImportRequest(BaseModel):
    """``graphmodel framework import table``: its options, defined once (the command line
    makes its options of these fields, as it does for the analyses)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    file: Annotated[Path, OptionSpec(metavar="FILE", argument=True)] = Field(
        description="The long table: a CSV file, or an .xlsx or .ods workbook."
    )
    profession: Column = Field(description="The column naming the profession (role).")
    competency: Column = Field(description="The column naming the competency (skill).")
    level: Column = Field(description="The column holding the level the role needs.")
    levels: Annotated[str, OptionSpec(metavar='"A;B;C"')] = Field(
        description="The framework's levels, lowest first, separated by ';'."
    )
    skip_level: Annotated[list[str], OptionSpec(metavar="VALUE")] = Field(
        default_factory=list,
        description="Skip the rows with this level (a placeholder such as 'Not applicable'; "
        "'' for an empty cell; repeatable).",
    )
    sector: OptionalColumn = Field(default=None, description="The column of the sector.")
    competency_description: OptionalColumn = Field(
        default=None, description="The column describing the competency."
    )
    profession_description: OptionalColumn = Field(
        default=None, description="The column describing the profession."
    )
    name: Annotated[str | None, OptionSpec(metavar="NAME")] = Field(
        default=None, description="The framework's name [default: the file's name]."
    )
    id: Annotated[str | None, OptionSpec(metavar="ID")] = Field(
        default=None, description="The framework's id [default: fw- and the name's slug]."
    )
    publisher: Annotated[str | None, OptionSpec(metavar="NAME")] = Field(
        default=None, description="The framework's publisher."
    )
    version: Annotated[str | None, OptionSpec(metavar="VERSION")] = Field(
        default=None, description="The framework's version."
    )
    sheet: Annotated[str | None, OptionSpec(metavar="NAME")] = Field(
        default=None,
        description="The workbook's sheet holding the table [default: the first with the columns].",
    )
    into: Annotated[Path | None, OptionSpec(metavar="DATASET")] = Field(
        default=None,
        description="Add the framework to this exercise (any dataset) and write the whole to "
        "OUT; rows with the ids of an earlier import are replaced.",
    )
    out: Annotated[Path, OptionSpec(metavar="OUT", short="o")] = Field(
        description="Where to write the dataset: a folder of CSV files, or .xlsx, .ods, .json, "
        ".yaml, .graphml (by suffix, as `graphmodel export`)."
    )

    @field_validator("levels")
    @classmethod
    def _a_scale(cls, value: str) -> str:
        levels = [level.strip() for level in value.split(";") if level.strip()]
        if not levels:
            raise ValueError("give the framework's levels, lowest first: --levels 'A;B;C'")
        try:
            Scale(tuple(levels))
        except ValueError:
            raise ValueError(f"a level is given twice in {value!r} (case is ignored)") from None
        return ";".join(levels)

    @property
    def scale(self) -> Scale:
        """The framework's levels."""
        return Scale(tuple(self.levels.split(";")))

    def columns(self) -> dict[str, str]:
        """Each column the table must hold, by what it gives."""
        given = {
            "profession": self.profession,
            "competency": self.competency,
            "level": self.level,
            "sector": self.sector,
            "competency_description": self.competency_description,
            "profession_description": self.profession_description,
        }
        return {role: column for role, column in given.items() if column is not None}


@dataclass
class _Table:
    """The table as read: where it is, its header, and its rows by row number."""

    source: str
    header: list[str]
    rows: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)

    def at(self, row: str, column: str = "") -> Location:
        return Location(self.source, row, column)


def read_long_table(request: TableImportRequest) -> ImportResult:
    """Read the long table ``request`` names into a dataset (see the module docstring).

    Raises
    ------
    DatasetError
        For every cell that cannot be read (a level outside the scale, an empty
        name), each with its file, row and column.
    FrameworkError
        For a file that cannot be read or does not hold the columns named.
    """
    log = ProblemLog()
    table = _read(request, log)
    log.raise_if_any()
    assert table is not None
    return _build(request, table, log)


def _read(request: TableImportRequest, log: ProblemLog) -> _Table | None:
    path = request.file
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise FrameworkError(f"{path}: a long table is a .csv, .xlsx or .ods file")
    if not path.is_file():
        raise FrameworkError(f"{path}: no such file")
    wanted = list(dict.fromkeys(request.columns().values()))
    if suffix == ".csv":
        return _from_records(str(path), _csv_records(path), wanted, log)
    try:
        workbook = CalamineWorkbook.from_path(path)
    # calamine raises its own errors, and others from inside a damaged file.
    except Exception as error:
        raise FrameworkError(
            f"{path}: not a readable {suffix} workbook ({type(error).__name__})"
        ) from None
    try:
        names = list(workbook.sheet_names)
        if request.sheet is not None and request.sheet not in names:
            raise FrameworkError(
                f"{path}: no sheet {request.sheet!r}" + did_you_mean(request.sheet, names)
            )
        for name in [request.sheet] if request.sheet else names:
            records = workbook.get_sheet_by_name(name).iter_rows()
            rows = [[cell_text(cell) or "" for cell in record] for record in records]
            if _header_at(rows, wanted) is not None or request.sheet:
                return _from_records(f"{path}[{name}]", rows, wanted, log)
    finally:
        workbook.close()
    raise FrameworkError(
        f"{path}: no sheet has the columns {', '.join(map(repr, wanted))} in its first "
        f"{HEADER_SEARCH} rows; name the sheet with --sheet"
    )


def _csv_records(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FrameworkError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as "
            "'CSV UTF-8'"
        ) from None
    try:
        return list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        raise FrameworkError(f"{path}: not a readable CSV file: {error}") from None


def _header_at(records: Sequence[Sequence[str]], wanted: Sequence[str]) -> int | None:
    """The index of the first of the top rows that holds every wanted column, or None."""
    for index, record in enumerate(records[:HEADER_SEARCH]):
        cells = {cell.strip() for cell in record}
        if all(column in cells for column in wanted):
            return index
    return None


def _from_records(
    source: str, records: list[list[str]], wanted: list[str], log: ProblemLog
) -> _Table | None:
    """The table below its header; a missing column is logged with the closest ones."""
    at = _header_at(records, wanted)
    if at is None:
        # The header is taken to be the top row holding the most of the columns named
        # (the first non-empty row when none holds any): the others are reported there.
        top = records[:HEADER_SEARCH] or [[]]
        found = [len({cell.strip() for cell in record} & set(wanted)) for record in top]
        best = max(range(len(top)), key=lambda i: (found[i], bool(any(top[i])), -i))
        header = [cell.strip() for cell in top[best]]
        for column in wanted:
            if column not in header:
                log.add(
                    Location(source, str(best + 1), column),
                    "column not found in the header" + did_you_mean(column, header),
                )
        return None
    header = [cell.strip() for cell in records[at]]
    table = _Table(source, header)
    for number, record in enumerate(records[at + 1 :], start=at + 2):
        if not any(cell.strip() for cell in record):
            continue
        cells = {
            column: (record[i].strip() or None) if i < len(record) else None
            for i, column in enumerate(header)
            if column in wanted
        }
        table.rows.append((str(number), cells))
    return table


def _build(request: TableImportRequest, table: _Table, log: ProblemLog) -> ImportResult:
    scale = request.scale
    skipped_values = {fold(value) for value in request.skip_level}
    columns = request.columns()
    skipped: Counter[str] = Counter()
    # (profession name, competency name) -> (level rank, the level, where it was read)
    pairs: dict[tuple[str, str], list[tuple[int, str, str]]] = defaultdict(list)
    firsts: dict[str, dict[str, str]] = defaultdict(dict)  # role -> name -> first cell
    differing: Counter[str] = Counter()
    for row, cells in table.rows:
        profession = clean_label(cells.get(columns["profession"]))
        competency = clean_label(cells.get(columns["competency"]))
        level = cells.get(columns["level"])
        level_text = " ".join(level.split()) if level else ""
        if fold(level_text) in skipped_values:
            skipped[level_text] += 1
            continue
        for role, value in (("profession", profession), ("competency", competency)):
            if value is None:
                log.add(table.at(row, columns[role]), f"the {role}'s name is empty")
        rank = scale.rank(level_text) if level_text else None
        if rank is None:
            log.add(table.at(row, columns["level"]), _level_problem(level_text, scale))
            continue
        if profession is None or competency is None:
            continue
        pairs[(profession, competency)].append((rank, scale.levels[rank], row))
        for role, owner in (
            ("sector", profession),
            ("profession_description", profession),
            ("competency_description", competency),
        ):
            if role not in columns:
                continue
            value = cells.get(columns[role])
            if role == "sector":
                value = clean_label(value)
            if value is None:
                continue
            known = firsts[role].setdefault(owner, value)
            if known != value:
                differing[role] += 1
    log.raise_if_any()
    if not pairs:
        raise FrameworkError(
            f"{table.source}: no rows to import"
            + (" (every row's level was skipped)" if skipped else "")
        )
    dataset, notices = _dataset(request, pairs, firsts)
    if skipped:
        shown = ", ".join(
            f"{value or '(empty)'!r} x{count}" for value, count in sorted(skipped.items())
        )
        notices.insert(
            0, f"skipped {plural(sum(skipped.values()), 'row')} by --skip-level: {shown}"
        )
    for role, count in sorted(differing.items()):
        what = role.replace("_", " ")
        notices.append(
            f"{plural(count, 'row')} gave another {what} than the first row for the same "
            "name; the first was kept"
        )
    return ImportResult(validated(dataset, table.source), notices)


def _level_problem(level: str, scale: Scale) -> str:
    if not level:
        return "the level is empty; skip such rows with --skip-level ''"
    by_folded = {fold(name): name for name in scale.levels}
    close = closest_matches(fold(level), by_folded)
    hint = (
        "; did you mean " + " or ".join(repr(by_folded[match]) for match in close) + "?"
        if close
        else ""
    )
    return (
        f"level {level!r} is not one of --levels ({', '.join(scale.levels)}){hint}; "
        "skip such rows with --skip-level"
    )


def _ids(names: Iterable[str], prefix: str) -> dict[str, str]:
    """Each name's id: the prefix and its slug; names sharing a slug each add a hash."""
    by_slug: dict[str, list[str]] = defaultdict(list)
    for name in sorted(set(names)):
        by_slug[slug(name)].append(name)
    ids: dict[str, str] = {}
    for made, group in by_slug.items():
        for name in group:
            ids[name] = f"{prefix}{made}" if len(group) == 1 else f"{prefix}{made}-{_hash(name)}"
    return ids


def _dataset(
    request: TableImportRequest,
    pairs: dict[tuple[str, str], list[tuple[int, str, str]]],
    firsts: dict[str, dict[str, str]],
) -> tuple[Dataset, list[str]]:
    name = request.name or request.file.stem.replace("_", " ").strip() or "Imported framework"
    framework_id = request.id or f"fw-{slug(name)}"
    short = framework_id.removeprefix("fw-")
    competency_ids = _ids((c for _, c in pairs), f"{short}-")
    profession_ids = _ids((p for p, _ in pairs), f"p-{short}-")
    notices: list[str] = []
    repeated = 0
    two_levels: list[str] = []
    requirements = []
    for (profession, competency), found in pairs.items():
        levels = sorted({(rank, level) for rank, level, _ in found})
        repeated += len(found) - len({rank for rank, _, _ in found})
        if len(levels) > 1:
            two_levels.append(
                f"{profession} x {competency}: {', '.join(level for _, level in levels)}"
            )
        requirements.append(
            Requirement(
                profession=profession_ids[profession],
                competency=competency_ids[competency],
                level=levels[-1][1],
            )
        )
    if repeated:
        notices.append(f"{plural(repeated, 'repeated row')} counted once")
    if two_levels:
        two_levels.sort()
        example = "; ".join(two_levels[:3]) + ("; ..." if len(two_levels) > 3 else "")
        notices.append(
            f"{plural(len(two_levels), 'profession x competency pair')} given at more than one "
            f"level; the highest was kept ({example})"
        )
    dataset = Dataset(
        frameworks=[
            Framework(
                id=framework_id,
                name=name,
                publisher=request.publisher,
                version=request.version,
                levels=list(request.scale.levels),
            )
        ],
        competencies=sorted(
            (
                Competency(
                    id=competency_id,
                    name=competency,
                    framework=framework_id,
                    description=firsts["competency_description"].get(competency),
                )
                for competency, competency_id in competency_ids.items()
            ),
            key=lambda row: row.id,
        ),
        professions=sorted(
            (
                Profession(
                    id=profession_id,
                    name=profession,
                    sector=firsts["sector"].get(profession),
                    description=firsts["profession_description"].get(profession),
                )
                for profession, profession_id in profession_ids.items()
            ),
            key=lambda row: row.id,
        ),
        requirements=sorted(requirements, key=lambda row: (row.profession, row.competency)),
    )
    return dataset, notices
