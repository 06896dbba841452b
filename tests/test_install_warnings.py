"""Building and installing graphmodel prints no warning of the project's own making.

setuptools warns when a folder Python would import is missing from the
``packages`` list ("absent from the `packages` configuration"), when package
data is configured wrongly, and so on: any such warning is a mistake in
pyproject.toml. The one line setuptools prints for every editable install of a
package-dir layout ("Editable installation.") is its own notice; the Makefile
filters exactly that one, and so does this test, so anything else fails it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

#: Slow tier (tests/README.md): pip builds and installs the project.
pytestmark = pytest.mark.slow

# What the Makefile sets for its editable install (see the $(STAMP) rule).
MAKEFILE_FILTER = "ignore:Editable installation"


def pip(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": MAKEFILE_FILTER}
    return subprocess.run(
        [sys.executable, "-m", "pip", *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )


def test_the_makefile_filters_only_the_editable_notice() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f'PYTHONWARNINGS="{MAKEFILE_FILTER}" $(PIP_INSTALL) -e' in makefile
    assert "PIP_INSTALL := $(BIN)/pip install --quiet" in makefile


def test_building_a_wheel_prints_no_warning(tmp_path: Path) -> None:
    done = pip("wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), str(ROOT))
    output = done.stdout + done.stderr
    assert "warning" not in output.lower(), output


def test_an_editable_install_prints_no_warning(tmp_path: Path) -> None:
    # Installed into a scratch folder, so the virtualenv under test is untouched.
    done = pip(
        "install",
        "--quiet",
        "--no-deps",
        "--no-build-isolation",
        "--target",
        str(tmp_path / "site"),
        "-e",
        str(ROOT),
    )
    output = done.stdout + done.stderr
    assert "warning" not in output.lower(), output
