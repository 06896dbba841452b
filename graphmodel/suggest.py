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
