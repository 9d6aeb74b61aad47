"""The one place that decides which core runs: the C extension or pure Python.

`compiled` is the C extension `nir._speedups` when it is built and importable,
unless the environment sets ``NIR_PURE_PYTHON`` (to anything non-empty); else
None, and every caller uses the pure-Python reference of the same function. The
two give the same results (the tests compare them); only the speed differs.

Callers read `compiled` at call time, so the tests can switch cores by setting it.
"""

from __future__ import annotations

import functools
import os
from array import array
from collections.abc import Callable, Iterable
from datetime import date
from itertools import accumulate, chain

from nir import _rules

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see nir._tuples)
if TYPE_CHECKING:  # typing_extensions is a typing-time name only (Buffer is in 3.12's abc)
    from typing import Any, Protocol

    from typing_extensions import Buffer

    from nir._identity_values import Declared
else:
    Protocol = object  # Speedups documents the module; nothing checks it at run time

COMPILED = "C extension"
# The identity columns of a C scan: sex, date and place columns (-1: none), today as
# YYYYMMDD, cell_class(kind, cell, head, born) -> int, the thread's memo, the int64
# counts, `place_mismatch_table()`, place_codes(cell) -> bytes, `sex_cell_table(...)`,
# `commune_spans_table()` (b"" without a place column), the run's names memo.
# Written once: the stub _speedups.pyi imports it (a typing-time name: Buffer is one).
if TYPE_CHECKING:
    IdentityArgument = tuple[
        int,
        int,
        int,
        int,
        Callable[[int, bytes, bytes, int], int],
        Buffer,
        bytearray,
        bytes,
        Callable[[bytes], bytes],
        bytes,
        bytes,
        Buffer,
    ]
PURE_PYTHON = "pure Python"
# What arrow_check returns: the length, the valid bitmap, then (validity, offsets, data,
# null count) of error_code, number (True: the input itself) and kind, None when not asked.
StringBuffers = tuple[bytes, bytes, bytes, int]
ArrowBuffers = tuple[
    int, bytes, StringBuffers | None, StringBuffers | bool | None, StringBuffers | None
]


class Speedups(Protocol):
    """What `nir._speedups` provides (see its stub, `_speedups.pyi`)."""

    def configure(self, tables: tuple[bytes | int | tuple[int, ...], ...], /) -> None: ...

    def share_malloc_arena(self) -> bool: ...

    def reserve_space(self, fd: int, offset: int, length: int, /) -> bool: ...

    def deferred_stats(self) -> tuple[int, int]: ...

    def keep_names(self, names_memo: Buffer, spellings: bytes, ascii_only: bool, /) -> int: ...

    def quick_valid(self, value: object, /) -> bool: ...

    def quick_number(self, value: object, /) -> str | None: ...

    def bind(
        self,
        namespace: dict[str, object],
        is_valid: Callable[..., object],
        validate: Callable[..., object],
        parse: Callable[..., object],
        shapes: tuple[object, ...],
        /,
    ) -> None: ...

    def is_valid(self, value: object, **options: object) -> bool: ...

    def validate(self, value: str, **options: object) -> str: ...

    def parse(self, value: str, **options: object) -> object: ...

    def scan(  # noqa: PLR0917
        self,
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

    def first_undecodable(self, data: Buffer, end: int, encoding: str, /) -> int: ...

    def line_breaks(self, data: Buffer, /) -> int: ...

    def probe(self, data: Buffer, encoding: str, /) -> tuple[int, int]: ...

    def date_cell(self, cell: bytes, /) -> int: ...

    def check_many(
        self, values: Iterable[object], slow: Callable[[object], str | None], /
    ) -> tuple[bytearray, dict[int, str]]: ...

    def verdict(  # noqa: PLR0917
        self,
        value: bytes,
        allow_temporary: bool,
        allow_missing_key: bool,
        warnings_as_errors: bool,
        year: int,
        month: int,
        /,
    ) -> tuple[str, tuple[str | int | None, ...], str, str, tuple[str, ...]] | None: ...

    def arrow_check(  # noqa: PLR0917
        self,
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
    ) -> ArrowBuffers: ...

    def sql_policy(
        self,
        slow: Callable[[bytes], tuple[str, str, str]],
        allow_temporary: bool,
        allow_missing_key: bool,
        warnings_as_errors: bool,
        /,
    ) -> None: ...

    def suggest_candidates(
        self, value: bytes, year: int, month: int, /
    ) -> list[tuple[str, str, int]] | None: ...

    def dsn_scan(self, chunk: Buffer, first_line: int, /) -> DsnScan | None: ...

    def sheet_csv(
        self, rows: list[list[Any]], cell_text: Callable[[Any], str], /
    ) -> tuple[bytes, list[int]] | None: ...


_B = bytes | None
DsnRow = tuple[int, _B, _B, _B, _B, _B, _B, _B, _B]
"""An individual nir.dsn leaves to Python: line, .001 .005 .006 .007 .014 .015 .019 .020."""
DsnScan = tuple[int, list[DsnRow], int]
"""nir.dsn._scan_python's result: the settled individuals' count, the others, the lines."""


def load_compiled() -> Speedups | None:
    """The C extension, configured with the rules of `nir._rules`; None when not built."""
    try:
        from nir import _speedups  # noqa: PLC0415  # optional: absent without a compiler
    except ImportError:
        return None
    _speedups.configure(c_tables())
    return _speedups


def _day(day: date) -> int:
    """A date as the C core compares it: 1976-01-01 is 19760101."""
    return day.year * 10000 + day.month * 100 + day.day


# The classes the C core gives month codes, place heads and overseas codes (see the
# enums at the top of _speedups.c).
_MONTH_INVALID, _MONTH_DOCUMENTED, _MONTH_UNDOCUMENTED = 0, 1, 2
_HEAD_NONE, _HEAD_DEPARTMENT, _HEAD_UNTIL, _HEAD_NORTH_AFRICA, _HEAD_OVERSEAS, _HEAD_ABROAD = range(
    6
)
_OVERSEAS_NONE, _OVERSEAS_ALWAYS, _OVERSEAS_UNTIL, _OVERSEAS_SINCE = range(4)


def _head_class(head: str) -> tuple[int, int]:
    """The C class of a 2-digit place head, and its cut-off date (0 for none)."""
    if head == _rules.NO_DEPARTMENT:
        return _HEAD_NONE, 0
    if head == _rules.ABROAD:
        return _HEAD_ABROAD, 0
    if head in _rules.OVERSEAS_HEADS:
        return _HEAD_OVERSEAS, 0
    if head == _rules.CORSICA:
        return _HEAD_UNTIL, _day(_rules.CORSICA_SPLIT)
    if head in _rules.NORTH_AFRICA:
        return _HEAD_NORTH_AFRICA, _day(_rules.NORTH_AFRICA[head].independence)
    return _HEAD_DEPARTMENT, 0


def _overseas_class(code: str) -> tuple[int, int, int]:
    """The C class of a 3-digit overseas code, its cut-off date, its note number."""
    if code not in _rules.OVERSEAS:
        return _OVERSEAS_NONE, 0, 0
    period = _rules.OVERSEAS_PERIODS.get(code)
    if period is None:
        return _OVERSEAS_ALWAYS, 0, 0
    note = _rules.OVERSEAS_NOTES.index(period.note)
    if period.until is not None:
        return _OVERSEAS_UNTIL, _day(period.until), note
    assert period.since is not None  # a Period has one of the two
    return _OVERSEAS_SINCE, _day(period.since), note


def _sex_class(digit: str) -> int:
    """The C class of a first digit: 0 not allowed, 1 definitive, 2 temporary."""
    return 1 if digit in _rules.DEFINITIVE else 2 if digit in _rules.TEMPORARY else 0


def _month_class(code: int) -> tuple[int, int]:
    """The C class of a month code, and the month it gives (0 when unknown)."""
    if code in _rules.REAL_MONTHS:
        return _MONTH_DOCUMENTED, code
    if code in _rules.PSEUDO_MONTHS:
        return _MONTH_DOCUMENTED, code - _rules.PSEUDO_MONTH_OFFSET
    if code in _rules.UNKNOWN_MONTHS:
        return _MONTH_DOCUMENTED, 0
    if code in _rules.UNDOCUMENTED_MONTHS:
        return _MONTH_UNDOCUMENTED, 0
    return _MONTH_INVALID, 0


# What parse's C entry point makes of a month code and a first digit: the index of
# its MonthKind (in _speedups.c's order, 0 = none), 1 for men.
_MONTH_KINDS = ("", "real", "pseudo", "unknown")


def _month_kind(code: int) -> int:
    """The C index of the MonthKind of a month code (0 when no month is read)."""
    if code in _rules.REAL_MONTHS:
        return _MONTH_KINDS.index("real")
    if code in _rules.PSEUDO_MONTHS:
        return _MONTH_KINDS.index("pseudo")
    if code in _rules.UNKNOWN_MONTHS or code in _rules.UNDOCUMENTED_MONTHS:
        return _MONTH_KINDS.index("unknown")
    return 0


def _plain_years() -> bytes:
    """[head * 100 + YY] = 1 when the mainland head is right for YY whatever the century."""
    table = bytearray(100 * 100)
    for head in range(100):
        years = _rules.plain_department_years(f"{head:02d}")
        row = bytes(yy in years for yy in range(100)) if len(years) < 100 else b"\x01" * 100
        table[head * 100 : head * 100 + 100] = row
    return bytes(table)


def c_tables() -> tuple[bytes | int | tuple[int, ...], ...]:
    """The facts of `nir._rules` as the C core's arrays, in `configure`'s order.

    Read at call time: a test may change a fact, call `configure`, and compare cores.
    """
    months = [_month_class(code) for code in range(100)]
    heads = [_head_class(f"{head:02d}") for head in range(100)]
    overseas = [_overseas_class(f"{900 + code}") for code in range(100)]
    letters = [_rules.CORSICA_LETTERS.get(chr(ord("A") + i), 0) for i in range(26)]
    return (
        bytes(kind for kind, _ in months),
        bytes(month for _, month in months),
        bytes(kind for kind, _ in heads),
        tuple(day for _, day in heads),
        bytes(
            _rules.NORTH_AFRICA[f"{head:02d}"].department_after
            if f"{head:02d}" in _rules.NORTH_AFRICA
            else 0
            for head in range(100)
        ),
        _plain_years(),
        bytes(kind for kind, _, _ in overseas),
        tuple(day for _, day, _ in overseas),
        bytes(note for _, _, note in overseas),
        bytes(f"{900 + code}" in _rules.PLAIN_OVERSEAS for code in range(100)),
        bytes(letters),
        bytes(_sex_class(str(digit)) for digit in range(10)),
        ord(_rules.CORSICA[0]),
        _day(_rules.CORSICA_SPLIT),
        _day(_rules.SEINE_SPLIT),
        _rules.OVERSEAS_COMMUNE_MAX,
        int(_rules.NO_COUNTRY),
        int(_rules.FRANCE_COUNTRY),
        _rules.MAX_AGE,
        _rules.OLDEST_READING,
        bytes(_month_kind(code) for code in range(100)),
        tuple(
            int(_rules.NORTH_AFRICA[f"{head:02d}"].country)
            if f"{head:02d}" in _rules.NORTH_AFRICA
            else 0
            for head in range(100)
        ),
        bytes(
            (digit in _rules.MALE_DIGITS) | (digit in _rules.NO_BIRTH_FIELDS) << 1
            for digit in "0123456789"
        ),
        bytes(
            (month, day) in _rules.DEFAULT_BIRTH_DAYS for month in range(13) for day in range(32)
        ),
    )


# The departments of the C core's place_mismatch table, in its order: 00-99, 970-989,
# 2A, 2B.
_DEPARTMENTS = (
    *(f"{head:02d}" for head in range(100)),
    *(f"{code}" for code in range(970, 990)),
    *(_rules.CORSICA[0] + letter for letter in _rules.CORSICA_LETTERS),
)

_DEPARTMENT_INDEX = {department: index for index, department in enumerate(_DEPARTMENTS)}

# Its size: a scan without a place column gets that many zero bytes (never read).
PLACE_TABLE_SIZE = len(_DEPARTMENTS) ** 2


def place_mismatch_table() -> bytes:
    """The C core's place_mismatch table: [number's department * 122 + a cell's].

    1 when a commune cell of the second department mismatches a number's place in
    the first, whatever the birth date. From the build's cache (`TABLES_CACHE`).
    """
    return _place_tables()[0]


def _mismatch_table() -> bytes:
    """`place_mismatch_table` made: the image of `nir._identity_place.compare_any_date`.

    On one commune of each department (~15,000 comparisons, ~0.25 G instructions:
    the build keeps it).
    """
    from nir._identity_place import MISMATCH, compare_any_date  # noqa: PLC0415  # no cycle
    from nir._identity_values import Declared  # noqa: PLC0415  # at run time

    return bytes(
        compare_any_date(_commune(ours, "001"), Declared("commune", _commune(theirs, "002")))
        == MISMATCH
        for ours in _DEPARTMENTS
        for theirs in _DEPARTMENTS
    )


SPAN_EPOCH = date(1900, 1, 1)
"""Day 0 of `commune_spans_table`'s day numbers (a uint16 reaches 2079)."""
SPAN_OPEN = 0xFFFF
"""A day number of `commune_spans_table` past every other (a span still valid)."""
_CODES_PER_DEPARTMENT = 1000  # a commune code's last 3 characters


TABLES_CACHE = "_place_tables.bin"
"""`place_mismatch_table` and `commune_spans_table` as the build keeps them beside this
module (git-ignored)."""


def commune_spans_table() -> bytes:
    """`_spans_table`, from the build's cache (`TABLES_CACHE`) when its stamp is today's."""
    return _place_tables()[1]


@functools.cache
def _place_tables() -> tuple[bytes, bytes]:
    """`_mismatch_table` and `_spans_table`, from the build's cache when its stamp is today's.

    Making them takes ~0.35 G instructions, more than the comparisons they save in a
    200,000-row file: a stamp (of the place keys' and of this code) instead keeps
    them with the build.
    """
    from pathlib import Path  # noqa: PLC0415  # import nir stays cheap

    cached = cached_tables(str(Path(__file__).with_name(TABLES_CACHE)))
    return cached or (_mismatch_table(), _spans_table())


def cached_tables(path: str) -> tuple[bytes, bytes] | None:
    """What `write_tables_cache` kept in `path`, when its stamp is today's; else None."""
    from pathlib import Path  # noqa: PLC0415  # import nir stays cheap

    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    if data[:4] != _spans_stamp() or len(data) < 4 + PLACE_TABLE_SIZE:
        return None
    return data[4 : 4 + PLACE_TABLE_SIZE], data[4 + PLACE_TABLE_SIZE :]


def write_tables_cache(path: str) -> None:
    """Keep `_mismatch_table` and `_spans_table` with their stamp in `path` (the build)."""
    from pathlib import Path  # noqa: PLC0415  # import nir stays cheap

    Path(path).write_bytes(_spans_stamp() + _mismatch_table() + _spans_table())


def _spans_stamp() -> bytes:
    """A checksum of what `_place_tables` and `place_name_tables` depend on.

    The place keys, this code, the comparisons and the rules.
    """
    import zlib  # noqa: PLC0415  # import nir stays cheap
    from pathlib import Path  # noqa: PLC0415

    from nir import _identity_place, _place_keys  # noqa: PLC0415  # the data

    stamp = _place_keys.keys_stamp()
    for module in (__file__, _identity_place.__file__, _rules.__file__):
        stamp = zlib.crc32(Path(module).read_bytes(), stamp)
    return stamp.to_bytes(4, "little")


def _spans_table() -> bytes:
    """The C scan's dated comparison of two commune codes, as native uint16s.

    The image of `nir._identity_place._compare_communes`'s data, for the C core to
    compare a commune cell with a number's commune at a birth date without asking
    Python. Day numbers count from `SPAN_EPOCH`, clamped to [0, SPAN_OPEN]:
    the scan asks Python for a date outside [0, SPAN_OPEN - 1). In order:

    - the epoch's ordinal (low, high 16 bits);
    - [ours * 122 + theirs]: the day number from which department `theirs` no longer
      holds a birth coded in `ours` (`departments_match`), 0 never, SPAN_OPEN always;
    - [code + 1]: where a commune's spans start, by code = department index * 1000 +
      its last 3 digits, the spans of a code ending where the next code's start;
    - [code / 16 + 1], bit code % 16: a city's code (Paris, Lyon, Marseille); then as
      many for an arrondissement's: a city and an arrondissement of one department
      are the same city (`nir._identity_place.city_parts`);
    - the spans: (folded name's number, first day, day after).
    """
    from nir import _identity_place as place  # noqa: PLC0415  # the data: import nir stays cheap
    from nir._place_keys import place_keys  # noqa: PLC0415  # the data

    epoch = SPAN_EPOCH.toordinal()
    table = array("H", [epoch & 0xFFFF, epoch >> 16])
    table.extend(
        _department_until(ours, theirs) for ours in _DEPARTMENTS for theirs in _DEPARTMENTS
    )
    communes = place_keys().communes
    # department index * 1000 + the last 3 digits; the department is in the first 3
    base = {
        head: _DEPARTMENT_INDEX[place.department_of(head)] * _CODES_PER_DEPARTMENT
        for head in {code[:3] for code in communes}
    }
    indexes = [base[code[:3]] + int(code[2:]) for code in communes]
    values = list(communes.values())
    codes = len(_DEPARTMENTS) * _CODES_PER_DEPARTMENT
    # ~46,000 spans: looped over by builtins (map, zip, chain), in arrays, not lists
    counts = array("H", bytes(2 * codes))
    for index, spans in zip(indexes, values, strict=True):
        counts[index] = len(spans)
    starts = array("H", accumulate(counts, initial=0))
    del counts
    order = sorted(range(len(indexes)), key=indexes.__getitem__)
    names, firsts, afters = zip(*chain.from_iterable(map(values.__getitem__, order)), strict=True)
    number = {name: at for at, name in enumerate(dict.fromkeys(names))}.__getitem__
    day = {day: _span_day(day - epoch) for day in {*firsts, *afters}}.__getitem__
    flat = array(
        "H",
        chain.from_iterable(
            zip(map(number, names), map(day, firsts), map(day, afters), strict=True)
        ),
    )
    del names, firsts, afters, number, day
    # (more than 65,535 names or spans: an OverflowError above, not a wrong table)
    table.extend(starts)
    for part in place.city_parts():
        bits = array("H", bytes(2 * (codes // 16 + 1)))
        for code in part:
            index = _DEPARTMENT_INDEX[place.department_of(code)] * _CODES_PER_DEPARTMENT
            index += int(code[-3:])
            bits[index // 16] |= 1 << index % 16
        table.extend(bits)
    table.extend(flat)
    return table.tobytes()


def _span_day(day: int) -> int:
    return min(max(day, 0), SPAN_OPEN)


def _department_until(ours: str, theirs: str) -> int:
    """The first day number at which `departments_match(ours, theirs, day)` is false."""
    from nir._identity_place import departments_match  # noqa: PLC0415  # no cycle

    if not departments_match(ours, theirs, SPAN_EPOCH):
        return 0
    epoch = SPAN_EPOCH.toordinal()

    def matches(day: int) -> bool:
        return departments_match(ours, theirs, date.fromordinal(epoch + day))

    if matches(SPAN_OPEN - 1):
        return SPAN_OPEN
    low, high = 0, SPAN_OPEN - 1  # matches(low), not matches(high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if matches(middle) else (low, middle)
    return high


# The spellings of one name ("St-Denis", "SAINT DENIS") share a table; the scan keeps
# each cell's (nir._csvio.RowChecker.place_tables), so this holds only the recent ones.
PLACE_NAME_CACHE = 1024


@functools.lru_cache(maxsize=PLACE_NAME_CACHE)
def place_name_table(declared: Declared) -> bytes:
    """The C scan's table of a place name: what it is at the birth date.

    A byte, the index in `_DEPARTMENTS` of the one department of the name's
    communes (255: none such, or a name of departments or countries too): the
    name then mismatches a number's place as a commune of it would
    (`place_mismatch_table`); a byte, NAME_DATED when the name is of communes
    and countries only, all of them below: the scan then compares the number's
    commune with each (as `nir._identity_place._compare_france` does, by
    `commune_spans_table`; France's 99100 matches every French place), a match
    or else a mismatch; then its own codes (communes, 99 + the countries it
    names, `countries_named`), the 5-character places it surely matches
    (`nir._identity_place.compare_any_date` says so of each), and those of a
    North African head (91-96): a department's after independence, they match
    then (`compare`: the name's own code), a country's before (the scan asks).
    """
    from nir import _identity_place as place  # noqa: PLC0415  # the data: import nir stays cheap

    codes = place.name_codes(declared.value)
    if codes is None:
        return UNKNOWN_NAME_TABLE
    communes = codes.communes
    # compare_any_date matches the name with each of its own codes, communes and
    # countries alike (a North African head's: `compare` does, its own code)
    countries = place.countries_named(codes)
    matches = [*communes, *(_rules.ABROAD + country for country in countries)]
    dated = 0 if codes.departments or codes.north_africa else NAME_DATED
    departments = {place.department_of(code) for code in communes}
    one = len(departments) == 1 and not (codes.departments or countries or codes.north_africa)
    index = _DEPARTMENT_INDEX[departments.pop()] if one else NO_DEPARTMENT
    return bytes([index, dated]) + "".join(sorted(set(matches))).encode("ascii")


NO_DEPARTMENT = 255
"""The first byte of `place_name_table` when no department is said."""
NAME_DATED = 1
"""The second byte of `place_name_table` when its codes settle the name at a date."""
UNKNOWN_NAME_TABLE = bytes([NO_DEPARTMENT, 0])
"""`place_name_table` of a name the data does not hold."""

NAMES_CACHE = "_place_names.marshal"
"""`place_name_tables` and `name_spellings`, as the build keeps them beside this module
(git-ignored)."""
SPELLING_ENCODINGS = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "cp1252": "cp1252"}
"""The encodings `name_spellings` is kept in (a cell reads the same in UTF-8 with or
without a BOM), for each encoding nir csv reads."""

NamesCache = tuple[dict[str, bytes], dict[str, bytes], frozenset[tuple[str, str]]]
"""Folded name -> its `place_name_table`; encoding -> `spelling_records` in it; the
department pairs communes moved between (`nir._identity_place.moved_departments`)."""


def place_name_tables() -> dict[str, bytes] | None:
    """Every folded name's `place_name_table`, from the build's cache (`NAMES_CACHE`).

    A new name cell then costs a dictionary look-up, not ~60,000 instructions of
    comparisons, nor the place data's load (~170M). None without the cache, or
    when its stamp is not today's: `place_name_table` then makes each one asked.
    """
    kept = _names_cache()
    return None if kept is None else kept[0]


def name_spellings(encoding: str) -> bytes:
    """`spelling_records` of the data's names in `encoding`, from the build's cache.

    What `keep_names` gives the C scan; b"" without the cache.
    """
    kept = _names_cache()
    if kept is None or encoding not in SPELLING_ENCODINGS:
        return b""
    return kept[1].get(SPELLING_ENCODINGS[encoding], b"")


def moved_department_pairs() -> frozenset[tuple[str, str]] | None:
    """`nir._identity_place.moved_departments`, from the build's cache; None without it.

    Made from the data, it walks every commune's spans (~0.2 s): the first name or
    code compared across departments in a run paid that.
    """
    kept = _names_cache()
    return None if kept is None else kept[2]


def keep_names(names_memo: Buffer, encoding: str, *, ascii_only: bool) -> int:
    """Keep the tables of the data's own spellings in a run's names memo (scan's identity).

    A scan then asks `nir._csvio.RowChecker.place_codes` only about the other
    spellings: each distinct name cell was one call with the GIL (~40,000 of them on
    a national export). `ascii_only` while the run's encoding is not settled (the
    cells so far were ASCII, which reads the same in all of them). Returns how many
    were kept (0 without the C core or the build's cache).
    """
    keep = getattr(compiled, "keep_names", None)  # None: no C core, or an older build
    if keep is None:
        return 0
    spellings = name_spellings(encoding)
    return keep(names_memo, spellings, ascii_only) if spellings else 0


@functools.cache
def _names_cache() -> NamesCache | None:
    from pathlib import Path  # noqa: PLC0415  # import nir stays cheap

    return read_names_cache(str(Path(__file__).with_name(NAMES_CACHE)))


def read_names_cache(path: str) -> NamesCache | None:
    """What `write_names_cache` kept in `path`, when its stamp is today's; else None."""
    import marshal  # noqa: PLC0415  # import nir stays cheap
    from pathlib import Path  # noqa: PLC0415

    try:
        kept, tables, spellings, moved = marshal.loads(Path(path).read_bytes())  # noqa: S302  # our build's
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return (tables, spellings, moved) if kept == _spans_stamp() else None


def write_names_cache(path: str) -> None:
    """Keep every folded name's `place_name_table` and the spellings' records in `path`."""
    import marshal  # noqa: PLC0415  # import nir stays cheap
    from pathlib import Path  # noqa: PLC0415

    from nir._identity_place import moved_from_data, names_index  # noqa: PLC0415  # the data
    from nir._identity_values import QUALIFIER, Declared, read_place  # noqa: PLC0415  # at run time
    from nir._place_keys import spellings as data_spellings  # noqa: PLC0415  # the build only

    make = place_name_table.__wrapped__
    tables = {key: make(Declared("name", key)) for key in sorted(names_index())}
    # the data's names a cell reads as qualified ("Paris 1er Arrondissement" is Paris,
    # 1er; "Marshall (Îles)"): their tables too, or each would load the data (~40 MB)
    for spelling in data_spellings():
        declared = read_place(spelling)
        if declared is not None and declared.kind == "name" and QUALIFIER in declared.value:
            tables.setdefault(declared.value, make(declared))
    spellings = {
        encoding: spelling_records(tables, encoding)
        for encoding in sorted(set(SPELLING_ENCODINGS.values()))
    }
    moved = moved_from_data()
    Path(path).write_bytes(marshal.dumps((_spans_stamp(), tables, spellings, moved)))


def spelling_records(tables: dict[str, bytes], encoding: str) -> bytes:
    """The data's names as cells of `encoding`, each with what `place_codes` answers for it.

    Records as `_speedups.keep_names` reads them: a byte, the length of the cell;
    the cell; a byte, the length of its table; the table (`name_cell_table`). A
    name `encoding` cannot write, or whose table is empty, is left out.
    """
    from nir._place_keys import spellings  # noqa: PLC0415  # the data (the build only)

    records = []
    for name in spellings():
        try:
            cell = name.encode(encoding)
        except UnicodeEncodeError:
            continue
        table = name_cell_table(cell, encoding, tables)
        if table and len(cell) < 256 and len(table) < 256:
            records.append(bytes([len(cell)]) + cell + bytes([len(table)]) + table)
    return b"".join(records)


def name_cell_table(cell: bytes, encoding: str, tables: dict[str, bytes] | None) -> bytes:
    """What the C scan is told of a place cell (see `name_text_table`), as it reads it."""
    text = cell.decode(encoding, errors="replace").strip()
    return name_text_table(text, tables) if text else b""


def name_text_table(text: str, tables: dict[str, bytes] | None) -> bytes:
    """A place cell's `place_name_table` (`tables`: `place_name_tables()`); b"" for no name.

    The scan then looks the number's place up instead of asking
    `nir._identity.place_class` once per (cell, number's place).
    """
    from nir._identity_values import QUALIFIER, read_place, sure_name_key  # noqa: PLC0415  # at run time

    if tables is not None:
        key = sure_name_key(text)
        if key is not None:
            return tables.get(key, UNKNOWN_NAME_TABLE)
    # not read_place's cache: the scan asks a cell once (nir._csvio.RowChecker.place_codes)
    declared = read_place.__wrapped__(text)
    if declared is None or declared.kind != "name":
        return b""
    table = None if tables is None else tables.get(declared.value)
    if table is not None:  # the data's names, qualified ones too ("paris|15e")
        return table
    if tables is None or QUALIFIER in declared.value:  # another qualified name: its own
        return place_name_table(declared)
    return UNKNOWN_NAME_TABLE


SEX_ASK = 255
"""A `sex_cell_table` entry for a cell the compiled scan asks about (memo, Python)."""


def sex_cell_table(sex_answer: Callable[[bytes], int]) -> bytes:
    """The compiled scan's sex answers for a cell of one byte ([byte]) or none ([256]).

    The image of the run's own answer for a sex cell (RowChecker.cell_class, its
    encoding included) on those 257 cells: M, F, 1, 2 then need no memo look-up.
    SEX_ASK where an answer does not fit in a byte.
    """
    answers = [sex_answer(bytes([byte])) for byte in range(256)] + [sex_answer(b"")]
    return bytes(answer if 0 <= answer < SEX_ASK else SEX_ASK for answer in answers)


def _commune(department: str, number: str) -> str:
    """A commune code of `department` (its last characters from `number`)."""
    return department + number[len(department) - 2 :]


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity).

    The default thread count of `nir csv --jobs` and of `nir.arrow.check`.
    """
    counted = getattr(os, "process_cpu_count", None)  # Python >= 3.13
    if counted is not None:
        return int(counted() or 1)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def configure() -> None:
    """Hand the current facts of `nir._rules` to the C core, when it runs."""
    if compiled is not None:
        compiled.configure(c_tables())


compiled: Speedups | None = None if os.environ.get("NIR_PURE_PYTHON") else load_compiled()


# The fields of nir.Nir in the order parse's C entry point fills them (NIR_* in
# _speedups.c); _shapes checks they are Nir.__match_args__, in order.
_NIR_FIELDS = (
    "number",
    "kind",
    "sex",
    "birth_year",
    "birth_month",
    "month_kind",
    "department",
    "commune",
    "country",
    "order",
    "key",
    "warnings",
    "century_ambiguous",
    "department_name",
    "commune_name",
    "country_name",
)


def _shapes() -> tuple[object, ...]:
    """What parse's C entry point builds a `Nir` from (see `bind` in _speedups.c)."""
    from nir._model import Kind, MonthKind, Nir, Sex  # noqa: PLC0415  # _model imports us

    if Nir.__match_args__ != _NIR_FIELDS:
        msg = "nir.Nir's fields changed: update _NIR_FIELDS and NIR_* in _speedups.c"
        raise RuntimeError(msg)
    month_kinds = (None, *(MonthKind(kind) for kind in _MONTH_KINDS[1:]))
    return (
        Nir,
        tuple(getattr(Nir, name) for name in _NIR_FIELDS),
        month_kinds,
        (Sex.FEMALE, Sex.MALE),
        Kind.NIR,
    )


def entry_points(
    is_valid: Callable[..., object], validate: Callable[..., object], parse: Callable[..., object]
) -> tuple[Callable[..., object], Callable[..., object], Callable[..., object]]:
    """What `nir.is_valid`, `nir.validate` and `nir.parse` are: C when built, else these.

    The C entry points settle a quick-valid value with no Python frame and call
    the given Python functions for anything else, and for everything while
    `compiled` is not the C module (so switching cores still switches them).
    """
    module = compiled
    if module is None:
        return is_valid, validate, parse
    module.bind(globals(), is_valid, validate, parse, _shapes())
    return module.is_valid, module.validate, module.parse


def core_implementation() -> str:
    """Which core is running: "C extension" or "pure Python".

    >>> core_implementation() in ("C extension", "pure Python")
    True
    """
    return COMPILED if compiled is not None else PURE_PYTHON
