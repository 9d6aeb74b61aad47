"""Start-up cost: whole-process times of the commands people run one number at a time.

Each command runs `--runs` times, interleaved (A B C ... A B C ...) so that load on a
shared machine hits them all alike; the median is reported, with `python -c pass`
as the in-run floor. Then `python -X importtime -c "import nir"`, run as often, gives
the modules that cost most (median self time, in ms).

Installed packages carry their bytecode; an editable checkout under
PYTHONDONTWRITEBYTECODE (as here) would compile nir from source at every start,
so nir's and click's directories are byte-compiled first (`--no-compile` skips it).

    python benchmarks/bench_startup.py [--runs 21] [--top 15] [--python PATH]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

NUMBER = "255081416802538"


def commands(python: str) -> dict[str, list[str]]:
    """What is timed, by label; the `nir` command is the script beside `python`."""
    nir = str(Path(python).parent / "nir")
    return {
        "python -c pass": [python, "-c", "pass"],
        "python -c 'import nir'": [python, "-c", "import nir"],
        "nir --version": [nir, "--version"],
        f"nir check {NUMBER[:4]}...": [nir, "check", NUMBER],
    }


def wall_time(command: list[str]) -> float:
    """Seconds for one run of `command`, its output discarded."""
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def import_self_times(python: str) -> dict[str, float]:
    """Self time (microseconds) of each module `import nir` loads, from -X importtime."""
    out = subprocess.run(
        [python, "-X", "importtime", "-c", "import nir"],
        capture_output=True,
        text=True,
        check=True,
    )
    times: dict[str, float] = {}
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _, name = line.removeprefix("import time:").split("|")
        times[name.strip()] = float(self_us)
    return times


def compile_bytecode(python: str) -> None:
    """Write the .pyc files of nir and click, as an installed package has them."""
    where = (
        "import importlib.util as u; "
        "print('\\n'.join(u.find_spec(m).submodule_search_locations[0] for m in ('nir', 'click')))"
    )
    folders = subprocess.run(
        [python, "-c", where], capture_output=True, text=True, check=True
    ).stdout.split()
    subprocess.run([python, "-m", "compileall", "-q", *folders], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--no-compile", action="store_true", help="time as the files are")
    args = parser.parse_args()
    if not args.no_compile:
        compile_bytecode(args.python)

    timed = commands(args.python)
    env_note = " (NIR_PURE_PYTHON set)" if os.environ.get("NIR_PURE_PYTHON") else ""
    samples: dict[str, list[float]] = {label: [] for label in timed}
    for _ in range(args.runs):
        for label, command in timed.items():
            samples[label].append(wall_time(command))
    print(f"whole process, median of {args.runs} interleaved runs{env_note}:")
    floor = statistics.median(samples["python -c pass"])
    for label, values in samples.items():
        median = statistics.median(values)
        print(
            f"  {label:28s} {median * 1e3:7.1f} ms   (+{(median - floor) * 1e3:6.1f} ms over pass)"
        )

    self_times: dict[str, list[float]] = {}
    for _ in range(args.runs):
        for name, value in import_self_times(args.python).items():
            self_times.setdefault(name, []).append(value)
    medians = {name: statistics.median(values) for name, values in self_times.items()}
    total = sum(medians.values())
    print(
        f"\npython -X importtime -c 'import nir': top {args.top} of {len(medians)} modules "
        f"by median self time (sum {total / 1e3:.1f} ms):"
    )
    for name, value in sorted(medians.items(), key=lambda item: -item[1])[: args.top]:
        print(f"  {value / 1e3:6.2f} ms  {name}")


if __name__ == "__main__":
    main()
