"""How graphmodel writes numbers for people: one rule for the command line, the page's
notes, the offline views and the board report."""

from __future__ import annotations


def number(value: float | int | None) -> str:
    """A count or an amount with thousands separators; whole floats without decimals,
    others with two; never an exponent (Python's ``:g`` writes 11,294,303 as 1.12943e+07).

    Example
    -------
    >>> number(10385.0), number(1500.55), number(11294303.0), number(None)
    ('10,385', '1,500.55', '11,294,303', '-')
    """
    if value is None:
        return "-"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{int(value):,}"


def plural(count: int, noun: str) -> str:
    """A count and its noun, as :func:`number` writes the count: ``"1 gap"``,
    ``"3 competencies"``, ``"1,245 requirements"``.

    Example
    -------
    >>> plural(1, "profession"), plural(3, "competency"), plural(1245, "requirement")
    ('1 profession', '3 competencies', '1,245 requirements')
    """
    if count == 1:
        return f"1 {noun}"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return f"{number(count)} {noun[:-1]}ies"
    return f"{number(count)} {noun}s"
