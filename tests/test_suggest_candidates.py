"""The C candidate search of the scan's suggestions against nir._suggest.

`_speedups.suggest_candidates` must list exactly what `_suggest.candidates`
lists, in its order: on arbitrary texts and on every single edit of valid numbers.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nir import _accel, _suggest
from nir._parse import compact

from .conftest import compiled_or_skip
from .helpers import REFERENCE_DATE
from .strategies import dated_numbers, numbers, realistic

_CHARACTERS = "0123456789" * 3 + "2AB" * 2 + "CZ+'"


@pytest.fixture(scope="module")
def c() -> _accel.Speedups:
    return compiled_or_skip()


def _both(c: _accel.Speedups, text: str, today: date = REFERENCE_DATE) -> list[object]:
    """The C list, after checking it is the Python one."""
    found = c.suggest_candidates(text.encode("ascii"), today.year, today.month)
    assert found == _suggest.candidates(text, today.replace(day=1)), text
    return list(found or ())


@pytest.mark.parametrize(
    ("text", "expected", "reason"),
    [
        (
            "255081416802583",
            ("255081416802538", "transposition", 14),
            "a swapped key: the swap is among the candidates",
        ),
        ("25508141680253", ("255081416802538", "insertion", 15), "a lost last digit"),
        ("2550814168025388", ("255081416802538", "deletion", 15), "a doubled key digit"),
        ("1530720B7300423", ("153072B07300423", "transposition", 7), "2B swapped with 0"),
        ("153072C07300423", ("153072B07300423", "substitution", 7), "the one wrong character"),
        ("255081416802538", None, "a valid number has no candidates"),
        ("2550814168025", None, "13 characters: no edit of one character is searched"),
    ],
)
def test_known_candidates(
    c: _accel.Speedups, text: str, expected: tuple[str, str, int] | None, reason: str
) -> None:
    found = _both(c, text)
    assert expected in found if expected else not found, reason


@pytest.mark.parametrize(
    ("value", "year", "reason"),
    [
        (b"25508141680253\xe9", 2026, "a byte >= 0x80: Python's compact may read it otherwise"),
        (b"255081416802583", 199, "a reference year outside the range of the C rules"),
    ],
)
def test_left_to_python(c: _accel.Speedups, value: bytes, year: int, reason: str) -> None:
    assert c.suggest_candidates(value, year, 1) is None, reason


@settings(max_examples=400)
@given(
    st.text(st.sampled_from(_CHARACTERS), min_size=13, max_size=17),
    st.dates(date(1980, 1, 1), date(2100, 12, 31)),
)
def test_arbitrary_texts_match_python(c: _accel.Speedups, text: str, today: date) -> None:
    _both(c, compact(text), today)


def _single_edits(number: str) -> set[str]:
    """Every text one substitution, adjacent swap, deletion or insertion away."""
    alphabet = "0123456789AB"
    edits = {number[:i] + number[i + 1 :] for i in range(15)}
    edits |= {number[:i] + number[i + 1] + number[i] + number[i + 2 :] for i in range(14)}
    for i in range(16):
        edits |= {number[:i] + char + number[i:] for char in alphabet}
    for i in range(15):
        edits |= {number[:i] + char + number[i + 1 :] for char in alphabet}
    return edits


@settings(max_examples=15, deadline=None)
@given(st.one_of(numbers(), dated_numbers(), realistic()))
def test_every_single_edit_matches_python(c: _accel.Speedups, number: str) -> None:
    found = [_both(c, text) for text in sorted(_single_edits(number))]
    assert any(found), "some edit of a valid number has the number back as a candidate"
