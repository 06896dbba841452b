"""Overlays, the time line and node periods: what the page draws from the analyses."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from conftest import EXAMPLE
from explorer_client import cli_json, client, get_json
from fastapi.testclient import TestClient

from graphmodel.backends import GraphBackend, MemoryBackend
from graphmodel.dataset import read_dataset
from graphmodel.explore.overlays import MARKS
from graphmodel.model import Dataset


@pytest.fixture(scope="module")
def example() -> MemoryBackend:
    return MemoryBackend(read_dataset(EXAMPLE))


@pytest.fixture(scope="module")
def http(example: MemoryBackend) -> TestClient:
    return client(example, str(EXAMPLE))


def marked(document: dict[str, Any], mark: str) -> set[str]:
    return {node["id"] for node in document["nodes"] if mark in node["marks"]}


def placed_nodes(document: dict[str, Any]) -> set[str]:
    """The nodes an overlay's answer view places: its centre, block headers and items."""
    view = document["view"]
    found = set(view["centre"]) | {b["header"] for b in view["blocks"] if b["header"]}
    return found | {i["id"] for b in view["blocks"] for i in b["items"]}


def check_document(document: dict[str, Any]) -> None:
    ids = [node["id"] for node in document["nodes"]]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    words = {mark for node in document["nodes"] for mark in node["marks"]}
    assert words <= set(MARKS)
    assert [entry["mark"] for entry in document["legend"]] == [m for m in MARKS if m in words]
    shown = set(ids)
    for relationship in document["relationships"]:
        assert relationship["source"] in shown and relationship["target"] in shown


@pytest.mark.parametrize(
    "options",
    [
        ["--profession", "p-teacher"],
        ["--profession", "p-social-worker", "--from", "2026-01-01", "--min-evaluation", "learning"],
        [
            "--profession",
            "p-teacher",
            "--profession",
            "p-health-visitor",
            "--priority",
            "essential",
        ],
    ],
)
def test_the_gaps_overlay_marks_exactly_the_analysis_gaps(
    http: TestClient, example: MemoryBackend, options: list[str]
) -> None:
    from test_explorer_api import as_query

    document = get_json(http, f"/api/overlays/gaps?{as_query(options)}")
    check_document(document)
    answer = cli_json("gaps", str(EXAMPLE), *options)
    assert document["analysis"] == answer
    professions = set(options[1::2]) & {p.id for p in example.dataset.professions}
    assert marked(document, "profession") == professions
    gaps = {(g["profession"], g["competency"]) for g in answer["gaps"]}
    required = {
        (r.profession, r.competency)
        for r in example.dataset.requirements
        if r.profession in professions
        and ("--priority" not in options or r.priority.value == "essential")
    }
    assert marked(document, "gap") == {c for _, c in gaps}
    assert marked(document, "covered") == {c for p, c in required - gaps}
    links = {
        (r["source"], r["target"]): r["marks"]
        for r in document["relationships"]
        if r["type"] == "REQUIRES"
    }
    for profession, competency in required:
        expected = "gap" if (profession, competency) in gaps else "covered"
        assert expected in links[(profession, competency)]
    # Every node says why it is there: the context is the training covering the
    # requirements, the near misses (training covering a gap's competency for other
    # professions: explain's first kind, the three most widely offered drawn), the areas.
    assert all(node["marks"] for node in document["nodes"])
    covering, near = marked(document, "covering"), marked(document, "near-miss")
    assert covering and all(n.startswith("te-") for n in covering | near)
    others = [
        o
        for pair in zip(options[::2], options[1::2], strict=True)
        if pair[0] != "--profession"
        for o in pair
    ]
    drawn = {i["id"] for b in document["view"]["blocks"] for i in b["items"]}
    for profession, competency in sorted(gaps):
        explained = cli_json(
            "explain",
            str(EXAMPLE),
            "--profession",
            profession,
            "--competency",
            competency,
            *others,
        )
        same = {m["event"] for m in explained["near_misses"] if m["kind"].startswith("same comp")}
        assert len(same & near) == min(len(same), 3)
    assert near <= drawn
    # The answer list is the gaps, worst first, in names.
    rows = document["answer"]["rows"]
    assert [row["id"] for row in rows] == [g["competency"] for g in answer["gaps"]]
    names = {g["competency_name"] for g in answer["gaps"]}
    assert {row["cells"]["competency"] for row in rows} == names


def test_a_gap_below_the_level_needed_in_the_gaps_answer_view(http: TestClient) -> None:
    # The example's levelled framework (docs/coverage.md, "Levels"): teachers are trained
    # to respond to concerns at Foundation and need Intermediate; social workers need
    # Advanced, which no training reaches.
    for profession in ("p-teacher", "p-social-worker"):
        document = get_json(http, f"/api/overlays/gaps?profession={profession}")
        check_document(document)
        answer = cli_json("gaps", str(EXAMPLE), "--profession", profession)
        below = {g["competency"] for g in answer["gaps"] if g["covered_level"] is not None}
        assert below and len(below) == answer["summary"]["below_level"]
        assert marked(document, "below-level") == below
        nodes = {node["id"]: node for node in document["nodes"]}
        drawn = {i["id"] for b in document["view"]["blocks"] for i in b["items"]}
        for competency in below:
            # Still one of the gaps: both words, below-level first (its look).
            assert nodes[competency]["marks"][:2] == ["below-level", "gap"]
        rows = {row["id"]: row["cells"] for row in document["answer"]["rows"]}
        near: set[str] = set()
        for gap in answer["gaps"]:
            explained = cli_json(
                "explain",
                str(EXAMPLE),
                "--profession",
                profession,
                "--competency",
                gap["competency"],
            )
            # The training that covers it at too low a level is drawn as covering, beside it.
            assert set(explained["events"]) <= marked(document, "covering") & drawn
            assert bool(explained["events"]) == (gap["competency"] in below)
            near |= {
                m["event"] for m in explained["near_misses"] if m["kind"].startswith("same comp")
            }
            # The answer list says the levels reached and needed.
            level = rows[gap["competency"]]["level"]
            if gap["covered_level"] is not None:
                assert level == f"below level: {gap['covered_level']} / {gap['required_level']}"
            elif gap["required_level"] is not None:
                assert level == f"none / {gap['required_level']}"
            else:
                assert level is None
        # Near misses are explain's: training for others at the level needed or above.
        assert marked(document, "near-miss") <= near
        assert f"({len(below)} below the level needed)" in document["answer"]["note"]
    # Training at Foundation for teachers is no near miss for social workers needing Advanced.
    social = get_json(http, "/api/overlays/gaps?profession=p-social-worker")
    assert "te-nspl-respond-2026" not in marked(social, "near-miss")
    assert "nspl-respond" in marked(social, "gap")


def test_the_uncovered_overlay_is_the_uncovered_list(http: TestClient) -> None:
    document = get_json(http, "/api/overlays/uncovered?min_evaluation=learning")
    check_document(document)
    answer = cli_json("uncovered", str(EXAMPLE), "--min-evaluation", "learning")
    assert marked(document, "uncovered") == {u["competency"] for u in answer["uncovered"]}
    assert marked(document, "requiring") == {
        p for u in answer["uncovered"] for p in u["required_by"]
    }
    assert all(node["marks"] for node in document["nodes"])
    # The answer view: one block per area, its uncovered competencies under it.
    areas = [b for b in document["view"]["blocks"] if b["kind"] == "area"]
    assert {b["header"] for b in areas} == marked(document, "area")
    listed = {i["id"] for b in areas for i in b["items"]} | {b["header"] for b in areas}
    assert marked(document, "uncovered") <= listed


def test_the_duplicates_overlay_draws_each_pair_with_its_score(http: TestClient) -> None:
    document = get_json(http, "/api/overlays/duplicates?threshold=0.3")
    check_document(document)
    answer = cli_json("duplicates", str(EXAMPLE), "--threshold", "0.3")
    assert marked(document, "duplicate") == {i for p in answer["pairs"] for i in (p["a"], p["b"])}
    pairs = {(r["source"], r["target"]): r for r in document["relationships"] if r["virtual"]}
    assert set(pairs) == {(p["a"], p["b"]) for p in answer["pairs"]}
    for pair in answer["pairs"]:
        link = pairs[(pair["a"], pair["b"])]
        assert link["type"] == "SIMILAR_TO" and link["properties"] == {"score": pair["score"]}


def test_the_reach_overlay_is_the_driver_s_reach(http: TestClient) -> None:
    document = get_json(http, "/api/overlays/reach?driver=dr-inquiry-report&limit=4")
    check_document(document)
    answer = cli_json("links", str(EXAMPLE), "--driver", "dr-inquiry-report", "--limit", "4")
    assert marked(document, "driver") == {"dr-inquiry-report"}
    assert marked(document, "responding") == set(answer["responding"])
    touched = (
        set(answer["competencies"]) | set(answer["professions"]) | set(answer["organisations"])
    )
    assert marked(document, "touched") == touched
    assert marked(document, "candidate") == {c["initiative"] for c in answer["candidates"]}
    suggested = [r for r in document["relationships"] if r["type"] == "SUGGESTED_RESPONSE"]
    assert [
        (r["source"], r["properties"]["score"])
        for r in sorted(suggested, key=lambda r: -r["properties"]["score"])
    ] == [(c["initiative"], c["score"]) for c in answer["candidates"]]
    assert (
        get_json(http, "/api/overlays/reach", status=400)["error"] == "missing parameter 'driver'"
    )
    # It describes only what it reads: links' other subjects are not its parameters.
    operation = get_json(http, "/api/openapi.json")["paths"]["/api/overlays/reach"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names == {"driver", "limit", "status", "from", "to"}
    refused = get_json(http, "/api/overlays/reach?driver=dr-inquiry-report&text=x", status=400)
    assert "text" in refused["error"]


def test_the_brokers_overlay_sizes_brokers_by_betweenness(http: TestClient) -> None:
    document = get_json(http, "/api/overlays/brokers?kind=organisation&limit=5")
    check_document(document)
    answer = cli_json("brokers", str(EXAMPLE), "--kind", "organisation", "--limit", "5")
    values = {n["id"]: n["value"] for n in document["nodes"] if "value" in n}
    assert values == {b["id"]: b["betweenness"] for b in answer["brokers"]}
    assert marked(document, "broker") == set(values)
    # Each broker's block holds it and its neighbours (organisations or initiatives next to it).
    for block in document["view"]["blocks"]:
        assert block["header"] in values
        assert {i["id"] for i in block["items"]} <= marked(document, "neighbour")
    assert [row["id"] for row in document["answer"]["rows"]] == [b["id"] for b in answer["brokers"]]
    # With the network's communities: those of /api/communities on the partnership network.
    divided = get_json(http, "/api/communities?network=partnership")["communities"]
    member = {m: c["id"] for c in divided for m in c["members"]}
    for node in document["nodes"]:
        assert node.get("values", {}).get("community") == member.get(node["id"])
    assert {c["id"] for c in document["communities"]} == {
        member[n["id"]] for n in document["nodes"] if n["id"] in member
    }


def test_overlay_errors_are_one_line(http: TestClient) -> None:
    assert get_json(http, "/api/overlays/gaps?profession=p-nobody", status=404)["error"].startswith(
        "unknown profession 'p-nobody'"
    )
    assert get_json(http, "/api/overlays/nothing", status=404) == {"error": "no such route"}
    assert (
        "unknown parameter"
        in get_json(http, "/api/overlays/brokers?threshold=1", status=400)["error"]
    )


def test_the_timeline_counts_every_start_by_month(http: TestClient, example: MemoryBackend) -> None:
    timeline = get_json(http, "/api/timeline")
    months = timeline["months"]
    assert months == sorted(months) and len(set(months)) == len(months)
    for first, second in itertools.pairwise(months):  # no month is missing
        year, month = map(int, first.split("-"))
        assert second == (f"{year + 1:04d}-01" if month == 12 else f"{year:04d}-{month + 1:02d}")
    for label, rows in (
        ("TrainingEvent", example.dataset.training_events),
        ("Initiative", example.dataset.initiatives),
    ):
        counts = dict(zip(months, timeline["counts"][label], strict=True))
        for row in rows:
            if row.start_date is not None:
                counts[row.start_date.isoformat()[:7]] -= 1
        assert set(counts.values()) == {0}
        assert timeline["undated"][label] == sum(row.start_date is None for row in rows)


def test_periods_give_the_dates_of_events_and_initiatives_only(http: TestClient) -> None:
    found = get_json(
        http,
        "/api/periods?id=te-fellgate-hidden-harm-2027&id=p-teacher&id=in-nhs-neglect-tool&id=nobody",
    )
    periods = {p["id"]: p for p in found["periods"]}
    assert set(periods) == {"te-fellgate-hidden-harm-2027", "in-nhs-neglect-tool"}
    event = periods["te-fellgate-hidden-harm-2027"]
    assert event["label"] == "TrainingEvent" and event["start_date"].startswith("20")
    assert get_json(http, "/api/periods", status=400)["error"] == "missing parameter 'id'"


@pytest.mark.neo4j
def test_overlays_and_the_timeline_agree_on_both_backends(
    neo4j_backend: GraphBackend, example: MemoryBackend
) -> None:
    dataset: Dataset = example.dataset
    neo4j_backend.load(dataset, replace=True)  # type: ignore[attr-defined]
    memory, neo4j = client(example, "same"), client(neo4j_backend, "same", remember=False)
    compare: Callable[[str], None] = lambda url: _same(memory, neo4j, url)  # noqa: E731
    for url in (
        "/api/overlays/gaps?profession=p-teacher",
        "/api/overlays/gaps?profession=p-social-worker&from=2026-01-01&min_evaluation=learning",
        "/api/overlays/uncovered",
        "/api/overlays/duplicates?threshold=0.25",
        "/api/overlays/reach?driver=dr-inquiry-report",
        "/api/overlays/brokers",
        "/api/timeline",
        "/api/periods?id=te-fellgate-hidden-harm-2027&id=in-nhs-neglect-tool&id=p-teacher",
    ):
        compare(url)


def _same(memory: TestClient, neo4j: TestClient, url: str) -> None:
    assert get_json(neo4j, url) == get_json(memory, url), url


def test_a_view_too_large_leaves_out_context_never_the_answer(
    example: MemoryBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graphmodel.explore import overlays

    full = overlays.overlay(example, "gaps", overlays.GapsOverlay(profession=["p-teacher"]))
    monkeypatch.setattr(overlays, "VIEW_LIMIT", 20)
    cut = overlays.overlay(example, "gaps", overlays.GapsOverlay(profession=["p-teacher"]))

    assert len(placed_nodes(full)) > 20 >= len(placed_nodes(cut))
    for mark in ("gap", "covered", "profession"):
        assert marked(cut, mark) <= placed_nodes(cut)
    # What was left out is context, and the blocks count it.
    left = placed_nodes(full) - placed_nodes(cut)
    assert left and all(
        {"covering", "near-miss"} & set(n["marks"]) for n in full["nodes"] if n["id"] in left
    )
    assert sum(b["more"] for b in cut["view"]["blocks"]) == len(left)
    # The document itself (the marks of the whole network) keeps every node.
    assert cut["nodes"] == full["nodes"]


def test_a_long_plan_draws_its_actions_closing_most_severity(
    example: MemoryBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At national scale a plan holds thousands of actions: the picture draws the first
    # few (the list has all). The caps are made small here so the example shows it.
    from graphmodel.explore import overlays

    request = overlays.PlanOverlay(budget=500_000)
    full = overlays.overlay(example, "plan", request)
    actions = [b for b in full["view"]["blocks"] if b["kind"] == "action"]
    assert len(actions) > 3
    monkeypatch.setattr(overlays, "ACTIONS_DRAWN", 3)
    monkeypatch.setattr(overlays, "CLOSED_PER_ACTION", 1)
    monkeypatch.setattr(overlays, "TRAINED_DRAWN", 2)
    cut = overlays.overlay(example, "plan", request)
    drawn_actions = [b for b in cut["view"]["blocks"] if b["kind"] == "action"]
    # The three closing most severity, in the order of the full view.
    assert [b["header"] for b in drawn_actions] == [b["header"] for b in actions[:3]]
    assert all(len(b["items"]) <= 1 for b in drawn_actions)
    (trained,) = [b for b in cut["view"]["blocks"] if b["id"] == "professions"]
    assert len(trained["items"]) <= 2
    assert trained["more"] == len(marked(cut, "profession")) - len(trained["items"])
    # The list and the document keep everything; the note says what the picture draws.
    assert cut["answer"]["rows"] == full["answer"]["rows"]
    assert cut["nodes"] == full["nodes"]
    sources = len({row["id"] for row in full["answer"]["rows"]})
    assert (
        "The picture draws the 3 events and offers closing most severity; "
        f"the list has all {sources}." in cut["answer"]["note"]
    )
    assert len(placed_nodes(cut)) < len(placed_nodes(full))


def test_a_long_uncovered_list_draws_the_worst_first(
    example: MemoryBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graphmodel.explore import overlays

    full = overlays.overlay(example, "uncovered", overlays.UncoveredOverlay())
    uncovered = marked(full, "uncovered")
    assert len(uncovered) > 3
    monkeypatch.setattr(overlays, "UNCOVERED_DRAWN", 3)
    monkeypatch.setattr(overlays, "REQUIRING_DRAWN", 2)
    cut = overlays.overlay(example, "uncovered", overlays.UncoveredOverlay())
    worst = [row["id"] for row in full["answer"]["rows"]][:3]  # the list's order: worst first
    headers = {b["header"] for b in cut["view"]["blocks"] if b["header"]}
    # The worst drawn, and no other uncovered competency but the areas heading them.
    assert set(worst) <= placed_nodes(cut)
    assert (placed_nodes(cut) & uncovered) - headers <= set(worst)
    (requiring,) = [b for b in cut["view"]["blocks"] if b["id"] == "requiring"]
    assert len(requiring["items"]) <= 2
    assert requiring["more"] == len(marked(full, "requiring")) - len(requiring["items"])
    areas = [b for b in cut["view"]["blocks"] if b["kind"] == "area"]
    # An area drawn counts what it leaves out; the note counts the rest.
    whole = {b["id"]: b for b in full["view"]["blocks"]}
    assert areas
    for area in areas:
        assert area["more"] == len(whole[area["id"]]["items"]) - len(area["items"])
    assert f"the list has all {len(uncovered)}." in cut["answer"]["note"]
    assert cut["answer"]["rows"] == full["answer"]["rows"]


def test_many_duplicate_clusters_draw_the_largest(
    example: MemoryBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graphmodel.explore import overlays

    full = overlays.overlay(example, "duplicates", overlays.DuplicatesOverlay())
    clusters = full["analysis"]["clusters"]
    assert len(clusters) > 1
    monkeypatch.setattr(overlays, "CLUSTERS_DRAWN", 1)
    monkeypatch.setattr(overlays, "MEMBERS_PER_CLUSTER", 1)
    monkeypatch.setattr(overlays, "SHARED_PER_CLUSTER", 1)
    cut = overlays.overlay(example, "duplicates", overlays.DuplicatesOverlay())
    (island,) = cut["view"]["blocks"]
    members = [i["id"] for i in island["items"] if i["depth"] == 0]
    assert members == [i["id"] for i in full["view"]["blocks"][0]["items"] if i["depth"] == 0][:1]
    assert island["more"] == len(clusters[0]) - 1
    assert len([i for i in island["items"] if i["depth"] == 1]) <= 1
    assert (
        "The picture draws the 1 clusters with the most initiatives; "
        f"the list has all {len(clusters)}." in cut["answer"]["note"]
    )
    assert cut["answer"]["rows"] == full["answer"]["rows"]
