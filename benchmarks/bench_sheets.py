"""`nir csv` on a 100,000-row .xlsx against python-calamine reading the same sheet.

    python benchmarks/bench_sheets.py benchmarks/data/hr_1e6.csv --rows 100000

Builds the workbook from a generated CSV export (NIR cells as numbers where they are
digits, the way Excel stores them), then times, best of 3: calamine loading the
sheet and iterating its rows, and `nir csv` reading it (CSV to /dev/null).
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import time
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


def best(run: object, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("source", type=Path)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench_sheets.xlsx"))  # noqa: S108
    args = parser.parse_args()
    build(args.source, args.out, args.rows)
    nir = [sys.executable, "-m", "nir", "csv", str(args.out), "-o", "/dev/null"]
    calamine = best(lambda: calamine_read(args.out))
    command = best(lambda: subprocess.run(nir, check=False, capture_output=True))
    start = [sys.executable, "-c", "import nir.cli"]
    startup = best(lambda: subprocess.run(start, check=True))
    print(
        f"calamine: {calamine:.3f} s; nir csv: {command:.3f} s (of which start-up {startup:.3f} s)"
    )
    print(f"ratio nir csv / calamine: {command / calamine:.2f}")


if __name__ == "__main__":
    main()
