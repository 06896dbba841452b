"""graphmodel: workforce-development mapping as a graph.

Load competencies, frameworks, professions, training events, organisations,
initiatives and policy drivers into a graph (networkx embedded, or Neo4j) and
ask it about gaps, duplicates and links.

Example
-------
>>> from graphmodel import read_dataset, open_source          # doctest: +SKIP
>>> dataset = read_dataset("examples/children-trust")          # doctest: +SKIP
>>> open_source("examples/children-trust").counts().nodes      # doctest: +SKIP
"""

from graphmodel.backends import GraphBackend, MemoryBackend, open_source
from graphmodel.dataset import read_dataset
from graphmodel.errors import BackendError, DatasetError, GraphModelError
from graphmodel.model import Dataset

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
