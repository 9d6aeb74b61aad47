"""Check the NIR column of a Parquet dataset with Dask, partition by partition.

    python examples/dask_recipe.py people.parquet nir --workers 2

Each partition is a pandas DataFrame; `check_partition` appends `nir_valid` and
`nir_error_code` to it. `meta` tells Dask the result's columns, so it never calls the
function on made-up data to guess them. `count_invalid` reduces on the workers: each
partition becomes its count, only the counts travel. `local_cluster` is the cluster to
run it on, one machine: one-thread workers in this process, pyarrow's pool sized to
them; `arrow_threads_per_worker` does that sizing on a cluster of worker processes.
Needs `nir[dask]`.
"""

from __future__ import annotations

import argparse
import time

import dask.dataframe as dd
import pandas as pd
import pyarrow as pa
from distributed import Client, LocalCluster
from nir_batches import invalid_count, verdicts


def check_partition(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """The partition with `nir_valid` and `nir_error_code` appended, rows in order."""
    checked = verdicts(pa.array(frame[column], from_pandas=True))
    return frame.assign(
        nir_valid=checked.column("nir_valid").to_numpy(),
        nir_error_code=pd.Series(
            checked.column("nir_error_code").to_pandas(), index=frame.index, dtype=object
        ),
    )


def checked_frame(path: str, column: str) -> dd.DataFrame:
    """The dataset at `path` with the verdict columns: lazy, as Dask frames are."""
    # One partition per row group: a single file is otherwise one partition, one worker.
    frame = dd.read_parquet(path, split_row_groups=True)
    meta = frame._meta.assign(  # noqa: SLF001  # the empty frame Dask keeps for this
        nir_valid=pd.Series(dtype=bool), nir_error_code=pd.Series(dtype=object)
    )
    checked: dd.DataFrame = frame.map_partitions(check_partition, column, meta=meta)
    return checked


def count_partition(frame: pd.DataFrame, column: str) -> pd.Series:
    """The partition's count of invalid rows, as a one-row Series (what Dask sums)."""
    return pd.Series([invalid_count(pa.array(frame[column], from_pandas=True))], dtype="int64")


def count_invalid(path: str, column: str) -> int:
    """How many rows of the dataset are invalid, on whatever Client is current.

    Only the column is read, and each partition is reduced to its count where it is
    read: no verdict column is built, converted to pandas or sent anywhere.
    """
    frame = dd.read_parquet(path, columns=[column], split_row_groups=True)
    counts = frame.map_partitions(count_partition, column, meta=pd.Series(dtype="int64"))
    # optimize() fuses the read, the count and the partial sum into one task per
    # partition; compute() alone keeps them apart, a scheduler round trip between.
    return int(counts.sum().optimize().compute())


def arrow_threads_per_worker(client: Client) -> None:
    """Size pyarrow's own thread pool in each worker process to the worker's threads.

    For clusters of worker processes (several machines): pyarrow reads Parquet on a
    pool as large as the machine, so without this each worker reads with every core,
    and the workers of one machine compete.
    """
    for address, info in client.scheduler_info()["workers"].items():
        client.run(pa.set_cpu_count, info["nthreads"], workers=[address])


def local_cluster(workers: int) -> LocalCluster:
    """A cluster of `workers` one-thread workers in this process, and pyarrow's pool.

    Threads, not processes: a partition's work (decoding Parquet, the C check) runs
    with the GIL let go, so worker threads check partitions at once, and no nanny,
    worker process, pickled task or result competes with them for the same cores.
    pyarrow's pool is the process's: it is sized to the workers, where pyarrow would
    read with every core of the machine. The dashboard takes any free port.
    """
    pa.set_cpu_count(workers)
    return LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=False, dashboard_address=":0"
    )


def main() -> None:
    """Count the invalid rows of a dataset on a local cluster, and time it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("column", nargs="?", default="nir")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with local_cluster(args.workers) as cluster, Client(cluster):
        start = time.perf_counter()
        invalid = count_invalid(args.path, args.column)
        seconds = time.perf_counter() - start
    print(f"{invalid} invalid rows; {args.workers} workers: {seconds:.2f} s")


if __name__ == "__main__":
    main()
