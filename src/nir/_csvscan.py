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
* a body without quotes whose field number `column` (0-based, split on
  `delimiter`) passes `quick_valid_bytes`: a valid row, written (unless
  `only_invalid`) as `body`, then `delimiter` x (`width` - field count) when the
  row is short, then the appended cells
  `;LINE;true;;;NUMBER;nir;` (with `delimiter` for `;`) and `end`;
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
        if b'"' not in body:
            fields = body.split(delimiter, column + 1)  # fields[column] is then whole
            if column < len(fields):
                raw = fields[column]
                if quick_valid_bytes(raw):
                    fast_valid += 1
                    if not only_invalid:
                        count = body.count(delimiter) + 1
                        padding = delimiter * (width - count) if count < width else b""
                        emit(
                            b"%s%s%s%d%strue%s%s%s%s%snir%s%s"
                            % (
                                body,
                                padding,
                                delimiter,
                                first_line,
                                delimiter,
                                delimiter,
                                delimiter,
                                delimiter,
                                raw,
                                delimiter,
                                delimiter,
                                end,
                            )
                        )
                    continue
        emit(slow(body, end, first_line))
    return ScanResult(b"".join(out), consumed, line, rows, fast_valid, blank)
