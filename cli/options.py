"""Options shared by every command that reads a SOURCE; analysis options from their requests."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import os
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import annotated_types
import click
import pydantic
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from graphmodel import collector
from graphmodel.analysis.requests import OptionSpec, iso_date

F = TypeVar("F", bound=Callable[..., Any])
A = TypeVar("A", bound=BaseModel)

SOURCE_HELP = (
    "SOURCE is a dataset (a folder of CSV files, an .xlsx or .ods workbook, a .json or .yaml "
    "file, or a .graphml graph) or a Neo4j URI (bolt://, bolt+s://, neo4j://, neo4j+s://) "
    "whose database is read as loaded."
)


#: Where layouts and encoded texts are kept between runs unless GRAPHMODEL_CACHE_DIR says.
CACHE_VARIABLE = "GRAPHMODEL_CACHE_DIR"


def cache_dir() -> Path:
    """Where layouts (``serve``) and encoded texts (``crosswalk --embeddings``) are kept:
    ``$GRAPHMODEL_CACHE_DIR``, ``$XDG_CACHE_HOME/graphmodel`` or ``~/.cache/graphmodel``."""
    if os.environ.get(CACHE_VARIABLE):
        return Path(os.environ[CACHE_VARIABLE])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "graphmodel"


def neo4j_options(command: F) -> F:
    """``--user``, ``--password``, ``--database`` and ``--ca-cert``, falling back to ``NEO4J_*``."""
    decorators = [
        click.option(
            "--user", help="Neo4j user name [env NEO4J_USERNAME].", default=None, metavar="NAME"
        ),
        click.option(
            "--password",
            help="Neo4j password [env NEO4J_PASSWORD].",
            default=None,
            metavar="SECRET",
        ),
        click.option(
            "--database",
            help="Neo4j database [env NEO4J_DATABASE; default neo4j].",
            default=None,
            metavar="NAME",
        ),
        click.option(
            "--ca-cert",
            help="PEM file of the certificate authority to trust for a bolt+s:// or neo4j+s:// "
            "URI (a private CA) [env NEO4J_CA_CERT].",
            default=None,
            metavar="FILE",
        ),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def source_command(command: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command a SOURCE argument and the Neo4j options; pass it an open backend.

    The wrapped function receives ``backend`` instead of ``source``, ``user``,
    ``password``, ``database`` and ``ca_cert``, and the backend is closed afterwards.
    """

    @functools.wraps(command)
    def wrapper(
        source: str,
        user: str | None,
        password: str | None,
        database: str | None,
        ca_cert: str | None,
        **kwargs: Any,
    ) -> Any:
        from graphmodel.backends import open_source

        with open_source(
            source, user=user, password=password, database=database, ca_cert=ca_cert
        ) as backend:
            # A command reads one dataset and then only analyses it: moving the
            # dataset's million objects out of the collector's view keeps every
            # later collection from walking them again (about a quarter of the
            # analysis time at national scale).
            collector.freeze()
            return command(backend=backend, **kwargs)

    wrapped = neo4j_options(wrapper)
    return click.argument("source")(wrapped)


def parse_date(_: click.Context, __: click.Parameter, value: str | None) -> dt.date | None:
    """Click callback: an ISO date option as a ``date`` (``None`` when not given).

    The text must pass the request models' own rule (``iso_date``: YYYY-MM-DD only),
    so a date the API refuses is refused here too.
    """
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(iso_date(value))
    except ValueError:
        raise click.BadParameter(f"expected a date YYYY-MM-DD, got {value!r}") from None


def _bounds(metadata: list[Any]) -> dict[str, Any]:
    """Click range arguments from a field's pydantic constraints (``ge``, ``gt``, ``le``)."""
    bounds: dict[str, Any] = {}
    for item in metadata:
        if isinstance(item, annotated_types.Ge):
            bounds["min"] = item.ge
        elif isinstance(item, annotated_types.Gt):
            bounds["min"], bounds["min_open"] = item.gt, True
        elif isinstance(item, annotated_types.Le):
            bounds["max"] = item.le
    return bounds


def _option_spec(field: FieldInfo) -> OptionSpec:
    return next((item for item in field.metadata if isinstance(item, OptionSpec)), OptionSpec())


def _click_parameter(name: str, field: FieldInfo) -> Callable[[F], F]:
    """The click option (or argument) of one request field: same name, type, default and help."""
    public = (field.alias or name).replace("_", "-")
    spec = _option_spec(field)
    kind: Any = field.annotation
    metadata = list(field.metadata)
    optional = type(None) in typing.get_args(kind)
    if optional:
        kind = next(arg for arg in typing.get_args(kind) if arg is not type(None))
    if typing.get_origin(kind) is typing.Annotated:  # Threshold | None: the bounds are inside
        for item in kind.__metadata__:
            metadata += item.metadata if isinstance(item, FieldInfo) else [item]
        kind = kind.__origin__
    multiple = typing.get_origin(kind) is list
    if multiple:
        (kind,) = typing.get_args(kind)
    if spec.argument:
        return click.argument(name, metavar=spec.metavar)
    settings: dict[str, Any] = {"help": field.description, "metavar": spec.metavar}
    default = None if field.is_required() else field.get_default(call_default_factory=True)
    if kind is bool:
        if spec.negative:
            return click.option(f"--{public}/--{spec.negative}", name, default=None, **settings)
        return click.option(f"--{public}", name, is_flag=True, default=False, **settings)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        settings["type"] = click.Choice([member.value for member in kind])
        settings.pop("metavar")
    elif typing.get_origin(kind) is typing.Literal:
        settings["type"] = click.Choice(list(typing.get_args(kind)))
        settings.pop("metavar")
    elif kind is int:
        settings["type"] = click.IntRange(**_bounds(metadata))
    elif kind is float:
        settings["type"] = click.FloatRange(**_bounds(metadata))
    elif kind is dt.date:
        settings["callback"] = parse_date
    if multiple:
        return click.option(f"--{public}", name, multiple=True, **settings)
    if isinstance(default, enum.Enum):
        default = default.value
    shown = default is not None and not isinstance(default, bool)
    required = field.is_required()
    names = [f"-{spec.short}"] if spec.short else []
    return click.option(
        *names,
        f"--{public}",
        name,
        default=default,
        show_default=shown,
        required=required,
        **settings,
    )


def field_option(model: type[BaseModel], name: str) -> Callable[[F], F]:
    """The click option of one field of ``model``, for a command that reads the model's
    other fields another way (``slides`` reads its views from a file)."""
    return _click_parameter(name, model.model_fields[name])


def options_error(error: pydantic.ValidationError, model: type[BaseModel]) -> str:
    """A request's validation error as one line naming the options as the command line does."""
    problems = []
    for problem in error.errors():
        message = str(problem["msg"]).removeprefix("Value error, ")
        if problem["loc"]:
            field = str(problem["loc"][0])
            info = model.model_fields.get(field)
            public = (info.alias if info and info.alias else field).replace("_", "-")
            message = f"--{public}: {message}"
        problems.append(message)
    return "; ".join(problems)


def request_options(
    model: type[A], into: str = "request", convert: Callable[[A], Any] | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give a command the options of an analysis request, defined once in ``model``.

    The wrapped function receives the validated request (or ``convert(request)``)
    as ``into`` instead of the separate options.
    """

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        fields = model.model_fields

        @functools.wraps(command)
        def wrapper(**kwargs: Any) -> Any:
            values = {
                name: list(value) if isinstance(value, tuple) else value
                for name in fields
                if (value := kwargs.pop(name)) is not None
            }
            try:
                request = model.model_validate(values)
            except pydantic.ValidationError as error:
                raise click.UsageError(options_error(error, model)) from None
            kwargs[into] = convert(request) if convert is not None else request
            return command(**kwargs)

        wrapped: Callable[..., Any] = wrapper
        for name, field in reversed(list(fields.items())):
            wrapped = _click_parameter(name, field)(wrapped)
        return wrapped

    return decorate
