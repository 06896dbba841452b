"""The two graph backends behind one interface, and :func:`open_source` to pick one.

The names below are imported on first use: a module that needs only the interface
(``graphmodel.backends.base``) does not load networkx or the Neo4j driver with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graphmodel.backends.base import GraphBackend
    from graphmodel.backends.memory import MemoryBackend, build_graph
    from graphmodel.backends.settings import Neo4jSettings, is_neo4j_uri
    from graphmodel.backends.sources import open_source

#: Each public name and the module it comes from.
_SOURCES = {
    "GraphBackend": "graphmodel.backends.base",
    "Neo4jSettings": "graphmodel.backends.settings",
    "is_neo4j_uri": "graphmodel.backends.settings",
    "MemoryBackend": "graphmodel.backends.memory",
    "build_graph": "graphmodel.backends.memory",
    "open_source": "graphmodel.backends.sources",
}

__all__ = [
    "GraphBackend",
    "MemoryBackend",
    "Neo4jSettings",
    "build_graph",
    "is_neo4j_uri",
    "open_source",
]


def __getattr__(name: str) -> Any:
    if name not in _SOURCES:
        raise AttributeError(f"module 'graphmodel.backends' has no attribute {name!r}")
    value = getattr(importlib.import_module(_SOURCES[name]), name)
    globals()[name] = value
    return value
