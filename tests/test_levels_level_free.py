"""A dataset without levels answers exactly as before levels existed (docs/coverage.md).

The documents in ``tests/data/level-free-golden/`` are every analysis' JSON on
the bundled example as it was before proficiency levels were added to the
model, printed by the command line of that version. The bundled example has
since gained a small levelled framework (its own competencies, requirements
and training events); without those rows it is the old example again, and
every command must print the same bytes for it.

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

from graphmodel.cli.main import cli
from graphmodel.dataset import read_dataset
from graphmodel.io.tabular import write_dataset
from graphmodel.model import Dataset

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
