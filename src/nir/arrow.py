"""Check a whole Arrow string column at once: `check` returns one row per value.

The C core reads the Arrow buffers itself (the Arrow C data interface, no Python
object per value) and writes the result columns as Arrow buffers; the pure-Python
core gives the same table, value by value. Needs the ``arrow`` extra (pyarrow).

>>> import pyarrow as pa
>>> import nir.arrow
>>> table = nir.arrow.check(pa.array(["2 55 08 14 168 025 38", "255081416802512", None]))
>>> table.column("valid").to_pylist(), table.column("error_code").to_pylist()
([True, False, False], [None, 'key', 'type'])
>>> table.column("number").to_pylist()
['255081416802538', '255081416802512', None]
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any, TypeVar

try:
    import pyarrow as pa
    import pyarrow.compute as pc
except ImportError as error:  # pragma: no cover - the extra is installed in dev
    raise ImportError("nir.arrow needs pyarrow: pip install 'nir[arrow]'") from error

from nir import _accel
from nir._accel import usable_cores
from nir._bulk import Verdict, error_code, verdict
from nir._parse import Options, parse_with

T = TypeVar("T")
STRING_TYPES = (pa.string(), pa.large_string(), pa.string_view())
FIELDS = ("sex", "birth_year", "birth_month", "department", "commune", "country")
_FIELD_TYPES = (pa.string(), pa.int16(), pa.int8(), pa.string(), pa.string(), pa.string())


def check(
    data: Any,  # noqa: ANN401  # any object exporting the Arrow PyCapsule interface
    *,
    fields: bool = False,
    allow_temporary: bool = True,
    allow_missing_key: bool = False,
    warnings_as_errors: bool = False,
    reference_date: date | None = None,
    threads: int | None = None,
) -> pa.Table:
    """The verdict on every value of an Arrow string column, as a `pyarrow.Table`.

    Columns: ``valid``, ``error_code`` (null when valid), ``number`` (the compact
    form; the compacted input when invalid, null for a null), ``kind`` (null when
    invalid) and, with `fields`, the parsed fields of the valid numbers (null
    otherwise; these are read value by value, in Python). A null is invalid, with
    the code `nir.is_valid(None)` has. The options are those of `nir.is_valid`.
    `threads` (default: the usable cores) check slices of the column at once, the C
    core letting the GIL go; the table is the same whatever their number.
    """
    options = Options(allow_temporary, allow_missing_key, warnings_as_errors, reference_date)
    parts = _on_pieces(data, threads, lambda piece: check_chunk(piece, options))
    names = ["valid", "error_code", "number", "kind"]
    columns = [pa.chunked_array([part[k] for part in parts], t) for k, t in enumerate(_TYPES)]
    if fields:
        columns.extend(_fields(columns[0], columns[2], options))
        names.extend(FIELDS)
    return pa.table(columns, names=names)


_TYPES = (pa.bool_(), pa.string(), pa.string(), pa.string())


def valid(
    data: Any,  # noqa: ANN401  # any object exporting the Arrow PyCapsule interface
    *,
    allow_temporary: bool = True,
    allow_missing_key: bool = False,
    warnings_as_errors: bool = False,
    reference_date: date | None = None,
    threads: int | None = None,
) -> pa.ChunkedArray:
    """The ``valid`` column of `check` alone (False for a null), at a fraction of its cost.

    Only a bitmap is written (`check` writes some 30 bytes a value): what counting or
    filtering needs. Same options and `threads` as `check`.
    """
    options = Options(allow_temporary, allow_missing_key, warnings_as_errors, reference_date)
    parts = _on_pieces(data, threads, lambda piece: _valid_bitmap(piece, options))
    return pa.chunked_array(parts, pa.bool_())


def _valid_bitmap(chunk: pa.Array, options: Options) -> pa.Array:
    """The valid column of one string array, False for a null."""
    if _accel.compiled is None:
        return _python_check(chunk, options, "")[0]
    length, bitmap, *_ = _arrow_check(chunk, options, "", 0)
    return pa.Array.from_buffers(pa.bool_(), length, [None, pa.py_buffer(bitmap)])


def _on_pieces(data: Any, threads: int | None, work: Callable[[pa.Array], T]) -> list[T]:  # noqa: ANN401
    """`work` on each slice of the column (see `_pieces`), on `threads` threads, in order."""
    count = (threads or usable_cores()) if _accel.compiled is not None else 1
    pieces = _pieces(_string_chunks(data), count)
    if count == 1 or len(pieces) == 1:
        return [work(piece) for piece in pieces]
    with ThreadPoolExecutor(count) as executor:
        return list(executor.map(work, pieces))


ALL_COLUMNS = 0b111


def check_chunk(chunk: pa.Array, options: Options, wanted: int = ALL_COLUMNS) -> list[pa.Array]:
    """The columns valid, error_code, number, kind of one string array.

    `wanted` picks the string columns (bits 1 error_code, 2 number, 4 kind): the C
    core builds only those (nir.duckdb asks for one), the others are all null.
    """
    null_code = error_code(None, options) or ""
    if _accel.compiled is not None:
        return _c_check(chunk, options, null_code, wanted)
    return _python_check(chunk, options, null_code)


def valid_chunk(chunk: pa.Array, options: Options) -> pa.Array:
    """The valid column of one string array, null where the input is null.

    The lean path of SQL's ``nir_valid`` (called once per batch of a few thousand
    rows): only the bitmap is built, and the input's own validity bitmap is reused.
    """
    if _accel.compiled is not None and (not chunk.null_count or chunk.offset == 0):
        length, bitmap, *_ = _arrow_check(chunk, options, "", 0)
        validity = chunk.buffers()[0] if chunk.null_count else None
        buffers = [validity, pa.py_buffer(bitmap)]
        return pa.Array.from_buffers(pa.bool_(), length, buffers, chunk.null_count)
    verdicts = _valid_bitmap(chunk, options)  # a sliced validity bitmap: nulls put back
    return pc.if_else(pc.is_null(chunk), pa.scalar(None, pa.bool_()), verdicts)


# A slice checked on a thread of its own is at least this long: below it, the
# thread costs more than it saves.
SMALLEST_PIECE = 1 << 16


def _pieces(chunks: list[pa.Array], threads: int) -> list[pa.Array]:
    """The chunks cut into slices (no copy) about as long as the column over `threads`."""
    total = sum(len(chunk) for chunk in chunks)
    size = max(SMALLEST_PIECE, -(-total // max(threads, 1)))
    pieces: list[pa.Array] = []
    for chunk in chunks:
        pieces.extend(chunk.slice(start, size) for start in range(0, len(chunk), size))
    return pieces or chunks


def _string_chunks(data: Any) -> list[pa.Array]:  # noqa: ANN401
    """The chunks of a string column; TypeError naming the type for anything else."""
    if hasattr(data, "__arrow_c_stream__"):
        column = pa.chunked_array(data)
        if pa.types.is_struct(column.type) and column.type.num_fields == 1:
            column = pa.chunked_array([chunk.field(0) for chunk in column.chunks])
        chunks = list(column.chunks)
        kind = column.type
    elif hasattr(data, "__arrow_c_array__"):
        array = pa.array(data)
        chunks, kind = [array], array.type
    else:
        raise TypeError(
            "nir.arrow.check needs an Arrow string column (an object with "
            f"__arrow_c_stream__ or __arrow_c_array__), not {type(data).__name__}"
        )
    if kind not in STRING_TYPES:
        raise TypeError(f"nir.arrow.check needs a string column, not Arrow type {kind}")
    return chunks


def _today(options: Options) -> date:
    return options.reference_date or date.today()  # noqa: DTZ011  # a civil date


def python_judge(options: Options) -> Callable[[bytes], tuple[str, str, str]]:
    """The C core's `slow`: (code, number, kind) of a value its rules leave to Python."""

    def judge(value: bytes) -> tuple[str, str, str]:
        result = verdict(value.decode("utf-8", "replace"), options)
        return result.code, result.number, result.kind

    return judge


def _arrow_check(
    chunk: pa.Array, options: Options, null_code: str, wanted: int
) -> _accel.ArrowBuffers:
    """The C core's `arrow_check` on one chunk, with the options spelled out."""
    compiled = _accel.compiled
    assert compiled is not None
    today = _today(options)
    schema, array = chunk.__arrow_c_array__()
    return compiled.arrow_check(
        schema,
        array,
        options.allow_temporary,
        options.allow_missing_key,
        options.warnings_as_errors,
        today.year,
        today.month,
        null_code,
        python_judge(options),
        wanted,
    )


def _c_check(chunk: pa.Array, options: Options, null_code: str, wanted: int) -> list[pa.Array]:
    """The four columns of one chunk, from the C core's buffers."""
    length, valid, *strings = _arrow_check(chunk, options, null_code, wanted)
    columns = [pa.Array.from_buffers(pa.bool_(), length, [None, pa.py_buffer(valid)])]
    for column in strings:
        if column is None:
            columns.append(pa.nulls(length, pa.string()))
            continue
        if isinstance(column, bool):  # every number is its input value: the input itself
            columns.append(chunk)
            continue
        validity, offsets, data, null_count = column
        buffers = [pa.py_buffer(validity), pa.py_buffer(offsets), pa.py_buffer(data)]
        columns.append(pa.Array.from_buffers(pa.string(), length, buffers, null_count))
    return columns


def _python_check(chunk: pa.Array, options: Options, null_code: str) -> list[pa.Array]:
    """The four columns of one chunk, value by value (the pure-Python core)."""
    verdicts = [None if value is None else verdict(value, options) for value in chunk.to_pylist()]
    return [
        pa.array([v is not None and v.valid for v in verdicts], pa.bool_()),
        pa.array([null_code if v is None else v.code or None for v in verdicts], pa.string()),
        pa.array([None if v is None else v.number for v in verdicts], pa.string()),
        pa.array([None if v is None or not v.valid else v.kind for v in verdicts], pa.string()),
    ]


def _fields(valid: pa.ChunkedArray, number: pa.ChunkedArray, options: Options) -> list[pa.Array]:
    """The parsed fields of the valid numbers, null elsewhere."""
    rows: list[tuple[object, ...]] = []
    for ok, value in zip(valid.to_pylist(), number.to_pylist(), strict=True):
        if not ok:
            rows.append((None,) * len(FIELDS))
            continue
        parsed = parse_with(value, options)
        sex = None if parsed.sex is None else str(parsed.sex)
        rows.append(
            (
                sex,
                parsed.birth_year,
                parsed.birth_month,
                parsed.department,
                parsed.commune,
                parsed.country,
            )
        )
    return [pa.array([row[k] for row in rows], kind) for k, kind in enumerate(_FIELD_TYPES)]


__all__ = ["FIELDS", "STRING_TYPES", "Verdict", "check", "valid"]
