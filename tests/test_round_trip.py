"""Round trips: read, export, read gives an equal dataset, in every format, on both backends.

Files -> export -> read keeps rows and lists in their order (exact equality);
anything that passed through Neo4j comes back sorted (a database keeps no row
order), so it is compared with :meth:`Dataset.normalised`.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, EXAMPLE_WORKBOOK, NEO4J_PASSWORD, NEO4J_URI, NEO4J_USER
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tiers import examples

from graphmodel.backends import GraphBackend
from graphmodel.cli.main import cli
from graphmodel.dataset import read_dataset
from graphmodel.errors import DatasetError, GraphModelError
from graphmodel.io.tabular import write_dataset
from graphmodel.model import TABLES, Dataset
from graphmodel.synthetic import Scale, synthetic_dataset

#: One output name per format `export` writes (no suffix: a CSV folder).
OUTPUTS = ["copy", "copy.xlsx", "copy.json", "copy.yaml", "copy.yml", "copy.graphml"]
CREDENTIALS = ["--user", NEO4J_USER, "--password", NEO4J_PASSWORD]

# What a strategist's spreadsheet really holds: quotes, commas, line breaks and
# non-ASCII text, money with pence, two relationships between the same two
# competencies (a parent that is also listed as equivalent), a lead that is
# also a partner, list cells in a non-sorted order, and optional cells empty.


def _csv(table: str, *rows: dict[str, str]) -> str:
    """A table as a spreadsheet writes it (quotes doubled, line breaks quoted)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, TABLES[table].columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


AWKWARD_TABLES = {
    "competencies": _csv(
        "competencies",
        {"id": "c-area", "name": "Safeguarding", "framework": "fw-core"}
        | {"description": 'Keeps children safe, "always"'},
        {"id": "c-item", "name": "Recognise harm", "framework": "fw-core", "parent": "c-area"}
        | {"description": "Line one\nline two", "equivalent_to": "c-other;c-area"},
        {"id": "c-other", "name": "Partage d'information — café", "framework": "fw-core"},
    ),
    "training_events": _csv(
        "training_events",
        {"id": "te-one", "title": "Safeguarding basics", "lead_organisation": "org-council"}
        | {"start_date": "2025-01-10", "end_date": "2025-01-11", "delivery": "classroom"}
        | {"places": "20", "cost": "1500.55", "evaluation": "learning", "status": "completed"}
        | {"targets": "p-teacher;p-social-worker", "covers": "c-other;c-area"}
        | {"initiative": "in-plan"},
        {"id": "te-two", "title": "Undated e-learning", "delivery": "e-learning", "cost": "0.1"}
        | {"status": "cancelled"},
    ),
    "initiatives": _csv(
        "initiatives",
        {"id": "in-plan", "title": "Safeguarding plan", "description": "Plan for training"}
        | {"kind": "strategy", "lead_organisation": "org-council", "status": "active"}
        | {"partners": "org-partnership;org-council", "start_date": "2025-01-01"}
        | {"end_date": "2026-03-31", "budget": "10000.75", "targets": "p-social-worker"}
        | {"addresses": "c-area", "responds_to": "dr-review"},
        {"id": "in-next", "title": "Next plan", "status": "proposed", "builds_on": "in-plan"},
    ),
}


def _read_back(dataset: Dataset, name: str) -> Dataset:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / name
        write_dataset(dataset, out)
        return read_dataset(out)


@pytest.fixture(params=["example", "example-workbook", "synthetic", "awkward"])
def original(request: pytest.FixtureRequest, make_dataset: Callable[..., Path]) -> Dataset:
    if request.param == "example":
        return read_dataset(EXAMPLE)
    if request.param == "example-workbook":
        return read_dataset(EXAMPLE_WORKBOOK)
    if request.param == "synthetic":
        return synthetic_dataset(Scale.tiny(), seed=5)
    return read_dataset(make_dataset(**AWKWARD_TABLES))


@pytest.mark.parametrize("name", OUTPUTS)
def test_files_round_trip_in_order(original: Dataset, name: str) -> None:
    assert _read_back(original, name) == original


def test_the_awkward_dataset_is_awkward(make_dataset: Callable[..., Path]) -> None:
    """Guard for the fixture above: it holds what it claims, so its round trip means something."""
    dataset = read_dataset(make_dataset(**AWKWARD_TABLES))
    item = next(c for c in dataset.competencies if c.id == "c-item")
    assert item.parent == "c-area" and item.equivalent_to == ["c-other", "c-area"]
    assert item.description == "Line one\nline two"
    assert dataset.training_events[0].cost == 1500.55
    assert dataset.training_events[0].covers == ["c-other", "c-area"]
    assert dataset.initiatives[0].partners == ["org-partnership", "org-council"]


@pytest.mark.parametrize("name", ["copy", "copy.json", "copy.yaml", "copy.graphml"])
def test_a_second_export_writes_the_same_bytes(tmp_path: Path, name: str) -> None:
    first, second = tmp_path / "first" / name, tmp_path / "second" / name
    first.parent.mkdir()
    second.parent.mkdir()
    write_dataset(read_dataset(EXAMPLE), first)
    write_dataset(read_dataset(first), second)
    if first.is_dir():
        assert sorted(p.name for p in first.iterdir()) == sorted(p.name for p in second.iterdir())
        for table in first.iterdir():
            assert table.read_bytes() == (second / table.name).read_bytes(), table.name
    else:
        assert first.read_bytes() == second.read_bytes()


def test_export_chain_through_every_format_on_the_command_line(tmp_path: Path) -> None:
    """Each format's file is the SOURCE of the next export; every step reads back equal."""
    runner = CliRunner()
    original = read_dataset(EXAMPLE)
    source = str(EXAMPLE)
    steps = [
        ("a.graphml", "graphml"),
        ("b.xlsx", "xlsx"),
        ("c.json", "json"),
        ("d.yaml", "yaml"),
        ("e", "csv"),
        ("f.graphml", "graphml"),
        ("g.yml", "yaml"),
    ]
    for name, kind in steps:
        out = tmp_path / name
        result = runner.invoke(cli, ["export", source, str(out)])
        assert result.exit_code == 0, result.output
        assert result.output == f"wrote {out} ({kind})\n"
        assert read_dataset(out) == original, name
        source = str(out)


@pytest.mark.parametrize("name", OUTPUTS)
def test_export_from_either_backend_reads_back_equal(
    backend_for: Callable[[Dataset], GraphBackend], name: str
) -> None:
    for dataset in (read_dataset(EXAMPLE), synthetic_dataset(Scale.tiny(), seed=8)):
        backend = backend_for(dataset)
        assert _read_back(backend.to_dataset(), name) == dataset.normalised()


@pytest.mark.neo4j
@pytest.mark.parametrize("name", OUTPUTS)
def test_database_to_files_and_back(
    neo4j_backend: GraphBackend, make_dataset: Callable[..., Path], tmp_path: Path, name: str
) -> None:
    """`export URI FILE` then `load FILE URI --replace` moves a database unchanged."""
    runner = CliRunner()
    original = read_dataset(EXAMPLE)
    loaded = runner.invoke(cli, ["load", str(EXAMPLE), NEO4J_URI, "--replace", *CREDENTIALS])
    assert loaded.exit_code == 0, loaded.output
    out = tmp_path / name
    exported = runner.invoke(cli, ["export", NEO4J_URI, str(out), *CREDENTIALS])
    assert exported.exit_code == 0, exported.output
    assert read_dataset(out) == original.normalised()
    # Overwrite the database with something else, then bring the file back.
    other = make_dataset()
    runner.invoke(cli, ["load", str(other), NEO4J_URI, "--replace", *CREDENTIALS])
    assert neo4j_backend.to_dataset() == read_dataset(other).normalised()
    reloaded = runner.invoke(cli, ["load", str(out), NEO4J_URI, "--replace", *CREDENTIALS])
    assert reloaded.exit_code == 0, reloaded.output
    assert neo4j_backend.to_dataset() == original.normalised()


# -- GraphML: what other tools see ------------------------------------------


def test_graphml_is_the_graph_with_typed_properties(tmp_path: Path) -> None:
    dataset = read_dataset(EXAMPLE)
    out = tmp_path / "example.graphml"
    write_dataset(dataset, out)
    graph = nx.read_graphml(out, force_multigraph=True)
    from graphmodel.backends import MemoryBackend

    counts = MemoryBackend(dataset).counts()
    assert Counter(t for _, t in graph.nodes(data="type")) == +Counter(counts.nodes)
    assert Counter(t for *_, t in graph.edges(data="type")) == +Counter(counts.relationships)
    event = dataset.training_events[0]
    node = graph.nodes[event.id]
    assert node["type"] == "TrainingEvent" and node["title"] == event.title
    assert node["start_date"] == event.start_date.isoformat()  # type: ignore[union-attr]
    assert "targets" not in node and "id" not in node  # lists are edges; the id is the node id
    covers = [v for _, v, t in graph.out_edges(event.id, data="type") if t == "COVERS"]
    assert covers == event.covers
    requirement = dataset.requirements[0]
    [priority] = [
        p
        for _, v, t, p in _typed_edges(graph, requirement.profession)
        if t == "REQUIRES" and v == requirement.competency
    ]
    assert priority == {"priority": requirement.priority.value}
    entry = dataset.workforce[0]
    [headcount] = [
        p
        for _, v, t, p in _typed_edges(graph, entry.organisation)
        if t == "EMPLOYS" and v == entry.profession
    ]
    assert headcount == {"headcount": entry.headcount}
    assert isinstance(headcount["headcount"], int)


def _typed_edges(
    graph: nx.MultiDiGraph, node: str
) -> list[tuple[str, str, str, dict[str, object]]]:
    return [
        (u, v, data["type"], {k: x for k, x in data.items() if k != "type"})
        for u, v, data in graph.out_edges(node, data=True)
    ]


def test_a_graphml_file_from_networkx_reads_as_a_dataset(tmp_path: Path) -> None:
    """A graph built with networkx alone (no edge ids, another order) is a dataset."""
    graph = nx.MultiDiGraph()
    graph.add_node("fw", type="Framework", name="Core")
    graph.add_node("c2", type="Competency", name="Item")
    graph.add_node("c1", type="Competency", name="Area")
    graph.add_node("p", type="Profession", name="Nurse")
    graph.add_node("dr", type="Driver", name="Act", issued="2024-05-01")
    graph.add_edge("c1", "fw", type="IN_FRAMEWORK")
    graph.add_edge("c2", "fw", type="IN_FRAMEWORK")
    graph.add_edge("c2", "c1", type="PART_OF")
    graph.add_edge("p", "c2", type="REQUIRES", priority="desirable")
    path = tmp_path / "hand.graphml"
    nx.write_graphml(graph, path)
    dataset = read_dataset(path)
    assert [c.id for c in dataset.competencies] == ["c2", "c1"]
    assert dataset.competencies[0].parent == "c1"
    assert dataset.requirements[0].priority.value == "desirable"
    assert dataset.drivers[0].issued == dt.date(2024, 5, 1)


def _graphml(nodes: str, edges: str = "", keys: str = "") -> str:
    return f"""<?xml version='1.0' encoding='utf-8'?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="t" for="node" attr.name="type" attr.type="string"/>
  <key id="n" for="node" attr.name="name" attr.type="string"/>
  <key id="et" for="edge" attr.name="type" attr.type="string"/>
  {keys}
  <graph edgedefault="directed">{nodes}{edges}</graph>
</graphml>
"""


FRAMEWORK = '<node id="fw"><data key="t">Framework</data><data key="n">Core</data></node>'
COMPETENCY = '<node id="c1"><data key="t">Competency</data><data key="n">Talk</data></node>'


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("<graphml", ["{path}:1: invalid XML: unclosed token: line 1, column 0"]),
        (
            _graphml('<node id="x"><data key="t">Competence</data></node>'),
            ["{path}:node x:type: unknown node type 'Competence'; did you mean 'Competency'?"],
        ),
        (_graphml('<node id="x"/>'), ["{path}:node x:type: node has no type (its label)"]),
        (
            _graphml(FRAMEWORK + COMPETENCY, '<edge id="e0" source="fw" target="c1"/>'),
            ["{path}:edge e0 (fw -> c1):type: edge has no type (its relationship type)"],
        ),
        (
            _graphml(
                FRAMEWORK + COMPETENCY,
                '<edge id="e0" source="c1" target="fw"><data key="et">IN_FRAMEWOK</data></edge>',
            ),
            [
                "{path}:edge e0 (c1 -> fw):type: unknown relationship type 'IN_FRAMEWOK'; "
                "did you mean 'IN_FRAMEWORK'?"
            ],
        ),
        (
            _graphml(
                FRAMEWORK + COMPETENCY,
                '<edge id="e0" source="fw" target="c1"><data key="et">IN_FRAMEWORK</data></edge>',
            ),
            [
                "{path}:edge e0 (fw -> c1):type: a IN_FRAMEWORK relationship cannot go from a "
                "Framework to a Competency (allowed: Competency -> Framework)"
            ],
        ),
        (
            _graphml(
                FRAMEWORK + COMPETENCY,
                '<edge id="e0" source="c1" target="fw"><data key="et">IN_FRAMEWORK</data>'
                '<data key="w">2</data></edge>',
                '<key id="w" for="edge" attr.name="weight" attr.type="int"/>',
            ),
            [
                "{path}:edge e0 (c1 -> fw):weight: unknown IN_FRAMEWORK property; "
                "IN_FRAMEWORK has none"
            ],
        ),
        (
            # The dataset rules, on the rows the graph gives: a competency
            # without a framework.
            _graphml(FRAMEWORK + COMPETENCY),
            ["{path} Competency:c1:framework: required value is empty"],
        ),
        (
            _graphml(FRAMEWORK).replace('edgedefault="directed"', 'edgedefault="undirected"'),
            ["{path}: the graph is undirected; relationships need a direction"],
        ),
    ],
)
def test_bad_graphml_gives_located_problems(tmp_path: Path, text: str, lines: list[str]) -> None:
    path = tmp_path / "bad.graphml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        read_dataset(path)
    assert str(caught.value).splitlines() == [line.format(path=path) for line in lines]


def test_bad_graphml_on_the_command_line_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.graphml"
    path.write_text(_graphml('<node id="x"><data key="t">Competence</data></node>'), "utf-8")
    result = CliRunner().invoke(cli, ["stats", str(path)])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.output


@pytest.mark.parametrize("name", [name for name in OUTPUTS if "." in name])
def test_export_to_a_missing_folder_is_one_line(tmp_path: Path, name: str) -> None:
    """A file in a folder that does not exist (a CSV export creates its own folders)."""
    out = tmp_path / "missing" / name
    result = CliRunner().invoke(cli, ["export", str(EXAMPLE), str(out)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: cannot write {tmp_path / 'missing'}")
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.output


def test_graphml_refuses_text_xml_cannot_hold(make_dataset: Callable[..., Path]) -> None:
    folder = make_dataset(
        drivers="id,name,kind,issued,description\ndr-review,Local review,inquiry,,bell\x07here\n"
    )
    dataset = read_dataset(folder)
    with pytest.raises(GraphModelError, match="U\\+0007, which GraphML"):
        write_dataset(dataset, folder.parent / "out.graphml")


@functools.cache
def _small_graphml() -> str:
    """A valid GraphML dataset of every table, a few rows each (written once)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.graphml"
        write_dataset(synthetic_dataset(Scale.tiny(), seed=1), path)
        return path.read_text(encoding="utf-8")


@settings(max_examples=examples(150), deadline=None, suppress_health_check=list(HealthCheck))
@given(
    position=st.integers(min_value=0),
    removed=st.integers(min_value=0, max_value=12),
    inserted=st.sampled_from(["", "<", '"', "x", "\x00", "</node>", "e9", "long", "1", "&"]),
)
def test_damaged_graphml_gives_a_dataset_error(position: int, removed: int, inserted: str) -> None:
    text = _small_graphml()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.graphml"
        at = position % (len(text) + 1)
        path.write_text(text[:at] + inserted + text[at + removed :], encoding="utf-8")
        try:
            read_dataset(path)
        except DatasetError as error:
            assert error.problems
            assert all("\n" not in str(problem) for problem in error.problems)
