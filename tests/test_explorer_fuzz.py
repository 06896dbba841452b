"""Schemathesis over the explorer's OpenAPI description: generated requests never get a 5xx."""

from __future__ import annotations

import schemathesis
from conftest import EXAMPLE
from explorer_client import AUTH, PORT, guarded_app
from hypothesis import HealthCheck, settings
from tiers import examples

from graphmodel.backends import MemoryBackend
from graphmodel.dataset import read_dataset

APP = guarded_app(MemoryBackend(read_dataset(EXAMPLE)), str(EXAMPLE))
HEADERS = {**AUTH, "Host": f"127.0.0.1:{PORT}"}

schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP, headers=HEADERS)


@schema.parametrize()
@settings(max_examples=examples(25), deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_makes_the_server_fail(case: schemathesis.Case) -> None:
    response = case.call(headers=HEADERS)
    assert response.status_code < 500, (case.as_curl_command(), response.text)
    # Schemathesis keeps every value of a header as a list.
    (kind,) = response.headers["content-type"]
    exported = case.path == "/api/export" and response.status_code == 200  # a file
    assert exported or kind.startswith("application/json")
    if response.status_code >= 400:
        assert list(response.json()) == ["error"]
        assert "\n" not in response.json()["error"]
