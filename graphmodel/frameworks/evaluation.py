"""Measuring a crosswalk on real wording: ESCO's preferred labels against their alternatives.

ESCO gives most skills several alternative labels: the wordings other
frameworks, job adverts and curricula use for the same skill. Holding one
alternative label out of each skill makes a second "framework" whose every
competency has a known true match and whose wording is real, not made up:

- framework ``held-out``: one competency per skill, named by the held-out
  alternative label (no description, no other label), like a local
  framework's terse statement;
- framework ``esco`` as imported, less the held-out label.

A crosswalk from ``held-out`` to ``esco`` should then put each skill first
(recall@1) or among its first three (recall@3). The held-out label is chosen
from the URI's hash, so the set is the same on every machine.

Example
-------
>>> from graphmodel.model import Dataset, Framework, Competency
>>> esco = Dataset(frameworks=[Framework(id="esco", name="ESCO")], competencies=[
...     Competency(id="s1", name="apply anti-oppressive practices", framework="esco",
...                alt_labels=["apply non-oppressive practices", "use anti-oppressive practice"])])
>>> dataset, truth = held_out_frameworks(esco)
>>> truth, [c.name for c in dataset.competencies if c.framework == HELD_OUT]
({'held-out-s1': 's1'}, ['apply non-oppressive practices'])
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from graphmodel.analysis.crosswalk import Crosswalk
from graphmodel.model import Competency, Dataset, Framework

HELD_OUT = "held-out"


def _pick(key: str, count: int) -> int:
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % count


def held_out_frameworks(
    dataset: Dataset, framework: str = "esco", *, keep_alternatives: bool = True
) -> tuple[Dataset, dict[str, str]]:
    """``dataset`` plus a framework of held-out alternative labels, and the true matches.

    Competencies of ``framework`` with fewer than two alternative labels are
    left as they are (holding out their only one would leave nothing to
    match through); each other one loses one label to a new competency
    ``held-out-<id>``. Returns the new dataset and ``{held-out id: true id}``.

    With ``keep_alternatives=False``, the harder shape: ``framework`` keeps only
    its preferred labels and descriptions (every alternative label removed), as
    when neither framework has alternative labels and one states each skill in
    other words.

    Example
    -------
    >>> from graphmodel.model import Competency, Dataset, Framework
    >>> esco = Dataset(frameworks=[Framework(id="esco", name="ESCO")], competencies=[
    ...     Competency(id="s1", name="manage a budget", framework="esco",
    ...                alt_labels=["control a budget", "oversee budgets"])])
    >>> dataset, truth = held_out_frameworks(esco, keep_alternatives=False)
    >>> [(c.id, c.name, c.alt_labels) for c in dataset.competencies]
    [('s1', 'manage a budget', []), ('held-out-s1', 'control a budget', [])]
    """
    competencies: list[Competency] = []
    held: list[Competency] = []
    truth: dict[str, str] = {}
    for competency in dataset.competencies:
        labels = competency.alt_labels
        if competency.framework != framework or len(labels) < 2:
            competencies.append(competency)
            continue
        index = _pick(competency.id, len(labels))
        kept = [label for i, label in enumerate(labels) if i != index and keep_alternatives]
        competencies.append(competency.model_copy(update={"alt_labels": kept}))
        held_id = f"{HELD_OUT}-{competency.id}"
        held.append(Competency(id=held_id, name=labels[index], framework=HELD_OUT))
        truth[held_id] = competency.id
    frameworks = [
        *dataset.frameworks,
        Framework(id=HELD_OUT, name="One alternative label of each skill, held out"),
    ]
    updated = dataset.model_copy(
        update={"frameworks": frameworks, "competencies": [*competencies, *held]}
    )
    return updated, truth


def recall_at(result: Crosswalk, truth: Mapping[str, str], k: int) -> float:
    """The share of ``truth`` whose true match is among a competency's first ``k`` matches."""
    if not truth:
        return 0.0
    found = 0
    for suggestion in result.suggestions:
        expected = truth.get(suggestion.competency)
        if expected is not None and expected in [m.competency for m in suggestion.matches[:k]]:
            found += 1
    return found / len(truth)
