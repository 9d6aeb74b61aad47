"""SQL functions for DuckDB: ``nir_valid``, ``nir_error_code``, ``nir_compact``.

`register` adds them to a connection as vectorised Arrow functions (each call
gets a batch of rows, checked by `nir.arrow.check`), so that a query such as
``SELECT * FROM 'export.csv' WHERE NOT nir_valid(nir)`` checks a whole file.
NULL in gives NULL out. Needs the ``duckdb`` extra (duckdb and pyarrow).

>>> import duckdb
>>> import nir.duckdb
>>> con = nir.duckdb.register(duckdb.connect())
>>> con.sql("SELECT nir_valid('2 55 08 14 168 025 38'), nir_error_code('2550814')").fetchall()
[(True, 'length')]
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

try:
    import duckdb
    import pyarrow as pa
    import pyarrow.compute as pc
    from duckdb.func import ARROW, SPECIAL
except ImportError as error:  # pragma: no cover - the extra is installed in dev
    raise ImportError("nir.duckdb needs duckdb and pyarrow: pip install 'nir[duckdb]'") from error

from nir import arrow
from nir._parse import Options

# SQL name -> (result column of nir.arrow.check, SQL type)
FUNCTIONS = {
    "nir_valid": ("valid", "BOOLEAN"),
    "nir_error_code": ("error_code", "VARCHAR"),
    "nir_compact": ("number", "VARCHAR"),
}
_COLUMNS = ("valid", "error_code", "number", "kind")


def _function(column: str, options: Options) -> Callable[[pa.Array], pa.Array]:
    index = _COLUMNS.index(column)
    wanted = {"valid": 0, "error_code": 1, "number": 2}[column]  # check_chunk's bits

    def apply(values: pa.Array | pa.ChunkedArray) -> pa.Array:
        if isinstance(values, pa.ChunkedArray):
            # DuckDB hands one chunk per batch: no copy for it
            values = values.chunk(0) if values.num_chunks == 1 else values.combine_chunks()
        if values.type not in arrow.STRING_TYPES:
            values = values.cast(pa.string())
        if wanted == 0:
            return arrow.valid_chunk(values, options)
        result = arrow.check_chunk(values, options, wanted)[index]
        if values.null_count == 0:
            return result
        # NULL in, NULL out (nir.arrow.check calls a null invalid)
        return pc.if_else(pc.is_null(values), pa.scalar(None, result.type), result)

    return apply


def register(connection: duckdb.DuckDBPyConnection, **options: Any) -> duckdb.DuckDBPyConnection:  # noqa: ANN401
    """Register the functions on `connection` (the options of `nir.is_valid`); returns it.

    Each is a macro over an Arrow function of VARCHAR (DuckDB has no overloads of
    Python functions): a CSV column of digits that DuckDB reads as BIGINT is cast
    to its digits first. Calling `register` again replaces them.
    """
    for name, (column, sql_type) in FUNCTIONS.items():
        arrow_name = f"_{name}_arrow"
        with contextlib.suppress(duckdb.InvalidInputException):
            connection.remove_function(arrow_name)
        connection.create_function(
            arrow_name,
            _function(column, Options(**options)),
            ["VARCHAR"],
            sql_type,
            type=ARROW,
            null_handling=SPECIAL,  # we give NULL for NULL ourselves, on the whole batch
            side_effects=False,
        )
        connection.execute(
            f"CREATE OR REPLACE TEMP MACRO {name}(value) AS {arrow_name}(CAST(value AS VARCHAR))"
        )
    return connection


__all__ = ["FUNCTIONS", "register"]
