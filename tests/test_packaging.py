"""Packaging: every package is listed, and the built wheel carries the Cypher files."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import networkx as nx
import pytest
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
            if {"node_modules", "bundle", "types"} & set(path.relative_to(ROOT).parts):
                # web/'s npm project: tooling, the build of assets/vendor.js and the type
                # check's declarations, not shipped.
                continue
            name = ".".join([package, *path.relative_to(ROOT / folder).parts])
            if (path / "__init__.py").is_file():
                found.add(name)
            elif any(p.is_file() for p in path.iterdir()):
                found.add(name)
                data_folders.add(name)
    assert found == listed
    assert data_folders <= set(tool["package-data"])


@pytest.mark.slow  # pip builds the wheel
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


def installed_modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the distribution at ``root`` by its installed name (package-dir
    honoured): ``graphmodel.cli.main`` for ``cli/main.py``, ``graphmodel.web`` for
    ``web/__init__.py``."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    package_dir: dict[str, str] = project["tool"]["setuptools"]["package-dir"]
    modules: dict[str, Path] = {}
    for package, folder in package_dir.items():
        for path in sorted((root / folder).rglob("*.py")):
            if {"node_modules", "bundle"} & set(path.relative_to(root).parts):
                continue
            parts = path.relative_to(root / folder).with_suffix("").parts
            modules[".".join([package, *(p for p in parts if p != "__init__")])] = path
    return modules


def imported_names(module: str, path: Path) -> list[tuple[int, str]]:
    """(line, name) of every import in a module, inside functions too, relative ones
    resolved; ``from a import b`` gives both ``a`` and ``a.b`` (b may be a module)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found += [(node.lineno, base), *((node.lineno, f"{base}.{a.name}") for a in node.names)]
    return found


def import_cycles(root: Path = ROOT) -> list[list[str]]:
    """The import cycles among the distribution's modules at ``root``, each sorted.

    A module's edges to its own packages are left out: importing ``a.b`` runs
    ``a/__init__.py`` first anyway, and that is no cycle.
    """
    modules = installed_modules(root)
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for module, path in modules.items():
        graph.add_edges_from(
            (module, name)
            for _, name in imported_names(module, path)
            if name in modules and name != module and not module.startswith(name + ".")
        )
    return sorted(
        sorted(group) for group in nx.strongly_connected_components(graph) if len(group) > 1
    )


def test_the_library_imports_no_door_and_no_presentation() -> None:
    """graphmodel/ never imports graphmodel.cli, graphmodel.web or graphmodel.visuals,
    not even inside a function (docs/architecture.md)."""
    doors = ("graphmodel.cli", "graphmodel.web", "graphmodel.visuals")
    found = [
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for module, path in installed_modules().items()
        if path.is_relative_to(ROOT / "graphmodel")
        for line, name in imported_names(module, path)
        if name in doors or name.startswith(tuple(f"{door}." for door in doors))
    ]
    assert found == []


def test_the_import_graph_has_no_cycle() -> None:
    """No module imports, directly or through others, a module that imports it back,
    counting imports inside functions (docs/architecture.md)."""
    assert import_cycles() == []


def test_the_cycle_check_sees_imports_inside_functions(tmp_path: Path) -> None:
    """The check above can fail: a cycle closed by an import inside a function, through
    a package-dir mapping and a relative import, is reported; a package's own
    ``__init__`` is not."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.setuptools.package-dir]\n"lib" = "lib"\n"lib.door" = "door"\n', encoding="utf-8"
    )
    for name, text in {
        "lib/__init__.py": "from lib.a import A\n",
        "lib/a.py": "import lib.b\nA = 1\n",
        "lib/b.py": "def f():\n    from .a import A\n    return A\n",
        "door/__init__.py": "",
        "door/main.py": "from . import helper\nimport lib\n",
        "door/helper.py": "def g():\n    from lib.door import main\n",
    }.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert import_cycles(tmp_path) == [
        ["lib.a", "lib.b"],
        ["lib.door.helper", "lib.door.main"],
    ]
