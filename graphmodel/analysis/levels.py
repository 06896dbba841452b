"""Proficiency levels: a framework's ordered scale, and how levels compare and carry.

A framework may state its levels, lowest first (the DDaT Capability
Framework's Awareness, Working, Practitioner, Expert; SFIA's 1 to 7). A
requirement may ask for one of them and a training event may cover a
competency at one of them. This module is the arithmetic of those levels,
with no knowledge of datasets, backends or coverage, so that every rule that
needs it (the coverage closure, the commissioning plan) reads the same rules
(docs/coverage.md, "Levels").

A competency's *covered level* is a :data:`Rank`, an integer:

- :data:`NOTHING` (-2): nothing covers it;
- :data:`UNSTATED` (-1): something covers it at no stated level (a cover
  without a level, or any cover in a framework without levels);
- ``0 .. n-1``: the position of a level in the competency's framework.

so that the order ``nothing < unstated < the framework's levels`` is the
integers' order, and "at least" is ``>=``.

Example
-------
>>> ddat = Scale(("Awareness", "Working", "Practitioner", "Expert"))
>>> sfia = Scale(tuple(str(level) for level in range(1, 8)))
>>> ddat.rank("working"), ddat.name(ddat.rank("EXPERT"))
(1, 'Expert')
>>> meets(ddat.rank("Practitioner"), ddat.rank("Working")), meets(UNSTATED, ddat.rank("Working"))
(True, False)
>>> sfia.name(carry(ddat.rank("Practitioner"), ddat, sfia))  # 2 of 0..3 -> 4 of 0..6
'5'
>>> carry(UNSTATED, ddat, sfia) == UNSTATED, carry(3, ddat, Scale(())) == UNSTATED
(True, True)
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

#: A covered or required level: :data:`NOTHING`, :data:`UNSTATED`, or a position in a scale.
Rank = int

#: No cover at all.
NOTHING: Rank = -2
#: Covered, at no stated level.
UNSTATED: Rank = -1
#: How an unstated cover is written in JSON and text.
UNSTATED_NAME = "unstated"


def fold(name: str) -> str:
    """A level name as input matches it: case ignored, spaces trimmed.

    Example
    -------
    >>> fold("  Expert ") == fold("EXPERT")
    True
    """
    return name.strip().casefold()


@dataclass(frozen=True)
class Scale:
    """A framework's levels, lowest first; empty for a framework without levels.

    Names are unique when folded (:func:`fold`); :meth:`rank` matches them so,
    and :meth:`name` gives the framework's own spelling.

    Example
    -------
    >>> scale = Scale(("Awareness", "Working"))
    >>> len(scale), scale.rank("awareness"), scale.rank("Expert"), scale.name(1)
    (2, 0, None, 'Working')
    >>> bool(Scale(())), Scale(()).name(UNSTATED), Scale(()).name(NOTHING) is None
    (False, 'unstated', True)
    """

    levels: tuple[str, ...]
    _ranks: dict[str, int] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        ranks = {fold(level): rank for rank, level in enumerate(self.levels)}
        if len(ranks) != len(self.levels):
            raise ValueError(f"level names repeat in {list(self.levels)!r}")
        object.__setattr__(self, "_ranks", ranks)

    def __len__(self) -> int:
        return len(self.levels)

    def __bool__(self) -> bool:
        return bool(self.levels)

    def rank(self, name: str) -> Rank | None:
        """The position of the level called ``name`` (case ignored), or None."""
        return self._ranks.get(fold(name))

    def spelling(self, name: str) -> str | None:
        """The framework's own spelling of ``name`` (case ignored), or None."""
        rank = self.rank(name)
        return None if rank is None else self.levels[rank]

    def name(self, rank: Rank) -> str | None:
        """A rank in words: None for :data:`NOTHING`, ``"unstated"``, or the level's name."""
        if rank == NOTHING:
            return None
        if rank == UNSTATED:
            return UNSTATED_NAME
        return self.levels[rank]


def meets(covered: Rank, required: Rank | None) -> bool:
    """Whether a covered level satisfies a requirement's level.

    A requirement without a level (``None``) needs any cover, unstated
    included; a requirement at a level needs a cover at that level or above,
    so an unstated cover does not meet it.

    Example
    -------
    >>> meets(UNSTATED, None), meets(NOTHING, None), meets(UNSTATED, 0), meets(2, 1)
    (True, False, False, True)
    """
    return covered >= (UNSTATED if required is None else required)


def _position(rank: int, source: int, target: int) -> int:
    """Level ``rank`` of ``source`` levels at the same relative height on ``target`` levels.

    ``floor(rank / (source - 1) * (target - 1))``, in whole numbers; a one-level
    scale counts as its top.
    """
    if source == 1:
        return target - 1
    return rank * (target - 1) // (source - 1)


@functools.lru_cache(maxsize=4096)
def carry_table(source: Scale, target: Scale) -> tuple[Rank, ...]:
    """For each level of ``source``, the level of ``target`` it carries to (across rule).

    A level carries *by name* when ``target`` has a level of that name (case
    ignored), otherwise *by position*: level k of n (from 0) becomes level
    ``floor(k / (n - 1) x (m - 1))`` of the m levels of ``target``, a
    one-level scale counting as its top. Being covered at a level means being
    covered at every level below it too, so each entry is at least the one
    before (the highest any level up to it carries to): carrying never
    lowers a level as the source's rises, which keeps the coverage closure a
    least fixed point whatever the two scales are. For two scales whose
    shared names are in the same order, this changes nothing.

    Example
    -------
    >>> four = Scale(("Awareness", "Working", "Practitioner", "Expert"))
    >>> carry_table(four, Scale(("Working", "Expert")))
    (0, 0, 0, 1)
    >>> carry_table(Scale(("Basic", "Lead", "Expert")), Scale(("Expert", "Lead", "Master")))
    (0, 1, 1)
    """
    table: list[Rank] = []
    highest = 0
    for rank, level in enumerate(source.levels):
        named = target.rank(level)
        carried = named if named is not None else _position(rank, len(source), len(target))
        highest = max(highest, carried)
        table.append(highest)
    return tuple(table)


def carry(rank: Rank, source: Scale, target: Scale) -> Rank:
    """A covered level of a competency in ``source``'s framework, as a level in ``target``'s.

    :data:`NOTHING` stays nothing and :data:`UNSTATED` unstated; a level
    becomes :data:`UNSTATED` when either framework has no levels, and
    otherwise carries as :func:`carry_table` says.

    Example
    -------
    >>> seven = Scale(tuple("1234567"))
    >>> four = Scale(("Awareness", "Working", "Practitioner", "Expert"))
    >>> [carry(k, seven, four) for k in range(7)]
    [0, 0, 1, 1, 2, 2, 3]
    >>> carry(NOTHING, seven, four) == NOTHING
    True
    """
    if rank < 0 or source is target:
        return rank
    if not source.levels or not target.levels:
        return UNSTATED
    if source.levels == target.levels:
        return rank
    return carry_table(source, target)[rank]


def lowest(ranks: Iterable[Rank]) -> Rank:
    """The lowest of some covered levels (the up rule's level of a parent).

    Example
    -------
    >>> lowest([2, UNSTATED, 3]) == UNSTATED, lowest([]) == NOTHING
    (True, True)
    """
    return min(ranks, default=NOTHING)
