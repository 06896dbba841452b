"""The marks: the one definition of what each highlight word means and how it is drawn.

A *mark* says why a node is in a picture: ``gap`` (a required competency no
active training for the profession covers), ``near-miss``, ``duplicate``,
``broker``... The explorer's "Nodes shown" table writes the words, the page
draws each mark's fill and outline (served to it in every overlay document,
``marks``), the offline network views (``graphmodel view``) colour their
highlights from here, and the board report explains its marks with the same
words. Nothing else defines a mark's word, legend text or colour.

Colours. A mark with a ``fill`` paints the node (``None`` keeps its type's
colour, so the type still shows); ``outline`` is drawn round it, ``width``
pixels thick. Fills and outlines are dark or white, never one of the node
types' colours (``graphmodel.visuals.palette``): each differs from every
type colour by a CIEDE2000 distance of at least 10, for normal vision and
simulated protanopia, deuteranopia and tritanopia (``tests/test_marks.py``
checks it). A *hollow* mark (white fill) reads "not yet": a near miss does not
target the profession yet, a candidate does not respond yet. Colour never
carries a mark alone: its word is written after the node's name and in the
table.

Example
-------
>>> MARKS["gap"].fill, MARKS["near-miss"].text[:30]
('#a50026', 'an active training event that ')
>>> [mark["mark"] for mark in legend(["covered", "gap", "below-level"])]
['below-level', 'gap', 'covered']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Mark:
    """A highlight word: what the legend says of it, and how a node carrying it is drawn."""

    word: str
    text: str
    fill: str | None
    outline: str
    width: float


@dataclass(frozen=True)
class LinkMark:
    """A link an analysis draws (a duplicate pair, a suggested response, a path...)."""

    name: str
    text: str
    colour: str
    dashed: bool = False


_RED = "#a50026"
_NAVY = "#08306b"
_PURPLE = "#762a83"
_MAGENTA = "#c51b7d"
_GREEN = "#00441b"
_BLACK = "#000000"
_GREY = "#4d4d4d"
_WHITE = "#ffffff"

#: Every mark, in the order the table lists a node's words (DESIGN's highlight words).
MARKS: dict[str, Mark] = {
    mark.word: mark
    for mark in (
        Mark("focus", "the node in focus", None, _BLACK, 4),
        # gaps of a profession
        Mark(
            "below-level",
            "a required competency covered, but below the level required",
            _WHITE,
            _RED,
            3.5,
        ),
        Mark(
            "gap",
            "a required competency no active training for the profession covers",
            _RED,
            "#4a0012",
            3,
        ),
        Mark(
            "covered",
            "a required competency the profession's active training covers",
            None,
            _GREY,
            2,
        ),
        Mark("profession", "the profession whose gaps are shown", None, _BLACK, 4),
        Mark(
            "covering",
            "an active training event for the profession that covers a requirement",
            None,
            _NAVY,
            3,
        ),
        Mark(
            "near-miss",
            "an active training event that covers a gap's competency for other "
            "professions (hollow: not for this profession yet)",
            _WHITE,
            _NAVY,
            3,
        ),
        # uncovered competencies
        Mark("uncovered", "a competency no active training covers", _RED, "#4a0012", 3),
        Mark("area", "a framework area grouping the competencies shown", None, _BLACK, 2.5),
        Mark("requiring", "a profession that requires a competency shown", None, _NAVY, 2.5),
        # duplicated initiatives
        Mark("duplicate", "an initiative that repeats another", _PURPLE, "#2d0033", 3),
        Mark("shared", "ground a cluster's initiatives share", None, _PURPLE, 2.5),
        # reach of a driver
        Mark("driver", "the driver whose reach is shown", None, _BLACK, 4),
        Mark("responding", "an initiative that responds to the driver", _NAVY, _BLACK, 2.5),
        Mark(
            "touched",
            "what the responding initiatives address, target or are led by",
            None,
            _NAVY,
            2.5,
        ),
        Mark(
            "candidate",
            "an initiative that shares that ground but does not respond yet (hollow)",
            _WHITE,
            _MAGENTA,
            3.5,
        ),
        # brokers
        Mark(
            "broker",
            "an organisation or initiative that holds the partnership network together",
            _GREEN,
            _BLACK,
            3,
        ),
        Mark("neighbour", "an organisation or initiative next to a broker", None, _GREY, 2),
        # a path, the plan, a what-if
        Mark("path", "a node on the chain between the two chosen nodes", None, _NAVY, 3.5),
        Mark(
            "planned", "an action of the plan: training opened or commissioned", None, _GREEN, 3.5
        ),
        Mark(
            "closes",
            "a gap the plan closes (hollow: closed once the plan is carried out)",
            _WHITE,
            _GREEN,
            3.5,
        ),
        Mark(
            "hypothetical",
            "the new driver, what its text matches, and initiatives that could respond",
            _WHITE,
            _PURPLE,
            3,
        ),
    )
}

#: The links analyses add to a picture, by relationship type.
LINKS: dict[str, LinkMark] = {
    link.name: link
    for link in (
        LinkMark("SIMILAR_TO", "a duplicate pair, with its score (0 to 1)", _PURPLE),
        LinkMark(
            "SUGGESTED_RESPONSE", "a candidate's suggested response, with its score", _MAGENTA
        ),
        LinkMark(
            "MATCHES",
            "a hypothetical link (a match's similarity, a response's score)",
            _PURPLE,
            dashed=True,
        ),
        LinkMark("PLANNED", "an action of the plan", _GREEN, dashed=True),
        LinkMark("path", "the chain between two nodes", _NAVY),
        LinkMark("mark", "a relationship the answer is about", _GREY),
    )
}


def legend(words: Iterable[str]) -> list[dict[str, Any]]:
    """The legend of the marks among ``words``, in :data:`MARKS` order (unknown words left out)."""
    used = set(words)
    return [
        {
            "mark": mark.word,
            "text": mark.text,
            "fill": mark.fill,
            "outline": mark.outline,
            "width": mark.width,
        }
        for mark in MARKS.values()
        if mark.word in used
    ]


def definitions() -> dict[str, Any]:
    """Every mark and link as JSON, for the explorer's page (``/api/marks``)."""
    return {
        "marks": [asdict(mark) for mark in MARKS.values()],
        "links": [asdict(link) for link in LINKS.values()],
    }
