"""Duplicates give the same JSON on both backends, for every option set."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, NEO4J_PASSWORD, NEO4J_URI, NEO4J_USER, ROOT

from graphmodel.analysis.duplicates import DuplicateQuery, find_duplicates
from graphmodel.analysis.provision import ProvisionQuery, overlapping_provision
from graphmodel.backends import GraphBackend, MemoryBackend
from graphmodel.cli.main import cli
from graphmodel.dataset import read_dataset
from graphmodel.model import Dataset, InitiativeStatus
from graphmodel.projections import EventFilter, InitiativeFilter
from graphmodel.synthetic import Scale, synthetic_dataset

QUERIES = [
    DuplicateQuery(),
    DuplicateQuery(threshold=0.15),
    DuplicateQuery(threshold=0.3, same_lead=False),
    DuplicateQuery(threshold=0.2, same_lead=True),
    DuplicateQuery(
        initiatives=InitiativeFilter(
            (InitiativeStatus.ACTIVE, InitiativeStatus.PROPOSED), dt.date(2025, 6, 1)
        )
    ),
]

PROVISION = [
    ProvisionQuery(),
    ProvisionQuery(EventFilter(dt.date(2026, 11, 1), dt.date(2027, 3, 1)), min_overlap=0.3),
]


@pytest.mark.parametrize("name", ["example", "labelled", "synthetic"])
def test_every_duplicates_answer_matches_the_embedded_backend(
    backend_for: Callable[[Dataset], GraphBackend], name: str
) -> None:
    dataset = {
        "example": lambda: read_dataset(EXAMPLE),
        "labelled": lambda: read_dataset(ROOT / "tests" / "data" / "duplicates-labelled"),
        "synthetic": lambda: synthetic_dataset(Scale.national().scaled(0.01), seed=5),
    }[name]()
    graph = backend_for(dataset)
    memory = MemoryBackend(dataset)
    for query in QUERIES:
        # The projection the blocked search runs on agrees ...
        assert graph.initiatives(query.initiatives) == memory.initiatives(query.initiatives)
        # ... and so does the whole answer.
        assert find_duplicates(graph, query).to_json() == find_duplicates(memory, query).to_json()
    for provision in PROVISION:
        assert [g.to_json() for g in overlapping_provision(graph, provision)] == [
            g.to_json() for g in overlapping_provision(memory, provision)
        ]


@pytest.mark.neo4j
def test_the_command_prints_the_same_json_from_a_database(neo4j_backend: GraphBackend) -> None:
    dataset = read_dataset(EXAMPLE)
    neo4j_backend.load(dataset, replace=True)
    credentials = ["--user", NEO4J_USER, "--password", NEO4J_PASSWORD]
    for options in (["--kind", "all"], ["--threshold", "0.2", "--different-lead"]):
        from_files = CliRunner().invoke(
            cli, ["duplicates", str(EXAMPLE), *options, "--format", "json"]
        )
        from_database = CliRunner().invoke(
            cli, ["duplicates", NEO4J_URI, *credentials, *options, "--format", "json"]
        )
        assert from_files.exit_code == from_database.exit_code == 0, from_database.output
        assert json.loads(from_files.output) == json.loads(from_database.output)
