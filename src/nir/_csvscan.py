"""The hot loop of `nir csv`: split bytes into records and settle the easy ones.

`scan` is the reference implementation; the optional C extension
(`nir._speedups.scan`) implements the same contract and must give the same
bytes and counts for every input (a differential test checks it).

Contract. `scan` reads complete records from `data`; a record ends at `newline`
when it holds an even number of quote characters (a separator inside a quoted
field does not end it). For each record, with `body` = the record without its
separator, and without a final CR when `newline` is LF (`end` is then CRLF):

* empty body: a blank line; counted, and written back as `end` unless
  `only_invalid`;
* a body whose field number `column` (0-based) is *simple* and whose field
  count is at least `width` is settled here. Simple means: with `pieces =
  body.split(delimiter, column + 1)`, there are more than `column` pieces and
  each of the first `column + 1` holds no quote, or is a quote, bytes without a
  quote, a quote (the field is then what lies between). The field count is
  `field_count(body)`: one more than the delimiters outside quotes (each quote
  byte opens or closes). The verdict on the field:

  - when its NUMBER (the field without the bytes space, dot and hyphen, then
    without one leading apostrophe, the usual spreadsheet marker that `nir.compact`
    drops too) has *plain fields*
    (matches `FAST_PATTERN`): valid when the key is right, with NUMBER and kind
    "nir"; else the error "key" with `nir._key.key_message` (nothing else can be
    wrong with such a number) and NUMBER;
  - otherwise, when the field is ASCII: `judge(field)`, which gives the tuple
    `(code, message, number, kind, warnings)` of `nir._bulk.Verdict`, or None
    to send the record to `slow` after all.

  A settled row is written, unless it is valid and `only_invalid`, as `body`
  then the cells LINE, "true"/"false", code, message, number, kind and the
  warnings joined by "|", each after a `delimiter` (message, number and
  warnings quoted, quotes doubled, when they hold the delimiter, a quote, CR or
  LF), then `end`: byte for byte what `RowChecker.slow_row` writes for it;
* any other record: `slow(body, end, line)` returns its output bytes.

With `final`, a last record without separator is handled too, with `end` = b"".
Returns the output, the number of bytes consumed (the rest is an unfinished
record), the line number after the last consumed record, the count of rows
(blank lines excluded), and, for the rows settled here, the count of valid ones,
the count of invalid ones by error code, of warnings by code, and of rows with
warnings; then the count of blank lines. A `width` no row reaches turns the
settling off.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import NamedTuple

from nir._fast import FAST_BYTES, FAST_PATTERN
from nir._key import key_message

SlowRow = Callable[[bytes, bytes, int], bytes]
VerdictTuple = tuple[str, str, str, str, tuple[str, ...]]
Judge = Callable[[bytes], VerdictTuple | None]
QUOTE = ord('"')
SEPARATORS = b" .-"  # the separators people type; the others go the slow way


class ScanResult(NamedTuple):
    """What `scan` returns."""

    output: bytes
    consumed: int
    line: int
    rows: int
    valid: int
    errors: dict[str, int]
    warnings: dict[str, int]
    rows_with_warnings: int
    blank_lines: int


def scan(  # noqa: PLR0917  # mirrors the C function's positional signature
    data: bytes,
    newline: bytes,
    delimiter: bytes,
    column: int,
    width: int,
    only_invalid: bool,
    line: int,
    final: bool,
    slow: SlowRow,
    judge: Judge,
) -> ScanResult:
    """Process the complete records of `data`; see the module docstring.

    Written column-wise (list comprehensions over a chunk's records) because a
    per-record loop costs several times more in the interpreter.
    """
    records, spans, consumed, unterminated = _records(data, newline, final)
    lf = newline == b"\n"
    # First the usual rows, a chunk at a time: a number matching the fast pattern
    # as typed, in a quote-free row with enough fields. Only its key is left to check.
    values = _candidates(records, spans, delimiter, column, width, lf)
    good = [
        bool(value) and (as_int := int(value)) // 100 % 97 + as_int % 100 == 97 for value in values
    ]
    if unterminated and records[-1][-1:] == b"\r":
        values[-1] = b""  # its CR is data, not a line end: read it by itself below
        good[-1] = False
    judged: dict[int, VerdictTuple | None] = {}  # index -> verdict; None: not settled
    for i in [
        i for i, (value, ok) in enumerate(zip(values, good, strict=True)) if value and not ok
    ]:
        judged[i] = _key_error(values[i])
    # Then the other rows one by one: quoted fields, typed separators, errors...
    fast_match = FAST_BYTES.fullmatch
    last = len(records) - 1
    for i in [i for i, value in enumerate(values) if not value]:
        body = records[i] if unterminated and i == last else _body(records[i], lf)
        if not body:
            continue  # a blank line
        field = simple_field(body, delimiter, column)
        if field is None or field_count(body, delimiter) < width:
            judged[i] = None
            continue
        number = field
        if len(number) != 15:  # only then can there be separators
            number = number.translate(None, SEPARATORS)
            number = number.removeprefix(b"'") if number[:1] == b"'" else number
        if fast_match(number) is not None:
            values[i] = number
            good[i] = int(number[:13]) % 97 + int(number[13:]) == 97
            if not good[i]:
                judged[i] = _key_error(number)
        else:
            judged[i] = judge(field) if field.isascii() else None

    starts = _line_starts(line, len(records), spans)
    out: list[bytes] = []
    emit = out.append
    blank = 0
    valid = good.count(True)
    errors: dict[str, int] = {}
    warnings: dict[str, int] = {}
    rows_with_warnings = 0
    indexes = range(len(records)) if not only_invalid else [i for i, g in enumerate(good) if not g]
    text_delimiter = delimiter.decode()
    for i in indexes:
        record = records[i]
        if unterminated and i == last:
            body, end = record, b""
        elif lf and record[-1:] == b"\r":
            body, end = record[:-1], b"\r\n"
        else:
            body, end = record, newline
        first_line = starts(i)
        if not body:
            blank += 1
            if not only_invalid:
                emit(end)
        elif good[i]:
            if not only_invalid:
                emit(
                    b"%s%s%d%strue%s%s%s%s%snir%s%s"
                    % (
                        body,
                        delimiter,
                        first_line,
                        delimiter,
                        delimiter,
                        delimiter,
                        delimiter,
                        values[i],
                        delimiter,
                        delimiter,
                        end,
                    )
                )
        elif (verdict := judged.get(i)) is not None:
            code, row_warnings = verdict[0], verdict[4]
            if code:
                errors[code] = errors.get(code, 0) + 1
            else:
                valid += 1
            if row_warnings:
                rows_with_warnings += 1
                for warning in row_warnings:
                    warnings[warning] = warnings.get(warning, 0) + 1
            if code or not only_invalid:
                emit(body + appended_cells(first_line, verdict, text_delimiter).encode() + end)
        else:
            emit(slow(body, end, first_line))
    return ScanResult(
        b"".join(out),
        consumed,
        starts(len(records)),
        len(records) - blank,
        valid,
        errors,
        warnings,
        rows_with_warnings,
        blank,
    )


def _key_error(number: bytes) -> VerdictTuple:
    """The verdict on a number with plain fields and a wrong key: only its key is wrong."""
    expected = f"{97 - int(number[:13]) % 97:02d}"
    return ("key", key_message(number[13:].decode(), expected), number.decode(), "", ())


def appended_cells(line: int, verdict: VerdictTuple, delimiter: str) -> str:
    """The cells appended to a row, each after a delimiter (see the module docstring)."""
    code, message, number, kind, warnings = verdict
    cells = [
        str(line),
        "false" if code else "true",
        code,
        quote_cell(message, delimiter),
        quote_cell(number, delimiter),
        kind,
        quote_cell("|".join(warnings), delimiter),
    ]
    return delimiter + delimiter.join(cells)


def quote_cell(text: str, delimiter: str) -> str:
    """A cell as CSV writes it: quoted, quotes doubled, when it holds a special character."""
    if delimiter in text or '"' in text or "\r" in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


# The most fields the candidate regex counts (its repetitions have a limit).
_REGEX_FIELDS = 10_000


@functools.cache
def _candidate_pattern(delimiter: bytes, column: int, width: int) -> re.Pattern[bytes]:
    """A pattern that matches every line start once, capturing a likely number.

    It captures field `column` when the line is a plain valid-looking row: no
    quotes, that field matching the fast pattern as it stands, and at least
    `width` fields. Otherwise it captures b"".
    """
    d = re.escape(delimiter)
    field = rb'[^"\r\n' + d + rb"]*"
    after = max(width - 1 - column, 0)
    return re.compile(
        rb"^(?:" + field + d + rb"){" + str(column).encode() + rb"}"
        rb"(" + FAST_PATTERN.encode("ascii") + rb")"
        rb"(?:" + d + field + rb"){" + str(after).encode() + rb",}\r?$|^",
        re.MULTILINE,
    )


def _candidates(  # noqa: PLR0917  # internal helper, called once
    records: list[bytes],
    spans: dict[int, int],
    delimiter: bytes,
    column: int,
    width: int,
    lf: bool,
) -> list[bytes]:
    """Per record, its number if `_candidate_pattern` captures one, else b""."""
    if not records:
        return []
    if not lf or delimiter in b"\r\n" or max(column, width) > _REGEX_FIELDS:
        # A line-based regex cannot follow these records (or count that many fields):
        # the caller reads each record by itself.
        return [b""] * len(records)
    lines = records
    if spans:  # records spanning lines are quoted, hence no candidates
        lines = records.copy()
        for i in spans:
            lines[i] = b""
    found: list[bytes] = _candidate_pattern(delimiter, column, width).findall(b"\n".join(lines))
    return found


def _body(record: bytes, lf: bool) -> bytes:
    return record[:-1] if lf and record[-1:] == b"\r" else record


def _records(
    data: bytes, newline: bytes, final: bool
) -> tuple[list[bytes], dict[int, int], int, bool]:
    """The complete records of `data`, and what `scan` needs to know of them.

    Also returns the line count of the records spanning several lines (by index),
    the bytes consumed, and whether the last record lacks a separator.
    """
    parts = data.split(newline)
    rest = parts.pop()
    odd = [i for i, part in enumerate(parts) if part.count(b'"') & 1] if b'"' in data else []
    spans: dict[int, int] = {}
    if not odd:
        records = parts
        leftover = 0
    else:
        # A record opens at a part with an odd number of quotes and closes at the next.
        records = []
        previous = 0
        for k in range(0, len(odd) - 1, 2):
            start, stop = odd[k], odd[k + 1]
            records.extend(parts[previous:start])
            spans[len(records)] = stop - start + 1
            records.append(newline.join(parts[start : stop + 1]))
            previous = stop + 1
        if len(odd) % 2:
            records.extend(parts[previous : odd[-1]])
            leftover = len(parts) - odd[-1]
        else:
            records.extend(parts[previous:])
            leftover = 0
    consumed = len(data) - len(rest)
    if leftover:
        consumed -= sum(len(part) for part in parts[-leftover:]) + leftover * len(newline)
    unterminated = False
    if final and consumed < len(data):
        tail = data[consumed:]
        if not tail.count(b'"') & 1:
            if tail.count(newline):
                spans[len(records)] = tail.count(newline) + 1
            records.append(tail)
            consumed = len(data)
            unterminated = True
    return records, spans, consumed, unterminated


def _line_starts(first: int, count: int, spans: dict[int, int]) -> Callable[[int], int]:
    """Line number of record i (and of the line after the last, for i == count)."""
    if not spans:
        return lambda i: first + i
    # Between two records spanning several lines, numbers go up by one: whole ranges.
    starts: list[int] = []
    extra = previous = 0
    for index in sorted(spans):
        starts.extend(range(first + previous + extra, first + index + 1 + extra))
        extra += spans[index] - 1
        previous = index + 1
    starts.extend(range(first + previous + extra, first + count + 1 + extra))
    return starts.__getitem__


def simple_field(body: bytes, delimiter: bytes, column: int) -> bytes | None:
    """Field `column` when it and the fields before it are simple (see above), else None."""
    pieces = body.split(delimiter, column + 1)
    if len(pieces) <= column:
        return None
    quotes = body.count(b'"')
    if quotes and len(pieces) > column + 1:
        quotes -= pieces[column + 1].count(b'"')  # only the fields up to `column` matter
    if not quotes:
        return pieces[column]
    for piece in pieces[: column + 1]:
        if b'"' in piece and not (
            len(piece) >= 2 and piece[0] == QUOTE and piece[-1] == QUOTE and piece.count(b'"') == 2
        ):
            return None
    value = pieces[column]
    return value[1:-1] if value[:1] == b'"' else value


def field_count(body: bytes, delimiter: bytes) -> int:
    """One more than the delimiters outside quotes (each quote byte opens or closes)."""
    count = body.count(delimiter) + 1
    if b'"' in body:
        count -= b"".join(body.split(b'"')[1::2]).count(delimiter)
    return count
