"""Shared fixtures: example data, small hand-written datasets, both backends, one browser.

Which fixture to use, and the tiers it puts a test in: tests/README.md.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j_servers import start_for_workers, start_if_needed, tls_neo4j  # noqa: F401
from tiers import (  # noqa: F401 (hooks)
    pytest_collection_modifyitems,
    pytest_configure,
    pytest_runtest_setup,
)

from graphmodel.backends import GraphBackend, MemoryBackend, Neo4jSettings
from graphmodel.errors import BackendError
from graphmodel.model import Dataset

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "children-trust"
EXAMPLE_WORKBOOK = ROOT / "examples" / "children-trust.xlsx"

#: The local test server started by `make neo4j-up` (neo4j-server/).
NEO4J_URI = os.environ.get("GRAPHMODEL_TEST_NEO4J_URI", "bolt://127.0.0.1:7687")
NEO4J_USER = os.environ.get("GRAPHMODEL_TEST_NEO4J_USER", "neo4j")
NEO4J_PASSWORD = os.environ.get("GRAPHMODEL_TEST_NEO4J_PASSWORD", "graphmodel-test")

# The smallest valid dataset the tests grow from; `make_dataset` writes it
# to a folder with any table replaced.
BASE_TABLES = {
    "frameworks": """\
        id,name,publisher,version
        fw-core,Core skills,Test publisher,1
        """,
    "competencies": """\
        id,name,framework,parent,description,equivalent_to
        c-area,Safeguarding,fw-core,,,
        c-item,Recognise harm,fw-core,c-area,,
        c-other,Share information,fw-core,,,c-item
        """,
    "professions": """\
        id,name,sector,description
        p-social-worker,Social worker,social care,
        p-teacher,Teacher,education,
        """,
    "requirements": """\
        profession,competency,priority
        p-social-worker,c-item,essential
        p-teacher,c-other,desirable
        """,
    "organisations": """\
        id,name,sector,member_of
        org-partnership,Test partnership,partnership,
        org-council,Test council,statutory,org-partnership
        """,
    "workforce": """\
        organisation,profession,headcount
        org-council,p-social-worker,120
        """,
    "training_events": """\
        id,title,lead_organisation,start_date,end_date,delivery,places,cost,evaluation,status,targets,covers,initiative
        te-one,Safeguarding basics,org-council,2025-01-10,2025-01-11,classroom,20,1500.50,learning,completed,p-social-worker,c-area,in-plan
        """,
    "initiatives": """\
        id,title,description,kind,lead_organisation,partners,status,start_date,end_date,budget,targets,addresses,responds_to,builds_on
        in-plan,Safeguarding plan,Plan for training,strategy,org-council,org-partnership,active,2025-01-01,,10000,p-social-worker,c-area,dr-review,
        """,
    "drivers": """\
        id,name,kind,issued,description
        dr-review,Local review,inquiry,2024-06-01,A review
        """,
}


#: Organisations for tests that need leads to differ: the base two and two more.
FOUR_ORGANISATIONS = """\
    id,name,sector,member_of
    org-partnership,Test partnership,partnership,
    org-council,Test council,statutory,org-partnership
    org-health,Test health trust,nhs,org-partnership
    org-school,Test school,education,
    """


def write_csv_dataset(folder: Path, tables: dict[str, str | None]) -> Path:
    """Write tables (dedented CSV text; ``None`` leaves the file out) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        if text is not None:
            (folder / f"{name}.csv").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


@pytest.fixture
def make_dataset(tmp_path: Path) -> Callable[..., Path]:
    """Write the base dataset with some tables replaced; returns the folder."""
    counter = iter(range(1_000_000))

    def make(**replacements: str | None) -> Path:
        tables: dict[str, str | None] = {**BASE_TABLES, **replacements}
        return write_csv_dataset(tmp_path / f"dataset-{next(counter)}", tables)

    return make


def pytest_sessionstart(session: pytest.Session) -> None:
    """Under pytest-xdist, start the TLS test server in the controller, before the workers."""
    start_for_workers(session.config)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the TLS test server in the background as soon as tests that need it are collected."""
    start_if_needed(session)


def neo4j_settings() -> Neo4jSettings:
    return Neo4jSettings(NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD)


@pytest.fixture(scope="session")
def neo4j_backend() -> Iterator[GraphBackend]:
    """A connection to the local test server; fails (never skips) when CI=true."""
    from graphmodel.backends.neo4j import Neo4jBackend

    try:
        backend = Neo4jBackend.connect(neo4j_settings())
    except BackendError as error:
        message = f"local Neo4j test server not reachable ({error}); run `make neo4j-up`"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    yield backend
    backend.close()


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def backend_for(request: pytest.FixtureRequest) -> Callable[[Dataset], GraphBackend]:
    """Parity harness: turns a dataset into a backend, once per backend kind.

    The Neo4j case loads the dataset into the test database with ``replace``,
    so each test starts from exactly its dataset.
    """
    if request.param == "memory":
        return MemoryBackend
    backend = request.getfixturevalue("neo4j_backend")

    def load(dataset: Dataset) -> GraphBackend:
        backend.load(dataset, replace=True)
        return backend

    return load


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium (through playwright), one for the whole session (per xdist worker);
    each test opens its own pages and closes them. Fails (never skips) when CI=true and it
    cannot start."""
    from explorer_browser import running_browser

    with running_browser() as chromium:
        yield chromium


@pytest.fixture(scope="session")
def explorers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The session's served explorers (``explorer_browser.Explorers``): one per source and
    options, in this process, on a free loopback port; ``explorers.example(request)`` for
    the bundled example on the backend ``request.param`` names."""
    from explorer_browser import Explorers

    servers = Explorers(tmp_path_factory.mktemp("explorer-layouts"))
    yield servers
    servers.stop()
