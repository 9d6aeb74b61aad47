"""`scan` (optimised, column-wise) against a literal transcription of its contract."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nir
from nir import _accel
from nir._csvscan import (
    SEPARATORS,
    Judge,
    ScanResult,
    SlowRow,
    VerdictTuple,
    field_count,
    scan,
    simple_field,
)
from nir._fast import FAST_BYTES, quick_valid_bytes
from nir._key import key_message

from .helpers import Judge as RecordingJudge
from .helpers import Recorder, rules_verdict
from .strategies import numbers


def reference_scan(
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
    """The contract of nir._csvscan, one record at a time, as plainly as possible."""
    records: list[tuple[bytes, bytes]] = []  # (record, its separator or b"")
    start = 0
    position = 0
    quotes = 0
    while True:
        found = data.find(newline, position)
        if found < 0:
            break
        quotes += data.count(b'"', position, found)
        position = found + len(newline)
        if quotes % 2 == 0:
            records.append((data[start:found], newline))
            start = position
            quotes = 0
    if final and start < len(data) and data.count(b'"', start) % 2 == 0:
        records.append((data[start:], b""))
        start = len(data)
    out = []
    rows = valid = rows_with_warnings = blank = 0
    errors: Counter[str] = Counter()
    warnings: Counter[str] = Counter()
    for record, separator in records:
        first = line
        line += record.count(newline) + 1
        body, end = record, separator
        if separator == b"\n" and body.endswith(b"\r"):
            body, end = body[:-1], b"\r\n"
        if not body:
            blank += 1
            if not only_invalid:
                out.append(end)
            continue
        rows += 1
        field = simple_field(body, delimiter, column)
        if field is None or field_count(body, delimiter) < width:
            out.append(slow(body, end, first))
            continue
        number = field.translate(None, SEPARATORS)
        if number.startswith(b"'"):
            number = number[1:]
        verdict: VerdictTuple | None
        if FAST_BYTES.fullmatch(number):
            if quick_valid_bytes(number):
                verdict = ("", "", number.decode(), "nir", ())
            else:
                expected = nir.calc_check_digits(number.decode())
                verdict = (
                    "key",
                    key_message(number[13:].decode(), expected),
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
            cells = [str(first), "false" if code else "true", code, message, number_text, kind]
            cells.append("|".join(row_warnings))
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
    """A cell as the csv module writes it (minimal quoting)."""
    if any(special in text for special in (delimiter, '"', "\r", "\n")):
        return '"' + text.replace('"', '""') + '"'
    return text


FIELD = st.one_of(
    numbers(),
    numbers().map(lambda n: f"{n[0]} {n[1:3]} {n[3:5]} {n[5:7]} {n[7:10]} {n[10:13]} {n[13:]}"),
    numbers().map(lambda n: f"'{n}"),
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
    st.sampled_from([b"\n", b"\r"]),
    st.sampled_from([b";", b","]),
    st.integers(0, 4),
    st.integers(1, 6),
    st.booleans(),
    st.integers(1, 1000),
    st.booleans(),
)
def test_scan_keeps_its_contract(
    data: bytes,
    newline: bytes,
    delimiter: bytes,
    column: int,
    width: int,
    only_invalid: bool,
    line: int,
    final: bool,
) -> None:
    slow, expected_slow = Recorder(), Recorder()
    judge = RecordingJudge()
    args = (data, newline, delimiter, column, width, only_invalid, line, final)
    compiled = _accel.compiled
    result = (
        ScanResult(*compiled.scan(*args, slow, judge)) if compiled else scan(*args, slow, judge)
    )
    assert result == reference_scan(*args, expected_slow, judge)
    assert slow.calls == expected_slow.calls


@settings(max_examples=300)
@given(
    csv_bytes(),
    st.sampled_from([b"\n", b"\r"]),
    st.sampled_from([b";", b","]),
    st.integers(0, 4),
    st.integers(1, 6),
    st.booleans(),
    st.booleans(),
)
def test_compiled_scan_with_the_rules_in_c(
    data: bytes,
    newline: bytes,
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
    args = (data, newline, delimiter, column, width, only_invalid, 7, final)
    policy = (True, False, False, 2026, 11)
    result = ScanResult(*compiled.scan(*args, slow, policy))
    assert result == reference_scan(*args, expected_slow, rules_verdict)
    assert slow.calls == expected_slow.calls
