# Type stub of the optional C extension (src/nir/_speedups.c). When it is not
# built, nir falls back to the pure-Python modules that define the same functions
# (nir._accel decides which core runs).
from collections.abc import Callable, Iterable
from typing import Any, TypeAlias

from typing_extensions import Buffer

from nir._accel import IdentityArgument

# One malloc arena for all threads (glibc's M_ARENA_MAX); True when set. Process-wide:
# the nir command calls it for its own process (see nir._entry).
def share_malloc_arena() -> bool: ...

# Allocate the disk blocks of bytes [offset, offset + length) of the open file fd
# ahead of its writes (fallocate(2), mode 0: the size grows to offset + length).
# True when done; False when the system or file system cannot, or has no room.
def reserve_space(fd: int, offset: int, length: int, /) -> bool: ...

# For the tests: (the scans in their deferred turn now, the stretches a scan went on to
# with its rows still deferred while another scan held the GIL for its own).
def deferred_stats() -> tuple[int, int]: ...

# Keep place names' tables in a run's names memo (scan's identity[11]) before a scan
# asks place_codes for them: records of (a byte: length, a cell; a byte: length, its
# nir._accel.place_name_table). Returns how many were kept; with the GIL.
def keep_names(names_memo: Buffer, spellings: bytes, ascii_only: bool, /) -> int: ...

# nir._fast.quick_valid of the compacted str; False ("don't know") for anything else.
# Takes the rule tables of nir._accel.c_tables() (from nir._rules); call first.
def configure(tables: tuple[bytes | int | tuple[int, ...], ...], /) -> None: ...
def quick_valid(value: object, /) -> bool: ...

# nir._parse.quick_number_value: the compact form of a quick-valid value, else None.
def quick_number(value: object, /) -> str | None: ...

# nir.is_valid, nir.validate and nir.parse (see nir._accel.entry_points): the fast
# path in C, the given Python functions for the rest, and for all while
# nir._accel.compiled (in namespace) is not this module.
def bind(
    namespace: dict[str, object],
    is_valid: Callable[..., object],
    validate: Callable[..., object],
    parse: Callable[..., object],
    shapes: tuple[object, ...],
    /,
) -> None: ...
def is_valid(value: object, **options: object) -> bool: ...
def validate(value: str, **options: object) -> str: ...
def parse(value: str, **options: object) -> object: ...

# nir._csvscan.scan; the delimiter must be a single byte. render(code, params) gives
# the message of the rows judged here as the bytes of its cell, in the run's encoding
# (called once per distinct message); judge gives its message as bytes too.
def scan(
    data: Buffer,
    delimiter: bytes,
    column: int,
    width: int,
    only_invalid: bool,
    line: int,
    final: bool,
    slow: Callable[[bytes, bytes, int], bytes],
    judge: Callable[[bytes], tuple[str, bytes, str, str, tuple[str, ...]] | None]
    | tuple[bool, bool, bool, int, int],
    render: Callable[[str, tuple[str | int | None, ...]], bytes],
    identity: IdentityArgument | None = None,
    /,
) -> tuple[memoryview, int, int, int, int, dict[str, int], dict[str, int], int, int]: ...

# The scan's reading of a date cell: nir._identity.date_class of its text for the
# usual fixed forms (DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY, YYYY-MM-DD), -1 for any other.
def date_cell(cell: bytes, /) -> int: ...

# Where data[:end].decode(encoding) fails (its error's start), or -1; "utf-8" or "cp1252".
def first_undecodable(data: Buffer, end: int, encoding: str, /) -> int: ...

# nir._csvscan.line_breaks (CRLF, CR and LF each count one), without the GIL.
def line_breaks(data: Buffer, /) -> int: ...

# (first_undecodable(data, len(data), encoding), line_breaks(data)), in one pass.
def probe(data: Buffer, encoding: str, /) -> tuple[int, int]: ...

# The loop of nir._bulk.check_many: (1/0 per value, {index: error code}); slow(value)
# returns None for a valid value, else its error code.
def check_many(
    values: Iterable[object], slow: Callable[[object], str | None], /
) -> tuple[bytearray, dict[int, str]]: ...

# nir._bulk.full_verdict(value.decode("ascii"), nir.Options(allow_temporary,
# allow_missing_key, warnings_as_errors, date(year, month, 1))) as the tuple
# (code, params, number, kind, warnings), params in nir.messages.CODES order; None
# when value holds a byte >= 0x80 or year is outside 200-9998 (the caller then uses Python).
def verdict(
    value: bytes,
    allow_temporary: bool,
    allow_missing_key: bool,
    warnings_as_errors: bool,
    year: int,
    month: int,
    /,
) -> tuple[str, tuple[str | int | None, ...], str, str, tuple[str, ...]] | None: ...

# nir.arrow's loop: the verdicts on an Arrow string array given as its PyCapsules
# ("arrow_schema", "arrow_array"): (length, valid bitmap, error_code, number, kind),
# each string column as (validity bitmap, int32 offsets, data, null_count). A null
# gets null_code; slow(value) -> (code, number, kind) judges what C leaves to Python;
# wanted: the string columns to build (bits 1 error_code, 2 number, 4 kind), else None.
def arrow_check(
    schema: object,
    array: object,
    allow_temporary: bool,
    allow_missing_key: bool,
    warnings_as_errors: bool,
    year: int,
    month: int,
    null_code: str,
    slow: Callable[[bytes], tuple[str, str, str]],
    wanted: int,
    /,
) -> tuple[
    int,
    bytes,
    tuple[bytes, bytes, bytes, int] | None,
    tuple[bytes, bytes, bytes, int] | None,
    tuple[bytes, bytes, bytes, int] | None,
]: ...

# The options and Python judge of the C entry nir_sql_verdict (nir.duckdb's native
# functions call it from DuckDB's threads); set once, ValueError for other options.
def sql_policy(
    slow: Callable[[bytes], tuple[str, str, str]],
    allow_temporary: bool,
    allow_missing_key: bool,
    warnings_as_errors: bool,
    /,
) -> None: ...

# nir._suggest.candidates(value.decode("ascii"), date(year, month, 1)): the valid
# numbers one edit away from a compact text, as (number, edit, position) in _suggest's
# order; None when value holds a byte >= 0x80 or year is outside 200-9998.
def suggest_candidates(
    value: bytes, year: int, month: int, /
) -> list[tuple[str, str, int]] | None: ...

_B: TypeAlias = bytes | None

# nir.dsn._scan_python: (settled count, rows left to Python, lines) for a chunk of
# whole DSN lines, each row (line, .001, .005, .006, .007, .014, .015, .019, .020);
# None when a line has a problem. Needs configure.
def dsn_scan(
    chunk: Buffer, first_line: int, /
) -> tuple[int, list[tuple[int, _B, _B, _B, _B, _B, _B, _B, _B]], int] | None: ...

# nir._sheets.python_sheet_csv: rows of one width as CSV lines and the columns with
# line breaks; cell_text gives the text of a cell neither str nor a whole float.
def sheet_csv(
    rows: list[list[Any]], cell_text: Callable[[Any], str], /
) -> tuple[bytes, list[int]] | None: ...
