"""The explorer page's files: all shipped, the vendored bundle as documented, no HTML from data."""

from __future__ import annotations

import hashlib
import re
import tomllib

from conftest import ROOT

from graphmodel.backends import MemoryBackend
from graphmodel.dataset import read_dataset
from graphmodel.explore.explorer import Explorer
from graphmodel.web.app import _page

ASSETS = ROOT / "web" / "assets"
README = ROOT / "web" / "README.md"


def test_every_page_file_is_package_data() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = project["tool"]["setuptools"]
    assert "graphmodel.web.assets" in setuptools["packages"]
    assert setuptools["package-data"]["graphmodel.web.assets"] == ["*"]
    # The pattern takes the folder's files, not subfolders: keep it flat.
    assert all(path.is_file() for path in ASSETS.iterdir())


def test_vendored_bundle_is_the_one_documented_with_its_licences() -> None:
    readme = README.read_text(encoding="utf-8")
    for bundle in ("vendor.js", "layout-worker.js"):
        digest = hashlib.sha256((ASSETS / bundle).read_bytes()).hexdigest()
        assert f"sha256 {digest}  {bundle}" in readme
        assert (ASSETS / bundle).read_text(encoding="utf-8").startswith("/*! graphmodel explorer")
    licences = (ASSETS / "vendor-LICENSES.txt").read_text(encoding="utf-8")
    lock = (ROOT / "web" / "package-lock.json").read_text()
    for package, version, licence in [
        ("sigma", "4.0.4", "MIT"),
        ("graphology", "0.26.0", "MIT"),
        ("graphology-layout-forceatlas2", "0.10.1", "MIT"),
        ("d3-polygon", "3.0.2", "ISC"),
    ]:
        assert f"{package} {version} ({licence})" in licences
        assert f"| {package} | {version} | {licence} |" in readme
        assert f'"node_modules/{package}": {{\n      "version": "{version}"' in lock


def test_page_loads_every_module_and_only_files_it_has() -> None:
    explorer = Explorer(MemoryBackend(read_dataset(ROOT / "examples" / "children-trust")), "x")
    html = _page(explorer)
    referenced = set(re.findall(r'(?:src|href)="/assets/([^"]+)"', html))
    # The layout's web worker is started by handson.js, not loaded by the page.
    modules = {path.name for path in ASSETS.glob("*.js")} - {"layout-worker.js"}
    assert referenced == modules | {path.name for path in ASSETS.glob("*.css")}
    layout = (ASSETS / "handson.js").read_text(encoding="utf-8")
    assert 'new Worker(new URL("./layout-worker.js", import.meta.url))' in layout
    imported = {
        name
        for path in ASSETS.glob("*.js")
        for name in re.findall(r'from "\./([^"]+)"', path.read_text(encoding="utf-8"))
    }
    assert imported <= modules
    # No inline script or style: the page's Content-Security-Policy would refuse them.
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "<style" not in html and " style=" not in html


def test_page_code_never_parses_text_as_html() -> None:
    for path in ASSETS.glob("*.js"):
        if path.name == "vendor.js":
            continue
        code = path.read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in code, f"{path.name} uses {sink}"
