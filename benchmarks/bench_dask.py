"""The Dask recipe on 1 worker against 2, same Parquet file, same run.

`python benchmarks/bench_dask.py [ROWS] [ROW_GROUP]` writes a Parquet file of ROWS
distinct numbers (10 million by default, one partition per ROW_GROUP rows) to a
temporary folder, then times `examples/dask_recipe.count_invalid` on the recipe's
`local_cluster` of 1 and of 2 workers: 5 rounds, each starting a cluster of 1 then
of 2 (one alive at a time), a warm-up count then a timed one; medians. Distinct
numbers, as a real export has: repeated ones would be dictionary-encoded by Parquet,
each partition nearly free to read, and Dask's fixed costs all that is measured.
The speed-up is only meaningful on an otherwise idle machine: the load average is
printed with it.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from distributed import Client

import nir

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
from dask_recipe import count_invalid, local_cluster  # the recipe as users copy it

INVALID = 0.02  # the share of numbers given a wrong key
ORDERS = 999  # order numbers 001-999 after each generated prefix


def people(rows: int) -> tuple[pa.Array, int]:
    """`rows` distinct numbers in a seeded random order, and how many are invalid.

    Realistic prefixes (sex, birth, a mainland place outside Corsica) come from
    `nir.generate`, each followed by the 999 order numbers. The keys are computed in
    numpy (seconds, where generating 10 million numbers one by one takes minutes);
    `nir.is_valid` checks a sample of them, so the arithmetic cannot drift from the rule.
    """
    generated = nir.generate(rows // ORDERS + 100, seed=1, kind="nir", place="mainland")
    digits = [number[:10] for number in generated if number[:10].isdigit()]  # not 2A, 2B
    prefixes = np.unique(np.array(digits, np.int64))
    index = np.random.default_rng(1).permutation(rows)
    bodies = prefixes[index // ORDERS] * 1000 + index % ORDERS + 1
    wrong = np.random.default_rng(2).random(rows) < INVALID
    keys = 97 - bodies % 97
    keys = np.where(wrong, keys % 97 + 1, keys)  # another key in 1..97
    numbers = pc.binary_join_element_wise(
        pa.array(bodies).cast(pa.string()),
        pc.utf8_lpad(pa.array(keys).cast(pa.string()), 2, "0"),
        "",
    )
    sample = numbers[:1000].to_pylist()
    assert [nir.is_valid(number) for number in sample] == (~wrong[:1000]).tolist()
    return numbers, int(wrong.sum())


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    row_group = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    numbers, expected = people(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "people.parquet")
        pq.write_table(pa.table({"nir": numbers}), path, row_group_size=row_group)
        del numbers
        times: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(5):
            for workers, runs in times.items():  # one cluster at a time, as users run it
                with local_cluster(workers) as cluster, Client(cluster):
                    assert count_invalid(path, "nir") == expected  # the warm-up
                    start = time.perf_counter()
                    count_invalid(path, "nir")
                    runs.append(time.perf_counter() - start)
    one, two = (statistics.median(times[workers]) for workers in (1, 2))
    print(f"{rows} distinct rows, row groups of {row_group}, {expected} invalid")
    print(f"1 worker: {one:.2f} s, 2 workers: {two:.2f} s (medians of 5)")
    print(f"speed-up: {one / two:.2f}x (target >= 1.6)")
    print(f"load average (1, 5, 15 min): {os.getloadavg()}")


if __name__ == "__main__":
    main()
