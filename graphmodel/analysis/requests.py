"""Every analysis as a request: its options, defined once, and how it runs.

Both front doors build the same request. The command line turns a
request's fields into options (``--min-evaluation``) and the explorer's API
into query parameters (``min_evaluation``); both run :meth:`Analysis.run`
and print or return :meth:`Analysis.to_json`, so ``graphmodel gaps SOURCE
--format json`` and ``GET /api/gaps`` give the same document for the same
options and cannot drift apart.

A field's name, or its alias where the name would be a Python keyword
(``from``), is its query parameter; the option is the same with ``-`` for
``_``. Validation is pydantic's on both sides. Checks across fields raise
``ValueError`` with a message naming the options as the command line spells
them (``--driver``); the API rewrites those to its parameter names.

Example
-------
>>> request = GapsRequest.model_validate({"from": "2026-01-01", "profession": ["p-teacher"]})
>>> request.query().events.date_from, request.query().professions
(datetime.date(2026, 1, 1), ('p-teacher',))
>>> sorted(ANALYSES)[:4]
['brokers', 'coverage', 'duplicates', 'explain']
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graphmodel.analysis.brokers import Brokers, brokers
from graphmodel.analysis.coverage import (
    CoverageQuery,
    coverage_matrix,
    explain,
    gaps,
    uncovered,
)
from graphmodel.analysis.duplicates import (
    DEFAULT_THRESHOLD,
    DuplicateQuery,
    DuplicateReport,
    find_duplicates,
)
from graphmodel.analysis.links import MATCH_FLOOR, DriverReach, InitiativeLinks, LinkIndex, WhatIf
from graphmodel.analysis.paths import DEFAULT_MAX_HOPS, PathResult, shortest_path
from graphmodel.analysis.provision import (
    DEFAULT_MIN_OVERLAP,
    OverlapGroup,
    ProvisionQuery,
    overlapping_provision,
)
from graphmodel.backends.base import MAX_PATH_HOPS, GraphBackend
from graphmodel.graph import GraphCounts
from graphmodel.model import Evaluation, InitiativeStatus, Priority
from graphmodel.projections import EventFilter, InitiativeFilter


@dataclass(frozen=True)
class OptionSpec:
    """How the command line shows a field (pydantic keeps this in the field's metadata).

    Parameters
    ----------
    metavar
        The placeholder in ``--help`` (``ID``, ``DATE``).
    negative
        For a ``bool | None`` field, the option that sets it ``False``
        (``different-lead`` beside ``same-lead``).
    argument
        A positional argument rather than an option (``path A B``).
    short
        A one-letter name beside the long one (``o`` for ``-o/--out``).
    """

    metavar: str | None = None
    negative: str | None = None
    argument: bool = False
    short: str | None = None


class Analysis(BaseModel):
    """The options of one analysis, validated; :meth:`run` answers it on a backend."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    #: The command (and ``/api/<command>`` endpoint) this request belongs to.
    command: ClassVar[str]

    def run(self, backend: GraphBackend) -> Any:
        """Answer the request on ``backend``: the result the command line prints."""
        raise NotImplementedError

    def to_json(self, result: Any) -> dict[str, Any]:
        """The JSON document of a result (what ``--format json`` prints)."""
        return dict(result)

    def payload(self, backend: GraphBackend) -> dict[str, Any]:
        """Run the request and give its JSON document."""
        return self.to_json(self.run(backend))


class StatsRequest(Analysis):
    """``stats``: nodes per label and relationships per type."""

    command: ClassVar[str] = "stats"

    def run(self, backend: GraphBackend) -> GraphCounts:
        return backend.counts()

    def to_json(self, result: GraphCounts) -> dict[str, Any]:
        return {"nodes": result.nodes, "relationships": result.relationships}


# -- coverage -------------------------------------------------------------------

Ids = Annotated[list[str], OptionSpec(metavar="ID")]
Date = Annotated[dt.date | None, OptionSpec(metavar="DATE")]


class CoverageFilters(Analysis):
    """The filters every coverage analysis takes: which events are active, which requirements."""

    date_from: Date = Field(
        default=None,
        alias="from",
        description="Count events running on or after this date (YYYY-MM-DD).",
    )
    date_to: Date = Field(
        default=None,
        alias="to",
        description="Count events starting on or before this date (YYYY-MM-DD).",
    )
    min_evaluation: Evaluation = Field(
        default=Evaluation.NONE,
        description="Count only events evaluated at least at this Kirkpatrick level.",
    )
    profession: Ids = Field(
        default_factory=list, description="Only these professions (repeatable)."
    )
    framework: Ids = Field(
        default_factory=list, description="Only competencies of these frameworks (repeatable)."
    )
    priority: Priority | None = Field(
        default=None, description="Only requirements of this priority."
    )

    def query(self) -> CoverageQuery:
        """The coverage question these filters ask."""
        return CoverageQuery(
            EventFilter(self.date_from, self.date_to, self.min_evaluation),
            professions=tuple(self.profession),
            frameworks=tuple(self.framework),
            priority=self.priority,
        )


Limit = Annotated[int | None, Field(ge=0)]


class GapsRequest(CoverageFilters):
    """``gaps``: requirements not covered by the active training that targets the profession."""

    command: ClassVar[str] = "gaps"

    limit: Limit = Field(default=None, description="List at most this many rows.")

    def run(self, backend: GraphBackend) -> dict[str, Any]:
        return gaps(backend, self.query(), self.limit)


class UncoveredRequest(CoverageFilters):
    """``uncovered``: competencies no active event covers."""

    command: ClassVar[str] = "uncovered"

    limit: Limit = Field(default=None, description="List at most this many rows.")

    def run(self, backend: GraphBackend) -> dict[str, Any]:
        return uncovered(backend, self.query(), self.limit)


class CoverageRequest(CoverageFilters):
    """``coverage``: professions by competency areas, the share of required items covered."""

    command: ClassVar[str] = "coverage"

    def run(self, backend: GraphBackend) -> dict[str, Any]:
        return coverage_matrix(backend, self.query())


class ExplainRequest(CoverageFilters):
    """``explain``: is a competency covered for a profession, and why (or what comes close)."""

    command: ClassVar[str] = "explain"

    competency: Annotated[str, OptionSpec(metavar="ID")] = Field(
        description="The competency to explain."
    )

    @model_validator(mode="after")
    def _one_profession(self) -> ExplainRequest:
        if len(self.profession) != 1:
            raise ValueError("explain needs exactly one --profession")
        return self

    def run(self, backend: GraphBackend) -> dict[str, Any]:
        return explain(backend, self.query(), self.profession[0], self.competency)


# -- initiatives: duplicates, links, brokers ---------------------------------------

Statuses = Annotated[list[InitiativeStatus], OptionSpec()]


class InitiativeSelection(Analysis):
    """Which initiatives take part: ``--status``, ``--from``, ``--to``."""

    status: Statuses = Field(
        default_factory=list,
        description="Only initiatives of this status (repeatable) [default: all].",
    )
    date_from: Date = Field(
        default=None,
        alias="from",
        description="Only initiatives running on or after this date (YYYY-MM-DD).",
    )
    date_to: Date = Field(
        default=None,
        alias="to",
        description="Only initiatives starting on or before this date (YYYY-MM-DD).",
    )

    def initiatives(self) -> InitiativeFilter:
        """The initiative filter these options give."""
        return InitiativeFilter(
            tuple(sorted(set(self.status))) or None, self.date_from, self.date_to
        )


@dataclass(frozen=True)
class DuplicatesResult:
    """What ``duplicates`` found: initiative pairs, overlapping training, or both."""

    report: DuplicateReport | None
    overlaps: list[OverlapGroup] | None


class DuplicatesRequest(InitiativeSelection):
    """``duplicates``: initiatives that repeat each other, and overlapping training provision."""

    command: ClassVar[str] = "duplicates"

    kind: Literal["initiatives", "training", "all"] = Field(
        default="initiatives",
        description="Duplicated initiatives, overlapping training provision, or both.",
    )
    threshold: float = Field(
        default=DEFAULT_THRESHOLD,
        ge=0.0,
        le=1.0,
        description="Report initiative pairs scoring at least this.",
    )
    same_lead: Annotated[bool | None, OptionSpec(negative="different-lead")] = Field(
        default=None,
        description="Only pairs with the same lead organisation, or only pairs with different "
        "leads [default: both].",
    )
    date_from: Date = Field(
        default=None,
        alias="from",
        description="Only initiatives and events running on or after this date (YYYY-MM-DD).",
    )
    date_to: Date = Field(
        default=None,
        alias="to",
        description="Only initiatives and events starting on or before this date (YYYY-MM-DD).",
    )
    min_overlap: float = Field(
        default=DEFAULT_MIN_OVERLAP,
        gt=0.0,
        le=1.0,
        description="Training: the share of competencies and of professions two events must "
        "have in common (Jaccard index).",
    )

    def run(self, backend: GraphBackend) -> DuplicatesResult:
        report = overlaps = None
        if self.kind in ("initiatives", "all"):
            query = DuplicateQuery(self.threshold, self.same_lead, self.initiatives())
            report = find_duplicates(backend, query)
        if self.kind in ("training", "all"):
            events = EventFilter(self.date_from, self.date_to, Evaluation.NONE)
            overlaps = overlapping_provision(backend, ProvisionQuery(events, self.min_overlap))
        return DuplicatesResult(report, overlaps)

    def to_json(self, result: DuplicatesResult) -> dict[str, Any]:
        payload: dict[str, Any] = {}
        if result.report is not None:
            payload.update(result.report.to_json())
        if result.overlaps is not None:
            payload["overlaps"] = [group.to_json() for group in result.overlaps]
        return payload


class LinksRequest(InitiativeSelection):
    """``links``: a driver's reach, an initiative's links, or what a new driver's text links to."""

    command: ClassVar[str] = "links"

    driver: Annotated[str | None, OptionSpec(metavar="ID")] = Field(
        default=None, description="A driver: who responds, what they touch, who else."
    )
    initiative: Annotated[str | None, OptionSpec(metavar="ID")] = Field(
        default=None,
        description="An initiative: its BUILDS_ON links, related initiatives, missing links.",
    )
    text: Annotated[str | None, OptionSpec(metavar="TEXT")] = Field(
        default=None,
        description="What if: a driver not in the data yet, as free text (e.g. an inquiry's "
        "summary).",
    )
    limit: Limit = Field(
        default=None,
        description="List at most this many candidates (related initiatives, suggestions).",
    )
    min_similarity: float = Field(
        default=MATCH_FLOOR,
        gt=0.0,
        le=1.0,
        description="--text: the least text similarity for a driver, initiative or competency "
        "to match.",
    )
    matches: int = Field(
        default=5, ge=1, description="--text: at most this many matches of each kind."
    )

    @model_validator(mode="after")
    def _one_subject(self) -> LinksRequest:
        given = [value for value in (self.driver, self.initiative, self.text) if value is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of --driver, --initiative, --text")
        if self.text is not None and not self.text.strip():
            raise ValueError("--text is empty; give the new driver's summary")
        return self

    def run(self, backend: GraphBackend) -> DriverReach | InitiativeLinks | WhatIf:
        index = LinkIndex(backend, self.initiatives())
        if self.driver is not None:
            return index.reach(self.driver, self.limit)
        if self.initiative is not None:
            return index.related(self.initiative, self.limit)
        assert self.text is not None
        return index.what_if(self.text, self.limit, self.min_similarity, self.matches)

    def to_json(self, result: DriverReach | InitiativeLinks | WhatIf) -> dict[str, Any]:
        return result.to_json()


class BrokersRequest(InitiativeSelection):
    """``brokers``: who holds the partnership network together (betweenness)."""

    command: ClassVar[str] = "brokers"

    kind: Literal["organisation", "initiative"] | None = Field(
        default=None, description="Only organisations, or only initiatives [default: both]."
    )
    limit: Limit = Field(default=None, description="List at most this many.")
    sample: int | None = Field(
        default=None,
        ge=1,
        description="Estimate betweenness from this many sampled sources, for networks far "
        "beyond national size [default: exact].",
    )
    exact: bool = Field(default=False, description="Exact betweenness (the default).")

    @model_validator(mode="after")
    def _sample_or_exact(self) -> BrokersRequest:
        if self.exact and self.sample is not None:
            raise ValueError("give --sample or --exact, not both")
        return self

    def run(self, backend: GraphBackend) -> Brokers:
        return brokers(backend, self.initiatives(), self.kind, self.limit, self.sample, self.exact)

    def to_json(self, result: Brokers) -> dict[str, Any]:
        return result.to_json()


class PathRequest(Analysis):
    """``path``: the shortest explained chain between any two nodes."""

    command: ClassVar[str] = "path"

    a: Annotated[str, OptionSpec(metavar="A", argument=True)] = Field(
        description="The node the chain starts from (any id)."
    )
    b: Annotated[str, OptionSpec(metavar="B", argument=True)] = Field(
        description="The node the chain ends at (any id)."
    )
    max_hops: int = Field(
        default=DEFAULT_MAX_HOPS,
        ge=1,
        le=MAX_PATH_HOPS,
        description=f"The longest chain to look for (at most {MAX_PATH_HOPS} relationships).",
    )
    all: bool = Field(default=False, description="Every shortest chain, not only the first.")

    def run(self, backend: GraphBackend) -> PathResult:
        return shortest_path(backend, self.a, self.b, self.max_hops, self.all)

    def to_json(self, result: PathResult) -> dict[str, Any]:
        return result.to_json()


#: Every analysis request, by command name.
ANALYSES: dict[str, type[Analysis]] = {
    request.command: request
    for request in (
        StatsRequest,
        GapsRequest,
        UncoveredRequest,
        CoverageRequest,
        ExplainRequest,
        DuplicatesRequest,
        LinksRequest,
        PathRequest,
        BrokersRequest,
    )
}
