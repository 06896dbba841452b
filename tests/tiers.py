"""Test tiers: which tests ``make check`` runs, how ``make test`` spreads the rest.

Every test belongs to the *fast tier* unless it needs something slow to start
or to run; ``make check`` runs the fast tier (``-m fast``), ``make test`` runs
everything. A test leaves the fast tier by a marker, and the markers come from
the fixtures it uses, so a new test fits by using the shared fixture:

=============  ===================================================================
marker         given to a test that uses
=============  ===================================================================
``neo4j``      ``neo4j_backend``, ``tls_neo4j``, ``backend_for`` (its neo4j case)
               or a ``served`` explorer over Neo4j: the local Neo4j test server
``browser``    ``browser``: Debian's Chromium through playwright
``libreoffice``  ``soffice``: LibreOffice writes the workbooks the test reads
``embeddings`` ``extra`` of the embeddings tests: the sentence-embedding model
``slow``       given by hand (``pytestmark = pytest.mark.slow`` or on the test) to a
               test that takes more than about a second on its own: a command run in
               its own interpreter, a wheel built, hypothesis on large data, national
               scale
=============  ===================================================================

A test with none of these is marked ``fast``. ``make test`` runs the whole
suite on two pytest-xdist workers (``-n 2 --dist loadgroup``); the ``neo4j``
tests share one database, so they form one xdist group, which one worker runs
one after another while the other runs the rest.

Hypothesis: the ``full`` profile (the default; ``make test``) runs each
property as many examples as the test asks; the ``check`` profile
(``make check``, ``--hypothesis-profile=check``) a tenth of them
(:func:`examples`), so the fast tier still runs every property.
"""

from __future__ import annotations

import pytest
from hypothesis import settings

#: A marker given to every test that uses one of these fixtures.
FIXTURE_MARKS = {
    "neo4j_backend": "neo4j",
    "tls_neo4j": "neo4j",
    "browser": "browser",
    "soffice": "libreoffice",
    "extra": "embeddings",
}
#: The xdist group of the tests that share the one Neo4j database.
NEO4J_GROUP = "neo4j"
#: Tests with any of these markers leave the fast tier.
SLOW_MARKS = ("neo4j", "browser", "libreoffice", "embeddings", "slow")

MARKERS = {
    "neo4j": "needs the local Neo4j test server (make neo4j-up); fails instead of skipping "
    "when CI=true",
    "browser": "drives Debian's Chromium through playwright",
    "libreoffice": "has LibreOffice write the workbooks it reads",
    "embeddings": "needs the embeddings extra (the sentence-embedding model)",
    "slow": "takes more than about a second on its own (given by hand)",
    "fast": "the fast tier, run by make check (given to every test without a marker above)",
}

#: Examples per property in the ``full`` profile (hypothesis' own default).
FULL_EXAMPLES = 100
settings.register_profile("full", deadline=None, max_examples=FULL_EXAMPLES)
settings.register_profile("check", deadline=None, max_examples=FULL_EXAMPLES // 10)
settings.load_profile("full")


def examples(count: int) -> int:
    """``count`` examples under the ``full`` profile, scaled by the profile in use.

    Example
    -------
    >>> examples(400)  # under the full profile
    400
    """
    return max(5, count * settings().max_examples // FULL_EXAMPLES)


def pytest_configure(config: pytest.Config) -> None:
    for name, text in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {text}")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test by the fixtures it uses, and the rest ``fast``; put the ``neo4j``
    tests in one xdist group; run the modules with slow tests first.

    ``tryfirst``: pytest-xdist reads the ``xdist_group`` markers in its own hook of the
    same name (``--dist loadgroup``), so they must be given before it runs.
    """
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        for fixture, mark in FIXTURE_MARKS.items():
            if fixture in fixtures:
                item.add_marker(mark)
        # A backend_for or served fixture parametrised "neo4j" carries the neo4j mark itself.
        names = {mark.name for mark in item.iter_markers()}
        if "neo4j" in names:
            # They share one database: one worker runs them, one after another.
            item.add_marker(pytest.mark.xdist_group(NEO4J_GROUP))
        if not names & set(SLOW_MARKS):
            item.add_marker("fast")
    # The modules with slow tests first, each module's tests kept together and in order:
    # xdist hands tests out in this order, so the run ends on many short tests that even
    # out the workers, not on a long one that leaves a worker idle.
    slow_modules = {item.path for item in items if item.get_closest_marker("fast") is None}
    items.sort(key=lambda item: item.path not in slow_modules)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Fail a ``neo4j`` test that lost its xdist group, before it touches the database.

    pytest-xdist groups tests by rewriting their node ids (``…@neo4j``); a pytest
    whose node ids ignore the rewrite (pytest-dev/pytest-xdist#1386) would let two
    workers write into the one database at once, failing tests at random. Does
    nothing outside ``--dist loadgroup``.
    """
    if not getattr(item.config.option, "loadgroup", False):
        return
    if item.get_closest_marker("neo4j") and not item.nodeid.endswith("@" + NEO4J_GROUP):
        pytest.fail(
            f"lost its xdist group {NEO4J_GROUP!r}: this pytest-xdist cannot keep the Neo4j "
            "tests on one worker (see the pytest pin in pyproject.toml)",
            pytrace=False,
        )
