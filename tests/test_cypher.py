"""The Cypher files agree with the model, and take values only as parameters."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from graphmodel import queries
from graphmodel.errors import GraphModelError
from graphmodel.model import LABEL_TABLES, RELATIONSHIPS


def test_every_file_is_loadable_by_name() -> None:
    on_disk = sorted(path.stem for path in (ROOT / "cypher").glob("*.cypher"))
    assert list(queries.names()) == on_disk
    for name in on_disk:
        assert queries.query(name)


def test_unknown_statement_name() -> None:
    with pytest.raises(GraphModelError, match="no Cypher statement named 'nope'"):
        queries.query("nope")


def test_schema_has_one_uniqueness_constraint_per_label() -> None:
    constraints = [s for s in queries.statements("schema") if s.startswith("CREATE CONSTRAINT")]
    constrained = {
        re.search(r"FOR \(n:(\w+)\) REQUIRE n\.id IS UNIQUE", statement).group(1)  # type: ignore[union-attr]
        for statement in constraints
    }
    # The model's labels, and graphmodel's bookkeeping node (the loads' lock).
    assert constrained == {*LABEL_TABLES, "GraphmodelLoad"}
    assert len(constraints) == len(LABEL_TABLES) + 1


def test_search_index_covers_every_label_name_title_and_id() -> None:
    (index,) = [s for s in queries.statements("schema") if "FULLTEXT INDEX" in s]
    labels = re.search(r"FOR \(n:([\w|]+)\)", index).group(1)  # type: ignore[union-attr]
    assert set(labels.split("|")) == set(LABEL_TABLES)
    assert "ON EACH [n.name, n.title, n.id]" in index


@pytest.mark.parametrize("spec", RELATIONSHIPS, ids=lambda spec: spec.statement)
def test_relate_statement_matches_its_spec(spec: object) -> None:
    from graphmodel.model import RelationshipSpec

    assert isinstance(spec, RelationshipSpec)
    text = queries.query(spec.statement)
    assert f"MATCH (source:{spec.source_label} {{id: row.source}})" in text
    assert f"MATCH (target:{spec.target_label} {{id: row.target}})" in text
    assert f"CREATE (source)-[r:{spec.type}]->(target)" in text


def test_no_statement_has_literal_values() -> None:
    # Values travel as parameters: no statement holds a quoted string, but for
    # the search index's analyzer, a setting of the schema (not a value).
    for name in queries.names():
        body = "\n".join(
            line for line in queries.query(name).splitlines() if not line.startswith("//")
        )
        body = (
            body.replace("`fulltext.analyzer`: 'standard-no-stop-words'", "")
            if name == "schema"
            else body
        )
        assert not re.search(r"'[^']*'|\"[^\"]*\"", body), name
