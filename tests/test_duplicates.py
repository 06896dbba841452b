"""Duplicated initiatives: scores, reasons, clusters, exact blocking, labelled-set quality."""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FOUR_ORGANISATIONS, ROOT

from graphmodel.analysis.duplicates import (
    DEFAULT_THRESHOLD,
    DuplicateQuery,
    InitiativeSimilarity,
    exhaustive_pairs,
    find_duplicates,
)
from graphmodel.backends import MemoryBackend
from graphmodel.dataset import read_dataset
from graphmodel.model import InitiativeStatus
from graphmodel.projections import InitiativeFilter
from graphmodel.synthetic import Scale, synthetic_dataset

LABELLED = ROOT / "tests" / "data" / "duplicates-labelled"
LABELS = ROOT / "tests" / "data" / "duplicates-labels.csv"

COMPETENCIES = """\
    id,name,framework,parent,description,equivalent_to
    c-area,Safeguarding,fw-core,,,
    c-item,Recognise harm,fw-core,c-area,,
    c-other,Share information,fw-core,,,
    c-neglect,Assess neglect,fw-core,c-area,,
    """

HEADER = (
    "id,title,description,kind,lead_organisation,partners,status,start_date,end_date,"
    "budget,targets,addresses,responds_to,builds_on"
)


def initiatives_csv(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def dataset_with(make_dataset: Callable[..., Path], *rows: str, **tables: str) -> MemoryBackend:
    folder = make_dataset(
        organisations=FOUR_ORGANISATIONS,
        competencies=COMPETENCIES,
        requirements="profession,competency,priority\n",
        training_events=(
            "id,title,lead_organisation,start_date,end_date,delivery,places,cost,"
            "evaluation,status,targets,covers,initiative\n"
        ),
        initiatives=initiatives_csv(*rows),
        **tables,
    )
    return MemoryBackend(read_dataset(folder))


TWINS = (
    "in-a,Neglect assessment toolkit,Roll out the neglect toolkit to health visitors,,"
    "org-council,,active,2025-01-01,,1000,p-social-worker,c-neglect;c-item,dr-review,",
    "in-b,Neglect toolkit roll-out,Neglect toolkit for health visitors and social workers,,"
    "org-health,,proposed,2025-06-01,,2500,p-social-worker,c-neglect;c-item,dr-review,",
)


def test_a_planted_pair_is_found_with_its_reasons(make_dataset: Callable[..., Path]) -> None:
    backend = dataset_with(
        make_dataset,
        *TWINS,
        "in-c,Summer youth club,Games and sport for teenagers,,org-school,,active,,,,"
        "p-teacher,c-other,,",
    )
    report = find_duplicates(backend)
    assert [(p.a, p.b) for p in report.pairs] == [("in-a", "in-b")]
    pair = report.pairs[0].to_json()
    assert 0 < pair["score"] <= 1
    reasons = pair["reasons"]
    # Equal rarity: by id (c-item, c-neglect).
    assert [item["name"] for item in reasons["shared"]["competencies"]] == [
        "Recognise harm",
        "Assess neglect",
    ]
    assert [item["id"] for item in reasons["shared"]["drivers"]] == ["dr-review"]
    assert [item["id"] for item in reasons["shared"]["professions"]] == ["p-social-worker"]
    assert reasons["shared"]["organisations"] == []
    assert {"neglect", "toolkit"} <= set(reasons["words"])
    assert reasons["same_lead"] is False
    assert "Assess neglect" in reasons["summary"]
    document = report.to_json()
    assert document["clusters"] == [["in-a", "in-b"]]
    assert document["cluster_details"] == [
        {
            "initiatives": ["in-a", "in-b"],
            "leads": ["org-council", "org-health"],
            "budget": 3500.0,
            "natural_lead": "in-a",
        }
    ]


def test_identical_initiatives_score_one_unless_one_builds_on_the_other(
    make_dataset: Callable[..., Path],
) -> None:
    row = "{id},Same title,Same words here,,org-council,,active,,,,p-teacher,c-other,,{builds}"
    unlinked = dataset_with(
        make_dataset, row.format(id="in-x", builds=""), row.format(id="in-y", builds="")
    )
    assert [(p.a, p.b, p.score) for p in find_duplicates(unlinked).pairs] == [("in-x", "in-y", 1.0)]
    linked = dataset_with(
        make_dataset, row.format(id="in-x", builds=""), row.format(id="in-y", builds="in-x")
    )
    assert find_duplicates(linked).pairs == []


def test_rare_shared_ground_outranks_common_shared_ground(
    make_dataset: Callable[..., Path],
) -> None:
    # Everyone targets social workers and responds to the review; only in-r1
    # and in-r2 address the neglect competency.
    rows = [
        "in-r1,Alpha,,,org-council,,active,,,,p-social-worker,c-neglect,dr-review,",
        "in-r2,Beta,,,org-health,,active,,,,p-social-worker,c-neglect,dr-review,",
        "in-c1,Gamma,,,org-school,,active,,,,p-social-worker,c-item,dr-review,",
        "in-c2,Delta,,,org-partnership,,active,,,,p-social-worker,c-other,dr-review,",
    ]
    rows += [
        f"in-f{k},Filler {k},,,org-council,,active,,,,p-social-worker,,dr-review," for k in range(4)
    ]
    backend = dataset_with(make_dataset, *rows)
    scores = {
        (p.a, p.b): p.score for p in find_duplicates(backend, DuplicateQuery(threshold=0.01)).pairs
    }
    assert scores[("in-r1", "in-r2")] > scores[("in-c1", "in-c2")]
    rare = next(
        p for p in find_duplicates(backend, DuplicateQuery(threshold=0.01)).pairs if p.a == "in-r1"
    )
    weights = {item.id: item.weight for items in rare.shared.values() for item in items}
    assert weights["c-neglect"] > weights["p-social-worker"] > 0


def test_lead_and_status_filters(make_dataset: Callable[..., Path]) -> None:
    same_lead_twin = (
        TWINS[1].replace("org-health", "org-council").replace("in-b,", "in-s,")
    ).replace(",proposed,", ",active,")
    backend = dataset_with(make_dataset, *TWINS, same_lead_twin)
    everything = {(p.a, p.b) for p in find_duplicates(backend).pairs}
    assert everything == {("in-a", "in-b"), ("in-a", "in-s"), ("in-b", "in-s")}
    same = find_duplicates(backend, DuplicateQuery(same_lead=True))
    assert [(p.a, p.b) for p in same.pairs] == [("in-a", "in-s")]
    assert all(p.same_lead for p in same.pairs)
    different = {
        (p.a, p.b) for p in find_duplicates(backend, DuplicateQuery(same_lead=False)).pairs
    }
    assert different == {("in-a", "in-b"), ("in-b", "in-s")}
    active_only = DuplicateQuery(initiatives=InitiativeFilter(statuses=(InitiativeStatus.ACTIVE,)))
    assert [(p.a, p.b) for p in find_duplicates(backend, active_only).pairs] == [("in-a", "in-s")]


def test_pairs_sort_by_score_and_clusters_join_connected_pairs() -> None:
    report = find_duplicates(MemoryBackend(read_dataset(ROOT / "examples" / "children-trust")))
    scores = [p.score for p in report.pairs]
    assert scores == sorted(scores, reverse=True)
    assert all(p.a < p.b for p in report.pairs)
    members = {i for c in report.clusters for i in c.initiatives}
    assert members == {i for p in report.pairs for i in (p.a, p.b)}
    for cluster in report.clusters:
        inside = [p for p in report.pairs if p.a in cluster.initiatives]
        assert all(p.b in cluster.initiatives for p in inside)


# -- exact blocking --------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("threshold", [0.15, DEFAULT_THRESHOLD, 0.6])
def test_blocked_search_returns_exactly_the_exhaustive_pairs(seed: int, threshold: float) -> None:
    dataset = synthetic_dataset(Scale.national().scaled(0.012), seed=seed)
    backend = MemoryBackend(dataset)
    for same_lead in (None, True, False):
        query = DuplicateQuery(threshold=threshold, same_lead=same_lead)
        report = find_duplicates(backend, query)
        similarity = InitiativeSimilarity(backend.initiatives(query.initiatives))
        exhaustive = exhaustive_pairs(similarity, query)
        blocked = [(p.a, p.b, p.score, p.structure, p.text) for p in report.pairs]
        assert blocked == exhaustive
        total = math.comb(report.compared, 2)
        assert report.candidates < total  # blocking did prune


# -- quality on the labelled set ---------------------------------------------------


def test_precision_and_recall_on_the_labelled_set() -> None:
    with LABELS.open(encoding="utf-8") as handle:
        labels = {(row["a"], row["b"]): row["label"] for row in csv.DictReader(handle)}
    assert len(labels) >= 40
    duplicates = {pair for pair, label in labels.items() if label == "duplicate"}
    assert {label for label in labels.values()} == {"duplicate", "related", "unrelated"}
    report = find_duplicates(MemoryBackend(read_dataset(LABELLED)))
    flagged = {(p.a, p.b) for p in report.pairs}
    # Every flagged pair that is not labelled a duplicate counts against
    # precision, labelled or not.
    precision = len(flagged & duplicates) / len(flagged)
    recall = len(flagged & duplicates) / len(duplicates)
    assert precision >= 0.8, sorted(flagged - duplicates)
    assert recall >= 0.9, sorted(duplicates - flagged)
