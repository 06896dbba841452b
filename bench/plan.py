"""Benchmark: a commissioning plan at national scale, against validate in the same run.

The dataset is ``synthetic_dataset(Scale.national(), seed=1)`` shaped by
``for_planning``: 100k training events of which a third keep their cost and
places, 1k professions whose workforce rows sum to some hundreds each, and
``--offers`` offers (each for five professions). Written as a CSV folder, then:

- ``validate``: reading and validating the folder, the floor any command pays
  (measured before and after the plan, best of two each; the baseline is their
  mean, since the load of a shared machine drifts);
- ``plan``: ``graphmodel plan DATASET --budget B --format json`` in a fresh
  interpreter (reading, gaps, candidate actions, the program, the greedy plan,
  the solver's stages, JSON), best of ``--repeat``;
- with ``--levels``: the dataset levelled first (``with_levels``: every framework
  on four levels, every requirement at one, events and offers covering at
  levels), so the program carries thresholds;
- with ``--neo4j``: the same plan on the local Neo4j server (the dataset
  loaded beforehand, not timed; offers given as a file), in this process, and
  whether its JSON equals the embedded one.

Goal: plan <= 10x validate, with the plan proven optimal or the proven bound
printed. Peak resident memory is printed beside each time, and the processor
time (user + system) with its ratio: on a busy shared machine it tells a slow
command from a slow machine.

    .venv/bin/python bench/plan.py [--scale 1.0] [--budget 300000] [--offers 100] [--levels]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from common import gib, measure, measure_command, neo4j_arguments
from rich.console import Console
from rich.table import Table

from graphmodel.analysis.plan import PlanQuery, plan
from graphmodel.backends import Neo4jSettings
from graphmodel.backends.neo4j import Neo4jBackend
from graphmodel.io.tabular import write_dataset
from graphmodel.synthetic import Scale, for_planning, synthetic_dataset, with_levels

console = Console()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--budget", type=float, default=300_000)
    parser.add_argument("--offers", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=None)
    parser.add_argument(
        "--levels",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="level the dataset first (frameworks, requirements, covers and offers at levels)",
    )
    parser.add_argument(
        "--neo4j",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="also plan on the local Neo4j server (loads the dataset into it)",
    )
    neo4j_arguments(parser)
    args = parser.parse_args()

    base = synthetic_dataset(Scale.national().scaled(args.scale), seed=1)
    if args.levels:
        base = with_levels(base, seed=3)
    dataset = for_planning(base, seed=2, offers=args.offers)
    costed = sum(e.cost is not None and bool(e.places) for e in dataset.training_events)
    console.print(
        f"dataset: {len(dataset.training_events):,} events ({costed:,} with cost and places), "
        f"{len(dataset.professions):,} professions, {len(dataset.competencies):,} competencies, "
        f"{len(dataset.requirements):,} requirements, {len(dataset.offers):,} offers; "
        f"budget £{args.budget:,.0f}"
    )
    options = ["--budget", str(args.budget)]
    if args.time_limit is not None:
        options += ["--time-limit", str(args.time_limit)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "national"
        write_dataset(dataset, path)
        # validate before and after the plan: on a shared machine the load drifts, and
        # the baseline is the mean of the two (each the best of its runs).
        before = measure_command("validate", str(path), repeat=max(args.repeat, 2))
        run = measure_command("plan", str(path), *options, "--format", "json", repeat=args.repeat)
        after = measure_command("validate", str(path), repeat=max(args.repeat, 2))
        validate_s = (before.seconds + after.seconds) / 2
        validate_peak = max(before.peak, after.peak)
        document = json.loads(run.result)
        neo4j_s = None
        neo4j_peak = 0
        same = None
        if args.neo4j:
            settings = Neo4jSettings(args.uri, args.user, args.password)
            with Neo4jBackend.connect(settings) as neo4j:
                neo4j.load(dataset, replace=True)
                query = PlanQuery(budget=args.budget, time_limit=args.time_limit)
                on_neo4j = measure(lambda: plan(neo4j, query, dataset.offers))
                neo4j_s, neo4j_peak = on_neo4j.seconds, on_neo4j.peak
                same = json.loads(json.dumps(on_neo4j.result)) == document

    ratio = run.seconds / validate_s
    validate_cpu = ((before.cpu or 0.0) + (after.cpu or 0.0)) / 2
    cpu_ratio = (run.cpu or 0.0) / validate_cpu if validate_cpu else float("nan")
    shape = ", levelled" if args.levels else ""
    table = Table(title=f"Commissioning plan, scale {args.scale:g}{shape}")
    for column in ("step", "seconds", "ratio", "cpu s", "cpu ratio", "peak", "goal"):
        table.add_column(column, justify="left" if column == "step" else "right")
    table.add_row(
        f"validate (read + validate CSV; {before.seconds:.1f} s before, {after.seconds:.1f} after)",
        f"{validate_s:.1f}",
        "1.00",
        f"{validate_cpu:.1f}",
        "1.00",
        gib(validate_peak),
        "floor",
    )
    table.add_row(
        "plan, embedded (whole command)",
        f"{run.seconds:.1f}",
        f"{ratio:.2f} x validate",
        f"{run.cpu or 0.0:.1f}",
        f"{cpu_ratio:.2f}",
        gib(run.peak),
        "<= 10 " + ("PASS" if ratio <= 10 else "FAIL"),
    )
    if neo4j_s is not None:
        table.add_row(
            "plan, neo4j (loaded; in process)",
            f"{neo4j_s:.1f}",
            f"{neo4j_s / run.seconds:.2f} x embedded",
            gib(neo4j_peak),
            "",
        )
    console.print(table)
    greedy = document["greedy"]
    summary = document["summary"]
    console.print(
        f"optimal: {document['optimal']} (proven bound {document['bound']:,g}); "
        f"severity closed {document['severity_closed']:,g} of {summary['severity']:,g} "
        f"({summary['gaps_closed']:,} of {summary['gaps']:,} gaps) for "
        f"£{document['cost']:,.2f} in {len(document['actions']):,} actions; "
        f"greedy {greedy['severity_closed']:,g} ({greedy['gaps_closed']:,} gaps) for "
        f"£{greedy['cost']:,.2f}; optimising bought "
        f"{document['severity_closed'] - greedy['severity_closed']:,g} severity"
    )
    console.print(f"program: {document['solver']['program']}")
    for stage in document["solver"]["stages"]:
        console.print(f"  stage {stage}")
    if same is not None:
        console.print(f"neo4j JSON equals embedded JSON: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
