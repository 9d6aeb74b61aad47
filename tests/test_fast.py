"""The shortcut never accepts what the full rules reject or warn about."""

from __future__ import annotations

from datetime import date

from hypothesis import example, given
from hypothesis import strategies as st

import nir
from nir._bulk import Learned, learned_verdict, verdict
from nir._fast import quick_valid, quick_valid_bytes
from nir._parse import Options

from .helpers import with_key
from .strategies import DOCUMENTED_MONTHS, numbers

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


@st.composite
def class_mates(draw: st.DrawFn) -> list[str]:
    """Numbers sharing sex, year and month, a few of each department, any key.

    Numbers of one 7-character start share a `verdict_class` when they have one.
    """
    start = draw(st.sampled_from("1212123478")) + f"{draw(st.integers(0, 99)):02d}"
    start += draw(st.sampled_from([*DOCUMENTED_MONTHS, "21", "00"]))
    heads = st.sampled_from(["20", "2A", "2B", "96", "91", "94", "75", "00", "97", "98", "99"])
    communes, orders = (
        st.sampled_from(["000", "004", "373", "500"]),
        st.sampled_from(["000", "001"]),
    )
    tails = st.tuples(heads, communes, orders, st.booleans())
    numbers = []
    for head, commune, order, wrong_key in draw(st.lists(tails, min_size=1, max_size=8)):
        number = with_key(start + head + commune + order)
        numbers.append(number[:13] + ("00" if wrong_key else number[13:]))
    return numbers


@given(class_mates(), REFERENCE_DATES, st.booleans(), st.booleans())
@example(  # 971 01 teaches nothing of 974 99 (a warning)
    numbers=["180019710100196", "180019749900187"],
    today=date(2026, 12, 1),
    allow_temporary=True,
    strict=False,
)
@example(  # abroad, 004 teaches nothing of 100 (France: a warning)
    numbers=["180019900400142", "180019910000172"],
    today=date(2026, 12, 1),
    allow_temporary=True,
    strict=False,
)
def test_learned_verdict_is_the_full_verdict(
    numbers: list[str], today: date, allow_temporary: bool, strict: bool
) -> None:
    # what one number of a class teaches holds for the others of the class
    options = Options(allow_temporary, warnings_as_errors=strict, reference_date=today)
    known: Learned = {}
    for number in numbers:
        assert learned_verdict(number, options, known) == verdict(number, options)
