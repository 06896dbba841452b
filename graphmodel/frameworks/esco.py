"""Read an ESCO CSV download into dataset tables (docs/frameworks.md).

ESCO (European Skills, Competences, Qualifications and Occupations) is
published by the European Commission as a folder of CSV files per language.
This reader uses five of them, by ESCO's own file and column names:

=====================================  =============================================
file                                   columns read (required in bold)
=====================================  =============================================
``skills_en.csv``                      **conceptUri**, **preferredLabel**, altLabels,
                                       description
``skillGroups_en.csv``                 **conceptUri**, **preferredLabel**, altLabels,
                                       description
``broaderRelationsSkillPillar_en.csv`` **conceptUri**, **broaderUri**, broaderType
``occupations_en.csv``                 **conceptUri**, **preferredLabel**, description
``occupationSkillRelations_en.csv``    **occupationUri**, **relationType**, **skillUri**
=====================================  =============================================

Other columns (conceptType, skillType, reuseLevel, hiddenLabels, status,
modifiedDate, scopeNote, definition, inScheme, code, ...) are allowed and
not used. Only ``skills_en.csv`` must exist; without the others the import
has no hierarchy, no professions or no requirements, and says so.

What becomes what:

- one framework ``esco`` (publisher European Commission; ``version`` from the
  option, or from a folder name such as ``ESCO dataset - v1.2.0 - ...``);
- every skill and skill group a competency: ``name`` = preferredLabel,
  ``description`` = description, ``alt_labels`` = altLabels (one label per
  line in ESCO's cell), ``parent`` from the broader relations;
- every occupation a profession; ``essential``/``optional`` relations
  requirements with priority ``essential``/``desirable``.

Ids come from the URIs, so they are stable across imports and unique:
``http://data.europa.eu/esco/skill/0005c151-...`` becomes
``esco-skill-0005c151-...``, ``.../esco/isced-f/0923`` becomes
``esco-isced-f-0923``.

**One parent.** ESCO is a poly-hierarchy: a skill may have several broader
concepts, while a competency has one parent. The rule: among the broader
concepts the files hold, a skill group comes before a skill (the groups are
ESCO's classification), then the smallest URI; a choice that would close a
loop is skipped for the next. Every relation not kept is reported
(:attr:`ImportResult.dropped_parents`), and a notice gives the counts.

``occupations`` keeps only those occupations (by URI, or by preferred label,
case and spaces ignored), the skills they require and the groups above
those skills.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graphmodel.errors import FrameworkError, Location
from graphmodel.frameworks.common import (
    DroppedParent,
    ImportResult,
    clean_label,
    split_labels,
    validated,
)
from graphmodel.io.raw import ProblemLog
from graphmodel.model import Competency, Dataset, Framework, Priority, Profession, Requirement
from graphmodel.suggest import did_you_mean
from graphmodel.wording import plural

#: The framework every ESCO skill and skill group belongs to.
FRAMEWORK_ID = "esco"
ESCO_BASE = "http://data.europa.eu/esco/"
PUBLISHER = "European Commission"

#: ESCO's relation types and the priorities they become.
PRIORITIES = {"essential": Priority.ESSENTIAL, "optional": Priority.DESIRABLE}

_NOT_ID = re.compile(r"[^A-Za-z0-9._-]+")
_VERSION = re.compile(r"\bv(\d+(?:\.\d+)+)\b", re.IGNORECASE)


def esco_id(uri: str) -> str:
    """The dataset id of an ESCO concept, from its URI.

    Example
    -------
    >>> esco_id("http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab")
    'esco-skill-0005c151-5b5a-4a66-8aac-60e734beb1ab'
    >>> esco_id("http://data.europa.eu/esco/isced-f/0923")
    'esco-isced-f-0923'
    """
    rest = uri[len(ESCO_BASE) :] if uri.startswith(ESCO_BASE) else re.sub(r"^\w+://", "", uri)
    return "esco-" + _NOT_ID.sub("-", rest).strip("-")


def file_names(language: str = "en") -> dict[str, str]:
    """The five ESCO files this reader uses, by role, for a language code."""
    return {
        "skills": f"skills_{language}.csv",
        "groups": f"skillGroups_{language}.csv",
        "broader": f"broaderRelationsSkillPillar_{language}.csv",
        "occupations": f"occupations_{language}.csv",
        "relations": f"occupationSkillRelations_{language}.csv",
    }


_REQUIRED = {
    "skills": ("conceptUri", "preferredLabel"),
    "groups": ("conceptUri", "preferredLabel"),
    "broader": ("conceptUri", "broaderUri"),
    "occupations": ("conceptUri", "preferredLabel"),
    "relations": ("occupationUri", "relationType", "skillUri"),
}


@dataclass
class _Rows:
    """One ESCO file as read: its path and its data rows with their row numbers."""

    path: Path
    rows: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def at(self, row: str, column: str = "") -> Location:
        return Location(str(self.path), row, column)


@dataclass
class _Concept:
    uri: str
    group: bool
    name: str
    alt_labels: list[str]
    description: str | None


def _read_csv(path: Path, required: Sequence[str], log: ProblemLog) -> _Rows | None:
    """Read one ESCO file; rows are numbered like a spreadsheet (the header is row 1)."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        log.add(Location(str(path), str(line)), f"not UTF-8 text (byte 0x{data[error.start]:02x})")
        return None
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        log.add(Location(str(path)), f"not a readable CSV file: {error}")
        return None
    if not records:
        log.add(Location(str(path)), "file is empty; expected ESCO's header row")
        return None
    header = [cell.strip() for cell in records[0]]
    missing = [column for column in required if column not in header]
    for column in missing:
        log.add(
            Location(str(path), "1", column),
            "ESCO column is missing" + did_you_mean(column, header),
        )
    if missing:
        return None
    table = _Rows(path)
    for index, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = {
            name: record[i].strip() if i < len(record) else "" for i, name in enumerate(header)
        }
        table.rows.append((str(index), cells))
    return table


def _version_from(folder: Path) -> str | None:
    match = _VERSION.search(folder.resolve().name)
    return match.group(1) if match else None


def read_esco(
    folder: str | Path,
    *,
    occupations: Sequence[str] = (),
    language: str = "en",
    version: str | None = None,
) -> ImportResult:
    """Read an ESCO CSV download (see the module docstring for what becomes what).

    Parameters
    ----------
    folder
        The folder of ESCO's CSV files.
    occupations
        Keep only these occupations (URIs or preferred labels) and what they need.
    language
        The language code in the file names (``skills_en.csv``).
    version
        The ESCO version for the framework row; default: from the folder name.

    Raises
    ------
    DatasetError
        For files or rows that cannot be read, as ``file:row:column: message``.
    FrameworkError
        For an occupation that is not in the files, or one label that names several.
    """
    root = Path(folder)
    names = file_names(language)
    log = ProblemLog()
    if not root.is_dir():
        log.add(Location(str(root)), "not a folder; expected ESCO's CSV download")
        log.raise_if_any()
    tables: dict[str, _Rows] = {}
    absent: list[str] = []
    for role, name in names.items():
        path = root / name
        if not path.is_file():
            absent.append(role)
            continue
        table = _read_csv(path, _REQUIRED[role], log)
        if table is not None:
            tables[role] = table
    if "skills" in absent:
        log.add(
            Location(str(root / names["skills"])),
            "ESCO skills file not found" + did_you_mean(names["skills"], _csv_names(root)),
        )
    log.raise_if_any()
    if occupations and {"occupations", "relations"} & set(absent):
        missing = [names[role] for role in ("occupations", "relations") if role in absent]
        raise FrameworkError(f"{root}: --occupation needs {' and '.join(missing)}")

    notices = [
        f"{names[role]} not found: {what}"
        for role, what in (
            ("groups", "no skill groups imported"),
            ("broader", "no hierarchy (no parents) imported"),
            ("occupations", "no professions imported"),
            ("relations", "no requirements imported"),
        )
        if role in absent and not (role == "relations" and "occupations" in absent)
    ]
    concepts = _concepts(tables, log)
    log.raise_if_any()
    parents, dropped = _choose_parents(tables.get("broader"), concepts)
    if dropped:
        notices.append(_dropped_notice(dropped))

    professions: dict[str, Profession] = {}
    requirements: dict[tuple[str, str], Requirement] = {}
    if "occupations" in tables:
        occupation_rows = _occupations(tables["occupations"], log)
        log.raise_if_any()
        keep = (
            set(_resolve(occupations, occupation_rows, tables["occupations"].path))
            if occupations
            else set(occupation_rows)
        )
        for uri in sorted(keep):
            name, description = occupation_rows[uri]
            professions[uri] = Profession(id=esco_id(uri), name=name, description=description)
        if "relations" in tables:
            requirements, relation_notices = _requirements(
                tables["relations"], concepts, set(occupation_rows), keep, log
            )
            notices.extend(relation_notices)
            log.raise_if_any()

    wanted: set[str] = set(concepts)
    if occupations:
        wanted = set()
        for _, skill in requirements:
            node: str | None = skill
            while node is not None and node not in wanted:
                wanted.add(node)
                node = parents.get(node)
    framework = Framework(
        id=FRAMEWORK_ID,
        name="ESCO: European Skills, Competences, Qualifications and Occupations",
        publisher=PUBLISHER,
        version=version or _version_from(root),
    )
    competencies = [
        Competency(
            id=esco_id(uri),
            name=concept.name,
            framework=FRAMEWORK_ID,
            parent=esco_id(parents[uri]) if uri in parents else None,
            description=concept.description,
            alt_labels=concept.alt_labels,
        )
        for uri, concept in concepts.items()
        if uri in wanted
    ]
    dataset = Dataset(
        frameworks=[framework],
        competencies=sorted(competencies, key=lambda c: c.id),
        professions=sorted(professions.values(), key=lambda p: p.id),
        requirements=sorted(requirements.values(), key=lambda r: (r.profession, r.competency)),
    )
    return ImportResult(validated(dataset, str(root)), notices, dropped)


def _csv_names(root: Path) -> list[str]:
    return sorted(path.name for path in root.glob("*.csv"))


def _concepts(tables: dict[str, _Rows], log: ProblemLog) -> dict[str, _Concept]:
    """Skills and skill groups by URI, in URI order; problems for empty or repeated URIs."""
    concepts: dict[str, _Concept] = {}
    where: dict[str, Location] = {}
    ids: dict[str, str] = {}
    for role in ("groups", "skills"):
        table = tables.get(role)
        if table is None:
            continue
        for row, cells in table.rows:
            uri = cells["conceptUri"]
            name = clean_label(cells["preferredLabel"])
            if not uri:
                log.add(table.at(row, "conceptUri"), "required value is empty")
                continue
            if name is None:
                log.add(table.at(row, "preferredLabel"), "required value is empty")
                continue
            if uri in concepts:
                log.add(table.at(row, "conceptUri"), f"{uri} is already given at {where[uri]}")
                continue
            node_id = esco_id(uri)
            if node_id in ids:
                log.add(
                    table.at(row, "conceptUri"),
                    f"{uri} and {ids[node_id]} would both get the id {node_id!r}",
                )
                continue
            ids[node_id] = uri
            where[uri] = table.at(row)
            concepts[uri] = _Concept(
                uri,
                role == "groups",
                name,
                [label for label in split_labels(cells.get("altLabels")) if label != name],
                (cells.get("description") or "").strip() or None,
            )
    return dict(sorted(concepts.items()))


def _choose_parents(
    table: _Rows | None, concepts: dict[str, _Concept]
) -> tuple[dict[str, str], list[DroppedParent]]:
    """One parent per concept, by the rule in the module docstring, and what was dropped."""
    broader: dict[str, list[str]] = defaultdict(list)
    unknown: list[tuple[str, str]] = []
    if table is not None:
        for _, cells in table.rows:
            child, parent = cells["conceptUri"], cells["broaderUri"]
            if child not in concepts or not parent or parent == child:
                continue
            if parent not in concepts:
                unknown.append((child, parent))
            elif parent not in broader[child]:
                broader[child].append(parent)
    parents: dict[str, str] = {}
    dropped: list[DroppedParent] = []

    def reaches(start: str, target: str) -> bool:
        node: str | None = start
        while node is not None:
            if node == target:
                return True
            node = parents.get(node)
        return False

    for child in sorted(broader):
        ranked = sorted(broader[child], key=lambda uri: (not concepts[uri].group, uri))
        loops: list[str] = []
        for candidate in ranked:
            if reaches(candidate, child):
                loops.append(candidate)
                continue
            parents[child] = candidate
            break
        kept = parents.get(child)
        for candidate in ranked:
            if candidate != kept:
                reason = "would loop" if candidate in loops else "another parent kept"
                dropped.append(DroppedParent(child, concepts[child].name, candidate, kept, reason))
    for child, parent in unknown:
        dropped.append(
            DroppedParent(
                child, concepts[child].name, parent, parents.get(child), "unknown concept"
            )
        )
    dropped.sort(key=lambda d: (d.child, d.parent))
    return parents, dropped


def _dropped_notice(dropped: list[DroppedParent]) -> str:
    reasons = Counter(d.reason for d in dropped)
    children = len({d.child for d in dropped if d.reason == "another parent kept"})
    parts = []
    if reasons["another parent kept"]:
        parts.append(
            f"{plural(children, 'concept')} with several broader concepts: kept one each (a "
            f"skill group before a skill, then the smallest URI), dropped "
            f"{reasons['another parent kept']}"
        )
    if reasons["would loop"]:
        parts.append(f"dropped {reasons['would loop']} that would close a loop")
    if reasons["unknown concept"]:
        parts.append(
            f"dropped {reasons['unknown concept']} naming a concept not in the skill files"
        )
    return "broader relations: " + "; ".join(parts)


def _occupations(table: _Rows, log: ProblemLog) -> dict[str, tuple[str, str | None]]:
    found: dict[str, tuple[str, str | None]] = {}
    for row, cells in table.rows:
        uri = cells["conceptUri"]
        name = clean_label(cells["preferredLabel"])
        if not uri or name is None:
            column = "conceptUri" if not uri else "preferredLabel"
            log.add(table.at(row, column), "required value is empty")
            continue
        if uri in found:
            log.add(table.at(row, "conceptUri"), f"{uri} is given twice")
            continue
        found[uri] = (name, (cells.get("description") or "").strip() or None)
    return found


def _resolve(
    wanted: Sequence[str], occupations: dict[str, tuple[str, str | None]], path: Path
) -> list[str]:
    """The URIs of the occupations asked for by URI or preferred label (case and spaces ignored)."""

    def key(text: str) -> str:
        return " ".join(text.split()).casefold()

    by_label: dict[str, list[str]] = defaultdict(list)
    for uri, (name, _) in occupations.items():
        by_label[key(name)].append(uri)
    found = []
    for item in wanted:
        if item in occupations:
            found.append(item)
            continue
        uris = by_label.get(key(item), [])
        if len(uris) == 1:
            found.append(uris[0])
        elif uris:
            raise FrameworkError(
                f"{path}: occupation {item!r} names {len(uris)} occupations "
                f"({', '.join(sorted(uris))}); give the URI"
            )
        else:
            labels = [name for name, _ in occupations.values()]
            raise FrameworkError(
                f"{path}: no occupation {item!r} (by URI or preferred label)"
                + did_you_mean(item, labels)
            )
    return found


def _requirements(
    table: _Rows,
    concepts: dict[str, _Concept],
    occupations: set[str],
    keep: set[str],
    log: ProblemLog,
) -> tuple[dict[tuple[str, str], Requirement], list[str]]:
    requirements: dict[tuple[str, str], Requirement] = {}
    unknown = repeated = 0
    for row, cells in table.rows:
        occupation, kind, skill = cells["occupationUri"], cells["relationType"], cells["skillUri"]
        priority = PRIORITIES.get(kind.casefold())
        if priority is None:
            log.add(
                table.at(row, "relationType"),
                f"invalid value {kind!r}: expected 'essential' or 'optional'"
                + did_you_mean(kind, PRIORITIES),
            )
            continue
        if occupation in occupations and occupation not in keep:
            continue
        if occupation not in occupations or skill not in concepts:
            unknown += 1
            continue
        key = (occupation, skill)
        if key in requirements:
            repeated += 1
            if priority is not Priority.ESSENTIAL:
                continue
        requirements[key] = Requirement(
            profession=esco_id(occupation), competency=esco_id(skill), priority=priority
        )
    notices = []
    if unknown:
        notices.append(
            f"{table.path.name}: skipped {plural(unknown, 'relation')} naming an occupation "
            "or skill not in the files"
        )
    if repeated:
        notices.append(
            f"{table.path.name}: {plural(repeated, 'occupation-skill pair')} given twice; "
            "kept one each (essential over optional)"
        )
    return requirements, notices
