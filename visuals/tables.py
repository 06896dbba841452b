"""Results as titled tables of text, ready for a terminal, Markdown or HTML.

The diff command prints these tables, and the board report renders the same
tables in its templates, so a number reads the same wherever it appears.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graphmodel.wording import number


@dataclass(frozen=True)
class Table:
    """A titled table whose cells are already text.

    ``numeric`` holds the indexes of the columns to right-align; ``note`` is
    a line printed under the table.
    """

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""
    numeric: frozenset[int] = frozenset()


def percent(share: float | None) -> str:
    """A share in [0, 1] as a percentage with one decimal.

    Example
    -------
    >>> percent(0.5271), percent(None)
    ('52.7%', '-')
    """
    return "-" if share is None else f"{share:.1%}"


def change(old: float | int | None, new: float | int | None, *, share: bool = False) -> str:
    """The signed difference ``new - old`` (percentage points for shares).

    Example
    -------
    >>> change(61, 55), change(10.0, 12.5), change(0.5, 0.55, share=True), change(3, 3)
    ('-6', '+2.50', '+5.0 pts', '0')
    """
    if old is None or new is None:
        return "-"
    delta = new - old
    if share:
        return f"{delta * 100:+.1f} pts" if delta else "0"
    if not delta:
        return "0"
    return ("+" if delta > 0 else "-") + number(abs(delta))


def _with_id(name: str | None, id_: str) -> str:
    return f"{name} ({id_})" if name and name != id_ else id_


def diff_tables(diff: dict[str, Any]) -> list[Table]:
    """The tables of a diff (:func:`graphmodel.analysis.diff.compare`), empty ones left out.

    The first two tables are always there: the measures before and after,
    and how many of each change there are.
    """
    summary, changes, names = diff["summary"], diff["changes"], diff.get("names", {})

    def named(ids: list[str]) -> str:
        return ", ".join(names.get(i, i) for i in ids)

    levelled = "below_level" in summary  # either side's frameworks state levels
    measures: list[tuple[str, Any, Any, bool]] = [
        ("Requirements", *_pair(summary["requirements"]), False),
        ("Requirements covered", *_pair(summary["covered"]), False),
        ("Coverage share", *_pair(summary["coverage_share"]), True),
        ("Gaps", *_pair(summary["gaps"]), False),
        *(
            [("Gaps below the level needed", *_pair(summary["below_level"]), False)]
            if levelled
            else []
        ),
        ("Gap severity (total)", *_pair(summary["gap_severity"]), False),
        ("Uncovered competencies", *_pair(summary["uncovered"]), False),
        ("Duplicate initiative pairs", *_pair(summary["duplicate_pairs"]), False),
        ("Duplicate clusters", *_pair(summary["duplicate_clusters"]), False),
    ]
    measures += [
        (f"{label} nodes", *_pair(counts), False) for label, counts in summary["nodes"].items()
    ]
    tables = [
        Table(
            "Progress summary",
            ("Measure", "Old", "New", "Change"),
            tuple(
                (
                    name,
                    percent(old) if share else number(old),
                    percent(new) if share else number(new),
                    change(old, new, share=share),
                )
                for name, old, new, share in measures
            ),
            numeric=frozenset({1, 2, 3}),
        ),
        Table(
            "What changed",
            ("Change", "Count", "Detail"),
            (
                (
                    "Gaps closed",
                    number(changes["gaps_closed"]),
                    f"severity {number(changes['severity_closed'])}",
                ),
                (
                    "Gaps opened",
                    number(changes["gaps_opened"]),
                    f"severity {number(changes['severity_opened'])}",
                ),
                *(
                    [
                        (
                            "Gaps below level closed",
                            number(changes["below_level_closed"]),
                            "of the gaps closed, those covered below the level needed before",
                        ),
                        (
                            "Gaps below level opened",
                            number(changes["below_level_opened"]),
                            "of the gaps opened, those covered below the level needed now",
                        ),
                        (
                            "Gaps whose level reached changed",
                            number(changes["gaps_level_changed"]),
                            "still gaps, covered at another level than before",
                        ),
                    ]
                    if levelled
                    else []
                ),
                ("Competencies newly covered", number(changes["competencies_newly_covered"]), ""),
                (
                    "Competencies newly uncovered",
                    number(changes["competencies_newly_uncovered"]),
                    "",
                ),
                ("Initiatives added", number(changes["initiatives_added"]), ""),
                (
                    "Initiatives completed",
                    number(changes["initiatives_completed"]),
                    f"of {number(changes['initiative_status_changes'])} status changes",
                ),
                ("Initiatives stopped", number(changes["initiatives_stopped"]), ""),
                ("Initiatives removed", number(changes["initiatives_removed"]), ""),
                ("Drivers added", number(changes["drivers_added"]), ""),
                ("Drivers removed", number(changes["drivers_removed"]), ""),
                ("New duplicate pairs", number(changes["duplicates_new"]), ""),
                ("Duplicate pairs resolved", number(changes["duplicates_resolved"]), ""),
            ),
            numeric=frozenset({1}),
        ),
    ]
    gap_columns: tuple[str, ...] = ("Profession", "Competency", "Priority", "Headcount", "Severity")
    gap_columns += ("Needed", "Reached", "Why") if levelled else ("Why",)
    gap_lists = [("gaps_closed", "Gaps closed"), ("gaps_opened", "Gaps opened")]
    if levelled:
        gap_lists.append(("gaps_level_changed", "Gaps whose level reached changed"))
    for key, title in gap_lists:
        rows: tuple[tuple[str, ...], ...] = tuple(
            (
                _with_id(g["profession_name"], g["profession"]),
                _with_id(g["competency_name"], g["competency"]),
                g["priority"],
                number(g["headcount"]),
                number(g["severity"]),
                *((g.get("required_level") or "any", _reached_text(g)) if levelled else ()),
                g["why"],
            )
            for g in diff[key]
        )
        tables.append(Table(title, gap_columns, rows, numeric=frozenset({3, 4})))
    tables.append(
        Table(
            "Competencies newly covered",
            ("Competency", "Required by"),
            tuple(
                (_with_id(c["name"], c["competency"]), named(c["required_by"]) or "-")
                for c in diff["competencies_newly_covered"]
            ),
        )
    )
    tables.append(
        Table(
            "Competencies newly uncovered",
            ("Competency", "Required by", "Why"),
            tuple(
                (_with_id(c["name"], c["competency"]), named(c["required_by"]) or "-", c["why"])
                for c in diff["competencies_newly_uncovered"]
            ),
        )
    )
    initiative_columns = ("Initiative", "Status", "Lead", "Budget", "Responds to")
    for key, title in (
        ("initiatives_added", "Initiatives added"),
        ("initiatives_removed", "Initiatives removed"),
    ):
        rows = tuple(
            (
                _with_id(i["title"], i["initiative"]),
                i["status"],
                names.get(i["lead"], i["lead"]) if i["lead"] else "-",
                number(i["budget"]),
                named(i["responds_to"]) or "-",
            )
            for i in diff[key]
        )
        tables.append(Table(title, initiative_columns, rows, numeric=frozenset({3})))
    tables.append(
        Table(
            "Initiative status changes",
            ("Initiative", "From", "To"),
            tuple(
                (_with_id(c["title"], c["initiative"]), c["from"], c["to"])
                for c in diff["initiative_status_changes"]
            ),
        )
    )
    tables.append(
        Table(
            "Drivers added",
            ("Driver", "Responding initiatives"),
            tuple(
                (_with_id(d["name"], d["driver"]), ", ".join(d["responding"]) or "none yet")
                for d in diff["drivers_added"]
            ),
        )
    )
    tables.append(
        Table(
            "Drivers removed",
            ("Driver",),
            tuple((_with_id(d["name"], d["driver"]),) for d in diff["drivers_removed"]),
        )
    )
    pair_columns = ("Initiatives", "Score", "Why", "Shared ground")
    for key, title in (
        ("duplicates_new", "New duplicate pairs"),
        ("duplicates_resolved", "Duplicate pairs resolved"),
    ):
        rows = tuple(
            (
                " / ".join(_with_id(p["titles"][i], i) for i in (p["a"], p["b"])),
                f"{p['score']:.2f}",
                p["why"],
                p["reasons"]["summary"],
            )
            for p in diff[key]
        )
        tables.append(Table(title, pair_columns, rows, numeric=frozenset({1})))
    listed = [table for index, table in enumerate(tables) if index < 2 or table.rows]
    return [_with_total(table, changes) for table in listed]


#: The ``changes`` count that gives the full length of each listing of a diff.
_DIFF_COUNTS = {
    "Gaps closed": "gaps_closed",
    "Gaps opened": "gaps_opened",
    "Gaps whose level reached changed": "gaps_level_changed",
    "Competencies newly covered": "competencies_newly_covered",
    "Competencies newly uncovered": "competencies_newly_uncovered",
    "Initiatives added": "initiatives_added",
    "Initiatives removed": "initiatives_removed",
    "Initiative status changes": "initiative_status_changes",
    "Drivers added": "drivers_added",
    "Drivers removed": "drivers_removed",
    "New duplicate pairs": "duplicates_new",
    "Duplicate pairs resolved": "duplicates_resolved",
}


def _with_total(table: Table, changes: dict[str, Any]) -> Table:
    """A listing cut short (as the board report cuts them) says how long it is in all."""
    key = _DIFF_COUNTS.get(table.title)
    if key is None or len(table.rows) >= changes[key]:
        return table
    note = f"The first {len(table.rows)} of {number(changes[key])}; `graphmodel diff` lists all."
    return Table(table.title, table.columns, table.rows, note, table.numeric)


def _reached_text(gap: dict[str, Any]) -> str:
    """The level a gap row reached: ``-`` for none; ``Awareness (was -)`` where it changed."""
    reached = gap.get("covered_level") or "-"
    if "old_covered_level" in gap:
        return f"{reached} (was {gap['old_covered_level'] or '-'})"
    return reached


def _pair(value: dict[str, Any]) -> tuple[Any, Any]:
    return value["old"], value["new"]


def markdown_cell(text: str) -> str:
    """A cell for a Markdown table: pipes escaped, line breaks as ``<br>``."""
    return text.replace("|", "\\|").replace("\r\n", "\n").replace("\n", "<br>")


def markdown_table(table: Table) -> str:
    """One table as GitHub-flavoured Markdown (numeric columns right-aligned)."""
    rule = "|" + "".join(
        "---:|" if i in table.numeric else "---|" for i in range(len(table.columns))
    )
    lines = ["| " + " | ".join(markdown_cell(c) for c in table.columns) + " |", rule]
    lines += ["| " + " | ".join(markdown_cell(cell) for cell in row) + " |" for row in table.rows]
    return "\n".join(lines)


def markdown_tables(tables: Sequence[Table], level: int = 3) -> str:
    """Tables as Markdown, each under a heading, separated by blank lines."""
    blocks = []
    for table in tables:
        block = f"{'#' * level} {table.title}\n\n{markdown_table(table)}"
        if table.note:
            block += f"\n\n{table.note}"
        blocks.append(block)
    return "\n\n".join(blocks)
