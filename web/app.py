"""The explorer's FastAPI app: the JSON API and the page, thin over :class:`Explorer`.

Every endpoint validates its query parameters with the request model the
command line uses (:mod:`graphmodel.analyses`, :mod:`graphmodel.explore.requests`),
asks the explorer, and returns its document. Errors are one line of JSON,
``{"error": "..."}``: 400 for a bad or unknown parameter, 404 for an unknown
node or route, 405 for a method other than GET; the server keeps serving.
"""

import inspect
import logging
import re
from importlib import resources
from typing import Annotated, Any

import jinja2
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from graphmodel.analyses import ANALYSES, Analysis
from graphmodel.errors import BackendError, GraphModelError, NotFoundError
from graphmodel.explore.explorer import Explorer
from graphmodel.explore.overview import UnknownGroupError
from graphmodel.explore.requests import NeighboursRequest, OverviewRequest, SearchRequest
from graphmodel.model import LABEL_TABLES, RELATIONSHIP_TYPES
from graphmodel.visuals.palette import NODE_STYLES, TYPE_NAMES

log = logging.getLogger("graphmodel.web")

_OPTION = re.compile(r"--([a-z][a-z-]*)")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _parameter_message(error: RequestValidationError) -> str:
    """A validation error as one line naming the query parameters (``from``, ``driver``)."""
    problems = []
    for problem in error.errors():
        message = str(problem.get("msg", "invalid")).removeprefix("Value error, ")
        # Checks across options name them as the command line does (--driver).
        message = _OPTION.sub(lambda m: m.group(1).replace("-", "_"), message)
        where = [str(part) for part in problem.get("loc", ()) if part not in ("query", "path")]
        if problem.get("type") == "extra_forbidden" and where:
            message = f"unknown parameter {where[-1]!r}"
        elif problem.get("type") == "missing" and where:
            message = f"missing parameter {where[-1]!r}"
        elif where:
            message = f"{where[-1]}: {message}"
        problems.append(message)
    return _one_line("; ".join(problems) or "invalid request")


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": _one_line(message)}, status_code=status)


def _analysis_endpoint(explorer: Explorer, model: type[Analysis]) -> Any:
    """A GET endpoint taking ``model``'s fields as query parameters."""

    def endpoint(request: Any) -> JSONResponse:
        return JSONResponse(explorer.analysis(request))

    # FastAPI reads the parameters from the signature: give it the model.
    parameter = inspect.Parameter(
        "request",
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        annotation=Annotated[model, Query()],
    )
    endpoint.__signature__ = inspect.Signature([parameter])  # type: ignore[attr-defined]
    endpoint.__name__ = f"{model.command}_endpoint"
    return endpoint


def _page(explorer: Explorer) -> str:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("graphmodel.visuals", "templates"),
        autoescape=True,
    )
    # The legend draws each type as the network views do (one palette, one set of shapes).
    return environment.get_template("explorer.html.j2").render(
        source=explorer.source,
        labels=list(LABEL_TABLES),
        types=list(RELATIONSHIP_TYPES),
        styles=NODE_STYLES,
        type_names=TYPE_NAMES,
    )


def create_app(explorer: Explorer) -> FastAPI:
    """The explorer's app over ``explorer`` (wrap it in :class:`~graphmodel.web.guard.Guard`).

    Example
    -------
    >>> from graphmodel.backends import MemoryBackend
    >>> from graphmodel.dataset import read_dataset
    >>> app = create_app(Explorer(MemoryBackend(read_dataset("examples/children-trust")), "x"))
    >>> sorted(route.path for route in app.routes if route.path.startswith("/api/g"))
    ['/api/gaps']
    """
    app = FastAPI(
        title="graphmodel explorer",
        summary="The graph of a mapping exercise: search, nodes, neighbours, overview, analyses.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # the interactive docs load scripts from a CDN
        redoc_url=None,
    )

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(_: Request, error: RequestValidationError) -> JSONResponse:
        return _error(400, _parameter_message(error))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        messages = {404: "no such route", 405: "the API is read-only: use GET"}
        return _error(error.status_code, messages.get(error.status_code, str(error.detail)))

    @app.exception_handler(NotFoundError)
    async def not_found(_: Request, error: NotFoundError) -> JSONResponse:
        return _error(404, str(error))

    @app.exception_handler(UnknownGroupError)
    async def unknown_group(_: Request, error: UnknownGroupError) -> JSONResponse:
        return _error(400, str(error))

    @app.exception_handler(BackendError)
    async def backend_failed(_: Request, error: BackendError) -> JSONResponse:
        return _error(503, str(error))

    @app.exception_handler(GraphModelError)
    async def refused(_: Request, error: GraphModelError) -> JSONResponse:
        return _error(400 if error.exit_code == 2 else 500, str(error))

    @app.exception_handler(Exception)
    async def failed(_: Request, error: Exception) -> JSONResponse:
        log.exception("internal error")
        return _error(500, f"internal error ({type(error).__name__}); the server goes on")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page() -> HTMLResponse:
        return HTMLResponse(_page(explorer))

    @app.get("/api/summary", summary="The source and its node and relationship counts")
    def summary() -> JSONResponse:
        return JSONResponse(explorer.summary())

    @app.get("/api/search", summary="Nodes by exact id, exact name, name prefix, every word")
    def search(request: Annotated[SearchRequest, Query()]) -> JSONResponse:
        return JSONResponse(explorer.search(request))

    @app.get("/api/overview", summary="The whole graph with positions, or rolled up into groups")
    def overview(request: Annotated[OverviewRequest, Query()]) -> JSONResponse:
        return JSONResponse(explorer.overview(request))

    @app.get("/api/nodes/{node_id:path}/neighbours", summary="A page of a node's neighbours")
    def neighbours(node_id: str, request: Annotated[NeighboursRequest, Query()]) -> JSONResponse:
        return JSONResponse(explorer.neighbours(node_id, request))

    @app.get("/api/nodes/{node_id:path}", summary="A node: properties and degree per type")
    def node(node_id: str) -> JSONResponse:
        return JSONResponse(explorer.node(node_id))

    for command, model in ANALYSES.items():
        app.get(
            f"/api/{command}",
            summary=(model.__doc__ or command).strip().splitlines()[0],
            response_class=JSONResponse,
        )(_analysis_endpoint(explorer, model))

    assets = resources.files("graphmodel.visuals").joinpath("assets", "explorer")
    app.mount("/assets", StaticFiles(directory=str(assets)), name="assets")
    return app
