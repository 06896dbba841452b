"""The two graph backends behind one interface, and :func:`open_source` to pick one."""

from graphmodel.backends.base import GraphBackend, Neo4jSettings, is_neo4j_uri, open_source
from graphmodel.backends.memory import MemoryBackend, build_graph

__all__ = [
    "GraphBackend",
    "MemoryBackend",
    "Neo4jSettings",
    "build_graph",
    "is_neo4j_uri",
    "open_source",
]
