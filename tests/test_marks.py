"""The marks' one definition (graphmodel/marks.py): every word, distinct and safe colours,
and every picture drawing from it (the explorer's page, the offline views, the report)."""

from __future__ import annotations

import re
from itertools import combinations

import pytest
from conftest import ROOT

from graphmodel.marks import LINKS, MARKS, definitions, legend
from graphmodel.visuals.palette import NODE_STYLES

coloraide = pytest.importorskip("coloraide", reason="coloraide is in the dev extra")

#: The highlight words the contract lists (sections 9 and 14 of the design).
CONTRACT_WORDS = {
    "focus",
    "gap",
    "covered",
    "profession",
    "uncovered",
    "duplicate",
    "driver",
    "responding",
    "touched",
    "candidate",
    "broker",
    "covering",
    "near-miss",
    "below-level",
    "area",
    "requiring",
    "shared",
    "neighbour",
    "path",
    "planned",
    "closes",
}
SIMULATIONS = [None, "protan", "deutan", "tritan"]
#: Least CIEDE2000 distance from a node type's colour, for every kind of vision.
LEAST_DISTANCE = 10.0


def distance(a: str, b: str) -> float:
    """The least CIEDE2000 distance between two colours, seen normally or with each of
    the three colour blindnesses (simulated, Brettel / Machado as coloraide does)."""
    found = []
    for simulation in SIMULATIONS:
        first, second = coloraide.Color(a), coloraide.Color(b)
        if simulation is not None:
            first, second = first.filter(simulation), second.filter(simulation)
        found.append(first.delta_e(second, method="2000"))
    return min(found)


def test_every_contract_word_is_defined_once() -> None:
    assert set(MARKS) >= CONTRACT_WORDS
    assert all(mark.word == word and mark.text for word, mark in MARKS.items())
    assert [m["word"] for m in definitions()["marks"]] == list(MARKS)


def test_mark_colours_are_not_node_type_colours_for_any_vision() -> None:
    colours = {c for m in MARKS.values() for c in (m.fill, m.outline) if c} | {
        link.colour for link in LINKS.values()
    }
    for colour in sorted(colours):
        for label, style in NODE_STYLES.items():
            assert distance(colour, style.colour) >= LEAST_DISTANCE, (colour, label)


def test_marks_of_one_view_look_different() -> None:
    # A fill paints the node; two marks that can meet in one view never share their look.
    views = [
        ["gap", "below-level", "covered", "profession", "covering", "near-miss", "area"],
        ["uncovered", "area", "requiring"],
        ["duplicate", "shared"],
        ["driver", "responding", "touched", "candidate"],
        ["broker", "neighbour"],
    ]
    for words in views:
        looks = [(MARKS[w].fill, MARKS[w].outline, MARKS[w].width) for w in words]
        assert len(set(looks)) == len(looks), words
        fills = [MARKS[w].fill for w in words if MARKS[w].fill]
        for a, b in combinations(sorted(set(fills)), 2):
            assert distance(a, b) >= LEAST_DISTANCE, (a, b)


def test_legend_keeps_the_definition_order() -> None:
    assert [item["mark"] for item in legend(["candidate", "gap", "unknown"])] == [
        "gap",
        "candidate",
    ]


def test_no_mark_colour_is_written_anywhere_else() -> None:
    # The page receives the marks (/api/marks); the offline views take them from the library.
    marks_js = (ROOT / "web" / "assets" / "marks.js").read_text(encoding="utf-8")
    assert not re.search(r"#[0-9a-fA-F]{6}\b", marks_js.split("export function fade")[0])
    views = (ROOT / "visuals" / "views.py").read_text(encoding="utf-8")
    assert not re.search(r'Mark\([^)]*"#[0-9a-fA-F]{6}"', views, re.S)
    library = (ROOT / "graphmodel" / "marks.py").read_text(encoding="utf-8")
    assert "visuals" not in re.sub(r'""".*?"""', "", library, flags=re.S)
