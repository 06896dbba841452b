"""Overlapping training provision: each clause of the rule, groups, places and cost."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FOUR_ORGANISATIONS

from graphmodel.analysis.provision import ProvisionQuery, overlapping_pairs, overlapping_provision
from graphmodel.backends import MemoryBackend
from graphmodel.dataset import read_dataset
from graphmodel.projections import ActiveEvent, EventFilter


def event(
    id_: str,
    lead: str | None = "org-council",
    start: str | None = "2026-01-10",
    end: str | None = "2026-01-20",
    covers: tuple[str, ...] = ("c1", "c2"),
    targets: tuple[str, ...] = ("p1", "p2"),
) -> ActiveEvent:
    return ActiveEvent(
        id_,
        id_,
        targets,
        covers,
        lead,
        dt.date.fromisoformat(start) if start else None,
        dt.date.fromisoformat(end) if end else None,
        10,
        100.0,
    )


@pytest.mark.parametrize(
    ("other", "overlaps"),
    [
        (event("e2", lead="org-health"), True),
        (event("e2", lead="org-council"), False),  # same lead
        (event("e2", lead=None), False),  # no lead
        (event("e2", lead="org-health", start=None, end=None), False),  # undated
        (event("e2", lead="org-health", start="2026-01-20", end=None), True),  # touches the end
        (event("e2", lead="org-health", start="2026-01-21", end="2026-02-01"), False),  # after
        (event("e2", lead="org-health", start="2025-12-01", end="2026-01-09"), False),  # before
        (event("e2", lead="org-health", covers=("c1", "c2", "c3")), True),  # Jaccard 2/3
        (event("e2", lead="org-health", covers=("c1", "c3", "c4")), False),  # Jaccard 1/4
        (event("e2", lead="org-health", covers=("c1", "c3")), False),  # Jaccard 1/3
        (event("e2", lead="org-health", targets=("p1",)), True),  # Jaccard 1/2
        (event("e2", lead="org-health", targets=("p1", "p3", "p4")), False),  # Jaccard 1/4
    ],
)
def test_each_clause_of_the_rule(other: ActiveEvent, overlaps: bool) -> None:
    assert overlapping_pairs([event("e1"), other]) == ([("e1", "e2")] if overlaps else [])


def test_min_overlap_is_the_jaccard_bound() -> None:
    pair = [event("e1"), event("e2", lead="org-health", covers=("c1", "c3"))]  # 1/3
    assert overlapping_pairs(pair, min_overlap=0.3) == [("e1", "e2")]
    assert overlapping_pairs(pair, min_overlap=0.34) == []


EVENTS_HEADER = (
    "id,title,lead_organisation,start_date,end_date,delivery,places,cost,evaluation,status,"
    "targets,covers,initiative"
)


def test_groups_join_chains_and_add_up_places_and_cost(make_dataset: Callable[..., Path]) -> None:
    rows = [
        "te-1,A,org-council,2026-01-10,2026-01-20,classroom,20,1000,none,planned,"
        "p-social-worker;p-teacher,c-item;c-other,",
        "te-2,B,org-health,2026-01-15,2026-01-25,classroom,30,2000,none,planned,"
        "p-social-worker;p-teacher,c-item;c-other,",
        "te-3,C,org-school,2026-01-24,2026-02-10,classroom,,500,none,planned,"
        "p-social-worker;p-teacher,c-item;c-other,",
        "te-4,Cancelled,org-partnership,2026-01-10,2026-01-20,classroom,99,9999,none,cancelled,"
        "p-social-worker;p-teacher,c-item;c-other,",
    ]
    folder = make_dataset(
        organisations=FOUR_ORGANISATIONS,
        training_events="\n".join([EVENTS_HEADER, *rows]) + "\n",
        initiatives=None,
    )
    backend = MemoryBackend(read_dataset(folder))
    [group] = overlapping_provision(backend)
    # te-1 and te-3 do not overlap in time; te-2 joins them; te-4 is cancelled.
    assert group.to_json() == {
        "events": ["te-1", "te-2", "te-3"],
        "organisations": ["org-council", "org-health", "org-school"],
        "competencies": ["c-item", "c-other"],
        "shared_competencies": ["c-item", "c-other"],
        "professions": ["p-social-worker", "p-teacher"],
        "start_date": "2026-01-10",
        "end_date": "2026-02-10",
        "places": 50,
        "cost": 3500.0,
    }
    window = ProvisionQuery(EventFilter(date_to=dt.date(2026, 1, 23)))
    assert [g.events for g in overlapping_provision(backend, window)] == [("te-1", "te-2")]
