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
* a body whose field number `column` (0-based) is *simple*, whose NUMBER (that
  field without the bytes space, dot and hyphen, then without one leading
  apostrophe, as `nir.compact` does) passes `quick_valid_bytes`, and
  whose field count is at least `width`: a valid row. Simple means: with
  `pieces = body.split(delimiter, column + 1)`, there are more than `column`
  pieces and each of the first `column + 1` holds no quote, or is a quote, bytes
  without a quote, a quote (the field is then what lies between). The field
  count is `field_count(body)`: one more than the delimiters outside quotes (each
  quote byte opens or closes). The row is written (unless `only_invalid`) as
  `body` then the appended cells `;LINE;true;;;NUMBER;nir;` (with `delimiter`
  for `;`) and `end`;
* any other record: `slow(body, end, line)` returns its output bytes.

With `final`, a last record without separator is handled too, with `end` = b"".
Returns the output, the number of bytes consumed (the rest is an unfinished
record), the line number after the last consumed record, and counts of rows
(blank lines excluded), rows settled as valid here, and blank lines.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from nir._fast import quick_valid_bytes

SlowRow = Callable[[bytes, bytes, int], bytes]
QUOTE = ord('"')
SEPARATORS = b" .-"  # the separators people type; the others go the slow way


class ScanResult(NamedTuple):
    """What `scan` returns."""

    output: bytes
    consumed: int
    line: int
    rows: int
    fast_valid: int
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
) -> ScanResult:
    """Process the complete records of `data`; see the module docstring."""
    parts = data.split(newline)
    rest = parts.pop()
    records: list[tuple[bytes, bool]] = []  # (record, ended by a separator)
    if b'"' not in data:
        records = [(part, True) for part in parts]
        consumed = len(data) - len(rest)
    else:
        pending: list[bytes] = []
        odd = False
        consumed = 0
        position = 0
        for part in parts:
            position += len(part) + len(newline)
            if part.count(b'"') & 1:
                odd = not odd
            pending.append(part)
            if not odd:
                records.append((newline.join(pending), True))
                pending = []
                consumed = position
    if final and consumed < len(data):
        tail = data[consumed:]
        if not tail.count(b'"') & 1:
            records.append((tail, False))
            consumed = len(data)

    out: list[bytes] = []
    emit = out.append
    rows = fast_valid = blank = 0
    lf = newline == b"\n"
    for record, terminated in records:
        first_line = line
        line += record.count(newline) + 1
        if terminated:
            if lf and record.endswith(b"\r"):
                body, end = record[:-1], b"\r\n"
            else:
                body, end = record, newline
        else:
            body, end = record, b""
        if not body:
            blank += 1
            if not only_invalid:
                emit(end)
            continue
        rows += 1
        value = simple_field(body, delimiter, column)
        if value is not None:
            value = value.translate(None, SEPARATORS)
            if value[:1] == b"'":
                value = value[1:]
        if value is not None and quick_valid_bytes(value) and field_count(body, delimiter) >= width:
            fast_valid += 1
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
                        value,
                        delimiter,
                        delimiter,
                        end,
                    )
                )
            continue
        emit(slow(body, end, first_line))
    return ScanResult(b"".join(out), consumed, line, rows, fast_valid, blank)


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
