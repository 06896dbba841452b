"""The projections the duplicate, link and view analyses read agree on both backends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from conftest import EXAMPLE

from graphmodel.backends import GraphBackend
from graphmodel.dataset import read_dataset
from graphmodel.model import Dataset, InitiativeStatus
from graphmodel.projections import EventFilter, InitiativeFilter

FILTERS = [
    InitiativeFilter(),
    InitiativeFilter(statuses=(InitiativeStatus.ACTIVE, InitiativeStatus.PROPOSED)),
    InitiativeFilter(date_from=dt.date(2026, 1, 1)),
    InitiativeFilter(date_to=dt.date(2024, 12, 31)),
    InitiativeFilter(date_from=dt.date(2025, 4, 1), date_to=dt.date(2025, 6, 30)),
]


@pytest.fixture(scope="module")
def example() -> Dataset:
    return read_dataset(EXAMPLE)


def test_initiative_projection_matches_the_rows(
    example: Dataset, backend_for: Callable[[Dataset], GraphBackend]
) -> None:
    backend = backend_for(example)
    rows = {row.id: row for row in example.initiatives}
    everything = backend.initiatives(InitiativeFilter())
    assert [node.id for node in everything] == sorted(rows)
    for node in everything:
        row = rows[node.id]
        assert node.lead == row.lead_organisation
        assert node.partners == tuple(sorted(row.partners))
        assert node.responds_to == tuple(sorted(row.responds_to))
        assert node.builds_on == tuple(sorted(row.builds_on))
        assert (node.status, node.start_date, node.end_date, node.budget) == (
            row.status.value,
            row.start_date,
            row.end_date,
            row.budget,
        )


def test_initiative_filters_agree_with_the_rule(
    example: Dataset, backend_for: Callable[[Dataset], GraphBackend]
) -> None:
    backend = backend_for(example)
    for initiative_filter in FILTERS:
        expected = sorted(
            row.id
            for row in example.initiatives
            if initiative_filter.admits(row.status, row.start_date, row.end_date)
        )
        assert [node.id for node in backend.initiatives(initiative_filter)] == expected


@pytest.mark.neo4j
def test_projections_are_identical_on_both_backends(
    example: Dataset, neo4j_backend: GraphBackend
) -> None:
    from graphmodel.backends import MemoryBackend

    memory = MemoryBackend(example)
    neo4j_backend.load(example, replace=True)
    for initiative_filter in FILTERS:
        assert memory.initiatives(initiative_filter) == neo4j_backend.initiatives(initiative_filter)
    assert memory.named_nodes() == neo4j_backend.named_nodes()
    assert memory.named_nodes(["Driver"]) == neo4j_backend.named_nodes(["Driver"])
    event_filter = EventFilter(date_from=dt.date(2025, 9, 1))
    assert memory.active_events(event_filter) == neo4j_backend.active_events(event_filter)
