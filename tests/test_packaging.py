"""Packaging: every package is listed, and the built wheel carries the Cypher files."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

from conftest import ROOT


def pyproject() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_package_and_data_folder_is_listed() -> None:
    """Folders with an __init__.py and the data folders inside them (which Python
    also imports, as namespace packages) are all listed, each data folder with its
    package data, so setuptools has nothing to warn about."""
    tool = pyproject()["tool"]["setuptools"]  # type: ignore[index]
    package_dir: dict[str, str] = tool["package-dir"]
    listed = set(tool["packages"])
    found, data_folders = set(), set()
    for package, folder in package_dir.items():
        for path in [ROOT / folder, *(ROOT / folder).rglob("*")]:
            if not path.is_dir() or path.name == "__pycache__":
                continue
            if {"node_modules", "bundle"} & set(path.relative_to(ROOT).parts):
                # web/'s npm project: tooling and the build of assets/vendor.js, not shipped.
                continue
            name = ".".join([package, *path.relative_to(ROOT / folder).parts])
            if (path / "__init__.py").is_file():
                found.add(name)
            elif any(p.is_file() for p in path.iterdir()):
                found.add(name)
                data_folders.add(name)
    assert found == listed
    assert data_folders <= set(tool["package-data"])


def test_wheel_contains_cypher_and_mapped_packages(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("graphmodel-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    cypher_files = {f"graphmodel/cypher/{p.name}" for p in (ROOT / "cypher").glob("*.cypher")}
    assert cypher_files and cypher_files <= names
    assert "graphmodel/cli/main.py" in names
    assert "graphmodel/visuals/__init__.py" in names
    assert "graphmodel/py.typed" in names
    # The network views' template and inlined assets, vis-network with its licence files.
    # The explorer's page (web/assets, web/templates) likewise.
    view_files = {
        f"graphmodel/{door}/{p.relative_to(ROOT / door).as_posix()}"
        for door in ("visuals", "web")
        for folder in ("assets", "templates")
        for p in (ROOT / door / folder).rglob("*")
        if p.is_file()
    }
    assert (
        {
            "graphmodel/visuals/templates/view.html.j2",
            "graphmodel/visuals/assets/vis-network.min.js",
            "graphmodel/visuals/assets/vis-network-LICENSE-MIT",
            "graphmodel/visuals/assets/vis-network-LICENSE-APACHE-2.0",
            "graphmodel/visuals/assets/view.js",
            "graphmodel/visuals/assets/view.css",
            "graphmodel/web/templates/explorer.html.j2",
            "graphmodel/web/assets/main.js",
            "graphmodel/web/assets/vendor.js",
            "graphmodel/web/assets/vendor-LICENSES.txt",
        }
        <= view_files
        <= names
    )
    top_level = {name.split("/")[0] for name in names}
    assert not top_level & {"cli", "visuals", "cypher"}, "generic top-level names leak"


def test_the_library_imports_no_door_and_no_presentation() -> None:
    """graphmodel/ never imports graphmodel.cli, graphmodel.web or graphmodel.visuals,
    not even inside a function (docs/architecture.md)."""
    doors = ("graphmodel.cli", "graphmodel.web", "graphmodel.visuals")
    found = []
    for path in sorted((ROOT / "graphmodel").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            found += [
                f"{path.relative_to(ROOT)}:{node.lineno}: {name}"
                for name in names
                if name in doors or name.startswith(tuple(f"{door}." for door in doors))
            ]
    assert found == []
