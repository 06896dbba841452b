"""Section 6's coverage rule written straight from its text, the slow way, for tests
that check the library's closure against it (docs/coverage.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class CompetencyLike(Protocol):
    """What the rule reads of a competency: a model ``Competency`` or a ``CompetencyNode``."""

    @property
    def id(self) -> str: ...

    @property
    def parent(self) -> str | None: ...

    @property
    def equivalent_to(self) -> Sequence[str]: ...


def reference_closure(nodes: Sequence[CompetencyLike], direct: set[str]) -> set[str]:
    """The least fixpoint, the slow way: apply the four rules until nothing changes."""
    parent = {n.id: n.parent for n in nodes}
    children = {n.id: [m.id for m in nodes if m.parent == n.id] for n in nodes}
    equivalent = {n.id: set(n.equivalent_to) for n in nodes}
    for n in nodes:
        for other in n.equivalent_to:
            equivalent[other].add(n.id)
    covered = set(direct)
    changed = True
    while changed:
        changed = False
        for n in nodes:
            c = n.id
            if c in covered:
                continue
            if (
                parent[c] in covered
                or equivalent[c] & covered
                or (children[c] and all(child in covered for child in children[c]))
            ):
                covered.add(c)
                changed = True
    return covered
