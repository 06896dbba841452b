"""How each node type is drawn, in every picture graphmodel makes.

One palette (Tableau 10, which stays distinguishable under the common forms
of colour blindness) and one shape per type, so that colour is never the
only thing telling types apart: the network views (:mod:`.render`) and the
explorer's page (``graphmodel serve``) both draw from here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NodeStyle:
    """How a node type is drawn: a colour (colour-blind safe palette) and a vis shape."""

    colour: str
    shape: str


NODE_STYLES: dict[str, NodeStyle] = {
    "Framework": NodeStyle("#9c755f", "hexagon"),
    "Competency": NodeStyle("#4e79a7", "dot"),
    "Profession": NodeStyle("#f28e2b", "diamond"),
    "Organisation": NodeStyle("#59a14f", "square"),
    "TrainingEvent": NodeStyle("#76b7b2", "triangle"),
    "Initiative": NodeStyle("#edc948", "star"),
    "Driver": NodeStyle("#b07aa1", "triangleDown"),
}

#: Plain names of the node types, for the legend.
TYPE_NAMES: dict[str, str] = {
    "Framework": "Frameworks",
    "Competency": "Competencies",
    "Profession": "Professions",
    "Organisation": "Organisations",
    "TrainingEvent": "Training events",
    "Initiative": "Initiatives",
    "Driver": "Policy drivers",
}

#: Colour of relationships.
EDGE_COLOUR = "#8d96a0"
