"""Benchmark: the explorer page in headless Chromium, time to its first drawn frame.

For a served explorer (``graphmodel serve``), opens the page in Debian's
Chromium (WebGL through SwiftShader, the flags of the browser tests; every
request off the served address refused) and reads when the first frame of
the drawing began (``graphmodelExplorer.firstFrame``: milliseconds since the
navigation started, taken in the frame after sigma drew the overview). Each
view is measured cold (a browser just started: shaders compiled, nothing
cached) and warm (another tab of that browser), and with it the overview's
API answer time (resource timing), how many nodes and relationships are
drawn, and the page's JavaScript heap.

Views: ``baseline`` (``max_nodes=200``), ``overview`` (the default 2,000-node
overview), ``20k`` (``max_nodes=20000``) and ``gaps`` (the answer view of
the gaps of the profession with the most gaps, ``overlay=gaps&profession=P``);
ratios against the baseline measured in the same run. Goals: the overview's
and the gaps view's first frames under 3 s (judged on the best cold load: a
browser just started); the gaps view draws at most 500 nodes, every gap
competency among them.

    .venv/bin/python bench/explorer_page.py [SOURCE] [--repeat 3]

SOURCE is a dataset folder or a Neo4j URI (``--user``, ``--password``);
without one, the national-scale synthetic dataset
(``synthetic_dataset(Scale.national(), seed=1)``) is written to a temporary
folder. The server's own figures (time until it answers, its peak memory)
are printed too; layouts are cached in a temporary folder, so the first
overview includes its layout. ``measure(url)`` is what bench/explorer.py calls.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--ignore-gpu-blocklist",
    "--disable-background-networking",
]
#: The views measured: a name and the page's query.
VIEWS: dict[str, str] = {
    "baseline": "max_nodes=200",
    "overview": "",
    "20k": "max_nodes=20000",
    "gaps": "overlay=gaps&profession={profession}",
}
#: Most nodes a profession's gaps view may draw.
VIEW_LIMIT = 500
GOAL_MS = 3000.0
#: The page's overview size when the address gives none (state.js).
DEFAULT_MAX_NODES = 2000
SERVING = re.compile(r"^serving (?P<source>.+) at (?P<url>http://\S+)$")

_READ_PAGE = """() => {
    const explorer = window.graphmodelExplorer;
    const overview = performance.getEntriesByType('resource')
        .filter(entry => entry.name.includes('/api/overview'))
        .map(entry => entry.responseEnd - entry.startTime);
    return {
        firstFrame: explorer.firstFrame,
        nodes: explorer.drawn().nodes.length,
        drawn: explorer.drawn().nodes,
        relationships: explorer.drawn().edges.length,
        overviewMs: overview.length ? overview[0] : null,
        heapBytes: performance.memory ? performance.memory.usedJSHeapSize : null,
        marks: Object.fromEntries(performance.getEntriesByType('mark')
            .filter(mark => mark.name.startsWith('explorer:'))
            .map(mark => [mark.name.slice(9), mark.startTime])),
        error: explorer.error,
    };
}"""


@dataclass
class Frame:
    """One view's figures: best cold and warm first frames (ms), and what was drawn."""

    view: str
    query: str
    cold_ms: float
    cold_median_ms: float
    warm_ms: float
    overview_ms: float | None
    nodes: int
    relationships: int
    heap_mb: float | None
    #: The server's first answer to this view's overview, asked before the
    #: page (its layout computed then, and cached): seconds.
    first_answer_s: float
    #: The cold load's milestones (ms since navigation): modules loaded, WebGL
    #: programs ready, API answers in, picture composed, overview drawn.
    phases: dict[str, float]
    #: An answer view of gaps: the gaps asked about, and how many of them are drawn.
    gaps: int | None = None
    gaps_drawn: int | None = None


def _open(browser: Browser, url: str, timeout: float, shot: Path | None = None) -> dict[str, Any]:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(url))
    refused: list[str] = []

    def route(route: Any) -> None:
        if route.request.url.startswith(origin):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    try:
        page.goto(url)
        deadline = time.monotonic() + timeout
        while not page.evaluate(
            "() => Boolean(window.graphmodelExplorer"
            " && (graphmodelExplorer.firstFrame !== null || graphmodelExplorer.error))"
        ):
            if time.monotonic() > deadline:
                raise SystemExit(f"no frame drawn within {timeout:.0f} s: {url}")
            time.sleep(0.02)
        page.evaluate("graphmodelExplorer.whenIdle()")
        found: dict[str, Any] = page.evaluate(_READ_PAGE)
        if shot is not None:
            page.wait_for_timeout(1500)
            page.screenshot(path=str(shot))
    finally:
        page.close()
    if found["error"]:
        raise SystemExit(f"the page failed: {found['error']}")
    if refused:
        raise SystemExit(f"the page asked for other resources: {refused}")
    return found


def _overview_query(query: str) -> str:
    """The overview question the page asks for a view (web/assets/api.js)."""
    parameters = dict(urllib.parse.parse_qsl(query))
    max_nodes = int(parameters.get("max_nodes", DEFAULT_MAX_NODES))
    relationships = min(max(4 * max_nodes, 2_000), 20_000)
    return urllib.parse.urlencode({"max_nodes": max_nodes, "max_relationships": relationships})


def measure(
    url: str,
    views: Mapping[str, str] = VIEWS,
    *,
    repeat: int = 3,
    timeout: float = 300.0,
    shots: Path | None = None,
) -> list[Frame]:
    """First-frame figures of each view of the explorer served at ``url`` (with its token).

    Each view: its overview asked of the server first (timed: the layout is
    computed then and cached, as a strategist's first visit would), then
    ``repeat`` times a cold load (a browser just started) followed by a warm
    one (a second tab of it). The best of each is kept (the least disturbed by
    whatever else the machine runs), and the median of the cold loads.
    """
    frames = []
    token = url.split("token=", 1)[1]
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    with sync_playwright() as playwright:
        # Start the browser once untimed: the first launch pays for reading it from disk.
        playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS).close()
        for name, template in views.items():
            query = template
            gaps: list[str] | None = None
            if "{profession}" in template:
                profession, gaps = _most_gaps(origin, token, timeout)
                query = template.format(profession=profession)
            address = f"{url}&{query}" if query else url
            started = time.perf_counter()
            # An answer view asks its overlay (computed then, and kept), the others the overview.
            parameters = dict(urllib.parse.parse_qsl(query))
            overlay = parameters.pop("overlay", None)
            asked = (
                f"/api/overlays/{overlay}?{urllib.parse.urlencode(parameters)}"
                if overlay
                else f"/api/overview?{_overview_query(query)}"
            )
            request = urllib.request.Request(
                f"{origin}{asked}", headers={"Authorization": f"Bearer {token}"}
            )
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
            first_answer = time.perf_counter() - started
            colds, warms = [], []
            for _ in range(max(repeat, 1)):
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    colds.append(_open(browser, address, timeout))
                    shot = None if shots is None else shots / f"explorer-page-{name}.png"
                    warms.append(_open(browser, address, timeout, shot))
                finally:
                    browser.close()
            cold = min(colds, key=lambda found: found["firstFrame"])
            warm = min(warms, key=lambda found: found["firstFrame"])
            heap = warm["heapBytes"]
            frames.append(
                Frame(
                    view=name,
                    query=query,
                    cold_ms=cold["firstFrame"],
                    cold_median_ms=statistics.median(found["firstFrame"] for found in colds),
                    warm_ms=warm["firstFrame"],
                    overview_ms=warm["overviewMs"],
                    nodes=warm["nodes"],
                    relationships=warm["relationships"],
                    heap_mb=None if heap is None else heap / 2**20,
                    first_answer_s=first_answer,
                    phases=cold["marks"],
                    gaps=None if gaps is None else len(gaps),
                    gaps_drawn=None if gaps is None else len(set(gaps) & set(warm["drawn"])),
                )
            )
    return frames


def _most_gaps(origin: str, token: str, timeout: float) -> tuple[str, list[str]]:
    """The profession with the most gaps, and its gap competencies (``/api/gaps``)."""
    request = urllib.request.Request(
        f"{origin}/api/gaps", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        found = json.load(response)["gaps"]
    per: dict[str, list[str]] = {}
    for gap in found:
        per.setdefault(gap["profession"], []).append(gap["competency"])
    profession = max(sorted(per), key=lambda p: len(per[p]))
    return profession, per[profession]


def print_frames(frames: list[Frame]) -> None:
    """The figures as a table, with ratios against the baseline view and the goal."""
    baseline = next((frame for frame in frames if frame.view == "baseline"), None)
    print(
        f"{'view':<10}{'nodes':>8}{'rels':>9}{'cold ms':>10}{'median':>8}{'warm ms':>10}"
        f"{'api ms':>9}{'heap MB':>9}{'cold/base':>11}{'warm/base':>11}  goal"
    )
    for frame in frames:
        ratios = ["-", "-"]
        if baseline is not None:
            ratios = [
                f"{frame.cold_ms / baseline.cold_ms:.2f}",
                f"{frame.warm_ms / baseline.warm_ms:.2f}",
            ]
        goal = ""
        if frame.view in ("overview", "gaps"):
            goal = f"< {GOAL_MS:.0f} ms: " + ("PASS" if frame.cold_ms < GOAL_MS else "FAIL")
        if frame.gaps is not None:
            within = frame.nodes <= VIEW_LIMIT and frame.gaps_drawn == frame.gaps
            goal += (
                f"; {frame.gaps_drawn} of {frame.gaps} gaps drawn, {frame.nodes} <= "
                f"{VIEW_LIMIT} nodes: " + ("PASS" if within else "FAIL")
            )
        api = "-" if frame.overview_ms is None else f"{frame.overview_ms:.0f}"
        heap = "-" if frame.heap_mb is None else f"{frame.heap_mb:.0f}"
        print(
            f"{frame.view:<10}{frame.nodes:>8,}{frame.relationships:>9,}{frame.cold_ms:>10.0f}"
            f"{frame.cold_median_ms:>8.0f}{frame.warm_ms:>10.0f}{api:>9}{heap:>9}"
            f"{ratios[0]:>11}{ratios[1]:>11}  {goal}"
        )
    print("the server's first answer to each overview (layout computed, then cached):")
    for frame in frames:
        print(f"  {frame.view:<10}{frame.first_answer_s:>7.1f} s")
    print("best cold load, ms since navigation: modules, webgl, answers, composed, drawn, frame")
    for frame in frames:
        names = ("modules", "webgl", "answers", "composed", "drawn")
        marks = [frame.phases.get(name) for name in names]
        shown = " ".join("-" if mark is None else f"{mark:>7.0f}" for mark in marks)
        print(f"  {frame.view:<10}{shown} {frame.cold_ms:>7.0f}")


def _peak_rss_mb(pid: int) -> float | None:
    """A process's peak resident memory (VmHWM), in MiB, while it runs."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _serve(
    source: str, options: list[str], cache: Path
) -> tuple[subprocess.Popen[str], str, float]:
    """Start ``graphmodel serve``; the process, its URL and the seconds until it answered."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "graphmodel.cli.main", "serve", source, "--port", "0"]
    process = subprocess.Popen(
        [*command, "--no-open", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "GRAPHMODEL_CACHE_DIR": str(cache)},
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    while True:
        line = lines.get(timeout=900)
        if line is None:
            raise SystemExit("graphmodel serve stopped before answering")
        found = SERVING.match(line)
        if found:
            return process, found["url"], time.perf_counter() - started
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", help="dataset folder or Neo4j URI")
    parser.add_argument("--user", default=None)
    parser.add_argument("--password", default=None)
    parser.add_argument(
        "--repeat", type=int, default=3, help="cold and warm loads per view (best kept)"
    )
    parser.add_argument("--shots", type=Path, default=None, help="save a screenshot per view here")
    parser.add_argument(
        "--views", nargs="*", default=None, help=f"only these views ({', '.join(VIEWS)})"
    )
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="graphmodel-explorer-page-") as scratch:
        source = arguments.source
        if source is None:
            from graphmodel.io.tabular import write_dataset
            from graphmodel.synthetic import Scale, synthetic_dataset

            source = str(Path(scratch) / "national")
            started = time.perf_counter()
            write_dataset(synthetic_dataset(Scale.national(), seed=1), Path(source))
            print(f"wrote the national synthetic dataset in {time.perf_counter() - started:.1f} s")
        options = []
        if arguments.user:
            options += ["--user", arguments.user]
        if arguments.password:
            options += ["--password", arguments.password]
        process, url, answered = _serve(source, options, Path(scratch) / "cache")
        try:
            print(f"graphmodel serve {source}: answering after {answered:.1f} s")
            views = {k: v for k, v in VIEWS.items() if not arguments.views or k in arguments.views}
            if "baseline" not in views:
                views = {"baseline": VIEWS["baseline"], **views}
            frames = measure(url, views, repeat=arguments.repeat, shots=arguments.shots)
            print_frames(frames)
            peak = _peak_rss_mb(process.pid)
            if peak is not None:
                print(f"server peak RSS: {peak:,.0f} MiB")
        finally:
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
