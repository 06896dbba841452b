"""Progress between two mapping exercises: what changed from OLD to NEW.

Each side is any backend (a dataset file or a Neo4j database), and every
comparison is between the answers the analyses give on each side, so "a gap
closed" means exactly "a gap in ``graphmodel gaps OLD`` that is not in
``graphmodel gaps NEW``" under the same options. What is compared:

- **gaps** (profession, competency): *closed* when OLD has the gap and NEW
  does not, either because NEW covers it (``now covered``) or because NEW
  no longer requires it (``no longer required``); *opened* when NEW has the
  gap and OLD does not, either because it is a requirement OLD did not have
  (``newly required``) or because OLD covered it (``no longer covered``, or
  ``now below the level needed`` where NEW still covers it, below the level).
  Closed gaps list OLD's severity, opened gaps NEW's; both sort by severity
  descending, then profession and competency id (as ``gaps`` does);
- **levels** (where either side's frameworks state levels): each gap row
  carries ``required_level`` and ``covered_level`` (OLD's for closed gaps,
  NEW's for opened ones); ``summary`` adds ``below_level`` (gaps with some
  cover below the level needed), ``changes`` counts the closed and opened
  gaps that were below level (``below_level_closed``, ``below_level_opened``),
  and ``gaps_level_changed`` lists the gaps of both sides whose level reached
  changed (progress that does not close the gap yet, or ground lost), with
  ``old_covered_level``;
- **competencies**: *newly covered* when uncovered in OLD and covered in NEW;
  *newly uncovered* when uncovered in NEW and either covered in OLD
  (``lost coverage``) or absent from OLD (``new competency``);
- **initiatives** (by id): added, removed, and every status change
  (``completed`` and ``stopped`` are also counted on their own);
- **drivers** (by id): added (with the initiatives in NEW that respond to
  each) and removed;
- **duplicates**: pairs ``graphmodel duplicates NEW`` reports that
  ``graphmodel duplicates OLD`` did not (``new initiative`` when one of the
  two is new, else ``now similar``), and pairs OLD reported that NEW does
  not (``initiative removed``, ``linked by BUILDS_ON`` or ``no longer
  similar``).

Example
-------
>>> from graphmodel.backends import MemoryBackend
>>> from graphmodel.dataset import read_dataset
>>> same = MemoryBackend(read_dataset("examples/children-trust"))
>>> compare(same, same)["changes"]["gaps_closed"]
0
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from graphmodel.analysis.coverage import CoverageData, CoverageQuery, gaps, uncovered
from graphmodel.analysis.duplicates import DuplicateQuery, DuplicateReport, find_duplicates
from graphmodel.analysis.levels import NOTHING, UNSTATED, UNSTATED_NAME, Rank, Scale
from graphmodel.backends.base import GraphBackend
from graphmodel.errors import NotFoundError
from graphmodel.model import InitiativeStatus
from graphmodel.projections import InitiativeFilter, InitiativeNode

T = TypeVar("T")

#: Sums of severities and shares are rounded to this many places.
DIGITS = 4


@dataclass(frozen=True)
class DiffQuery:
    """The options both sides are analysed with.

    ``coverage`` chooses the active events and narrows the requirements (as
    for ``gaps``); ``duplicates`` sets the duplicate threshold and lead
    filter (as for ``duplicates``).
    """

    coverage: CoverageQuery = field(default_factory=CoverageQuery)
    duplicates: DuplicateQuery = field(default_factory=DuplicateQuery)


def _on(side: str, compute: Callable[[], T]) -> T:
    """Run one side's analysis, naming the side in an unknown-id error."""
    try:
        return compute()
    except NotFoundError as error:
        raise NotFoundError(f"{side}: {error}") from None


def _old_new(old: Any, new: Any) -> dict[str, Any]:
    return {"old": old, "new": new}


def _share(covered: int, requirements: int) -> float | None:
    return round(covered / requirements, DIGITS) if requirements else None


def _initiative_row(node: InitiativeNode) -> dict[str, Any]:
    return {
        "initiative": node.id,
        "title": node.title,
        "status": node.status,
        "lead": node.lead,
        "budget": node.budget,
        "responds_to": list(node.responds_to),
    }


class _Side:
    """Everything compared, computed once for one side."""

    def __init__(self, name: str, backend: GraphBackend, query: DiffQuery) -> None:
        coverage = query.coverage
        self.counts = backend.counts()
        self.gaps = _on(name, lambda: gaps(backend, coverage))
        self.required = _on(
            name,
            lambda: {
                (r.profession, r.competency)
                for r in CoverageData(backend, coverage).selected_requirements()
            },
        )
        self.uncovered = _on(name, lambda: uncovered(backend, coverage))
        self.competencies = {c.id: c for c in backend.competencies()}
        self.scales = {f.id: Scale(f.levels) for f in backend.frameworks()}
        self.initiatives = {i.id: i for i in backend.initiatives(InitiativeFilter())}
        self.names = {node.id: node.name for node in backend.named_nodes()}
        self.drivers = {d.id: d for d in backend.named_nodes(["Driver"])}
        self.duplicates: DuplicateReport = find_duplicates(backend, query.duplicates)

    def level_change(self, competency: str, old: str | None, new: str | None) -> str:
        """How the level reached for a gap moved, in words (levels read on this side's scale)."""
        node = self.competencies.get(competency)
        scale = self.scales.get(node.framework, Scale(())) if node is not None else Scale(())

        def rank(level: str | None) -> Rank | None:
            if level is None:
                return NOTHING
            return UNSTATED if level == UNSTATED_NAME else scale.rank(level)

        before, after = rank(old), rank(new)
        if before == NOTHING:
            return "some cover now, below the level needed"
        if after == NOTHING:
            return "cover lost"
        if before is None or after is None:
            return "level reached changed"
        return "level raised, still below" if after > before else "level lowered"

    @property
    def gap_rows(self) -> dict[tuple[str, str], dict[str, Any]]:
        return {(g["profession"], g["competency"]): g for g in self.gaps["gaps"]}

    @property
    def uncovered_rows(self) -> dict[str, dict[str, Any]]:
        return {u["competency"]: u for u in self.uncovered["uncovered"]}


def _by_severity(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda g: (-g["severity"], g["profession"], g["competency"]))


def _severity(rows: list[dict[str, Any]]) -> float:
    return round(float(sum(row["severity"] for row in rows)), DIGITS)


def compare(old: GraphBackend, new: GraphBackend, query: DiffQuery | None = None) -> dict[str, Any]:
    """What changed from ``old`` to ``new`` (see the module docstring for each rule).

    Returns
    -------
    dict
        ``summary`` (each measure ``{"old": x, "new": y}``), ``changes``
        (how many of each change), and the lists ``gaps_closed``,
        ``gaps_opened``, ``competencies_newly_covered``,
        ``competencies_newly_uncovered``, ``initiatives_added``,
        ``initiatives_removed``, ``initiative_status_changes``,
        ``drivers_added``, ``drivers_removed``, ``duplicates_new`` and
        ``duplicates_resolved``; ``names`` gives the name of every
        profession, organisation and driver id those rows mention.
    """
    query = query or DiffQuery()
    before = _Side("OLD", old, query)
    after = _Side("NEW", new, query)

    old_gaps, new_gaps = before.gap_rows, after.gap_rows
    closed = _by_severity(
        [
            {**row, "why": "now covered" if key in after.required else "no longer required"}
            for key, row in old_gaps.items()
            if key not in new_gaps
        ]
    )
    opened = _by_severity(
        [
            {
                **row,
                "why": "newly required"
                if key not in before.required
                else ("now below the level needed" if _reached(row) else "no longer covered"),
            }
            for key, row in new_gaps.items()
            if key not in old_gaps
        ]
    )

    levelled = "below_level" in before.gaps["summary"] or "below_level" in after.gaps["summary"]
    level_changed = _by_severity(
        [
            {
                **row,
                "old_covered_level": old_gaps[key].get("covered_level"),
                "why": after.level_change(
                    row["competency"], old_gaps[key].get("covered_level"), row["covered_level"]
                ),
            }
            for key, row in new_gaps.items()
            if key in old_gaps and old_gaps[key].get("covered_level") != row.get("covered_level")
        ]
    )

    old_uncovered, new_uncovered = before.uncovered_rows, after.uncovered_rows
    newly_covered = [
        {
            "competency": competency,
            "name": after.competencies[competency].name,
            "required_by": _required_by(after, competency),
        }
        for competency, row in sorted(old_uncovered.items())
        if competency in after.competencies and competency not in new_uncovered
    ]
    newly_uncovered = [
        {
            "competency": competency,
            "name": row["name"],
            "required_by": row["required_by"],
            "why": "lost coverage" if competency in before.competencies else "new competency",
        }
        for competency, row in sorted(new_uncovered.items())
        if competency not in old_uncovered
    ]

    added = [_initiative_row(after.initiatives[i]) for i in sorted(after.initiatives)]
    added = [row for row in added if row["initiative"] not in before.initiatives]
    removed = [
        _initiative_row(before.initiatives[i])
        for i in sorted(before.initiatives)
        if i not in after.initiatives
    ]
    status_changes = [
        {
            "initiative": i,
            "title": after.initiatives[i].title,
            "from": before.initiatives[i].status,
            "to": after.initiatives[i].status,
        }
        for i in sorted(set(before.initiatives) & set(after.initiatives))
        if before.initiatives[i].status != after.initiatives[i].status
    ]

    responding: dict[str, list[str]] = {}
    for node in after.initiatives.values():
        for driver in node.responds_to:
            responding.setdefault(driver, []).append(node.id)
    drivers_added = [
        {
            "driver": d,
            "name": after.drivers[d].name,
            "responding": sorted(responding.get(d, [])),
        }
        for d in sorted(after.drivers)
        if d not in before.drivers
    ]
    drivers_removed = [
        {"driver": d, "name": before.drivers[d].name}
        for d in sorted(before.drivers)
        if d not in after.drivers
    ]

    duplicates_new, duplicates_resolved = _duplicate_changes(before, after)

    def counted(status: InitiativeStatus) -> int:
        return sum(1 for change in status_changes if change["to"] == status.value)

    old_summary, new_summary = before.gaps["summary"], after.gaps["summary"]
    summary = {
        "nodes": {
            label: _old_new(before.counts.nodes[label], after.counts.nodes[label])
            for label in before.counts.nodes
        },
        "requirements": _old_new(old_summary["requirements"], new_summary["requirements"]),
        "covered": _old_new(old_summary["covered"], new_summary["covered"]),
        "coverage_share": _old_new(
            _share(old_summary["covered"], old_summary["requirements"]),
            _share(new_summary["covered"], new_summary["requirements"]),
        ),
        "gaps": _old_new(old_summary["gaps"], new_summary["gaps"]),
        "gap_severity": _old_new(_severity(before.gaps["gaps"]), _severity(after.gaps["gaps"])),
        "uncovered": _old_new(
            before.uncovered["summary"]["uncovered"], after.uncovered["summary"]["uncovered"]
        ),
        **(
            {
                "below_level": _old_new(
                    old_summary.get("below_level", 0), new_summary.get("below_level", 0)
                )
            }
            if levelled
            else {}
        ),
        "duplicate_pairs": _old_new(len(before.duplicates.pairs), len(after.duplicates.pairs)),
        "duplicate_clusters": _old_new(
            len(before.duplicates.clusters), len(after.duplicates.clusters)
        ),
    }
    changes = {
        "gaps_closed": len(closed),
        "gaps_opened": len(opened),
        "severity_closed": _severity(closed),
        "severity_opened": _severity(opened),
        **(
            {
                "below_level_closed": sum(1 for g in closed if _reached(g)),
                "below_level_opened": sum(1 for g in opened if _reached(g)),
                "gaps_level_changed": len(level_changed),
            }
            if levelled
            else {}
        ),
        "competencies_newly_covered": len(newly_covered),
        "competencies_newly_uncovered": len(newly_uncovered),
        "initiatives_added": len(added),
        "initiatives_removed": len(removed),
        "initiatives_completed": counted(InitiativeStatus.COMPLETED),
        "initiatives_stopped": counted(InitiativeStatus.STOPPED),
        "initiative_status_changes": len(status_changes),
        "drivers_added": len(drivers_added),
        "drivers_removed": len(drivers_removed),
        "duplicates_new": len(duplicates_new),
        "duplicates_resolved": len(duplicates_resolved),
    }
    mentioned = _mentioned(
        closed, opened, level_changed, newly_covered, newly_uncovered, added, removed, drivers_added
    )
    names = {**before.names, **after.names}
    document: dict[str, Any] = {
        "summary": summary,
        "changes": changes,
        "gaps_closed": closed,
        "gaps_opened": opened,
        **({"gaps_level_changed": level_changed} if levelled else {}),
        "competencies_newly_covered": newly_covered,
        "competencies_newly_uncovered": newly_uncovered,
        "initiatives_added": added,
        "initiatives_removed": removed,
        "initiative_status_changes": status_changes,
        "drivers_added": drivers_added,
        "drivers_removed": drivers_removed,
        "duplicates_new": duplicates_new,
        "duplicates_resolved": duplicates_resolved,
        "names": {i: names[i] for i in sorted(mentioned) if i in names},
    }
    return document


def _reached(gap: dict[str, Any]) -> bool:
    """Whether a gap row has some cover, below the level needed."""
    return gap.get("covered_level") is not None


def _mentioned(*groups: list[dict[str, Any]]) -> set[str]:
    """The ids of professions, organisations and drivers the listed rows name."""
    ids: set[str] = set()
    for rows in groups:
        for row in rows:
            for key in ("profession", "lead"):
                if row.get(key):
                    ids.add(row[key])
            for key in ("required_by", "responds_to"):
                ids.update(row.get(key, ()))
    return ids


def _required_by(side: _Side, competency: str) -> list[str]:
    return sorted({p for p, c in side.required if c == competency})


def _duplicate_changes(
    before: _Side, after: _Side
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    old_pairs = {(p.a, p.b): p for p in before.duplicates.pairs}
    new_pairs = {(p.a, p.b): p for p in after.duplicates.pairs}
    found = []
    for pair in after.duplicates.pairs:  # best first, as duplicates lists them
        if (pair.a, pair.b) in old_pairs:
            continue
        is_new = pair.a not in before.initiatives or pair.b not in before.initiatives
        titles = {i: after.initiatives[i].title for i in (pair.a, pair.b)}
        found.append(
            {
                **pair.to_json(),
                "titles": titles,
                "why": "new initiative" if is_new else "now similar",
            }
        )
    resolved = []
    for pair in before.duplicates.pairs:
        if (pair.a, pair.b) in new_pairs:
            continue
        a, b = after.initiatives.get(pair.a), after.initiatives.get(pair.b)
        if a is None or b is None:
            why = "initiative removed"
        elif pair.b in a.builds_on or pair.a in b.builds_on:
            why = "linked by BUILDS_ON"
        else:
            why = "no longer similar"
        titles = {i: before.initiatives[i].title for i in (pair.a, pair.b)}
        resolved.append({**pair.to_json(), "titles": titles, "why": why})
    return found, resolved
