"""A team's shared views: named page states, read from a file for ``serve --views``.

A view is the page's state as the query string of its address
(``overlay=gaps&profession=p-teacher&from=2026-01-01``), with a name. A view
saved in the page also keeps its camera, the part of the graph on screen
(``viewport``) and where each node drawn was (``positions``), so that nodes
moved by hand or by a layout come back where they were. The page keeps a
strategist's own views in the browser and exports and imports them in this
same format; ``graphmodel serve SOURCE --views FILE`` opens with a team's
set (the API serves it read-only at ``/api/views``), and ``graphmodel slides
SOURCE --views FILE`` makes a slide of each.

Example
-------
>>> views = SavedViews.model_validate({"views": [{"name": "Teachers", "state": "focus=p-teacher"}]})
>>> views.views[0].state
'focus=p-teacher'
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from graphmodel.errors import GraphModelError


class ViewsFileError(GraphModelError):
    """A views file that cannot be read or is not a list of named views."""

    exit_code = 2


#: A coordinate of a saved view: a finite number of sensible size (a file is data to check).
Coordinate = Annotated[float, Field(ge=-1e9, le=1e9, allow_inf_nan=False)]


class Camera(BaseModel):
    """The page's camera (sigma's: the centre and zoom ratio in the framed graph)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    x: Coordinate
    y: Coordinate
    ratio: Coordinate = Field(gt=0)


class ViewportBox(BaseModel):
    """The part of the graph on screen: the graph coordinates at the screen's four edges."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    left: Coordinate
    top: Coordinate
    right: Coordinate
    bottom: Coordinate


class SavedView(BaseModel):
    """One named view: a name and the page state (an address's query string), and, when
    saved in the page, its camera, what was on screen and where each node drawn was."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="What the view shows, as the team calls it.")
    state: str = Field(description="The page's state: its address's query string.")
    camera: Camera | None = Field(default=None, description="Where the camera was.")
    viewport: ViewportBox | None = Field(default=None, description="What was on screen.")
    positions: dict[str, tuple[Coordinate, Coordinate]] | None = Field(
        default=None, description="Where each node drawn was: {id: [x, y]}."
    )

    @field_validator("state")
    @classmethod
    def _no_token(cls, state: str) -> str:
        state = state.removeprefix("?")
        if any(part.split("=", 1)[0] == "token" for part in state.split("&")):
            raise ValueError("holds a token; a shared view must not")
        return state


class SavedViews(BaseModel):
    """A set of views, in the order a presentation steps through them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    views: list[SavedView] = Field(default_factory=list)


def read_views(path: Path) -> SavedViews:
    """Read a views file (JSON: ``{"views": [{"name", "state", "camera"?, "viewport"?,
    "positions"?}]}``).

    Raises
    ------
    ViewsFileError
        With one line naming the file and what is wrong.
    """
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ViewsFileError(f"{path}: cannot read it ({error.strerror})") from None
    except json.JSONDecodeError as error:
        raise ViewsFileError(f"{path}:{error.lineno}: not JSON ({error.msg})") from None
    try:
        return SavedViews.model_validate(document)
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        message = str(problem["msg"]).removeprefix("Value error, ")
        raise ViewsFileError(f"{path}: {where}: {message}") from None
