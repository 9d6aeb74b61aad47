"""Every benchmark in one run, its output written into benchmarks/README.md.

    python benchmarks/report.py [--quick]      # or: make bench-report

Runs, one after another on the same machine: compare.py on the 10-million-row HR
export, on a 10-million-row one-column file and on 1 million rows; the per-call
benchmarks (pytest-benchmark); start-up; nir.arrow; nir.duckdb; the spreadsheet
path; Dask with 1 and 2 workers; nir dsn; the identity columns. Each script's own
output goes between the ``results`` markers of benchmarks/README.md, under the
machine's description, so the figures there always come from one run. `--quick`
runs every script on small inputs (to check the report works, not to quote).

Child processes run without PYTHONDONTWRITEBYTECODE and with nir and click
byte-compiled, as an installed package is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from bench_startup import compile_bytecode

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
BENCH_DATA = Path("/work/bench") if Path("/work/bench").is_dir() else HERE / "data"


def steps(quick: bool) -> list[tuple[str, list[str]]]:
    """(title, argv) of each benchmark, in the order they run."""
    python = sys.executable
    big, small = ("200000", "100000") if quick else ("10000000", "1000000")
    rounds = "1" if quick else "3"
    hr, identity = inputs(quick)
    script = str(HERE)
    return [
        (
            "nir csv, 10-column HR export",
            [python, f"{script}/compare.py", "--rows", big, "--rounds", rounds],
        ),
        (
            "nir csv, one-column file",
            [python, f"{script}/compare.py", "--rows", big, "--columns", "1", "--rounds", rounds],
        ),
        (
            "nir csv, 1e6 rows (start-up included)",
            [
                python,
                f"{script}/compare.py",
                "--rows",
                small,
                "--rounds",
                "5" if not quick else "1",
            ],
        ),
        (
            "Per call (pytest-benchmark)",
            [
                python,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                f"{script}/test_bench_core.py",
                "--benchmark-only",
                "--benchmark-columns=min,median,mean,rounds",
                "--benchmark-sort=name",
                "-o",
                "addopts=",
            ],
        ),
        ("Start-up", [python, f"{script}/bench_startup.py", "--runs", "5" if quick else "21"]),
        (
            "nir.arrow.check",
            [python, f"{script}/bench_arrow.py", "1000000" if quick else "10000000"],
        ),
        ("nir.duckdb", [python, f"{script}/bench_duckdb.py", "1000000" if quick else "10000000"]),
        (
            "Spreadsheet (.xlsx) input",
            [
                python,
                f"{script}/bench_sheets.py",
                str(hr),
                "--rows",
                "20000" if quick else "100000",
            ],
        ),
        (
            "Dask, 1 worker against 2",
            [python, f"{script}/bench_dask.py", "1000000" if quick else "10000000"],
        ),
        (
            "nir dsn",
            [
                python,
                f"{script}/bench_dsn.py",
                "--individuals",
                "100000" if quick else "1000000",
                "--rounds",
                "1" if quick else "5",
            ],
        ),
        (
            "Identity columns",
            [python, f"{script}/bench_identity.py", str(identity), "--runs", "1" if quick else "7"],
        ),
    ]


def inputs(quick: bool) -> tuple[Path, Path]:
    """The HR export of the spreadsheet step and the identity step's file (11 columns:
    with the birth place), 10 million rows unless quick."""
    identity = "id1m.csv" if quick else "id10m.csv"
    return BENCH_DATA / "hr1m.csv", BENCH_DATA / identity


def generate_inputs(quick: bool) -> None:
    """Write the inputs that are missing (a new machine has none): a step without its
    file would only report a FileNotFoundError."""
    hr, identity = inputs(quick)
    rows = {hr: ("1000000", "10"), identity: ("1000000" if quick else "10000000", "11")}
    for path, (count, columns) in rows.items():
        if not path.exists():
            print(f"== generating {path} ({count} rows, {columns} columns)", flush=True)
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(path.name + ".partial")  # an interrupted one is not it
            command = [sys.executable, str(HERE / "generate.py"), "--rows", count]
            try:
                subprocess.run([*command, "--columns", columns, "--out", str(partial)], check=True)
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
            partial.replace(path)


def machine() -> str:
    """One line on the machine, for the report's heading."""
    cpu = "unknown CPU"
    info = Path("/proc/cpuinfo")
    for line in info.read_text().splitlines() if info.exists() else []:
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def main() -> int:
    """Run every step, print its output as it comes, write the README section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small inputs, to check it runs")
    args = parser.parse_args()
    compile_bytecode(sys.executable)
    generate_inputs(args.quick)
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment["PYTHONPATH"] = str(HERE)
    started = dt.datetime.now(tz=dt.UTC)
    sections = []
    for title, argv in steps(args.quick):
        print(f"== {title}", flush=True)
        begin = time.perf_counter()
        done = subprocess.run(argv, env=environment, capture_output=True, text=True, check=False)
        output = (done.stdout + (done.stderr if done.returncode else "")).strip()
        print(output, flush=True)
        took = time.perf_counter() - begin
        status = "" if done.returncode == 0 else f" (exit {done.returncode})"
        shown = " ".join(["python", *argv[1:]]).replace(str(HERE), "benchmarks")
        sections.append(f"### {title}{status}\n\n`{shown}` ({took:.0f} s)\n\n```\n{output}\n```\n")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    heading = (
        f"Run of {started:%Y-%m-%d %H:%M} UTC{' (--quick: not for quoting)' if args.quick else ''}"
        f" on {machine()}; load average at the end: {load}.\n"
    )
    text = README.read_text()
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        README.write_text(f"{before}{START}\n{heading}\n" + "\n".join(sections) + f"{END}{after}")
        print(f"written into {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
