"""`nir csv`'s engine: stream a CSV export, check one column, lose nothing.

The engine works on bytes. Every input record is written back byte for byte (its
quoting, spacing and line ending untouched) followed by the appended columns, so
no field can change on the way through. This holds for UTF-8 (with or without
BOM) and cp1252, where the delimiter, the quote and line breaks are single ASCII
bytes that never occur inside another character.

Detection, decoding checks and I/O live here; the hot loop is `scan` (pure Python
in `nir._csvscan`, or the C extension `nir._speedups` when it is built), which
settles the easy rows itself and hands every other one to `RowChecker.slow_row`.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import mmap
import os
import re
import stat
import sys
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, BinaryIO, cast

from nir import _accel, messages
from nir._bulk import Learned, learned_verdict, verdict
from nir._csvscan import (
    LINE_FEED,
    Judge,
    Render,
    ScanResult,
    SlowRow,
    VerdictTuple,
    appended_cells,
    field_value,
    line_breaks,
    raw_fields,
    records,
    simple_value,
)
from nir._csvscan import scan as python_scan
from nir._csvsplit import Piece, pieces, scan_pieces
from nir._frozen import dataclass_shadow, replaced
from nir._identity import (
    CELL_EMPTY,
    KIND_DATE,
    KIND_PLACE,
    KIND_SEX,
    PLACE_ANY_DATE,
    date_class,
    identity_codes,
    place_class,
    sex_class,
)
from nir._identity import FIELDS as IDENTITY_FIELDS
from nir._parse import DEFAULT_OPTIONS, Options
from nir._privacy import mask, pseudonym_of_compact
from nir._suggest import suggestions

if TYPE_CHECKING:
    from nir._threads import Pending, Submitting

# Either `scan` (the Python one on bytes with a judge, the C one on any buffer with a
# judge or a policy); `scanner` picks the arguments that fit the one it picks.
AnyScan = Callable[..., tuple[Any, ...]]
# scan for one run: (data, width, line, final) -> ScanResult
Scanner = Callable[[memoryview, int, int, bool], ScanResult]

CHUNK_SIZE = 1 << 20
# With several threads (the C core): windows of up to this size, split in pieces of
# at least MIN_PIECE bytes. A window's size follows its output: the next window is
# sized for OUTPUT_WINDOW bytes out at the last window's ratio of bytes out to bytes
# in (a tenth with --only-invalid on a mostly valid export, five times when every
# row of a one-column file is invalid), growing at most twofold a window. The
# window, its output, the output being written and the mapped pages then stay well
# under 100 MB whatever the input and the thread count.
THREAD_WINDOW = 16 << 20
OUTPUT_WINDOW = 8 << 20
MIN_PIECE = 512 << 10
# Pieces per thread in a window: threads take them as they come, so a slower piece
# (more invalid rows) does not keep the other threads waiting at the window's end.
PIECES_PER_THREAD = 4
SAMPLE_SIZE = 1 << 16
FIRST_RECORD_HEAD = 1 << 12  # what first_record reads first
# No real record comes near this: one this long is a quote that never closes.
LONGEST_RECORD = 16 << 20
APPENDED_COLUMNS = (
    "nir_line",
    "nir_valid",
    "nir_error_code",
    "nir_error",
    "nir_number",
    "nir_kind",
    "nir_warnings",
    "nir_identity_mismatch",
    "nir_suggestion",
)
# The identity columns, by the normalised names of their headers (`identity_kind`).
IDENTITY_KINDS = ("sex", "birth_date", "birth_place")
_SEX_HEADERS = frozenset(
    {"sexe", "sex", "civilite", "civility", "genre", "gender", "codesexe", "civ", "sexehf"}
)
# Headers that say birth without a word of it: "DOB", "DDN", "Né(e) le", "Né(e) à".
_BIRTH_HEADERS = {
    "dob": "birth_date",
    "ddn": "birth_date",
    "nele": "birth_date",
    "neele": "birth_date",
    "nea": "birth_place",
    "neea": "birth_place",
}
_BIRTH_WORDS = ("naiss", "birth")
# The words of a birth place's header, the commune's first (a file with a commune and
# a country column is checked on the commune).
_PLACE_WORDS = (
    ("lieu", "place", "commune", "ville", "insee", "localite", "city", "town"),
    ("departement", "dept", "dpt"),
    ("pays", "country"),
)
# The births of other people an HR export may hold.
_OTHER_PEOPLE = frozenset(
    {"conjoint", "enfant", "pere", "mere", "epou", "spouse", "child", "father", "mother", "parent"}
)
# The mismatch field codes of `nir._identity` that each identity column answers for.
_KIND_FIELDS = {
    "sex": ("sex",),
    "birth_date": ("birth_year", "birth_month"),
    "birth_place": ("birth_place",),
}
# What the C scan counts for the identity columns it checks, in its order.
IDENTITY_COUNTERS = (
    *(("checked", kind) for kind in IDENTITY_KINDS),
    *(("mismatched", kind) for kind in IDENTITY_KINDS),
    ("rows", ""),
    *(("field", name) for name in ("sex", "birth_year", "birth_month", "birth_place")),
    ("suggestions", ""),
)
IDENTITY_MEMO_BYTES = 4 << 20
"""A thread's memo of the C scan's answers for sex, date and place cells: cells repeat."""
IDENTITY_MEMO_TOTAL = 8 << 20
"""What the memos of all the threads take at most: more than two threads share it
(`memo_bytes`), so peak memory does not grow by a whole memo per thread."""
NAMES_MEMO_BYTES = 6 << 20
"""The C scan's memo of place names, one for all the threads of a run: ~86,000 entries
of 64 bytes, for the ~38,000 names of the place data (a thread that asks Python about
a name answers it for all)."""
PLACE_TABLES = 1 << 16
"""More place cells than the data has place names (~38,000): `RowChecker.place_tables`."""
SHIFTED_SHARE = 0.5
"""Above this share of mismatches on one column, the summary asks whether it is the right one."""
DELIMITER_CANDIDATES = (";", ",", "\t", "|")
UTF8_BOM = codecs.BOM_UTF8
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252")


class CsvInputError(Exception):
    """The input cannot be processed: says where, what is wrong and what to try.

    Like `nir.NirError`, it carries a `code` (a `csv_*` code of `nir.messages`)
    and `params`; `message(lang)` renders it, `str()` in the default language.
    """

    def __init__(self, code: str, **params: messages.ParamValue) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params

    def message(self, lang: str | None = None) -> str:
        """The message in `lang` ("fr", "en"; None: the default language)."""
        return messages.render(self.code, self.params, lang)

    def __str__(self) -> str:
        return self.message()

    def __reduce__(self) -> tuple[Any, ...]:
        return _input_error, (self.code, self.params)


def _input_error(code: str, params: dict[str, messages.ParamValue]) -> CsvInputError:
    """Unpickles a `CsvInputError` (its params are keyword arguments)."""
    return CsvInputError(code, **params)


class FailedAt(Exception):
    """An unexpected error (a bug in nir), raised from it, with where in the input it happened.

    `where` is "input line 12" or "input lines 12-900" (the row that failed starts there):
    the command line reports it without the row itself, which may hold a NIR.
    """

    def __init__(self, where: str) -> None:
        super().__init__(where)
        self.where = where


def _lines(first: int, last: int) -> str:
    return f"input line {first}" if first == last else f"input lines {first}-{last}"


def _located(slow_row: SlowRow) -> SlowRow:
    """`slow_row`, with the line of the row attached to any unexpected error."""

    def slow(body: bytes, end: bytes, line: int) -> bytes:
        try:
            return slow_row(body, end, line)
        except Exception as error:
            raise FailedAt(_lines(line, line)) from error

    return slow


@dataclass_shadow()
class CsvConfig:
    """What the caller asked for; None means "detect it".

    Frozen, and a dataclass to `dataclasses` (see `nir._frozen`: a dataclass's
    decorator is ~0.5 ms of each run's start-up).
    """

    __match_args__ = (
        "column",
        "delimiter",
        "encoding",
        "header",
        "only_invalid",
        "replace_bad_bytes",
        "output_encoding",
        "options",
        "lang",
        "jobs",
        "pseudonymise_key",
        "identity",
        "sex_column",
        "birth_date_column",
        "birth_place_column",
    )
    __slots__ = __match_args__

    column: str | None
    """A header name, or a 1-based column number."""
    delimiter: str | None
    encoding: str | None
    header: bool | None
    only_invalid: bool
    replace_bad_bytes: bool
    output_encoding: str | None
    options: Options
    lang: str | None
    """The language of the nir_error cells ("fr", "en"; None: the default language)."""
    jobs: int
    """Threads that scan at once (the C core; the pure-Python one uses one)."""
    pseudonymise_key: bytes | None
    """With a key (`nir._privacy.checked_key`): the NIR column and nir_number carry the
    keyed pseudonym of a valid number, the masked form of an invalid one."""
    identity: bool
    """Check the identity columns (found by header, or named below) against the number."""
    sex_column: str | None
    birth_date_column: str | None
    birth_place_column: str | None

    def __init__(  # one parameter per field, as a dataclass's
        self,
        *,
        column: str | None = None,
        delimiter: str | None = None,
        encoding: str | None = None,
        header: bool | None = None,
        only_invalid: bool = False,
        replace_bad_bytes: bool = False,
        output_encoding: str | None = None,
        options: Options = DEFAULT_OPTIONS,
        lang: str | None = None,
        jobs: int = 1,
        pseudonymise_key: bytes | None = None,
        identity: bool = True,
        sex_column: str | None = None,
        birth_date_column: str | None = None,
        birth_place_column: str | None = None,
    ) -> None:
        values = (column, delimiter, encoding, header, only_invalid, replace_bad_bytes,
                  output_encoding, options, lang, jobs, pseudonymise_key, identity,
                  sex_column, birth_date_column, birth_place_column)  # fmt: skip
        for name, value in zip(CsvConfig.__match_args__, values, strict=True):
            object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={'<secret>' if name == 'pseudonymise_key' and value else repr(value)}"
            for name, value in ((name, getattr(self, name)) for name in CsvConfig.__match_args__)
        )  # the key is a secret: never in a log or a traceback
        return f"{type(self).__name__}({shown})"


def ranked(counts: Counter[str], order: tuple[str, ...] = ()) -> list[tuple[str, int]]:
    """The codes, most frequent first, ties in `order` (identity fields), else by name.

    The same order whatever the windows, threads and core of the scan.
    """
    if order:
        return sorted(counts.items(), key=lambda item: (-item[1], order.index(item[0])))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


class Summary:
    """Counts for the one-line report and `--summary-json`.

    Not a dataclass: its decorator is ~0.5 ms of each run's start-up.
    """

    __slots__ = (
        "blank_lines",
        "column",
        "column_name",
        "delimiter",
        "encoding",
        "errors",
        "header",
        "identity_checked",
        "identity_columns",
        "identity_mismatched",
        "identity_mismatches",
        "invalid",
        "mismatched_rows",
        "replaced_lines",
        "rows",
        "rows_with_warnings",
        "short_rows",
        "suggestions",
        "valid",
        "warnings",
    )

    def __init__(  # what the run knows before its first row
        self,
        *,
        encoding: str = "",
        delimiter: str = "",
        header: bool = False,
        column: int = 0,
        column_name: str = "",
        identity_columns: dict[str, str] | None = None,
    ) -> None:
        self.rows = 0
        self.valid = 0
        self.invalid = 0
        self.errors: Counter[str] = Counter()
        self.warnings: Counter[str] = Counter()
        self.rows_with_warnings = 0
        self.blank_lines = 0
        self.short_rows: list[int] = []
        self.replaced_lines: list[int] = []
        self.encoding = encoding
        self.delimiter = delimiter
        self.header = header
        self.column = column
        self.column_name = column_name
        self.identity_columns: dict[str, str] = identity_columns or {}
        """Identity kind ("sex", "birth_date", "birth_place") -> its column's header or number."""
        self.identity_checked: Counter[str] = Counter()
        """Identity kind -> valid rows with a non-empty cell in its column."""
        self.identity_mismatched: Counter[str] = Counter()
        """Identity kind -> rows where its column mismatches the number."""
        self.identity_mismatches: Counter[str] = Counter()
        """Mismatch field code ("sex", "birth_year"...) -> rows."""
        self.mismatched_rows = 0
        self.suggestions = 0

    def __eq__(self, other: object) -> bool:
        if type(other) is not Summary:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in Summary.__slots__)

    __hash__ = None  # type: ignore[assignment]  # counts change: not a key

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in Summary.__slots__)
        return f"Summary({shown})"

    def shifted(self) -> list[tuple[str, int, str]]:
        """(kind, percent matching, column) of the columns that mismatch most rows."""
        found = []
        for kind in IDENTITY_KINDS:
            checked = self.identity_checked[kind]
            mismatched = self.identity_mismatched[kind]
            if checked and mismatched > checked * SHIFTED_SHARE:
                percent = (checked - mismatched) * 100 // checked
                found.append((kind, percent, self.identity_columns[kind]))
        return found

    def line(self, lang: str | None = None) -> str:
        """The one-line summary printed on stderr, in `lang` (None: the default language)."""
        render = messages.render
        counts = {"rows": self.rows, "valid": self.valid, "invalid": self.invalid}
        text = render("csv_summary", counts, lang)
        clause = render("clause_separator", {}, lang)
        if self.errors:
            detail = ", ".join(
                f"{code} {messages.format_count(count, lang)}"
                for code, count in ranked(self.errors)
            )
            text += f" ({detail})"
        shifted = self.shifted()
        if self.mismatched_rows:
            quiet = {f for kind, _, _ in shifted for f in _KIND_FIELDS[kind]}
            fields = ", ".join(
                f"{code} {messages.format_count(count, lang)}"
                for code, count in ranked(self.identity_mismatches, IDENTITY_FIELDS)
                if code not in quiet
            )
            if fields:
                found: dict[str, messages.ParamValue] = {
                    "count": self.mismatched_rows,
                    "fields": fields,
                }
                text += clause + render("csv_identity_mismatches", found, lang)
        for kind, percent, column in shifted:
            hint: dict[str, messages.ParamValue] = {"percent": percent, "column": column}
            text += clause + render("csv_shifted_" + kind, hint, lang)
        parts = [
            ("csv_with_warnings", self.rows_with_warnings),
            ("csv_short_rows", len(self.short_rows)),
            ("csv_replaced_lines", len(self.replaced_lines)),
        ]
        for code, count in parts:
            if count:
                text += clause + render(code, {"count": count}, lang)
        return text

    def add(self, other: Summary) -> None:
        """Count `other`'s rows too (the rows of a piece scanned on another thread)."""
        self.rows += other.rows
        self.valid += other.valid
        self.invalid += other.invalid
        self.errors.update(other.errors)
        self.warnings.update(other.warnings)
        self.rows_with_warnings += other.rows_with_warnings
        self.blank_lines += other.blank_lines
        self.short_rows += other.short_rows
        self.replaced_lines += other.replaced_lines
        self.identity_checked.update(other.identity_checked)
        self.identity_mismatched.update(other.identity_mismatched)
        self.identity_mismatches.update(other.identity_mismatches)
        self.mismatched_rows += other.mismatched_rows
        self.suggestions += other.suggestions

    def add_result(self, result: ScanResult) -> None:
        """Count the rows a scan settled itself."""
        self.rows += result.rows
        self.valid += result.valid
        self.invalid += sum(result.errors.values())
        self.errors.update(result.errors)
        self.warnings.update(result.warnings)
        self.rows_with_warnings += result.rows_with_warnings
        self.blank_lines += result.blank_lines

    def as_json(self) -> dict[str, object]:
        """A JSON-ready dict of everything counted."""
        return {
            "rows": self.rows,
            "valid": self.valid,
            "invalid": self.invalid,
            "errors": dict(ranked(self.errors)),
            "warnings": dict(ranked(self.warnings)),
            "rows_with_warnings": self.rows_with_warnings,
            "blank_lines": self.blank_lines,
            "short_rows": self.short_rows,
            "replaced_lines": self.replaced_lines,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "header": self.header,
            "column": self.column,
            "column_name": self.column_name,
            "identity_columns": self.identity_columns,
            # fixed orders: the cores (and threads) count in different orders
            "identity_checked": {
                kind: self.identity_checked[kind]
                for kind in IDENTITY_KINDS
                if kind in self.identity_checked
            },
            "identity_mismatched_rows": self.mismatched_rows,
            "identity_mismatches": dict(ranked(self.identity_mismatches, IDENTITY_FIELDS)),
            "identity_shifted": [
                {"column": column, "kind": kind, "matching_percent": percent}
                for kind, percent, column in self.shifted()
            ],
            "suggestions": self.suggestions,
        }


# ---------------------------------------------------------------------------
# Detection


def detect_encoding(sample: bytes) -> str:
    """UTF-8 with BOM, UTF-8, or cp1252 (French Excel's "CSV (séparateur: point-virgule)")."""
    if sample.startswith(UTF8_BOM):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CsvInputError("csv_utf16")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def detect_delimiter(sample: bytes, whole: bool) -> str:
    """The candidate that splits the first record of `sample` into the most fields.

    `whole` says the sample is the whole input. Ties go to the earlier candidate;
    with no candidate in the first record, ",".
    """
    counts = {}
    for candidate in DELIMITER_CANDIDATES:
        first = first_record(sample, candidate, whole)
        counts[candidate] = len(raw_fields(first[1], candidate.encode())) if first else 0
    best = max(DELIMITER_CANDIDATES, key=lambda d: counts[d])
    return best if counts[best] > 1 else ","


def first_record(
    sample: bytes, delimiter: str, whole: bool
) -> tuple[list[bytes], bytes, bytes] | None:
    """The first record of `sample` that is not a blank line; None if it does not end there.

    Returns the line breaks of the blank lines before it, its body and its line break.
    `whole` says the sample is the whole input (its last record may lack a line break).
    The record mostly ends in the sample's first bytes: they are read first, not the
    whole sample (once per delimiter candidate, at the start of every run).
    """
    found = _unquoted_first_record(sample, whole)
    if found is not None:
        return found
    if len(sample) > FIRST_RECORD_HEAD:
        found = _first_record(sample[:FIRST_RECORD_HEAD], delimiter, whole=False)
        if found is not None:  # a complete record there is the sample's first too
            return found
    return _first_record(sample, delimiter, whole)


def _unquoted_first_record(sample: bytes, whole: bool) -> tuple[list[bytes], bytes, bytes] | None:
    """`first_record` when no quote comes before its end; None to look closer.

    A record without a quote ends at its first line break, whatever the delimiter:
    the usual header is found by hand, with no record pattern to compile (~5 ms of
    a run's start-up for the four candidates).
    """
    blanks: list[bytes] = []
    start, size = 0, len(sample)
    while True:
        line_feed = sample.find(b"\n", start)
        end = sample.find(b"\r", start, size if line_feed == -1 else line_feed)
        if end == -1:
            end = line_feed
        if end == -1 or b'"' in sample[start:end]:
            return None
        if sample[end] == LINE_FEED:
            line_break = b"\n"
        elif end + 1 < size:
            line_break = b"\r\n" if sample[end + 1] == LINE_FEED else b"\r"
        elif whole:
            line_break = b"\r"
        else:
            return None  # the CR may start a CRLF the sample cuts
        if end > start:
            return blanks, sample[start:end], line_break
        blanks.append(line_break)
        start = end + len(line_break)


def _first_record(
    sample: bytes, delimiter: str, whole: bool
) -> tuple[list[bytes], bytes, bytes] | None:
    """`first_record`, from the whole of `sample`."""
    found = records(sample, delimiter.encode("ascii"), final=whole)
    for index, body in enumerate(found.bodies):
        if body:
            return found.ends[:index], body, found.ends[index]
    if whole and found.consumed == len(sample):
        raise CsvInputError("csv_empty")
    return None


def split_fields(body: bytes, delimiter: str, encoding: str) -> list[str]:
    """The values of a record's fields, as `csv.reader` gives them."""
    return [
        field_value(field).decode(encoding) for field in raw_fields(body, delimiter.encode("ascii"))
    ]


def _normalise_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.strip().lower())
    return "".join(c for c in decomposed if c.isalnum())


_NIR_HEADER_HINTS = ("nir", "secu", "insee", "nss", "ssn")


def find_column(header: list[str] | None, column: str | None, first_row: list[str]) -> int:
    """The 0-based index of the NIR column, from a name, a number, or the header."""
    if column is not None and column.strip().isdigit():
        index = int(column) - 1
        if index < 0:
            raise CsvInputError("csv_column_from_one", column=column)
        return index
    if header is None:
        if column is not None:
            raise CsvInputError("csv_column_name_no_header", column=column)
        if len(first_row) == 1:
            return 0
        raise CsvInputError("csv_no_header_several_columns")
    names = [name.strip() for name in header]
    if column is not None:
        for wanted in (column.strip(), _normalise_name(column)):
            for index, name in enumerate(names):
                if name == wanted or _normalise_name(name) == wanted:
                    return index
        raise CsvInputError("csv_column_not_in_header", column=column, columns=_listing(names))
    # "Code INSEE de naissance" is a birth place, not the NIR
    matches = [
        index
        for index, name in enumerate(names)
        if any(hint in _normalise_name(name) for hint in _NIR_HEADER_HINTS)
        and identity_kind(name) is None
        and not any(word in _normalise_name(name) for word in _BIRTH_WORDS)
    ]
    if len(matches) == 1:
        return matches[0]
    if len(names) == 1:
        return 0
    raise CsvInputError("csv_which_column", matches=len(matches), columns=_listing(names))


def identity_kind(header: str) -> tuple[str, int] | None:
    """The identity column a header names, with its rank among its kind's (0 first).

    >>> identity_kind("Date de naissance"), identity_kind("Lieu naiss."), identity_kind("Civ.")
    (('birth_date', 0), ('birth_place', 0), ('sex', 0))
    >>> identity_kind("Pays de naissance"), identity_kind("Date de naissance du conjoint")
    (('birth_place', 2), None)
    """
    name = _normalise_name(header)
    if name in _SEX_HEADERS:
        return "sex", 0
    if name in _BIRTH_HEADERS:
        return _BIRTH_HEADERS[name], 0
    if not any(word in name for word in _BIRTH_WORDS) or any(o in name for o in _OTHER_PEOPLE):
        return None
    place = next(
        (rank for rank, words in enumerate(_PLACE_WORDS) if any(word in name for word in words)),
        None,
    )
    dated = "date" in name or name.startswith("dt")
    if dated == (place is not None):  # neither ("Naissance"), or both ("Date et lieu ...")
        return None
    return ("birth_date", 0) if place is None else ("birth_place", place)


def find_identity_columns(
    header: list[str] | None, config: CsvConfig, first_row: list[str], nir_column: int
) -> dict[str, int]:
    """Identity kind -> 0-based column: the ones named in `config`, else found by header."""
    if not config.identity:
        return {}
    named = {
        "sex": config.sex_column,
        "birth_date": config.birth_date_column,
        "birth_place": config.birth_place_column,
    }
    found: dict[str, int] = {}
    for kind in IDENTITY_KINDS:
        wanted = named[kind]
        if wanted is not None:
            found[kind] = find_column(header, wanted, first_row)
            if found[kind] >= len(first_row):
                raise CsvInputError(
                    "csv_column_beyond_row", column=found[kind] + 1, count=len(first_row)
                )
        elif header is not None:
            ranked = [
                (found_kind[1], index)
                for index, name in enumerate(header)
                if index != nir_column
                and (found_kind := identity_kind(name)) is not None
                and found_kind[0] == kind
            ]
            if ranked:
                found[kind] = min(ranked)[1]
    return found


def _listing(names: list[str]) -> str:
    shown = ", ".join(f"{i}={name!r}" for i, name in enumerate(names[:30], start=1))
    return shown + (", ..." if len(names) > 30 else "")


def looks_like_header(value: str) -> bool:
    """A header cell has letters and few digits; a NIR cell is mostly digits."""
    digits = sum(c.isdigit() for c in value)
    return digits < 8


# ---------------------------------------------------------------------------
# The rows the hot loop does not settle


class RowChecker:
    """Checks one row that `scan` passed on, renders its output and counts it.

    Not a dataclass: its decorator is ~0.5 ms of each run's start-up.
    """

    __slots__ = (
        "_cells",
        "column",
        "delimiter",
        "encoding",
        "encoding_settled",
        "identity",
        "identity_counts",
        "identity_memos",
        "lang",
        "learned",
        "memo_bytes",
        "names_kept",
        "names_memo",
        "names_prefill",
        "only_invalid",
        "options",
        "place_tables",
        "secret",
        "sex_cells",
        "summary",
        "width",
    )

    def __init__(  # noqa: PLR0917  # the run's facts, as `process` finds them
        self,
        delimiter: str,
        encoding: str,
        column: int,
        width: int,
        only_invalid: bool,
        options: Options,
        summary: Summary,
        lang: str = "en",
        secret: bytes | None = None,
        identity: dict[str, int] | None = None,
    ) -> None:
        self.delimiter = delimiter
        self.encoding = encoding
        self.column = column
        self.width = width
        self.only_invalid = only_invalid
        self.options = options
        self.summary = summary
        self.lang = lang
        """The language of the nir_error cells."""
        self.secret = secret
        """The pseudonymisation key, or None to write the numbers as they are."""
        self.identity: dict[str, int] = identity or {}
        """Identity kind -> 0-based column (empty: no identity check)."""
        self.identity_counts = bytearray(8 * len(IDENTITY_COUNTERS))
        """What the C scan counted for the identity columns (`IDENTITY_COUNTERS`, int64)."""
        self.identity_memos: dict[int, mmap.mmap] = {}
        """The C scan's memo of identity answers, one per thread (shared by the pieces'
        copies of the checker): it holds for the whole run, and no two threads write one."""
        self.memo_bytes = IDENTITY_MEMO_BYTES
        """The size of each thread's memo (`memo_bytes` of the run's threads)."""
        self.names_memo = mmap.mmap(-1, NAMES_MEMO_BYTES)
        """The C scan's memo of place names, shared by every thread (the C scan writes it
        only with the GIL held). Anonymous memory: a run without names leaves it untouched."""
        self.names_kept: set[str] = set()
        """The encodings whose spellings are in `names_memo` ("ascii": the ASCII ones),
        shared by the pieces' copies (`place_codes` keeps them on the first name)."""
        self.names_prefill: _Prefill | None = None
        """The thread keeping the data's spellings ahead of the first name (`keep_names_ahead`)."""
        self.encoding_settled = True
        """False while the run's encoding is a guess (every byte so far ASCII)."""
        self.sex_cells: dict[str, bytes] = {}
        """The C scan's table of one-byte sex cells, per encoding (shared by the pieces'
        copies): made once a run, not for every piece of every window."""
        self.learned: Learned = {}
        """What `judge` learned of the run's numbers (`learned_verdict`; shared by the
        pieces' copies)."""
        self.place_tables: dict[str, dict[bytes, bytes]] = {}
        """`place_codes`' answers by encoding and cell (shared by the pieces' copies): a
        name the C scan's memo let go is asked again without reading the place data."""
        self._cells: MessageCells | None = None

    def for_piece(self) -> RowChecker:
        """A copy that counts apart (a fresh summary and identity counts), sharing the rest."""
        own = RowChecker.__new__(RowChecker)
        for name in RowChecker.__slots__:
            setattr(own, name, getattr(self, name))
        own.summary = Summary()
        own.identity_counts = bytearray(len(self.identity_counts))
        return own

    def slow_row(self, body: bytes, end: bytes, line: int) -> bytes:
        """The output bytes of one record (`body`, without separator) starting at `line`."""
        summary = self.summary
        try:
            text, replaced = body.decode(self.encoding), False
        except UnicodeDecodeError:  # only reached with --replace-bad-bytes
            text, replaced = body.decode(self.encoding, errors="replace"), True
        if replaced:
            body = text.encode(self.encoding, errors="replace")
        fields = raw_fields(body, self.delimiter_bytes)
        count = len(fields)
        if self.column < count:
            value = field_value(fields[self.column]).decode(self.encoding)
            result = verdict(value, self.options)
            judged: VerdictTuple = (
                result.code,
                self.render(result.code, result.params) if result.code else b"",
                result.number,
                result.kind,
                result.warnings,
            )
        else:
            judged = ("missing", self.render("missing", (count, self.column + 1)), "", "", ())
        code, warnings = judged[0], judged[4]
        if code:
            summary.invalid += 1
            summary.errors[code] += 1
        else:
            summary.valid += 1
        if warnings:
            summary.rows_with_warnings += 1
            summary.warnings.update(warnings)
        if replaced:
            summary.replaced_lines.append(line)
            judged = (*judged[:4], (*warnings, "bad_bytes"))
        if count < self.width:
            summary.short_rows.append(line)
        mismatch = suggestion = ""
        if self.identity and code != "missing":
            mismatch, suggestion = self._identity(fields, code, value, judged[2])
        if self.only_invalid and not code and not mismatch:
            return b""
        if self.secret is not None and self.column < count:
            body, judged = self._pseudonymised(fields, value, judged)
        if count < self.width:
            body += self.delimiter_bytes * (self.width - count)
        cells = appended_cells(
            line, judged, self.delimiter_bytes, self.encoding, mismatch, suggestion
        )
        return body + cells + end

    def _identity(self, fields: list[bytes], code: str, value: str, number: str) -> tuple[str, str]:
        """The row's identity cells: mismatching fields (valid row), or the suggestion (invalid).

        The suggestion is the one candidate of `nir.suggest` consistent with the
        row's identity: a whole number, so only for a number that is wrong anyway.
        Judged at the run's reference date, as the C scan's `row_suggestion` does.
        """
        texts: dict[str, str | None] = {}
        for kind in IDENTITY_KINDS:
            index = self.identity.get(kind)
            text = None
            if index is not None and index < len(fields):
                raw = field_value(fields[index]).decode(self.encoding, errors="replace")
                text = raw.strip() or None
            texts[kind] = text
        summary = self.summary
        if code:
            if not any(texts.values()):
                return "", ""
            assert self.options.reference_date is not None  # set by `process` for the run
            consistent = [
                s.number
                for s in suggestions(
                    value,
                    self.options.reference_date,
                    sex=texts["sex"],
                    birth_date=texts["birth_date"],
                    birth_place=texts["birth_place"],
                )
                if s.consistent
            ]
            if len(consistent) != 1:
                return "", ""
            summary.suggestions += 1
            return "", consistent[0]
        return self._mismatch_cell(number, texts), ""

    def scan_identity(self, fields: list[bytes], number: str) -> str | None:
        """The identity mismatch cell of a row with a valid `number`, for the Python scan.

        None when an identity cell is not simple (the row then goes to `slow_row`).
        """
        texts: dict[str, str | None] = {}
        for kind in IDENTITY_KINDS:
            index = self.identity.get(kind)
            text = None
            if index is not None and index < len(fields):
                value = simple_value(fields[index])
                if value is None:
                    return None
                text = value.decode(self.encoding, errors="replace").strip() or None
            texts[kind] = text
        return self._mismatch_cell(number, texts)

    def cell_class(self, kind: int, cell: bytes, head: bytes, born: int) -> int:
        """What the C scan asks of one identity cell (see the CELL_ names of nir._identity).

        `head` (the number's first 10 characters) and `born` (the declared birth
        date as YYYYMMDD when of the number's year, else 0) are for a place cell.
        """
        text = cell.decode(self.encoding, errors="replace").strip()
        if not text:
            return CELL_EMPTY | (PLACE_ANY_DATE if kind == KIND_PLACE else 0)
        if kind == KIND_SEX:
            return sex_class(text)
        if kind == KIND_DATE:
            return date_class(text)
        assert self.options.reference_date is not None  # set by `process` for the run
        return place_class(text, head.decode("ascii"), born, self.options.reference_date)

    def place_codes(self, cell: bytes) -> bytes:
        """What the C scan asks of a place cell once: the places it fits (`place_matches`).

        The first asked keeps the data's own spellings in the names memo (`keep_names`):
        the build made theirs by the same function (`nir._accel.name_cell_table`).
        """
        tables = self.place_tables.setdefault(self.encoding, {})
        table = tables.get(cell)
        if table is None:
            self.keep_names()
            if len(tables) >= PLACE_TABLES:
                tables.clear()  # a column of free text: bounded, not kept
            names = _accel.place_name_tables()
            table = tables[cell] = _accel.name_cell_table(cell, self.encoding, names)
        return table

    def keep_names_ahead(self, window: memoryview) -> None:
        """Start `keep_names` on a thread of its own when the run's first window has names.

        Done at the first name asked, it held the GIL ~40 ms (the build's cache read,
        then 38,000 entries written), and every scanning thread waited for it. Started
        with the first window, it runs while they scan (without the GIL). A place
        column of codes only does not pay for it: `_has_names` looks at the first rows.
        """
        place = self.identity.get("birth_place")
        if (
            place is None
            or _accel.compiled is None
            or not _has_names(window[:NAMES_SAMPLE], self.delimiter_bytes, place)
        ):
            return
        # the encoding as it is now, read here: a later window may settle it meanwhile
        settled, encoding = self.encoding_settled, self.encoding
        prefill = _Prefill(lambda: self._keep_spellings(encoding, settled=settled))
        try:
            prefill.start()
        except RuntimeError:  # no thread to be had: kept at the first name asked, as before
            return
        self.names_prefill = prefill

    def keep_names(self) -> None:
        """Give the C scan the data's spellings of names once, in the run's encoding.

        While the encoding is a guess, only the ASCII ones: a cell of other bytes is
        not read yet, and would then be read in the encoding settled on.
        """
        prefill = self.names_prefill
        if prefill is not None:
            prefill.finish()  # its spellings first: no names_kept seen before they are
        self._keep_spellings(self.encoding, settled=self.encoding_settled)

    def _keep_spellings(self, encoding: str, *, settled: bool) -> None:
        kept = self.names_kept
        if encoding in kept or (not settled and "ascii" in kept):
            return
        kept.add(encoding if settled else "ascii")
        _accel.keep_names(self.names_memo, encoding, ascii_only=not settled)

    def add_identity_counts(self) -> None:
        """Move what the C scan counted into the summary."""
        summary = self.summary
        counts = memoryview(self.identity_counts).cast("q")
        for (what, name), count in zip(IDENTITY_COUNTERS, counts, strict=True):
            if not count:
                continue  # a Counter keeps a key given 0: the Python scan never adds one
            if what == "checked":
                summary.identity_checked[name] += count
            elif what == "mismatched":
                summary.identity_mismatched[name] += count
            elif what == "rows":
                summary.mismatched_rows += count
            elif what == "suggestions":
                summary.suggestions += count
            else:
                summary.identity_mismatches[name] += count
        counts.release()
        self.identity_counts[:] = bytes(len(self.identity_counts))

    def _mismatch_cell(self, number: str, texts: dict[str, str | None]) -> str:
        """Check and count the identity of a row whose number is valid: its mismatch cell."""
        summary = self.summary
        assert self.options.reference_date is not None  # set by `process` for the run
        mismatches = identity_codes(
            number,
            texts["sex"],
            texts["birth_date"],
            texts["birth_place"],
            self.options.reference_date,
        )
        for kind in IDENTITY_KINDS:
            if texts[kind] is not None:
                summary.identity_checked[kind] += 1
                if any(f in mismatches for f in _KIND_FIELDS[kind]):
                    summary.identity_mismatched[kind] += 1
        if not mismatches:
            return ""
        summary.mismatched_rows += 1
        summary.identity_mismatches.update(mismatches)
        return "|".join(mismatches)

    def _pseudonymised(
        self, fields: list[bytes], value: str, judged: VerdictTuple
    ) -> tuple[bytes, VerdictTuple]:
        """The row with its NIR field and nir_number replaced.

        A valid number becomes its pseudonym; an invalid one, which has none, its
        masked form.
        """
        assert self.secret is not None
        code, message, number, kind, warnings = judged
        if code:
            replacement, number = mask(value), ""
        else:
            replacement = number = pseudonym_of_compact(number, self.secret)
        text = replacement.encode(self.encoding)
        if self.delimiter_bytes in text:
            text = b'"' + text + b'"'
        fields = [*fields[: self.column], text, *fields[self.column + 1 :]]
        return self.delimiter_bytes.join(fields), (code, message, number, kind, warnings)

    @property
    def delimiter_bytes(self) -> bytes:
        """The delimiter as one byte."""
        return self.delimiter.encode("ascii")

    def judge(self, field: bytes) -> VerdictTuple:
        """The verdict on an ASCII field, for `scan` to write and count itself."""
        result = learned_verdict(field.decode("ascii"), self.options, self.learned)
        message = self.render(result.code, result.params) if result.code else b""
        return result.code, message, result.number, result.kind, result.warnings

    def render(self, code: str, params: tuple[messages.ParamValue, ...]) -> bytes:
        """A message in the run's language and encoding (see `MessageCells`)."""
        return self.cells(code, params)

    @property
    def cells(self) -> MessageCells:
        """The run's messages, made on first use (the language is set by then)."""
        if self._cells is None:
            self._cells = MessageCells(self.lang, self.encoding)
        return self._cells


class MessageCells:
    """The `render` of the scans: a message in the run's language and encoding.

    Each distinct message is rendered and encoded once, into `cache`, which the
    C scan reads directly (it calls only on a miss): one run asks for each
    message once, not once per chunk. The C scan also keeps there, under the
    str "key", a list of the "key" messages by key and expected key.
    """

    __slots__ = ("cache", "encoding", "lang")

    def __init__(self, lang: str, encoding: str) -> None:
        self.lang = lang
        self.encoding = encoding
        self.cache: dict[object, object] = {}

    def __call__(self, code: str, params: tuple[messages.ParamValue, ...]) -> bytes:
        key = (code, params)
        message = self.cache.get(key)
        if not isinstance(message, bytes):
            text = messages.render_values(code, params, self.lang)
            message = text.encode(self.encoding, errors="replace")
            self.cache[key] = message
        return message


def memo_bytes(threads: int) -> int:
    """One thread's memo: IDENTITY_MEMO_BYTES, or its share of IDENTITY_MEMO_TOTAL."""
    return min(IDENTITY_MEMO_BYTES, IDENTITY_MEMO_TOTAL // max(threads, 1))


def _thread_memo(memos: dict[int, mmap.mmap], size: int) -> mmap.mmap:
    """This thread's memo for the C scan's identity answers, made on first use.

    Anonymous memory: its pages cost nothing until an answer is kept in them, where
    a bytearray's zeroing wrote every one (the memo of a run without a birth-place
    column stays mostly untouched).
    """
    memo = memos.get(threading.get_ident())
    if memo is None:
        memo = memos[threading.get_ident()] = mmap.mmap(-1, size)
    return memo


def _sex_cells(checker: RowChecker) -> bytes:
    """`_accel.sex_cell_table` of the run's answers, in its encoding, made once."""
    table = checker.sex_cells.get(checker.encoding)
    if table is None:  # two threads may both make it: the same bytes
        table = _accel.sex_cell_table(lambda cell: checker.cell_class(KIND_SEX, cell, b"", 0))
        checker.sex_cells[checker.encoding] = table
    return table


def identity_argument(checker: RowChecker, today: date) -> _accel.IdentityArgument:
    """The C scan's identity argument for this thread (see read_identity in _speedups.c)."""
    columns = [checker.identity.get(kind, -1) for kind in IDENTITY_KINDS]
    # the tables of places (the build's cache, else ~0.35 G instructions to
    # make): only a place column reads them
    place_column = checker.identity.get("birth_place", -1) >= 0
    places = _accel.place_mismatch_table() if place_column else bytes(_accel.PLACE_TABLE_SIZE)
    return (
        columns[0],
        columns[1],
        columns[2],
        today.year * 10000 + today.month * 100 + today.day,
        checker.cell_class,
        _thread_memo(checker.identity_memos, checker.memo_bytes),
        checker.identity_counts,
        places,
        checker.place_codes,
        _sex_cells(checker),
        _accel.commune_spans_table() if place_column else b"",
        checker.names_memo,
    )


def scanner(checker: RowChecker, only_invalid: bool) -> Scanner:
    """`scan` for this run: `scanner(...)(data, width, line, final)`.

    With the C core, the rows `scan` settles get the verdict of the rules in C
    directly (a policy tuple instead of the `judge` callback: no call into Python
    per row); else the pure-Python `scan`, on bytes, with `RowChecker.judge`.
    """
    delimiter = checker.delimiter.encode("ascii")
    compiled = _accel.compiled
    today = checker.options.reference_date
    scan: AnyScan
    judge: Judge | tuple[bool, bool, bool, int, int]
    as_data: Callable[[memoryview], memoryview | bytes]
    if compiled is None or today is None:
        scan, judge, as_data = cast("AnyScan", python_scan), checker.judge, bytes
    else:
        options = checker.options
        scan, as_data = cast("AnyScan", compiled.scan), memoryview  # C reads it in place
        judge = (
            options.allow_temporary,
            options.allow_missing_key,
            options.warnings_as_errors,
            today.year,
            today.month,
        )

    slow = _located(checker.slow_row)
    render: Render = checker.cells
    identity: object = None
    if checker.identity and (compiled is None or today is None):
        identity = checker.scan_identity
    elif checker.identity and today is not None:
        identity = identity_argument(checker, today)

    def run(data: memoryview, width: int, line: int, final: bool) -> ScanResult:
        return ScanResult(
            *scan(
                as_data(data),
                delimiter,
                checker.column,
                width,
                only_invalid,
                line,
                final,
                slow,
                judge,
                render,
                identity,
            )
        )

    return run


# ---------------------------------------------------------------------------
# The stream


class _Reader:
    """Chunks of the input, with the bytes consumed reported for a progress bar."""

    __slots__ = ("_seen", "position", "progress", "source")

    def __init__(
        self,
        source: BinaryIO,
        progress: Callable[[int], None] | None,
        position: Callable[[], int] | None = None,
    ) -> None:
        self.source = source
        self.progress = progress
        self.position = position
        self._seen = 0

    def read(self, size: int) -> bytes:
        data = self.source.read(size)
        self._advance(len(data))
        return data

    def readinto(self, target: memoryview) -> int:
        count: int = self.source.readinto(target) or 0  # type: ignore[attr-defined]
        self._advance(count)
        return count

    def advance(self, count: int) -> None:
        """`count` more bytes taken from the source without `read` (a mapped file)."""
        self._advance(count)

    def _advance(self, count: int) -> None:
        if self.progress is not None:
            now = self.position() if self.position is not None else self._seen + count
            self.progress(now - self._seen)
            self._seen = now


class _Held:
    """Bytes to scan: `data[start : start + size]`, searched and viewed in place.

    `_Buffer` and `_Mapped` differ in how they fill and drop; the rest is this.
    """

    data: mmap.mmap
    start: int
    size: int
    chunk: int

    def held(self) -> memoryview:
        """What is held, without copying it."""
        return memoryview(self.data)[self.start : self.start + self.size]

    def find(self, sub: bytes, start: int, end: int) -> int:
        """The first `sub` in the held bytes [start, end), or -1."""
        found = self.data.find(sub, self.start + start, self.start + end)
        return found - self.start if found >= 0 else -1

    def last_break(self) -> int:
        """Just after the last line break held (0 when none)."""
        stop = self.start + self.size
        found = max(
            self.data.rfind(b"\n", self.start, stop), self.data.rfind(b"\r", self.start, stop)
        )
        return found - self.start + 1 if found >= 0 else 0

    def close(self) -> None:
        """Let the memory go (left to the collector while a view of it is still held)."""
        with contextlib.suppress(BufferError):
            self.data.close()


class _Buffer(_Held):
    """The bytes read but not yet scanned, in one buffer reused for every chunk.

    Reading into it (`readinto`) and scanning it in place (the C functions take any
    bytes-like object) saves a copy and an allocation of every chunk. The buffer is
    anonymous memory (`mmap`): its pages cost nothing until a read fills them, where
    a bytearray of a whole window would be zeroed first, small input or not.
    """

    def __init__(self, initial: bytes, chunk: int) -> None:
        self.chunk = chunk
        self.data = mmap.mmap(-1, max(len(initial) + chunk, 2 * chunk))
        self.data[: len(initial)] = initial
        self.start = 0  # the held bytes are moved to the front
        self.size = len(initial)

    def fill(self, reader: _Reader) -> int:
        """Read the next chunk after what is held; 0 at the end of the input."""
        chunk = self.chunk
        if len(self.data) - self.size < chunk:  # a record longer than the room left
            grown = mmap.mmap(-1, 2 * len(self.data))
            grown[: self.size] = self.data[: self.size]
            self.close()
            self.data = grown
        count = reader.readinto(memoryview(self.data)[self.size : self.size + chunk])
        self.size += count
        return count

    def drop(self, count: int) -> None:
        """Forget the first `count` bytes (scanned): the rest moves to the front."""
        rest = self.size - count
        self.data.move(0, count, rest)
        self.size = rest


class _Mapped(_Held):
    """The rest of a regular file, memory-mapped (`data`; `start` is the held bytes' offset).

    A window is then a view of the page cache: no read copies it (on several
    threads that copy was a serial stretch the scanning threads waited on), and no
    drop moves its tail. The pages of scanned windows are let go as the scan moves
    on (`MADV_DONTNEED`), so the resident memory stays that of a window or two.
    """

    def __init__(self, mapping: mmap.mmap, descriptor: int, start: int, chunk: int) -> None:
        self.data = mapping
        self.descriptor = descriptor
        self.start = start
        self.size = 0
        self.chunk = chunk
        self._released = 0  # pages before this offset are let go

    def fill(self, reader: _Reader) -> int:
        """Hold the next chunk of the file too; 0 at its end.

        The end is the file's size now, not at the start: pages past the end of a
        file that shrank would kill the process (SIGBUS) when touched, where a read
        just stops early. (A file cut while a window is scanned still can.)
        """
        end = min(len(self.data), os.fstat(self.descriptor).st_size)
        self.size = min(self.size, max(end - self.start, 0))
        count = max(min(self.chunk, end - self.start - self.size), 0)
        self.size += count
        reader.advance(count)
        return count

    def drop(self, count: int) -> None:
        """Forget the first `count` bytes (scanned), and the pages wholly before them."""
        self.start += count
        self.size -= count
        below = self.start - self.start % mmap.PAGESIZE
        if below - self._released >= 1 << 20 and hasattr(mmap, "MADV_DONTNEED"):  # not Windows
            self.data.madvise(mmap.MADV_DONTNEED, self._released, below - self._released)
            self._released = below


def _hold(reader: _Reader, data: bytes, chunk: int) -> _Buffer | _Mapped:
    """What holds the bytes to scan, `data` (read already) first.

    A regular file is mapped; a pipe, a terminal, a gzip stream or an in-memory one
    is read into a buffer.
    """
    source = reader.source
    if not isinstance(source, io.BufferedReader | io.FileIO) or reader.position is not None:
        return _Buffer(data, chunk)
    try:
        descriptor = source.fileno()
        status = os.fstat(descriptor)
        start = source.tell() - len(data)  # `data` is what was read last, less its head
    except (OSError, ValueError):  # no descriptor, or one that cannot seek
        return _Buffer(data, chunk)
    size = status.st_size
    if not stat.S_ISREG(status.st_mode) or start < 0 or size <= start + len(data):
        return _Buffer(data, chunk)
    try:
        mapping = mmap.mmap(descriptor, size, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return _Buffer(data, chunk)
    if mapping[start : start + len(data)] != data:  # the file changed under us
        mapping.close()
        return _Buffer(data, chunk)
    held = _Mapped(mapping, descriptor, start, chunk)
    held.size = len(data)
    return held


def _smaller_than(reader: _Reader, size: int) -> bool:
    """True when the input is a regular file of fewer than `size` bytes (not a gzip stream)."""
    source = reader.source
    if not isinstance(source, io.BufferedReader | io.FileIO):
        return False
    try:
        status = os.fstat(source.fileno())
    except (OSError, ValueError):  # no descriptor
        return False
    return stat.S_ISREG(status.st_mode) and status.st_size < size


def process(
    source: BinaryIO,
    sink: BinaryIO,
    config: CsvConfig,
    progress: Callable[[int], None] | None = None,
    position: Callable[[], int] | None = None,
) -> Summary:
    """Read CSV bytes from `source`, write the checked CSV to `sink`, return the counts.

    Raises `CsvInputError` when the input cannot be read as CSV, and `FailedAt` (from
    the error) when checking a row fails unexpectedly.
    """
    reader = _Reader(source, progress, position)
    data = reader.read(SAMPLE_SIZE)
    while len(data) < SAMPLE_SIZE:
        more = reader.read(SAMPLE_SIZE)
        if not more:
            break
        data += more
    if not data:
        raise CsvInputError("csv_empty")
    whole = len(data) < SAMPLE_SIZE  # the sample holds the whole input
    if b"\x00" in data:
        raise CsvInputError("csv_nul")
    encoding = _encoding_name(config.encoding) if config.encoding else detect_encoding(data)
    bom = b""
    if encoding == "utf-8-sig":
        if data.startswith(UTF8_BOM):
            bom, data = UTF8_BOM, data[len(UTF8_BOM) :]
        encoding = "utf-8"
    output_encoding = _encoding_name(config.output_encoding) if config.output_encoding else ""
    delimiter = config.delimiter or detect_delimiter(data, whole)
    if len(delimiter) != 1 or delimiter in '"\r\n' or not delimiter.isascii():
        raise CsvInputError("csv_delimiter", delimiter=delimiter)
    first = first_record(data, delimiter, whole)
    while first is None and not whole and len(data) <= LONGEST_RECORD:
        more = reader.read(SAMPLE_SIZE)  # a first record longer than the sample
        whole = not more
        data += more
        first = first_record(data, delimiter, whole)
    if first is None:
        raise _unclosed_quote(1)
    blank_lines, first_body, first_end = first
    try:
        first_fields = split_fields(first_body, delimiter, encoding)
    except UnicodeDecodeError as error:
        raise _decode_error(error, encoding, 1) from None
    if config.header is not None:
        has_header = config.header
    elif config.column is not None and not config.column.strip().isdigit():
        has_header = True
    elif config.column is not None:
        probe = find_column(None, config.column, first_fields)
        has_header = probe < len(first_fields) and looks_like_header(first_fields[probe])
    else:
        has_header = _all_texty(first_fields)
    header_fields = first_fields if has_header else None
    column = find_column(header_fields, config.column, first_fields)
    if column >= len(first_fields):
        raise CsvInputError("csv_column_beyond_row", column=column + 1, count=len(first_fields))
    identity = find_identity_columns(header_fields, config, first_fields, column)

    summary = Summary(
        encoding="utf-8-sig" if bom else encoding,
        delimiter=delimiter,
        header=has_header,
        column=column + 1,
        column_name=header_fields[column].strip() if header_fields else "",
        identity_columns={
            kind: header_fields[index].strip() if header_fields else str(index + 1)
            for kind, index in identity.items()
        },
    )
    width = len(first_fields)
    # "Today" is read once for the run, not once per row.
    options = config.options
    if options.reference_date is None:
        today = date.today()  # noqa: DTZ011  # a civil date, no zone
        options = replaced(options, reference_date=today)
    checker = RowChecker(
        delimiter=delimiter,
        encoding=encoding,
        column=column,
        width=width,
        only_invalid=config.only_invalid,
        options=options,
        summary=summary,
        lang=messages.default_language() if config.lang is None else messages.language(config.lang),
        secret=config.pseudonymise_key,
        identity=identity,
    )
    transcode = _transcoder(encoding, output_encoding)
    if bom and output_encoding in ("", "utf-8-sig"):
        sink.write(bom)
    elif output_encoding == "utf-8-sig":
        sink.write(UTF8_BOM)
    line = 1
    if blank_lines:  # written back as they are, before the first row
        sink.write(transcode(b"".join(blank_lines)))
        summary.blank_lines = len(blank_lines)
        line += len(blank_lines)
        data = data[sum(map(len, blank_lines)) :]
    if has_header:
        names = delimiter.join(APPENDED_COLUMNS).encode("ascii")
        sink.write(transcode(first_body + delimiter.encode("ascii") + names + first_end))
        line += line_breaks(first_body) + 1
        data = data[len(first_body) + len(first_end) :]

    checker.cells  # noqa: B018  # made now: the pieces' checkers share its cache
    threads = config.jobs if _accel.compiled is not None else 1
    smallest = 2 * MIN_PIECE  # what `pieces` cuts in two
    if threads > 1 and ((whole and len(data) < smallest) or _smaller_than(reader, smallest)):
        threads = 1  # one piece only (see `pieces`): the threads would wait, at a cost
    checker.memo_bytes = memo_bytes(threads)
    if threads > 1:
        from nir._threads import Workers  # noqa: PLC0415  # only for threads

        with (
            Workers(threads - 1, "nir-csv") as executor,
            Workers(1, "nir-csv-write") as writer,
        ):
            output = _Output(sink, writer)
            try:
                return _stream(reader, output, config, checker, data, line, executor, threads)
            finally:
                output.flush()
    return _stream(reader, _Output(sink, None), config, checker, data, line, None, 1)


class _Output:
    """The sink, written on a thread of its own when there is one.

    A window's output is written while the next window is scanned; one write waits
    for the one before (the bytes stay in order, one window's output at most waits).
    A write error shows at the next write, or at `flush`.
    """

    def __init__(self, sink: BinaryIO, writer: Submitting | None) -> None:
        self.sink = sink
        self.writer = writer
        self.pending: Pending | None = None

    def write(self, outputs: list[Output]) -> None:
        """Write `outputs` after what was written before."""
        if self.writer is None:
            for output in outputs:
                self.sink.write(output)
            return
        self.flush()
        self.pending = self.writer.submit(self._write_all, outputs)

    def _write_all(self, outputs: list[Output]) -> None:
        for output in outputs:
            self.sink.write(output)

    def flush(self) -> None:
        """Wait for the write under way; raises its error."""
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.result()


def _stream(  # noqa: PLR0917  # the state `process` has set up
    reader: _Reader,
    sink: _Output,
    config: CsvConfig,
    checker: RowChecker,
    data: bytes,
    line: int,
    executor: Submitting | None,
    threads: int,
) -> Summary:
    """The rows after the header: window after window, each on `threads` threads."""
    # Everything so far ASCII: the first non-ASCII line decides between UTF-8 and cp1252.
    undecided = config.encoding is None and checker.summary.encoding == "utf-8" and data.isascii()
    buffer = _hold(reader, data, max(THREAD_WINDOW // 4, 1) if threads > 1 else CHUNK_SIZE)
    try:
        return _windows(reader, sink, config, checker, buffer, (line, undecided), executor, threads)
    finally:
        try:
            if checker.names_prefill is not None:
                # no thread writes the memo after the run; its error, if any, matters
                # only to a name asked (keep_names raises it), and none was after it
                checker.names_prefill.join()
        finally:
            buffer.close()


def _windows(  # noqa: PLR0917  # the state `_stream` has set up
    reader: _Reader,
    sink: _Output,
    config: CsvConfig,
    checker: RowChecker,
    buffer: _Buffer | _Mapped,
    start: tuple[int, bool],
    executor: Submitting | None,
    threads: int,
) -> Summary:
    """The windows of `buffer`, in order; `start` is (first line, encoding undecided)."""
    line, undecided = start
    summary = checker.summary
    encoding = checker.encoding
    width = checker.width
    output_encoding = _encoding_name(config.output_encoding) if config.output_encoding else ""
    transcode = _transcoder(encoding, output_encoding)
    final = False
    first_window = True
    while True:
        if not final:
            final = buffer.fill(reader) == 0
        held = buffer.held()
        # Up to the last line break: no character is cut there.
        complete = buffer.size if final else buffer.last_break()
        all_ascii = undecided and _first_undecodable(held, complete, "ascii") < 0
        if undecided and not all_ascii:
            # Everything so far was ASCII, which reads the same in UTF-8 and cp1252:
            # the line of the first non-ASCII byte decides. That line only, not the
            # window: windows are larger on several threads, and the encoding (so the
            # output) must not depend on how the input was cut.
            undecided = False
            text = _first_non_ascii_line(bytes(held[:complete]))
            if not _decodes(text, "utf-8") and _decodes(text, "cp1252"):
                encoding = checker.encoding = summary.encoding = "cp1252"
                transcode = _transcoder(encoding, output_encoding)
        checker.encoding_settled = not undecided
        if first_window and not final:  # (a one-window input has no scan to wait for)
            checker.keep_names_ahead(held)
        first_window = False
        # Rows the scan settles are written as they are: to rewrite the NIR field,
        # every row must reach RowChecker.slow_row (a width no row reaches).
        settle_width = width if config.pseudonymise_key is None else sys.maxsize
        count = threads * PIECES_PER_THREAD if threads > 1 else 1
        parts = pieces(buffer, complete, buffer.size, count, MIN_PIECE)
        checkers: dict[int, RowChecker] = {}
        scan_piece = _piece_scanner(
            checker, checkers, config.only_invalid, settle_width, config.replace_bad_bytes
        )
        if len(parts) == 1:
            # all ASCII reads in any encoding: no second look at it
            undecodable = not all_ascii and _first_undecodable(held, complete, encoding) >= 0
            result = scan_piece(0, held, line, final, undecodable)
            kept = [] if result is None else [(0, result)]  # None: reported below
        else:
            try:
                kept, undecodable = scan_pieces(
                    held, parts, line, final, _probe(held, complete, encoding), scan_piece, executor
                )
            except Exception:
                # within a window, bytes that do not decode are the error reported
                if not config.replace_bad_bytes:
                    _check_decodable(held, complete, encoding, line)
                raise
        if undecodable and not config.replace_bad_bytes:
            _check_decodable(held, complete, encoding, line)  # raises: the byte and its line
        held.release()
        consumed = 0
        outputs = [transcode(result.output) for _, result in kept]
        sink.write(outputs)
        for index, result in kept:
            own = checkers[index]
            own.add_identity_counts()
            summary.add(own.summary)
            summary.add_result(result)
            line = result.line
            consumed += result.consumed
        buffer.drop(consumed)
        if threads > 1:
            buffer.chunk = _next_window(buffer.chunk, consumed, sum(map(len, outputs)))
        if final:
            break
        if buffer.size > LONGEST_RECORD:
            raise _unclosed_quote(line)
    if buffer.size:
        raise _unclosed_quote(line)
    return summary


NAMES_SAMPLE = 64 << 10
"""The bytes of the first window where `keep_names_ahead` looks for place names."""

_NAME_LETTERS = re.compile(rb"[A-Za-z\x80-\xff]{3}")
"""Three letters (or bytes of non-ASCII ones) in a cell: a name, not a code (2A004)."""


def _has_names(sample: memoryview, delimiter: bytes, column: int) -> bool:
    """Whether a row of `sample` has a name in its `column`.

    Split without quotes: a guess, only for when to keep the spellings.
    """
    for row in bytes(sample).splitlines():
        fields = row.split(delimiter)
        if column < len(fields) and _NAME_LETTERS.search(fields[column]):
            return True
    return False


class _Prefill(threading.Thread):
    """`target` on a thread of its own; `finish` waits for it and raises its error."""

    def __init__(self, target: Callable[[], None]) -> None:
        super().__init__(name="nir-csv-names", daemon=True)
        self._work = target
        self._error: Exception | None = None

    def run(self) -> None:
        try:
            self._work()
        except Exception as error:  # noqa: BLE001  # raised by `finish`, on the run's thread
            self._error = error

    def finish(self) -> None:
        """Wait for the work; raise its error (to every caller: each wanted the work done)."""
        self.join()
        if self._error is not None:
            raise self._error


def _next_window(window: int, consumed: int, written: int) -> int:
    """The size of the next window: OUTPUT_WINDOW bytes out at the last one's ratio."""
    wanted = OUTPUT_WINDOW * consumed // max(written, 1)
    return max(min(wanted, 2 * window, THREAD_WINDOW), THREAD_WINDOW // 16, 1)


def _piece_scanner(
    checker: RowChecker,
    checkers: dict[int, RowChecker],
    only_invalid: bool,
    width: int,
    replace_bad_bytes: bool,
) -> Callable[[int, memoryview, int, bool, bool], ScanResult | None]:
    """The scan of piece number `index` of a window, its slow rows counted in `checkers[index]`.

    A piece that holds bytes that do not decode is not scanned (None) unless the run
    replaces them; then its rows with such bytes must reach RowChecker.slow_row,
    which replaces and reports them: a width no row reaches stops the settling.
    """

    def scan_piece(
        index: int, piece: memoryview, first: int, final: bool, undecodable: bool
    ) -> ScanResult | None:
        if undecodable and not replace_bad_bytes:
            return None
        # a fresh summary each time: a piece scanned again counts its rows once
        checkers[index] = own = checker.for_piece()
        try:
            return scanner(own, only_invalid)(
                piece, sys.maxsize if undecodable else width, first, final
            )
        except (FailedAt, CsvInputError):
            raise
        except Exception as error:  # the row is not known: the lines of the piece
            until = first + line_breaks(bytes(piece[: max(len(piece) - 1, 0)]))
            raise FailedAt(_lines(first, until)) from error

    return scan_piece


def _probe(held: memoryview, complete: int, encoding: str) -> Callable[[Piece], tuple[int, int]]:
    """A piece's look before its scan: where its bytes stop decoding (or -1), its line breaks."""

    def probe(piece: Piece) -> tuple[int, int]:
        compiled = _accel.compiled
        assert compiled is not None  # several pieces: the C core
        return compiled.probe(held[piece.start : min(piece.stop, complete)], encoding)

    return probe


_NON_ASCII = re.compile(rb"[\x80-\xff]")
_LINE_BREAK = re.compile(rb"[\r\n]")


def _first_non_ascii_line(text: bytes) -> bytes:
    """From the first non-ASCII byte of `text` to the end of its line."""
    found = _NON_ASCII.search(text)
    if found is None:
        return b""
    end = _LINE_BREAK.search(text, found.start())
    return text[found.start() : end.start() if end else len(text)]


def _unclosed_quote(line: int) -> CsvInputError:
    return CsvInputError("csv_unclosed_quote", line=line)


def _all_texty(fields: list[str]) -> bool:
    return all(looks_like_header(cell) for cell in fields)


def _encoding_name(name: str) -> str:
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        raise CsvInputError("csv_unknown_encoding", encoding=name) from None
    if canonical not in ENCODINGS:
        raise CsvInputError("csv_unsupported_encoding", encoding=name)
    return canonical


Output = bytes | memoryview
"""A scan's output rows (`ScanResult.output`), as the sink is given them."""


def _transcoder(encoding: str, output_encoding: str) -> Callable[[Output], Output]:
    if not output_encoding or output_encoding == encoding:
        return lambda data: data
    target = "utf-8" if output_encoding == "utf-8-sig" else output_encoding

    def transcode(data: Output) -> Output:
        try:
            return str(data, encoding, errors="replace").encode(target)
        except UnicodeEncodeError as error:
            character = error.object[error.start : error.end]
            raise CsvInputError(
                "csv_unwritable", character=character, encoding=output_encoding
            ) from None

    return transcode


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _first_undecodable(data: memoryview, end: int, encoding: str) -> int:
    compiled = _accel.compiled
    if compiled is not None:
        return compiled.first_undecodable(data, end, encoding)
    return first_undecodable(bytes(data[:end]), end, encoding)


def _check_decodable(data: memoryview, end: int, encoding: str, line: int) -> None:
    """Fail with the line number of the first byte of `data[:end]` that cannot be decoded."""
    start = _first_undecodable(data, end, encoding)
    if start >= 0:
        line += line_breaks(bytes(data[:start]))
        raise _undecodable(bytes(data[start : min(start + 4, end)]), encoding, line)


def first_undecodable(data: bytes, end: int, encoding: str) -> int:
    """Where `data[:end].decode(encoding)` fails (its error's start), or -1.

    The reference for `nir._speedups.first_undecodable`.
    """
    text = data[:end]
    if text.isascii():
        return -1
    try:
        text.decode(encoding)
    except UnicodeDecodeError as error:
        return error.start
    return -1


def _decode_error(error: UnicodeDecodeError, encoding: str, line: int) -> CsvInputError:
    return _undecodable(error.object[error.start : error.start + 4], encoding, line)


def _undecodable(bad: bytes, encoding: str, line: int) -> CsvInputError:
    """The message for the undecodable bytes that start `bad` (up to 4 bytes), on `line`."""
    try:
        bad.decode(encoding)
    except UnicodeDecodeError as error:
        bad = bad[: max(error.end, 1)]  # just the offending sequence
    other = "cp1252" if encoding.startswith("utf") else "utf-8"
    return CsvInputError(
        "csv_undecodable",
        line=line,
        size=len(bad),
        bytes=bad.hex(" "),
        encoding=encoding,
        other=other,
    )


def open_input(raw: BinaryIO) -> tuple[BinaryIO, Callable[[], int] | None]:
    """The stream to read, gunzipped when it starts with the gzip magic number.

    For gzip, also a function that gives the compressed bytes read so far (the
    progress bar follows the file on disk).
    """
    peek = getattr(raw, "peek", None)
    if peek is not None:
        head = peek(2)[:2]
    else:  # an unbuffered or in-memory stream: it can seek back
        head = raw.read(2)
        raw.seek(0)
    if head == b"\x1f\x8b":
        import gzip  # noqa: PLC0415  # only for .gz inputs

        return cast("BinaryIO", gzip.GzipFile(fileobj=raw, mode="rb")), raw.tell
    return raw, None
