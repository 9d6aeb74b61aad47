"""The long fuzzing campaign of `nir csv` (`make fuzz`): minutes, every CPU, both cores.

    python -m tests.fuzz_campaign --minutes 5 [--jobs N] [--seed S]

Each worker draws cases at random (a seed export, 1 to 6 mutations, the options),
runs each on the C core and on the pure-Python one, and checks the invariants of
`tests.fuzzing` plus that both cores give the same exit code, output and messages.
A case is one input checked on both cores. A failure of a new kind is minimised and
saved under tests/regressions/, where tests/test_fuzz_csv.py runs it from then on.
Plain random search rather than hypothesis: no per-example bookkeeping, so more
cases per second, and the same mutations as the tests.
"""

# ruff: noqa: T201  # a command-line report

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

from nir import _accel

from . import fuzzing


def _differ(one: fuzzing.Outcome, other: fuzzing.Outcome) -> bool:
    """Whether two runs disagree. On an unreadable input (exit 2) only the exit code and
    the message must agree: the rows written to stdout before the bad byte was met
    depend on the window the core reads, which is larger on several threads."""
    if one.exit_code == other.exit_code == 2:  # the usage/input exit code
        return (one.stderr, one.error) != (other.stderr, other.error)
    return one != other


def _problems(case: fuzzing.Case, compiled: _accel.Speedups | None) -> list[str]:
    """The invariants on each core, and the cores' agreement."""
    outcomes = []
    problems: list[str] = []
    for core in (compiled, None) if compiled is not None else (None,):
        _accel.compiled = core
        outcomes.append(fuzzing.run(case))
        problems += [p for p in fuzzing.check(case, outcomes[-1]) if p not in problems]
    if len(outcomes) == 2 and _differ(*outcomes):
        problems.append("the cores differ (exit code, output or messages)")
    return problems


def _draw(rng: random.Random) -> fuzzing.Case:
    mutations = [
        (rng.choice(fuzzing.OPERATIONS), rng.randrange(1 << 20), rng.randrange(256))
        for _ in range(rng.randint(1, 6))
    ]
    return fuzzing.build(
        rng.randrange(len(fuzzing.SEEDS)),
        mutations,
        replace_bad_bytes=rng.random() < 0.3,
        chunk_size=rng.choice((0, 0, 0, 1, 2, 3, 5, 8, 13, 64)),
    )


def _save(case: fuzzing.Case, kind: str, directory: Path) -> Path | None:
    stem = "fuzz-" + hashlib.sha256(kind.encode()).hexdigest()[:10]
    path = directory / fuzzing.file_name(stem, case)
    if any(directory.glob(stem + ".*")):
        return None  # this kind is saved already
    directory.mkdir(parents=True, exist_ok=True)
    path.write_bytes(case.data)
    return path


def worker(args: tuple[int, float, str]) -> tuple[int, Counter[str], list[str]]:
    """Cases until `deadline`: (cases run, failures by kind, files saved)."""
    seed, deadline, directory = args
    rng = random.Random(seed)  # noqa: S311  # test inputs, not secrets
    compiled = _accel.load_compiled()
    cases = 0
    kinds: Counter[str] = Counter()
    saved: list[str] = []
    while time.monotonic() < deadline:
        for _ in range(100):
            case = _draw(rng)
            cases += 1
            problems = _problems(case, compiled)
            if not problems:
                continue
            kind = fuzzing.signature(problems[0])
            kinds[kind] += 1
            if kinds[kind] == 1:

                def same(smaller: fuzzing.Case, kind: str = kind) -> bool:
                    found = _problems(smaller, compiled)
                    return bool(found) and fuzzing.signature(found[0]) == kind

                path = _save(fuzzing.minimise(case, same), kind, Path(directory))
                if path is not None:
                    saved.append(f"{path.name}: {problems[0]}")
    return cases, kinds, saved


def main(argv: list[str] | None = None) -> int:
    """Run the campaign, print what it found; exit 1 when anything failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--save-dir", default=str(fuzzing.REGRESSIONS))
    args = parser.parse_args(argv)
    if _accel.load_compiled() is None:
        print("warning: the C extension is not built; fuzzing the pure-Python core only")
    started = time.monotonic()
    deadline = started + args.minutes * 60
    tasks = [(args.seed * 1000 + job, deadline, args.save_dir) for job in range(args.jobs)]
    print(f"fuzzing nir csv for {args.minutes:g} min on {args.jobs} processes, seed {args.seed}")
    if args.jobs == 1:  # in this process: a sanitizer's abort ends the run, visibly
        results = [worker(tasks[0])]
    else:
        with multiprocessing.Pool(args.jobs) as pool:
            results = pool.map(worker, tasks)
    seconds = time.monotonic() - started
    cases = sum(result[0] for result in results)
    kinds: Counter[str] = sum((result[1] for result in results), Counter())
    failed = sum(kinds.values())
    rate = cases / seconds
    print(
        f"{cases:,} cases in {seconds:.0f} s ({rate:,.0f}/s, both cores each): {failed:,} crashes"
    )
    print(f"10^6 cases take {1e6 / rate / 60:.1f} min at this rate")
    for kind, count in kinds.most_common():
        print(f"  {count:>8,}  {kind}")
    for line in (line for result in results for line in result[2]):
        print(f"saved in {args.save_dir}: {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
