"""The explorer page in a real browser: a served explorer, Debian's Chromium, an opened page.

Used by ``tests/test_explorer_page*.py``. The explorer is served in the
tests' own process on a free port, by the serve command's own code
(:func:`serve`), and found by the line it prints once it answers; one per
backend and options for the whole session (:class:`Explorers`). Chromium
(one per session: the ``browser`` fixture in conftest.py) draws WebGL
through SwiftShader (software GL). An
opened page refuses and records every request that does not go to the
served loopback address, and records every page error and console error:
a test's teardown fails on any of them.
"""

from __future__ import annotations

import base64
import os
import queue
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import EXAMPLE, NEO4J_PASSWORD, NEO4J_URI, NEO4J_USER, ROOT

CHROMIUM = "/usr/bin/chromium"
#: WebGL2 in headless Chromium without a GPU: SwiftShader (see NOTES.md, the explorer).
#: The page's compositing stays in software: composited through SwiftShader, every open
#: page kept the GPU process busy at 35-50% of a core while nothing changed on it (the
#: suite keeps pages open while servers answer): the answer views' page tests took 63 s
#: instead of 57 s (tests/README.md). WebGL itself is still drawn by SwiftShader.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--ignore-gpu-blocklist",
    "--disable-background-networking",
    "--disable-gpu-compositing",
]
SCREENSHOTS = ROOT / "tests" / "screenshots"
AXE = ROOT / "tests" / "vendor" / "axe.min.js"
SERVING = re.compile(r"^serving (?P<source>.+) at (?P<url>http://\S+)$")
#: How long a server may take to answer (a loaded machine, a cold Neo4j).
START_SECONDS = 180


def unavailable(message: str) -> None:
    """Skip on a workstation without the browser or server; fail in CI."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class Served:
    """A running explorer: its address (with the token) and how to stop it."""

    source: str
    url: str
    stopper: Callable[[], None]

    @property
    def origin(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def token(self) -> str:
        return self.url.split("token=", 1)[1]

    def page_url(self, query: str = "") -> str:
        return f"{self.url}&{query}" if query else self.url

    def stop(self) -> None:
        self.stopper()


def serve(source: str, *options: str, cache_dir: Path) -> Served:
    """Serve SOURCE as ``graphmodel serve SOURCE --port 0 OPTIONS`` does, in this process.

    The command's own code builds the served graph (``prepare_served``) and the
    server (``graphmodel.web.server.prepare``); uvicorn runs in a thread here
    instead of in a process of its own (tests/test_explorer_serve.py runs the
    real subprocess). ``options``: ``--views FILE`` and the Neo4j options. Returns
    once the server answers.
    """
    from graphmodel.cli.serve_commands import prepare_served
    from graphmodel.web.server import prepare

    values = dict(zip(options[::2], options[1::2], strict=True))
    unknown = set(values) - {"--views", "--user", "--password"}
    assert not unknown, f"serve() takes --views and the Neo4j options, not {unknown}"
    views = Path(values["--views"]) if "--views" in values else None
    served, close, shared = prepare_served(
        source,
        user=values.get("--user"),
        password=values.get("--password"),
        views=views,
        cache=cache_dir,
    )
    lines: queue.Queue[str] = queue.Queue()
    server, listener = prepare(
        served, views=shared, host="127.0.0.1", port=0, open_browser=False, echo=lines.put
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name=f"explorer {source}", daemon=True
    )
    thread.start()
    try:
        line = lines.get(timeout=START_SECONDS)
    except queue.Empty:
        raise AssertionError(f"the explorer did not answer in {START_SECONDS} s") from None
    found = SERVING.match(line)
    assert found and found["source"] == source, line

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=30)
        listener.close()
        close()

    return Served(source, found["url"], stop)


def start_browser() -> tuple[Any, Any]:
    """(playwright, chromium); unavailable() when either cannot start."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed: pip install -e '.[dev]' (make test does)")
    try:
        manager = sync_playwright().start()
    except Exception as error:
        unavailable(f"playwright could not start: {error}")
    try:
        chromium = manager.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as error:
        manager.stop()
        unavailable(f"cannot start {CHROMIUM} (install Debian's chromium: make test does): {error}")
    return manager, chromium


@contextmanager
def running_browser() -> Iterator[Any]:
    """Chromium for a test module (the body of its ``browser`` fixture)."""
    manager, chromium = start_browser()
    try:
        yield chromium
    finally:
        chromium.close()
        manager.stop()


class Explorers:
    """The session's explorers (the ``explorers`` fixture in conftest.py): one per source
    and options, started on first use, stopped when the session ends."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self.running: dict[tuple[str, ...], Served] = {}

    def get(self, source: str, *options: str) -> Served:
        key = (source, *options)
        if key not in self.running:
            self.running[key] = serve(source, *options, cache_dir=self.cache_dir)
        return self.running[key]

    def example(self, request: pytest.FixtureRequest, *options: str) -> Served:
        """The bundled example served from its folder (``request.param`` "embedded") or
        from the local Neo4j (``"neo4j"``), with ``options`` for serve.

        The Neo4j explorer reads the database as it is: the example is loaded first
        on every call (a sync, which writes nothing when the database holds it), since
        other tests load other datasets in between.
        """
        if request.param == "embedded":
            # As a user types it in the project's folder: the page shows its source, and
            # the screenshots in docs/images show no machine's own path.
            assert Path.cwd() == ROOT, "run the browser tests from the project's folder"
            return self.get(str(EXAMPLE.relative_to(ROOT)), *options)
        from graphmodel.dataset import read_dataset

        request.getfixturevalue("neo4j_backend").load(read_dataset(EXAMPLE), replace=True)
        return self.get(NEO4J_URI, *options, "--user", NEO4J_USER, "--password", NEO4J_PASSWORD)

    def stop(self) -> None:
        for served in self.running.values():
            served.stop()
        self.running.clear()


class PageContext:
    """The browser context the tests' explorer pages open in: one per session (per xdist
    worker), the ``page_context`` fixture in conftest.py.

    A page in a context of its own cost Chromium a renderer process of its own, started
    and torn down for each page: about 1 s of its 2.5 s of processor time per page load
    (tests/README.md). Here a page kept open on the explorers' site (``127.0.0.1``, every
    port) keeps one renderer process alive, and each new page reuses it. Between tests,
    :meth:`forget` clears what a test could leave behind (the token's cookies, each
    visited origin's storage, where the page keeps saved views), so every test still
    starts as in a new browser.
    """

    def __init__(self, browser: Any) -> None:
        self.browser = browser
        self.context = browser.new_context()
        self.keeper = self.context.new_page()
        self.origins: set[str] = set()

    def new_page(self, served: Served, viewport: dict[str, int]) -> Any:
        if not self.keeper.url.startswith(served.origin.rsplit(":", 1)[0]):
            # Any answer will do (without the token, a 401): the page only holds the site.
            self.keeper.goto(served.origin + "/")
        self.origins.add(served.origin)
        page = self.context.new_page()
        page.set_viewport_size(viewport)
        return page

    def forget(self) -> None:
        """Clear the cookies and every visited origin's storage."""
        self.context.clear_cookies()
        session = self.context.new_cdp_session(self.keeper)
        try:
            for origin in sorted(self.origins):
                session.send(
                    "Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"}
                )
        finally:
            session.detach()
        self.origins.clear()

    def close(self) -> None:
        self.context.close()


@contextmanager
def page_opener(pages: PageContext) -> Iterator[Callable[..., ExplorerPage]]:
    """Open explorer pages in ``pages``; afterwards close them, clear what they stored,
    and fail if any asked for another resource or raised an error (the body of
    conftest's ``open_page``)."""
    opened: list[ExplorerPage] = []

    def open_(served: Served, query: str = "", **options: Any) -> ExplorerPage:
        page = open_explorer(pages, served, query, **options)
        opened.append(page)
        return page

    yield open_
    problems = [problem for page in opened for problem in page.problems()]
    for page in opened:
        page.page.close()
        if page.context is not None:
            page.context.close()
    pages.forget()
    assert not problems, f"the page asked for other resources or raised errors: {problems}"


def downloaded(opened: ExplorerPage, button: str, timeout_ms: int = 60_000) -> tuple[str, bytes]:
    """Press a button that offers a file; the file's suggested name and bytes."""
    with opened.page.expect_download(timeout=timeout_ms) as info:
        opened.page.click(button)
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


@dataclass
class ExplorerPage:
    """The explorer page opened in Chromium, with what it asked elsewhere and its errors."""

    page: Any
    served: Served
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: Console errors the test expects (a refusal the page handles), kept apart from errors.
    expected: list[str] = field(default_factory=list)
    #: The browser context opened for the page alone (one holding cookies set beforehand).
    context: Any = None

    def js(self, expression: str, argument: Any = None) -> Any:
        return self.page.evaluate(expression, argument)

    def wait(self, expression: str, argument: Any = None, timeout: float = 90.0) -> None:
        """Wait until a function of the page returns true.

        Polled from here: playwright's own waiting evaluates strings with
        ``eval``, which the page's Content-Security-Policy rightly refuses.
        """
        deadline = time.monotonic() + timeout
        while not self.js(expression, argument):
            if self.errors:  # a failing page fails the test at once
                raise AssertionError(f"the page failed: {self.errors}")
            if time.monotonic() > deadline:
                raise AssertionError(f"still false after {timeout} s: {expression}")
            time.sleep(0.05)

    def loaded(self) -> None:
        """Wait for the first drawing after (re)loading the page, then for it to settle."""
        self.wait(
            "() => Boolean(window.graphmodelExplorer && graphmodelExplorer.firstFrame !== null)"
        )
        self.idle()

    def idle(self) -> None:
        """Wait until the page has drawn everything its state asks for."""
        self.js("graphmodelExplorer.whenIdle()")

    def state(self) -> str:
        return str(self.js("graphmodelExplorer.state()"))

    def drawn_nodes(self) -> set[str]:
        return set(self.js("graphmodelExplorer.drawn().nodes"))

    def drawn_edges(self) -> Counter[tuple[str, str, str]]:
        return Counter(tuple(edge) for edge in self.js("graphmodelExplorer.drawn().edges"))

    def positions(self) -> dict[str, tuple[float, float]]:
        found = self.js(
            "Object.fromEntries(graphmodelExplorer.graph.mapNodes((id, a) => [id, [a.x, a.y]]))"
        )
        return {node: (x, y) for node, (x, y) in found.items()}

    def table_rows(self) -> list[tuple[str, str, str, str]]:
        rows = self.js(
            """Array.from(document.querySelectorAll('#nodes-shown tbody tr'))
                 .map(tr => Array.from(tr.cells).map(td => td.textContent))"""
        )
        return [tuple(row) for row in rows]

    def table_ids(self) -> list[str]:
        return [row[0] for row in self.table_rows()]

    def focus(self) -> str | None:
        value = self.js("new URLSearchParams(graphmodelExplorer.state()).get('focus')")
        return None if value is None else str(value)

    def viewport_point(self, node: str) -> tuple[float, float]:
        """Where a node is drawn, in page coordinates."""
        point = self.js(
            """id => {
                const sigma = graphmodelExplorer.sigma;
                const data = sigma.getNodeDisplayData(id);
                const p = sigma.framedGraphToViewport(data);
                const box = sigma.getContainer().getBoundingClientRect();
                return [p.x + box.left, p.y + box.top];
            }""",
            node,
        )
        return float(point[0]), float(point[1])

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path

    def problems(self) -> list[str]:
        return self.refused + self.errors


def open_explorer(
    pages: PageContext,
    served: Served,
    query: str = "",
    viewport: tuple[int, int] = (1400, 900),
    cookies: list[dict[str, Any]] | None = None,
    expected_errors: tuple[str, ...] = (),
) -> ExplorerPage:
    """Open the page (the served URL with its token, plus ``query``) and wait for the drawing.

    The page opens in ``pages``' shared context, or, with ``cookies``, in a context of
    its own where they are set before the page is opened (playwright's ``add_cookies``
    entries), as other applications on the same host would have.
    Console errors holding one of ``expected_errors`` (the browser logs every
    refused request, even one the page handles) go to ``expected``, not ``errors``.
    """
    size = {"width": viewport[0], "height": viewport[1]}
    context = None
    if cookies:
        context = pages.browser.new_context(viewport=size)
        context.add_cookies(cookies)
        page = context.new_page()
    else:
        page = pages.new_page(served, size)
    opened = ExplorerPage(page, served, context=context)
    origin = served.origin

    def route(route: Any) -> None:
        url = route.request.url
        if url.startswith(origin + "/"):
            route.continue_()
        else:  # anything else, on the network or elsewhere on this machine, is refused
            opened.refused.append(url)
            route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: opened.errors.append(f"pageerror: {error}"))

    def console(message: Any) -> None:
        if message.type != "error":
            return
        expected = any(text in message.text for text in expected_errors)
        (opened.expected if expected else opened.errors).append(f"console: {message.text}")

    page.on("console", console)
    page.goto(served.page_url(query))
    opened.loaded()
    return opened


def drawing_statistics(browser: Any, png: bytes, colours: list[str], background: str) -> Any:
    """Pixels of a screenshot (decoded by the browser, in a blank page of its own).

    Returns ``{"width", "height", "different", "near": {colour: n}}``:
    ``different`` counts pixels far from the background, ``near`` the pixels
    within a small distance of each colour.
    """
    page = browser.new_page()
    try:
        return page.evaluate(
            """async ({data, colours, background}) => {
                const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
                const bitmap = await createImageBitmap(new Blob([bytes], {type: 'image/png'}));
                const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
                const context = canvas.getContext('2d');
                context.drawImage(bitmap, 0, 0);
                const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
                const rgb = hex => [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16));
                const ground = rgb(background);
                const targets = colours.map(rgb);
                const near = colours.map(() => 0);
                let different = 0;
                for (let i = 0; i < pixels.length; i += 4) {
                    const p = [pixels[i], pixels[i + 1], pixels[i + 2]];
                    if (p.some((v, k) => Math.abs(v - ground[k]) > 40)) different += 1;
                    targets.forEach((t, n) => {
                        if (p.every((v, k) => Math.abs(v - t[k]) <= 12)) near[n] += 1;
                    });
                }
                return {width: bitmap.width, height: bitmap.height, different,
                        near: Object.fromEntries(colours.map((c, n) => [c, near[n]]))};
            }""",
            {
                "data": base64.b64encode(png).decode(),
                "colours": colours,
                "background": background,
            },
        )
    finally:
        page.close()


def axe_violations(opened: ExplorerPage) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now.

    The script is evaluated through the debugging protocol (the page's
    Content-Security-Policy forbids inline scripts, and the page never ships it).
    """
    if not opened.js("typeof window.axe !== 'undefined'"):
        opened.js(AXE.read_text(encoding="utf-8") + "\n;undefined")
    results = opened.js(
        """async () => {
            const found = await axe.run(document, {resultTypes: ['violations']});
            return found.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }"""
    )
    return [v for v in results if v["impact"] in ("serious", "critical")]
