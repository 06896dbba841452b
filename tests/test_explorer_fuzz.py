"""Schemathesis, with every check, against ``graphmodel serve`` on both backends.

The command-line runner (all four phases: examples, coverage, fuzzing,
stateful) is pointed at a real server on loopback, with the token in the
Authorization header, a bounded number of cases per endpoint and a fixed
seed. Half the values of parameters naming nodes are the example's real ids
(schemathesis dictionaries), so answers with data are checked as well as
404s. ``--checks all`` holds the server to its own OpenAPI description:
documented status codes, media types and error body, schema-valid requests
accepted and invalid ones refused, 405 with ``Allow`` for other methods,
401 without the token, and never a 5xx. The only failures forgiven are
those ``tests/schemathesis_hooks.py`` accepts: a schema-valid request
refused because it breaks a documented rule that joins several parameters.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT
from explorer_browser import Explorers, Served

from graphmodel.dataset import read_dataset

# A schemathesis run in its own interpreter, a minute or so a backend.
pytestmark = pytest.mark.slow

#: Cases per endpoint and phase: enough to reach every parameter, a minute or so a backend.
MAX_EXAMPLES = 15
SEED = 26


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def served(request: pytest.FixtureRequest, explorers: Explorers) -> Served:
    return explorers.example(request)


def real_ids_config(folder: Path) -> Path:
    """A schemathesis configuration drawing half the values of each single-id parameter from
    the example's ids (a dictionary holds single values: repeatable parameters are left out)."""
    dataset = read_dataset(EXAMPLE)
    ids = {
        "competency": [row.id for row in dataset.competencies][:8],
        "driver": [row.id for row in dataset.drivers][:6],
        "initiative": [row.id for row in dataset.initiatives][:6],
        "node": ["p-teacher", "fw-nccc", "org-hearthside", "te-fellgate-hidden-harm-2027"],
    }
    bindings = {
        "path.node_id": "node",
        "query.competency": "competency",
        "query.driver": "driver",
        "query.initiative": "initiative",
        "query.a": "node",
        "query.b": "node",
    }
    lines = []
    for name, values in ids.items():
        lines += [f"[dictionaries.{name}]", f"values = {json.dumps(values)}", ""]
    lines.append("[parameters]")
    for parameter, dictionary in bindings.items():
        lines.append(f'"{parameter}" = {{ dictionary = "{dictionary}", probability = 0.5 }}')
    config = folder / "schemathesis.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def test_schemathesis_with_every_check_finds_no_failure(served: Served, tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(real_ids_config(tmp_path)),
        "run",
        f"{served.origin}/api/openapi.json",
        "--header",
        f"Authorization: Bearer {served.token}",
        "--checks",
        "all",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        "1",
        "--request-timeout",
        "60",
        "--no-color",
    ]
    environment = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "schemathesis_hooks",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=tmp_path, env=environment, timeout=900
    )
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    cases = re.search(r"(\d+) generated, (\d+) passed", report)
    assert cases is not None and cases[1] == cases[2], report
    assert int(cases[1]) > 1000, report  # every phase ran its cases
    operations = re.search(r"Selected: (\d+)/(\d+)\s+Tested: (\d+)", report)
    assert operations is not None and len(set(operations.groups())) == 1, report
