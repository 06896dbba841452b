"""Parse raw tables into a :class:`~graphmodel.model.Dataset` and check every rule.

:func:`parse_tables` is shared by every reader: the table readers of
:mod:`graphmodel.dataset` (CSV folder, workbook, JSON/YAML) and the graph
readers (a GraphML file, a database's graph in :mod:`graphmodel.graph`). It
parses every cell through the row models of :mod:`graphmodel.model`,
resolves names in reference cells to ids, adds the marks of the tick grids
and checks the rules that span rows and tables, logging each problem with
its location.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from graphmodel.analysis.levels import UNSTATED, Rank, Scale, fold
from graphmodel.errors import Location
from graphmodel.io.grids import GRID_ROW_COLUMN, GRIDS, TRUE_MARKS, GridSpec, mark_value
from graphmodel.io.raw import ProblemLog, RawTable
from graphmodel.model import (
    ITEM_SEPARATOR,
    LABEL_TABLES,
    OFFERS,
    RELATIONSHIPS,
    TABLES,
    Competency,
    Dataset,
    Framework,
    Offer,
    Requirement,
    Row,
    TableSpec,
    TrainingEvent,
    join_item,
    label_name,
    split_item,
)
from graphmodel.suggest import closest_matches, did_you_mean, did_you_mean_node, normalised_name

__all__ = ["parse_offers", "parse_tables"]


@dataclass(frozen=True)
class _Located:
    """A parsed row with the location it came from."""

    table: RawTable
    row: str
    value: Row

    def at(self, column: str = "") -> Location:
        return self.table.location(self.row, column)


def parse_tables(
    tables: Iterable[RawTable],
    log: ProblemLog,
    absent_location: Callable[[str], Location] | None = None,
) -> Dataset:
    """Parse raw tables into a :class:`Dataset`, logging every problem found.

    The returned dataset holds the rows that parsed; it is only meaningful
    when ``log`` is empty afterwards. ``absent_location`` says where a table
    that is not among ``tables`` would be (``folder/professions.csv``): a
    table that other tables refer to, missing or without rows, is the first
    problem, one line at that location, and the references to it are not
    listed one by one.
    """
    parsed: dict[str, list[_Located]] = defaultdict(list)
    unparsed = _Unparsed()
    grids: list[RawTable] = []
    present: dict[str, RawTable] = {}
    for table in tables:
        if table.name in GRIDS:
            grids.append(table)
            continue
        present[table.name] = table
        spec = OFFERS if table.name == OFFERS.name else TABLES[table.name]
        _parse_rows(table, spec, log, parsed, unparsed)
    empty = _empty_tables(present, unparsed.unreadable, absent_location)
    references = _check_relations(
        parsed, unparsed.ids, unparsed.names, unparsed.unreadable, empty, grids, log
    )
    offers = _check_offers(parsed[OFFERS.name], references, _Scales(parsed), log)
    return Dataset.model_validate(
        {name: [located.value for located in parsed[name]] for name in TABLES}
        | {OFFERS.name: offers}
    )


def parse_offers(
    tables: Iterable[RawTable],
    nodes: Mapping[str, tuple[str, str]],
    log: ProblemLog,
    levels: Mapping[str, Sequence[str]] | None = None,
    framework_of: Mapping[str, str] | None = None,
) -> list[Offer]:
    """Parse ``offers`` tables read on their own (``plan --offers FILE``) against a graph.

    ``nodes`` maps ids to ``(label, name)``: at least every competency and
    profession (reference cells hold their ids or names), and any other node
    whose id an offer's cell holds (to say what it is). ``levels`` gives each
    framework's levels and ``framework_of`` each competency's framework, to
    check a cover's level (``c-1@Expert``). Problems are logged with their
    location, as for a dataset's own ``offers`` table.
    """
    parsed: dict[str, list[_Located]] = defaultdict(list)
    unparsed = _Unparsed()
    for table in tables:
        _parse_rows(table, OFFERS, log, parsed, unparsed)
    names: dict[str, dict[str, str]] = defaultdict(dict)
    for node_id, (label, name) in nodes.items():
        names[label][node_id] = name
    label_of = {node_id: label for node_id, (label, _) in nodes.items()}
    references = _References(label_of, {}, names, set(), {}, log)
    scales = _Scales.of(levels or {}, framework_of or {})
    return _check_offers(parsed[OFFERS.name], references, scales, log)


@dataclass
class _Unparsed:
    """What the rows that failed to parse still tell the cross-table checks."""

    # Ids of node rows that failed to parse still count as known, so one bad
    # cell does not also make every reference to that row an error.
    ids: dict[str, str] = field(default_factory=dict)
    # ... and so do their names, where they are given.
    names: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    # Labels whose table could not be read at all: references to them are not
    # checked, since every one would be reported as unknown.
    unreadable: set[str] = field(default_factory=set)


def _parse_rows(
    table: RawTable,
    spec: TableSpec,
    log: ProblemLog,
    parsed: dict[str, list[_Located]],
    unparsed: _Unparsed,
) -> None:
    """Parse one table's rows through its row model into ``parsed``, logging each problem."""
    columns = spec.columns
    if not table.complete:
        unparsed.unreadable.add(spec.label or "")
        if not table.rows:
            return
    if table.header is not None and not _check_header(table, columns, spec.required_columns, log):
        unparsed.unreadable.add(spec.label or "")
        return
    for raw in table.rows:
        cells = raw.cells
        if table.header is None:  # JSON/YAML: each row names its own columns
            for column in cells:
                if column not in columns:
                    log.add(
                        table.location(raw.row, column),
                        "unknown column" + did_you_mean(column, columns),
                    )
            cells = {column: value for column, value in cells.items() if column in columns}
        given = {column: value for column, value in cells.items() if value is not None}
        try:
            row = spec.model.model_validate(given)
        except ValidationError as error:
            failed: set[str] = set()
            for detail in error.errors():
                column = str(detail["loc"][0]) if detail["loc"] else _row_rule_column(spec.model)
                failed.add(column)
                log.add(table.location(raw.row, column), _message(detail, spec, column, given))
            # The row without its bad cells, when those are optional, still takes
            # part in the cross-table checks: its other references are checked now,
            # not after the user fixes the first problem. (The log holds an error,
            # so this partial row never reaches a returned dataset.)
            partial = _without(spec, given, failed)
            if partial is not None:
                parsed[table.name].append(_Located(table, raw.row, partial))
            elif spec.label is not None:
                if given.get("id"):
                    unparsed.ids.setdefault(str(given["id"]), spec.label)
                    name = given.get("name", given.get("title"))
                    if name is not None:
                        unparsed.names[spec.label].setdefault(str(given["id"]), str(name))
                else:
                    unparsed.unreadable.add(spec.label)
            continue
        parsed[table.name].append(_Located(table, raw.row, row))


@dataclass
class _EmptyTable:
    """A node table with no rows (missing, or a header alone), and what refers to it."""

    table: str
    location: Location
    state: str  # "is missing" or "has no rows"
    referrers: dict[str, None] = field(default_factory=dict)  # tables, in order seen
    ids: set[str] = field(default_factory=set)
    references: int = 0

    def message(self) -> str:
        """The one line that stands for every reference to the table."""
        tables = [table for table in (*TABLES, *GRIDS) if table in self.referrers]
        named = tables[0] if len(tables) == 1 else f"{', '.join(tables[:-1])} and {tables[-1]}"
        noun = LABEL_TABLES[TABLES[self.table].label or ""].replace("_", " ")
        count = len(self.ids)
        if count == 1:
            noun = label_name(TABLES[self.table].label or "")
        many = self.references != 1
        return (
            f"the {self.table} table {self.state}, but {self.references} "
            f"reference{'s' if many else ''} in {named} name{'' if many else 's'} {count} {noun}"
        )


def _empty_tables(
    present: dict[str, RawTable],
    unreadable: set[str],
    absent_location: Callable[[str], Location] | None,
) -> dict[str, _EmptyTable]:
    """The node tables, by label, that are missing or hold no row (those that could not be
    read are reported where they failed)."""
    empty = {}
    for label, name in LABEL_TABLES.items():
        table = present.get(name)
        if table is None:
            where = absent_location(name) if absent_location else Location(name)
            empty[label] = _EmptyTable(name, where, "is missing")
        elif table.complete and not table.rows and label not in unreadable:
            empty[label] = _EmptyTable(name, table.location(), "has no rows")
    return empty


def _without(spec: TableSpec, given: dict[str, Any], failed: set[str]) -> Row | None:
    """The row parsed without the ``failed`` cells, or None when it still fails."""
    if not failed or failed & set(spec.required_columns) or "" in failed:
        return None
    try:
        return spec.model.model_validate(
            {column: value for column, value in given.items() if column not in failed}
        )
    except ValidationError:
        return None


def _check_header(
    table: RawTable, columns: list[str], required: list[str], log: ProblemLog
) -> bool:
    """Log unknown and missing columns; False when the rows cannot be read."""
    assert table.header is not None
    header = table.header
    ok = True
    for column in header:
        if column not in columns:
            log.add(
                table.location(table.header_row, column),
                "unknown column" + did_you_mean(column, columns),
            )
            ok = False
    for column in required:
        if column not in header:
            log.add(table.location(table.header_row, column), "required column is missing")
            ok = False
    return ok


def _row_rule_column(model: type[Row]) -> str:
    # The only whole-row rule is the period check, reported on end_date.
    return "end_date" if "end_date" in model.model_fields else ""


def _message(detail: Any, spec: TableSpec, column: str, given: dict[str, Any]) -> str:
    """A short message for one pydantic error, with a suggestion for enumerations.

    The value shown is the cell as given (``'£-5'``), not as a validator
    turned it (``-5``).
    """
    kind = detail["type"]
    if kind == "missing":
        return "required value is empty"
    text = str(detail["msg"])
    text = text.removeprefix("Value error, ")
    if kind == "value_error":
        return text
    text = text[:1].lower() + text[1:]
    value = (
        given.get(column, detail.get("input")) if len(detail["loc"]) == 1 else detail.get("input")
    )
    message = f"invalid value {value!r}: {text}"
    if kind == "enum" and isinstance(value, str):
        message += did_you_mean(value, spec.choices.get(column, []))
    return message


class _References:
    """Resolves reference cells: an id of the expected type, else a unique name of one.

    Names compare with case and spaces ignored (:func:`normalised_name`);
    the name index of a label is built the first time a value is not an id.
    """

    def __init__(
        self,
        label_of: dict[str, str],
        nodes: dict[str, list[_Located]],
        unparsed_names: dict[str, dict[str, str]],
        unreadable: set[str],
        empty: dict[str, _EmptyTable],
        log: ProblemLog,
    ) -> None:
        self.label_of = label_of
        self.nodes = nodes  # parsed rows by label (first row of each id only)
        self.unparsed_names = unparsed_names  # names of rows that failed to parse, by label
        self.unreadable = unreadable
        self.empty = empty  # tables with no rows: references to them are counted, not listed
        self.log = log
        self._names: dict[str, dict[str, list[str]]] = {}
        self._shown: dict[str, dict[str, str]] = {}

    def shown_names(self, label: str) -> dict[str, str]:
        """Each node's name (or title) by id."""
        if label not in self._shown:
            shown = dict(self.unparsed_names.get(label, {}))
            for located in self.nodes.get(label, []):
                shown[located.value.id] = _name_of(located.value)  # type: ignore[attr-defined]
            self._shown[label] = shown
        return self._shown[label]

    def ids_by_name(self, label: str) -> dict[str, list[str]]:
        if label not in self._names:
            index: dict[str, list[str]] = defaultdict(list)
            for node_id, name in self.shown_names(label).items():
                index[normalised_name(name)].append(node_id)
            self._names[label] = dict(index)
        return self._names[label]

    def lookup(self, value: str, label: str) -> str | None:
        """The id ``value`` stands for (an id of ``label``, or a name fitting one node), or None.

        Nothing is logged: :meth:`resolve` says why a value stands for none.
        """
        if self.label_of.get(value) == label:
            return value
        ids = self.ids_by_name(label).get(normalised_name(value))
        return ids[0] if ids is not None and len(ids) == 1 else None

    def resolve(self, value: str, label: str, where: Location, table: str) -> str | None:
        """The id ``value`` (a cell of ``table``) stands for, or None after logging why it
        stands for none."""
        if label in self.empty:
            referred = self.empty[label]
            referred.referrers.setdefault(table)
            referred.ids.add(value)
            referred.references += 1
            return value
        actual = self.label_of.get(value)
        if actual == label or label in self.unreadable:
            return value
        ids = self.ids_by_name(label).get(normalised_name(value))
        if ids is not None and len(ids) == 1:
            return ids[0]
        if ids is not None:
            plural = LABEL_TABLES[label].replace("_", " ")
            self.log.add(
                where,
                f"the name {value!r} fits {len(ids)} {plural} ({', '.join(ids)}); "
                "write the id of the one meant",
            )
        elif actual is not None:
            self.log.add(where, f"{value!r} is a {label_name(actual)}, not a {label_name(label)}")
        else:
            message = f"unknown {label_name(label)} {value!r}"
            if not self.log.full:  # past the cap the line is only counted
                names = self.shown_names(label)
                message += did_you_mean_node(value, names, names)
            self.log.add(where, message)
        return None


def _name_of(row: Row) -> str:
    name = getattr(row, "name", None)
    return str(name if name is not None else getattr(row, "title", ""))


def _check_relations(
    parsed: dict[str, list[_Located]],
    unparsed_ids: dict[str, str],
    unparsed_names: dict[str, dict[str, str]],
    unreadable: set[str],
    empty: dict[str, _EmptyTable],
    grids: list[RawTable],
    log: ProblemLog,
) -> _References:
    """Unique ids; references resolved to ids (names allowed); grid marks added;
    unique pairs; no parent loops. ``parsed`` is updated with the resolved rows.
    References to an ``empty`` table make one problem, first. The resolver is
    returned for the tables checked afterwards (offers)."""
    label_of: dict[str, str] = dict(unparsed_ids)
    first_seen: dict[str, _Located] = {}
    nodes: dict[str, list[_Located]] = defaultdict(list)
    for label, table in LABEL_TABLES.items():
        for located in parsed[table]:
            node_id = located.value.id  # type: ignore[attr-defined]
            if node_id in first_seen:
                earlier = first_seen[node_id]
                log.add(
                    located.at("id"),
                    f"id {node_id!r} is already used at {earlier.at()}",
                )
                continue
            first_seen[node_id] = located
            label_of[node_id] = label
            nodes[label].append(located)
    references = _References(label_of, nodes, unparsed_names, unreadable, empty, log)

    changes: dict[str, dict[int, dict[str, Any]]] = defaultdict(lambda: defaultdict(dict))
    for spec in RELATIONSHIPS:
        for index, located in enumerate(parsed[spec.table]):
            pairs = [(spec.column, spec.other_label)]
            if spec.owner_column != "id":
                pairs.insert(0, (spec.owner_column, spec.owner_label))
            for column, label in pairs:
                value = getattr(located.value, column)
                if value is None:
                    continue
                where = located.at(column)
                resolved: str | list[str]
                if (
                    isinstance(value, list)
                    and spec.item_property is not None
                    and column == spec.column
                ):
                    resolved = list(
                        dict.fromkeys(
                            _resolve_item(item, label, where, spec.table, references)
                            for item in value
                        )
                    )
                elif isinstance(value, list):
                    resolved = list(
                        dict.fromkeys(
                            references.resolve(item, label, where, spec.table) or item
                            for item in value
                        )
                    )
                else:
                    resolved = references.resolve(value, label, where, spec.table) or value
                if resolved != value:
                    changes[spec.table][index][column] = resolved
    _apply(changes, parsed)
    # Grids after the references: a grid cell holding a level needs its competency's
    # framework, which a competency row may name by name.
    scales = _Scales(parsed)
    grid_changes: dict[str, dict[int, dict[str, Any]]] = defaultdict(lambda: defaultdict(dict))
    for grid in grids:
        _add_grid_marks(grid, GRIDS[grid.name], parsed, references, scales, grid_changes, log)
    _apply(grid_changes, parsed)
    for referred in empty.values():
        if referred.references:
            log.add_first(referred.location, referred.message())
    _check_levels(parsed, scales, log)

    for table, what in (("requirements", "requirement"), ("workforce", "workforce row")):
        seen: dict[tuple[str, ...], _Located] = {}
        pair_spec = TABLES[table]
        for located in parsed[table]:
            key = pair_spec.key_of(located.value)
            if key in seen:
                log.add(
                    located.at(pair_spec.key[1]),
                    f"{what} {' / '.join(key)} is already given at {seen[key].at()}",
                )
            else:
                seen[key] = located

    competencies = {
        located.value.id: located  # type: ignore[attr-defined]
        for located in parsed["competencies"]
    }
    for located in competencies.values():
        competency = located.value
        assert isinstance(competency, Competency)
        if competency.id in competency.equivalent_to:
            log.add(located.at("equivalent_to"), "a competency cannot be equivalent to itself")
    for cycle in _parent_cycles(competencies):
        start = competencies[cycle[0]]
        chain = " -> ".join([*cycle, cycle[0]])
        log.add(start.at("parent"), f"parent chain loops: {chain}")
    return references


def _check_offers(
    offers: list[_Located], references: _References, scales: _Scales, log: ProblemLog
) -> list[Offer]:
    """Offers with their covers and targets resolved to ids (names allowed); an offer's
    id is unique and is no node's id (a commissioned offer becomes a training event).

    A cover may carry its level as a training event's does (``c-1@Expert``, by
    name too): a level of the competency's framework, kept in its spelling; a
    competency listed twice keeps the higher level."""
    seen: dict[str, _Located] = {}
    resolved: list[Offer] = []
    for located in offers:
        offer = located.value
        assert isinstance(offer, Offer)
        if offer.id in seen:
            log.add(located.at("id"), f"id {offer.id!r} is already used at {seen[offer.id].at()}")
            continue
        seen[offer.id] = located
        label = references.label_of.get(offer.id)
        if label is not None:
            log.add(
                located.at("id"),
                f"id {offer.id!r} is already a {label_name(label)}'s id; a commissioned offer "
                "becomes a training event with its own id",
            )
        where = located.at("targets")
        targets = list(
            dict.fromkeys(
                references.resolve(item, "Profession", where, OFFERS.name) or item
                for item in offer.targets
            )
        )
        where = located.at("covers")
        covers = [
            _resolve_item(item, "Competency", where, OFFERS.name, references)
            for item in offer.covers
        ]
        resolved.append(
            offer.model_copy(
                update={"covers": _levelled_covers(covers, where, scales, log), "targets": targets}
            )
        )
    return resolved


def _levelled_covers(
    covers: list[str], where: Location, scales: _Scales, log: ProblemLog
) -> list[str]:
    """Covers (``c-1`` or ``c-1@Level``) with each level checked against its competency's
    framework and spelt as it spells it, each competency once at its highest level."""
    best: dict[str, tuple[Rank, str | None]] = {}
    for item in covers:
        competency, level = split_item(item)
        rank: Rank = UNSTATED
        if level is not None:
            spelling, problem = scales.check(level, competency)
            found = scales.of_competency(competency)
            if problem is not None:
                log.add(where, problem)
            elif spelling is not None and found is not None:
                level, rank = spelling, found[1].levels.index(spelling)
        if competency not in best or rank > best[competency][0]:
            best[competency] = (rank, level)
    return [join_item(competency, level) for competency, (_, level) in best.items()]


def _apply(
    changes: dict[str, dict[int, dict[str, Any]]], parsed: dict[str, list[_Located]]
) -> None:
    """Replace the changed rows of ``parsed`` by their updated copies."""
    for table, by_index in changes.items():
        rows = parsed[table]
        for index, update in by_index.items():
            located = rows[index]
            rows[index] = _Located(
                located.table, located.row, located.value.model_copy(update=update)
            )


def _resolve_item(
    item: str, label: str, where: Location, table: str, references: _References
) -> str:
    """A list item that may carry a value after ``@`` (``Recognise harm@Expert``), its
    reference resolved to an id and the value kept (``c-item@Expert``).

    An item that names a node whole (a name holding ``@``) is that node; otherwise
    the part before the last ``@`` is the reference and the part after it the value.
    """
    if ITEM_SEPARATOR in item and (whole := references.lookup(item, label)) is not None:
        return whole
    reference, value = split_item(item)
    resolved = references.resolve(reference, label, where, table) or reference
    return join_item(resolved, value.strip() if value is not None else None)


class _Scales:
    """Each framework's levels and each competency's framework, from the parsed rows."""

    @classmethod
    def of(cls, levels: Mapping[str, Sequence[str]], framework_of: Mapping[str, str]) -> _Scales:
        """The scales of a graph read elsewhere (a database): each framework's levels and
        each competency's framework."""
        scales = cls({"frameworks": [], "competencies": []})
        scales.levels = {framework: Scale(tuple(names)) for framework, names in levels.items()}
        scales.framework_of = dict(framework_of)
        return scales

    def __init__(self, parsed: Mapping[str, list[_Located]]) -> None:
        self.levels: dict[str, Scale] = {}
        for located in parsed["frameworks"]:
            framework = located.value
            assert isinstance(framework, Framework)
            try:
                self.levels.setdefault(framework.id, Scale(tuple(framework.levels)))
            except ValueError:  # repeated levels are reported on the row itself
                self.levels.setdefault(framework.id, Scale(()))
        self.framework_of: dict[str, str] = {}
        for located in parsed["competencies"]:
            competency = located.value
            assert isinstance(competency, Competency)
            self.framework_of.setdefault(competency.id, competency.framework)

    @property
    def any(self) -> bool:
        """Whether some framework states levels."""
        return any(self.levels.values())

    def of_competency(self, competency: str) -> tuple[str, Scale] | None:
        """The competency's framework and its levels, or None when either is unknown."""
        framework = self.framework_of.get(competency)
        if framework is None or framework not in self.levels:
            return None
        return framework, self.levels[framework]

    def check(self, level: str, competency: str) -> tuple[str | None, str | None]:
        """A level given for a competency: (the framework's spelling, None), or
        (None, what is wrong). An unknown competency passes as given (it is
        reported as unknown already)."""
        found = self.of_competency(competency)
        if found is None:
            return level, None
        framework, scale = found
        if not scale:
            return None, (
                f"level {level!r} given for {competency}, but its framework {framework} "
                "states no levels (give them in frameworks.csv, column levels)"
            )
        spelling = scale.spelling(level)
        if spelling is None:
            return None, (
                f"unknown level {level!r} of framework {framework} "
                f"({', '.join(scale.levels)})" + _level_suggestion(level, scale.levels)
            )
        return spelling, None


def _level_suggestion(level: str, levels: Iterable[str]) -> str:
    """``"; did you mean 'Expert'?"`` for the closest level names, case ignored."""
    by_folded = {fold(name): name for name in levels}
    matches = closest_matches(fold(level), by_folded)
    if not matches:
        return ""
    return "; did you mean " + " or ".join(repr(by_folded[match]) for match in matches) + "?"


def _check_levels(parsed: dict[str, list[_Located]], scales: _Scales, log: ProblemLog) -> None:
    """Levels name a level of the right framework; the framework's spelling is kept.

    A requirement's level and a ``covers`` item's level (``c-1@Expert``) are
    levels of the competency's framework; an event's ``level`` is a level of
    the framework of some competency it covers without a level of its own (of
    any framework, when every item carries its own). The same competency
    covered twice by one event keeps the higher level (no level < any level).
    """
    changes: dict[str, dict[int, dict[str, Any]]] = defaultdict(lambda: defaultdict(dict))
    for index, located in enumerate(parsed["requirements"]):
        requirement = located.value
        assert isinstance(requirement, Requirement)
        if requirement.level is None:
            continue
        spelling, problem = scales.check(requirement.level, requirement.competency)
        if problem is not None:
            log.add(located.at("level"), problem)
        elif spelling != requirement.level:
            changes["requirements"][index]["level"] = spelling
    for index, located in enumerate(parsed["training_events"]):
        event = located.value
        assert isinstance(event, TrainingEvent)
        if event.level is None and not any(ITEM_SEPARATOR in item for item in event.covers):
            continue  # no level to check, and each competency is listed once already
        update = _event_levels(event, located, scales, log)
        if update:
            changes["training_events"][index].update(update)
    _apply(changes, parsed)


def _event_levels(
    event: TrainingEvent, located: _Located, scales: _Scales, log: ProblemLog
) -> dict[str, Any]:
    """The event's covers and level with levels spelt as their frameworks spell them (and
    each competency once, at its highest level): the changed columns only."""
    update: dict[str, Any] = {}
    best: dict[str, tuple[Rank, str | None]] = {}
    plain: list[str] = []  # competencies covered without a level of their own
    for item in event.covers:
        competency, level = split_item(item)
        rank: Rank = UNSTATED
        if level is None:
            plain.append(competency)
        else:
            spelling, problem = scales.check(level, competency)
            found = scales.of_competency(competency)
            if problem is not None:
                log.add(located.at("covers"), problem)
            elif spelling is not None and found is not None:
                level = spelling
                rank = found[1].levels.index(spelling)
        if competency not in best or rank > best[competency][0]:
            best[competency] = (rank, level)
    covers = [join_item(competency, level) for competency, (_, level) in best.items()]
    if covers != event.covers:
        update["covers"] = covers
    if event.level is not None:
        candidates = [scales.of_competency(c) for c in plain] if plain else []
        frameworks = [found for found in candidates if found is not None]
        if not plain:
            frameworks = sorted(scales.levels.items())
        spelling = next(
            (s for _, scale in frameworks if (s := scale.spelling(event.level)) is not None), None
        )
        if spelling is None and frameworks:
            names = list(dict.fromkeys(level for _, scale in frameworks for level in scale.levels))
            where = "the frameworks of the competencies it covers" if plain else "any framework"
            if names:
                log.add(
                    located.at("level"),
                    f"unknown level {event.level!r}: not a level of {where} "
                    f"({', '.join(names)})" + _level_suggestion(event.level, names),
                )
            else:
                log.add(
                    located.at("level"),
                    f"level {event.level!r} given, but {where} state no levels "
                    "(give them in frameworks.csv, column levels)",
                )
        elif spelling is not None and spelling != event.level:
            update["level"] = spelling
    return update


def _add_grid_marks(
    grid: RawTable,
    spec: GridSpec,
    parsed: dict[str, list[_Located]],
    references: _References,
    scales: _Scales,
    changes: dict[str, dict[int, dict[str, Any]]],
    log: ProblemLog,
) -> None:
    """Add a grid's marked cells to its events' ``covers`` or ``targets`` (in ``changes``).

    A ``coverage_grid`` cell may hold a level of its competency's framework
    instead of a tick: the event covers that competency at that level.
    """
    if grid.header is not None and GRID_ROW_COLUMN not in grid.header:
        log.add(grid.location(grid.header_row, GRID_ROW_COLUMN), "required column is missing")
        return
    event_index = {
        located.value.id: index  # type: ignore[attr-defined]
        for index, located in enumerate(parsed["training_events"])
    }
    column_ids: dict[str, str | None] = {}

    def column_id(column: str, row: str) -> str | None:
        if column not in column_ids:
            # A sheet's column is checked once, on its header; a JSON row names its own.
            where = grid.location(grid.header_row if grid.header is not None else row, column)
            column_ids[column] = references.resolve(column, spec.label, where, grid.name)
        return column_ids[column]

    if grid.header is not None:
        for column in grid.header:
            if column != GRID_ROW_COLUMN:
                column_id(column, grid.header_row)
    marks = " ".join(TRUE_MARKS)
    levelled = spec.column == "covers"
    for raw in grid.rows:
        ticked: list[str] = []
        for column, cell in raw.cells.items():
            if column == GRID_ROW_COLUMN:
                continue
            mark = mark_value(cell)
            if mark is None and levelled and cell is not None:
                node_id = column_id(column, raw.row)
                if node_id is None:
                    continue
                level, problem = _grid_level(cell, node_id, scales, marks)
                if problem is not None:
                    log.add(grid.location(raw.row, column), problem)
                else:
                    ticked.append(join_item(node_id, level))
            elif mark is None:
                log.add(
                    grid.location(raw.row, column),
                    f"invalid mark {cell!r}: expected one of {marks} to add it, "
                    "or an empty cell, 0, n or no",
                )
            elif mark and (node_id := column_id(column, raw.row)) is not None:
                ticked.append(node_id)
        event = raw.cells.get(GRID_ROW_COLUMN)
        if event is None:
            if ticked:
                log.add(grid.location(raw.row, GRID_ROW_COLUMN), "required value is empty")
            continue
        event_id = references.resolve(
            event, "TrainingEvent", grid.location(raw.row, GRID_ROW_COLUMN), grid.name
        )
        if event_id is None or event_id not in event_index or not ticked:
            continue
        index = event_index[event_id]
        update = changes["training_events"][index]
        current = update.get(
            spec.column, getattr(parsed["training_events"][index].value, spec.column)
        )
        update[spec.column] = list(dict.fromkeys([*current, *ticked]))


def _grid_level(
    cell: str, competency: str, scales: _Scales, marks: str
) -> tuple[str | None, str | None]:
    """A coverage grid cell that is not a tick: (the level it names, None), or (None, why not)."""
    found = scales.of_competency(competency)
    scale = found[1] if found is not None else Scale(())
    spelling = scale.spelling(cell)
    if spelling is not None:
        return spelling, None
    expected = f"one of {marks} to add it"
    if scale:
        framework = found[0] if found is not None else ""
        expected += f", a level of {framework} ({', '.join(scale.levels)})"
    return None, (
        f"invalid mark {cell!r}: expected {expected}, or an empty cell, 0, n or no"
        + _level_suggestion(cell, scale.levels)
    )


def _parent_cycles(competencies: dict[str, _Located]) -> list[list[str]]:
    """Each loop in the parent chains once, starting at its smallest id."""
    parent = {
        node_id: located.value.parent  # type: ignore[attr-defined]
        for node_id, located in competencies.items()
    }
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = finished
    cycles: list[list[str]] = []
    for start in parent:
        walk: list[str] = []
        node: str | None = start
        while node is not None and node in parent and node not in state:
            state[node] = 1
            walk.append(node)
            node = parent[node]
        if node is not None and state.get(node) == 1:
            cycle = walk[walk.index(node) :]
            smallest = cycle.index(min(cycle))
            cycles.append(cycle[smallest:] + cycle[:smallest])
        for visited in walk:
            state[visited] = 2
    return sorted(cycles)
