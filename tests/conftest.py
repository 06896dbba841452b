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
from graphmodel.collector import collect_less_often
from graphmodel.errors import BackendError
from graphmodel.model import Dataset

# Cycles are collected as the command line collects them (graphmodel/collector.py): each
# worker holds large datasets in its session's fixtures, which CPython's default
# thresholds would have the collector scan again and again.
collect_less_often()

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


#: A small levelled exercise (docs/coverage.md, "Levels"): a four-level framework, a
#: seven-level one whose item is equivalent to one of the first, and one without levels;
#: covers with their own level, an event's level, names in place of ids. The analyst's
#: data quality is covered below the level needed (Awareness of Expert).
LEVELLED_TABLES = {
    "frameworks": """\
        id,name,publisher,version,levels
        fw-data,Data skills,Test,1,Awareness;Working;Practitioner;Expert
        fw-seven,Seven-level skills,Test,1,1;2;3;4;5;6;7
        fw-plain,Plain skills,Test,1,
        """,
    "competencies": """\
        id,name,framework,parent,description,equivalent_to
        d-area,Data,fw-data,,,
        d-quality,Data quality,fw-data,d-area,,
        d-model,Data modelling,fw-data,d-area,,
        s-quality,Quality assurance of data,fw-seven,,,d-quality
        p-share,Sharing records,fw-plain,,,
        """,
    "professions": """\
        id,name,sector,description
        p-analyst,Analyst,,
        p-engineer,Engineer,,
        """,
    "requirements": """\
        profession,competency,priority,level
        p-analyst,d-quality,essential,expert
        p-analyst,d-model,essential,Working
        p-analyst,p-share,desirable,
        p-engineer,s-quality,essential,5
        p-engineer,d-area,essential,
        """,
    "organisations": """\
        id,name,sector,member_of
        org-council,Test council,statutory,
        """,
    "workforce": """\
        organisation,profession,headcount
        org-council,p-analyst,12
        org-council,p-engineer,30
        """,
    "training_events": """\
        id,title,lead_organisation,start_date,end_date,status,targets,covers,level
        te-aware,Data awareness hour,org-council,2026-02-01,,running,p-analyst,d-quality@awareness;p-share,
        te-working,Data at work,org-council,2026-03-01,,running,p-engineer,Data quality;d-model,working
        te-expert,Data quality masterclass,org-council,2026-04-01,,running,p-engineer,d-quality@Expert,
        """,
    "initiatives": None,
    "drivers": None,
}


@pytest.fixture
def levelled_dataset(tmp_path: Path) -> Path:
    """:data:`LEVELLED_TABLES` written as a CSV folder."""
    return write_csv_dataset(tmp_path / "levelled", LEVELLED_TABLES)


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
def page_context(browser: Any) -> Iterator[Any]:
    """The browser context the explorer pages open in, one for the session
    (``explorer_browser.PageContext``): its renderer process is started once."""
    from explorer_browser import PageContext

    pages = PageContext(browser)
    yield pages
    pages.close()


@pytest.fixture
def open_page(page_context: Any) -> Iterator[Any]:
    """Open explorer pages (``open_page(served, query, **options)``) in the session's
    browser; afterwards close them, clear what they stored, and fail the test if any
    asked for another resource or raised an error (``explorer_browser.page_opener``)."""
    from explorer_browser import page_opener

    with page_opener(page_context) as open_:
        yield open_


@pytest.fixture(scope="session")
def explorers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The session's served explorers (``explorer_browser.Explorers``): one per source and
    options, in this process, on a free loopback port; ``explorers.example(request)`` for
    the bundled example on the backend ``request.param`` names."""
    from explorer_browser import Explorers

    servers = Explorers(tmp_path_factory.mktemp("explorer-layouts"))
    yield servers
    servers.stop()
