"""Helpers for the explorer's tests: an in-process client of the guarded app."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner
from fastapi.testclient import TestClient

from graphmodel.backends import GraphBackend
from graphmodel.cli.main import cli
from graphmodel.explore import Explorer
from graphmodel.explore.live import ServedGraph
from graphmodel.web.app import create_app
from graphmodel.web.guard import Guard, allowed_hosts

TOKEN = "test-token"
PORT = 8765
ORIGIN = f"http://127.0.0.1:{PORT}"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def guarded_app(backend: GraphBackend, source: str = "test", **options: Any) -> Guard:
    """The explorer's app as ``graphmodel serve`` runs it, for ``backend``."""
    served = ServedGraph.fixed(Explorer(backend, source, **options))
    return Guard(create_app(served), TOKEN, allowed_hosts("127.0.0.1", PORT), PORT)


def client(backend: GraphBackend, source: str = "test", **options: Any) -> TestClient:
    """An in-process HTTP client of the guarded app (it sends the bound host's Host header)."""
    return TestClient(guarded_app(backend, source, **options), base_url=ORIGIN)


def get_json(http: TestClient, url: str, status: int = 200) -> Any:
    """GET ``url`` with the token; check the status and that the body is JSON; the document."""
    response = http.get(url, headers=AUTH)
    assert response.status_code == status, (url, response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def cli_json(*args: str) -> Any:
    """What ``graphmodel ARGS --format json`` prints, parsed."""
    result = CliRunner().invoke(cli, [*args, "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)
