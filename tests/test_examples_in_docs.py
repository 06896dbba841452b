"""The examples in the library's docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import graphmodel

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(graphmodel.__path__, "graphmodel.")
    if not info.name.startswith(("graphmodel.cli", "graphmodel.visuals", "graphmodel.cypher"))
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    failed, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failed == 0, f"{failed} docstring example(s) failed in {name}"
