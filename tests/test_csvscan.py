"""`scan` (optimised, column-wise) against a literal transcription of its contract."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import nir
from nir import _accel
from nir._csvscan import (
    SEPARATORS,
    Judge,
    ScanResult,
    SlowRow,
    VerdictTuple,
    cell,
    field_value,
    raw_fields,
    records,
    scan,
)
from nir._fast import FAST_BYTES, quick_valid_bytes

from .conftest import compiled_or_skip
from .helpers import Judge as RecordingJudge
from .helpers import Recorder, render_fr, rules_verdict
from .strategies import numbers

RENDER = render_fr  # French in UTF-8: non-ASCII bytes go through both cores

# The states of csv.reader's parser (Modules/_csv.c), for the transcription below.
START, QUOTED, QUOTE_IN_QUOTED, UNQUOTED = range(4)
QUOTE, CR, LF = ord('"'), ord("\r"), ord("\n")


def reference_fields(body: bytes, delimiter: bytes) -> list[bytes]:
    """The fields of a body as they stand (quotes kept), byte by byte as csv reads them."""
    fields: list[bytes] = []
    state, start = START, 0
    for i, c in enumerate(body):
        if c == delimiter[0] and state in (START, QUOTE_IN_QUOTED, UNQUOTED):
            fields.append(body[start:i])
            state, start = START, i + 1
        elif state == START:
            state = QUOTED if c == QUOTE else UNQUOTED
        elif state == QUOTED and c == QUOTE:
            state = QUOTE_IN_QUOTED
        elif state == QUOTE_IN_QUOTED:
            state = QUOTED if c == QUOTE else UNQUOTED
    fields.append(body[start:])
    return fields


def reference_records(
    data: bytes, delimiter: bytes, final: bool
) -> tuple[list[tuple[bytes, bytes]], int]:
    """(body, line break) of each complete record, and the bytes they take."""
    found: list[tuple[bytes, bytes]] = []
    start = 0
    while start < len(data):
        state, i = START, start
        while i < len(data):
            c = data[i]
            if state != QUOTED and c in (CR, LF):
                break
            if c == delimiter[0] and state != QUOTED:
                state = START
            elif state == START:
                state = QUOTED if c == QUOTE else UNQUOTED
            elif state == QUOTED and c == QUOTE:
                state = QUOTE_IN_QUOTED
            elif state == QUOTE_IN_QUOTED:
                state = QUOTED if c == QUOTE else UNQUOTED
            i += 1
        if state == QUOTED or (state == QUOTE_IN_QUOTED and i == len(data) and not final):
            break  # a quoted field still open, or a last quote that may be doubled
        if i == len(data):
            if not final:
                break
            found.append((data[start:], b""))
            start = len(data)
            break
        end = b"\r\n" if data[i : i + 2] == b"\r\n" else data[i : i + 1]
        if end == b"\r" and i + 1 == len(data) and not final:
            break  # maybe half a CRLF
        found.append((data[start:i], end))
        start = i + len(end)
    return found, start


def reference_scan(
    data: bytes,
    delimiter: bytes,
    column: int,
    width: int,
    only_invalid: bool,
    line: int,
    final: bool,
    slow: SlowRow,
    judge: Judge,
) -> ScanResult:
    """The contract of nir._csvscan, one record at a time, as plainly as possible."""
    records, start = reference_records(data, delimiter, final)
    out = []
    rows = valid = rows_with_warnings = blank = 0
    errors: Counter[str] = Counter()
    warnings: Counter[str] = Counter()
    for body, end in records:
        first = line
        line += body.count(b"\n") + body.count(b"\r") - body.count(b"\r\n") + 1
        if not body:
            blank += 1
            if not only_invalid:
                out.append(end)
            continue
        rows += 1
        fields = reference_fields(body, delimiter)
        if column >= len(fields) or len(fields) < width:
            out.append(slow(body, end, first))
            continue
        field = fields[column]
        if field.count(b'"') == 2 and field[:1] == field[-1:] == b'"':
            field = field[1:-1]
        if b'"' in field:
            out.append(slow(body, end, first))
            continue
        number = field.translate(None, SEPARATORS)
        if number.startswith(b"'"):
            number = number[1:]
        verdict: VerdictTuple | None
        if FAST_BYTES.fullmatch(number):
            if quick_valid_bytes(number):
                verdict = ("", b"", number.decode(), "nir", ())
            else:
                expected = nir.calc_check_digits(number.decode())
                verdict = (
                    "key",
                    RENDER("key", (number[13:].decode(), expected)),
                    number.decode(),
                    "",
                    (),
                )
        else:
            verdict = judge(field) if field.isascii() else None
        if verdict is None:
            out.append(slow(body, end, first))
            continue
        code, message, number_text, kind, row_warnings = verdict
        if code:
            errors[code] += 1
        else:
            valid += 1
        if row_warnings:
            rows_with_warnings += 1
            warnings.update(row_warnings)
        if code or not only_invalid:
            d = delimiter.decode()
            text = message.decode()  # the test's render and judge give UTF-8
            cells = [str(first), "false" if code else "true", code, text, number_text, kind]
            cells += ["|".join(row_warnings), "", ""]  # no identity mismatch, no suggestion
            quoted = [csv_cell(c, d) if i in {3, 4, 6} else c for i, c in enumerate(cells)]
            out.append(body + (d + d.join(quoted)).encode() + end)
    return ScanResult(
        b"".join(out),
        start,
        line,
        rows,
        valid,
        dict(errors),
        dict(warnings),
        rows_with_warnings,
        blank,
    )


def csv_cell(text: str, delimiter: str) -> str:
    """A cell defused against formulas (OWASP), then as the csv module writes it."""
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    if any(special in text for special in (delimiter, '"', "\r", "\n")):
        return '"' + text.replace('"', '""') + '"'
    return text


FIELD = st.one_of(
    numbers(),
    numbers().map(lambda n: f"{n[0]} {n[1:3]} {n[3:5]} {n[5:7]} {n[7:10]} {n[10:13]} {n[13:]}"),
    numbers().map(lambda n: f"'{n}"),
    numbers().map(lambda n: f"''{n}"),  # two apostrophes: only one is a marker
    numbers().map(lambda n: f"{n[:7]}.{n[7:10]}-{n[10:]}"),  # dots and hyphens
    numbers().map(lambda n: f"-'{n}"),  # a separator before the marker
    numbers().map(lambda n: n[:13] + "00"),
    numbers().map(lambda n: n[:13] + "98"),
    numbers().map(lambda n: n[:13] + f"{int(n[13:]) % 97 + 1:02d}"),  # a wrong key
    numbers("78"),
    st.sampled_from(["", "x", "z", "2.55081416802538E+14", "Zoé", "a\r", " ", "2A", "13 chars ok"]),
    numbers().map(lambda n: n[:3] + "13" + n[5:]),  # month 13
    numbers("3478"),
    st.text(alphabet='ab;,"\r\n 1', max_size=6),
)


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    delimiter = draw(st.sampled_from([";", ","]))
    rows = draw(st.lists(st.lists(FIELD, min_size=0, max_size=5), max_size=12))
    text = ""
    for row in rows:
        cells = [f'"{cell}"' if draw(st.booleans()) and '"' not in cell else cell for cell in row]
        text += delimiter.join(cells) + draw(st.sampled_from(["\n", "\r\n", "\r"]))
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    return text.encode()


@pytest.mark.usefixtures("core")
@settings(max_examples=400)
@given(
    csv_bytes(),
    st.sampled_from([b";", b","]),
    st.integers(0, 4),
    st.integers(1, 6),
    st.booleans(),
    st.integers(1, 1000),
    st.booleans(),
)
def test_scan_keeps_its_contract(
    data: bytes,
    delimiter: bytes,
    column: int,
    width: int,
    only_invalid: bool,
    line: int,
    final: bool,
) -> None:
    slow, expected_slow = Recorder(), Recorder()
    judge = RecordingJudge()
    args = (data, delimiter, column, width, only_invalid, line, final)
    compiled = _accel.compiled
    result = (
        ScanResult(*compiled.scan(*args, slow, judge, RENDER))
        if compiled
        else scan(*args, slow, judge, RENDER)
    )
    assert result == reference_scan(*args, expected_slow, judge)
    assert slow.calls == expected_slow.calls


@settings(max_examples=300)
@given(
    csv_bytes(),
    st.sampled_from([b";", b","]),
    st.integers(0, 4),
    st.integers(1, 6),
    st.booleans(),
    st.booleans(),
)
def test_compiled_scan_with_the_rules_in_c(
    data: bytes,
    delimiter: bytes,
    column: int,
    width: int,
    only_invalid: bool,
    final: bool,
) -> None:
    # A policy tuple instead of `judge`: the C scan applies the C rules itself. The
    # result must be the contract's with the Python rules.
    compiled = _accel.load_compiled()
    if compiled is None:
        pytest.skip("the C extension nir._speedups is not built")
    slow, expected_slow = Recorder(), Recorder()
    args = (data, delimiter, column, width, only_invalid, 7, final)
    policy = (True, False, False, 2026, 11)
    result = ScanResult(*compiled.scan(*args, slow, policy, RENDER))
    assert result == reference_scan(*args, expected_slow, rules_verdict)
    assert slow.calls == expected_slow.calls


CSV_PIECES = st.sampled_from(['"', '""', ";", ",", "\r", "\n", "\r\n", "a", "1", " ", "é", "\x00"])


@settings(max_examples=1000)
@given(
    st.lists(CSV_PIECES, max_size=30).map("".join),
    st.sampled_from([";", ","]),
    st.booleans(),
)
@example(text='E1;284"126;x\nE2;2;198"7\n', delimiter=";", strict=True)  # the stray quotes
@example(text='"a"b"c;d\r\re"\r\n', delimiter=";", strict=True)
def test_records_are_those_csv_reader_sees(text: str, delimiter: str, strict: bool) -> None:
    data = text.encode()
    found = records(data, delimiter.encode(), final=True)
    try:
        expected = list(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=strict)
        )
    except csv.Error:
        assert strict, "csv.reader with strict=False reads whatever we read"
        return
    if found.consumed < len(data):  # a quoted field left open: csv (not strict) reads it anyway
        assert not strict
        return
    values = [
        [field_value(field).decode() for field in raw_fields(body, delimiter.encode())]
        if body
        else []
        for body in found.bodies
    ]
    assert values == expected
    assert [reference_fields(body, delimiter.encode()) for body in found.bodies] == [
        raw_fields(body, delimiter.encode()) for body in found.bodies
    ]
    assert reference_records(data, delimiter.encode(), final=True) == (
        list(zip(found.bodies, found.ends, strict=True)),
        found.consumed,
    )


@pytest.mark.parametrize(
    ("text", "written", "reason"),
    [
        ("=1+2", "'=1+2", "a formula"),
        ("+1", "'+1", "plus starts a formula"),
        ("-1", "'-1", "minus starts a formula"),
        ("@A1", "'@A1", "at starts a formula"),
        ("\t1", "'\t1", "a tab before a formula"),
        ("\r1", '"\'\r1"', "a carriage return: defused, then quoted for the CR"),
        ('="a;b"', '"\'=""a;b"""', "defused, then quoted and quotes doubled"),
        ("1=1", "1=1", "only the first character counts"),
        ("", "", "an empty cell"),
        ("a;b", '"a;b"', "the delimiter is quoted"),
    ],
)
def test_cell_defuses_formulas_then_quotes(text: str, written: str, reason: str) -> None:
    assert cell(text, ";") == written, reason


VALID, WRONG_KEY, NOT_PLAIN = b"255081416802538", b"255081416802512", b"2 55 08 14 168 025 12"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"1;" + VALID + b"\n2;" + VALID + b"\n", "LF rows, settled in C"),
        (b"1;" + VALID + b"\r\n2;" + WRONG_KEY + b"\r\n", "CRLF rows, a valid and a wrong key"),
        (b"1;" + VALID + b"\r2;" + VALID + b"\r", "CR rows"),
        (b'"1";"' + VALID + b'"\n"2";"' + WRONG_KEY + b'"\n', "quoted fields"),
        (b'"a\r\nb";' + VALID + b"\n2;" + VALID + b"\n", "a quoted line break: the line jumps"),
        (b"1\n2;" + VALID + b"\n3\n", "rows without the number's column"),
        (b"1;" + VALID + b"\n2;" + VALID, "the last row without a line break"),
        (b"1;" + VALID + b"\n\n2;" + NOT_PLAIN + b"\n", "a blank line, a number for the rules"),
        (b"".join(b"%d;%s\n" % (i, VALID) for i in range(120)), "lines of 1, 2 and 3 digits"),
    ],
)
@pytest.mark.parametrize("line", [1, 8, 99_999_990, 10**18 - 3], ids=str)
def test_written_rows_are_the_contracts(data: bytes, reason: str, line: int) -> None:
    # Every row written (not only_invalid): C counts the LINE cell up in place and
    # copies the cells in fixed sizes; the bytes are the contract's, line numbers
    # crossing a count of digits included (8 and 9 digits, 18 and 19).
    compiled = compiled_or_skip()
    slow, expected_slow = Recorder(), Recorder()
    args = (data, b";", 1, 2, False, line, True)
    result = ScanResult(*compiled.scan(*args, slow, (True, False, False, 2026, 11), RENDER))
    assert result == reference_scan(*args, expected_slow, rules_verdict), reason
    assert slow.calls == expected_slow.calls, reason


@pytest.mark.parametrize(
    ("data", "final", "consumed", "reason"),
    [
        (b'100010100100105;"\n', False, 0, "a quote opened and not closed: the record goes on"),
        (b'a;"b""\n', False, 0, "a doubled quote, then no closing one"),
        (b'a;"b"""\n', False, 8, "a doubled quote, then the closing one"),
        (b'a;"b"x"\n', False, 8, "bytes after the closing quote belong to the field"),
        (b'a;"b\nc";d\n', False, 10, "a quoted line break"),
    ],
)
def test_records_end_where_csv_says_on_every_python(
    data: bytes, final: bool, consumed: int, reason: str
) -> None:
    # Debian's Python 3.11.2 matched possessive patterns wrongly here (the first row
    # read as a whole record): the patterns have none now, on any 3.11
    assert records(data, b";", final=final).consumed == consumed, reason


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"a;1\r\nb;2\r\n", "CRLF only: the lines split at CRLF"),
        (b"a;1\r\nb;2\nc;3\r\n", "an LF alone ends a record in a CRLF file"),
        (b'a;"x\ny";1\r\nb;2\r\n', "an LF alone inside a quoted field (the HR export's case)"),
        (b'a;"x\r\ny";1\r\nb;2\r\n', "a CRLF inside a quoted field"),
        (b"a;1\r\nb;2\nc", "the rest after an LF alone: the last line, unfinished"),
        (b"a;1\r\nb\nc;2\r", "a last CR that may start a CRLF in the next chunk"),
        (b"\n\r\n\n", "blank lines with either line break"),
        (b"a;1\r\nb;2\rc;3\r\n", "a CR alone: the records one by one"),
    ],
)
@pytest.mark.parametrize("final", [True, False])
def test_records_of_crlf_data_with_lone_line_breaks(data: bytes, reason: str, final: bool) -> None:
    # CRLF data is split at CRLF, then at the LFs left: the records must be those
    # of the byte-by-byte reading, whatever the mix of line breaks.
    found = records(data, b";", final=final)
    assert (list(zip(found.bodies, found.ends, strict=True)), found.consumed) == reference_records(
        data, b";", final=final
    ), reason
