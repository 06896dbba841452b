"""The Neo4j backend against the real local server (make neo4j-up).

Every test here needs the server: without it they skip locally and fail in
CI (CI=true), through the ``neo4j_backend`` fixture.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, NEO4J_PASSWORD, NEO4J_URI, NEO4J_USER, neo4j_settings

from graphmodel.backends import GraphBackend, MemoryBackend, Neo4jSettings
from graphmodel.backends.neo4j import Neo4jBackend
from graphmodel.cli.main import cli
from graphmodel.dataset import read_dataset
from graphmodel.errors import BackendError
from graphmodel.io.tabular import write_dataset
from graphmodel.model import Dataset
from graphmodel.synthetic import Scale, synthetic_dataset

pytestmark = pytest.mark.neo4j


def snapshot(backend: GraphBackend) -> tuple[object, Dataset]:
    """Everything the database holds of the model: counts and the full export."""
    return backend.counts(), backend.to_dataset()


def admin(backend: Neo4jBackend, statement: str) -> list[dict[str, object]]:
    """Run a test-only administrative statement (not part of graphmodel's Cypher)."""
    records, _, _ = backend.driver.execute_query(statement, database_=backend.settings.database)  # type: ignore[call-overload]
    return [record.data() for record in records]


def test_counts_and_export_match_the_embedded_backend(neo4j_backend: Neo4jBackend) -> None:
    dataset = read_dataset(EXAMPLE)
    neo4j_backend.load(dataset, replace=True)
    memory = MemoryBackend(dataset)
    assert neo4j_backend.counts() == memory.counts()
    assert neo4j_backend.to_dataset() == memory.to_dataset() == dataset.normalised()
    nodes = sorted((n.id, n.label, sorted(n.properties.items())) for n in neo4j_backend.nodes())
    assert nodes == sorted((n.id, n.label, sorted(n.properties.items())) for n in memory.nodes())


def test_parity_harness_gives_equal_exports(backend_for: Callable[[Dataset], GraphBackend]) -> None:
    dataset = synthetic_dataset(Scale.tiny(), seed=3)
    backend = backend_for(dataset)
    assert backend.to_dataset() == dataset.normalised()


def test_reloading_the_same_dataset_changes_nothing(neo4j_backend: Neo4jBackend) -> None:
    dataset = read_dataset(EXAMPLE)
    neo4j_backend.load(dataset, replace=True)
    before = snapshot(neo4j_backend)
    report = neo4j_backend.load(dataset)
    assert report.unchanged and not report.written
    assert snapshot(neo4j_backend) == before


def test_small_batches_write_the_same_graph(neo4j_backend: Neo4jBackend) -> None:
    dataset = read_dataset(EXAMPLE)
    neo4j_backend.load(dataset, replace=True, batch_size=7)
    assert neo4j_backend.to_dataset() == dataset.normalised()


def test_a_row_is_the_truth_and_other_nodes_stay(
    neo4j_backend: Neo4jBackend, make_dataset: Callable[..., Path]
) -> None:
    first = read_dataset(make_dataset())
    neo4j_backend.load(first, replace=True)
    # The second dataset moves te-one from the area to the item, drops its
    # initiative and lead, retitles it, and has no drivers or initiatives.
    second = read_dataset(
        make_dataset(
            training_events=(
                "id,title,targets,covers\nte-one,Safeguarding refresher,p-teacher,c-item\n"
            ),
            initiatives=None,
            drivers=None,
        )
    )
    neo4j_backend.load(second)
    graph = neo4j_backend.to_dataset()
    [event] = graph.training_events
    assert event.title == "Safeguarding refresher"
    assert (event.covers, event.targets) == (["c-item"], ["p-teacher"])
    assert event.start_date is None and event.lead_organisation is None
    assert event.initiative is None and event.cost is None
    # Nodes not in the second dataset are left alone, with their own relationships.
    assert [i.id for i in graph.initiatives] == ["in-plan"]
    assert graph.initiatives[0].responds_to == ["dr-review"]
    assert [d.id for d in graph.drivers] == ["dr-review"]


def test_replace_makes_the_database_equal_to_the_dataset(
    neo4j_backend: Neo4jBackend, make_dataset: Callable[..., Path]
) -> None:
    neo4j_backend.load(read_dataset(EXAMPLE), replace=True)
    small = read_dataset(make_dataset())
    neo4j_backend.load(small, replace=True)
    assert neo4j_backend.to_dataset() == small.normalised()


def _load_transactions(backend: Neo4jBackend) -> list[dict[str, object]]:
    rows = admin(backend, "SHOW TRANSACTIONS YIELD transactionId, currentQuery, status")
    return [row for row in rows if "UNWIND $rows" in str(row["currentQuery"])]


def _wait_for_load_transaction(backend: Neo4jBackend, still_running: Callable[[], bool]) -> str:
    deadline = time.monotonic() + 120
    while not (found := _load_transactions(backend)):
        assert still_running(), "the load ended before it was seen writing"
        assert time.monotonic() < deadline, "the load never started writing"
        time.sleep(0.05)
    return str(found[0]["transactionId"])


def _load_in_background(
    backend: Neo4jBackend, dataset: Dataset
) -> tuple[threading.Thread, list[BaseException]]:
    """Start a load in small batches on a thread; its exception, if any, lands in the list."""
    failure: list[BaseException] = []

    def run_load() -> None:
        try:
            backend.load(dataset, replace=True, batch_size=200)
        except BaseException as error:  # handed to the test's thread
            failure.append(error)

    loader = threading.Thread(target=run_load)
    loader.start()
    return loader, failure


def _wait_until_rolled_back(backend: Neo4jBackend) -> None:
    deadline = time.monotonic() + 60
    while _load_transactions(backend):
        assert time.monotonic() < deadline, "the server never rolled the load back"
        time.sleep(0.1)


def test_replace_removes_everything_the_dataset_does_not_hold(
    neo4j_backend: Neo4jBackend, make_dataset: Callable[..., Path]
) -> None:
    dataset = read_dataset(make_dataset())
    neo4j_backend.load(dataset, replace=True)
    # Things a replace must clear: a node of a label outside the model, a
    # relationship of a type outside the model between model nodes, and a node
    # whose id the dataset now gives to another type.
    admin(neo4j_backend, "CREATE (:Note {id: 'note-1'})")
    admin(
        neo4j_backend,
        "MATCH (a:Competency {id: 'c-item'}), (b:Competency {id: 'c-other'}) "
        "CREATE (a)-[:SEE_ALSO]->(b)",
    )
    admin(neo4j_backend, "CREATE (:Driver {id: 'c-area', name: 'Once a driver'})")
    neo4j_backend.load(dataset, replace=True)
    assert neo4j_backend.to_dataset() == dataset.normalised()
    leftovers = admin(
        neo4j_backend,
        "MATCH (n) WHERE n:Note OR (n:Driver AND n.id = 'c-area') RETURN count(n) AS n",
    )
    assert leftovers == [{"n": 0}]
    assert admin(neo4j_backend, "MATCH ()-[r:SEE_ALSO]->() RETURN count(r) AS n") == [{"n": 0}]
    assert neo4j_backend.counts() == MemoryBackend(dataset).counts()


def test_a_load_failing_on_the_server_leaves_the_database_as_it_was(
    neo4j_backend: Neo4jBackend,
) -> None:
    neo4j_backend.load(read_dataset(EXAMPLE), replace=True)
    before = snapshot(neo4j_backend)
    big = synthetic_dataset(Scale.national().scaled(0.05), seed=5)
    loader, failure = _load_in_background(neo4j_backend, big)
    # A real server-side fault part-way through: the server terminates the
    # load's transaction after it has written some batches.
    transaction = _wait_for_load_transaction(neo4j_backend, loader.is_alive)
    time.sleep(0.3)
    admin(neo4j_backend, f"TERMINATE TRANSACTION '{transaction}'")
    loader.join(timeout=120)
    assert not loader.is_alive()
    [error] = failure
    assert isinstance(error, BackendError)
    assert str(error).startswith(f"{NEO4J_URI} (database 'neo4j'): loading failed:")
    assert "\n" not in str(error)
    _wait_until_rolled_back(neo4j_backend)
    assert snapshot(neo4j_backend) == before


def test_a_killed_load_leaves_the_database_as_it_was(
    neo4j_backend: Neo4jBackend, tmp_path: Path
) -> None:
    neo4j_backend.load(read_dataset(EXAMPLE), replace=True)
    before = snapshot(neo4j_backend)
    big = tmp_path / "big"
    write_dataset(synthetic_dataset(Scale.national().scaled(0.05), seed=6), big)
    command = [
        sys.executable,
        "-c",
        "from graphmodel.cli.main import main; main()",
        "load",
        str(big),
        NEO4J_URI,
        "--user",
        NEO4J_USER,
        "--password",
        NEO4J_PASSWORD,
        "--replace",
        "--batch-size",
        "200",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for_load_transaction(neo4j_backend, lambda: process.poll() is None)
        time.sleep(0.5)  # let it write a few more batches
        assert process.poll() is None, "the load finished before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
    _wait_until_rolled_back(neo4j_backend)
    assert snapshot(neo4j_backend) == before


def test_routing_uri_scheme_works(neo4j_backend: Neo4jBackend) -> None:
    settings = neo4j_settings()
    routed = Neo4jSettings(
        settings.uri.replace("bolt://", "neo4j://"), settings.user, settings.password
    )
    neo4j_backend.load(read_dataset(EXAMPLE), replace=True)
    with Neo4jBackend.connect(routed) as backend:
        assert backend.counts() == neo4j_backend.counts()


def test_wrong_password_is_one_clear_line(neo4j_backend: Neo4jBackend) -> None:
    settings = Neo4jSettings(NEO4J_URI, NEO4J_USER, "not-the-password")
    with pytest.raises(BackendError) as caught:
        Neo4jBackend.connect(settings)
    message = str(caught.value)
    assert message == (
        f"{NEO4J_URI}: authentication failed for user '{NEO4J_USER}'; check --user/--password "
        "or NEO4J_USERNAME/NEO4J_PASSWORD"
    )
    assert "not-the-password" not in message


def test_unknown_database_is_one_clear_line(neo4j_backend: Neo4jBackend) -> None:
    settings = Neo4jSettings(NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, database="nosuchdb")
    with pytest.raises(BackendError) as caught:
        Neo4jBackend.connect(settings)
    assert str(caught.value) == f"{NEO4J_URI}: database 'nosuchdb' does not exist"


def test_cli_load_then_stats_of_the_uri_equal_stats_of_the_dataset(
    neo4j_backend: Neo4jBackend,
) -> None:
    runner = CliRunner()
    credentials = ["--user", NEO4J_USER, "--password", NEO4J_PASSWORD]
    neo4j_backend.load(read_dataset(EXAMPLE.parent / "children-trust-2025"), replace=True)
    loaded = runner.invoke(cli, ["load", str(EXAMPLE), NEO4J_URI, "--replace", *credentials])
    assert loaded.exit_code == 0, loaded.output
    assert f"loaded {EXAMPLE} into {NEO4J_URI} (database neo4j): nodes " in loaded.output
    from_uri = runner.invoke(cli, ["stats", NEO4J_URI, "--format", "json", *credentials])
    from_dataset = runner.invoke(cli, ["stats", str(EXAMPLE), "--format", "json"])
    assert from_uri.exit_code == 0, from_uri.output
    assert json.loads(from_uri.output) == json.loads(from_dataset.output)


def test_cli_load_of_an_invalid_dataset_writes_nothing(
    neo4j_backend: Neo4jBackend, make_dataset: Callable[..., Path]
) -> None:
    neo4j_backend.load(read_dataset(EXAMPLE), replace=True)
    before = snapshot(neo4j_backend)
    path = make_dataset(drivers="id,name\ndr-review,\n")
    result = CliRunner().invoke(
        cli,
        [
            "load",
            str(path),
            NEO4J_URI,
            "--replace",
            "--user",
            NEO4J_USER,
            "--password",
            NEO4J_PASSWORD,
        ],
    )
    assert result.exit_code == 2
    assert result.stderr == f"{path}/drivers.csv:2:name: required value is empty\n"
    assert snapshot(neo4j_backend) == before


def test_credentials_from_environment(
    neo4j_backend: Neo4jBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEO4J_URI", NEO4J_URI)
    monkeypatch.setenv("NEO4J_USERNAME", NEO4J_USER)
    monkeypatch.setenv("NEO4J_PASSWORD", NEO4J_PASSWORD)
    result = CliRunner().invoke(cli, ["load", str(EXAMPLE), "--replace"])
    assert result.exit_code == 0, result.output
    assert f"{NEO4J_URI} (database neo4j)" in result.output


class _CuttableProxy:
    """A loopback TCP proxy to the test server whose connections can be cut at once.

    Cutting the proxy is what the client sees when the server stops mid-load:
    the connection drops with a transaction open.
    """

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.bytes_sent = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            threading.Thread(target=self._pipe, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, False), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, upstream: bool) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
                if upstream:
                    self.bytes_sent += len(data)
        except OSError:
            pass

    def cut(self) -> None:
        self.listener.close()
        for connection in self.sockets:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()


def test_a_server_lost_mid_load_is_one_line_and_changes_nothing(
    neo4j_backend: Neo4jBackend,
) -> None:
    neo4j_backend.load(read_dataset(EXAMPLE), replace=True)
    before = snapshot(neo4j_backend)
    host, port = NEO4J_URI.removeprefix("bolt://").split(":")
    proxy = _CuttableProxy((host, int(port)))
    uri = f"bolt://127.0.0.1:{proxy.port}"
    backend = Neo4jBackend.connect(Neo4jSettings(uri, NEO4J_USER, NEO4J_PASSWORD))
    big = synthetic_dataset(Scale.national().scaled(0.05), seed=7)
    loader, failure = _load_in_background(backend, big)
    _wait_for_load_transaction(neo4j_backend, loader.is_alive)
    time.sleep(0.3)
    proxy.cut()
    loader.join(timeout=120)
    backend.close()
    assert not loader.is_alive()
    [error] = failure
    assert isinstance(error, BackendError)
    message = str(error)
    assert message.startswith(f"{uri}: cannot reach Neo4j while loading")
    assert "\n" not in message and NEO4J_PASSWORD not in message
    _wait_until_rolled_back(neo4j_backend)
    assert snapshot(neo4j_backend) == before


def test_validate_a_database_edited_by_hand(
    neo4j_backend: Neo4jBackend, make_dataset: Callable[..., Path], tmp_path: Path
) -> None:
    neo4j_backend.load(read_dataset(make_dataset()), replace=True)
    runner = CliRunner()
    credentials = ["--user", NEO4J_USER, "--password", NEO4J_PASSWORD]
    result = runner.invoke(cli, ["validate", NEO4J_URI, *credentials])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{NEO4J_URI}: valid (1 frameworks, 3 competencies")
    # What a loader never writes but a person editing the graph might: an
    # event without a title, a second parent, and a loop through the parents.
    admin(neo4j_backend, "MATCH (e:TrainingEvent {id: 'te-one'}) REMOVE e.title")
    admin(
        neo4j_backend,
        "MATCH (c:Competency {id: 'c-item'}), (o:Competency {id: 'c-other'}) "
        "CREATE (c)-[:PART_OF]->(o)",
    )
    admin(
        neo4j_backend,
        "MATCH (a:Competency {id: 'c-area'}), (o:Competency {id: 'c-other'}) "
        "CREATE (a)-[:PART_OF]->(o), (o)-[:PART_OF]->(a)",
    )
    result = runner.invoke(cli, ["validate", NEO4J_URI, *credentials])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{NEO4J_URI} Competency:c-item:parent: more than one PART_OF relationship; "
        "the model allows one",
        f"{NEO4J_URI} TrainingEvent:te-one:title: required value is empty",
        f"{NEO4J_URI} Competency:c-area:parent: parent chain loops: c-area -> c-other -> c-area",
    ]
    exported = runner.invoke(cli, ["export", NEO4J_URI, str(tmp_path / "out.json"), *credentials])
    assert exported.exit_code == 2 and "Traceback" not in exported.output
