"""A shortcut for the common case: a compact number that is valid with no warnings.

`quick_valid` answers True only for numbers that `nir.parse` accepts without any
warning under every option set (the property tests check this against the full
rules). Anything else -- separators, Corsica, places whose meaning depends on
the birth date, temporary numbers, errors -- answers False and goes through the
full rules. Bulk paths call it first and pay for the full rules only when needed.
"""

from __future__ import annotations

import re

# sex 1/2 | year | a documented month | a place that is right whatever the birth
# date: mainland 01-19, 21-90; 91-95 unless born in years ending 56-67 (only those
# can fall between independence and 1968, whatever the reference date: other
# years read either as from 1968, a department, or before independence, North
# Africa); overseas 971-975, 984, 986-989; abroad but not 000 or 100 |
# order 001-999 | a 2-digit key, checked arithmetically afterwards.
FAST_PATTERN = (
    r"[12](?!(?:5[6-9]|6[0-7])[0-9]{2}9[1-5])[0-9]{2}"
    r"(?:0[1-9]|1[0-2]|20|3[0-9]|4[0-2]|[5-9][0-9])"
    r"(?:(?:0[1-9]|1[0-9]|2[1-9]|[3-8][0-9]|9[0-5])(?!000)[0-9]{3}"
    r"|(?:97[1-5]|98[46-9])(?!00|9[1-9])[0-9]{2}"
    r"|99(?!000|100)[0-9]{3})"
    r"(?!000)[0-9]{3}"
    r"[0-9]{2}"
)
_FAST_STR = re.compile(FAST_PATTERN)
FAST_BYTES = re.compile(FAST_PATTERN.encode("ascii"))


def quick_valid(value: str) -> bool:
    """True when `value` is a compact, valid number with no warnings; else "don't know"."""
    return _FAST_STR.fullmatch(value) is not None and int(value[:13]) % 97 + int(value[13:]) == 97


def plain_fields(value: str) -> bool:
    """True when `value` is 15 digits whose fields pass FAST_PATTERN, whatever its key.

    Such a number is either valid with no warning or wrong only in its key.
    """
    return _FAST_STR.fullmatch(value) is not None


def quick_valid_bytes(value: bytes) -> bool:
    """`quick_valid` for an ASCII byte string, so CSV rows need no decoding."""
    return FAST_BYTES.fullmatch(value) is not None and int(value[:13]) % 97 + int(value[13:]) == 97
