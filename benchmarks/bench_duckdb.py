"""nir.duckdb's filter against DuckDB's own `length(nir) = 15` on the same CSV, same run.

`python benchmarks/bench_duckdb.py [ROWS]` writes the CSV to a temporary folder
(10 million rows by default: a few seconds, about 200 MB) and prints both times, and
a third: the same filter through an Arrow function that does nothing of its own
(`pyarrow.compute.is_valid`, registered as nir.duckdb registers its functions). That
is the floor of any function written in Python: what DuckDB spends handing each
vector of 2,048 rows to Python and back, under the GIL.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow.compute as pc
from duckdb.func import ARROW, SPECIAL

import nir
import nir.duckdb


def best_of(con: duckdb.DuckDBPyConnection, query: str, runs: int = 3) -> tuple[float, int]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        [(count,)] = con.sql(query).fetchall()
        times.append(time.perf_counter() - start)
    return min(times), count


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
        plain, plain_count = best_of(con, length_query)
        checked, invalid = best_of(con, nir_query)
        floor, _ = best_of(con, floor_query)
    print(f"{rows} rows, core {nir.core_implementation()}, duckdb {duckdb.__version__}")
    print(f"length(nir) = 15: {plain:.3f} s ({plain_count} rows)")
    print(f"NOT nir_valid(nir): {checked:.3f} s ({invalid} invalid rows)")
    print(f"a Python Arrow function doing nothing: {floor:.3f} s")
    print(f"ratio: {checked / plain:.2f}x (target <= 1.5)")
    print(f"floor of any Python function: {floor / plain:.2f}x", end="; ")
    print(f"nir_valid over that floor: {checked / floor:.2f}x")


if __name__ == "__main__":
    main()
