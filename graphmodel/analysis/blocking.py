"""Candidate pairs of initiatives for duplicate scoring, without comparing all pairs.

Two initiatives share *ground*: the professions they target, the
competencies they address, the drivers they respond to and the
organisations that lead them or are partners in them (their *neighbour
items*). An item held by few initiatives says more than one held by many,
so each item weighs its inverse document frequency among the initiatives
compared, ``log((N + 1) / df)``; an organisation weighs half that
(:data:`ORGANISATION_FACTOR`), because a duplicate is usually started by a
*different* partner, so sharing an organisation is weaker evidence than
sharing a competency, a profession or a driver. The structural similarity
of two initiatives is the weighted Jaccard index of their items: the weight
they share over the weight either holds.

Finding every pair whose structural similarity reaches a bound ``s`` is a
*prefix filter* (Chaudhuri et al. 2006; Bayardo et al. 2007, "Scaling up all
pairs similarity search"), which is exact:

- order each initiative's items rarest first (weight descending, then id);
- its *prefix* is the shortest run of leading items after which the
  remaining weight is below ``s`` times its total weight;
- any pair with similarity at least ``s`` shares an item that is in both
  prefixes (their shared weight is at least ``s`` times the larger total,
  so it cannot all lie outside either prefix, and the first shared item in
  the common order lies inside both).

So the candidates are the pairs that meet in an inverted index of prefix
items, and no pair at or above the bound is ever missed. Prefixes hold the
rare items, which is what keeps the index small: an item shared by
thousands of initiatives seldom enters a prefix.

The embedded backend runs :func:`prefix_filter_pairs` on its initiative
projection; the Neo4j backend runs the same rule as Cypher
(``cypher/duplicates_candidates.cypher``).

Example
-------
>>> items = {"a": ["p1", "c1", "d1"], "b": ["p1", "c1", "d2"], "c": ["p1", "c9"]}
>>> prefix_filter_pairs(items, rarity_weights(items.values()), 0.25)
[('a', 'b')]
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence, Set

from graphmodel.projections import InitiativeNode

#: Prefixes are computed against a bound this much lower, so a pair whose
#: rounded similarity reaches the bound is never lost to rounding, and the
#: Cypher version (another language's floating point) finds at least as many.
PREFIX_SLACK = 1e-6

#: An organisation's rarity weight is multiplied by this (see the module doc).
ORGANISATION_FACTOR = 0.5


def neighbour_items(initiative: InitiativeNode) -> tuple[str, ...]:
    """The ids an initiative shares ground through: targets, addresses, drivers, organisations."""
    return tuple(
        sorted(
            {
                *initiative.targets,
                *initiative.addresses,
                *initiative.responds_to,
                *initiative.organisations,
            }
        )
    )


def rarity_weights(
    item_lists: Iterable[Sequence[str]], discounted: Set[str] = frozenset()
) -> dict[str, float]:
    """Each item's weight ``log((N + 1) / df)``, N the number of lists, df how many hold it.

    Items in ``discounted`` (organisations) weigh :data:`ORGANISATION_FACTOR` of that.

    Example
    -------
    >>> weights = rarity_weights([["x", "y"], ["x"], ["x"]])
    >>> round(weights["y"], 3), round(weights["x"], 3)
    (1.386, 0.288)
    """
    counts: Counter[str] = Counter()
    total = 0
    for items in item_lists:
        total += 1
        counts.update(set(items))
    return {
        item: math.log((total + 1) / df) * (ORGANISATION_FACTOR if item in discounted else 1.0)
        for item, df in counts.items()
    }


def initiative_weights(initiatives: Sequence[InitiativeNode]) -> dict[str, float]:
    """:func:`rarity_weights` of the initiatives' neighbour items, organisations discounted."""
    organisations = {item for node in initiatives for item in node.organisations}
    return rarity_weights((neighbour_items(node) for node in initiatives), organisations)


def prefix(items: Sequence[str], weights: Mapping[str, float], bound: float) -> list[str]:
    """The items that must be indexed for similarity ``bound``: rarest first, see module doc."""
    ordered = sorted(items, key=lambda item: (-weights[item], item))
    remaining = sum(weights[item] for item in ordered)
    needed = (bound - PREFIX_SLACK) * remaining
    kept: list[str] = []
    for item in ordered:
        if remaining < needed or remaining <= 0.0:
            break
        kept.append(item)
        remaining -= weights[item]
    return kept


def prefix_postings(
    items_by_id: Mapping[str, Sequence[str]], weights: Mapping[str, float], bound: float
) -> list[tuple[str, ...]]:
    """The inverted index of prefix items: for each item in two or more prefixes, who indexes it.

    Every two ids in one posting list are a candidate pair; the lists are
    sorted, and so is each list.
    """
    postings: dict[str, list[str]] = defaultdict(list)
    for key in sorted(items_by_id):
        for item in prefix(items_by_id[key], weights, bound):
            postings[item].append(key)
    return sorted(tuple(holders) for holders in postings.values() if len(holders) > 1)


def prefix_filter_pairs(
    items_by_id: Mapping[str, Sequence[str]], weights: Mapping[str, float], bound: float
) -> list[tuple[str, str]]:
    """Every pair ``(a, b)``, ``a < b``, that could have weighted Jaccard similarity >= ``bound``.

    The result is sorted and holds every pair that reaches the bound (and
    some that do not: candidates, to be scored).
    """
    return pairs_from_postings(prefix_postings(items_by_id, weights, bound))


def pairs_from_postings(postings: Iterable[Sequence[str]]) -> list[tuple[str, str]]:
    """Every pair ``(a, b)``, ``a < b``, that meets in some posting list, sorted, each once.

    Example
    -------
    >>> pairs_from_postings([["b", "a", "c"], ["a", "b"]])
    [('a', 'b'), ('a', 'c'), ('b', 'c')]
    """
    pairs: set[tuple[str, str]] = set()
    for holders in postings:
        ordered = sorted(set(holders))
        for position, first in enumerate(ordered):
            pairs.update((first, second) for second in ordered[position + 1 :])
    return sorted(pairs)
