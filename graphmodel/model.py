"""The domain model: enumerations, one pydantic model per dataset table, and
the relationships the tables' reference columns stand for.

Each table of the input contract (docs/data-and-loading.md) is one row model
below; its fields are the table's columns, in order, and a field without a
default is a required column. :data:`TABLES` maps table names to row models,
:data:`NODE_LABELS` maps the node tables to their graph labels, and
:data:`RELATIONSHIPS` says, for every reference column, which relationship
type it becomes, in which direction, and which node *owns* it (the node whose
row is the truth about that relationship when a dataset is loaded into Neo4j).

Example
-------
>>> from graphmodel.model import Evaluation
>>> Evaluation.BEHAVIOUR >= Evaluation.LEARNING
True
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Self, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    NonNegativeFloat,
    NonNegativeInt,
    model_validator,
)

# ---------------------------------------------------------------------------
# Enumerations


class Evaluation(StrEnum):
    """Kirkpatrick evaluation level of a training event, ordered none < ... < results."""

    NONE = "none"
    REACTION = "reaction"
    LEARNING = "learning"
    BEHAVIOUR = "behaviour"
    RESULTS = "results"

    @property
    def level(self) -> int:
        """The level's rank: 0 for none up to 4 for results."""
        return _EVALUATION_LEVELS[self]

    # A StrEnum compares as text ("behaviour" < "learning"), which is wrong for
    # levels, so the order is defined by rank instead.
    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Evaluation):
            return NotImplemented
        return self.level < other.level

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Evaluation):
            return NotImplemented
        return self.level <= other.level

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Evaluation):
            return NotImplemented
        return self.level > other.level

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Evaluation):
            return NotImplemented
        return self.level >= other.level

    __hash__ = StrEnum.__hash__


_EVALUATION_LEVELS = {level: rank for rank, level in enumerate(Evaluation)}


class EventStatus(StrEnum):
    """Status of a training event."""

    PLANNED = "planned"
    RUNNING = "running"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class InitiativeStatus(StrEnum):
    """Status of an initiative."""

    PROPOSED = "proposed"
    ACTIVE = "active"
    COMPLETED = "completed"
    STOPPED = "stopped"


class Delivery(StrEnum):
    """How a training event is delivered."""

    CLASSROOM = "classroom"
    E_LEARNING = "e-learning"
    BLENDED = "blended"
    WORKSHOP = "workshop"
    CONFERENCE = "conference"
    PLACEMENT = "placement"
    COACHING = "coaching"
    OTHER = "other"


class Sector(StrEnum):
    """Sector of an organisation."""

    STATUTORY = "statutory"
    NHS = "nhs"
    VOLUNTARY = "voluntary"
    INDEPENDENT = "independent"
    EDUCATION = "education"
    PARTNERSHIP = "partnership"
    OTHER = "other"


class DriverKind(StrEnum):
    """Kind of policy driver."""

    LEGISLATION = "legislation"
    POLICY = "policy"
    INQUIRY = "inquiry"
    REGULATION = "regulation"
    STRATEGY = "strategy"
    FUNDING = "funding"
    OTHER = "other"


class Priority(StrEnum):
    """How much a profession needs a competency."""

    ESSENTIAL = "essential"
    DESIRABLE = "desirable"

    @property
    def weight(self) -> float:
        """Weight of a gap at this priority: essential 1.0, desirable 0.5."""
        return 1.0 if self is Priority.ESSENTIAL else 0.5


# ---------------------------------------------------------------------------
# Cell types

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Dates as people type them in the UK: 01/04/2025, 1-4-25, 01.04.2025 (day first).
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")
_YEAR_FIRST = re.compile(r"(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})")
_WORDED_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%d %B, %Y", "%B %d, %Y")


def _suggested_iso_date(text: str) -> str | None:
    """The ISO date a non-ISO date text most likely means, read day-first, or None."""
    text = text.strip()
    match = _DAY_FIRST.fullmatch(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:
            year += 2000
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return None
    match = _YEAR_FIRST.fullmatch(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return None
    # A date and time written as text ("2025-04-01 00:00:00", as some tools export).
    if _ISO_DATE.match(text) and len(text) > 10 and text[10] in " T":
        return text[:10]
    for pattern in _WORDED_DATE_FORMATS:
        try:
            return dt.datetime.strptime(" ".join(text.split()), pattern).date().isoformat()
        except ValueError:
            continue
    return None


def _parse_iso_date(value: Any) -> Any:
    """Accept only ``YYYY-MM-DD`` text (or a date) that names a real calendar day.

    Other text is refused with the ISO date it most likely means, read day-first
    as in the UK (``01/04/2025`` suggests ``2025-04-01``).
    """
    if isinstance(value, dt.datetime):
        raise ValueError(f"expected a date YYYY-MM-DD, got a date and time {value.isoformat()!r}")
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        message = f"expected an ISO date YYYY-MM-DD, got {value!r}"
        suggestion = _suggested_iso_date(value) if isinstance(value, str) else None
        if suggestion is not None:
            message += f"; did you mean {suggestion!r}"
            message += " (read day-first)?" if _DAY_FIRST.fullmatch(value.strip()) else "?"
        raise ValueError(message)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a real calendar date") from None


# A number as spreadsheets show it: an optional pound sign, thousands
# separated by commas in threes, optional decimals ("£18,000", "1,500.50").
_NUMBER_TEXT = re.compile(r"-?£?\s*(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


def _parse_number(value: Any) -> Any:
    """Read ``240.0``, ``18,000`` and ``£18,000`` as the numbers they show.

    A whole number written with decimals (``240.0``) becomes an ``int``, so a
    whole-number column accepts it; anything else is left for the field's own
    type to accept or refuse.

    Example
    -------
    >>> _parse_number("£18,000"), _parse_number("240.0"), _parse_number("1,500.50")
    (18000, 240, 1500.5)
    """
    if not isinstance(value, str) or not _NUMBER_TEXT.fullmatch(value.strip()):
        return value
    number = float(value.replace("£", "").replace(",", "").replace(" ", ""))
    return int(number) if number.is_integer() else number


def _split_list(value: Any, what: str) -> Any:
    """Turn ``"a;b"`` into ``["a", "b"]``: blanks dropped, repeats kept once, order kept."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(";")
    if isinstance(value, list | tuple):
        seen: dict[str, None] = {}
        for item in value:
            if not isinstance(item, str):
                raise ValueError(f"expected {what} separated by ';', got {item!r}")
            item = item.strip()
            if item:
                seen.setdefault(item, None)
        return list(seen)
    return value


def _split_ids(value: Any) -> Any:
    """Turn ``"a;b"`` into ``["a", "b"]``: blanks dropped, repeats kept once, order kept."""
    return _split_list(value, "ids")


def _split_labels(value: Any) -> Any:
    """Alternative labels, ``"a;b"`` -> ``["a", "b"]``, like a list of ids."""
    return _split_list(value, "labels")


def _check_id(value: Any) -> Any:
    if isinstance(value, str) and ";" in value:
        raise ValueError(f"an id cannot contain ';', got {value!r}")
    return value


#: Separates a list item's id from the value its relationship carries: ``c-1@Expert``
#: in a training event's ``covers`` is a cover of ``c-1`` at level ``Expert``.
ITEM_SEPARATOR = "@"


def split_item(item: str) -> tuple[str, str | None]:
    """A list item as its id and the value after ``@`` (``None`` without one).

    Example
    -------
    >>> split_item("c-1@Expert"), split_item("c-1")
    (('c-1', 'Expert'), ('c-1', None))
    """
    if ITEM_SEPARATOR not in item:
        return item, None
    node, _, value = item.rpartition(ITEM_SEPARATOR)
    return node, value


def join_item(node: str, value: str | None) -> str:
    """The list item for an id and an optional value: the reverse of :func:`split_item`."""
    return node if value is None else f"{node}{ITEM_SEPARATOR}{value}"


def _check_competency_id(value: Any) -> Any:
    if isinstance(value, str) and ITEM_SEPARATOR in value:
        raise ValueError(
            f"a competency id cannot contain '{ITEM_SEPARATOR}', which separates a cover's "
            f"level in covers (c-1@Expert), got {value!r}"
        )
    return value


def _split_levels(value: Any) -> Any:
    """A framework's levels, ``"A;B;C"`` -> ``["A", "B", "C"]``, lowest first, each once.

    Unlike a list of ids, the order is the scale's and a repeat is an error:
    names are unique with case ignored.
    """
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(";")
    if not isinstance(value, list | tuple):
        return value
    levels: list[str] = []
    seen: dict[str, str] = {}
    for item in value:
        if not isinstance(item, str):
            raise ValueError(f"expected level names separated by ';', got {item!r}")
        item = item.strip()
        if not item:
            continue
        if ITEM_SEPARATOR in item:
            raise ValueError(
                f"a level name cannot contain '{ITEM_SEPARATOR}' (it separates a cover's "
                f"level in covers), got {item!r}"
            )
        folded = item.casefold()
        if folded in seen:
            raise ValueError(f"level {item!r} is given twice (as {seen[folded]!r})")
        seen[folded] = item
        levels.append(item)
    return levels


class Ordered:
    """Marks a list column whose order means something (a framework's levels, lowest
    first): :meth:`Dataset.normalised` keeps it as it is instead of sorting it."""


IsoDate = Annotated[dt.date, BeforeValidator(_parse_iso_date)]
WholeNumber = Annotated[NonNegativeInt, BeforeValidator(_parse_number)]
Money = Annotated[NonNegativeFloat, BeforeValidator(_parse_number)]
IdList = Annotated[list[str], BeforeValidator(_split_ids)]
#: Alternative labels (other names of the same thing), separated by ``;`` in a cell.
LabelList = Annotated[list[str], BeforeValidator(_split_labels)]
NodeId = Annotated[str, BeforeValidator(_check_id), Field(min_length=1)]
CompetencyId = Annotated[NodeId, BeforeValidator(_check_competency_id)]
Text = Annotated[str, Field(min_length=1)]
#: A framework's proficiency levels, lowest first, separated by ``;`` in a cell.
LevelList = Annotated[list[str], BeforeValidator(_split_levels), Ordered()]
#: A level's name (checked against its framework's levels when the dataset is validated).
LevelName = Annotated[str, Field(min_length=1)]


# ---------------------------------------------------------------------------
# Row models


class Row(BaseModel):
    """Base of every table row: unknown columns are an error, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class _Dated(Row):
    """A row with an optional period; an end needs a start and is not before it."""

    # Declared for the type checker only: each subclass declares the two
    # fields itself, so that they sit in its own column order (id first).
    if TYPE_CHECKING:
        start_date: dt.date | None
        end_date: dt.date | None

    @model_validator(mode="after")
    def _end_after_start(self) -> Self:
        if self.end_date is not None:
            if self.start_date is None:
                raise ValueError("end_date is given without a start_date")
            if self.end_date < self.start_date:
                raise ValueError(f"end_date {self.end_date} is before start_date {self.start_date}")
        return self


class Framework(Row):
    """A published competency framework, with its proficiency levels if it states them.

    ``levels`` are lowest first (``Awareness;Working;Practitioner;Expert``);
    a framework without levels works as if levels did not exist
    (docs/coverage.md).
    """

    id: NodeId
    name: Text
    publisher: str | None = None
    version: str | None = None
    levels: LevelList = []


class Competency(Row):
    """A competency (an area or an item) of a framework.

    ``alt_labels`` are other names the framework gives the same competency
    (ESCO's alternative labels, a CASE item's ``alternativeLabel``); the
    crosswalk matches on them as well as on the name.
    """

    id: CompetencyId
    name: Text
    framework: NodeId
    parent: NodeId | None = None
    description: str | None = None
    equivalent_to: IdList = []
    alt_labels: LabelList = []


class Profession(Row):
    """A profession (a role in the workforce)."""

    id: NodeId
    name: Text
    sector: str | None = None
    description: str | None = None


class Requirement(Row):
    """A profession requires a competency, at a priority, and at a level of the
    competency's framework where one is given (``None``: any cover will do)."""

    profession: NodeId
    competency: NodeId
    priority: Priority = Priority.ESSENTIAL
    level: LevelName | None = None


class Organisation(Row):
    """An organisation; a partnership is an organisation others are members of."""

    id: NodeId
    name: Text
    sector: Sector | None = None
    member_of: IdList = []


class WorkforceEntry(Row):
    """How many people of a profession an organisation employs."""

    organisation: NodeId
    profession: NodeId
    headcount: WholeNumber


class TrainingEvent(_Dated):
    """A training event: what it covers, for whom, who leads it, how it is evaluated.

    A ``covers`` item may carry its level, ``c-1@Expert``; ``level`` is the
    level of the items that carry none, wherever the competency's framework
    has a level of that name (docs/coverage.md).
    """

    id: NodeId
    title: Text
    lead_organisation: NodeId | None = None
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None
    delivery: Delivery | None = None
    places: WholeNumber | None = None
    cost: Money | None = None
    evaluation: Evaluation = Evaluation.NONE
    status: EventStatus = EventStatus.PLANNED
    targets: IdList = []
    covers: IdList = []
    initiative: NodeId | None = None
    level: LevelName | None = None


class Offer(Row):
    """A training offer a provider could deliver if commissioned (``graphmodel plan``).

    Not part of the graph: a commissioned offer becomes a training event
    (with the offer's id) that targets ``targets`` and covers ``covers``.
    ``provider`` is who would deliver it: an organisation's id or name, or
    any text for a provider outside the exercise.
    """

    id: NodeId
    title: Text
    provider: str | None = None
    covers: IdList = []
    targets: IdList = []
    cost: Money
    places: WholeNumber | None = None


class Initiative(_Dated):
    """A partner's initiative: a strategy, action-plan item, campaign, working group..."""

    id: NodeId
    title: Text
    description: str | None = None
    kind: str | None = None
    lead_organisation: NodeId | None = None
    partners: IdList = []
    status: InitiativeStatus = InitiativeStatus.ACTIVE
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None
    budget: Money | None = None
    targets: IdList = []
    addresses: IdList = []
    responds_to: IdList = []
    builds_on: IdList = []


class Driver(Row):
    """A policy driver: legislation, an inquiry, a strategy, a funding stream..."""

    id: NodeId
    name: Text
    kind: DriverKind | None = None
    issued: IsoDate | None = None
    description: str | None = None


class Dataset(BaseModel):
    """A whole mapping exercise: one list of rows per table.

    A ``Dataset`` built directly is only checked row by row; use
    :func:`graphmodel.dataset.validate` (or a reader) for the cross-table
    rules (unique ids, references, parent loops).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    frameworks: list[Framework] = Field(default_factory=list)
    competencies: list[Competency] = Field(default_factory=list)
    professions: list[Profession] = Field(default_factory=list)
    requirements: list[Requirement] = Field(default_factory=list)
    organisations: list[Organisation] = Field(default_factory=list)
    workforce: list[WorkforceEntry] = Field(default_factory=list)
    training_events: list[TrainingEvent] = Field(default_factory=list)
    initiatives: list[Initiative] = Field(default_factory=list)
    drivers: list[Driver] = Field(default_factory=list)
    #: Offers that could be commissioned (an optional table; not part of the graph).
    offers: list[Offer] = Field(default_factory=list)

    def table(self, name: str) -> list[Row]:
        """The rows of table ``name`` (for example ``"competencies"``)."""
        rows: list[Row] = getattr(self, name)
        return rows

    def normalised(self) -> Dataset:
        """A copy with rows sorted by key and id lists sorted, for order-free comparison."""
        tables: dict[str, list[Row]] = {}
        for name, spec in [*TABLES.items(), (OFFERS.name, OFFERS)]:
            rows = []
            for row in self.table(name):
                sorted_lists = {
                    column: sorted(getattr(row, column))
                    for column in spec.list_columns
                    if column not in spec.ordered_columns
                }
                rows.append(row.model_copy(update=sorted_lists))
            tables[name] = sorted(rows, key=spec.key_of)
        return Dataset.model_validate(tables)


# ---------------------------------------------------------------------------
# Table and relationship registry


@dataclass(frozen=True)
class TableSpec:
    """What a dataset table is: its row model, key columns and graph label."""

    name: str
    model: type[Row]
    key: tuple[str, ...]
    label: str | None = None  # None for the pair tables (requirements, workforce)

    @property
    def columns(self) -> list[str]:
        """Every column, in order."""
        return list(self.model.model_fields)

    @property
    def required_columns(self) -> list[str]:
        """The columns that must be present and non-empty."""
        return [name for name, field in self.model.model_fields.items() if field.is_required()]

    @property
    def list_columns(self) -> list[str]:
        """The columns that hold several values separated by ``;`` (ids, or alternative labels)."""
        return [
            name for name, field in self.model.model_fields.items() if field.annotation == list[str]
        ]

    @property
    def choices(self) -> dict[str, list[str]]:
        """The allowed values of each enumerated column."""
        found: dict[str, list[str]] = {}
        for name, field in self.model.model_fields.items():
            for argument in get_args(field.annotation) or (field.annotation,):
                if isinstance(argument, type) and issubclass(argument, StrEnum):
                    found[name] = [member.value for member in argument]
        return found

    @property
    def ordered_columns(self) -> list[str]:
        """The list columns whose order is meaningful (a framework's levels)."""
        return [
            name
            for name, field in self.model.model_fields.items()
            if any(isinstance(item, Ordered) for item in field.metadata)
        ]

    def key_of(self, row: Row) -> tuple[str, ...]:
        """The row's key values, such as ``("te-1",)`` or ``("p-sw", "c-1")``."""
        return tuple(str(getattr(row, column)) for column in self.key)


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec("frameworks", Framework, ("id",), "Framework"),
        TableSpec("competencies", Competency, ("id",), "Competency"),
        TableSpec("professions", Profession, ("id",), "Profession"),
        TableSpec("requirements", Requirement, ("profession", "competency")),
        TableSpec("organisations", Organisation, ("id",), "Organisation"),
        TableSpec("workforce", WorkforceEntry, ("organisation", "profession")),
        TableSpec("training_events", TrainingEvent, ("id",), "TrainingEvent"),
        TableSpec("initiatives", Initiative, ("id",), "Initiative"),
        TableSpec("drivers", Driver, ("id",), "Driver"),
    )
}

#: The optional ``offers`` table: read and validated with a dataset, but not part of
#: the graph (a database holds none); ``graphmodel plan`` commissions from it.
OFFERS = TableSpec("offers", Offer, ("id",))

#: Node label of each node table, in load order.
NODE_LABELS: dict[str, str] = {
    name: spec.label for name, spec in TABLES.items() if spec.label is not None
}
#: Table of each node label.
LABEL_TABLES: dict[str, str] = {label: table for table, label in NODE_LABELS.items()}


@dataclass(frozen=True)
class RelationshipSpec:
    """How one reference column of one table becomes relationships.

    Attributes
    ----------
    type
        The relationship type, such as ``"COVERS"``.
    table
        The table holding the reference.
    column
        The column holding the referenced id (or ``;``-separated ids).
    owner_column
        The column naming the node the row is about (``"id"`` for node tables,
        ``"profession"`` for requirements, ``"organisation"`` for workforce).
    owner_label, other_label
        Labels of the owning node and of the referenced node.
    owner_is_source
        True when the relationship points from the owner to the referenced
        node (``COVERS``), False when it points the other way (``LEADS``: the
        event's ``lead_organisation`` column gives Organisation -> event).
    properties
        Row columns stored on the relationship (``priority``, ``headcount``).
    item_property
        For a list column whose items may carry a value after ``@``
        (``c-1@Expert``), the relationship property that value is stored as
        (``level``); see :func:`split_item`.
    """

    type: str
    table: str
    column: str
    owner_column: str
    owner_label: str
    other_label: str
    owner_is_source: bool = True
    properties: tuple[str, ...] = ()
    item_property: str | None = None

    @property
    def has_properties(self) -> bool:
        """Whether these relationships may carry properties."""
        return bool(self.properties) or self.item_property is not None

    def item(self, item: str) -> tuple[str, dict[str, Any]]:
        """A list item of :attr:`column` as the id it names and its relationship's properties.

        Example
        -------
        >>> covers = next(s for s in RELATIONSHIPS if s.type == "COVERS")
        >>> covers.item("c-1@Expert"), covers.item("c-1")
        (('c-1', {'level': 'Expert'}), ('c-1', {}))
        """
        if self.item_property is None:
            return item, {}
        node, value = split_item(item)
        return node, ({} if value is None else {self.item_property: value})

    @property
    def source_label(self) -> str:
        """Label at the start of the relationship."""
        return self.owner_label if self.owner_is_source else self.other_label

    @property
    def target_label(self) -> str:
        """Label at the end of the relationship."""
        return self.other_label if self.owner_is_source else self.owner_label

    @property
    def statement(self) -> str:
        """Name of the Cypher file that writes these relationships."""
        return f"relate_{self.type.lower()}_{self.table}"


RELATIONSHIPS: tuple[RelationshipSpec, ...] = (
    RelationshipSpec("IN_FRAMEWORK", "competencies", "framework", "id", "Competency", "Framework"),
    RelationshipSpec("PART_OF", "competencies", "parent", "id", "Competency", "Competency"),
    RelationshipSpec(
        "EQUIVALENT_TO", "competencies", "equivalent_to", "id", "Competency", "Competency"
    ),
    RelationshipSpec(
        "REQUIRES",
        "requirements",
        "competency",
        "profession",
        "Profession",
        "Competency",
        properties=("priority", "level"),
    ),
    RelationshipSpec(
        "EMPLOYS",
        "workforce",
        "profession",
        "organisation",
        "Organisation",
        "Profession",
        properties=("headcount",),
    ),
    RelationshipSpec(
        "MEMBER_OF", "organisations", "member_of", "id", "Organisation", "Organisation"
    ),
    RelationshipSpec(
        "LEADS",
        "training_events",
        "lead_organisation",
        "id",
        "TrainingEvent",
        "Organisation",
        owner_is_source=False,
    ),
    RelationshipSpec(
        "LEADS",
        "initiatives",
        "lead_organisation",
        "id",
        "Initiative",
        "Organisation",
        owner_is_source=False,
    ),
    RelationshipSpec(
        "PARTNER_IN",
        "initiatives",
        "partners",
        "id",
        "Initiative",
        "Organisation",
        owner_is_source=False,
    ),
    RelationshipSpec("TARGETS", "training_events", "targets", "id", "TrainingEvent", "Profession"),
    RelationshipSpec("TARGETS", "initiatives", "targets", "id", "Initiative", "Profession"),
    RelationshipSpec(
        "COVERS",
        "training_events",
        "covers",
        "id",
        "TrainingEvent",
        "Competency",
        item_property="level",
    ),
    RelationshipSpec("ADDRESSES", "initiatives", "addresses", "id", "Initiative", "Competency"),
    RelationshipSpec("RESPONDS_TO", "initiatives", "responds_to", "id", "Initiative", "Driver"),
    RelationshipSpec("BUILDS_ON", "initiatives", "builds_on", "id", "Initiative", "Initiative"),
    RelationshipSpec(
        "DELIVERS",
        "training_events",
        "initiative",
        "id",
        "TrainingEvent",
        "Initiative",
        owner_is_source=False,
    ),
)

#: Every relationship type, in a fixed order.
RELATIONSHIP_TYPES: tuple[str, ...] = tuple(dict.fromkeys(spec.type for spec in RELATIONSHIPS))

#: Columns that are stored as relationships rather than node properties.
REFERENCE_COLUMNS: dict[str, frozenset[str]] = {
    table: frozenset(spec.column for spec in RELATIONSHIPS if spec.table == table)
    for table in TABLES
}


def plain(value: Any) -> Any:
    """An enumeration member as its text; any other value as it is."""
    return value.value if isinstance(value, StrEnum) else value


def node_properties(table: str, row: Row) -> dict[str, Any]:
    """The properties a row gives its node: every given column that is not a reference.

    Example
    -------
    >>> node_properties("frameworks", Framework(id="fw-1", name="Core"))
    {'id': 'fw-1', 'name': 'Core'}
    """
    skip = REFERENCE_COLUMNS[table]
    properties: dict[str, Any] = {}
    for column, value in row:
        # An empty list (no alternative labels) is "not given", like None.
        if column in skip or value is None or value == []:
            continue
        properties[column] = plain(value)
    return properties


def label_name(label: str) -> str:
    """A label in words: ``"TrainingEvent"`` -> ``"training event"``."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", label).lower()
