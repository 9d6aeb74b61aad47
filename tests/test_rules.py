"""Each rule fact is stated once, in nir._rules, and both cores follow it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from types import MappingProxyType

import pytest

import nir
from nir import _accel, _bulk, _fast, _rules, messages

from .conftest import compiled_or_skip
from .helpers import with_key

REFERENCE = date(2026, 11, 1)
OPTIONS = nir.Options(reference_date=REFERENCE)


@pytest.fixture(scope="module")
def c() -> _accel.Speedups:
    return compiled_or_skip()


def python_outcome(value: str) -> tuple[str, str, tuple[str, ...]]:
    """(code, kind, warnings) of the Python rules (the message is worded elsewhere)."""
    verdict = _bulk.full_verdict(value, OPTIONS)
    return verdict.code, verdict.kind, verdict.warnings


def c_outcome(c: _accel.Speedups, value: str) -> tuple[str, str, tuple[str, ...]]:
    flags = (True, False, False)  # allow_temporary, allow_missing_key, warnings_as_errors
    result = c.verdict(value.encode("ascii"), *flags, REFERENCE.year, REFERENCE.month)
    assert result is not None
    code, _, _, kind, warnings = result
    return code, kind, warnings


@pytest.fixture
def moved_cut_offs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Corsica split in 1980 instead of 1976, Algeria independent a year later:
    changed in nir._rules only, handed to the C core, then put back."""
    algeria = _rules.NORTH_AFRICA["91"]._replace(independence=date(1963, 7, 3))
    north_africa = dict(_rules.NORTH_AFRICA) | dict.fromkeys(("91", "92", "93", "94"), algeria)
    monkeypatch.setattr(_rules, "CORSICA_SPLIT", date(1980, 1, 1))
    monkeypatch.setattr(_rules, "NORTH_AFRICA", MappingProxyType(north_africa))
    _accel.configure()
    try:
        yield
    finally:
        monkeypatch.undo()
        _accel.configure()


NIR = ("", "nir")
# body, (code, kind, warnings) under the real rules, then under moved_cut_offs, why
MOVED_CASES = [
    (
        "1770520004001",
        (*NIR, ("corsica_period",)),
        (*NIR, ()),
        "20 in 1977: split in 1976, not 1980",
    ),
    ("178052A004001", (*NIR, ()), (*NIR, ("corsica_period",)), "2A in 1978: only from 1980 now"),
    ("1790599352001", (*NIR, ()), (*NIR, ()), "abroad: no cut-off involved"),
    ("1620991352001", (*NIR, ("place_period",)), (*NIR, ()), "91 in Sept 1962: Algeria until 1963"),
    ("1630591352001", (*NIR, ("place_period",)), (*NIR, ()), "91 in May 1963: still Algeria"),
    ("1630891352001", (*NIR, ("place_period",)), (*NIR, ("place_period",)), "Aug 1963: after both"),
    (
        "1630596001001",
        (*NIR, ("place_period",)),
        (*NIR, ("place_period",)),
        "96: Tunisia unchanged",
    ),
]


@pytest.mark.parametrize(("body", "before", "after", "why"), MOVED_CASES)
def test_both_cores_follow_a_moved_cut_off(
    c: _accel.Speedups,
    request: pytest.FixtureRequest,
    body: str,
    before: tuple[str, str, tuple[str, ...]],
    after: tuple[str, str, tuple[str, ...]],
    why: str,
) -> None:
    number = with_key(body)
    assert python_outcome(number) == c_outcome(c, number) == before, why
    request.getfixturevalue("moved_cut_offs")
    assert python_outcome(number) == c_outcome(c, number) == after, why


def test_the_c_quick_path_follows_a_moved_cut_off(
    c: _accel.Speedups, request: pytest.FixtureRequest
) -> None:
    # 91 in 1962 is only fast once Algeria's independence moves to 1963; FAST_PATTERN
    # is built once (on first use), so the Python side is shown by building it again.
    number = with_key("1620591352001")
    assert not c.quick_valid(number)
    assert not re.fullmatch(_fast.FAST_PATTERN, number)
    request.getfixturevalue("moved_cut_offs")
    assert c.quick_valid(number)
    assert re.fullmatch(_fast._build_pattern(), number)  # the builder itself


def test_bad_tables_leave_the_rules_in_force(c: _accel.Speedups) -> None:
    tables = list(_accel.c_tables())
    tables[8] = bytes([3]) * 100  # an overseas note the C core does not have
    with pytest.raises(ValueError, match="tuple of 24 tables"):
        c.configure(())
    with pytest.raises(ValueError, match="overseas_note"):
        c.configure(tuple(tables))
    assert c.quick_valid("255081416802538")
    assert c_outcome(c, with_key("1770520004001")) == ("", "nir", ("corsica_period",))


# ---------------------------------------------------------------------------
# The fast path takes exactly what the facts call plain


def _plain_expected(yy: int, month: int, place: str) -> bool:
    """What FAST_PATTERN should take, read from the facts directly."""
    if month not in _rules.DOCUMENTED_MONTHS:
        return False
    head = place[:2]
    if head == _rules.ABROAD:
        return place[2:] not in {_rules.NO_COUNTRY, _rules.FRANCE_COUNTRY}
    if head in _rules.OVERSEAS_HEADS:
        commune = int(place[3:])
        return place[:3] in _rules.PLAIN_OVERSEAS and 1 <= commune <= _rules.OVERSEAS_COMMUNE_MAX
    return yy in _rules.plain_department_years(head) and place[2:] != "000"


PLACES = [
    *(f"{head:02d}001" for head in range(97)),
    *(f"{code}{commune:02d}" for code in range(970, 990) for commune in (0, 1, 90, 91)),
    "99000",
    "99100",
    "99352",
    "75000",
    "2A004",
]


@pytest.mark.parametrize("place", PLACES)
def test_fast_paths_take_what_the_facts_call_plain(c: _accel.Speedups, place: str) -> None:
    for yy in range(100):
        for month in (1, 12, 13, 20, 25, 30, 42, 45, 50, 99, 0) if yy % 10 == 0 else (1,):
            number = with_key(f"1{yy:02d}{month:02d}{place}001")
            expected = _plain_expected(yy, month, place)
            assert _fast.plain_fields(number) is expected, number
            assert c.quick_valid(number) is expected, number


def test_messages_name_the_moved_cut_off(request: pytest.FixtureRequest) -> None:
    # The years a message names come from the facts too: one edit moves them.
    number = with_key("178052A004001")  # 2A in 1978
    request.getfixturevalue("moved_cut_offs")
    messages._render.cache_clear()  # rendered under the real facts by other tests
    try:
        (warning,) = nir.parse(number, reference_date=date(2026, 11, 23)).warnings
        assert "1980" in warning.message("en"), warning.message("en")
        assert "1980" in warning.message("fr"), warning.message("fr")
    finally:
        messages._render.cache_clear()
