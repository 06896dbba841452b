"""Every analysis' default settings, in one module that imports nothing heavy.

The analyses use these, and so do their requests (:mod:`graphmodel.analysis.requests`),
which the command line reads to build its options: ``graphmodel gaps --help`` must not
load scikit-learn to show a default. Each value says where it was chosen.
"""

from __future__ import annotations

from typing import Literal

#: Duplicate initiative pairs scoring at least this are reported (chosen on the labelled
#: set; docs/duplicates.md).
DUPLICATE_THRESHOLD = 0.37
#: Jaccard index of covers and of targets from which two events overlap (docs/duplicates.md).
MIN_OVERLAP = 0.5
#: The least text similarity at which a what-if text matches a driver, initiative or
#: competency (docs/links.md).
MATCH_FLOOR = 0.2
#: How many relationships a chain may have unless told otherwise.
MAX_HOPS = 6
#: The longest chain ``shortest_paths`` looks for (a bound Cypher cannot take as a parameter).
MAX_PATH_HOPS = 15
#: The lowest crosswalk score suggested (docs/frameworks.md).
CROSSWALK_MIN_SCORE = 0.15
#: Crosswalk suggestions per competency.
CROSSWALK_LIMIT = 3
#: The board report: how many of the worst gaps it explains, candidates per driver, and
#: rows in every other listing (docs/report.md).
REPORT_TOP_GAPS = 10
REPORT_CANDIDATES = 3
REPORT_ROWS = 20
REPORT_TITLE = "Workforce development: training coverage, duplication and links"
#: Leiden's resolution for communities unless asked otherwise (modularity's own: 1).
COMMUNITY_RESOLUTION = 1.0
#: The networks ``communities`` divides: the whole graph, or the partnership network.
NetworkKind = Literal["graph", "partnership"]
