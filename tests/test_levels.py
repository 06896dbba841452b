"""Proficiency levels: the arithmetic, the coverage rule with levels, and the gaps JSON.

Every answer here is worked out by hand from docs/coverage.md ("Levels"), or
checked against the rule applied the slow way until nothing changes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from graphmodel.analysis.coverage import (
    NO_LEVELS,
    CompetencyStructure,
    CoverageQuery,
    coverage_matrix,
    explain,
    gaps,
    uncovered,
)
from graphmodel.analysis.levels import (
    NOTHING,
    UNSTATED,
    Rank,
    Scale,
    carry,
    carry_table,
    lowest,
    meets,
)
from graphmodel.backends import GraphBackend, MemoryBackend
from graphmodel.dataset import read_dataset
from graphmodel.model import (
    Competency,
    Dataset,
    Framework,
    Profession,
    Requirement,
    TrainingEvent,
)
from graphmodel.projections import CompetencyNode

FOUR = Scale(("Awareness", "Working", "Practitioner", "Expert"))
SEVEN = Scale(tuple("1234567"))

# -- the arithmetic -------------------------------------------------------------------


def test_the_order_is_nothing_then_unstated_then_the_levels() -> None:
    assert NOTHING < UNSTATED < FOUR.rank("Awareness") < FOUR.rank("expert")  # type: ignore[operator]
    assert [FOUR.name(rank) for rank in (NOTHING, UNSTATED, 0, 3)] == [
        None,
        "unstated",
        "Awareness",
        "Expert",
    ]
    assert FOUR.rank(" WORKING ") == 1 and FOUR.spelling("working") == "Working"


def test_a_requirement_without_a_level_needs_any_cover_and_one_with_a_level_that_level() -> None:
    assert meets(UNSTATED, None) and not meets(NOTHING, None)
    assert not meets(UNSTATED, 0)
    assert meets(2, 2) and meets(3, 2) and not meets(1, 2)


def test_carry_by_name_where_the_target_has_the_name() -> None:
    other = Scale(("Awareness", "Working", "Expert"))
    assert [carry(k, FOUR, other) for k in range(4)] == [0, 1, 1, 2]  # Practitioner by position


def test_carry_by_relative_position() -> None:
    # level k of n becomes floor(k / (n - 1) x (m - 1)) of m
    assert [carry(k, SEVEN, FOUR) for k in range(7)] == [0, 0, 1, 1, 2, 2, 3]
    assert [carry(k, FOUR, SEVEN) for k in range(4)] == [0, 2, 4, 6]


def test_a_one_level_scale_counts_as_its_top() -> None:
    single = Scale(("Qualified",))
    assert carry(0, single, FOUR) == 3
    assert [carry(k, FOUR, single) for k in range(4)] == [0, 0, 0, 0]


def test_a_framework_without_levels_on_either_side_gives_unstated() -> None:
    assert carry(3, FOUR, NO_LEVELS) == UNSTATED
    assert carry(UNSTATED, NO_LEVELS, FOUR) == UNSTATED
    assert carry(NOTHING, FOUR, SEVEN) == NOTHING
    assert carry(UNSTATED, FOUR, SEVEN) == UNSTATED


def test_carrying_never_lowers_a_level_as_the_source_rises() -> None:
    # By name Expert would fall back to 0 below Lead: a cover at Expert is a cover at
    # Lead too, so it carries at least as high as Lead does.
    source = Scale(("Basic", "Lead", "Expert"))
    target = Scale(("Expert", "Lead", "Master"))
    assert carry_table(source, target) == (0, 1, 1)


names = st.sampled_from(["Awareness", "Working", "Practitioner", "Expert", "1", "2", "Lead"])
scales = st.lists(names, unique=True, max_size=5).map(lambda levels: Scale(tuple(levels)))


@settings(max_examples=300, deadline=None)
@given(scales, scales)
def test_carry_is_monotone_and_follows_the_rule_where_the_rule_is_monotone(
    source: Scale, target: Scale
) -> None:
    carried = [carry(k, source, target) for k in range(len(source))]
    assert carried == sorted(carried)
    if not source or not target:
        assert set(carried) <= {UNSTATED}
        return
    assert all(0 <= rank < len(target) for rank in carried)
    # The rule as written: by name, else by relative position.
    raw = []
    for k, level in enumerate(source.levels):
        named = target.rank(level)
        n, m = len(source), len(target)
        raw.append(named if named is not None else (m - 1 if n == 1 else (k * (m - 1)) // (n - 1)))
    assert carried == [max(raw[: k + 1]) for k in range(len(raw))]
    if raw == sorted(raw):
        assert carried == raw


def test_lowest() -> None:
    assert lowest([3, 1, 2]) == 1 and lowest([]) == NOTHING


# -- the levelled closure against the rule applied until nothing changes --------------


def reference_levels(
    nodes: list[CompetencyNode], scale: dict[str, Scale], direct: dict[str, Rank]
) -> dict[str, Rank]:
    """The least levels closed under the four rules, by raising from nothing until
    nothing changes (docs/coverage.md, "Levels"): the slow way."""
    parent = {n.id: n.parent for n in nodes}
    children = {n.id: [m.id for m in nodes if m.parent == n.id] for n in nodes}
    equivalent: dict[str, set[str]] = {n.id: set(n.equivalent_to) for n in nodes}
    for n in nodes:
        for other in n.equivalent_to:
            equivalent[other].add(n.id)
    level = {n.id: direct.get(n.id, NOTHING) for n in nodes}
    changed = True
    while changed:
        changed = False
        for n in nodes:
            c = n.id
            found = [level[c]]
            if parent[c] is not None:
                found.append(carry(level[parent[c]], scale[parent[c]], scale[c]))  # type: ignore[index]
            found += [carry(level[o], scale[o], scale[c]) for o in equivalent[c]]
            if children[c] and all(level[k] != NOTHING for k in children[c]):
                found.append(min(carry(level[k], scale[k], scale[c]) for k in children[c]))
            if max(found) > level[c]:
                level[c] = max(found)
                changed = True
    return {c: rank for c, rank in level.items() if rank != NOTHING}


FRAMEWORK_SCALES = {"fa": FOUR, "fb": SEVEN, "fc": Scale(("Working", "Expert")), "fn": NO_LEVELS}


@st.composite
def levelled_structures(
    draw: st.DrawFn,
) -> tuple[list[CompetencyNode], dict[str, Rank]]:
    size = draw(st.integers(min_value=1, max_value=12))
    ids = [f"c{i:02d}" for i in range(size)]
    nodes = []
    for i, cid in enumerate(ids):
        parent = draw(st.sampled_from([None, *ids[:i]])) if i else None
        others = draw(st.sets(st.sampled_from(ids), max_size=2)) - {cid}
        framework = draw(st.sampled_from(sorted(FRAMEWORK_SCALES)))
        nodes.append(CompetencyNode(cid, cid, framework, parent, tuple(sorted(others))))
    direct: dict[str, Rank] = {}
    for node in draw(st.lists(st.sampled_from(nodes), max_size=5, unique_by=lambda n: n.id)):
        top = len(FRAMEWORK_SCALES[node.framework])
        direct[node.id] = draw(st.integers(min_value=UNSTATED, max_value=top - 1))
    return nodes, direct


@settings(max_examples=400, deadline=None)
@given(levelled_structures())
def test_the_levelled_closure_is_the_least_assignment_closed_under_the_rules(
    case: tuple[list[CompetencyNode], dict[str, Rank]],
) -> None:
    nodes, direct = case
    structure = CompetencyStructure(nodes, FRAMEWORK_SCALES)
    expected = reference_levels(nodes, structure.scale, direct)
    found = structure.level_closure(direct)
    assert found.level == expected
    # Which competencies are covered at all is exactly the level-free rule's answer.
    assert set(found.level) == set(structure.closure(set(direct), reasons=False))
    # Every explanation step points only at what was covered, at a level it had.
    explained = structure.level_closure(direct, reasons=True)
    assert explained.level == expected
    assert explained.history is not None
    for competency, steps in explained.history.items():
        assert [step.level for step in steps] == sorted({step.level for step in steps})
        assert steps[-1].level == expected[competency]
        for step in steps:
            if step.rule != "direct":
                for source, rank in zip(step.source, step.source_levels, strict=True):
                    assert explained.raise_at(source, rank).level == rank


def nodes_of(*specs: tuple[str, str, str | None, tuple[str, ...]]) -> list[CompetencyNode]:
    return [CompetencyNode(c, c, fw, parent, eq) for c, fw, parent, eq in specs]


def test_cycles_of_equivalences_and_of_parents_create_nothing() -> None:
    # a = b = c in a ring, an area whose only item is equivalent back to the area's
    # framework: with no cover at all, nothing is covered at any level.
    nodes = nodes_of(
        ("a", "fa", None, ("b",)),
        ("b", "fb", None, ("c",)),
        ("c", "fc", None, ("a",)),
        ("area", "fa", None, ()),
        ("item", "fa", "area", ("area",)),
    )
    structure = CompetencyStructure(nodes, FRAMEWORK_SCALES)
    assert structure.level_closure({}).level == {}
    # A cover at Working of a gives the ring Working, carried: nothing higher.
    ring = structure.level_closure({"a": 1}).level
    assert ring == {"a": 1, "b": 2, "c": 0}
    # The area covered at Awareness gives its item Awareness, and no more.
    assert structure.level_closure({"area": 0}).level == {"area": 0, "item": 0}


def test_down_up_and_across_with_levels() -> None:
    nodes = nodes_of(
        ("area", "fa", None, ()),
        ("one", "fa", "area", ()),
        ("two", "fa", "area", ()),
        ("seven", "fb", None, ("two",)),
        ("plain", "fn", None, ("one",)),
    )
    structure = CompetencyStructure(nodes, FRAMEWORK_SCALES)
    # down: the items at least at the area's level
    assert structure.level_closure({"area": 2}).level == {
        "area": 2,
        "one": 2,
        "two": 2,
        "seven": 4,  # Practitioner (2 of 0..3) carried to 4 of 0..6
        "plain": UNSTATED,
    }
    # up: the area at the lowest of its items; a higher item does not lift it
    assert structure.level_closure({"one": 3, "two": 1}).level["area"] == 1
    # an unstated item makes the area unstated, though covered
    assert structure.level_closure({"one": 3, "two": UNSTATED}).level["area"] == UNSTATED
    # across from a framework without levels gives unstated
    assert structure.level_closure({"plain": UNSTATED}).level == {"plain": UNSTATED, "one": -1}


# -- gaps with levels ------------------------------------------------------------------


def test_gaps_say_the_level_needed_and_the_level_reached(levelled_dataset: Path) -> None:
    result = gaps(MemoryBackend(read_dataset(levelled_dataset)), CoverageQuery())
    by_pair = {(g["profession"], g["competency"]): g for g in result["gaps"]}
    assert set(by_pair) == {("p-analyst", "d-quality"), ("p-analyst", "d-model")}
    below = by_pair[("p-analyst", "d-quality")]
    assert (below["required_level"], below["covered_level"]) == ("Expert", "Awareness")
    nothing = by_pair[("p-analyst", "d-model")]
    assert (nothing["required_level"], nothing["covered_level"]) == ("Working", None)
    assert result["summary"] == {"requirements": 5, "covered": 3, "gaps": 2, "below_level": 1}
    # The keys follow section 6's, in this order.
    assert list(below)[-2:] == ["required_level", "covered_level"]


def test_uncovered_is_unchanged_by_levels(levelled_dataset: Path) -> None:
    # d-model is covered for the engineer (at Working): covered by some event, so not
    # uncovered, though it is the analyst's gap; every competency has some cover.
    result = uncovered(MemoryBackend(read_dataset(levelled_dataset)), CoverageQuery())
    assert result["uncovered"] == []
    assert set(result["summary"]) == {"competencies", "uncovered"}


def dataset(
    frameworks: list[Framework],
    competencies: list[Competency],
    requirements: list[Requirement],
    events: list[TrainingEvent],
) -> MemoryBackend:
    return MemoryBackend(
        Dataset(
            frameworks=frameworks,
            competencies=competencies,
            professions=[Profession(id="p1", name="P1")],
            requirements=requirements,
            training_events=events,
        )
    )


def test_an_unstated_cover_is_below_any_level_and_meets_a_requirement_without_one() -> None:
    backend = dataset(
        [Framework(id="fa", name="A", levels="Awareness;Working")],
        [
            Competency(id="c1", name="C1", framework="fa"),
            Competency(id="c2", name="C2", framework="fa"),
        ],
        [
            Requirement(profession="p1", competency="c1", level="Awareness"),
            Requirement(profession="p1", competency="c2"),
        ],
        [TrainingEvent(id="te", title="T", targets="p1", covers="c1;c2")],
    )
    result = gaps(backend, CoverageQuery())
    assert [(g["competency"], g["covered_level"]) for g in result["gaps"]] == [("c1", "unstated")]
    assert result["summary"]["below_level"] == 1


def test_an_events_level_applies_where_the_competencys_framework_has_that_name() -> None:
    backend = dataset(
        [
            Framework(id="fa", name="A", levels="Awareness;Working"),
            Framework(id="fb", name="B", levels="Basic;Advanced"),
        ],
        [
            Competency(id="c1", name="C1", framework="fa"),
            Competency(id="c2", name="C2", framework="fb"),
        ],
        [
            Requirement(profession="p1", competency="c1", level="Working"),
            Requirement(profession="p1", competency="c2", level="Basic"),
        ],
        [TrainingEvent(id="te", title="T", targets="p1", covers="c1;c2", level="Working")],
    )
    result = gaps(backend, CoverageQuery())
    # c1 at Working (its framework has the name); c2's framework has no Working: unstated.
    assert [(g["competency"], g["covered_level"]) for g in result["gaps"]] == [("c2", "unstated")]


def test_a_levelled_dataset_agrees_with_the_level_free_rule_on_level_free_parts() -> None:
    frameworks = [
        Framework(id="fa", name="A", levels="Awareness;Working"),
        Framework(id="fn", name="N"),
    ]
    competencies = [
        Competency(id="area", name="Area", framework="fn"),
        Competency(id="one", name="One", framework="fn", parent="area"),
        Competency(id="two", name="Two", framework="fn", parent="area", equivalent_to="x"),
        Competency(id="x", name="X", framework="fa"),
    ]
    requirements = [Requirement(profession="p1", competency=c) for c in ("area", "one", "two", "x")]
    events = [TrainingEvent(id="te", title="T", targets="p1", covers="one;x@Awareness")]
    result = gaps(dataset(frameworks, competencies, requirements, events), CoverageQuery())
    # x covers two across (unstated), one directly: the area is covered by up.
    assert result["gaps"] == []
    assert result["summary"]["below_level"] == 0


# -- explain -----------------------------------------------------------------------------


def test_explain_names_the_level_reached_the_events_and_the_level_needed(
    levelled_dataset: Path,
) -> None:
    backend = MemoryBackend(read_dataset(levelled_dataset))
    below = explain(backend, CoverageQuery(), "p-analyst", "d-quality")
    assert below["covered"] is False
    assert (below["required_level"], below["covered_level"]) == ("Expert", "Awareness")
    assert below["events"] == ["te-aware"]
    assert below["steps"] == [
        {
            "rule": "direct",
            "competency": "d-quality",
            "from": ["te-aware"],
            "text": "te-aware covers d-quality (Data quality) at Awareness",
            "level": "Awareness",
        }
    ]
    assert below["summary"].startswith("below level: covered at Awareness, Expert needed")
    # The masterclass covers it at Expert for the engineer: opening it closes the gap.
    assert [(m["event"], m["level"]) for m in below["near_misses"]][:1] == [("te-expert", "Expert")]

    across = explain(backend, CoverageQuery(), "p-engineer", "s-quality")
    assert across["covered"] is True and across["covered_level"] == "7"
    assert [step["rule"] for step in across["steps"]] == ["direct", "across"]
    assert across["steps"][1]["text"] == (
        "s-quality (Quality assurance of data) is equivalent to d-quality, which is covered "
        "at Expert, at 7 in fw-seven"
    )
    assert across["events"] == ["te-expert"]


def test_explain_of_an_area_covered_up_at_the_lowest_level(levelled_dataset: Path) -> None:
    backend = MemoryBackend(read_dataset(levelled_dataset))
    result = explain(backend, CoverageQuery(), "p-engineer", "d-area")
    assert result["covered_level"] == "Working"
    assert result["steps"][-1]["rule"] == "up"
    assert result["steps"][-1]["level"] == "Working"
    assert result["events"] == ["te-expert", "te-working"]


def test_a_near_miss_below_the_level_needed_is_no_near_miss() -> None:
    backend = dataset(
        [Framework(id="fa", name="A", levels="Awareness;Working")],
        [Competency(id="c1", name="C1", framework="fa")],
        [Requirement(profession="p1", competency="c1", level="Working")],
        [TrainingEvent(id="te", title="T", targets="", covers="c1@Awareness")],
    )
    assert explain(backend, CoverageQuery(), "p1", "c1")["near_misses"] == []


# -- the matrix ------------------------------------------------------------------------


def test_the_matrix_counts_below_level_and_lists_levels_needed_and_reached(
    levelled_dataset: Path,
) -> None:
    matrix = coverage_matrix(MemoryBackend(read_dataset(levelled_dataset)), CoverageQuery())
    cell = next(
        c for c in matrix["cells"] if (c["profession"], c["area"]) == ("p-analyst", "d-area")
    )
    assert cell == {
        "profession": "p-analyst",
        "area": "d-area",
        "required": 2,
        "covered": 0,
        "share": 0.0,
        "below_level": 1,
    }
    assert [
        (
            row["profession"],
            row["competency"],
            row["required_level"],
            row["covered_level"],
            row["met"],
        )
        for row in matrix["levels"]
    ] == [
        ("p-analyst", "d-model", "Working", None, False),
        ("p-analyst", "d-quality", "Expert", "Awareness", False),
        ("p-engineer", "s-quality", "5", "7", True),
    ]


# -- both backends -----------------------------------------------------------------------

QUERIES = [
    CoverageQuery(),
    CoverageQuery(professions=("p-analyst",)),
    CoverageQuery(frameworks=("fw-seven",)),
]


def test_both_backends_give_the_same_levelled_json(
    backend_for: Callable[[Dataset], GraphBackend], levelled_dataset: Path
) -> None:
    data = read_dataset(levelled_dataset)
    graph, memory = backend_for(data), MemoryBackend(data)
    for query in QUERIES:
        for analysis in (gaps, uncovered, coverage_matrix):
            assert _json(analysis(graph, query)) == _json(analysis(memory, query)), query
    for profession in ("p-analyst", "p-engineer"):
        for competency in ("d-area", "d-quality", "d-model", "s-quality", "p-share"):
            assert _json(explain(graph, CoverageQuery(), profession, competency)) == _json(
                explain(memory, CoverageQuery(), profession, competency)
            )
    assert graph.frameworks() == memory.frameworks()
    assert graph.requirements() == memory.requirements()
    assert graph.active_events(CoverageQuery().events) == memory.active_events(
        CoverageQuery().events
    )


def _json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False)


# -- diff and the report -------------------------------------------------------------------


def test_diff_counts_and_lists_gaps_below_level(levelled_dataset: Path) -> None:
    from graphmodel.analysis.diff import compare

    old = read_dataset(levelled_dataset)
    # A year on: the awareness hour now reaches Working (still below Expert) and adds
    # modelling at Awareness (below Working); the masterclass is gone, so the engineer's
    # quality assurance falls to the level carried from Working.
    events = [
        TrainingEvent(
            id="te-aware",
            title="Data awareness hour",
            status="running",
            targets="p-analyst",
            covers="d-quality@Working;p-share;d-model@Awareness",
        ),
        TrainingEvent(
            id="te-working",
            title="Data at work",
            status="running",
            targets="p-engineer",
            covers="d-quality;d-model",
            level="Working",
        ),
    ]
    new = old.model_copy(update={"training_events": events})
    result = compare(MemoryBackend(old), MemoryBackend(new))
    assert result["summary"]["below_level"] == {"old": 1, "new": 3}
    changes = result["changes"]
    assert (changes["below_level_closed"], changes["below_level_opened"]) == (0, 1)
    assert changes["gaps_level_changed"] == 2
    (opened,) = result["gaps_opened"]
    assert (opened["competency"], opened["why"]) == ("s-quality", "now below the level needed")
    assert (opened["required_level"], opened["covered_level"]) == ("5", "3")
    changed = {g["competency"]: g for g in result["gaps_level_changed"]}
    assert changed["d-quality"]["old_covered_level"] == "Awareness"
    assert changed["d-quality"]["covered_level"] == "Working"
    assert changed["d-quality"]["why"] == "level raised, still below"
    assert changed["d-model"]["old_covered_level"] is None
    assert changed["d-model"]["why"] == "some cover now, below the level needed"
    # Swapping the sides swaps the changes.
    back = compare(MemoryBackend(new), MemoryBackend(old))
    assert back["summary"]["below_level"] == {"old": 3, "new": 1}
    assert {g["why"] for g in back["gaps_level_changed"]} == {"level lowered", "cover lost"}


def test_the_report_lists_the_gaps_below_level(levelled_dataset: Path) -> None:
    from graphmodel.analysis.report import build_report
    from graphmodel.visuals.report import render_markdown

    report = build_report(MemoryBackend(read_dataset(levelled_dataset)))
    coverage = report["coverage"]
    assert coverage["below_level_total"] == coverage["summary"]["below_level"] == 1
    assert [(g["competency"], g["covered_level"]) for g in coverage["below_level"]] == [
        ("d-quality", "Awareness")
    ]
    markdown = render_markdown(report)
    assert "## Gaps below the level needed" in markdown
    assert "| Analyst | Data quality (d-quality) | Expert | Awareness | 12 | 12 |" in markdown
    gap_actions = [a["text"] for a in report["actions"] if a["kind"] == "gap"]
    assert any("covered only at Awareness, Expert needed" in text for text in gap_actions)


def test_both_backends_agree_on_a_levelled_synthetic_dataset(
    backend_for: Callable[[Dataset], GraphBackend],
) -> None:
    from graphmodel.synthetic import Scale, synthetic_dataset, with_levels

    data = with_levels(synthetic_dataset(Scale.tiny().scaled(4), seed=11), seed=12)
    graph, memory = backend_for(data), MemoryBackend(data)
    for analysis in (gaps, uncovered, coverage_matrix):
        assert _json(analysis(graph, CoverageQuery())) == _json(analysis(memory, CoverageQuery()))
    found = gaps(memory, CoverageQuery())
    assert found["summary"]["below_level"] > 0  # the variant exercises levels
    for gap in found["gaps"][:5]:
        pair = (gap["profession"], gap["competency"])
        assert _json(explain(graph, CoverageQuery(), *pair)) == _json(
            explain(memory, CoverageQuery(), *pair)
        )
