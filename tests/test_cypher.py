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
    assert constrained == set(LABEL_TABLES) and len(constraints) == len(LABEL_TABLES)


def test_search_index_covers_every_label_name_and_title() -> None:
    (index,) = [s for s in queries.statements("schema") if "FULLTEXT INDEX" in s]
    labels = re.search(r"FOR \(n:([\w|]+)\)", index).group(1)  # type: ignore[union-attr]
    assert set(labels.split("|")) == set(LABEL_TABLES)
    assert "ON EACH [n.name, n.title]" in index


@pytest.mark.parametrize("label", sorted(LABEL_TABLES))
def test_upsert_drops_exactly_the_relationships_its_rows_own(label: str) -> None:
    text = queries.query(f"upsert_{label.lower()}")
    assert f"MERGE (n:{label} {{id: row.id}})" in text
    outgoing = set(re.findall(r"\(n\)-\[r:([A-Z_|]+)\]->\(\)", text))
    incoming = set(re.findall(r"\(n\)<-\[r:([A-Z_|]+)\]-\(\)", text))
    split = lambda found: {t for group in found for t in group.split("|")}  # noqa: E731
    owned_out = {s.type for s in RELATIONSHIPS if s.owner_label == label and s.owner_is_source}
    owned_in = {s.type for s in RELATIONSHIPS if s.owner_label == label and not s.owner_is_source}
    assert split(outgoing) == owned_out
    assert split(incoming) == owned_in


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
