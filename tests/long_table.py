"""A real-shaped long table of roles x skills x levels, made up, with the quirks of real ones.

Levelled frameworks such as the UK's DDaT Capability Framework circulate as
one table: a row per role level x skill x the level that role level needs,
beside a job family, descriptions on several lines, and placeholder rows.
This builds one of the same shape (about 200 role levels, 190 skills and
1,800 rows, from words made up here: no framework's own text) and keeps the
answer an import must give, so that the tests of ``framework import table``
check it against the truth:

- a title row and a blank row above the header, and columns the import does
  not use (job family, the level's own description);
- descriptions on two or three lines; a few role names broken over two lines
  in some rows and not in others; names with stray spaces;
- identical rows repeated; pairs given at two levels (the higher is kept);
- placeholder levels (``Not applicable``, ``N/A``, an empty cell) on rows
  that are no requirement at all; levels in other case (``working``).
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

LEVELS = ("Awareness", "Working", "Practitioner", "Expert")
HEADER = [
    "Job family",
    "Role",
    "Role level",
    "Role level description",
    "Skill",
    "Skill description",
    "Skill level",
    "Skill level description",
]
PLACEHOLDERS = ("Not applicable", "N/A", "")
TITLE = "Roles, skills and the levels they need (made-up test table)"

_FAMILIES = {
    "Data": ["data analyst", "data engineer", "data scientist", "data architect", "statistician"],
    "Digital": ["service designer", "content designer", "user researcher", "product manager"],
    "Technology": ["software developer", "test engineer", "network engineer", "cloud engineer"],
    "Security": ["security analyst", "security architect", "incident responder"],
    "Delivery": ["delivery manager", "business analyst", "portfolio manager", "service owner"],
    "Operations": ["service desk analyst", "application operations engineer"],
    "Care records": ["clinical safety officer", "records manager", "information governance lead"],
    "Research": ["performance analyst", "operational researcher", "social researcher"],
    "Workforce": ["workforce planner", "learning designer", "practice educator"],
    "Finance": ["management accountant", "commercial analyst", "procurement specialist"],
    "Care practice": ["practice supervisor", "quality reviewer", "safeguarding adviser"],
    "Communications": ["digital communicator", "engagement officer", "web editor"],
}
_GRADES = ("Associate", "", "Senior", "Lead", "Principal")
_TOPICS = (
    "data modelling", "data quality", "metadata", "statistics", "visualisation", "testing",
    "user needs", "accessibility", "service ownership", "agile delivery", "risk management",
    "threat intelligence", "cloud hosting", "networking", "programming", "code review",
    "information governance", "clinical safety", "records management", "consent",
    "research methods", "evaluation", "planning", "stakeholder relationships", "coaching",
)  # fmt: skip
_ASPECTS = (
    "", "strategy", "practice", "assurance", "tools", "standards", "leadership", "design",
)  # fmt: skip


@dataclass
class LongTable:
    """The rows (header order), and what importing them must give."""

    rows: list[list[str]] = field(default_factory=list)
    #: (role level, skill) -> the level the import keeps (the highest given).
    expected: dict[tuple[str, str], str] = field(default_factory=dict)
    #: role level -> its job family (the import's --sector); skill -> first description.
    family: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)
    repeated: int = 0
    two_levels: int = 0

    def write_csv(self, path: Path, rows: list[list[str]] | None = None) -> Path:
        """As a CSV file with the title row above the header (cells on several lines quoted)."""
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([TITLE])
            writer.writerow([])
            writer.writerow(HEADER)
            writer.writerows(self.rows if rows is None else rows)
        return path

    def write_xlsx(self, path: Path) -> Path:
        """As a workbook: a notes sheet first, then the table under its title."""
        import openpyxl

        book = openpyxl.Workbook()
        notes = book.active
        notes.title = "About"
        notes.append(["Made up for graphmodel's tests; no framework's text."])
        sheet = book.create_sheet("Roles and skills")
        sheet.append([TITLE])
        sheet.append([])
        sheet.append(HEADER)
        for row in self.rows:
            sheet.append(row)
        book.save(path)
        return path


def _role_name(grade: str, role: str) -> str:
    if not grade:
        return role.capitalize()
    return f"{grade} {role}"


def make_long_table(seed: int = 7) -> LongTable:
    """The table and its answer; the same seed gives the same table."""
    rng = random.Random(seed)
    skills = [f"{topic} {aspect}".strip().capitalize() for topic in _TOPICS for aspect in _ASPECTS][
        :190
    ]
    table = LongTable()
    for skill in skills:
        table.description[skill] = (
            f"What {skill.lower()} means in this made-up framework.\n"
            f"Second line of the description of {skill.lower()}."
        )
    rows: list[list[str]] = []
    # Every skill is needed by some role: a share of a shuffled deck each, and a few more.
    deck = rng.sample(skills, len(skills))
    roles_in_all = sum(len(roles) for roles in _FAMILIES.values())
    for family, roles in _FAMILIES.items():
        for role in roles:
            share = [deck.pop() for _ in range(min(len(deck), -(-len(skills) // roles_in_all)))]
            needed = share + rng.sample([s for s in skills if s not in share], 9 - len(share))
            for step, grade in enumerate(_GRADES):
                name = _role_name(grade, role)
                table.family[name] = family
                for skill in needed:
                    # Higher grades need the same skills at higher levels.
                    level = LEVELS[min(3, max(0, step - 1 + rng.randrange(2)))]
                    table.expected[(name, skill)] = level
                    rows.append(_row(family, role, name, skill, level, table, rng))
    # Placeholder rows: a role level that does not need a skill at all.
    for placeholder, count in zip(PLACEHOLDERS, (40, 12, 6), strict=True):
        for _ in range(count):
            name = rng.choice(sorted(table.family))
            skill = rng.choice(skills)
            row = _row(table.family[name], name, name, skill, placeholder, table, rng)
            rows.insert(rng.randrange(len(rows)), row)
            table.skipped[placeholder] += 1
    # Identical rows, repeated (requirements, not placeholders).
    requirement_rows = [row for row in rows if row[6] in LEVELS]
    for _ in range(25):
        rows.insert(rng.randrange(len(rows)), list(rng.choice(requirement_rows)))
        table.repeated += 1
    # Pairs given at two levels: the highest is kept.
    pairs = rng.sample(sorted(table.expected), 6)
    for name, skill in pairs:
        given = table.expected[(name, skill)]
        other = LEVELS[(LEVELS.index(given) + 2) % 4]
        table.expected[(name, skill)] = max(given, other, key=LEVELS.index)
        rows.append(_row(table.family[name], name, name, skill, other, table, rng))
        table.two_levels += 1
    # Stray spaces, other case, a name broken over two lines, a blank row.
    for index in rng.sample(range(len(rows)), 30):
        row = rows[index]
        if row[6] in LEVELS:
            row[6] = rng.choice([row[6].lower(), f" {row[6].upper()} ", row[6]])
        row[4] = f"  {row[4]} "
    broken = [index for index, row in enumerate(rows) if " " in row[2]][:8]
    for index in broken:
        first, _, rest = rows[index][2].partition(" ")
        rows[index][2] = f"{first}\n{rest}"
    rows.insert(len(rows) // 2, [""] * len(HEADER))
    table.rows = rows
    return table


def _row(
    family: str, role: str, name: str, skill: str, level: str, table: LongTable, rng: random.Random
) -> list[str]:
    return [
        family,
        role,
        name,
        f"{name} in the {family.lower()} family.\nLeads, supports or delivers the work.",
        skill,
        table.description[skill],
        level,
        f"At {level or 'no'} level: does things.\nWith {rng.choice(['some', 'little'])} help.",
    ]
