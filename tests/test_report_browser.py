"""The board report in a real headless Chromium, with every network request refused.

Playwright's Python package drives Debian's chromium (/usr/bin/chromium); no
browser is downloaded. A screenshot of the report is written next to the
test's files (its path is printed with ``pytest -s``) for a person to look at.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE

from graphmodel.analysis.report import build_report
from graphmodel.backends import MemoryBackend
from graphmodel.dataset import read_dataset
from graphmodel.visuals.report import EmbeddedView, embedded_view, render_html
from graphmodel.visuals.tables import percent
from graphmodel.wording import number

PREVIOUS_EXAMPLE = EXAMPLE.parent / "children-trust-2025"


@dataclass
class Visit:
    """What happened while a page was open: refused requests, script errors, console errors."""

    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)


def _open(browser: Any, path: Path, visit: Visit) -> Any:
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(("file:", "about:", "data:")):
            request_route.continue_()
        else:
            visit.refused.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: visit.errors.append(str(error)))
    page.on(
        "console",
        lambda message: visit.console.append(message.text) if message.type == "error" else None,
    )
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return build_report(
        MemoryBackend(read_dataset(EXAMPLE)),
        source="examples/children-trust",
        since=MemoryBackend(read_dataset(PREVIOUS_EXAMPLE)),
        since_source="examples/children-trust-2025",
        today=dt.date(2026, 11, 23),
    )


def test_the_report_opens_offline_and_holds_the_figures(
    browser: Any, report: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    visit = Visit()
    page = _open(browser, path, visit)
    assert visit.refused == [] and visit.errors == [] and visit.console == []

    coverage = report["coverage"]
    figures = page.locator("#summary .figure strong").all_inner_texts()
    assert figures == [
        percent(coverage["share"]),
        number(coverage["summary"]["gaps"]),
        number(coverage["uncovered_total"]),
        number(report["duplicates"]["summary"]["clusters"]),
        number(report["provision"]["total"]),
        number(report["drivers"]["total"]),
    ]
    assert page.locator("#gaps tbody tr").count() == len(report["top_gaps"])
    first_gap = page.locator("#gaps tbody tr").first.locator("td").all_inner_texts()
    top = report["top_gaps"][0]
    assert first_gap[0] == top["profession_name"] and first_gap[4] == number(top["severity"])
    matrix = report["matrix"]
    assert page.locator("#coverage tbody td").count() == len(matrix["professions"]) * len(
        matrix["areas"]
    )
    assert page.locator("#duplicates .cluster").count() == len(report["duplicates"]["clusters"])
    assert page.locator("#provision tbody tr").count() == len(report["provision"]["groups"])
    assert page.locator("#brokers tbody tr").count() == len(report["brokers"]["brokers"])
    assert page.locator("ol.actions li").count() == len(report["actions"])
    progress = page.locator("#progress table").first.locator("tbody tr")
    gaps_row = progress.filter(has_text="Gaps").first.locator("td").all_inner_texts()
    since = report["since"]["summary"]["gaps"]
    assert gaps_row == [
        "Gaps",
        number(since["old"]),
        number(since["new"]),
        f"-{since['old'] - since['new']}",
    ]

    # Every in-page link leads to a section that exists.
    targets = page.locator("nav a").evaluate_all("links => links.map(a => a.hash)")
    assert targets and all(page.locator(target).count() == 1 for target in targets)

    screenshot = tmp_path / "report.png"
    page.screenshot(path=str(screenshot), full_page=True)
    print(f"\nscreenshot of the board report: {screenshot}")
    assert screenshot.stat().st_size > 50_000
    page.close()


def test_the_report_prints_without_its_screen_parts(
    browser: Any, report: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "report.html"
    view = "<!DOCTYPE html><html><body><p id='inside'>network view</p></body></html>"
    path.write_text(render_html(report, EmbeddedView("all", view, "", 1, 0)), encoding="utf-8")
    visit = Visit()
    page = _open(browser, path, visit)
    assert page.locator("#network iframe").is_visible()
    frame = page.frame_locator("#network iframe")
    assert frame.locator("#inside").inner_text() == "network view"
    page.emulate_media(media="print")
    assert not page.locator("nav").is_visible()
    assert not page.locator("#network iframe").is_visible()
    assert page.locator("#network .print-only").is_visible()
    assert page.locator("#summary").is_visible() and page.locator("#coverage table").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") > 3
    assert visit.refused == [] and visit.errors == [] and visit.console == []
    page.close()


def test_the_embedded_network_view_works_inside_the_report(
    browser: Any, report: dict[str, Any], tmp_path: Path
) -> None:
    """The real view, in its iframe: drawn, searchable, offline, without a script error."""
    embedded = embedded_view(MemoryBackend(read_dataset(EXAMPLE)), "all")
    path = tmp_path / "report.html"
    path.write_text(render_html(report, embedded), encoding="utf-8")
    visit = Visit()
    page = _open(browser, path, visit)
    page.locator("#network").scroll_into_view_if_needed()
    frame = next(f for f in page.frames if f != page.main_frame)
    frame.wait_for_function("typeof network !== 'undefined'")
    assert frame.evaluate("nodes.length") == embedded.nodes
    assert frame.evaluate("edges.length") == embedded.relationships
    assert frame.evaluate("network.body.nodeIndices.length") == embedded.nodes
    assert visit.refused == [] and visit.errors == [] and visit.console == []
    screenshot = tmp_path / "network.png"
    page.locator("#network").screenshot(path=str(screenshot))
    print(f"\nscreenshot of the embedded network view: {screenshot}")
    page.close()
