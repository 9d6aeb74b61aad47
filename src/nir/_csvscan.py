"""The hot loop of `nir csv`: split bytes into records and settle the easy ones.

`scan` is the reference implementation; the optional C extension
(`nir._speedups.scan`) implements the same contract and must give the same
bytes and counts for every input (a differential test checks it).

Contract. Records and fields are those Python's `csv.reader` sees (default
dialect, `strict=False`, the given delimiter) in the text of a file opened with
``newline=""``:

* a field that starts with a quote is quoted: up to the next quote not doubled
  (``""`` stands for one quote), then, as data, whatever follows up to the next
  delimiter or line break; a quote anywhere else is data;
* a record ends at CRLF, CR or LF outside quoted fields (`end`); `body` is the
  record without it. A record whose quoted field is still open at the end of
  `data` is unfinished, and so is the last one when `final` is false (a last
  CR may be the first half of a CRLF); with `final`, a last record without line
  break ends with `end` = b"".

For each record:

* empty body: a blank line; counted, and written back as `end` unless
  `only_invalid`;
* a body with at least `width` fields whose field number `column` (0-based) is
  *simple* is settled here. Simple means: it holds no quote, or it is a quote,
  bytes without a quote, a quote (the field is then what lies between). The
  verdict on the field:

  - when its NUMBER (the field without the bytes space, dot and hyphen, then
    without one leading apostrophe, the usual spreadsheet marker that `nir.compact`
    drops too) has *plain fields*
    (matches `FAST_PATTERN`): valid when the key is right, with NUMBER and kind
    "nir"; else the error "key" with the message `render("key", (key, expected))` (nothing
    else can be wrong with such a number) and NUMBER;
  - otherwise, when the field is ASCII: `judge(field)`, which gives the tuple
    `(code, message, number, kind, warnings)` of `nir._bulk.Verdict`, or None
    to send the record to `slow` after all.

  Messages are bytes: `render` and `judge` give them encoded as the run writes its
  cells (the input's encoding), each distinct one made once by the caller's cache.

  With `identity` (the run checks identity columns), a row whose number is
  valid also gets `identity(fields, number)`, its identity mismatch cell, or
  None to send it to `slow` after all; a row whose number is invalid goes to
  `slow`, which suggests a correction.

  A settled row is written, unless it is valid, without identity mismatch, and
  `only_invalid`, as `body` then the cells LINE, "true"/"false", code, message,
  number, kind, the warnings joined by "|", the identity mismatch, and an empty
  suggestion (which only `slow` fills), each after a `delimiter` (message, number and
  warnings as `cell` writes them: defused against formula injection, and quoted
  when they hold a special character), then `end`: byte for byte what
  `RowChecker.slow_row` writes for it;
* any other record: `slow(body, end, line)` returns its output bytes.

Line numbers count CRLF, CR and LF alike, inside quoted fields too. Returns the
output, the number of bytes consumed (the rest is an unfinished record), the
line number after the last consumed record, the count of rows (blank lines
excluded), and, for the rows settled here, the count of valid ones, the count
of invalid ones by error code, of warnings by code, and of rows with warnings;
then the count of blank lines. A `width` no row reaches turns the settling off.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from itertools import repeat
from operator import itemgetter
from typing import NamedTuple

from nir import _fast
from nir.messages import ParamValue

SlowRow = Callable[[bytes, bytes, int], bytes]
# (code, message, number, kind, warnings); the message is bytes, already encoded as
# the run writes its cells (a French message has accents, a cp1252 file wants cp1252).
VerdictTuple = tuple[str, bytes, str, str, tuple[str, ...]]
Judge = Callable[[bytes], VerdictTuple | None]
# identity(raw fields, compact valid number) -> the nir_identity_mismatch cell, or None
# to send the row to `slow` (an identity cell that is not simple).
IdentityRow = Callable[[list[bytes], str], str | None]
# render(code, params in CODES order) -> the message in the run's language and encoding
Render = Callable[[str, tuple[ParamValue, ...]], bytes]
# Bytes looked for as ints: `byte in data` with an int goes straight to the search,
# where a bytes needle first fails as an int, which costs ten times more.
QUOTE = ord('"')
CARRIAGE_RETURN = ord("\r")
LINE_FEED = ord("\n")
SEPARATORS = b" .-"  # the separators people type; the others go the slow way
# A cell starting with one of these is a formula to a spreadsheet (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_BYTES = tuple(start.encode("ascii") for start in FORMULA_STARTS)
# A quoted part at the start of a field: a quote, then bytes or doubled quotes, a quote
# not followed by another (that pair is a doubled quote). No possessive quantifiers
# (Debian's Python 3.11.2 matched a record that cannot end, where 3.11.7 does not):
# the closing quote's lookahead leaves one way to match, so backtracking finds no other.
_QUOTED_PART = rb'"[^"]*(?:""[^"]*)*"(?!")'
_QUOTED = re.compile(_QUOTED_PART)


class ScanResult(NamedTuple):
    """What `scan` returns."""

    output: bytes | memoryview
    """The output rows; the compiled scan's, a view of the buffer it wrote them in."""
    consumed: int
    line: int
    rows: int
    valid: int
    errors: dict[str, int]
    warnings: dict[str, int]
    rows_with_warnings: int
    blank_lines: int


class Records(NamedTuple):
    """The complete records of some data (see `records`)."""

    bodies: list[bytes]
    ends: list[bytes]
    spans: dict[int, int]
    """Index -> number of lines, for the records spanning more than one line."""
    consumed: int


def scan(  # noqa: PLR0917  # mirrors the C function's positional signature
    data: bytes,
    delimiter: bytes,
    column: int,
    width: int,
    only_invalid: bool,
    line: int,
    final: bool,
    slow: SlowRow,
    judge: Judge,
    render: Render,
    identity: IdentityRow | None = None,
) -> ScanResult:
    """Process the complete records of `data`; see the module docstring.

    Written column-wise (list comprehensions over a chunk's records) because a
    per-record loop costs several times more in the interpreter.
    """
    (bodies, ends, spans, consumed), quoted = _records(data, delimiter, final)
    # First the usual rows, a chunk at a time: a number matching the fast pattern
    # once its separators are out, in a quote-free row with enough fields. Only its
    # key is left to check, in the one pass over every row that finds the others.
    values = _candidates(bodies, quoted, delimiter, column, width)
    # The key K of the body B is right when B % 97 + K == 97. The number is 100 B + K:
    # modulo 9700 that is 100 (B % 97) + K, and modulo 99 (100 = 1) B % 97 + K again,
    # which is at most 96 + 99 < 2 * 99: two remainders of one int say it, 20 % cheaper.
    others = [i for i, value in enumerate(values) if not value or int(value) % 9700 % 99 != 97]
    good = [True] * len(values)
    judged: dict[int, VerdictTuple | None] = {}  # index -> verdict; None: not settled
    # Then the other rows one by one: wrong keys, quoted fields, errors...
    fast_match = _fast.FAST_BYTES.fullmatch
    for i in others:
        good[i] = False
        if values[i]:
            judged[i] = _key_error(values[i], render)
            continue
        body = bodies[i]
        if not body:
            continue  # a blank line
        fields = raw_fields(body, delimiter)
        field = simple_value(fields[column]) if column < len(fields) else None
        if field is None or len(fields) < width:
            judged[i] = None
            continue
        number = field
        if len(number) != 15:  # only then can there be separators
            number = number.translate(None, SEPARATORS)
            number = number.removeprefix(b"'") if number[:1] == b"'" else number
        if fast_match(number) is not None:
            values[i] = number
            good[i] = int(number) % 9700 % 99 == 97  # as for `others`
            if not good[i]:
                judged[i] = _key_error(number, render)
        else:
            judged[i] = judge(field) if field.isascii() else None

    starts = _line_starts(line, len(bodies), spans)
    out: list[bytes] = []
    emit = out.append
    blank = 0
    valid = good.count(True)
    errors: dict[str, int] = {}
    warnings: dict[str, int] = {}
    rows_with_warnings = 0
    indexes = (
        range(len(bodies))
        if not only_invalid or identity is not None
        else [i for i in others if not good[i]]
    )
    for i in indexes:
        body, end = bodies[i], ends[i]
        first_line = starts(i)
        if not body:
            blank += 1
            if not only_invalid:
                emit(end)
        elif good[i]:
            mismatch = b""
            if identity is not None:
                found = identity(raw_fields(body, delimiter), values[i].decode("ascii"))
                if found is None:
                    valid -= 1
                    emit(slow(body, end, first_line))
                    continue
                mismatch = cell(found, delimiter.decode("ascii")).encode("ascii")
            if not only_invalid or mismatch:
                emit(
                    b"%s%s%d%strue%s%s%s%s%snir%s%s%s%s%s"
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
                        delimiter,
                        mismatch,
                        delimiter,
                        end,
                    )
                )
        elif (verdict := judged.get(i)) is not None:
            code, row_warnings = verdict[0], verdict[4]
            found = ""
            if identity is not None:
                # an invalid number goes the slow way, for its suggestion
                valid_number = not code and len(verdict[2]) == 15
                found = identity(raw_fields(body, delimiter), verdict[2]) if valid_number else None
                if found is None:
                    emit(slow(body, end, first_line))
                    continue
            if code:
                errors[code] = errors.get(code, 0) + 1
            else:
                valid += 1
            if row_warnings:
                rows_with_warnings += 1
                for warning in row_warnings:
                    warnings[warning] = warnings.get(warning, 0) + 1
            if code or not only_invalid or found:
                emit(body + appended_cells(first_line, verdict, delimiter, mismatch=found) + end)
        else:
            emit(slow(body, end, first_line))
    return ScanResult(
        b"".join(out),
        consumed,
        starts(len(bodies)),
        len(bodies) - blank,
        valid,
        errors,
        warnings,
        rows_with_warnings,
        blank,
    )


def _key_error(number: bytes, render: Render) -> VerdictTuple:
    """The verdict on a number with plain fields and a wrong key: only its key is wrong."""
    expected = f"{97 - int(number[:13]) % 97:02d}"
    return ("key", render("key", (number[13:].decode(), expected)), number.decode(), "", ())


def appended_cells(  # noqa: PLR0917  # the cells of one row, in order
    line: int,
    verdict: VerdictTuple,
    delimiter: bytes,
    encoding: str = "ascii",
    mismatch: str = "",
    suggestion: str = "",
) -> bytes:
    """The cells appended to a row, each after a delimiter (see the module docstring).

    The message comes encoded; the number is encoded in `encoding` (ASCII when
    the scan settles the row, the input's when `RowChecker.slow_row` does).
    `mismatch` is the identity field codes joined by "|"; `suggestion` (a whole
    number) is always empty for the rows the scan settles: rows that get one go
    the slow way.
    """
    code, message, number, kind, warnings = verdict
    text = delimiter.decode("ascii")
    cells = [
        b"%d" % line,
        b"false" if code else b"true",
        code.encode("ascii"),
        cell_bytes(message, delimiter),
        cell(number, text).encode(encoding, errors="replace"),
        kind.encode("ascii"),
        cell("|".join(warnings), text).encode("ascii"),
        cell(mismatch, text).encode("ascii"),  # "|" joins the codes: quoted if the delimiter
        suggestion.encode("ascii"),
    ]
    return delimiter + delimiter.join(cells)


def cell_bytes(text: bytes, delimiter: bytes) -> bytes:
    """`cell` on encoded text: the same bytes as `cell(text.decode(e), d).encode(e)`.

    True for the encodings `nir csv` reads (UTF-8 and single-byte code pages):
    their special characters are ASCII bytes that never occur inside another
    character's encoding.
    """
    if text.startswith(_FORMULA_BYTES):
        text = b"'" + text
    special = delimiter[0] in text or QUOTE in text
    if special or CARRIAGE_RETURN in text or LINE_FEED in text:
        return b'"' + text.replace(b'"', b'""') + b'"'
    return text


def cell(text: str, delimiter: str) -> str:
    """A free-text cell as the report writes it.

    A spreadsheet runs a cell that starts with a formula character: such a cell
    gets a leading apostrophe (OWASP's rule against CSV injection). Then, as CSV
    writes it: quoted, quotes doubled, when it holds a special character.
    """
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    if delimiter in text or '"' in text or "\r" in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


@functools.cache
def _fast_line() -> re.Pattern[bytes]:
    """A field without separators then a line break; captures a NUMBER of plain fields.

    One leading apostrophe is not part of the number. Built on first use: a run on
    the C core never needs it (nor nir._fast's regex).
    """
    return re.compile(rb"'?(" + _fast.FAST_BYTES.pattern + rb")\n|[^\n]*\n")


def _candidates(
    bodies: list[bytes], quoted: list[int], delimiter: bytes, column: int, width: int
) -> list[bytes]:
    """Per record, the NUMBER of its field `column` if it has plain fields, else b"".

    Only for a record without quotes (`quoted` lists the others) and with at least
    `width` fields. Split by `bytes.split`, the separators taken out of all the
    fields joined by one `bytes.translate`, and matched in one regex run: a regex
    walking whole lines, or a row at a time in Python, costs several times more.
    """
    if not bodies:
        return []
    least = max(width, column + 1)
    rows = map(bytes.split, bodies, repeat(delimiter))
    try:
        # Each row's list is dropped at once: a list of them would wake the
        # garbage collector again and again. IndexError: a row is short.
        fields = list(map(itemgetter(0), map(itemgetter(column, least - 1), rows)))
    except IndexError:
        rows = map(bytes.split, bodies, repeat(delimiter))
        fields = [row[column] if len(row) >= least else b"" for row in rows]
    for i in quoted:
        fields[i] = b""
    fields.append(b"")  # for a line break after the last one
    found: list[bytes] = _fast_line().findall(b"\n".join(fields).translate(None, SEPARATORS))
    return found


@functools.cache
def _record_patterns(delimiter: bytes) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """(a record and its line break, a whole LF-split line that is a complete record)."""
    d = re.escape(delimiter)
    # Each part can end in one place only (a field before a delimiter or a line
    # break, the quoted part as in _QUOTED): the match is csv.reader's split.
    field = rb"(?:" + _QUOTED_PART + rb'|(?!"))[^' + d + rb"\r\n]*"
    fields = field + rb"(?:" + d + field + rb")*"
    return re.compile(fields + rb"(\r\n|\r|\n|\Z)"), re.compile(fields + rb"\r?")


def line_breaks(text: bytes) -> int:
    """The line breaks in `text`: CRLF, CR and LF each count one."""
    return text.count(b"\n") + text.count(b"\r") - text.count(b"\r\n")


def records(data: bytes, delimiter: bytes, final: bool) -> Records:
    """The complete records of `data`, as the module docstring defines them."""
    return _records(data, delimiter, final)[0]


def _records(data: bytes, delimiter: bytes, final: bool) -> tuple[Records, list[int]]:
    """`records`, and the indexes of the records that hold a quote.

    Rows with quotes are few: they are found with `bytes.find`, not by a look
    at every line.
    """
    # Usually every CR is part of a CRLF (but maybe a last one, when not `final`): the
    # records are then the LF-split lines, except where a quoted field spans several.
    if CARRIAGE_RETURN in data:
        bodies = data.split(b"\r\n")
        # A CR alone is one left once the CRLFs are out (memchr over a copy costs
        # less than counting the CRs): then the records one by one.
        last = bodies[-1] if final else bodies[-1][:-1]  # a last CR may start a CRLF
        if CARRIAGE_RETURN in b"".join(bodies[:-1]) or CARRIAGE_RETURN in last:
            found = _records_one_by_one(data, delimiter, final)
            return found, [i for i, body in enumerate(found.bodies) if QUOTE in body]
        bodies, ends = _split_lone_line_feeds(bodies)
    else:
        bodies = data.split(b"\n")
        ends = [b"\n"] * (len(bodies) - 1)
    rest = bodies.pop()
    spans: dict[int, int] = {}
    consumed = len(data) - len(rest)
    quoted: list[int] = []
    if b'"' in data:
        quoted, open_at = _quoted_lines(data, consumed, bodies, delimiter)
        if open_at:
            joined, quoted = _join_quoted_lines(
                data, consumed, bodies, ends, quoted, open_at, delimiter, final
            )
            bodies, ends, spans, consumed = joined
            if consumed != len(data) - len(rest):  # unfinished, or it took the rest too
                return Records(bodies, ends, spans, consumed), quoted
    if final and rest:
        if b'"' in rest:
            if not _record_patterns(delimiter)[1].fullmatch(rest):
                return Records(bodies, ends, spans, consumed), quoted  # a quoted field left open
            quoted.append(len(bodies))
        bodies.append(rest)
        ends.append(b"")
        consumed = len(data)
    return Records(bodies, ends, spans, consumed), quoted


def _split_lone_line_feeds(pieces: list[bytes]) -> tuple[list[bytes], list[bytes]]:
    """The lines of data split at CRLF into `pieces`, and their line breaks.

    The last piece, the rest after the last line break, stays last, with no line
    break of its own. LFs alone are few (mostly inside quoted fields): a split at
    LF, then a look at every line for the CR before it, costs more.
    """
    with_lone = [i for i, piece in enumerate(pieces) if LINE_FEED in piece]
    if not with_lone:
        return pieces, [b"\r\n"] * (len(pieces) - 1)
    bodies: list[bytes] = []
    ends: list[bytes] = []
    done = 0  # pieces before this index are in the lists
    for i in with_lone:
        bodies += pieces[done:i]
        ends += [b"\r\n"] * (i - done)
        lines = pieces[i].split(b"\n")
        bodies += lines
        ends += [b"\n"] * (len(lines) - 1)
        ends.append(b"\r\n")
        done = i + 1
    bodies += pieces[done:]
    ends += [b"\r\n"] * (len(pieces) - done)
    ends.pop()  # the rest has none
    return bodies, ends


def _quoted_lines(
    data: bytes, size: int, bodies: list[bytes], delimiter: bytes
) -> tuple[list[int], dict[int, int]]:
    """The lines of `data[:size]` with a quote: (all of them, line -> offset for the open ones).

    A line is open when a quoted field in it does not close before its end.
    """
    whole_line = _record_patterns(delimiter)[1].fullmatch
    quoted: list[int] = []
    open_at: dict[int, int] = {}
    find, find_body = data.find, bodies.index
    index = 0  # the next line to look at
    position = find(b'"', 0, size)
    while position != -1:
        start = data.rfind(b"\n", 0, position) + 1
        after = find(b"\n", position, size) + 1
        body = data[start : after - 1 if data[after - 2] != CARRIAGE_RETURN else after - 2]
        # The first such line from `index` on is this one: one before would hold a quote.
        index = find_body(body, index)
        quoted.append(index)
        if not whole_line(body):
            open_at[index] = start
        index += 1
        position = find(b'"', after, size)
    return quoted, open_at


def _join_quoted_lines(  # noqa: PLR0917  # internal helper of `records`
    data: bytes,
    size: int,
    bodies: list[bytes],
    ends: list[bytes],
    quoted: list[int],
    open_at: dict[int, int],
    delimiter: bytes,
    final: bool,
) -> tuple[Records, list[int]]:
    """`_records` where the lines `open_at` open quoted fields that span line breaks.

    `size` is where the last complete line ends; `quoted` lists the lines with a
    quote, and the records with one come back.
    """
    record = _record_patterns(delimiter)[0]
    joined_bodies: list[bytes] = []
    joined_ends: list[bytes] = []
    spans: dict[int, int] = {}
    quoted_records: list[int] = []
    done = 0  # lines before this index are in the joined lists
    for i in quoted:
        if i < done:
            continue  # inside a record joined already
        if i not in open_at:
            quoted_records.append(len(joined_bodies) + i - done)
            continue
        joined_bodies += bodies[done:i]
        joined_ends += ends[done:i]
        done = i
        start = open_at[i]
        match = record.match(data, start)
        end = match.group(1) if match is not None else b""
        if match is None or (
            not final and (not end or (end == b"\r" and match.end() == len(data)))
        ):
            return Records(joined_bodies, joined_ends, spans, start), quoted_records  # unfinished
        body = data[start : match.start(1)]
        spans[len(joined_bodies)] = line_breaks(body) + 1
        quoted_records.append(len(joined_bodies))
        joined_bodies.append(body)
        joined_ends.append(end)
        done = i + body.count(b"\n") + 1
        if not end:  # the last record of the input, without a line break
            return Records(joined_bodies, joined_ends, spans, len(data)), quoted_records
    joined_bodies += bodies[done:]
    joined_ends += ends[done:]
    return Records(joined_bodies, joined_ends, spans, size), quoted_records


def _records_one_by_one(data: bytes, delimiter: bytes, final: bool) -> Records:
    """`records` for data with lone CRs: each record by the regex."""
    match_record = _record_patterns(delimiter)[0].match
    bodies: list[bytes] = []
    ends: list[bytes] = []
    spans: dict[int, int] = {}
    position = 0
    size = len(data)
    while position < size:
        match = match_record(data, position)
        if match is None:
            break  # a quoted field left open
        end = match.group(1)
        if not final and (not end or (end == b"\r" and match.end() == size)):
            break  # it may go on in the next chunk
        body = data[position : match.start(1)]
        if QUOTE in body and (lines := line_breaks(body) + 1) > 1:
            spans[len(bodies)] = lines
        bodies.append(body)
        ends.append(end)
        position = match.end()
    return Records(bodies, ends, spans, position)


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


def raw_fields(body: bytes, delimiter: bytes) -> list[bytes]:
    """The fields of a record's body as they stand in it (quotes included)."""
    pieces = body.split(delimiter)
    if QUOTE not in body:
        return pieces
    fields: list[bytes] = []
    index, count = 0, len(pieces)
    while index < count:
        piece = pieces[index]
        index += 1
        if piece[:1] == b'"':
            # A quoted part may hold delimiters: take pieces until it closes.
            while index < count and _QUOTED.match(piece) is None:
                piece += delimiter + pieces[index]
                index += 1
        fields.append(piece)
    return fields


def simple_value(field: bytes) -> bytes | None:
    """A simple field's value (see the module docstring); None if not simple."""
    quotes = field.count(b'"')
    if not quotes:
        return field
    if quotes == 2 and len(field) >= 2 and field[0] == QUOTE and field[-1] == QUOTE:
        return field[1:-1]
    return None


def field_value(field: bytes) -> bytes:
    """A field's value, as `csv.reader` gives it: quotes taken off, doubled quotes undone."""
    quoted = _QUOTED.match(field) if field[:1] == b'"' else None
    if quoted is None:
        return field
    return field[1 : quoted.end() - 1].replace(b'""', b'"') + field[quoted.end() :]
