"""Load the Cypher statements in ``cypher/`` (package ``graphmodel.cypher``) by name."""

from __future__ import annotations

import functools
from importlib import resources
from typing import LiteralString

from graphmodel.errors import GraphModelError

_PACKAGE = "graphmodel.cypher"


@functools.cache
def names() -> tuple[str, ...]:
    """Every statement name (file name without ``.cypher``), sorted."""
    files = resources.files(_PACKAGE).iterdir()
    return tuple(
        sorted(f.name.removesuffix(".cypher") for f in files if f.name.endswith(".cypher"))
    )


@functools.cache
def query(name: str) -> LiteralString:
    """The text of ``cypher/<name>.cypher``.

    Example
    -------
    >>> "RETURN 1" in query("ping")
    True
    """
    if name not in names():
        raise GraphModelError(f"no Cypher statement named {name!r}")
    text = resources.files(_PACKAGE).joinpath(f"{name}.cypher").read_text(encoding="utf-8")
    # The files ship with the package and hold no input, so their text is as
    # trusted as a literal in the source.
    return text.strip()


def statements(name: str) -> list[LiteralString]:
    """The statements of a file holding several, each ending with ``;`` (``schema``)."""
    body = "\n".join(
        line for line in query(name).splitlines() if not line.lstrip().startswith("//")
    )
    return [part.strip() for part in body.split(";") if part.strip()]
