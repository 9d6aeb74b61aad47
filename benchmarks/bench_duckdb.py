"""nir.duckdb's filter against DuckDB's own `length(nir) = 15` on the same CSV, same run.

`python benchmarks/bench_duckdb.py [ROWS]` writes the CSV to a temporary folder
(10 million rows by default: a few seconds, about 200 MB) and times, interleaved (the
median of 5 rounds): the length filter; ``NOT nir_valid(nir)`` through the native
functions (`nir.duckdb.connect`, the DuckDB extension) and through the Arrow ones
(`nir.duckdb.register` on a plain connection); and the same filter through an Arrow
function that does nothing of its own (`pyarrow.compute.is_valid`, registered as
nir.duckdb registers its functions). That is the floor of any function written in
Python: what DuckDB spends handing each vector of 2,048 rows to Python and back,
under the GIL. The machine's load average is printed beside the times.
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow.compute as pc
from duckdb.func import ARROW, SPECIAL

import nir
import nir.duckdb


def cpu() -> float:
    """User + system CPU seconds of the process, DuckDB's threads included."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(con: duckdb.DuckDBPyConnection, query: str) -> tuple[float, float, int]:
    start, start_cpu = time.perf_counter(), cpu()
    [(count,)] = con.sql(query).fetchall()
    return time.perf_counter() - start, cpu() - start_cpu, count


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    generated = nir.generate(1000, seed=1, invalid=0.02)
    assert isinstance(generated, list)
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "export.csv"
        con = nir.duckdb.register(duckdb.connect())
        con.execute("CREATE TABLE sample AS SELECT * FROM (SELECT unnest(?) AS nir)", [generated])
        con.execute(
            f"COPY (SELECT row_number() OVER () AS id, nir FROM sample, range({rows // 1000})) "  # noqa: S608
            f"TO '{export}' (HEADER)"
        )
        # The column as text in both (the sniffer would read this sample's digits as BIGINT).
        source = f"read_csv('{export}', types={{'nir': 'VARCHAR'}})"
        length_query = f"SELECT count(*) FROM {source} WHERE length(nir) = 15"  # noqa: S608
        nir_query = f"SELECT count(*) FROM {source} WHERE NOT nir_valid(nir)"  # noqa: S608
        con.create_function(
            "nothing_of_its_own",
            lambda values: pc.is_valid(values),  # noqa: PLW0108  # DuckDB counts its parameters
            [duckdb.sqltype("VARCHAR")],
            duckdb.sqltype("BOOLEAN"),
            type=ARROW,
            null_handling=SPECIAL,
            side_effects=False,
        )
        floor_query = f"SELECT count(*) FROM {source} WHERE NOT nothing_of_its_own(nir)"  # noqa: S608
        native = nir.duckdb.connect()
        assert "_nir_valid_native" in str(
            native.execute(
                "SELECT macro_definition FROM duckdb_functions() WHERE function_name = 'nir_valid'"
            ).fetchall()
        ), "the native functions are not built"
        runs: dict[str, list[float]] = {"length": [], "native": [], "arrow": [], "floor": []}
        cpus: dict[str, list[float]] = {name: [] for name in runs}
        counts: dict[str, int] = {}
        queries = {
            "length": (con, length_query),
            "native": (native, nir_query),
            "arrow": (con, nir_query),
            "floor": (con, floor_query),
        }
        timed(con, length_query)  # the file into the page cache
        for _ in range(5):
            for name, (connection, query) in queries.items():
                seconds, cpu_seconds, counts[name] = timed(connection, query)
                runs[name].append(seconds)
                cpus[name].append(cpu_seconds)
    median = {name: statistics.median(times) for name, times in runs.items()}
    cpu_median = {name: statistics.median(times) for name, times in cpus.items()}
    plain = median["length"]
    assert counts["native"] == counts["arrow"]
    print(f"{rows} rows, core {nir.core_implementation()}, duckdb {duckdb.__version__}")
    print(f"load average {os.getloadavg()[0]:.2f} (median of 5 interleaved rounds)")
    print(f"length(nir) = 15: {plain:.3f} s ({counts['length']} rows)")
    print(f"NOT nir_valid(nir), native: {median['native']:.3f} s ({counts['native']} invalid)")
    print(f"NOT nir_valid(nir), Arrow: {median['arrow']:.3f} s")
    print(f"a Python Arrow function doing nothing: {median['floor']:.3f} s")
    print(f"ratio, native: {median['native'] / plain:.2f}x (target <= 1.5)")
    print(f"ratio, Arrow: {median['arrow'] / plain:.2f}x", end="; ")
    print(f"floor of any Python function: {median['floor'] / plain:.2f}x")
    cpu_text = ", ".join(f"{name} {seconds:.2f}" for name, seconds in cpu_median.items())
    print(f"CPU seconds (user + sys, all threads): {cpu_text}", end="; ")
    print(f"native / length: {cpu_median['native'] / cpu_median['length']:.2f}x")


if __name__ == "__main__":
    main()
