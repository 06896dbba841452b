"""The explorer's own questions (search, neighbours, overview), as pydantic requests.

Like the analyses' requests (:mod:`graphmodel.analysis.requests`), these are the one
definition of each endpoint's query parameters: the API validates and
documents them from here.
"""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from graphmodel.analysis.requests import NAMES_NODES, Date, JointRules
from graphmodel.explore.overview import DEFAULT_MAX_RELATIONSHIPS, GROUP_ID_PATTERN
from graphmodel.explore.saved_views import SavedView


class NodeLabel(StrEnum):
    """A node type of the model (``tests`` check this lists exactly the model's labels)."""

    FRAMEWORK = "Framework"
    COMPETENCY = "Competency"
    PROFESSION = "Profession"
    ORGANISATION = "Organisation"
    TRAINING_EVENT = "TrainingEvent"
    INITIATIVE = "Initiative"
    DRIVER = "Driver"


class RelationshipType(StrEnum):
    """A relationship type of the model."""

    IN_FRAMEWORK = "IN_FRAMEWORK"
    PART_OF = "PART_OF"
    EQUIVALENT_TO = "EQUIVALENT_TO"
    REQUIRES = "REQUIRES"
    EMPLOYS = "EMPLOYS"
    MEMBER_OF = "MEMBER_OF"
    LEADS = "LEADS"
    PARTNER_IN = "PARTNER_IN"
    TARGETS = "TARGETS"
    COVERS = "COVERS"
    ADDRESSES = "ADDRESSES"
    RESPONDS_TO = "RESPONDS_TO"
    BUILDS_ON = "BUILDS_ON"
    DELIVERS = "DELIVERS"


#: The largest neighbours offset (no node has that many neighbours).
MAX_OFFSET = 2**31 - 1


class ExploreRequest(JointRules, BaseModel):
    """Base of the explorer's requests: unknown parameters are an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def _labels(labels: list[NodeLabel]) -> list[str] | None:
    return [label.value for label in dict.fromkeys(labels)] or None


class SearchRequest(ExploreRequest):
    """``/api/search``: nodes by id or name, best first."""

    q: str = Field(
        description="The text: an exact id, or words of its name or id in any order (case "
        "ignored). Empty with a label: every node of that type, by name (a picker's list).",
    )
    label: list[NodeLabel] = Field(
        default_factory=list, description="Only nodes of this type (repeatable)."
    )
    limit: int = Field(default=20, ge=0, le=1000, description="At most this many results.")

    joint_rules: ClassVar[tuple[str, ...]] = ("q is not empty unless a label is given",)

    @model_validator(mode="after")
    def _not_blank(self) -> SearchRequest:
        if not self.q.strip() and not self.label:
            raise ValueError("q: is empty; give an id or words of a name (or a label to list)")
        return self

    def labels(self) -> list[str] | None:
        """The labels asked for (``None``: all)."""
        return _labels(self.label)


class NeighboursRequest(ExploreRequest):
    """``/api/nodes/{id}/neighbours``: a page of a node's neighbours, either direction."""

    type: list[RelationshipType] = Field(
        default_factory=list, description="Only relationships of this type (repeatable)."
    )
    label: list[NodeLabel] = Field(
        default_factory=list, description="Only neighbours of this type (repeatable)."
    )
    limit: int = Field(default=100, ge=0, le=5000, description="At most this many neighbours.")
    offset: int = Field(
        default=0,
        ge=0,
        # The most either backend can skip: Neo4j's SKIP takes a 32-bit integer.
        le=MAX_OFFSET,
        description="Skip this many neighbours (by id).",
    )

    def types(self) -> list[str] | None:
        """The relationship types asked for (``None``: all)."""
        return [kind.value for kind in dict.fromkeys(self.type)] or None

    def labels(self) -> list[str] | None:
        """The labels asked for (``None``: all)."""
        return _labels(self.label)


class OverviewRequest(ExploreRequest):
    """``/api/overview``: the whole graph, or a rolled-up picture of it, with positions."""

    max_nodes: int = Field(
        default=2000,
        ge=1,
        le=50_000,
        description="Draw every node when there are at most this many; otherwise roll "
        "nodes up into groups until the picture has at most this many.",
    )
    max_relationships: int = Field(
        default=DEFAULT_MAX_RELATIONSHIPS,
        ge=0,
        le=1_000_000,
        description="List at most this many relationships, those standing for most "
        "relationships first (relationships_total says how many there are).",
    )
    expand: Annotated[list[str], NAMES_NODES] = Field(
        default_factory=list,
        json_schema_extra={"items": {"type": "string", "pattern": GROUP_ID_PATTERN}},
        description="Groups to show as their members (repeatable; a group id from an "
        "earlier overview).",
    )
    roll_up: Literal["type", "community"] = Field(
        default="type",
        description="How a picture too large is rolled up: by node type (and lead "
        "organisation, area, partnership), or by community (seeded Leiden).",
    )


class PeriodsRequest(ExploreRequest):
    """``/api/periods``: the dates of some training events and initiatives (the time slicer)."""

    id: list[str] = Field(
        min_length=1, max_length=5000, description="A node id (repeatable); others are left out."
    )


class ExportRequest(ExploreRequest):
    """``/api/export``: the nodes on screen, as a GraphML file or an offline HTML page."""

    format: Literal["graphml", "html"] = Field(
        description="graphml: the graph for Gephi, yEd or networkx; html: the offline view."
    )
    id: list[str] = Field(
        min_length=1, max_length=50_000, description="A node id (repeatable): the nodes shown."
    )


class MarksRequest(ExploreRequest):
    """``/api/marks``: every mark's word, legend text, fill and outline (no parameters)."""


class SlidesRequest(ExploreRequest):
    """``/api/slides`` and ``graphmodel slides``: a slide deck of saved views, one slide each."""

    view: list[SavedView] = Field(
        min_length=1,
        max_length=200,
        description='A saved view, as JSON: {"name", "state"} and, when saved in the page, '
        '"camera", "viewport", "positions" (repeatable; one slide each, in order).',
    )
    date: Date = Field(
        default=None, description="The date the slides carry (YYYY-MM-DD) [default: today]."
    )

    # A query parameter's schema says it is text; that the text is a view's JSON, no
    # schema of a query parameter can say: the description lists it with the joint rules.
    joint_rules: ClassVar[tuple[str, ...]] = (
        "each view is a saved view's JSON: an object with a name and a state (and, saved in "
        "the page, its camera, viewport and positions)",
    )

    @field_validator("view", mode="before")
    @classmethod
    def _from_json(cls, views: Any) -> Any:
        """Views given as query parameters come as JSON texts."""
        if not isinstance(views, list):
            return views
        parsed = []
        for number, view in enumerate(views, start=1):
            if isinstance(view, str):
                try:
                    view = json.loads(view)
                except json.JSONDecodeError as error:
                    raise ValueError(f"view {number} is not JSON ({error.msg})") from None
            try:
                parsed.append(SavedView.model_validate(view))
            except ValidationError as error:
                problem = error.errors()[0]
                where = ".".join(str(part) for part in problem["loc"])
                message = str(problem["msg"]).removeprefix("Value error, ")
                raise ValueError(f"view {number}: {where or 'view'}: {message}") from None
        return parsed

    def day(self) -> dt.date:
        """The date on the slides."""
        return self.date or dt.date.today()
