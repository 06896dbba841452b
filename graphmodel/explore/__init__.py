"""The live explorer's library: search, nodes, neighbours and the overview of a graph.

:class:`~graphmodel.explore.explorer.Explorer` answers; the requests in
:mod:`graphmodel.explore.requests` define each question's parameters once;
:mod:`graphmodel.explore.overview` rolls a large graph up into groups and
lays the picture out. ``graphmodel serve`` (``graphmodel.web``) serves it.
"""

from graphmodel.explore.explorer import Explorer
from graphmodel.explore.overview import UnknownGroupError
from graphmodel.explore.requests import NeighboursRequest, OverviewRequest, SearchRequest

__all__ = [
    "Explorer",
    "NeighboursRequest",
    "OverviewRequest",
    "SearchRequest",
    "UnknownGroupError",
]
