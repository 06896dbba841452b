"""A dataset without levels answers exactly as before levels existed (docs/coverage.md).

The documents in ``tests/data/level-free-golden/`` are every analysis' JSON on
the bundled example as it was before proficiency levels were added to the
model, printed by the command line of that version. The bundled example has
since gained a small levelled framework (its own competencies, requirements
and training events); without those rows it is the old example again, and
every command must print the same bytes for it.

Random level-free datasets check the same promise against section 6's rule
written straight (:func:`_level_free_gaps`).

To write the documents again after a deliberate change to an analysis' JSON:
``GRAPHMODEL_WRITE_GOLDEN=1 .venv/bin/pytest tests/test_levels_level_free.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, ROOT
from coverage_reference import reference_closure
from hypothesis import given, settings
from hypothesis import strategies as st

from graphmodel.analysis.coverage import CoverageQuery, gaps
from graphmodel.backends import MemoryBackend
from graphmodel.cli.main import cli
from graphmodel.dataset import read_dataset
from graphmodel.io.tabular import write_dataset
from graphmodel.model import (
    Competency,
    Dataset,
    Framework,
    Organisation,
    Priority,
    Profession,
    Requirement,
    TrainingEvent,
    WorkforceEntry,
)

GOLDEN = ROOT / "tests" / "data" / "level-free-golden"
PREVIOUS = ROOT / "examples" / "children-trust-2025"

#: Every analysis, as the command line runs it (with ``--format json``), on the example (EX)
#: and last year's (OLD).
COMMANDS: dict[str, str] = {
    "stats": "stats EX",
    "gaps": "gaps EX",
    "gaps-window": "gaps EX --from 2026-01-01 --to 2026-12-31 --min-evaluation learning",
    "gaps-profession": "gaps EX --profession p-social-worker --priority essential",
    "uncovered": "uncovered EX",
    "coverage": "coverage EX",
    "explain-covered": "explain EX --profession p-social-worker --competency ccs-safe-neglect",
    "explain-gap": "explain EX --profession p-teacher --competency ccs-safe-recognise",
    "explain-unrequired": "explain EX --profession p-midwife --competency ccs-safe-exploit",
    "duplicates": "duplicates EX --kind all",
    "links-driver": "links EX --driver dr-inquiry-report",
    "links-initiative": "links EX --initiative in-nct-workforce-strategy",
    "path": "path EX p-midwife dr-drug-strategy",
    "brokers": "brokers EX",
    "diff": "diff OLD EX",
    "report": "report EX --since OLD",
}

#: The report prints the day it was made.
_DATED = ("report",)


def without_levels(dataset: Dataset) -> Dataset:
    """The dataset without its levelled frameworks and every row that depends on them."""
    levelled = {f.id for f in dataset.frameworks if getattr(f, "levels", None)}
    competencies = {c.id for c in dataset.competencies if c.framework in levelled}
    return dataset.model_copy(
        update={
            "frameworks": [f for f in dataset.frameworks if f.id not in levelled],
            "competencies": [c for c in dataset.competencies if c.id not in competencies],
            "requirements": [r for r in dataset.requirements if r.competency not in competencies],
            "training_events": [
                e
                for e in dataset.training_events
                if not any(item.split("@")[0] in competencies for item in e.covers)
            ],
        }
    )


def _run(name: str, folder: Path) -> str:
    arguments = [
        {"EX": "examples/children-trust", "OLD": "examples/children-trust-2025"}.get(a, a)
        for a in [*COMMANDS[name].split(), "--format", "json"]
    ]
    previous = Path.cwd()
    os.chdir(folder)  # the report names its sources as given: relative, as in the golden files
    try:
        result = CliRunner().invoke(cli, arguments, catch_exceptions=False)
    finally:
        os.chdir(previous)
    assert result.exit_code == 0, result.output
    if name in _DATED:
        document = json.loads(result.output)
        document["date"] = "2026-01-01"
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return result.output


@pytest.fixture(scope="module")
def level_free_examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding ``examples/children-trust`` without its levelled rows, and last year's."""
    folder = tmp_path_factory.mktemp("level-free")
    stripped = without_levels(read_dataset(EXAMPLE))
    assert not any(getattr(f, "levels", None) for f in stripped.frameworks)
    write_dataset(stripped, folder / "examples" / "children-trust")
    write_dataset(read_dataset(PREVIOUS), folder / "examples" / "children-trust-2025")
    return folder


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_analysis_prints_the_same_bytes_without_levels(
    name: str, level_free_examples: Path
) -> None:
    printed = _run(name, level_free_examples)
    golden = GOLDEN / f"{name}.json"
    if os.environ.get("GRAPHMODEL_WRITE_GOLDEN") == "1":
        GOLDEN.mkdir(parents=True, exist_ok=True)
        golden.write_text(printed, encoding="utf-8")
    assert printed == golden.read_text(encoding="utf-8")


# -- random level-free datasets against the level-free rule --------------------------------


def _level_free_gaps(data: Dataset) -> str:
    """The gaps document of section 6, written straight from the rule, as printed."""
    competencies = {c.id: c for c in data.competencies}
    covered = {
        p.id: reference_closure(
            data.competencies,
            {c for e in data.training_events if p.id in e.targets for c in e.covers},
        )
        for p in data.professions
    }
    headcount = {p.id: 0 for p in data.professions}
    staffed = set()
    for entry in data.workforce:
        headcount[entry.profession] += entry.headcount
        staffed.add(entry.profession)
    names = {p.id: p.name for p in data.professions}
    found = []
    for r in sorted(data.requirements, key=lambda r: (r.profession, r.competency)):
        if r.competency in covered[r.profession]:
            continue
        count = headcount[r.profession] if r.profession in staffed else 1
        area = r.competency
        while competencies[area].parent is not None:
            area = competencies[area].parent  # type: ignore[assignment]
        found.append(
            {
                "profession": r.profession,
                "competency": r.competency,
                "priority": r.priority.value,
                "headcount": count,
                "severity": r.priority.weight * count,
                "profession_name": names[r.profession],
                "competency_name": competencies[r.competency].name,
                "framework": competencies[r.competency].framework,
                "area": area,
            }
        )
    found.sort(key=lambda g: (-g["severity"], g["profession"], g["competency"]))
    total = len(data.requirements)
    summary = {"requirements": total, "covered": total - len(found), "gaps": len(found)}
    return json.dumps({"gaps": found, "summary": summary}, ensure_ascii=False)


@st.composite
def level_free_datasets(draw: st.DrawFn) -> Dataset:
    size = draw(st.integers(min_value=1, max_value=10))
    ids = [f"c{i}" for i in range(size)]
    competencies = []
    for i, cid in enumerate(ids):
        parent = draw(st.sampled_from([None, *ids[:i]])) if i else None
        others = sorted(draw(st.sets(st.sampled_from(ids), max_size=2)) - {cid})
        framework = draw(st.sampled_from(["fa", "fb"]))
        competencies.append(
            Competency(id=cid, name=cid.upper(), framework=framework, parent=parent,
                       equivalent_to=others)
        )  # fmt: skip
    professions = ["p1", "p2", "p3"]
    pairs = draw(st.sets(st.tuples(st.sampled_from(professions), st.sampled_from(ids))))
    requirements = [
        Requirement(profession=p, competency=c, priority=draw(st.sampled_from(list(Priority))))
        for p, c in sorted(pairs)
    ]
    events = [
        TrainingEvent(
            id=f"te{i}",
            title=f"Event {i}",
            targets=sorted(draw(st.sets(st.sampled_from(professions), max_size=2))),
            covers=sorted(draw(st.sets(st.sampled_from(ids), max_size=3))),
        )
        for i in range(draw(st.integers(min_value=0, max_value=4)))
    ]
    workforce = [
        WorkforceEntry(organisation="org", profession=p, headcount=draw(st.integers(0, 50)))
        for p in sorted(draw(st.sets(st.sampled_from(professions))))
    ]
    return Dataset(
        frameworks=[Framework(id="fa", name="A"), Framework(id="fb", name="B")],
        competencies=competencies,
        professions=[Profession(id=p, name=p.upper()) for p in professions],
        requirements=requirements,
        organisations=[Organisation(id="org", name="Org")],
        workforce=workforce,
        training_events=events,
    )


@settings(max_examples=300, deadline=None)
@given(level_free_datasets())
def test_gaps_of_a_level_free_dataset_are_the_level_free_rules_to_the_byte(data: Dataset) -> None:
    printed = json.dumps(gaps(MemoryBackend(data), CoverageQuery()), ensure_ascii=False)
    assert printed == _level_free_gaps(data)


@settings(max_examples=200, deadline=None)
@given(level_free_datasets())
def test_the_levelled_path_answers_the_level_free_rule_where_nothing_states_a_level(
    data: Dataset,
) -> None:
    # A levelled framework nobody requires or covers turns the levelled path on: every
    # other answer is the level-free rule's, with no level reached or needed.
    levelled = data.model_copy(
        update={
            "frameworks": [*data.frameworks, Framework(id="fl", name="L", levels="Low;High")],
            "competencies": [
                *data.competencies,
                Competency(id="lone", name="Lone", framework="fl"),
            ],
        }
    )
    result = gaps(MemoryBackend(levelled), CoverageQuery())
    assert result["summary"].pop("below_level") == 0
    for gap in result["gaps"]:
        assert (gap.pop("required_level"), gap.pop("covered_level")) == (None, None)
    assert json.dumps(result, ensure_ascii=False) == _level_free_gaps(data)
