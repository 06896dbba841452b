"""Coverage gives the same JSON on both backends, for every command and option set."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from conftest import EXAMPLE

from graphmodel.analysis.coverage import (
    CoverageQuery,
    coverage_matrix,
    explain,
    gaps,
    uncovered,
)
from graphmodel.backends import GraphBackend, MemoryBackend
from graphmodel.dataset import read_dataset
from graphmodel.model import Evaluation, Priority
from graphmodel.projections import EventFilter
from graphmodel.synthetic import Scale, synthetic_dataset

QUERIES = [
    CoverageQuery(),
    CoverageQuery(EventFilter(dt.date(2026, 1, 1), dt.date(2026, 6, 30))),
    CoverageQuery(EventFilter(None, dt.date(2025, 9, 1), Evaluation.LEARNING)),
    CoverageQuery(EventFilter(dt.date(2026, 3, 1), None, Evaluation.BEHAVIOUR)),
    CoverageQuery(professions=("p-social-worker", "p-teacher"), priority=Priority.ESSENTIAL),
    CoverageQuery(frameworks=("fw-rsmws",), priority=Priority.DESIRABLE),
]


@pytest.fixture(scope="module")
def example():  # type: ignore[no-untyped-def]
    return read_dataset(EXAMPLE)


def test_every_coverage_answer_matches_the_embedded_backend(
    backend_for: Callable[..., GraphBackend], example
) -> None:  # type: ignore[no-untyped-def]
    graph = backend_for(example)
    memory = MemoryBackend(example)
    for query in QUERIES:
        assert gaps(graph, query) == gaps(memory, query), query
        assert uncovered(graph, query) == uncovered(memory, query), query
        assert coverage_matrix(graph, query) == coverage_matrix(memory, query), query
    for profession, competency in [
        ("p-social-worker", "ccs-safe-neglect"),
        ("p-gp", "ccs-safe-recognise"),
        ("p-substance-worker", "ccs-safe"),
    ]:
        query = CoverageQuery()
        assert explain(graph, query, profession, competency) == explain(
            memory, query, profession, competency
        )


def test_projections_match_on_a_synthetic_dataset(backend_for: Callable[..., GraphBackend]) -> None:
    dataset = synthetic_dataset(Scale.tiny().scaled(4), seed=11)
    graph = backend_for(dataset)
    memory = MemoryBackend(dataset)
    assert graph.competencies() == memory.competencies()
    assert graph.professions() == memory.professions()
    assert graph.requirements() == memory.requirements()
    window = EventFilter(dt.date(2025, 1, 1), dt.date(2025, 12, 31), Evaluation.REACTION)
    assert graph.active_events(window) == memory.active_events(window)
    assert gaps(graph, CoverageQuery(window)) == gaps(memory, CoverageQuery(window))


def test_active_events_agree_at_every_window_boundary(
    backend_for: Callable[..., GraphBackend], example
) -> None:  # type: ignore[no-untyped-def]
    # Windows that start or end exactly on an event's dates, or a day beside
    # them, catch any off-by-one between the Python and Cypher filters.
    graph = backend_for(example)
    memory = MemoryBackend(example)
    day = dt.timedelta(days=1)
    windows = set()
    for event in example.training_events:
        if event.start_date is None:
            continue
        last = event.end_date or event.start_date
        windows |= {
            (last, None),
            (last + day, None),
            (None, event.start_date),
            (None, event.start_date - day),
            (event.start_date, last),
        }
    assert len(windows) > 40
    for date_from, date_to in sorted(windows, key=str):
        window = EventFilter(date_from, date_to)
        assert graph.active_events(window) == memory.active_events(window), window
