"""How to reach a Neo4j database: whether a SOURCE is a Neo4j URI, and the connection settings.

A module of its own, importing nothing heavy: the command line asks whether a
SOURCE is a URI before it knows which backend to load.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

_NEO4J_URI = re.compile(r"^(bolt|neo4j)(\+s|\+ssc)?://", re.IGNORECASE)


def is_neo4j_uri(source: str) -> bool:
    """True for ``bolt://``, ``bolt+s://``, ``neo4j://``, ``neo4j+s://`` (and ``+ssc``) URIs.

    Example
    -------
    >>> is_neo4j_uri("neo4j+s://abcd.databases.neo4j.io"), is_neo4j_uri("examples/x")
    (True, False)
    """
    return bool(_NEO4J_URI.match(source))


@dataclass(frozen=True)
class Neo4jSettings:
    """How to reach a Neo4j database. Unset fields fall back to ``NEO4J_*`` variables.

    ``ca_cert`` is a PEM file of the certificate authorities to trust for a
    ``bolt+s://`` or ``neo4j+s://`` URI instead of the system's (a private CA);
    see :func:`graphmodel.backends.neo4j.driver_arguments`.

    Example
    -------
    >>> Neo4jSettings.resolve("bolt://127.0.0.1:7687", user=None, password=None,
    ...                       database=None, environ={}).database
    'neo4j'
    """

    uri: str
    user: str | None = None
    password: str | None = None
    database: str = "neo4j"
    ca_cert: str | None = None

    @classmethod
    def resolve(
        cls,
        uri: str | None,
        *,
        user: str | None,
        password: str | None,
        database: str | None,
        ca_cert: str | None = None,
        environ: dict[str, str] | None = None,
    ) -> Neo4jSettings:
        """Combine explicit options with ``NEO4J_URI``, ``NEO4J_USERNAME``,
        ``NEO4J_PASSWORD``, ``NEO4J_DATABASE`` and ``NEO4J_CA_CERT``; options win."""
        env = os.environ if environ is None else environ
        return cls(
            uri=uri or env.get("NEO4J_URI", "bolt://127.0.0.1:7687"),
            user=user or env.get("NEO4J_USERNAME") or None,
            password=password or env.get("NEO4J_PASSWORD") or None,
            database=database or env.get("NEO4J_DATABASE") or "neo4j",
            ca_cert=ca_cert or env.get("NEO4J_CA_CERT") or None,
        )

    @property
    def auth(self) -> tuple[str, str] | None:
        """Basic auth, or ``None`` for a server with authentication off."""
        if self.user is None and self.password is None:
            return None
        return (self.user or "neo4j", self.password or "")
