"""The explorer's contract with any client: the rules every endpoint keeps, and an OpenAPI
description true to them.

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
  neighbours of ``dr-x``;
- its **description** lists the answers it can give: 400, 401, 403, 503
  always, 404 when it takes a path parameter or a parameter naming nodes
  (:data:`~graphmodel.analysis.requests.NAMES_NODES`), each with the error
  body ``{"error": "one line"}``, and the rules joining several of its
  parameters (``rules_across_options`` of its request).

Every other method is a 405 whose ``Allow`` header says ``GET, HEAD``
(:data:`ALLOWED_METHODS`; the app's error handler adds it).
:func:`openapi_document` finishes the description: no 422 (the server never
sends one), the error body's schema, how the token is given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine, Iterator
from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import Receive, Scope, Send

from graphmodel.analysis.requests import NamesNodes

#: What every resource of the explorer answers (the ``Allow`` header of a 405).
ALLOWED_METHODS = "GET, HEAD"

#: Endpoints under this prefix refuse query parameters they do not declare.
API_PREFIX = "/api/"


def _query_fields(dependant: Dependant) -> Iterator[Any]:
    yield from dependant.query_params
    for dependency in dependant.dependencies:
        yield from _query_fields(dependency)


def request_models(dependant: Dependant) -> list[type[BaseModel]]:
    """The request models an endpoint takes its query parameters from."""
    found = []
    for field in _query_fields(dependant):
        kind = field.field_info.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            found.append(kind)
    return found


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


_OPTION = re.compile(r"--([a-z][a-z-]*)")


def parameter_words(text: str) -> str:
    """Options named as the command line does (``--min-evaluation``) as the API's query
    parameters (``min_evaluation``), in a message or a rule."""
    return _OPTION.sub(lambda m: m.group(1).replace("-", "_"), text)


#: The schema of every error's body (``#/components/schemas/Error``).
ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "properties": {
        "error": {
            "type": "string",
            "pattern": "^[^\\n\\r]*$",
            "description": "What is wrong, in one line.",
        }
    },
    "required": ["error"],
    "additionalProperties": False,
}

#: What each error status means, for every endpoint (404 only where an id is looked up).
ERROR_MEANINGS = {
    400: "A parameter is bad or unknown, or the parameters break a rule that joins them.",
    401: "The token is missing or wrong (see the description's security schemes).",
    403: "The Host header names another server (a DNS rebinding page).",
    404: "An id names no node (or group) of the graph; the message suggests the closest.",
    503: "The graph's database cannot be reached (a Neo4j source).",
}


def _error_response(status: int) -> dict[str, Any]:
    return {
        "description": ERROR_MEANINGS[status],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _names_nodes(model: type[BaseModel]) -> bool:
    return any(
        isinstance(item, NamesNodes)
        for field in model.model_fields.values()
        for item in field.metadata
    )


def _joint_rules(models: list[type[BaseModel]]) -> list[str]:
    rules: list[str] = []
    for model in models:
        listed = getattr(model, "rules_across_options", None)
        if callable(listed):
            rules.extend(parameter_words(rule) for rule in listed())
    return rules


def _decoded(segment: str) -> str:
    """A path parameter matched on the raw path, percent-decoded (UTF-8) at last."""
    return unquote_to_bytes(segment.encode("latin-1")).decode("utf-8", "replace")


class ContractRoute(APIRoute):
    """An API route that answers HEAD as GET, refuses undeclared query parameters, keeps
    percent-encoded slashes inside path parameters and describes its errors and joint rules
    (see the module's docstring)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        super().__init__(path, endpoint, **options)
        if not self.path.startswith(API_PREFIX):
            return
        models = request_models(self.dependant)
        statuses = [400, 401, 403, 503]
        if self.dependant.path_params or any(_names_nodes(model) for model in models):
            statuses.append(404)
        errors: dict[int | str, dict[str, Any]] = {
            status: _error_response(status) for status in sorted(statuses)
        }
        self.responses = {**errors, **self.responses}
        rules = _joint_rules(models)
        if rules:
            listed = "\n".join(f"- {rule}" for rule in rules)
            text = (
                f"Rules joining several parameters (a request breaking one is a 400):\n\n{listed}"
            )
            self.description = f"{self.description}\n\n{text}".strip()

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http":
            return super().matches(scope)
        view = dict(scope)
        raw: bytes | None = scope.get("raw_path")
        encoded = bool(self.param_convertors) and raw is not None and not scope.get("root_path")
        if raw is not None and encoded:
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
        if scope["method"] == "HEAD" and "GET" in (self.methods or ()):
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


#: How the description says the token is given (the cookie, named for the port, is the page's).
SECURITY_SCHEMES = {
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "The token graphmodel serve printed, as Authorization: Bearer TOKEN.",
    },
    "token": {
        "type": "apiKey",
        "in": "query",
        "name": "token",
        "description": "The token as the query parameter token (the page's address has it).",
    },
}

API_DESCRIPTION = """\
The graph of a mapping exercise served by `graphmodel serve`, read-only.

Every request carries the token (`Authorization: Bearer TOKEN`, `?token=`, or the
cookie the page sets) and a Host header naming this server. Every endpoint
answers GET and HEAD (HEAD: the same answer without its body); any other method
is a 405 with `Allow: GET, HEAD`. A query parameter an endpoint does not take is
a 400. Every error is one line of JSON, `{"error": "..."}`. Node ids holding `/`
are written percent-encoded (`%2F`).
"""


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI description, true to what its server answers.

    FastAPI's own, finished: no 422 (validation errors are 400s with the
    error body), the error body's schema, the token's security schemes, and
    each array parameter that must hold an item marked required.
    """
    if app.openapi_schema is not None:
        return app.openapi_schema
    document = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=API_DESCRIPTION,
        routes=app.routes,
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    schemas["Error"] = ERROR_SCHEMA
    document["components"]["securitySchemes"] = SECURITY_SCHEMES
    document["security"] = [{name: []} for name in SECURITY_SCHEMES]
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            operation["responses"].pop("422", None)
            for parameter in operation.get("parameters", []):
                if parameter.get("schema", {}).get("minItems", 0) >= 1:
                    parameter["required"] = True
    app.openapi_schema = document
    return document
