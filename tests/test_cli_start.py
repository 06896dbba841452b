"""The command line starts at once: a command imports only what it uses.

``graphmodel --help`` loads no command; ``validate`` and ``gaps`` on a CSV
folder load neither scikit-learn, SciPy, the web server nor the spreadsheet
libraries. Each check runs in a fresh interpreter, which is the only place
where what is imported can be seen. The times themselves are measured by
``bench/cli_start.py``, not here.
"""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, ROOT

from graphmodel.cli.main import COMMANDS, cli, load_command
from graphmodel.collector import THRESHOLDS

#: What no command that reads a CSV folder and prints a table should load.
HEAVY = (
    "sklearn",
    "scipy",
    "numpy",
    "fastapi",
    "uvicorn",
    "starlette",
    "openpyxl",
    "igraph",
    "pyvis",
)


def loaded_after(code: str) -> set[str]:
    """The top-level packages in ``sys.modules`` after running ``code`` in a new interpreter."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr
    return {name.split(".")[0] for name in json.loads(done.stdout.splitlines()[-1])}


def test_importing_the_command_line_loads_no_heavy_library() -> None:
    loaded = loaded_after("import graphmodel.cli.main")
    assert not loaded & {"sklearn", "scipy", "fastapi", "uvicorn"}
    # Nor any command, nor the library's models: --help lists them from the registry.
    assert not loaded & {*HEAVY, "networkx", "numpy", "pydantic", "rich"}


@pytest.mark.parametrize(
    "arguments",
    [
        ["validate", str(EXAMPLE)],
        ["gaps", str(EXAMPLE), "--limit", "3"],
        ["gaps", str(EXAMPLE), "--format", "json"],
        ["uncovered", str(EXAMPLE), "--format", "csv"],
    ],
    ids=["validate", "gaps", "gaps-json", "uncovered-csv"],
)
def test_a_command_loads_only_what_it_uses(arguments: list[str]) -> None:
    code = (
        "from graphmodel.cli.main import cli\n"
        f"cli({arguments!r}, prog_name='graphmodel', standalone_mode=False)"
    )
    loaded = loaded_after(code)
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_the_json_output_needs_no_table_library() -> None:
    code = (
        "from graphmodel.cli.main import cli\n"
        f"cli(['gaps', {str(EXAMPLE)!r}, '--format', 'json'], standalone_mode=False)"
    )
    assert "rich" not in loaded_after(code)


def test_the_registry_lists_every_command_with_its_own_help() -> None:
    """cli/main.py's COMMANDS names each command of each cli/*_commands.py module once,
    with the module that defines it and the one-line help the command itself gives."""
    defined: dict[str, tuple[str, str]] = {}
    for path in sorted((ROOT / "cli").glob("*_commands.py")):
        module = importlib.import_module(f"graphmodel.cli.{path.stem}")
        for command in module.COMMANDS:
            assert command.name not in defined, f"{command.name} defined twice"
            defined[command.name] = (path.stem, command.get_short_help_str(limit=10_000))
    assert defined == COMMANDS, "update COMMANDS in cli/main.py"


def test_help_lists_every_command_without_loading_one() -> None:
    code = (
        "import sys\n"
        "from graphmodel.cli.main import cli\n"
        "try:\n"
        "    cli(['--help'], prog_name='graphmodel')\n"
        "except SystemExit:\n"
        "    pass\n"
        "assert not [m for m in sys.modules if m.endswith('_commands')], 'a command loaded'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    listed = [line.split()[0] for line in done.stdout.split("Commands:")[1].splitlines() if line]
    assert listed == sorted(COMMANDS)


def test_an_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["gasp"])
    assert result.exit_code == 2
    assert "No such command 'gasp'" in result.output


def test_each_registered_command_loads() -> None:
    for name in COMMANDS:
        assert load_command(name).name == name


def test_a_command_collects_cycles_less_often() -> None:
    """The console script's entry sets the cycle collector's thresholds before a command runs
    (graphmodel/collector.py); the interpreter's own defaults are left to other programs."""
    code = (
        "import gc, sys\n"
        "from graphmodel.cli.main import main\n"
        "before = gc.get_threshold()\n"
        "sys.argv = ['graphmodel', 'validate', sys.argv[1]]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(repr((before, gc.get_threshold())))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(EXAMPLE)], capture_output=True, text=True, check=True
    )
    before, after = ast.literal_eval(done.stdout.strip().splitlines()[-1])
    assert before != THRESHOLDS  # importing the command line changes nothing
    assert after == THRESHOLDS
