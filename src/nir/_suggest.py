"""The likely fix of a mistyped number: the valid numbers one edit away.

The mod-97 key catches every single substitution and every adjacent swap in the
body (spec §3.6), so few neighbours are valid. For a substitution the key fixes
the new digit: at most one per position, found by arithmetic rather than by
trying ten. Candidates consistent with a given identity come first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from nir import errors, messages
from nir._fast import quick_valid
from nir._identity import _check
from nir._key import body_value
from nir._model import format_compact
from nir._parse import DEFAULT_OPTIONS, compact, parse_with

_DIGITS = "0123456789"
_LENGTH = 15
# 10^(12-i) mod 97 and its inverse, for body position i.
_WEIGHTS = [pow(10, 12 - i, 97) for i in range(13)]
_INVERSES = [pow(w, -1, 97) for w in _WEIGHTS]
_EDIT_RANK = {"transposition": 0, "substitution": 1, "insertion": 2, "deletion": 2}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A valid number one edit away from the input, and the edit."""

    number: str
    """The compact 15-character number."""
    edit: str
    """"substitution", "transposition", "insertion" or "deletion"."""
    position: int
    """1-based position of the edit in the compact input."""
    params: dict[str, messages.ParamValue] = field(default_factory=dict, hash=False)
    mismatches: tuple[str, ...] | None = None
    """The identity fields it mismatches; None when no identity was given."""

    @property
    def formatted(self) -> str:
        """The display form of `number`."""
        return format_compact(self.number)

    @property
    def consistent(self) -> bool | None:
        """True when it matches the identity given, None when none was given."""
        return None if self.mismatches is None else not self.mismatches

    def message(self, lang: str | None = None) -> str:
        """The edit in words, in `lang` (the number itself is not in it)."""
        return messages.render("suggest_" + self.edit, self.params, lang)


def suggest(
    value: str,
    *,
    sex: str | None = None,
    birth_date: date | str | float | None = None,
    birth_place: str | None = None,
) -> tuple[Suggestion, ...]:
    """Valid numbers one edit away from an invalid `value`, best first.

    >>> best = suggest("2 55 08 14 168 025 83")[0]
    >>> best.number, best.edit, best.position, best.message("en")
    ('255081416802538', 'transposition', 14, 'characters 14 and next are swapped: 38 instead of 83')
    """
    text = compact(value)
    if _valid(text) is not None:
        return ()
    if len(text) == _LENGTH:
        raw = [*_substitutions(text), *_transpositions(text)]
    elif len(text) == _LENGTH - 1:
        raw = list(_insertions(text))
    elif len(text) == _LENGTH + 1:
        raw = list(_deletions(text))
    else:
        return ()
    identity = (sex, birth_date, birth_place)
    today = date.today()  # noqa: DTZ011
    found: dict[str, tuple[tuple[int, ...], Suggestion]] = {}
    for number, edit, position, params in raw:
        if number in found:
            continue
        doubts = _valid(number)
        if doubts is None:
            continue
        mismatches = None
        if any(item is not None for item in identity):
            mismatches = _check(number, sex, birth_date, birth_place, today).mismatches
        rank = (
            len(mismatches or ()),
            doubts,
            _EDIT_RANK[edit],
            position,
        )
        found[number] = (rank, Suggestion(number, edit, position, params, mismatches))
    return tuple(item for _, item in sorted(found.values(), key=lambda pair: pair[0]))


def _valid(number: str) -> int | None:
    """None when invalid, else how doubtful: warnings, plus one for a temporary number."""
    if quick_valid(number):
        return 0
    try:
        parsed = parse_with(number, DEFAULT_OPTIONS)
    except errors.NirError:
        return None
    return len(parsed.warnings) + parsed.is_temporary


_Raw = tuple[str, str, int, dict[str, messages.ParamValue]]


def _body_and_key(text: str) -> tuple[int, int] | None:
    """The body value and the key of a well-formed 15-character text, else None."""
    body, key = text[:13], text[13:]
    if not key.isdigit():
        return None
    plain = body[:5] + body[7:]
    if not plain.isdigit() or not (body[5:7].isdigit() or body[5:7] in ("2A", "2B")):
        return None
    return body_value(body), int(key)


def _substitutions(text: str) -> list[_Raw]:
    """Every one-character substitution that gives a right key."""
    found: list[_Raw] = []
    values = _body_and_key(text)
    if values is None:
        # A wrong character: only replacing it can help (when it is the only one).
        for index in range(_LENGTH):
            for char in _choices(text, index):
                candidate = text[:index] + char + text[index + 1 :]
                if candidate != text and _body_and_key(candidate) is not None:
                    found.append(_substitution(text, index, char))
        return found
    value, key = values
    need = -(value + key) % 97
    letters = not text[5:7].isdigit()
    for index in range(13):
        if index == 6 and text[5] == "2":  # 2A/2B: few enough to try
            found.extend(_tried(text, index))
            continue
        if letters and index == 5:
            found.extend(_tried(text, index))
            continue
        step = need * _INVERSES[index] % 97
        digit = int(text[index])
        new = digit + step if digit + step <= 9 else digit - (97 - step)
        if step and 0 <= new <= 9:
            found.append(_substitution(text, index, str(new)))
    right = f"{97 - value % 97:02d}"
    for index in (13, 14):
        other = 27 - index  # the other key digit
        if right[other - 13] == text[other] and right != text[13:]:
            found.append(_substitution(text, index, right[index - 13]))
    return found


def _tried(text: str, index: int) -> list[_Raw]:
    """Substitutions at `index` found by trying each character (the Corsica positions)."""
    found: list[_Raw] = []
    for char in _choices(text, index):
        candidate = text[:index] + char + text[index + 1 :]
        checked = _body_and_key(candidate)
        if char != text[index] and checked and sum(checked) % 97 == 0:
            found.append(_substitution(text, index, char))
    return found


def _choices(text: str, index: int) -> str:
    return _DIGITS + "AB" if index == 6 and text[5] == "2" else _DIGITS


def _substitution(text: str, index: int, char: str) -> _Raw:
    number = text[:index] + char + text[index + 1 :]
    return (
        number,
        "substitution",
        index + 1,
        {"position": index + 1, "was": text[index], "now": char},
    )


def _transpositions(text: str) -> list[_Raw]:
    found: list[_Raw] = []
    values = _body_and_key(text)
    need = None if values is None or not text[5:7].isdigit() else -sum(values) % 97
    for index in range(_LENGTH - 1):
        a, b = text[index], text[index + 1]
        if a == b:
            continue
        # Swapping digits a, b at index adds (b - a) * 9 * 10^(11-index) to the body.
        if (
            need is not None
            and index < 12
            and (int(b) - int(a)) * 9 * _WEIGHTS[index + 1] % 97 != need
        ):
            continue
        number = text[:index] + b + a + text[index + 2 :]
        checked = _body_and_key(number)
        if checked and sum(checked) % 97 == 0:
            found.append(
                (
                    number,
                    "transposition",
                    index + 1,
                    {"position": index + 1, "was": a + b, "now": b + a},
                )
            )
    return found


def _insertions(text: str) -> list[_Raw]:
    found: list[_Raw] = []
    for index in range(_LENGTH):
        zero = text[:index] + "0" + text[index:]
        checked = _body_and_key(zero)
        if index < 13 and index not in (5, 6, 7) and checked is not None:
            # The new digit d adds d * 10^(12-index) to the body: one d at most.
            digit = -sum(checked) * _INVERSES[index] % 97
            if digit <= 9:
                found.append(_insertion(text, index, str(digit)))
            continue
        for char in _choices(zero, index):
            number = text[:index] + char + text[index:]
            checked = _body_and_key(number)
            if checked and sum(checked) % 97 == 0:
                found.append(_insertion(text, index, char))
    return found


def _insertion(text: str, index: int, char: str) -> _Raw:
    number = text[:index] + char + text[index:]
    return number, "insertion", index + 1, {"position": index + 1, "now": char}


def _deletions(text: str) -> list[_Raw]:
    found: list[_Raw] = []
    for index in range(_LENGTH + 1):
        number = text[:index] + text[index + 1 :]
        checked = _body_and_key(number)
        if checked and sum(checked) % 97 == 0:
            found.append(
                (number, "deletion", index + 1, {"position": index + 1, "was": text[index]})
            )
    return found
