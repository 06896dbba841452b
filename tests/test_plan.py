"""The commissioning plan: exact on generated exercises, never covering what nothing covers.

The generated exercises (``plan_exercises.py``) are checked against the best
plan found by trying every set of actions, scored by the coverage rule
itself; the plan's actions are applied to the dataset and ``gaps`` is run
again to confirm exactly the gaps it claims close. Hand-made cases pin the
least-fixed-point traps: equivalence cycles and parents waiting on children.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import EXAMPLE
from hypothesis import HealthCheck, given, settings
from plan_exercises import Exercise, enumerated, exercises, greedy, plan_key, possible_actions

from graphmodel.analysis.coverage import CoverageQuery, gaps
from graphmodel.analysis.plan import PlanQuery, apply_plan, plan
from graphmodel.backends import MemoryBackend
from graphmodel.dataset import read_dataset
from graphmodel.model import (
    Competency,
    Dataset,
    Framework,
    Offer,
    Organisation,
    Profession,
    Requirement,
    TrainingEvent,
    WorkforceEntry,
)


def run(exercise: Exercise) -> dict[str, Any]:
    return plan(MemoryBackend(exercise.dataset), PlanQuery(exercise.query, exercise.budget))


def gap_keys(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {(g["profession"], g["competency"]) for g in document["gaps"]}


@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(exercises())
def test_the_plan_is_the_best_of_every_set_of_actions(exercise: Exercise) -> None:
    if len(possible_actions(exercise)) > 11:
        return  # too many subsets to try; the other exercises cover the ground
    document = run(exercise)
    best_key, best = enumerated(exercise)
    assert document["optimal"] is True
    assert document["severity_closed"] == -best_key[0], [a.key for a in best]
    # The tie-break too: least cost, fewest actions, earliest positions.
    assert plan_key(document, exercise) == best_key
    assert document["cost"] <= exercise.budget
    assert document["bound"] == document["severity_closed"]


@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(exercises())
def test_applying_the_plan_closes_exactly_the_gaps_it_claims(exercise: Exercise) -> None:
    document = run(exercise)
    before = gaps(MemoryBackend(exercise.dataset), exercise.query)
    applied = apply_plan(exercise.dataset, document, exercise.query)
    after = gaps(MemoryBackend(applied), exercise.query)
    claimed = {(g["profession"], g["competency"]) for g in document["gaps_closed"]}
    assert gap_keys(before) - gap_keys(after) == claimed
    assert gap_keys(after) <= gap_keys(before)  # opening and commissioning never open a gap
    assert sum(g["severity"] for g in document["gaps_closed"]) == document["severity_closed"]
    # The greedy plan's figures are the rule's too.
    greedy_applied = apply_plan(
        exercise.dataset, {"actions": document["greedy"]["actions"]}, exercise.query
    )
    after_greedy = gaps(MemoryBackend(greedy_applied), exercise.query)
    closed = gap_keys(before) - gap_keys(after_greedy)
    assert len(closed) == document["greedy"]["gaps_closed"]
    severity = {(g["profession"], g["competency"]): g["severity"] for g in before["gaps"]}
    assert sum(severity[key] for key in closed) == document["greedy"]["severity_closed"]


@settings(max_examples=150, deadline=None, derandomize=True)
@given(exercises())
def test_the_greedy_plan_is_best_severity_per_pound_first(exercise: Exercise) -> None:
    if len(possible_actions(exercise)) > 14:
        return
    document = run(exercise)
    expected = [action.key for action in greedy(exercise)]
    found = [
        (a.get("event") or a["offer"], a["profession"] or "") for a in document["greedy"]["actions"]
    ]
    assert found == expected
    assert document["greedy"]["cost"] <= exercise.budget
    assert document["severity_closed"] >= document["greedy"]["severity_closed"]


# -- the least fixed point: nothing covers itself -------------------------------------


def dataset(
    competencies: list[Competency],
    requirements: list[tuple[str, str]],
    events: list[TrainingEvent] = (),  # type: ignore[assignment]
    offers: list[Offer] = (),  # type: ignore[assignment]
) -> Dataset:
    return Dataset(
        frameworks=[Framework(id="fw", name="Framework"), Framework(id="fw2", name="Other")],
        competencies=competencies,
        professions=[Profession(id="p", name="Profession"), Profession(id="q", name="Other")],
        requirements=[Requirement(profession=p, competency=c) for p, c in requirements],
        organisations=[Organisation(id="org", name="Organisation")],
        workforce=[
            WorkforceEntry(organisation="org", profession="p", headcount=10),
            WorkforceEntry(organisation="org", profession="q", headcount=5),
        ],
        training_events=list(events),
        offers=list(offers),
    )


def competency(
    id_: str, parent: str | None = None, equivalent: tuple[str, ...] = (), framework: str = "fw"
) -> Competency:
    return Competency(
        id=id_, name=id_, framework=framework, parent=parent, equivalent_to=list(equivalent)
    )


def event(id_: str, covers: list[str], targets: list[str], cost: float = 100.0) -> TrainingEvent:
    return TrainingEvent(id=id_, title=id_, covers=covers, targets=targets, cost=cost, places=10)


def closed(data: Dataset, budget: float) -> set[tuple[str, str]]:
    document = plan(MemoryBackend(data), PlanQuery(budget=budget))
    assert document["optimal"]
    return {(g["profession"], g["competency"]) for g in document["gaps_closed"]}


def test_an_equivalence_cycle_covers_nothing_by_itself() -> None:
    # a = b = c = a, all required, none covered: an action elsewhere must not close them.
    cycle = [
        competency("a", equivalent=("b",)),
        competency("b", equivalent=("c",)),
        competency("c", equivalent=("a",)),
        competency("d"),
    ]
    data = dataset(
        cycle, [("p", "a"), ("p", "b"), ("p", "c"), ("p", "d")], [event("te", ["d"], ["q"])]
    )
    assert closed(data, 1000) == {("p", "d")}
    # ... and one action on the cycle closes all three.
    data = dataset(cycle, [("p", "a"), ("p", "b"), ("p", "c")], [event("te", ["c"], ["q"])])
    assert closed(data, 1000) == {("p", "a"), ("p", "b"), ("p", "c")}


def test_a_parent_waiting_on_children_that_wait_on_it_stays_a_gap() -> None:
    # The area would be covered "because all its items are", each item "because its
    # area is": without an action on them, neither closes.
    area = [competency("area"), competency("i1", "area"), competency("i2", "area"), competency("x")]
    data = dataset(area, [("p", "area"), ("p", "i1"), ("p", "x")], [event("te", ["x"], ["q"])])
    assert closed(data, 1000) == {("p", "x")}
    # Covering both items closes the area (up), and so each item.
    both = [event("te1", ["i1"], ["q"]), event("te2", ["i2"], ["q"])]
    data = dataset(area, [("p", "area"), ("p", "i1")], both)
    assert closed(data, 1000) == {("p", "area"), ("p", "i1")}
    # With money for one of them only, the area stays open.
    assert closed(data, 150) == {("p", "i1")}


def test_crossed_equivalences_between_two_hierarchies_cover_nothing_by_themselves() -> None:
    # a is b's parent in fw, c is d's parent in fw2; a = d and b = c: a loop through
    # down and across rules that no action starts.
    crossed = [
        competency("a", equivalent=("d",)),
        competency("b", "a", equivalent=("c",)),
        competency("c", framework="fw2"),
        competency("d", "c", framework="fw2"),
        competency("x"),
    ]
    requirements = [("p", "a"), ("p", "b"), ("p", "c"), ("p", "d"), ("p", "x")]
    data = dataset(crossed, requirements, [event("te", ["x"], ["q"])])
    assert closed(data, 1000) == {("p", "x")}
    # Covering b covers c (across), so d (down), so a (across): every one closes.
    data = dataset(crossed, requirements, [event("te", ["b"], ["q"])])
    assert closed(data, 1000) == {("p", "a"), ("p", "b"), ("p", "c"), ("p", "d")}


def test_an_item_equivalent_to_its_own_area_covers_nothing_by_itself() -> None:
    looped = [competency("area"), competency("item", "area", equivalent=("area",)), competency("x")]
    data = dataset(looped, [("p", "area"), ("p", "item"), ("p", "x")], [event("te", ["x"], ["q"])])
    assert closed(data, 1000) == {("p", "x")}


def test_an_offer_for_several_professions_is_paid_once() -> None:
    items = [competency("a"), competency("b")]
    offer = Offer(id="of", title="Joint course", covers=["a", "b"], targets=["p", "q"], cost=300)
    events = [event("te", ["a"], []), event("te2", ["b"], [])]  # 10 a place
    data = dataset(items, [("p", "a"), ("q", "b"), ("p", "b")], events, [offer])
    document = plan(MemoryBackend(data), PlanQuery(budget=300))
    # Opening both events to p (200) and te2 to q (50) costs 250 and closes all three;
    # the offer costs 300 for the same: the cheaper plan wins.
    assert document["severity_closed"] == 25.0
    assert document["cost"] == 250.0
    assert {a["kind"] for a in document["actions"]} == {"open"}
    document = plan(MemoryBackend(data), PlanQuery(budget=240))
    assert document["severity_closed"] == 20.0  # p's two gaps (10 each), not q's (5)


def test_ties_go_to_the_cheaper_plan_then_to_earlier_ids() -> None:
    items = [competency("a"), competency("b")]
    # Two events each close one gap of p for the same money; money for one only.
    data = dataset(
        items, [("p", "a"), ("p", "b")], [event("te-b", ["b"], []), event("te-a", ["a"], [])]
    )
    document = plan(MemoryBackend(data), PlanQuery(budget=100))
    assert [a["event"] for a in document["actions"]] == ["te-a"]
    # Same severity for less money: the cheaper event.
    cheap = [event("te-a", ["a"], [], cost=120.0), event("te-b", ["b"], [], cost=90.0)]
    data = dataset(items, [("p", "a"), ("p", "b")], cheap)
    document = plan(MemoryBackend(data), PlanQuery(budget=150))
    assert [a["event"] for a in document["actions"]] == ["te-b"]
    assert document["cost"] == 90.0


def test_costs_are_rounded_up_to_the_penny() -> None:
    data = dataset(
        [competency("a")],
        [("p", "a")],
        [TrainingEvent(id="te", title="te", covers=["a"], cost=100.0, places=3)],
    )
    document = plan(MemoryBackend(data), PlanQuery(budget=1000))
    # 100 / 3 x 10 people = 333.333...: 333.34, so the sum of costs never exceeds a budget.
    assert document["actions"][0]["cost"] == 333.34
    assert plan(MemoryBackend(data), PlanQuery(budget=333.33))["actions"] == []


def test_events_without_cost_or_places_or_inactive_are_never_opened() -> None:
    events = [
        TrainingEvent(id="te-free", title="t", covers=["a"], cost=None, places=10),
        TrainingEvent(id="te-noplaces", title="t", covers=["a"], cost=50.0, places=None),
        TrainingEvent(id="te-zero", title="t", covers=["a"], cost=50.0, places=0),
        TrainingEvent(
            id="te-off", title="t", covers=["a"], cost=1.0, places=10, status="cancelled"
        ),
    ]
    data = dataset([competency("a")], [("p", "a")], events)
    document = plan(MemoryBackend(data), PlanQuery(budget=10_000))
    assert document["actions"] == [] and document["severity_closed"] == 0.0
    assert document["summary"]["gaps"] == 1


# -- levels: a gap below the level needed, and levels carried between scales -----------

FOUR = ["Awareness", "Working", "Practitioner", "Expert"]


def levelled(
    competencies: list[Competency],
    requirements: list[tuple[str, str, str | None]],
    events: list[TrainingEvent] = (),  # type: ignore[assignment]
    offers: list[Offer] = (),  # type: ignore[assignment]
    scales: tuple[list[str], list[str]] = (FOUR, ["A", "B", "C"]),
) -> Dataset:
    """:func:`dataset` with levels: ``fw`` and ``fw2`` on the scales given, requirements
    ``(profession, competency, level)``."""
    data = dataset(competencies, [(p, c) for p, c, _ in requirements], events, offers)
    return data.model_copy(
        update={
            "frameworks": [
                Framework(id="fw", name="Framework", levels=scales[0]),
                Framework(id="fw2", name="Other", levels=scales[1]),
            ],
            "requirements": [
                Requirement(profession=p, competency=c, level=level) for p, c, level in requirements
            ],
        }
    )


def closes_on_rerun(data: Dataset, budget: float) -> set[tuple[str, str]]:
    """The gaps the plan closes, confirmed by applying it and running gaps again."""
    document = plan(MemoryBackend(data), PlanQuery(budget=budget))
    assert document["optimal"]
    claimed = {(g["profession"], g["competency"]) for g in document["gaps_closed"]}
    after = gaps(MemoryBackend(apply_plan(data, document)), CoverageQuery())
    assert gap_keys(gaps(MemoryBackend(data), CoverageQuery())) - gap_keys(after) == claimed
    return claimed


def test_a_gap_below_the_level_needed_closes_only_at_that_level_or_above() -> None:
    items = [competency("c"), competency("x")]
    events = [
        event("te-own", ["c@Working"], ["p"]),  # p's own cover, below the level needed
        event("te-low", ["c@Working"], ["q"], cost=10.0),  # cheap, but too low as well
        event("te-high", ["c@Expert"], ["q"], cost=200.0),  # 20 a place: 200 for p's 10
    ]
    data = levelled(items, [("p", "c", "Practitioner"), ("p", "x", None)], events)
    below = gaps(MemoryBackend(data), CoverageQuery())["gaps"]
    assert [(g["competency"], g["covered_level"]) for g in below] == [
        ("c", "Working"),
        ("x", None),
    ]
    document = plan(MemoryBackend(data), PlanQuery(budget=1000))
    assert [(a["event"], a["profession"]) for a in document["actions"]] == [("te-high", "p")]
    assert document["cost"] == 200.0
    assert closes_on_rerun(data, 1000) == {("p", "c")}
    # Money for the low-level event only: it would close nothing, so nothing is done.
    assert plan(MemoryBackend(data), PlanQuery(budget=150))["actions"] == []


def test_an_offer_commissioned_at_a_level_closes_what_its_level_reaches() -> None:
    items = [competency("c"), competency("d")]
    offers = [
        Offer(id="of-aware", title="Taster", covers=["c@Awareness", "d"], targets=["p"], cost=50),
        Offer(id="of-expert", title="Masterclass", covers=["c@Expert"], targets=["p"], cost=400),
    ]
    data = levelled(items, [("p", "c", "Practitioner"), ("p", "d", None)], offers=offers)
    # The taster closes d (no level needed) but leaves c below the level needed.
    assert closes_on_rerun(data, 100) == {("p", "d")}
    assert closes_on_rerun(data, 450) == {("p", "c"), ("p", "d")}
    document = plan(MemoryBackend(data), PlanQuery(budget=450))
    assert [a["offer"] for a in document["actions"]] == ["of-aware", "of-expert"]


def test_levels_carried_between_scales_close_gaps_exactly() -> None:
    # c (fw, four levels) = e (fw2, A B C): Practitioner is 2 of 0..3, so e at
    # floor(2/3 x 2) = 1 (B); e's B carries back to Working (by position, 1 of 0..2
    # is floor(1/2 x 3) = 1): a cover of c at Practitioner closes e needed at B, not C.
    items = [competency("c", equivalent=("e",)), competency("e", framework="fw2")]
    events = [
        event("te-prac", ["c@Practitioner"], ["q"]),  # 100 for p's 10
        event("te-exp", ["c@Expert"], ["q"], cost=300.0),  # 300 for them
    ]
    data = levelled(items, [("p", "e", "B")], events)
    document = plan(MemoryBackend(data), PlanQuery(budget=1000))
    assert [a["event"] for a in document["actions"]] == ["te-prac"]
    assert closes_on_rerun(data, 1000) == {("p", "e")}
    # Needed at C, only the Expert event reaches it (Expert, 3 of 0..3, carries to C).
    data = levelled(items, [("p", "e", "C")], events)
    document = plan(MemoryBackend(data), PlanQuery(budget=1000))
    assert [a["event"] for a in document["actions"]] == ["te-exp"]
    assert closes_on_rerun(data, 250) == set()


def test_a_level_carried_down_and_back_up_between_scales_is_a_real_rise() -> None:
    # The area (fw, A B C) has one item on another scale (fw2, B C D). The area at A
    # carries down to the item's B (by position), whose B carries up by name to the
    # area's B: the least fixed point reaches B from a cover at A, and the plan sees it.
    items = [competency("area", framework="fw2"), competency("item", "area")]
    scales = (["B", "C", "D"], ["A", "B", "C"])
    events = [event("te-a", ["area@A"], ["q"]), event("te-c", ["area@C"], ["q"], cost=500.0)]
    data = levelled(items, [("p", "area", "B")], events, scales=scales)
    document = plan(MemoryBackend(data), PlanQuery(budget=10_000))
    assert [a["event"] for a in document["actions"]] == ["te-a"]
    assert closes_on_rerun(data, 10_000) == {("p", "area")}
    # ... but never to C: that needs the dearer event.
    data = levelled(items, [("p", "area", "C")], events, scales=scales)
    assert [a["event"] for a in plan(MemoryBackend(data), PlanQuery(budget=10_000))["actions"]] == [
        "te-c"
    ]


def test_a_levelled_cycle_covers_nothing_by_itself() -> None:
    # Equivalent competencies on two scales, each raising the other, and an area
    # waiting on its item on another scale: nothing closes without an action on them.
    items = [
        competency("a", equivalent=("b",)),
        competency("b", framework="fw2", equivalent=("a",)),
        competency("area", framework="fw2"),
        competency("item", "area"),
        competency("x"),
    ]
    requirements = [("p", "a", "Expert"), ("p", "b", None), ("p", "area", "A"), ("p", "x", None)]
    data = levelled(items, requirements, [event("te", ["x@Expert"], ["q"])])
    assert closes_on_rerun(data, 1000) == {("p", "x")}


def test_the_generated_exercises_hold_levels_and_close_gaps_below_them() -> None:
    # The exercises above are only as good as what they contain: many state levels on
    # two scales, put items under another framework's area, and close below-level gaps.
    import random

    from plan_exercises import build

    counts = {"levelled": 0, "two scales": 0, "mixed area": 0, "below closed": 0}
    for seed in range(150):
        exercise = build(random.Random(seed))
        data = exercise.dataset
        scales = {tuple(f.levels) for f in data.frameworks}
        if not any(scales):
            continue
        counts["levelled"] += 1
        counts["two scales"] += len(scales) > 1
        framework = {c.id: c.framework for c in data.competencies}
        counts["mixed area"] += any(
            c.parent and framework[c.parent] != c.framework for c in data.competencies
        )
        below = {
            (g["profession"], g["competency"])
            for g in gaps(MemoryBackend(data), exercise.query)["gaps"]
            if g["covered_level"] is not None
        }
        closed = {(g["profession"], g["competency"]) for g in run(exercise)["gaps_closed"]}
        counts["below closed"] += bool(below & closed)
    assert counts["levelled"] >= 50 and counts["two scales"] >= 30, counts
    assert counts["mixed area"] >= 15 and counts["below closed"] >= 5, counts


# -- the example ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def example() -> MemoryBackend:
    return MemoryBackend(read_dataset(EXAMPLE))


@pytest.mark.parametrize("budget", [0, 5_000, 60_000, 1_000_000])
def test_the_example_plan_is_optimal_and_closes_what_it_claims(
    example: MemoryBackend, budget: int
) -> None:
    query = CoverageQuery()
    document = plan(example, PlanQuery(query, budget))
    assert document["optimal"] and document["cost"] <= budget
    assert document["severity_closed"] >= document["greedy"]["severity_closed"]
    before = gaps(example, query)
    after = gaps(MemoryBackend(apply_plan(example.dataset, document, query)), query)
    assert gap_keys(before) - gap_keys(after) == {
        (g["profession"], g["competency"]) for g in document["gaps_closed"]
    }
    # More money never closes less.
    if budget:
        smaller = plan(example, PlanQuery(query, budget // 2))
        assert smaller["severity_closed"] <= document["severity_closed"]
