"""The coverage rule, corner by corner, on small datasets whose answers are worked out by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from coverage_reference import reference_closure
from hypothesis import given, settings
from hypothesis import strategies as st
from tiers import examples

from graphmodel.analysis.coverage import (
    CompetencyStructure,
    CoverageQuery,
    coverage_matrix,
    explain,
    gaps,
    uncovered,
)
from graphmodel.backends import MemoryBackend
from graphmodel.errors import NotFoundError
from graphmodel.model import (
    Competency,
    Dataset,
    Evaluation,
    Framework,
    Organisation,
    Priority,
    Profession,
    Requirement,
    TrainingEvent,
    WorkforceEntry,
)
from graphmodel.projections import CompetencyNode, EventFilter


def competency(
    cid: str, parent: str | None = None, equivalent: str = "", fw: str = "fw"
) -> Competency:
    return Competency(
        id=cid, name=cid.upper(), framework=fw, parent=parent, equivalent_to=equivalent
    )


def event(eid: str, covers: str, targets: str = "p1", **fields: Any) -> TrainingEvent:
    return TrainingEvent(id=eid, title=f"Event {eid}", covers=covers, targets=targets, **fields)


def backend(
    competencies: list[Competency],
    events: list[TrainingEvent],
    requirements: list[tuple[str, str]] | None = None,
    professions: tuple[str, ...] = ("p1", "p2"),
    workforce: list[tuple[str, str, int]] | None = None,
) -> MemoryBackend:
    return MemoryBackend(
        Dataset(
            frameworks=[Framework(id="fw", name="F"), Framework(id="fw2", name="G")],
            competencies=competencies,
            professions=[Profession(id=p, name=p.upper()) for p in professions],
            requirements=[
                Requirement(profession=p, competency=c, priority=Priority(prio))
                for p, c, prio in (
                    (r[0], r[1], r[2] if len(r) > 2 else "essential")  # type: ignore[misc]
                    for r in (requirements or [])
                )
            ],
            organisations=[
                Organisation(id="org", name="Org"),
                Organisation(id="org2", name="Org 2"),
            ],
            workforce=[
                WorkforceEntry(organisation=o, profession=p, headcount=h)
                for o, p, h in (workforce or [])
            ],
            training_events=events,
        )
    )


def uncovered_ids(graph: MemoryBackend, query: CoverageQuery | None = None) -> list[str]:
    return [row["competency"] for row in uncovered(graph, query or CoverageQuery())["uncovered"]]


def gap_pairs(graph: MemoryBackend, query: CoverageQuery | None = None) -> list[tuple[str, str]]:
    return [
        (g["profession"], g["competency"]) for g in gaps(graph, query or CoverageQuery())["gaps"]
    ]


# -- the four rules -----------------------------------------------------------


def test_direct_covers_only_what_is_named() -> None:
    graph = backend([competency("a"), competency("b")], [event("e1", "a")])
    assert uncovered_ids(graph) == ["b"]


def test_down_reaches_every_level_of_a_deep_chain() -> None:
    chain = [competency("c0")] + [competency(f"c{i}", parent=f"c{i - 1}") for i in range(1, 8)]
    graph = backend([*chain, competency("other")], [event("e1", "c2")])
    # c2 covers c3..c7 downwards; c1's only child is c2, so "up" covers c1,
    # and then c0, whose only child is c1.
    assert uncovered_ids(graph) == ["other"]


def test_down_does_not_reach_upwards_when_a_sibling_is_missing() -> None:
    graph = backend(
        [
            competency("area"),
            competency("x", "area"),
            competency("y", "area"),
            competency("x1", "x"),
        ],
        [event("e1", "x")],
    )
    assert uncovered_ids(graph) == ["area", "y"]


def test_across_follows_equivalence_in_both_directions_and_cycles() -> None:
    graph = backend(
        [
            competency("x", equivalent="y"),
            competency("y", equivalent="z", fw="fw2"),
            competency("z", equivalent="x"),
            competency("w", equivalent="z"),
            competency("alone"),
        ],
        [event("e1", "z")],
    )
    assert uncovered_ids(graph) == ["alone"]


def test_up_needs_every_child_and_children_may_come_from_different_events() -> None:
    comps = [competency("area"), competency("i1", "area"), competency("i2", "area")]
    assert uncovered_ids(backend(comps, [event("e1", "i1")])) == ["area", "i2"]
    assert uncovered_ids(backend(comps, [event("e1", "i1"), event("e2", "i2", targets="p2")])) == []


def test_up_then_down_then_across_combine() -> None:
    # a1 is covered across from b (fw2); a2 directly; so area A is covered by
    # "up", which is all its items already. B's area is covered down to b.
    comps = [
        competency("A"),
        competency("a1", "A", equivalent="b"),
        competency("a2", "A"),
        competency("B", fw="fw2"),
        competency("b", "B", fw="fw2"),
        competency("b2", "B", fw="fw2"),
    ]
    graph = backend(comps, [event("e1", "B"), event("e2", "a2")])
    assert uncovered_ids(graph) == []
    graph = backend(comps, [event("e1", "b"), event("e2", "a2")])
    assert uncovered_ids(graph) == ["B", "b2"]


def test_equivalence_into_a_parent_covers_its_items() -> None:
    comps = [competency("x", equivalent="area"), competency("area"), competency("i", "area")]
    assert uncovered_ids(backend(comps, [event("e1", "x")])) == []


def test_a_leaf_is_not_covered_by_the_up_rule() -> None:
    # "up" needs children; a competency without children is covered only otherwise.
    assert uncovered_ids(backend([competency("leaf")], [])) == ["leaf"]


# -- which events are active --------------------------------------------------


def test_cancelled_events_do_not_count() -> None:
    graph = backend([competency("a")], [event("e1", "a", status="cancelled")])
    assert uncovered_ids(graph) == ["a"]
    graph = backend([competency("a")], [event("e1", "a", status="completed")])
    assert uncovered_ids(graph) == []


@pytest.mark.parametrize(
    ("start", "end", "date_from", "date_to", "active"),
    [
        (None, None, "2030-01-01", "2030-12-31", True),  # no dates: always passes
        ("2025-01-01", "2025-01-31", "2025-01-31", None, True),  # touches the start
        ("2025-01-01", "2025-01-31", "2025-02-01", None, False),
        ("2025-01-01", "2025-01-31", None, "2025-01-01", True),  # touches the end
        ("2025-01-01", "2025-01-31", None, "2024-12-31", False),
        ("2025-03-01", None, "2025-03-01", "2025-03-01", True),  # one-day event
        ("2025-03-01", None, "2025-03-02", None, False),  # ends on its start date
        ("2025-03-01", None, None, "2025-02-28", False),
        ("2024-01-01", "2026-01-01", "2025-01-01", "2025-01-02", True),  # spans the window
    ],
)
def test_event_window_overlap_is_inclusive(
    start: str | None, end: str | None, date_from: str | None, date_to: str | None, active: bool
) -> None:
    graph = backend([competency("a")], [event("e1", "a", start_date=start, end_date=end)])
    window = EventFilter(
        dt.date.fromisoformat(date_from) if date_from else None,
        dt.date.fromisoformat(date_to) if date_to else None,
    )
    assert uncovered_ids(graph, CoverageQuery(window)) == ([] if active else ["a"])


def test_minimum_evaluation_level() -> None:
    comps = [competency(c) for c in ("n", "r", "l", "b", "res")]
    events = [
        event("e-n", "n", evaluation="none"),
        event("e-r", "r", evaluation="reaction"),
        event("e-l", "l", evaluation="learning"),
        event("e-b", "b", evaluation="behaviour"),
        event("e-res", "res", evaluation="results"),
    ]
    graph = backend(comps, events)
    query = CoverageQuery(EventFilter(min_evaluation=Evaluation.LEARNING))
    assert uncovered_ids(graph, query) == ["n", "r"]
    assert uncovered_ids(graph) == []


# -- gaps ---------------------------------------------------------------------


def test_gaps_count_only_events_that_target_the_profession() -> None:
    graph = backend(
        [competency("a")],
        [event("e1", "a", targets="p2")],
        requirements=[("p1", "a"), ("p2", "a")],
    )
    assert gap_pairs(graph) == [("p1", "a")]
    # ...while for "uncovered" any active event counts, even one targeting nobody.
    assert uncovered_ids(backend([competency("a")], [event("e1", "a", targets="")])) == []


def test_gap_closure_is_per_profession() -> None:
    # p1's events cover i1, p2's cover i2: neither profession has the whole area.
    comps = [competency("area"), competency("i1", "area"), competency("i2", "area")]
    graph = backend(
        comps,
        [event("e1", "i1", targets="p1"), event("e2", "i2", targets="p2")],
        requirements=[("p1", "area"), ("p2", "area")],
    )
    assert gap_pairs(graph) == [("p1", "area"), ("p2", "area")]
    assert uncovered_ids(graph) == []


def test_severity_headcount_weights_and_order() -> None:
    comps = [competency(c) for c in ("a", "b", "c")]
    graph = backend(
        comps,
        [],
        requirements=[("p1", "b"), ("p1", "a", "desirable"), ("p2", "c"), ("p3", "a"), ("p3", "b")],
        professions=("p1", "p2", "p3"),
        workforce=[("org", "p1", 30), ("org2", "p1", 10)],
    )
    result = gaps(graph, CoverageQuery())
    rows = [
        (g["profession"], g["competency"], g["headcount"], g["severity"]) for g in result["gaps"]
    ]
    assert rows == [
        ("p1", "b", 40, 40.0),
        ("p1", "a", 40, 20.0),
        ("p2", "c", 1, 1.0),  # no workforce rows: headcount 1
        ("p3", "a", 1, 1.0),
        ("p3", "b", 1, 1.0),
    ]
    assert result["summary"] == {"requirements": 5, "covered": 0, "gaps": 5}


def test_gap_filters_and_limit() -> None:
    comps = [competency("a"), competency("b", fw="fw2")]
    graph = backend(
        comps,
        [event("e1", "a", targets="p2")],
        requirements=[("p1", "a"), ("p1", "b", "desirable"), ("p2", "a"), ("p2", "b")],
    )
    assert gap_pairs(graph, CoverageQuery(professions=("p1",))) == [("p1", "a"), ("p1", "b")]
    assert gap_pairs(graph, CoverageQuery(frameworks=("fw2",))) == [("p2", "b"), ("p1", "b")]
    assert gap_pairs(graph, CoverageQuery(priority=Priority.DESIRABLE)) == [("p1", "b")]
    limited = gaps(graph, CoverageQuery(), limit=1)
    assert len(limited["gaps"]) == 1
    assert limited["summary"] == {"requirements": 4, "covered": 1, "gaps": 3}


def test_unknown_filter_ids_are_refused_with_suggestions() -> None:
    graph = backend([competency("a")], [])
    with pytest.raises(NotFoundError, match="unknown profession 'p11'; did you mean 'p1'"):
        gaps(graph, CoverageQuery(professions=("p11",)))
    with pytest.raises(NotFoundError, match="unknown framework 'fw3'"):
        gaps(graph, CoverageQuery(frameworks=("fw3",)))


# -- uncovered ----------------------------------------------------------------


def test_uncovered_lists_requiring_professions_sorted() -> None:
    graph = backend(
        [competency("a"), competency("b")],
        [],
        requirements=[("p2", "a"), ("p1", "a")],
    )
    assert uncovered(graph, CoverageQuery())["uncovered"] == [
        {
            "competency": "a",
            "required_by": ["p1", "p2"],
            "name": "A",
            "framework": "fw",
            "parent": None,
        },
        {"competency": "b", "required_by": [], "name": "B", "framework": "fw", "parent": None},
    ]
    assert uncovered_ids(graph, CoverageQuery(professions=("p2",))) == ["a"]


# -- matrix and explanations ----------------------------------------------------


def test_coverage_matrix_counts_items_under_each_area() -> None:
    comps = [
        competency("A"),
        competency("a1", "A"),
        competency("a2", "A"),
        competency("a21", "a2"),
        competency("B", fw="fw2"),
    ]
    graph = backend(
        comps,
        [event("e1", "a1"), event("e2", "a2", targets="p2")],
        requirements=[("p1", "a1"), ("p1", "a21"), ("p2", "A")],
    )
    matrix = coverage_matrix(graph, CoverageQuery())
    assert [a["id"] for a in matrix["areas"]] == ["A", "B"]
    cells = {
        (c["profession"], c["area"]): (c["required"], c["covered"], c["share"])
        for c in matrix["cells"]
    }
    assert cells == {
        ("p1", "A"): (2, 1, 0.5),
        ("p1", "B"): (0, 0, None),
        ("p2", "A"): (1, 0, 0.0),
        ("p2", "B"): (0, 0, None),
    }


def test_explain_gives_the_chain_of_rules() -> None:
    comps = [
        competency("area"),
        competency("item", "area", equivalent="other"),
        competency("other", fw="fw2"),
    ]
    graph = backend(comps, [event("te-12", "area")], requirements=[("p1", "other")])
    result = explain(graph, CoverageQuery(), "p1", "other")
    assert result["covered"] and result["required"] and result["priority"] == "essential"
    assert [(s["rule"], s["competency"]) for s in result["steps"]] == [
        ("direct", "area"),
        ("down", "item"),
        ("across", "other"),
    ]
    assert result["summary"] == (
        "covered: te-12 covers area (AREA); item (ITEM) is an item of area, which is covered; "
        "other (OTHER) is equivalent to item, which is covered"
    )


def test_explain_a_gap_lists_near_misses() -> None:
    comps = [competency("area"), competency("i1", "area"), competency("i2", "area")]
    graph = backend(
        comps,
        [
            event("e-other", "i1", targets="p2"),
            event("e-sibling", "i2"),
            event("e-far", "area", targets="p2", status="cancelled"),
        ],
        requirements=[("p1", "i1")],
    )
    result = explain(graph, CoverageQuery(), "p1", "i1")
    assert not result["covered"]
    assert [(m["event"], m["kind"]) for m in result["near_misses"]] == [
        ("e-other", "same competency, other professions"),
        ("e-sibling", "same profession, sibling competencies"),
    ]
    assert result["summary"] == "gap: no active event targeting p1 covers i1"


# -- the closure against a reference written straight from the rule -----------


@st.composite
def structures(draw: st.DrawFn) -> tuple[list[CompetencyNode], set[str]]:
    size = draw(st.integers(min_value=1, max_value=14))
    ids = [f"c{i:02d}" for i in range(size)]
    nodes = []
    for i, cid in enumerate(ids):
        # A parent earlier in the list keeps the chains free of loops.
        parent = draw(st.sampled_from([None, *ids[:i]])) if i else None
        others = draw(st.sets(st.sampled_from(ids), max_size=2)) - {cid}
        nodes.append(CompetencyNode(cid, cid, "fw", parent, tuple(sorted(others))))
    direct = draw(st.sets(st.sampled_from(ids), max_size=4))
    return nodes, direct


@settings(max_examples=examples(400), deadline=None)
@given(structures())
def test_closure_equals_the_rule_applied_until_nothing_changes(
    case: tuple[list[CompetencyNode], set[str]],
) -> None:
    nodes, direct = case
    structure = CompetencyStructure(nodes)
    expected = reference_closure(nodes, direct)
    assert set(structure.closure(direct, reasons=False)) == expected
    with_reasons = structure.closure({c: ["e"] for c in direct})
    assert set(with_reasons) == expected
    # Every reason points at competencies that are themselves covered.
    for competency, reason in with_reasons.items():
        assert reason is not None
        if reason.rule == "direct":
            assert competency in direct
        else:
            assert set(reason.source) <= expected
