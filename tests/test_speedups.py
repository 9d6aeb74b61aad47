"""The C extension against its pure-Python references, on arbitrary input.

Every function of `nir._speedups` must give what its reference gives: the same
output bytes, counts, `slow` calls, verdicts and error offsets. Skipped (failed
under CI) when the extension is not built; see `compiled_or_skip`.
"""

# ruff: noqa: FBT003  # scan's arguments are positional, as in C: booleans included

from __future__ import annotations

import inspect
import string
from datetime import date
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import nir
from nir import _accel, _bulk, _csvio, _parse
from nir._csvscan import line_breaks
from nir._csvscan import scan as python_scan
from nir._parse import quick_number_value, quick_valid_value

from .conftest import compiled_or_skip, using_core
from .helpers import REFERENCE_DATE, Judge, Recorder, render_fr, with_key
from .strategies import numbers
from .test_parse import CENTURY_VALIDITY, INVALID, VALID, WARNINGS


@pytest.fixture(scope="module")
def c() -> _accel.Speedups:
    return compiled_or_skip()


# ---------------------------------------------------------------------------
# quick_valid


python_quick_valid = quick_valid_value  # the pure-Python fast path of is_valid, check_many


@st.composite
def fast_candidates(draw: st.DrawFn) -> str:
    """15 digits around every boundary of the fast pattern, mostly with the right key."""

    def number(low: int, high: int, width: int, edges: list[int]) -> str:
        value = draw(st.one_of(st.integers(low, high), st.sampled_from(edges)))
        return f"{value:0{width}d}"

    place = draw(
        st.one_of(
            st.builds(
                str.__add__,
                st.just(number(0, 99, 2, [0, 1, 19, 20, 21, 90, 91, 96])),
                st.just(number(0, 999, 3, [0, 1, 999])),
            ),
            st.just(
                number(970, 989, 3, [971, 975, 976, 984, 985, 986, 989])
                + number(0, 99, 2, [0, 1, 90, 91])
            ),
            st.just("99" + number(0, 999, 3, [0, 1, 99, 100, 101])),
        )
    )
    body = (
        number(0, 9, 1, [1, 2])
        + number(0, 99, 2, [0, 99])
        + number(0, 99, 2, [0, 1, 12, 13, 19, 20, 21, 29, 30, 42, 43, 49, 50, 99])
        + place
        + number(0, 999, 3, [0, 1, 999])
    )
    if draw(st.integers(0, 4)):
        return with_key(body)
    return body + number(0, 99, 2, [0, 1, 96, 97, 98, 99])


SEPARATED = st.builds(
    lambda number, separators: "".join(
        digit + separator for digit, separator in zip(number, separators, strict=False)
    ),
    numbers("0123456789"),
    st.lists(st.sampled_from(["", "", " ", ".", "-", "\t", "\x1c", "'", "\xa0"]), max_size=15),
)
NEAR_MISSES = st.text(alphabet="0123456789 .-'\t\n\r\x0b\x0c\x1fAB", min_size=13, max_size=18)


@given(st.one_of(st.text(), numbers("0123456789"), fast_candidates(), SEPARATED, NEAR_MISSES))
@example("255081416802538")
@example("'255081416802538")
@example("''255081416802538")
@example(" '2 55 08 14 168 025 38 ")
@example("2'55081416802538")
@example("2550814168025380")
def test_quick_valid_matches_python(c: _accel.Speedups, value: str) -> None:
    expected = python_quick_valid(value)
    if value.isascii():
        assert c.quick_valid(value) is expected
    else:  # non-ASCII: C may answer "don't know" (False), never a wrong True
        assert c.quick_valid(value) in (False, expected)


@pytest.mark.parametrize("character", [chr(i) for i in range(128)], ids=repr)
def test_quick_valid_separators_match_compact(c: _accel.Speedups, character: str) -> None:
    for value in (f"2550814168025{character}38", f"{character}255081416802538"):
        assert c.quick_valid(value) is python_quick_valid(value)


@given(numbers("0123456789"), st.integers(0, 14), st.sampled_from(string.digits))
def test_quick_valid_on_one_digit_changes(
    c: _accel.Speedups, number: str, position: int, digit: str
) -> None:
    mutated = number[:position] + digit + number[position + 1 :]
    assert c.quick_valid(mutated) is python_quick_valid(mutated)
    assert c.quick_valid(mutated.encode()) is False  # bytes are not str


@pytest.mark.parametrize("value", [None, 255081416802538, b"255081416802538", ["x"]])
def test_quick_valid_non_str_is_false(c: _accel.Speedups, value: object) -> None:
    assert c.quick_valid(value) is False


def test_quick_valid_str_subclass_goes_the_slow_way(c: _accel.Speedups) -> None:
    class Text(str):
        __slots__ = ()

    assert c.quick_valid(Text("255081416802538")) is False  # as `type(value) is str`


# ---------------------------------------------------------------------------
# quick_number, and the entry points nir.is_valid / nir.validate


@given(st.one_of(st.text(), numbers("0123456789"), fast_candidates(), SEPARATED, NEAR_MISSES))
@example("255081416802538")
@example(" '2 55 08 14 168 025 38 ")
@example("2550814168025380")
@example("255081416802539")
def test_quick_number_matches_python(c: _accel.Speedups, value: str) -> None:
    expected = quick_number_value(value)
    if value.isascii():
        assert c.quick_number(value) == expected
    else:  # non-ASCII: C may answer "don't know" (None), never a wrong number
        assert c.quick_number(value) in (None, expected)
    if expected is not None:
        assert expected == _parse.validate(value)  # what validate returns, with no rule run


@pytest.mark.parametrize("value", [None, 255081416802538, b"255081416802538", ["x"]])
def test_quick_number_non_str_is_none(c: _accel.Speedups, value: object) -> None:
    assert c.quick_number(value) is None


class _Spy:
    """Records the calls the C entry points hand to Python."""

    def __init__(self) -> None:
        self.calls: list[tuple[tuple[object, ...], dict[str, object]]] = []

    def __call__(self, *args: object, **kwargs: object) -> str:
        self.calls.append((args, kwargs))
        return "python"


# (how the entry point is called, whether C may settle it itself, why)
ENTRY_CALLS: list[tuple[tuple[object, ...], dict[str, object], bool, str]] = [
    (("255081416802538",), {}, True, "quick-valid, one positional value"),
    (("255081416802538",), {"allow_temporary": False}, True, "options never change a quick one"),
    (("255081416802538",), {"names": False}, True, "parse without names: no data to read"),
    (("255081416802538",), {"names": True}, True, "parse's default, said"),
    (("255081416802538",), {"names": 1}, False, "not a bool: Python decides what it means"),
    (("255081416802538",), {"bogus": 1}, False, "an unknown keyword: Python's TypeError"),
    (("255081416802538",), {"value": "1"}, False, "the value twice: Python's TypeError"),
    ((), {"value": "255081416802538"}, False, "the value by keyword: Python binds it"),
    (("255081416802539",), {}, False, "wrong key: the full rules say why"),
    (("2 53 07 2B 073 004 70",), {}, False, "Corsica: not quick, Python decides"),
    ((None,), {}, False, "not a str"),
]


@pytest.mark.parametrize(("args", "kwargs", "settled", "reason"), ENTRY_CALLS)
@pytest.mark.parametrize("name", ["is_valid", "validate", "parse"])
def test_entry_points_hand_the_rest_to_python(  # a table's columns
    c: _accel.Speedups,
    name: str,
    args: tuple[object, ...],
    kwargs: dict[str, object],
    *,
    settled: bool,
    reason: str,
) -> None:
    entry = getattr(c, name)
    if name == "parse":  # its options but names: Python's (reference_date reads the year)
        settled = settled and set(kwargs) <= {"names"}
    else:  # is_valid and validate have no names: an unknown keyword
        settled = settled and "names" not in kwargs
    for selected in (c, None):  # the C core selected, then the pure one
        spies = {"is_valid": _Spy(), "validate": _Spy(), "parse": _Spy()}
        shapes = _accel._shapes()
        c.bind({"compiled": selected}, spies["is_valid"], spies["validate"], spies["parse"], shapes)
        try:
            result = entry(*args, **kwargs)
        finally:
            c.bind(vars(_accel), _parse.is_valid, _parse.validate, _parse.parse, shapes)
        spy = spies[name]
        if settled and selected is c:
            expected = {"is_valid": True, "validate": "255081416802538"}.get(name, result)
            assert result == expected, reason
            if name == "parse":
                expected_parse = _parse.parse(str(args[0]), **kwargs)  # type: ignore[arg-type]
                assert _every_field(result) == _every_field(expected_parse), reason
            assert spy.calls == [], reason
        else:
            assert result == "python", reason
            assert spy.calls == [(args, kwargs)], reason


def _every_field(parsed: object) -> tuple[object, ...]:
    """All of a Nir's fields, the names included (equality leaves them out)."""
    return tuple(getattr(parsed, name) for name in _accel._NIR_FIELDS)


@given(st.one_of(fast_candidates(), SEPARATED))
@example(with_key("1550591352001"))  # 91 before independence: Algeria, a country
@example(with_key("1550599352001"))  # born abroad
@example(with_key("1820897401154"))  # overseas
@example(with_key("1553531555001"))  # pseudo month
@example(with_key("1559914168001"))  # unknown month
def test_parse_entry_point_builds_what_python_builds(c: _accel.Speedups, value: str) -> None:
    if c.quick_number(value) is None:
        return  # the rest goes to Python: the other tests
    built = c.parse(value)
    options = _parse.DEFAULT_OPTIONS
    assert _every_field(built) == _every_field(_parse.parse_with_names(value, options))
    assert _every_field(built) == _every_field(_parse.parse(value))  # its Python twin
    assert hash(built) == hash(_parse.parse(value))
    unnamed = _every_field(c.parse(value, names=False))
    assert unnamed == _every_field(_parse.parse(value, names=False))


@pytest.mark.parametrize("name", ["is_valid", "validate", "parse"])
def test_entry_points_have_the_python_signature(name: str) -> None:
    def shape(function: object) -> list[tuple[str, object, object]]:
        parameters = inspect.signature(function).parameters.values()  # type: ignore[arg-type]
        return [(p.name, p.kind, p.default) for p in parameters]

    assert shape(getattr(nir, name)) == shape(getattr(_parse, name))


# ---------------------------------------------------------------------------
# scan

FIELD = st.one_of(
    numbers().map(str.encode),
    fast_candidates().map(str.encode),
    st.text(alphabet="0123456789 ", min_size=13, max_size=16).map(str.encode),
    st.sampled_from([b"", b"x", "Émilie".encode(), "Zoë".encode("cp1252"), b"\xff\xfe", b"\r"]),
    st.binary(max_size=6),
    st.builds(
        lambda inner: b'"' + inner + b'"',
        st.lists(st.sampled_from([b"a", b";", b",", b"\n", b"\r\n", b'""', b"1"])).map(b"".join),
    ),
    st.just(b'"'),
)
ENDING = st.sampled_from([b"\n", b"\r\n", b"\r", b"\n\n", b"\r\n\r\n"])


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    """Records of random fields and line endings, sometimes a tail without one."""
    delimiter = draw(st.sampled_from([b";", b","]))
    records = draw(st.lists(st.lists(FIELD, max_size=6), max_size=8))
    out = b""
    for fields in records:
        out += delimiter.join(fields) + draw(ENDING)
    if draw(st.booleans()):
        out += delimiter.join(draw(st.lists(FIELD, max_size=4)))
    return out


SCAN_ARGUMENTS = {
    "delimiter": st.sampled_from([b";", b","]),
    "column": st.integers(0, 4),
    "width": st.integers(0, 6),
    "only_invalid": st.booleans(),
    "line": st.integers(-2, 2**40),
    "final": st.booleans(),
}


def both_scans(
    c: _accel.Speedups,
    data: bytes,
    delimiter: bytes,
    column: int,
    width: int,
    only_invalid: bool,
    line: int,
    final: bool,
) -> None:
    python_slow, c_slow = Recorder(), Recorder()
    python_judge, c_judge = Judge(), Judge()
    arguments = (data, delimiter, column, width, only_invalid, line, final)
    expected = python_scan(*arguments, python_slow, python_judge, RENDER)
    assert c.scan(*arguments, c_slow, c_judge, RENDER) == tuple(expected)
    assert c_slow.calls == python_slow.calls
    assert c_judge.calls == python_judge.calls


@given(data=st.one_of(csv_bytes(), st.binary()), **SCAN_ARGUMENTS)
@example(b"", b";", 0, 1, False, 1, True)
@example(b"\r\n\r\n", b";", 0, 1, False, 1, True)
@example(b'"a\nb";255081416802538\n"', b";", 1, 3, False, 7, True)
@example(b'"a\nb";255081416802538\n"', b";", 1, 3, False, 7, False)
@example(b"x;255081416802538\r", b";", 1, 5, False, 1, True)
@example(b"x;255081416802538\r", b";", 1, 5, False, 1, False)
@example(b'a;28"4;"b"c";"d""";"e\r\rf"\r\r\n\n', b";", 1, 2, False, 1, True)
@example(b'"a"\n"b', b";", 0, 1, False, 1, False)
@example(b"255081416802538;a;b\n255081416802538", b";", 0, 2, False, 1, False)
def test_scan_matches_python(
    c: _accel.Speedups,
    data: bytes,
    delimiter: bytes,
    column: int,
    width: int,
    only_invalid: bool,
    line: int,
    final: bool,
) -> None:
    both_scans(c, data, delimiter, column, width, only_invalid, line, final)


@given(
    data=st.lists(
        st.sampled_from([b"a;", b"255081416802538", b";", b'"', b"\n", b"\r", b"\xc3\xa9"])
    ),
    **SCAN_ARGUMENTS,
)
def test_scan_matches_python_on_dense_separators(
    c: _accel.Speedups,
    data: list[bytes],
    delimiter: bytes,
    column: int,
    width: int,
    only_invalid: bool,
    line: int,
    final: bool,
) -> None:
    both_scans(c, b"".join(data), delimiter, column, width, only_invalid, line, final)


@st.composite
def rows_around_column(draw: st.DrawFn, column: int) -> bytes:
    """Rows whose field `column` is often fast-valid, some short, some long."""
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        before = draw(
            st.lists(st.sampled_from([b"", b"a", b"Zo\xc3\xab"]), min_size=column, max_size=column)
        )
        number = draw(st.one_of(fast_candidates().map(str.encode), FIELD))
        after = draw(st.lists(st.sampled_from([b"", b"b", b"1"]), max_size=4))
        rows.append(b";".join([*before, number, *after]) + draw(ENDING))
    return b"".join(rows)


@given(st.data(), st.integers(0, 3), st.integers(0, 8), st.booleans(), st.booleans())
def test_scan_matches_python_on_short_and_long_rows(
    c: _accel.Speedups,
    data: st.DataObject,
    column: int,
    width: int,
    only_invalid: bool,
    final: bool,
) -> None:
    rows = data.draw(rows_around_column(column))
    both_scans(c, rows, b";", column, width, only_invalid, 1, final)


def test_scan_propagates_errors_from_slow(c: _accel.Speedups) -> None:
    def fail(body: bytes, end: bytes, line: int) -> bytes:
        raise KeyError(body)

    with pytest.raises(KeyError):
        c.scan(b"\xe9\n", b";", 0, 1, False, 1, True, fail, Judge(), RENDER)  # not ASCII: slow


def test_scan_checks_what_slow_returns(c: _accel.Speedups) -> None:
    def text(body: bytes, end: bytes, line: int) -> str:
        return "not bytes"

    with pytest.raises(TypeError, match="slow must return bytes"):
        c.scan(b"\xe9\n", b";", 0, 1, False, 1, True, text, Judge(), RENDER)  # type: ignore[arg-type]


def test_scan_checks_what_judge_returns(c: _accel.Speedups) -> None:
    def wrong(field: bytes) -> tuple[str, ...]:
        return ("key",)

    with pytest.raises(TypeError, match="judge must return"):
        c.scan(b"x\n", b";", 0, 1, False, 1, True, Recorder(), wrong, RENDER)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ((b"x", b";;", 0, 1, False, 1, True), ValueError),
        ((b"x", b'"', 0, 1, False, 1, True), ValueError),
        ((b"x", b"\n", 0, 1, False, 1, True), ValueError),
        ((b"x", b";", -1, 1, False, 1, True), ValueError),
        (("x", b";", 0, 1, False, 1, True), TypeError),
        ((b"x", b";", 0, 1, False, 2**70, True), OverflowError),
    ],
)
def test_scan_rejects_bad_arguments(
    c: _accel.Speedups, arguments: tuple[Any, ...], error: type[Exception]
) -> None:
    data, delimiter, column, width, only_invalid, line, final = arguments
    with pytest.raises(error):
        c.scan(
            data, delimiter, column, width, only_invalid, line, final, Recorder(), Judge(), RENDER
        )


# ---------------------------------------------------------------------------
# first_undecodable

# Well-formed pieces, and the classic ill-formed ones: overlong, surrogate, above
# U+10FFFF, cut short, stray continuation, undefined in cp1252.
UTF8_PIECES = st.sampled_from(
    [
        *(b"a", b"abcdefgh", b"\n", "é".encode(), "€".encode(), "😴".encode()),
        *(b"\xc0\xaf", b"\xe0\x80\xaf", b"\xf0\x8f\xbf\xbf", b"\xed\xa0\x80"),
        *(b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80", b"\xc2", b"\xe2\x82", b"\xf0\x9f\x98"),
        *(b"\x80", b"\xff", b"\x81", b"\x8d", b"\x9d"),
    ]
)


@given(
    st.one_of(st.binary(), st.lists(UTF8_PIECES).map(b"".join), st.text().map(str.encode)),
    st.integers(-3, 80),
    st.sampled_from(["utf-8", "cp1252", "ascii"]),
)
@example(b"\xed\x9f\xbf\xee\x80\x80", 6, "utf-8")
@example("aéb".encode(), 2, "utf-8")
def test_first_undecodable_matches_decode(
    c: _accel.Speedups, data: bytes, end: int, encoding: str
) -> None:
    expected = _csvio.first_undecodable(data, end, encoding)
    assert c.first_undecodable(data, end, encoding) == expected
    assert c.first_undecodable(data, len(data), encoding) == _csvio.first_undecodable(
        data, len(data), encoding
    )


# Blocks of 16 bytes whose non-ASCII bytes are two-byte letters take the fast path:
# a flaw anywhere in or across them must still be found where the decoder finds it.
FLAWS = [b"\x80", b"\xc3", b"\xc1\xa9", b"\xe9", "€".encode(), b"\xe2\x82", b"\xc3\xc3"]


@given(
    st.lists(
        st.sampled_from([b"a", "é".encode(), "Ç".encode(), b"\r\n"]), min_size=16, max_size=90
    ),
    st.integers(0, 200),
    st.sampled_from(FLAWS),
)
def test_first_undecodable_finds_a_flaw_among_two_byte_letters(
    c: _accel.Speedups, letters: list[bytes], where: int, flaw: bytes
) -> None:
    text = b"".join(letters)
    where = min(where, len(text))
    for data in (text, text[:where] + flaw + text[where:]):
        assert c.first_undecodable(data, len(data), "utf-8") == _csvio.first_undecodable(
            data, len(data), "utf-8"
        )


def test_cp1252_check_finds_each_byte_of_80_9f_at_any_offset(c: _accel.Speedups) -> None:
    # probe reads 64 bytes at a time and lets a stretch through at once when it has
    # no byte in 80-9F, or none of the five cp1252 leaves undefined: each byte of that
    # range, at every offset across three stretches, amid letters only (the first
    # test decides) and amid cp1252's own signs in 80-9F (the second decides).
    letters = ("Hélène Noël, à Éon; " * 10).encode("cp1252")[:192]
    signs = ("Hélène Œuvre; « Noël » \u2013 12 € ; d\u2019Éon… " * 5).encode("cp1252")[:192]
    for text in (letters, signs):
        for byte in range(0x80, 0xA0):
            for at in range(131):
                data = text[:at] + bytes([byte]) + text[at + 1 :]
                expected = _csvio.first_undecodable(data, len(data), "cp1252")
                assert expected == (at if byte in b"\x81\x8d\x8f\x90\x9d" else -1)
                assert c.first_undecodable(data, len(data), "cp1252") == expected, (byte, at)
                assert c.probe(data, "cp1252") == (expected, line_breaks(data)), (byte, at)


def test_first_undecodable_rejects_other_encodings(c: _accel.Speedups) -> None:
    with pytest.raises(ValueError, match="unsupported encoding"):
        c.first_undecodable(b"x", 1, "latin-1")


# probe reads 64 bytes at a time: line ends and flaws on both sides of those
# boundaries, a character cut by one, a CR whose LF is the next stretch's first byte.
PROBE_PIECES = st.sampled_from(
    [b"a" * 15, b"a" * 63, b";", b"\r", b"\n", b"\r\n", "é".encode(), "€".encode()]
)


@given(
    st.one_of(
        st.lists(st.one_of(PROBE_PIECES, UTF8_PIECES), max_size=60).map(b"".join),
        st.binary(max_size=300),
    ),
    st.sampled_from(["utf-8", "cp1252", "ascii"]),
)
@example(b"a" * 63 + b"\r\n" + b"a" * 70, "utf-8")  # the CRLF across a boundary
@example(b"a" * 63 + "é".encode() + b"\xff" + b"a" * 70, "utf-8")  # a flaw past a letter
@example(b"a" * 64 + b"\r", "ascii")  # a CR last, alone
def test_probe_is_first_undecodable_and_line_breaks(
    c: _accel.Speedups, data: bytes, encoding: str
) -> None:
    expected = (_csvio.first_undecodable(data, len(data), encoding), line_breaks(data))
    assert c.probe(data, encoding) == expected
    assert c.probe(memoryview(data)[1:], encoding) == (
        _csvio.first_undecodable(data[1:], len(data) - 1, encoding),
        line_breaks(data[1:]),
    )


def test_probe_rejects_other_encodings(c: _accel.Speedups) -> None:
    with pytest.raises(ValueError, match="unsupported encoding"):
        c.probe(b"x", "latin-1")
    with pytest.raises(TypeError, match="encoding must be a str"):
        c.probe(b"x", b"utf-8")  # type: ignore[arg-type]  # the check under test


# ---------------------------------------------------------------------------
# check_many

VALUES = st.lists(
    st.one_of(
        numbers("0123456789"),
        SEPARATED,
        NEAR_MISSES,
        st.text(max_size=5),
        st.none(),
        st.integers(),
        st.binary(max_size=3),
    ),
    max_size=20,
)


@given(VALUES, st.booleans())
def test_check_many_matches_python(c: _accel.Speedups, values: list[object], strict: bool) -> None:
    with using_core(None):
        expected = _bulk.check_many(values, warnings_as_errors=strict)
    with using_core(c):
        assert _bulk.check_many(values, warnings_as_errors=strict) == expected
        assert _bulk.check_many(iter(values), warnings_as_errors=strict) == expected
        assert _bulk.check_many(tuple(values), warnings_as_errors=strict) == expected


# Temporary numbers (the shortcut checks only their key): right key, wrong key, separated.
TEMPORARY_NUMBERS = st.one_of(
    numbers("3478"),
    numbers("3478").map(lambda n: n[:13] + f"{int(n[13:]) % 97 + 1:02d}"),
    numbers("3478").map(lambda n: f"{n[:1]} {n[1:7]}.{n[7:13]}-{n[13:]}"),
    numbers("3478").map(lambda n: n[:13]),
)


@given(
    st.one_of(fast_candidates(), SEPARATED, NEAR_MISSES, TEMPORARY_NUMBERS),
    st.booleans(),
    st.booleans(),
)
@example("3" * 15, False, False)  # temporary numbers not allowed
@example("4\u0661" * 7 + "4", False, True)  # non-ASCII digits
def test_verdict_shortcut_matches_the_full_rules(
    core: str, value: str, strict: bool, temporary: bool
) -> None:
    options = nir.Options(allow_temporary=temporary, warnings_as_errors=strict)
    assert _bulk.verdict(value, options) == _bulk.full_verdict(value, options)


def test_check_many_propagates_errors_from_slow(c: _accel.Speedups) -> None:
    def fail(value: object) -> str | None:
        raise KeyError(value)

    with pytest.raises(KeyError):
        c.check_many(["255081416802538", "x"], fail)
    with pytest.raises(TypeError, match="str or None"):
        c.check_many(["x"], lambda _value: 3)  # type: ignore[arg-type,return-value]


def test_check_many_survives_a_list_that_shrinks(c: _accel.Speedups) -> None:
    values: list[object] = ["x", "y", "z"]

    def shrink(value: object) -> str | None:
        values.clear()
        return "characters"

    assert c.check_many(values, shrink) == (bytearray([0]), {0: "characters"})


# ---------------------------------------------------------------------------
# verdict

Result = tuple[str, tuple[str | int | None, ...], str, str, tuple[str, ...]]
RENDER = render_fr  # French in UTF-8: non-ASCII bytes go through both cores


def python_verdict(
    value: str,
    allow_temporary: bool,
    allow_missing_key: bool,
    warnings_as_errors: bool,
    year: int,
    month: int,
) -> Result:
    """The reference: `full_verdict` under the same options, as a tuple."""
    options = nir.Options(
        allow_temporary, allow_missing_key, warnings_as_errors, date(year, month, 1)
    )
    result = _bulk.full_verdict(value, options)
    return (result.code, result.params, result.number, result.kind, result.warnings)


FLAGS = st.tuples(st.booleans(), st.booleans(), st.booleans())
REFERENCE_MONTHS = st.tuples(st.integers(1900, 2150), st.integers(1, 12))


def assert_same_verdict(
    c: _accel.Speedups, value: str, flags: tuple[bool, bool, bool], today: tuple[int, int]
) -> None:
    expected = python_verdict(value, *flags, *today)
    assert c.verdict(value.encode("ascii"), *flags, *today) == expected


ASCII_TEXT = st.text(alphabet=st.characters(max_codepoint=127), max_size=50)
# Characters a typing or export accident puts into a number.
MUTANTS = st.sampled_from(
    [
        *(*string.digits, "A", "B", "a", "b", "C", "z", "E", "e", "+", ",", "'", '"', "`", "\\"),
        *(" ", ".", "-", "\t", "\n", "\x0b", "\x1c", "\x00", "\x07", "\x1b", "\x7f"),
    ]
)


@st.composite
def near_valid(draw: st.DrawFn) -> str:
    """A right (or almost right) number, then what exports and typing do to it."""
    number = draw(st.one_of(numbers("0123456789"), fast_candidates()))
    if draw(st.booleans()):
        number = number.lower()  # a lower-case 2a/2b
    for _ in range(draw(st.integers(0, 2))):
        position = draw(st.integers(0, len(number)))
        character = draw(MUTANTS)
        change = draw(st.sampled_from(["replace", "insert", "delete"]))
        if change == "replace":
            number = number[:position] + character + number[position + 1 :]
        elif change == "insert":
            number = number[:position] + character + number[position:]
        else:
            number = number[:position] + number[position + 1 :]
    cut = draw(st.sampled_from(["", "13", "14", "16"]))
    if cut == "13":
        number = number[:13]
    elif cut == "14":
        number = number[:14]
    elif cut == "16":
        number += draw(st.sampled_from(string.digits))
    separators = draw(st.lists(st.sampled_from(["", "", " ", ".", "-", "\t"]), max_size=16))
    number = "".join(
        character + separator
        for character, separator in zip(number, [*separators, *[""] * len(number)], strict=False)
    )
    return draw(st.sampled_from(["", "", "'", "''", " '", "\t"])) + number


@st.composite
def spreadsheet_notations(draw: st.DrawFn) -> str:
    """What a spreadsheet shows of a long number, and near misses of the pattern."""
    if draw(st.booleans()):
        digits = draw(numbers()).rstrip("0") or "0"  # 2.55081416802538E+14
        exponent = draw(st.sampled_from(["E+14", "E+12", "E14", "e+14"]))
    else:
        digits = draw(st.text(alphabet=string.digits, min_size=1, max_size=18))
        exponent = draw(
            st.one_of(
                st.sampled_from(["E+14", "E+12", "e12", "E+", "E", "E+1000", "E-14", "E+014"]),
                st.integers(0, 999).map(lambda value: f"E+{value}"),
            )
        )
    point = draw(st.sampled_from([".", ",", "", ".."]))
    lead = draw(st.sampled_from(["", " ", "'", " '", "\t", "''", "x"]))
    trail = draw(st.sampled_from(["", " ", "\r\n", "\x1f", "x", "'"]))
    return lead + digits[0] + point + digits[1:] + exponent + trail


# Places whose meaning changes with the birth date, each with the years of its
# cut-offs (nir._parse: 1956 and 1962 independences, the 1968 split of the Seine,
# Corsica's 1976 split, 2007 for 977/978, 2011 for Mayotte); then places whose
# meaning never changes, and place errors.
DATED_PLACES = {
    "20004": [1975, 1976],
    "2A004": [1975, 1976],
    "2B099": [1975, 1976],
    "91352": [1962, 1968],
    "94001": [1962, 1968],
    "95001": [1956, 1968],
    "96001": [1956, 1968],
    "96000": [1956, 1968],
    "97601": [2010, 2011],
    "98501": [2010, 2011],
    "98595": [2010, 2011],
    "97701": [2006, 2007],
    "97801": [2006, 2007],
    "97195": [1950],
    "99100": [1950],
    "99000": [1950],
    "75000": [1950],
    "75056": [1950],
    "00056": [1950],
    "97900": [1950],
}
# Month codes: around the cut-off days (31 March, 3 July, 2 and 20 March), the
# pseudo months, the unknown and undocumented ones, and two invalid ones.
MONTH_CODES = [1, 2, 3, 4, 6, 7, 8, 11, 12, 20, 21, 30, 31, 33, 37, 42, 49, 50, 99, 0, 13]
# Ages at the reference date where the reading of the century changes.
AGES = [0, 1, 19, 20, 21, 99, 100, 101, 119, 120, 121]


@st.composite
def around_the_cut_offs(draw: st.DrawFn) -> tuple[str, tuple[int, int]]:
    """A number born near a cut-off of its place, read at an age near a cut-off
    of the century rule, and its reference (year, month)."""
    place = draw(st.sampled_from(sorted(DATED_PLACES)))
    birth = draw(st.sampled_from(DATED_PLACES[place])) + draw(st.integers(-1, 1))
    code = draw(st.sampled_from(MONTH_CODES))
    today = birth + draw(st.one_of(st.sampled_from(AGES), st.integers(0, 200)))
    month = (code - 1) % 12 + 1 if code not in {0, 13} else 1
    today_month = draw(st.sampled_from([month - 1 or 12, month, month % 12 + 1]))
    sex = draw(st.sampled_from("1111222378"))
    order = draw(st.sampled_from(["001", "001", "000"]))
    return with_key(f"{sex}{birth % 100:02d}{code:02d}{place}{order}"), (today, today_month)


@settings(max_examples=2000)
@given(
    st.one_of(ASCII_TEXT, near_valid(), spreadsheet_notations(), NEAR_MISSES.filter(str.isascii)),
    FLAGS,
    REFERENCE_MONTHS,
)
@example("", (True, False, False), (2026, 11))
@example("2.55081416802538E+14", (True, False, False), (2026, 11))
@example(" '2,55E+14 ", (True, False, False), (2026, 11))
@example("'", (True, False, False), (2026, 11))
@example("2'55", (True, False, False), (2026, 11))
@example("2\\5", (True, False, False), (2026, 11))
@example("2\x7f5", (True, False, False), (2026, 11))
@example("2`5", (True, False, False), (2026, 11))
@example('2"5', (True, False, False), (2026, 11))
@example("1" * 40, (True, False, False), (2026, 11))
@example("1" * 41, (True, False, False), (2026, 11))
@example("253072b07300470", (True, False, True), (2026, 11))
def test_verdict_matches_python(
    c: _accel.Speedups, value: str, flags: tuple[bool, bool, bool], today: tuple[int, int]
) -> None:
    assert_same_verdict(c, value, flags, today)


@settings(max_examples=1500)
@given(around_the_cut_offs(), FLAGS)
@example(("115059850100123", (2026, 11)), (True, False, False))
@example(("168019600000155", (1968, 12)), (True, False, False))  # 96 from 1 January 1968
@example(("175012000400192", (2095, 12)), (True, False, False))  # 120 years old: two readings
@example(("104109637308614", (2026, 11)), (True, False, False))  # 1904 beyond 120 years
@example(("180059600100183", (2150, 12)), (True, False, True))  # 1880, warning as error
@example(("160059600100193", (2090, 1)), (True, False, False))  # 1960: century + place_period
@example(("160059600000126", (2090, 1)), (True, False, False))  # commune 000: no reading fits
def test_verdict_matches_python_around_the_cut_offs(
    c: _accel.Speedups, case: tuple[str, tuple[int, int]], flags: tuple[bool, bool, bool]
) -> None:
    value, today = case
    assert_same_verdict(c, value, flags, today)
    assert_same_verdict(c, value[:13], flags, today)


def spec_vectors() -> list[tuple[str, dict[str, Any], str | None, tuple[str, ...] | None]]:
    """The ASCII vectors of tests/test_parse.py: (value, options, code, warnings)."""
    vectors: list[tuple[str, dict[str, Any], str | None, tuple[str, ...] | None]] = [
        (value, {}, "", None) for value, _, _ in VALID if value.isascii()
    ]
    vectors += [
        (value, options, code, None)
        for value, code, _, options, _ in INVALID
        if isinstance(value, str) and value.isascii()
    ]
    vectors += [(value, {}, "", codes) for value, codes, _ in WARNINGS]
    vectors += [
        (value, {"warnings_as_errors": True}, codes[0], None) for value, codes, _ in WARNINGS
    ]
    return vectors


@pytest.mark.parametrize(("value", "options", "code", "warnings"), spec_vectors())
def test_verdict_on_the_spec_vectors(
    c: _accel.Speedups,
    value: str,
    options: dict[str, Any],
    code: str,
    warnings: tuple[str, ...] | None,
) -> None:
    flags = (
        options.get("allow_temporary", True),
        options.get("allow_missing_key", False),
        options.get("warnings_as_errors", False),
    )
    today = (REFERENCE_DATE.year, REFERENCE_DATE.month)
    result = c.verdict(value.encode("ascii"), *flags, *today)
    assert result == python_verdict(value, *flags, *today)
    assert result is not None
    assert result[0] == code
    if warnings is not None:
        assert result[4] == warnings


@pytest.mark.parametrize(("body", "today", "year", "codes", "reason"), CENTURY_VALIDITY)
@pytest.mark.parametrize("flags", [(True, False, False), (True, True, True)])
def test_verdict_on_the_century_rows(
    c: _accel.Speedups,
    body: str,
    today: date | None,
    year: int,
    codes: tuple[str, ...],
    reason: str,
    flags: tuple[bool, bool, bool],
) -> None:
    del year, codes, reason  # test_parse.py checks them; here C must say what Python says
    reference = today or date.today()  # noqa: DTZ011  # a civil date, as nir takes it
    for value in (with_key(body), body.replace(" ", "")):
        assert_same_verdict(c, value, flags, (reference.year, reference.month))


@pytest.mark.parametrize(
    "value",
    [
        "1" * 2_000_000,
        "1" * 1_000_000 + "x",
        " " * 1_000_000 + "255081416802538",
        "2." + "5" * 1_000_000 + "E+14",
        "'2,5" + "0" * 13 + "E+14",
    ],
    ids=["long digits", "long then a letter", "long blanks", "long notation", "15 digits"],
)
def test_verdict_on_long_input(c: _accel.Speedups, value: str) -> None:
    assert_same_verdict(c, value, (True, False, False), (2026, 11))


@pytest.mark.parametrize(
    "value", ["2 55 08 14 168 025 38\xa0".encode(), "é".encode("cp1252"), b"25508\xff1680253"]
)
def test_verdict_leaves_non_ascii_to_python(c: _accel.Speedups, value: bytes) -> None:
    assert c.verdict(value, True, False, False, 2026, 11) is None


def test_verdict_leaves_unusual_reference_years_to_python(c: _accel.Speedups) -> None:
    assert c.verdict(b"255081416802538", True, False, False, 199, 1) is None
    assert c.verdict(b"255081416802538", True, False, False, 9999, 1) is None
    assert c.verdict(b"255081416802538", True, False, False, 200, 1) is not None
    with pytest.raises(ValueError, match="month"):
        c.verdict(b"255081416802538", True, False, False, 2026, 13)
    with pytest.raises(TypeError):
        c.verdict("255081416802538", True, False, False, 2026, 1)  # type: ignore[arg-type]


@given(
    st.one_of(ASCII_TEXT, near_valid(), spreadsheet_notations(), SEPARATED, st.text(max_size=20)),
    FLAGS,
    st.one_of(st.none(), st.dates(date(1900, 1, 1), date(2150, 12, 31))),
)
@example("x", (True, False, False), date(150, 6, 1))  # a year C leaves to Python
@example("255081416802538\xa0", (True, False, False), None)  # non-ASCII: Python
def test_bulk_verdict_matches_full_verdict(
    core: str, value: str, flags: tuple[bool, bool, bool], reference: date | None
) -> None:
    options = nir.Options(*flags, reference_date=reference)
    assert _bulk.verdict(value, options) == _bulk.full_verdict(value, options)


def test_bulk_verdict_calls_c_for_ascii_text(
    c: _accel.Speedups, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[object, ...]] = []

    class Spy:
        """The C extension, recording its verdict calls."""

        def verdict(self, *arguments: Any) -> object:
            calls.append(arguments)
            return c.verdict(*arguments)

    monkeypatch.setattr(_accel, "compiled", Spy())
    options = nir.Options(warnings_as_errors=True, reference_date=date(2026, 11, 23))
    assert _bulk.verdict("1 80 13 75 056 001 23", options).code == "month"
    assert _bulk.verdict("25508141680253\xa09", options).code == "key"  # non-ASCII: Python
    assert calls == [(b"1 80 13 75 056 001 23", True, False, True, 2026, 11)]


def test_scan_asks_render_once_per_message_across_calls(c: _accel.Speedups) -> None:
    """A render with a `cache` dict is filled once per run, not once per chunk."""
    calls: list[tuple[str, tuple[str | int | None, ...]]] = []

    class Counting:
        def __init__(self) -> None:
            self.cache: dict[tuple[str, tuple[str | int | None, ...]], bytes] = {}

        def __call__(self, code: str, params: tuple[str | int | None, ...]) -> bytes:
            calls.append((code, params))
            self.cache[code, params] = message = render_fr(code, params)
            return message

    render = Counting()
    data = b"255081416802512\n2550814168025\n" * 3  # a wrong key, then no key
    policy = (True, False, False, 2026, 11)
    first = c.scan(data, b";", 0, 1, True, 1, True, Recorder(), policy, render)
    second = c.scan(data, b";", 0, 1, True, 1, True, Recorder(), policy, render)
    assert first[0] == second[0]
    assert sorted(code for code, _ in calls) == ["key", "key_missing"]
    assert "la clé est 12".encode() in bytes(first[0])
