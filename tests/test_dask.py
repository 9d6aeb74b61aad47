"""The Dask recipe (examples/dask_recipe.py) on a LocalCluster with 2 workers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from dask_recipe import arrow_threads_per_worker, checked_frame, count_invalid, local_cluster
from distributed import Client, LocalCluster, get_task_stream
from nir_batches import verdicts

import nir

# dask 2026.8's Parquet reader calls reset_index(inplace=...), which pandas 3.1 deprecates.
pytestmark = pytest.mark.filterwarnings(
    "ignore:The inplace keyword in DataFrame.reset_index is deprecated"
)

# (value, why): every kind of cell a Parquet export holds
VALUES = [
    ("255081416802538", "valid"),
    ("2 55 08 14 168 025 38", "valid, with spaces"),
    ("255081416802512", "wrong key"),
    ("2.55081416802538E+14", "mangled by Excel"),
    ("", "empty"),
    (None, "a null cell"),
    ("169092A00123478", "a 2A number"),
]


def test_verdicts_match_is_valid() -> None:
    values = pa.array([value for value, _ in VALUES], pa.string())
    checked = verdicts(values)
    assert checked.column("nir_valid").to_pylist() == [nir.is_valid(v) for v, _ in VALUES]
    codes = checked.column("nir_error_code").to_pylist()
    assert [code is None for code in codes] == [nir.is_valid(v) for v, _ in VALUES]


@pytest.fixture(scope="module")
def cluster() -> Iterator[Client]:
    # The recipe's cluster: 2 one-thread workers in this process. pyarrow's pool,
    # which local_cluster sizes, is given back to the other tests as it was.
    threads = pa.cpu_count()
    try:
        with local_cluster(2) as local, Client(local) as client:
            yield client
    finally:
        pa.set_cpu_count(threads)


def test_map_partitions_over_a_parquet_dataset(tmp_path: Path, cluster: Client) -> None:
    rows = [value for value, _ in VALUES] * 30
    for part in range(3):  # a dataset of 3 files, one partition each
        table = pa.table({"id": range(part * 1000, part * 1000 + len(rows)), "nir": rows})
        pq.write_table(table, tmp_path / f"part-{part}.parquet")
    frame = checked_frame(str(tmp_path), "nir")
    assert frame.npartitions == 3
    result = frame.compute()
    expected = [nir.is_valid(value) for value in rows] * 3
    assert result["nir_valid"].tolist() == expected
    assert result["id"].tolist() == [i + p * 1000 for p in range(3) for i in range(len(rows))]
    assert result["nir_error_code"].isna().tolist() == expected
    assert count_invalid(str(tmp_path), "nir") == expected.count(False)
    assert isinstance(result, pd.DataFrame)


def test_count_is_one_task_per_partition(tmp_path: Path, cluster: Client) -> None:
    # Read, count and partial sum fused: 4 partitions, 4 tasks and the final sum.
    table = pa.table({"nir": [value for value, _ in VALUES] * 10})
    pq.write_table(table, tmp_path / "people.parquet", row_group_size=len(VALUES) * 3)
    with get_task_stream(cluster) as tasks:
        assert count_invalid(str(tmp_path / "people.parquet"), "nir") == 50
    assert len(tasks.data) == 4 + 1


def test_local_cluster_is_threads_with_arrow_sized_to_them(cluster: Client) -> None:
    # One process, one-thread workers, pyarrow's (process-wide) pool as many threads.
    assert set(cluster.run(os.getpid).values()) == {os.getpid()}
    workers = cluster.scheduler_info()["workers"].values()
    assert [worker["nthreads"] for worker in workers] == [1, 1]
    threads = pa.cpu_count()
    try:
        with local_cluster(1):
            assert pa.cpu_count() == 1
    finally:
        pa.set_cpu_count(threads)


def test_arrow_threads_follow_the_workers_threads() -> None:
    # Worker processes (a cluster of several machines): pyarrow's pool in each is sized
    # to the worker's threads, so that two workers do not each read with every core.
    with (
        LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=":0") as local,
        Client(local) as client,
    ):
        arrow_threads_per_worker(client)
        assert set(client.run(pa.cpu_count).values()) == {1}
