"""``graphmodel serve`` as a user runs it: a real server on loopback, over real HTTP."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, NEO4J_PASSWORD, NEO4J_URI, NEO4J_USER

from graphmodel.analysis.requests import GapsRequest
from graphmodel.backends import GraphBackend, MemoryBackend
from graphmodel.dataset import read_dataset

#: Slow tier (tests/README.md): `graphmodel serve` itself in a process of its own.
pytestmark = pytest.mark.slow

SERVING = re.compile(
    r"^serving (?P<source>.+) at http://127\.0\.0\.1:(?P<port>\d+)/\?token=(?P<token>\S+)$"
)


class Served:
    """A running ``graphmodel serve`` and what it printed."""

    def __init__(self, process: subprocess.Popen[str], line: str) -> None:
        self.process = process
        self.line = line
        match = SERVING.match(line)
        assert match, line
        self.source, self.token = match["source"], match["token"]
        self.port = int(match["port"])

    def request(
        self, path: str, host: str | None = None, token: bool = True, method: str = "GET"
    ) -> tuple[int, Any]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": host or f"127.0.0.1:{self.port}"}
        if token:
            headers["Authorization"] = f"Bearer {self.token}"
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        kind = response.getheader("content-type", "")
        return response.status, json.loads(body) if kind.startswith("application/json") else body


def command(*arguments: str) -> list[str]:
    return [sys.executable, "-c", "from graphmodel.cli.main import main; main()", *arguments]


@contextmanager
def serving(*arguments: str, env: dict[str, str] | None = None) -> Iterator[Served]:
    """Start ``graphmodel serve ARGUMENTS --no-open`` and wait for its serving line."""
    process = subprocess.Popen(
        command("serve", *arguments, "--no-open"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        if not line:
            process.wait(timeout=30)
            raise AssertionError(f"serve printed nothing; stderr: {process.stderr.read()}")  # type: ignore[union-attr]
        yield Served(process, line)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def test_serve_prints_its_address_once_it_answers_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    with serving(
        str(EXAMPLE),
        "--port",
        "0",
        "--token",
        "s3cret",
        env={"GRAPHMODEL_CACHE_DIR": str(tmp_path)},
    ) as served:
        assert served.line == f"serving {EXAMPLE} at http://127.0.0.1:{served.port}/?token=s3cret"
        status, summary = served.request("/api/summary")
        assert status == 200 and summary["source"] == str(EXAMPLE)
        assert summary["nodes"]["TrainingEvent"] == len(read_dataset(EXAMPLE).training_events)
        # Bad requests get one line of JSON, and the server goes on.
        assert served.request("/api/gaps?colour=red") == (
            400,
            {"error": "unknown parameter 'colour'"},
        )
        assert served.request("/api/nodes/nobody")[0] == 404
        assert served.request("/api/summary", token=False)[0] == 401
        assert served.request("/api/summary", host="evil.example")[0] == 403
        assert served.request("/api/summary", method="POST")[0] == 405
        status, picture = served.request("/api/overview?max_nodes=50")
        assert status == 200 and picture["rolled_up"] and len(picture["nodes"]) <= 50
        assert served.request("/api/summary")[0] == 200
        served.process.send_signal(signal.SIGINT)
        assert served.process.wait(timeout=30) == 0
        assert served.process.stdout.read() == "stopped\n"  # type: ignore[union-attr]
        assert served.process.stderr.read() == ""  # type: ignore[union-attr]
    assert list((tmp_path / "layouts").glob("*.npy"))  # the layout is kept for the next start


def test_the_token_is_random_per_run_unless_given() -> None:
    with (
        serving(str(EXAMPLE), "--port", "0") as first,
        serving(str(EXAMPLE), "--port", "0") as second,
    ):
        assert len(first.token) >= 32 and first.token != second.token
        assert first.request("/api/summary")[0] == 200
    with serving(str(EXAMPLE), "--port", "0", env={"GRAPHMODEL_TOKEN": "from-env"}) as served:
        assert served.token == "from-env"
        assert served.request("/api/summary")[0] == 200


def test_a_taken_port_is_one_clear_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            command("serve", str(EXAMPLE), "--port", str(port), "--no-open"),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stderr.strip().startswith(f"error: cannot listen on 127.0.0.1:{port}:")
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_bad_source_is_one_clear_line(tmp_path: Path) -> None:
    done = subprocess.run(
        command("serve", str(tmp_path / "nothing"), "--no-open"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.neo4j
def test_serve_a_neo4j_database(neo4j_backend: GraphBackend) -> None:
    neo4j_backend.load(read_dataset(EXAMPLE), replace=True)  # type: ignore[attr-defined]
    env = {"NEO4J_USERNAME": NEO4J_USER, "NEO4J_PASSWORD": NEO4J_PASSWORD}
    with serving(NEO4J_URI, "--port", "0", env=env) as served:
        assert served.source == NEO4J_URI
        status, found = served.request("/api/search?q=teacher")
        assert status == 200 and found["results"][0]["id"] == "p-teacher"
        memory = MemoryBackend(read_dataset(EXAMPLE))
        assert served.request("/api/nodes/p-teacher")[1]["degree"] == memory.node_degree(
            "p-teacher"
        )
        status, gaps = served.request("/api/gaps?limit=1")
        # The whole summary, below-level gaps included, as the dataset's own answer.
        assert status == 200
        assert gaps["summary"] == GapsRequest(limit=1).payload(memory)["summary"]
        assert gaps["summary"]["below_level"] > 0


@pytest.mark.neo4j
def test_serve_says_in_one_line_when_neo4j_cannot_be_reached() -> None:
    started = time.monotonic()
    done = subprocess.run(
        command("serve", "bolt://127.0.0.1:9", "--no-open"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and "cannot reach Neo4j" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and time.monotonic() - started < 100
