"""Benchmark: reading the national-scale dataset as .xlsx and .ods against the CSV folder.

In one run, for each shape of data, the dataset
(``synthetic_dataset(Scale.national(), seed=1)``: 100k training events, 14k
competencies, 40k requirements, 1.18M cells) is written as a CSV folder, an
.xlsx workbook (openpyxl, what ``export`` writes) and an .ods workbook
(stream-write-ods), then each is read and validated with ``read_dataset``,
each read in a fresh child process, timed inside it, with the child's own
peak resident memory (``VmHWM``, see :func:`peak_kib`):

- ``csv``: the CSV folder, the baseline;
- ``xlsx (openpyxl)``: the reader before this change (openpyxl's read-only
  mode), plugged into the same validation;
- ``xlsx`` and ``ods``: the reader now (python-calamine);
- ``rows only`` lines: the workbook libraries alone (every sheet's rows as
  Python lists, no validation), to show where the time goes.

Shapes: ``ids`` (every reference an id, as ``export`` writes) and ``names``
(the training events' targets, covers, lead organisation and initiative
written as names wherever a name is unique, as a strategist types them: each
resolved back to its id).

Goal: each workbook <= 2x the CSV folder's time. Add ``--libreoffice`` to
also have LibreOffice write the .xlsx and .ods (slow: minutes per file).

    .venv/bin/python bench/read_workbooks.py [--scale 1.0] [--shapes ids,names] [--no-before]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

console = Console()
GOAL = 2.0


# -- the child: one read, timed --------------------------------------------------------------


def openpyxl_read_workbook(path: Path, table_names: Any, log: Any) -> list[Any]:
    """The workbook reader before python-calamine (openpyxl, read-only), for the baseline."""
    import openpyxl

    from graphmodel.errors import Location
    from graphmodel.io.csv_folder import table_from_records
    from graphmodel.io.raw import RawTable, not_a_table

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    names = list(table_names)
    tables = []
    try:
        for sheet_name in workbook.sheetnames:
            source = f"{path}[{sheet_name}]"
            if sheet_name not in names:
                not_a_table(log, Location(source), sheet_name, names, "sheet")
                continue
            rows = workbook[sheet_name].iter_rows(values_only=True)
            table = table_from_records(sheet_name, source, rows, log)
            tables.append(table or RawTable(sheet_name, source, [], complete=False))
    finally:
        workbook.close()
    return tables


def rows_only(reader: str, path: Path) -> int:
    """Every sheet's rows as Python lists through one library; the number of rows."""
    count = 0
    if reader == "openpyxl":
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for name in workbook.sheetnames:
            count += sum(1 for _ in workbook[name].iter_rows(values_only=True))
        workbook.close()
        return count
    from python_calamine import CalamineWorkbook

    with CalamineWorkbook.from_path(path) as book:
        for name in book.sheet_names:
            count += sum(1 for _ in book.get_sheet_by_name(name).iter_rows())
    return count


def child(mode: str, path: Path) -> None:
    import graphmodel.dataset as dataset_module

    started = time.perf_counter()
    if mode.startswith("rows-"):
        rows = rows_only(mode.removeprefix("rows-"), path)
    else:
        if mode == "openpyxl":
            dataset_module.read_workbook = openpyxl_read_workbook  # type: ignore[assignment]
        dataset = dataset_module.read_dataset(path)
        rows = sum(len(dataset.table(name)) for name in dataset_module.TABLES)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "rows": rows, "peak_kib": peak_kib()}))


def peak_kib() -> int:
    """This process's peak resident set (VmHWM), in KiB.

    Not ``getrusage``: on Linux a child's ``ru_maxrss`` starts from its
    parent's peak (the parent's memory map counts until ``exec``), so every
    child of this script, which holds the dataset, would read as that large.
    """
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure(mode: str, path: Path) -> tuple[float, float, int]:
    """Run one read in a child: (seconds, peak MiB of the child, rows)."""
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", mode, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    output, errors = process.communicate()
    if process.returncode:
        raise SystemExit(f"reading {path} ({mode}) failed:\n{errors}")
    result = json.loads(output)
    return result["seconds"], result["peak_kib"] / 1024, result["rows"]


# -- the parent: write the files, read each, compare -----------------------------------------


def names_shape(tables: list[tuple[str, list[str], list[list[str]]]]) -> list[Any]:
    """The tables with the events' references written as (unique) names."""
    by_table = {name: (header, rows) for name, header, rows in tables}

    def unique_names(table: str, column: str) -> dict[str, str]:
        header, rows = by_table[table]
        ids, names = header.index("id"), header.index(column)
        counts = Counter("".join(row[names].split()).casefold() for row in rows)
        return {
            row[ids]: row[names]
            for row in rows
            if counts["".join(row[names].split()).casefold()] == 1
        }

    name_of = {
        "targets": unique_names("professions", "name"),
        "covers": unique_names("competencies", "name"),
        "lead_organisation": unique_names("organisations", "name"),
        "initiative": unique_names("initiatives", "title"),
    }
    header, rows = by_table["training_events"]
    positions = {column: header.index(column) for column in name_of}
    for row in rows:
        for column, position in positions.items():
            if row[position]:
                names = name_of[column]
                row[position] = ";".join(names.get(i, i) for i in row[position].split(";"))
    return tables


def timed(run: Callable[..., object], *args: object) -> float:
    started = time.perf_counter()
    run(*args)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--shapes", default="ids,names")
    parser.add_argument(
        "--before",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also read the .xlsx with the former openpyxl reader (slow)",
    )
    parser.add_argument("--libreoffice", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return

    from graphmodel.io.csv_folder import write_csv_folder
    from graphmodel.io.ods import write_ods
    from graphmodel.io.tabular import enum_choices, text_tables
    from graphmodel.io.workbook import write_workbook
    from graphmodel.model import TABLES
    from graphmodel.synthetic import Scale, synthetic_dataset

    dataset = synthetic_dataset(Scale.national().scaled(args.scale), seed=1)
    cells = sum(len(TABLES[name].columns) * len(dataset.table(name)) for name in TABLES)
    console.print(
        f"dataset: {len(dataset.training_events):,} events, {len(dataset.competencies):,} "
        f"competencies, {len(dataset.requirements):,} requirements; {cells:,} cells"
    )
    results = Table(title="Reading and validating a dataset (each in a fresh child process)")
    for column in ("shape", "format", "reader", "file MB", "read s", "x CSV", "peak MiB", "goal"):
        results.add_column(column, justify="left" if column in ("shape", "format") else "right")
    writes = Table(title="Writing the files")
    for column in ("shape", "format", "writer", "write s", "MB"):
        writes.add_column(column)
    with tempfile.TemporaryDirectory(prefix="graphmodel-bench-") as scratch:
        for shape in args.shapes.split(","):
            folder = Path(scratch) / shape
            folder.mkdir()
            tables = list(text_tables(dataset))
            if shape == "names":
                tables = names_shape(tables)
            files = {"csv": folder / "csv", "xlsx": folder / "d.xlsx", "ods": folder / "d.ods"}
            writers: dict[str, tuple[str, Callable[..., object]]] = {
                "csv": ("csv", write_csv_folder),
                "xlsx": ("openpyxl", partial(write_workbook, choices=enum_choices(), blank_rows=0)),
                "ods": ("stream-write-ods", write_ods),
            }
            for kind, (writer, write) in writers.items():
                seconds = timed(write, files[kind], tables)
                writes.add_row(shape, kind, writer, f"{seconds:.1f}", f"{size_mb(files[kind]):.1f}")
                console.print(f"{shape}: wrote {kind} in {seconds:.1f} s")
            if args.libreoffice:
                libreoffice_copies(files, folder, writes, shape)
            reads = [("csv", "csv", "csv", files["csv"])]
            if args.before:
                reads.append(("xlsx", "openpyxl (before)", "openpyxl", files["xlsx"]))
            reads += [
                ("xlsx", "calamine", "calamine", files["xlsx"]),
                ("ods", "calamine", "calamine", files["ods"]),
            ]
            if args.libreoffice:
                reads += [
                    ("xlsx by LibreOffice", "calamine", "calamine", folder / "lo" / "d.xlsx"),
                    ("ods by LibreOffice", "calamine", "calamine", folder / "lo" / "d.ods"),
                ]
            if shape == "ids":
                if args.before:
                    reads.append(("xlsx", "rows only: openpyxl", "rows-openpyxl", files["xlsx"]))
                reads += [
                    ("xlsx", "rows only: calamine", "rows-calamine", files["xlsx"]),
                    ("ods", "rows only: calamine", "rows-calamine", files["ods"]),
                ]
            baseline = None
            expected_rows = None
            for kind, reader, mode, path in reads:
                seconds, peak, rows = measure(mode, path)
                console.print(f"{shape}: {kind} {reader}: {seconds:.2f} s, {peak:.0f} MiB")
                if mode == "csv":
                    baseline, expected_rows = seconds, rows
                elif not mode.startswith("rows-"):
                    assert rows == expected_rows, f"{kind} {reader} read {rows} rows"
                ratio = seconds / baseline if baseline else 1.0
                goal = ""
                if mode == "calamine":
                    goal = "PASS" if ratio <= GOAL else "FAIL"
                results.add_row(
                    shape,
                    kind,
                    reader,
                    f"{size_mb(path):.1f}",
                    f"{seconds:.2f}",
                    f"{ratio:.2f}",
                    f"{peak:.0f}",
                    goal,
                )
    console.print(writes)
    console.print(results)
    console.print(
        f"Goal: a workbook read <= {GOAL:g}x the CSV folder's (ratios against the CSV read of "
        "the same shape, same run). Peak MiB is the child process's maximum resident set."
    )


def libreoffice_copies(files: dict[str, Path], folder: Path, writes: Table, shape: str) -> None:
    """Have LibreOffice write the .xlsx and .ods (from the .xlsx), as a user saving them would."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("--libreoffice needs soffice (make system-deps)")
    out = folder / "lo"
    for target in ("xlsx", "ods"):
        with tempfile.TemporaryDirectory(prefix="graphmodel-soffice-") as profile:
            started = time.perf_counter()
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation={Path(profile).as_uri()}",
                    "--headless",
                    "--convert-to",
                    target,
                    "--outdir",
                    str(out),
                    str(files["xlsx"]),
                ],
                check=True,
                capture_output=True,
            )
            seconds = time.perf_counter() - started
        path = out / f"d.{target}"
        writes.add_row(shape, target, "LibreOffice", f"{seconds:.1f}", f"{size_mb(path):.1f}")


def size_mb(path: Path) -> float:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir()) / 1e6
    return path.stat().st_size / 1e6


if __name__ == "__main__":
    main()
