"""SQL functions for DuckDB: ``nir_valid``, ``nir_error_code``, ``nir_compact``.

`register` adds them to a connection, so that a query such as
``SELECT * FROM 'export.csv' WHERE NOT nir_valid(nir)`` checks a whole file.
NULL in gives NULL out. Needs the ``duckdb`` extra (duckdb and pyarrow).

Two ways to run them, same results:

- native: a DuckDB extension built with nir (``nir._duckdb_ext``, DuckDB's C API)
  runs them on DuckDB's own threads, with no Python in the loop; each value goes to
  the C core of ``nir._speedups``. DuckDB loads only signed extensions unless a
  connection is opened with ``allow_unsigned_extensions``, and this one is unsigned:
  `connect` opens such a connection. The trade-off is that connection's: any
  unsigned extension may then be loaded on it (``LOAD '/some/file'`` in SQL), so
  use it for queries you write, not for SQL from people you do not trust.
- Arrow: vectorised Python functions (each call gets a batch of rows, checked by
  `nir.arrow.check`), on any connection. About twice as slow: DuckDB hands every
  batch to Python under the GIL.

`register` picks native when the connection allows unsigned extensions, the C core
is in use and the options are the defaults; else Arrow.

>>> import duckdb
>>> import nir.duckdb
>>> con = nir.duckdb.register(duckdb.connect())
>>> con.sql("SELECT nir_valid('2 55 08 14 168 025 38'), nir_error_code('2550814')").fetchall()
[(True, 'length')]
>>> fast = nir.duckdb.connect()
>>> fast.sql("SELECT nir_valid('2 55 08 14 168 025 38'), nir_compact('2550814')").fetchall()
[(True, '2550814')]
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import importlib.util
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

try:
    import duckdb
    import pyarrow as pa
    import pyarrow.compute as pc
    from duckdb.func import ARROW, SPECIAL
except ImportError as error:  # pragma: no cover - the extra is installed in dev
    raise ImportError("nir.duckdb needs duckdb and pyarrow: pip install 'nir[duckdb]'") from error

from nir import _accel, arrow
from nir._parse import Options
from nir._version import __version__

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

    Each is a macro over a function of VARCHAR (native, or Arrow: see the module's
    docstring): a CSV column of digits that DuckDB reads as BIGINT is cast to its
    digits first. Calling `register` again replaces them.
    """
    policy = Options(**options)
    native = policy == Options() and _load_native(connection)
    for name, (column, sql_type) in FUNCTIONS.items():
        if native:
            target = f"_{name}_native"
        else:
            target = f"_{name}_arrow"
            _register_arrow(connection, target, _function(column, policy), sql_type)
        connection.execute(
            f"CREATE OR REPLACE TEMP MACRO {name}(value) AS {target}(CAST(value AS VARCHAR))"
        )
    return connection


def connect(
    database: str = ":memory:", *, read_only: bool = False, config: dict[str, Any] | None = None
) -> duckdb.DuckDBPyConnection:
    """A `duckdb.connect` that allows unsigned extensions, with the native functions.

    Read the module's docstring first: any unsigned extension may be loaded on the
    connection. Without the C core (or the built extension) the functions are Arrow's.
    """
    settings = {**(config or {}), "allow_unsigned_extensions": "true"}
    return register(duckdb.connect(database, read_only=read_only, config=settings))


def _register_arrow(
    connection: duckdb.DuckDBPyConnection,
    name: str,
    function: Callable[[pa.Array], pa.Array],
    sql_type: str,
) -> None:
    with contextlib.suppress(duckdb.InvalidInputException):
        connection.remove_function(name)
    connection.create_function(
        name,
        function,
        ["VARCHAR"],
        sql_type,
        type=ARROW,
        null_handling=SPECIAL,  # we give NULL for NULL ourselves, on the whole batch
        side_effects=False,
    )


def _load_native(connection: duckdb.DuckDBPyConnection) -> bool:
    """LOAD the native functions into `connection`'s database; False when they cannot be."""
    if _accel.compiled is None:  # the pure-Python core: nothing native to call
        return False
    [(allowed,)] = connection.execute(
        "SELECT current_setting('allow_unsigned_extensions')"
    ).fetchall()
    if not allowed:
        return False
    [(platform,)] = connection.execute("PRAGMA platform").fetchall()
    path = _extension_file(str(platform))
    if path is None:
        return False
    try:
        connection.execute(f"LOAD '{str(path).replace(chr(39), chr(39) * 2)}'")
    except duckdb.Error:  # a DuckDB that refuses this C API version: Arrow then
        return False
    return True


# platform -> the extension file written for it (with its ctypes handle, which keeps
# the library loaded and bound), or None when there is none to write
_written: dict[str, tuple[Path, ctypes.CDLL] | None] = {}
_lock = threading.Lock()
_folder: list[Path] = []  # the private folder of the files, made on first use


def _extension_file(platform: str) -> Path | None:
    """The built extension with DuckDB's footer for `platform`, bound to the C core."""
    with _lock:
        if platform not in _written:
            _written[platform] = _write_extension(platform)
        found = _written[platform]
    return None if found is None else found[0]


def _write_extension(platform: str) -> tuple[Path, ctypes.CDLL] | None:
    compiled = _accel.compiled
    spec = importlib.util.find_spec("nir._duckdb_ext")  # found, never imported
    speedups = getattr(compiled, "__file__", None)
    if compiled is None or spec is None or spec.origin is None or speedups is None:
        return None
    defaults = Options()
    compiled.sql_policy(
        arrow.python_judge(defaults),
        defaults.allow_temporary,
        defaults.allow_missing_key,
        defaults.warnings_as_errors,
    )
    if not _folder:
        _folder.append(Path(tempfile.mkdtemp(prefix="nir-duckdb-")))  # mode 0700
        atexit.register(shutil.rmtree, _folder[0], ignore_errors=True)
    # DuckDB calls the entry point <file name before the first dot>_init_c_api
    path = _folder[0] / platform / "nir_native.duckdb_extension"
    path.parent.mkdir()
    path.write_bytes(Path(spec.origin).read_bytes() + footer(platform, __version__))
    # Bound before DuckDB loads it: DuckDB's dlopen of the same file gets this copy.
    library = ctypes.CDLL(str(path))
    entry = ctypes.cast(ctypes.CDLL(speedups).nir_sql_verdict, ctypes.c_void_p)
    library.nir_native_bind(entry)
    return path, library


def footer(platform: str, version: str) -> bytes:
    """DuckDB's extension metadata (scripts/append_metadata.cmake): 534 bytes.

    A WebAssembly custom section named duckdb_signature, then 8 fields of 32 bytes
    in reverse order (a "4", the platform, the C API version of the C_STRUCT ABI, the
    extension's version, the ABI type, 3 empty) and 256 bytes of (no) signature.
    """
    fields = ("4", platform, "v1.2.0", version, "C_STRUCT", "", "", "")
    packed = b"".join(field.encode("ascii").ljust(32, b"\0")[:32] for field in reversed(fields))
    return b"\0\x93\x04\x10duckdb_signature\x80\x04" + packed + bytes(256)


__all__ = ["FUNCTIONS", "connect", "footer", "register"]
