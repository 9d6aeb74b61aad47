"""`nir csv` on a 100,000-row .xlsx against python-calamine reading the same sheet.

    python benchmarks/bench_sheets.py benchmarks/data/hr_1e6.csv --rows 100000

Builds the workbook from a generated CSV export (NIR cells as numbers where they are
digits, the way Excel stores them), then times, interleaved (calamine, nir csv,
calamine, ...) so that a shared machine's load falls on both sides alike: calamine
loading the sheet and iterating its rows, in this process, and the `nir csv` command
reading it (CSV to /dev/null), a process of its own: its start-up is part of the
figure and printed beside it. Medians (and the best) of wall-clock and of user+sys
CPU. The command runs without PYTHONDONTWRITEBYTECODE, as an installed nir does: with
it every run would compile nir's source first.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import python_calamine
import xlsxwriter


def build(source: Path, target: Path, rows: int) -> None:
    with source.open(encoding="utf-8", newline="") as handle:
        records = list(islice(csv.reader(handle, delimiter=";"), rows + 1))
    book = xlsxwriter.Workbook(str(target), {"constant_memory": True})
    sheet = book.add_worksheet("export")
    nir_column = records[0].index("nir")
    for index, record in enumerate(records):
        for column, value in enumerate(record):
            if index and column == nir_column and value.isdigit() and len(value) == 15:
                sheet.write_number(index, column, int(value))
            else:
                sheet.write_string(index, column, value)
    book.close()


def calamine_read(path: Path) -> None:
    with python_calamine.load_workbook(str(path)) as book:
        for _ in book.get_sheet_by_index(0).iter_rows():
            pass


@dataclass
class Runs:
    """Wall-clock and user+sys CPU seconds of each run of one side."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def time(self, run: Callable[[], object], cpu: Callable[[], float]) -> None:
        cpu_start, start = cpu(), time.perf_counter()
        run()
        self.wall.append(time.perf_counter() - start)
        self.cpu.append(cpu() - cpu_start)

    def line(self, name: str) -> str:
        return (
            f"{name}: wall median {statistics.median(self.wall):.3f} s (best {min(self.wall):.3f}),"
            f" cpu median {statistics.median(self.cpu):.3f} s"
        )


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("source", type=Path)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench_sheets.xlsx"))  # noqa: S108
    args = parser.parse_args()
    build(args.source, args.out, args.rows)
    nir = [sys.executable, "-m", "nir", "csv", str(args.out), "-o", "/dev/null"]
    start = [sys.executable, "-c", "import nir.cli, nir._sheets, python_calamine"]
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(start, check=True, env=env)  # writes the bytecode caches once
    calamine, command, startup = Runs(), Runs(), Runs()
    for _ in range(args.repeat):
        calamine.time(lambda: calamine_read(args.out), time.process_time)
        command.time(
            lambda: subprocess.run(nir, check=False, capture_output=True, env=env), children_cpu
        )
        startup.time(lambda: subprocess.run(start, check=True, env=env), children_cpu)
    print(calamine.line("calamine"))
    print(command.line("nir csv"))
    print(startup.line("of which start-up"))
    wall = statistics.median(command.wall) / statistics.median(calamine.wall)
    cpu = statistics.median(command.cpu) / statistics.median(calamine.cpu)
    print(f"ratio nir csv / calamine: {wall:.2f} (medians; cpu {cpu:.2f})")


if __name__ == "__main__":
    main()
