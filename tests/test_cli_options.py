"""Every analysis command's options come from its request model, so the doors cannot drift.

The command line's options are made from the pydantic requests
(``cli/options.py: request_options``); here each command's options are
checked against its model's fields: the same names, defaults, choices and
bounds, and nothing else but the door's own options (``--format``,
``-o``, the Neo4j connection). ``--threshold`` and ``--format`` are each
defined once.
"""

from __future__ import annotations

import enum

import click
import pytest
from pydantic import BaseModel

from graphmodel.analysis.requests import (
    ANALYSES,
    CrosswalkRequest,
    DiffRequest,
    ReportRequest,
)
from graphmodel.cli.main import load_command
from graphmodel.cli.output import FORMATS
from graphmodel.explore.requests import SlidesRequest
from graphmodel.visuals.views import ViewOptions

#: Each command (a subcommand after a space) and the model its options come from.
MODELS: dict[str, type[BaseModel]] = {
    **{name: model for name, model in ANALYSES.items() if name != "stats"},
    "crosswalk suggest": CrosswalkRequest,
    "diff": DiffRequest,
    "report": ReportRequest,
    "view": ViewOptions,
    "slides": SlidesRequest,
}
#: Fields a command reads from a file it names instead of from options: slides' views.
FROM_FILE = {("slides", "view"): "views_file"}
#: The door's own parameters: how to print or where to write, how to reach Neo4j, SOURCE.
DOOR = {"output_format", "output", "user", "password", "database", "ca_cert", "source"}
#: A command's own door parameters beside those: files the command line reads or writes
#: beside SOURCE (plan's --offers FILE and --apply OUT: its request is the API's too, and
#: the API reads and writes no files).
DOOR_OF = {"plan": {"offers", "apply_to"}}


def command(name: str) -> click.Command:
    first, _, sub = name.partition(" ")
    found = load_command(first)
    if sub:
        assert isinstance(found, click.Group)
        found = found.commands[sub]
    return found


@pytest.mark.parametrize("name", sorted(MODELS))
def test_options_are_the_request_fields(name: str) -> None:
    model = MODELS[name]
    door = DOOR | DOOR_OF.get(name, set())
    parameters = {p.name: p for p in command(name).params if p.name not in door}
    for (each, field_name), option in FROM_FILE.items():
        if each == name:
            parameters[field_name] = parameters.pop(option)
    assert set(parameters) == set(model.model_fields), name
    for field_name, field in model.model_fields.items():
        if (name, field_name) in FROM_FILE:
            assert parameters[field_name].required == field.is_required(), (name, field_name)
            continue
        parameter = parameters[field_name]
        public = "--" + (field.alias or field_name).replace("_", "-")
        if isinstance(parameter, click.Option):
            assert public in parameter.opts, (name, public, parameter.opts)
        assert parameter.required == field.is_required(), (name, field_name)
        default = None if field.is_required() else field.get_default(call_default_factory=True)
        if isinstance(default, enum.Enum):
            default = default.value
        if default not in (None, [], False):
            assert parameter.default == default, (name, field_name)


@pytest.mark.parametrize("name", ["duplicates", "diff", "report", "view"])
def test_threshold_is_one_definition(name: str) -> None:
    [threshold] = [p for p in command(name).params if p.name == "threshold"]
    assert isinstance(threshold.type, click.FloatRange)
    assert (threshold.type.min, threshold.type.max) == (0.0, 1.0)
    assert (threshold.type.min_open, threshold.type.max_open) == (False, False)


def test_format_is_one_definition() -> None:
    """Every command's --format is made by cli/output.py (same name, type, formats)."""
    from graphmodel.cli.main import COMMANDS

    seen = 0
    for name in COMMANDS:
        found = load_command(name)
        commands = list(found.commands.values()) if isinstance(found, click.Group) else [found]
        for each in commands:
            for parameter in each.params:
                if isinstance(parameter, click.Option) and "--format" in parameter.opts:
                    seen += 1
                    assert parameter.name == "output_format", each.name
                    assert isinstance(parameter.type, click.Choice)
                    assert set(parameter.type.choices) <= {*FORMATS, "html"}, each.name
    assert seen >= 14
