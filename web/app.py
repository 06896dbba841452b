"""The explorer's FastAPI app: the JSON API and the page, thin over :class:`Explorer`.

Every endpoint validates its query parameters with the request model the
command line uses (:mod:`graphmodel.analysis.requests`, :mod:`graphmodel.explore.requests`),
asks the explorer, and returns its document. Errors are one line of JSON,
``{"error": "..."}``: 400 for a bad or unknown parameter, 404 for an unknown
node, group or route, 405 (with ``Allow: GET, HEAD``) for any other method;
the server keeps serving. Every route is a
:class:`~graphmodel.web.contract.ContractRoute`, which keeps these rules for
endpoints added later too, and describes them in ``/api/openapi.json``.
"""

import inspect
import logging
from collections.abc import Callable
from importlib import resources
from typing import Annotated, Any

import jinja2
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Route

from graphmodel.analysis.requests import ANALYSES, Analysis
from graphmodel.errors import BackendError, GraphModelError, NotFoundError
from graphmodel.explore.explorer import Explorer
from graphmodel.explore.live import ServedGraph
from graphmodel.explore.overlays import OVERLAYS
from graphmodel.explore.requests import (
    ExportRequest,
    MarksRequest,
    NeighboursRequest,
    OverviewRequest,
    PeriodsRequest,
    SearchRequest,
    SlidesRequest,
)
from graphmodel.explore.saved_views import SavedViews
from graphmodel.marks import definitions
from graphmodel.model import LABEL_TABLES, RELATIONSHIP_TYPES
from graphmodel.visuals.palette import COMMUNITY_COLOURS, NODE_STYLES, TYPE_NAMES
from graphmodel.web.contract import (
    ALLOWED_METHODS,
    ContractRoute,
    openapi_document,
    parameter_words,
)
from graphmodel.web.export import PPTX_TYPE, export_file, slides_file

log = logging.getLogger("graphmodel.web")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _parameter_message(error: RequestValidationError) -> str:
    """A validation error as one line naming the query parameters (``from``, ``driver``)."""
    problems = []
    for problem in error.errors():
        message = str(problem.get("msg", "invalid")).removeprefix("Value error, ")
        # Checks across options name them as the command line does (--driver).
        message = parameter_words(message)
        where = [
            str(part)
            for part in problem.get("loc", ())
            if part not in ("query", "path") and not isinstance(part, int)  # int: a list item
        ]
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


def _request_endpoint(
    model: type[Analysis], answer: Callable[[Analysis], dict[str, Any]], name: str
) -> Any:
    """A GET endpoint taking ``model``'s fields as query parameters, answered by ``answer``."""

    def endpoint(request: Any) -> JSONResponse:
        return JSONResponse(answer(request))

    # FastAPI reads the parameters from the signature: give it the model.
    parameter = inspect.Parameter(
        "request",
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        annotation=Annotated[model, Query()],
    )
    endpoint.__signature__ = inspect.Signature([parameter])  # type: ignore[attr-defined]
    endpoint.__name__ = name
    return endpoint


def _page(explorer: Explorer) -> str:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("graphmodel.web", "templates"),
        autoescape=True,
    )
    # The legend draws each type as the network views do (one palette, one set of shapes).
    return environment.get_template("explorer.html.j2").render(
        source=explorer.source,
        labels=list(LABEL_TABLES),
        types=list(RELATIONSHIP_TYPES),
        styles=NODE_STYLES,
        type_names=TYPE_NAMES,
        community_colours=COMMUNITY_COLOURS,
    )


def create_app(served: ServedGraph, views: SavedViews | None = None) -> FastAPI:
    """The explorer's app over ``served`` (wrap it in :class:`~graphmodel.web.guard.Guard`).

    ``views`` are the team's shared views (``serve --views``).

    Example
    -------
    >>> from graphmodel.backends import MemoryBackend
    >>> from graphmodel.dataset import read_dataset
    >>> backend = MemoryBackend(read_dataset("examples/children-trust"))
    >>> app = create_app(ServedGraph.fixed(Explorer(backend, "examples/children-trust")))
    >>> sorted(route.path for route in app.routes if route.path.startswith("/api/g"))
    ['/api/gaps']
    """
    shared = views or SavedViews()

    def explorer() -> Explorer:
        return served.explorer

    app = FastAPI(
        title="graphmodel explorer",
        summary="The graph of a mapping exercise: search, nodes, neighbours, overview, analyses.",
        openapi_url=None,  # served below, by a route that keeps the rules of every route
        docs_url=None,  # the interactive docs load scripts from a CDN
        redoc_url=None,
        # A path with a trailing slash is not a route: a 404 in JSON that names the route
        # meant, not Starlette's bodiless 307 redirect (a client expecting JSON gets JSON).
        redirect_slashes=False,
    )
    # Every route declared below (and any added later) keeps the rules of ContractRoute.
    app.router.route_class = ContractRoute

    def route_paths() -> set[str]:
        """The endpoints' paths (not the mounted folders: ``/assets`` alone answers nothing)."""
        return {route.path for route in app.routes if isinstance(route, Route)}

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(_: Request, error: RequestValidationError) -> JSONResponse:
        return _error(400, _parameter_message(error))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        messages = {404: "no such route", 405: "the API is read-only: use GET"}
        message = messages.get(error.status_code, str(error.detail))
        meant = request.url.path.rstrip("/")
        if error.status_code == 404 and meant != request.url.path and meant in route_paths():
            message += f"; without the trailing slash: {meant}"
        response = _error(error.status_code, message)
        response.headers.update(error.headers or {})
        if error.status_code == 405:  # RFC 9110: a 405 says which methods the resource has
            response.headers["Allow"] = ALLOWED_METHODS
        return response

    @app.exception_handler(NotFoundError)
    async def not_found(_: Request, error: NotFoundError) -> JSONResponse:
        return _error(404, str(error))

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
        return HTMLResponse(_page(explorer()))

    @app.get("/api/openapi.json", include_in_schema=False)
    def openapi() -> JSONResponse:
        return JSONResponse(openapi_document(app))

    @app.get("/api/summary", summary="The source and its node and relationship counts")
    def summary() -> JSONResponse:
        return JSONResponse(explorer().summary())

    @app.get("/api/search", summary="Nodes by exact id, exact name, name prefix, every word")
    def search(request: Annotated[SearchRequest, Query()]) -> JSONResponse:
        return JSONResponse(explorer().search(request))

    @app.get("/api/overview", summary="The whole graph with positions, or rolled up into groups")
    def overview(request: Annotated[OverviewRequest, Query()]) -> JSONResponse:
        return JSONResponse(explorer().overview(request))

    @app.get("/api/nodes/{node_id:path}/neighbours", summary="A page of a node's neighbours")
    def neighbours(node_id: str, request: Annotated[NeighboursRequest, Query()]) -> JSONResponse:
        return JSONResponse(explorer().neighbours(node_id, request))

    @app.get("/api/nodes/{node_id:path}", summary="A node: properties and degree per type")
    def node(node_id: str) -> JSONResponse:
        return JSONResponse(explorer().node(node_id))

    @app.get("/api/timeline", summary="How many training events and initiatives start each month")
    def timeline() -> JSONResponse:
        return JSONResponse(explorer().timeline())

    @app.get("/api/periods", summary="The dates of some training events and initiatives")
    def periods(request: Annotated[PeriodsRequest, Query()]) -> JSONResponse:
        return JSONResponse(explorer().periods(request.id))

    @app.get(
        "/api/export",
        summary="The nodes shown, as GraphML or an offline HTML page",
        response_class=Response,
        responses={
            200: {
                "description": "The file, as an attachment (Content-Disposition).",
                "content": {
                    "application/graphml+xml": {"schema": {"type": "string"}},
                    "text/html": {"schema": {"type": "string"}},
                },
            }
        },
    )
    def export(request: Annotated[ExportRequest, Query()]) -> Response:
        name, media_type, text = export_file(explorer(), request)
        return Response(
            text,
            media_type=media_type,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @app.get(
        "/api/slides",
        summary="The saved views as a slide deck (PowerPoint), one slide each",
        response_class=Response,
        responses={
            200: {
                "description": "The deck, as an attachment (Content-Disposition).",
                "content": {PPTX_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            }
        },
    )
    def slides(request: Annotated[SlidesRequest, Query()]) -> Response:
        return Response(
            slides_file(explorer(), request),
            media_type=PPTX_TYPE,
            headers={"Content-Disposition": 'attachment; filename="graphmodel-views.pptx"'},
        )

    @app.get("/api/status", summary="The graph's version and the problems of its last reading")
    def status() -> JSONResponse:
        return JSONResponse(served.status())

    @app.get("/api/marks", summary="Every mark: its word, legend text, fill and outline")
    def marks(request: Annotated[MarksRequest, Query()]) -> JSONResponse:
        return JSONResponse(definitions())

    @app.get("/api/views", summary="The team's shared views (serve --views FILE)")
    def shared_views() -> JSONResponse:
        return JSONResponse(shared.model_dump(exclude_none=True))

    for command, model in ANALYSES.items():
        app.get(
            f"/api/{command}",
            summary=(model.__doc__ or command).strip().splitlines()[0],
            response_class=JSONResponse,
        )(_request_endpoint(model, lambda r: explorer().analysis(r), f"{command}_endpoint"))

    for name, model in OVERLAYS.items():
        app.get(
            f"/api/overlays/{name}",
            summary=(model.__doc__ or name).strip().splitlines()[0],
            response_class=JSONResponse,
        )(
            _request_endpoint(
                model,
                lambda r, name=name: explorer().overlay(name, r),  # type: ignore[misc]
                f"{name}_overlay",
            )
        )

    assets = resources.files("graphmodel.web").joinpath("assets")
    app.mount("/assets", StaticFiles(directory=str(assets), check_dir=False), name="assets")
    return app
