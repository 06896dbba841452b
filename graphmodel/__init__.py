"""graphmodel: workforce-development mapping as a graph.

Load competencies, frameworks, professions, training events, organisations,
initiatives and policy drivers into a graph (networkx embedded, or Neo4j) and
ask it about gaps, duplicates and links.

The names below are imported on first use, so that importing one module of
the package (as each command of the command line does) does not load them all.

Example
-------
>>> from graphmodel import read_dataset, open_source          # doctest: +SKIP
>>> dataset = read_dataset("examples/children-trust")          # doctest: +SKIP
>>> open_source("examples/children-trust").counts().nodes      # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graphmodel.backends import GraphBackend, MemoryBackend, open_source
    from graphmodel.dataset import read_dataset
    from graphmodel.errors import BackendError, DatasetError, GraphModelError
    from graphmodel.model import Dataset

#: Each public name and the module it comes from.
_SOURCES = {
    "BackendError": "graphmodel.errors",
    "Dataset": "graphmodel.model",
    "DatasetError": "graphmodel.errors",
    "GraphBackend": "graphmodel.backends",
    "GraphModelError": "graphmodel.errors",
    "MemoryBackend": "graphmodel.backends",
    "open_source": "graphmodel.backends",
    "read_dataset": "graphmodel.dataset",
}

__all__ = [
    "BackendError",
    "Dataset",
    "DatasetError",
    "GraphBackend",
    "GraphModelError",
    "MemoryBackend",
    "open_source",
    "read_dataset",
]


def __getattr__(name: str) -> Any:
    if name not in _SOURCES:
        raise AttributeError(f"module 'graphmodel' has no attribute {name!r}")
    value = getattr(importlib.import_module(_SOURCES[name]), name)
    globals()[name] = value
    return value
