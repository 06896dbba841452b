"""Schemathesis hooks for the explorer's run (``tests/test_explorer_fuzz.py``).

OpenAPI says each query parameter's own rules (types, ranges, patterns, how
many items) but not the rules that join several (``from`` not after ``to``;
exactly one of ``driver``, ``initiative``, ``text``; ``sample`` or
``exact``, not both; communities' ``status``, ``from``, ``to`` only with
``network=partnership``; a slides ``view`` being a saved view's JSON, which
no schema of a query parameter can say): the description lists those under
each endpoint in words. So a schema-valid request may still be refused with a 400. Such a
refusal is accepted here only when the request really breaks one of those
rules, as this file reads the request on its own, the operation's
description lists that rule, and the error names it. Every other failure
stands.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import schemathesis


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _present(query: dict[str, Any], name: str) -> bool:
    return query.get(name) is not None


def _saved_view(text: Any) -> bool:
    """Whether a slides ``view`` reads as a saved view: a JSON object with a non-empty name,
    a state and nothing else but a camera, a viewport or positions."""
    try:
        view = json.loads(str(text))
    except ValueError:
        return False
    fields = {"name", "state", "camera", "viewport", "positions"}
    return (
        isinstance(view, dict)
        and set(view) <= fields
        and isinstance(view.get("name"), str)
        and bool(view["name"])
        and isinstance(view.get("state"), str)
    )


def broken_rules(query: dict[str, Any]) -> list[tuple[str, str]]:
    """The joint rules ``query`` breaks: (the rule as the description words it, the words
    the error must hold)."""
    broken = []
    start, end = _date(query.get("from")), _date(query.get("to"))
    if start is not None and end is not None and start > end:
        broken.append(("from is not after to", f"from {start} is after to {end}"))
    subjects = [name for name in ("driver", "initiative", "text") if _present(query, name)]
    if len(subjects) != 1:
        broken.append(
            (
                "exactly one of driver, initiative, text",
                "give exactly one of driver, initiative, text",
            )
        )
    if str(query.get("exact")).lower() == "true" and _present(query, "sample"):
        broken.append(("sample or exact, not both", "give sample or exact, not both"))
    if "q" in query and not str(query["q"]).strip() and not query.get("label"):
        broken.append(("q is not empty unless a label is given", "q: is empty"))
    views = query.get("view")
    for number, text in enumerate(views if isinstance(views, list) else [views], start=1):
        if views is None:
            break
        if not _saved_view(text):
            broken.append(
                (
                    "each view is a saved view's JSON: an object with a name and a state (and, "
                    "saved in the page, its camera, viewport and positions)",
                    f"view {number}",
                )
            )
            break
    choosing = any(_present(query, name) for name in ("status", "from", "to"))
    if choosing and query.get("network") != "partnership":
        broken.append(
            (
                "status, from and to only with network partnership",
                "use them with network partnership",
            )
        )
    return broken


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    """Keep a failure unless it is a documented joint rule refused as documented."""
    if failure.code != "ST202" or response.status_code != 400:
        return True
    described = case.operation.definition.raw.get("description", "")
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return True
    for rule, words in broken_rules(dict(case.query or {})):
        if f"- {rule}" in described and words in error:
            return False
    return True
