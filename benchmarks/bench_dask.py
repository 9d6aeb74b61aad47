"""The Dask recipe on 1 worker against 2, same Parquet file, same run.

`python benchmarks/bench_dask.py [ROWS] [ROW_GROUP]` writes a Parquet file of ROWS
rows (10 million by default, one partition per ROW_GROUP rows) to a temporary
folder, then times `examples/dask_recipe.count_invalid` on a LocalCluster of 1 and
of 2 workers (threads_per_worker=1): a warm-up each, then 3 runs each, interleaved,
median. The speed-up is only meaningful on an otherwise idle machine: the load
average is printed with it.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from distributed import Client, LocalCluster

import nir

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
from dask_recipe import arrow_threads_per_worker, count_invalid  # the recipe as users copy it


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    row_group = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    generated = nir.generate(1000, seed=1, invalid=0.02)
    assert isinstance(generated, list)
    column = pa.array(generated * (rows // len(generated)), pa.string())
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "people.parquet")
        pq.write_table(pa.table({"nir": column}), path, row_group_size=row_group)
        del column
        clusters = {
            workers: LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=":0")
            for workers in (1, 2)
        }
        times: dict[int, list[float]] = {1: [], 2: []}
        try:
            for run in range(4):
                for workers, cluster in clusters.items():
                    with Client(cluster) as client:
                        if not run:
                            arrow_threads_per_worker(client)
                        start = time.perf_counter()
                        invalid = count_invalid(path, "nir")
                        if run:  # the first is the warm-up
                            times[workers].append(time.perf_counter() - start)
        finally:
            for cluster in clusters.values():
                cluster.close()
    one, two = (statistics.median(times[workers]) for workers in (1, 2))
    print(f"{rows} rows, row groups of {row_group}, {invalid} invalid")
    print(f"1 worker: {one:.2f} s, 2 workers: {two:.2f} s (medians of 3)")
    print(f"speed-up: {one / two:.2f}x (target >= 1.6)")
    print(f"load average (1, 5, 15 min): {os.getloadavg()}")


if __name__ == "__main__":
    main()
