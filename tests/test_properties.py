"""Properties that must hold for every input, and python-stdnum as an oracle."""

from __future__ import annotations

import string
from datetime import date

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from stdnum.fr import nir as stdnum_nir

import nir
from nir import _bulk

from .helpers import REFERENCE_DATE, with_key
from .strategies import any_valid, bodies, dated_numbers, numbers, realistic

# Every test here runs on the C extension and on the pure-Python core.
pytestmark = pytest.mark.usefixtures("core")


def valid(value: object) -> bool:
    return nir.is_valid(value, reference_date=REFERENCE_DATE)


def parsed_or_code(value: str) -> object:
    try:
        return nir.parse(value, reference_date=REFERENCE_DATE)
    except nir.NirError as error:
        return error.code


@given(any_valid(), st.integers(0, 12), st.sampled_from(string.digits))
def test_any_single_substitution_is_detected(number: str, position: int, digit: str) -> None:
    assume(number[position] != digit)
    assume(valid(number))
    mutated = number[:position] + digit + number[position + 1 :]
    assert not valid(mutated)


@given(any_valid(), st.integers(0, 11))
def test_any_adjacent_transposition_is_detected(number: str, position: int) -> None:
    assume(number[position] != number[position + 1])
    assume(valid(number))
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]
    assert not valid(swapped)


@given(numbers("12345678"), st.sampled_from([" ", "", ".", "-"]))
def test_parse_of_format_is_parse(number: str, separator: str) -> None:
    assert parsed_or_code(nir.format(number, separator)) == parsed_or_code(number)


@given(realistic(formatted=True))
def test_typed_forms_parse_like_the_compact_form(typed: str) -> None:
    assert parsed_or_code(typed) == parsed_or_code(nir.compact(typed))


@given(st.text())
@example("'\N{RIGHT SINGLE QUOTATION MARK}")  # two apostrophes: both go at once
@example(" ' '255081416802538")
def test_compact_is_idempotent(value: str) -> None:
    once = nir.compact(value)
    assert nir.compact(once) == once


@given(st.one_of(st.text(), st.binary(), st.integers(), st.none(), st.floats()))
def test_is_valid_never_raises(value: object) -> None:
    assert valid(value) in (True, False)


@given(st.text(alphabet="0123456789AB .-", min_size=13, max_size=17))
def test_near_misses_never_raise_anything_but_nir_errors(value: str) -> None:
    parsed_or_code(value)


@given(bodies("123456789"))
def test_key_matches_stdnum(body: str) -> None:
    assert nir.calc_check_digits(body) == stdnum_nir.calc_check_digits(body)


@given(numbers("0123456789"), st.text(alphabet="0123456789", min_size=2, max_size=2))
def test_valid_implies_stdnum_valid(number: str, key: str) -> None:
    for candidate in (number, number[:13] + key):
        if valid(candidate):
            assert stdnum_nir.is_valid(candidate)


@given(numbers())
def test_validate_returns_the_compact_form(number: str) -> None:
    assume(valid(number))
    assert nir.validate(nir.format(number), reference_date=REFERENCE_DATE) == number


REFERENCE_DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2150, 12, 31))


@given(st.one_of(dated_numbers(), numbers()), REFERENCE_DATES, REFERENCE_DATES)
@example("104109637308614", date(2000, 1, 1), date(2026, 11, 23))  # issue 8: Tunisia 1904
@example(with_key("1 80 05 96 001 001"), date(1950, 1, 1), date(2150, 12, 31))
@example(with_key("1 60 05 96 001 001"), date(1990, 1, 1), date(2070, 1, 1))
def test_validity_never_expires(number: str, first: date, second: date) -> None:
    """A number valid at one reference date is valid at every later one."""
    early, late = sorted([first, second])

    def is_valid(today: date) -> bool:
        return nir.is_valid(number, reference_date=today)

    def bulk_valid(today: date) -> bool:  # the C verdict on the C core
        return _bulk.verdict(number, nir.Options(reference_date=today)).valid

    for check in (is_valid, bulk_valid):
        assert not check(early) or check(late)
