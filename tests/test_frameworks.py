"""Frameworks imported from ESCO CSV downloads and 1EdTech CASE packages."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from graphmodel.backends import GraphBackend, MemoryBackend
from graphmodel.cli.main import cli
from graphmodel.dataset import read_dataset
from graphmodel.errors import DatasetError, FrameworkError
from graphmodel.frameworks.case import read_case
from graphmodel.frameworks.common import merge_datasets
from graphmodel.frameworks.esco import esco_id, read_esco
from graphmodel.model import Priority

ESCO = ROOT / "tests" / "data" / "esco-sample"
CASE = ROOT / "tests" / "data" / "case-sample.json"
SKILL = "http://data.europa.eu/esco/skill/"
SAFEGUARD = SKILL + "10a1b2c3-d4e5-4f60-8172-839405a6b7c8"
PROTECT_GROUP = SKILL + "7c3e2f56-b2f4-4e1a-9c2d-3f4051627282"
HARM = SKILL + "21b2c3d4-e5f6-4071-9283-94a5b6c7d8e9"
DEVELOPMENT = SKILL + "43d4e5f6-0718-4293-b4a5-b6c7d8e9f001"
CARE_GROUP = SKILL + "5a1c0f34-90d2-4c9e-9a0b-1d2e3f405060"
HEALTH_GROUP = SKILL + "6b2d1e45-a1e3-4d0f-8b1c-2e3f40516171"
YOUTH_WORKER = "http://data.europa.eu/esco/occupation/a2000000-0000-4000-8000-000000000002"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def copy_esco(tmp_path: Path) -> Path:
    folder = tmp_path / "ESCO dataset - v1.2.0 - classification - en - csv"
    shutil.copytree(ESCO, folder)
    return folder


# -- ESCO ---------------------------------------------------------------------


def test_esco_skills_and_groups_become_competencies_with_their_labels() -> None:
    result = read_esco(ESCO)
    data = result.dataset
    assert [f.id for f in data.frameworks] == ["esco"]
    assert data.frameworks[0].publisher == "European Commission"
    assert len(data.competencies) == 11  # 7 skills + 4 groups
    safeguard = next(c for c in data.competencies if c.id == esco_id(SAFEGUARD))
    assert safeguard.name == "safeguard vulnerable people"
    # altLabels is a multi-line cell: one label per line.
    assert safeguard.alt_labels == [
        "protect vulnerable service users",
        "protect people at risk of harm",
        "keep vulnerable people safe",
    ]
    assert safeguard.description and safeguard.description.startswith("Recognise signs of abuse")
    harm = next(c for c in data.competencies if c.id == esco_id(HARM))
    # ';' is the dataset's list separator, so a label keeps a comma instead.
    assert "report abuse, neglect or exploitation" in harm.alt_labels
    youth = next(c for c in data.competencies if c.name == "communicate with youth")
    assert youth.alt_labels == ["talk with young people", "engage young people in conversation"]


def test_esco_ids_come_from_the_uris_and_are_stable() -> None:
    assert esco_id(SAFEGUARD) == "esco-skill-10a1b2c3-d4e5-4f60-8172-839405a6b7c8"
    assert esco_id("http://data.europa.eu/esco/isced-f/0923") == "esco-isced-f-0923"
    first, second = read_esco(ESCO).dataset, read_esco(ESCO).dataset
    assert first == second
    ids = [c.id for c in first.competencies] + [p.id for p in first.professions]
    assert len(ids) == len(set(ids))


def test_one_parent_per_skill_by_the_documented_rule_and_the_rest_reported() -> None:
    result = read_esco(ESCO)
    parent = {c.id: c.parent for c in result.dataset.competencies}
    # A skill group before a skill (harm is a skill, the protecting group a group).
    assert parent[esco_id(SAFEGUARD)] == esco_id(PROTECT_GROUP)
    # Two groups: the smaller URI.
    assert parent[esco_id(DEVELOPMENT)] == esco_id(CARE_GROUP)
    dropped = {(d.child, d.parent, d.reason) for d in result.dropped_parents}
    assert (SAFEGUARD, HARM, "another parent kept") in dropped
    assert (DEVELOPMENT, HEALTH_GROUP, "another parent kept") in dropped
    assert any(d.reason == "unknown concept" for d in result.dropped_parents)
    assert any("2 concepts with several broader concepts" in n for n in result.notices)


def test_essential_and_optional_skills_become_requirements() -> None:
    data = read_esco(ESCO).dataset
    priority = {(r.profession, r.competency): r.priority for r in data.requirements}
    youth = esco_id(YOUTH_WORKER)
    # Given as essential and again as optional: essential wins, once.
    assert priority[(youth, esco_id(SKILL + "32c3d4e5-f607-4182-a394-a5b6c7d8e9f0"))] is (
        Priority.ESSENTIAL
    )
    assert priority[(youth, esco_id(DEVELOPMENT))] is Priority.DESIRABLE
    assert len(data.requirements) == 8
    assert sorted(p.name for p in data.professions) == [
        "family support worker",
        "social worker",
        "youth worker",
    ]


def test_occupation_keeps_only_what_those_occupations_need() -> None:
    by_label = read_esco(ESCO, occupations=["Youth  Worker"]).dataset
    by_uri = read_esco(ESCO, occupations=[YOUTH_WORKER]).dataset
    assert by_label == by_uri
    assert [p.name for p in by_label.professions] == ["youth worker"]
    names = {c.name for c in by_label.competencies}
    # The three skills it needs and the groups above them, nothing else.
    assert names == {
        "communicate with youth",
        "safeguard vulnerable people",
        "assess the development of children",
        "assisting and caring",
        "protecting and enforcing",
    }
    assert {r.profession for r in by_label.requirements} == {esco_id(YOUTH_WORKER)}


def test_unknown_occupation_suggests_the_closest() -> None:
    with pytest.raises(FrameworkError, match=r"no occupation 'youth wroker'.*'youth worker'"):
        read_esco(ESCO, occupations=["youth wroker"])


def test_esco_version_from_the_folder_name(tmp_path: Path) -> None:
    assert read_esco(copy_esco(tmp_path)).dataset.frameworks[0].version == "1.2.0"
    assert read_esco(ESCO, version="1.1.1").dataset.frameworks[0].version == "1.1.1"


def test_bad_esco_files_are_located_one_line_each(tmp_path: Path) -> None:
    folder = copy_esco(tmp_path)
    skills = folder / "skills_en.csv"
    skills.write_text(skills.read_text().replace("preferredLabel", "prefLabel", 1))
    relations = folder / "occupationSkillRelations_en.csv"
    relations.write_text(relations.read_text().replace(",optional,", ",optinal,", 1))
    with pytest.raises(DatasetError) as caught:
        read_esco(folder)
    messages = [str(p) for p in caught.value.problems]
    assert messages == [
        f"{skills}:1:preferredLabel: ESCO column is missing; did you mean 'prefLabel'?",
    ]
    skills.write_text(skills.read_text().replace("prefLabel", "preferredLabel", 1))
    with pytest.raises(DatasetError) as caught:
        read_esco(folder)
    assert [str(p) for p in caught.value.problems] == [
        f"{relations}:5:relationType: invalid value 'optinal': expected 'essential' or "
        "'optional'; did you mean 'optional'?"
    ]


def test_missing_optional_esco_files_are_noticed(tmp_path: Path) -> None:
    folder = copy_esco(tmp_path)
    (folder / "broaderRelationsSkillPillar_en.csv").unlink()
    (folder / "occupations_en.csv").unlink()
    result = read_esco(folder)
    assert all(c.parent is None for c in result.dataset.competencies)
    assert not result.dataset.professions and not result.dataset.requirements
    assert any("no hierarchy" in n for n in result.notices)
    assert any("no professions" in n for n in result.notices)
    with pytest.raises(FrameworkError, match=r"--occupation needs occupations_en.csv"):
        read_esco(folder, occupations=["social worker"])
    (folder / "skills_en.csv").unlink()
    with pytest.raises(DatasetError, match=r"skills_en.csv: ESCO skills file not found"):
        read_esco(folder)


def test_esco_cli_writes_a_dataset_that_validates(tmp_path: Path) -> None:
    out = tmp_path / "esco.xlsx"
    dropped = tmp_path / "dropped.csv"
    code, stdout, stderr = run(
        "framework", "import", "esco", str(ESCO), "-o", str(out), "--dropped", str(dropped)
    )
    assert code == 0, stderr
    assert stdout.strip() == (
        f"wrote {out} (xlsx): 1 framework, 11 competencies, 3 professions, 8 requirements"
    )
    assert "notice: broader relations: 2 concepts" in stderr
    assert read_dataset(out) == read_esco(ESCO).dataset
    rows = list(csv.DictReader(dropped.open(encoding="utf-8")))
    assert len(rows) == 3 and {r["reason"] for r in rows} == {
        "another parent kept",
        "unknown concept",
    }
    code, _, stderr = run("framework", "import", "esco", str(tmp_path / "nope"), "-o", str(out))
    assert code == 2 and stderr.count("\n") == 1 and "not a folder" in stderr


def test_esco_import_merges_into_an_exercise(tmp_path: Path) -> None:
    out = tmp_path / "exercise"
    example = ROOT / "examples" / "children-trust"
    code, _, stderr = run(
        "framework", "import", "esco", str(ESCO), "-o", str(out), "--into", str(example)
    )
    assert code == 0, stderr
    merged = read_dataset(out)
    base = read_dataset(example)
    assert len(merged.competencies) == len(base.competencies) + 11
    assert len(merged.professions) == len(base.professions) + 3
    # Importing again replaces the framework's rows (same ids) and keeps the
    # equivalences the exercise gave them.
    safeguard = esco_id(SAFEGUARD)
    mapped = merged.model_copy(
        update={
            "competencies": [
                c.model_copy(update={"equivalent_to": ["ccs-safe"]}) if c.id == safeguard else c
                for c in merged.competencies
            ]
        }
    )
    again = merge_datasets(mapped, read_esco(ESCO).dataset)
    assert again == mapped
    # An import id that the exercise uses for another kind of node is refused.
    clash = merged.model_copy(
        update={
            "professions": [
                p.model_copy(update={"id": safeguard}) if i == 0 else p
                for i, p in enumerate(merged.professions)
            ]
        }
    )
    with pytest.raises(FrameworkError, match="is a profession in the exercise and a competency"):
        merge_datasets(clash, read_esco(ESCO).dataset)


@pytest.mark.neo4j
def test_imported_frameworks_load_into_neo4j_and_read_back(
    backend_for: Callable[..., GraphBackend],
) -> None:
    data = merge_datasets(read_esco(ESCO).dataset, read_case(CASE).dataset)
    graph = backend_for(data)
    assert graph.to_dataset() == data.normalised()
    frameworks = [f.id for f in data.frameworks]
    assert graph.competency_texts(frameworks) == MemoryBackend(data).competency_texts(frameworks)


# -- CASE ---------------------------------------------------------------------

DOC = "case-d0c00000-0000-4000-8000-000000000001"


def item(number: int) -> str:
    return f"case-10000000-0000-4000-8000-{number:012d}"


def test_case_document_items_and_associations() -> None:
    result = read_case(CASE)
    data = result.dataset
    assert [(f.id, f.name, f.publisher, f.version) for f in data.frameworks] == [
        (
            DOC,
            "Northfield multi-agency safeguarding competences",
            "Northfield Safeguarding Partnership",
            "2.1",
        )
    ]
    by_id = {c.id: c for c in data.competencies}
    assert len(by_id) == 8 and all(c.framework == DOC for c in by_id.values())
    # name = abbreviatedStatement where given, the full statement kept.
    procedures = by_id[item(3)]
    assert procedures.name == "Apply safeguarding procedures"
    assert procedures.description == (
        "Protect vulnerable service users by following the local safeguarding procedures"
    )
    assert procedures.alt_labels == [
        "Protect vulnerable service users by following the local safeguarding procedures",
        "Follow safeguarding procedures",
    ]
    assert by_id[item(2)].name.startswith("Recognise the signs of abuse")
    # isChildOf: parents; children of the document are top level.
    assert by_id[item(2)].parent == item(1) and by_id[item(1)].parent is None
    # Two parents: the lower sequenceNumber is kept, the other reported.
    assert by_id[item(8)].parent == item(5)
    assert [(d.child, d.parent) for d in result.dropped_parents] == [
        ("10000000-0000-4000-8000-000000000008", "10000000-0000-4000-8000-000000000001")
    ]
    # exactMatchOf between two items: an equivalence; to an outside item: reported.
    assert by_id[item(4)].equivalent_to == [item(3)]
    assert result.notices[0] == (
        "associations not imported (graphmodel has no such relationship): "
        "1 isPeerOf, 2 isRelatedTo, 1 precedes"
    )
    assert "1 isChildOf/exactMatchOf association to an item outside" in result.notices[1]


def test_bad_case_packages_are_located(tmp_path: Path) -> None:
    package = json.loads(CASE.read_text(encoding="utf-8"))
    del package["CFItems"][2]["fullStatement"]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(package), encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        read_case(broken)
    assert [str(p) for p in caught.value.problems] == [
        f"{broken}:CFItems[2]:fullStatement: required value is empty"
    ]
    broken.write_text('{"CFItems": [}', encoding="utf-8")
    code, _, stderr = run("framework", "import", "case", str(broken), "-o", str(tmp_path / "o"))
    assert code == 2 and stderr == f"{broken}:1: invalid JSON: Expecting value\n"
    broken.write_text('{"CFItems": []}', encoding="utf-8")
    with pytest.raises(DatasetError, match=r"not a CASE package: no CFDocument"):
        read_case(broken)


def test_case_cli_prints_the_notices_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "northfield.json"
    code, stdout, stderr = run("framework", "import", "case", str(CASE), "-o", str(out))
    assert code == 0
    assert stdout.strip() == f"wrote {out} (json): 1 framework, 8 competencies"
    assert stderr.splitlines()[0] == (
        "notice: associations not imported (graphmodel has no such relationship): "
        "1 isPeerOf, 2 isRelatedTo, 1 precedes"
    )
    assert read_dataset(out) == read_case(CASE).dataset


# -- the alt_labels column ----------------------------------------------------


def test_alt_labels_is_a_known_column_and_a_typo_is_still_an_error(
    make_dataset: Callable[..., Path],
) -> None:
    good = make_dataset(
        competencies="""\
            id,name,framework,parent,description,equivalent_to,alt_labels
            c-area,Safeguarding,fw-core,,,,keep people safe; protect people ;keep people safe
            c-item,Recognise harm,fw-core,c-area,,,
            c-other,Share information,fw-core,,,c-item,
            """
    )
    area = next(c for c in read_dataset(good).competencies if c.id == "c-area")
    assert area.alt_labels == ["keep people safe", "protect people"]
    typo = make_dataset(
        competencies="""\
            id,name,framework,parent,description,equivalent_to,alt_label
            c-area,Safeguarding,fw-core,,,,keep people safe
            c-item,Recognise harm,fw-core,c-area,,,
            c-other,Share information,fw-core,,,c-item,
            """
    )
    with pytest.raises(DatasetError) as caught:
        read_dataset(typo)
    assert [str(p) for p in caught.value.problems] == [
        f"{typo / 'competencies.csv'}:1:alt_label: unknown column; did you mean 'alt_labels'?"
    ]
