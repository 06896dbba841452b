"""Read a 1EdTech CASE package (JSON) into dataset tables (docs/frameworks.md).

CASE (Competencies and Academic Standards Exchange) is 1EdTech's interchange
format for competency frameworks. A package (``CFPackage``) is one JSON
object with ``CFDocument`` (the framework), ``CFItems`` (its statements) and
``CFAssociations`` (typed links between items, or to the document).

What becomes what:

- ``CFDocument`` -> one framework: ``name`` = ``title``, ``publisher`` =
  ``publisher`` (or ``creator``), ``version`` = ``version``;
- each ``CFItem`` -> a competency: ``name`` = ``abbreviatedStatement`` where
  given, otherwise ``fullStatement``; ``description`` = ``fullStatement``
  when the name is the abbreviation (so nothing is lost), otherwise
  ``notes``; ``alt_labels`` = ``alternativeLabel`` and, for an abbreviated
  item, the ``fullStatement`` (the crosswalk matches on labels);
- ``isChildOf`` (origin is a child of destination) -> the origin's
  ``parent``; a child of the document itself is a top-level competency.
  An item with several parents keeps the one of the lowest
  ``sequenceNumber``, then the smallest identifier; the others are reported;
- ``exactMatchOf`` between two items of the package -> ``equivalent_to``;
- every other association type (``isPeerOf``, ``isPartOf``, ``precedes``,
  ``isRelatedTo``, ``replacedBy``, ``exemplar``, ``hasSkillLevel``, extension
  types) and every ``exactMatchOf`` to an item outside the package: not
  imported, and counted in a notice by type.

Ids come from the CASE identifiers (UUIDs): ``case-<identifier>`` for
items and documents, so they are stable across imports and unique.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from graphmodel.errors import Location
from graphmodel.frameworks.common import (
    DroppedParent,
    ImportResult,
    clean_label,
    validated,
)
from graphmodel.io.raw import ProblemLog
from graphmodel.model import Competency, Dataset, Framework
from graphmodel.wording import plural

_NOT_ID = re.compile(r"[^A-Za-z0-9._-]+")


def case_id(identifier: str) -> str:
    """The dataset id of a CASE document or item, from its identifier.

    Example
    -------
    >>> case_id("c649d172-d7cb-11e8-824f-0242ac160002")
    'case-c649d172-d7cb-11e8-824f-0242ac160002'
    """
    return "case-" + _NOT_ID.sub("-", identifier.strip()).strip("-")


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def read_case(path: str | Path) -> ImportResult:
    """Read a CASE package (see the module docstring for what becomes what).

    Raises
    ------
    DatasetError
        For a file that is not a CASE package, as ``file:JSON path: message``
        (``CFItems[3].fullStatement: required value is empty``).
    """
    source = Path(path)
    where = str(source)
    log = ProblemLog()
    try:
        document = json.loads(source.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        log.add(Location(where), "no such file")
        log.raise_if_any()
    except UnicodeDecodeError as error:
        log.add(Location(where), f"not UTF-8 text (byte offset {error.start})")
        log.raise_if_any()
    except json.JSONDecodeError as error:
        log.add(Location(where, str(error.lineno)), f"invalid JSON: {error.msg}")
        log.raise_if_any()
    except IsADirectoryError:
        log.add(Location(where), "expected a CASE package (.json file), found a folder")
        log.raise_if_any()
    if not isinstance(document, dict) or not isinstance(document.get("CFDocument"), dict):
        log.add(Location(where, "CFDocument"), "not a CASE package: no CFDocument object")
        log.raise_if_any()
    cf_document: dict[str, Any] = document["CFDocument"]
    items = document.get("CFItems") or []
    associations = document.get("CFAssociations") or []
    for key, value in (("CFItems", items), ("CFAssociations", associations)):
        if not isinstance(value, list):
            log.add(Location(where, key), "expected a list")
    log.raise_if_any()

    doc_identifier = _text(cf_document.get("identifier"))
    title = clean_label(_text(cf_document.get("title")))
    for column, value in (("identifier", doc_identifier), ("title", title)):
        if value is None:
            log.add(Location(where, "CFDocument", column), "required value is empty")
    log.raise_if_any()
    assert doc_identifier is not None and title is not None
    framework = Framework(
        id=case_id(doc_identifier),
        name=title,
        publisher=_text(cf_document.get("publisher")) or _text(cf_document.get("creator")),
        version=_text(cf_document.get("version")),
    )

    rows: dict[str, dict[str, Any]] = {}
    uri_of: dict[str, str] = {}
    for index, item in enumerate(items):
        at = f"CFItems[{index}]"
        if not isinstance(item, dict):
            log.add(Location(where, at), "expected an object")
            continue
        identifier = _text(item.get("identifier"))
        full = clean_label(_text(item.get("fullStatement")))
        if identifier is None:
            log.add(Location(where, at, "identifier"), "required value is empty")
            continue
        if full is None:
            log.add(Location(where, at, "fullStatement"), "required value is empty")
            continue
        if identifier in rows or identifier == doc_identifier:
            log.add(Location(where, at, "identifier"), f"identifier {identifier!r} is used twice")
            continue
        short = clean_label(_text(item.get("abbreviatedStatement")))
        alternative = clean_label(_text(item.get("alternativeLabel")))
        name = short or full
        rows[identifier] = {
            "id": case_id(identifier),
            "name": name,
            "framework": framework.id,
            "description": full if short else _text(item.get("notes")),
            # The full statement is another way of saying an abbreviated item: the
            # crosswalk matches it as a label.
            "alt_labels": list(
                dict.fromkeys(label for label in (full, alternative) if label and label != name)
            ),
            "equivalent_to": [],
        }
        if uri := _text(item.get("uri")):
            uri_of[uri] = identifier
    log.raise_if_any()

    def node(link: Any, at: str, column: str) -> str | None:
        """The identifier a node reference (``{title, identifier, uri}``) names."""
        if isinstance(link, dict):
            identifier = _text(link.get("identifier"))
            uri = _text(link.get("uri"))
            if identifier is None and uri is not None:
                identifier = uri_of.get(uri, uri)
            if identifier is not None:
                return identifier
        log.add(Location(where, at, column), "expected a node reference with an identifier")
        return None

    parents: dict[str, list[tuple[float, str]]] = defaultdict(list)
    not_imported: Counter[str] = Counter()
    outside = 0
    for index, association in enumerate(associations):
        at = f"CFAssociations[{index}]"
        if not isinstance(association, dict):
            log.add(Location(where, at), "expected an object")
            continue
        kind = _text(association.get("associationType"))
        if kind is None:
            log.add(Location(where, at, "associationType"), "required value is empty")
            continue
        origin = node(association.get("originNodeURI"), at, "originNodeURI")
        target = node(association.get("destinationNodeURI"), at, "destinationNodeURI")
        if origin is None or target is None:
            continue
        if kind == "isChildOf" and origin in rows:
            if target == doc_identifier:
                continue  # a top-level item
            if target in rows and target != origin:
                order = association.get("sequenceNumber")
                rank = float(order) if isinstance(order, int | float) else float("inf")
                parents[origin].append((rank, target))
                continue
            outside += 1
        elif kind == "exactMatchOf" and origin in rows and target in rows and origin != target:
            equivalents = rows[origin]["equivalent_to"]
            if case_id(target) not in equivalents:
                equivalents.append(case_id(target))
        elif kind in ("isChildOf", "exactMatchOf"):
            outside += 1
        else:
            not_imported[kind] += 1
    log.raise_if_any()

    dropped: list[DroppedParent] = []
    for child, candidates in sorted(parents.items()):
        ranked = [target for _, target in sorted(set(candidates))]
        kept: str | None = None
        for candidate in ranked:
            # Keep a parent only if it does not lead back to the child (no loops).
            node_at: str | None = candidate
            while node_at is not None and node_at != child:
                node_at = _parent_identifier(rows[node_at])
            if node_at is None:
                kept = candidate
                break
        if kept is not None:
            rows[child]["parent"] = case_id(kept)
            rows[child]["_parent"] = kept
        for candidate in ranked:
            if candidate != kept:
                reason = "another parent kept" if kept is not None else "would loop"
                dropped.append(DroppedParent(child, rows[child]["name"], candidate, kept, reason))

    notices = []
    if not_imported:
        counts = ", ".join(f"{count} {kind}" for kind, count in sorted(not_imported.items()))
        notices.append(f"associations not imported (graphmodel has no such relationship): {counts}")
    if outside:
        notices.append(
            f"{plural(outside, 'isChildOf/exactMatchOf association')} to an item outside this "
            "package: not imported"
        )
    if dropped:
        notices.append(
            f"{plural(len({d.child for d in dropped}), 'item')} with several isChildOf parents: "
            f"kept one each (lowest sequenceNumber, then smallest identifier), dropped "
            f"{len(dropped)}"
        )
    competencies = [
        Competency.model_validate({k: v for k, v in row.items() if not k.startswith("_")})
        for row in rows.values()
    ]
    dataset = Dataset(frameworks=[framework], competencies=competencies)
    return ImportResult(validated(dataset, where), notices, dropped)


def _parent_identifier(row: dict[str, Any]) -> str | None:
    parent: str | None = row.get("_parent")
    return parent
