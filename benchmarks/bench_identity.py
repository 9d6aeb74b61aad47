"""What the identity columns cost `nir csv`: the same run with and without --no-identity.

    python benchmarks/generate.py --rows 1000000 --columns 11 --out /work/bench/id1m.csv
    python benchmarks/bench_identity.py /work/bench/id1m.csv --runs 5

Times `nir csv FILE --column nir --only-invalid -o /dev/null` with the identity
columns checked (found by header: sexe, date_naissance, lieu_naissance) and with
--no-identity, interleaved (A B A B ...: a shared machine's load hits both alike),
each right after an untimed read of the file (a warm page cache for both, as
compare.py does: the development VM pages out a file idle for a minute, and a
first run from the disk took twice as long). It prints the median of each, their
ratio, and the median of the rounds' ratios (each round's pair of runs close in
time: the steadier figure when the machine's speed drifts). The target is 1.3 at most.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET = 1.3


def timed(command: list[str]) -> float:
    """Wall-clock seconds of one run; exit 0 or 1 (rows with findings) is a success."""
    started = time.perf_counter()
    completed = subprocess.run(command, check=False, capture_output=True)
    elapsed = time.perf_counter() - started
    if completed.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed:\n{completed.stderr.decode(errors='replace')}")
    return elapsed


def warm(path: Path) -> None:
    """Read the whole file once, untimed: its pages are in the cache for the run."""
    with path.open("rb") as handle:
        while handle.read(1 << 20):
            pass


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and print it; exit 1 when the ratio misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--nir", default=str(Path(sys.executable).with_name("nir")))
    args = parser.parse_args(argv)
    base = [args.nir, "csv", str(args.file), "--column", "nir", "--only-invalid", "-o", "/dev/null"]
    runs: dict[str, list[float]] = {"identity": [], "no-identity": []}
    for _ in range(args.runs):
        warm(args.file)
        runs["identity"].append(timed(base))
        warm(args.file)
        runs["no-identity"].append(timed([*base, "--no-identity"]))
    with_identity = statistics.median(runs["identity"])
    without = statistics.median(runs["no-identity"])
    ratio = with_identity / without
    rounds = [a / b for a, b in zip(runs["identity"], runs["no-identity"], strict=True)]
    per_round = statistics.median(rounds)
    for name, seconds in runs.items():
        shown = " ".join(f"{s:.2f}" for s in seconds)
        print(f"{name:<12} median {statistics.median(seconds):6.2f} s  ({shown})")
    shown = " ".join(f"{r:.2f}" for r in rounds)
    print(
        f"ratio of the medians {ratio:.2f}; median of the rounds' ratios {per_round:.2f} ({shown})"
    )
    verdict = "within" if per_round <= TARGET else "over"
    print(
        f"{verdict} the {TARGET}x target (rounds' median), {args.runs} runs interleaved, warm cache"
    )
    return 0 if per_round <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
