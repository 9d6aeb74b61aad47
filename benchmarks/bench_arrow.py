"""nir.arrow.check against a per-value loop, same run: `python benchmarks/bench_arrow.py [N]`.

Prints wall and CPU (user + sys of the process) per value: on a shared machine the
wall figure grows with the load, the CPU one much less.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable

import pyarrow as pa

import nir
import nir.arrow
from nir._accel import usable_cores


def timed(work: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) seconds of one call of `work`."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    generated = nir.generate(1000, seed=1, invalid=0.02)  # 2 % invalid
    assert isinstance(generated, list)
    array = pa.array(generated * (count // len(generated)))
    cores = usable_cores()
    # The first call in a process also takes its output memory fresh from the system
    # (page faults): timed apart, then the best of 3 later calls (memory reused).
    first = timed(lambda: nir.arrow.check(array))
    runs: dict[int, list[tuple[float, float]]] = {1: [], cores: []}
    for _ in range(3):
        for threads, times in runs.items():
            times.append(timed(functools.partial(nir.arrow.check, array, threads=threads)))
    loop_count = min(count, 1_000_000)
    start = time.perf_counter()
    [nir.is_valid(v) for v in array.slice(0, loop_count).to_pylist()]
    loop_seconds = (time.perf_counter() - start) * len(array) / loop_count

    def per_value(seconds: float) -> str:
        return f"{seconds / len(array) * 1e9:.1f} ns/value"

    print(f"{len(array)} values, core {nir.core_implementation()}, {cores} usable cores")
    print(f"first call ({cores} threads): {per_value(first[0])} wall, {per_value(first[1])} CPU")
    for threads, times in runs.items():
        wall, cpu = min(times)
        print(f"best of 3, threads={threads}: {per_value(wall)} wall, {per_value(cpu)} CPU")
    best = min(runs[cores])[0]
    print(
        f"[is_valid(v) for v in to_pylist()] (scaled from {loop_count}): {per_value(loop_seconds)}"
    )
    print(f"ratio: {loop_seconds / best:.1f}x (first call: {loop_seconds / first[0]:.1f}x)")


if __name__ == "__main__":
    main()
