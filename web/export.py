"""``/api/export``: the explorer's nodes on screen written as a file.

The explorer (:meth:`graphmodel.explore.explorer.Explorer.export_records`)
gives the nodes and the relationships among them; this door writes them as
GraphML (the encoding of ``graphmodel export``) or as the offline HTML page
``graphmodel view`` writes, so the library never imports the presentation.
"""

from __future__ import annotations

import dataclasses

from graphmodel.explore.explorer import Explorer
from graphmodel.explore.requests import ExportRequest
from graphmodel.io.graphml import graphml_text
from graphmodel.visuals.render import view_html
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
