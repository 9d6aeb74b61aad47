"""Junk never raises from is_valid, and always raises a NirError from validate
(python-stdnum's tests/test_robustness.doctest, plus ours)."""

from __future__ import annotations

import pytest

import nir

# Every test here runs on the C extension and on the pure-Python core.
pytestmark = pytest.mark.usefixtures("core")

# The valid 255081416802538 in full-width digits: not ASCII digits, so invalid.
FULL_WIDTH = "".join(chr(0xFF10 + int(d)) for d in "255081416802538")

JUNK: list[object] = [
    None,
    "*&^%$",
    "",
    0,
    False,
    object(),
    "Z",
    "QQ",
    "3",
    "€",
    "€".encode(),
    "😴",
    "¥",
    "3²",
    "ⅷ",
    "⑱",
    "᭓",
    b"\xc2\xb2".decode(),
    FULL_WIDTH,
    "255081416802538\x00",
    "\u200b255081416802538",
    2.55081416802538e14,
    ["255081416802538"],
    "1" * 10_000_000,
]


# Ids name the type for a bare object: its repr holds an address, which differs between
# the test workers of pytest-xdist, and each must collect the same tests.
@pytest.mark.parametrize(
    "value", JUNK, ids=lambda v: repr(v)[:30] if type(v) is not object else "object()"
)
def test_junk(value: object) -> None:
    assert nir.is_valid(value) is False
    with pytest.raises(nir.NirError) as caught:
        nir.validate(value)  # type: ignore[arg-type]
    assert caught.value.code
    assert isinstance(caught.value, ValueError)
