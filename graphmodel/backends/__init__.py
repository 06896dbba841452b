"""The two graph backends behind one interface, and :func:`open_source` to pick one."""

from graphmodel.backends.base import GraphBackend, Neo4jSettings, is_neo4j_uri
from graphmodel.backends.memory import MemoryBackend, build_graph
from graphmodel.backends.sources import open_source

__all__ = [
    "GraphBackend",
    "MemoryBackend",
    "Neo4jSettings",
    "build_graph",
    "is_neo4j_uri",
    "open_source",
]
