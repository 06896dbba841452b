"""Open a SOURCE given on the command line or to ``graphmodel serve``: a dataset or a database."""

from __future__ import annotations

import re

from graphmodel.backends.base import GraphBackend, Neo4jSettings, is_neo4j_uri
from graphmodel.backends.memory import MemoryBackend
from graphmodel.dataset import read_dataset
from graphmodel.errors import SourceError

_ANY_URI = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def open_source(
    source: str,
    *,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
    ca_cert: str | None = None,
) -> GraphBackend:
    """Open a SOURCE: a Neo4j URI gives the Neo4j backend, a dataset path the embedded one.

    Raises
    ------
    SourceError
        For a URI of a scheme graphmodel does not speak (``http://`` ...).
    DatasetError
        For a dataset path that does not hold a valid dataset.
    BackendError
        For a Neo4j database that cannot be reached.
    """
    if is_neo4j_uri(source):
        # Imported here: the driver is needed only for a Neo4j source.
        from graphmodel.backends.neo4j import Neo4jBackend

        settings = Neo4jSettings.resolve(
            source, user=user, password=password, database=database, ca_cert=ca_cert
        )
        return Neo4jBackend.connect(settings)
    if _ANY_URI.match(source):
        raise SourceError(
            f"{source}: unsupported URI; use bolt://, bolt+s://, neo4j:// or neo4j+s://, "
            "or give a dataset path"
        )
    return MemoryBackend(read_dataset(source))
