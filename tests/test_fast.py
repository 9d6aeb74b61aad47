"""The shortcut never accepts what the full rules reject or warn about."""

from __future__ import annotations

from datetime import date

from hypothesis import example, given
from hypothesis import strategies as st

import nir
from nir._fast import quick_valid, quick_valid_bytes

from .strategies import numbers

REFERENCE_DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2150, 12, 31))


@given(numbers("0123456789"), REFERENCE_DATES)
@example("172029404558829", date(2026, 11, 23))  # 94 in 1972: Val-de-Marne
@example("150059135200131", date(2026, 11, 23))  # 91 in 1950: Algeria
@example("165059135200158", date(2026, 11, 23))  # 91 in 1965: not fast (warning)
def test_quick_valid_means_valid_without_warnings(number: str, today: date) -> None:
    if quick_valid(number):
        parsed = nir.parse(number, reference_date=today, names=False)
        assert parsed.warnings == ()
        assert quick_valid_bytes(number.encode())


@given(st.text(max_size=20))
def test_quick_valid_on_any_text(value: str) -> None:
    if quick_valid(value):
        assert nir.is_valid(value)
