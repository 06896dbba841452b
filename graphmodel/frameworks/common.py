"""What both importers share: their result, label clean-up, validation and merging."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graphmodel.errors import FrameworkError
from graphmodel.graph import dataset_from_graph, dataset_nodes, dataset_relationships
from graphmodel.model import NODE_LABELS, TABLES, Competency, Dataset, Row, label_name

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class DroppedParent:
    """A broader (parent) relation an import could not keep: a competency has one parent.

    ``reason`` is ``"another parent kept"``, ``"would loop"`` or ``"unknown concept"``.
    """

    child: str
    child_name: str
    parent: str
    kept: str | None
    reason: str


@dataclass(frozen=True)
class ImportResult:
    """A framework import: the dataset it made and what a person should know about it.

    ``notices`` are one-line sentences (what was left out and why);
    ``dropped_parents`` lists every parent relation that was not kept, with
    the source's own identifiers (URIs for ESCO, identifiers for CASE).
    """

    dataset: Dataset
    notices: list[str] = field(default_factory=list)
    dropped_parents: list[DroppedParent] = field(default_factory=list)


def clean_label(text: str | None) -> str | None:
    """A label on one line with single spaces; ``;`` (the dataset's list separator) as ``,``.

    Example
    -------
    >>> clean_label("  apply  safeguarding\\n procedures; ")
    'apply safeguarding procedures,'
    """
    if text is None:
        return None
    cleaned = _SPACES.sub(" ", text.replace(";", ",")).strip()
    return cleaned or None


def split_labels(text: str | None, separator: str = "\n") -> list[str]:
    """Labels from a multi-line cell (ESCO's ``altLabels``), cleaned, each once, in order."""
    if not text:
        return []
    labels = (clean_label(part) for part in text.split(separator))
    return list(dict.fromkeys(label for label in labels if label))


def validated(dataset: Dataset, source: str) -> Dataset:
    """``dataset`` after the rules every dataset meets (unique ids, references, no loops).

    The importers build their rows so that these hold; this proves it, with
    the same checks (and messages) as reading a dataset file.

    Raises
    ------
    DatasetError
        When a rule is broken (located as ``SOURCE Label:id:column``).
    """
    dataset_from_graph(dataset_nodes(dataset), dataset_relationships(dataset), source, ordered=True)
    return dataset


def merge_datasets(base: Dataset, extra: Dataset, source: str = "merged dataset") -> Dataset:
    """``base`` with the rows of ``extra`` added, as an import adds a framework to an exercise.

    A row of ``extra`` whose key (id, or pair) is already in the same table of
    ``base`` replaces that row, so importing a framework again updates it; a
    replaced competency keeps the equivalences ``base`` gave it (those are
    the exercise's own, applied from crosswalks). An id that ``base`` uses
    for a node of another type is an error.

    Raises
    ------
    FrameworkError
        When an id of ``extra`` names another kind of node in ``base``.
    DatasetError
        When the merged dataset breaks a rule.

    Example
    -------
    >>> from graphmodel.model import Framework
    >>> a = Dataset(frameworks=[Framework(id="fw-a", name="A")])
    >>> b = Dataset(frameworks=[Framework(id="fw-b", name="B")])
    >>> [f.id for f in merge_datasets(a, b).frameworks]
    ['fw-a', 'fw-b']
    """
    label_of = {
        row.id: label  # type: ignore[attr-defined]
        for table, label in NODE_LABELS.items()
        for row in base.table(table)
    }
    tables: dict[str, list[Row]] = {}
    for name, spec in TABLES.items():
        extra_rows = extra.table(name)
        for row in extra_rows:
            if spec.label is None:
                continue
            other = label_of.get(row.id)  # type: ignore[attr-defined]
            if other is not None and other != spec.label:
                raise FrameworkError(
                    f"{source}: id {row.id!r} is a {label_name(other)} in the exercise "  # type: ignore[attr-defined]
                    f"and a {label_name(spec.label)} in the import; rename one of them"
                )
        incoming = {spec.key_of(row): row for row in extra_rows}
        rows: list[Row] = []
        for row in base.table(name):
            key = spec.key_of(row)
            replacement = incoming.pop(key, None)
            if replacement is None:
                rows.append(row)
                continue
            if isinstance(row, Competency) and isinstance(replacement, Competency):
                kept = list(dict.fromkeys([*replacement.equivalent_to, *row.equivalent_to]))
                replacement = replacement.model_copy(update={"equivalent_to": kept})
            rows.append(replacement)
        rows.extend(incoming.values())
        tables[name] = rows
    return validated(Dataset.model_validate(tables), source)
