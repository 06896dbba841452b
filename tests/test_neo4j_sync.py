"""`graphmodel load` as a sync, against the real local servers.

It writes only the difference between the dataset and the database (nothing when
they agree; checked through the server's bookmarks, which name the last committed
transaction), reports it per label and type exactly as an independent diff of the two
datasets says, puts a database edited by hand right, commits in parts with
--commit-every (and a rerun completes an interrupted one), tells a server whose
transaction memory is too small (the TLS test server's is 12 MiB) in one line, and two
loads at once end as one dataset or the other, never a mix.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, NEO4J_PASSWORD, NEO4J_URI, NEO4J_USER, ROOT, neo4j_settings
from neo4j_servers import TlsServer

from graphmodel import queries
from graphmodel.backends import Neo4jSettings
from graphmodel.backends.neo4j import Neo4jBackend
from graphmodel.backends.neo4j_sync import (
    BOOKKEEPING_KEY,
    COLUMNS,
    DATE_COLUMNS,
    OWNED,
    SPEC_OF,
    Snapshot,
    _expected_text,
    _pair_rows,
    chunks,
    compare,
)
from graphmodel.cli.main import cli
from graphmodel.dataset import read_dataset
from graphmodel.errors import BackendError
from graphmodel.frameworks.esco import read_esco
from graphmodel.graph import dataset_nodes, dataset_relationships, spec_relationships
from graphmodel.io.tabular import write_dataset
from graphmodel.model import LABEL_TABLES, RELATIONSHIPS, Dataset, node_properties
from graphmodel.synthetic import Scale, synthetic_dataset

PREVIOUS = ROOT / "examples" / "children-trust-2025"
CREDENTIALS = ["--user", NEO4J_USER, "--password", NEO4J_PASSWORD]
Changes = dict[str, dict[str, dict[str, int]]]


def expected_changes(before: Dataset, after: Dataset) -> Changes:
    """What a --replace load of ``after`` over ``before`` changes, from the datasets alone."""
    found: Changes = {"nodes": defaultdict(dict), "relationships": defaultdict(dict)}
    old_nodes = {(n.label, n.id): n.properties for n in dataset_nodes(before)}
    new_nodes = {(n.label, n.id): n.properties for n in dataset_nodes(after)}
    old_rels = {(r.source, r.type, r.target): r.properties for r in dataset_relationships(before)}
    new_rels = {(r.source, r.type, r.target): r.properties for r in dataset_relationships(after)}
    for kind, old, new, name in (
        ("nodes", old_nodes, new_nodes, lambda key: key[0]),
        ("relationships", old_rels, new_rels, lambda key: key[1]),
    ):
        counted: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for key in new.keys() - old.keys():
            counted[name(key)]["added"] += 1
        for key in old.keys() - new.keys():
            counted[name(key)]["removed"] += 1
        for key in new.keys() & old.keys():
            if new[key] != old[key]:
                counted[name(key)]["changed"] += 1
        found[kind] = {label: dict(counts) for label, counts in counted.items()}
    return found


def reported(plan_changes: dict[str, Any]) -> dict[str, dict[str, int]]:
    """A report's counts without the zeros, to compare with :func:`expected_changes`."""
    return {
        name: {how: n for how, n in change.items() if n}
        for name, change in plan_changes.items()
        if any(change.values())
    }


def changes_of(report: Any) -> Changes:
    plan = report.plan
    return {
        "nodes": reported({k: v.as_dict() for k, v in plan.nodes.items()}),
        "relationships": reported({k: v.as_dict() for k, v in plan.relationships.items()}),
    }


def last_commit(backend: Neo4jBackend) -> frozenset[str]:
    """The bookmark of a read transaction: it names the database's last committed transaction."""
    with backend.driver.session(database=backend.settings.database) as session:
        session.execute_read(lambda tx: tx.run("RETURN 1").consume())
        return frozenset(session.last_bookmarks().raw_values)


def admin(backend: Neo4jBackend, statement: str) -> list[dict[str, Any]]:
    """A test-only statement (not part of graphmodel's Cypher)."""
    records, _, _ = backend.driver.execute_query(statement, database_=backend.settings.database)  # type: ignore[call-overload]
    return [record.data() for record in records]


def edited(dataset: Dataset, seed: int) -> Dataset:
    """A tenth of the rows changed, removed or added, every kind of change the model has."""
    import random

    rng = random.Random(seed)
    events = []
    for event in dataset.training_events:
        roll = rng.random()
        if roll < 0.1:
            continue
        if roll < 0.2:
            event = event.model_copy(
                update={"title": event.title + " (revised)", "covers": event.covers[1:]}
            )
        elif roll < 0.25:
            event = event.model_copy(update={"places": None, "lead_organisation": None})
        events.append(event)
    requirements = [
        r.model_copy(update={"priority": "desirable" if r.priority == "essential" else "essential"})
        if rng.random() < 0.1
        else r
        for r in dataset.requirements
        if rng.random() > 0.05
    ]
    drivers = [*dataset.drivers[1:], dataset.drivers[0].model_copy(update={"id": "dr-new"})]
    initiatives = [
        i.model_copy(update={"responds_to": ["dr-new"] if rng.random() < 0.5 else []})
        if dataset.drivers[0].id in i.responds_to
        else i
        for i in dataset.initiatives
    ]
    return dataset.model_copy(
        update={
            "training_events": events,
            "requirements": requirements,
            "drivers": drivers,
            "initiatives": initiatives,
        }
    )


# -- without a server ---------------------------------------------------------------------


def test_every_relationship_has_at_most_one_owner() -> None:
    assert len(SPEC_OF) == len(RELATIONSHIPS)
    directions = {(spec.type, spec.owner_is_source) for spec in RELATIONSHIPS}
    assert not {(kind, not outgoing) for kind, outgoing in directions} & directions


@pytest.mark.parametrize("label", sorted(LABEL_TABLES))
def test_snapshot_statement_lists_what_the_rows_own_in_the_models_order(label: str) -> None:
    text = queries.query(f"load_snapshot_{label.lower()}")
    assert f"MATCH (n:{label})" in text
    groups = re.findall(r"\[\(n\)(<?-)\[r:(\w+)\](->|-)\(other:(\w+)\) \| ([^\]]+\]?)\]", text)
    assert [(kind, arrow == "->", other) for _, kind, arrow, other, _ in groups] == [
        (spec.type, spec.owner_is_source, spec.other_label) for spec in OWNED[label]
    ]
    with_properties = ["properties(r)" in value for *_, value in groups]
    assert with_properties == [bool(spec.properties) for spec in OWNED[label]]
    assert set(re.findall(r"(\w+): CASE WHEN n\.\w+ IS :: DATE", text)) == set(DATE_COLUMNS[label])


@pytest.mark.parametrize(
    "dataset",
    [lambda: read_dataset(EXAMPLE), lambda: synthetic_dataset(Scale.tiny(), seed=5)],
    ids=["example", "synthetic"],
)
def test_the_fast_row_readers_agree_with_the_models(dataset: Callable[[], Dataset]) -> None:
    data = dataset()
    for label, table in LABEL_TABLES.items():
        for row in data.table(table):
            expected = _expected_text(label, node_properties(table, row))
            assert COLUMNS[label].page_properties(row) == expected
    pairs = _pair_rows(data)
    for spec in RELATIONSHIPS:
        if spec.owner_column != "id":
            found = {
                (owner, other, tuple(sorted(properties.items())))
                for owner, others in pairs[spec].items()
                for other, properties in others.items()
            }
            assert found == {
                (r.source, r.target, tuple(sorted(r.properties.items())))
                for r in spec_relationships(data, spec)
            }


def test_against_an_empty_database_everything_is_added() -> None:
    dataset = synthetic_dataset(Scale.tiny(), seed=4)
    comparison = compare(dataset, Snapshot.empty(), replace=True)
    assert changes_of(comparison) == expected_changes(Dataset(), dataset)
    assert comparison.suspects == {label: {} for label in LABEL_TABLES}


def test_commit_every_cuts_the_writes_in_order_into_parts_of_at_most_n_rows() -> None:
    plan = compare(synthetic_dataset(Scale.tiny(), seed=4), Snapshot.empty(), replace=True).plan
    whole = [item for _, _, items in plan.steps() for item in items]
    for size in (1, 7, 50, 10_000):
        parts = list(chunks(plan, size))
        assert all(sum(len(items) for _, _, items in part) <= size for part in parts)
        assert [item for part in parts for _, _, items in part for item in items] == whole
        assert len(parts) == -(-len(whole) // size)
    assert len(list(chunks(plan, None))) == 1


# -- against the local server (each test marked neo4j) ----------------------------------------


@pytest.mark.neo4j
@pytest.mark.parametrize(
    "make",
    [
        lambda: read_dataset(EXAMPLE),
        lambda: read_esco(ROOT / "tests" / "data" / "esco-sample").dataset,
    ],
    ids=["example", "esco-with-alternative-labels"],
)
def test_an_unchanged_dataset_writes_nothing(
    neo4j_backend: Neo4jBackend, make: Callable[[], Dataset]
) -> None:
    dataset = make()
    neo4j_backend.load(dataset, replace=True)
    committed = last_commit(neo4j_backend)
    for replace in (False, True):
        for dry_run in (False, True):
            report = neo4j_backend.load(dataset, replace=replace, dry_run=dry_run)
            assert report.unchanged and not report.written and report.transactions == 0
    assert last_commit(neo4j_backend) == committed


@pytest.mark.neo4j
@pytest.mark.parametrize(
    "before, after",
    [
        (lambda: read_dataset(PREVIOUS), lambda: read_dataset(EXAMPLE)),
        (lambda: read_dataset(EXAMPLE), lambda: read_dataset(PREVIOUS)),
        (
            lambda: synthetic_dataset(Scale.tiny(), seed=8),
            lambda: edited(synthetic_dataset(Scale.tiny(), seed=8), seed=9),
        ),
    ],
    ids=["2025-to-2026", "2026-to-2025", "synthetic-edited"],
)
def test_a_load_writes_exactly_the_difference_and_a_dry_run_plans_it(
    neo4j_backend: Neo4jBackend,
    before: Callable[[], Dataset],
    after: Callable[[], Dataset],
) -> None:
    old, new = before(), after()
    neo4j_backend.load(old, replace=True)
    committed = last_commit(neo4j_backend)
    planned = neo4j_backend.load(new, replace=True, dry_run=True)
    assert last_commit(neo4j_backend) == committed and not planned.written
    report = neo4j_backend.load(new, replace=True)
    assert report.written and report.transactions == 1
    assert changes_of(report) == changes_of(planned) == expected_changes(old, new)
    assert neo4j_backend.to_dataset() == new.normalised()


@pytest.mark.neo4j
def test_a_database_edited_by_hand_is_put_right(
    neo4j_backend: Neo4jBackend, make_dataset: Callable[..., Path]
) -> None:
    dataset = read_dataset(make_dataset())
    neo4j_backend.load(dataset, replace=True)
    for statement in (
        # a date stored as text, a property no column gives
        "MATCH (e:TrainingEvent {id: 'te-one'}) SET e.start_date = '2025-01-10'",
        "MATCH (c:Competency {id: 'c-item'}) SET c.note = 'added by hand'",
        # a second COVERS to the same competency, and one to a driver
        "MATCH (e:TrainingEvent {id: 'te-one'}), (c:Competency {id: 'c-area'}) "
        "CREATE (e)-[:COVERS]->(c)",
        "MATCH (e:TrainingEvent {id: 'te-one'}), (d:Driver {id: 'dr-review'}) "
        "CREATE (e)-[:COVERS]->(d)",
        # a requirement's priority changed, a parent link lost
        "MATCH (:Profession {id: 'p-teacher'})-[r:REQUIRES]->() SET r.priority = 'essential'",
        "MATCH (:Competency {id: 'c-item'})-[r:PART_OF]->() DELETE r",
    ):
        admin(neo4j_backend, statement)
    report = neo4j_backend.load(dataset)
    assert changes_of(report) == {
        "nodes": {"TrainingEvent": {"changed": 1}, "Competency": {"changed": 1}},
        "relationships": {
            "COVERS": {"removed": 2},
            "REQUIRES": {"changed": 1},
            "PART_OF": {"added": 1},
        },
    }
    assert neo4j_backend.to_dataset() == dataset.normalised()
    assert neo4j_backend.load(dataset).unchanged


@pytest.mark.neo4j
def test_a_node_with_two_of_the_models_labels(
    neo4j_backend: Neo4jBackend, make_dataset: Callable[..., Path]
) -> None:
    dataset = read_dataset(make_dataset())
    neo4j_backend.load(dataset, replace=True)
    admin(neo4j_backend, "MATCH (c:Competency {id: 'c-item'}) SET c:Driver")
    committed = last_commit(neo4j_backend)
    with pytest.raises(BackendError) as caught:
        neo4j_backend.load(dataset)
    assert str(caught.value) == (
        "node 'c-item' has the labels Competency, Driver: it is not one Competency of the "
        "dataset, and the dataset needs that id; load with --replace to replace it, or "
        "remove its other labels"
    )
    assert last_commit(neo4j_backend) == committed
    report = neo4j_backend.load(dataset, replace=True)
    assert report.plan.nodes["Competency+Driver"].removed == 1
    assert report.plan.nodes["Competency"].added == 1
    assert neo4j_backend.to_dataset() == dataset.normalised()
    assert admin(neo4j_backend, "MATCH (n:Driver {id: 'c-item'}) RETURN count(n) AS n") == [
        {"n": 0}
    ]
    assert neo4j_backend.load(dataset, replace=True).unchanged


@pytest.mark.neo4j
def test_the_command_prints_the_changes_as_a_table_or_json(
    neo4j_backend: Neo4jBackend,
) -> None:
    neo4j_backend.load(read_dataset(PREVIOUS), replace=True)
    runner = CliRunner()
    command = ["load", str(EXAMPLE), NEO4J_URI, "--replace", *CREDENTIALS]
    dry = runner.invoke(cli, [*command, "--dry-run", "--format", "json"])
    assert dry.exit_code == 0, dry.output
    planned = json.loads(dry.output)
    assert planned["dry_run"] is True and planned["written"] is False
    expected = expected_changes(read_dataset(PREVIOUS), read_dataset(EXAMPLE))
    assert {"nodes": reported(planned["nodes"])} == {"nodes": expected["nodes"]}
    assert reported(planned["relationships"]) == expected["relationships"]
    assert set(planned["nodes"]) == set(LABEL_TABLES)  # every label, zeros included
    table = runner.invoke(cli, command)
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    event = expected["nodes"]["TrainingEvent"]
    assert any(
        re.search(
            rf"nodes\s+\S\s+TrainingEvent\s+\S\s+{event.get('added', 0)}\s+\S\s+"
            rf"{event.get('changed', 0)}\s+\S\s+{event.get('removed', 0)}",
            line,
        )
        for line in lines
    ), table.output
    totals = planned["totals"]
    assert lines[-1].startswith(
        f"loaded {EXAMPLE} into {NEO4J_URI} (database neo4j): nodes "
        f"{totals['nodes']['added']} added, {totals['nodes']['changed']} changed, "
        f"{totals['nodes']['removed']} removed; relationships "
    )
    again = runner.invoke(cli, command)
    assert again.output.startswith(
        f"{NEO4J_URI} (database neo4j) already holds {EXAMPLE}: nothing written ("
    )


# -- committing in parts --------------------------------------------------------------------


@pytest.mark.neo4j
def test_commit_every_commits_in_parts(neo4j_backend: Neo4jBackend) -> None:
    neo4j_backend.load(read_dataset(PREVIOUS), replace=True)
    dataset = read_dataset(EXAMPLE)
    report = neo4j_backend.load(dataset, replace=True, commit_every=40)
    assert report.transactions == len(list(chunks(report.plan, 40))) > 1
    assert neo4j_backend.to_dataset() == dataset.normalised()


class Interrupted(Exception):
    """Stands for the client stopping part-way (Ctrl-C, a lost connection)."""


@pytest.mark.neo4j
def test_an_interrupted_commit_every_load_is_completed_by_running_it_again(
    neo4j_backend: Neo4jBackend,
) -> None:
    old, new = read_dataset(PREVIOUS), read_dataset(EXAMPLE)
    neo4j_backend.load(old, replace=True)
    written = 0

    def stop_in_the_third_part(statement: str, items: int) -> None:
        nonlocal written
        written += items
        if written > 2 * 40:
            raise Interrupted

    with pytest.raises(Interrupted):
        neo4j_backend.load(
            new, replace=True, commit_every=40, batch_size=10, progress=stop_in_the_third_part
        )
    halfway = neo4j_backend.to_dataset()
    assert halfway not in (old.normalised(), new.normalised())  # two parts committed
    rest = neo4j_backend.load(new, replace=True, commit_every=40)
    assert neo4j_backend.to_dataset() == new.normalised()
    total = sum(
        sum(c.values()) for kind in expected_changes(old, new).values() for c in kind.values()
    )
    done = sum(sum(c.values()) for kind in changes_of(rest).values() for c in kind.values())
    assert 0 < done < total


def _tls_backend(server: TlsServer) -> Neo4jBackend:
    return Neo4jBackend.connect(
        Neo4jSettings(
            f"bolt+s://{server.address}",
            NEO4J_USER,
            NEO4J_PASSWORD,
            ca_cert=str(server.certificates.ca),
        )
    )


@pytest.mark.neo4j
def test_a_load_too_big_for_the_servers_transaction_memory_says_so_in_one_line(
    tls_neo4j: TlsServer, tmp_path: Path
) -> None:
    big = synthetic_dataset(Scale.national().scaled(0.008), seed=11)  # 9,400 rows
    folder = tmp_path / "big"
    write_dataset(big, folder)
    uri = f"bolt+s://{tls_neo4j.address}"
    with _tls_backend(tls_neo4j) as backend:
        backend.load(read_dataset(EXAMPLE), replace=True)
        before = backend.to_dataset()
        result = CliRunner().invoke(
            cli,
            [
                "load",
                str(folder),
                uri,
                "--replace",
                "--ca-cert",
                str(tls_neo4j.certificates.ca),
                *CREDENTIALS,
            ],
        )
        assert result.exit_code == 1
        assert re.fullmatch(
            rf"error: {re.escape(uri)} \(database 'neo4j'\): loading failed: the server's "
            r"transaction memory is too small \(db\.memory\.transaction\.total\.max: 10\.0 "
            r"MiB\) to load this dataset in one transaction; nothing was written\. Load it with "
            r"--commit-every N \(for example --commit-every 10000\) to commit every N rows\n",
            result.stderr,
        ), result.stderr
        assert backend.to_dataset() == before
        report = backend.load(big, replace=True, commit_every=1_000)
        assert report.transactions > 1
        assert backend.to_dataset() == big.normalised()
        # Leave the example for the other tests, in parts too: removing the big dataset
        # in one transaction would not fit either.
        backend.load(read_dataset(EXAMPLE), replace=True, commit_every=1_000)


# -- two loads at once ------------------------------------------------------------------------


def _in_thread(run: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    """Run on a thread; its result or exception lands in the list."""
    outcome: list[Any] = []

    def target() -> None:
        try:
            outcome.append(run())
        except BaseException as error:  # handed to the test's thread
            outcome.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    return thread, outcome


@pytest.mark.neo4j
def test_a_load_waits_while_another_holds_the_lock(neo4j_backend: Neo4jBackend) -> None:
    neo4j_backend.load(read_dataset(EXAMPLE), replace=True)
    with neo4j_backend.driver.session(database=neo4j_backend.settings.database) as session:
        other = session.begin_transaction()
        other.run(queries.query("load_lock"), key=BOOKKEEPING_KEY).consume()
        with Neo4jBackend.connect(neo4j_settings()) as backend:
            loader, outcome = _in_thread(lambda: backend.load(read_dataset(PREVIOUS), replace=True))
            time.sleep(2)
            assert loader.is_alive() and not outcome  # waiting for the lock
            assert neo4j_backend.to_dataset() == read_dataset(EXAMPLE).normalised()
            other.commit()
            loader.join(timeout=60)
    [report] = outcome
    assert report.written
    assert neo4j_backend.to_dataset() == read_dataset(PREVIOUS).normalised()


@pytest.mark.neo4j
def test_two_loads_at_once_end_as_one_dataset_never_a_mix(neo4j_backend: Neo4jBackend) -> None:
    start = synthetic_dataset(Scale.tiny(), seed=30)
    first, second = edited(start, seed=31), edited(start, seed=32)
    neo4j_backend.load(start, replace=True)
    both_read = threading.Barrier(2)

    def load(dataset: Dataset) -> Any:
        with Neo4jBackend.connect(neo4j_settings()) as backend:
            snapshot = backend.read_snapshot(replace=True)
            both_read.wait(timeout=60)  # both compared with the same database
            return backend.load(dataset, replace=True, snapshot=snapshot)

    threads = [_in_thread(lambda d=dataset: load(d)) for dataset in (first, second)]  # type: ignore[misc]
    for thread, _ in threads:
        thread.join(timeout=120)
    reports = [outcome[0] for _, outcome in threads]
    assert all(report.written for report in reports), reports
    final = neo4j_backend.to_dataset()
    assert final in (first.normalised(), second.normalised())
    last, earlier = (1, 0) if final == second.normalised() else (0, 1)
    datasets = (first, second)
    # The first to take the lock wrote its difference from the start; the other waited,
    # read the database again and wrote its difference from the first's dataset.
    assert changes_of(reports[earlier]) == expected_changes(start, datasets[earlier])
    assert changes_of(reports[last]) == expected_changes(datasets[earlier], datasets[last])


@pytest.mark.neo4j
def test_a_commit_every_load_stops_cleanly_when_another_load_writes_between_its_parts(
    neo4j_backend: Neo4jBackend,
) -> None:
    neo4j_backend.load(read_dataset(PREVIOUS), replace=True)
    other = synthetic_dataset(Scale.tiny(), seed=40)
    writing = threading.Event()

    def wait_for_the_other_load(statement: str, items: int) -> None:
        # Inside the first part (which holds the lock): let the other load start and
        # queue for the lock, so that it writes as soon as this part commits.
        if writing.is_set():
            return
        writing.set()
        deadline = time.monotonic() + 60
        while not any(
            str(row["status"]).startswith("Blocked")
            for row in admin(neo4j_backend, "SHOW TRANSACTIONS YIELD status")
        ):
            assert time.monotonic() < deadline, "the other load never queued for the lock"
            time.sleep(0.05)

    with (
        Neo4jBackend.connect(neo4j_settings()) as parts,
        Neo4jBackend.connect(neo4j_settings()) as whole,
    ):
        chunked, chunked_outcome = _in_thread(
            lambda: parts.load(
                read_dataset(EXAMPLE),
                replace=True,
                commit_every=40,
                progress=wait_for_the_other_load,
            )
        )
        assert writing.wait(timeout=60)
        single, single_outcome = _in_thread(lambda: whole.load(other, replace=True))
        single.join(timeout=120)
        chunked.join(timeout=120)
    [error] = chunked_outcome
    assert isinstance(error, BackendError)
    assert str(error) == (
        f"{NEO4J_URI} (database 'neo4j'): another load wrote to the database while this "
        "--commit-every load ran, after 1 of its transactions; run it again to complete it"
    )
    [report] = single_outcome
    assert report.written
    assert neo4j_backend.to_dataset() == other.normalised()


# -- levels -----------------------------------------------------------------------------


@pytest.mark.neo4j
def test_levels_are_properties_the_sync_compares(
    neo4j_backend: Neo4jBackend, levelled_dataset: Path
) -> None:
    dataset = read_dataset(levelled_dataset)
    neo4j_backend.load(dataset, replace=True)
    stored = admin(
        neo4j_backend,
        "MATCH (f:Framework {id: 'fw-data'}) "
        "MATCH (:TrainingEvent {id: 'te-aware'})-[c:COVERS]->(:Competency {id: 'd-quality'}) "
        "MATCH (:Profession {id: 'p-analyst'})-[r:REQUIRES]->(:Competency {id: 'd-quality'}) "
        "MATCH (e:TrainingEvent {id: 'te-working'}) "
        "RETURN f.levels AS levels, c.level AS covers, r.level AS requires, e.level AS event",
    )
    # The framework's spelling, whatever the case in the files.
    assert stored == [
        {
            "levels": ["Awareness", "Working", "Practitioner", "Expert"],
            "covers": "Awareness",
            "requires": "Expert",
            "event": "Working",
        }
    ]
    committed = last_commit(neo4j_backend)
    assert neo4j_backend.load(dataset).unchanged
    assert last_commit(neo4j_backend) == committed
    # One cover's level and one requirement's level changed: exactly those two written.
    events = [
        e.model_copy(update={"covers": ["d-quality@Working", "p-share"]})
        if e.id == "te-aware"
        else e
        for e in dataset.training_events
    ]
    requirements = [
        r.model_copy(update={"level": "Practitioner"})
        if (r.profession, r.competency) == ("p-analyst", "d-quality")
        else r
        for r in dataset.requirements
    ]
    changed = dataset.model_copy(update={"training_events": events, "requirements": requirements})
    planned = neo4j_backend.load(changed, dry_run=True)
    report = neo4j_backend.load(changed)
    assert changes_of(report) == changes_of(planned) == expected_changes(dataset, changed)
    assert changes_of(report) == {
        "nodes": {},
        "relationships": {"COVERS": {"changed": 1}, "REQUIRES": {"changed": 1}},
    }
    assert neo4j_backend.to_dataset() == changed.normalised()
    # A level put right after an edit by hand, and a framework's scale changed by hand.
    admin(
        neo4j_backend,
        "MATCH (:TrainingEvent {id: 'te-expert'})-[c:COVERS]->() SET c.level = 'Working'",
    )
    admin(neo4j_backend, "MATCH (f:Framework {id: 'fw-seven'}) SET f.levels = ['1', '2']")
    fixed = neo4j_backend.load(changed)
    assert changes_of(fixed) == {
        "nodes": {"Framework": {"changed": 1}},
        "relationships": {"COVERS": {"changed": 1}},
    }
    assert neo4j_backend.to_dataset() == changed.normalised()
    assert neo4j_backend.load(changed).unchanged
