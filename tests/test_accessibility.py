"""WCAG 2.2 AA as far as axe-core can tell: the offline views and the board report.

Every kind of page ``graphmodel view`` writes (the whole network, around a
node, gaps, duplicates, a driver's reach, rolled up), the coverage heat map
and ``graphmodel report`` are written from the bundled example with the
command line, opened from disk in Debian's Chromium (every other request
refused), and checked with axe-core (tests/vendor): no serious or critical
violation. The explorer's own page is checked in tests/test_explorer_page.py
and tests/test_explorer_views_page.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, ROOT
from explorer_browser import AXE

from graphmodel.cli.main import cli

PREVIOUS = ROOT / "examples" / "children-trust-2025"

#: Each offline page: the command line that writes it (after SOURCE; -o is added).
PAGES = {
    "view-whole": ["view", str(EXAMPLE)],
    "view-focus": ["view", str(EXAMPLE), "--focus", "p-social-worker", "--depth", "1"],
    "view-gaps": ["view", str(EXAMPLE), "--mode", "gaps"],
    "view-duplicates": ["view", str(EXAMPLE), "--mode", "duplicates"],
    "view-driver": ["view", str(EXAMPLE), "--driver", "dr-inquiry-report"],
    "view-rolled-up": ["view", str(EXAMPLE), "--roll-up"],
    "coverage": ["coverage", str(EXAMPLE), "--format", "html"],
    "report": ["report", str(EXAMPLE), "--since", str(PREVIOUS)],
}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("offline")
    files = {}
    for name, command in PAGES.items():
        path = folder / f"{name}.html"
        result = CliRunner().invoke(cli, [*command, "-o", str(path)])
        assert result.exit_code == 0, result.output
        files[name] = path
    return files


def violations(browser: Any, path: Path) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on a page opened from disk."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    refused: list[str] = []
    errors: list[str] = []
    own = path.resolve().as_uri()

    def route(route: Any) -> None:
        if route.request.url == own:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: errors.append(str(error)))
    found: list[dict[str, Any]] = []
    try:
        page.goto(own)
        if page.evaluate("document.getElementById('network') !== null"):
            page.locator("#network").scroll_into_view_if_needed()  # the report's lazy frame
        # The page and the view the report embeds in a frame, each checked once drawn.
        for frame in page.frames:
            if frame.evaluate("document.getElementById('network') !== null"):
                frame.wait_for_function(
                    "typeof network !== 'undefined' && (typeof graphmodelView === 'undefined'"
                    " || graphmodelView.firstFrame !== null)"
                )
            # Evaluated through the debugging protocol: the page never ships axe.
            frame.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
            found += frame.evaluate(
                """async () => {
                    const result = await axe.run(document, {resultTypes: ['violations']});
                    return result.violations.map(v => ({id: v.id, impact: v.impact,
                        help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
                }"""
            )
        frames = len(page.frames)
    finally:
        page.close()
    assert refused == [] and errors == [], (refused, errors)
    assert frames == (2 if path.stem == "report" else 1)  # the report's view was checked too
    return [v for v in found if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("name", list(PAGES))
def test_offline_pages_have_no_serious_violations(
    browser: Any, written: dict[str, Path], name: str
) -> None:
    assert violations(browser, written[name]) == []
