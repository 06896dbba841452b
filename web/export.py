"""``/api/export`` and ``/api/slides``: what the explorer shows, written as a file.

The explorer (:meth:`graphmodel.explore.explorer.Explorer.export_records`)
gives the nodes and the relationships among them; this door writes them as
GraphML (the encoding of ``graphmodel export``) or as the offline HTML page
``graphmodel view`` writes, so the library never imports the presentation.
The saved views' pictures (:mod:`graphmodel.explore.pictures`) become the
slide deck ``graphmodel slides`` writes (:mod:`graphmodel.visuals.slides`).
"""

from __future__ import annotations

import dataclasses
import io

from graphmodel.explore.explorer import Explorer
from graphmodel.explore.pictures import view_picture
from graphmodel.explore.requests import ExportRequest, SlidesRequest
from graphmodel.io.graphml import graphml_text
from graphmodel.visuals.render import view_html
from graphmodel.visuals.slides import write_deck
from graphmodel.visuals.views import NODE_LIMIT, GraphData, fit_to_limit, whole_view


def export_file(explorer: Explorer, request: ExportRequest) -> tuple[str, str, str]:
    """The file's name, its media type and its text.

    Raises
    ------
    ViewTooLargeError
        For an HTML page of more nodes than a browser shows in reasonable time.
    """
    nodes, relationships = explorer.export_records(request)
    if request.format == "graphml":
        text = graphml_text(nodes, relationships, "the export")
        return "graphmodel-view.graphml", "application/graphml+xml", text
    graph = GraphData(nodes, relationships)
    view = fit_to_limit(whole_view(graph), graph, NODE_LIMIT)
    view = dataclasses.replace(
        view,
        title="Nodes shown in the explorer",
        description=f"The {len(nodes):,} nodes the explorer showed, from {explorer.source}.",
    )
    return "graphmodel-view.html", "text/html", view_html(view, graph, "explorer view")


#: The media type of a PowerPoint deck.
PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def slides_file(explorer: Explorer, request: SlidesRequest) -> bytes:
    """The deck of the request's views (one slide each), as ``graphmodel slides`` writes it."""
    pictures = [view_picture(explorer, view) for view in request.view]
    buffer = io.BytesIO()
    write_deck(pictures, explorer.source, request.day().isoformat(), buffer)
    return buffer.getvalue()
