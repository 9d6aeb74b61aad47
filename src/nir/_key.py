"""The mod-97 control key, the one piece of arithmetic every NIR rule shares."""

from __future__ import annotations

from nir._rules import CORSICA_LETTERS

# Before computing the key, Corsica's 2A counts as 19 and 2B as 18 (nir._rules).
_CORSICA_DIGITS = {letter: f"{value:02d}" for letter, value in CORSICA_LETTERS.items()}


def body_value(body: str) -> int:
    """The integer the key is computed from: 13 characters, 2A/2B substituted.

    The caller has checked the characters: digits, with A or B only at index 6.
    """
    letter = body[6]
    if letter in _CORSICA_DIGITS:
        return int(body[:5] + _CORSICA_DIGITS[letter] + body[7:13])
    return int(body[:13])


def key_of(body: str) -> int:
    """The key (1..97) of a well-formed 13-character body."""
    return 97 - body_value(body) % 97
