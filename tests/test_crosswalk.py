"""The crosswalk between frameworks, its review sheet, and gaps closing once applied."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, write_csv_dataset

from graphmodel.analysis.coverage import CoverageQuery, gaps
from graphmodel.analysis.crosswalk import CrosswalkOptions, crosswalk
from graphmodel.backends import GraphBackend, MemoryBackend
from graphmodel.cli.main import cli
from graphmodel.dataset import read_dataset
from graphmodel.errors import DatasetError, FrameworkError
from graphmodel.frameworks.case import read_case
from graphmodel.frameworks.common import merge_datasets
from graphmodel.frameworks.esco import read_esco
from graphmodel.frameworks.evaluation import HELD_OUT, held_out_frameworks, recall_at

REAL_WORDING = ROOT / "tests" / "data" / "esco-real-wording"

# A local framework, a national one, and a profession that needs the local
# competencies while the training is mapped to the national ones.
TABLES = {
    "frameworks": """\
        id,name,publisher,version
        fw-local,Local safeguarding competences,Local partnership,1
        fw-national,National common core,Department,2
        """,
    "competencies": """\
        id,name,framework,parent,description,equivalent_to,alt_labels
        loc-safe,Safeguarding,fw-local,,,,
        loc-procedures,Apply safeguarding procedures,fw-local,loc-safe,,,
        loc-records,Keep accurate case records,fw-local,loc-safe,,,
        loc-young,Talk with young people,fw-local,,,,
        nat-protect,Protecting children,fw-national,,,loc-safe,
        nat-users,Protect vulnerable service users,fw-national,nat-protect,Act on concerns.,,follow safeguarding procedures
        nat-records,Maintain records of work with service users,fw-national,nat-protect,,,keep case records
        nat-communicate,Communicate with children and young people,fw-national,,,,
        """,
    "professions": """\
        id,name,sector,description
        p-youth,Youth worker,youth,
        """,
    "requirements": """\
        profession,competency,priority
        p-youth,loc-procedures,essential
        p-youth,loc-young,desirable
        """,
    "training_events": """\
        id,title,lead_organisation,start_date,end_date,delivery,places,cost,evaluation,status,targets,covers,initiative
        te-users,Protecting vulnerable people,,2025-01-10,,workshop,20,,learning,planned,p-youth,nat-users,
        """,
}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def exercise(tmp_path: Path) -> Path:
    return write_csv_dataset(tmp_path / "exercise", TABLES)


def test_json_has_exactly_the_contract_shape(exercise: Path) -> None:
    code, out, _ = run("crosswalk", str(exercise), "--from", "fw-local", "--to", "fw-national",
                       "--format", "json")  # fmt: skip
    assert code == 0
    payload = json.loads(out)
    assert list(payload) == ["from", "to", "suggestions"]
    assert (payload["from"], payload["to"]) == ("fw-local", "fw-national")
    ids = [s["competency"] for s in payload["suggestions"]]
    assert ids == sorted(ids) == ["loc-procedures", "loc-records", "loc-safe", "loc-young"]
    for suggestion in payload["suggestions"]:
        assert list(suggestion) == ["competency", "matches"]
        scores = [m["score"] for m in suggestion["matches"]]
        assert scores == sorted(scores, reverse=True)
        assert len(scores) <= 3
        for match in suggestion["matches"]:
            assert list(match) == ["competency", "score", "reasons"]
            assert 0.0 <= match["score"] <= 1.0
            assert match["competency"].startswith("nat-")
    best = {s["competency"]: s["matches"][0] for s in payload["suggestions"] if s["matches"]}
    assert best["loc-procedures"]["competency"] == "nat-users"
    assert best["loc-records"]["competency"] == "nat-records"
    assert best["loc-young"]["competency"] == "nat-communicate"


def test_alternative_labels_are_used_and_named_in_the_reasons(exercise: Path) -> None:
    backend = MemoryBackend(read_dataset(exercise))
    result = crosswalk(backend, CrosswalkOptions("fw-local", "fw-national"))
    by_id = {s.competency: s for s in result.suggestions}
    procedures = by_id["loc-procedures"].matches[0]
    assert procedures.reasons["matched_alt_labels"] == ["follow safeguarding procedures"]
    assert sorted(procedures.reasons["shared_words"]) == ["procedures", "safeguarding"]
    # Without the alternative label the national wording shares nothing with it.
    bare = read_dataset(exercise)
    bare = bare.model_copy(
        update={
            "competencies": [c.model_copy(update={"alt_labels": []}) for c in bare.competencies]
        }
    )
    without = crosswalk(MemoryBackend(bare), CrosswalkOptions("fw-local", "fw-national"))
    matches = {s.competency: s.matches for s in without.suggestions}
    assert "nat-users" not in [m.competency for m in matches["loc-procedures"]]


def test_equivalent_parents_raise_the_score_and_are_a_reason(exercise: Path) -> None:
    data = read_dataset(exercise)
    result = crosswalk(MemoryBackend(data), CrosswalkOptions("fw-local", "fw-national"))
    records = next(s for s in result.suggestions if s.competency == "loc-records").matches[0]
    # loc-safe is equivalent to nat-protect, the parents of the two records competencies.
    assert records.reasons["parents_equivalent"] is True
    assert records.reasons["parents"] == ["loc-safe", "nat-protect"]
    assert records.score == pytest.approx(
        records.reasons["wording"] + (1 - records.reasons["wording"]) * 0.25, abs=1e-4
    )
    young = next(s for s in result.suggestions if s.competency == "loc-young").matches[0]
    assert young.reasons["parents_equivalent"] is False
    safe = next(s for s in result.suggestions if s.competency == "loc-safe")
    assert all(
        m.reasons["already_equivalent"] == (m.competency == "nat-protect") for m in safe.matches
    )


def test_limit_min_score_and_unknown_frameworks(exercise: Path) -> None:
    backend = MemoryBackend(read_dataset(exercise))
    one = crosswalk(backend, CrosswalkOptions("fw-local", "fw-national", limit=1, min_score=0))
    assert all(len(s.matches) == 1 for s in one.suggestions)
    strict = crosswalk(backend, CrosswalkOptions("fw-local", "fw-national", min_score=0.99))
    assert all(not s.matches for s in strict.suggestions)
    with pytest.raises(FrameworkError, match=r"unknown framework 'fw-nationl'.*'fw-national'"):
        crosswalk(backend, CrosswalkOptions("fw-local", "fw-nationl"))
    within = crosswalk(backend, CrosswalkOptions("fw-national", "fw-national", min_score=0))
    assert all(s.competency not in [m.competency for m in s.matches] for s in within.suggestions)
    code, _, stderr = run("crosswalk", str(exercise), "--from", "fw-local", "--to", "x")
    assert code == 2 and stderr == "error: unknown framework 'x'\n"


def test_every_format_prints(exercise: Path) -> None:
    base = ["crosswalk", str(exercise), "--from", "fw-local", "--to", "fw-national"]
    code, out, _ = run(*base, "--format", "markdown")
    assert code == 0 and out.startswith("### Crosswalk fw-local -> fw-national")
    assert "| Apply safeguarding procedures (loc-procedures) |" in out
    code, out, _ = run(*base)
    assert code == 0 and "nat-users" in out and "4 competencies of fw-local" in out
    code, out, _ = run(*base, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["from_id", "from_name", "to_id", "to_name", "score", "accept"]
    assert rows[1][:3] == ["loc-procedures", "Apply safeguarding procedures", "nat-users"]
    assert all(row[5] == "" for row in rows[1:])


def test_review_applied_closes_the_gap(exercise: Path, tmp_path: Path) -> None:
    before = gaps(MemoryBackend(read_dataset(exercise)), CoverageQuery())
    assert ("p-youth", "loc-procedures") in {
        (g["profession"], g["competency"]) for g in before["gaps"]
    }
    code, out, _ = run("crosswalk", str(exercise), "--from", "fw-local", "--to", "fw-national",
                       "--format", "csv", "--limit", "1")  # fmt: skip
    review = tmp_path / "review.csv"
    rows = list(csv.reader(io.StringIO(out)))
    for row in rows[1:]:
        if row[0] == "loc-procedures":
            row[5] = "✓"
    with review.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    mapped = tmp_path / "mapped.xlsx"
    code, out, stderr = run("crosswalk", "apply", str(review), str(exercise), "-o", str(mapped))
    assert code == 0, stderr
    assert out.strip().endswith("1 equivalences added, 0 already there, 3 rows not accepted")
    data = read_dataset(mapped)
    assert next(c for c in data.competencies if c.id == "loc-procedures").equivalent_to == [
        "nat-users"
    ]
    after = gaps(MemoryBackend(data), CoverageQuery())
    assert ("p-youth", "loc-procedures") not in {
        (g["profession"], g["competency"]) for g in after["gaps"]
    }
    assert after["summary"]["gaps"] == before["summary"]["gaps"] - 1
    # Applying the same review again changes nothing; in place by default.
    code, out, _ = run("crosswalk", "apply", str(review), str(mapped))
    assert code == 0 and "0 equivalences added, 1 already there" in out
    assert read_dataset(mapped) == data


@pytest.mark.parametrize("mark", ["x", "X", "✓", "✔", "y", "yes", "1", "true", "TRUE", "Yes"])
def test_every_accept_mark_accepts(mark: str, exercise: Path, tmp_path: Path) -> None:
    review = tmp_path / "review.csv"
    review.write_text(f"from_id,to_id,accept,comment\nloc-young,nat-communicate,{mark},ok\n")
    data = read_dataset(exercise)
    from graphmodel.frameworks.review import apply_review, read_review

    accepted, rejected = read_review(review)
    _, report = apply_review(data, accepted, rejected)
    assert report.added == [("loc-young", "nat-communicate")] and rejected == 0


def test_bad_review_rows_are_located(exercise: Path, tmp_path: Path) -> None:
    review = tmp_path / "review.csv"
    review.write_text(
        textwrap.dedent(
            """\
            from_id,from_name,to_id,to_name,score,accept
            loc-young,,nat-communicate,,0.5,maybe
            loc-young,,nat-comunicate,,0.5,x
            loc-records,,nat-records,,0.5,no
            """
        ),
        encoding="utf-8",
    )
    code, _, stderr = run("crosswalk", "apply", str(review), str(exercise))
    assert code == 2
    assert stderr.splitlines() == [
        f"{review}:2:accept: unknown mark 'maybe': x, ✓, y, yes, 1 or true accepts a row; "
        "empty, 0, n or no rejects it"
    ]
    review.write_text(review.read_text().replace("maybe", ""), encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        from graphmodel.frameworks.review import apply_review, read_review

        accepted, _ = read_review(review)
        apply_review(read_dataset(exercise), accepted, source=str(exercise))
    assert [str(p) for p in caught.value.problems] == [
        f"{review}:3:to_id: unknown competency 'nat-comunicate' in {exercise}; "
        "did you mean 'nat-communicate'?"
    ]
    review.write_text("from,to_id,accept\n", encoding="utf-8")
    code, _, stderr = run("crosswalk", "apply", str(review), str(exercise))
    assert code == 2 and stderr.startswith(f"{review}:1:from_id: required column is missing")


def test_crosswalk_finds_esco_skills_from_their_alternative_wording() -> None:
    """Real wording: each ESCO skill found from one of its alternative labels held out.

    400 ESCO skills of the care, health, education and protection sectors
    (tests/data/esco-real-wording, ESCO under CC BY 4.0). Goals 0.95 and
    0.99; by words alone measured 0.968 and 0.985 (docs/frameworks.md): at
    recall@3 the 6 misses are meanings no shared word reveals ("do
    neighbouring activity" for "participate actively in civic life") or
    ESCO's own slips. With ``--embeddings`` both goals are met
    (tests/test_crosswalk_embeddings.py); this is the floor without it.
    """
    esco = read_esco(REAL_WORDING).dataset
    dataset, truth = held_out_frameworks(esco)
    assert len(truth) == 400
    result = crosswalk(MemoryBackend(dataset), CrosswalkOptions(HELD_OUT, "esco", min_score=0.0))
    assert recall_at(result, truth, 1) >= 0.95
    assert recall_at(result, truth, 3) >= 0.985


def test_merged_standards_crosswalk_gives_the_same_json_on_both_backends(
    backend_for: Callable[..., GraphBackend],
) -> None:
    data = merge_datasets(
        read_esco(ROOT / "tests" / "data" / "esco-sample").dataset,
        read_case(ROOT / "tests" / "data" / "case-sample.json").dataset,
    )
    graph = backend_for(data)
    memory = MemoryBackend(data)
    case = data.frameworks[1].id
    for options in (
        CrosswalkOptions(case, "esco"),
        CrosswalkOptions("esco", case, limit=1, min_score=0.0),
        CrosswalkOptions("esco", "esco", limit=2),
    ):
        assert crosswalk(graph, options).payload() == crosswalk(memory, options).payload()
    assert graph.competency_texts(["esco"]) == memory.competency_texts(["esco"])


@pytest.mark.parametrize(
    ("name_a", "name_b"), [("1", "2"), ("the", "a"), ("Care", "Housing"), ("—", "Care")]
)
def test_texts_sharing_nothing_give_no_match(name_a: str, name_b: str) -> None:
    from graphmodel.model import Competency, Dataset, Framework

    data = Dataset(
        frameworks=[Framework(id="a", name="A"), Framework(id="b", name="B")],
        competencies=[
            Competency(id="a1", name=name_a, framework="a"),
            Competency(id="b1", name=name_b, framework="b"),
        ],
    )
    result = crosswalk(MemoryBackend(data), CrosswalkOptions("a", "b", min_score=0.0))
    assert result.payload() == {
        "from": "a",
        "to": "b",
        "suggestions": [{"competency": "a1", "matches": []}],
    }
