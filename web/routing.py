"""The rules every endpoint of the explorer keeps, whoever writes it: the app's route class.

:class:`ContractRoute` is the route class of the app's router
(:func:`~graphmodel.web.app.create_app`), so an endpoint declared with
``app.get`` keeps these rules without a line of its own:

- **HEAD** is answered as GET, without a body (the server drops it), so
  ``curl -I`` and link checkers see what a GET would get;
- a **query parameter** an ``/api/`` endpoint does not declare is a 400,
  ``unknown parameter 'x'``, endpoints without parameters included (the
  page's own address is its state, read by the page: it is not checked);
- **path parameters** are read from the raw, still percent-encoded path, so
  an encoded ``/`` (``%2F``) stays inside its parameter: a node whose id is
  ``dr-x/neighbours`` is ``/api/nodes/dr-x%2Fneighbours``, not the
  neighbours of ``dr-x``.

Every other method is a 405 whose ``Allow`` header says ``GET, HEAD``
(:data:`ALLOWED_METHODS`; the app's error handler adds it).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import Receive, Scope, Send

#: What every resource of the explorer answers (the ``Allow`` header of a 405).
ALLOWED_METHODS = "GET, HEAD"

#: Endpoints under this prefix refuse query parameters they do not declare.
API_PREFIX = "/api/"


def _query_fields(dependant: Dependant) -> Iterator[Any]:
    yield from dependant.query_params
    for dependency in dependant.dependencies:
        yield from _query_fields(dependency)


def query_parameter_names(dependant: Dependant) -> frozenset[str]:
    """The query parameters an endpoint declares: its own, or its request model's fields
    by their public names (``from`` for ``date_from``)."""
    names: set[str] = set()
    for field in _query_fields(dependant):
        kind = field.field_info.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            names.update(info.alias or name for name, info in kind.model_fields.items())
        else:
            names.add(field.alias)
    return frozenset(names)


def _decoded(segment: str) -> str:
    """A path parameter matched on the raw path, percent-decoded (UTF-8) at last."""
    return unquote_to_bytes(segment.encode("latin-1")).decode("utf-8", "replace")


class ContractRoute(APIRoute):
    """An API route that answers HEAD as GET, refuses undeclared query parameters and
    keeps percent-encoded slashes inside path parameters (see the module's docstring)."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http":
            return super().matches(scope)
        view = dict(scope)
        raw = scope.get("raw_path")
        encoded = bool(self.param_convertors) and raw is not None and not scope.get("root_path")
        if encoded:
            view["path"] = raw.decode("latin-1")
        if scope["method"] == "HEAD":
            view["method"] = "GET"
        match, child = super().matches(view)
        if encoded and match is not Match.NONE:
            child["path_params"] = {
                name: _decoded(value)
                if name in self.param_convertors and isinstance(value, str)
                else value
                for name, value in child["path_params"].items()
            }
        return match, child

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] == "HEAD" and "GET" in self.methods:
            await self.app(scope, receive, send)
        else:
            await super().handle(scope, receive, send)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if not self.path.startswith(API_PREFIX):
            return handler
        known = query_parameter_names(self.dependant)

        async def checked(request: Request) -> Response:
            for name, value in request.query_params.multi_items():
                if name not in known:
                    raise RequestValidationError(
                        [
                            {
                                "type": "extra_forbidden",
                                "loc": ("query", name),
                                "msg": "Extra inputs are not permitted",
                                "input": value,
                            }
                        ]
                    )
            return await handler(request)

        return checked
