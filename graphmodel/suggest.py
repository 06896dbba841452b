"""Closest-match suggestions for misspelt ids, columns and file names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest_matches(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` candidates that look like ``word``, best first.

    Example
    -------
    >>> closest_matches("p-socail-worker", ["p-social-worker", "p-teacher"])
    ['p-social-worker']
    """
    return difflib.get_close_matches(word, list(candidates), n=n, cutoff=0.6)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``"; did you mean 'a', 'b'?"`` for the closest candidates, or ``""``."""
    matches = closest_matches(word, candidates)
    if not matches:
        return ""
    return "; did you mean " + " or ".join(repr(match) for match in matches) + "?"


def _table_key(name: str) -> str:
    return "_".join(name.strip().casefold().replace("-", " ").replace("_", " ").split())


def close_table_names(name: str, tables: Iterable[str]) -> list[str]:
    """Table names that a sheet or file name ``name`` is close to, best first.

    Case, spaces, hyphens and underscores are ignored, and the bar is higher
    than for :func:`closest_matches`: a sheet that is close to a table's name
    is taken for a misnamed table (an error), while any other sheet (notes,
    instructions, a chart) is ignored.

    Example
    -------
    >>> close_table_names("Training Events", ["training_events", "drivers"])
    ['training_events']
    >>> close_table_names("Instructions", ["initiatives", "organisations"])
    []
    """
    by_key = {_table_key(table): table for table in tables}
    matches = difflib.get_close_matches(_table_key(name), list(by_key), n=3, cutoff=0.7)
    return [by_key[match] for match in matches]


def normalised_name(name: str) -> str:
    """A name as reference cells compare it: case and spaces ignored.

    Example
    -------
    >>> normalised_name("  Early years\\u00a0Practitioner ")
    'earlyyearspractitioner'
    """
    return "".join(name.split()).casefold()


def did_you_mean_node(word: str, ids: Iterable[str], names: dict[str, str]) -> str:
    """``"; did you mean 'p-1' (Name)?"`` from the closest ids *and* names, or ``""``.

    ``names`` maps an id to its node's name (or title); a suggestion found by
    name is shown as its id with the name beside it.

    Example
    -------
    >>> did_you_mean_node("Early years practitoner", ["p-early-years"],
    ...                   {"p-early-years": "Early years practitioner"})
    "; did you mean 'p-early-years' (Early years practitioner)?"
    """
    by_text: dict[str, str] = {}
    for node_id in ids:
        by_text.setdefault(node_id.casefold(), node_id)
    for node_id, name in names.items():
        by_text.setdefault(" ".join(name.split()).casefold(), node_id)
    folded = " ".join(word.split()).casefold()
    found: list[str] = []
    for match in difflib.get_close_matches(folded, list(by_text), n=6, cutoff=0.6):
        node_id = by_text[match]
        if node_id not in found:
            found.append(node_id)
    if not found:
        return ""
    shown = [
        f"{node_id!r} ({names[node_id]})" if names.get(node_id) else repr(node_id)
        for node_id in found[:3]
    ]
    return "; did you mean " + " or ".join(shown) + "?"
