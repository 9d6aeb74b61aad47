"""nir.arrow.check against a per-value loop, same run: `python benchmarks/bench_arrow.py [N]`."""

from __future__ import annotations

import sys
import time

import pyarrow as pa

import nir
import nir.arrow


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    generated = nir.generate(1000, seed=1, invalid=0.02)  # 2 % invalid
    assert isinstance(generated, list)
    sample = generated
    array = pa.array(sample * (count // len(sample)))
    # The first call in a process also takes its output memory fresh from the system
    # (page faults): timed apart, then the best of 3 later calls (memory reused).
    start = time.perf_counter()
    table = nir.arrow.check(array)
    first_seconds = time.perf_counter() - start
    warm = []
    for _ in range(3):
        start = time.perf_counter()
        nir.arrow.check(array)
        warm.append(time.perf_counter() - start)
    arrow_seconds = min(warm)
    loop_count = min(count, 1_000_000)
    start = time.perf_counter()
    [nir.is_valid(v) for v in array.slice(0, loop_count).to_pylist()]
    loop_seconds = (time.perf_counter() - start) * len(array) / loop_count
    per_value = arrow_seconds / len(array) * 1e9
    print(f"{len(array)} values, core {nir.core_implementation()}, {table.num_rows} rows")
    print(
        f"nir.arrow.check, first call: {first_seconds:.3f} s, "
        f"{first_seconds / len(array) * 1e9:.1f} ns/value"
    )
    print(
        f"nir.arrow.check, best of 3 later calls: {arrow_seconds:.3f} s, {per_value:.1f} ns/value"
    )
    print(f"[is_valid(v) for v in to_pylist()] (scaled from {loop_count}): {loop_seconds:.3f} s")
    print(
        f"ratio: {loop_seconds / arrow_seconds:.1f}x "
        f"(first call: {loop_seconds / first_seconds:.1f}x)"
    )


if __name__ == "__main__":
    main()
