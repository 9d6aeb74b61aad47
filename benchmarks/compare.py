"""Time `nir csv` against the baselines on the same file, in the same run.

Tools, each in a fresh process: `cat FILE > /dev/null` (the I/O floor), the 1-thread C
scanner (benchmarks/c_baseline/scan.c, built here with gcc -O2), the shared reference
scanner (../shared/bench/nirscan.c beside the project, when it is there: 1 thread, 2
threads, and its `lines` mode on a one-column file), `nir csv` (fast path, on every
usable core), `nir csv --jobs 1`, `nir csv` writing every row (the full annotated
output; beside it `cat` of that output into a new file renamed over the last, as nir
writes it: the kernel's cost of writing those bytes; and the same run to /dev/null),
`nir csv` with NIR_PURE_PYTHON=1 (pure-Python fallback) and the csv + python-stdnum
script users write today (benchmarks/baseline_stdnum.py). These check the number only
(`--no-identity`: the baselines do no more); `nir csv` with the export's identity
columns checked (sex, birth date) is timed beside them.

Processes run without PYTHONDONTWRITEBYTECODE and with nir and click byte-compiled
first, as an installed package is.

nirscan reads only ","-separated files: it runs on a twin of the data with ";" and ","
swapped (the same bytes, fields and quotes, so the same work), made once.

Method: the data file is generated once (or reused), then the tools run interleaved,
round after round, each right after an untimed `cat` of its input (warm page cache:
the development VM pages out files idle for a minute), and each tool's median wall
time is reported; peak RSS comes from wait4(2) (the process and the
children it waited for), read by a small C program that forks the tool
(benchmarks/c_baseline/peak.c: a child of compare.py itself would carry compare.py's
resident set as its high-water mark). A tool that is missing or fails is skipped
with a message.

    python benchmarks/compare.py                     # 1e6 rows, 3 rounds
    python benchmarks/compare.py --rows 10000000     # the big run (~1 GB)
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import generate
from bench_startup import compile_bytecode

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SCAN_SOURCE = HERE / "c_baseline" / "scan.c"
PEAK_SOURCE = HERE / "c_baseline" / "peak.c"
# The reference scanner shared by the projects on this machine, beside the checkout.
NIRSCAN_SOURCE = HERE.parent.parent / "shared" / "bench" / "nirscan.c"
# Exit codes meaning "ran fine" for the validators: 0 all valid, 1 some invalid.
OK_CODES = (0, 1)


@dataclass
class Tool:
    """One command to time; `output` is where it writes the invalid rows, if it does."""

    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    output: Path | None = None
    skipped: str | None = None
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    peak_kb: list[int] = field(default_factory=list)
    invalid_rows: int | None = None


@dataclass(frozen=True)
class Run:
    """What one execution measured."""

    seconds: float
    cpu_seconds: float
    peak_kb: int
    exit_code: int
    stderr: str


def run(argv: Sequence[str], env: dict[str, str] | None = None, peak: Path | None = None) -> Run:
    """Run argv once (stdout to /dev/null), measure wall time, CPU time and peak RSS.

    posix_spawn + wait4 rather than subprocess: wait4 returns this child's own
    rusage (ru_maxrss in KiB on Linux), RUSAGE_CHILDREN would mix all the runs.
    With `peak` (peak.c, built), the tool runs under it and its rusage is peak's
    wait4 of it: a child of this process starts with this process's resident set
    as its high-water mark (posix_spawn runs it in our memory until it executes),
    a child of peak with peak's (about 1 MB). Without, that floor stays.
    """
    path = shutil.which(argv[0]) or argv[0]
    err_path = DATA / ".stderr"
    usage_path = DATA / ".rusage"
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, str(err_path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
    ]
    environment = {**os.environ, **(env or {})}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)  # .pyc files used, as once installed
    spawned = [path, *argv[1:]] if peak is None else [str(peak), str(usage_path), path, *argv[1:]]
    usage_path.unlink(missing_ok=True)
    started = time.perf_counter()
    pid = os.posix_spawn(spawned[0], spawned, environment, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    stderr = err_path.read_text(errors="replace").strip()
    if peak is None:
        return Run(
            seconds=seconds,
            cpu_seconds=usage.ru_utime + usage.ru_stime,
            peak_kb=usage.ru_maxrss,
            exit_code=os.waitstatus_to_exitcode(status),
            stderr=stderr,
        )
    if os.waitstatus_to_exitcode(status) != 0 or not usage_path.exists():
        return Run(seconds, 0.0, 0, 2, f"peak failed: {stderr}")  # peak's own message
    code, user, system, peak_kb = usage_path.read_text().split()
    return Run(seconds, float(user) + float(system), int(peak_kb), int(code), stderr)


def compiled(source: Path, binary: Path, flags: list[str], what: str) -> Path | str:
    """`source` compiled with gcc into `binary` (when stale); a str says why it could not."""
    if binary.exists() and binary.stat().st_mtime >= source.stat().st_mtime:
        return binary
    gcc = shutil.which("gcc")
    if gcc is None:
        return f"gcc not found: {what} is skipped"
    result = subprocess.run(
        [gcc, *flags, "-o", str(binary), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        return f"gcc failed, {what} is skipped:\n{result.stderr}"
    return binary


def build_scanner() -> Path | str:
    """Compile scan.c into benchmarks/data/; a str says why it could not."""
    return compiled(SCAN_SOURCE, DATA / "scan", ["-O2"], "the C baseline")


def build_peak() -> Path | str:
    """Compile peak.c (the rusage of a tool forked from a small process); a str says why not."""
    return compiled(PEAK_SOURCE, DATA / "peak", ["-O2"], "the peak RSS probe")


def build_nirscan() -> Path | str:
    """Compile the shared nirscan.c into benchmarks/data/; a str says why it could not."""
    if not NIRSCAN_SOURCE.exists():
        return f"{NIRSCAN_SOURCE} not found: the shared C scanner is skipped"
    return compiled(NIRSCAN_SOURCE, DATA / "nirscan", ["-O2", "-pthread"], "the shared C scanner")


def twin_name(path: Path) -> Path:
    """Where `comma_twin` keeps the twin of `path`."""
    return path.with_name(path.stem + "_comma.csv")


def comma_twin(path: Path) -> Path:
    """The data with ";" and "," swapped (made once): nirscan reads ","-separated files."""
    twin = twin_name(path)
    if twin.exists() and twin.stat().st_mtime >= path.stat().st_mtime:
        return twin
    swap = bytes.maketrans(b";,", b",;")
    partial = twin.with_suffix(".partial")
    with path.open("rb") as source, partial.open("wb") as target:
        while block := source.read(1 << 24):
            target.write(block.translate(swap))
    partial.rename(twin)
    return twin


def nirscan_tools(path: Path, columns: int, nirscan: Path | str) -> list[Tool]:
    """nirscan 1 thread and 2 threads on the comma twin, `lines` on a one-column file."""
    names = ("nirscan, 1 thread", "nirscan, 2 threads", "nirscan lines (one column)")
    if isinstance(nirscan, str):
        return [Tool(name, [], skipped=nirscan) for name in names]
    twin = comma_twin(path) if columns > 1 else path
    out = DATA / "out"
    tools = [
        Tool(names[0], [str(nirscan), "csv", str(twin), "nir", str(out / "nirscan.csv")]),
        Tool(names[1], [str(nirscan), "csv2", str(twin), "nir", str(out / "nirscan2.csv")]),
        Tool(names[2], [str(nirscan), "lines", str(path)]),
    ]
    if columns > 1:
        tools[2].skipped = "needs a one-column file (--columns 1)"
    return tools


def nir_command() -> str | None:
    """The `nir` script of this interpreter's environment, else the one on PATH."""
    beside = Path(sys.executable).parent / "nir"
    return str(beside) if beside.exists() else shutil.which("nir")


def data_file(rows: int, columns: int, seed: int) -> Path:
    """Generate the data file once; later runs with the same arguments reuse it."""
    path = DATA / f"hr_{rows}_{columns}c_seed{seed}.csv"
    if path.exists():
        print(f"reusing {path}", file=sys.stderr)
        return path
    spec = generate.Spec(rows=rows, columns=columns, seed=seed)
    partial = path.with_suffix(".partial")
    stats = generate.write(spec, partial, jobs=os.cpu_count() or 1)
    partial.rename(path)
    print(
        f"generated {path}: {stats.bytes / 1e6:.0f} MB in {stats.seconds:.1f} s "
        f"({stats.rows / stats.seconds:,.0f} rows/s), invalid share {stats.invalid_share:.2%}",
        file=sys.stderr,
    )
    return path


def tools_for(  # noqa: PLR0917  # each a separate input of the run
    path: Path,
    column: str,
    scanner: Path | str,
    nir: str | None,
    nirscan: Path | str = "not asked for",
    columns: int = 10,
) -> list[Tool]:
    """The commands to compare, in the order they run within each round."""
    out = DATA / "out"
    out.mkdir(exist_ok=True)
    tools = [Tool("cat (I/O floor)", ["cat", str(path)])]
    c_out = out / "c.csv"
    c_tool = Tool("C, 1 thread (scan.c)", [str(scanner), str(path), str(c_out)], output=c_out)
    c_tool.argv += ["--column", column]
    if isinstance(scanner, str):
        c_tool.skipped = scanner
    tools.append(c_tool)
    # Like for like: the baselines check the number only, so does nir here (the HR
    # export has sex and birth-date columns, which nir would check by default; the
    # run with them is timed apart, "identity columns checked").
    argv = [nir or "nir", "csv", str(path), "--column", column, "--no-identity"]
    argv += ["--only-invalid", "-o"]
    fast, pure = out / "nir.csv", out / "nir_pure.csv"
    tools.append(Tool("nir csv (fast path)", [*argv, str(fast)], output=fast))
    pure_env = {"NIR_PURE_PYTHON": "1"}
    tools.append(Tool("nir csv (NIR_PURE_PYTHON=1)", [*argv, str(pure)], pure_env, pure))
    one, every, copy = out / "nir_jobs1.csv", out / "nir_all.csv", out / "nir_all_copy.csv"
    nir_tools = [
        Tool("nir csv --jobs 1", [*argv[:-1], "--jobs", "1", "-o", str(one)], output=one),
        Tool("nir csv, every row written", [*argv[:-2], "-o", str(every)]),
        # What that file costs the kernel to write, whoever writes it: the same bytes
        # copied by cat (after the run above, in each round) as nir writes them, into
        # a new file then renamed over the last one (a new file costs this machine's
        # ext4 several times an overwrite), and nir's own share, the run to /dev/null.
        Tool(
            "cat of that output to a new file, renamed",
            ["sh", "-c", f'cat "{every}" > "{copy}.new" && mv -f "{copy}.new" "{copy}"'],
        ),
        Tool("nir csv, every row to /dev/null", [*argv[:-2], "-o", os.devnull]),
    ]
    if columns != 1:
        identity = out / "nir_identity.csv"
        nir_tools.append(
            Tool(
                "nir csv, identity columns checked",
                [a for a in argv if a != "--no-identity"] + [str(identity)],
                output=identity,
            )
        )
    std_out = out / "stdnum.csv"
    baseline = HERE / "baseline_stdnum.py"
    tools.append(
        Tool(
            "csv + python-stdnum",
            [sys.executable, str(baseline), str(path), str(std_out), "--column", column],
            output=std_out,
        )
    )
    if nir is None:
        message = "no `nir` command found"
    else:
        probe = subprocess.run([nir, "csv", "--help"], capture_output=True, check=False)
        message = "" if probe.returncode == 0 else "`nir csv` is not available in this build"
    for tool in [*tools[2:4], *nir_tools]:
        tool.skipped = tool.skipped or message or None
    return [*tools[:2], *nirscan_tools(path, columns, nirscan), *tools[2:3], *nir_tools, *tools[3:]]


def count_records(path: Path) -> int:
    """Rows in an output file, header excluded."""
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        return max(0, sum(1 for _ in csv.reader(handle, delimiter=";")) - 1)


def measure(tools: list[Tool], path: Path, rounds: int, peak: Path | None = None) -> None:
    """Run every tool once per round, interleaved, each just after its input is read.

    The untimed read puts the input in the page cache: some machines page out a
    file idle for a minute (the development VM's memory reclaim does), which a
    round of slow tools leaves the others' inputs for. An untimed `os.sync` then
    writes back what the tool before left dirty (the every-row run and its copy
    leave 2.8 GB): that write-back took a core from the tools after them.
    """
    data = {str(path), str(twin_name(path))}
    for number in range(1, rounds + 1):
        for tool in tools:
            if tool.skipped:
                continue
            inputs = [a for a in tool.argv if a in data]  # not outputs: they are replaced
            if inputs:
                run(["cat", *inputs])
            os.sync()
            result = run(tool.argv, tool.env, peak)
            if result.exit_code not in OK_CODES:
                tool.skipped = f"exit code {result.exit_code}: {result.stderr[-500:]}"
                continue
            tool.seconds.append(result.seconds)
            tool.cpu_seconds.append(result.cpu_seconds)
            tool.peak_kb.append(result.peak_kb)
            print(f"round {number}: {tool.name}: {result.seconds:.3f} s", file=sys.stderr)
    for tool in tools:
        if not tool.skipped and tool.output is not None and tool.output.exists():
            tool.invalid_rows = count_records(tool.output)


def machine() -> dict[str, str]:
    """CPU, cores, memory, OS and tool versions: what the numbers depend on."""
    info = {
        "cpu": platform.processor() or platform.machine(),
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "os": platform.platform(),
    }
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total = meminfo.read_text().split("\n", 1)[0].split()[1]
        info["memory"] = f"{int(total) / 2**20:.1f} GiB"
    if hasattr(os, "sched_getaffinity"):
        info["cores usable"] = str(len(os.sched_getaffinity(0)))
    gcc = shutil.which("gcc")
    if gcc:
        version = subprocess.run([gcc, "--version"], capture_output=True, text=True, check=False)
        info["gcc"] = version.stdout.split("\n", 1)[0]
    try:
        from importlib.metadata import version as package_version

        info["python-stdnum"] = package_version("python-stdnum")
        info["nir"] = package_version("nir")
    except ImportError:  # pragma: no cover - importlib.metadata is stdlib
        pass
    return info


def report(tools: list[Tool], path: Path, rows: int, rounds: int) -> dict[str, object]:
    """The results as a JSON-ready dict."""
    size = path.stat().st_size
    medians = {t.name: statistics.median(t.seconds) for t in tools if t.seconds}
    stdnum = medians.get("csv + python-stdnum")
    c_floor = medians.get("C, 1 thread (scan.c)")
    reference = medians.get("nirscan, 1 thread")
    results = []
    for tool in tools:
        entry: dict[str, object] = {"tool": tool.name, "command": " ".join(tool.argv)}
        if tool.env:
            entry["env"] = tool.env
        if tool.skipped or not tool.seconds:
            entry["skipped"] = tool.skipped or "no successful run"
            results.append(entry)
            continue
        median = medians[tool.name]
        entry |= {
            "seconds_median": median,
            "seconds_all": tool.seconds,
            "cpu_seconds_median": statistics.median(tool.cpu_seconds),
            "peak_rss_mb": max(tool.peak_kb) / 1024,
            "mb_per_s": size / 1e6 / median,
            "rows_per_s": rows / median,
            "speedup_vs_stdnum": stdnum / median if stdnum else None,
            "time_vs_c": median / c_floor if c_floor else None,
            "time_vs_nirscan": median / reference if reference else None,
            "invalid_rows_reported": tool.invalid_rows,
        }
        results.append(entry)
    return {
        "file": str(path),
        "rows": rows,
        "bytes": size,
        "rounds": rounds,
        "machine": machine(),
        "results": results,
    }


def markdown(data: dict[str, object]) -> str:
    """The report as a markdown table plus the machine it ran on."""
    title = (
        f"{data['rows']:,} rows, {int(str(data['bytes'])) / 1e6:,.0f} MB, "
        f"median of {data['rounds']} interleaved rounds, warm page cache"
    )
    columns = (
        "tool", "seconds", "CPU s", "MB/s", "speed-up vs stdnum", "time vs 1-thread C",
        "peak RSS MB", "invalid rows", "time vs nirscan 1 thread",
    )  # fmt: skip
    lines = [title, "", "| " + " | ".join(columns) + " |", "|---" + "|---:" * 8 + "|"]
    skipped = []
    results = data["results"]
    assert isinstance(results, list)
    for entry in results:
        if "skipped" in entry:
            skipped.append(f"* {entry['tool']}: skipped ({entry['skipped']})")
            continue
        speedup, versus_c = entry["speedup_vs_stdnum"], entry["time_vs_c"]
        invalid = entry["invalid_rows_reported"]
        versus_nirscan = entry["time_vs_nirscan"]
        lines.append(
            f"| {entry['tool']} | {entry['seconds_median']:.3f} | "
            f"{entry['cpu_seconds_median']:.2f} | {entry['mb_per_s']:,.0f} | "
            f"{f'{speedup:.1f}x' if speedup else '-'} | "
            f"{f'{versus_c:.2f}x' if versus_c else '-'} | {entry['peak_rss_mb']:.0f} | "
            f"{'-' if invalid is None else f'{invalid:,}'} | "
            f"{f'{versus_nirscan:.2f}x' if versus_nirscan else '-'} |"
        )
    machine_info = data["machine"]
    assert isinstance(machine_info, dict)
    lines += ["", *skipped, *([""] if skipped else []), "Machine:"]
    lines += [f"* {key}: {value}" for key, value in machine_info.items()]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Generate or reuse the data, time every tool, print the table (and JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--columns", type=int, choices=(1, 10), default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--nir", help="the `nir` command to time (default: this venv's, or PATH)")
    args = parser.parse_args(argv)

    DATA.mkdir(exist_ok=True)
    path = data_file(args.rows, args.columns, args.seed)
    compile_bytecode(sys.executable)
    scanner = build_scanner()
    nirscan = build_nirscan()
    peak = build_peak()
    if isinstance(peak, str):
        print(f"{peak}: peak RSS is floored at this process's (see run)", file=sys.stderr)
    tools = tools_for(path, "nir", scanner, args.nir or nir_command(), nirscan, args.columns)
    for tool in tools:
        if tool.skipped:
            print(f"skipping {tool.name}: {tool.skipped}", file=sys.stderr)
    measure(tools, path, args.rounds, None if isinstance(peak, str) else peak)
    data = report(tools, path, args.rows, args.rounds)
    print(markdown(data))
    if args.json:
        args.json.write_text(json.dumps(data, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
