"""Benchmark: loading a national-scale dataset into Neo4j, and loading it again as a sync.

What is measured, in one run against a live server (``make bench`` starts the local one),
on ``synthetic_dataset(Scale.national().scaled(scale), seed)`` written as a CSV folder
(``--shape hub`` also makes every initiative respond to ``dr-0``: a driver 10,000 answer):

1. **validate** - ``graphmodel validate DATASET`` in a fresh interpreter (best of
   ``--repeat``): reading and validating the folder, the floor every load pays.
2. **project (empty)** - ``Neo4jBackend.load(dataset, replace=True)`` into an empty
   database (constraints in place), the dataset already in memory.
3. **baseline (empty)** - a minimal hand-written best-practice loader into an empty database:
   the same constraints, then per label ``UNWIND $rows AS row MERGE (n:Label {id: row.id})
   SET n += row`` and per relationship spec ``UNWIND $rows AS row MATCH (a) MATCH (b)
   CREATE (a)-[r:TYPE]->(b) SET r += row.properties``, batches of ``--batch-size``, each
   batch its own managed transaction. Its rows come from ``graphmodel.graph`` inside the
   timed section, as the project's loader builds its own.
4. **unchanged** - ``graphmodel load DATASET URI --replace`` in a fresh interpreter over the
   database the project's load left: the whole command (reading the folder included).
   Whether it wrote anything is read from the server's bookmarks (a read transaction's
   bookmark names the last committed transaction) before and after.
5. **1% changed** - ``graphmodel load CHANGED URI --replace``, CHANGED being the dataset with
   1% of the rows of every node table changed (a new name or title; events also cover one
   other competency, initiatives get a new budget) and 1% of the training events,
   requirements and workforce rows removed. Afterwards the label and type counts must be
   CHANGED's.
6. **naive** - one auto-commit ``session.run`` per row on a 1% sample (``--naive-fraction``),
   nodes then relationships, the rest of the nodes batch-loaded untimed in between.

Memory, beside every time: the peak RSS of the Python process doing the work (this process,
sampled, for the in-process methods; the child's own high-water mark from ``wait4`` for the
commands), the server's RSS (sampled every 0.1 s from ``NEO4J_RUN_DIR/neo4j.pid``), and the
largest ``estimatedUsedHeapMemory`` of one transaction (``SHOW TRANSACTIONS`` every 0.1 s):
the server memory a load's transaction needs, which must fit the server's
``db.memory.transaction.total.max``.

Goals, as ratios against measurements of the same run: project (empty) >= 0.8x the
baseline's throughput; unchanged <= 1.5x validate's time and nothing written; 1% changed
<= 2x validate's time; project >= 20x the naive loader's throughput. It always exits 0: it
is a measurement, not a test.

Run (the local server must be up: ``bash neo4j-server/neo4j.sh up``; it empties the target
database, never point it at one whose data you need)::

    .venv/bin/python bench/load_neo4j.py                   # national scale, about 6 minutes
    .venv/bin/python bench/load_neo4j.py --scale 0.1       # a tenth, for a quick look
    .venv/bin/python bench/load_neo4j.py --shape hub

Options: ``--scale``, ``--shape``, ``--batch-size`` (10000), ``--naive-fraction`` (0.01),
``--seed`` (1), ``--dataset FOLDER`` (load a saved dataset instead of generating one),
``--repeat`` (2), ``--methods`` (a subset of validate, project, unchanged, changed, baseline,
naive), ``--no-warmup``, ``--uri``/``--user``/``--password``.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import neo4j
from common import measure_command, neo4j_arguments
from neo4j import GraphDatabase
from rich.console import Console
from rich.table import Table

from graphmodel.backends.base import Neo4jSettings
from graphmodel.backends.neo4j import Neo4jBackend, batched
from graphmodel.dataset import read_dataset
from graphmodel.graph import GraphCounts, dataset_nodes, spec_relationships
from graphmodel.io.tabular import write_dataset
from graphmodel.model import LABEL_TABLES, RELATIONSHIP_TYPES, RELATIONSHIPS, Dataset
from graphmodel.queries import statements
from graphmodel.synthetic import Scale, synthetic_dataset

REPO = Path(__file__).resolve().parents[1]
RUN_DIR = Path(os.environ.get("NEO4J_RUN_DIR", REPO / "neo4j-server" / "run"))
GOAL_VS_BASELINE = 0.8  # throughput, at least
GOAL_UNCHANGED = 1.5  # times validate, at most
GOAL_CHANGED = 2.0  # times validate, at most
GOAL_VS_NAIVE = 20.0  # throughput, at least
METHODS = ("validate", "project", "unchanged", "changed", "baseline", "naive")

console = Console(highlight=False, width=max(Console().width, 150))

Rows = list[dict[str, Any]]


# -- the datasets ----------------------------------------------------------------------------


def hub_shape(dataset: Dataset) -> Dataset:
    """Every initiative also responds to ``dr-0``: one driver thousands answer."""
    initiatives = [
        row.model_copy(update={"responds_to": sorted({*row.responds_to, "dr-0"})})
        for row in dataset.initiatives
    ]
    return dataset.model_copy(update={"initiatives": initiatives})


def changed_copy(dataset: Dataset, share: float, seed: int) -> Dataset:
    """``share`` of every node table's rows changed, ``share`` of the unreferenced rows removed.

    Changed: a name or title gets " (revised)"; a changed training event also covers
    another competency instead of its first; a changed initiative gets a new budget.
    Removed: training events, requirements and workforce rows (nothing refers to them, so
    the result stays valid).
    """
    rng = random.Random(seed)
    competencies = [c.id for c in dataset.competencies]
    update: dict[str, list[Any]] = {}
    for table in ("frameworks", "competencies", "professions", "organisations", "drivers"):
        rows = list(dataset.table(table))
        for index in rng.sample(range(len(rows)), math.ceil(len(rows) * share)):
            rows[index] = rows[index].model_copy(update={"name": f"{rows[index].name} (revised)"})
        update[table] = rows
    initiatives = list(dataset.initiatives)
    for index in rng.sample(range(len(initiatives)), math.ceil(len(initiatives) * share)):
        row = initiatives[index]
        initiatives[index] = row.model_copy(
            update={"title": f"{row.title} (revised)", "budget": (row.budget or 0.0) + 1000.0}
        )
    update["initiatives"] = initiatives
    events = list(dataset.training_events)
    for index in rng.sample(range(len(events)), math.ceil(len(events) * share)):
        row = events[index]
        covers = sorted({rng.choice(competencies), *row.covers[1:]})
        events[index] = row.model_copy(update={"title": f"{row.title} (revised)", "covers": covers})
    for table, rows in (
        ("training_events", events),
        ("requirements", list(dataset.requirements)),
        ("workforce", list(dataset.workforce)),
    ):
        gone = set(rng.sample(range(len(rows)), math.ceil(len(rows) * share)))
        update[table] = [row for index, row in enumerate(rows) if index not in gone]
    return dataset.model_copy(update=update)


def expected_counts(dataset: Dataset) -> GraphCounts:
    """The label and type counts a full load of ``dataset`` gives."""
    nodes = {label: len(dataset.table(table)) for label, table in LABEL_TABLES.items()}
    relationships = dict.fromkeys(RELATIONSHIP_TYPES, 0)
    for spec in RELATIONSHIPS:
        relationships[spec.type] += sum(1 for _ in spec_relationships(dataset, spec))
    return GraphCounts(nodes, relationships)


# -- measurements ----------------------------------------------------------------------------


@dataclass
class Result:
    """One method: what it wrote, how long it took, what it cost in memory."""

    method: str
    rows: int = 0
    seconds: float = 0.0
    wrote: bool | None = None
    counts_ok: bool | None = None
    counts_note: str = ""
    error: str | None = None
    client_peak_kib: int | None = None
    server_peak_kib: int | None = None
    transaction_peak_kib: int | None = None

    @property
    def rate(self) -> float | None:
        return self.rows / self.seconds if self.seconds > 0 and self.error is None else None


def _status_kib(pid: int | str, key: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def server_pid() -> int | None:
    """The local server's pid (``NEO4J_RUN_DIR/neo4j.pid``) if it is alive."""
    try:
        pid = int((RUN_DIR / "neo4j.pid").read_text().strip())
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
    """Peaks while a method runs, sampled every 0.1 s: RSS of this process and of the server,
    and the largest transaction's estimated heap (``SHOW TRANSACTIONS``)."""

    def __init__(self, driver: neo4j.Driver, interval: float = 0.1) -> None:
        self.driver = driver
        self.pid = server_pid()
        self.interval = interval
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
        while True:
            for key, pid in (("client", "self"), ("server", self.pid)):
                rss = _status_kib(pid, "VmRSS") if pid else None
                if rss:
                    self.peaks[key] = max(self.peaks[key], rss)
            heap = self._transaction_heap_kib()
            self.peaks["transaction"] = max(self.peaks["transaction"], heap)
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
            # A command's own high-water mark (wait4) wins over this process's samples.
            result.client_peak_kib = result.client_peak_kib or self.peaks["client"] or None
            result.server_peak_kib = self.peaks["server"] or None
            result.transaction_peak_kib = self.peaks["transaction"] or None


def run_command(*args: str) -> tuple[float, int, str]:
    """``graphmodel ARGS`` in a fresh interpreter: wall seconds, its peak RSS (KiB), stdout.

    ``common.measure_command`` runs it (the peak is the child's own, from ``wait4``). A
    failing command stops only this method, with its error output, so it is re-raised as
    an ordinary error for ``attempt`` instead of ending the benchmark.
    """
    try:
        measured = measure_command(*args)
    except SystemExit as failed:
        raise RuntimeError(str(failed)) from None
    return measured.seconds, measured.peak // 1024, measured.result


def last_bookmark(driver: neo4j.Driver) -> frozenset[str]:
    """The bookmark of a read transaction: it names the last committed transaction."""
    with driver.session() as session:
        session.execute_read(lambda tx: tx.run("RETURN 1").consume())
        return frozenset(session.last_bookmarks().raw_values)


# -- database housekeeping -------------------------------------------------------------------


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


def check_counts(
    driver: neo4j.Driver, settings: Neo4jSettings, expected: GraphCounts
) -> tuple[bool, str]:
    found = Neo4jBackend(driver, settings).counts()
    wrong = [
        f"{name}: {found_map.get(name, 0)} != {want}"
        for found_map, want_map in (
            (found.nodes, expected.nodes),
            (found.relationships, expected.relationships),
        )
        for name, want in want_map.items()
        if found_map.get(name, 0) != want
    ]
    return not wrong, "; ".join(wrong[:4])


# -- the in-process loaders ------------------------------------------------------------------


def node_rows(dataset: Dataset) -> dict[str, Rows]:
    rows: dict[str, Rows] = {label: [] for label in LABEL_TABLES}
    for node in dataset_nodes(dataset):
        rows[node.label].append(node.properties)
    return rows


def relationship_rows(dataset: Dataset, spec_index: int) -> Rows:
    return [
        {"source": rel.source, "target": rel.target, "properties": rel.properties}
        for rel in spec_relationships(dataset, RELATIONSHIPS[spec_index])
    ]


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


def _write_batches(session: neo4j.Session, query: str, rows: Rows, batch_size: int) -> None:
    def write(tx: neo4j.ManagedTransaction, batch: Rows) -> None:
        tx.run(query, rows=batch).consume()

    for batch in batched(rows, batch_size):
        session.execute_write(write, batch)


def run_project(settings: Neo4jSettings, dataset: Dataset, batch_size: int) -> Result:
    """The project's loader into the database as it is, the dataset already in memory."""
    result = Result("project (empty db, in process)")
    with Neo4jBackend.connect(settings) as backend:
        started = time.perf_counter()
        backend.load(dataset, replace=True, batch_size=batch_size)
        result.seconds = time.perf_counter() - started
    return result


def run_baseline(driver: neo4j.Driver, dataset: Dataset, batch_size: int) -> Result:
    """The hand-written loader: batches, each batch its own managed transaction."""
    result = Result("baseline (empty db, tx/batch)")
    started = time.perf_counter()
    with driver.session() as session:
        for statement in statements("schema"):
            session.run(statement).consume()
        for label, rows in node_rows(dataset).items():
            if rows:
                _write_batches(session, baseline_node_query(label), rows, batch_size)
        for index in range(len(RELATIONSHIPS)):
            rows = relationship_rows(dataset, index)
            if rows:
                _write_batches(session, baseline_relationship_query(index), rows, batch_size)
    result.seconds = time.perf_counter() - started
    return result


def sample_size(total: int, fraction: float) -> int:
    return min(total, max(1, math.ceil(total * fraction))) if total else 0


def run_naive(driver: neo4j.Driver, dataset: Dataset, fraction: float, batch_size: int) -> Result:
    """One auto-commit query per row on a sample; the other nodes batch-loaded untimed."""
    result = Result(f"naive (tx/row, {fraction:.0%} sample)")
    nodes = node_rows(dataset)
    with driver.session() as session:
        started = time.perf_counter()
        for label, rows in nodes.items():
            query = naive_node_query(label)
            for row in rows[: sample_size(len(rows), fraction)]:
                session.run(query, id=row["id"], row=row).consume()
                result.rows += 1
        node_seconds = time.perf_counter() - started
        for label, rows in nodes.items():
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
                result.rows += 1
        result.seconds = node_seconds + time.perf_counter() - started
    return result


# -- reporting -------------------------------------------------------------------------------


def fmt_mib(kib: int | None) -> str:
    return f"{kib / 1024:,.0f}" if kib else "-"


def results_table(results: list[Result]) -> Table:
    table = Table(title="Loads (rows = nodes + relationships of the dataset)")
    table.add_column("method")
    for name in ("rows", "seconds", "rows/s", "wrote", "counts"):
        table.add_column(name, justify="right")
    for name in ("client MiB", "server MiB", "tx heap MiB"):
        table.add_column(name, justify="right")
    for r in results:
        if r.counts_ok is None:
            counts = "-"
        else:
            counts = "[green]OK[/]" if r.counts_ok else f"[red]WRONG[/] {r.counts_note}"
        wrote = "-" if r.wrote is None else ("yes" if r.wrote else "nothing")
        table.add_row(
            r.method,
            f"{r.rows:,}" if r.rows else "-",
            f"{r.seconds:,.1f}" if r.error is None else "[red]FAILED[/]",
            f"{r.rate:,.0f}" if r.rate else "-",
            wrote,
            counts,
            fmt_mib(r.client_peak_kib),
            fmt_mib(r.server_peak_kib),
            fmt_mib(r.transaction_peak_kib),
        )
    return table


def verdict(value: float | None, goal: float, at_least: bool, what: str) -> str:
    if value is None:
        return f"{what}: [bold red]n/a (a method failed or was not run)[/]"
    met = value >= goal if at_least else value <= goal
    mark = "[bold green]PASS[/]" if met else "[bold red]FAIL[/]"
    sign = ">=" if at_least else "<="
    return f"{what}: {value:,.2f}x (goal {sign} {goal:g}x) {mark}"


def throughput_ratio(a: Result | None, b: Result | None) -> float | None:
    if a is None or b is None or not a.rate or not b.rate:
        return None
    return a.rate / b.rate


def time_ratio(a: Result | None, b: Result | None) -> float | None:
    if a is None or b is None or a.error or b.error or not b.seconds:
        return None
    return a.seconds / b.seconds


# -- main ------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="times national (1.0)")
    parser.add_argument("--shape", choices=("national", "hub"), default="national")
    parser.add_argument("--batch-size", type=int, default=10_000, help="rows per batch")
    parser.add_argument("--naive-fraction", type=float, default=0.01, help="naive sample")
    parser.add_argument("--seed", type=int, default=1, help="synthetic dataset seed")
    parser.add_argument(
        "--dataset",
        type=Path,
        help="a dataset folder to load instead of the synthetic one (for example a saved "
        "national-scale CSV folder; --scale and --seed then only shape the warm-up)",
    )
    parser.add_argument("--repeat", type=int, default=2, help="validate: best of N")
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
    result.client_peak_kib = result.client_peak_kib or failed.client_peak_kib
    result.server_peak_kib = failed.server_peak_kib
    result.transaction_peak_kib = failed.transaction_peak_kib
    return result


def main() -> None:
    args = parse_args()
    settings = Neo4jSettings(args.uri, args.user, args.password)
    chosen = {name.strip() for name in args.methods.split(",")}
    console.rule(
        f"[bold]Neo4j load benchmark[/] scale {args.scale:g}, shape {args.shape}, "
        f"batch {args.batch_size:,}"
    )
    pid = server_pid()
    console.print(
        f"server {args.uri}; local server pid {pid or 'not found'}, heap -Xmx{server_heap(pid)}"
    )
    started = time.perf_counter()
    if args.dataset is not None:
        dataset = read_dataset(args.dataset)
    else:
        dataset = synthetic_dataset(Scale.national().scaled(args.scale), seed=args.seed)
    if args.shape == "hub":
        dataset = hub_shape(dataset)
    changed = changed_copy(dataset, 0.01, seed=args.seed + 100)
    expected, expected_changed = expected_counts(dataset), expected_counts(changed)
    rows = sum(expected.nodes.values()) + sum(expected.relationships.values())
    console.print(
        f"dataset: {sum(expected.nodes.values()):,} nodes, "
        f"{sum(expected.relationships.values()):,} relationships; 1% changed: "
        f"{sum(expected_changed.nodes.values()):,} nodes, "
        f"{sum(expected_changed.relationships.values()):,} relationships "
        f"({'read' if args.dataset else 'generated'} in {time.perf_counter() - started:.1f} s)"
    )
    credentials = ["--user", args.user, "--password", args.password]
    driver = GraphDatabase.driver(args.uri, auth=(args.user, args.password))
    memory = MemoryWatch(driver)
    results: dict[str, Result] = {}
    with tempfile.TemporaryDirectory() as folder:
        base, edited = Path(folder) / "national", Path(folder) / "changed"
        write_dataset(dataset, base)
        write_dataset(changed, edited)
        try:
            driver.verify_connectivity()
            if args.warmup:
                console.print("warm-up (untimed): both batch loaders on a 1% dataset ...")
                small = synthetic_dataset(Scale.national().scaled(0.01), seed=args.seed + 1)
                empty_database(driver)
                run_project(settings, small, args.batch_size)
                empty_database(driver)
                run_baseline(driver, small, args.batch_size)

            def validate() -> Result:
                result = Result(f"validate (command, best of {args.repeat})", seconds=math.inf)
                for _ in range(args.repeat):
                    seconds, peak, _ = run_command("validate", str(base))
                    if seconds < result.seconds:
                        result.seconds, result.client_peak_kib = seconds, peak
                return result

            def project() -> Result:
                empty_database(driver)
                result = run_project(settings, dataset, args.batch_size)
                result.rows = rows
                result.counts_ok, result.counts_note = check_counts(driver, settings, expected)
                return result

            def load_command(name: str, path: Path, want: GraphCounts) -> Result:
                before = last_bookmark(driver)
                seconds, peak, out = run_command(
                    "load", str(path), args.uri, "--replace", *credentials
                )
                result = Result(name, rows=rows, seconds=seconds, client_peak_kib=peak)
                result.wrote = last_bookmark(driver) != before
                result.counts_ok, result.counts_note = check_counts(driver, settings, want)
                console.print(f"  {out.strip().splitlines()[-1] if out.strip() else ''}")
                return result

            def baseline() -> Result:
                empty_database(driver)
                result = run_baseline(driver, dataset, args.batch_size)
                result.rows = rows
                result.counts_ok, result.counts_note = check_counts(driver, settings, expected)
                return result

            def naive() -> Result:
                empty_database(driver)
                return run_naive(driver, dataset, args.naive_fraction, args.batch_size)

            steps: list[tuple[str, Callable[[], Result]]] = [
                ("validate", validate),
                ("project", project),
                (
                    "unchanged",
                    lambda: load_command("unchanged reload (command)", base, expected),
                ),
                (
                    "changed",
                    lambda: load_command("1% changed (command)", edited, expected_changed),
                ),
                ("baseline", baseline),
                ("naive", naive),
            ]
            for key, run in steps:
                if key not in chosen:
                    continue
                if key == "unchanged" and "project" not in chosen:
                    empty_database(driver)
                    run_project(settings, dataset, args.batch_size)
                console.print(f"{key} ...")
                results[key] = result = attempt(key, memory, run)
                if result.error is None:
                    console.print(
                        f"  {result.method}: {result.seconds:,.1f} s, "
                        f"tx heap {fmt_mib(result.transaction_peak_kib)} MiB"
                    )
            empty_database(driver)
        except Exception as error:  # a measurement: report, exit 0
            console.print(f"[bold red]benchmark stopped[/]: {type(error).__name__}: {error}")
        finally:
            driver.close()

    console.print()
    console.print(results_table(list(results.values())))
    console.print(
        "client MiB: peak RSS of the process doing the work (the command's own for commands);\n"
        "server MiB: the server's peak RSS while the method ran; tx heap MiB: the largest "
        "estimatedUsedHeapMemory of one transaction (SHOW TRANSACTIONS every 0.1 s)."
    )
    get = results.get
    console.print(
        verdict(
            throughput_ratio(get("project"), get("baseline")),
            GOAL_VS_BASELINE,
            True,
            "project / baseline throughput, empty database",
        )
    )
    unchanged = get("unchanged")
    console.print(
        verdict(
            time_ratio(unchanged, get("validate")),
            GOAL_UNCHANGED,
            False,
            "unchanged reload / validate time",
        )
        + (
            ""
            if unchanged is None or unchanged.wrote is None
            else (
                " [bold green]nothing written[/]"
                if not unchanged.wrote
                else " [bold red]it wrote to the database[/]"
            )
        )
    )
    console.print(
        verdict(
            time_ratio(get("changed"), get("validate")),
            GOAL_CHANGED,
            False,
            "1% changed reload / validate time",
        )
    )
    console.print(
        verdict(
            throughput_ratio(get("project"), get("naive")),
            GOAL_VS_NAIVE,
            True,
            "project / naive throughput",
        )
    )
    if (changed_result := get("changed")) is not None:
        console.print(
            "peak server transaction memory of the 1% sync: "
            f"{fmt_mib(changed_result.transaction_peak_kib)} MiB"
        )


if __name__ == "__main__":
    main()
