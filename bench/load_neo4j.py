"""Benchmark: loading a national-scale dataset into Neo4j, three ways.

What is measured, in one run against a live server (``make bench`` starts the local one):

1. **project** - the project's loader, ``Neo4jBackend.load(dataset, replace=True)``: every
   node and relationship written in ONE explicit transaction, in ``UNWIND $rows`` batches,
   with the statements of ``cypher/`` (``SET n = row`` plus the owned-relationship clean-up
   subqueries). Node and relationship phases are timed from its progress callback; the
   time from the last batch to the return of ``load`` is its ``commit``.
2. **baseline** - a minimal hand-written best-practice loader (below): the same 7 uniqueness
   constraints, then per label ``UNWIND $rows AS row MERGE (n:Label {id: row.id})
   SET n += row`` and per relationship spec ``UNWIND $rows AS row MATCH (a) MATCH (b)
   CREATE (a)-[r:TYPE]->(b) SET r += row.properties``, in batches, each batch its own
   managed transaction (``session.execute_write``). No other work.
3. **naive** - one auto-commit ``session.run`` per row, on a sample: the first
   ``--naive-fraction`` (1%) of each label's node rows and of each relationship spec's rows.
   Sequence: empty the database; time a ``MERGE (n:Label {id: $id}) SET n += $row`` per
   sampled node; load the remaining nodes with the baseline's batches (not timed); then time
   a ``MATCH (a) MATCH (b) MERGE (a)-[r:TYPE]->(b) SET r += $properties`` per sampled
   relationship, against a database holding every node.

Both batch loaders build their rows from ``graphmodel.graph.dataset_nodes`` and
``spec_relationships`` inside the timed section, so they send the same data and pay for the
same Python work. Before each method the database is emptied with batched deletes
(``CALL { ... } IN TRANSACTIONS`` in auto-commit queries), so every method starts from an
empty graph with the constraints in place. A short untimed warm-up (both batch loaders on a
1% dataset) comes first, so neither pays for the server's cold start. After the project's
loader and the baseline, the label and type counts in the database are checked against the
dataset's.

Printed: dataset size and generation time, a table of rows/s per method and phase, a
per-statement breakdown (project versus baseline), the ratios project/baseline (goal >= 0.8)
and project/naive (goal >= 20) with PASS/FAIL, peak RSS of this Python process and of the
local server (``neo4j-server/run/neo4j.pid``, sampled). It always exits 0: it is a
measurement, not a test.

Run (the local server must be up: ``bash neo4j-server/neo4j.sh up``)::

    .venv/bin/python bench/load_neo4j.py                 # full national scale (~1.2 M rows)
    .venv/bin/python bench/load_neo4j.py --scale 0.1     # a tenth, for a quick look
    make bench

Options: ``--scale``, ``--batch-size`` (10000), ``--naive-fraction`` (0.01), ``--seed`` (1),
``--methods`` (a subset of project,baseline,naive), ``--no-warmup``,
``--uri``/``--user``/``--password`` (default: the local test server).
The benchmark empties the target database: never point it at one whose data you need.
"""

from __future__ import annotations

import argparse
import math
import resource
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import neo4j
from common import neo4j_arguments
from neo4j import GraphDatabase
from rich.console import Console
from rich.table import Table

from graphmodel.backends.base import Neo4jSettings
from graphmodel.backends.neo4j import Neo4jBackend, batched
from graphmodel.errors import BackendError
from graphmodel.graph import GraphCounts, dataset_nodes, spec_relationships
from graphmodel.model import LABEL_TABLES, RELATIONSHIP_TYPES, RELATIONSHIPS, Dataset
from graphmodel.queries import statements
from graphmodel.synthetic import Scale, synthetic_dataset

REPO = Path(__file__).resolve().parents[1]
SERVER_PID_FILE = REPO / "neo4j-server" / "run" / "neo4j.pid"
GOAL_VS_BASELINE = 0.8
GOAL_VS_NAIVE = 20.0
METHODS = ("project", "reload", "baseline", "naive")

console = Console(highlight=False, width=max(Console().width, 150))

Rows = list[dict[str, Any]]


# -- the rows both batch loaders send ------------------------------------------------------


def node_rows(dataset: Dataset) -> dict[str, Rows]:
    """Each label's node property maps, grouped as the project's loader groups them."""
    rows: dict[str, Rows] = {label: [] for label in LABEL_TABLES}
    for node in dataset_nodes(dataset):
        rows[node.label].append(node.properties)
    return rows


def relationship_rows(dataset: Dataset, spec_index: int) -> Rows:
    """One relationship spec's rows, shaped as the project's loader shapes them."""
    return [
        {"source": rel.source, "target": rel.target, "properties": rel.properties}
        for rel in spec_relationships(dataset, RELATIONSHIPS[spec_index])
    ]


def node_step(label: str) -> str:
    """The project's statement name for a label, used to name steps of every method."""
    return f"upsert_{label.lower()}"


def expected_counts(dataset: Dataset) -> GraphCounts:
    """The label and type counts a full load of ``dataset`` gives."""
    nodes = {label: len(dataset.table(table)) for label, table in LABEL_TABLES.items()}
    relationships = dict.fromkeys(RELATIONSHIP_TYPES, 0)
    for spec in RELATIONSHIPS:
        relationships[spec.type] += sum(1 for _ in spec_relationships(dataset, spec))
    return GraphCounts(nodes, relationships)


# -- the baseline's Cypher, built from the model's fixed labels and types ------------------


def baseline_node_query(label: str) -> str:
    return f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n += row"


def baseline_relationship_query(spec_index: int) -> str:
    spec = RELATIONSHIPS[spec_index]
    return (
        f"UNWIND $rows AS row "
        f"MATCH (a:{spec.source_label} {{id: row.source}}) "
        f"MATCH (b:{spec.target_label} {{id: row.target}}) "
        f"CREATE (a)-[r:{spec.type}]->(b) SET r += row.properties"
    )


def naive_node_query(label: str) -> str:
    return f"MERGE (n:{label} {{id: $id}}) SET n += $row"


def naive_relationship_query(spec_index: int) -> str:
    spec = RELATIONSHIPS[spec_index]
    return (
        f"MATCH (a:{spec.source_label} {{id: $source}}) "
        f"MATCH (b:{spec.target_label} {{id: $target}}) "
        f"MERGE (a)-[r:{spec.type}]->(b) SET r += $properties"
    )


# -- measurements -------------------------------------------------------------------------


@dataclass
class Result:
    """What one method wrote, how long each phase took, and what it cost in memory."""

    method: str
    nodes: int = 0
    relationships: int = 0
    node_seconds: float = 0.0
    relationship_seconds: float = 0.0
    commit_seconds: float = 0.0
    seconds: float = 0.0
    steps: dict[str, tuple[int, float]] = field(default_factory=dict)  # name -> rows, s
    counts_ok: bool | None = None
    counts_note: str = ""
    error: str | None = None
    client_peak_kib: int | None = None
    server_peak_kib: int | None = None
    transaction_peak_kib: int | None = None

    @property
    def rows(self) -> int:
        return self.nodes + self.relationships

    def rate(self, rows: int, seconds: float) -> float | None:
        return rows / seconds if seconds > 0 and self.error is None else None

    @property
    def node_rate(self) -> float | None:
        return self.rate(self.nodes, self.node_seconds)

    @property
    def relationship_rate(self) -> float | None:
        return self.rate(self.relationships, self.relationship_seconds)

    @property
    def total_rate(self) -> float | None:
        return self.rate(self.rows, self.seconds)


class StepClock:
    """Times consecutive steps: each step runs from the end of the previous one."""

    def __init__(self) -> None:
        self.started = self.last = time.perf_counter()
        self.steps: dict[str, tuple[int, float]] = {}

    def done(self, name: str, rows: int) -> float:
        now = time.perf_counter()
        self.steps[name] = (rows, now - self.last)
        self.last = now
        return now


def _status_kib(pid: int | str, key: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def server_pid() -> int | None:
    """The local server's pid (``neo4j-server/run/neo4j.pid``) if it is alive."""
    try:
        pid = int(SERVER_PID_FILE.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if Path(f"/proc/{pid}").exists() else None


def server_heap(pid: int | None) -> str:
    """The server's ``-Xmx`` option, read from its command line."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0") if pid else []
    except OSError:
        args = []
    return next((arg.removeprefix("-Xmx") for arg in args if arg.startswith("-Xmx")), "?")


TRANSACTION_HEAP = (
    "SHOW TRANSACTIONS YIELD currentQuery, estimatedUsedHeapMemory "
    "WHERE NOT currentQuery STARTS WITH 'SHOW' "
    "RETURN max(estimatedUsedHeapMemory) AS heap"
)


class MemoryWatch:
    """Peaks while a method runs: RSS of this process and of the server (VmRSS every 0.1 s)
    and the largest transaction's estimated heap (``SHOW TRANSACTIONS``, every 0.5 s).

    Sampling leaves this process's own high-water mark alone, so ``getrusage`` still gives
    the peak of the whole run at the end.
    """

    def __init__(self, driver: neo4j.Driver, interval: float = 0.1, every: int = 5) -> None:
        self.driver = driver
        self.pid = server_pid()
        self.interval = interval
        self.every = every  # SHOW TRANSACTIONS once per `every` RSS samples
        self.peaks = {"client": 0, "server": 0, "transaction": 0}
        self._stop = threading.Event()

    def _transaction_heap_kib(self) -> int:
        try:
            records, _, _ = self.driver.execute_query(TRANSACTION_HEAP)
        except neo4j.exceptions.Neo4jError:
            return 0
        heap = records[0]["heap"] if records else None
        return int(heap) // 1024 if heap else 0

    def _sample(self) -> None:
        tick = 0
        while True:
            for key, pid in (("client", "self"), ("server", self.pid)):
                rss = _status_kib(pid, "VmRSS") if pid else None
                if rss:
                    self.peaks[key] = max(self.peaks[key], rss)
            if tick % self.every == 0:
                heap = self._transaction_heap_kib()
                self.peaks["transaction"] = max(self.peaks["transaction"], heap)
            tick += 1
            if self._stop.wait(self.interval):
                return

    @contextmanager
    def measure(self, result: Result) -> Iterator[None]:
        self.peaks = {"client": 0, "server": 0, "transaction": 0}
        self._stop.clear()
        thread = threading.Thread(target=self._sample, daemon=True)
        thread.start()
        try:
            yield
        finally:
            self._stop.set()
            thread.join()
            result.client_peak_kib = self.peaks["client"] or None
            result.server_peak_kib = self.peaks["server"] or None
            result.transaction_peak_kib = self.peaks["transaction"] or None


# -- database housekeeping ----------------------------------------------------------------


def empty_database(driver: neo4j.Driver) -> None:
    """Delete everything in batched auto-commit transactions; keep (or create) constraints."""
    with driver.session() as session:
        session.run(
            "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 50000 ROWS"
        ).consume()
        session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 50000 ROWS"
        ).consume()
        for statement in statements("schema"):
            session.run(statement).consume()
        left = session.run("MATCH (n) RETURN count(n) AS n").single(strict=True)["n"]
    if left:
        raise RuntimeError(f"database not empty after clearing: {left} nodes left")


def database_counts(driver: neo4j.Driver, settings: Neo4jSettings) -> GraphCounts:
    """Label and type counts, through the project's own count statements."""
    return Neo4jBackend(driver, settings).counts()


def compare_counts(found: GraphCounts, expected: GraphCounts) -> tuple[bool, str]:
    wrong = [
        f"{name}: {found_count} != {want}"
        for found_map, want_map in (
            (found.nodes, expected.nodes),
            (found.relationships, expected.relationships),
        )
        for name, want in want_map.items()
        if (found_count := found_map.get(name, 0)) != want
    ]
    extra_nodes = sum(found.nodes.values()) - sum(expected.nodes.values())
    if not wrong and extra_nodes:
        wrong.append(f"{extra_nodes} unexpected nodes")
    return not wrong, "; ".join(wrong[:4])


# -- the three methods ----------------------------------------------------------------------


def run_project(settings: Neo4jSettings, dataset: Dataset, batch_size: int) -> Result:
    """The project's one-transaction loader, its phases timed from the progress callback."""
    result = Result("project (1 tx)")
    # Which statement each batch belongs to: the loader writes them in this order and
    # sends no batch for a statement without rows.
    plan: list[tuple[str, int]] = [
        (node_step(label), len(dataset.table(table))) for label, table in LABEL_TABLES.items()
    ]
    plan += [
        (spec.statement, sum(1 for _ in spec_relationships(dataset, spec)))
        for spec in RELATIONSHIPS
    ]
    plan = [(name, rows) for name, rows in plan if rows]
    position = {"step": 0, "left": plan[0][1] if plan else 0}
    written = {"nodes": 0, "relationships": 0}
    backend = Neo4jBackend.connect(settings)
    clock = StepClock()
    phase_end = {"nodes": clock.started, "relationships": clock.started}

    def progress(what: str, n: int) -> None:
        phase_end[what] = time.perf_counter()
        written[what] += n
        position["left"] -= n
        if position["left"] <= 0 and position["step"] < len(plan):
            name, rows = plan[position["step"]]
            clock.done(name, rows)
            position["step"] += 1
            if position["step"] < len(plan):
                position["left"] = plan[position["step"]][1]

    try:
        report = backend.load(dataset, replace=True, batch_size=batch_size, progress=progress)
    except BackendError as error:
        # Keep how far the one transaction got before it failed (and was rolled back).
        failed_at = time.perf_counter() - clock.started
        during = plan[position["step"]][0] if position["step"] < len(plan) else "commit"
        result.error = (
            f"{error} -- after {failed_at:,.1f} s, during {during}, with "
            f"{written['nodes']:,} nodes and {written['relationships']:,} relationships "
            "written in the (rolled back) transaction"
        )
        result.steps = clock.steps
        return result
    finally:
        backend.close()
    ended = time.perf_counter()
    result.nodes, result.relationships = report.nodes, report.relationships
    result.seconds = ended - clock.started
    result.node_seconds = phase_end["nodes"] - clock.started
    result.relationship_seconds = phase_end["relationships"] - phase_end["nodes"]
    result.commit_seconds = ended - phase_end["relationships"]
    result.steps = clock.steps
    result.steps["(commit)"] = (0, result.commit_seconds)
    return result


def _write_batches(session: neo4j.Session, query: str, rows: Rows, batch_size: int) -> None:
    def write(tx: neo4j.ManagedTransaction, batch: Rows) -> None:
        tx.run(query, rows=batch).consume()

    for batch in batched(rows, batch_size):
        session.execute_write(write, batch)


def create_constraints(session: neo4j.Session) -> None:
    for statement in statements("schema"):
        session.run(statement).consume()


def run_baseline(driver: neo4j.Driver, dataset: Dataset, batch_size: int) -> Result:
    """The hand-written loader: batches, each batch its own managed transaction."""
    result = Result("baseline (tx/batch)")
    clock = StepClock()
    with driver.session() as session:
        create_constraints(session)
        for label, rows in node_rows(dataset).items():
            if rows:
                _write_batches(session, baseline_node_query(label), rows, batch_size)
                clock.done(node_step(label), len(rows))
                result.nodes += len(rows)
        nodes_done = clock.last
        for index, spec in enumerate(RELATIONSHIPS):
            rows = relationship_rows(dataset, index)
            if rows:
                _write_batches(session, baseline_relationship_query(index), rows, batch_size)
                clock.done(spec.statement, len(rows))
                result.relationships += len(rows)
    result.node_seconds = nodes_done - clock.started
    result.relationship_seconds = clock.last - nodes_done
    result.seconds = clock.last - clock.started
    result.steps = clock.steps
    return result


def sample_size(total: int, fraction: float) -> int:
    return min(total, max(1, math.ceil(total * fraction))) if total else 0


def run_naive(
    driver: neo4j.Driver,
    settings: Neo4jSettings,
    dataset: Dataset,
    fraction: float,
    batch_size: int,
) -> Result:
    """One auto-commit query per row on a sample (see the module docstring for the order)."""
    result = Result(f"naive (tx/row, {fraction:.0%} sample)")
    nodes = node_rows(dataset)
    with driver.session() as session:
        started = time.perf_counter()
        for label, rows in nodes.items():
            query = naive_node_query(label)
            for row in rows[: sample_size(len(rows), fraction)]:
                session.run(query, id=row["id"], row=row).consume()
                result.nodes += 1
        result.node_seconds = time.perf_counter() - started
        for label, rows in nodes.items():  # the rest of the nodes, batched and not timed
            rest = rows[sample_size(len(rows), fraction) :]
            _write_batches(session, baseline_node_query(label), rest, batch_size)
        sampled = {
            index: rows[: sample_size(len(rows), fraction)]
            for index in range(len(RELATIONSHIPS))
            if (rows := relationship_rows(dataset, index))
        }
        started = time.perf_counter()
        for index, rows in sampled.items():
            query = naive_relationship_query(index)
            for row in rows:
                session.run(query, **row).consume()
                result.relationships += 1
        result.relationship_seconds = time.perf_counter() - started
    result.seconds = result.node_seconds + result.relationship_seconds
    found = database_counts(driver, settings)
    ok = (
        sum(found.nodes.values()) == sum(len(rows) for rows in nodes.values())
        and sum(found.relationships.values()) == result.relationships
    )
    result.counts_ok = ok
    if not ok:
        result.counts_note = (
            f"{sum(found.nodes.values())} nodes, {sum(found.relationships.values())} "
            f"relationships; expected all nodes and {result.relationships} relationships"
        )
    return result


# -- reporting -------------------------------------------------------------------------------


def fmt_rate(rate: float | None) -> str:
    return f"{rate:,.0f}" if rate is not None else "-"


def fmt_mib(kib: int | None) -> str:
    return f"{kib / 1024:,.0f}" if kib else "-"


def fmt_ratio(value: float | None, goal: float) -> str:
    if value is None:
        return "[bold red]n/a (a method failed)[/]"
    mark = "[bold green]PASS[/]" if value >= goal else "[bold red]FAIL[/]"
    return f"{value:,.2f}x (goal >= {goal:g}x) {mark}"


def results_table(results: list[Result]) -> Table:
    table = Table(title="Load throughput (rows = nodes + relationships written)")
    table.add_column("method")
    for name in ("nodes", "nodes/s", "rels", "rels/s", "total/s", "seconds", "commit s"):
        table.add_column(name, justify="right")
    table.add_column("counts")
    for name in ("client MiB", "server MiB", "tx heap MiB"):
        table.add_column(name, justify="right")
    for r in results:
        if r.error is not None:
            counts = "[red]load failed[/]"
        elif r.counts_ok is None:
            counts = "-"
        else:
            counts = "[green]OK[/]" if r.counts_ok else f"[red]WRONG[/] {r.counts_note}"
        table.add_row(
            r.method,
            f"{r.nodes:,}",
            fmt_rate(r.node_rate),
            f"{r.relationships:,}",
            fmt_rate(r.relationship_rate),
            fmt_rate(r.total_rate),
            f"{r.seconds:,.1f}" if r.error is None else "[red]FAILED[/]",
            f"{r.commit_seconds:,.1f}" if r.commit_seconds else "-",
            counts,
            fmt_mib(r.client_peak_kib),
            fmt_mib(r.server_peak_kib),
            fmt_mib(r.transaction_peak_kib),
        )
    return table


def steps_table(project: Result, baseline: Result) -> Table:
    table = Table(title="Per statement (seconds; the first step also pays for setup)")
    table.add_column("statement")
    for name in ("rows", "project s", "baseline s", "project/baseline time"):
        table.add_column(name, justify="right")
    names = list(dict.fromkeys([*baseline.steps, *project.steps]))
    for name in names:
        rows, project_s = project.steps.get(name, (0, 0.0))
        rows_b, baseline_s = baseline.steps.get(name, (0, 0.0))
        slower = project_s / baseline_s if baseline_s else None
        table.add_row(
            name,
            f"{max(rows, rows_b):,}" if max(rows, rows_b) else "",
            f"{project_s:,.2f}" if name in project.steps else "-",
            f"{baseline_s:,.2f}" if name in baseline.steps else "-",
            f"{slower:,.2f}" if slower is not None and name in project.steps else "",
        )
    return table


def ratio(a: Result | None, b: Result | None) -> float | None:
    if a is None or b is None or a.total_rate is None or b.total_rate is None:
        return None
    return a.total_rate / b.total_rate


# -- main ------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="times national (1.0)")
    parser.add_argument("--batch-size", type=int, default=10_000, help="rows per batch")
    parser.add_argument("--naive-fraction", type=float, default=0.01, help="naive sample")
    parser.add_argument("--seed", type=int, default=1, help="synthetic dataset seed")
    parser.add_argument(
        "--methods",
        default=",".join(METHODS),
        help=f"comma-separated subset of {','.join(METHODS)} (default: all)",
    )
    parser.add_argument(
        "--warmup", action=argparse.BooleanOptionalAction, default=True, help="untimed warm-up"
    )
    neo4j_arguments(parser)
    return parser.parse_args()


def attempt(result_name: str, memory: MemoryWatch, run: Callable[[], Result]) -> Result:
    """Run one method; a failure becomes a result carrying the error, never an exit."""
    failed = Result(result_name)
    try:
        with memory.measure(failed):
            result = run()
    except Exception as error:  # reported; the next method runs
        failed.error = f"{type(error).__name__}: {error}"
        console.print(f"[bold red]{result_name} FAILED[/]: {failed.error}")
        console.print(traceback.format_exc(limit=3), markup=False)
        return failed
    result.client_peak_kib = failed.client_peak_kib
    result.server_peak_kib = failed.server_peak_kib
    result.transaction_peak_kib = failed.transaction_peak_kib
    if result.error is not None:
        console.print(f"[bold red]{result_name} FAILED[/]: {result.error}")
    return result


def main() -> None:
    args = parse_args()
    settings = Neo4jSettings(args.uri, args.user, args.password)
    scale = Scale.national().scaled(args.scale)
    console.rule(f"[bold]Neo4j load benchmark[/] scale {args.scale:g}, batch {args.batch_size:,}")
    pid = server_pid()
    console.print(
        f"server {args.uri}; local server pid {pid or 'not found'}, heap -Xmx{server_heap(pid)}"
    )

    started = time.perf_counter()
    dataset = synthetic_dataset(scale, seed=args.seed)
    generated = time.perf_counter() - started
    expected = expected_counts(dataset)
    node_total = sum(expected.nodes.values())
    relationship_total = sum(expected.relationships.values())
    console.print(
        f"dataset: {node_total:,} nodes, {relationship_total:,} relationships "
        f"(generated in {generated:.1f} s, seed {args.seed})"
    )
    console.print("  nodes: " + ", ".join(f"{label} {n:,}" for label, n in expected.nodes.items()))
    console.print(
        "  relationships: "
        + ", ".join(f"{kind} {n:,}" for kind, n in expected.relationships.items())
    )

    driver = GraphDatabase.driver(args.uri, auth=(args.user, args.password))
    memory = MemoryWatch(driver)
    results: dict[str, Result] = {}
    try:
        driver.verify_connectivity()
        if args.warmup:
            console.print("warm-up (untimed): both batch loaders on a 1% dataset ...")
            small = synthetic_dataset(Scale.national().scaled(0.01), seed=args.seed + 1)
            empty_database(driver)
            run_project(settings, small, args.batch_size)
            empty_database(driver)
            run_baseline(driver, small, args.batch_size)

        def verified(result: Result) -> Result:
            if result.error is None:
                result.counts_ok, result.counts_note = compare_counts(
                    database_counts(driver, settings), expected
                )
            return result

        def reload() -> Result:
            # The same dataset again, --replace over the graph the last load left:
            # the case where deleting before writing made every index seek slow.
            result = run_project(settings, dataset, args.batch_size)
            result.method = "project reload (replace)"
            return verified(result)

        def load_untimed() -> None:
            empty_database(driver)
            run_project(settings, dataset, args.batch_size)

        methods: list[tuple[str, Callable[[], Result]]] = [
            ("project", lambda: verified(run_project(settings, dataset, args.batch_size))),
            ("reload", reload),
            ("baseline", lambda: verified(run_baseline(driver, dataset, args.batch_size))),
            (
                "naive",
                lambda: run_naive(driver, settings, dataset, args.naive_fraction, args.batch_size),
            ),
        ]
        chosen = {name.strip() for name in args.methods.split(",")}
        for key, run in methods:
            if key not in chosen:
                continue
            before = "loading the dataset untimed" if key == "reload" else "emptying the database"
            console.print(f"{before}, then: {key} ...")
            try:
                if key == "reload":
                    load_untimed()
                else:
                    empty_database(driver)
            except Exception as error:
                results[key] = Result(key, error=f"emptying failed: {error}")
                console.print(f"[bold red]emptying the database failed[/]: {error}")
                continue
            results[key] = attempt(key, memory, run)
            r = results[key]
            if r.error is None:
                console.print(
                    f"  {r.method}: {r.rows:,} rows in {r.seconds:,.1f} s "
                    f"({fmt_rate(r.total_rate)} rows/s)"
                )
        empty_database(driver)
    except Exception as error:  # a measurement: report, exit 0
        console.print(f"[bold red]benchmark stopped[/]: {type(error).__name__}: {error}")
    finally:
        driver.close()

    console.print()
    console.print(results_table(list(results.values())))
    console.print(
        "rows/s = rows / phase seconds. project: nodes/s and rels/s exclude its final commit,\n"
        "total/s and seconds include it. naive: only the per-row queries are timed. "
        "client/server MiB: peak RSS sampled while the method ran;\n"
        "tx heap MiB: largest estimatedUsedHeapMemory of one transaction (SHOW TRANSACTIONS)."
    )
    for result in results.values():
        if result.error is not None:
            console.print(f"[bold red]{result.method} failed[/]: {result.error}")
    project, baseline, naive = (results.get(k) for k in ("project", "baseline", "naive"))
    if project and baseline and project.steps and baseline.steps:
        console.print(steps_table(project, baseline))
    console.print(f"project / baseline: {fmt_ratio(ratio(project, baseline), GOAL_VS_BASELINE)}")
    console.print(f"project / naive:    {fmt_ratio(ratio(project, naive), GOAL_VS_NAIVE)}")
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    pid = server_pid()
    server_now = _status_kib(pid, "VmRSS") if pid else None
    server_hwm = _status_kib(pid, "VmHWM") if pid else None
    console.print(f"peak RSS of this Python process (getrusage): {peak_kib / 1024:,.0f} MiB")
    if pid:
        console.print(
            f"Neo4j server pid {pid}: RSS now {fmt_mib(server_now)} MiB, "
            f"peak since start {fmt_mib(server_hwm)} MiB"
        )
    else:
        console.print("Neo4j server RSS: no local server pid file")


if __name__ == "__main__":
    main()
