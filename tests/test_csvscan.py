"""`scan` (optimised, column-wise) against a literal transcription of its contract."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nir
from nir import _accel
from nir._csvscan import SEPARATORS, ScanResult, field_count, scan, simple_field
from nir._fast import FAST_BYTES, quick_valid_bytes
from nir._key import key_message

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
    slow: object,
) -> ScanResult:
    """The contract of nir._csvscan, one record at a time, as plainly as possible."""
    assert callable(slow)
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
    rows = fast = key_errors = blank = 0
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
        value = simple_field(body, delimiter, column)
        if value is not None:
            value = value.translate(None, SEPARATORS)
            if value.startswith(b"'"):
                value = value[1:]
        if (
            value is not None
            and FAST_BYTES.fullmatch(value)
            and field_count(body, delimiter) >= width
        ):
            if quick_valid_bytes(value):
                fast += 1
                if not only_invalid:
                    cells = [b"%d" % first, b"true", b"", b"", value, b"nir", b""]
                    out.append(body + delimiter + delimiter.join(cells) + end)
                continue
            key_errors += 1
            expected = nir.calc_check_digits(value.decode())
            message = key_message(value[13:].decode(), expected).encode()
            if delimiter in message:
                message = b'"' + message + b'"'
            cells = [b"%d" % first, b"false", b"key", message, value, b"", b""]
            out.append(body + delimiter + delimiter.join(cells) + end)
            continue
        out.append(slow(body, end, first))
    return ScanResult(b"".join(out), start, line, rows, fast, key_errors, blank)


FIELD = st.one_of(
    numbers(),
    numbers().map(lambda n: f"{n[0]} {n[1:3]} {n[3:5]} {n[5:7]} {n[7:10]} {n[10:13]} {n[13:]}"),
    numbers().map(lambda n: f"'{n}"),
    numbers().map(lambda n: n[:13] + "00"),
    numbers().map(lambda n: n[:13] + "98"),
    numbers().map(lambda n: n[:13] + f"{int(n[13:]) % 97 + 1:02d}"),  # a wrong key
    numbers("78"),
    st.sampled_from(["", "x", "2.55081416802538E+14", "Zoé", "a\r", " "]),
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
    calls: list[tuple[bytes, bytes, int]] = []
    expected_calls: list[tuple[bytes, bytes, int]] = []

    def slow(body: bytes, end: bytes, first: int) -> bytes:
        calls.append((body, end, first))
        return b"<%d>" % first

    def expected_slow(body: bytes, end: bytes, first: int) -> bytes:
        expected_calls.append((body, end, first))
        return b"<%d>" % first

    args = (data, newline, delimiter, column, width, only_invalid, line, final)
    compiled = _accel.compiled
    result = ScanResult(*compiled.scan(*args, slow)) if compiled else scan(*args, slow)
    assert result == reference_scan(*args, expected_slow)
    assert calls == expected_calls
